//! Conformance profiles (`features/profiles.yaml`, `mfaspec run --profile-claim NAME`): each
//! selects scenarios of the suite; a claim runs them and exits 0 only when every one passes —
//! an expected failure or an n/a does not meet it (negative controls: the reference endpoint
//! without error headers, and a target without the capability).

use crate::support::scratch::Scratch;
use crate::support::selftest::{mfaspec, run_kept_with, stderr, stdout};

const WIRE: &str = include_str!("../features/wire_protocol.feature");

#[test]
fn every_profile_selects_scenarios_of_the_suite_and_is_named_where_users_read() {
    let suite = mfaspec::features::Suite::builtin_or(None).unwrap();
    let profiles = mfaspec::claim::builtin().unwrap();
    let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["walk-through", "sign-in-flows", "hosted-ui", "wire"]
    );
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let help = mfaspec(&["run", "--help"], None);
    for p in &profiles {
        let members = p.members(&suite);
        assert!(members.len() >= 4, "{} selects {members:?}", p.name);
        assert!(
            readme.contains(&format!("`{}`", p.name)),
            "README names {}",
            p.name
        );
        assert!(stdout(&help).contains(&p.name), "--help names {}", p.name);
    }
    // The walk-through is what its tags say: every scenario of walkthrough.feature, and the
    // steps' error cases elsewhere.
    let walk = profiles[0].members(&suite);
    assert!(walk.contains(&"walkthrough.initiate_auth.end_to_end".to_owned()));
    assert!(walk.iter().any(|id| id.starts_with("codes.")), "{walk:?}");
    let srp_or_browser = |id: &String| {
        let s = suite
            .scenarios
            .iter()
            .find(|s| &s.id.to_string() == id)
            .unwrap();
        s.values("requires")
            .any(|c| c == "auth.srp" || c == "hosted_ui")
    };
    assert!(!walk.iter().any(srp_or_browser), "{walk:?}");
    assert!(walk.len() >= 30, "{}", walk.len());
    let wire = profiles[3].members(&suite);
    assert!(wire.iter().all(|id| id.starts_with("wire.")), "{wire:?}");
}

#[test]
fn definitions_that_cannot_be_used_are_refused_with_why() {
    for (text, says) in [
        (
            "- name: a\n  title: t\n  tags: \"@x and\"\n",
            "not a tag expression",
        ),
        (
            "- name: a\n  title: t\n- name: a\n  title: u\n",
            "defined twice",
        ),
        ("- name: a\n  title: t\n  colour: red\n", "unknown field"),
    ] {
        let e = mfaspec::claim::parse(text).unwrap_err().to_string();
        assert!(e.contains(says), "{e}");
    }
}

#[test]
fn an_unknown_claim_is_a_usage_error_naming_the_profiles() {
    let o = mfaspec(&["run", "--profile-claim", "wired"], None);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--profile-claim wired: no such profile (known: walk-through, sign-in-flows, hosted-ui, wire)"), "{}", stderr(&o));
}

/// The wire profile claimed against three reference endpoints: as it is (met, exit 0), without
/// error headers but with that failure expected (the run alone exits 0; the claim fails it),
/// and a target without `wire.raw` (every scenario n/a: not met).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_is_met_only_when_every_scenario_of_the_profile_passes() {
    use mfaspec::reference::{Defect, Options};
    let features = [("wire_protocol.feature", WIRE)];
    let claim = ["--profile-claim", "wire"];

    let (o, scratch) = run_kept_with(
        "wire-ok",
        Options::default(),
        &features,
        "wire.raw",
        "",
        &claim,
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("Profile `wire` claimed and met: all 6 scenarios pass"),
        "{}",
        stdout(&o)
    );
    let outcomes = std::fs::read_to_string(scratch.path("reports/wire-ok/outcomes.json")).unwrap();
    let outcomes: serde_json::Value = serde_json::from_str(&outcomes).unwrap();
    let wire = outcomes["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "wire")
        .unwrap();
    assert_eq!(wire["met"], true);
    assert_eq!(wire["claimed"], true);

    let broken = Options {
        defect: Some(Defect::NoErrorHeaders),
        ..Options::default()
    };
    let expected = "expected_failures:\n  - id: wire.describe_user_pool.error_headers\n    reason: \"no x-amzn-ErrorType\"\n";
    // Without the claim the expected failure is fine …
    let files = Scratch::new("claims-expectations");
    let exp = files.file("expected.yaml", expected);
    let (o, _) = run_kept_with(
        "wire-xfail",
        Options {
            defect: Some(Defect::NoErrorHeaders),
            ..Options::default()
        },
        &features,
        "wire.raw",
        "",
        &["--expectations", &exp],
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    // … with it, the profile is not met: exit 1, said on the console and in JUnit.
    let (o, scratch) = run_kept_with(
        "wire-claimed",
        broken,
        &features,
        "wire.raw",
        "",
        &["--expectations", &exp, "--profile-claim", "wire"],
    )
    .await;
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("Profile `wire` claimed but NOT met: 1 of 6 scenarios do not pass"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("xfail   wire.describe_user_pool.error_headers"),
        "{}",
        stdout(&o)
    );
    let junit = std::fs::read_to_string(scratch.path("reports/wire-claimed/junit.xml")).unwrap();
    assert!(
        junit.contains(r#"<testsuite name="profile claims" tests="1" failures="1""#),
        "{junit}"
    );
    assert!(
        junit.contains("wire.describe_user_pool.error_headers (xfail)"),
        "{junit}"
    );

    // A target that cannot take malformed requests cannot claim the wire.
    let (o, _) = run_kept_with("wire-na", Options::default(), &features, "", "", &claim).await;
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("6 of 6 scenarios do not pass"),
        "{}",
        stdout(&o)
    );
}
