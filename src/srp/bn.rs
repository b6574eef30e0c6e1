//! 3072-bit modular arithmetic for SRP, on AWS-LC's `BIGNUM` (through `aws-lc-sys`, which
//! `aws-lc-rs` already builds for the tokens' RSA and for rustls: no new C library).
//!
//! Why AWS-LC and not a pure-Rust crate: measured on this machine (2-core x86_64) with
//! `cargo bench --bench bigint` — one 3072-bit modular exponentiation with a 256-bit
//! exponent on random inputs — AWS-LC's `BN_mod_exp_mont_consttime` takes 627 µs,
//! crypto-bigint 0.7 (constant-time Montgomery) 2.2× that and num-bigint 0.4 (not
//! constant-time) 2.6×; a scratch run of GMP through rug 1.19 gave 724 µs for `mpz_powm` and
//! 838 µs for `mpz_powm_sec` against AWS-LC's 582 µs (current rug refuses Debian 12's GMP
//! 6.2.1, and its bundled build needs m4). AWS-LC's is both the fastest and constant-time in
//! the exponent, so the secret exponents (`a`, `b`, `x`) leak no more through timing than
//! Java's `BigInteger` would (which is not constant-time at all).
//!
//! This is the second module allowed `unsafe` (the first is `totp::sha_ni`): foreign calls
//! are `unsafe`. Every pointer handed to AWS-LC comes from a live [`Num`] or [`Modulus`]
//! owned by the caller, and every return code is checked. The API above it is safe and small:
//! bytes in, bytes out, arithmetic modulo one odd modulus.
#![allow(unsafe_code)]

use std::ptr::NonNull;

use aws_lc_sys as ffi;

/// A non-negative integer, wiped when dropped (`BN_clear_free`): exponents are secrets.
pub(crate) struct Num(NonNull<ffi::BIGNUM>);

// SAFETY: a BIGNUM has no thread affinity; `Num` owns its BIGNUM exclusively, so moving it
// to another thread moves the only handle to it.
unsafe impl Send for Num {}
// SAFETY: a shared `&Num` only reaches AWS-LC as a `*const BIGNUM` input, which AWS-LC reads
// and never writes; only `Num`'s own constructors write through the pointer.
unsafe impl Sync for Num {}

impl Drop for Num {
    fn drop(&mut self) {
        // SAFETY: `self.0` was returned by BN_new/BN_bin2bn and is freed exactly once, here.
        unsafe { ffi::BN_clear_free(self.0.as_ptr()) }
    }
}

fn non_null<T>(ptr: *mut T, what: &str) -> NonNull<T> {
    // AWS-LC returns null only when an allocation fails.
    NonNull::new(ptr).unwrap_or_else(|| panic!("AWS-LC could not allocate {what}"))
}

impl Num {
    fn new() -> Num {
        // SAFETY: BN_new takes nothing and returns a fresh BIGNUM or null.
        Num(non_null(unsafe { ffi::BN_new() }, "a BIGNUM"))
    }

    /// The integer whose big-endian bytes are `bytes` (leading zeros allowed).
    pub(crate) fn from_be(bytes: &[u8]) -> Num {
        // SAFETY: `bytes` is a live slice of `bytes.len()` bytes; a null `ret` asks for a new
        // BIGNUM.
        let ptr = unsafe { ffi::BN_bin2bn(bytes.as_ptr(), bytes.len(), std::ptr::null_mut()) };
        Num(non_null(ptr, "a BIGNUM"))
    }

    /// The minimal big-endian bytes (none for zero).
    pub(crate) fn to_be(&self) -> Vec<u8> {
        // SAFETY: `self.0` is a live BIGNUM.
        let len = unsafe { ffi::BN_num_bytes(self.0.as_ptr()) } as usize;
        let mut out = vec![0u8; len];
        // SAFETY: `out` has exactly BN_num_bytes bytes, which is what BN_bn2bin writes.
        let written = unsafe { ffi::BN_bn2bin(self.0.as_ptr(), out.as_mut_ptr()) };
        debug_assert_eq!(written, len);
        out
    }

    /// Whether this is zero.
    pub(crate) fn is_zero(&self) -> bool {
        // SAFETY: `self.0` is a live BIGNUM.
        unsafe { ffi::BN_is_zero(self.0.as_ptr()) == 1 }
    }

    fn ptr(&self) -> *const ffi::BIGNUM {
        self.0.as_ptr()
    }
}

/// A scratch context for one operation.
struct Scratch(NonNull<ffi::BN_CTX>);

