//! Reproductions: a scenario's calls as a shell script anyone can run without mfaspec — the
//! AWS CLI against an endpoint, each TOTP code computed when the script runs (`mfaspec code`
//! or `oathtool`), every value the target makes (pool and client ids, secrets, sessions,
//! tokens) read from the answer that carried it, never written into the script. At each call
//! the script compares the answer with what AWS documents; it exits 0 when the endpoint
//! behaves so and 1 at the first call that differs, printing both.
//!
//! Made in two halves. [`template`] turns a recording of the scenario's documented path (the
//! calls as sent, the answers as received, the codes as computed — in memory only, secrets
//! and all) into [`Step`]s that hold no secret: each value is a literal, a variable captured
//! from an earlier answer, a generated password, a code, or a name made from the script's own
//! run id. [`render`] writes the script from the steps, what AWS documents at each call
//! ([`Response`], normalised) and what the target answered.
//!
//! Owns: the templating, the script and its checks. Uses: [`crate::report::snapshot`]'s
//! normalised responses, the vocabulary, the client's error type.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::cognito::{CognitoError, PREFIX};
use crate::report::snapshot::Response;
use crate::vocabulary::Operation;

/// A scenario's documented path as the reference endpoint took it: the steps (or why the
/// AWS CLI cannot take them) and the answers, normalised. Free of secrets.
#[derive(Debug, Clone)]
pub struct DocumentedPath {
    /// The calls, templated.
    pub steps: Result<Vec<Step>, NotReplayable>,
    /// What AWS documents at each.
    pub expected: Vec<Response>,
}

/// One call of a recording: what was sent and what came back, in memory only (it holds the
/// run's secrets).
#[derive(Clone)]
pub struct RawCall {
    /// The operation.
    pub operation: Operation,
    /// The request body as sent.
    pub request: Value,
    /// The answer.
    pub answer: Result<Value, CognitoError>,
    /// Seconds the scenario let pass (on the target's clock) since the call before.
    pub waited: u64,
    /// The TOTP codes computed for this call's request.
    pub codes: Vec<CodeUse>,
}

/// A TOTP code a scenario computed, and how.
#[derive(Clone)]
pub struct CodeUse {
    /// The code as sent.
    pub value: String,
    /// The key it was computed from (a SecretCode an earlier answer carried).
    pub secret: String,
    /// Which step's code.
    pub kind: CodeKind,
}

/// Which step's code a scenario sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeKind {
    /// A step no code has used yet, now or next.
    Fresh,
    /// The code `n` steps from now (−1: the previous step's).
    Offset(i64),
    /// A code of no step near now.
    Wrong,
}

/// What a recording needs that a script with the AWS CLI cannot do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NotReplayable(pub String);

/// One call of a reproduction, free of secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The operation.
    pub operation: String,
    /// Seconds to wait before the call.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub wait: u64,
    /// Values made before the call: codes, passwords, SECRET_HASHes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prepare: Vec<Prepare>,
    /// The request, as JSON text with `${VAR}` where a value is the script's.
    pub input: String,
    /// Values of the answer later calls use: the variable and its JMESPath.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub captures: Vec<Capture>,
    /// A domain the call makes (`<pool> <domain>`, as the request writes them), deleted at
    /// the script's end before its pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A value of the answer that later calls use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capture {
    /// The script's variable.
    pub var: String,
    /// Where it is in the answer (JMESPath).
    pub path: String,
    /// Whether it is a secret (never printed).
    pub secret: bool,
}

/// A value the script makes before a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "make", rename_all = "kebab-case")]
pub enum Prepare {
    /// A TOTP code from the key in `secret`.
    Code {
        /// The variable that receives it.
        var: String,
        /// The variable holding the key.
        secret: String,
        /// Which step's code.
        kind: CodeKind,
    },
    /// A password that meets the default policy.
    Password {
        /// The variable that receives it.
        var: String,
    },
    /// `Base64(HMAC-SHA256(client secret, username + client id))`.
    SecretHash {
        /// The variable that receives it.
        var: String,
        /// The username, as the request writes it (may hold `${VAR}`s).
        username: String,
        /// The variable holding the app client's id.
        client_id: String,
        /// The variable holding its secret.
        client_secret: String,
    },
}

/// What the recording's ids and secrets look like to the templater.
pub struct Known<'a> {
    /// The run id in the recording's names (`mfaspec-<run id>-…`).
    pub run_id: &'a str,
    /// Whether a value is one of the run's secrets.
    pub is_secret: &'a dyn Fn(&str) -> bool,
}

/// Request keys whose value the harness computes from a secret of the protocol (SRP).
const SRP_KEYS: &[&str] = &[
    "SRP_A",
    "PASSWORD_CLAIM_SIGNATURE",
    "PASSWORD_CLAIM_SECRET_BLOCK",
    "DeviceSecretVerifierConfig",
    "PasswordVerifier",
    "Salt",
];

/// Request keys that hold a password.
const PASSWORD_KEYS: &[&str] = &[
    "Password",
    "PASSWORD",
    "TemporaryPassword",
    "NEW_PASSWORD",
    "ProposedPassword",
    "PreviousPassword",
];

/// Request keys that hold a code a mailbox received.
const MAILED_CODE_KEYS: &[&str] = &["EMAIL_OTP_CODE", "SMS_MFA_CODE", "ConfirmationCode"];

