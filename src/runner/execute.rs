//! The run's lifecycle against a target: start the embedded endpoint (or build the client
//! for the profile's), probe it, freeze a controllable clock, run the plan's two phases
//! through cucumber, finish each scenario (classify, record, keep or clean up), and always —
//! also on failure or a signal — let calls in flight land and sweep what the run created.
//!
//! Owns: the cucumber wiring and the after-hook. Uses the plan, [`super::classify`], the
//! client, the ledger, the steps' World and the snapshot writer.

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use cucumber::{World as _, WriterExt as _, event, gherkin, writer};
use futures::FutureExt as _;

use super::classify::{Ending, Finished, classify};
use super::cleanup;
use super::error::{RunError, SetupError};
use super::plan::Plan;
use crate::cognito::{Client, Ledger};
use crate::features::Suite;
use crate::outcome::{Outcome, ScenarioOutcome};
use crate::reference::{Options as ReferenceOptions, Running};
use crate::steps::{ConformanceWorld, RunContext};
use crate::target::{Location, Profile};
use crate::target::{client_for, retry_policy};

/// What the after-hook needs besides the scenario.
pub struct HookConfig {
    /// `--keep-on-fail`.
    pub keep_on_fail: bool,
    /// Expectation ids: a listed failure is expected, so its resources are not kept.
    pub listed: HashSet<String>,
    /// `<report>/responses`.
    pub responses_dir: PathBuf,
    /// `<report>/browser`: a failed browser scenario's page (HTML, and a screenshot).
    pub browser_dir: PathBuf,
    /// `--record DIR`.
    pub record_dir: Option<PathBuf>,
    /// The profile's name.
    pub target: String,
    /// A reproduction pass: every scenario's documented path is left here, by id.
    pub repro: Option<Arc<ReproSink>>,
}

/// Where a reproduction pass leaves each scenario's documented path, by id.
pub type ReproSink =
    Mutex<std::collections::BTreeMap<String, crate::report::repro::DocumentedPath>>;

/// What `execute` found besides the outcomes.
#[derive(Default)]
pub struct Executed {
    /// One per scenario that ran.
    pub outcomes: Vec<ScenarioOutcome>,
    /// Calls retried in all.
    pub retries: u64,
    /// Times the phone waited for a fresh step against a real clock.
    pub code_waits: u64,
    /// How long, in seconds.
    pub code_wait_seconds: f64,
    /// Kept on purpose (`--keep-on-fail`).
    pub kept: Vec<String>,
    /// Deleted by the end-of-run sweep.
    pub swept: Vec<String>,
    /// Not deletable.
    pub leaked: Vec<String>,
    /// How the run signed in.
    pub sign_in: Option<crate::target::SignIn>,
}

/// cucumber's parser for features the suite has parsed and checked already.
struct Parsed;

impl cucumber::Parser<Vec<gherkin::Feature>> for Parsed {
    type Cli = cucumber::cli::Empty;
    type Output =
        futures::stream::Iter<std::vec::IntoIter<cucumber::parser::Result<gherkin::Feature>>>;

    fn parse(self, input: Vec<gherkin::Feature>, _: Self::Cli) -> Self::Output {
        futures::stream::iter(input.into_iter().map(Ok).collect::<Vec<_>>())
    }
}

