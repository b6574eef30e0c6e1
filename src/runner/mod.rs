//! The conformance run: which scenarios run (tags, capabilities, expectations) before the run,
//! the cucumber run itself, each scenario's outcome, the reports, and the exit code. Used by
//! `mfaspec run` and by `cargo test` (tests/conformance.rs) alike.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use cucumber::gherkin;
use cucumber::tag::Ext as _;
use cucumber::{World as _, WriterExt as _, event, writer};
use futures::FutureExt as _;
use serde::{Deserialize, Serialize};

pub mod cleanup;

use crate::cognito::{Client, Ledger, Signer};
use crate::reference::{Options as ReferenceOptions, Running};
use crate::steps::{ConformanceWorld, RunContext, install_context};
use crate::target::{Endpoint, Profile, ProfileError};
use crate::vocabulary::Operation;

/// Exit code: conformant (only pass, xfail, n/a).
pub const EXIT_CONFORMANT: i32 = 0;
/// Exit code: conformance failures (fail, xpass, or an expectation that matched nothing).
pub const EXIT_FAILURES: i32 = 1;
/// Exit code: harness or configuration error.
pub const EXIT_ERROR: i32 = 2;
/// Exit code: no scenario selected.
pub const EXIT_NOTHING_SELECTED: i32 = 4;

/// What to run, against what.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// A built-in target name or a profile file; `MFASPEC_TARGET`, else `reference`.
    pub target: Option<String>,
    /// Overrides the profile's endpoint.
    pub endpoint: Option<String>,
    /// A tag expression selecting scenarios.
    pub tags: Option<String>,
    /// Where reports go (default `target/mfaspec-report`); a folder per target inside.
    pub report_dir: Option<PathBuf>,
    /// At most this many scenarios at once (capped by the profile).
    pub concurrency: Option<usize>,
    /// The features folder (default: this crate's `features/`).
    pub features: Option<PathBuf>,
    /// The expectations file (default: `fixtures/expectations/<target>.yaml`, if present).
    pub expectations: Option<PathBuf>,
    /// Keep a failed scenario's pool and users, and say where they are.
    pub keep_on_fail: bool,
    /// Also write each scenario's normalised responses here (see [`crate::snapshot`]).
    pub record: Option<PathBuf>,
}

/// A scenario's outcome (ARCHITECTURE.md, "Outcome model").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Behaved as documented.
    Pass,
    /// Deviated, and the target's expectations do not list it.
    Fail,
    /// Deviated, as the expectations list.
    Xfail,
    /// Listed as expected to fail, but passed.
    Xpass,
    /// The target lacks a capability the scenario needs.
    #[serde(rename = "n/a")]
    NotApplicable,
    /// The harness could not run it.
    Error,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Xfail => "xfail",
            Outcome::Xpass => "xpass",
            Outcome::NotApplicable => "n/a",
            Outcome::Error => "error",
        })
    }
}

/// One scenario's result, as `outcomes.json` holds it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ScenarioOutcome {
    /// `@id`, with the Examples row for an outline.
    pub id: String,
    /// The feature file's stem (`walkthrough` for `features/walkthrough.feature`).
    #[serde(default)]
    pub feature: String,
    /// The scenario's name.
    pub name: String,
    /// What happened.
    pub outcome: Outcome,
    /// Why (the failure, the missing capability, the expectation's reason).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Retries its calls needed (throttling, server errors): a pass with retries is a pass,
    /// reported as such.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub retries: u32,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if takes a reference
fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The result of a run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Summary {
    /// The target profile's name.
    pub target: String,
    /// Every selected scenario.
    pub scenarios: Vec<ScenarioOutcome>,
    /// Expectation entries that matched no scenario of the run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stale_expectations: Vec<String>,
    /// Wall time of the run, seconds.
    pub wall_seconds: f64,
    /// Retries the client made in all (throttling, server errors).
    #[serde(default)]
    pub retries: u64,
    /// Times the phone waited for a fresh TOTP step against a real clock, and how long.
    #[serde(default)]
    pub code_waits: u64,
    /// See `code_waits`, in seconds.
    #[serde(default)]
    pub code_wait_seconds: f64,
    /// Whether the run moved the target's clock instead of waiting (the reference endpoint).
    #[serde(default)]
    pub clock_controlled: bool,
    /// Resources kept on purpose (`--keep-on-fail`), described.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept: Vec<String>,
    /// Resources the end-of-run cleanup had to delete (what the scenarios left: a lost
    /// answer, an interrupted scenario), described.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub swept: Vec<String>,
    /// Resources the cleanup could not delete, with why: a harness error (exit 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leaked: Vec<String>,
}

