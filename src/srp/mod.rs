//! Cognito's SRP-6a (`USER_SRP_AUTH`, `DEVICE_SRP_AUTH`): the math both sides compute, with
//! Cognito's own byte encoding (docs/behaviour.md §2.14; shared/research/srp-devices-hosted-ui.md
//! §1). One implementation, used by the harness to sign in and by the reference endpoint to
//! check; `tests/srp.rs` checks it against an independent client (the `aws-cognito-srp`
//! crate), and `.ci/run` against pycognito and Amplify.
//!
//! | item | definition |
//! |---|---|
//! | N, g | the RFC 3526 3072-bit MODP prime, 2 |
//! | PAD(n) | minimal big-endian bytes, with `0x00` prepended when the top bit is set |
//! | k | `H(PAD(N) ‖ PAD(g))` |
//! | x | `H(PAD(salt) ‖ H(prefix ‖ id ‖ ":" ‖ password))`; prefix = the pool id after `_` (a device: its group key) |
//! | u | `H(PAD(A) ‖ PAD(B))` |
//! | key | HKDF-SHA256: `HMAC(HMAC(PAD(u), PAD(S)), "Caldera Derived Key" ‖ 0x01)[..16]` |
//! | signature | `Base64(HMAC-SHA256(key, prefix ‖ id ‖ secret block bytes ‖ TIMESTAMP))` |
//!
//! By part: `math` (the group, PAD, k, x, u, the key, the claim), `client` (signing in, a
//! device's secret), `server` (verifiers, the ephemeral, the challenge), `timestamp`, and the
//! bignum backend (`bn`).
//!
//! Owns: SRP. Uses nothing of the crate; secrets are wiped when dropped.

mod bn;
mod client;
mod math;
mod server;
mod timestamp;

pub use client::{Client, DeviceSecret, Proof};
pub use math::{
    MAX_PUBLIC_HEX, N_HEX, SrpError, check_public, claim, hex_bytes, pad, pool_name, pow_mod_n,
    secret_block_bytes, to_hex,
};
pub use server::{Ephemeral, ServerChallenge, Verifier};
pub use timestamp::{Timestamp, TimestampError};

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use sha2::{Digest as _, Sha256};

    use super::bn::Num;
    use super::math::*;

    #[test]
    fn pad_adds_a_zero_only_before_a_set_top_bit() {
        assert_eq!(pad(&[0x7f, 1]), vec![0x7f, 1]);
        assert_eq!(pad(&[0x80, 1]), vec![0, 0x80, 1]);
        assert_eq!(pad(&[0, 0, 0x80]), vec![0, 0x80]);
        assert_eq!(pad(&[]), Vec::<u8>::new());
    }

    #[test]
    fn k_is_the_hash_of_padded_n_and_g() {
        // H(0x00 ‖ N ‖ 0x02): N's top bit is set, so PAD(N) has a leading zero.
        let n = hex_bytes(N_HEX).unwrap();
        let mut bytes = vec![0u8];
        bytes.extend_from_slice(&n);
        bytes.push(2);
        let expected = Sha256::digest(&bytes);
        assert_eq!(group().k.to_be(), Num::from_be(&expected).to_be());
    }

    #[test]
    fn hex_round_trips_and_tolerates_odd_lengths() {
        assert_eq!(hex_bytes("abc").unwrap(), vec![0x0a, 0xbc]);
        assert_eq!(hex_bytes("00ff").unwrap(), vec![0, 0xff]);
        assert_eq!(hex_bytes("0g"), None);
        assert_eq!(to_hex(&[0x0a, 0xbc]), "abc");
        assert_eq!(to_hex(&[0, 0]), "0");
    }

    #[test]
    fn client_and_server_derive_the_same_key() {
        for _ in 0..4 {
            let verifier = Verifier::new("abcDEF123", "user-1", "Pa55word!");
            assert_ne!(verifier.salt[0], 0);
            let challenge = Ephemeral::new().challenge(&verifier).unwrap();
            let client = Client::new();
            let proof = client
                .proof(
                    &verifier.salt_hex(),
                    &challenge.srp_b(),
                    "abcDEF123",
                    "user-1",
                    "Pa55word!",
                )
                .unwrap();
            let server_key = challenge.key(&client.srp_a()).unwrap();
            assert_eq!(proof.key[..], server_key[..]);
            let wrong = client
                .proof(
                    &verifier.salt_hex(),
                    &challenge.srp_b(),
                    "abcDEF123",
                    "user-1",
                    "wrong",
                )
                .unwrap();
            assert_ne!(wrong.key[..], server_key[..]);
        }
    }

    #[test]
    fn device_secrets_verify_like_passwords() {
        let device = DeviceSecret::new("-group", "us-east-1_0a1b");
        let b64 = base64::engine::general_purpose::STANDARD;
        let salt = b64.decode(&device.salt_b64).unwrap();
        let v = b64.decode(&device.verifier_b64).unwrap();
        let verifier = Verifier {
            salt: salt.clone(),
            v: pad(&v),
        };
        let challenge = Ephemeral::new().challenge(&verifier).unwrap();
        let client = Client::new();
        let proof = client
            .proof(
                &to_hex(&salt),
                &challenge.srp_b(),
                "-group",
                "us-east-1_0a1b",
                &device.password,
            )
            .unwrap();
        assert_eq!(proof.key[..], challenge.key(&client.srp_a()).unwrap()[..]);
    }

    #[test]
    fn bad_public_values_are_refused() {
        let challenge = Ephemeral::new()
            .challenge(&Verifier::new("p", "u", "pw"))
            .unwrap();
        assert_eq!(challenge.key("").err(), Some(SrpError::NotHex("SRP_A")));
        assert_eq!(challenge.key("xyz").err(), Some(SrpError::NotHex("SRP_A")));
        assert_eq!(
            challenge.key(&"1".repeat(MAX_PUBLIC_HEX + 1)).err(),
            Some(SrpError::NotHex("SRP_A"))
        );
        assert_eq!(challenge.key("0").err(), Some(SrpError::ZeroModN("SRP_A")));
        assert_eq!(
            challenge.key(N_HEX).err(),
            Some(SrpError::ZeroModN("SRP_A"))
        );
        let two_n = to_hex(&Num::from_be(&hex_bytes(N_HEX).unwrap()).to_be()) + "0";
        // 16·N is a multiple of N too.
        assert_eq!(
            challenge.key(&two_n).err(),
            Some(SrpError::ZeroModN("SRP_A"))
        );
    }
}
