//! The layering rules of `docs/architecture.md`, enforced: every `crate::…`, `super::…` and
//! `self::…` path in `src/` is resolved to the module it names, and a path that crosses a
//! "never" line, or closes an import circle, fails with its file and line.
//!
//! The checker reads source as text (comments and string literals left out); it runs nothing.

mod graph;
mod reader;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use graph::circles;
use reader::{code_only, modules, paths, resolve, without_test_modules, without_visibility_paths};

/// One "never" rule: no module under `from` names anything under `to`.
struct Rule {
    from: &'static str,
    to: &'static str,
    why: &'static str,
}

/// The rules, as `docs/architecture.md` states them. A module path is `a::b` for
/// `src/a/b.rs` or `src/a/b/mod.rs`; a rule's prefix matches that module and those below it.
const RULES: &[Rule] = &[
    Rule {
        from: "steps",
        to: "reference",
        why: "steps talk to the reference endpoint over HTTP, like any other target",
    },
    Rule {
        from: "report",
        to: "runner",
        why: "the report layer is made from outcomes, never from the runner",
    },
    Rule {
        from: "reference::api",
        to: "reference::hosted",
        why: "the API wing and the hosted UI share only the floor below them",
    },
    Rule {
        from: "reference::hosted",
        to: "reference::api",
        why: "the API wing and the hosted UI share only the floor below them",
    },
    Rule {
        from: "reference::store",
        to: "reference",
        why: "the store holds state and imports nothing of the endpoint",
    },
    Rule {
        from: "totp",
        to: "",
        why: "the TOTP core is pure: it knows nothing of the rest of mfaspec",
    },
    Rule {
        from: "markup",
        to: "",
        why: "markup is the ground floor: it uses nothing of the crate",
    },
];

/// Outside crates only one module of a folder may name: (crate, folder, module, why).
const ONLY_IN: &[(&str, &str, &str, &str)] = &[
    (
        "axum",
        "reference",
        "reference::http",
        "only the endpoint's HTTP file knows axum",
    ),
    (
        "rusqlite",
        "reference",
        "reference::state",
        "only the state file's module knows SQLite",
    ),
];

/// Circles not yet taken apart (none today), each with why and when it goes: listed here so that no new
/// one comes in unseen, and failing once it is gone so that the list only shrinks. A circle is
/// named by its modules, sorted.
const KNOWN_CIRCLES: &[(&[&str], &str)] = &[];

/// A rule broken, or a circle: what a failing test prints.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Finding(String);

fn under(module: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || module == prefix
        || module
            .strip_prefix(prefix)
            .is_some_and(|r| r.starts_with("::"))
}