impl Summary {
    /// The documented exit code.
    #[must_use]
    pub fn exit_code(&self) -> i32 {
        let ran = self
            .scenarios
            .iter()
            .any(|s| s.outcome != Outcome::NotApplicable);
        if self.scenarios.iter().any(|s| s.outcome == Outcome::Error) || !self.leaked.is_empty() {
            EXIT_ERROR
        } else if self
            .scenarios
            .iter()
            .any(|s| matches!(s.outcome, Outcome::Fail | Outcome::Xpass))
            || !self.stale_expectations.is_empty()
        {
            EXIT_FAILURES
        } else if !ran {
            EXIT_NOTHING_SELECTED
        } else {
            EXIT_CONFORMANT
        }
    }

    /// Counts by outcome.
    #[must_use]
    pub fn counts(&self) -> BTreeMap<Outcome, usize> {
        let mut counts = BTreeMap::new();
        for s in &self.scenarios {
            *counts.entry(s.outcome).or_insert(0) += 1;
        }
        counts
    }
}

/// A run that could not happen: exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A bad target profile.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// A bad expectations file.
    #[error("failed to parse expectations `{path}`{location}: {message}")]
    Expectations {
        /// The file.
        path: PathBuf,
        /// `: line L, column C`.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// A feature file that does not parse.
    #[error("failed to parse feature `{path}`: {message}")]
    Feature {
        /// The file.
        path: PathBuf,
        /// The parser's message, with line and column.
        message: String,
    },
    /// A bad tag expression.
    #[error("invalid tag expression `{0}`")]
    Tags(String),
    /// The embedded endpoint did not start.
    #[error("starting the reference endpoint: {0}")]
    Embedded(String),
    /// The endpoint does not answer.
    #[error("the endpoint {endpoint} does not answer: {message}")]
    Unreachable {
        /// The URL.
        endpoint: String,
        /// What went wrong.
        message: String,
    },
    /// The run was interrupted (Ctrl-C, SIGTERM); what it had created is deleted.
    #[error("interrupted by {signal}: {}", cleanup_note(.deleted, .left))]
    Interrupted {
        /// `SIGINT` or `SIGTERM`.
        signal: &'static str,
        /// The documented exit code: 130 (SIGINT) or 143 (SIGTERM).
        code: i32,
        /// What the cleanup deleted.
        deleted: Vec<String>,
        /// What it could not delete (with why), to remove by hand or with `mfaspec cleanup`.
        left: Vec<String>,
    },
    /// Signing requests for AWS failed (no credentials, no region).
    #[error("{0}")]
    Signing(String),
    /// The target has no endpoint outside a run (the embedded one).
    #[error("{0}")]
    NoEndpoint(String),
    /// Reports could not be written.
    #[error("writing reports to `{path}`: {source}")]
    Reports {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl From<crate::cognito::sign::SignError> for RunError {
    fn from(e: crate::cognito::sign::SignError) -> Self {
        RunError::Signing(e.to_string())
    }
}

impl RunError {
    /// The documented exit code: 130 or 143 for an interrupted run, else 2.
    #[must_use]
    pub fn exit_code(&self) -> i32 {
        match self {
            RunError::Interrupted { code, .. } => *code,
            _ => EXIT_ERROR,
        }
    }
}

fn cleanup_note(deleted: &[String], left: &[String]) -> String {
    let mut note = if deleted.is_empty() {
        "nothing of this run was left to delete".to_owned()
    } else {
        format!("deleted {}", deleted.join(", "))
    };
    if !left.is_empty() {
        note.push_str(&format!(
            "; COULD NOT DELETE {} (remove with `mfaspec cleanup`)",
            left.join(", ")
        ));
    }
    note
}

/// `fixtures/expectations/<target>.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expectations {
    #[serde(default)]
    expected_failures: Vec<Expected>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    id: String,
    reason: String,
}

fn load_expectations(target: &str, explicit: Option<&Path>) -> Result<Expectations, RunError> {
    let path = explicit.map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("fixtures/expectations/{target}.yaml"))
        },
        Path::to_path_buf,
    );
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        // Only the default file may be absent: a target with no known deviations.
        Err(_) if explicit.is_none() => return Ok(Expectations::default()),
        Err(e) => {
            return Err(RunError::Expectations {
                path,
                location: String::new(),
                message: e.to_string(),
            });
        }
    };
    serde_yaml::from_str(&text).map_err(|e| RunError::Expectations {
        location: e
            .location()
            .map(|l| format!(": line {}, column {}", l.line(), l.column()))
            .unwrap_or_default(),
        message: e.to_string(),
        path,
    })
}

