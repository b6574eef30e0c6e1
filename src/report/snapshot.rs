//! Recorded responses: every answer a scenario got, normalised so that two runs (or two
//! targets) compare — status, `__type`, message and the *shape* of the body, with ids,
//! secrets, tokens, sessions, names and times replaced by stable placeholders. A run writes
//! them to `<report>/<target>/responses/`; `mfaspec run --record DIR` writes them to DIR too
//! (a run against AWS becomes `fixtures/snapshots/aws/`), and `mfaspec diff` compares.
//!
//! Owns: the normalised response model, `responses/` and `diff`. Uses: [`crate::vocabulary`],
//! the client's error type and secrets ([`crate::cognito`]).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::cognito::CognitoError;
use crate::report::json_file::{JsonFileError, read_error};
use crate::vocabulary::Operation;

/// One answer, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// The operation called.
    pub operation: String,
    /// HTTP status (0 when no answer arrived).
    pub status: u16,
    /// The exception name, for an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// The message, normalised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The body's shape, for a success: every key, with values replaced by placeholders
    /// except the enumerations that carry meaning (ChallengeName, Status, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<Value>,
}

/// What the scenario knows that a message may mention.
#[derive(Debug, Default, Clone, Copy)]
pub struct Known<'a> {
    /// The scenario's pool id.
    pub pool_id: Option<&'a str>,
    /// The scenario's app client id.
    pub client_id: Option<&'a str>,
    /// The run's secrets, scrubbed from every message.
    pub secrets: Option<&'a crate::cognito::Secrets>,
}

/// Keys whose string values are enumerations, kept as they are.
const ENUM_KEYS: &[&str] = &[
    "ChallengeName",
    "Status",
    "TokenType",
    "MfaConfiguration",
    "PreferredMfaSetting",
    "UserStatus",
    "UserMFASettingList",
    "ExplicitAuthFlows",
    "Enabled",
    "DeliveryMedium",
    "AttributeName",
    "UserPoolTier",
];

impl Response {
    /// Normalises an answer.
    #[must_use]
    pub fn of(op: Operation, answer: &Result<Value, CognitoError>, known: &Known<'_>) -> Response {
        match answer {
            Ok(body) => Response {
                operation: op.name().to_owned(),
                status: 200,
                r#type: None,
                message: None,
                shape: Some(shape(body, None)),
            },
            Err(e) => Response {
                operation: op.name().to_owned(),
                status: e.http_status,
                r#type: Some(e.kind.name().to_owned()),
                message: Some(normalise_message(&e.message, known)),
                shape: None,
            },
        }
    }
}

impl Response {
    /// A raw answer (a malformed request's) to the operation named `operation`.
    #[must_use]
    pub fn raw(operation: &str, status: u16, body: &Value, known: &Known<'_>) -> Response {
        let text = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_owned);
        if (200..300).contains(&status) {
            return Response {
                operation: operation.to_owned(),
                status,
                r#type: None,
                message: None,
                shape: Some(shape(body, None)),
            };
        }
        Response {
            operation: operation.to_owned(),
            status,
            r#type: text("__type").map(|t| t.rsplit('#').next().unwrap_or("").to_owned()),
            message: text("message")
                .or_else(|| text("Message"))
                .map(|m| normalise_message(&m, known)),
            shape: None,
        }
    }
}

/// The shape of a JSON value: objects keep their keys, arrays their first element's shape
/// (and whether they are empty), strings become `<string>` (or `<token>`, `<time>`…) unless
/// their key is an enumeration, numbers `<number>`, booleans and null stay.
fn shape(value: &Value, key: Option<&str>) -> Value {
    let keep = key.is_some_and(|k| ENUM_KEYS.contains(&k));
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                // ChallengeParameters: keys are the meaning, values are data.
                out.insert(k.clone(), shape(v, Some(k)));
            }
            Value::Object(out)
        }
        Value::Array(items) if keep => {
            let mut items: Vec<Value> = items.iter().map(|v| shape(v, key)).collect();
            items.sort_by_key(ToString::to_string);
            Value::Array(items)
        }
        Value::Array(items) => match items.first() {
            None => Value::Array(vec![]),
            Some(first) => Value::Array(vec![shape(first, None)]),
        },
        Value::String(s) if keep => Value::String(s.clone()),
        Value::String(s) => Value::String(placeholder_for(s, key).into()),
        Value::Number(_) => Value::String("<number>".into()),
        Value::Bool(_) | Value::Null => value.clone(),
    }
}

fn placeholder_for(s: &str, key: Option<&str>) -> &'static str {
    match key {
        Some("AccessToken" | "IdToken" | "RefreshToken") => "<token>",
        Some("Session") => "<session>",
        Some("SecretCode" | "ClientSecret") => "<secret>",
        Some(k) if k.ends_with("Date") => "<time>",
        _ if s.starts_with("eyJ") => "<token>",
        _ => "<string>",
    }
}

