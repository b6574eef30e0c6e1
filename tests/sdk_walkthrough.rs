//! AWS's "enable TOTP MFA" walk-through (spec §5), driven end to end with the AWS SDK for
//! Rust against the reference endpoint running in-process on loopback: pool MFA config,
//! AssociateSoftwareToken, the phone (our TOTP core), VerifySoftwareToken, the preference,
//! and sign-in answering SOFTWARE_TOKEN_MFA — through the admin and the public operations —
//! plus the MFA_SETUP session chain. Tokens are checked against the pool's JWKS.

use std::collections::HashSet;

use aws_sdk_cognitoidentityprovider as cognito;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, SoftwareTokenMfaConfigType,
    SoftwareTokenMfaSettingsType, UserPoolMfaType, VerifySoftwareTokenResponseType,
};
use mfaspec::reference::{Options, Running};
use mfaspec::totp::{Secret, Totp};
use rsa::signature::Verifier;
use serde_json::Value;

const PASSWORD: &str = "Correct-Horse-9";

/// The test's authenticator app: hands out a code the server has not seen yet, from the
/// current step or a neighbour the ±1 window accepts, so no test waits for the clock.
pub struct Phone {
    totp: Totp,
    used: HashSet<String>,
}

impl Phone {
    pub fn new(secret_code: &str) -> Phone {
        let secret = Secret::from_base32(secret_code).expect("SecretCode is Base32");
        Phone {
            totp: Totp::cognito(&secret),
            used: HashSet::new(),
        }
    }

    pub fn fresh_code(&mut self, server_now_s: u64) -> String {
        let step = self.totp.step_at(server_now_s).expect("after 1970");
        for candidate in [step, step + 1, step - 1] {
            let code = self.totp.code_for_step(candidate).to_string();
            if self.used.insert(code.clone()) {
                return code;
            }
        }
        panic!("three codes of the window are used; the test should move the clock");
    }
}

/// The reference endpoint with its clock frozen 10 s into a step, as the runner freezes it:
/// the codes the phone hands out never straddle a step boundary.
pub async fn start() -> Running {
    let options = Options {
        clock_control: true,
        ..Options::default()
    };
    let running = Running::start("127.0.0.1:0".parse().unwrap(), &options)
        .await
        .expect("the reference endpoint starts");
    use mfaspec::clock::Clock as _;
    running
        .endpoint
        .clock_control()
        .expect("clock control")
        .freeze_at(mfaspec::clock::inside_step_millis(
            mfaspec::clock::SystemClock.now_secs(),
        ));
    running
}

pub fn sdk(running: &Running) -> cognito::Client {
    let config = cognito::Config::builder()
        .behavior_version(cognito::config::BehaviorVersion::latest())
        .region(cognito::config::Region::new("us-east-1"))
        .credentials_provider(cognito::config::Credentials::new(
            "test", "test", None, None, "mfaspec",
        ))
        .endpoint_url(running.url())
        .build();
    cognito::Client::from_conf(config)
}

fn server_now(running: &Running) -> u64 {
    use mfaspec::clock::Clock;
    running
        .endpoint
        .clock_control()
        .expect("clock control")
        .now_secs()
}

/// A pool with TOTP on (`mode`), a client allowing both password flows, and a confirmed user.
async fn pool_with_user(client: &cognito::Client, mode: UserPoolMfaType) -> (String, String) {
    let pool = client
        .create_user_pool()
        .pool_name("walkthrough")
        .send()
        .await
        .unwrap();
    let pool_id = pool.user_pool().unwrap().id().unwrap().to_owned();
    // Step 0: add MFA to the user pool.
    let config = client
        .set_user_pool_mfa_config()
        .user_pool_id(&pool_id)
        .mfa_configuration(mode)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        )
        .send()
        .await
        .unwrap();
    assert!(config.software_token_mfa_configuration().unwrap().enabled());
    let app = client
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("app")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap();
    let client_id = app
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_owned();
    client
        .admin_create_user()
        .user_pool_id(&pool_id)
        .username("bob")
        .send()
        .await
        .unwrap();
    client
        .admin_set_user_password()
        .user_pool_id(&pool_id)
        .username("bob")
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
    (pool_id, client_id)
}

