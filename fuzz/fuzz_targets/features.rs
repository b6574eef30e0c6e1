//! Feature files: any text is a suite or an error at a file, line and column.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mfaspec::features::Suite;

fuzz_target!(|text: &str| {
    match Suite::from_texts([("f.feature".to_owned(), text.to_owned())]) {
        Ok(suite) => {
            for s in &suite.scenarios {
                assert!(!s.id.base.is_empty());
            }
        }
        Err(e) => assert!(e.to_string().starts_with("f.feature:"), "{e}"),
    }
});
