//! The suite's subcommands: `run`, `matrix`, `cleanup` and `diff`.

use mfaspec::exit::Exit;

use super::args::{CleanupArgs, DiffArgs, MatrixArgs, ReproArgs, RunArgs};

pub fn run(args: RunArgs) -> Exit {
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
        target_version: args.target_version,
        profile_claims: args.profile_claims,
    };
    let runtime = match super::support::runtime() {
        Ok(r) => r,
        Err(e) => return super::support::error(&e),
    };
    match runtime.block_on(mfaspec::runner::run(&options)) {
        Ok(summary) => {
            println!("{}", mfaspec::report::console::render(&summary));
            summary.exit_code()
        }
        Err(e) => {
            eprintln!("mfaspec: {e}");
            e.exit_code()
        }
    }
}

/// `mfaspec matrix`: 0, or 1 when `--check` finds the docs' matrix out of date.
pub fn matrix(args: MatrixArgs) -> Exit {
    match matrix_inner(&args) {
        Ok(current) => Exit::unless_failed(current),
        Err(e) => super::support::error(&e),
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
    if (args.check || args.write) && args.readme.is_none() && args.results.is_none() {
        anyhow::bail!("--check and --write need --readme FILE or --results DIR");
    }
    let readme = super::args::ReadmeArgs {
        readme: args.readme.clone(),
        check: args.check,
        write: args.write,
    };
    let mut current = readme.apply(
        "matrix",
        "matrix",
        [
            mfaspec::report::matrix::README_BEGIN,
            mfaspec::report::matrix::README_END,
        ],
        &matrix.to_markdown(),
    )?;
    if let Some(dir) = &args.results {
        current &= results(&report_dir, dir, args.write, &suite)?;
    }
    Ok(current)
}

/// `matrix --results DIR`: records (`write`) or checks each target's run against the kept
/// results of its version. Ok(false): a check found one that is not kept.
fn results(
    report_dir: &std::path::Path,
    dir: &std::path::Path,
    write: bool,
    suite: &mfaspec::features::Suite,
) -> anyhow::Result<bool> {
    use mfaspec::report::results;
    let mut folders: Vec<std::path::PathBuf> = std::fs::read_dir(report_dir)
        .map_err(|e| anyhow::anyhow!("reading `{}`: {e}", report_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("outcomes.json").is_file())
        .collect();
    folders.sort();
    let mut current = true;
    for folder in folders {
        let summary: mfaspec::outcome::Summary =
            mfaspec::report::json_file::read(&folder.join("outcomes.json"))?;
        // The scripts' default endpoint: the profile's, not the port this run happened to use.
        let endpoint = mfaspec::target::resolve(
            summary.profile_source.as_deref().unwrap_or(&summary.target),
            None,
        )
        .ok()
        .and_then(|p| match p.endpoint {
            mfaspec::target::Location::Url(url) | mfaspec::target::Location::Aws(Some(url)) => {
                Some(url)
            }
            mfaspec::target::Location::Aws(None) => None,
            mfaspec::target::Location::Embedded => Some(SERVE_DEFAULT.to_owned()),
        })
        .unwrap_or_else(|| SERVE_DEFAULT.to_owned());
        let Some(recorded) = results::from_run(&folder, &endpoint, env!("CARGO_PKG_VERSION"))?
        else {
            eprintln!(
                "mfaspec matrix: `{}` names no version (a profile's `version:`, or --target-version): no results kept",
                summary.target
            );
            continue;
        };
        if write {
            let path = results::write(dir, &recorded)?;
            eprintln!("mfaspec matrix: recorded {}", path.display());
        } else if let Some(stale) = results::check(dir, &recorded) {
            current = false;
            eprintln!(
                "mfaspec matrix: `{}` is not this run's results ({} differ; record them with --write):",
                stale.path.display(),
                stale.differences.len()
            );
            for d in stale.differences.iter().take(10) {
                eprintln!("  {d}");
            }
        } else {
            eprintln!(
                "mfaspec matrix: `{}` holds this run's outcomes",
                results::path_of(dir, &recorded.results).display()
            );
        }
    }
    if write {
        let [md, html] = results::write_pages(dir, suite)?;
        eprintln!(
            "mfaspec matrix: wrote {} and {}",
            md.display(),
            html.display()
        );
    }
    Ok(current)
}

/// Where `mfaspec serve` listens unless told otherwise: the reference endpoint's scripts'
/// default.
const SERVE_DEFAULT: &str = "http://127.0.0.1:9339";

/// `mfaspec cleanup`: 0, or 1 when something could not be deleted.
pub fn cleanup(args: CleanupArgs) -> Exit {
    let runtime = match super::support::runtime() {
        Ok(r) => r,
        Err(e) => return super::support::error(&e),
    };
    let result = runtime.block_on(async {
        let older_than = args
            .older_than
            .as_deref()
            .map(mfaspec::runner::cleanup::parse_age)
            .transpose()
            .map_err(|e| anyhow::anyhow!("--older-than: {e}"))?;
        let profile = mfaspec::target::resolve(&args.target, args.endpoint.as_deref())?;
        let client = mfaspec::target::client_for(&profile).await?;
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
            Exit::unless_failed(sweep.left.is_empty())
        }
        Err(e) => super::support::error(&e),
    }
}

/// `mfaspec diff`: 0, or 1 when the responses differ; 2 when there is nothing to compare.
pub fn diff(args: DiffArgs) -> Exit {
    let read = |dir: &std::path::Path| mfaspec::report::snapshot::read_dir(dir);
    let (recorded, observed) = match (read(&args.snapshot), read(&args.report)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("mfaspec: {e}");
            return Exit::Error;
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
        return Exit::Error;
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
    Exit::unless_failed(differences.is_empty())
}

/// `mfaspec repro`: the script (or the issue text) `run` made for a deviation.
pub fn repro(args: &ReproArgs) -> Exit {
    use mfaspec::report::repro::{Repro, issue_text, render};
    use mfaspec::runner::reproduce::DIR;
    let file = mfaspec::report::snapshot::file_name(&args.id);
    // The target's folder, or each target's folder inside the one given.
    let mut folders = vec![args.report_dir.clone()];
    if let Ok(entries) = std::fs::read_dir(&args.report_dir) {
        let mut inner: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.join(DIR).is_dir())
            .collect();
        inner.sort();
        folders.extend(inner);
    }
    let found: Vec<std::path::PathBuf> = folders
        .iter()
        .map(|f| f.join(DIR).join(&file))
        .filter(|p| p.is_file())
        .collect();
    let path = match found.as_slice() {
        [one] => one,
        [] => {
            let why = folders
                .iter()
                .filter_map(|f| std::fs::read_to_string(f.join(DIR).join("README.md")).ok())
                .flat_map(|index| {
                    index
                        .lines()
                        .filter(|l| l.starts_with(&format!("| `{}` |", args.id)))
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                })
                .next();
            match why {
                Some(line) => eprintln!(
                    "mfaspec repro: `{}` has no reproduction: {}",
                    args.id,
                    line.rsplit("none: ")
                        .next()
                        .unwrap_or("")
                        .trim_end_matches(" |")
                ),
                None => eprintln!(
                    "mfaspec repro: no reproduction of `{}` under `{}` (a run writes one per fail, xfail and xpass into <report-dir>/<target>/{DIR}/)",
                    args.id,
                    args.report_dir.display()
                ),
            }
            return Exit::Error;
        }
        many => {
            let list: Vec<String> = many.iter().map(|p| p.display().to_string()).collect();
            eprintln!(
                "mfaspec repro: `{}` has a reproduction for several targets; name one's folder: {}",
                args.id,
                list.join(", ")
            );
            return Exit::Error;
        }
    };
    let repro: Repro = match std::fs::read_to_string(path)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("mfaspec repro: `{}`: {e}", path.display());
            return Exit::Error;
        }
    };
    let mut repro = repro;
    if let Some(endpoint) = &args.endpoint {
        repro.target.endpoint.clone_from(endpoint);
    }
    if args.issue {
        print!("{}", issue_text(&repro));
    } else {
        print!("{}", render(&repro));
    }
    Exit::Success
}
