//! Markup and URL text, on the ground floor so every layer can use it: HTML and XML escaping,
//! `application/x-www-form-urlencoded` decoding (forms and query strings), query encoding, and
//! the frame of the HTML pages the reports write. Used by the reference endpoint's hosted UI,
//! the reports and the browser steps.
//!
//! Owns: those encodings. Uses nothing of the crate.

use std::collections::BTreeMap;

/// Escapes text for HTML and XML (attribute or element) alike, and drops the control
/// characters XML 1.0 cannot hold.
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Decodes `application/x-www-form-urlencoded` text (also a query string).
#[must_use]
pub fn decode_form(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(&s.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        };
        out.entry(decode(k)).or_insert_with(|| decode(v));
    }
    out
}

/// What a query value keeps unencoded: RFC 3986's unreserved characters.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `text` percent-encoded as a query value or a URL path segment: everything but RFC 3986's
/// unreserved characters.
#[must_use]
pub fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, QUERY_VALUE).to_string()
}

/// `uri` with `params` added to its query, each value encoded.
#[must_use]
pub fn with_query(uri: &str, params: &[(&str, &str)]) -> String {
    let mut out = uri.to_owned();
    let mut sep = if uri.contains('?') { '&' } else { '?' };
    for (k, v) in params {
        out.push(sep);
        out.push_str(k);
        out.push('=');
        out.push_str(&encode(v));
        sep = '&';
    }
    out
}

/// A self-contained HTML page around a table: its `title`, the table style every report page
/// shares with `css` added, the `body`, and a `script` at the end (the page's filters).
#[must_use]
pub fn table_page(title: &str, css: &str, body: &str, script: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{TABLE_CSS}{css}</style>\n</head>\n<body>\n{body}<script>\n{script}</script>\n</body>\n</html>\n",
        escape(title)
    )
}

/// The style every generated HTML table shares (the emulators' matrix and `totp-check`'s
/// page); each page adds its cells' colours.
const TABLE_CSS: &str =
    "body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1b1b1b; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; }
thead th { position: sticky; top: 0; background: #f4f4f4; }
tr.totals td, tr.totals th { font-weight: bold; background: #f4f4f4; }
form { margin: 1rem 0; }
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_plus_and_percent() {
        let f = decode_form("a=1+2&b=%2Fx%3D&c&a=ignored");
        assert_eq!(f["a"], "1 2");
        assert_eq!(f["b"], "/x=");
        assert_eq!(f["c"], "");
    }

    #[test]
    fn redirects_keep_the_query_they_have() {
        assert_eq!(
            with_query("http://localhost/cb", &[("code", "a b")]),
            "http://localhost/cb?code=a%20b"
        );
        assert_eq!(
            with_query("myapp://x?y=1", &[("state", "s")]),
            "myapp://x?y=1&state=s"
        );
    }

    #[test]
    fn escaping_covers_html_and_xml() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
