//! The `mfaspec` command line: its arguments, subcommands and exit codes are in `cli/`. Run
//! with `cargo run -- --help`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main().into()
}