fn tag_value<'a>(tags: impl IntoIterator<Item = &'a String>, key: &str) -> Vec<String> {
    tags.into_iter()
        .filter_map(|t| {
            t.trim_start_matches('@')
                .strip_prefix(key)
                .map(str::to_owned)
        })
        .collect()
}

/// A scenario's outcome id: its `@id`, plus the Examples row for an outline.
fn scenario_id(feature: &gherkin::Feature, scenario: &gherkin::Scenario) -> String {
    let id = tag_value(&scenario.tags, "id:")
        .into_iter()
        .next()
        .unwrap_or_else(|| format!("{}:{}", feature.name, scenario.name));
    let row = scenario
        .examples
        .first()
        .and_then(|e| e.table.as_ref())
        .and_then(|t| t.rows.get(1))
        .map(|cells| format!("[{}]", cells.join(",")));
    id + row.as_deref().unwrap_or("")
}

/// A feature's file stem: `walkthrough` for `features/walkthrough.feature`.
fn feature_stem(feature: &gherkin::Feature) -> String {
    feature
        .path
        .as_deref()
        .and_then(Path::file_stem)
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| feature.name.clone())
}

/// The features folder: this crate's `features/` unless told otherwise.
#[must_use]
pub fn default_features() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("features")
}

/// Parses every `*.feature` under `dir`, sorted by path.
pub fn parse_features(dir: &Path) -> Result<Vec<(PathBuf, gherkin::Feature)>, RunError> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| RunError::Feature {
            path: dir.to_owned(),
            message: e.to_string(),
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("feature"))
        })
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            gherkin::Feature::parse_path(&path, gherkin::GherkinEnv::default())
                .map(|f| (path.clone(), f))
                .map_err(|e| {
                    let mut message = e.to_string();
                    let mut source = std::error::Error::source(&e);
                    while let Some(s) = source {
                        message = format!("{message}: {s}");
                        source = s.source();
                    }
                    RunError::Feature { path, message }
                })
        })
        .collect()
}

