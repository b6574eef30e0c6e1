//! `mfaspec totp-check` end to end: mfaspec's own core through the protocol passes every
//! case, and each kind of broken implementation gets the outcome that names its fault — a
//! wrong code, a refusal where the RFC defines a code, a crash, a timeout, a parameter it
//! does not take — in the JSON and the Markdown alike.

use serde_json::Value;

use crate::support::scratch::{Scratch, mfaspec_command};

/// A short answer timeout, for the broken adapters that never answer.
fn check(scratch: &Scratch, args: &[&str]) -> (i32, Value, String) {
    check_with(scratch, "300", args)
}

fn check_with(scratch: &Scratch, timeout_ms: &str, args: &[&str]) -> (i32, Value, String) {
    let dir = scratch.path("report");
    let o = mfaspec_command()
        .arg("totp-check")
        .args([
            "--random",
            "50",
            "--speed",
            "200",
            "--timeout-ms",
            timeout_ms,
            "--report-dir",
        ])
        .arg(&dir)
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let json = serde_json::from_str(&std::fs::read_to_string(dir.join("totp-check.json")).unwrap())
        .unwrap();
    (o.status.code().unwrap(), json, stdout)
}

fn outcome<'a>(report: &'a Value, implementation: &str, case: &str, zone: &str) -> &'a Value {
    let i = report["implementations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["adapter"]["name"] == implementation)
        .unwrap();
    &i["cases"][case][zone]
}

