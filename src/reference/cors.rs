//! CORS as AWS's Cognito endpoint answers browsers, so that an app in a page (Amplify JS,
//! the Authenticator) can call `mfaspec serve` (docs/behaviour.md §1).
//!
//! A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from an allowed
//! origin is answered 200 with an empty body: `Access-Control-Allow-Origin: *`, the
//! requested headers echoed as they came, the requested method, `Access-Control-Max-Age:
//! 172800`, and the exposed headers. Every other answer to an allowed origin carries
//! `Access-Control-Allow-Origin: *` and `Access-Control-Expose-Headers:
//! x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date` (what the SDKs read). No
//! credentials are allowed: Amplify sends none. The same for the JSON API, the hosted UI's
//! token and userInfo endpoints, the JWKS and the discovery document.
//!
//! Which origins: AWS answers any; `serve` answers loopback origins (`localhost`,
//! `*.localhost`, `127.0.0.1`, `[::1]`, any port, http or https) unless `--cors-origins`
//! says otherwise (a list, `*` for any, or `none`). An origin not allowed gets no CORS
//! header at all, so the browser refuses the answer, as it would a misconfigured server.
//!
//! Owns: the policy. Uses nothing of the endpoint; the HTTP layer (`http.rs`) applies it.

use std::str::FromStr;

/// What `Access-Control-Expose-Headers` lists (as AWS's answers do).
pub const EXPOSED: &str = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date";

/// How long a browser may keep a preflight's answer, seconds (as AWS's answers say).
pub const MAX_AGE: &str = "172800";

/// Which origins get CORS answers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Origins {
    /// Pages served from this machine: `localhost`, `*.localhost`, `127.0.0.1`, `[::1]`.
    #[default]
    Loopback,
    /// Any origin, as AWS.
    Any,
    /// Exactly these (`scheme://host[:port]`, compared without case).
    List(Vec<String>),
    /// None: no CORS header is ever sent (a browser cannot call the endpoint).
    Nothing,
}

/// A `--cors-origins` value that is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid origin {0:?}: expected `loopback`, `*`, `none`, or a comma-separated list of origins like http://localhost:3000"
)]
pub struct OriginsError(String);

impl FromStr for Origins {
    type Err = OriginsError;

    fn from_str(s: &str) -> Result<Origins, OriginsError> {
        match s.trim() {
            "loopback" => Ok(Origins::Loopback),
            "*" => Ok(Origins::Any),
            "none" => Ok(Origins::Nothing),
            list => list
                .split(',')
                .map(str::trim)
                .map(|o| {
                    let o = o.trim_end_matches('/');
                    origin_parts(o)
                        .map(|_| o.to_ascii_lowercase())
                        .ok_or_else(|| OriginsError(o.to_owned()))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Origins::List),
        }
    }
}

/// `(scheme, host)` of `scheme://host[:port]`, if that is what `origin` is.
fn origin_parts(origin: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = origin.split_once("://")?;
    if !matches!(scheme, "http" | "https") || rest.is_empty() || rest.contains('/') {
        return None;
    }
    let host = if let Some(v6) = rest.strip_prefix('[') {
        &rest[..v6.find(']')? + 2]
    } else {
        rest.rsplit_once(':').map_or(rest, |(h, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) {
                h
            } else {
                rest
            }
        })
    };
    (!host.is_empty()).then_some((scheme, host))
}

impl Origins {
    /// Whether a page of `origin` may read the endpoint's answers.
    #[must_use]
    pub fn allows(&self, origin: &str) -> bool {
        match self {
            Origins::Any => true,
            Origins::Nothing => false,
            Origins::List(list) => list.iter().any(|o| o.eq_ignore_ascii_case(origin)),
            Origins::Loopback => origin_parts(origin).is_some_and(|(_, host)| {
                let host = host.to_ascii_lowercase();
                host == "localhost"
                    || host.ends_with(".localhost")
                    || host == "127.0.0.1"
                    || host == "[::1]"
            }),
        }
    }

    /// The headers of a preflight's answer, or `None` when `origin` is not allowed.
    #[must_use]
    pub fn preflight(
        &self,
        origin: &str,
        method: &str,
        headers: Option<&str>,
    ) -> Option<Vec<(&'static str, String)>> {
        if !self.allows(origin) {
            return None;
        }
        let mut out = vec![
            ("access-control-allow-origin", "*".to_owned()),
            ("access-control-allow-methods", method.to_owned()),
            ("access-control-expose-headers", EXPOSED.to_owned()),
            ("access-control-max-age", MAX_AGE.to_owned()),
        ];
        if let Some(h) = headers {
            out.push(("access-control-allow-headers", h.to_owned()));
        }
        Some(out)
    }

    /// The headers every other answer to `origin` carries, or `None` when it is not allowed.
    #[must_use]
    pub fn answer(&self, origin: &str) -> Option<[(&'static str, &'static str); 2]> {
        self.allows(origin).then_some([
            ("access-control-allow-origin", "*"),
            ("access-control-expose-headers", EXPOSED),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::Origins;

    #[test]
    fn loopback_origins_are_allowed_and_others_not() {
        let o = Origins::Loopback;
        for yes in [
            "http://localhost:3000",
            "http://localhost",
            "https://app.localhost:8443",
            "http://127.0.0.1:5173",
            "http://[::1]:8080",
        ] {
            assert!(o.allows(yes), "{yes}");
        }
        for no in [
            "https://example.com",
            "http://localhost.example.com",
            "http://127.0.0.2",
            "null",
            "file://",
            "http://evil.com:80@localhost",
        ] {
            assert!(!o.allows(no), "{no}");
        }
    }

    #[test]
    fn the_flag_reads_lists_any_and_none() {
        assert_eq!("*".parse(), Ok(Origins::Any));
        assert_eq!("none".parse(), Ok(Origins::Nothing));
        assert_eq!(
            "http://a.test:3000, https://B.test/".parse(),
            Ok(Origins::List(vec![
                "http://a.test:3000".into(),
                "https://b.test".into()
            ]))
        );
        assert!("localhost:3000".parse::<Origins>().is_err());
        let list: Origins = "http://a.test:3000".parse().unwrap();
        assert!(list.allows("http://a.test:3000") && !list.allows("http://a.test:3001"));
        assert!(
            Origins::Nothing
                .preflight("http://localhost", "POST", None)
                .is_none()
        );
    }

    #[test]
    fn a_preflight_echoes_the_requested_headers_and_method() {
        let h = Origins::Loopback
            .preflight(
                "http://localhost:3000",
                "POST",
                Some("cache-control,content-type,x-amz-target,x-amz-user-agent"),
            )
            .unwrap();
        let get = |n: &str| h.iter().find(|(k, _)| *k == n).map(|(_, v)| v.as_str());
        assert_eq!(get("access-control-allow-origin"), Some("*"));
        assert_eq!(get("access-control-allow-methods"), Some("POST"));
        assert_eq!(
            get("access-control-allow-headers"),
            Some("cache-control,content-type,x-amz-target,x-amz-user-agent")
        );
        assert_eq!(get("access-control-max-age"), Some("172800"));
    }
}
