//! PDF ingest: any bytes give blocks or an error. The content streams are interpreted by our own
//! interpreter (no third-party one whose panics would have to be caught inside), so any panic is
//! a finding: it aborts at the fuzzer's boundary. The hook is silent so that panics caught on
//! purpose elsewhere (none in this path today) would not abort.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    std::panic::set_hook(Box::new(|_| {}));
    let g = budget_extract::grammars::Grammars::builtin();
    let _ = budget_extract::ingest::pdf::read(data, g);
});
