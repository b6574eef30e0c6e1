//! The `mfaspec` command line, in the binary: arguments in ([`args`]), one function per
//! subcommand that maps them onto the library and prints what it answers, and every ending as
//! one of the documented exit codes ([`mfaspec::exit::Exit`]).
//!
//! Owns: printing and the exit code. The work itself is the library's.

pub mod args;
mod fresh;
mod readme;
mod serve;
mod suite;
mod support;
mod totp;

use clap::Parser as _;
use mfaspec::exit::Exit;

use args::{Cli, Command};

/// Parses the command line and runs the subcommand.
pub fn main() -> Exit {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let result = match cli.command {
        Command::Run(args) => return suite::run(args),
        Command::Code(args) => totp::code(args),
        Command::Uri(args) => totp::uri(args),
        Command::Serve(args) => serve::serve(args),
        Command::Matrix(args) => return suite::matrix(args),
        Command::Cleanup(args) => return suite::cleanup(args),
        Command::Diff(args) => return suite::diff(args),
        Command::Repro(args) => return suite::repro(&args),
        Command::TotpCheck(args) => return totp::totp_check(args),
        Command::TotpAdapter(args) => totp::totp_adapter(&args),
    };
    match result {
        Ok(()) => Exit::Success,
        Err(e) => support::error(&e),
    }
}

/// clap's refusal: bare `mfaspec` prints the whole help (exit 2); `--help` and `--version`
/// print theirs (exit 0); anything else is one line (exit 2).
fn usage_error(e: &clap::Error) -> Exit {
    if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        // Bare `mfaspec`: the whole help, with the subcommands and an example.
        let _ = e.print();
        return Exit::Error;
    }
    if !e.use_stderr() {
        // --help and --version.
        let _ = e.print();
        return Exit::Success;
    }
    eprintln!("mfaspec: {}", clap_line(&e.to_string()));
    Exit::Error
}

/// clap's message is the first paragraph; the usage block after it is noise in CI logs. The
/// paragraph, and clap's "did you mean" tip, folded into one line.
fn clap_line(rendered: &str) -> String {
    let mut paragraphs = rendered.split("\n\n");
    let mut message: Vec<&str> = paragraphs
        .next()
        .unwrap_or("")
        .lines()
        .map(str::trim)
        .collect();
    let tips: Vec<&str> = paragraphs
        .map(str::trim)
        .filter(|p| p.starts_with("tip:"))
        .flat_map(str::lines)
        .map(str::trim)
        .collect();
    message.retain(|l| !l.is_empty());
    let mut line = message.join(" ");
    for tip in tips {
        line.push_str("; ");
        line.push_str(tip);
    }
    line.trim_start_matches("error: ").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use support::one_line;

    #[test]
    fn a_clap_error_is_one_line_with_its_tip() {
        let rendered = "error: unexpected argument '--tag' found\n\n  tip: a similar argument exists: '--tags'\n\nUsage: mfaspec run [OPTIONS]\n\nFor more information, try '--help'.\n";
        assert_eq!(
            clap_line(rendered),
            "unexpected argument '--tag' found; tip: a similar argument exists: '--tags'"
        );
    }

    #[test]
    fn causes_are_said_once() {
        let e = anyhow::anyhow!("Address already in use")
            .context("binding 127.0.0.1:9339: Address already in use");
        assert_eq!(
            one_line(&e),
            "binding 127.0.0.1:9339: Address already in use"
        );
        let e = anyhow::anyhow!("no such file").context("reading `x`");
        assert_eq!(one_line(&e), "reading `x`: no such file");
    }
}
