//! The command line's arguments: every subcommand's flags, as clap reads them. No logic
//! but `parse_addr`, the value parser of `serve --addr`.

use clap::{Args, Parser, Subcommand};
use mfaspec::totp::{Algorithm, Digits};

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
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
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
    /// Print the reproduction of a scenario a run found deviating: a script of AWS CLI calls
    /// that stops at the answer that differs from what AWS documents (or, with --issue, a
    /// bug report to paste into the target's tracker).
    Repro(ReproArgs),
    /// Check TOTP/HOTP implementations, in any language, against the RFC vectors, the cases
    /// where implementations disagree and a random differential; and time them.
    TotpCheck(TotpCheckArgs),
    /// Serve mfaspec's own TOTP core over the adapter protocol (otp-line/1) on stdin/stdout.
    TotpAdapter(TotpAdapterArgs),
}

#[derive(Args)]
pub struct TotpAdapterArgs {
    /// Serve a deliberately broken implementation instead of the core (a negative control
    /// for the catalogue: prefix-match, extended-match, numeric-compare, widen-window-0, no-t0,
    /// round, negative-wrap, counter-32, time-32, step-0-wrap).
    #[arg(long, value_name = "BUG", hide = true)]
    pub broken: Option<String>,
}

#[derive(Args)]
pub struct TotpCheckArgs {
    /// A list of adapters, one `<name> <version> <line|per-call> <command>` per line (what
    /// `scripts/adapters.sh list` prints); `-` for standard input.
    #[arg(long, value_name = "FILE")]
    pub adapters: Option<std::path::PathBuf>,
    /// An implementation speaking the protocol on stdin/stdout: `NAME=COMMAND`.
    #[arg(long = "adapter", value_name = "NAME=COMMAND")]
    pub line: Vec<String>,
    /// A command run once per request, with the request's fields as arguments: `NAME=COMMAND`.
    #[arg(long = "per-call", value_name = "NAME=COMMAND")]
    pub per_call: Vec<String>,
    /// Random differential cases.
    #[arg(long, value_name = "N", default_value_t = 2000)]
    pub random: usize,
    /// The random cases' seed.
    #[arg(long, value_name = "N", default_value_t = 6238)]
    pub seed: u64,
    /// A time zone every adapter runs under (repeatable) [default: UTC and America/New_York].
    #[arg(long = "tz", value_name = "ZONE")]
    pub timezones: Vec<String>,
    /// Requests per speed measurement; 0 for none.
    #[arg(long, value_name = "N", default_value_t = 20_000)]
    pub speed: usize,
    /// How long one answer may take, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 5000)]
    pub timeout_ms: u64,
    /// Check only this implementation (repeatable; a name from the list, `--adapter` or
    /// `--per-call`, or `mfaspec` for mfaspec's own core). mfaspec's core still computes the
    /// expectations and the speed ratios, but is a row only when named.
    #[arg(long = "only", value_name = "NAME")]
    pub only: Vec<String>,
    /// Exit 0 whatever the implementations do (1 still when mfaspec's own core fails a case
    /// or --check finds a stale table; 2 still when an adapter cannot be started): for
    /// regenerating the tables.
    #[arg(long)]
    pub report_only: bool,
    /// Where totp-check.json, .md, .html and junit.xml go [default:
    /// target/mfaspec-report/totp-check, under the current directory].
    #[arg(long, value_name = "DIR")]
    pub report_dir: Option<std::path::PathBuf>,
    /// docs/totp-check.md's conformance table, between `<!-- totp-check:begin … -->` and
    /// `<!-- totp-check:end -->`.
    #[command(flatten)]
    pub readme: ReadmeArgs,
}

