//! Embeds the built-in suite in the binary: the features, the target profiles, the
//! emulators' expectations and the RFC test vectors, so that an installed or copied `mfaspec` runs with no checkout
//! in reach. Writes `$OUT_DIR/embedded.rs`: one `(file name, contents)` table per folder.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut out = String::new();
    for (name, dir, ext) in [
        ("FEATURES", "features", "feature"),
        ("PROFILES", "fixtures/targets", "yaml"),
        ("EXPECTATIONS", "fixtures/expectations", "yaml"),
        ("VECTORS", "fixtures", "yaml"),
    ] {
        let dir = Path::new(&root).join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .collect();
        files.sort();
        writeln!(out, "/// `{}`, embedded.", dir.display()).unwrap();
        writeln!(out, "pub static {name}: &[(&str, &str)] = &[").unwrap();
        for path in files {
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            writeln!(
                out,
                "    ({file:?}, include_str!({:?})),",
                path.display().to_string()
            )
            .unwrap();
        }
        writeln!(out, "];").unwrap();
    }
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    std::fs::write(dest, out).expect("writing embedded.rs");
}
