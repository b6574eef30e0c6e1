//! Target profiles: the built-in ones load, and a bad profile is an error that names the
//! file, the line and the column.

use std::path::Path;

use mfaspec::target::{Location, Profile, ProfileError};

#[test]
fn builtin_reference_profile() {
    let p = Profile::resolve("reference").unwrap();
    assert_eq!(p.endpoint, Location::Embedded);
    assert!(p.clock_control && p.has("time.control") && p.has("admin.api"));
    assert_eq!(p.totp_window, 1);
}

#[test]
fn totp_window_defaults_to_cognito_and_takes_0() {
    let p = Profile::parse(
        "name: x\nendpoint: http://127.0.0.1:1\ntotp_window: 0\n",
        Path::new("x.yaml"),
    )
    .unwrap();
    assert_eq!(p.totp_window, 0);
    let e = Profile::parse(
        "name: x\nendpoint: http://127.0.0.1:1\ntotp_window: 2\n",
        Path::new("x.yaml"),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "target profile `x.yaml`: totp_window 2 is not 0 or 1"
    );
}

#[test]
fn errors_name_file_line_and_column() {
    let e = Profile::parse(
        "name: x\nendpoint: embedded\nconcurency: 3\n",
        Path::new("typo.yaml"),
    )
    .unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, ProfileError::Parse { .. }), "{text}");
    assert!(text.starts_with("failed to parse target profile `typo.yaml`: line 3, column 1: unknown field `concurency`"), "{text}");
    let e = Profile::parse("name: x\nendpoint: ftp://x\n", Path::new("p.yaml")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "target profile `p.yaml`: endpoint `ftp://x` is not `embedded`, `aws` or an http(s) URL"
    );
    let e = Profile::parse(
        "name: x\nendpoint: embedded\nconcurrency: 0\n",
        Path::new("p.yaml"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("concurrency must be at least 1"));
    assert!(matches!(
        Profile::resolve("nonesuch"),
        Err(ProfileError::Unknown(_))
    ));
}

#[test]
fn the_aws_profile_is_explicit_signed_and_takes_the_default_chain_region() {
    let p = Profile::resolve("aws").unwrap();
    assert_eq!(p.endpoint, Location::Aws(None));
    assert_eq!(p.region, None, "region: default");
    assert!(!p.clock_control);
    assert!(p.concurrency <= 2, "a low cap against a real account");
    // No other built-in profile reaches AWS, and the default target is the reference.
    for name in ["reference", "moto", "cognito-local", "ministack"] {
        assert!(
            !matches!(Profile::resolve(name).unwrap().endpoint, Location::Aws(_)),
            "{name}"
        );
    }
}