/// Checks the tree at `src`: the rules, the crates only one module may name, and circles.
fn check(src: &Path, crate_name: &str, known_circles: &[(&[&str], &str)]) -> Vec<Finding> {
    let mods = modules(src);
    let mut findings = Vec::new();
    let mut edges: BTreeMap<String, BTreeMap<String, (PathBuf, usize)>> = BTreeMap::new();
    for (module, file) in &mods {
        let text = std::fs::read_to_string(file).unwrap();
        let code = without_visibility_paths(&without_test_modules(&code_only(&text)));
        let rel = file
            .strip_prefix(src.parent().unwrap_or(src))
            .unwrap_or(file);
        let base: Vec<String> = if module.is_empty() || module == "<main>" {
            Vec::new()
        } else {
            module.split("::").map(str::to_owned).collect()
        };
        let children: Vec<String> = mods
            .keys()
            .filter_map(|m| {
                let rest = if base.is_empty() {
                    Some(m.as_str())
                } else {
                    m.strip_prefix(module.as_str())?.strip_prefix("::")
                };
                rest.filter(|r| !r.is_empty() && !r.contains("::") && *r != "<main>")
                    .map(str::to_owned)
            })
            .collect();
        for (line, path, inline) in paths(&code, crate_name, &children) {
            // Inside `mod x { … }`, `super::` first climbs out of the inline modules.
            let supers = path.iter().take_while(|s| *s == "super").count();
            let path = if !inline.is_empty() && path.first().is_some_and(|s| s == "super") {
                let climbed = supers.min(inline.len());
                let mut p = vec!["self".to_owned()];
                p.extend(std::iter::repeat_n("super".to_owned(), supers - climbed));
                if supers - climbed > 0 {
                    p.remove(0);
                }
                p.extend(path[supers..].iter().cloned());
                p
            } else {
                path
            };
            let Some(target) = resolve(module, &path, &mods, crate_name) else {
                continue;
            };
            for rule in RULES {
                let outside_from = !under(&target, rule.from);
                if under(module, rule.from) && under(&target, rule.to) && outside_from {
                    findings.push(Finding(format!(
                        "{}:{}: `{}` is `{}` naming `{}`: {}",
                        rel.display(),
                        line,
                        path.join("::"),
                        module,
                        target,
                        rule.why
                    )));
                }
            }
            if target != *module {
                edges
                    .entry(module.clone())
                    .or_default()
                    .entry(target.clone())
                    .or_insert((rel.to_path_buf(), line));
            }
        }
        for (krate, folder, owner, why) in ONLY_IN {
            if module == owner || !under(module, folder) {
                continue;
            }
            for (n, l) in code.lines().enumerate() {
                let named = l.match_indices(&format!("{krate}::")).any(|(at, _)| {
                    at == 0 || !l[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                });
                if named {
                    findings.push(Finding(format!(
                        "{}:{}: `{module}` names `{krate}`: {why}",
                        rel.display(),
                        n + 1
                    )));
                }
            }
        }
    }
    let mut known: Vec<&[&str]> = Vec::new();
    for (circle, component) in circles(&edges) {
        if let Some((modules, _)) = known_circles
            .iter()
            .find(|(m, _)| m.iter().copied().eq(component.iter().map(String::as_str)))
        {
            known.push(modules);
            continue;
        }
        let mut text = format!("an import circle through {} modules:", circle.len());
        if component.len() > circle.len() {
            let all: Vec<&str> = component.iter().map(String::as_str).collect();
            text = format!(
                "an import circle through {} modules (of {} that reach each other: {}):",
                circle.len(),
                all.len(),
                all.join(", ")
            );
        }
        for (k, from) in circle.iter().enumerate() {
            let to = &circle[(k + 1) % circle.len()];
            let (file, line) = &edges[from][to];
            text.push_str(&format!(
                "\n  {}:{}: `{from}` names `{to}`",
                file.display(),
                line
            ));
        }
        findings.push(Finding(text));
    }
    for (modules, why) in known_circles {
        if !known.contains(modules) {
            findings.push(Finding(format!(
                "the known circle through {} is gone ({why}): take it off KNOWN_CIRCLES",
                modules.join(", ")
            )));
        }
    }
    findings.sort();
    findings
}

/// mfaspec's own `src/` keeps every rule and has no import circle.
#[test]
fn the_layering_rules_hold() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let findings = check(&src, "mfaspec", KNOWN_CIRCLES);
    assert!(
        findings.is_empty(),
        "docs/architecture.md's rules are broken:\n{}",
        findings
            .iter()
            .map(|f| f.0.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The checker itself, on a small tree that breaks each kind of rule once: it names the file
/// and line of each, and finds the circle (a negative control for the test above).
#[test]
fn the_checker_finds_each_broken_rule_with_its_line() {
    let scratch = crate::support::scratch::Scratch::new("architecture");
    let src = scratch.path("src");
    let file = |path: &str, text: &str| {
        let p = src.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    file(
        "lib.rs",
        "pub mod steps;\npub mod reference;\npub mod markup;\n",
    );
    file(
        "steps/mod.rs",
        "//! crate::reference in a comment is no import.\nuse crate::markup::escape;\n\nfn f() {\n    let s = \"crate::reference::x\";\n    crate::reference::hosted::form(s);\n}\n",
    );
    file(
        "reference/mod.rs",
        "mod api;\npub mod hosted;\nmod store;\nmod http;\n",
    );
    file(
        "reference/api/mod.rs",
        "use crate::reference::{\n    store::Store,\n    hosted::HostedResponse,\n};\n",
    );
    file(
        "reference/hosted/mod.rs",
        "pub fn form() {}\nuse super::api;\n",
    );
    file(
        "reference/store.rs",
        "use super::hosted::HostedState;\npub(in crate::reference) fn f() {}\n",
    );
    file(
        "reference/http.rs",
        "use axum::Router;\nmod inner {\n    use super::Router;\n    use super::super::store::Store;\n}\n",
    );
    file(
        "report/mod.rs",
        "mod junit;\nmod console;\nuse junit::render;\n",
    );
    file("report/junit.rs", "use super::console::Line;\n");
    file("report/console.rs", "use crate::report::write_all;\n");
    file(
        "markup.rs",
        "use crate::reference::x;\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n",
    );
    file("reference/hosted/pages.rs", "fn g() { axum::serve(); }\n");
    let known: &[(&[&str], &str)] = &[(&["gone", "gone::away"], "taken apart")];
    let findings: Vec<String> = check(&src, "mfaspec", known)
        .into_iter()
        .map(|f| f.0)
        .collect();
    let text = findings.join("\n");
    for expected in [
        "src/steps/mod.rs:6: `crate::reference::hosted::form` is `steps` naming `reference::hosted`: steps talk to the reference endpoint over HTTP",
        "src/reference/api/mod.rs:3: `crate::reference::hosted::HostedResponse` is `reference::api` naming `reference::hosted`",
        "src/reference/hosted/mod.rs:2: `super::api` is `reference::hosted` naming `reference::api`",
        "src/reference/store.rs:1: `super::hosted::HostedState` is `reference::store` naming `reference::hosted`: the store holds state",
        "src/reference/hosted/pages.rs:1: `reference::hosted::pages` names `axum`: only the endpoint's HTTP file knows axum",
        "src/markup.rs:1: `crate::reference::x` is `markup` naming `reference`: markup is the ground floor",
        "an import circle through 2 modules (of 3 that reach each other: reference::api, reference::hosted, reference::store):\n  src/reference/api/mod.rs:3: `reference::api` names `reference::hosted`\n  src/reference/hosted/mod.rs:2: `reference::hosted` names `reference::api`",
        "the known circle through gone, gone::away is gone (taken apart): take it off KNOWN_CIRCLES",
        "an import circle through 3 modules:\n  src/report/mod.rs:3: `report` names `report::junit`\n  src/report/junit.rs:1: `report::junit` names `report::console`\n  src/report/console.rs:1: `report::console` names `report`",
    ] {
        assert!(
            text.contains(expected),
            "expected to find:\n{expected}\nin:\n{text}"
        );
    }
    // Comments, strings and the allowed paths raise nothing else.
    assert!(!text.contains("steps/mod.rs:1:"), "{text}");
    assert!(!text.contains("steps/mod.rs:2:"), "{text}");
    assert!(!text.contains("steps/mod.rs:5:"), "{text}");
    // `super::` inside an inline module climbs out of it first: no finding for http.rs.
    assert!(!text.contains("http.rs"), "{text}");
    // A visibility path names no module.
    assert!(!text.contains("store.rs:2"), "{text}");
    // Test modules inside a file are left out.
    assert!(!text.contains("markup.rs:4"), "{text}");
}
