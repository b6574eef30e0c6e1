//! The case catalogue: RFC 4226 Appendix D, RFC 6238 Appendix B, the cases where real
//! implementations disagree (shared/research/totp-implementations.md §3), and a random
//! differential. Every expected code is computed here by mfaspec's own core, from the RFC's
//! definition; the research's published values are fixtures that check the core
//! (`fixture`), never the source of an expectation.
//!
//! By part: `case` (the model and its builders), `reference` (the RFCs' readings), `fixed`
//! (the table), `random` (the differential).
//!
//! Owns: the cases and what each accepts. Uses: [`crate::totp`].

mod case;
mod fixed;
mod random;
mod reference;

pub use case::{Case, Expect};
pub use fixed::fixed;
pub use random::random;
pub use reference::{K20, reference_code, reference_verdict, step as reference_step};

#[cfg(test)]
mod tests {
    use super::case::verify;
    use super::*;
    use crate::otpcheck::protocol::KeyEncoding;

    /// The research's and the RFCs' printed values agree with the core — the core is what the
    /// catalogue expects, so this is the core's test, not the catalogue's source.
    #[test]
    fn the_core_reproduces_every_published_value() {
        let cases = fixed();
        assert!(cases.len() >= 60, "{}", cases.len());
        for case in &cases {
            if let Some(fixture) = &case.fixture {
                let computed = match &case.expect {
                    Expect::Code(c) | Expect::CodeOrReject(c) => c.as_str(),
                    other => panic!("{}: a fixture but {other:?}", case.id),
                };
                assert_eq!(computed, fixture, "{}", case.id);
            }
        }
        let mut ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), cases.len(), "ids are unique");
    }

    /// The verdicts the core computes for the verify cases are the ones worked out by hand
    /// from RFC 6238 §5.2 (the step codes: 0 → 84755224, 1 → 94287082, 2 → 37359152).
    #[test]
    fn verify_cases_expect_the_verdicts_worked_out_by_hand() {
        let cases = fixed();
        let expect = |id: &str| {
            cases
                .iter()
                .find(|c| c.id == format!("verify.{id}"))
                .unwrap_or_else(|| panic!("no verify.{id}"))
                .expect
                .clone()
        };
        for id in [
            "exact",
            "leading_zero",
            "behind",
            "ahead",
            "step0",
            "default_now",
        ] {
            assert_eq!(expect(id), Expect::Accept, "{id}");
        }
        for id in ["zero_dropped", "behind2", "ahead2", "wrap"] {
            assert_eq!(expect(id), Expect::Refuse, "{id}");
        }
        for id in [
            "space",
            "fullwidth",
            "default_behind",
            "default_ahead",
            "replay",
        ] {
            assert_eq!(expect(id), Expect::Observe, "{id}");
        }
        assert!(cases.iter().any(|c| c.repeat && c.id == "verify.replay"));
        // The window's edge, and no wraparound below step 0.
        let at = |time, window, code: &str| reference_verdict(&verify(time, Some(window), 8, code));
        assert_eq!(at(89, 2, "84755224"), Some(true));
        assert_eq!(at(89, 1, "84755224"), Some(false));
        assert_eq!(at(-1, 1, "84755224"), None);
        assert_eq!(reference_verdict(&verify(59, None, 8, "94287082")), None);
    }

    /// Every case a refusal conforms on says which choice the RFCs leave, so the table can.
    #[test]
    fn every_case_that_may_be_refused_says_why() {
        for case in fixed() {
            if matches!(case.expect, Expect::CodeOrReject(_)) {
                assert!(case.choice.is_some(), "{} may be refused: say why", case.id);
            }
        }
    }

    /// The random differential holds lower-case, padded and canonical Base32 keys and T0s
    /// other than 0, each of the first two allowed a refusal, never another code.
    #[test]
    fn random_cases_vary_t0_and_the_base32_spelling() {
        use crate::otpcheck::protocol::Kind;
        let cases = random(2000, 6238);
        let base32: Vec<&Case> = cases
            .iter()
            .filter(|c| c.request.encoding == KeyEncoding::Base32)
            .collect();
        let lower = base32
            .iter()
            .filter(|c| c.request.key.chars().any(|ch| ch.is_ascii_lowercase()));
        assert!(lower.clone().count() > 100);
        assert!(
            lower
                .clone()
                .all(|c| matches!(c.expect, Expect::CodeOrReject(_)))
        );
        assert!(
            base32
                .iter()
                .filter(|c| c.request.key.ends_with('='))
                .count()
                > 100
        );
        let t0 = cases
            .iter()
            .filter(|c| matches!(c.request.kind, Kind::Totp { t0, .. } if t0 > 0));
        assert!(t0.clone().count() > 200);
        assert!(
            t0.clone()
                .all(|c| matches!(c.expect, Expect::CodeOrReject(_)))
        );
    }

    #[test]
    fn random_cases_are_seeded_and_computed_by_the_core() {
        let a = random(50, 7);
        let b = random(50, 7);
        assert_eq!(a.len(), 50);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.request, y.request);
            assert_eq!(Some(x.expect.clone()), Some(y.expect.clone()));
        }
        assert!(a.iter().any(|c| c.request.encoding == KeyEncoding::Base32));
    }
}
