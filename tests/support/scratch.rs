//! A scratch folder for one test, removed when dropped (shared by the test modules).

use std::path::PathBuf;

/// `$TMP/mfaspec-<name>-<pid>`, empty at the start.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("mfaspec-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    /// A path inside.
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Writes `text` to a file inside; returns its path.
    pub fn file(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The `mfaspec` binary, run in a working folder of the test process's own: whatever a run
/// writes by default (`target/mfaspec-report/`) lands there, never over a person's reports.
pub fn mfaspec_command() -> std::process::Command {
    static CWD: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let cwd = CWD.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("mfaspec-cwd-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    });
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_mfaspec"));
    command.current_dir(cwd);
    command
}

/// Whether every scenario passed, but the hosted-UI ones, which are `n/a` on a profile without
/// `hosted_ui` (they run in a browser, in the conformance test and in `.ci/run`).
pub fn all_pass_but_the_browser(scenarios: &[serde_json::Value]) -> bool {
    scenarios.iter().all(|s| {
        s["outcome"] == "pass"
            || (s["outcome"] == "n/a"
                && s["reason"]
                    .as_str()
                    .is_some_and(|r| r.ends_with("lacks hosted_ui")))
    })
}
