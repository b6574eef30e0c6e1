//! The TOTP subcommands: `code` and `uri` (an authenticator app's view of a secret),
//! `totp-check` (implementations against the catalogue) and `totp-adapter` (mfaspec's own core
//! over otp-line/1).

use std::io::{IsTerminal as _, Read as _};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, bail};
use mfaspec::exit::Exit;
use mfaspec::otpcheck::model::{Adapter, Form};
use mfaspec::totp::{KeyUri, OtpKind, Secret, Totp, TotpParams};

use super::args::{CodeArgs, TotpAdapterArgs, TotpCheckArgs, UriArgs};

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

pub fn code(args: CodeArgs) -> anyhow::Result<()> {
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
    if args.fresh {
        let path = super::fresh::memory_path(args.memory)?;
        let period = params.period;
        let step = super::fresh::fresh_step(&path, secret.expose_bytes(), period, || {
            Ok(SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .context("the system clock is before 1970")?
                .as_secs())
        })?;
        let code = totp.code_at(step * period).context("--fresh")?;
        println!("{code}");
        if args.verbose {
            println!(
                "step {step}; accepted by Cognito until step {} ends",
                step + 1
            );
        }
        return Ok(());
    }
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

pub fn uri(args: UriArgs) -> anyhow::Result<()> {
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

pub fn totp_adapter(args: &TotpAdapterArgs) -> anyhow::Result<()> {
    use mfaspec::otpcheck::broken::{Broken, Bug};
    let mut implementation: Box<dyn mfaspec::otpcheck::Implementation> = match &args.broken {
        None => Box::new(mfaspec::otpcheck::Core::default()),
        Some(name) => Box::new(Broken(Bug::parse(name).map_err(anyhow::Error::msg)?)),
    };
    let stdin = std::io::stdin().lock();
    let stdout = std::io::stdout().lock();
    mfaspec::otpcheck::serve(implementation.as_mut(), stdin, stdout)
        .context("serving the adapter protocol")
}

/// docs/totp-check.md's TOTP table starts after this line…
const TOTP_BEGIN: &str =
    "<!-- totp-check:begin (generated by `mfaspec totp-check`; do not edit) -->";
/// …and ends before this one.
const TOTP_END: &str = "<!-- totp-check:end -->";

/// `mfaspec totp-check`: 0 when every implementation checked conforms (and the docs' table
/// is current, with `--readme`); 1 when one does not (or the table is stale); 2 when an
/// adapter cannot be started, or on bad input. `--report-only`: 1 only for mfaspec's own
/// core or a stale table.
pub fn totp_check(args: TotpCheckArgs) -> Exit {
    match check(&args) {
        Ok(exit) => exit,
        Err(e) => super::support::error(&e),
    }
}

/// The implementations named on the command line, mfaspec's core first; `Err` for a list
/// that cannot be read, a malformed entry or a name given twice.
fn implementations(args: &TotpCheckArgs, core: Adapter) -> anyhow::Result<Vec<Adapter>> {
    let mut adapters = vec![core];
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
        adapters
            .push(Adapter::named(spec, Form::Line).map_err(|e| anyhow::anyhow!("--adapter: {e}"))?);
    }
    for spec in &args.per_call {
        adapters.push(
            Adapter::named(spec, Form::PerCall).map_err(|e| anyhow::anyhow!("--per-call: {e}"))?,
        );
    }
    let mut seen = std::collections::BTreeSet::new();
    for a in &adapters {
        if !seen.insert(a.name.as_str()) {
            bail!(
                "two implementations are named `{}`: every name must be unique (the reports are keyed by it)",
                a.name
            );
        }
    }
    Ok(adapters)
}

fn check(args: &TotpCheckArgs) -> anyhow::Result<Exit> {
    let exe = std::env::current_exe().context("finding this program, to serve its own core")?;
    let core = Adapter::core(&exe);
    let mut adapters = implementations(args, core.clone())?;
    if !args.only.is_empty() {
        for name in &args.only {
            if !adapters.iter().any(|a| &a.name == name) {
                let known: Vec<&str> = adapters.iter().map(|a| a.name.as_str()).collect();
                bail!(
                    "--only {name}: no implementation has that name (known: {})",
                    known.join(", ")
                );
            }
        }
        adapters.retain(|a| args.only.contains(&a.name));
    }
    let mut options = mfaspec::otpcheck::run::Options {
        random: args.random,
        seed: args.seed,
        speed_requests: args.speed,
        timeout: std::time::Duration::from_millis(args.timeout_ms),
        reference: Some(core),
        ..Default::default()
    };
    if !args.timezones.is_empty() {
        options.timezones = args.timezones.clone();
    }
    let dir = args
        .report_dir
        .clone()
        .unwrap_or_else(|| "target/mfaspec-report/totp-check".into());
    let checked = super::support::runtime()?.block_on(mfaspec::otpcheck::check(
        &adapters,
        &options,
        &dir,
        |a| eprintln!("mfaspec totp-check: checking {} {}", a.name, a.version),
    ))?;
    let report = &checked.report;
    for line in mfaspec::otpcheck::report::summary_lines(report) {
        println!("{line}");
    }
    let [json, md, html, junit] = &checked.written.files;
    println!(
        "Reports: {}, {}, {}, {}",
        json.display(),
        md.display(),
        html.display(),
        junit.display()
    );
    let current = args.readme.apply(
        "totp-check",
        "TOTP table",
        [TOTP_BEGIN, TOTP_END],
        &checked.written.table,
    )?;
    use mfaspec::otpcheck::model::Verdict;
    let verdict_of = |name: &str| {
        report
            .implementations
            .iter()
            .find(|r| r.adapter.name == name)
            .map(|r| r.summary.verdict)
    };
    if report.verdict() == Verdict::Error {
        let names: Vec<&str> = report
            .implementations
            .iter()
            .filter(|r| r.summary.verdict == Verdict::Error)
            .map(|r| r.adapter.name.as_str())
            .collect();
        eprintln!(
            "mfaspec totp-check: could not check {}: its adapter never answered (see above)",
            names.join(", ")
        );
        return Ok(Exit::Error);
    }
    let core_ok = verdict_of("mfaspec") != Some(Verdict::Fails);
    if !core_ok {
        eprintln!("mfaspec totp-check: mfaspec's own core fails cases: see the table");
    }
    let checked_ok = args.report_only || report.verdict() == Verdict::Conforms;
    Ok(Exit::unless_failed(core_ok && checked_ok && current))
}
