//! The value grammar (comparator, number, unit, 万 scaling): any cell text parses or is
//! qualitative, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let g = budget_extract::grammars::Grammars::builtin();
    let text = String::from_utf8_lossy(data);
    let _ = budget_extract::normalize::value::parse(&text, g);
    let _ = budget_extract::normalize::value::amount(&text);
});