#[test]
fn the_core_passes_and_broken_implementations_are_told_apart() {
    let scratch = Scratch::new("totp-check");
    // Key "padding" (the RFC 6238 errata trap), as a line adapter in shell: it answers the
    // repeated-key SHA-256 code for the 20-byte key, the core's own answer otherwise.
    let exe = env!("CARGO_BIN_EXE_mfaspec");
    let padder = scratch.file(
        "padder.sh",
        &format!(
            "#!/bin/sh\n'{exe}' totp-adapter | while read -r a; do\n  case \"$a\" in\n    'ok 32247374') echo 'ok 46119246';;\n    *) echo \"$a\";;\n  esac\ndone\n"
        ),
    );
    let always = scratch.file("always.sh", "#!/bin/sh\necho 'ok 000000'\n");
    // A verifier that takes anything.
    let gullible = scratch.file(
        "gullible.sh",
        &format!("#!/bin/sh\nif [ \"$1\" = verify ]; then echo 'ok accept'; else '{exe}' totp-adapter <<EOF\n$*\nEOF\nfi\n"),
    );
    let refuses = scratch.file("refuses.sh", "#!/bin/sh\necho \"reject I refuse $1\"\n");
    let no_t0 = scratch.file(
        "no_t0.sh",
        &format!("#!/bin/sh\nif [ \"$1\" = totp ] && [ \"$5\" != 0 ]; then echo 'unsupported t0'; else '{exe}' totp-adapter <<EOF\n$*\nEOF\nfi\n"),
    );
    for f in [&padder, &always, &refuses, &no_t0, &gullible] {
        std::process::Command::new("chmod")
            .args(["+x", f])
            .status()
            .unwrap();
    }
    let (code, report, stdout) = check(
        &scratch,
        &[
            "--tz",
            "UTC",
            "--adapter",
            &format!("padder=sh {padder}"),
            "--per-call",
            &format!("always=sh {always}"),
            "--per-call",
            &format!("refuses=sh {refuses}"),
            "--per-call",
            &format!("no_t0=sh {no_t0}"),
            "--per-call",
            &format!("gullible=sh {gullible}"),
            "--adapter",
            "dies=sh -c 'read x; exit 3'",
            "--adapter",
            "sleeps=sleep 30",
        ],
    );
    // Two adapters never answer (one dies, one sleeps): they could not be checked, exit 2.
    assert_eq!(code, 2, "{stdout}");
    for line in [
        "dies -: error: ",
        "sleeps -: error: ",
        "padder -: fails ",
        "mfaspec 0.1.0: conforms ",
    ] {
        assert!(
            stdout.lines().any(|l| l.starts_with(line)),
            "{line}: {stdout}"
        );
    }
    let core = &report["implementations"][0];
    assert_eq!(core["adapter"]["name"], "mfaspec");
    for (case, by_zone) in core["cases"].as_object().unwrap() {
        let o = &by_zone["UTC"]["outcome"];
        assert!(
            o == "pass" || o == "rejected-acceptable" || o == "observed",
            "{case}: {o}"
        );
    }
    assert_eq!(core["random"]["conformed"], 50);
    assert!(core["construct_per_s"].as_f64().unwrap() > 0.0);
    let wrong = outcome(&report, "padder", "key.sha256", "UTC");
    assert_eq!(wrong["outcome"], "wrong-code");
    assert_eq!(wrong["expected"], "32247374");
    assert_eq!(wrong["got"], "46119246");
    // Each broken implementation's fault, by name. Verdicts: a verifier that takes a code
    // without its leading zero is wrong; one that takes a code after a space is reported, not
    // failed; an error where the RFC's verifier refuses is a refusal; a code where a verdict
    // belongs is a protocol fault.
    for (implementation, case, expected) in [
        ("padder", "rfc4226.c0", "pass"),
        ("always", "time.negative", "wrong-code"),
        ("refuses", "rfc4226.c0", "rejected-not-acceptable"),
        ("refuses", "key.short_base32", "rejected-acceptable"),
        ("no_t0", "time.t0_44", "not-supported"),
        ("no_t0", "rfc4226.c3", "pass"),
        ("dies", "rfc4226.c0", "crash"),
        ("dies", "rfc4226.c5", "not-run"),
        ("sleeps", "rfc4226.c0", "timeout"),
        ("sleeps", "rfc4226.c5", "not-run"),
        ("gullible", "verify.exact", "pass"),
        ("gullible", "verify.space", "observed"),
        ("refuses", "verify.zero_dropped", "rejected-acceptable"),
        ("refuses", "verify.exact", "rejected-not-acceptable"),
        ("always", "verify.exact", "crash"),
    ] {
        assert_eq!(
            outcome(&report, implementation, case, "UTC")["outcome"],
            expected,
            "{implementation}, {case}"
        );
    }
    let lenient = outcome(&report, "gullible", "verify.zero_dropped", "UTC");
    assert_eq!(lenient["outcome"], "wrong-verdict");
    assert_eq!(lenient["expected"], "refuse");
    assert_eq!(lenient["got"], "accept");
    assert_eq!(
        outcome(&report, "gullible", "verify.space", "UTC")["accepted"],
        true
    );
    assert_eq!(
        outcome(&report, "mfaspec", "verify.replay", "UTC")["accepted"],
        true
    );
    // The Markdown says the same.
    let md = std::fs::read_to_string(scratch.path("report").join("totp-check.md")).unwrap();
    let row = md.lines().find(|l| l.contains("`key.sha256`")).unwrap();
    assert!(row.contains("❌ `46119246`"), "{row}");
    let row = md
        .lines()
        .find(|l| l.contains("`verify.zero_dropped`"))
        .unwrap();
    assert!(row.contains("❌ accepts"), "{row}");
    assert!(md.contains("| mfaspec 0.1.0 |"), "{md}");
    // And the HTML page: the padder's wrong cell, with the details on hover.
    let html = std::fs::read_to_string(scratch.path("report").join("totp-check.html")).unwrap();
    assert!(
        html.contains("title=\"TZ=UTC: wrong code: expected 32247374, got 46119246\""),
        "{html}"
    );
    assert!(html.contains("<select id=\"group\">"));
}

fn implementation<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["implementations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["adapter"]["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in the report"))
}

