//! The import graph's circles: one per set of modules that reach each other, walked as a
//! shortest cycle through it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The circles of the graph: one per strongly connected component of more than one module,
/// walked as a cycle through it.
pub fn circles(
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

pub fn reach(
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
pub fn cycle_through(
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
