//! The conformance suite as a `cargo test` target (cucumber, not libtest): every feature
//! against `MFASPEC_TARGET` (default: the embedded reference endpoint). Exit codes as
//! `mfaspec run`: 0 conformant, 1 conformance failures, 2 harness error, 4 nothing selected.

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let options = mfaspec::runner::RunOptions {
        tags: std::env::var("MFASPEC_TAGS").ok(),
        ..Default::default()
    };
    let code = match runtime.block_on(mfaspec::runner::run(&options)) {
        Ok(summary) => {
            println!("{}", mfaspec::runner::render_summary(&summary));
            let counts = summary.counts();
            let failed = summary.scenarios.len()
                - counts.get(&mfaspec::runner::Outcome::Pass).unwrap_or(&0)
                - counts.get(&mfaspec::runner::Outcome::Xfail).unwrap_or(&0)
                - counts
                    .get(&mfaspec::runner::Outcome::NotApplicable)
                    .unwrap_or(&0);
            let passed = counts.get(&mfaspec::runner::Outcome::Pass).unwrap_or(&0);
            println!("conformance: {passed} passed, {failed} failed");
            summary.exit_code()
        }
        Err(e) => {
            eprintln!("mfaspec: {e}");
            mfaspec::runner::EXIT_ERROR
        }
    };
    std::process::exit(code);
}
