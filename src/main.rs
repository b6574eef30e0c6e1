//! The `mfaspec` command line. Run with `cargo run -- --help`.
//!
//! Exit codes are an API (README, "Exit codes"): 0 success; 1 conformance failures (`run`),
//! a stale matrix (`matrix --check`), differences (`diff`) or something `cleanup` could not
//! delete; 2 bad input or configuration (including an address `serve` cannot bind); 4 no
//! scenario selected; 130/143 a run interrupted by SIGINT/SIGTERM, after its cleanup.

use std::io::{IsTerminal, Read};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use mfaspec::totp::{Algorithm, Digits, KeyUri, OtpKind, Secret, Totp, TotpParams};

/// Exit code: the command did what was asked.
const EXIT_OK: u8 = 0;
/// Exit code: bad input or configuration (invalid Base32, digits outside 6–8, a malformed
/// URI, an unknown flag…).
const EXIT_USAGE: u8 = 2;

/// Conformance harness and benchmark suite for Amazon Cognito TOTP (software token) MFA.
#[derive(Parser)]
#[command(
    name = "mfaspec",
    version,
    about,
    propagate_version = true,
    arg_required_else_help = true,
    after_help = "Examples:\n  mfaspec run                          the suite against the embedded reference endpoint\n  mfaspec run --target moto --endpoint http://127.0.0.1:5000\n  mfaspec code JBSWY3DPEHPK3PXP        the TOTP code a phone would show now\n  mfaspec serve --clock-control        a local Cognito for your own tests"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the conformance suite against a target (default: the embedded reference endpoint).
    Run(RunArgs),
    /// Print the TOTP code of a secret, as an authenticator app would show it.
    Code(CodeArgs),
    /// Print the otpauth:// key URI of a secret, optionally as a QR code to scan with a phone.
    Uri(UriArgs),
    /// Run the reference endpoint: a Cognito-compatible server that behaves as AWS documents.
    Serve(ServeArgs),
    /// Write the compatibility matrix (matrix.md, matrix.html) of every target in a report
    /// folder.
    Matrix(MatrixArgs),
    /// Delete leftovers of crashed runs: pools (or, in an existing pool, users) named
    /// mfaspec-… — never anything else.
    Cleanup(CleanupArgs),
    /// Show where a run's responses differ from a recording (`run --record`).
    Diff(DiffArgs),
    /// Check TOTP/HOTP implementations, in any language, against the RFC vectors, the cases
    /// where implementations disagree and a random differential; and time them.
    TotpCheck(TotpCheckArgs),
    /// Serve mfaspec's own TOTP core over the adapter protocol (otp-line/1) on stdin/stdout.
    TotpAdapter,
}

#[derive(Args)]
struct TotpCheckArgs {
    /// A list of adapters, one `<name> <version> <line|per-call> <command>` per line (what
    /// `scripts/adapters.sh list` prints); `-` for standard input.
    #[arg(long, value_name = "FILE")]
    adapters: Option<std::path::PathBuf>,
    /// An implementation speaking the protocol on stdin/stdout: `NAME=COMMAND`.
    #[arg(long = "adapter", value_name = "NAME=COMMAND")]
    line: Vec<String>,
    /// A command run once per request, with the request's fields as arguments: `NAME=COMMAND`.
    #[arg(long = "per-call", value_name = "NAME=COMMAND")]
    per_call: Vec<String>,
    /// Random differential cases.
    #[arg(long, value_name = "N", default_value_t = 2000)]
    random: usize,
    /// The random cases' seed.
    #[arg(long, value_name = "N", default_value_t = 6238)]
    seed: u64,
    /// A time zone every adapter runs under (repeatable) [default: UTC and America/New_York].
    #[arg(long = "tz", value_name = "ZONE")]
    timezones: Vec<String>,
    /// Requests per speed measurement; 0 for none.
    #[arg(long, value_name = "N", default_value_t = 20_000)]
    speed: usize,
    /// How long one answer may take, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 5000)]
    timeout_ms: u64,
    /// Where totp-check.json, .md and .html go [default: target/totp-check].
    #[arg(long, value_name = "DIR")]
    report_dir: Option<std::path::PathBuf>,
    /// docs/totp-check.md's conformance table, between `<!-- totp-check:begin … -->` and
    /// `<!-- totp-check:end -->`.
    #[command(flatten)]
    readme: ReadmeArgs,
}

