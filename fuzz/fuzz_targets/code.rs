//! Codes as a person types them: any text is a code of the asked width or refused.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mfaspec::totp::{Code, Digits};

fuzz_target!(|input: (u8, &str)| {
    let (digits, text) = input;
    let Ok(digits) = (6 + digits % 3).to_string().parse::<Digits>() else {
        return;
    };
    if let Ok(code) = Code::parse(text, digits) {
        let shown = code.to_ascii();
        assert!(shown.as_str().bytes().all(|b| b.is_ascii_digit()));
        let again = Code::parse(shown.as_str(), digits).expect("a code reads back");
        assert_eq!(again, code);
    }
});
