//! The big-integer choice for SRP, measured: one 3072-bit modular exponentiation (the RFC
//! 3526 group's prime) with a 256-bit secret exponent — what every SRP sign-in does six
//! times — through `mfaspec::srp` (AWS-LC's constant-time BIGNUM), num-bigint (not
//! constant-time) and crypto-bigint (constant-time Montgomery), on the same random bases and
//! exponents, varying per iteration. Prints each one's time and its ratio to mfaspec's.
//!
//! Run with `cargo bench --bench bigint`. (GMP through rug measured 724 µs, 838 µs
//! constant-time, against AWS-LC's 582 µs on this machine; it is not here because current rug
//! refuses Debian 12's GMP 6.2.1 and its bundled build needs m4: see src/srp/bn.rs.)

use std::time::Instant;

use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Odd};

const ITERATIONS: usize = 300;

fn random(bytes: usize) -> Vec<u8> {
    let mut v = vec![0u8; bytes];
    rand::fill(&mut v[..]);
    v[0] |= 0x80;
    v
}

fn padded(bytes: &[u8], width: usize) -> Vec<u8> {
    let mut out = vec![0u8; width.saturating_sub(bytes.len())];
    out.extend_from_slice(bytes);
    out
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let n_bytes = mfaspec::srp::hex_bytes(mfaspec::srp::N_HEX).expect("N");
    let n_big = num_bigint::BigUint::from_bytes_be(&n_bytes);
    // Bases below N, exponents of 256 bits, a fresh pair per iteration.
    let inputs: Vec<(Vec<u8>, Vec<u8>)> = (0..ITERATIONS)
        .map(|_| {
            let base = (num_bigint::BigUint::from_bytes_be(&random(384)) % &n_big).to_bytes_be();
            (base, random(32))
        })
        .collect();

    let started = Instant::now();
    let ours: Vec<Vec<u8>> = inputs
        .iter()
        .map(|(b, e)| mfaspec::srp::pow_mod_n(std::hint::black_box(b), e))
        .collect();
    let ours_s = started.elapsed().as_secs_f64() / ITERATIONS as f64;

    let started = Instant::now();
    let num: Vec<Vec<u8>> = inputs
        .iter()
        .map(|(b, e)| {
            num_bigint::BigUint::from_bytes_be(std::hint::black_box(b))
                .modpow(&num_bigint::BigUint::from_bytes_be(e), &n_big)
                .to_bytes_be()
        })
        .collect();
    let num_s = started.elapsed().as_secs_f64() / ITERATIONS as f64;

    let modulus = BoxedUint::from_be_slice(&n_bytes, 3072).expect("N fits 3072 bits");
    let params = BoxedMontyParams::new(Odd::new(modulus).expect("N is odd"));
    let started = Instant::now();
    let ct: Vec<Vec<u8>> = inputs
        .iter()
        .map(|(b, e)| {
            let base = BoxedUint::from_be_slice(&padded(std::hint::black_box(b), 384), 3072)
                .expect("base");
            let exp = BoxedUint::from_be_slice(e, 256).expect("exponent");
            let r = BoxedMontyForm::new(base, &params)
                .pow_bounded_exp(&exp, 256)
                .retrieve();
            let bytes = r.to_be_bytes();
            let start = bytes.iter().position(|&x| x != 0).unwrap_or(bytes.len());
            bytes[start..].to_vec()
        })
        .collect();
    let ct_s = started.elapsed().as_secs_f64() / ITERATIONS as f64;

    assert_eq!(ours, num, "mfaspec and num-bigint disagree");
    assert_eq!(ours, ct, "mfaspec and crypto-bigint disagree");
    println!(
        "\n3072-bit modular exponentiation, 256-bit exponent ({ITERATIONS} random inputs; `cargo bench --bench bigint`)"
    );
    println!(
        "{:<50} {:>10} {:>14}",
        "implementation", "µs each", "× mfaspec's"
    );
    for (name, s) in [
        ("mfaspec::srp (AWS-LC BIGNUM, constant-time)", ours_s),
        ("num-bigint 0.4 (not constant-time)", num_s),
        ("crypto-bigint 0.7 BoxedMontyForm (constant-time)", ct_s),
    ] {
        println!("{name:<50} {:>10.1} {:>13.2}×", s * 1e6, s / ours_s);
    }
    println!("all three agree on every result");
}
