//! totp-check's data model: an implementation under test ([`Adapter`]), one case's
//! [`Outcome`], and the [`Report`] a check produces, which the report writers render.
//!
//! Owns: those types. Uses: [`super::catalogue`]'s cases, [`super::protocol`]'s words.

use std::collections::BTreeMap;

use serde::Serialize;

use super::catalogue::{Case, Expect};

/// How an implementation is reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Form {
    /// A long-lived process speaking the protocol on stdin/stdout.
    Line,
    /// A command run once per request, with the request's fields as arguments.
    PerCall,
}

/// An implementation to check.
#[derive(Debug, Clone, Serialize)]
pub struct Adapter {
    /// Its name in the tables (`pyotp`).
    pub name: String,
    /// The library's version, as pinned.
    pub version: String,
    /// How it is reached.
    pub form: Form,
    /// The shell command that starts it (a line adapter) or that is run per request.
    pub command: String,
}

impl Adapter {
    /// Reads an adapter list: one `<name> <version> <line|per-call> <command…>` per line
    /// (what `scripts/adapters.sh list` prints); `#` comments and blank lines are skipped.
    pub fn parse_list(text: &str) -> Result<Vec<Adapter>, String> {
        let mut out = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parts: Vec<&str> = line.splitn(4, ' ').collect();
            let [name, version, form, command] = parts[..] else {
                return Err(format!(
                    "line {}: expected `<name> <version> <line|per-call> <command>`",
                    n + 1
                ));
            };
            let form = match form {
                "line" => Form::Line,
                "per-call" => Form::PerCall,
                other => {
                    return Err(format!(
                        "line {}: form `{other}` is not line or per-call",
                        n + 1
                    ));
                }
            };
            out.push(Adapter {
                name: name.to_owned(),
                version: version.to_owned(),
                form,
                command: command.to_owned(),
            });
        }
        Ok(out)
    }
}

/// What a case came to for one implementation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    /// The expected code.
    Pass,
    /// A refusal the RFC allows here.
    RejectedAcceptable {
        /// The implementation's reason.
        reason: String,
    },
    /// A refusal where the RFC defines a code.
    RejectedNotAcceptable {
        /// The implementation's reason.
        reason: String,
        /// The code it should have given.
        expected: String,
    },
    /// A code other than the RFC's (or a code where there is none).
    WrongCode {
        /// The RFC's code, or `reject`.
        expected: String,
        /// What came back.
        got: String,
    },
    /// The process died, or answered something that is not the protocol.
    Crash {
        /// What happened.
        reason: String,
    },
    /// No answer in time ([`super::run::ANSWER_TIMEOUT`] by default).
    Timeout,
    /// A parameter the implementation does not take.
    NotSupported {
        /// What it said.
        what: String,
    },
    /// A verifier's verdict other than the RFC's (`expected` is `accept` or `refuse`).
    WrongVerdict {
        /// The RFC's verdict.
        expected: String,
        /// What came back.
        got: String,
    },
    /// A verdict the RFCs leave to the implementation, recorded.
    Observed {
        /// Whether the verifier accepted.
        accepted: bool,
        /// Its reason, when it refused with an error.
        reason: Option<String>,
    },
}

impl Outcome {
    /// Whether this outcome is acceptable under the RFCs.
    #[must_use]
    pub fn conforms(&self) -> bool {
        matches!(
            self,
            Outcome::Pass
                | Outcome::RejectedAcceptable { .. }
                | Outcome::NotSupported { .. }
                | Outcome::Observed { .. }
        )
    }

    /// A short word for the tables.
    #[must_use]
    pub fn word(&self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::RejectedAcceptable { .. } => "rejected (acceptable)",
            Outcome::RejectedNotAcceptable { .. } => "rejected (not acceptable)",
            Outcome::WrongCode { .. } => "wrong code",
            Outcome::Crash { .. } => "crash",
            Outcome::Timeout => "timeout",
            Outcome::NotSupported { .. } => "not supported",
            Outcome::WrongVerdict { .. } => "wrong verdict",
            Outcome::Observed { accepted: true, .. } => "accepts",
            Outcome::Observed {
                accepted: false, ..
            } => "refuses",
        }
    }
}

/// Rounds of each speed measurement: the adapter and the reference alternate, so that what
/// else the machine does falls on both; the medians are compared.
pub const SPEED_ROUNDS: usize = 3;

