//! The app's side of the hosted UI: the authorize URL it sends the browser to (with PKCE,
//! `state` and `nonce`), the code the browser brings back, the exchange at the token endpoint,
//! and the ID token checked against the pool's JWKS.
//!
//! Owns: those steps. Uses: the World, the browser helpers of [`super`].

use base64::Engine as _;
use cucumber::{then, when};
use serde_json::{Value, json};
use sha2::Digest as _;

use super::browser::{PAGE_WAIT, random_text, scrub_url};
use crate::steps::redacted::Redacted;
use crate::steps::state::HostedUi;
use crate::steps::world::ConformanceWorld;
use crate::vocabulary::Operation;

pub(super) fn authorize_url(h: &HostedUi, client_id: &str, redirect_uri: &str) -> String {
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(h.verifier.0.as_bytes()));
    let q = crate::markup::encode;
    format!(
        "{}/oauth2/authorize?response_type=code&client_id={}&redirect_uri={}&state={}&scope={}&nonce={}&code_challenge={challenge}&code_challenge_method=S256",
        h.base,
        q(client_id),
        q(redirect_uri),
        q(&h.state),
        q(&h.scope),
        q(&h.nonce),
    )
}

/// Waits for the browser to arrive back at the app's callback; returns its query.
pub(super) async fn back_at_app(
    world: &mut ConformanceWorld,
) -> Result<std::collections::BTreeMap<String, String>, String> {
    let callback = world.hosted()?.callback.clone();
    let page = world.page()?;
    let url = match page
        .wait_for_url(|u| u.starts_with(&callback), PAGE_WAIT)
        .await
    {
        Ok(url) => url,
        Err(_) => {
            let now = page.current_url().await.unwrap_or_default();
            let title = page.title().await.unwrap_or_default();
            return Err(format!(
                "the browser stayed at {} (\"{title}\") instead of coming back to the app",
                scrub_url(&now)
            ));
        }
    };
    Ok(crate::markup::decode_form(
        url.split_once('?').map_or("", |(_, q)| q),
    ))
}

#[then("the browser comes back to the app with a code and the same state")]
async fn back_with_code(world: &mut ConformanceWorld) -> Result<(), String> {
    let q = back_at_app(world).await?;
    if let Some(e) = q.get("error") {
        return Err(format!("the browser came back with error={e}"));
    }
    let code = q
        .get("code")
        .cloned()
        .ok_or("the browser came back without a code")?;
    world.secret(&code);
    let h = world.hosted()?;
    if q.get("state") != Some(&h.state) {
        return Err("the browser came back with a different state".into());
    }
    h.code = Some(Redacted(code));
    Ok(())
}

