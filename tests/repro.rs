//! Reproductions (`report::repro`): a recording becomes a script that holds no secret and no
//! run id, and the script — run for real, with a stand-in `aws` that answers as AWS
//! documents or as an emulator that deviates — exits 0 on the first and 1 on the second, at
//! the step that differs, saying both; its codes come from `mfaspec code` when it runs.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use mfaspec::cognito::{CognitoError, ErrorKind};
use mfaspec::report::repro::{
    self, CodeKind, CodeUse, Known, RawCall, Repro, ScenarioRef, TargetRef,
};
use mfaspec::report::snapshot::{self, Response};
use mfaspec::vocabulary::{Exception, Operation};

use crate::support::scratch::Scratch;

const RUN_ID: &str = "run12345";
const POOL: &str = "us-east-1_Rec0rded1";
const CLIENT: &str = "recordedclient0123456789";
const CLIENT_SECRET: &str = "recorded-client-secret-0123456789abcdef";
const PASSWORD: &str = "Mfaspec-Pa55word!";
const TEMPORARY: &str = "Temporary-Pa55!";
const TOKEN: &str = "eyJrecorded.access.token-0123456789";
const SECRET_CODE: &str = "RECORDEDSECRETCODE234567ABCDEFGH";
/// The SECRET_HASH the recorded sign-in sent: the right one for its user and client.
static SECRET_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    mfaspec::secret_hash::secret_hash(CLIENT_SECRET, &format!("mfaspec-{RUN_ID}-user-4"), CLIENT)
});
const CODE: &str = "402919";

fn secrets() -> Vec<&'static str> {
    vec![
        CLIENT_SECRET,
        PASSWORD,
        TEMPORARY,
        TOKEN,
        SECRET_CODE,
        SECRET_HASH.as_str(),
    ]
}

fn error(exception: Exception, message: &str) -> CognitoError {
    CognitoError {
        kind: ErrorKind::Exception(exception),
        message: message.to_owned(),
        http_status: 400,
    }
}

fn call(operation: Operation, request: Value, answer: Result<Value, CognitoError>) -> RawCall {
    RawCall {
        operation,
        request,
        answer,
        waited: 0,
        codes: Vec::new(),
    }
}