/// One case, as the report describes it.
#[derive(Debug, Clone, Serialize)]
pub struct CaseInfo {
    /// `<group>.<case>`.
    pub id: String,
    /// What it checks.
    pub title: String,
    /// Its grounding.
    pub grounding: String,
    /// The request line.
    pub request: String,
    /// `code 94287082`, `code 409098 or a rejection`, `a rejection`.
    pub expect: String,
}

impl CaseInfo {
    /// Describes `case`.
    #[must_use]
    pub fn of(case: &Case) -> CaseInfo {
        CaseInfo {
            id: case.id.clone(),
            title: case.title.clone(),
            grounding: case.grounding.to_owned(),
            request: case.request.line(),
            expect: match &case.expect {
                Expect::Code(c) => format!("code {c}"),
                Expect::CodeOrReject(c) => format!("code {c} or a rejection"),
                Expect::Reject => "a rejection".into(),
                Expect::Accept => "accepted".into(),
                Expect::Refuse => "refused".into(),
                Expect::Observe => "either (reported)".into(),
            },
        }
    }
}

/// One implementation's results.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// The adapter.
    pub adapter: Adapter,
    /// Per fixed case, per time zone.
    pub cases: BTreeMap<String, BTreeMap<String, Outcome>>,
    /// The random differential: how many passed, and the first that did not.
    pub random: RandomResults,
    /// Codes per second through the protocol, a new generator per request.
    pub construct_per_s: Option<f64>,
    /// Codes per second reusing one generator per key, where the adapter can.
    pub reuse_per_s: Option<f64>,
    /// How many times faster mfaspec's core was, a new generator each, in the same rounds.
    pub construct_ratio: Option<f64>,
    /// The same, generators reused.
    pub reuse_ratio: Option<f64>,
}

/// The random differential of one implementation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RandomResults {
    /// Cases run (per time zone).
    pub cases: usize,
    /// Cases that conformed under every zone.
    pub conformed: usize,
    /// The first few that did not: (case id, zone, outcome).
    pub failures: Vec<(String, String, Outcome)>,
}

/// The whole check.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The fixed cases.
    pub cases: Vec<CaseInfo>,
    /// The time zones every adapter ran under.
    pub timezones: Vec<String>,
    /// The random differential's size and seed.
    pub random_cases: usize,
    /// Its seed.
    pub seed: u64,
    /// Per implementation, in the order given.
    pub implementations: Vec<Results>,
}

impl Results {
    /// The worst outcome of `case` across the zones (a non-conforming one first), and the
    /// zone it came under when the zones disagree.
    #[must_use]
    pub fn worst(&self, case: &str) -> Option<(Option<&str>, &Outcome)> {
        let by_zone = self.cases.get(case)?;
        let first = by_zone.values().next()?;
        let disagree = by_zone.values().any(|o| o != first);
        let (zone, outcome) = by_zone
            .iter()
            .find(|(_, o)| !o.conforms())
            .or_else(|| by_zone.iter().next())?;
        Some((disagree.then_some(zone.as_str()), outcome))
    }

    /// Fixed cases that did not conform.
    #[must_use]
    pub fn failures(&self) -> usize {
        self.cases
            .keys()
            .filter(|c| self.worst(c).is_some_and(|(_, o)| !o.conforms()))
            .count()
    }
}

impl Adapter {
    /// mfaspec's own core through the protocol: `exe totp-adapter`, `exe` being this program.
    #[must_use]
    pub fn core(exe: &std::path::Path) -> Adapter {
        Adapter {
            name: "mfaspec".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            form: Form::Line,
            command: format!(
                "'{}' totp-adapter",
                exe.display().to_string().replace('\'', "'\\''")
            ),
        }
    }

    /// `NAME=COMMAND` (`--adapter`, `--per-call`) as an adapter of `form`.
    pub fn named(spec: &str, form: Form) -> Result<Adapter, String> {
        let (name, command) = spec
            .split_once('=')
            .filter(|(n, c)| !n.is_empty() && !c.is_empty())
            .ok_or_else(|| format!("`{spec}` is not NAME=COMMAND"))?;
        Ok(Adapter {
            name: name.to_owned(),
            version: "-".to_owned(),
            form,
            command: command.to_owned(),
        })
    }
}