/// Checks a JWT's signature against the pool's JWKS and returns its claims.
async fn verified_claims(running: &Running, pool_id: &str, jwt: &str) -> Value {
    let jwks: Value = reqwest::get(format!("{}/{pool_id}/.well-known/jwks.json", running.url()))
        .await
        .unwrap()
        .text()
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    let key = &jwks["keys"][0];
    let bytes = |k: &str| URL_SAFE_NO_PAD.decode(key[k].as_str().unwrap()).unwrap();
    let public = rsa::PublicKey::new(
        rsa::BoxedUint::from_be_slice_vartime(&bytes("n")),
        rsa::BoxedUint::from_be_slice_vartime(&bytes("e")),
    )
    .unwrap();
    let verifier = rsa::pkcs1v15::VerifyingKey::<rsa::sha2::Sha256>::new(public);
    let (signing_input, signature) = jwt.rsplit_once('.').unwrap();
    let signature =
        rsa::pkcs1v15::Signature::try_from(URL_SAFE_NO_PAD.decode(signature).unwrap().as_slice())
            .unwrap();
    verifier
        .verify(signing_input.as_bytes(), &signature)
        .expect("the JWKS verifies the token");
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(signing_input.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["kid"], key["kid"]);
    serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(signing_input.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap()
}

/// Steps 1–9 of the walk-through with the user operations for setup and the admin ones for
/// sign-in, then the public sign-in too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn walkthrough_end_to_end_with_the_aws_sdk() {
    let running = start().await;
    let client = sdk(&running);
    let (pool_id, client_id) = pool_with_user(&client, UserPoolMfaType::Optional).await;

    // Signed in (OPTIONAL pool, no MFA yet): tokens straight away.
    let signed_in = client
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "bob")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap();
    let access = signed_in
        .authentication_result()
        .unwrap()
        .access_token()
        .unwrap()
        .to_owned();

    // Step 1: AssociateSoftwareToken.
    let associated = client
        .associate_software_token()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    let secret_code = associated.secret_code().unwrap();
    assert_eq!(
        secret_code.len(),
        52,
        "32-byte secret as Cognito's commonly seen 52 characters"
    );
    assert!(
        associated.session().is_none(),
        "no Session when called with an AccessToken"
    );

    // Steps 2–6: the phone, set up with the SecretCode as a time-based key.
    let mut phone = Phone::new(secret_code);

    // Step 7: VerifySoftwareToken with a friendly device name.
    let verified = client
        .verify_software_token()
        .access_token(&access)
        .user_code(phone.fresh_code(server_now(&running)))
        .friendly_device_name("BobPhone")
        .send()
        .await
        .unwrap();
    assert_eq!(
        verified.status(),
        Some(&VerifySoftwareTokenResponseType::Success)
    );

    // Step 8: the user's MFA preference.
    client
        .set_user_mfa_preference()
        .access_token(&access)
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let user = client
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("bob")
        .send()
        .await
        .unwrap();
    assert_eq!(user.preferred_mfa_setting(), Some("SOFTWARE_TOKEN_MFA"));
    assert_eq!(
        user.user_mfa_setting_list(),
        ["SOFTWARE_TOKEN_MFA".to_owned()]
    );

    // Step 9: AdminInitiateAuth → SOFTWARE_TOKEN_MFA → AdminRespondToAuthChallenge.
    let challenge = client
        .admin_initiate_auth()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "bob")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap();
    assert_eq!(
        challenge.challenge_name(),
        Some(&ChallengeNameType::SoftwareTokenMfa)
    );
    let params = challenge.challenge_parameters().unwrap();
    assert_eq!(
        params.get("FRIENDLY_DEVICE_NAME").map(String::as_str),
        Some("BobPhone")
    );
    assert_eq!(
        params.get("USER_ID_FOR_SRP").map(String::as_str),
        Some("bob")
    );
    let tokens = client
        .admin_respond_to_auth_challenge()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .challenge_name(ChallengeNameType::SoftwareTokenMfa)
        .session(challenge.session().unwrap())
        .challenge_responses("USERNAME", "bob")
        .challenge_responses(
            "SOFTWARE_TOKEN_MFA_CODE",
            phone.fresh_code(server_now(&running)),
        )
        .send()
        .await
        .unwrap();
    let result = tokens.authentication_result().unwrap();
    assert_eq!(result.token_type(), Some("Bearer"));
    assert!(result.refresh_token().is_some());
    let id = verified_claims(&running, &pool_id, result.id_token().unwrap()).await;
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["aud"], client_id.as_str());
    assert_eq!(id["cognito:username"], "bob");
    assert_eq!(id["iss"], format!("{}/{pool_id}", running.url()));
    let access_claims = verified_claims(&running, &pool_id, result.access_token().unwrap()).await;
    assert_eq!(access_claims["token_use"], "access");
    assert_eq!(access_claims["username"], "bob");
    assert_eq!(access_claims["client_id"], client_id.as_str());
    assert_eq!(access_claims["sub"], id["sub"]);
    assert!(access_claims["exp"].as_u64().unwrap() > access_claims["iat"].as_u64().unwrap());

    // The same through the public operations.
    let challenge = client
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "bob")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap();
    assert_eq!(
        challenge.challenge_name(),
        Some(&ChallengeNameType::SoftwareTokenMfa)
    );
    let tokens = client
        .respond_to_auth_challenge()
        .client_id(&client_id)
        .challenge_name(ChallengeNameType::SoftwareTokenMfa)
        .session(challenge.session().unwrap())
        .challenge_responses("USERNAME", "bob")
        .challenge_responses(
            "SOFTWARE_TOKEN_MFA_CODE",
            phone.fresh_code(server_now(&running)),
        )
        .send()
        .await
        .unwrap();
    let access = tokens
        .authentication_result()
        .unwrap()
        .access_token()
        .unwrap();
    let me = client.get_user().access_token(access).send().await.unwrap();
    assert_eq!(me.username(), "bob");
    assert_eq!(me.preferred_mfa_setting(), Some("SOFTWARE_TOKEN_MFA"));
    running.stop().await.unwrap();
}

