//! AWS JSON 1.1 framing for the reference endpoint: which operation a request names, its
//! body as typed members, and errors as Cognito sends them (`{"__type","message"}`, HTTP
//! 400). Malformed requests become the errors a real client expects, never a 500.
//!
//! Owns: framing, typed member getters and AWS's validation wording. Uses:
//! [`crate::vocabulary`].

use serde_json::{Map, Value};

use crate::vocabulary::{Exception, Operation, message};

/// Requests larger than this are refused before they are parsed.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// An error answer: the exception and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The `__type`.
    pub exception: Exception,
    /// The `message`.
    pub message: String,
}

impl ApiError {
    /// An error of `exception` with `message`.
    pub fn new(exception: Exception, message: impl Into<String>) -> ApiError {
        ApiError {
            exception,
            message: message.into(),
        }
    }

    /// The JSON body.
    #[must_use]
    pub fn body(&self) -> Value {
        serde_json::json!({ "__type": self.exception.name(), "message": self.message })
    }
}

/// Shorthand for the handlers.
pub type ApiResult<T> = Result<T, ApiError>;

/// `InvalidParameterException` with a message.
pub fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(Exception::InvalidParameter, message)
}

/// `NotAuthorizedException` with a message.
pub fn not_authorized(message: impl Into<String>) -> ApiError {
    ApiError::new(Exception::NotAuthorized, message)
}

/// Reads the operation from `X-Amz-Target`.
pub fn operation(target: Option<&str>) -> ApiResult<Operation> {
    let Some(target) = target else {
        return Err(ApiError::new(
            Exception::UnknownOperation,
            "Missing X-Amz-Target header",
        ));
    };
    let name = target
        .strip_prefix(crate::vocabulary::TARGET_PREFIX)
        .and_then(|rest| rest.strip_prefix('.'))
        .unwrap_or("");
    name.parse().map_err(|()| {
        ApiError::new(
            Exception::UnknownOperation,
            format!("Unknown operation {}", bounded(target)),
        )
    })
}

/// Checks the media type: AWS JSON 1.1 (1.0 is tolerated, as AWS's front ends do).
pub fn content_type(value: Option<&str>) -> ApiResult<()> {
    let media = value
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match media.as_str() {
        "application/x-amz-json-1.1" | "application/x-amz-json-1.0" => Ok(()),
        _ => Err(ApiError::new(
            Exception::Serialization,
            format!(
                "Unsupported Content-Type '{}': expected {}",
                bounded(value.unwrap_or("")),
                crate::vocabulary::CONTENT_TYPE
            ),
        )),
    }
}

/// A request body: a JSON object whose members the handler reads with typed getters.
#[derive(Debug)]
pub struct Input {
    members: Map<String, Value>,
}

