//! A populated endpoint for fuzzing (`fuzz/`, `tests/reference_fuzz.rs`): a pool with TOTP
//! optional, an app client with every flow and one with a secret, a signed-in user with
//! tokens, and a second user in an MFA-required pool holding an MFA_SETUP session. Random
//! requests name them through placeholders (`$POOL`, `$CLIENT`, …), so they reach past the
//! lookups into the operations, token validities and all.
//!
//! Uses only [`Endpoint::handle`], as a client would.

use serde_json::{Value, json};

use super::endpoint::{Endpoint, RequestMeta};
use crate::vocabulary::Operation;

/// The password of the fixture's users.
pub const PASSWORD: &str = "Fuzz-Pa55word!";

/// The ids and secrets of what exists.
#[derive(Debug, Clone, Default)]
pub struct State {
    /// `$POOL`: an OPTIONAL-MFA pool with TOTP enabled.
    pub pool: String,
    /// `$CLIENT`: an app client allowing every password and refresh flow.
    pub client: String,
    /// `$SECRET_CLIENT`: an app client with a secret.
    pub secret_client: String,
    /// `$USER`: a confirmed user of `$POOL`.
    pub user: String,
    /// `$ACCESS`: the user's access token.
    pub access: String,
    /// `$REFRESH`: the user's refresh token.
    pub refresh: String,
    /// `$SESSION`: an MFA_SETUP session of a user in an MFA-required pool.
    pub session: String,
}

fn call(endpoint: &Endpoint, op: Operation, body: &Value) -> Value {
    let target = format!("{}.{}", crate::vocabulary::TARGET_PREFIX, op.name());
    let meta = RequestMeta {
        target: Some(&target),
        content_type: Some(crate::vocabulary::CONTENT_TYPE),
        authorization: Some(crate::vocabulary::PLACEHOLDER_SIGNATURE),
        host: Some("127.0.0.1:1"),
    };
    endpoint.handle(meta, body.to_string().as_bytes()).1
}

fn text(v: &Value, path: &[&str]) -> String {
    path.iter()
        .fold(v, |v, k| &v[*k])
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

impl State {
    /// Creates everything on `endpoint`.
    #[must_use]
    pub fn create(endpoint: &Endpoint) -> State {
        let flows = json!([
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_SRP_AUTH"
        ]);
        let pool = |mode: &str| {
            let pool = call(
                endpoint,
                Operation::CreateUserPool,
                &json!({ "PoolName": "fuzz" }),
            );
            let id = text(&pool, &["UserPool", "Id"]);
            call(
                endpoint,
                Operation::SetUserPoolMfaConfig,
                &json!({ "UserPoolId": id, "MfaConfiguration": mode,
                         "SoftwareTokenMfaConfiguration": { "Enabled": true } }),
            );
            id
        };
        let client = |pool: &str, secret: bool| {
            let c = call(
                endpoint,
                Operation::CreateUserPoolClient,
                &json!({ "UserPoolId": pool, "ClientName": "fuzz", "GenerateSecret": secret,
                         "ExplicitAuthFlows": flows }),
            );
            text(&c, &["UserPoolClient", "ClientId"])
        };
        let user = |pool: &str, name: &str| {
            call(
                endpoint,
                Operation::AdminCreateUser,
                &json!({ "UserPoolId": pool, "Username": name }),
            );
            call(
                endpoint,
                Operation::AdminSetUserPassword,
                &json!({ "UserPoolId": pool, "Username": name, "Password": PASSWORD, "Permanent": true }),
            );
        };
        let sign_in = |pool: &str, client: &str, name: &str| {
            call(
                endpoint,
                Operation::AdminInitiateAuth,
                &json!({ "UserPoolId": pool, "ClientId": client, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
                         "AuthParameters": { "USERNAME": name, "PASSWORD": PASSWORD } }),
            )
        };
        let optional = pool("OPTIONAL");
        let app = client(&optional, false);
        let secret_app = client(&optional, true);
        user(&optional, "fuzz-user");
        let tokens = sign_in(&optional, &app, "fuzz-user");
        let required = pool("ON");
        let required_app = client(&required, false);
        user(&required, "fuzz-setup");
        let setup = sign_in(&required, &required_app, "fuzz-setup");
        State {
            pool: optional,
            client: app,
            secret_client: secret_app,
            user: "fuzz-user".to_owned(),
            access: text(&tokens, &["AuthenticationResult", "AccessToken"]),
            refresh: text(&tokens, &["AuthenticationResult", "RefreshToken"]),
            session: text(&setup, &["Session"]),
        }
    }

    /// Makes it all again if a request deleted the pool, the client or the user.
    pub fn refresh_if_gone(&mut self, endpoint: &Endpoint) {
        let user = call(
            endpoint,
            Operation::AdminGetUser,
            &json!({ "UserPoolId": self.pool, "Username": self.user }),
        );
        let client = call(
            endpoint,
            Operation::DescribeUserPoolClient,
            &json!({ "UserPoolId": self.pool, "ClientId": self.client }),
        );
        if user.get("Username").is_none() || client.get("UserPoolClient").is_none() {
            *self = State::create(endpoint);
        }
    }

    /// `text` with every placeholder replaced by what it stands for.
    #[must_use]
    pub fn substitute(&self, text: &str) -> String {
        text.replace("$SECRET_CLIENT", &self.secret_client)
            .replace("$POOL", &self.pool)
            .replace("$CLIENT", &self.client)
            .replace("$USER", &self.user)
            .replace("$ACCESS", &self.access)
            .replace("$REFRESH", &self.refresh)
            .replace("$SESSION", &self.session)
    }

    /// The placeholders, for generators of random requests.
    pub const PLACEHOLDERS: &'static [&'static str] = &[
        "$POOL",
        "$CLIENT",
        "$SECRET_CLIENT",
        "$USER",
        "$ACCESS",
        "$REFRESH",
        "$SESSION",
    ];
}
