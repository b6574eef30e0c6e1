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
        /// The last lines the adapter wrote to its standard error before it happened.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        stderr: Vec<String>,
    },
    /// Not asked: the adapter had been given up on (its process could not be started again).
    NotRun {
        /// Why it was given up on.
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
            Outcome::NotRun { .. } => "not run",
        }
    }

    /// The outcome and its details in words, as the reports show them (the HTML's hover,
    /// JUnit's messages).
    #[must_use]
    pub fn detail(&self) -> String {
        match self {
            Outcome::Pass => "pass".into(),
            Outcome::RejectedAcceptable { reason } => format!("rejected (acceptable): {reason}"),
            Outcome::RejectedNotAcceptable { reason, expected } => {
                if expected == super::protocol::ACCEPT {
                    format!("an error where the RFC's verifier accepts: {reason}")
                } else {
                    format!("rejected (not acceptable; the RFC's code is {expected}): {reason}")
                }
            }
            Outcome::WrongCode { expected, got } => {
                format!("wrong code: expected {expected}, got {got}")
            }
            Outcome::Crash { reason, stderr } if stderr.is_empty() => format!("crash: {reason}"),
            Outcome::Crash { reason, stderr } => {
                format!("crash: {reason}\nits stderr ended:\n{}", stderr.join("\n"))
            }
            Outcome::NotRun { reason } => format!("not run: {reason}"),
            Outcome::Timeout => "timeout".into(),
            Outcome::NotSupported { what } => format!("not supported: {what}"),
            Outcome::WrongVerdict { expected, got } => {
                format!("wrong verdict: the RFC's is {expected}, the verifier's {got}")
            }
            Outcome::Observed { accepted, reason } => {
                let verdict = if *accepted { "accepts" } else { "refuses" };
                match reason {
                    Some(r) => format!("{verdict} (the RFC leaves it open): {r}"),
                    None => format!("{verdict} (the RFC leaves it open)"),
                }
            }
        }
    }

    /// The outcome's name in `totp-check.json` (its `outcome` field, and the keys of the
    /// counts).
    #[must_use]
    pub fn tag(&self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::RejectedAcceptable { .. } => "rejected-acceptable",
            Outcome::RejectedNotAcceptable { .. } => "rejected-not-acceptable",
            Outcome::WrongCode { .. } => "wrong-code",
            Outcome::Crash { .. } => "crash",
            Outcome::Timeout => "timeout",
            Outcome::NotSupported { .. } => "not-supported",
            Outcome::WrongVerdict { .. } => "wrong-verdict",
            Outcome::Observed { .. } => "observed",
            Outcome::NotRun { .. } => "not-run",
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
                Expect::CodeOrReject(c) => match case.choice {
                    Some(why) => format!("code {c}, or a rejection ({why})"),
                    None => format!("code {c} or a rejection"),
                },
                Expect::Reject => "a rejection".into(),
                Expect::Accept => "accepted".into(),
                Expect::Refuse => "refused".into(),
                Expect::Observe => "either (reported)".into(),
            },
        }
    }
}

/// What a check concluded about one implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every case conformed, under every time zone, and so did every random case.
    Conforms,
    /// At least one case did not conform.
    Fails,
    /// The implementation could not be checked: its adapter never answered (it could not be
    /// started, or died before its first answer every time).
    Error,
}

impl Verdict {
    /// The verdict's word, as the console and the JSON say it.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Conforms => "conforms",
            Verdict::Fails => "fails",
            Verdict::Error => "error",
        }
    }
}

/// One implementation's verdict and counts: what a program reading `totp-check.json` needs
/// without re-deriving the classification.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The verdict.
    pub verdict: Verdict,
    /// Fixed cases per outcome (each case counted once, by its worst outcome across the time
    /// zones), keyed by [`Outcome::tag`].
    pub counts: BTreeMap<&'static str, usize>,
    /// The fixed cases that did not conform, in catalogue order.
    pub failing: Vec<String>,
    /// Why the implementation could not be checked (with [`Verdict::Error`]), with the last
    /// lines of its adapter's standard error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One implementation's results.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// The adapter.
    pub adapter: Adapter,
    /// The verdict and the counts.
    pub summary: Summary,
    /// Per fixed case, per time zone.
    pub cases: BTreeMap<String, BTreeMap<String, Outcome>>,
    /// The random differential: how many passed, how many failed, and the first failures.
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

/// How many random cases [`RandomResults::failures`] keeps as examples.
pub const RANDOM_EXAMPLES: usize = 5;

/// One random case that did not conform.
#[derive(Debug, Clone, Serialize)]
pub struct RandomFailure {
    /// The case (`random.r17`).
    pub case: String,
    /// The time zone it failed under.
    pub timezone: String,
    /// Its request line.
    pub request: String,
    /// What came of it.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The random differential of one implementation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RandomResults {
    /// Cases run (per time zone).
    pub cases: usize,
    /// Cases that conformed under every zone.
    pub conformed: usize,
    /// Cases that did not (under at least one zone): `cases - conformed`.
    pub failed: usize,
    /// The first [`RANDOM_EXAMPLES`] failures.
    pub failures: Vec<RandomFailure>,
}

/// The version of `totp-check.json`'s layout, its `schema` field: raised on any change a
/// reader could notice (a field renamed, removed or re-typed; new fields do not raise it).
pub const SCHEMA: &str = "mfaspec-totp-check/2";

/// The whole check.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// [`SCHEMA`].
    pub schema: &'static str,
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

impl Report {
    /// The verdict over every implementation: an error wins over a failure, a failure over
    /// conformance.
    #[must_use]
    pub fn verdict(&self) -> Verdict {
        let verdicts = self.implementations.iter().map(|r| r.summary.verdict);
        if verdicts.clone().any(|v| v == Verdict::Error) {
            Verdict::Error
        } else if verdicts.clone().any(|v| v == Verdict::Fails) {
            Verdict::Fails
        } else {
            Verdict::Conforms
        }
    }
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
        self.summary.failing.len()
    }

    /// The summary of `cases` and `random` (in `order`, the catalogue's), `error` being why
    /// the adapter never answered, if it did not.
    #[must_use]
    pub fn summarise(
        order: &[CaseInfo],
        cases: &BTreeMap<String, BTreeMap<String, Outcome>>,
        random: &RandomResults,
        error: Option<String>,
    ) -> Summary {
        let mut counts = BTreeMap::new();
        let mut failing = Vec::new();
        for case in order {
            let Some(by_zone) = cases.get(&case.id) else {
                continue;
            };
            let worst = by_zone
                .values()
                .find(|o| !o.conforms())
                .or_else(|| by_zone.values().next());
            if let Some(worst) = worst {
                *counts.entry(worst.tag()).or_insert(0) += 1;
                if !worst.conforms() {
                    failing.push(case.id.clone());
                }
            }
        }
        let verdict = if error.is_some() {
            Verdict::Error
        } else if failing.is_empty() && random.failed == 0 {
            Verdict::Conforms
        } else {
            Verdict::Fails
        };
        Summary {
            verdict,
            counts,
            failing,
            error,
        }
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
