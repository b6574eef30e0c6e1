//! The `mfaspec` command line as a person runs it — `code`, `uri`, `serve`, `run`, the help —
//! its output, exit codes, and one-line errors that say what and where.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::scratch::Scratch;

const SHA1_SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn mfaspec(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = crate::scratch::mfaspec_command()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the mfaspec binary runs");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    pipe.write_all(stdin.unwrap_or("").as_bytes())
        .expect("write stdin");
    drop(pipe);
    child.wait_with_output().expect("mfaspec exits")
}

fn stdout(o: &Output) -> &str {
    std::str::from_utf8(&o.stdout).unwrap()
}

fn stderr(o: &Output) -> &str {
    std::str::from_utf8(&o.stderr).unwrap()
}

/// A usage error: exit code 2, nothing on standard output, one line on standard error.
fn assert_bad_input(o: &Output, mentions: &[&str]) -> String {
    assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(o));
    assert_eq!(stdout(o), "");
    let err = stderr(o);
    assert_eq!(err.lines().count(), 1, "one line: {err:?}");
    for m in mentions {
        assert!(err.contains(m), "{err:?} should mention {m:?}");
    }
    err.to_owned()
}

#[test]
fn code_prints_the_rfc_code_alone() {
    let o = mfaspec(&["code", "--at", "59", SHA1_SEED], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "287082\n");
    assert_eq!(stderr(&o), "");
}

#[test]
fn code_with_algorithm_digits_and_period() {
    let sha256 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";
    let o = mfaspec(
        &[
            "code",
            "--at",
            "1111111109",
            "--algorithm",
            "sha256",
            "--digits",
            "8",
            sha256,
        ],
        None,
    );
    assert_eq!(stdout(&o), "68084774\n");
    // HOTP counter 3 through a 1-second period (RFC 4226 Appendix D).
    let o = mfaspec(&["code", "--at", "3", "--period", "1", SHA1_SEED], None);
    assert_eq!(stdout(&o), "969429\n");
}

#[test]
fn code_reads_the_secret_from_stdin() {
    let o = mfaspec(
        &["code", "--at", "59", "-"],
        Some("gezd gnbv gy3t qojq gezd gnbv gy3t qojq\n"),
    );
    assert_eq!(stdout(&o), "287082\n", "{}", stderr(&o));
}

#[test]
fn code_accepts_a_key_uri_and_flags_override_it() {
    let uri = format!("otpauth://totp/x?secret={SHA1_SEED}&digits=8");
    assert_eq!(
        stdout(&mfaspec(&["code", "--at", "59", &uri], None)),
        "94287082\n"
    );
    assert_eq!(
        stdout(&mfaspec(
            &["code", "--at", "59", "--digits", "6", &uri],
            None
        )),
        "287082\n"
    );
}

#[test]
fn code_without_at_uses_the_current_time() {
    let o = mfaspec(&["code", SHA1_SEED], None);
    let text = stdout(&o).trim_end();
    assert!(
        text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()),
        "{text:?}"
    );
}

#[test]
fn invalid_base32_names_character_and_position_without_echoing_the_secret() {
    let err = assert_bad_input(
        &mfaspec(&["code", "GEZDGNB1GY3TQOJQ"], None),
        &["'1'", "position 8"],
    );
    assert!(
        !err.contains("GEZDGNB"),
        "the secret must not be echoed: {err}"
    );
}

#[test]
fn digits_outside_6_to_8_are_refused() {
    for d in ["5", "9", "x"] {
        assert_bad_input(
            &mfaspec(&["code", "--digits", d, SHA1_SEED], None),
            &["--digits"],
        );
    }
}

