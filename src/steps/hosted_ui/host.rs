//! The browser host a run shares: one ChromeDriver, at most [`BROWSER_SLOTS`] browser
//! sessions at a time, and the app's loopback pages (`/callback`, `/signed-out`) the hosted UI
//! sends the browser back to.
//!
//! Owns: ChromeDriver's process and the app's pages. Uses: [`crate::webdriver`].

use std::sync::Arc;

use crate::webdriver::{Browser, Driver};

/// Browser sessions open at once in a run.
pub const BROWSER_SLOTS: usize = 2;

/// What a run shares for the browser scenarios: ChromeDriver, the session slots and the app's
/// callback page.
#[derive(Debug)]
pub struct BrowserHost {
    pub(super) driver: Driver,
    pub(super) slots: Arc<tokio::sync::Semaphore>,
    /// `http://localhost:<port>`: the app's callback (`/callback`) and sign-out (`/signed-out`) pages.
    pub(super) app: String,
    server: tokio::task::JoinHandle<()>,
}

impl BrowserHost {
    /// Starts ChromeDriver and the app's loopback pages.
    pub async fn start() -> Result<BrowserHost, String> {
        let browser = Browser::find()?;
        let driver = Driver::start(&browser)
            .await
            .map_err(|e| format!("starting ChromeDriver: {e}"))?;
        let page = |title: &'static str| {
            move || async move {
                axum::response::Html(format!(
                    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><main><h1>{title}</h1><p>The application received the answer.</p></main></body></html>"
                ))
            }
        };
        let app = axum::Router::new()
            .route("/callback", axum::routing::get(page("Signed in")))
            .route("/signed-out", axum::routing::get(page("Signed out")));
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|e| format!("binding the app's callback page: {e}"))?;
        let port = listener
            .local_addr()
            .map_err(|e| format!("the callback page's address: {e}"))?
            .port();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(BrowserHost {
            driver,
            slots: Arc::new(tokio::sync::Semaphore::new(BROWSER_SLOTS)),
            app: format!("http://localhost:{port}"),
            server,
        })
    }
}
impl Drop for BrowserHost {
    fn drop(&mut self) {
        self.server.abort();
    }
}
