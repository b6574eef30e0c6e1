//! A profile's `mail:` command is how the suite reads emailed codes from a target that is not
//! mfaspec's own endpoint: a command that reads the right inbox lets the email scenarios pass,
//! and one that prints a wrong code makes every scenario that signs in with it fail — the
//! command's answer is used, never assumed.

use std::collections::BTreeSet;

use mfaspec::reference::Options;

use crate::support::selftest::run_against;

/// `email_mfa.feature` with `command` as the profile's mail command.
async fn run(name: &str, command: &str) -> (Option<i32>, BTreeSet<String>) {
    let mail = format!(
        "mail:\n  command: {}\n  domain: inbox.test\n",
        serde_json::to_string(command).unwrap()
    );
    run_against(
        name,
        Options::default(),
        &[(
            "email_mfa.feature",
            include_str!("../features/email_mfa.feature"),
        )],
        "admin.api, totp.verifies_codes, totp.session_setup, plan.lite",
        &mail,
    )
    .await
}

/// Reads the newest message for `$1` from the endpoint's outbox, as a team's script would read
/// their mail service's API.
const OUTBOX_READER: &str = r#"python3 -c 'import json,sys,urllib.parse,urllib.request; m=json.load(urllib.request.urlopen("{url}/_mfaspec/outbox?to="+urllib.parse.quote(sys.argv[1])))["messages"]; print(m[-1]["body"] if m else "")'"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mail_command_is_where_codes_come_from() {
    let (code, not_passed) = run("mail-right", OUTBOX_READER).await;
    assert_eq!((code, not_passed), (Some(0), BTreeSet::new()));

    let (code, not_passed) = run("mail-wrong", "echo 'Your code is 00000000'; true").await;
    assert_eq!(code, Some(1));
    let expected: BTreeSet<String> = [
        "email_mfa.respond_to_auth_challenge.choose_email",
        "email_mfa.initiate_auth.email_preferred",
        "email_mfa.respond_to_auth_challenge.reused_email_code",
        "email_mfa.respond_to_auth_challenge.mfa_setup_with_email",
    ]
    .map(|id| format!("{id} fail"))
    .into();
    assert_eq!(not_passed, expected);
}
