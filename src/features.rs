//! The feature index: the suite's Gherkin — built into the binary, or read from a folder —
//! parsed once and checked before any endpoint is touched, with one [`Scenario`] entry per
//! scenario (an outline's rows expanded) carrying its [`ScenarioId`]. The runner, the matrix
//! and the features lint read scenarios through it and nowhere else.
//!
//! Owns: parsing, the structural checks (file:line:column on every error) and scenario ids.
//! Uses: `cucumber`'s Gherkin types only; knows nothing of targets or outcomes.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use cucumber::feature::Ext as _;
use cucumber::gherkin;

/// Where the built-in features say they come from, in errors and reports.
pub const BUILTIN_SOURCE: &str = "features";

/// A scenario's identity in outcomes and expectations: its `@id`, and for a row of a
/// Scenario Outline that row's cells (`codes.verify.malformed[12345]`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScenarioId {
    /// The `@id` tag's value: what expectation entries name.
    pub base: String,
    /// The Examples row, comma-joined, for an outline.
    pub example: Option<String>,
}

impl ScenarioId {
    /// Reads `base` or `base[row]`.
    #[must_use]
    pub fn parse(text: &str) -> ScenarioId {
        match text.split_once('[') {
            Some((base, row)) => ScenarioId {
                base: base.to_owned(),
                example: Some(row.trim_end_matches(']').to_owned()),
            },
            None => ScenarioId {
                base: text.to_owned(),
                example: None,
            },
        }
    }

    /// The base id of `base` or `base[row]`.
    #[must_use]
    pub fn base_of(text: &str) -> &str {
        text.split_once('[').map_or(text, |(base, _)| base)
    }
}

impl fmt::Display for ScenarioId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.example {
            Some(row) => write!(f, "{}[{row}]", self.base),
            None => f.write_str(&self.base),
        }
    }
}

/// One scenario of the suite (one row of an outline).
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Its id.
    pub id: ScenarioId,
    /// The feature file's stem (`walkthrough` for `walkthrough.feature`).
    pub feature: String,
    /// The feature's title.
    pub feature_title: String,
    /// The scenario's title.
    pub name: String,
    /// The feature's and the scenario's tags, without the `@`.
    pub tags: Vec<String>,
    /// The feature file, as named in errors.
    pub file: String,
    /// The line of its `Scenario:` keyword.
    pub line: usize,
}