/// Turns a recording into steps that hold no secret.
///
/// # Errors
/// [`NotReplayable`] when a request needs what the AWS CLI cannot make: SRP values, a code a
/// mailbox received, a secret the recording cannot trace to an answer.
pub fn template(calls: &[RawCall], known: &Known<'_>) -> Result<Vec<Step>, NotReplayable> {
    let mut t = Templater {
        known,
        calls,
        steps: Vec::new(),
        codes: BTreeMap::new(),
        passwords: BTreeMap::new(),
        captures: BTreeMap::new(),
        names: BTreeMap::new(),
    };
    for (i, call) in calls.iter().enumerate() {
        let mut prepare = Vec::new();
        let input = t.value(i, None, &call.request, &call.request, &mut prepare)?;
        let mut text = String::new();
        heredoc_json(&input, 0, &mut text);
        let word = |k: &str| {
            input.get(k).and_then(Value::as_str).map(|v| {
                v.strip_prefix(VAR_MARK)
                    .map_or_else(|| escape_marked(v), str::to_owned)
            })
        };
        let domain = (call.operation == Operation::CreateUserPoolDomain)
            .then(|| Some(format!("{} {}", word("UserPoolId")?, word("Domain")?)))
            .flatten();
        t.steps.push(Step {
            operation: call.operation.name().to_owned(),
            wait: call.waited,
            prepare,
            input: text,
            captures: Vec::new(),
            domain,
        });
    }
    // Every pool the script makes is deleted at its end, also one no later call names.
    for (i, call) in calls.iter().enumerate() {
        if call.operation == Operation::CreateUserPool
            && let Ok(answer) = &call.answer
            && let Some(id) = answer.pointer("/UserPool/Id").and_then(Value::as_str)
        {
            t.captures
                .entry((i, "UserPool.Id".to_owned()))
                .or_insert_with(|| (capture_var("UserPool.Id", i), (known.is_secret)(id)));
        }
    }
    // The captures go to the steps whose answers carry them.
    for ((step, path), (var, secret)) in t.captures {
        t.steps[step].captures.push(Capture { var, path, secret });
    }
    Ok(t.steps)
}

struct Templater<'a> {
    known: &'a Known<'a>,
    calls: &'a [RawCall],
    steps: Vec<Step>,
    /// Code value → its variable (a code sent twice is a replay: the same variable).
    codes: BTreeMap<String, String>,
    /// Password value → its variable.
    passwords: BTreeMap<String, String>,
    /// (step, path) → (variable, secret).
    captures: BTreeMap<(usize, String), (String, bool)>,
    /// A run's name (`pool-`, `123`) → its number in the script: the run numbers names
    /// across its concurrent scenarios, a script from 1 in its own order.
    names: BTreeMap<(String, String), usize>,
}

/// A templated string: a JSON string whose text may hold `${VAR}`s. Kept apart from literal
/// strings until the script is written, so that only these expand.
const VAR_MARK: char = '\u{1}';

