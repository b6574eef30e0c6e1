//! The hosted UI's pages (spec §2.17): plain HTML that works with JavaScript off, one heading
//! each, labelled fields, errors in a `role="alert"` paragraph, and the classic hosted UI's form
//! and field names where they are known (`cognitoSignInForm`, `_csrf`, `username`, `password`).
//!
//! Owns: the pages' markup. Uses: [`crate::markup`]; nothing of the store: the hosted UI
//! passes in what a page shows.
use crate::markup::escape;

const STYLE: &str = "\
*{box-sizing:border-box}\
body{margin:0;background:#f2f3f3;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#16191f}\
main{max-width:26rem;margin:4rem auto;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15);padding:2rem}\
.brand{margin:0 0 1rem;font-size:.85rem;letter-spacing:.04em;text-transform:uppercase;color:#545b64}\
h1{font-size:1.35rem;margin:0 0 1.25rem}\
label{display:block;font-weight:600;margin:1rem 0 .3rem}\
input[type=text],input[type=password]{width:100%;padding:.55rem .7rem;border:1px solid #879596;border-radius:4px;font-size:1rem}\
input:focus,button:focus{outline:3px solid #0972d3;outline-offset:1px}\
button{margin-top:1.5rem;width:100%;padding:.65rem;border:0;border-radius:4px;background:#0972d3;color:#fff;font-size:1rem;font-weight:600;cursor:pointer}\
button:hover{background:#065299}\
.error{background:#fff1f0;border-left:4px solid #d91515;padding:.6rem .8rem;margin:0 0 1rem}\
.hint{color:#545b64;font-size:.9rem;margin:.3rem 0 0}\
.qr{display:block;margin:1rem auto;image-rendering:pixelated}\
code{font:1.05rem/1.6 ui-monospace,Menlo,Consolas,monospace;word-spacing:.3em;background:#f2f3f3;padding:.2rem .4rem;border-radius:4px}\
";

/// A whole page: `title` is also its one heading; `pool` names the user pool above it.
fn layout(title: &str, pool: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{t}</title><style>{STYLE}</style></head>\
<body><main><p class=\"brand\">{p}</p><h1>{t}</h1>{body}</main></body></html>\n",
        t = escape(title),
        p = escape(pool),
    )
}

fn alert(error: Option<&str>) -> String {
    error.map_or_else(String::new, |e| {
        format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e))
    })
}

/// The sign-in form, as the classic hosted UI names it.
pub fn login(pool: &str, action: &str, csrf: &str, username: &str, error: Option<&str>) -> String {
    let body = format!(
        "{alert}<form name=\"cognitoSignInForm\" method=\"post\" action=\"{action}\">\
<input type=\"hidden\" name=\"_csrf\" value=\"{csrf}\">\
<label for=\"signInFormUsername\">Username</label>\
<input id=\"signInFormUsername\" name=\"username\" type=\"text\" autocomplete=\"username\" \
autocapitalize=\"none\" spellcheck=\"false\" required value=\"{username}\">\
<label for=\"signInFormPassword\">Password</label>\
<input id=\"signInFormPassword\" name=\"password\" type=\"password\" \
autocomplete=\"current-password\" required>\
<input type=\"hidden\" name=\"cognitoAsfData\" value=\"\">\
<button type=\"submit\" name=\"signInSubmitButton\">Sign in</button></form>",
        alert = alert(error),
        action = escape(action),
        csrf = escape(csrf),
        username = escape(username),
    );
    layout("Sign in with your username and password", pool, &body)
}

/// The label of the TOTP code field, on the code page and the setup page.
pub const CODE_LABEL: &str = "Code from your authenticator app";

fn code_field() -> String {
    format!(
        "<label for=\"totpCode\">{CODE_LABEL}</label>\
<input id=\"totpCode\" name=\"totpCode\" type=\"text\" inputmode=\"numeric\" \
pattern=\"[0-9]{{6}}\" maxlength=\"6\" autocomplete=\"one-time-code\" required \
aria-describedby=\"totpHint\"><p class=\"hint\" id=\"totpHint\">Six digits</p>"
    )
}