/// A generated section of a Markdown file: checked against this run, or rewritten.
#[derive(Args)]
struct ReadmeArgs {
    /// A Markdown file with a generated section (between its begin and end markers) to
    /// compare with this run's table (--check) or to update (--write).
    #[arg(long, value_name = "FILE")]
    readme: Option<std::path::PathBuf>,
    /// With --readme: exit 1 when its section is not this run's table.
    #[arg(long, requires = "readme", conflicts_with = "write")]
    check: bool,
    /// With --readme: replace its section with this run's table.
    #[arg(long, requires = "readme")]
    write: bool,
}

impl ReadmeArgs {
    /// Checks or rewrites the section between `begin` and `end` against `table`: `Ok(false)`
    /// when `--check` finds it out of date (saying where), `Ok(true)` otherwise or without
    /// `--readme`. `command` names the caller in messages, `what` the section.
    fn apply(
        &self,
        command: &str,
        what: &str,
        [begin, end]: [&str; 2],
        table: &str,
    ) -> anyhow::Result<bool> {
        let Some(readme) = &self.readme else {
            return Ok(true);
        };
        let text = std::fs::read_to_string(readme)
            .with_context(|| format!("reading `{}`", readme.display()))?;
        let fresh =
            mfaspec::report::matrix::splice_between(&text, begin, end, table).ok_or_else(|| {
                anyhow::anyhow!(
                    "`{}` has no {what} section: add the lines `{begin}` and `{end}`",
                    readme.display()
                )
            })?;
        if self.write {
            if fresh != text {
                std::fs::write(readme, &fresh)
                    .with_context(|| format!("writing `{}`", readme.display()))?;
            }
            eprintln!("mfaspec {command}: `{}` is up to date", readme.display());
            return Ok(true);
        }
        if fresh == text {
            eprintln!("mfaspec {command}: `{}` holds this table", readme.display());
            return Ok(true);
        }
        let old: Vec<&str> = text.lines().collect();
        let new: Vec<&str> = fresh.lines().collect();
        let first = old
            .iter()
            .zip(&new)
            .position(|(a, b)| a != b)
            .unwrap_or(old.len().min(new.len()));
        eprintln!(
            "mfaspec {command}: `{}` line {}: its table is not this run's:\n  has:    {}\n  should: {}",
            readme.display(),
            first + 1,
            old.get(first).unwrap_or(&"(end of file)"),
            new.get(first).unwrap_or(&"(end of file)")
        );
        Ok(false)
    }
}

