//! HMAC-SHA-1 over an 8-byte counter on the x86 SHA extensions (SHA-NI), fused: the inner
//! digest stays in XMM registers and becomes the outer block's message words directly, and
//! up to three counters are computed interleaved so that the `SHA1RNDS4` latency of one
//! lane hides behind the others (shared/research/totp-bench.md, "Why the fast ones are
//! fast", 4). Knows nothing of codes, time or windows: it returns 31-bit truncations.
//!
//! This is the one module allowed `unsafe`: calling a `#[target_feature]` function is
//! `unsafe` unless the caller has the same features, and we only know that at run time.
//! [`available`] checks the CPU once (std caches the answer); the only `unsafe` block sits
//! behind it. The intrinsics themselves are safe inside the target-feature function. The
//! safe fallback is `hmac::Keyed::truncated_portable`, and `tests/properties.rs` proves the
//! two equal.
#![allow(unsafe_code)]

use super::hmac::Pads;

/// Whether this CPU can run [`truncated`].
#[must_use]
pub(crate) fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("sha")
            && std::arch::is_x86_feature_detected!("sse4.1")
            && std::arch::is_x86_feature_detected!("ssse3")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// `DT(HMAC-SHA-1(K, c))` for each counter `c`, all lanes interleaved; `None` when the CPU