/// Runs the suite and writes the reports. The caller prints nothing more than the summary.
pub async fn run(options: &RunOptions) -> Result<Summary, RunError> {
    let started = Instant::now();
    let target = options
        .target
        .clone()
        .or_else(|| std::env::var("MFASPEC_TARGET").ok())
        .unwrap_or_else(|| "reference".into());
    // --endpoint, else the AWS tools' endpoint variables, override a URL; the `aws` target
    // stays signed, wherever its requests go.
    let profile = resolve_target(&target, options.endpoint.as_deref())?;
    let tag_filter = match &options.tags {
        Some(expr) => Some(
            expr.parse::<gherkin::tagexpr::TagOperation>()
                .map_err(|_| RunError::Tags(expr.clone()))?,
        ),
        None => None,
    };
    let expectations = load_expectations(&profile.name, options.expectations.as_deref())?;
    let features_dir = options.features.clone().unwrap_or_else(default_features);
    let features = parse_features(&features_dir)?;

    // The plan: selected by tags; n/a when a capability is missing.
    let mut not_applicable = Vec::new();
    let mut runnable = HashSet::new();
    let mut serial = HashSet::new();
    let mut every_id = HashSet::new();
    for (_, feature) in &features {
        for scenario in feature
            .scenarios
            .iter()
            .chain(feature.rules.iter().flat_map(|r| r.scenarios.iter()))
        {
            let tags: Vec<&String> = feature.tags.iter().chain(scenario.tags.iter()).collect();
            every_id.extend(tag_value(&scenario.tags, "id:"));
            if let Some(filter) = &tag_filter
                && !filter.eval(tags.iter().map(|t| t.as_str()))
            {
                continue;
            }
            let missing: Vec<String> = tag_value(tags.iter().copied(), "requires:")
                .into_iter()
                .filter(|c| !profile.has(c))
                .collect();
            let id = tag_value(&scenario.tags, "id:")
                .into_iter()
                .next()
                .unwrap_or_default();
            if missing.is_empty() {
                // Scenarios that move a clock-controlled target's clock run alone, after the
                // others (against a real clock, `@slow` ones just wait, concurrently).
                let moves_time = tags.iter().any(|t| match t.trim_start_matches('@') {
                    "serial" => true,
                    "requires:time.control" | "slow" => profile.clock_control,
                    _ => false,
                });
                if moves_time {
                    serial.insert(id.clone());
                }
                runnable.insert(id);
            } else {
                not_applicable.push(ScenarioOutcome {
                    id,
                    feature: feature_stem(feature),
                    name: scenario.name.clone(),
                    outcome: Outcome::NotApplicable,
                    reason: Some(format!(
                        "target `{}` lacks {}",
                        profile.name,
                        missing.join(", ")
                    )),
                    retries: 0,
                });
            }
        }
    }

    let report_dir = options
        .report_dir
        .clone()
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/mfaspec-report"))
        .join(&profile.name);
    std::fs::create_dir_all(&report_dir).map_err(|source| RunError::Reports {
        path: report_dir.clone(),
        source,
    })?;

    let listed_ids: HashSet<String> = expectations
        .expected_failures
        .iter()
        .map(|e| e.id.clone())
        .collect();
    let mut scenarios = not_applicable;
    let mut executed = Executed::default();
    if !runnable.is_empty() {
        let hook = HookConfig {
            keep_on_fail: options.keep_on_fail,
            listed: listed_ids,
            responses_dir: report_dir.join("responses"),
            record_dir: options.record.clone(),
            target: profile.name.clone(),
        };
        let _ = std::fs::remove_dir_all(&hook.responses_dir);
        executed = execute(
            &profile,
            &features_dir,
            &report_dir,
            runnable,
            serial,
            options.concurrency,
            Arc::new(hook),
        )
        .await?;
        scenarios.append(&mut executed.outcomes);
    }

    // Expectations: strict both ways.
    let listed: BTreeMap<&str, &str> = expectations
        .expected_failures
        .iter()
        .map(|e| (e.id.as_str(), e.reason.as_str()))
        .collect();
    let mut matched = HashSet::new();
    for s in &mut scenarios {
        let base = s.id.split('[').next().unwrap_or("").to_owned();
        let Some(reason) = listed.get(base.as_str()) else {
            continue;
        };
        matched.insert(base);
        s.outcome = match s.outcome {
            Outcome::Fail => Outcome::Xfail,
            Outcome::Pass => Outcome::Xpass,
            other => other,
        };
        if s.outcome == Outcome::Xfail {
            s.reason = Some(format!("expected: {reason}"));
        } else if s.outcome == Outcome::Xpass {
            s.reason = Some(format!("listed as expected to fail ({reason}) but passed"));
        }
    }
    // An entry is stale when its scenario is not in the suite at all, or ran only as n/a (a
    // missing capability needs no expectation). Scenarios a tag filter left out don't count.
    let ran: HashSet<&str> = scenarios
        .iter()
        .filter(|s| s.outcome != Outcome::NotApplicable)
        .map(|s| s.id.split('[').next().unwrap_or(""))
        .collect();
    let stale_expectations = listed
        .keys()
        .filter(|id| !every_id.contains(**id) || (matched.contains(**id) && !ran.contains(**id)))
        .map(|id| (*id).to_owned())
        .collect();
    scenarios.sort_by(|a, b| a.id.cmp(&b.id));
    let summary = Summary {
        target: profile.name.clone(),
        scenarios,
        stale_expectations,
        wall_seconds: started.elapsed().as_secs_f64(),
        retries: executed.retries,
        code_waits: executed.code_waits,
        code_wait_seconds: executed.code_wait_seconds,
        clock_controlled: profile.clock_control,
        kept: executed.kept,
        swept: executed.swept,
        leaked: executed.leaked,
    };
    let json = serde_json::to_string_pretty(&summary).expect("a summary serialises");
    std::fs::write(report_dir.join("outcomes.json"), json).map_err(|source| RunError::Reports {
        path: report_dir.clone(),
        source,
    })?;
    Ok(summary)
}

