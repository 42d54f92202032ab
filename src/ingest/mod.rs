//! Ingest: bytes of one input file → [`Document`] (blocks). One module per input format; the
//! format is detected from the content.

pub mod detect;
pub mod text;

use crate::blocks::Document;
use crate::error::Error;
use crate::grammars::Grammars;
pub use detect::Format;

/// What ingest made of one file.
#[derive(Debug)]
pub struct Ingested {
    /// The detected format, refined where the container says more (`docx` for a zip with a
    /// Word document, …).
    pub format: &'static str,
    /// The text encoding, for text inputs.
    pub encoding: Option<&'static str>,
    pub document: Document,
}

/// Reads one input. On failure, the error says what the file is and why it cannot be read.
pub fn ingest(bytes: &[u8], grammars: &Grammars) -> Result<Ingested, (&'static str, Error)> {
    let format = detect::detect(bytes);
    match format {
        Format::Text => {
            let (text, encoding) = detect::decode_text(bytes)
                .ok_or_else(|| ("text", Error::Malformed("text could not be decoded".into())))?;
            Ok(Ingested { format: "text", encoding: Some(encoding), document: text::read(&text, grammars) })
        }
        Format::Zip => Err((
            "zip",
            Error::Unsupported("zip container (docx/xlsx): this build does not read Office Open XML yet".into()),
        )),
        Format::Pdf => Err(("pdf", Error::Unsupported("PDF input is not supported by this build yet".into()))),
        Format::Ole => Err((
            "ole",
            Error::Unsupported(
                "OLE compound file: a legacy binary .doc/.xls or an encrypted Office file; \
                 save it as .docx/.xlsx without a password and run again"
                    .into(),
            ),
        )),
        Format::Binary => Err((
            "binary",
            Error::Unsupported(format!(
                "{} is not a disclosure (expected text, .docx, .xlsx or .pdf)",
                detect::describe_binary(bytes)
            )),
        )),
    }
}