async fn exchange(world: &mut ConformanceWorld, verifier: Option<String>) -> Result<(), String> {
    let client_id = world.client_id()?.to_owned();
    let h = world.hosted()?;
    let code = h.code.clone().ok_or("the app has no code")?.0;
    let verifier = verifier.unwrap_or_else(|| h.verifier.0.clone());
    let enc = crate::markup::encode;
    let body = format!(
        "grant_type=authorization_code&client_id={}&code={}&redirect_uri={}&code_verifier={}",
        enc(&client_id),
        enc(&code),
        enc(&h.callback),
        enc(&verifier)
    );
    let answer = h
        .http
        .post(format!("{}/oauth2/token", h.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .map_err(|e| format!("POST /oauth2/token: {}", scrub_url(&e.to_string())))?;
    let status = answer.status().as_u16();
    let text = answer.text().await.map_err(|e| e.to_string())?;
    let value: Value = serde_json::from_str(&text).map_err(|_| {
        format!("the token endpoint answered HTTP {status} with a body that is not JSON")
    })?;
    for key in ["access_token", "id_token", "refresh_token"] {
        if let Some(t) = value.get(key).and_then(Value::as_str) {
            world.secret(t);
        }
    }
    world.hosted()?.tokens = Some((status, Redacted(value)));
    Ok(())
}

#[when("the app exchanges the code at the token endpoint")]
async fn exchange_code(world: &mut ConformanceWorld) -> Result<(), String> {
    exchange(world, None).await
}

#[when("the app exchanges the code at the token endpoint again")]
async fn exchange_again(world: &mut ConformanceWorld) -> Result<(), String> {
    exchange(world, None).await
}

#[when("the app exchanges the code at the token endpoint with a wrong PKCE verifier")]
async fn exchange_wrong_verifier(world: &mut ConformanceWorld) -> Result<(), String> {
    let wrong = random_text(64);
    exchange(world, Some(wrong)).await
}

fn token_answer(world: &mut ConformanceWorld) -> Result<(u16, Value), String> {
    world
        .hosted()?
        .tokens
        .as_ref()
        .map(|(s, v)| (*s, v.0.clone()))
        .ok_or_else(|| "the app has not called the token endpoint".to_owned())
}

#[then("the token endpoint answers with access, ID and refresh tokens")]
fn tokens_answered(world: &mut ConformanceWorld) -> Result<(), String> {
    let (status, body) = token_answer(world)?;
    if status != 200 {
        return Err(format!(
            "the token endpoint answered HTTP {status} {}",
            body.get("error").and_then(Value::as_str).unwrap_or("")
        ));
    }
    for key in ["access_token", "id_token", "refresh_token"] {
        if body
            .get(key)
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            return Err(format!("the token endpoint's answer has no {key}"));
        }
    }
    if body["token_type"] != "Bearer" {
        return Err(format!("token_type is {}, not Bearer", body["token_type"]));
    }
    Ok(())
}

#[then(expr = "the token endpoint refuses with {string}")]
fn token_refused(world: &mut ConformanceWorld, error: String) -> Result<(), String> {
    let (status, body) = token_answer(world)?;
    let got = body.get("error").and_then(Value::as_str).unwrap_or("");
    if status != 400 || got != error {
        return Err(format!(
            "the token endpoint answered HTTP {status} error {got:?}, not 400 {error:?}"
        ));
    }
    Ok(())
}

/// The base64url JSON of a JWT's part `n`.
fn jwt_part(jwt: &str, n: usize) -> Result<Value, String> {
    let part = jwt.split('.').nth(n).ok_or("the token is not a JWT")?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| "the token's parts are not base64url")?;
    serde_json::from_slice(&bytes).map_err(|_| "the token's parts are not JSON".to_owned())
}

/// Verifies an RS256 JWT against the JWKS `keys`.
fn verify_rs256(jwt: &str, jwks: &Value) -> Result<Value, String> {
    let header = jwt_part(jwt, 0)?;
    if header["alg"] != "RS256" {
        return Err(format!(
            "the ID token's alg is {}, not RS256",
            header["alg"]
        ));
    }
    let kid = header["kid"].as_str().ok_or("the ID token names no kid")?;
    let key = jwks["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["kid"] == kid))
        .ok_or("no key of the pool's JWKS has the ID token's kid")?;
    let b64 = |v: &Value| {
        v.as_str()
            .and_then(|s| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(s)
                    .ok()
            })
            .ok_or("the JWKS key is not an RSA key (n, e)")
    };
    let (n, e) = (b64(&key["n"])?, b64(&key["e"])?);
    let (signed, signature) = jwt.rsplit_once('.').ok_or("the token is not a JWT")?;
    let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| "the signature is not base64url")?;
    aws_lc_rs::signature::RsaPublicKeyComponents { n: &n, e: &e }
        .verify(
            &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
            signed.as_bytes(),
            &signature,
        )
        .map_err(|_| "the ID token's signature does not verify against the pool's JWKS")?;
    jwt_part(jwt, 1)
}

#[then(
    "the ID token verifies against the pool's keys and names the app client, the pool and the nonce"
)]
async fn id_token_verifies(world: &mut ConformanceWorld) -> Result<(), String> {
    let (_, body) = token_answer(world)?;
    let id = body["id_token"].as_str().ok_or("no id_token")?.to_owned();
    let pool_id = world.pool_id()?.to_owned();
    let client_id = world.client_id()?.to_owned();
    let issuer = match &world.ctx().profile.endpoint {
        crate::target::Location::Aws(None) => format!(
            "https://cognito-idp.{}.amazonaws.com/{pool_id}",
            pool_id.split('_').next().unwrap_or("")
        ),
        _ => format!(
            "{}/{pool_id}",
            world.client().endpoint().trim_end_matches('/')
        ),
    };
    let get = |url: String| async move {
        let r = reqwest::get(&url)
            .await
            .map_err(|e| format!("GET {url}: {e}"))?;
        let text = r.text().await.map_err(|e| format!("GET {url}: {e}"))?;
        serde_json::from_str::<Value>(&text).map_err(|_| format!("GET {url}: not JSON"))
    };
    let discovery = get(format!("{issuer}/.well-known/openid-configuration")).await?;
    if discovery["issuer"] != issuer.as_str() {
        return Err(format!(
            "the discovery document's issuer is {}, not {issuer}",
            discovery["issuer"]
        ));
    }
    let jwks_uri = discovery["jwks_uri"]
        .as_str()
        .ok_or("the discovery document has no jwks_uri")?;
    let jwks = get(jwks_uri.to_owned()).await?;
    let claims = verify_rs256(&id, &jwks)?;
    let nonce = world.hosted()?.nonce.clone();
    for (claim, want) in [
        ("aud", client_id.as_str()),
        ("iss", issuer.as_str()),
        ("nonce", nonce.as_str()),
        ("token_use", "id"),
    ] {
        if claims[claim] != want {
            return Err(format!(
                "the ID token's {claim} is {}, not {want}",
                claims[claim]
            ));
        }
    }
    let now = world.now_s().await;
    if claims["exp"].as_u64().is_none_or(|exp| exp <= now) {
        return Err("the ID token has expired".into());
    }
    Ok(())
}