impl Scratch {
    fn new() -> Scratch {
        // SAFETY: BN_CTX_new takes nothing and returns a fresh context or null.
        Scratch(non_null(unsafe { ffi::BN_CTX_new() }, "a BN_CTX"))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // SAFETY: freed exactly once, here.
        unsafe { ffi::BN_CTX_free(self.0.as_ptr()) }
    }
}

fn check(rc: std::os::raw::c_int, what: &str) {
    // The inputs are reduced and the modulus odd, so AWS-LC has no reason to refuse.
    assert_eq!(rc, 1, "AWS-LC refused {what}");
}

/// The shape of AWS-LC's `BN_mod_mul`, `BN_mod_add` and `BN_mod_sub`.
type BinaryOp = unsafe extern "C" fn(
    *mut ffi::BIGNUM,
    *const ffi::BIGNUM,
    *const ffi::BIGNUM,
    *const ffi::BIGNUM,
    *mut ffi::BN_CTX,
) -> std::os::raw::c_int;

/// Arithmetic modulo one odd modulus, with its Montgomery context computed once.
pub(crate) struct Modulus {
    n: Num,
    mont: NonNull<ffi::BN_MONT_CTX>,
}

// SAFETY: after construction the Montgomery context is only read (AWS-LC takes it as
// `*const BN_MONT_CTX`), which AWS-LC's RSA does from many threads at once.
unsafe impl Send for Modulus {}
// SAFETY: as above: shared references only ever read it.
unsafe impl Sync for Modulus {}

impl Drop for Modulus {
    fn drop(&mut self) {
        // SAFETY: freed exactly once, here.
        unsafe { ffi::BN_MONT_CTX_free(self.mont.as_ptr()) }
    }
}

impl Modulus {
    /// The modulus whose big-endian bytes are `n`, which must be odd and greater than one.
    pub(crate) fn new(n: &[u8]) -> Modulus {
        assert!(
            n.last().is_some_and(|b| b & 1 == 1),
            "the modulus must be odd"
        );
        let n = Num::from_be(n);
        let scratch = Scratch::new();
        // SAFETY: `n` and `scratch` are live for the call.
        let mont = unsafe { ffi::BN_MONT_CTX_new_for_modulus(n.ptr(), scratch.0.as_ptr()) };
        Modulus {
            n,
            mont: non_null(mont, "a BN_MONT_CTX"),
        }
    }

    /// `x mod n`.
    pub(crate) fn reduce(&self, x: &Num) -> Num {
        let out = Num::new();
        let scratch = Scratch::new();
        // SAFETY: all three are live; `out` is distinct from the inputs.
        check(
            unsafe { ffi::BN_nnmod(out.0.as_ptr(), x.ptr(), self.n.ptr(), scratch.0.as_ptr()) },
            "a reduction",
        );
        out
    }

    /// `base^exp mod n`, in time independent of `exp`'s value (for its byte width).
    pub(crate) fn pow(&self, base: &Num, exp: &Num) -> Num {
        let base = self.reduce(base);
        let out = Num::new();
        let scratch = Scratch::new();
        // SAFETY: every pointer is live for the call; `base` is reduced below `n`, as the
        // function requires, and `mont` was made for `n`.
        check(
            unsafe {
                ffi::BN_mod_exp_mont_consttime(
                    out.0.as_ptr(),
                    base.ptr(),
                    exp.ptr(),
                    self.n.ptr(),
                    scratch.0.as_ptr(),
                    self.mont.as_ptr(),
                )
            },
            "an exponentiation",
        );
        out
    }

    /// `a·b mod n`.
    pub(crate) fn mul(&self, a: &Num, b: &Num) -> Num {
        self.binary(ffi::BN_mod_mul, a, b, "a multiplication")
    }

    /// `a + b mod n`.
    pub(crate) fn add(&self, a: &Num, b: &Num) -> Num {
        self.binary(ffi::BN_mod_add, a, b, "an addition")
    }

    /// `a − b mod n`, never negative.
    pub(crate) fn sub(&self, a: &Num, b: &Num) -> Num {
        self.binary(ffi::BN_mod_sub, a, b, "a subtraction")
    }

    /// One of AWS-LC's `BN_mod_*(r, a, b, m, ctx)` operations into a fresh result.
    fn binary(&self, op: BinaryOp, a: &Num, b: &Num, what: &str) -> Num {
        let out = Num::new();
        let scratch = Scratch::new();
        // SAFETY: `op` is one of AWS-LC's BN_mod_mul/add/sub, which read `a`, `b` and `m` and
        // write `r`; all pointers are live for the call and `out` is distinct from the inputs.
        check(
            unsafe {
                op(
                    out.0.as_ptr(),
                    a.ptr(),
                    b.ptr(),
                    self.n.ptr(),
                    scratch.0.as_ptr(),
                )
            },
            what,
        );
        out
    }
}