impl Templater<'_> {
    fn value(
        &mut self,
        call: usize,
        key: Option<&str>,
        value: &Value,
        request: &Value,
        prepare: &mut Vec<Prepare>,
    ) -> Result<Value, NotReplayable> {
        Ok(match value {
            Value::Object(map) => {
                let mut out = Map::new();
                for (k, v) in map {
                    if SRP_KEYS.contains(&k.as_str()) {
                        return Err(NotReplayable(format!(
                            "{} sends {k}, an SRP value: the AWS CLI has no SRP client",
                            self.calls[call].operation.name()
                        )));
                    }
                    out.insert(k.clone(), self.value(call, Some(k), v, request, prepare)?);
                }
                Value::Object(out)
            }
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|v| self.value(call, key, v, request, prepare))
                    .collect::<Result<_, _>>()?,
            ),
            Value::String(s) => self.string(call, key, s, request, prepare)?,
            other => other.clone(),
        })
    }

    fn string(
        &mut self,
        call: usize,
        key: Option<&str>,
        s: &str,
        request: &Value,
        prepare: &mut Vec<Prepare>,
    ) -> Result<Value, NotReplayable> {
        let op = self.calls[call].operation.name();
        let marked = |text: String| Value::String(format!("{VAR_MARK}{text}"));
        // A code this call's scenario computed.
        if let Some(code) = self.calls[call].codes.iter().find(|c| c.value == s) {
            if let Some(var) = self.codes.get(s) {
                // Sent before: the scenario replays it.
                return Ok(marked(format!("${{{var}}}")));
            }
            let secret = self.find(call, &code.secret).ok_or_else(|| {
                NotReplayable(format!("{op}: the key of a code is in no earlier answer"))
            })?;
            let var = format!("CODE_{}", call + 1);
            prepare.push(Prepare::Code {
                var: var.clone(),
                secret,
                kind: code.kind,
            });
            self.codes.insert(s.to_owned(), var.clone());
            return Ok(marked(format!("${{{var}}}")));
        }
        if key.is_some_and(|k| MAILED_CODE_KEYS.contains(&k)) {
            return Err(NotReplayable(format!(
                "{op} sends {}, a code a mailbox received: the AWS CLI cannot read the mailbox",
                key.unwrap_or_default()
            )));
        }
        // The script's own names: `mfaspec-<run id>-pool-7` becomes `${RUN}-pool-1`, and
        // the run id alone (the `mfaspec:run` tag) `${RUN_ID}`.
        let id = self.known.run_id;
        if !id.is_empty() && s.contains(id) {
            return Ok(marked(self.renamed(s)));
        }
        if key == Some("SECRET_HASH") || key == Some("SecretHash") {
            // A deliberately wrong one (a scenario about the refusal) goes as it was sent:
            // deriving it would replay the right one.
            return match self.secret_hash(call, s, request, prepare)? {
                Some(var) => Ok(marked(var)),
                None => Ok(Value::String(s.to_owned())),
            };
        }
        // A value an earlier answer carried (ids, sessions, tokens, keys).
        let enum_like = s.chars().all(|c| c.is_ascii_uppercase() || c == '_');
        if s.len() >= 8
            && !enum_like
            && let Some(var) = self.find(call, s)
        {
            return Ok(marked(format!("${{{var}}}")));
        }
        if (self.known.is_secret)(s) {
            if key.is_some_and(|k| PASSWORD_KEYS.contains(&k)) {
                let n = self.passwords.len() + 1;
                let var = self
                    .passwords
                    .entry(s.to_owned())
                    .or_insert_with(|| {
                        prepare.push(Prepare::Password {
                            var: format!("PASSWORD_{n}"),
                        });
                        format!("PASSWORD_{n}")
                    })
                    .clone();
                return Ok(marked(format!("${{{var}}}")));
            }
            return Err(NotReplayable(format!(
                "{op} sends a secret ({}) that no earlier answer carried",
                key.unwrap_or("a value")
            )));
        }
        Ok(Value::String(s.to_owned()))
    }

    /// `s` (which holds the run id) as the script's own: each `mfaspec-<run id>-<kind>-<n>`
    /// as `${RUN}-<kind>-<m>`, numbered per kind in the script's order; any other run id as
    /// `${RUN_ID}`. Escaped for a templated string.
    fn renamed(&mut self, s: &str) -> String {
        let id = self.known.run_id;
        let prefix = format!("{PREFIX}{id}-");
        let mut out = String::new();
        let mut rest = s;
        while let Some(at) = rest.find(&prefix) {
            out.push_str(&escape_marked(&rest[..at]).replace(id, "${RUN_ID}"));
            out.push_str("${RUN}-");
            rest = &rest[at + prefix.len()..];
            let kind_len = rest
                .find(|c: char| !(c.is_ascii_lowercase() || c == '-'))
                .unwrap_or(rest.len());
            let digits = rest[kind_len..]
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len() - kind_len);
            if kind_len > 0 && rest[..kind_len].ends_with('-') && digits > 0 {
                let kind = rest[..kind_len].to_owned();
                let n = rest[kind_len..kind_len + digits].to_owned();
                let next = self.names.keys().filter(|(k, _)| *k == kind).count() + 1;
                let m = *self.names.entry((kind.clone(), n)).or_insert(next);
                out.push_str(&format!("{kind}{m}"));
                rest = &rest[kind_len + digits..];
            }
        }
        out.push_str(&escape_marked(rest).replace(id, "${RUN_ID}"));
        out
    }

    /// The variable for `value` as the first answer that carried it (where the target made
    /// it) has it, its capture noted.
    fn find(&mut self, call: usize, value: &str) -> Option<String> {
        for step in 0..call {
            let Ok(answer) = &self.calls[step].answer else {
                continue;
            };
            if let Some(path) = path_of(answer, value, "") {
                let secret = (self.known.is_secret)(value);
                let (var, _) = self
                    .captures
                    .entry((step, path.clone()))
                    .or_insert_with(|| (capture_var(&path, step), secret));
                return Some(var.clone());
            }
        }
        None
    }

    /// The variable a SECRET_HASH is computed into, when `sent` is the right one for the
    /// request's user and client; `None` when it is not (a scenario's wrong hash).
    fn secret_hash(
        &mut self,
        call: usize,
        sent: &str,
        request: &Value,
        prepare: &mut Vec<Prepare>,
    ) -> Result<Option<String>, NotReplayable> {
        let op = self.calls[call].operation.name();
        let missing = || NotReplayable(format!("{op}: a SECRET_HASH whose parts are not known"));
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        let client = text(request.get("ClientId")).ok_or_else(missing)?;
        let username = text(
            request
                .pointer("/AuthParameters/USERNAME")
                .or_else(|| request.pointer("/ChallengeResponses/USERNAME"))
                .or_else(|| request.get("Username")),
        )
        .ok_or_else(missing)?;
        let client_id = self.find(call, &client).ok_or_else(missing)?;
        // The client secret: in the answer that made the client.
        let secret = (0..call)
            .rev()
            .find_map(|step| {
                let answer = self.calls[step].answer.as_ref().ok()?;
                let client_of = answer.pointer("/UserPoolClient/ClientId")?.as_str()?;
                (client_of == client)
                    .then(|| answer.pointer("/UserPoolClient/ClientSecret")?.as_str())
                    .flatten()
                    .map(str::to_owned)
            })
            .ok_or_else(missing)?;
        if crate::secret_hash::secret_hash(&secret, &username, &client) != sent {
            return Ok(None);
        }
        let client_secret = self.find(call, &secret).ok_or_else(missing)?;
        let username = match self.string(call, Some("USERNAME"), &username, request, prepare)? {
            Value::String(s) => s
                .strip_prefix(VAR_MARK)
                .map_or_else(|| escape_marked(&s), str::to_owned)
                .replace('"', "\\\""),
            _ => return Err(missing()),
        };
        let var = format!("SECRET_HASH_{}", call + 1);
        prepare.push(Prepare::SecretHash {
            var: var.clone(),
            username,
            client_id,
            client_secret,
        });
        Ok(Some(format!("${{{var}}}")))
    }
}

/// A literal's text as it goes into a templated string: JSON-escaped, then escaped for an
/// expanding here-document (`\\`, `$` and `` ` `` kept as themselves).
fn escape_marked(s: &str) -> String {
    let json = serde_json::to_string(s).unwrap_or_default();
    heredoc_escape(&json[1..json.len() - 1])
}

/// `text` as it must stand in an expanding here-document to come out as itself.
fn heredoc_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A request as the body of an expanding here-document: JSON, two-space indents, templated
/// strings as they are (their `${VAR}`s expand), everything else escaped.
fn heredoc_json(value: &Value, indent: usize, out: &mut String) {
    let pad = |n: usize| "  ".repeat(n);
    match value {
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Object(map) => {
            out.push_str("{\n");
            for (i, (k, v)) in map.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                out.push_str(&heredoc_escape(
                    &serde_json::to_string(k).unwrap_or_default(),
                ));
                out.push_str(": ");
                heredoc_json(v, indent + 1, out);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, v) in items.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                heredoc_json(v, indent + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        Value::String(s) => match s.strip_prefix(VAR_MARK) {
            Some(templated) => {
                out.push('"');
                out.push_str(templated);
                out.push('"');
            }
            None => out.push_str(&heredoc_escape(
                &serde_json::to_string(s).unwrap_or_default(),
            )),
        },
        other => out.push_str(&other.to_string()),
    }
}

/// The JMESPath of the first string in `value` equal to `wanted`, objects before arrays.
fn path_of(value: &Value, wanted: &str, prefix: &str) -> Option<String> {
    match value {
        Value::String(s) if s == wanted => Some(prefix.to_owned()),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let key = jmespath_key(k);
            let path = if prefix.is_empty() {
                key
            } else {
                format!("{prefix}.{key}")
            };
            path_of(v, wanted, &path)
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| path_of(v, wanted, &format!("{prefix}[{i}]"))),
        _ => None,
    }
}