/// A generated section of a Markdown file: checked against this run, or rewritten.
#[derive(Args)]
pub struct ReadmeArgs {
    /// A Markdown file with a generated section (between its begin and end markers) to
    /// compare with this run's table (--check) or to update (--write).
    #[arg(long, value_name = "FILE")]
    pub readme: Option<std::path::PathBuf>,
    /// With --readme: exit 1 when its section is not this run's table.
    #[arg(long, requires = "readme", conflicts_with = "write")]
    pub check: bool,
    /// With --readme: replace its section with this run's table.
    #[arg(long, requires = "readme")]
    pub write: bool,
}

#[derive(Args)]
pub struct CleanupArgs {
    /// The target whose leftovers to delete: a built-in name or a profile file.
    #[arg(long, value_name = "NAME|FILE")]
    pub target: String,
    /// Send requests to this endpoint instead of the profile's.
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Only what is at least this old: 2h, 30m, 90s, 1d.
    #[arg(long, value_name = "AGE")]
    pub older_than: Option<String>,
    /// List what would be deleted; delete nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Args)]
pub struct DiffArgs {
    /// A recording: the folder `run --record` wrote (e.g. fixtures/snapshots/aws).
    #[arg(value_name = "SNAPSHOT_DIR")]
    pub snapshot: std::path::PathBuf,
    /// A run's report folder for one target (its responses/ is read), or another recording.
    #[arg(value_name = "REPORT_DIR")]
    pub report: std::path::PathBuf,
}

#[derive(Args)]
pub struct ReproArgs {
    /// A run's report folder: one target's (target/mfaspec-report/moto), or the folder that
    /// holds a folder per target.
    #[arg(value_name = "REPORT_DIR")]
    pub report_dir: std::path::PathBuf,
    /// The scenario's id, as the reports name it.
    #[arg(value_name = "SCENARIO_ID")]
    pub id: String,
    /// The script's default endpoint, instead of the run's.
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Print the issue text (title, what AWS documents and what the target answered, the
    /// script as the steps) instead of the script.
    #[arg(long)]
    pub issue: bool,
}

#[derive(Args)]
pub struct MatrixArgs {
    /// The report folder holding a `<target>/outcomes.json` per target
    /// [default: target/mfaspec-report, under the current directory].
    #[arg(value_name = "REPORT_DIR")]
    pub report_dir: Option<std::path::PathBuf>,
    /// The features folder, for the rows' order and titles [default: the suite built into
    /// this binary].
    #[arg(long, value_name = "DIR")]
    pub features: Option<std::path::PathBuf>,
    /// docs/emulators.md's matrix section, between `<!-- matrix:begin … -->` and
    /// `<!-- matrix:end -->`: with --check (the default) exit 1 when it is not this run's
    /// matrix, with --write replace it.
    #[arg(long, value_name = "FILE")]
    pub readme: Option<std::path::PathBuf>,
    /// The results history (docs/results): each target's run, at the version its profile or
    /// --target-version names, as `DIR/<target>/<version>.json` with its reproductions. With
    /// --check (the default) exit 1 when a target's outcomes are not the kept ones for its
    /// version; with --write record them (a new version adds a column, older ones stay) and
    /// redraw DIR/index.html and DIR/README.md.
    #[arg(long, value_name = "DIR")]
    pub results: Option<std::path::PathBuf>,
    /// Compare --readme and --results with this run (the default when either is given).
    #[arg(long, conflicts_with = "write")]
    pub check: bool,
    /// Rewrite --readme's section and record --results.
    #[arg(long)]
    pub write: bool,
}

#[derive(Args)]
pub struct RunArgs {
    /// A built-in target (reference, moto, cognito-local, ministack, fakecloud, localemu, cognitox,
    /// aws) or a target profile file [default: reference].
    #[arg(long, value_name = "NAME|FILE", env = "MFASPEC_TARGET")]
    pub target: Option<String>,
    /// Send requests to this endpoint instead of the profile's.
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Run only the scenarios this tag expression selects, e.g. '@must and not @slow'.
    #[arg(long, value_name = "EXPR")]
    pub tags: Option<String>,
    /// Where the reports go (a folder per target inside) [default: target/mfaspec-report,
    /// under the current directory].
    #[arg(long, value_name = "DIR")]
    pub report_dir: Option<std::path::PathBuf>,
    /// At most this many scenarios at once (never more than the profile allows).
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// A features folder to run instead of the suite built into this binary.
    #[arg(long, value_name = "DIR")]
    pub features: Option<std::path::PathBuf>,
    /// Expected failures of the target [default: the built-in file of a built-in emulator
    /// target, fixtures/expectations/<target>.yaml; none for other targets].
    #[arg(long, value_name = "FILE")]
    pub expectations: Option<std::path::PathBuf>,
    /// Keep the pool and users of a scenario that fails unexpectedly, and say where they are.
    #[arg(long)]
    pub keep_on_fail: bool,
    /// Also write every scenario's responses, normalised, into DIR (a run against AWS
    /// becomes fixtures/snapshots/aws/).
    #[arg(long, value_name = "DIR")]
    pub record: Option<std::path::PathBuf>,
    /// The target's version as reports and issue texts name it, instead of the profile's
    /// `version:` (a build the profile does not describe).
    #[arg(long, value_name = "VERSION")]
    pub target_version: Option<String>,
    /// Claim a conformance profile (walk-through, sign-in-flows, hosted-ui, wire; repeatable):
    /// run its scenarios (with --tags, those it selects) and exit 0 only when every scenario of
    /// each claimed profile passes.
    #[arg(long = "profile-claim", value_name = "NAME")]
    pub profile_claims: Vec<String>,
}

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on, as HOST:PORT (`localhost:9339` works). Loopback unless told
    /// otherwise; not 9229, which is cognito-local's.
    #[arg(long, default_value = "127.0.0.1:9339", value_parser = parse_addr)]
    pub addr: std::net::SocketAddr,
    /// Region used in pool ids and ARNs.
    #[arg(long, default_value = "us-east-1")]
    pub region: String,
    /// Expose GET/POST /_mfaspec/clock to move the server's clock (not an AWS API).
    #[arg(long)]
    pub clock_control: bool,
    /// Inject faults into API requests, e.g. throttle=0.2,error500=0.05,delay=50ms,seed=7
    /// (probabilities per request; a delay up to the given time).
    #[arg(long, value_name = "SPEC")]
    pub faults: Option<mfaspec::reference::faults::FaultSpec>,
    /// Keep the state in this SQLite file: loaded at start (created if missing), and every
    /// change written before it is answered, so that it survives a restart or a kill. A file
    /// that is damaged or from a newer mfaspec is refused (exit 2).
    #[arg(long, value_name = "PATH")]
    pub state: Option<std::path::PathBuf>,
    /// Which browser origins may call the endpoint (CORS): `loopback` (pages on localhost,
    /// *.localhost, 127.0.0.1, [::1], any port), `*` (any, as AWS), `none`, or a
    /// comma-separated list such as http://localhost:3000,https://app.test.
    #[arg(long, value_name = "ORIGINS", default_value = "loopback")]
    pub cors_origins: mfaspec::reference::cors::Origins,
    /// Create the pools, app clients, domains and users of this YAML file at start (ids may
    /// be given, so an app's configuration stays the same); with --state, only when the
    /// state file is new. Errors name line and column (exit 2).
    #[arg(long, value_name = "FILE")]
    pub seed: Option<std::path::PathBuf>,
    /// Serve GET /_mfaspec/phone?pool_id=ID&username=NAME: a TOTP code the endpoint accepts
    /// now and has never accepted, for an app's end-to-end tests (not an AWS API; it hands
    /// out second factors, so it is off unless asked for).
    #[arg(long)]
    pub phone: bool,
    /// Also serve HTTPS on this address (the same routes): the hosted UI as Amplify JS's
    /// signInWithRedirect reaches it, at https://<prefix>.auth.<region>.localhost:<port>.
    /// Needs --tls-cert and --tls-key.
    #[arg(long, value_name = "HOST:PORT", value_parser = parse_addr, requires_all = ["tls_cert", "tls_key"])]
    pub tls_addr: Option<std::net::SocketAddr>,
    /// The certificate chain for --tls-addr, PEM (mkcert's, or a self-signed one).
    #[arg(long, value_name = "FILE", requires = "tls_addr")]
    pub tls_cert: Option<std::path::PathBuf>,
    /// Its private key, PEM.
    #[arg(long, value_name = "FILE", requires = "tls_addr")]
    pub tls_key: Option<std::path::PathBuf>,
}

#[derive(Args)]
pub struct CodeArgs {
    /// Unix time in seconds to compute the code for [default: now].
    #[arg(long, value_name = "UNIX_SECONDS", allow_hyphen_values = true)]
    pub at: Option<i64>,
    /// Print the next step's code instead: the one to use when this step's code is spent
    /// (Cognito accepts a code once, so the code of walk-through step 7 is no good at step 9).
    #[arg(long)]
    pub next: bool,
    /// Print a code of a step not handed out before for this secret: this step's, else the
    /// next one's (Cognito's window accepts it), else wait for the next step. For end-to-end
    /// tests that sign in more than once in 30 seconds; remembers the steps (never the
    /// secret) in --memory.
    #[arg(long, conflicts_with_all = ["at", "next"])]
    pub fresh: bool,
    /// Where --fresh remembers the steps it handed out [default:
    /// $XDG_STATE_HOME/mfaspec/fresh-codes.json, else ~/.local/state/mfaspec/fresh-codes.json].
    #[arg(long, value_name = "FILE", requires = "fresh")]
    pub memory: Option<std::path::PathBuf>,
    /// Also print, on a second line, how many seconds the code has left and the next code.
    #[arg(short, long)]
    pub verbose: bool,
    /// HMAC algorithm: sha1, sha256 or sha512 [default: sha1, as Cognito].
    #[arg(long, value_name = "sha1|sha256|sha512")]
    pub algorithm: Option<Algorithm>,
    /// Digits per code: 6, 7 or 8 [default: 6, as Cognito].
    #[arg(long, value_name = "N")]
    pub digits: Option<Digits>,
    /// Time step in seconds [default: 30, as Cognito].
    #[arg(long, value_name = "SECONDS")]
    pub period: Option<u64>,
    /// The secret: Base32 (Cognito's SecretCode), an otpauth:// URI, or `-` to read it from
    /// standard input so that it stays out of shell history.
    #[arg(value_name = "SECRET")]
    pub secret: String,
}

#[derive(Args)]
pub struct UriArgs {
    /// The secret in Base32 (Cognito's SecretCode), or `-` to read it from standard input.
    #[arg(long, value_name = "SECRET")]
    pub secret: String,
    /// The account name the app shows (for example the Cognito username).
    #[arg(long, value_name = "NAME")]
    pub account: String,
    /// The issuer: the app or pool the code is for.
    #[arg(long, value_name = "NAME")]
    pub issuer: Option<String>,
    /// HMAC algorithm: sha1, sha256 or sha512.
    #[arg(long, value_name = "sha1|sha256|sha512", default_value = "sha1")]
    pub algorithm: Algorithm,
    /// Digits per code: 6, 7 or 8.
    #[arg(long, value_name = "N", default_value = "6")]
    pub digits: Digits,
    /// Time step in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub period: u64,
    /// Also draw the URI as a QR code in the terminal.
    #[arg(long)]
    pub qr: bool,
}

/// `HOST:PORT`, resolved (`localhost:9339`, `127.0.0.1:9339`, `[::1]:9339`).
pub fn parse_addr(text: &str) -> Result<std::net::SocketAddr, String> {
    use std::net::ToSocketAddrs as _;
    let mut addrs = text
        .to_socket_addrs()
        .map_err(|e| format!("`{text}` is not HOST:PORT ({e})"))?;
    addrs
        .next()
        .ok_or_else(|| format!("`{text}` names no address"))
}
