//! The conformance run: resolve the profile, load and check the suite, plan, execute, apply
//! the expectations, check that every planned scenario has exactly one outcome, write the
//! reports. Used by `mfaspec run` and by `cargo test` (tests/conformance.rs) alike.
//!
//! Owns: [`RunOptions`] and the run's order of events. The parts: [`plan`] (selection and
//! the one-outcome-each invariant, pure), [`expectations`] (load, apply, stale), [`classify`]
//! (a finished scenario → outcome, pure), [`execute`] (the target's lifecycle, cucumber, and
//! the run's context handed to each World), [`probe`] (is this endpoint what the profile
//! says?), [`cleanup`], [`signals`] and `error` ([`RunError`]). Uses the
//! feature index, profiles, the client, the steps and the report layer; the report layer
//! never uses it.

use std::path::{Path, PathBuf};
use std::time::Instant;

use cucumber::gherkin;

pub mod classify;
pub mod cleanup;
mod error;
pub mod execute;
pub mod expectations;
pub mod plan;
pub mod probe;
pub mod reproduce;
pub mod signals;

pub use crate::outcome::{Outcome, ScenarioOutcome, Summary};
pub use error::{RunError, SetupError};
pub use plan::account_for_plan;
pub use signals::interrupt_signal;

use crate::features::Suite;
use crate::target::{self, DEFAULT_TARGET};
use expectations::Expectations;

/// What to run, against what.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// A built-in target name or a profile file; `None`: [`DEFAULT_TARGET`] (the command
    /// line reads `MFASPEC_TARGET` into it).
    pub target: Option<String>,
    /// Overrides the profile's endpoint.
    pub endpoint: Option<String>,
    /// A tag expression selecting scenarios.
    pub tags: Option<String>,
    /// Where reports go (default [`DEFAULT_REPORT_DIR`], relative to the current
    /// directory); a folder per target inside.
    pub report_dir: Option<PathBuf>,
    /// At most this many scenarios at once (capped by the profile).
    pub concurrency: Option<usize>,
    /// A features folder instead of the suite built into the binary.
    pub features: Option<PathBuf>,
    /// The expectations file (default: the built-in one of the target, if it has one).
    pub expectations: Option<PathBuf>,
    /// Keep the pool and users of a scenario that fails unexpectedly, and say where they are.
    pub keep_on_fail: bool,
    /// Also write each scenario's normalised responses here (see [`crate::report::snapshot`]).
    pub record: Option<PathBuf>,
    /// The target's version, instead of the profile's `version:` (for a build the profile
    /// does not describe).
    pub target_version: Option<String>,
    /// Conformance profiles the target claims ([`crate::claim`]): the run selects their
    /// scenarios (unless `tags` selects) and fails unless each is met.
    pub profile_claims: Vec<String>,
}

/// Where reports go unless told otherwise: relative to the current directory.
pub const DEFAULT_REPORT_DIR: &str = "target/mfaspec-report";