fn jmespath_key(k: &str) -> String {
    let plain = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        k.to_owned()
    } else {
        format!("\"{}\"", k.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// A shell variable for the value at `path` of step `step`'s answer: `POOL_ID_1` for
/// `UserPool.Id` of the first call.
fn capture_var(path: &str, step: usize) -> String {
    let last = path.rsplit('.').next().unwrap_or(path).trim_matches('"');
    let last = last.split('[').next().unwrap_or(last);
    let mut name = String::new();
    let chars: Vec<char> = last.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let boundary = i > 0
            && c.is_ascii_uppercase()
            && (chars[i - 1].is_ascii_lowercase()
                || chars.get(i + 1).is_some_and(char::is_ascii_lowercase));
        if boundary && !name.ends_with('_') {
            name.push('_');
        }
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_uppercase());
        } else if !name.ends_with('_') {
            name.push('_');
        }
    }
    let name = match path {
        "UserPool.Id" => "POOL_ID".to_owned(),
        _ if name.is_empty() => "VALUE".to_owned(),
        _ => name,
    };
    format!("{name}_{}", step + 1)
}

/// The AWS CLI's command for an operation (botocore's `xform_name` with `-`):
/// `AdminSetUserMFAPreference` → `admin-set-user-mfa-preference`.
#[must_use]
pub fn cli_command(operation: &str) -> String {
    let chars: Vec<char> = operation.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if prev.is_ascii_lowercase() || prev.is_ascii_digit() || next_lower {
                out.push('-');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// A reproduction: the scenario, the target, the steps, and at each step what AWS documents
/// and what the target answered. Written as `repro/<id>.json` beside the script, free of
/// secrets and run ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repro {
    /// `mfaspec-repro/1`.
    pub schema: String,
    /// The scenario.
    pub scenario: ScenarioRef,
    /// The target it deviates on.
    pub target: TargetRef,
    /// `fail`, `xfail` or `xpass`.
    pub outcome: String,
    /// The calls of the documented path, up to the one the scenario judged.
    pub steps: Vec<Step>,
    /// What AWS documents at each step (the reference endpoint's answer, normalised).
    pub expected: Vec<Response>,
    /// What the target answered at each step it reached, normalised.
    pub observed: Vec<Response>,
}

/// Where a scenario is, and what documents it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioRef {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `features/<file>:<line>`.
    pub feature: String,
    /// The behaviour reference's section that states it (`docs/behaviour.md §2.3 …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// The source: its tag, title and address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The target a reproduction was made against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetRef {
    /// Its profile's name.
    pub name: String,
    /// Its version, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The endpoint it was run at: the script's default.
    pub endpoint: String,
}

