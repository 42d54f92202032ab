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
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The message of a caught panic (`panic!` with a literal or a formatted string), if it has one.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> Option<String> {
    payload.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| payload.downcast_ref::<String>().cloned())
}