#[test]
fn malformed_uri_and_other_bad_input_exit_2() {
    assert_bad_input(
        &mfaspec(&["code", "otpauth://totp/a?secret=MZXW6&digits=9"], None),
        &["digits"],
    );
    assert_bad_input(
        &mfaspec(&["code", "otpauth://hotp/a?secret=MZXW6&counter=1"], None),
        &["hotp"],
    );
    assert_bad_input(
        &mfaspec(&["code", "--algorithm", "md5", SHA1_SEED], None),
        &["md5"],
    );
    assert_bad_input(
        &mfaspec(&["code", "--period", "0", SHA1_SEED], None),
        &["period"],
    );
    assert_bad_input(&mfaspec(&["code", "-"], Some("")), &["empty"]);
    assert_bad_input(&mfaspec(&["code"], None), &["SECRET"]);
    assert_bad_input(&mfaspec(&["frobnicate"], None), &["frobnicate"]);
    assert_bad_input(
        &mfaspec(&["uri", "--secret", "MZXW6", "--account", "a:b"], None),
        &["colon"],
    );
}

#[test]
fn uri_prints_the_key_uri_on_one_line() {
    let o = mfaspec(
        &[
            "uri",
            "--secret",
            "JBSWY3DPEHPK3PXP",
            "--account",
            "alice@google.com",
            "--issuer",
            "Example",
        ],
        None,
    );
    assert_eq!(
        stdout(&o),
        "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example\n"
    );
    let o = mfaspec(
        &["uri", "--secret", "-", "--account", "bob"],
        Some("jbsw y3dp ehpk 3pxp"),
    );
    assert_eq!(stdout(&o), "otpauth://totp/bob?secret=JBSWY3DPEHPK3PXP\n");
}

#[test]
fn uri_qr_draws_a_code_after_the_uri() {
    let o = mfaspec(
        &[
            "uri",
            "--secret",
            "JBSWY3DPEHPK3PXP",
            "--account",
            "bob",
            "--qr",
        ],
        None,
    );
    assert!(o.status.success());
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("otpauth://totp/bob?secret=JBSWY3DPEHPK3PXP")
    );
    let picture: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
    // A version-2 QR code (25 modules) plus a 4-module quiet zone, two rows per line.
    assert!(picture.len() >= 16, "{out}");
    let width = picture[0].chars().count();
    assert!(
        width >= 29 && picture.iter().all(|l| l.chars().count() == width),
        "{out}"
    );
    assert!(
        picture
            .iter()
            .all(|l| l.chars().all(|c| " ▀▄█".contains(c))),
        "{out}"
    );
}

#[test]
fn help_exits_0() {
    let o = mfaspec(&["--help"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("code") && stdout(&o).contains("uri"));
}

/// `mfaspec serve` logs one line with where it listens, answers, and exits 0 on Ctrl-C.
#[test]
fn serve_logs_its_address_and_stops_cleanly_on_ctrl_c() {
    use std::io::{BufRead, BufReader};
    let mut child = crate::scratch::mfaspec_command()
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mfaspec serve starts");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr is piped")).lines();
    let first = lines.next().expect("a line").expect("text");
    let url = first
        .strip_prefix("mfaspec serve: listening on ")
        .unwrap_or_else(|| panic!("{first}"))
        .to_owned();
    assert!(
        url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"),
        "{url}"
    );
    // A request over real TCP, answered Cognito-style.
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connects");
    let body = r#"{"AccessToken":"x"}"#;
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.GetUser\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    std::io::Read::read_to_string(&mut stream, &mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 400"), "{response}");
    assert!(
        response.contains(r#""__type":"NotAuthorizedException""#),
        "{response}"
    );

    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let status = child.wait().expect("serve exits");
    assert_eq!(status.code(), Some(0));
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert_eq!(rest, ["mfaspec serve: shutting down"]);
}

#[test]
fn serve_on_a_taken_address_exits_2() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let o = mfaspec(&["serve", "--addr", &addr], None);
    assert_bad_input(&o, &["binding", &addr]);
}