/// What the after-hook needs besides the scenario.
struct HookConfig {
    keep_on_fail: bool,
    /// Expectation ids: a listed failure is expected, so its resources are not kept.
    listed: HashSet<String>,
    responses_dir: PathBuf,
    record_dir: Option<PathBuf>,
    target: String,
}

/// What `execute` found besides the outcomes.
#[derive(Default)]
struct Executed {
    outcomes: Vec<ScenarioOutcome>,
    retries: u64,
    code_waits: u64,
    code_wait_seconds: f64,
    kept: Vec<String>,
    swept: Vec<String>,
    leaked: Vec<String>,
}

/// A client for a profile's running endpoint: its URL, or real AWS signed with the default
/// credential chain. An embedded endpoint has none until a run starts it.
pub async fn client_for(profile: &Profile) -> Result<Client, RunError> {
    Ok(match &profile.endpoint {
        Endpoint::Url(u) => Client::new(u),
        Endpoint::Aws(url) => {
            let signer = Signer::from_default_chain(profile.region.as_deref()).await?;
            let url = url.clone().unwrap_or_else(|| {
                format!("https://cognito-idp.{}.amazonaws.com", signer.region())
            });
            Client::new(&url).with_signer(signer)
        }
        Endpoint::Embedded => {
            return Err(RunError::NoEndpoint(format!(
                "target `{}` is the embedded endpoint, which exists only during a run: name a target with an endpoint (or --endpoint URL)",
                profile.name
            )));
        }
    }
    .with_retry(retry_policy(profile)))
}

/// The default retry policy with the profile's number of attempts.
fn retry_policy(profile: &Profile) -> crate::cognito::RetryPolicy {
    crate::cognito::RetryPolicy {
        max_attempts: profile.max_attempts,
        ..crate::cognito::RetryPolicy::default()
    }
}

/// Resolves a target name or file, with `--endpoint` and the AWS tools' endpoint variables
/// applied as `mfaspec run` applies them.
pub fn resolve_target(target: &str, endpoint: Option<&str>) -> Result<Profile, RunError> {
    let mut profile = Profile::resolve(target)?;
    let url = endpoint.map(str::to_owned).or_else(endpoint_override);
    match (&mut profile.endpoint, url) {
        (Endpoint::Aws(to), Some(url)) => *to = Some(url),
        (Endpoint::Url(to), Some(url)) => *to = url,
        (Endpoint::Embedded, Some(url)) if endpoint.is_some() => {
            profile.endpoint = Endpoint::Url(url);
        }
        _ => {}
    }
    Ok(profile)
}

/// The AWS tools' endpoint variables, as the AWS CLI and SDKs honour them.
fn endpoint_override() -> Option<String> {
    [
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
        "AWS_ENDPOINT_URL",
    ]
    .iter()
    .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
}

