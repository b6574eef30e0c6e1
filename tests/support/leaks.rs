//! What must never be in a report, a script or a results file, as a test looks for it: a
//! run's names and a token.

/// `mfaspec-<8 lower-case letters or digits>-`: the names a run gives what it makes; and
/// the run id as the `mfaspec:run` tag's value.
pub fn has_run_id(text: &str) -> bool {
    let tagged = text.match_indices("\"mfaspec:run\": \"").any(|(i, m)| {
        text[i + m.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
    });
    tagged
        || text.match_indices("mfaspec-").any(|(i, _)| {
            let rest = &text[i + 8..];
            rest.len() > 9
                && rest[..8]
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                && rest.as_bytes()[8] == b'-'
        })
}

/// A JWT: Base64url `{"` and a run of token characters. (A script's own scrubbing pattern,
/// `eyJ[A-Za-z0-9._=+/-]{17,}`, is not one.)
pub fn has_token(text: &str) -> bool {
    text.match_indices("eyJ").any(|(i, _)| {
        text[i..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .count()
            > 12
    })
}