/// A message with the run's names, ids, secrets and times replaced by placeholders.
#[must_use]
pub fn normalise_message(message: &str, known: &Known<'_>) -> String {
    let scrubbed = known.secrets.map_or_else(
        || crate::cognito::scrub_tokens(message),
        |secrets| secrets.scrub(message),
    );
    let mut out = String::with_capacity(scrubbed.len());
    let mut word = String::new();
    let word_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-');
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            out.push_str(&placeholder_word(word, known));
            word.clear();
        }
    };
    for c in scrubbed.chars() {
        if word_char(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn placeholder_word(word: &str, known: &Known<'_>) -> String {
    if Some(word) == known.pool_id || is_pool_id(word) {
        "<pool-id>".into()
    } else if Some(word) == known.client_id {
        "<client-id>".into()
    } else if word.starts_with(crate::cognito::PREFIX) {
        if word.contains("-user-") {
            "<username>".into()
        } else {
            "<name>".into()
        }
    } else if word.len() >= 9 && word.chars().all(|c| c.is_ascii_digit()) {
        "<time>".into()
    } else {
        word.to_owned()
    }
}

/// `<region>_<id>`, as `us-east-1_AbCdEf123`.
pub(crate) fn is_pool_id(word: &str) -> bool {
    let Some((region, id)) = word.split_once('_') else {
        return false;
    };
    region.split('-').count() >= 3
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.is_empty()
        && id.chars().all(|c| c.is_ascii_alphanumeric())
}

/// A scenario's recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recording {
    /// The scenario's id.
    pub id: String,
    /// The target it was recorded against.
    pub target: String,
    /// Its answers, in order.
    pub responses: Vec<Response>,
}

/// A file name for a scenario id (outline rows keep their brackets).
#[must_use]
pub fn file_name(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '[' | ']' | ',') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.json")
}

/// Writes `recording` into `dir`.
pub fn write(dir: &Path, recording: &Recording) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let json = serde_json::to_string_pretty(recording).map_err(std::io::Error::other)?;
    std::fs::write(dir.join(file_name(&recording.id)), json + "\n")
}

/// Every recording in `dir` (a report folder's `responses/` is looked into when `dir` has
/// one), by scenario id.
pub fn read_dir(dir: &Path) -> Result<BTreeMap<String, Recording>, JsonFileError> {
    let dir = if dir.join("responses").is_dir() {
        dir.join("responses")
    } else {
        dir.to_owned()
    };
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).map_err(read_error(&dir))? {
        let path = entry.map_err(read_error(&dir))?.path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let recording: Recording = crate::report::json_file::read(&path)?;
        out.insert(recording.id.clone(), recording);
    }
    Ok(out)
}

/// Where a target's answers differ from a recording's, one line each (empty: none).
#[must_use]
pub fn diff(
    recorded: &BTreeMap<String, Recording>,
    observed: &BTreeMap<String, Recording>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (id, want) in recorded {
        let Some(got) = observed.get(id) else {
            out.push(format!(
                "{id}: recorded, but the report has no such scenario"
            ));
            continue;
        };
        let n = want.responses.len().max(got.responses.len());
        for i in 0..n {
            match (want.responses.get(i), got.responses.get(i)) {
                (Some(w), Some(g)) if w == g => {}
                (Some(w), Some(g)) => {
                    let mut parts = Vec::new();
                    if w.operation != g.operation {
                        parts.push(format!("operation {} ≠ {}", w.operation, g.operation));
                    }
                    if w.status != g.status {
                        parts.push(format!("status {} ≠ {}", w.status, g.status));
                    }
                    if w.r#type != g.r#type {
                        parts.push(format!(
                            "__type {} ≠ {}",
                            w.r#type.as_deref().unwrap_or("(none)"),
                            g.r#type.as_deref().unwrap_or("(none)")
                        ));
                    }
                    if w.message != g.message {
                        parts.push(format!(
                            "message {:?} ≠ {:?}",
                            w.message.as_deref().unwrap_or(""),
                            g.message.as_deref().unwrap_or("")
                        ));
                    }
                    if w.shape != g.shape {
                        parts.push(shape_diff(w.shape.as_ref(), g.shape.as_ref()));
                    }
                    out.push(format!(
                        "{id} #{} {}: {}",
                        i + 1,
                        w.operation,
                        parts.join("; ")
                    ));
                }
                (Some(w), None) => out.push(format!(
                    "{id} #{} {}: recorded, but the target made no such call",
                    i + 1,
                    w.operation
                )),
                (None, Some(g)) => out.push(format!(
                    "{id} #{} {}: the target's run made a call the recording does not have",
                    i + 1,
                    g.operation
                )),
                (None, None) => {}
            }
        }
    }
    for id in observed.keys().filter(|id| !recorded.contains_key(*id)) {
        out.push(format!("{id}: in the report, not in the recording"));
    }
    out
}