/// What the script checks of an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "check", rename_all = "kebab-case")]
pub enum Check {
    /// The call succeeds.
    Success,
    /// The call fails with this exception (and, when given, this message, normalised).
    Error {
        /// The exception name.
        r#type: String,
        /// The message, with `<pool-id>`-style placeholders.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// The answer has a value at `path`.
    Present {
        /// JMESPath.
        path: String,
    },
    /// The value at `path` (an enumeration, or a sorted list of them joined by commas).
    Value {
        /// JMESPath.
        path: String,
        /// The documented value.
        value: String,
    },
}

impl Check {
    /// What AWS documents, in words.
    #[must_use]
    pub fn documented(&self) -> String {
        match self {
            Check::Success => "the call succeeds".into(),
            Check::Error {
                r#type,
                message: Some(m),
            } => format!("{type}: {m}"),
            Check::Error { r#type, .. } => r#type.clone(),
            Check::Present { path } => format!("the answer has {path}"),
            Check::Value { path, value } => format!("{path} is {value}"),
        }
    }
}

/// The check every step makes: the call succeeds, or fails with the documented exception.
#[must_use]
pub fn outcome_check(expected: &Response) -> Check {
    match &expected.r#type {
        Some(t) => Check::Error {
            r#type: t.clone(),
            message: None,
        },
        None => Check::Success,
    }
}

/// What differs between the documented answer and the target's, as the checks that would
/// find it: empty when they agree on the exception, its message, the answer's keys and its
/// enumerations (a key the target adds is not a difference).
#[must_use]
pub fn differences(expected: &Response, observed: &Response) -> Vec<Check> {
    match (&expected.r#type, &observed.r#type) {
        (Some(t), Some(o)) if t == o => {
            if expected.message == observed.message {
                Vec::new()
            } else {
                vec![Check::Error {
                    r#type: t.clone(),
                    message: expected.message.clone(),
                }]
            }
        }
        (Some(t), _) => vec![Check::Error {
            r#type: t.clone(),
            message: expected.message.clone(),
        }],
        (None, Some(_)) => vec![Check::Success],
        (None, None) => {
            let mut want = Vec::new();
            let mut got = Vec::new();
            if let Some(shape) = &expected.shape {
                leaves(shape, "", &mut want);
            }
            if let Some(shape) = &observed.shape {
                leaves(shape, "", &mut got);
            }
            let got: BTreeMap<String, Option<String>> = got.into_iter().collect();
            let mut checks: Vec<Check> = Vec::new();
            for (path, value) in want {
                // Under a key already found missing: that one says it.
                let under_missing = checks.iter().any(|c| {
                    matches!(c, Check::Present { path: p } if path.starts_with(&format!("{p}.")))
                });
                if under_missing {
                    continue;
                }
                match (got.get(&path), value) {
                    (None, Some(value)) => checks.push(Check::Value { path, value }),
                    (None, None) => checks.push(Check::Present { path }),
                    (Some(seen), Some(value)) if seen.as_ref() != Some(&value) => {
                        checks.push(Check::Value { path, value });
                    }
                    _ => {}
                }
            }
            checks
        }
    }
}

/// The leaves of a normalised shape: each key's JMESPath, with its value where it is an
/// enumeration (or a list of them), `None` where it is a placeholder, an object or a list.
fn leaves(shape: &Value, prefix: &str, out: &mut Vec<(String, Option<String>)>) {
    let Value::Object(map) = shape else {
        return;
    };
    for (k, v) in map {
        let key = jmespath_key(k);
        let path = if prefix.is_empty() {
            key
        } else {
            format!("{prefix}.{key}")
        };
        match v {
            Value::Object(_) => {
                out.push((path.clone(), None));
                leaves(v, &path, out);
            }
            Value::Array(items)
                if !items.is_empty()
                    && items
                        .iter()
                        .all(|i| i.as_str().is_some_and(|s| !s.starts_with('<'))) =>
            {
                let mut values: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                values.sort_unstable();
                out.push((path, Some(values.join(","))));
            }
            Value::String(s) if !s.starts_with('<') => out.push((path, Some(s.clone()))),
            Value::Bool(b) => out.push((path, Some(if *b { "True" } else { "False" }.into()))),
            Value::Null => {}
            _ => out.push((path, None)),
        }
    }
}

/// The JMESPath expression whose text output a check compares, and the text it wants.
fn query_of(check: &Check) -> Option<(String, String)> {
    match check {
        Check::Present { path } => Some((format!("{path} != `null`"), "True".into())),
        Check::Value { path, value } if value.contains(',') || looks_listed(path) => {
            Some((format!("join(',', sort({path} || `[]`))"), value.clone()))
        }
        Check::Value { path, value } => Some((path.clone(), value.clone())),
        Check::Success | Check::Error { .. } => None,
    }
}

/// Keys whose enumerations come as lists.
fn looks_listed(path: &str) -> bool {
    [
        "UserMFASettingList",
        "ExplicitAuthFlows",
        "AvailableChallenges",
    ]
    .iter()
    .any(|k| path.ends_with(k))
}

/// The index of the step a reproduction judges: the first call the target answered with
/// another outcome than the documented one (success where an exception is documented, or
/// another exception), else the last call it answered — the one the scenario judged when it
/// failed — if that differs in its message, keys or enumerations; `None` when neither does.
/// (Every other answer may differ in details the scenario does not judge: an emulator's
/// CreateUserPool that lacks a key is not the deviation a sign-in scenario is about.)
#[must_use]
pub fn first_difference(repro: &Repro) -> Option<usize> {
    let reached = repro
        .observed
        .len()
        .min(repro.expected.len())
        .min(repro.steps.len());
    let outcome = |r: &Response| r.r#type.clone();
    if let Some(i) =
        (0..reached).find(|&i| outcome(&repro.expected[i]) != outcome(&repro.observed[i]))
    {
        return Some(i);
    }
    let last = reached.checked_sub(1)?;
    (!differences(&repro.expected[last], &repro.observed[last]).is_empty()).then_some(last)
}

/// The helpers every script starts with. `$ENDPOINT`, `$DOCUMENTED` and the arrays are set
/// before them.
const PRELUDE: &str = r#"set -u
command -v aws >/dev/null 2>&1 || { echo "repro: the AWS CLI (aws) is not on PATH" >&2; exit 2; }
if ! command -v mfaspec >/dev/null 2>&1 && ! command -v oathtool >/dev/null 2>&1; then
  echo "repro: TOTP codes need mfaspec or oathtool on PATH" >&2; exit 2
fi
# Any credentials do for an emulator; a real pool's come from the environment.
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" AWS_MAX_ATTEMPTS=1 AWS_PAGER=""
WORK="$(mktemp -d)" && chmod 700 "$WORK" || exit 2
RUN="mfaspec-r$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')" && RUN_ID="${RUN#mfaspec-}"
SECRETS=() POOL_IDS=() CLIENT_IDS=() DOMAINS=() LAST_STEP=-1
cleanup() {
  local d
  for d in ${DOMAINS[@]+"${DOMAINS[@]}"}; do
    aws cognito-idp delete-user-pool-domain --endpoint-url "$ENDPOINT" --user-pool-id "${d%% *}" --domain "${d#* }" >/dev/null 2>&1
  done
  for d in ${POOL_IDS[@]+"${POOL_IDS[@]}"}; do
    aws cognito-idp delete-user-pool --endpoint-url "$ENDPOINT" --user-pool-id "$d" >/dev/null 2>&1
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Text as it may be shown: the run's secrets and anything token-shaped replaced.
shown() {
  local s="$1" v
  for v in ${SECRETS[@]+"${SECRETS[@]}"}; do s="${s//"$v"/<redacted>}"; done
  printf '%s' "$s" | sed -E -e 's/eyJ[A-Za-z0-9._=+/-]{17,}/<redacted>/g' -e 's/[A-Za-z0-9._=+/-]{40,}/<redacted>/g'
}
# A message as the reference states it: ids, names and times as placeholders.
normalised() {
  local s v
  s="$(shown "$1")"
  for v in ${POOL_IDS[@]+"${POOL_IDS[@]}"}; do s="${s//"$v"/<pool-id>}"; done
  for v in ${CLIENT_IDS[@]+"${CLIENT_IDS[@]}"}; do s="${s//"$v"/<client-id>}"; done
  printf '%s' "$s" | sed -E -e "s/${RUN}[A-Za-z0-9_-]*-user-[A-Za-z0-9_-]*/<username>/g" \
    -e "s/${RUN}[A-Za-z0-9_-]*/<name>/g" -e 's/[a-z]{2}(-[a-z]+)+-[0-9]_[A-Za-z0-9]+/<pool-id>/g' \
    -e 's/[0-9]{9,}/<time>/g'
}
secret() { [ -n "$1" ] && [ "$1" != None ] && SECRETS+=("$1"); }
totp() { # KEY UNIX_TIME
  if command -v mfaspec >/dev/null 2>&1; then printf '%s' "$1" | mfaspec code --at "$2" -
  else printf '%s' "$1" | oathtool --totp -b -N "@$2" -; fi
}
safe_now() { # now, away from a step's last seconds
  local now; now=$(date +%s)
  if (( now % 30 > 26 )); then sleep $(( 30 - now % 30 )); now=$(date +%s); fi
  printf '%s' "$now"
}
# The code helpers set the variable named first (a command substitution could not keep
# LAST_STEP), and note the code as a secret.
fresh_code() { # VAR KEY: the code of a step no code of this script has used yet
  local now; now=$(safe_now)
  while (( now / 30 <= LAST_STEP )); do sleep $(( 30 - now % 30 )); now=$(safe_now); done
  LAST_STEP=$(( now / 30 ))
  printf -v "$1" '%s' "$(totp "$2" "$now")"; secret "${!1}"
}
offset_code() { # VAR KEY STEPS: the code STEPS steps from now (-1: the previous step's)
  local now; now=$(safe_now)
  printf -v "$1" '%s' "$(totp "$2" $(( now + 30 * $3 )))"; secret "${!1}"
}
wrong_code() { # VAR KEY: a code of no step within three of now
  local now near=" " c n; now=$(safe_now)
  for n in -3 -2 -1 0 1 2 3; do near+="$(totp "$2" $(( now + 30 * n ))) "; done
  c=$(totp "$2" "$now")
  while :; do
    c=$(printf '%06d' $(( (10#$c + 500009) % 1000000 )))
    [[ "$near" == *" $c "* ]] || break
  done
  printf -v "$1" '%s' "$c"
}
password() { printf 'Rp%s-9x' "$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n')"; }
secret_hash() { # USERNAME CLIENT_ID CLIENT_SECRET
  printf '%s%s' "$1" "$2" | openssl dgst -sha256 -hmac "$3" -binary | base64
}
# call N COMMAND QUERY: the request in $WORK/in.json; the answer's fields (a JMESPath list)
# in OUT, or the error in ERR_TYPE and ERR_MESSAGE.
call() {
  local out err
  OUT=() ERR_TYPE="" ERR_MESSAGE=""
  if out="$(aws cognito-idp "$2" --endpoint-url "$ENDPOINT" --cli-input-json "file://$WORK/in.json" \
      --query "$3" --output text 2>"$WORK/err")"; then
    STATUS=ok
    IFS=$'\t' read -r -a OUT <<< "$out"
  else
    STATUS=error
    err="$(tr '\n' ' ' < "$WORK/err" | sed -E 's/^ +//; s/ +$//')"
    ERR_TYPE="$(sed -n -E 's/.*An error occurred \(([^)]*)\).*/\1/p' <<< "$err")"
    ERR_MESSAGE="$(sed -n -E 's/.*An error occurred \([^)]*\) when calling the [^ ]+ operation[^:]*: (.*[^ ]) *$/\1/p' <<< "$err")"
    if [ -z "$ERR_TYPE" ]; then
      # Not an answer of the endpoint: the AWS CLI refused to send the request (its own
      # parameter checks) or could not reach the endpoint. Nothing was compared.
      printf '\nstep %s: the AWS CLI did not get an answer: %s\n' "$1" "$(shown "$err")" >&2
      exit 2
    fi
  fi
  rm -f "$WORK/in.json"
}
answered() {
  if [ "$STATUS" = ok ]; then printf 'success'; else printf '%s: %s' "$ERR_TYPE" "$(shown "$ERR_MESSAGE")"; fi
}
differs() { # N OPERATION WHAT DOCUMENTED OBSERVED
  printf '\nstep %s, %s: %s differs from what AWS documents\n' "$1" "$2" "$3"
  printf '  AWS documents:  %s\n' "$4"
  printf '  this endpoint:  %s\n' "$(shown "$5")"
  printf '%s\n' "$DOCUMENTED"
  exit 1
}
expect_success() { [ "$STATUS" = ok ] || differs "$1" "$2" "the answer" "the call succeeds" "$(answered)"; }
expect_error() { # N OPERATION TYPE [MESSAGE]
  if [ "$STATUS" != error ] || [ "$ERR_TYPE" != "$3" ]; then
    differs "$1" "$2" "the answer" "$3${4:+: $4}" "$(answered)"
  fi
  if [ $# -ge 4 ] && [ "$(normalised "$ERR_MESSAGE")" != "$4" ]; then
    differs "$1" "$2" "the message" "$3: $4" "$ERR_TYPE: $(normalised "$ERR_MESSAGE")"
  fi
}
expect_value() { # N OPERATION PATH DOCUMENTED OBSERVED
  [ "$5" = "$4" ] && return
  if [ "$5" = None ]; then differs "$1" "$2" "$3" "$4" "(absent)"; else differs "$1" "$2" "$3" "$4" "$5"; fi
}
expect_present() { # N OPERATION PATH OBSERVED (True when the answer has it)
  [ "$4" = True ] || differs "$1" "$2" "$3" "present" "(absent)"
}
"#;

/// A string as a single-quoted shell word.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The script: `#!/usr/bin/env bash`, the endpoint as its first argument (default: the
/// run's), each step's call and checks, exit 0 when every answer is as documented, 1 at the
/// first that differs, 2 when it cannot run.
#[must_use]
pub fn render(repro: &Repro) -> String {
    let judged = first_difference(repro);
    let last = judged.unwrap_or(repro.steps.len().saturating_sub(1));
    let s = &repro.scenario;
    let mut out = String::new();
    let _ = writeln!(out, "#!/usr/bin/env bash");
    let _ = writeln!(out, "# {}: {}", s.id, one_line(&s.name));
    let _ = writeln!(out, "# Scenario: {}", s.feature);
    if let Some(section) = &s.section {
        let _ = writeln!(out, "# Documented in: {section}");
    }
    if let Some(source) = &s.source {
        let _ = writeln!(out, "# Source: {}", one_line(source));
    }
    let version = repro.target.version.as_deref().unwrap_or("version unknown");
    let _ = writeln!(
        out,
        "# Made by mfaspec from a run against {} ({version}): {}.",
        repro.target.name, repro.outcome
    );
    match judged {
        Some(j) => {
            let _ = writeln!(
                out,
                "# There it differs at step {} of {} ({}).",
                j + 1,
                repro.steps.len(),
                repro.steps[j].operation
            );
        }
        None => {
            let _ = writeln!(out, "# There every answer was as documented.");
        }
    }
    let _ = writeln!(
        out,
        "#\n# Usage: {} [ENDPOINT]   (default: {})",
        file_stem(&s.id),
        repro.target.endpoint
    );
    let _ = writeln!(
        out,
        "# Needs the AWS CLI, and mfaspec or oathtool for the TOTP codes. Exit: 0 when every\n# answer is as AWS documents, 1 at the first that is not, 2 when it cannot run.\n"
    );
    let _ = writeln!(
        out,
        "ENDPOINT=\"${{1:-{}}}\"",
        repro.target.endpoint.replace(['"', '$', '`', '\\'], "")
    );
    let mut documented = String::new();
    if let Some(section) = &s.section {
        let _ = write!(documented, "  see {section}");
    }
    if let Some(source) = &s.source {
        let _ = write!(documented, "\n  source: {}", one_line(source));
    }
    let _ = writeln!(out, "DOCUMENTED={}", sh_quote(&documented));
    out.push_str(PRELUDE);
    for (i, step) in repro.steps.iter().enumerate().take(last + 1) {
        let n = i + 1;
        let op = &step.operation;
        let _ = writeln!(out, "\n# {n}. {op}");
        if step.wait > 0 {
            let _ = writeln!(
                out,
                "sleep {}   # the scenario lets this much time pass",
                step.wait
            );
        }
        for p in &step.prepare {
            let _ = match p {
                Prepare::Code { var, secret, kind } => match kind {
                    CodeKind::Fresh => writeln!(out, "fresh_code {var} \"${secret}\""),
                    CodeKind::Offset(k) => writeln!(out, "offset_code {var} \"${secret}\" {k}"),
                    CodeKind::Wrong => writeln!(out, "wrong_code {var} \"${secret}\""),
                },
                Prepare::Password { var } => {
                    writeln!(out, "{var}=\"$(password)\"; secret \"${var}\"")
                }
                Prepare::SecretHash {
                    var,
                    username,
                    client_id,
                    client_secret,
                } => writeln!(
                    out,
                    "{var}=\"$(secret_hash \"{username}\" \"${client_id}\" \"${client_secret}\")\"; secret \"${var}\""
                ),
            };
        }
        let _ = writeln!(out, "cat > \"$WORK/in.json\" <<JSON\n{}\nJSON", step.input);
        let checks: Vec<Check> = match (repro.expected.get(i), repro.observed.get(i)) {
            (Some(e), Some(o)) if Some(i) == judged => {
                let mut checks = differences(e, o);
                let outcome = checks
                    .iter()
                    .any(|c| matches!(c, Check::Success | Check::Error { .. }));
                if !outcome {
                    checks.insert(0, outcome_check(e));
                }
                checks
            }
            (Some(e), _) => vec![outcome_check(e)],
            (None, _) => Vec::new(),
        };
        let queries: Vec<(String, String)> = checks.iter().filter_map(query_of).collect();
        let mut fields: Vec<String> = step.captures.iter().map(|c| c.path.clone()).collect();
        fields.extend(queries.iter().map(|(q, _)| q.clone()));
        let query = if fields.is_empty() {
            "`null`".to_owned()
        } else {
            format!("[{}]", fields.join(", "))
        };
        let _ = writeln!(out, "call {n} {} {}", cli_command(op), sh_quote(&query));
        for check in &checks {
            let _ = match check {
                Check::Success => writeln!(out, "expect_success {n} {op}"),
                Check::Error {
                    r#type,
                    message: None,
                } => writeln!(out, "expect_error {n} {op} {}", sh_quote(r#type)),
                Check::Error {
                    r#type,
                    message: Some(m),
                } => writeln!(
                    out,
                    "expect_error {n} {op} {} {}",
                    sh_quote(r#type),
                    sh_quote(m)
                ),
                Check::Present { .. } | Check::Value { .. } => Ok(()),
            };
        }
        let queried = checks.iter().filter(|c| query_of(c).is_some());
        for (k, (check, (_, want))) in queried.zip(&queries).enumerate() {
            let field = step.captures.len() + k;
            let _ = match check {
                Check::Present { path } => writeln!(
                    out,
                    "expect_present {n} {op} {} \"${{OUT[{field}]:-}}\"",
                    sh_quote(path)
                ),
                Check::Value { path, .. } => writeln!(
                    out,
                    "expect_value {n} {op} {} {} \"${{OUT[{field}]:-}}\"",
                    sh_quote(path),
                    sh_quote(want)
                ),
                Check::Success | Check::Error { .. } => Ok(()),
            };
        }
        for (k, c) in step.captures.iter().enumerate() {
            let _ = write!(out, "{}=\"${{OUT[{k}]:-}}\"", c.var);
            if c.secret {
                let _ = write!(out, "; secret \"${}\"", c.var);
            }
            if c.path == "UserPool.Id" {
                let _ = write!(out, "; POOL_IDS+=(\"${}\")", c.var);
            } else if c.path.ends_with("ClientId") {
                let _ = write!(out, "; CLIENT_IDS+=(\"${}\")", c.var);
            }
            out.push('\n');
        }
        if let Some(domain) = &step.domain {
            let _ = writeln!(
                out,
                "[ \"$STATUS\" = ok ] && DOMAINS+=(\"{}\")",
                domain.replace('"', "\\\"")
            );
        }
    }
    let steps = match last + 1 {
        1 => "1 step".to_owned(),
        n => format!("{n} steps"),
    };
    let _ = writeln!(
        out,
        "\necho \"every answer was as AWS documents ({steps})\"\nexit 0"
    );
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The script's file name for a scenario id: `<id>.sh`, outline brackets kept.
#[must_use]
pub fn file_stem(id: &str) -> String {
    let json = crate::report::snapshot::file_name(id);
    format!("{}.sh", json.trim_end_matches(".json"))
}

/// Where the behaviour reference states what a scenario's `@doc:<TAG>` documents: the
/// section that first cites `[TAG]` (`docs/behaviour.md §2.3 AssociateSoftwareToken (no
/// SigV4)`), and the source row (`TAG, title: address`).
#[must_use]
pub fn documented(behaviour: &str, tag: &str) -> (Option<String>, Option<String>) {
    let cited = format!("[{tag}]");
    let mut heading: Option<&str> = None;
    let mut section = None;
    let mut source = None;
    for line in behaviour.lines() {
        if let Some(h) = line
            .strip_prefix("### ")
            .or_else(|| line.strip_prefix("## "))
        {
            heading = Some(h.trim());
        } else if section.is_none() && line.contains(&cited) {
            section = heading.map(|h| format!("docs/behaviour.md §{h}"));
        }
        let row = format!("| `{tag}` |");
        if let Some(rest) = line.strip_prefix(&row) {
            let cells: Vec<&str> = rest.split('|').map(str::trim).collect();
            if let [title, address, ..] = cells.as_slice() {
                source = Some(format!("{tag}, {title}: {address}"));
            }
        }
    }
    (section, source)
}

/// An answer in words: `NotAuthorizedException: Invalid Access Token`, or `success` with
/// its keys.
fn answer_in_words(r: &Response) -> String {
    match &r.r#type {
        Some(t) => match &r.message {
            Some(m) => format!("{t}: {m}"),
            None => t.clone(),
        },
        None => match r.shape.as_ref().and_then(Value::as_object) {
            Some(map) if !map.is_empty() => {
                let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                format!("success ({})", keys.join(", "))
            }
            _ => "success".to_owned(),
        },
    }
}

/// Writes a script, executable (0755 where files have modes).
///
/// # Errors
/// The file cannot be written or its mode set.
pub fn write_script(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))?;
    }
    Ok(())
}

/// Where the target first differs, in one line: `step 4 of 9, AssociateSoftwareToken: AWS
/// documents …; the target answered …`. `None` when no answer differs.
#[must_use]
pub fn difference_line(repro: &Repro) -> Option<String> {
    let at = first_difference(repro)?;
    let expected = repro.expected.get(at)?;
    let documented = answer_in_words(expected);
    let (documented, observed) = match repro.observed.get(at) {
        None => (documented, "nothing".to_owned()),
        // Both succeed: what differs is inside — keys the target left out, values it
        // answered otherwise.
        Some(o) if expected.r#type.is_none() && o.r#type.is_none() => {
            let mut got = Vec::new();
            if let Some(shape) = &o.shape {
                leaves(shape, "", &mut got);
            }
            let seen = |path: &str| {
                got.iter()
                    .find(|(p, _)| p == path)
                    .and_then(|(_, v)| v.clone())
            };
            let mut lacks = Vec::new();
            let mut values = Vec::new();
            for check in differences(expected, o) {
                match check {
                    Check::Present { path } => lacks.push(path),
                    Check::Value { path, value } => match seen(&path) {
                        Some(v) => values.push(format!("{path} is {v}, not {value}")),
                        None => lacks.push(path),
                    },
                    Check::Success | Check::Error { .. } => {}
                }
            }
            let mut what = values;
            if !lacks.is_empty() {
                let more = lacks.len().saturating_sub(4);
                lacks.truncate(4);
                what.push(format!(
                    "its answer lacks {}{}",
                    lacks.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                ));
            }
            return Some(format!(
                "step {} of {}, {}: both succeed, but {}",
                at + 1,
                repro.steps.len(),
                repro.steps[at].operation,
                what.join("; ")
            ));
        }
        Some(o) => (documented, answer_in_words(o)),
    };
    Some(format!(
        "step {} of {}, {}: AWS documents {}; the target answered {}",
        at + 1,
        repro.steps.len(),
        repro.steps[at].operation,
        one_line(&documented),
        one_line(&observed)
    ))
}

/// A bug report for the target's tracker, ready to paste: the title, what differs (what AWS
/// documents, with its section and source, and what the target answered), the script as
/// the steps, the version. Made from the reproduction alone: no secret, no run id.
#[must_use]
pub fn issue_text(repro: &Repro) -> String {
    let s = &repro.scenario;
    let target = match &repro.target.version {
        Some(v) => format!("{} {v}", repro.target.name),
        None => repro.target.name.clone(),
    };
    let mut out = String::new();
    let Some(at) = first_difference(repro) else {
        let _ = writeln!(
            out,
            "{target} now answers `{}` as AWS documents; its expectation entry is stale.",
            s.id
        );
        return out;
    };
    let op = &repro.steps[at].operation;
    let documented = repro
        .expected
        .get(at)
        .map(answer_in_words)
        .unwrap_or_default();
    let observed = repro
        .observed
        .get(at)
        .map(answer_in_words)
        .unwrap_or_default();
    let what = differences(
        &repro.expected[at],
        repro.observed.get(at).unwrap_or(&repro.expected[at]),
    )
    .first()
    .map(Check::documented)
    .unwrap_or_default();
    let _ = writeln!(out, "# {op}: {what} ({target} differs from AWS)\n");
    let _ = writeln!(out, "## What happens\n");
    let _ = writeln!(
        out,
        "{}. At step {} of {}, `{op}`:\n",
        one_line(&s.name),
        at + 1,
        repro.steps.len()
    );
    let _ = writeln!(out, "- **AWS documents:** {documented}");
    if let Some(section) = &s.section {
        let _ = writeln!(out, "  ({section} in mfaspec)");
    }
    if let Some(source) = &s.source {
        let _ = writeln!(out, "  Source: {}", one_line(source));
    }
    let _ = writeln!(out, "- **{target} answers:** {observed}\n");
    let _ = writeln!(out, "## Steps to reproduce\n");
    let _ = writeln!(
        out,
        "With {target} running, save the script below as `repro.sh` and run `bash repro.sh ENDPOINT`\n\
         (it needs the AWS CLI, and `oathtool` or `mfaspec` for the TOTP codes). It makes its own\n\
         pool, calls the API step by step, deletes the pool, and exits 1 at the step that differs.\n"
    );
    let _ = writeln!(out, "```bash\n{}```\n", render(repro));
    let _ = writeln!(out, "## Environment\n");
    let _ = writeln!(
        out,
        "- {target}\n- Found by the mfaspec conformance suite, scenario `{}` ({})",
        s.id, s.feature
    );
    out
}
