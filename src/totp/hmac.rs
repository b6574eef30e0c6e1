//! HMAC (RFC 2104) over an 8-byte counter, with the keyed states computed once per secret:
//! each code then costs exactly two compressions of the hash. Built on RustCrypto's raw
//! block functions; this module is safe code and is the fallback of `sha_ni`.
//!
//! Every function returns RFC 4226's dynamic truncation (`DT`, 31 bits) of the HMAC.

use sha1::Digest;
use zeroize::Zeroize;

use super::algorithm::Algorithm;

/// SHA-1 initial hash value (FIPS 180-4 §5.3.1).
const SHA1_IV: [u32; 5] = [
    0x6745_2301,
    0xEFCD_AB89,
    0x98BA_DCFE,
    0x1032_5476,
    0xC3D2_E1F0,
];
/// SHA-256 initial hash value (FIPS 180-4 §5.3.3).
const SHA256_IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];
/// SHA-512 initial hash value (FIPS 180-4 §5.3.5).
const SHA512_IV: [u64; 8] = [
    0x6a09_e667_f3bc_c908,
    0xbb67_ae85_84ca_a73b,
    0x3c6e_f372_fe94_f82b,
    0xa54f_f53a_5f1d_36f1,
    0x510e_527f_ade6_82d1,
    0x9b05_688c_2b3e_6c1f,
    0x1f83_d9ab_fb41_bd6b,
    0x5be0_cd19_137e_2179,
];

/// The chaining values after compressing `K ^ ipad` and `K ^ opad`: all that HMAC needs of
/// the key. They are as secret as the key itself.
#[derive(Clone, Copy)]
pub(crate) struct Pads<S> {
    pub(crate) inner: S,
    pub(crate) outer: S,
}

/// A secret keyed for one algorithm.
#[derive(Clone)]
pub(crate) enum Keyed {
    Sha1(Pads<[u32; 5]>),
    Sha256(Pads<[u32; 8]>),
    Sha512(Pads<[u64; 8]>),
}

impl Drop for Keyed {
    fn drop(&mut self) {
        match self {
            Keyed::Sha1(p) => (p.inner.zeroize(), p.outer.zeroize()),
            Keyed::Sha256(p) => (p.inner.zeroize(), p.outer.zeroize()),
            Keyed::Sha512(p) => (p.inner.zeroize(), p.outer.zeroize()),
        };
    }
}