/// A scenario's documented path as the reference endpoint answered it: a pool with a client
/// that has a secret, a user with a password, a sign-in, a TOTP association verified with a
/// fresh code, then AssociateSoftwareToken with something that is not an access token.
fn recording() -> Vec<RawCall> {
    let user = format!("mfaspec-{RUN_ID}-user-4");
    let mut verify = call(
        Operation::VerifySoftwareToken,
        json!({"AccessToken": TOKEN, "UserCode": CODE}),
        Ok(json!({"Status": "SUCCESS"})),
    );
    verify.codes.push(CodeUse {
        value: CODE.into(),
        secret: SECRET_CODE.into(),
        kind: CodeKind::Fresh,
    });
    vec![
        call(
            Operation::CreateUserPool,
            json!({"PoolName": format!("mfaspec-{RUN_ID}-pool-169"), "MfaConfiguration": "OFF",
                "UserPoolTags": {"mfaspec:run": RUN_ID}}),
            Ok(
                json!({"UserPool": {"Id": POOL, "Name": format!("mfaspec-{RUN_ID}-pool-169"),
                "MfaConfiguration": "OFF", "UserPoolTier": "ESSENTIALS"}}),
            ),
        ),
        call(
            Operation::SetUserPoolMfaConfig,
            json!({"UserPoolId": POOL, "MfaConfiguration": "OPTIONAL",
                "SoftwareTokenMfaConfiguration": {"Enabled": true}}),
            Ok(json!({"MfaConfiguration": "OPTIONAL",
                "SoftwareTokenMfaConfiguration": {"Enabled": true}})),
        ),
        call(
            Operation::CreateUserPoolClient,
            json!({"UserPoolId": POOL, "ClientName": format!("mfaspec-{RUN_ID}-client-2"),
                "GenerateSecret": true, "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
            Ok(
                json!({"UserPoolClient": {"ClientId": CLIENT, "ClientSecret": CLIENT_SECRET,
                "UserPoolId": POOL}}),
            ),
        ),
        call(
            Operation::AdminCreateUser,
            json!({"UserPoolId": POOL, "Username": user, "TemporaryPassword": TEMPORARY,
                "MessageAction": "SUPPRESS"}),
            Ok(json!({"User": {"Username": user, "UserStatus": "FORCE_CHANGE_PASSWORD"}})),
        ),
        call(
            Operation::AdminSetUserPassword,
            json!({"UserPoolId": POOL, "Username": user, "Password": PASSWORD, "Permanent": true}),
            Ok(json!({})),
        ),
        call(
            Operation::InitiateAuth,
            json!({"ClientId": CLIENT, "AuthFlow": "USER_PASSWORD_AUTH",
                "AuthParameters": {"USERNAME": user, "PASSWORD": PASSWORD, "SECRET_HASH": SECRET_HASH.as_str()}}),
            Ok(
                json!({"AuthenticationResult": {"AccessToken": TOKEN, "TokenType": "Bearer"},
                "ChallengeParameters": {}}),
            ),
        ),
        call(
            Operation::AssociateSoftwareToken,
            json!({"AccessToken": TOKEN}),
            Ok(json!({"SecretCode": SECRET_CODE})),
        ),
        verify,
        call(
            Operation::AssociateSoftwareToken,
            json!({"AccessToken": "not-an-access-token"}),
            Err(error(Exception::NotAuthorized, "Invalid Access Token")),
        ),
    ]
}

fn is_secret(s: &str) -> bool {
    secrets().contains(&s)
}

fn normalised(calls: &[RawCall]) -> Vec<Response> {
    let known = snapshot::Known {
        pool_id: Some(POOL),
        client_id: Some(CLIENT),
        secrets: None,
    };
    calls
        .iter()
        .map(|c| Response::of(c.operation, &c.answer, &known))
        .collect()
}

/// The reproduction of a target that answered like the recording but for the last call,
/// which it answered with `last`.
fn repro_with(last: Result<Value, CognitoError>) -> Repro {
    let calls = recording();
    let known = Known {
        run_id: RUN_ID,
        is_secret: &is_secret,
    };
    let steps = repro::template(&calls, &known).expect("replayable");
    let expected = normalised(&calls);
    let mut observed_calls = recording();
    observed_calls.last_mut().unwrap().answer = last;
    Repro {
        schema: "mfaspec-repro/1".into(),
        scenario: ScenarioRef {
            id: "tokens.associate_software_token.not_a_token".into(),
            name: "AssociateSoftwareToken with something that is not an access token".into(),
            feature: "features/tokens.feature:30".into(),
            section: Some("docs/behaviour.md §2.3 AssociateSoftwareToken".into()),
            source: Some(
                "I-MOTO-8027, moto issue 8027: https://github.com/getmoto/moto/issues/8027".into(),
            ),
        },
        target: TargetRef {
            name: "an-emulator".into(),
            version: Some("1.2.3".into()),
            endpoint: "http://127.0.0.1:9".into(),
        },
        outcome: "xfail".into(),
        steps,
        expected,
        observed: normalised(&observed_calls),
    }
}

fn deviating() -> Repro {
    repro_with(Ok(json!({"SecretCode": "ANOTHERSECRETCODEABCDEFGH234567"})))
}

/// A scenario about a wrong SECRET_HASH must send the wrong one again: deriving it from the
/// client secret would replay the right one (every such script once ran clean against any
/// target).
#[test]
fn a_wrong_secret_hash_goes_as_it_was_sent_and_a_right_one_is_computed() {
    let wrong = "bm90IHRoZSBoYXNo";
    let mut calls = recording();
    let sign_in = calls
        .iter_mut()
        .find(|c| c.operation == Operation::InitiateAuth)
        .unwrap();
    sign_in.request["AuthParameters"]["SECRET_HASH"] = json!(wrong);
    let known = Known {
        run_id: RUN_ID,
        is_secret: &is_secret,
    };
    let steps = repro::template(&calls, &known).expect("replayable");
    let input = &steps[5].input;
    assert!(
        input.contains(&format!("\"SECRET_HASH\": \"{wrong}\"")),
        "{input}"
    );
    assert!(steps[5].prepare.is_empty(), "{:?}", steps[5].prepare);
    // The right one, from the same recording: computed when the script runs.
    let steps = repro::template(&recording(), &known).expect("replayable");
    assert!(
        steps[5].input.contains("${SECRET_HASH_6}"),
        "{}",
        steps[5].input
    );
}

#[test]
fn a_script_holds_no_secret_and_no_run_id_and_reads_what_the_target_makes() {
    let repro = deviating();
    let script = repro::render(&repro);
    let json = serde_json::to_string(&repro).unwrap();
    for text in [&script, &json] {
        for secret in secrets().into_iter().chain([RUN_ID, POOL, CLIENT, CODE]) {
            assert!(!text.contains(secret), "{secret} in\n{text}");
        }
    }
    // Ids and secrets are captured from the answers that carried them …
    assert!(script.contains("POOL_ID_1=\"${OUT[0]:-}\""), "{script}");
    assert!(
        script.contains("\"UserPoolId\": \"${POOL_ID_1}\""),
        "{script}"
    );
    assert!(
        script.contains("\"AccessToken\": \"${ACCESS_TOKEN_6}\""),
        "{script}"
    );
    // … names come from the script's own run id, numbered in its own order (the run's
    // pool 169 is its pool 1), and so does the run's tag …
    assert!(
        script.contains("\"PoolName\": \"${RUN}-pool-1\""),
        "{script}"
    );
    assert!(
        script.contains("\"mfaspec:run\": \"${RUN_ID}\""),
        "{script}"
    );
    // … passwords are made when it runs …
    assert!(
        script.contains("\"Username\": \"${RUN}-user-1\""),
        "{script}"
    );
    assert!(script.contains("PASSWORD_1=\"$(password)\""), "{script}");
    assert!(
        script.contains("\"Password\": \"${PASSWORD_2}\""),
        "{script}"
    );
    // … and so are the SECRET_HASH and the code.
    assert!(
        script.contains(
            "SECRET_HASH_6=\"$(secret_hash \"${RUN}-user-1\" \"$CLIENT_ID_3\" \"$CLIENT_SECRET_3\")\""
        ),
        "{script}"
    );
    assert!(
        script.contains("fresh_code CODE_8 \"$SECRET_CODE_7\""),
        "{script}"
    );
    // The judged step checks what differs; the others that the call succeeds.
    assert_eq!(repro::first_difference(&repro), Some(8));
    assert!(script.contains(
        "expect_error 9 AssociateSoftwareToken 'NotAuthorizedException' 'Invalid Access Token'"
    ));
    assert!(script.contains("expect_success 8 VerifySoftwareToken"));
    assert!(!script.contains("expect_error 9 AssociateSoftwareToken 'NotAuthorizedException'\n"));
    assert_bash_reads(&script);
}

#[test]
fn what_the_aws_cli_cannot_send_is_said_not_scripted() {
    let known = Known {
        run_id: RUN_ID,
        is_secret: &is_secret,
    };
    let mut calls = recording();
    calls.truncate(4);
    calls.push(call(
        Operation::InitiateAuth,
        json!({"ClientId": CLIENT, "AuthFlow": "USER_SRP_AUTH",
            "AuthParameters": {"USERNAME": "x", "SRP_A": "abcdef0123"}}),
        Ok(json!({})),
    ));
    let err = repro::template(&calls, &known).unwrap_err();
    assert!(err.0.contains("SRP_A"), "{err}");
    calls.pop();
    calls.push(call(
        Operation::RespondToAuthChallenge,
        json!({"ClientId": CLIENT, "ChallengeName": "EMAIL_OTP",
            "ChallengeResponses": {"USERNAME": "x", "EMAIL_OTP_CODE": "12345678"}}),
        Ok(json!({})),
    ));
    let err = repro::template(&calls, &known).unwrap_err();
    assert!(err.0.contains("mailbox"), "{err}");
}

#[test]
fn differences_are_the_exception_its_message_a_missing_key_or_an_enumeration() {
    use repro::Check;
    let of = |answer: Result<Value, CognitoError>| {
        Response::of(
            Operation::DescribeUserPool,
            &answer,
            &snapshot::Known::default(),
        )
    };
    let documented = of(Ok(
        json!({"UserPool": {"Id": "x", "Name": "pool", "UserPoolTier": "ESSENTIALS",
        "MfaConfiguration": "OFF"}}),
    ));
    assert!(repro::differences(&documented, &documented).is_empty());
    // A key the target adds is no difference; one it leaves out, or another value, is.
    let more = of(Ok(
        json!({"UserPool": {"Id": "y", "Name": "other", "UserPoolTier": "ESSENTIALS",
        "MfaConfiguration": "OFF", "Extra": 1}}),
    ));
    assert!(repro::differences(&documented, &more).is_empty());
    let without = of(Ok(
        json!({"UserPool": {"Id": "y", "MfaConfiguration": "ON", "UserPoolTier": "LITE"}}),
    ));
    assert_eq!(
        repro::differences(&documented, &without),
        vec![
            Check::Value {
                path: "UserPool.MfaConfiguration".into(),
                value: "OFF".into()
            },
            // Not an enumeration the snapshots keep: its presence is what is checked.
            Check::Present {
                path: "UserPool.Name".into()
            },
            // The feature plan is one: a pool on the wrong plan is a difference.
            Check::Value {
                path: "UserPool.UserPoolTier".into(),
                value: "ESSENTIALS".into()
            },
        ]
    );
    let refused = of(Err(error(Exception::InvalidParameter, "nope")));
    assert_eq!(
        repro::differences(&documented, &refused),
        vec![Check::Success]
    );
    let other_message = of(Err(error(Exception::InvalidParameter, "no")));
    assert_eq!(
        repro::differences(&refused, &other_message),
        vec![Check::Error {
            r#type: "InvalidParameterException".into(),
            message: Some("nope".into())
        }]
    );
}

#[test]
fn cli_commands_are_botocores_names() {
    for (operation, command) in [
        ("AdminSetUserMFAPreference", "admin-set-user-mfa-preference"),
        ("SetUserMFAPreference", "set-user-mfa-preference"),
        ("GetUserPoolMfaConfig", "get-user-pool-mfa-config"),
        ("AssociateSoftwareToken", "associate-software-token"),
        ("CreateUserPoolDomain", "create-user-pool-domain"),
        (
            "AdminRespondToAuthChallenge",
            "admin-respond-to-auth-challenge",
        ),
        ("GetUserAuthFactors", "get-user-auth-factors"),
    ] {
        assert_eq!(repro::cli_command(operation), command);
    }
}

/// A stand-in for the AWS CLI: answers `cognito-idp` commands as AWS documents (`STUB=aws`)
/// or as an emulator that hands out a SecretCode for anything (`STUB=lenient`) or puts the
/// access token in a message (`STUB=leaky`). It checks what the script sends: the
/// SECRET_HASH, the password and the TOTP code, computed as the script runs.
const STUB: &str = r#"#!/usr/bin/env python3
import base64, hashlib, hmac, json, os, struct, sys, time
args = sys.argv[1:]
assert args[0] == "cognito-idp", args
cmd = args[1]
opt = {args[i]: args[i + 1] for i in range(2, len(args) - 1, 2)}
state_file = os.environ["STUB_STATE"]
state = json.load(open(state_file)) if os.path.exists(state_file) else {}
req = json.load(open(opt["--cli-input-json"][len("file://"):])) if "--cli-input-json" in opt else {}
mode = os.environ["STUB"]
def fail(kind, message):
    sys.stderr.write("\nAn error occurred (%s) when calling the %s operation: %s\n" % (kind, cmd, message))
    json.dump(state, open(state_file, "w"))
    sys.exit(254)
def totp(key, t):
    k = base64.b32decode(key)
    h = hmac.new(k, struct.pack(">Q", t // 30), hashlib.sha1).digest()
    o = h[-1] & 15
    return "%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7fffffff) % 1000000)
TOKEN = "eyJstub.token-" + "A" * 30
if cmd == "set-user-pool-mfa-config":
    answer = {"MfaConfiguration": req["MfaConfiguration"], "SoftwareTokenMfaConfiguration": {"Enabled": True}}
elif cmd == "create-user-pool":
    state["pools"] = state.get("pools", []) + ["us-west-2_Stub%d" % len(state.get("pools", []))]
    answer = {"UserPool": {"Id": state["pools"][-1], "Name": req["PoolName"], "MfaConfiguration": "OFF", "UserPoolTier": "ESSENTIALS"}}
elif cmd == "create-user-pool-client":
    answer = {"UserPoolClient": {"ClientId": "stubclient42", "ClientSecret": "stub-client-secret-xyz", "UserPoolId": req["UserPoolId"]}}
elif cmd == "admin-create-user":
    answer = {"User": {"Username": req["Username"], "UserStatus": "FORCE_CHANGE_PASSWORD"}}
elif cmd == "admin-set-user-password":
    state["password"] = req["Password"]
    answer = {}
elif cmd == "initiate-auth":
    p = req["AuthParameters"]
    want = base64.b64encode(hmac.new(b"stub-client-secret-xyz", (p["USERNAME"] + "stubclient42").encode(), hashlib.sha256).digest()).decode()
    if p["SECRET_HASH"] != want: fail("NotAuthorizedException", "SECRET_HASH wrong")
    if p["PASSWORD"] != state.get("password"): fail("NotAuthorizedException", "Incorrect username or password.")
    answer = {"AuthenticationResult": {"AccessToken": TOKEN, "TokenType": "Bearer"}, "ChallengeParameters": {}}
elif cmd == "associate-software-token":
    if req["AccessToken"] != TOKEN and mode != "lenient": fail("NotAuthorizedException", "Invalid Access Token")
    answer = {"SecretCode": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"}
elif cmd == "verify-software-token":
    now = int(time.time())
    if mode == "validating":
        sys.stderr.write("\nParameter validation failed:\nInvalid length for parameter UserCode, value: 5, valid min length: 6\n")
        sys.exit(252)
    if mode == "leaky": fail("CodeMismatchException", "no code for " + req["AccessToken"])
    if req["UserCode"] not in [totp("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", now + 30 * k) for k in (-1, 0, 1)]:
        fail("CodeMismatchException", "Invalid code received for user")
    answer = {"Status": "SUCCESS"}
elif cmd == "delete-user-pool":
    state["deleted"] = state.get("deleted", []) + [req.get("UserPoolId") or opt.get("--user-pool-id")]
    answer = {}
else:
    fail("UnknownOperationException", cmd)
json.dump(state, open(state_file, "w"))
import re
def evaluate(expr, value):
    expr = expr.strip()
    if expr == "`null`": return None
    m = re.fullmatch(r"(.*) != `null`", expr)
    if m: return evaluate(m.group(1), value) is not None
    for part in expr.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value
q = opt.get("--query", "`null`")
items = [evaluate(e, answer) for e in q[1:-1].split(",")] if q.startswith("[") else [evaluate(q, answer)]
def text(v):
    return "None" if v is None else ("True" if v is True else "False" if v is False else str(v))
print("\t".join(text(v) for v in items))
"#;

/// Runs `script` with the stand-in `aws` in `mode` and the `mfaspec` binary on PATH.
fn run(scratch: &Scratch, script: &str, mode: &str) -> (i32, String, Value) {
    let bin = scratch.path("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let aws = bin.join("aws");
    std::fs::write(&aws, STUB).unwrap();
    set_executable(&aws);
    let mfaspec = Path::new(env!("CARGO_BIN_EXE_mfaspec"));
    let state = scratch.path(&format!("state-{mode}.json"));
    let path = format!(
        "{}:{}:{}",
        bin.display(),
        mfaspec.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .args(["-c", script, "repro", "http://127.0.0.1:9"])
        .env("PATH", path)
        .env("STUB", mode)
        .env("STUB_STATE", &state)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let state: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    (out.status.code().unwrap_or(-1), text, state)
}

fn set_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn the_script_passes_where_the_answers_are_documented_and_stops_where_they_are_not() {
    let scratch = Scratch::new("repro-run");
    let script = repro::render(&deviating());

    // As AWS documents: every step as documented, exit 0, the pool deleted.
    let (code, text, state) = run(&scratch, &script, "aws");
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("every answer was as AWS documents (9 steps)"),
        "{text}"
    );
    assert_eq!(state["deleted"], state["pools"], "{state}");

    // The emulator's deviation: exit 1 at step 9, both sides said, with the source.
    let (code, text, state) = run(&scratch, &script, "lenient");
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("step 9, AssociateSoftwareToken: the answer differs from what AWS documents"),
        "{text}"
    );
    assert!(
        text.contains("AWS documents:  NotAuthorizedException: Invalid Access Token"),
        "{text}"
    );
    assert!(text.contains("this endpoint:  success"), "{text}");
    assert!(
        text.contains("https://github.com/getmoto/moto/issues/8027"),
        "{text}"
    );
    assert_eq!(state["deleted"], state["pools"], "{state}");

    // A request the AWS CLI will not send is no deviation: exit 2, with what it said.
    let (code, text, _) = run(&scratch, &script, "validating");
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("step 8: the AWS CLI did not get an answer: Parameter validation failed"),
        "{text}"
    );

    // A message that holds the access token is shown without it.
    let (code, text, _) = run(&scratch, &script, "leaky");
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("step 8, VerifySoftwareToken"), "{text}");
    assert!(!text.contains("eyJstub"), "{text}");
    assert!(
        text.contains("CodeMismatchException: no code for <redacted>"),
        "{text}"
    );
}

/// `mfaspec run` of `mfa_bypass.feature` against a reference endpoint whose USER_AUTH
/// PASSWORD factor skips the TOTP challenge: the run leaves a script per failure in
/// `repro/`, free of secrets and run ids, that `mfaspec repro` prints again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_leaves_a_script_per_deviation_and_repro_prints_it() {
    use mfaspec::reference::{Defect, Options};
    let options = Options {
        defect: Some(Defect::UserAuthSkipsMfa),
        ..Options::default()
    };
    let features = [(
        "mfa_bypass.feature",
        include_str!("../features/mfa_bypass.feature"),
    )];
    let capabilities = "admin.api, totp.verifies_codes, totp.session_setup, auth.user_auth";
    let (output, scratch) =
        crate::support::selftest::run_kept("skips-mfa", options, &features, capabilities, "").await;
    let reports = scratch.path("reports");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let dir = reports.join("skips-mfa").join("repro");
    let index = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let failed = [
        "mfa_bypass.initiate_auth.user_auth_preferring_password",
        "mfa_bypass.respond_to_auth_challenge.user_auth_choosing_password",
    ];
    for id in failed {
        assert!(
            index.contains(&format!("| `{id}` | fail | step ")),
            "{index}"
        );
        let script = std::fs::read_to_string(dir.join(format!("{id}.sh"))).unwrap();
        assert!(script.starts_with("#!/usr/bin/env bash\n"));
        assert!(script.contains("# Made by mfaspec from a run against skips-mfa"));
        // The judged call: the TOTP challenge was documented, tokens came.
        assert!(
            script.contains(" 'ChallengeName' 'SOFTWARE_TOKEN_MFA' \"${OUT["),
            "{script}"
        );
        assert_bash_reads(&script);
        let issue = std::fs::read_to_string(dir.join(format!("{id}.issue.md"))).unwrap();
        assert!(issue.contains("**AWS documents:**"), "{issue}");
        // `mfaspec repro` prints the same script, from the root or the target's folder.
        for folder in [&reports, &reports.join("skips-mfa")] {
            let printed =
                crate::support::selftest::mfaspec(&["repro", folder.to_str().unwrap(), id], None);
            assert_eq!(printed.status.code(), Some(0));
            assert_eq!(String::from_utf8_lossy(&printed.stdout), script);
        }
    }
    // Nothing a run made is in them: no run id, no password, no token, no secret.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(
            !crate::support::leaks::has_run_id(&text),
            "a run id in {text}"
        );
        for secret in ["Mfaspec-Pa55word!", "Temporary-Pa55!"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        let jwt = crate::support::leaks::has_token(&text);
        assert!(!jwt, "a token in {text}");
    }
    // A scenario with no reproduction, or none at all, is exit 2 with why.
    let none = crate::support::selftest::mfaspec(
        &["repro", reports.to_str().unwrap(), "no.such.scenario"],
        None,
    );
    assert_eq!(none.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&none.stderr).contains("no reproduction of `no.such.scenario`")
    );
}

