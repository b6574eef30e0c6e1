//! `mfaspec serve --tls-addr`: the same routes over HTTPS (the hosted UI as Amplify reaches
//! it); a certificate or key that cannot be used is one line, exit 2.

use mfaspec::reference::tls::TlsOptions;
use mfaspec::reference::{Options, Running};

use crate::support::scratch::Scratch;
use crate::support::selftest::{assert_bad_input, mfaspec};

/// A self-signed certificate for localhost and the hosted UI's domains: (cert, key) paths.
fn certificate(scratch: &Scratch) -> (String, String) {
    let cert = rcgen::generate_simple_self_signed(vec![
        "localhost".into(),
        "*.auth.us-east-1.localhost".into(),
    ])
    .unwrap();
    (
        scratch.file("cert.pem", &cert.cert.pem()),
        scratch.file("key.pem", &cert.signing_key.serialize_pem()),
    )
}

#[tokio::test]
async fn the_routes_answer_over_https_beside_http() {
    let scratch = Scratch::new("tls");
    let (cert, key) = certificate(&scratch);
    let running = Running::start(
        "127.0.0.1:0".parse().unwrap(),
        &Options {
            tls: Some(TlsOptions {
                addr: "127.0.0.1:0".parse().unwrap(),
                cert: cert.into(),
                key: key.into(),
            }),
            ..Options::default()
        },
    )
    .await
    .unwrap();
    let tls = running.tls_addr.unwrap();
    let client = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let about = client
        .get(format!("https://localhost:{}/_mfaspec/about", tls.port()))
        .send()
        .await
        .unwrap();
    assert_eq!(about.status().as_u16(), 200);
    assert!(
        about
            .text()
            .await
            .unwrap()
            .contains("\"server\":\"mfaspec\"")
    );
    // Plain HTTP to the HTTPS port is not answered as HTTP.
    assert!(
        reqwest::get(format!("http://127.0.0.1:{}/_mfaspec/about", tls.port()))
            .await
            .is_err()
    );
    // The plain listener still answers.
    let plain = reqwest::get(format!("{}/_mfaspec/about", running.url()))
        .await
        .unwrap();
    assert_eq!(plain.status().as_u16(), 200);
    running.stop().await.unwrap();
}

#[test]
fn a_certificate_or_key_that_cannot_be_used_is_exit_2() {
    let scratch = Scratch::new("tls-bad");
    let (cert, key) = certificate(&scratch);
    let garbage = scratch.file("garbage.pem", "not pem\n");
    for (c, k, mention) in [
        (garbage.as_str(), key.as_str(), "holds no CERTIFICATE"),
        (cert.as_str(), garbage.as_str(), "holds no private key"),
        (key.as_str(), cert.as_str(), "TLS: `"),
    ] {
        let o = mfaspec(
            &[
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--tls-addr",
                "127.0.0.1:0",
                "--tls-cert",
                c,
                "--tls-key",
                k,
            ],
            None,
        );
        assert_bad_input(&o, &[mention]);
    }
    // Without its key, the flag is a usage error.
    let o = mfaspec(
        &[
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--tls-addr",
            "127.0.0.1:0",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
}
