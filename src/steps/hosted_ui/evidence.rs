//! What a failed browser scenario leaves beside its report: the page's HTML, scrubbed, and a
//! screenshot unless the page showed a TOTP secret. Kept through the World, as the scenario's
//! other resources are, so that the runner names no step module.
//!
//! Owns: the evidence and its scrubbing. Uses: the World.

use crate::steps::world::ConformanceWorld;

impl ConformanceWorld {
    /// What a failed scenario leaves beside its report: the page's HTML, scrubbed, and a
    /// screenshot unless the page showed a TOTP secret.
    pub async fn keep_evidence(&self, dir: &std::path::Path, id: &str) -> Option<String> {
        let secrets = self.context.as_ref()?.client.secrets();
        let h = self.hosted_ui.as_ref()?;
        let (page, _) = h.browser.as_ref()?;
        let html = page.source().await.ok()?;
        let _ = std::fs::create_dir_all(dir);
        let html = scrub_page(&secrets.scrub(&html));
        let file = id.replace(['/', '\\'], "_");
        let _ = std::fs::write(dir.join(format!("{file}.html")), html);
        if h.showed_secret {
            return Some(format!(
                "page kept as browser/{file}.html (no screenshot: the page showed a TOTP secret)"
            ));
        }
        if let Ok(png) = page.screenshot_png().await {
            let _ = std::fs::write(dir.join(format!("{file}.png")), png);
        }
        Some(format!("page kept as browser/{file}.html and .png"))
    }
}

/// An HTML page without what could carry a secret the registry does not know: `data:` URIs
/// (a QR code image), elements marked `data-secret`, and input values.
fn scrub_page(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("data:") {
        out.push_str(&rest[..at]);
        let end = rest[at..]
            .find(['"', '\'', ')'])
            .map_or(rest.len(), |e| at + e);
        out.push_str("data:<redacted>");
        rest = &rest[end..];
    }
    out.push_str(rest);
    let mut cleaned = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(at) = rest.find("data-secret") {
        let Some(close) = rest[at..].find('>') else {
            break;
        };
        let open_end = at + close + 1;
        cleaned.push_str(&rest[..open_end]);
        let content_end = rest[open_end..]
            .find('<')
            .map_or(rest.len(), |e| open_end + e);
        cleaned.push_str("<redacted>");
        rest = &rest[content_end..];
    }
    cleaned.push_str(rest);
    cleaned
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_kept_without_qr_images_or_shown_keys() {
        let page = r#"<img src="data:image/svg+xml;base64,PHN2Zz4="><code id="s" data-secret>ABCD EFGH</code><p>ok</p>"#;
        let kept = scrub_page(page);
        assert!(!kept.contains("PHN2"));
        assert!(!kept.contains("ABCD"));
        assert!(kept.contains("<p>ok</p>"));
    }
}
