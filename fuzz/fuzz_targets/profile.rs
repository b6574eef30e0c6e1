//! Target profiles: any YAML is a profile or an error naming the file, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mfaspec::target::Profile;

fuzz_target!(|text: &str| {
    match Profile::parse(text, std::path::Path::new("fuzz.yaml")) {
        Ok(profile) => assert!(!profile.name.is_empty() && !profile.name.contains('/')),
        Err(e) => assert!(e.to_string().contains("fuzz.yaml")),
    }
});
