//! `mfaspec serve --seed FILE`: the example seed's pool, client, domain and users exist with
//! their given ids, and its TOTP user signs in with a code from the secret the file gives;
//! a bad seed is one line naming file, line and column, exit 2; with `--state`, a seed is
//! applied only to a new state file.

use std::sync::Arc;

use mfaspec::reference::Options;
use mfaspec::reference::seed::Seed;
use mfaspec::totp::{Secret, Totp};
use mfaspec::vocabulary::Operation;
use serde_json::json;

use crate::support::scratch::Scratch;
use crate::support::selftest::{assert_bad_input, mfaspec};
use crate::support::wire::Wire;

const EXAMPLE: &str = "fixtures/seeds/example.yaml";

fn seeded(path: &str) -> Options {
    Options {
        clock_control: true,
        seed: Some(Arc::new(Seed::load(std::path::Path::new(path)).unwrap())),
        ..Options::default()
    }
}

#[tokio::test]
async fn the_example_seed_makes_its_pool_client_domain_and_users() {
    let w = Wire::with(seeded(EXAMPLE)).await;
    let pool = w
        .ok(
            Operation::DescribeUserPool,
            json!({ "UserPoolId": "us-east-1_Example01" }),
        )
        .await;
    assert_eq!(pool["UserPool"]["Name"], "example");
    assert!(
        pool["UserPool"]["Arn"]
            .as_str()
            .unwrap()
            .ends_with("/us-east-1_Example01")
    );
    let config = w
        .ok(
            Operation::GetUserPoolMfaConfig,
            json!({ "UserPoolId": "us-east-1_Example01" }),
        )
        .await;
    assert_eq!(config["MfaConfiguration"], "OPTIONAL");
    assert_eq!(config["SoftwareTokenMfaConfiguration"]["Enabled"], true);
    let client = w
        .ok(
            Operation::DescribeUserPoolClient,
            json!({ "UserPoolId": "us-east-1_Example01", "ClientId": "exampleappclient0000000001" }),
        )
        .await;
    assert_eq!(
        client["UserPoolClient"]["AllowedOAuthFlows"],
        json!(["code"])
    );
    let domain = w
        .ok(
            Operation::DescribeUserPoolDomain,
            json!({ "Domain": "example-app" }),
        )
        .await;
    assert_eq!(
        domain["DomainDescription"]["UserPoolId"],
        "us-east-1_Example01"
    );

    // alice signs in with her password and a code from the secret the seed gave her phone.
    let challenge = w
        .ok(
            Operation::InitiateAuth,
            json!({ "ClientId": "exampleappclient0000000001", "AuthFlow": "USER_PASSWORD_AUTH",
                    "AuthParameters": { "USERNAME": "alice", "PASSWORD": "Example-Passw0rd" } }),
        )
        .await;
    assert_eq!(challenge["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    assert_eq!(
        challenge["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"],
        "AlicePhone"
    );
    let totp = Totp::cognito(&Secret::from_base32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").unwrap());
    let code = totp.code_for_step(w.now_s() / 30).to_string();
    let tokens = w
        .ok(
            Operation::RespondToAuthChallenge,
            json!({ "ClientId": "exampleappclient0000000001", "ChallengeName": "SOFTWARE_TOKEN_MFA",
                    "Session": challenge["Session"],
                    "ChallengeResponses": { "USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": code } }),
        )
        .await;
    assert!(tokens["AuthenticationResult"]["IdToken"].is_string());
    // bob has no MFA: his password alone signs him in (MFA is OPTIONAL).
    let bob = w
        .ok(
            Operation::InitiateAuth,
            json!({ "ClientId": "exampleappclient0000000001", "AuthFlow": "USER_PASSWORD_AUTH",
                    "AuthParameters": { "USERNAME": "bob", "PASSWORD": "Example-Passw0rd" } }),
        )
        .await;
    assert!(bob["AuthenticationResult"]["AccessToken"].is_string());
}

#[test]
fn a_bad_seed_names_file_line_and_column_and_exits_2() {
    let scratch = Scratch::new("seed-bad");
    let cases = [
        // A type error: serde_yaml's position.
        (
            "type.yaml",
            "pools:\n  - name: p\n    users: yes\n",
            "line 3, column 12",
        ),
        // A field no seed has.
        (
            "field.yaml",
            "pools:\n  - name: p\n    colour: blue\n",
            "unknown field `colour`",
        ),
        // An id of another region: the entry's line and its path.
        (
            "id.yaml",
            "pools:\n  - id: eu-west-1_Abc\n    name: p\n",
            "line 2, column 5 (pools[0].id)",
        ),
        // What CreateUserPoolClient refuses, as AWS would, at the client's line.
        (
            "flow.yaml",
            "pools:\n  - name: p\n    clients:\n      - name: web\n        flows: [ALLOW_TELEPATHY]\n",
            "line 4, column 9 (pools[0].clients[0]): InvalidParameterException",
        ),
        // A TOTP secret that is not Base32.
        (
            "secret.yaml",
            "pools:\n  - name: p\n    mfa: OPTIONAL\n    users:\n      - username: u\n        password: Passw0rd-Long\n        totp: { secret: 'not base32!' }\n",
            "line 7, column 17 (pools[0].users[0].totp.secret)",
        ),
    ];
    for (name, text, mention) in cases {
        let path = scratch.file(name, text);
        let o = mfaspec(&["serve", "--addr", "127.0.0.1:0", "--seed", &path], None);
        let err = assert_bad_input(&o, &[name, mention]);
        assert!(err.starts_with("mfaspec: seed file `"), "{err}");
    }
    let o = mfaspec(
        &[
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--seed",
            "no/such/seed.yaml",
        ],
        None,
    );
    assert_bad_input(&o, &["no/such/seed.yaml", "cannot be read"]);
}

#[tokio::test]
async fn with_state_the_seed_is_applied_once() {
    let scratch = Scratch::new("seed-state");
    let path = scratch.path("state.db");
    let options = || Options {
        state: Some(path.clone()),
        ..seeded(EXAMPLE)
    };
    let w = Wire::with(options()).await;
    assert!(!w.running.endpoint.resumed());
    w.ok(
        Operation::AdminDeleteUser,
        json!({ "UserPoolId": "us-east-1_Example01", "Username": "bob" }),
    )
    .await;
    w.running.stop().await.unwrap();
    // Restarted with the same seed: the state is resumed as it was (bob stays deleted).
    let w = Wire::with(options()).await;
    assert!(w.running.endpoint.resumed());
    let users = w
        .ok(
            Operation::ListUsers,
            json!({ "UserPoolId": "us-east-1_Example01" }),
        )
        .await;
    let names: Vec<&str> = users["Users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["Username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alice"]);
    w.running.stop().await.unwrap();
}

/// A seed that fails half-way leaves no state file behind: the fixed seed is then applied,
/// not skipped as if the file held state.
#[test]
fn a_failed_seed_leaves_no_state_file() {
    let scratch = Scratch::new("seed-state-bad");
    let state = scratch.path("state.db");
    let bad = scratch.file(
        "bad.yaml",
        "pools:\n  - name: ok\n  - name: p\n    clients:\n      - name: web\n        flows: [ALLOW_TELEPATHY]\n",
    );
    let o = mfaspec(
        &[
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--state",
            state.to_str().unwrap(),
            "--seed",
            &bad,
        ],
        None,
    );
    assert_bad_input(&o, &["pools[1].clients[0]"]);
    assert!(
        !state.exists(),
        "the half-seeded state file was left behind"
    );
}
