//! Ingest: bytes of one input file → [`Document`] (blocks). One module per input format; the
//! format is detected from the content.

pub mod detect;
pub mod docx;
pub mod limits;
pub mod pdf;
pub mod text;
pub mod xlsx;

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
    /// Content the reader saw but could not read (e.g. PDF glyphs without a Unicode mapping):
    /// records built from such a document are incomplete.
    pub lost: Vec<String>,
}

/// Reads one input. On failure, the error says what the file is and why it cannot be read.
pub fn ingest(bytes: &[u8], grammars: &Grammars) -> Result<Ingested, (&'static str, Error)> {
    if bytes.is_empty() {
        return Err((
            "empty",
            Error::Unsupported(
                "the file is empty (0 bytes): nothing to read (a download that failed? fetch it again)".into(),
            ),
        ));
    }
    let format = detect::detect(bytes);
    match format {
        Format::Text => {
            let (text, encoding) = detect::decode_text(bytes)
                .ok_or_else(|| ("text", Error::Malformed("text could not be decoded".into())))?;
            let lines = text.bytes().filter(|&b| b == b'\n').count() as u64 + 1;
            limits::check(|n| format!("the text has {n} lines"), lines, limits::MAX_LINES, "MAX_LINES")
                .map_err(|e| ("text", e))?;
            let mut lost = Vec::new();
            if encoding == detect::UTF8_REPAIRED {
                let n = text.matches('\u{FFFD}').count();
                lost.push(format!("{n} byte sequence(s) that are not UTF-8 were replaced by U+FFFD"));
            }
            Ok(Ingested { format: "text", encoding: Some(encoding), document: text::read(&text, grammars), lost })
        }
        Format::Zip => match docx::open(bytes, docx::Limits::default()).map_err(|e| ("zip", e))? {
            docx::Package::Word(xml) => {
                let document = docx::read_document_xml(&xml).map_err(|e| ("docx", e))?;
                Ok(Ingested { format: "docx", encoding: None, document, lost: Vec::new() })
            }
            docx::Package::Spreadsheet => {
                let document = xlsx::read(bytes, docx::Limits::default()).map_err(|e| ("xlsx", e))?;
                Ok(Ingested { format: "xlsx", encoding: None, document, lost: Vec::new() })
            }
            docx::Package::Other(names) => Err((
                "zip",
                Error::Unsupported(format!(
                    "a zip archive without word/document.xml (members: {names}): not a Word document"
                )),
            )),
        },
        Format::Pdf => {
            let r = pdf::read(bytes, grammars).map_err(|e| ("pdf", e))?;
            Ok(Ingested { format: "pdf", encoding: None, document: r.document, lost: r.lost })
        }
        Format::Ole => Err(("ole", Error::Unsupported(detect::describe_ole(bytes).into()))),
        Format::Binary => Err((
            "binary",
            Error::Unsupported(format!(
                "{} is not a disclosure (expected text, .docx, .xlsx or .pdf)",
                detect::describe_binary(bytes)
            )),
        )),
    }
}