/// Bash reads `script` without a syntax error.
fn assert_bash_reads(script: &str) {
    let syntax = Command::new("bash")
        .args(["-n", "-c", script])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&syntax.stderr);
    assert!(syntax.status.success(), "{stderr}");
}

/// A scenario the reference endpoint itself fails has no documented path: no script is made
/// from it (it would replay the reference's own deviation as what AWS documents), and the
/// index says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scenario_the_reference_fails_gets_no_script() {
    let features = [(
        "selftest.feature",
        crate::support::selftest::FAILING_FEATURE,
    )];
    let (output, scratch) = crate::support::selftest::run_kept(
        "other",
        mfaspec::reference::Options::default(),
        &features,
        "wire.raw",
        "",
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    let dir = scratch.path("reports/other/repro");
    let index = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(
        index.contains("selftest.describe_user_pool.wrong_expectation")
            && index.contains("the reference endpoint did not pass it"),
        "{index}"
    );
    assert!(
        !dir.join("selftest.describe_user_pool.wrong_expectation.sh")
            .exists()
    );
}

/// Where two successes differ, the one-line summary names the key or the value, not two
/// identical "success (…)".
#[test]
fn the_difference_line_names_the_key_or_value_that_differs() {
    let calls: Vec<RawCall> = recording().into_iter().take(6).collect();
    let known = Known {
        run_id: RUN_ID,
        is_secret: &is_secret,
    };
    let mut observed = calls.clone();
    observed[5].answer =
        Ok(json!({"AuthenticationResult": {"AccessToken": TOKEN}, "ChallengeParameters": {}}));
    let mut repro = repro_with(Ok(json!({})));
    repro.steps = repro::template(&calls, &known).unwrap();
    repro.expected = normalised(&calls);
    repro.observed = normalised(&observed);
    assert_eq!(
        repro::difference_line(&repro).as_deref(),
        Some(
            "step 6 of 6, InitiateAuth: both succeed, but its answer lacks AuthenticationResult.TokenType"
        )
    );
    observed[5].answer = Ok(
        json!({"AuthenticationResult": {"AccessToken": TOKEN, "TokenType": "bearer"}, "ChallengeParameters": {}}),
    );
    repro.observed = normalised(&observed);
    assert_eq!(
        repro::difference_line(&repro).as_deref(),
        Some(
            "step 6 of 6, InitiateAuth: both succeed, but AuthenticationResult.TokenType is bearer, not Bearer"
        )
    );
    observed[5].answer = Ok(json!({"ChallengeParameters": {}}));
    repro.observed = normalised(&observed);
    assert_eq!(
        repro::difference_line(&repro).as_deref(),
        Some("step 6 of 6, InitiateAuth: both succeed, but its answer lacks AuthenticationResult")
    );
}
