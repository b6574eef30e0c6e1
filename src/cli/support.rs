//! What every subcommand shares: the async runtime, and how an error ends a command (one
//! line on stderr, exit 2).

use mfaspec::exit::Exit;

/// Prints `e` on one line and answers [`Exit::Error`]: what every command does with an error
/// that stops it.
pub fn error(e: &anyhow::Error) -> Exit {
    eprintln!("mfaspec: {}", one_line(e));
    Exit::Error
}

/// An error and its causes on one line, each cause said once: a cause whose text the
/// message already holds (`binding 127.0.0.1:9339: Address already in use` over the bare
/// `Address already in use`) is not repeated, nor a parser's cause that the message already
/// gave with its line and column.
pub fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        // A parser's cause says where as " at line L column C", which the message before
        // it has already said in its own words.
        let said = text.split(" at line ").next().unwrap_or(&text);
        if line.contains(said) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// The multi-threaded tokio runtime every async command runs on.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    use anyhow::Context as _;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}
