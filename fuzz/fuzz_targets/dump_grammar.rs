//! The Tika dump grammar and everything after it: any text must give blocks, records or a
//! reason, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let g = budget_extract::grammars::Grammars::builtin();
    let text = String::from_utf8_lossy(data);
    let doc = budget_extract::ingest::text::read(&text, g);
    let recognized = budget_extract::recognize::recognize(&doc, g);
    let _ = budget_extract::normalize::normalize("fuzz.txt", &recognized, g);
});