#[test]
fn existing_provisioning_needs_the_pool_and_client() {
    let ok = Profile::parse(
        "name: team\nendpoint: aws\nregion: eu-west-1\nprovisioning: existing\nexisting:\n  pool_id: eu-west-1_Abc\n  client_id: c1\n  client_secret_env: TEAM_SECRET\n  create_users: true\n",
        Path::new("team.yaml"),
    )
    .unwrap();
    let existing = ok.existing.unwrap();
    assert_eq!(existing.pool_id, "eu-west-1_Abc");
    assert!(existing.create_users);
    assert_eq!(ok.region.as_deref(), Some("eu-west-1"));
    // `provision:` is accepted for `provisioning:`.
    let short = Profile::parse(
        "name: t\nendpoint: aws\nprovision: existing\nexisting:\n  pool_id: p\n  client_id: c\n",
        Path::new("t.yaml"),
    )
    .unwrap();
    assert_eq!(short.provisioning, mfaspec::target::Provisioning::Existing);
    let e = Profile::parse(
        "name: team\nendpoint: aws\nprovisioning: existing\n",
        Path::new("team.yaml"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("needs `existing:`"), "{e}");
    let e = Profile::parse(
        "name: t\nendpoint: aws\nprovisioning: existing\nexisting:\n  pool_id: p\n  client: c\n",
        Path::new("t.yaml"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("line 6"), "{e}");
    let e = Profile::parse(
        "name: t\nendpoint: embedded\nregion: default\n",
        Path::new("t.yaml"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("only for endpoint: aws"), "{e}");
}

/// Each fact is stated once: `time.control` follows from `clock_control`, and the replay
/// rule is a key of its own (unknown unless said).
#[test]
fn time_control_follows_from_clock_control_and_the_replay_rule_is_its_own_key() {
    let parse = |text: &str| Profile::parse(text, Path::new("p.yaml"));
    let p = parse("name: x\nendpoint: http://127.0.0.1:1\n").unwrap();
    assert!(!p.has("time.control") && p.replay_rule.is_none());
    let p = parse(
        "name: x\nendpoint: http://127.0.0.1:1\nclock_control: true\nreplay_rule: same_step\n",
    )
    .unwrap();
    assert!(p.has("time.control"));
    assert_eq!(p.replay_rule, Some(mfaspec::totp::ReplayPolicy::SameStep));
    assert_eq!(
        Profile::resolve("reference").unwrap().replay_rule,
        Some(mfaspec::totp::ReplayPolicy::SameStep)
    );
    let e = parse("name: x\nendpoint: embedded\ncapabilities: [time.control]\n").unwrap_err();
    assert!(e.to_string().contains("follows from `clock_control"), "{e}");
    let e = parse("name: x\nendpoint: embedded\nreplay_rule: sometimes\n").unwrap_err();
    assert!(e.to_string().contains("line 3"), "{e}");
}

#[test]
fn sign_in_is_password_srp_or_left_to_the_runner() {
    let parse = |text: &str| Profile::parse(text, Path::new("p.yaml"));
    let p = parse("name: x\nendpoint: embedded\n").unwrap();
    assert_eq!(p.sign_in, None);
    assert!(!p.signs_in_with_srp());
    let p = parse("name: x\nendpoint: embedded\nsign_in: srp\ncapabilities: [auth.srp]\n").unwrap();
    assert_eq!(p.sign_in, Some(mfaspec::target::SignIn::Srp));
    let p = parse("name: x\nendpoint: embedded\nsign_in: password\n").unwrap();
    assert_eq!(p.sign_in, Some(mfaspec::target::SignIn::Password));
    let e = parse("name: x\nendpoint: embedded\nsign_in: srp\n").unwrap_err();
    assert!(
        e.to_string().contains("needs the capability auth.srp"),
        "{e}"
    );
    let e = parse("name: x\nendpoint: embedded\nsign_in: magic\n").unwrap_err();
    assert!(e.to_string().contains("line 3"), "{e}");
}

#[test]
fn mail_names_a_command_and_a_domain_and_plans_are_capabilities() {
    let parse = |text: &str| Profile::parse(text, Path::new("m.yaml"));
    let p = parse(
        "name: m\nendpoint: http://127.0.0.1:1\nmail:\n  command: ./latest-code.sh\n  domain: inbox.example.org\ncapabilities: [plan.lite, auth.user_auth]\n",
    )
    .unwrap();
    let mail = p.mail.clone().unwrap();
    assert_eq!(
        (mail.command.as_str(), mail.domain.as_str()),
        ("./latest-code.sh", "inbox.example.org")
    );
    assert!(p.has("plan.lite") && p.has("auth.user_auth") && !p.has("plan.plus"));
    let e =
        parse("name: m\nendpoint: embedded\nmail:\n  command: ' '\n  domain: x.org\n").unwrap_err();
    assert!(e.to_string().contains("mail.command is empty"), "{e}");
    let e = parse("name: m\nendpoint: embedded\nmail:\n  command: c\n  domain: 'x.org; rm'\n")
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("mail.domain `x.org; rm` is not a domain name"),
        "{e}"
    );
    let e = parse("name: m\nendpoint: embedded\nmail:\n  command: c\n").unwrap_err();
    assert!(e.to_string().contains("m.yaml"), "{e}");
    assert!(parse("name: m\nendpoint: embedded\ncapabilities: [plan.gold]\n").is_err());
}

/// Each emulator's profile names the version `scripts/peers.sh` installs (reports, issue texts
/// and the results history name it): bumping a pin without the profile, or the other way
/// round, fails here.
#[test]
fn each_emulator_profile_names_the_version_peers_installs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let peers = std::fs::read_to_string(root.join("scripts/peers.sh")).unwrap();
    let pin = |variable: &str| {
        peers
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{variable}=\"")))
            .and_then(|rest| rest.strip_suffix('"'))
            .unwrap_or_else(|| panic!("scripts/peers.sh has no {variable}"))
            .to_owned()
    };
    // The Rust emulators are pinned by their hosts' Cargo.lock.
    let locked = |host: &str, krate: &str| {
        let lock =
            std::fs::read_to_string(root.join(format!("emulators/{host}/Cargo.lock"))).unwrap();
        let at = lock
            .find(&format!("name = \"{krate}\"\nversion = \""))
            .unwrap_or_else(|| panic!("emulators/{host}/Cargo.lock has no {krate}"));
        lock[at..].lines().nth(1).unwrap()["version = \"".len()..]
            .trim_end_matches('"')
            .to_owned()
    };
    for (target, installed) in [
        ("moto", pin("MOTO_VERSION")),
        ("cognito-local", pin("COGNITO_LOCAL_VERSION")),
        ("ministack", pin("MINISTACK_VERSION")),
        ("localemu", pin("LOCALEMU_VERSION")),
        ("fakecloud", locked("fakecloud", "fakecloud-cognito")),
        ("cognitox", locked("cognitox", "cognitox")),
    ] {
        let p = Profile::resolve(target).unwrap();
        assert_eq!(p.version.as_deref(), Some(installed.as_str()), "{target}");
    }
    // The reference endpoint's is this build's (given by the runner); AWS has none.
    assert_eq!(Profile::resolve("reference").unwrap().version, None);
    assert_eq!(Profile::resolve("aws").unwrap().version, None);
    let e = Profile::parse(
        "name: x\nendpoint: http://127.0.0.1:1\nversion: 1.0 beta\n",
        Path::new("v.yaml"),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("version `1.0 beta` is empty or has spaces"),
        "{e}"
    );
}