/// The MFA_SETUP chain (spec §5, B6, B10): MFA required, a user without a factor is asked to
/// set one up, and every call hands its Session to the next.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mfa_setup_session_chain_with_the_aws_sdk() {
    let running = start().await;
    let client = sdk(&running);
    let (pool_id, client_id) = pool_with_user(&client, UserPoolMfaType::On).await;

    let setup = client
        .admin_initiate_auth()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "bob")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap();
    assert_eq!(setup.challenge_name(), Some(&ChallengeNameType::MfaSetup));
    let params = setup.challenge_parameters().unwrap();
    assert_eq!(
        params.get("MFAS_CAN_SETUP").map(String::as_str),
        Some(r#"["SOFTWARE_TOKEN_MFA"]"#)
    );

    let associated = client
        .associate_software_token()
        .session(setup.session().unwrap())
        .send()
        .await
        .unwrap();
    let mut phone = Phone::new(associated.secret_code().unwrap());
    let verified = client
        .verify_software_token()
        .session(associated.session().expect("Session₂"))
        .user_code(phone.fresh_code(server_now(&running)))
        .friendly_device_name("BobPhone")
        .send()
        .await
        .unwrap();
    assert_eq!(
        verified.status(),
        Some(&VerifySoftwareTokenResponseType::Success)
    );
    let done = client
        .admin_respond_to_auth_challenge()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .challenge_name(ChallengeNameType::MfaSetup)
        .session(verified.session().expect("Session₃"))
        .challenge_responses("USERNAME", "bob")
        .send()
        .await
        .unwrap();
    assert!(
        done.authentication_result()
            .unwrap()
            .access_token()
            .is_some()
    );

    // Session₁ was consumed by AssociateSoftwareToken.
    let reused = client
        .associate_software_token()
        .session(setup.session().unwrap())
        .send()
        .await
        .unwrap_err();
    let err = reused.into_service_error();
    assert!(err.is_not_authorized_exception(), "{err:?}");
    assert_eq!(
        err.meta().message(),
        Some("Invalid session for the user, session can only be used once.")
    );

    // The next sign-in asks for the code, without any preference call (spec §4 B8).
    let next = client
        .admin_initiate_auth()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "bob")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap();
    assert_eq!(
        next.challenge_name(),
        Some(&ChallengeNameType::SoftwareTokenMfa)
    );
    running.stop().await.unwrap();
}
