//! A map that remembers which of its keys changed since it was last asked: what
//! `mfaspec serve --state` writes after a request, so that a change costs what it changed,
//! not the size of the store.
//!
//! Reading goes through `Deref` to the `BTreeMap`; every way to change it (`insert`,
//! `remove`, `get_mut`, `retain`) is a method here that notes the key, so no change can
//! slip past (`get_mut` notes the key whether or not the value then changes).
//!
//! Owns: that bookkeeping. Uses nothing of the crate.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A `BTreeMap` that notes the keys it changed.
#[derive(Clone)]
pub struct Tracked<K: Ord, V> {
    map: BTreeMap<K, V>,
    changed: BTreeSet<K>,
}

impl<K: Ord, V> Default for Tracked<K, V> {
    fn default() -> Self {
        Tracked {
            map: BTreeMap::new(),
            changed: BTreeSet::new(),
        }
    }
}

impl<K: Ord, V> Deref for Tracked<K, V> {
    type Target = BTreeMap<K, V>;

    fn deref(&self) -> &BTreeMap<K, V> {
        &self.map
    }
}

impl<K: Ord + Clone, V> Tracked<K, V> {
    /// A map of `map`, nothing changed.
    #[must_use]
    pub fn of(map: BTreeMap<K, V>) -> Self {
        Tracked {
            map,
            changed: BTreeSet::new(),
        }
    }

    /// Inserts, noting the key.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        self.changed.insert(key.clone());
        self.map.insert(key, value)
    }

    /// Removes, noting the key if it was there.
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let (k, v) = self.map.remove_entry(key)?;
        self.changed.insert(k);
        Some(v)
    }

    /// The value to change, noting its key.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let (k, _) = self.map.get_key_value(key)?;
        self.changed.insert(k.clone());
        self.map.get_mut(key)
    }

    /// Keeps the entries `keep` says to, noting the keys it drops.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        let changed = &mut self.changed;
        self.map.retain(|k, v| {
            let kept = keep(k, v);
            if !kept {
                changed.insert(k.clone());
            }
            kept
        });
    }

    /// The value, to drain the changes of what it holds, without noting its key (for the
    /// state file's writer only: a change through this is not noted).
    pub fn peek_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.map.get_mut(key)
    }

    /// The keys changed since the last call (present: inserted or changed; absent: removed).
    pub fn take_changes(&mut self) -> BTreeSet<K> {
        std::mem::take(&mut self.changed)
    }
}

impl<K: Ord + Serialize, V: Serialize> Serialize for Tracked<K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.map.serialize(s)
    }
}

impl<'de, K, V> Deserialize<'de> for Tracked<K, V>
where
    K: Ord + Clone + Deserialize<'de>,
    V: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Tracked::of(BTreeMap::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::Tracked;

    #[test]
    fn every_change_notes_its_key_and_reading_notes_none() {
        let mut m: Tracked<String, u32> = Tracked::default();
        m.insert("a".into(), 1);
        m.insert("b".into(), 2);
        m.insert("c".into(), 3);
        assert_eq!(m.take_changes().len(), 3);
        assert_eq!(m.get("a"), Some(&1));
        assert_eq!(m.iter().count(), 3);
        assert!(m.take_changes().is_empty(), "reading changes nothing");
        *m.get_mut("a").unwrap() = 10;
        m.remove("b");
        m.retain(|k, _| k != "c");
        assert!(m.get_mut("nope").is_none() && m.remove("nope").is_none());
        let changed: Vec<String> = m.take_changes().into_iter().collect();
        assert_eq!(changed, ["a", "b", "c"]);
        assert_eq!(m.len(), 1);
    }
}