/// The gate: each deliberately broken implementation (one classic bug each, served by
/// `mfaspec totp-adapter --broken`) fails the check — exit 1, its verdict `fails`, and its
/// failing cases include the two or more the bug must meet — and the unbroken one exits 0.
/// `--report-only` turns the same failures into exit 0; `--only` leaves the core out.
#[test]
fn every_classic_bug_fails_the_check_and_the_unbroken_core_passes() {
    use mfaspec::otpcheck::broken::Bug;
    let scratch = Scratch::new("totp-check-gate");
    let exe = env!("CARGO_BIN_EXE_mfaspec");
    let (code, report, stdout) = check_with(
        &scratch,
        "5000",
        &[
            "--tz",
            "UTC",
            "--only",
            "unbroken",
            "--adapter",
            &format!("unbroken='{exe}' totp-adapter"),
        ],
    );
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(
        report["implementations"].as_array().unwrap().len(),
        1,
        "--only leaves the core out"
    );
    assert_eq!(
        implementation(&report, "unbroken")["summary"]["verdict"],
        "conforms"
    );
    assert_eq!(report["schema"], "mfaspec-totp-check/2");

    let mut args: Vec<String> = vec!["--tz".into(), "UTC".into()];
    for bug in Bug::ALL {
        args.push("--adapter".into());
        args.push(format!(
            "{}='{exe}' totp-adapter --broken {}",
            bug.name(),
            bug.name()
        ));
        args.push("--only".into());
        args.push(bug.name().into());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, report, stdout) = check_with(&scratch, "5000", &args);
    assert_eq!(code, 1, "{stdout}");
    for bug in Bug::ALL {
        let r = implementation(&report, bug.name());
        assert_eq!(r["summary"]["verdict"], "fails", "{}", bug.name());
        let failing: Vec<&str> = r["summary"]["failing"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for case in bug.caught_by() {
            assert!(
                failing.contains(case),
                "{}: {case} not among {failing:?}",
                bug.name()
            );
        }
        // The console names it, with its failing cases.
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("{} -: fails ", bug.name())))
            .unwrap_or_else(|| panic!("{}: {stdout}", bug.name()));
        assert!(
            line.contains(bug.caught_by()[0]) || failing.len() > 6,
            "{line}"
        );
    }
    // JUnit says the same: a failure per failing case.
    let junit = std::fs::read_to_string(scratch.path("report").join("junit.xml")).unwrap();
    let suite = junit
        .lines()
        .find(|l| l.contains("<testsuite name=\"totp-check.prefix-match\""))
        .unwrap();
    let failing = implementation(&report, "prefix-match")["summary"]["failing"]
        .as_array()
        .unwrap()
        .len();
    assert!(
        suite.contains(&format!("failures=\"{failing}\"")),
        "{suite}"
    );
    assert!(junit.contains("name=\"verify.prefix4: the first four digits only (0818 for 081804)\"><failure type=\"wrong-verdict\""), "{junit}");

    let mut args = args.clone();
    args.push("--report-only");
    let (code, _, stdout) = check_with(&scratch, "5000", &args);
    assert_eq!(code, 0, "--report-only: {stdout}");
}