/// The body of `operation` called with `token` as the user's access token; the device
/// operations name a device no pool has (the scope is checked before the device is looked up).
fn with_access_token(
    operation: Operation,
    token: &str,
    code: Option<String>,
    region: &str,
) -> Result<Value, String> {
    let device = format!("{region}_00000000-0000-4000-8000-000000000000");
    Ok(match operation {
        Operation::GetUser
        | Operation::AssociateSoftwareToken
        | Operation::ListDevices
        | Operation::GlobalSignOut => json!({ "AccessToken": token }),
        Operation::VerifySoftwareToken => json!({ "AccessToken": token,
            "UserCode": code.ok_or("no code")?,
            "FriendlyDeviceName": "BobPhone" }),
        Operation::SetUserMFAPreference => json!({ "AccessToken": token,
            "SoftwareTokenMfaSettings": { "Enabled": false, "PreferredMfa": false } }),
        Operation::GetDevice | Operation::ForgetDevice => {
            json!({ "AccessToken": token, "DeviceKey": device })
        }
        Operation::UpdateDeviceStatus => json!({ "AccessToken": token, "DeviceKey": device,
            "DeviceRememberedStatus": "not_remembered" }),
        other => return Err(format!("no step calls {other} with an access token")),
    })
}

#[when(expr = "the app calls {word} with the access token from the token endpoint")]
async fn call_with_app_token(
    world: &mut ConformanceWorld,
    operation: String,
) -> Result<(), String> {
    let operation: Operation = operation
        .parse()
        .map_err(|()| format!("{operation} is not a Cognito operation"))?;
    let (_, body) = token_answer(world)?;
    let token = body["access_token"]
        .as_str()
        .ok_or("the token endpoint gave no access_token")?
        .to_owned();
    // A well-formed code: the scope is checked before any code would be.
    let code = (operation == Operation::VerifySoftwareToken).then(|| "123456".to_owned());
    let region = world.pool_id()?.split('_').next().unwrap_or("").to_owned();
    let request = with_access_token(operation, &token, code, &region)?;
    let answer = world.call(operation, &request).await;
    world.record(answer);
    Ok(())
}

#[then(expr = "the app's ID token's {word} claim is the JSON boolean true")]
fn app_id_claim_is_true(world: &mut ConformanceWorld, claim: String) -> Result<(), String> {
    let (_, body) = token_answer(world)?;
    let id = body["id_token"]
        .as_str()
        .ok_or("the token endpoint gave no id_token")?;
    crate::steps::sign_in::claim_is_true(&jwt_part(id, 1)?, &claim)
}

#[then(expr = "the app's access token carries exactly the scopes {string}")]
fn access_token_scopes(world: &mut ConformanceWorld, want: String) -> Result<(), String> {
    let (_, body) = token_answer(world)?;
    let token = body["access_token"]
        .as_str()
        .ok_or("the token endpoint gave no access_token")?;
    let claims = jwt_part(token, 1)?;
    let got = claims["scope"]
        .as_str()
        .ok_or("the access token has no scope claim")?;
    let sorted = |s: &str| {
        let mut v: Vec<String> = s.split_whitespace().map(str::to_owned).collect();
        v.sort();
        v
    };
    if sorted(got) != sorted(&want) {
        return Err(format!("the access token's scope is {got:?}, not {want:?}"));
    }
    if let Some(granted) = body.get("scope").and_then(Value::as_str)
        && sorted(granted) != sorted(&want)
    {
        return Err(format!(
            "the token endpoint's answer grants {granted:?}, not {want:?}"
        ));
    }
    Ok(())
}