impl Scenario {
    /// The values of `key:` tags: `values("requires")` of `@requires:admin.api` is
    /// `["admin.api"]`.
    pub fn values<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.tags
            .iter()
            .filter_map(move |t| t.strip_prefix(key).and_then(|rest| rest.strip_prefix(':')))
    }

    /// Whether it carries the plain tag `@name`.
    #[must_use]
    pub fn has_tag(&self, name: &str) -> bool {
        self.tags.iter().any(|t| t == name)
    }

    /// `file:line`, for messages.
    #[must_use]
    pub fn at(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

/// A feature file that cannot be run: exit 2, naming the file and the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeatureError {
    /// The folder or a file cannot be read.
    #[error("reading features `{path}`: {message}")]
    Read {
        /// The folder or file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The file is not Gherkin, or breaks a rule every scenario must follow.
    #[error("{file}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The folder holds no feature file.
    #[error("no *.feature file in `{0}`")]
    Empty(PathBuf),
}

/// The parsed suite: every feature (outlines expanded) and the index of its scenarios, in
/// file order.
#[derive(Debug, Clone)]
pub struct Suite {
    /// The features, each with its `path` set to the name errors use.
    pub features: Vec<gherkin::Feature>,
    /// Every scenario, in file order.
    pub scenarios: Vec<Scenario>,
}

/// The Gherkin keywords a misspelt one is compared with.
const KEYWORDS: &[&str] = &[
    "Feature",
    "Background",
    "Scenario",
    "Scenario Outline",
    "Scenario Template",
    "Example",
    "Examples",
    "Scenarios",
    "Rule",
];

impl Suite {
    /// The suite built into this binary.
    pub fn builtin() -> Result<Suite, FeatureError> {
        Suite::from_texts(
            crate::builtin::FEATURES
                .iter()
                .map(|(name, text)| (format!("{BUILTIN_SOURCE}/{name}"), (*text).to_owned())),
        )
    }

    /// Every `*.feature` in `dir`, sorted by name.
    pub fn load(dir: &Path) -> Result<Suite, FeatureError> {
        Suite::from_texts(read_texts(dir)?)
    }

    /// The built-in suite, or the folder's when one is named.
    pub fn builtin_or(dir: Option<&Path>) -> Result<Suite, FeatureError> {
        dir.map_or_else(Suite::builtin, Suite::load)
    }

    /// Parses and checks `(file name, text)` pairs; the first problem is the error.
    pub fn from_texts(
        texts: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Suite, FeatureError> {
        let (suite, mut problems) = Suite::lenient(texts);
        if problems.is_empty() {
            Ok(suite)
        } else {
            Err(problems.swap_remove(0))
        }
    }

    /// Every `*.feature` in `dir`, with every problem found rather than the first: for the
    /// features lint. Scenarios with a problem are left out of the index.
    pub fn load_lenient(dir: &Path) -> Result<(Suite, Vec<FeatureError>), FeatureError> {
        Ok(Suite::lenient(read_texts(dir)?))
    }

    /// Parses `(file name, text)` pairs, collecting every problem.
    fn lenient(texts: impl IntoIterator<Item = (String, String)>) -> (Suite, Vec<FeatureError>) {
        let mut features = Vec::new();
        let mut scenarios = Vec::new();
        let mut problems = Vec::new();
        let mut ids: BTreeMap<String, String> = BTreeMap::new();
        for (file, text) in texts {
            let invalid = |line: usize, column: usize, message: String| FeatureError::Invalid {
                file: file.clone(),
                line,
                column,
                message,
            };
            if let Err((l, c, m)) = check_keywords(&text) {
                problems.push(invalid(l, c, m));
                continue;
            }
            let mut feature = match gherkin::Feature::parse(&text, gherkin::GherkinEnv::default()) {
                Ok(feature) => feature,
                Err(e) => {
                    let text = e.to_string();
                    let (line, column) = parse_error_position(&text);
                    let expected = text.splitn(3, ':').nth(2).unwrap_or("").trim().to_owned();
                    problems.push(invalid(
                        line,
                        column,
                        format!("not valid Gherkin here (the parser expected one of {expected})"),
                    ));
                    continue;
                }
            };
            feature.path = Some(PathBuf::from(&file));
            let stem = Path::new(&file)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let every = feature
                .scenarios
                .iter()
                .chain(feature.rules.iter().flat_map(|r| r.scenarios.iter()));
            let background = feature.background.as_ref().map_or(0, |b| b.steps.len());
            if feature.scenarios.is_empty() && feature.rules.iter().all(|r| r.scenarios.is_empty())
            {
                problems.push(invalid(
                    feature.position.line,
                    feature.position.col,
                    format!("feature `{}` has no scenario", feature.name),
                ));
                continue;
            }
            'scenario: for scenario in every {
                let at = |message: String| {
                    invalid(scenario.position.line, scenario.position.col, message)
                };
                if scenario.steps.len() + background == 0 {
                    problems.push(at(format!("scenario `{}` has no steps", scenario.name)));
                    continue;
                }
                for step in &scenario.steps {
                    if step.value.trim().is_empty() {
                        problems.push(invalid(
                            step.position.line,
                            step.position.col,
                            format!("the step `{}` has no text", step.keyword.trim()),
                        ));
                        continue 'scenario;
                    }
                }
                let outline =
                    scenario.keyword.contains("Outline") || scenario.keyword.contains("Template");
                if outline && scenario.examples.iter().all(|e| e.table.is_none()) {
                    problems.push(at("a Scenario Outline without Examples".into()));
                    continue;
                }
                let id_tags: Vec<&str> = scenario
                    .tags
                    .iter()
                    .filter_map(|t| t.strip_prefix("id:"))
                    .collect();
                let base = match id_tags.as_slice() {
                    [""] => {
                        problems.push(at(format!("scenario `{}` has an empty @id", scenario.name)));
                        continue;
                    }
                    [id] => (*id).to_owned(),
                    [] => {
                        problems.push(at(format!("scenario `{}` has no @id tag", scenario.name)));
                        continue;
                    }
                    _ => {
                        problems.push(at(format!(
                            "scenario `{}` has more than one @id",
                            scenario.name
                        )));
                        continue;
                    }
                };
                let place = format!("{file}:{}", scenario.position.line);
                if let Some(first) = ids.get(&base) {
                    problems.push(at(format!("@id:{base} is also used at {first}")));
                    continue;
                }
                ids.insert(base.clone(), place);
                let tags: Vec<String> =
                    feature.tags.iter().chain(&scenario.tags).cloned().collect();
                let rows: Vec<Option<String>> = if outline {
                    scenario
                        .examples
                        .iter()
                        .filter_map(|e| e.table.as_ref())
                        .flat_map(|t| t.rows.iter().skip(1).map(|r| Some(r.join(","))))
                        .collect()
                } else {
                    vec![None]
                };
                for example in rows {
                    scenarios.push(Scenario {
                        id: ScenarioId {
                            base: base.clone(),
                            example,
                        },
                        feature: stem.clone(),
                        feature_title: feature.name.clone(),
                        name: scenario.name.clone(),
                        tags: tags.clone(),
                        file: file.clone(),
                        line: scenario.position.line,
                    });
                }
            }
            match feature.expand_examples() {
                Ok(feature) => features.push(feature),
                Err(e) => problems.push(invalid(1, 1, format!("expanding the Examples: {e}"))),
            }
        }
        (
            Suite {
                features,
                scenarios,
            },
            problems,
        )
    }

    /// Every step of the suite — backgrounds, scenarios, rules' scenarios — with the file
    /// it is in.
    pub fn steps(&self) -> impl Iterator<Item = (String, &gherkin::Step)> {
        self.features.iter().flat_map(|feature| {
            let file = feature
                .path
                .as_deref()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            let background = feature.background.iter().flat_map(|b| b.steps.iter());
            let scenarios = feature
                .scenarios
                .iter()
                .chain(feature.rules.iter().flat_map(|r| r.scenarios.iter()))
                .flat_map(|s| s.steps.iter());
            background
                .chain(scenarios)
                .map(move |step| (file.clone(), step))
        })
    }

    /// Every step, with `file:line`, that matches no step definition of `collection` or more
    /// than one: a run of such a suite would pass or fail for no reason of the target's.
    #[must_use]
    pub fn unmatched_steps<W>(&self, collection: &cucumber::step::Collection<W>) -> Vec<String> {
        let mut problems = Vec::new();
        for (file, step) in self.steps() {
            match collection.find(step) {
                Ok(Some(_)) => {}
                Ok(None) => problems.push(format!(
                    "{file}:{}:{}: no step definition matches `{} {}`",
                    step.position.line,
                    step.position.col,
                    step.keyword.trim(),
                    step.value
                )),
                Err(e) => problems.push(format!(
                    "{file}:{}:{}: `{}` matches more than one step definition: {e}",
                    step.position.line, step.position.col, step.value
                )),
            }
        }
        problems.sort();
        problems.dedup();
        problems
    }

    /// The scenario of `id`, if the suite has it.
    #[must_use]
    pub fn scenario(&self, id: &ScenarioId) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| &s.id == id)
    }

    /// Whether some scenario has the base id `base`.
    #[must_use]
    pub fn has_base(&self, base: &str) -> bool {
        self.scenarios.iter().any(|s| s.id.base == base)
    }
}

