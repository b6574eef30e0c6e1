#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo fuzz, libFuzzer) of what reads untrusted input: Base32,
# otpauth:// URIs, typed-in codes, target profiles, feature files and the reference
# endpoint's request handling (stateful: see src/reference/fixture.rs).
#
#   scripts/fuzz.sh                 every target for FUZZ_SECONDS (default 20) each
#   scripts/fuzz.sh key_uri base32  just these
#   FUZZ_SECONDS=600 scripts/fuzz.sh reference_request
#
# Installs cargo-fuzz into target/peers/cargo-fuzz if it is missing; needs a nightly
# toolchain (rustup's). Builds without a sanitizer (`-s none`: the code under test is safe
# Rust; what is hunted is panics, overflows and hangs), starts from fuzz/seeds/<target> plus
# what earlier runs found (fuzz/corpus/<target>, not committed). A crash is saved under
# fuzz/artifacts/<target>/ and fails the script (exit 1); 2 when it cannot run at all.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_EACH="${FUZZ_SECONDS:-20}"
TOOLS="$ROOT/target/peers/cargo-fuzz"
export PATH="$TOOLS/bin:$PATH"

if ! command -v cargo-fuzz >/dev/null; then
  echo "fuzz: installing cargo-fuzz into $TOOLS"
  cargo install --locked --quiet cargo-fuzz --root "$TOOLS" || { echo "fuzz: cannot install cargo-fuzz" >&2; exit 2; }
fi
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "fuzz: installing a nightly toolchain"
  rustup toolchain install nightly --profile minimal || { echo "fuzz: no nightly toolchain" >&2; exit 2; }
fi

cd "$ROOT/fuzz"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
cargo +nightly fuzz build -s none -O
failed=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  log="$(mktemp)"
  if cargo +nightly fuzz run -s none -O "$t" "corpus/$t" "seeds/$t" -- \
      -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=10 -print_final_stats=1 >"$log" 2>&1; then
    runs=$(grep -oE '^Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' || echo "?")
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo "?")
    echo "fuzz: $t: $runs runs in ${SECONDS_EACH} s, coverage $cov edges, no crash"
  else
    echo "fuzz: $t: CRASH (see fuzz/artifacts/$t/)"
    grep -E 'panicked|ERROR|SUMMARY|Test unit written' "$log" | head -n 20
    failed=1
  fi
  rm -f "$log"
done
if [ "$failed" -eq 0 ]; then
  echo "fuzz: ${#targets[@]} passed, 0 failed"
fi
exit "$failed"
