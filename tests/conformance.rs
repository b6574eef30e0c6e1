//! The conformance suite as a `cargo test` target (cucumber, not libtest): every feature
//! against `MFASPEC_TARGET` (default: the embedded reference endpoint). Exit codes as
//! `mfaspec run`: 0 conformant, 1 conformance failures, 2 harness error, 4 nothing selected.
//! Reports go to `target/conformance-report/` (or `MFASPEC_REPORT_DIR`), never over a
//! person's `target/mfaspec-report/`.

use mfaspec::outcome::Outcome;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let report_dir = std::env::var_os("MFASPEC_REPORT_DIR").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/conformance-report"),
        Into::into,
    );
    let options = mfaspec::runner::RunOptions {
        target: std::env::var(mfaspec::target::TARGET_VARIABLE).ok(),
        tags: std::env::var("MFASPEC_TAGS").ok(),
        report_dir: Some(report_dir),
        ..Default::default()
    };
    let code = match runtime.block_on(mfaspec::runner::run(&options)) {
        Ok(summary) => {
            println!("{}", mfaspec::report::console::render(&summary));
            let counts = summary.counts();
            let count = |o: Outcome| counts.get(&o).copied().unwrap_or(0);
            let failed = summary.scenarios.len()
                - count(Outcome::Pass)
                - count(Outcome::Xfail)
                - count(Outcome::NotApplicable);
            println!(
                "conformance: {} passed, {failed} failed",
                count(Outcome::Pass)
            );
            summary.exit_code().code()
        }
        Err(e) => {
            eprintln!("mfaspec: {e}");
            e.exit_code().code()
        }
    };
    std::process::exit(i32::from(code));
}