/// An adapter that cannot start is given up on after a few starts, not restarted for every
/// case; the check exits 2 and says why, with the adapter's own last words from stderr.
#[test]
fn an_adapter_that_cannot_start_is_given_up_with_its_stderr() {
    let scratch = Scratch::new("totp-check-start");
    let starts = scratch.path("starts");
    let script = scratch.file(
        "broken.sh",
        &format!(
            "#!/bin/sh
echo start >> '{}'
echo 'Traceback (most recent call last):' >&2
echo \"ModuleNotFoundError: No module named 'pyotp'\" >&2
exit 1
",
            starts.display()
        ),
    );
    let (code, report, stdout) = check_with(
        &scratch,
        "5000",
        &[
            "--tz",
            "UTC",
            "--only",
            "missing",
            "--adapter",
            &format!("missing=sh {script}"),
        ],
    );
    assert_eq!(code, 2, "{stdout}");
    let r = implementation(&report, "missing");
    assert_eq!(r["summary"]["verdict"], "error");
    let error = r["summary"]["error"].as_str().unwrap();
    assert!(
        error.contains("ModuleNotFoundError: No module named 'pyotp'"),
        "{error}"
    );
    assert!(error.contains("given up after 3 starts"), "{error}");
    let started = std::fs::read_to_string(&starts).unwrap().lines().count();
    assert_eq!(started, 3, "started {started} times");
    let first = &r["cases"]["rfc4226.c0"]["UTC"];
    assert_eq!(first["outcome"], "crash");
    assert!(
        first["stderr"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l.as_str().unwrap().contains("ModuleNotFoundError")),
        "{first}"
    );
    assert!(
        stdout.contains("missing -: error: TZ=UTC: given up after 3 starts"),
        "{stdout}"
    );
    // A crash on one case keeps the stderr too, and the adapter goes on.
    let exe = env!("CARGO_BIN_EXE_mfaspec");
    let flaky = scratch.file(
        "flaky.sh",
        &format!(
            "#!/bin/sh\nwhile read -r line; do\n  a=$(echo \"$line\" | '{exe}' totp-adapter)\n  if [ \"$a\" = 'ok 32247374' ]; then echo 'panic: SHA-256 went wrong' >&2; exit 7; fi\n  echo \"$a\"\ndone\n"
        ),
    );
    let (code, report, stdout) = check_with(
        &scratch,
        "5000",
        &[
            "--tz",
            "UTC",
            "--only",
            "flaky",
            "--adapter",
            &format!("flaky=sh {flaky}"),
        ],
    );
    assert_eq!(code, 1, "{stdout}");
    let crash = &implementation(&report, "flaky")["cases"]["key.sha256"]["UTC"];
    assert_eq!(crash["outcome"], "crash", "{crash}");
    assert_eq!(crash["stderr"][0], "panic: SHA-256 went wrong", "{crash}");
    assert_eq!(
        implementation(&report, "flaky")["summary"]["failing"],
        serde_json::json!(["key.sha256"])
    );
}

/// The same catalogue in-process, through the `Implementation` trait, for Rust crates:
/// totp-rs and totp-lite (mfaspec's dev-dependencies) give the outcomes their adapters give
/// over the protocol — a panic inside the crate is a crash, as it is in a process.
mod in_process {
    use mfaspec::otpcheck::catalogue;
    use mfaspec::otpcheck::model::Outcome;
    use mfaspec::otpcheck::run::in_process;
    use mfaspec::otpcheck::{Answer, Implementation, KeyEncoding, Kind, Request};
    use mfaspec::totp::Algorithm;

    fn raw_key(r: &Request) -> Result<Vec<u8>, Answer> {
        match r.encoding {
            KeyEncoding::Hex => (0..r.key.len())
                .step_by(2)
                .map(|i| {
                    r.key
                        .get(i..i + 2)
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                })
                .collect::<Option<Vec<u8>>>()
                .ok_or_else(|| Answer::Reject("not hex".into())),
            KeyEncoding::Base32 => Err(Answer::Unsupported("Base32 keys".into())),
        }
    }

    fn totp_params(r: &Request) -> Result<(u64, u64), Answer> {
        match r.kind {
            Kind::Hotp { .. } => Err(Answer::Unsupported("HOTP".into())),
            Kind::Totp { t0, .. } | Kind::Verify { t0, .. } if t0 != 0 => {
                Err(Answer::Unsupported("t0".into()))
            }
            Kind::Totp { period, time, .. } | Kind::Verify { period, time, .. } => {
                u64::try_from(time)
                    .map(|t| (period, t))
                    .map_err(|_| Answer::Unsupported("a negative time".into()))
            }
        }
    }

    struct TotpLite;
    impl Implementation for TotpLite {
        fn answer(&mut self, r: &Request) -> Answer {
            let run = || -> Result<String, Answer> {
                if let Kind::Verify { .. } = r.kind {
                    return Err(Answer::Unsupported(
                        "verify (totp-lite has no verifier)".into(),
                    ));
                }
                let (period, time) = totp_params(r)?;
                let key = raw_key(r)?;
                Ok(crate::support::peers::totp_lite_code(
                    r.algorithm,
                    &key,
                    r.digits as u8,
                    period,
                    time,
                ))
            };
            run().map_or_else(|a| a, Answer::Code)
        }
    }