/// `(file name, text)` of every `*.feature` in `dir`, sorted by name.
fn read_texts(dir: &Path) -> Result<Vec<(String, String)>, FeatureError> {
    let mut texts = Vec::new();
    for path in feature_files(dir)? {
        let text = std::fs::read_to_string(&path).map_err(|e| FeatureError::Read {
            path: path.clone(),
            message: e.to_string(),
        })?;
        texts.push((path.display().to_string(), text));
    }
    Ok(texts)
}

/// The `*.feature` files of `dir`, sorted.
fn feature_files(dir: &Path) -> Result<Vec<PathBuf>, FeatureError> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| FeatureError::Read {
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
    if paths.is_empty() {
        return Err(FeatureError::Empty(dir.to_owned()));
    }
    Ok(paths)
}

/// The id of a scenario as cucumber runs it: outlines expanded, one Examples row each.
#[must_use]
pub fn id_of(scenario: &gherkin::Scenario) -> Option<ScenarioId> {
    let base = scenario.tags.iter().find_map(|t| t.strip_prefix("id:"))?;
    let example = scenario
        .examples
        .first()
        .and_then(|e| e.table.as_ref())
        .and_then(|t| t.rows.get(1))
        .map(|cells| cells.join(","));
    Some(ScenarioId {
        base: base.to_owned(),
        example,
    })
}

/// `line:col` out of gherkin's "Error at L:C: …".
fn parse_error_position(message: &str) -> (usize, usize) {
    let position = message.strip_prefix("Error at ").and_then(|rest| {
        rest.split(':')
            .collect::<Vec<_>>()
            .get(..2)
            .map(<[_]>::to_vec)
    });
    match position.as_deref() {
        Some([line, col]) => (line.parse().unwrap_or(1), col.parse().unwrap_or(1)),
        _ => (1, 1),
    }
}