/// The keys one shape has and the other lacks, or the first value that differs.
fn shape_diff(want: Option<&Value>, got: Option<&Value>) -> String {
    fn paths(v: &Value, prefix: &str, out: &mut BTreeMap<String, String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    paths(v, &format!("{prefix}.{k}"), out);
                }
            }
            Value::Array(items) => {
                if items.is_empty() {
                    out.insert(format!("{prefix}[]"), "empty".into());
                }
                for (i, v) in items.iter().enumerate() {
                    paths(v, &format!("{prefix}[{i}]"), out);
                }
            }
            other => {
                out.insert(prefix.to_owned(), other.to_string());
            }
        }
    }
    let (mut w, mut g) = (BTreeMap::new(), BTreeMap::new());
    if let Some(v) = want {
        paths(v, "", &mut w);
    }
    if let Some(v) = got {
        paths(v, "", &mut g);
    }
    let mut parts = Vec::new();
    for (k, v) in &w {
        match g.get(k) {
            None => parts.push(format!("body lacks {k}")),
            Some(x) if x != v => parts.push(format!("body {k} {v} ≠ {x}")),
            Some(_) => {}
        }
    }
    for k in g.keys().filter(|k| !w.contains_key(*k)) {
        parts.push(format!("body has extra {k}"));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shapes_keep_keys_and_enumerations_and_hide_values() {
        let body = json!({
            "ChallengeName": "SOFTWARE_TOKEN_MFA",
            "Session": "AYABeSECRETSESSION",
            "ChallengeParameters": { "USER_ID_FOR_SRP": "mfaspec-x-user-1", "FRIENDLY_DEVICE_NAME": "BobPhone" },
            "AuthenticationResult": { "AccessToken": "eyJabc", "ExpiresIn": 3600, "TokenType": "Bearer" },
            "UserMFASettingList": ["SOFTWARE_TOKEN_MFA", "SMS_MFA"],
            "UserAttributes": [{ "Name": "sub", "Value": "1234" }, { "Name": "email", "Value": "x" }],
            "UserCreateDate": 1.7e9
        });
        let s = shape(&body, None);
        assert_eq!(s["ChallengeName"], "SOFTWARE_TOKEN_MFA");
        assert_eq!(s["Session"], "<session>");
        assert_eq!(s["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"], "<string>");
        assert_eq!(s["AuthenticationResult"]["AccessToken"], "<token>");
        assert_eq!(s["AuthenticationResult"]["ExpiresIn"], "<number>");
        assert_eq!(s["AuthenticationResult"]["TokenType"], "Bearer");
        assert_eq!(
            s["UserMFASettingList"],
            json!(["SMS_MFA", "SOFTWARE_TOKEN_MFA"])
        );
        assert_eq!(
            s["UserAttributes"],
            json!([{ "Name": "<string>", "Value": "<string>" }])
        );
        assert_eq!(s["UserCreateDate"], "<number>");
        assert!(!s.to_string().contains("SECRETSESSION") && !s.to_string().contains("BobPhone"));
    }

    #[test]
    fn messages_lose_ids_names_and_times() {
        let known = Known {
            pool_id: None,
            client_id: Some("3n4b5urk1ft4fl3mg5e62d9ado"),
            secrets: None,
        };
        assert_eq!(
            normalise_message("User pool us-east-1_AbC123xyz does not exist.", &known),
            "User pool <pool-id> does not exist."
        );
        assert_eq!(
            normalise_message(
                "User mfaspec-r1-user-7 in client 3n4b5urk1ft4fl3mg5e62d9ado at 1764355200",
                &known
            ),
            "User <username> in client <client-id> at <time>"
        );
        assert_eq!(
            normalise_message("Invalid code received for user", &known),
            "Invalid code received for user"
        );
    }

    #[test]
    fn diff_names_scenario_call_and_what_differs() {
        let r = |t: Option<&str>, m: Option<&str>| Response {
            operation: "VerifySoftwareToken".into(),
            status: if t.is_some() { 400 } else { 200 },
            r#type: t.map(Into::into),
            message: m.map(Into::into),
            shape: t.is_none().then(|| json!({ "Status": "SUCCESS" })),
        };
        let rec = |responses| {
            BTreeMap::from([(
                "a.b.c".to_owned(),
                Recording {
                    id: "a.b.c".into(),
                    target: "aws".into(),
                    responses,
                },
            )])
        };
        let aws = rec(vec![
            r(
                Some("EnableSoftwareTokenMFAException"),
                Some("Code mismatch"),
            ),
            r(None, None),
        ]);
        assert!(diff(&aws, &aws).is_empty());
        let emu = rec(vec![
            r(Some("CodeMismatchException"), Some("Code mismatch")),
            r(None, None),
        ]);
        let d = diff(&aws, &emu);
        assert_eq!(
            d,
            vec![
                "a.b.c #1 VerifySoftwareToken: __type EnableSoftwareTokenMFAException ≠ CodeMismatchException"
            ]
        );
        let short = rec(vec![r(
            Some("EnableSoftwareTokenMFAException"),
            Some("Code mismatch"),
        )]);
        assert!(
            diff(&aws, &short)[0]
                .contains("#2 VerifySoftwareToken: recorded, but the target made no such call")
        );
    }
}