#[derive(Args)]
struct CleanupArgs {
    /// The target whose leftovers to delete: a built-in name or a profile file.
    #[arg(long, value_name = "NAME|FILE")]
    target: String,
    /// Send requests to this endpoint instead of the profile's.
    #[arg(long, value_name = "URL")]
    endpoint: Option<String>,
    /// Only what is at least this old: 2h, 30m, 90s, 1d.
    #[arg(long, value_name = "AGE")]
    older_than: Option<String>,
    /// List what would be deleted; delete nothing.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Args)]
struct DiffArgs {
    /// A recording: the folder `run --record` wrote (e.g. fixtures/snapshots/aws).
    #[arg(value_name = "SNAPSHOT_DIR")]
    snapshot: std::path::PathBuf,
    /// A run's report folder for one target (its responses/ is read), or another recording.
    #[arg(value_name = "REPORT_DIR")]
    report: std::path::PathBuf,
}

#[derive(Args)]
struct MatrixArgs {
    /// The report folder holding a `<target>/outcomes.json` per target
    /// [default: target/mfaspec-report, under the current directory].
    #[arg(value_name = "REPORT_DIR")]
    report_dir: Option<std::path::PathBuf>,
    /// The features folder, for the rows' order and titles [default: the suite built into
    /// this binary].
    #[arg(long, value_name = "DIR")]
    features: Option<std::path::PathBuf>,
    /// docs/emulators.md's matrix section, between `<!-- matrix:begin … -->` and
    /// `<!-- matrix:end -->`.
    #[command(flatten)]
    readme: ReadmeArgs,
}

#[derive(Args)]
struct RunArgs {
    /// A built-in target (reference, moto, cognito-local, ministack, fakecloud, localemu, cognitox,
    /// aws) or a target profile file
    /// [env: MFASPEC_TARGET].
    #[arg(long, value_name = "NAME|FILE")]
    target: Option<String>,
    /// Send requests to this endpoint instead of the profile's.
    #[arg(long, value_name = "URL")]
    endpoint: Option<String>,
    /// Run only the scenarios this tag expression selects, e.g. '@must and not @slow'.
    #[arg(long, value_name = "EXPR")]
    tags: Option<String>,
    /// Where the reports go (a folder per target inside) [default: target/mfaspec-report,
    /// under the current directory].
    #[arg(long, value_name = "DIR")]
    report_dir: Option<std::path::PathBuf>,
    /// At most this many scenarios at once (never more than the profile allows).
    #[arg(long, value_name = "N")]
    concurrency: Option<usize>,
    /// A features folder to run instead of the suite built into this binary.
    #[arg(long, value_name = "DIR")]
    features: Option<std::path::PathBuf>,
    /// Expected failures of the target [default: the built-in file of a built-in emulator
    /// target, fixtures/expectations/<target>.yaml; none for other targets].
    #[arg(long, value_name = "FILE")]
    expectations: Option<std::path::PathBuf>,
    /// Keep the pool and users of a scenario that fails unexpectedly, and say where they are.
    #[arg(long)]
    keep_on_fail: bool,
    /// Also write every scenario's responses, normalised, into DIR (a run against AWS
    /// becomes fixtures/snapshots/aws/).
    #[arg(long, value_name = "DIR")]
    record: Option<std::path::PathBuf>,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on, as HOST:PORT (`localhost:9339` works). Loopback unless told
    /// otherwise; not 9229, which is cognito-local's.
    #[arg(long, default_value = "127.0.0.1:9339", value_parser = parse_addr)]
    addr: std::net::SocketAddr,
    /// Region used in pool ids and ARNs.
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// Expose GET/POST /_mfaspec/clock to move the server's clock (not an AWS API).
    #[arg(long)]
    clock_control: bool,
    /// Inject faults into API requests, e.g. throttle=0.2,error500=0.05,delay=50ms,seed=7
    /// (probabilities per request; a delay up to the given time).
    #[arg(long, value_name = "SPEC")]
    faults: Option<mfaspec::reference::faults::FaultSpec>,
}

#[derive(Args)]
struct CodeArgs {
    /// Unix time in seconds to compute the code for [default: now].
    #[arg(long, value_name = "UNIX_SECONDS", allow_hyphen_values = true)]
    at: Option<i64>,
    /// Print the next step's code instead: the one to use when this step's code is spent
    /// (Cognito accepts a code once, so the code of walk-through step 7 is no good at step 9).
    #[arg(long)]
    next: bool,
    /// Also print, on a second line, how many seconds the code has left and the next code.
    #[arg(short, long)]
    verbose: bool,
    /// HMAC algorithm: sha1, sha256 or sha512 [default: sha1, as Cognito].
    #[arg(long, value_name = "sha1|sha256|sha512")]
    algorithm: Option<Algorithm>,
    /// Digits per code: 6, 7 or 8 [default: 6, as Cognito].
    #[arg(long, value_name = "N")]
    digits: Option<Digits>,
    /// Time step in seconds [default: 30, as Cognito].
    #[arg(long, value_name = "SECONDS")]
    period: Option<u64>,
    /// The secret: Base32 (Cognito's SecretCode), an otpauth:// URI, or `-` to read it from
    /// standard input so that it stays out of shell history.
    #[arg(value_name = "SECRET")]
    secret: String,
}

#[derive(Args)]
struct UriArgs {
    /// The secret in Base32 (Cognito's SecretCode), or `-` to read it from standard input.
    #[arg(long, value_name = "SECRET")]
    secret: String,
    /// The account name the app shows (for example the Cognito username).
    #[arg(long, value_name = "NAME")]
    account: String,
    /// The issuer: the app or pool the code is for.
    #[arg(long, value_name = "NAME")]
    issuer: Option<String>,
    /// HMAC algorithm: sha1, sha256 or sha512.
    #[arg(long, value_name = "sha1|sha256|sha512", default_value = "sha1")]
    algorithm: Algorithm,
    /// Digits per code: 6, 7 or 8.
    #[arg(long, value_name = "N", default_value = "6")]
    digits: Digits,
    /// Time step in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    period: u64,
    /// Also draw the URI as a QR code in the terminal.
    #[arg(long)]
    qr: bool,
}

/// An error and its causes on one line, each cause said once: a cause whose text the
/// message already holds (`binding 127.0.0.1:9339: Address already in use` over the bare
/// `Address already in use`) is not repeated.
fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // Bare `mfaspec`: the whole help, with the subcommands and an example.
            let _ = e.print();
            return ExitCode::from(EXIT_USAGE);
        }
        Err(e) if e.use_stderr() => {
            // clap's message is the first paragraph; the usage block after it is noise in CI
            // logs. Fold the paragraph, and clap's "did you mean" tip, into one line.
            let rendered = e.to_string();
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
            eprintln!("mfaspec: {}", line.trim_start_matches("error: "));
            return ExitCode::from(EXIT_USAGE);
        }
        Err(e) => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::from(EXIT_OK);
        }
    };
    let result = match cli.command {
        Command::Run(args) => return run(args),
        Command::Code(args) => code(args),
        Command::Uri(args) => uri(args),
        Command::Serve(args) => serve(args),
        Command::Matrix(args) => return matrix(args),
        Command::Cleanup(args) => return cleanup(args),
        Command::Diff(args) => return diff(args),
        Command::TotpCheck(args) => return totp_check(args),
        Command::TotpAdapter => totp_adapter(),
    };
    match result {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(e) => {
            eprintln!("mfaspec: {}", one_line(&e));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// `HOST:PORT`, resolved (`localhost:9339`, `127.0.0.1:9339`, `[::1]:9339`).
fn parse_addr(text: &str) -> Result<std::net::SocketAddr, String> {
    use std::net::ToSocketAddrs as _;
    let mut addrs = text
        .to_socket_addrs()
        .map_err(|e| format!("`{text}` is not HOST:PORT ({e})"))?;
    addrs
        .next()
        .ok_or_else(|| format!("`{text}` names no address"))
}

/// The SECRET argument, or standard input for `-`. Never echoed: errors name the position
/// of a bad character, not the text.
fn read_secret_text(arg: &str) -> anyhow::Result<String> {
    if arg != "-" {
        return Ok(arg.to_owned());
    }
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("mfaspec: reading the secret from standard input (end with Ctrl-D)");
    }
    let mut text = String::new();
    stdin
        .read_to_string(&mut text)
        .context("reading the secret from standard input")?;
    Ok(text.trim().to_owned())
}

fn code(args: CodeArgs) -> anyhow::Result<()> {
    let text = read_secret_text(&args.secret)?;
    let (secret, mut params) = if text
        .get(..10)
        .is_some_and(|s| s.eq_ignore_ascii_case("otpauth://"))
    {
        let key = KeyUri::parse(&text).context("SECRET is not a valid key URI")?;
        let Some(params) = key.totp_params() else {
            bail!("SECRET is an hotp key URI; `mfaspec code` computes time-based codes");
        };
        (key.secret.clone(), params)
    } else {
        let secret = Secret::from_base32(&text).context("SECRET is not valid Base32")?;
        (secret, TotpParams::default())
    };
    // Flags override what a key URI says.
    if let Some(algorithm) = args.algorithm {
        params.algorithm = algorithm;
    }
    if let Some(digits) = args.digits {
        params.digits = digits;
    }
    if let Some(period) = args.period {
        params.period = period;
    }
    let totp = Totp::new(&secret, params).context("--period")?;
    let at = match args.at {
        Some(at) => u64::try_from(at).map_err(|_| {
            anyhow::anyhow!(
                "--at {at}: the time cannot be negative (it counts seconds since 1970-01-01 UTC)"
            )
        })?,
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .context("the system clock is before 1970")?
            .as_secs(),
    };
    let period = params.period;
    let next_at = at
        .checked_add(period - at % period)
        .ok_or_else(|| anyhow::anyhow!("--at {at}: there is no next step after this time"))?;
    let code = totp.code_at(at).context("--at")?;
    let next = totp.code_at(next_at).context("--at")?;
    println!("{}", if args.next { &next } else { &code });
    if args.verbose {
        println!(
            "valid for {} more s; next step's code: {next}",
            next_at - at
        );
    }
    Ok(())
}

fn uri(args: UriArgs) -> anyhow::Result<()> {
    let text = read_secret_text(&args.secret)?;
    let secret = Secret::from_base32(&text).context("--secret is not valid Base32")?;
    if args.period == 0 {
        bail!("--period: the period must be at least 1 second");
    }
    let key = KeyUri {
        kind: OtpKind::Totp {
            period: args.period,
        },
        issuer: args.issuer,
        account: args.account,
        secret,
        algorithm: args.algorithm,
        digits: args.digits,
    };
    let uri = key.to_uri_string()?;
    if args.qr {
        let qr =
            qrcode::QrCode::new(uri.as_bytes()).context("the URI is too long for a QR code")?;
        let picture = qr
            .render::<qrcode::render::unicode::Dense1x2>()
            .dark_color(qrcode::render::unicode::Dense1x2::Light)
            .light_color(qrcode::render::unicode::Dense1x2::Dark)
            .quiet_zone(true)
            .build();
        println!("{uri}");
        println!("{picture}");
    } else {
        println!("{uri}");
    }
    Ok(())
}

fn serve(args: ServeArgs) -> anyhow::Result<()> {
    runtime()?.block_on(async {
        let options = mfaspec::reference::Options {
            region: args.region,
            clock_control: args.clock_control,
            faults: args.faults,
        };
        let running = mfaspec::reference::Running::start(args.addr, &options).await?;
        // The handlers are installed before the address is announced, so that a signal sent
        // by whoever read it is never the default (fatal) one.
        let stop = mfaspec::runner::interrupt_signal();
        eprintln!(
            "mfaspec serve: listening on {}{}",
            running.url(),
            if args.clock_control {
                " (clock control at /_mfaspec/clock)"
            } else {
                ""
            }
        );
        stop.await;
        match running.endpoint.injected() {
            Some((throttled, failed)) => eprintln!(
                "mfaspec serve: shutting down (injected {throttled} throttles and {failed} server errors)"
            ),
            None => eprintln!("mfaspec serve: shutting down"),
        }
        running.stop().await.context("serving")?;
        Ok(())
    })
}

/// The multi-threaded tokio runtime every async command runs on.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

fn run(args: RunArgs) -> ExitCode {
    let options = mfaspec::runner::RunOptions {
        target: args.target,
        endpoint: args.endpoint,
        tags: args.tags,
        report_dir: args.report_dir,
        concurrency: args.concurrency,
        features: args.features,
        expectations: args.expectations,
        keep_on_fail: args.keep_on_fail,
        record: args.record,
    };
    let runtime = match runtime() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("mfaspec: {}", one_line(&e));
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match runtime.block_on(mfaspec::runner::run(&options)) {
        Ok(summary) => {
            println!("{}", mfaspec::report::console::render(&summary));
            ExitCode::from(u8::try_from(summary.exit_code()).unwrap_or(EXIT_USAGE))
        }
        Err(e) => {
            eprintln!("mfaspec: {e}");
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(EXIT_USAGE))
        }
    }
}

