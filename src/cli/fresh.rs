//! `mfaspec code --fresh`: a code of a step this machine has not handed out before for the
//! same secret, for end-to-end tests against a real pool, where Cognito refuses a code it
//! accepted once (spec §4 B2) and a test that signs in twice in 30 seconds would flake.
//!
//! The steps handed out are remembered in a small JSON file (`--memory`, default
//! `$XDG_STATE_HOME/mfaspec/fresh-codes.json`, else `~/.local/state/mfaspec/…`), keyed by
//! a SHA-256 digest of the secret — never the secret — and locked while read and written, so
//! parallel tests share it. Steps older than ten minutes are forgotten.
//!
//! Owns: that file. Uses: [`mfaspec::totp`].

use std::collections::BTreeMap;
use std::io::{Read as _, Seek as _, Write as _};
use std::path::PathBuf;

use anyhow::Context as _;
use sha2::Digest as _;

/// How long a handed-out step is remembered, in steps (ten minutes of 30-second steps).
const KEEP_STEPS: u64 = 20;

/// The memory file `--memory` names, or the default one.
pub fn memory_path(given: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(p) = given {
        return Ok(p);
    }
    let base = match std::env::var_os("XDG_STATE_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(
            std::env::var_os("HOME")
                .context("neither XDG_STATE_HOME nor HOME is set: give --memory FILE")?,
        )
        .join(".local/state"),
    };
    Ok(base.join("mfaspec/fresh-codes.json"))
}

/// The key of a secret in the file: its SHA-256, hex, cut to 32 characters.
fn key_of(secret: &[u8], period: u64) -> String {
    let digest = sha2::Sha256::digest(secret);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{period}", &hex[..32])
}

/// What to print: the step to use, given the current step; `Err(wait_until_step)` when this
/// step and the next were both handed out.
fn choose(used: &[u64], current: u64) -> Result<u64, u64> {
    [current, current + 1]
        .into_iter()
        .find(|s| !used.contains(s))
        .ok_or(current + 1)
}

/// Picks a step not handed out for `secret` (waiting for the next step when this one's and
/// the next one's both were), records it, and returns it. `now` gives the current Unix time.
pub fn fresh_step(
    path: &std::path::Path,
    secret: &[u8],
    period: u64,
    now: impl Fn() -> anyhow::Result<u64>,
) -> anyhow::Result<u64> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating {} for --fresh's memory", dir.display()))?;
    }
    let key = key_of(secret, period);
    loop {
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .with_context(|| format!("opening {}", path.display()))?;
        file.lock()
            .with_context(|| format!("locking {}", path.display()))?;
        let mut text = String::new();
        file.read_to_string(&mut text)
            .with_context(|| format!("reading {}", path.display()))?;
        let mut memory: BTreeMap<String, Vec<u64>> = if text.trim().is_empty() {
            BTreeMap::new()
        } else {
            serde_json::from_str(&text).with_context(|| {
                format!(
                    "{} is not mfaspec's memory of handed-out steps (remove it to start afresh)",
                    path.display()
                )
            })?
        };
        let current = now()? / period;
        for steps in memory.values_mut() {
            steps.retain(|s| s + KEEP_STEPS >= current);
        }
        memory.retain(|_, steps| !steps.is_empty());
        match choose(memory.get(&key).map_or(&[][..], Vec::as_slice), current) {
            Ok(step) => {
                memory.entry(key).or_default().push(step);
                let text = serde_json::to_string_pretty(&memory)?;
                file.set_len(0)?;
                file.rewind()?;
                file.write_all(text.as_bytes())
                    .with_context(|| format!("writing {}", path.display()))?;
                return Ok(step);
            }
            Err(next) => {
                drop(file);
                let wait = (next * period).saturating_sub(now()?);
                eprintln!(
                    "mfaspec: this step's and the next step's codes were handed out already; waiting {wait} s for the next step"
                );
                std::thread::sleep(std::time::Duration::from_secs(wait.max(1)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{choose, fresh_step};

    #[test]
    fn this_step_then_the_next_then_wait() {
        assert_eq!(choose(&[], 100), Ok(100));
        assert_eq!(choose(&[100], 100), Ok(101));
        assert_eq!(choose(&[100, 101], 100), Err(101));
        assert_eq!(choose(&[100, 101], 101), Ok(102));
    }

    #[test]
    fn handed_out_steps_are_remembered_in_the_file_without_the_secret() {
        let dir = std::env::temp_dir().join(format!("mfaspec-fresh-{}", std::process::id()));
        let path = dir.join("memory.json");
        let _ = std::fs::remove_file(&path);
        let clock = std::cell::Cell::new(3000u64); // step 100
        let now = || Ok(clock.get());
        assert_eq!(fresh_step(&path, b"secret-1", 30, now).unwrap(), 100);
        assert_eq!(fresh_step(&path, b"secret-1", 30, now).unwrap(), 101);
        // Another secret has its own steps.
        assert_eq!(fresh_step(&path, b"secret-2", 30, now).unwrap(), 100);
        clock.set(3030); // step 101: 101 was handed out, 102 was not
        assert_eq!(fresh_step(&path, b"secret-1", 30, now).unwrap(), 102);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("secret"), "{text}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