/// Runs the suite and writes the reports. The caller prints nothing more than the summary.
pub async fn run(options: &RunOptions) -> Result<Summary, RunError> {
    let started = Instant::now();
    let target = options.target.as_deref().unwrap_or(DEFAULT_TARGET);
    // --endpoint, else the AWS tools' endpoint variables, override a URL; the `aws` target
    // stays signed, wherever its requests go.
    let profile = target::resolve(target, options.endpoint.as_deref())?;
    // The embedded endpoint is this build's own.
    let target_version = options.target_version.clone().or_else(|| {
        profile.version.clone().or_else(|| {
            matches!(profile.endpoint, target::Location::Embedded)
                .then(|| env!("CARGO_PKG_VERSION").to_owned())
        })
    });
    if options.concurrency == Some(0) {
        return Err(RunError::Usage(
            "--concurrency must be at least 1".to_owned(),
        ));
    }
    let tag_filter = match &options.tags {
        Some(expr) => Some(
            expr.parse::<gherkin::tagexpr::TagOperation>()
                .map_err(|_| RunError::Tags(expr.clone()))?,
        ),
        None => None,
    };
    let profiles = crate::claim::builtin()?;
    crate::claim::check_claims(&profiles, &options.profile_claims)?;
    let expectations = Expectations::load(&profile.name, options.expectations.as_deref())?;
    let suite = Suite::builtin_or(options.features.as_deref())?;
    let unmatched = suite.unmatched_steps(&crate::steps::collection());
    if !unmatched.is_empty() {
        return Err(RunError::Steps(unmatched));
    }
    let mut plan = plan::plan(&suite, &profile, tag_filter.as_ref());
    // A claim without --tags runs its profiles' scenarios, and only those.
    if tag_filter.is_none() && !options.profile_claims.is_empty() {
        let claimed: std::collections::BTreeSet<String> = profiles
            .iter()
            .filter(|p| options.profile_claims.contains(&p.name))
            .flat_map(|p| p.members(&suite))
            .collect();
        plan::retain(&mut plan, |id| claimed.contains(id));
    }
    // Browser scenarios on a machine without a browser: n/a, saying what to install.
    if let Err(reason) = crate::webdriver::Browser::find() {
        plan::set_aside(&mut plan, &suite, "hosted_ui", &reason);
    }

    let report_dir = options
        .report_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_REPORT_DIR))
        .join(&profile.name);
    create_dir(&report_dir)?;
    if let Some(record) = &options.record {
        // After a run against AWS the evidence must not be lost: fail before the run.
        writable(record)?;
    }

    let mut scenarios = plan.not_applicable.clone();
    let mut executed = execute::Executed::default();
    if plan.runnable().next().is_some() {
        let hook = execute::HookConfig {
            keep_on_fail: options.keep_on_fail,
            listed: expectations.ids(),
            responses_dir: report_dir.join("responses"),
            browser_dir: report_dir.join("browser"),
            record_dir: options.record.clone(),
            target: profile.name.clone(),
            repro: None,
        };
        let _ = std::fs::remove_dir_all(&hook.responses_dir);
        executed = execute::execute(
            &profile,
            &suite,
            &plan,
            options.concurrency,
            std::sync::Arc::new(hook),
        )
        .await?;
        scenarios.append(&mut executed.outcomes);
    }
    let scenarios = plan::account_for_plan(&plan, scenarios);
    let mut scenarios = scenarios;
    let stale_expectations = expectations.apply(&mut scenarios, &suite);
    scenarios.sort_by(|a, b| a.id.cmp(&b.id));
    let verdicts = crate::claim::verdicts(&profiles, &suite, &scenarios, &options.profile_claims);
    let summary = Summary {
        target: profile.name.clone(),
        target_version: target_version.clone(),
        scenarios,
        stale_expectations,
        expectations: expectations.source.clone(),
        profile_source: profile.source.clone(),
        endpoint: options.endpoint.clone(),
        report_dir: Some(report_dir.display().to_string()),
        wall_seconds: started.elapsed().as_secs_f64(),
        retries: executed.retries,
        code_waits: executed.code_waits,
        code_wait_seconds: executed.code_wait_seconds,
        clock_controlled: profile.clock_control,
        sign_in: executed.sign_in.map(|s| s.name().to_owned()),
        kept: executed.kept,
        swept: executed.swept,
        leaked: executed.leaked,
        profiles: verdicts,
    };
    crate::report::write_all(&report_dir, &summary).map_err(|source| RunError::Reports {
        path: report_dir.clone(),
        source,
    })?;
    // A script per deviation, made against the reference endpoint: the run's outcome stands
    // whatever becomes of it.
    let endpoint = match &profile.endpoint {
        target::Location::Url(url) | target::Location::Aws(Some(url)) => url.clone(),
        target::Location::Aws(None) => format!(
            "https://cognito-idp.{}.amazonaws.com",
            profile.region_or_default()
        ),
        target::Location::Embedded => String::new(),
    };
    match reproduce::reproduce(
        &suite,
        &report_dir,
        &summary.scenarios,
        &profile.name,
        target_version.as_deref(),
        &endpoint,
    )
    .await
    {
        Err(e @ RunError::Interrupted { .. }) => return Err(e),
        Err(e) => eprintln!("warning: no reproductions were made: {e}"),
        Ok(_) => {}
    }
    Ok(summary)
}

fn create_dir(dir: &Path) -> Result<(), RunError> {
    std::fs::create_dir_all(dir).map_err(|source| RunError::Reports {
        path: dir.to_owned(),
        source,
    })
}

/// `dir` exists (or is made) and a file can be written in it.
fn writable(dir: &Path) -> Result<(), RunError> {
    let fail = |source: std::io::Error| RunError::Record {
        path: dir.to_owned(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let probe = dir.join(".mfaspec-write-check");
    std::fs::write(&probe, b"").map_err(fail)?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}
