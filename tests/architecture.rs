//! The layering rules of `docs/architecture.md`, enforced: every `crate::…`, `super::…` and
//! `self::…` path in `src/` is resolved to the module it names, and a path that crosses a
//! "never" line, or closes an import circle, fails with its file and line.
//!
//! The checker reads source as text (comments and string literals left out); it runs nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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
const ONLY_IN: &[(&str, &str, &str, &str)] = &[(
    "axum",
    "reference",
    "reference::http",
    "only the endpoint's HTTP file knows axum",
)];

/// The modules of a `src/` tree: module path → file.
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(src).unwrap().with_extension("");
                let mut parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if parts.last().is_some_and(|p| p == "mod") {
                    parts.pop();
                }
                if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
                    parts.clear();
                }
                // main.rs is a crate of its own, which names the library `mfaspec::`.
                let name = if path.ends_with("main.rs") && rel.components().count() == 1 {
                    "<main>".to_owned()
                } else {
                    parts.join("::")
                };
                out.insert(name, path);
            }
        }
    }
    out
}

/// The text with comments and string and char literals blanked (lines kept).
fn code_only(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i < b.len() && !(b[i] == '*' && b.get(i + 1) == Some(&'/')) {
                if b[i] == '\n' {
                    out.push('\n');
                }
                i += 1;
            }
            i += 2;
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !prev_is_ident(&b, i) {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                match b.get(j) {
                    None => break,
                    Some('"') if (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')) => {
                        j += 1 + hashes;
                        break;
                    }
                    Some('\n') => out.push('\n'),
                    _ => {}
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                if b.get(i) == Some(&'\n') {
                    out.push('\n');
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && b.get(i + 2) == Some(&'\'') {
            out.push_str("' '");
            i += 3;
        } else if c == '\'' && next == Some('\\') {
            let mut j = i + 2;
            while j < b.len() && b[j] != '\'' {
                j += 1;
            }
            out.push_str("' '");
            i = j + 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The code with `pub(in path)` read as `pub(crate)`: a visibility names no dependency.
fn without_visibility_paths(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("pub(in ") {
        out.push_str(&rest[..at]);
        out.push_str("pub(crate)");
        let close = rest[at..].find(')').map_or(rest.len(), |c| at + c + 1);
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// The code with `#[cfg(test)]` modules blanked (lines kept): the rules are about what ships.
fn without_test_modules(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        let after = &rest[at..];
        let Some(open) = after.find('{').filter(|o| after[..*o].contains("mod ")) else {
            out.push_str(&rest[..at + 1]);
            rest = &rest[at + 1..];
            continue;
        };
        out.push_str(&rest[..at]);
        let mut depth = 0;
        let mut end = after.len();
        for (k, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.extend(after[..end].chars().filter(|c| *c == '\n'));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn prev_is_ident(b: &[char], i: usize) -> bool {
    i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_')
}

/// For each char of `code`, the inline modules (`mod x { … }`) it stands in.
fn inline_modules(code: &str) -> Vec<Vec<String>> {
    let chars: Vec<char> = code.chars().collect();
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let word_start = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if word_start && chars[i..].starts_with(&['m', 'o', 'd', ' ']) {
            let mut j = i + 4;
            let name: String = chars[j..]
                .iter()
                .take_while(|c| c.is_alphanumeric() || **c == '_')
                .collect();
            j += name.len();
            while chars.get(j).is_some_and(|c| c.is_whitespace()) {
                j += 1;
            }
            if !name.is_empty() && chars.get(j) == Some(&'{') {
                stack.push((name, depth));
            }
        }
        match chars[i] {
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if stack.last().is_some_and(|(_, d)| *d == depth) {
                    stack.pop();
                }
            }
            _ => {}
        }
        out.push(stack.iter().map(|(n, _)| n.clone()).collect());
        i += 1;
    }
    out
}

/// Every path of the form `crate::a::b`, `super::a`, `self::a`, `child::a` (a child module)
/// or (in main.rs) `mfaspec::a`, `use` trees expanded, with its line and the inline modules
/// it stands in.
fn paths(
    code: &str,
    root_name: &str,
    children: &[String],
) -> Vec<(usize, Vec<String>, Vec<String>)> {
    let nesting = inline_modules(code);
    let mut out = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\n' {
            line += 1;
            i += 1;
            continue;
        }
        let starts_word = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if starts_word {
            let heads = ["crate", "super", "self", root_name]
                .into_iter()
                .chain(children.iter().map(String::as_str));
            for head in heads {
                let h: Vec<char> = head.chars().collect();
                let whole_word = chars[i..].starts_with(&h)
                    && chars[i + h.len()..].starts_with(&[':', ':'])
                    && (i < 2 || chars[i - 2..i] != [':', ':']);
                if whole_word {
                    let (tree, end) = read_tree(&chars, i);
                    for (offset, p) in expand(&tree) {
                        let line = line + tree[..offset].matches('\n').count();
                        out.push((line, p, nesting[i].clone()));
                    }
                    line += chars[i..end].iter().filter(|c| **c == '\n').count();
                    i = end;
                    break;
                }
            }
        }
        if i < chars.len() && chars[i] != '\n' {
            i += 1;
        }
    }
    out
}

/// The path (or use tree) starting at `start`: identifiers, `::`, `{`, `}`, `,`, `*`,
/// whitespace, `as`.
fn read_tree(chars: &[char], start: usize) -> (String, usize) {
    let mut depth = 0;
    let mut i = start;
    let mut out = String::new();
    while i < chars.len() {
        let c = chars[i];
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => break,
            c if c.is_alphanumeric() || c == '_' || c == ':' || c == '*' => {}
            c if c.is_whitespace() || c == ',' => {
                if depth == 0 {
                    break;
                }
            }
            _ => break,
        }
        out.push(c);
        i += 1;
    }
    (out, i)
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`, each split into segments with the
/// offset in `tree` where its own last part starts (for its line).
fn expand(tree: &str) -> Vec<(usize, Vec<String>)> {
    fn segments(text: &str) -> Vec<String> {
        text.split("::")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }
    fn go(
        prefix: &[String],
        tree: &str,
        from: usize,
        to: usize,
        out: &mut Vec<(usize, Vec<String>)>,
    ) {
        let part = &tree[from..to];
        let lead = part.len() - part.trim_start().len();
        let part = part.trim();
        let from = from + lead;
        if part.is_empty() {
            return;
        }
        let Some(open) = part.find('{') else {
            let name = part.split(" as ").next().unwrap_or("");
            let mut path = prefix.to_vec();
            path.extend(segments(name));
            out.push((from, path));
            return;
        };
        let close = part.rfind('}').unwrap_or(part.len());
        let mut base = prefix.to_vec();
        base.extend(segments(&part[..open]));
        let (inner_from, inner_to) = (from + open + 1, from + close);
        let mut depth = 0;
        let mut start = inner_from;
        for (k, c) in tree[inner_from..inner_to].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    go(&base, tree, start, inner_from + k, out);
                    start = inner_from + k + 1;
                }
                _ => {}
            }
        }
        go(&base, tree, start, inner_to, out);
    }
    let mut out = Vec::new();
    go(&[], tree, 0, tree.len(), &mut out);
    out
}

/// The module a path names, from the module `here`: the longest prefix that is a module.
fn resolve(
    here: &str,
    path: &[String],
    mods: &BTreeMap<String, PathBuf>,
    root_name: &str,
) -> Option<String> {
    let mut base: Vec<String> = if here == "<main>" || here.is_empty() {
        Vec::new()
    } else {
        here.split("::").map(str::to_owned).collect()
    };
    // `super` from module a::b (a/b.rs or a/b/mod.rs alike) is a.
    let mut segs = path.iter().peekable();
    match segs.peek().map(|s| s.as_str()) {
        Some("crate") => {
            if here == "<main>" {
                return Some("<main>".into());
            }
            base.clear();
            segs.next();
        }
        // The library by its name (from main.rs and the binary's own modules).
        Some(h) if h == root_name => {
            base.clear();
            segs.next();
        }
        Some("self") => {
            segs.next();
        }
        // A child module named without `self::` (`use child::Item;`).
        Some(child) if mods.contains_key(&join(&base, child)) => {}
        Some("super") => {
            while segs.peek().map(|s| s.as_str()) == Some("super") {
                base.pop();
                segs.next();
            }
        }
        _ => return None,
    }
    let mut best = base.join("::");
    let mut current = base;
    for s in segs {
        current.push(s.clone());
        let name = current.join("::");
        if mods.contains_key(&name) {
            best = name;
        } else {
            break;
        }
    }
    Some(best)
}

fn join(base: &[String], name: &str) -> String {
    if base.is_empty() {
        name.to_owned()
    } else {
        format!("{}::{name}", base.join("::"))
    }
}

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

/// The circles of the graph: one per strongly connected component of more than one module,
/// walked as a cycle through it.
fn circles(
    edges: &BTreeMap<String, BTreeMap<String, (PathBuf, usize)>>,
) -> Vec<(Vec<String>, BTreeSet<String>)> {
    let nodes: BTreeSet<&String> = edges
        .keys()
        .chain(edges.values().flat_map(|m| m.keys()))
        .collect();
    let mut out = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for start in nodes {
        if seen.contains(start.as_str()) {
            continue;
        }
        // The modules that reach `start` and that `start` reaches: its component.
        let forward = reach(edges, start, false);
        let backward = reach(edges, start, true);
        let component: BTreeSet<String> = forward.intersection(&backward).cloned().collect();
        seen.extend(component.iter().cloned());
        if component.len() > 1 {
            out.push((cycle_through(edges, start, &component), component));
        }
    }
    out
}

fn reach(
    edges: &BTreeMap<String, BTreeMap<String, (PathBuf, usize)>>,
    start: &str,
    backward: bool,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::from([start.to_owned()]);
    let mut todo = vec![start.to_owned()];
    while let Some(n) = todo.pop() {
        let next: Vec<String> = if backward {
            edges
                .iter()
                .filter(|(_, to)| to.contains_key(&n))
                .map(|(from, _)| from.clone())
                .collect()
        } else {
            edges
                .get(&n)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        };
        for m in next {
            if seen.insert(m.clone()) {
                todo.push(m);
            }
        }
    }
    seen
}

/// A shortest cycle from `start` back to itself inside `component`.
fn cycle_through(
    edges: &BTreeMap<String, BTreeMap<String, (PathBuf, usize)>>,
    start: &str,
    component: &BTreeSet<String>,
) -> Vec<String> {
    let mut prev: BTreeMap<String, String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start.to_owned()]);
    while let Some(n) = queue.pop_front() {
        for m in edges.get(&n).map(|m| m.keys()).into_iter().flatten() {
            if !component.contains(m) {
                continue;
            }
            if m == start {
                let mut path = vec![n.clone()];
                let mut at = n.clone();
                while at != start {
                    at = prev[&at].clone();
                    path.push(at.clone());
                }
                path.reverse();
                return path;
            }
            if !prev.contains_key(m) {
                prev.insert(m.clone(), n.clone());
                queue.push_back(m.clone());
            }
        }
    }
    component.iter().cloned().collect()
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
    let scratch = crate::scratch::Scratch::new("architecture");
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
