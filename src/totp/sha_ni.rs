//! HMAC-SHA-1 and HMAC-SHA-256 over an 8-byte counter on the x86 SHA extensions (SHA-NI),
//! fused: the inner digest stays in XMM registers and becomes the outer block's message
//! words directly, and several counters are computed interleaved so that the round
//! instructions' latency in one lane hides behind the others (shared/research/totp-bench.md,
//! "Why the fast ones are fast", 4). Knows nothing of codes, time or windows: it returns
//! 31-bit truncations.
//!
//! This is the one module allowed `unsafe`: calling a `#[target_feature]` function is
//! `unsafe` unless the caller has the same features, and we only know that at run time.
//! [`available`] checks the CPU once (std caches the answer); the only `unsafe` block sits
//! behind it. The intrinsics themselves are safe inside the target-feature function. The
//! safe fallback is `hmac::Keyed::truncated_portable`, and `tests/properties.rs` proves the
//! two equal.
#![allow(unsafe_code)]

use super::hmac::Pads;

/// Whether this CPU can run [`sha1_truncated`] and [`sha256_truncated`].
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

/// `DT(HMAC-SHA-1(K, c))` for each lane's key `K` (its pads) and counter `c`, all lanes
/// interleaved; `None` when the CPU lacks SHA-NI. The lanes may share one key (a window's
/// candidates) or each have their own (many users' codes at once).
#[inline]
pub(crate) fn sha1_truncated<const N: usize>(
    pads: [&Pads<[u32; 5]>; N],
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

/// `DT(HMAC-SHA-1(K, c))` for one key `K` (its pads) and each lane's counter `c`: a
/// window's candidates. As [`sha1_truncated`] with every lane's key the same, which the
/// kernel then holds once.
#[inline]
pub(crate) fn sha1_truncated_one_key<const N: usize>(
    pads: &Pads<[u32; 5]>,
    counters: [u64; N],
) -> Option<[u32; N]> {
    #[cfg(target_arch = "x86_64")]
    if available() {
        // SAFETY: `available()` just confirmed the `sha`, `sse4.1` and `ssse3` features
        // that `x86::hmac_sha1_one_key` is compiled for (SSE2 is part of x86_64).
        return Some(unsafe { x86::hmac_sha1_one_key(pads, counters) });
    }
    let _ = (pads, counters);
    None
}

/// `DT(HMAC-SHA-256(K, c))` for each lane's key and counter, as [`sha1_truncated`].
#[inline]
pub(crate) fn sha256_truncated<const N: usize>(
    pads: [&Pads<[u32; 8]>; N],
    counters: [u64; N],
) -> Option<[u32; N]> {
    #[cfg(target_arch = "x86_64")]
    if available() {
        // SAFETY: `available()` just confirmed the `sha`, `sse4.1` and `ssse3` features
        // that `x86::hmac_sha256` is compiled for (SSE2 is part of x86_64).
        return Some(unsafe { x86::hmac_sha256(pads, counters) });
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

    /// One SHA-1 compression per lane from that lane's chaining value (`abcd`, `e`) over
    /// the message vectors `w0..w3` (word 0 in the top lane). Yields the new (`abcd`, `e`)
    /// of every lane, in the same layout. The round sequence is RustCrypto sha1's `x86_sha`.
    macro_rules! compress {
        ($n:expr, $abcd:expr, $e:expr, $w0:ident, $w1:ident, $w2:ident, $w3:ident) => {{
            let abcd: [__m128i; $n] = $abcd;
            let e: [__m128i; $n] = $e;
            let mut w4 = [_mm_setzero_si128(); $n];
            let mut h0 = abcd;
            let mut h1 = [_mm_setzero_si128(); $n];
            for l in 0..$n {
                h1[l] = _mm_sha1rnds4_epu32(h0[l], _mm_add_epi32(e[l], $w0[l]), 0);
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
            let mut out_abcd = abcd;
            let mut out_e = e;
            for l in 0..$n {
                out_abcd[l] = _mm_add_epi32(abcd[l], h0[l]);
                out_e[l] = _mm_sha1nexte_epu32(h1[l], e[l]);
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

    /// `DT(HMAC-SHA-1)` of each lane's counter from each lane's key states (`abcd`, `e` of
    /// the inner and outer pads): the inner block, its digest as the outer block's message
    /// words, the outer block, the truncation.
    macro_rules! hmac_sha1 {
        ($n:expr, $inner_abcd:expr, $inner_e:expr, $outer_abcd:expr, $outer_e:expr, $counters:expr) => {{
            let counters: [u64; $n] = $counters;
            let zero = _mm_setzero_si128();

            // Inner block: counter (2 words), 0x80 terminator, zeros, length (64 + 8) * 8 bits.
            let mut w0 = [zero; $n];
            for l in 0..$n {
                let c = counters[l];
                w0[l] = _mm_set_epi32((c >> 32) as i32, c as i32, 0x8000_0000_u32 as i32, 0);
            }
            let mut w1 = [zero; $n];
            let mut w2 = [zero; $n];
            let mut w3 = [_mm_set_epi32(0, 0, 0, 72 * 8); $n];
            let (digest_abcd, digest_e) = compress!($n, $inner_abcd, $inner_e, w0, w1, w2, w3);

            // Outer block: the inner digest as it sits in the registers (abcd is already
            // words 0..3 in message order; e is word 4), 0x80, zeros, length (64 + 20) * 8.
            let terminator = _mm_set_epi32(0, 0x8000_0000_u32 as i32, 0, 0);
            for l in 0..$n {
                w0[l] = digest_abcd[l];
                w1[l] = _mm_or_si128(digest_e[l], terminator);
                w2[l] = zero;
                w3[l] = _mm_set_epi32(0, 0, 0, 84 * 8);
            }
            let (abcd, e) = compress!($n, $outer_abcd, $outer_e, w0, w1, w2, w3);

            let mut out = [0u32; $n];
            for l in 0..$n {
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
        }};
    }

    /// Each lane with its own key (many users' codes at once).
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub(super) fn hmac_sha1<const N: usize>(
        pads: [&Pads<[u32; 5]>; N],
        counters: [u64; N],
    ) -> [u32; N] {
        let inner = pads.map(|p| load(&p.inner));
        let outer = pads.map(|p| load(&p.outer));
        hmac_sha1!(
            N,
            inner.map(|s| s.0),
            inner.map(|s| s.1),
            outer.map(|s| s.0),
            outer.map(|s| s.1),
            counters
        )
    }

    /// Every lane with the same key (a window's candidates): the key states are loaded once
    /// and held once, not once per lane — four registers where three lanes would want
    /// twelve, in a kernel that has more live values than the CPU has XMM registers.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub(super) fn hmac_sha1_one_key<const N: usize>(
        pads: &Pads<[u32; 5]>,
        counters: [u64; N],
    ) -> [u32; N] {
        let (inner_abcd, inner_e) = load(&pads.inner);
        let (outer_abcd, outer_e) = load(&pads.outer);
        hmac_sha1!(
            N,
            [inner_abcd; N],
            [inner_e; N],
            [outer_abcd; N],
            [outer_e; N],
            counters
        )
    }

    /// SHA-256 round constants (FIPS 180-4 §4.2.2).
    const K256: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];

    /// One SHA-256 compression per lane from that lane's chaining value (`abef`, `cdgh`,
    /// the layout `SHA256RNDS2` wants) over the message vectors `w` (word 0 in the bottom
    /// lane). The round sequence is RustCrypto sha2's `x86_sha`.
    #[inline]
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn sha256_compress<const N: usize>(
        abef0: [__m128i; N],
        cdgh0: [__m128i; N],
        w: &mut [[__m128i; 4]; N],
    ) -> ([__m128i; N], [__m128i; N]) {
        let mut abef = abef0;
        let mut cdgh = cdgh0;
        // Four rounds, the message schedule for them first. Written out 16 times with a
        // constant `R` rather than looped: every index is then known, the message words stay
        // in registers, and each round constant is one load (looped, `w` went through memory
        // on every group, and SHA-256 codes ran 1.24× the dependent floor).
        macro_rules! four_rounds {
            ($r:expr) => {{
                const R: usize = $r;
                let i = R % 4;
                if R >= 4 {
                    for wl in w.iter_mut() {
                        let t = _mm_add_epi32(
                            _mm_sha256msg1_epu32(wl[i], wl[(i + 1) % 4]),
                            _mm_alignr_epi8(wl[(i + 3) % 4], wl[(i + 2) % 4], 4),
                        );
                        wl[i] = _mm_sha256msg2_epu32(t, wl[(i + 3) % 4]);
                    }
                }
                let k = _mm_set_epi32(
                    K256[4 * R + 3] as i32,
                    K256[4 * R + 2] as i32,
                    K256[4 * R + 1] as i32,
                    K256[4 * R] as i32,
                );
                for l in 0..N {
                    let t1 = _mm_add_epi32(w[l][i], k);
                    cdgh[l] = _mm_sha256rnds2_epu32(cdgh[l], abef[l], t1);
                    abef[l] = _mm_sha256rnds2_epu32(abef[l], cdgh[l], _mm_shuffle_epi32(t1, 0x0E));
                }
            }};
        }
        four_rounds!(0);
        four_rounds!(1);
        four_rounds!(2);
        four_rounds!(3);
        four_rounds!(4);
        four_rounds!(5);
        four_rounds!(6);
        four_rounds!(7);
        four_rounds!(8);
        four_rounds!(9);
        four_rounds!(10);
        four_rounds!(11);
        four_rounds!(12);
        four_rounds!(13);
        four_rounds!(14);
        four_rounds!(15);
        for l in 0..N {
            abef[l] = _mm_add_epi32(abef[l], abef0[l]);
            cdgh[l] = _mm_add_epi32(cdgh[l], cdgh0[l]);
        }
        (abef, cdgh)
    }

    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub(super) fn hmac_sha256<const N: usize>(
        pads: [&Pads<[u32; 8]>; N],
        counters: [u64; N],
    ) -> [u32; N] {
        // (abef, cdgh) of a chaining value a..h, top lane first.
        let load = |s: &[u32; 8]| {
            (
                _mm_set_epi32(s[0] as i32, s[1] as i32, s[4] as i32, s[5] as i32),
                _mm_set_epi32(s[2] as i32, s[3] as i32, s[6] as i32, s[7] as i32),
            )
        };
        let inner = pads.map(|p| load(&p.inner));
        let outer = pads.map(|p| load(&p.outer));
        let (inner_abef, inner_cdgh) = (inner.map(|s| s.0), inner.map(|s| s.1));
        let (outer_abef, outer_cdgh) = (outer.map(|s| s.0), outer.map(|s| s.1));
        let zero = _mm_setzero_si128();

        // Inner block: counter (2 words), 0x80 terminator, zeros, length (64 + 8) * 8 bits.
        let mut w = [[zero; 4]; N];
        for (wl, c) in w.iter_mut().zip(counters) {
            wl[0] = _mm_set_epi32(0, 0x8000_0000_u32 as i32, c as i32, (c >> 32) as i32);
            wl[3] = _mm_set_epi32(72 * 8, 0, 0, 0);
        }
        let (abef, cdgh) = sha256_compress(inner_abef, inner_cdgh, &mut w);

        // Outer block: the inner digest a..h rearranged in registers into message order
        // (as sha2 stores its state), 0x80, zeros, length (64 + 32) * 8 bits.
        for l in 0..N {
            let feba = _mm_shuffle_epi32(abef[l], 0x1B);
            let dchg = _mm_shuffle_epi32(cdgh[l], 0xB1);
            w[l] = [
                _mm_blend_epi16(feba, dchg, 0xF0),
                _mm_alignr_epi8(dchg, feba, 8),
                _mm_set_epi32(0, 0, 0, 0x8000_0000_u32 as i32),
                _mm_set_epi32(96 * 8, 0, 0, 0),
            ];
        }
        let (abef, cdgh) = sha256_compress(outer_abef, outer_cdgh, &mut w);

        let mut out = [0u32; N];
        for l in 0..N {
            // abef = [a, b, e, f] and cdgh = [c, d, g, h], top lane first.
            let words = [
                _mm_extract_epi32(abef[l], 3) as u32,
                _mm_extract_epi32(abef[l], 2) as u32,
                _mm_extract_epi32(cdgh[l], 3) as u32,
                _mm_extract_epi32(cdgh[l], 2) as u32,
                _mm_extract_epi32(abef[l], 1) as u32,
            ];
            let h = _mm_extract_epi32(cdgh[l], 0) as u32;
            out[l] = dynamic_truncation_words(&words, h & 0xf);
        }
        out
    }
}
