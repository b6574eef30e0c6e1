//! mfaspec's SRP math (src/srp) against an independent implementation: the `aws-cognito-srp`
//! crate's client (num-bigint, its own padding and hashing). Our server side checks the
//! claims that client makes; since our own client derives the same key as our server
//! (src/srp's unit tests), this checks both sides. pycognito and Amplify check it again,
//! over HTTP, in `.ci/run`.

use aws_cognito_srp::{SrpClient, TrackedDevice, UntrackedDevice, User};
use base64::Engine as _;
use mfaspec::srp::{
    self, DeviceSecret, Ephemeral, Timestamp, Verifier, claim, pool_name, secret_block_bytes,
};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn secret_block() -> String {
    let bytes: Vec<u8> = (0..96u8)
        .map(|i| i.wrapping_mul(37).wrapping_add(11))
        .collect();
    B64.encode(bytes)
}

/// The server's expected signature for a claim made with `srp_a` at `timestamp`.
fn expected_signature(
    challenge: &srp::ServerChallenge,
    srp_a: &str,
    prefix: &str,
    id: &str,
    block: &str,
    timestamp: &str,
) -> String {
    let key = challenge.key(srp_a).expect("their SRP_A is valid");
    B64.encode(claim(
        &key,
        prefix,
        id,
        &secret_block_bytes(block).unwrap(),
        timestamp,
    ))
}

#[test]
fn an_independent_client_s_password_claim_verifies_and_a_wrong_password_s_does_not() {
    let pool_id = "us-east-1_AbCdEfGh1";
    for (user_id, password) in [
        ("alice", "Mfaspec-Pa55word!"),
        ("0b3c7d7e-1111-4a2b-9c3d-0123456789ab", "ünïcødé pässwörd ✓"),
    ] {
        let verifier = Verifier::new(pool_name(pool_id), user_id, password);
        let theirs = SrpClient::<User>::new(User::new(pool_id, user_id, password), "client", None);
        let srp_a = theirs.get_auth_parameters().a;
        let challenge = Ephemeral::new().challenge(&verifier).unwrap();
        let block = secret_block();
        let claimed = theirs
            .verify(&block, user_id, &verifier.salt_hex(), &challenge.srp_b())
            .unwrap();
        // Their TIMESTAMP is one our server reads (and it is now).
        let stamp = Timestamp::parse(&claimed.timestamp).expect("their TIMESTAMP parses");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(stamp.0.abs_diff(now) < 60, "{}", claimed.timestamp);
        assert_eq!(
            claimed.password_claim_signature,
            expected_signature(
                &challenge,
                &srp_a,
                pool_name(pool_id),
                user_id,
                &block,
                &claimed.timestamp
            ),
            "user {user_id}"
        );

        let wrong = SrpClient::<User>::new(
            User::new(pool_id, user_id, "Wrong-Pa55word!"),
            "client",
            None,
        );
        let wrong_a = wrong.get_auth_parameters().a;
        let wrong_claim = wrong
            .verify(&block, user_id, &verifier.salt_hex(), &challenge.srp_b())
            .unwrap();
        assert_ne!(
            wrong_claim.password_claim_signature,
            expected_signature(
                &challenge,
                &wrong_a,
                pool_name(pool_id),
                user_id,
                &block,
                &wrong_claim.timestamp
            )
        );
    }
}

const POOL_ID: &str = "us-east-1_AbCdEfGh1";
const GROUP: &str = "-Xy7kQ";
const DEVICE: &str = "us-east-1_6f1c2d0e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";

/// What ConfirmDevice stores (the salt as opaque bytes, and v) from its two Base64 members,
/// and the independent client's claim on the device with `password` verifying against it.
fn independent_device_claim_verifies(salt_b64: &str, verifier_b64: &str, password: &str) {
    let verifier = Verifier {
        salt: B64.decode(salt_b64).unwrap(),
        v: B64.decode(verifier_b64).unwrap(),
    };
    let device = SrpClient::<TrackedDevice>::new(
        TrackedDevice::new(POOL_ID, GROUP, DEVICE, password),
        "client",
        None,
    );
    let challenge = Ephemeral::new().challenge(&verifier).unwrap();
    let block = secret_block();
    let srp_a = device.get_auth_parameters().a;
    let claimed = device
        .verify(&block, &srp::to_hex(&verifier.salt), &challenge.srp_b())
        .unwrap();
    assert_eq!(
        claimed.password_claim_signature,
        expected_signature(
            &challenge,
            &srp_a,
            GROUP,
            DEVICE,
            &block,
            &claimed.timestamp
        )
    );
}

#[test]
fn an_independent_client_s_device_verifier_and_device_claim_verify() {
    let config = SrpClient::<UntrackedDevice>::new(
        UntrackedDevice::new(POOL_ID, GROUP, DEVICE),
        "client",
        None,
    )
    .get_password_verifier();
    independent_device_claim_verifies(&config.salt, &config.verifier, &config.password);
}

#[test]
fn our_device_secret_is_one_an_independent_client_signs_in_with() {
    // Several, so that salts whose first byte has its top bit set (padded with 0x00) occur.
    for _ in 0..6 {
        let ours = DeviceSecret::new(GROUP, DEVICE);
        independent_device_claim_verifies(&ours.salt_b64, &ours.verifier_b64, &ours.password);
    }
}

/// The group arithmetic (AWS-LC through `srp::bn`) against num-bigint on random and edge
/// inputs: bases above N (reduced first), zero and one, exponents of every size up to 3072 bits.
#[test]
fn the_group_arithmetic_agrees_with_num_bigint() {
    use num_bigint::BigUint;
    let n = BigUint::from_bytes_be(&srp::hex_bytes(srp::N_HEX).unwrap());
    let random = |len: usize| {
        let mut v = vec![0u8; len];
        rand::fill(&mut v[..]);
        v
    };
    let mut cases: Vec<(Vec<u8>, Vec<u8>)> = vec![
        (vec![0], vec![5]),
        (vec![1], random(32)),
        (vec![2], vec![0]),
        (vec![2], vec![]),
        (srp::hex_bytes(srp::N_HEX).unwrap(), vec![3]),
        (random(400), random(32)),
    ];
    for len in [1, 16, 32, 64, 128, 384] {
        cases.push((random(384), random(len)));
    }
    for (base, exp) in cases {
        let expected = BigUint::from_bytes_be(&base).modpow(&BigUint::from_bytes_be(&exp), &n);
        let ours = BigUint::from_bytes_be(&srp::pow_mod_n(&base, &exp));
        assert_eq!(
            ours,
            expected,
            "base {} bytes, exponent {} bytes",
            base.len(),
            exp.len()
        );
    }
}