/// lacks SHA-NI.
#[inline]
pub(crate) fn truncated<const N: usize>(
    pads: &Pads<[u32; 5]>,
    counters: [u64; N],
) -> Option<[u32; N]> {
    #[cfg(target_arch = "x86_64")]
    if available() {
        // SAFETY: `available()` just confirmed the `sha`, `sse4.1` and `ssse3` features
        // that `x86::hmac_sha1` is compiled for (SSE2 is part of x86_64).
        return Some(unsafe { x86::hmac_sha1(pads, counters) });
    }
    let _ = (pads, counters);
    None
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use core::arch::x86_64::*;

    use super::Pads;
    use crate::totp::hmac::dynamic_truncation_words;

    /// Four rounds: `$h0 = SHA1RNDS4($h1, SHA1NEXTE($h0, $w), $i)` in every lane.
    macro_rules! rounds4 {
        ($n:expr, $h0:ident, $h1:ident, $w:ident, $i:literal) => {
            for l in 0..$n {
                $h0[l] = _mm_sha1rnds4_epu32($h1[l], _mm_sha1nexte_epu32($h0[l], $w[l]), $i);
            }
        };
    }

    /// The next message vector `$w4` from the four before it, then four rounds with it.
    macro_rules! schedule_rounds4 {
        ($n:expr, $h0:ident, $h1:ident, $w0:ident, $w1:ident, $w2:ident, $w3:ident, $w4:ident, $i:literal) => {
            for l in 0..$n {
                $w4[l] = _mm_sha1msg2_epu32(
                    _mm_xor_si128(_mm_sha1msg1_epu32($w0[l], $w1[l]), $w2[l]),
                    $w3[l],
                );
            }
            rounds4!($n, $h1, $h0, $w4, $i);
        };
    }

    /// One SHA-1 compression per lane from the shared chaining value (`abcd`, `e`) over the
    /// message vectors `w0..w3` (word 0 in the top lane). Yields the new (`abcd`, `e`) of
    /// every lane, in the same layout. The round sequence is RustCrypto sha1's `x86_sha`.
    macro_rules! compress {
        ($n:expr, $abcd:expr, $e:expr, $w0:ident, $w1:ident, $w2:ident, $w3:ident) => {{
            let abcd: __m128i = $abcd;
            let e: __m128i = $e;
            let mut w4 = [_mm_setzero_si128(); $n];
            let mut h0 = [abcd; $n];
            let mut h1 = [_mm_setzero_si128(); $n];
            for l in 0..$n {
                h1[l] = _mm_sha1rnds4_epu32(h0[l], _mm_add_epi32(e, $w0[l]), 0);
            }
            rounds4!($n, h0, h1, $w1, 0);
            rounds4!($n, h1, h0, $w2, 0);
            rounds4!($n, h0, h1, $w3, 0);
            schedule_rounds4!($n, h0, h1, $w0, $w1, $w2, $w3, w4, 0);
            // Rounds 20..40
            schedule_rounds4!($n, h1, h0, $w1, $w2, $w3, w4, $w0, 1);
            schedule_rounds4!($n, h0, h1, $w2, $w3, w4, $w0, $w1, 1);
            schedule_rounds4!($n, h1, h0, $w3, w4, $w0, $w1, $w2, 1);
            schedule_rounds4!($n, h0, h1, w4, $w0, $w1, $w2, $w3, 1);
            schedule_rounds4!($n, h1, h0, $w0, $w1, $w2, $w3, w4, 1);
            // Rounds 40..60
            schedule_rounds4!($n, h0, h1, $w1, $w2, $w3, w4, $w0, 2);
            schedule_rounds4!($n, h1, h0, $w2, $w3, w4, $w0, $w1, 2);
            schedule_rounds4!($n, h0, h1, $w3, w4, $w0, $w1, $w2, 2);
            schedule_rounds4!($n, h1, h0, w4, $w0, $w1, $w2, $w3, 2);
            schedule_rounds4!($n, h0, h1, $w0, $w1, $w2, $w3, w4, 2);
            // Rounds 60..80
            schedule_rounds4!($n, h1, h0, $w1, $w2, $w3, w4, $w0, 3);
            schedule_rounds4!($n, h0, h1, $w2, $w3, w4, $w0, $w1, 3);
            schedule_rounds4!($n, h1, h0, $w3, w4, $w0, $w1, $w2, 3);
            schedule_rounds4!($n, h0, h1, w4, $w0, $w1, $w2, $w3, 3);
            schedule_rounds4!($n, h1, h0, $w0, $w1, $w2, $w3, w4, 3);
            let mut out_abcd = [abcd; $n];
            let mut out_e = [e; $n];
            for l in 0..$n {
                out_abcd[l] = _mm_add_epi32(abcd, h0[l]);
                out_e[l] = _mm_sha1nexte_epu32(h1[l], e);
            }
            (out_abcd, out_e)
        }};
    }

    /// (`abcd`, `e`) vectors of a chaining value, `a` and `e` in the top lane.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn load(s: &[u32; 5]) -> (__m128i, __m128i) {
        (
            _mm_set_epi32(s[0] as i32, s[1] as i32, s[2] as i32, s[3] as i32),
            _mm_set_epi32(s[4] as i32, 0, 0, 0),
        )
    }

    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub(super) fn hmac_sha1<const N: usize>(pads: &Pads<[u32; 5]>, counters: [u64; N]) -> [u32; N] {
        let (inner_abcd, inner_e) = load(&pads.inner);
        let (outer_abcd, outer_e) = load(&pads.outer);
        let zero = _mm_setzero_si128();

        // Inner block: counter (2 words), 0x80 terminator, zeros, length (64 + 8) * 8 bits.
        let mut w0 = [zero; N];
        for l in 0..N {
            let c = counters[l];
            w0[l] = _mm_set_epi32((c >> 32) as i32, c as i32, 0x8000_0000_u32 as i32, 0);
        }
        let mut w1 = [zero; N];
        let mut w2 = [zero; N];
        let mut w3 = [_mm_set_epi32(0, 0, 0, 72 * 8); N];
        let (digest_abcd, digest_e) = compress!(N, inner_abcd, inner_e, w0, w1, w2, w3);

        // Outer block: the inner digest as it sits in the registers (abcd is already words
        // 0..3 in message order; e is word 4), 0x80, zeros, length (64 + 20) * 8 bits.
        let terminator = _mm_set_epi32(0, 0x8000_0000_u32 as i32, 0, 0);
        for l in 0..N {
            w0[l] = digest_abcd[l];
            w1[l] = _mm_or_si128(digest_e[l], terminator);
            w2[l] = zero;
            w3[l] = _mm_set_epi32(0, 0, 0, 84 * 8);
        }
        let (abcd, e) = compress!(N, outer_abcd, outer_e, w0, w1, w2, w3);

        let mut out = [0u32; N];
        for l in 0..N {
            let words = [
                _mm_extract_epi32(abcd[l], 3) as u32,
                _mm_extract_epi32(abcd[l], 2) as u32,
                _mm_extract_epi32(abcd[l], 1) as u32,
                _mm_extract_epi32(abcd[l], 0) as u32,
                _mm_extract_epi32(e[l], 3) as u32,
            ];
            out[l] = dynamic_truncation_words(&words, words[4] & 0xf);
        }
        out
    }
}