fn totp_adapter() -> anyhow::Result<()> {
    let stdin = std::io::stdin().lock();
    let stdout = std::io::stdout().lock();
    mfaspec::otpcheck::serve(&mut mfaspec::otpcheck::Core::default(), stdin, stdout)
        .context("serving the adapter protocol")
}

/// docs/totp-check.md's TOTP table starts after this line…
const TOTP_BEGIN: &str =
    "<!-- totp-check:begin (generated by `mfaspec totp-check`; do not edit) -->";
/// …and ends before this one.
const TOTP_END: &str = "<!-- totp-check:end -->";

fn totp_check(args: TotpCheckArgs) -> ExitCode {
    match totp_check_inner(&args) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("mfaspec: {}", one_line(&e));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn named(
    spec: &str,
    form: mfaspec::otpcheck::model::Form,
) -> anyhow::Result<mfaspec::otpcheck::model::Adapter> {
    let (name, command) = spec
        .split_once('=')
        .filter(|(n, c)| !n.is_empty() && !c.is_empty())
        .ok_or_else(|| anyhow::anyhow!("`{spec}` is not NAME=COMMAND"))?;
    Ok(mfaspec::otpcheck::model::Adapter {
        name: name.to_owned(),
        version: "-".to_owned(),
        form,
        command: command.to_owned(),
    })
}

fn totp_check_inner(args: &TotpCheckArgs) -> anyhow::Result<u8> {
    use mfaspec::otpcheck::model::{Adapter, Form};
    let exe = std::env::current_exe().context("finding this program, to serve its own core")?;
    let mut adapters = vec![Adapter {
        name: "mfaspec".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        form: Form::Line,
        command: format!(
            "'{}' totp-adapter",
            exe.display().to_string().replace('\'', "'\\''")
        ),
    }];
    if let Some(path) = &args.adapters {
        let text = if path.as_os_str() == "-" {
            std::io::read_to_string(std::io::stdin()).context("reading the adapter list")?
        } else {
            std::fs::read_to_string(path)
                .with_context(|| format!("reading `{}`", path.display()))?
        };
        adapters.extend(
            Adapter::parse_list(&text).map_err(|e| anyhow::anyhow!("`{}`: {e}", path.display()))?,
        );
    }
    for spec in &args.line {
        adapters.push(named(spec, Form::Line)?);
    }
    for spec in &args.per_call {
        adapters.push(named(spec, Form::PerCall)?);
    }
    let mut options = mfaspec::otpcheck::run::Options {
        random: args.random,
        seed: args.seed,
        speed_requests: args.speed,
        timeout: std::time::Duration::from_millis(args.timeout_ms),
        ..Default::default()
    };
    if !args.timezones.is_empty() {
        options.timezones = args.timezones.clone();
    }
    let report = runtime()?.block_on(mfaspec::otpcheck::run::check(&adapters, &options, |a| {
        eprintln!("mfaspec totp-check: {} {}", a.name, a.version);
    }));
    let dir = args
        .report_dir
        .clone()
        .unwrap_or_else(|| "target/totp-check".into());
    std::fs::create_dir_all(&dir).with_context(|| format!("creating `{}`", dir.display()))?;
    let table = mfaspec::otpcheck::report::markdown(&report);
    let speed = mfaspec::otpcheck::report::speed_markdown(&report);
    let json = serde_json::to_string_pretty(&report).context("writing the report")?;
    std::fs::write(dir.join("totp-check.json"), json + "\n")
        .with_context(|| format!("writing into `{}`", dir.display()))?;
    std::fs::write(dir.join("totp-check.md"), format!("{table}\n{speed}"))
        .with_context(|| format!("writing into `{}`", dir.display()))?;
    std::fs::write(
        dir.join("totp-check.html"),
        mfaspec::otpcheck::report::html(&report),
    )
    .with_context(|| format!("writing into `{}`", dir.display()))?;
    println!("{table}\n{speed}");
    println!(
        "Reports: {0}/totp-check.json, {0}/totp-check.md, {0}/totp-check.html",
        dir.display()
    );
    let core_ok = report
        .implementations
        .first()
        .is_some_and(|core| core.failures() == 0 && core.random.conformed == core.random.cases);
    if !core_ok {
        eprintln!("mfaspec totp-check: mfaspec's own core fails cases: see the table");
    }
    let mut code = if core_ok { EXIT_OK } else { EXIT_STALE };
    if !args
        .readme
        .apply("totp-check", "TOTP table", [TOTP_BEGIN, TOTP_END], &table)?
    {
        code = EXIT_STALE;
    }
    Ok(code)
}

/// Exit code of `matrix --check`: the file's matrix section is out of date.
const EXIT_STALE: u8 = 1;

fn matrix(args: MatrixArgs) -> ExitCode {
    match matrix_inner(&args) {
        Ok(true) => ExitCode::from(EXIT_OK),
        Ok(false) => ExitCode::from(EXIT_STALE),
        Err(e) => {
            eprintln!("mfaspec: {}", one_line(&e));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Ok(false): `--check` found the docs' matrix out of date.
fn matrix_inner(args: &MatrixArgs) -> anyhow::Result<bool> {
    let report_dir = args
        .report_dir
        .clone()
        .unwrap_or_else(|| mfaspec::runner::DEFAULT_REPORT_DIR.into());
    let suite = mfaspec::features::Suite::builtin_or(args.features.as_deref())?;
    let matrix = mfaspec::report::matrix::Matrix::load(&report_dir, &suite)?;
    let [md, html] = matrix.write(&report_dir)?;
    eprintln!(
        "mfaspec matrix: wrote {} and {}",
        md.display(),
        html.display()
    );
    args.readme.apply(
        "matrix",
        "matrix",
        [
            mfaspec::report::matrix::README_BEGIN,
            mfaspec::report::matrix::README_END,
        ],
        &matrix.to_markdown(),
    )
}

fn cleanup(args: CleanupArgs) -> ExitCode {
    let runtime = match runtime() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("mfaspec: {}", one_line(&e));
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let result = runtime.block_on(async {
        let older_than = args
            .older_than
            .as_deref()
            .map(mfaspec::runner::cleanup::parse_age)
            .transpose()
            .map_err(|e| anyhow::anyhow!("--older-than: {e}"))?;
        let profile = mfaspec::runner::resolve_target(&args.target, args.endpoint.as_deref())?;
        let client = mfaspec::runner::client_for(&profile).await?;
        let sweep =
            mfaspec::runner::cleanup::sweep_leftovers(&client, &profile, older_than, args.dry_run)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        anyhow::Ok(sweep)
    });
    match result {
        Ok(sweep) => {
            let verb = if args.dry_run {
                "would delete"
            } else {
                "deleted"
            };
            for d in &sweep.deleted {
                println!("{verb} {d}");
            }
            for l in &sweep.left {
                eprintln!("mfaspec cleanup: could not delete {l}");
            }
            eprintln!(
                "mfaspec cleanup: {verb} {}, left {} that are not mfaspec's{}{}",
                sweep.deleted.len(),
                sweep.spared,
                if args.older_than.is_some() {
                    " or are younger"
                } else {
                    ""
                },
                if sweep.left.is_empty() {
                    String::new()
                } else {
                    format!(", failed on {}", sweep.left.len())
                }
            );
            ExitCode::from(if sweep.left.is_empty() { EXIT_OK } else { 1 })
        }
        Err(e) => {
            eprintln!("mfaspec: {}", one_line(&e));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn diff(args: DiffArgs) -> ExitCode {
    let read = |dir: &std::path::Path| mfaspec::report::snapshot::read_dir(dir);
    let (recorded, observed) = match (read(&args.snapshot), read(&args.report)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("mfaspec: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if recorded.is_empty() {
        // Nothing compared is not "no differences".
        eprintln!(
            "mfaspec diff: warning: `{}` holds no recorded responses{}: nothing to compare",
            args.snapshot.display(),
            if observed.is_empty() {
                format!(", and neither does `{}`", args.report.display())
            } else {
                String::new()
            }
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let differences = mfaspec::report::snapshot::diff(&recorded, &observed);
    for d in &differences {
        println!("{d}");
    }
    eprintln!(
        "mfaspec diff: {} scenarios recorded, {} in the report, {} differences",
        recorded.len(),
        observed.len(),
        differences.len()
    );
    ExitCode::from(if differences.is_empty() { EXIT_OK } else { 1 })
}