/// `K'` of RFC 2104: the key hashed if longer than a block, zero-padded to a block, then
/// XOR-ed with `pad`.
fn padded_key<const B: usize>(
    key: &[u8],
    hashed: impl FnOnce(&[u8]) -> Vec<u8>,
    pad: u8,
) -> [u8; B] {
    let mut block = [0u8; B];
    if key.len() > B {
        let mut digest = hashed(key);
        block[..digest.len()].copy_from_slice(&digest);
        digest.zeroize();
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    for b in &mut block {
        *b ^= pad;
    }
    block
}

impl Keyed {
    pub(crate) fn new(algorithm: Algorithm, key: &[u8]) -> Keyed {
        match algorithm {
            Algorithm::Sha1 => {
                let hash = |k: &[u8]| sha1::Sha1::digest(k).to_vec();
                let pads = Pads {
                    inner: sha1_state(&padded_key::<64>(key, hash, 0x36)),
                    outer: sha1_state(&padded_key::<64>(key, hash, 0x5c)),
                };
                Keyed::Sha1(pads)
            }
            Algorithm::Sha256 => {
                let hash = |k: &[u8]| sha2::Sha256::digest(k).to_vec();
                let state = |mut block: [u8; 64]| {
                    let mut s = SHA256_IV;
                    sha2::block_api::compress256(&mut s, &[block]);
                    block.zeroize();
                    s
                };
                Keyed::Sha256(Pads {
                    inner: state(padded_key::<64>(key, hash, 0x36)),
                    outer: state(padded_key::<64>(key, hash, 0x5c)),
                })
            }
            Algorithm::Sha512 => {
                let hash = |k: &[u8]| sha2::Sha512::digest(k).to_vec();
                let state = |mut block: [u8; 128]| {
                    let mut s = SHA512_IV;
                    sha2::block_api::compress512(&mut s, &[block]);
                    block.zeroize();
                    s
                };
                Keyed::Sha512(Pads {
                    inner: state(padded_key::<128>(key, hash, 0x36)),
                    outer: state(padded_key::<128>(key, hash, 0x5c)),
                })
            }
        }
    }

    /// `DT(HMAC(K, counter))` through the safe block functions.
    pub(crate) fn truncated_portable(&self, counter: u64) -> u32 {
        match self {
            Keyed::Sha1(p) => sha1_truncated(p, counter),
            Keyed::Sha256(p) => sha256_truncated(p, counter),
            Keyed::Sha512(p) => sha512_truncated(p, counter),
        }
    }
}

fn sha1_state(block: &[u8; 64]) -> [u32; 5] {
    let mut s = SHA1_IV;
    sha1::block_api::compress(&mut s, &[*block]);
    s
}

/// The single padded block of a message of `len_bits` after one keyed block: `message`,
/// `0x80`, zeros, and the 64-bit big-endian bit length (FIPS 180-4 §5.1.1).
#[inline(always)]
fn final_block_64(message: &[u8], len_bits: u64) -> [u8; 64] {
    let mut block = [0u8; 64];
    block[..message.len()].copy_from_slice(message);
    block[message.len()] = 0x80;
    block[56..].copy_from_slice(&len_bits.to_be_bytes());
    block
}

/// RFC 4226 §5.3 dynamic truncation over big-endian 32-bit digest words: the offset is the
/// low nibble of the last digest byte, and the 4 bytes there are read with the top bit
/// cleared.
#[inline(always)]
pub(crate) fn dynamic_truncation_words(words: &[u32], offset: u32) -> u32 {
    let i = (offset / 4) as usize;
    let shift = (offset % 4) * 8;
    // The two words the four bytes straddle, as one 64-bit value: one shift, no branch on
    // the offset (which the HMAC decides, so a branch on it would mispredict often).
    let pair = (u64::from(words[i]) << 32) | u64::from(words[i + 1]);
    ((pair >> (32 - shift)) as u32) & 0x7fff_ffff
}

fn sha1_truncated(pads: &Pads<[u32; 5]>, counter: u64) -> u32 {
    // Inner: H((K ^ ipad) || counter) = one block after the keyed one: 64 + 8 bytes.
    let mut inner = pads.inner;
    sha1::block_api::compress(
        &mut inner,
        &[final_block_64(&counter.to_be_bytes(), 72 * 8)],
    );
    let mut digest = [0u8; 20];
    for (chunk, w) in digest.chunks_exact_mut(4).zip(inner) {
        chunk.copy_from_slice(&w.to_be_bytes());
    }
    // Outer: H((K ^ opad) || inner digest): 64 + 20 bytes.
    let mut outer = pads.outer;
    sha1::block_api::compress(&mut outer, &[final_block_64(&digest, 84 * 8)]);
    dynamic_truncation_words(&outer, outer[4] & 0xf)
}

fn sha256_truncated(pads: &Pads<[u32; 8]>, counter: u64) -> u32 {
    let mut inner = pads.inner;
    sha2::block_api::compress256(
        &mut inner,
        &[final_block_64(&counter.to_be_bytes(), 72 * 8)],
    );
    let mut digest = [0u8; 32];
    for (chunk, w) in digest.chunks_exact_mut(4).zip(inner) {
        chunk.copy_from_slice(&w.to_be_bytes());
    }
    let mut outer = pads.outer;
    sha2::block_api::compress256(&mut outer, &[final_block_64(&digest, 96 * 8)]);
    dynamic_truncation_words(&outer, outer[7] & 0xf)
}

fn sha512_truncated(pads: &Pads<[u64; 8]>, counter: u64) -> u32 {
    // SHA-512 blocks are 128 bytes with a 128-bit length field.
    let mut block = [0u8; 128];
    block[..8].copy_from_slice(&counter.to_be_bytes());
    block[8] = 0x80;
    block[112..].copy_from_slice(&u128::from(136u32 * 8).to_be_bytes());
    let mut inner = pads.inner;
    sha2::block_api::compress512(&mut inner, &[block]);

    let mut block = [0u8; 128];
    for (chunk, w) in block[..64].chunks_exact_mut(8).zip(inner) {
        chunk.copy_from_slice(&w.to_be_bytes());
    }
    block[64] = 0x80;
    block[112..].copy_from_slice(&u128::from(192u32 * 8).to_be_bytes());
    let mut outer = pads.outer;
    sha2::block_api::compress512(&mut outer, &[block]);

    // The offset is at most 15, so the 4 bytes lie in the first three 64-bit words.
    let words = [
        (outer[0] >> 32) as u32,
        outer[0] as u32,
        (outer[1] >> 32) as u32,
        outer[1] as u32,
        (outer[2] >> 32) as u32,
    ];
    dynamic_truncation_words(&words, (outer[7] & 0xf) as u32)
}