/// Ctrl-C or SIGTERM: the signal's name and the documented exit code (128 + its number).
/// The handlers are installed when this is called, not when the future is first polled.
pub fn interrupt_signal() -> impl std::future::Future<Output = (&'static str, i32)> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let int = signal(SignalKind::interrupt());
        let term = signal(SignalKind::terminate());
        async move {
            match (int, term) {
                (Ok(mut int), Ok(mut term)) => tokio::select! {
                    _ = int.recv() => ("SIGINT", 130),
                    _ = term.recv() => ("SIGTERM", 143),
                },
                _ => std::future::pending().await,
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
        ("SIGINT", 130)
    }
}

/// The cucumber run over the runnable scenarios, one outcome each: first every scenario
/// that leaves the clock alone, concurrently; then, one at a time, those that move it.
/// Whatever happens — the phases end, fail, or a signal interrupts them — the calls in
/// flight are let finish and everything the run created is deleted before it returns.
async fn execute(
    profile: &Profile,
    features_dir: &Path,
    report_dir: &Path,
    runnable: HashSet<String>,
    serial: HashSet<String>,
    concurrency: Option<usize>,
    hook: Arc<HookConfig>,
) -> Result<Executed, RunError> {
    let interrupted = interrupt_signal();
    let running = match &profile.endpoint {
        Endpoint::Embedded => {
            let options = ReferenceOptions {
                region: profile.region_or_default().to_owned(),
                clock_control: true,
                ..ReferenceOptions::default()
            };
            Some(
                Running::start("127.0.0.1:0".parse().expect("a socket address"), &options)
                    .await
                    .map_err(|e| RunError::Embedded(e.to_string()))?,
            )
        }
        Endpoint::Url(_) | Endpoint::Aws(_) => None,
    };
    let ledger = Arc::new(Ledger::new(
        profile.existing.iter().map(|e| e.pool_id.clone()),
    ));
    let client = match &running {
        Some(r) => Client::new(&r.url()).with_retry(retry_policy(profile)),
        None => client_for(profile).await?,
    }
    .with_ledger(ledger.clone());
    let url = client.endpoint().to_owned();
    if let Err(e) = client
        .call(
            Operation::ListUserPools,
            &serde_json::json!({ "MaxResults": 1 }),
        )
        .await
        && (e.http_status == 0 || e.kind == "UnrecognizedClientException")
    {
        if e.kind == "SigningError" {
            return Err(RunError::Signing(e.message));
        }
        return Err(RunError::Unreachable {
            endpoint: url,
            message: e.message,
        });
    }
    if profile.clock_control {
        // Frozen 10 s into a step: no scenario meets a step boundary, and none sleeps.
        let now = crate::clock::Clock::now_secs(&crate::clock::SystemClock);
        let freeze = (now - now % 30 + 10) * 1000;
        let answer = client
            .post_json(
                "/_mfaspec/clock",
                &serde_json::json!({ "freeze_ms": freeze }),
            )
            .await
            .map_err(|e| RunError::Unreachable {
                endpoint: url.clone(),
                message: e.message,
            })?;
        if answer.status != 200 {
            return Err(RunError::Unreachable {
                endpoint: url.clone(),
                message: format!(
                    "the profile says clock_control, but POST /_mfaspec/clock answered HTTP {}",
                    answer.status
                ),
            });
        }
    }
    let run_id = crate::reference::run_id();
    let ctx = install_context(RunContext::new(
        profile.clone(),
        client.clone(),
        run_id.clone(),
    ));

    let outcomes: Arc<Mutex<Vec<ScenarioOutcome>>> = Arc::default();
    let limit = concurrency
        .unwrap_or(profile.concurrency)
        .min(profile.concurrency)
        .max(1);
    let concurrent: HashSet<String> = runnable.difference(&serial).cloned().collect();
    let phases = async {
        for (suffix, ids, limit) in [("", concurrent, limit), ("-serial", serial, 1)] {
            if !ids.is_empty() {
                phase(
                    features_dir,
                    report_dir,
                    suffix,
                    ids,
                    limit,
                    outcomes.clone(),
                    hook.clone(),
                )
                .await?;
            }
        }
        Ok::<(), RunError>(())
    };
    let (result, signal) = tokio::select! {
        r = phases => (r, None),
        s = interrupted => (Ok(()), Some(s)),
    };

    // Teardown, always: let the calls in flight land, then delete whatever is left.
    ledger.settle(std::time::Duration::from_secs(30)).await;
    let sweep = cleanup::sweep_run(&client, profile, &run_id).await;
    if let Some(r) = running {
        let _ = r.stop().await;
    }
    if let Some((signal, code)) = signal {
        return Err(RunError::Interrupted {
            signal,
            code,
            deleted: sweep.deleted,
            left: sweep.left,
        });
    }
    result?;
    let mut outcomes = std::mem::take(
        &mut *outcomes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    outcomes.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Executed {
        outcomes,
        retries: ledger.retries(),
        code_waits: ctx.code_waits.load(std::sync::atomic::Ordering::Relaxed),
        code_wait_seconds: ctx.code_wait_ms.load(std::sync::atomic::Ordering::Relaxed) as f64
            / 1000.0,
        kept: ledger.kept().iter().map(ToString::to_string).collect(),
        swept: sweep.deleted,
        leaked: sweep.left,
    })
}

/// One cucumber run over the scenarios `ids`, writing `junit<suffix>.xml` and
/// `cucumber<suffix>.json`, and recording each outcome.
async fn phase(
    features_dir: &Path,
    report_dir: &Path,
    suffix: &str,
    ids: HashSet<String>,
    limit: usize,
    outcomes: Arc<Mutex<Vec<ScenarioOutcome>>>,
    hook: Arc<HookConfig>,
) -> Result<(), RunError> {
    let create = |name: String| {
        std::fs::File::create(report_dir.join(name)).map_err(|source| RunError::Reports {
            path: report_dir.to_owned(),
            source,
        })
    };
    let junit = create(format!("junit{suffix}.xml"))?;
    let json = create(format!("cucumber{suffix}.json"))?;
    let writer = ConformanceWorld::cucumber()
        .max_concurrent_scenarios(limit)
        .fail_on_skipped()
        .after(move |feature, _rule, scenario, finished, world| {
            let recorder = outcomes.clone();
            let hook = hook.clone();
            let id = scenario_id(feature, scenario);
            let feature = feature_stem(feature);
            let name = scenario.name.clone();
            let (outcome, reason) = match finished {
                event::ScenarioFinished::StepPassed => (Outcome::Pass, None),
                event::ScenarioFinished::StepSkipped => (
                    Outcome::Fail,
                    Some("a step matched no definition".to_owned()),
                ),
                event::ScenarioFinished::StepFailed(_, _, e) => {
                    (Outcome::Fail, Some(e.to_string()))
                }
                event::ScenarioFinished::BeforeHookFailed(_) => {
                    (Outcome::Error, Some("the before hook failed".to_owned()))
                }
            };
            async move {
                let mut reason = reason;
                let mut outcome = outcome;
                let mut retries = 0;
                if let Some(world) = world.as_deref() {
                    retries = world.retries;
                    if outcome == Outcome::Fail {
                        if let Some(why) = &world.not_applicable {
                            // The target as configured cannot run it (an existing pool).
                            outcome = Outcome::NotApplicable;
                            reason = Some(why.clone());
                        } else if let Some(what) = &world.unsupported {
                            // The target lacks the feature (its own "unsupported" answer).
                            outcome = Outcome::NotApplicable;
                            reason = Some(format!("the target does not support {what}"));
                        }
                    }
                    if !world.observations.is_empty() && outcome == Outcome::Pass {
                        // A @probe asserts nothing; what it saw is its result.
                        reason = Some(format!("observed: {}", world.observations.join("; ")));
                    }
                    if outcome == Outcome::Pass && retries > 0 && reason.is_none() {
                        reason = Some(format!("passed after {retries} retried call(s)"));
                    }
                    let recording = crate::snapshot::Recording {
                        id: id.clone(),
                        target: hook.target.clone(),
                        responses: world.responses.clone(),
                    };
                    let _ = crate::snapshot::write(&hook.responses_dir, &recording);
                    if let Some(dir) = &hook.record_dir {
                        let _ = crate::snapshot::write(dir, &recording);
                    }
                }
                if let Some(world) = world {
                    let base = id.split('[').next().unwrap_or("");
                    let failed = matches!(outcome, Outcome::Fail | Outcome::Error);
                    if hook.keep_on_fail && failed && !hook.listed.contains(base) {
                        let kept = world.keep_resources();
                        if !kept.is_empty() {
                            let list: Vec<String> = kept.iter().map(ToString::to_string).collect();
                            reason = Some(format!(
                                "{}; kept for inspection: {}",
                                reason.unwrap_or_default(),
                                list.join(", ")
                            ));
                        }
                    } else if let Err(e) = world.clean_up().await {
                        // Nothing the scenario created is left behind, pass or fail.
                        outcome = Outcome::Error;
                        reason = Some(format!("cleanup failed: {e}"));
                    }
                }
                recorder
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(ScenarioOutcome {
                        id,
                        feature,
                        name,
                        outcome,
                        reason,
                        retries,
                    });
            }
            .boxed_local()
        })
        .with_writer(
            writer::Basic::stdout()
                .summarized()
                .tee::<ConformanceWorld, _>(writer::JUnit::for_tee(junit, 0))
                .tee::<ConformanceWorld, _>(writer::Json::for_tee(json))
                .normalized(),
        )
        .with_default_cli()
        .filter_run(features_dir.to_owned(), move |_feature, _rule, scenario| {
            let id = tag_value(&scenario.tags, "id:")
                .into_iter()
                .next()
                .unwrap_or_default();
            ids.contains(&id)
        })
        .await;
    use cucumber::writer::Stats as _;
    if writer.parsing_errors() > 0 {
        return Err(RunError::Feature {
            path: features_dir.to_owned(),
            message: format!(
                "{} parsing error(s); see the output above",
                writer.parsing_errors()
            ),
        });
    }
    Ok(())
}

/// The one-screen summary printed after cucumber's own output, with a ready-to-paste
/// expectation entry for every unexpected failure.
#[must_use]
pub fn render_summary(summary: &Summary) -> String {
    let mut out = format!(
        "\nmfaspec: target `{}`, {} scenarios in {:.1} s:",
        summary.target,
        summary.scenarios.len(),
        summary.wall_seconds
    );
    for (outcome, n) in summary.counts() {
        out.push_str(&format!(" {n} {outcome},"));
    }
    out.pop();
    out.push('\n');
    for s in &summary.scenarios {
        match s.outcome {
            Outcome::Pass => {}
            _ => out.push_str(&format!(
                "  {:<6} {}  {}\n",
                s.outcome.to_string(),
                s.id,
                s.reason.as_deref().unwrap_or("")
            )),
        }
    }
    let failures: Vec<&ScenarioOutcome> = summary
        .scenarios
        .iter()
        .filter(|s| s.outcome == Outcome::Fail)
        .collect();
    if !failures.is_empty() {
        out.push_str(&format!("\nTo expect these failures, add to fixtures/expectations/{}.yaml:\nexpected_failures:\n", summary.target));
        let mut listed = HashSet::new();
        for s in failures {
            let base = s.id.split('[').next().unwrap_or("");
            if !listed.insert(base) {
                continue;
            }
            // The observed failure is the draft reason: edit it to say what the target does
            // instead, and its version.
            let observed = s
                .reason
                .as_deref()
                .unwrap_or("")
                .replace("Step panicked. Captured output: ", "");
            let observed: String = observed.replace('"', "'").chars().take(200).collect();
            out.push_str(&format!(
                "  - id: {base}\n    reason: \"{}: {observed}\"\n",
                summary.target
            ));
        }
    }
    if summary.retries > 0 {
        out.push_str(&format!(
            "\n{} call(s) were retried after throttling or a server error; the scenarios they belong to say so\n",
            summary.retries
        ));
    }
    if summary.code_waits > 0 || !summary.clock_controlled {
        // Against a real clock, always said: how much of the run was waiting for codes.
        out.push_str(&format!(
            "\nThe phone waited {} time(s) for a fresh TOTP step, {:.0} s in all\n",
            summary.code_waits, summary.code_wait_seconds
        ));
    }
    if !summary.kept.is_empty() {
        out.push_str(&format!(
            "\nKept for inspection (--keep-on-fail), in the target's region: {}\nRemove with: mfaspec cleanup --target {}\n",
            summary.kept.join(", "),
            summary.target
        ));
    }
    if !summary.swept.is_empty() {
        out.push_str(&format!(
            "\nThe end-of-run cleanup deleted what scenarios had left: {}\n",
            summary.swept.join(", ")
        ));
    }
    if !summary.leaked.is_empty() {
        out.push_str(&format!(
            "\nCOULD NOT DELETE: {} — remove with: mfaspec cleanup --target {}\n",
            summary.leaked.join("; "),
            summary.target
        ));
    }
    for id in &summary.stale_expectations {
        out.push_str(&format!(
            "  stale  {id}  listed in the expectations, but the suite has no such scenario, or it is n/a on this target\n"
        ));
    }
    out
}
