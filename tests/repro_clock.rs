//! A reproduction that involves TOTP codes works across 30-second boundaries: it computes each
//! code when it runs and never reuses one. The clock is frozen and moved, not waited for: the
//! script runs against the reference endpoint with clock control, through a stand-in `aws`
//! that forwards each call as the AWS CLI sends it, with `date` and `sleep` on its PATH that
//! read and move the same frozen clock (each call takes a second). Negative control: the same
//! script without its wait for an unused step reuses a code, and the endpoint refuses it.

use std::path::Path;
use std::process::Command;

use crate::support::scratch::Scratch;
use crate::support::selftest::{mfaspec, stdout};

const SCENARIO: &str = "walkthrough.initiate_auth.end_to_end";

/// The stand-in for the AWS CLI: sends the request as the CLI would (JSON 1.1, the
/// operation in X-Amz-Target, a SigV4-shaped Authorization), prints the `--query` fields as
/// `--output text` does, or the error as the CLI words it; each call moves the clock a second.
const AWS: &str = r##"#!/usr/bin/env python3
import json, os, re, subprocess, sys, urllib.request, urllib.error
args = sys.argv[1:]
assert args[0] == "cognito-idp", args
cmd = args[1]
opt = {args[i]: args[i + 1] for i in range(2, len(args) - 1, 2)}
here = os.path.dirname(os.path.abspath(__file__))
subprocess.run([sys.executable, os.path.join(here, "clock.py"), "advance", "1"], check=True)
if "--cli-input-json" in opt:
    body = json.load(open(opt["--cli-input-json"][len("file://"):]))
else:
    names = {"--user-pool-id": "UserPoolId", "--domain": "Domain"}
    body = {names[k]: v for k, v in opt.items() if k in names}
op = "".join(p.capitalize() for p in cmd.split("-")).replace("MfaPreference", "MFAPreference")
if "UserCode" in body or "SOFTWARE_TOKEN_MFA_CODE" in json.dumps(body):
    code = body.get("UserCode") or body.get("ChallengeResponses", {}).get("SOFTWARE_TOKEN_MFA_CODE")
    with open(os.path.join(here, "codes.log"), "a") as log:
        log.write("%s %s\n" % (open(os.path.join(here, "now")).read().strip(), code))
request = urllib.request.Request(opt["--endpoint-url"].rstrip("/") + "/", data=json.dumps(body).encode(), method="POST", headers={
    "Content-Type": "application/x-amz-json-1.1",
    "X-Amz-Target": "AWSCognitoIdentityProviderService." + op,
    "Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=0",
})
try:
    answer = json.load(urllib.request.urlopen(request))
except urllib.error.HTTPError as e:
    err = json.load(e)
    kind = err.get("__type", "").split("#")[-1]
    sys.stderr.write("\nAn error occurred (%s) when calling the %s operation: %s\n" % (kind, op, err.get("message", "")))
    sys.exit(254)
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
"##;

/// The frozen clock: `set T`, `advance N`; kept in `now` and sent to the endpoint's clock.
const CLOCK: &str = r#"#!/usr/bin/env python3
import json, os, sys, urllib.request
here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(here, "now")
now = int(sys.argv[2]) if sys.argv[1] == "set" else int(open(path).read()) + int(sys.argv[2])
open(path, "w").write(str(now))
endpoint = open(os.path.join(here, "endpoint")).read().strip()
urllib.request.urlopen(urllib.request.Request(endpoint + "/_mfaspec/clock", method="POST",
    data=json.dumps({"freeze_ms": now * 1000}).encode(), headers={"Content-Type": "application/json"}))
"#;

/// `date +%s` reads the frozen clock; `sleep N` moves it.
const DATE: &str = "#!/usr/bin/env bash\nif [ \"$1\" = +%s ]; then cat \"$(dirname \"$0\")/now\"; else exec /bin/date \"$@\"; fi\n";
const SLEEP: &str =
    "#!/usr/bin/env bash\nexec python3 \"$(dirname \"$0\")/clock.py\" advance \"${1%%.*}\"\n";