/// A line that reads like a misspelt keyword (`Scenari:`, `Scenario Outlin:`) would be
/// taken as description text and silently run nothing: refuse it.
fn check_keywords(text: &str) -> Result<(), (usize, usize, String)> {
    let mut in_doc_string = false;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("\"\"\"") || trimmed.starts_with("```") {
            in_doc_string = !in_doc_string;
        }
        if in_doc_string || trimmed.starts_with('#') || trimmed.starts_with('|') {
            continue;
        }
        if let Some(keyword) = ["Given", "When", "Then", "And", "But"]
            .iter()
            .find(|k| trimmed.trim_end() == **k)
        {
            return Err((
                n + 1,
                line.len() - trimmed.len() + 1,
                format!("the step `{keyword}` has no text"),
            ));
        }
        let Some((word, _)) = trimmed.split_once(':') else {
            continue;
        };
        if word.is_empty() || word.len() > 20 || !word.starts_with(|c: char| c.is_ascii_uppercase())
        {
            continue;
        }
        if KEYWORDS.contains(&word) {
            continue;
        }
        if let Some(meant) = KEYWORDS
            .iter()
            .find(|k| edit_distance(&k.to_lowercase(), &word.to_lowercase()) <= 2)
        {
            let column = line.len() - trimmed.len() + 1;
            return Err((
                n + 1,
                column,
                format!("`{word}:` is not a Gherkin keyword (did you mean `{meant}:`?)"),
            ));
        }
    }
    Ok(())
}

/// Levenshtein distance, for keyword suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Result<Suite, FeatureError> {
        Suite::from_texts([("f.feature".to_owned(), text.to_owned())])
    }

    #[test]
    fn ids_carry_the_outline_row() {
        let suite = one(
            "Feature: f\n  @id:a.b.c\n  Scenario Outline: o\n    When x <v>\n    Examples:\n      | v |\n      | 1 |\n      | 2 |\n  @id:a.b.d\n  Scenario: s\n    When y\n",
        )
        .unwrap();
        let ids: Vec<String> = suite.scenarios.iter().map(|s| s.id.to_string()).collect();
        assert_eq!(ids, ["a.b.c[1]", "a.b.c[2]", "a.b.d"]);
        assert_eq!(
            ScenarioId::parse("a.b.c[1,2]").example.as_deref(),
            Some("1,2")
        );
        assert_eq!(ScenarioId::base_of("a.b.c[1]"), "a.b.c");
        assert_eq!(suite.scenarios[2].line, 10);
    }

    #[test]
    fn broken_features_name_file_and_line() {
        let cases = [
            (
                "Feature: f\n  Scenari: s\n    When x\n",
                "f.feature:2:3: `Scenari:`",
            ),
            (
                "Feature: f\n  @id:a.b.c\n  Scenario: s\n",
                "f.feature:3:3: scenario `s` has no steps",
            ),
            (
                "Feature: f\n  @id:a.b.c\n  Scenario: s\n    When x\n  @id:a.b.c\n  Scenario: t\n    When y\n",
                "f.feature:6:3: @id:a.b.c is also used at f.feature:3",
            ),
            ("Feature: f\n  Scenario: s\n    When x\n", "has no @id tag"),
            // Found by the features fuzz target.
            (
                "Feature: f\n  @id:\n  Scenario: s\n    When x\n",
                "f.feature:3:3: scenario `s` has an empty @id",
            ),
            (
                "Feature: f\n  @id:a.b.c\n  Scenario Outline: s\n    When x <v>\n",
                "without Examples",
            ),
            (
                "Feature: f\n  @id:a.b.c\n  Scenario: s\n    When x\n    Then\n",
                "f.feature:5:5: the step `Then` has no text",
            ),
            ("Nothing: here\n", "f.feature:1:14: not valid Gherkin here"),
            (
                "Feature: f\n  Nothing: here\n",
                "f.feature:1:1: feature `f` has no scenario",
            ),
        ];
        for (text, expected) in cases {
            let e = one(text).expect_err(text).to_string();
            assert!(e.contains(expected), "{e:?} should contain {expected:?}");
        }
    }

    #[test]
    fn the_builtin_suite_parses() {
        let suite = Suite::builtin().unwrap();
        assert!(suite.scenarios.len() >= 50);
        assert!(
            suite
                .scenarios
                .iter()
                .all(|s| s.file.starts_with("features/"))
        );
    }
}