/// Runs the plan's runnable scenarios, one outcome each: first every scenario that leaves
/// the clock alone, concurrently; then, one at a time, those that move it. Whatever happens,
/// the calls in flight are let finish and everything the run created is deleted before it
/// returns.
pub async fn execute(
    profile: &Profile,
    suite: &Suite,
    plan: &Plan,
    concurrency: Option<usize>,
    hook: Arc<HookConfig>,
) -> Result<Executed, RunError> {
    let interrupted = super::signals::interrupt_signal();
    let running = match &profile.endpoint {
        Location::Embedded => {
            let options = ReferenceOptions {
                region: profile.region_or_default().to_owned(),
                clock_control: true,
                ..ReferenceOptions::default()
            };
            let loopback = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
            Some(
                Running::start(loopback, &options)
                    .await
                    .map_err(RunError::Embedded)?,
            )
        }
        Location::Url(_) | Location::Aws(_) => None,
    };
    let ledger = Arc::new(Ledger::new(
        profile.existing.iter().map(|e| e.pool_id.clone()),
    ));
    let client = match &running {
        Some(r) => Client::new(&r.url()).with_retry(retry_policy(profile)),
        None => client_for(profile).await?,
    }
    .with_ledger(ledger.clone());
    let sign_in = super::probe::check(&client, profile).await?;
    let mut profile = profile.clone();
    profile.sign_in = Some(sign_in);
    let profile = &profile;
    if profile.clock_control {
        freeze_clock(&client).await?;
    }
    let run_id = crate::cognito::ledger::run_id();
    let mut ctx = RunContext::new(profile.clone(), client.clone(), run_id.clone());
    ctx.record_calls = hook.repro.is_some();
    let ctx = Arc::new(ctx);

    let outcomes: Arc<Mutex<Vec<ScenarioOutcome>>> = Arc::default();
    let limit = concurrency
        .unwrap_or(profile.concurrency)
        .min(profile.concurrency)
        .max(1);
    let phases = async {
        for (ids, limit) in [(&plan.concurrent, limit), (&plan.serial, 1)] {
            if !ids.is_empty() {
                let shared = Shared {
                    outcomes: outcomes.clone(),
                    hook: hook.clone(),
                    ctx: ctx.clone(),
                };
                phase(suite, ids.clone(), limit, shared).await;
            }
        }
    };
    let signal = tokio::select! {
        () = phases => None,
        s = interrupted => Some(s),
    };

    // Teardown, always: let the calls in flight land, then delete whatever is left.
    ledger.settle(std::time::Duration::from_secs(30)).await;
    let sweep = cleanup::sweep_run(&client, profile, &run_id).await;
    if let Some(r) = running {
        let _ = r.stop().await;
    }
    if let Some((signal, exit)) = signal {
        return Err(RunError::Interrupted {
            signal,
            exit,
            deleted: sweep.deleted,
            left: sweep.left,
        });
    }
    let outcomes = std::mem::take(
        &mut *outcomes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    Ok(Executed {
        sign_in: Some(sign_in),
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

/// Freezes a clock-controlled target 10 s into a step: no scenario meets a step boundary,
/// and none sleeps.
async fn freeze_clock(client: &Client) -> Result<(), RunError> {
    let now = crate::clock::Clock::now_secs(&crate::clock::SystemClock);
    let freeze = crate::clock::inside_step_millis(now);
    client
        .move_clock(crate::control::ClockRequest::Freeze(freeze))
        .await
        .map_err(|e| match e.http_status {
            0 => RunError::Unreachable {
                endpoint: client.endpoint().to_owned(),
                message: e.message,
            },
            _ => SetupError::ClockRefused {
                url: client.endpoint().to_owned(),
                source: e,
            }
            .into(),
        })
}

/// What every scenario of a phase shares: where outcomes go, the after-hook's settings and
/// the run's context.
struct Shared {
    outcomes: Arc<Mutex<Vec<ScenarioOutcome>>>,
    hook: Arc<HookConfig>,
    ctx: Arc<RunContext>,
}

/// One cucumber run over the scenarios `ids`, recording each outcome. cucumber prints each
/// step as it runs; the outcomes, and the reports made of them, are mfaspec's.
async fn phase(suite: &Suite, ids: BTreeSet<String>, limit: usize, shared: Shared) {
    let Shared {
        outcomes,
        hook,
        ctx,
    } = shared;
    // A reproduction pass runs quietly: its steps are not the run's.
    let output: Box<dyn std::io::Write> = if hook.repro.is_some() {
        Box::new(std::io::sink())
    } else {
        Box::new(std::io::stdout())
    };
    let index: Arc<Vec<(String, String, String)>> = Arc::new(
        suite
            .scenarios
            .iter()
            .map(|s| (s.id.to_string(), s.feature.clone(), s.name.clone()))
            .collect(),
    );
    ConformanceWorld::cucumber::<&str>()
        .with_parser(Parsed)
        .max_concurrent_scenarios(limit)
        .fail_on_skipped()
        .before(move |_feature, _rule, _scenario, world| {
            world.begin(ctx.clone());
            async {}.boxed_local()
        })
        .after(move |_feature, _rule, scenario, finished, world| {
            let recorder = outcomes.clone();
            let hook = hook.clone();
            let index = index.clone();
            let id = crate::features::id_of(scenario)
                .map(|i| i.to_string())
                .unwrap_or_default();
            let ending = match finished {
                event::ScenarioFinished::StepPassed => Ending::Passed,
                event::ScenarioFinished::StepSkipped => Ending::Undefined,
                event::ScenarioFinished::StepFailed(_, _, e) => Ending::Failed(e.to_string()),
                event::ScenarioFinished::BeforeHookFailed(_) => {
                    Ending::HookFailed("its World could not be made".to_owned())
                }
            };
            async move {
                let (feature, name) = index
                    .iter()
                    .find(|(i, _, _)| *i == id)
                    .map(|(_, f, n)| (f.clone(), n.clone()))
                    .unwrap_or_default();
                let outcome = finish(&id, &ending, world, &hook).await;
                recorder
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(ScenarioOutcome {
                        id,
                        feature,
                        name,
                        outcome: outcome.0,
                        reason: outcome.1,
                        retries: outcome.2,
                    });
            }
            .boxed_local()
        })
        .with_writer(
            writer::Basic::new(output, writer::Coloring::Auto, writer::Verbosity::Default)
                .normalized(),
        )
        .with_default_cli()
        .filter_run(suite.features.clone(), move |_feature, _rule, scenario| {
            crate::features::id_of(scenario).is_some_and(|id| ids.contains(&id.to_string()))
        })
        .await;
}

/// After a scenario: its outcome (see [`classify`]), its responses written, and what it
/// created deleted — or kept, with `--keep-on-fail`, when it failed unexpectedly.
async fn finish(
    id: &str,
    ending: &Ending,
    world: Option<&mut ConformanceWorld>,
    hook: &HookConfig,
) -> (Outcome, Option<String>, u32) {
    let Some(world) = world else {
        let (outcome, reason) = classify(&Finished {
            ending,
            last_call: None,
            declared_not_applicable: None,
            observations: &[],
            retries: 0,
        });
        return (outcome, reason, 0);
    };
    let (mut outcome, mut reason) = classify(&Finished {
        ending,
        last_call: world.last_call.as_ref(),
        declared_not_applicable: world.not_applicable.as_deref(),
        observations: &world.observations,
        retries: world.retries,
    });
    let recording = crate::report::snapshot::Recording {
        id: id.to_owned(),
        target: hook.target.clone(),
        responses: world.responses.clone(),
    };
    let _ = crate::report::snapshot::write(&hook.responses_dir, &recording);
    if let Some(dir) = &hook.record_dir {
        let _ = crate::report::snapshot::write(dir, &recording);
    }
    // Only a path the reference endpoint passed documents anything.
    if let Some(sink) = &hook.repro
        && outcome == Outcome::Pass
    {
        let path = world.documented_path();
        sink.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(id.to_owned(), path);
    }
    let base = crate::features::ScenarioId::base_of(id);
    let failed = matches!(outcome, Outcome::Fail | Outcome::Error);
    if failed && let Some(kept) = world.keep_evidence(&hook.browser_dir, id).await {
        reason = Some(format!("{}; {kept}", reason.unwrap_or_default()));
    }
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
    (outcome, reason, world.retries)
}