    struct TotpRs;
    impl Implementation for TotpRs {
        fn answer(&mut self, r: &Request) -> Answer {
            let run = || -> Result<String, Answer> {
                let (period, time) = totp_params(r)?;
                let key = raw_key(r)?;
                let algorithm = match r.algorithm {
                    Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
                    Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
                    Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
                };
                let digits = u8::try_from(r.digits).map_err(|_| Answer::Reject("digits".into()))?;
                let mut builder = totp_rs::Builder::new()
                    .with_algorithm(algorithm)
                    .with_digits(digits)
                    .with_step_duration(period)
                    .with_secret(key);
                if let Kind::Verify {
                    window: Some(w), ..
                } = r.kind
                {
                    let w = u16::try_from(w).map_err(|_| Answer::Unsupported("window".into()))?;
                    builder = builder.with_skew(w);
                }
                let totp = builder
                    .build()
                    .map_err(|e| Answer::Reject(format!("{e:?}")))?;
                Ok(match &r.kind {
                    // totp-rs's own verifier, its default skew 1 for `default`.
                    Kind::Verify { code, .. } => match totp.check(code, time) {
                        Some(_) => "accept".into(),
                        None => "refuse".into(),
                    },
                    _ => totp.generate(time).to_string(),
                })
            };
            run().map_or_else(|a| a, Answer::Code)
        }
    }

    fn fails(outcomes: &std::collections::BTreeMap<String, Outcome>) -> Vec<&str> {
        outcomes
            .iter()
            .filter(|(_, o)| !o.conforms())
            .map(|(id, _)| id.as_str())
            .collect()
    }

    #[test]
    fn rust_crates_run_the_catalogue_in_process() {
        let mut cases = catalogue::fixed();
        cases.extend(catalogue::random(300, 3));
        // totp-rs conforms on every case it can take.
        assert_eq!(fails(&in_process(&mut TotpRs, &cases)), Vec::<&str>::new());
        // totp-lite: codes of 0, 5 and 11 digits, and a panic on a zero period.
        let lite = in_process(&mut TotpLite, &cases);
        assert_eq!(
            fails(&lite),
            ["digits.d0", "digits.d11", "digits.d5", "time.p0"]
        );
        assert!(
            matches!(&lite["time.p0"], Outcome::Crash { reason, .. } if reason.contains("divide by zero")),
            "{:?}",
            lite["time.p0"]
        );
        assert_eq!(
            lite["digits.d5"],
            Outcome::WrongCode {
                expected: "reject".into(),
                got: "87082".into()
            }
        );
    }
}

/// The 20-line adapter docs/totp-check.md shows is `adapters/example/minimal.py`, word for
/// word, and it conforms on every case, as the page says (it has no verifier: `verify` cases are n/s).
#[test]
fn the_readme_example_adapter_is_the_shipped_one_and_conforms() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let example = std::fs::read_to_string(root.join("adapters/example/minimal.py")).unwrap();
    assert!(
        example.lines().count() <= 20,
        "the example is 20 lines at most"
    );
    let readme = std::fs::read_to_string(root.join("docs/totp-check.md")).unwrap();
    assert!(
        readme.contains(&format!("```python\n{example}```")),
        "docs/totp-check.md's example adapter differs from adapters/example/minimal.py"
    );
    let scratch = Scratch::new("totp-check-example");
    let path = root.join("adapters/example/minimal.py");
    // The default timeout: Python's start-up, on a machine busy with the other tests, is part
    // of the first answer's time.
    let (code, report, stdout) = check_with(
        &scratch,
        "5000",
        &["--adapter", &format!("example=python3 {}", path.display())],
    );
    assert_eq!(code, 0, "{stdout}");
    let example = &report["implementations"][1];
    assert_eq!(example["adapter"]["name"], "example");
    for (case, by_zone) in example["cases"].as_object().unwrap() {
        for (zone, outcome) in by_zone.as_object().unwrap() {
            let o = outcome["outcome"].as_str().unwrap();
            let fine = ["pass", "rejected-acceptable"].contains(&o)
                || (case.starts_with("verify.") && o == "not-supported");
            assert!(fine, "{case} under {zone}: {outcome}");
        }
    }
    assert_eq!(example["random"]["conformed"], 50);
}