/// The TOTP code page of a user with a software token.
pub fn totp(
    pool: &str,
    action: &str,
    csrf: &str,
    device: Option<&str>,
    error: Option<&str>,
) -> String {
    let device = device.map_or_else(String::new, |d| {
        format!(
            "<p>Enter the code that <strong>{}</strong> shows now.</p>",
            escape(d)
        )
    });
    let body = format!(
        "{alert}{device}<form name=\"totpForm\" method=\"post\" action=\"{action}\">\
<input type=\"hidden\" name=\"_csrf\" value=\"{csrf}\">{field}\
<button type=\"submit\" name=\"signInSubmitButton\">Sign in</button></form>",
        alert = alert(error),
        action = escape(action),
        csrf = escape(csrf),
        field = code_field(),
    );
    layout("Enter your authentication code", pool, &body)
}

/// The TOTP setup page: the key as a QR code image (`qr_svg`, an SVG document) and as text,
/// a code field and a device name field.
pub fn totp_setup(
    pool: &str,
    action: &str,
    csrf: &str,
    qr_svg: &str,
    secret: &str,
    error: Option<&str>,
) -> String {
    use base64::Engine as _;
    let qr = base64::engine::general_purpose::STANDARD.encode(qr_svg);
    let grouped: Vec<String> = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let body = format!(
        "{alert}<p>Scan this QR code with your authenticator app, or enter the key below.</p>\
<img class=\"qr\" id=\"totpQrCode\" alt=\"QR code to scan with your authenticator app\" \
src=\"data:image/svg+xml;base64,{qr}\">\
<p>Key: <code id=\"totpSecret\" data-secret>{secret}</code></p>\
<form name=\"totpSetupForm\" method=\"post\" action=\"{action}\">\
<input type=\"hidden\" name=\"_csrf\" value=\"{csrf}\">{field}\
<label for=\"deviceName\">Device name (optional)</label>\
<input id=\"deviceName\" name=\"deviceName\" type=\"text\" maxlength=\"131\">\
<button type=\"submit\" name=\"verifyButton\">Verify and sign in</button></form>",
        alert = alert(error),
        action = escape(action),
        csrf = escape(csrf),
        field = code_field(),
        secret = escape(&grouped.join(" ")),
    );
    layout("Set up your authenticator app", pool, &body)
}

/// An error page: the request cannot go on (an unregistered `redirect_uri`, an expired form).
pub fn error(pool: &str, reason: &str) -> String {
    let body = format!(
        "<p class=\"error\" role=\"alert\">{}</p>\
<p>Go back to the application and sign in again.</p>",
        escape(reason)
    );
    layout(
        "An error was encountered with the requested page.",
        pool,
        &body,
    )
}

/// The page `/logout` shows when it has nowhere to send the browser.
pub fn signed_out(pool: &str) -> String {
    layout(
        "You are signed out",
        pool,
        "<p>You can close this page.</p>",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every page: one heading, every visible field labelled by a `<label for>`, a submit
    /// button in every form (so Enter submits it), and no script.
    fn accessible(page: &str) {
        assert_eq!(page.matches("<h1>").count(), 1, "{page}");
        assert!(!page.contains("<script"), "{page}");
        for input in page.split("<input").skip(1) {
            let tag = input.split('>').next().unwrap_or("");
            if tag.contains("type=\"hidden\"") {
                continue;
            }
            let id = tag
                .split("id=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or_else(|| panic!("a field without an id: {tag}"));
            assert!(
                page.contains(&format!("<label for=\"{id}\">")),
                "no label for {id}"
            );
        }
        assert_eq!(
            page.matches("<form").count(),
            page.matches("type=\"submit\"").count(),
            "{page}"
        );
    }

    #[test]
    fn every_page_is_accessible_without_javascript() {
        accessible(&login(
            "Pool",
            "/login?x",
            "csrf",
            "ada",
            Some("Incorrect username or password."),
        ));
        accessible(&totp("Pool", "/mfa?x", "csrf", Some("Phone"), None));
        accessible(&totp_setup(
            "Pool",
            "/mfa-setup?x",
            "csrf",
            "<svg/>",
            "ABCDEFGH",
            None,
        ));
        accessible(&error("Pool", "redirect_mismatch"));
        accessible(&signed_out("Pool"));
    }

    #[test]
    fn what_a_user_typed_or_a_pool_is_named_is_escaped() {
        let page = login("<Pool>", "/login?a=1&b=2", "c\"s", "<script>", None);
        assert!(page.contains("&lt;Pool&gt;") && page.contains("&lt;script&gt;"));
        assert!(page.contains("action=\"/login?a=1&amp;b=2\""));
        assert!(!page.contains("<script>"));
    }
}
