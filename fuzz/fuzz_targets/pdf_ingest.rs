//! PDF ingest: any bytes give blocks or an error. pdf-extract's own panics are caught inside
//! (and become `failed` documents); a panic anywhere else in our code is a finding. libfuzzer's
//! hook would abort on the caught ones, so a silent hook is installed: an uncaught panic still
//! aborts at the fuzzer's boundary.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    std::panic::set_hook(Box::new(|_| {}));
    let g = budget_extract::grammars::Grammars::builtin();
    let _ = budget_extract::ingest::pdf::read(data, g);
});