/// `mfaspec run` against the embedded reference endpoint, one tag: exit 0 and reports.
#[test]
fn run_selected_scenarios_against_the_reference_endpoint() {
    let reports = std::env::temp_dir().join(format!("mfaspec-cli-run-{}", std::process::id()));
    let o = mfaspec(
        &[
            "run",
            "--tags",
            "@id:pool_mfa_config.set_user_pool_mfa_config.on_without_factor",
            "--report-dir",
            reports.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("1 scenario in") && stdout(&o).contains("1 pass"),
        "{}",
        stdout(&o)
    );
    let outcomes = std::fs::read_to_string(reports.join("reference/outcomes.json")).unwrap();
    assert!(outcomes.contains(r#""outcome": "pass""#), "{outcomes}");
    assert!(reports.join("reference/junit.xml").exists());
    std::fs::remove_dir_all(&reports).unwrap();
}

#[test]
fn run_with_nothing_selected_exits_4() {
    let o = mfaspec(&["run", "--tags", "@no-such-tag"], None);
    assert_eq!(o.status.code(), Some(4), "{}", stdout(&o));
}

#[test]
fn run_with_a_bad_profile_exits_2_naming_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("mfaspec-cli-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("typo.yaml");
    std::fs::write(
        &profile,
        "name: typo\nendpoint: embedded\nendpiont: http://x\n",
    )
    .unwrap();
    let o = mfaspec(&["run", "--target", profile.to_str().unwrap()], None);
    let err = assert_bad_input(&o, &["typo.yaml", "line 3, column 1", "endpiont"]);
    assert!(
        err.starts_with("mfaspec: failed to parse target profile"),
        "{err}"
    );
    assert_bad_input(
        &mfaspec(&["run", "--target", "nonesuch"], None),
        &["no target `nonesuch`"],
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn run_against_an_unreachable_endpoint_exits_2() {
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", free.local_addr().unwrap());
    drop(free);
    let dir = std::env::temp_dir().join(format!("mfaspec-cli-unreachable-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("gone.yaml");
    std::fs::write(&profile, format!("name: gone\nendpoint: {url}\n")).unwrap();
    let o = mfaspec(
        &[
            "run",
            "--target",
            profile.to_str().unwrap(),
            "--tags",
            "@must",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("does not answer"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A feature that fails on every target: it expects a message Cognito does not send.
pub const FAILING_FEATURE: &str = "Feature: deliberately failing\n\n  @id:selftest.describe_user_pool.wrong_expectation @api:DescribeUserPool @doc:BOTO @must\n  Scenario: expects the wrong exception\n    When a client sends DescribeUserPool without the required member UserPoolId\n    Then the request fails with ResourceNotFoundException\n\n  @id:selftest.unknown.passes @api:Unknown @doc:SMITHY-JSON @must\n  Scenario: passes\n    When a client calls the operation FrobnicateUserPool\n    Then the request fails with UnknownOperationException\n";

/// `mfaspec run` of [`FAILING_FEATURE`] with its reports in `scratch/reports`.
pub fn run_scratch(scratch: &Scratch, expectations: Option<&str>) -> Output {
    let features = scratch.0.join("features");
    std::fs::create_dir_all(&features).unwrap();
    std::fs::write(features.join("selftest.feature"), FAILING_FEATURE).unwrap();
    let reports = scratch.0.join("reports");
    let mut args = vec![
        "run",
        "--features",
        features.to_str().unwrap(),
        "--report-dir",
        reports.to_str().unwrap(),
    ];
    if let Some(e) = expectations {
        args.extend(["--expectations", e]);
    }
    mfaspec(&args, None)
}

/// An unexpected failure fails the run and prints a ready-to-paste expectation entry.
#[test]
fn unexpected_failure_exits_1_with_an_entry_to_paste() {
    let scratch = Scratch::new("expect-fail");
    let o = run_scratch(&scratch, None);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("  - id: selftest.describe_user_pool.wrong_expectation\n"),
        "{}",
        stdout(&o)
    );
}

/// A listed failure is xfail, and the run is conformant.
#[test]
fn listed_failure_is_xfail() {
    let scratch = Scratch::new("expect-xfail");
    let e = scratch.file(
        "expect.yaml",
        "expected_failures:\n  - id: selftest.describe_user_pool.wrong_expectation\n    reason: the scenario expects the wrong exception on purpose\n",
    );
    let o = run_scratch(&scratch, Some(&e));
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("1 pass, 1 xfail"), "{}", stdout(&o));
}

/// Strict the other way: a listed scenario that passes (xpass), and an entry that matches no
/// scenario, both fail the run.
#[test]
fn xpass_and_stale_entries_exit_1() {
    let scratch = Scratch::new("expect-xpass");
    let e = scratch.file(
        "expect.yaml",
        "expected_failures:\n  - id: selftest.describe_user_pool.wrong_expectation\n    reason: on purpose\n  - id: selftest.unknown.passes\n    reason: stale entry\n  - id: selftest.nowhere.gone\n    reason: matches nothing\n",
    );
    let o = run_scratch(&scratch, Some(&e));
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("xpass  selftest.unknown.passes"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("stale  selftest.nowhere.gone"),
        "{}",
        stdout(&o)
    );
    let bad = scratch.file("bad.yaml", "expected_failures:\n  - id: x\n    why: no\n");
    let o = run_scratch(&scratch, Some(&bad));
    assert_bad_input(&o, &["bad.yaml", "line 3"]);
}

/// No secret that crossed the wire appears on the console or in any report: the password,
/// SecretCodes, sessions and tokens.
#[test]
fn run_output_and_reports_hold_no_secrets() {
    let scratch = Scratch::new("secrets");
    let reports = scratch.0.join("reports");
    let o = mfaspec(
        &[
            "run",
            "--tags",
            "@walkthrough or @id:codes.respond_to_auth_challenge.wrong_code",
            "--report-dir",
            reports.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let mut texts = vec![stdout(&o).to_owned(), stderr(&o).to_owned()];
    let mut dirs = vec![reports.join("reference")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                texts.push(std::fs::read_to_string(path).unwrap());
            }
        }
    }
    for text in texts {
        assert!(!text.contains("Mfaspec-Pa55word"), "a password leaked");
        // JWTs start with a Base64url `{"`; sessions and refresh tokens are long opaque runs.
        assert!(!text.contains("eyJ"), "a token leaked");
        let longest_run = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .map(str::len)
            .max()
            .unwrap_or(0);
        assert!(
            longest_run < 52,
            "an opaque value of {longest_run} characters (a secret, session or token?) leaked"
        );
    }
}

/// A target that answers every request with an emulator's "unsupported" error: its scenarios
/// are n/a (the target lacks the feature), not failures — and with nothing run, exit 4.
#[test]
fn unsupported_answers_make_scenarios_not_applicable() {
    use std::io::{BufRead, BufReader, Read};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let answer = r#"{"__type":"CognitoLocal#Unsupported","message":"Cognito Local unsupported feature: everything"}"#;
            let mut stream = reader.into_inner();
            let _ = write!(
                stream,
                "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    let scratch = Scratch::new("unsupported");
    let profile = scratch.file(
        "fake.yaml",
        &format!("name: fake\nendpoint: http://{addr}\n"),
    );
    let features = scratch.0.join("features");
    std::fs::create_dir_all(&features).unwrap();
    std::fs::write(
        features.join("one.feature"),
        "Feature: one\n\n  @id:selftest.create_user_pool.unsupported @api:CreateUserPool @doc:BOTO @must\n  Scenario: needs a pool\n    Given a user pool without MFA\n    When the administrator sets the pool's MFA configuration to OFF alone\n    Then the request succeeds\n",
    )
    .unwrap();
    let reports = scratch.0.join("reports");
    let o = mfaspec(
        &[
            "run",
            "--target",
            &profile,
            "--features",
            features.to_str().unwrap(),
            "--report-dir",
            reports.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(4), "{}\n{}", stdout(&o), stderr(&o));
    let outcomes = std::fs::read_to_string(reports.join("fake/outcomes.json")).unwrap();
    assert!(outcomes.contains(r#""outcome": "n/a""#), "{outcomes}");
    assert!(
        outcomes.contains("the target does not support CreateUserPool"),
        "{outcomes}"
    );
}

/// Bare `mfaspec` shows the help with the subcommands and an example; a typo gets clap's
/// "did you mean", on the one error line.
#[test]
fn bare_mfaspec_shows_the_help_and_typos_get_a_suggestion() {
    let o = mfaspec(&[], None);
    assert_eq!(o.status.code(), Some(2));
    let help = stderr(&o);
    for word in [
        "run",
        "code",
        "serve",
        "matrix",
        "cleanup",
        "Examples:",
        "mfaspec run",
    ] {
        assert!(help.contains(word), "{help}");
    }
    let err = assert_bad_input(&mfaspec(&["rnu"], None), &["rnu"]);
    assert!(!err.contains("tip"), "no suggestion for a far typo: {err}");
    assert_bad_input(
        &mfaspec(&["serv"], None),
        &["'serv'", "similar subcommand exists: 'serve'"],
    );
    assert_bad_input(
        &mfaspec(&["run", "--tagz", "x"], None),
        &["'--tagz'", "similar argument exists: '--tags'"],
    );
}

/// A negative time is refused in words; `--next` and `-v` show what a person needs at
/// walk-through step 9 (the step-7 code is spent).
#[test]
fn code_refuses_negative_times_and_shows_the_next_code() {
    assert_bad_input(
        &mfaspec(&["code", "--at", "-1", SHA1_SEED], None),
        &["--at -1", "cannot be negative"],
    );
    let o = mfaspec(&["code", "--at", "59", "--next", SHA1_SEED], None);
    assert_eq!(stdout(&o), "359152\n", "{}", stderr(&o));
    let o = mfaspec(&["code", "--at", "50", "-v", SHA1_SEED], None);
    assert_eq!(
        stdout(&o),
        "287082\nvalid for 10 more s; next step's code: 359152\n",
        "{}",
        stderr(&o)
    );
    let o = mfaspec(
        &["code", "--at", &u64::MAX.to_string(), "--next", SHA1_SEED],
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// No cause is said twice in an error line, and multibyte input never panics.
#[test]
fn errors_say_each_cause_once_and_multibyte_input_is_an_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let err = assert_bad_input(&mfaspec(&["serve", "--addr", &addr], None), &["binding"]);
    assert_eq!(err.matches("in use").count(), 1, "{err}");
    let err = assert_bad_input(
        &mfaspec(&["matrix", "/nonexistent/reports"], None),
        &["/nonexistent/reports"],
    );
    assert_eq!(err.matches("No such file").count(), 1, "{err}");
    let err = assert_bad_input(
        &mfaspec(&["code", "otpauth://totp/a?secret=JBSWY3DPEHPK3PX1"], None),
        &["key URI", "position 16"],
    );
    assert_eq!(err.matches("invalid Base32").count(), 1, "{err}");
    assert_bad_input(&mfaspec(&["code", "aÄÄÄÄÄ"], None), &["'Ä'", "position 2"]);
    assert_bad_input(
        &mfaspec(
            &["code", "otpauth://totp/%41€%FF?secret=JBSWY3DPEHPK3PXP"],
            None,
        ),
        &["percent-encoding in the label"],
    );
}

/// `serve --addr` takes a host name.
#[test]
fn serve_takes_a_host_name() {
    use std::io::{BufRead, BufReader};
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let mut child = crate::scratch::mfaspec_command()
        .args(["serve", "--addr", &format!("localhost:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.contains(&format!(":{port}")), "{first}");
}
