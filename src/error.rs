//! Errors of the library. Each says what went wrong with which input, and what to do about it
//! where there is something to do.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },

    #[error(
        "cannot write {path}: {source} (check that the output folder exists and is writable, or pass another --out)"
    )]
    Write { path: PathBuf, source: std::io::Error },

    #[error("cannot write Parquet {path}: {message}")]
    Parquet { path: PathBuf, message: String },

    #[error("grammar data is invalid: {0}")]
    Grammar(String),

    /// The input is not in a format this build can read; the message names what it looks like.
    #[error("{0}")]
    Unsupported(String),

    /// The input claims a format but its content is broken.
    #[error("{0}")]
    Malformed(String),

    /// The input goes past one of the readers' limits (nesting, spans, sizes, counts): it is
    /// refused before it costs more. `limit` names the constant.
    #[error("{what}, over the limit of {max} ({limit}): not read")]
    Limit { what: String, max: u64, limit: &'static str },

    /// A reader stopped on something it does not handle (a panic in it, caught). `what` is for
    /// people; `detail` (the panic's message and place) goes to the document's warnings, for a
    /// bug report.
    #[error("{what}")]
    Internal { what: String, detail: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The message of a caught panic (`panic!` with a literal or a formatted string), if it has one.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> Option<String> {
    payload.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| payload.downcast_ref::<String>().cloned())
}

/// A caught panic's message is kept up to this many bytes.
const PANIC_DETAIL_BYTES: usize = 300;

thread_local! {
    /// The message and place of the last panic on this thread (see [`quiet_panics`]).
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Panics inside documents are caught and become rows: their messages are not printed (the
/// default hook would print each one, with `-q` too), but kept for [`caught_panic`]. A panic on
/// the main thread, which nothing catches, is still printed.
pub fn quiet_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let mut message = panic_message(info.payload()).unwrap_or_else(|| "unknown panic".into());
            // Some carry the input's bytes: enough of it to report, not all of it.
            if message.len() > PANIC_DETAIL_BYTES {
                let cut = (0..=PANIC_DETAIL_BYTES).rev().find(|&i| message.is_char_boundary(i)).unwrap_or(0);
                message.truncate(cut);
                message.push('…');
            }
            let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{message}{place}")));
            if std::thread::current().name() == Some("main") {
                default(info);
            }
        }));
    });
}

/// What the last caught panic on this thread said, and where: from [`quiet_panics`]' record,
/// else from its payload.
pub fn caught_panic(payload: &(dyn std::any::Any + Send)) -> String {
    LAST_PANIC
        .with(|p| p.borrow_mut().take())
        .or_else(|| panic_message(payload))
        .unwrap_or_else(|| "unknown panic".into())
}
