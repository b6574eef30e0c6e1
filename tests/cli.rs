//! The `mfaspec` command line as a person runs it — `code`, `uri`, `serve`, `run`, the help —
//! its output, exit codes, and one-line errors that say what and where.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::selftest::{assert_bad_input, mfaspec, stderr, stdout};

const SHA1_SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

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
    let mut child = crate::support::scratch::mfaspec_command()
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
    let mut child = crate::support::scratch::mfaspec_command()
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
