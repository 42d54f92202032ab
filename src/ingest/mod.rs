//! Ingest: bytes of one input file → [`Document`] (blocks). One module per input format; the
//! format is detected from the content.

pub mod convert;
pub mod detect;
pub mod docx;
pub mod html;
pub mod limits;
pub mod pdf;
pub mod text;
pub mod xls;
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
    /// The text encoding, for text inputs and HTML pages.
    pub encoding: Option<String>,
    pub document: Document,
    /// Content the reader saw but could not read (e.g. PDF glyphs without a Unicode mapping):
    /// records built from such a document are incomplete.
    pub lost: Vec<String>,
    /// Content set aside on purpose and counted (PDF glyphs a viewer does not show, being
    /// outside the clipping path): for the document's warnings; the records are complete.
    pub notes: Vec<String>,
    /// Links to attachments (.xlsx, .pdf, .doc, …) of an HTML page.
    pub links: Vec<html::Link>,
    /// The file's own format when it was converted before reading (doc, rtf → docx).
    pub converted_from: Option<&'static str>,
    /// PDFs: where the text no table cell took went.
    pub tally: Option<pdf::TextTally>,
}

impl Ingested {
    fn new(format: &'static str, document: Document) -> Ingested {
        Ingested {
            format,
            encoding: None,
            document,
            lost: Vec::new(),
            notes: Vec::new(),
            links: Vec::new(),
            converted_from: None,
            tally: None,
        }
    }
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
            let mut ingested = Ingested::new("text", text::read(&text, grammars));
            ingested.encoding = Some(encoding.to_string());
            ingested.lost = lost;
            Ok(ingested)
        }
        Format::Zip => match docx::open(bytes, docx::Limits::default()).map_err(|e| ("zip", e))? {
            docx::Package::Word(xml) => {
                let document = docx::read_document_xml(&xml).map_err(|e| ("docx", e))?;
                Ok(Ingested::new("docx", document))
            }
            docx::Package::Spreadsheet => {
                let document = xlsx::read(bytes, docx::Limits::default()).map_err(|e| ("xlsx", e))?;
                Ok(Ingested::new("xlsx", document))
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
            let mut ingested = Ingested::new("pdf", r.document);
            ingested.lost = r.lost;
            ingested.notes = r.notes;
            ingested.tally = Some(r.tally);
            Ok(ingested)
        }
        Format::Html => {
            let r = html::read(bytes, grammars).map_err(|e| ("html", e))?;
            let mut ingested = Ingested::new("html", r.document);
            ingested.encoding = Some(r.encoding);
            ingested.lost = r.lost;
            ingested.links = r.links;
            Ok(ingested)
        }
        Format::Rtf => converted(bytes, "rtf", "an RTF document"),
        Format::Ole => match xls::ole_kind(bytes) {
            Ok(xls::OleKind::Workbook) => {
                let document = xls::read(bytes).map_err(|e| ("xls", e))?;
                Ok(Ingested::new("xls", document))
            }
            Ok(xls::OleKind::Word { encrypted: false }) => {
                converted(bytes, "doc", "a legacy binary Word document (.doc, or WPS Writer's .wps)")
            }
            Ok(xls::OleKind::Word { encrypted: true }) => Err((
                "doc",
                Error::Unsupported(
                    "an encrypted (password-protected) Word document (.doc): open it, remove the password, save it as .docx and run again"
                        .into(),
                ),
            )),
            Ok(xls::OleKind::Encrypted | xls::OleKind::Other) => {
                Err(("ole", Error::Unsupported(detect::describe_ole(bytes).into())))
            }
            Err(damaged) => Err(("ole", Error::Unsupported(format!("{damaged}; {}", detect::describe_ole(bytes))))),
        },
        Format::Binary => Err((
            "binary",
            Error::Unsupported(format!(
                "{} is not a disclosure (expected text, HTML, .docx, .doc, .rtf, .xlsx, .xls or .pdf)",
                detect::describe_binary(bytes)
            )),
        )),
    }
}

/// A word-processor file converted to .docx by LibreOffice ([`convert`]), then read as .docx.
fn converted(bytes: &[u8], format: &'static str, what: &str) -> Result<Ingested, (&'static str, Error)> {
    let docx = convert::to_docx(bytes, format, what).map_err(|e| (format, e))?;
    let fail = |e: Error| (format, Error::Malformed(format!("{what}, converted to .docx by LibreOffice: {e}")));
    let docx::Package::Word(xml) = docx::open(&docx, docx::Limits::default()).map_err(fail)? else {
        return Err(fail(Error::Malformed("the conversion holds no Word document".into())));
    };
    let document = docx::read_document_xml(&xml).map_err(fail)?;
    let mut ingested = Ingested::new("docx", document);
    ingested.converted_from = Some(format);
    Ok(ingested)
}
