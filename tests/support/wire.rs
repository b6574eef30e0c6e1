//! The reference endpoint in-process on loopback, with clock control, and the harness's own
//! client to it (retries off): the helpers every test module of the endpoint shares — a pool
//! with an app client, a user, a TOTP-enrolled user, codes at a step, sign-in bodies.

use mfaspec::cognito::{Client, Ledger, RetryPolicy};
use mfaspec::reference::{Options, Running};
use mfaspec::totp::{Secret, Totp};
use mfaspec::vocabulary::Operation;
use serde_json::{Value, json};

pub const PASSWORD: &str = "Correct-Horse-9";

/// The endpoint and the harness's own client to it (`mfaspec::cognito::Client`), retries
/// off: every answer is the endpoint's first.
pub struct Wire {
    client: Client,
    pub running: Running,
}

/// An error answer: (status, __type, message).
pub type Failure = (u16, String, String);

impl Wire {
    pub async fn start() -> Wire {
        Wire::with(Options {
            clock_control: true,
            ..Options::default()
        })
        .await
    }

    /// An endpoint on loopback; with clock control its clock is frozen 10 s into a step, as
    /// the runner freezes it, so no test meets a step boundary by chance.
    pub async fn with(options: Options) -> Wire {
        let running = Running::start("127.0.0.1:0".parse().unwrap(), &options)
            .await
            .unwrap();
        if let Some(clock) = running.endpoint.clock_control() {
            use mfaspec::clock::Clock as _;
            clock.freeze_at(mfaspec::clock::inside_step_millis(
                mfaspec::clock::SystemClock.now_secs(),
            ));
        }
        let client = Client::new(&running.url())
            .with_retry(RetryPolicy {
                max_attempts: 1,
                ..RetryPolicy::default()
            })
            .with_ledger(std::sync::Arc::new(Ledger::unguarded()));
        Wire { client, running }
    }

    /// Posts `body` with exactly `headers`.
    pub async fn raw(&self, headers: &[(&str, &str)], body: Vec<u8>) -> (u16, Value) {
        let answer = self.client.raw(headers, body).await.unwrap();
        (answer.status, answer.body)
    }

    /// Calls `op` as an SDK would (signed where the operation is).
    pub async fn call(&self, op: Operation, body: Value) -> Result<Value, Failure> {
        self.client
            .call(op, &body)
            .await
            .map_err(|e| (e.http_status, e.kind.name().to_owned(), e.message))
    }

    pub async fn ok(&self, op: Operation, body: Value) -> Value {
        match self.call(op, body).await {
            Ok(v) => v,
            Err(e) => panic!("{} failed: {e:?}", op.name()),
        }
    }

    /// Expects `exception` (and `message`, when given).
    pub async fn fails(
        &self,
        op: Operation,
        body: Value,
        exception: &str,
        message: Option<&str>,
    ) -> String {
        match self.call(op, body).await {
            Ok(v) => panic!("{} succeeded, expected {exception}: {v}", op.name()),
            Err((status, kind, text)) => {
                assert_eq!(status, 400, "{kind}: {text}");
                assert_eq!(kind, exception, "{text}");
                if let Some(m) = message {
                    assert_eq!(text, m);
                }
                text
            }
        }
    }

    pub fn now_s(&self) -> u64 {
        use mfaspec::clock::Clock;
        self.running.endpoint.clock_control().unwrap().now_secs()
    }

    pub fn advance_s(&self, secs: i64) {
        self.running
            .endpoint
            .clock_control()
            .unwrap()
            .advance_millis(secs * 1000);
    }
}

/// A pool with TOTP in `mode` and a client; returns (pool id, client id).
pub async fn pool(w: &Wire, mode: &str, client: Value) -> (String, String) {
    let pool = w
        .ok(Operation::CreateUserPool, json!({ "PoolName": "p" }))
        .await;
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    if mode != "OFF" {
        w.ok(
            Operation::SetUserPoolMfaConfig,
            json!({ "UserPoolId": pool_id, "MfaConfiguration": mode, "SoftwareTokenMfaConfiguration": { "Enabled": true } }),
        )
        .await;
    }
    let mut request = json!({ "UserPoolId": pool_id, "ClientName": "app",
        "ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] });
    for (k, v) in client.as_object().unwrap() {
        request[k] = v.clone();
    }
    let c = w.ok(Operation::CreateUserPoolClient, request).await;
    (
        pool_id,
        c["UserPoolClient"]["ClientId"].as_str().unwrap().to_owned(),
    )
}

pub async fn user(w: &Wire, pool_id: &str, username: &str, attributes: Value) {
    w.ok(
        Operation::AdminCreateUser,
        json!({ "UserPoolId": pool_id, "Username": username, "UserAttributes": attributes }),
    )
    .await;
    w.ok(
        Operation::AdminSetUserPassword,
        json!({ "UserPoolId": pool_id, "Username": username, "Password": PASSWORD, "Permanent": true }),
    )
    .await;
}

pub fn admin_sign_in(pool_id: &str, client_id: &str, username: &str) -> Value {
    json!({ "UserPoolId": pool_id, "ClientId": client_id, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
            "AuthParameters": { "USERNAME": username, "PASSWORD": PASSWORD } })
}

/// Signs in without MFA and returns the access token.
pub async fn access_token(w: &Wire, pool_id: &str, client_id: &str, username: &str) -> String {
    let r = w
        .ok(
            Operation::AdminInitiateAuth,
            admin_sign_in(pool_id, client_id, username),
        )
        .await;
    r["AuthenticationResult"]["AccessToken"]
        .as_str()
        .expect("tokens, not a challenge")
        .to_owned()
}

pub fn code(totp: &Totp, step: u64) -> String {
    totp.code_for_step(step).to_string()
}

/// A user with a verified, enabled and preferred TOTP token, set up at the current step;
/// returns (pool, client, generator). The setup used the current step's code.
pub async fn enrolled(w: &Wire, mode: &str) -> (String, String, Totp) {
    let (pool_id, client_id) = pool(w, mode, json!({})).await;
    user(w, &pool_id, "bob", json!([])).await;
    let access = access_token(w, &pool_id, &client_id, "bob").await;
    let totp = verified_token(w, &access).await;
    w.ok(
        Operation::SetUserMFAPreference,
        json!({ "AccessToken": access, "SoftwareTokenMfaSettings": { "Enabled": true, "PreferredMfa": true } }),
    )
    .await;
    (pool_id, client_id, totp)
}

/// AssociateSoftwareToken and VerifySoftwareToken (at the current step, as "BobPhone") for
/// the user of `access`; returns the generator.
pub async fn verified_token(w: &Wire, access: &str) -> Totp {
    let secret = w
        .ok(
            Operation::AssociateSoftwareToken,
            json!({ "AccessToken": access }),
        )
        .await;
    let totp = Totp::cognito(&Secret::from_base32(secret["SecretCode"].as_str().unwrap()).unwrap());
    let step = w.now_s() / 30;
    w.ok(Operation::VerifySoftwareToken, json!({ "AccessToken": access, "UserCode": code(&totp, step), "FriendlyDeviceName": "BobPhone" })).await;
    totp
}

pub fn answer(pool_id: &str, client_id: &str, session: &Value, code: &str) -> Value {
    json!({ "UserPoolId": pool_id, "ClientId": client_id, "ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": session,
            "ChallengeResponses": { "USERNAME": "bob", "SOFTWARE_TOKEN_MFA_CODE": code } })
}

// ---- the wire (spec §1) ----
