//! Reading a `src/` tree as text: its modules and files, its code without comments, strings,
//! test modules and visibility paths, every path it names (use trees expanded, with lines and
//! the inline modules they stand in), and the module each path resolves to.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The modules of a `src/` tree: module path → file.
pub fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
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
pub fn code_only(text: &str) -> String {
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
pub fn without_visibility_paths(code: &str) -> String {
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
pub fn without_test_modules(code: &str) -> String {
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

/// Whether the character before `i` belongs to an identifier.
fn prev_is_ident(b: &[char], i: usize) -> bool {
    i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_')
}

/// For each char of `code`, the inline modules (`mod x { … }`) it stands in.
pub fn inline_modules(code: &str) -> Vec<Vec<String>> {
    let chars: Vec<char> = code.chars().collect();
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let word_start = !prev_is_ident(&chars, i);
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
pub fn paths(
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
        let starts_word = !prev_is_ident(&chars, i);
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
pub fn read_tree(chars: &[char], start: usize) -> (String, usize) {
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
pub fn expand(tree: &str) -> Vec<(usize, Vec<String>)> {
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
pub fn resolve(
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

pub fn join(base: &[String], name: &str) -> String {
    if base.is_empty() {
        name.to_owned()
    } else {
        format!("{}::{name}", base.join("::"))
    }
}