/// The wire name of a member in validation messages: lower camel case (`UserPoolId` →
/// `userPoolId`), as AWS's validation layer writes it.
pub(super) fn camel(member: &str) -> String {
    let mut chars = member.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A client's string as an error message echoes it: at most 128 characters, so that a
/// megabyte of member name or header never comes back in an answer or a log.
#[must_use]
pub fn bounded(text: &str) -> String {
    const MAX: usize = 128;
    if text.chars().count() > MAX {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    } else {
        text.to_owned()
    }
}

/// One failed constraint, in AWS's validation wording.
#[must_use]
pub fn constraint(value: Option<&str>, member: &str, constraint: &str) -> String {
    let shown = value.map_or_else(|| "null".to_owned(), |v| format!("'{}'", bounded(v)));
    format!(
        "Value {shown} at '{}' failed to satisfy constraint: {constraint}",
        camel(member)
    )
}

/// InvalidParameterException listing every failed constraint.
#[must_use]
pub fn validation(failures: &[String]) -> ApiError {
    let n = failures.len();
    let noun = if n == 1 { "error" } else { "errors" };
    invalid(format!(
        "{n} validation {noun} detected: {}",
        failures.join("; ")
    ))
}

fn type_error(member: &str, expected: &str) -> ApiError {
    ApiError::new(
        Exception::Serialization,
        format!("Member {member} must be {expected}"),
    )
}

impl Input {
    /// Parses a body. Empty means `{}`.
    pub fn parse(body: &[u8]) -> ApiResult<Input> {
        if body.len() > MAX_BODY_BYTES {
            return Err(ApiError::new(
                Exception::Serialization,
                format!(
                    "Request body of {} bytes exceeds {MAX_BODY_BYTES} bytes",
                    body.len()
                ),
            ));
        }
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Input {
                members: Map::new(),
            });
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(members)) => Ok(Input { members }),
            Ok(_) => Err(ApiError::new(
                Exception::Serialization,
                "Request body must be a JSON object",
            )),
            Err(e) => Err(ApiError::new(
                Exception::Serialization,
                format!("Request body is not valid JSON: {e}"),
            )),
        }
    }

    /// Refuses members the operation does not have.
    pub fn allow(&self, known: &[&str]) -> ApiResult<()> {
        self.allow_except(known, &[])
    }

    /// Refuses members the operation does not have: those not in `known`, and those in
    /// `but_not` (for operations that share a member list but one or two of its members).
    pub fn allow_except(&self, known: &[&str], but_not: &[&str]) -> ApiResult<()> {
        match self
            .members
            .keys()
            .find(|k| !known.contains(&k.as_str()) || but_not.contains(&k.as_str()))
        {
            Some(unknown) => Err(ApiError::new(
                Exception::Serialization,
                format!("Unknown member {}", bounded(unknown)),
            )),
            None => Ok(()),
        }
    }

    fn get(&self, member: &str) -> Option<&Value> {
        self.members.get(member).filter(|v| !v.is_null())
    }

    /// A member as it was sent, for echoing back.
    #[must_use]
    pub fn get_raw(&self, member: &str) -> Option<Value> {
        self.get(member).cloned()
    }

    /// A required string member.
    pub fn string(&self, member: &str) -> ApiResult<&str> {
        self.opt_string(member)?
            .ok_or_else(|| validation(&[constraint(None, member, "Member must not be null")]))
    }

    /// An optional string member.
    pub fn opt_string(&self, member: &str) -> ApiResult<Option<&str>> {
        match self.get(member) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(type_error(member, "a string")),
        }
    }

    /// An optional boolean member.
    pub fn opt_bool(&self, member: &str) -> ApiResult<Option<bool>> {
        match self.get(member) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(type_error(member, "a boolean")),
        }
    }

    /// An optional integer member.
    pub fn opt_integer(&self, member: &str) -> ApiResult<Option<i64>> {
        match self.get(member) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| type_error(member, "an integer")),
            Some(_) => Err(type_error(member, "an integer")),
        }
    }

    /// An optional list of strings.
    pub fn opt_strings(&self, member: &str) -> ApiResult<Option<Vec<String>>> {
        match self.get(member) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(Some)
                .ok_or_else(|| type_error(member, "a list of strings")),
            Some(_) => Err(type_error(member, "a list of strings")),
        }
    }

    /// An optional map of strings to strings (`AuthParameters`, `ChallengeResponses`).
    pub fn opt_string_map(&self, member: &str) -> ApiResult<Option<Map<String, Value>>> {
        match self.get(member) {
            None => Ok(None),
            Some(Value::Object(map)) if map.values().all(Value::is_string) => Ok(Some(map.clone())),
            Some(_) => Err(type_error(member, "a map of strings")),
        }
    }

    /// An optional structure, returned as its own `Input` so its members are typed too.
    pub fn opt_struct(&self, member: &str) -> ApiResult<Option<Input>> {
        match self.get(member) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Input {
                members: map.clone(),
            })),
            Some(_) => Err(type_error(member, "a structure")),
        }
    }

    /// An optional list of `{Name, Value}` attributes.
    pub fn opt_attributes(&self, member: &str) -> ApiResult<Option<Vec<(String, String)>>> {
        match self.get(member) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| {
                    let name = item.get("Name").and_then(Value::as_str)?;
                    let value = item.get("Value").and_then(Value::as_str).unwrap_or("");
                    Some((name.to_owned(), value.to_owned()))
                })
                .collect::<Option<Vec<_>>>()
                .map(Some)
                .ok_or_else(|| type_error(member, "a list of {Name, Value} attributes")),
            Some(_) => Err(type_error(member, "a list of attributes")),
        }
    }
}

/// A string from a `Map` of strings (checked by `opt_string_map`).
#[must_use]
pub fn map_str<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.get(key).and_then(Value::as_str)
}

/// A page of `items` (ListUserPools, ListUsers, ListDevices) after the position named by `token` (an index the endpoint handed out).
/// A limit of 0 means the default page of 60 (ListUsers' `Limit` may be 0): a page never
/// hands back the token it was given, so paging always ends.
pub fn page<T: Clone>(
    items: &[T],
    token: Option<&str>,
    limit: usize,
) -> ApiResult<(Vec<T>, Option<String>)> {
    let start = match token {
        None => 0,
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|&i| i <= items.len())
            .ok_or_else(|| invalid(message::INVALID_PAGINATION_TOKEN))?,
    };
    let limit = if limit == 0 { 60 } else { limit };
    let end = start.saturating_add(limit).min(items.len());
    let next = (end < items.len()).then(|| end.to_string());
    Ok((items[start..end].to_vec(), next))
}