/// The reproduction of the walk-through (listed as an expected failure of a target that is
/// the reference endpoint under another name: its xpass gets a script).
fn walkthrough_script(scratch: &Scratch) -> String {
    let profile = scratch.file(
        "other.yaml",
        "name: other\nversion: 1.0.0\nendpoint: embedded\nclock_control: true\nreplay_rule: same_step\ncapabilities: [admin.api, totp.verifies_codes, totp.session_setup]\n",
    );
    let listed = scratch.file(
        "listed.yaml",
        &format!("expected_failures:\n  - id: {SCENARIO}\n    reason: listed to get its script\n"),
    );
    let reports = scratch.path("reports");
    let o = mfaspec(
        &[
            "run",
            "--target",
            &profile,
            "--expectations",
            &listed,
            "--tags",
            &format!("@id:{SCENARIO}"),
            "--report-dir",
            reports.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let script =
        std::fs::read_to_string(reports.join(format!("other/repro/{SCENARIO}.sh"))).unwrap();
    assert_eq!(script.matches("\nfresh_code CODE_").count(), 2, "{script}");
    script
}

/// Runs `script` against `endpoint` with the clock frozen at `start`; returns the exit code,
/// the output and the `(time, code)` of each code sent.
fn run_at(
    scratch: &Scratch,
    name: &str,
    script: &str,
    endpoint: &str,
    start: u64,
) -> (i32, String, Vec<(u64, String)>) {
    let bin = scratch.path(name);
    std::fs::create_dir_all(&bin).unwrap();
    for (file, text) in [
        ("aws", AWS),
        ("clock.py", CLOCK),
        ("date", DATE),
        ("sleep", SLEEP),
    ] {
        let path = bin.join(file);
        std::fs::write(&path, text).unwrap();
        set_executable(&path);
    }
    std::fs::write(bin.join("endpoint"), endpoint).unwrap();
    let set = Command::new("python3")
        .args([
            bin.join("clock.py").to_str().unwrap(),
            "set",
            &start.to_string(),
        ])
        .status()
        .unwrap();
    assert!(set.success());
    let mfaspec = Path::new(env!("CARGO_BIN_EXE_mfaspec"));
    let path = format!(
        "{}:{}:{}",
        bin.display(),
        mfaspec.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .args(["-c", script, "repro", endpoint])
        .env("PATH", path)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let codes = std::fs::read_to_string(bin.join("codes.log"))
        .unwrap_or_default()
        .lines()
        .map(|l| {
            let (t, c) = l.split_once(' ').unwrap();
            (t.parse().unwrap(), c.to_owned())
        })
        .collect();
    (out.status.code().unwrap_or(-1), text, codes)
}

fn set_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reproduction_computes_each_code_when_it_runs_across_step_boundaries() {
    let options = mfaspec::reference::Options {
        clock_control: true,
        ..Default::default()
    };
    let running = mfaspec::reference::Running::start("127.0.0.1:0".parse().unwrap(), &options)
        .await
        .unwrap();
    let endpoint = running.url();
    let scratch = Scratch::new("repro-clock");
    let script = walkthrough_script(&scratch);
    let step = 1_800_000_000 / 30 * 30;
    let broken = script.replace("while (( now / 30 <= LAST_STEP ))", "while false");
    assert_ne!(
        broken, script,
        "the wait for an unused step is where it was"
    );
    let runs = tokio::task::spawn_blocking(move || {
        [
            // A step's first second: the second code waits for the next step.
            run_at(&scratch, "early", &script, &endpoint, step + 1),
            // Three seconds before a boundary: the first code is not computed in a step's
            // last seconds, and the second waits again.
            run_at(&scratch, "late", &script, &endpoint, step + 20),
            // Negative control: without the wait, both codes are one step's.
            run_at(&scratch, "broken", &broken, &endpoint, step + 1),
        ]
    })
    .await
    .unwrap();
    for (code, text, codes) in &runs[..2] {
        assert_eq!(*code, 0, "{text}");
        assert!(
            text.contains("every answer was as AWS documents (11 steps)"),
            "{text}"
        );
        assert_eq!(codes.len(), 2, "{codes:?}");
        let steps: Vec<u64> = codes.iter().map(|(t, _)| t / 30).collect();
        assert!(
            steps[1] > steps[0],
            "a step boundary between the codes: {codes:?}"
        );
        assert_ne!(codes[0].1, codes[1].1, "{codes:?}");
        // No code was computed in a step's last seconds, where it would be stale on arrival.
        assert!(codes.iter().all(|(t, _)| t % 30 < 29), "{codes:?}");
    }
    let (code, text, codes) = &runs[2];
    assert_eq!(*code, 1, "{text}");
    assert_eq!(codes[0].1, codes[1].1, "{codes:?}");
    assert!(text.contains("step 11, RespondToAuthChallenge"), "{text}");
}
