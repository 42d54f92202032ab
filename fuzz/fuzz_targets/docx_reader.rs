//! The Word reader (zip + streaming XML): any bytes give blocks or an error, never a panic. The
//! raw document.xml path is fuzzed too, as most inputs are not valid zips.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let g = budget_extract::grammars::Grammars::builtin();
    let _ = budget_extract::ingest::ingest(data, g);
    let _ = budget_extract::ingest::docx::read_document_xml(data);
});
