//! Format detection from content (magic bytes, text decoding), never from the file name alone.

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// Plain text, e.g. Apache Tika's dump of a Word file.
    Text,
    /// A zip container (Office Open XML: docx, xlsx).
    Zip,
    Pdf,
    /// An OLE compound file: legacy .doc/.xls, or an encrypted Office file.
    Ole,
    /// An HTML page (saved disclosure pages, Word's and WPS's HTML exports, PDF renditions).
    Html,
    /// A Rich Text Format document.
    Rtf,
    /// Something else (an image, an executable, random bytes).
    Binary,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Zip => "zip",
            Format::Pdf => "pdf",
            Format::Ole => "ole",
            Format::Html => "html",
            Format::Rtf => "rtf",
            Format::Binary => "binary",
        }
    }
}

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub fn detect(bytes: &[u8]) -> Format {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Format::Zip;
    }
    // PDF readers accept the header anywhere in the first kilobyte.
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Format::Pdf;
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Format::Ole;
    }
    if bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes).starts_with(b"{\\rtf") {
        return Format::Rtf;
    }
    if super::html::looks_like_html(bytes) {
        return Format::Html;
    }
    if decode_text(bytes).is_some() {
        Format::Text
    } else {
        Format::Binary
    }
}

/// What a binary file looks like, for a failure reason a person can act on.
pub fn describe_binary(bytes: &[u8]) -> &'static str {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"\x7FELF", "an ELF executable"),
        (b"Rar!", "a RAR archive"),
        (b"\x1F\x8B", "a gzip stream"),
        (b"7z\xBC\xAF", "a 7-Zip archive"),
        (b"{\\rtf", "an RTF document"),
    ];
    SIGNATURES.iter().find(|(m, _)| bytes.starts_with(m)).map(|(_, d)| *d).unwrap_or("binary data")
}

/// What an OLE compound file holds, judged by its stream names (stored as UTF-16LE), with what
/// to do about it.
pub fn describe_ole(bytes: &[u8]) -> &'static str {
    let has = |name: &str| {
        let needle: Vec<u8> = name.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        bytes.windows(needle.len()).any(|w| w == needle.as_slice())
    };
    if has("EncryptedPackage") || has("EncryptionInfo") {
        "an encrypted (password-protected) Office file: open it, remove the password, save it as .docx and run again"
    } else if has("WordDocument") {
        "a legacy binary Word document (.doc): save it as .docx and run again"
    } else if has("Workbook") || has("Book") {
        "a legacy binary Excel workbook (.xls): save it as .xlsx and run again"
    } else {
        "an OLE compound file (legacy binary .doc/.xls or an encrypted Office file): save it as .docx without a password and run again"
    }
}

/// The encoding named for UTF-8 text in which a few byte sequences were not UTF-8 and were
/// replaced by U+FFFD (a document read this way is never `ok`).
pub const UTF8_REPAIRED: &str = "UTF-8 (invalid bytes replaced)";

/// At most one byte sequence in this many may be invalid for text to be read as repaired UTF-8.
const REPAIRABLE_BYTES_PER_ERROR: usize = 1_000;

/// Decodes text: UTF-8 (with or without BOM), UTF-16 with BOM, UTF-16 without BOM (told by the
/// zero bytes of its ASCII characters, all on one side), GB18030 (a superset of GBK and
/// GB2312), else UTF-8 with a few invalid sequences (a download cut and joined, a bad copy):
/// those are replaced by U+FFFD and the encoding says so ([`UTF8_REPAIRED`]). Returns the text
/// and the encoding's name, or `None` when the bytes are not text.
pub fn decode_text(bytes: &[u8]) -> Option<(String, &'static str)> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (std::str::from_utf8(rest).ok()?.to_string(), "UTF-8")
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let (t, had_errors) = UTF_16LE.decode_without_bom_handling(rest);
        (!had_errors).then(|| (t.into_owned(), "UTF-16LE"))?
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let (t, had_errors) = UTF_16BE.decode_without_bom_handling(rest);
        (!had_errors).then(|| (t.into_owned(), "UTF-16BE"))?
    } else if let Some(t) = utf8_allowing_cut_end(bytes) {
        (t.to_string(), "UTF-8")
    } else if let Some(decoded) = utf16_without_bom(bytes) {
        decoded
    } else if let (t, false) = GB18030.decode_without_bom_handling(bytes) {
        (t.into_owned(), "GB18030")
    } else {
        repaired_utf8(bytes)?
    };
    looks_like_text(&text).then_some((text, encoding))
}

/// UTF-16 without a byte-order mark: the zero bytes of its ASCII characters (tabs, line ends,
/// digits) sit at odd offsets (little-endian) or even ones (big-endian), and text has no zero
/// bytes otherwise.
fn utf16_without_bom(bytes: &[u8]) -> Option<(String, &'static str)> {
    if bytes.len() < 4 || bytes.len() % 2 != 0 {
        return None;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let zeros = |parity: usize| sample.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    let pairs = sample.len() / 2;
    let (encoding, codec) = if odd * 20 >= pairs && even * 50 <= odd {
        ("UTF-16LE", UTF_16LE)
    } else if even * 20 >= pairs && odd * 50 <= even {
        ("UTF-16BE", UTF_16BE)
    } else {
        return None;
    };
    let (t, had_errors) = codec.decode_without_bom_handling(bytes);
    (!had_errors).then(|| (t.into_owned(), encoding))
}

/// UTF-8 with a few invalid sequences replaced, when they are few enough that the rest is
/// surely UTF-8.
fn repaired_utf8(bytes: &[u8]) -> Option<(String, &'static str)> {
    let invalid = bytes.utf8_chunks().filter(|c| !c.invalid().is_empty()).count();
    let multibyte = bytes.iter().filter(|&&b| b >= 0xC0).count();
    if invalid == 0 || invalid * REPAIRABLE_BYTES_PER_ERROR > bytes.len() || multibyte < invalid * 10 {
        return None;
    }
    Some((String::from_utf8_lossy(bytes).into_owned(), UTF8_REPAIRED))
}

/// UTF-8, also when the file was cut in the middle of its last character (a truncated download):
/// that partial character is dropped.
pub(crate) fn utf8_allowing_cut_end(bytes: &[u8]) -> Option<&str> {
    match std::str::from_utf8(bytes) {
        Ok(t) => Some(t),
        Err(e) if e.error_len().is_none() && e.valid_up_to() + 4 > bytes.len() => {
            std::str::from_utf8(&bytes[..e.valid_up_to()]).ok()
        }
        Err(_) => None,
    }
}

/// Text has no NUL and almost no other control characters.
fn looks_like_text(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\0' {
            return false;
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0C') {
            control += 1;
        }
    }
    control * 100 <= total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes() {
        assert_eq!(detect(b"PK\x03\x04rest"), Format::Zip);
        assert_eq!(detect(b"%PDF-1.7\n"), Format::Pdf);
        assert_eq!(detect(b"\r\n%PDF-1.4"), Format::Pdf);
        assert_eq!(detect(OLE_MAGIC), Format::Ole);
        assert_eq!(detect(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Format::Binary);
        assert_eq!(describe_binary(b"\x89PNG\r\n\x1a\n\0"), "a PNG image");
        assert_eq!(detect(b"{\\rtf1\\ansi"), Format::Rtf);
        assert_eq!(detect(b"\r\n<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(detect("\t项目名称\n".as_bytes()), Format::Text);
    }

    #[test]
    fn text_encodings() {
        let s = "\t其中：财政资金\r\n";
        assert_eq!(decode_text(s.as_bytes()).unwrap(), (s.to_string(), "UTF-8"));
        let bom = [b"\xEF\xBB\xBF".as_slice(), s.as_bytes()].concat();
        assert_eq!(decode_text(&bom).unwrap().0, s);
        let (gb, _, _) = GB18030.encode(s);
        assert_eq!(decode_text(&gb).unwrap(), (s.to_string(), "GB18030"));
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(s.encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        assert_eq!(decode_text(&utf16).unwrap(), (s.to_string(), "UTF-16LE"));
    }

    #[test]
    fn utf16_without_a_byte_order_mark() {
        let s = "\t项目名称\n\t法院信息化建设\n\t2023\n";
        let le: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode_text(&le).unwrap(), (s.to_string(), "UTF-16LE"));
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(decode_text(&be).unwrap(), (s.to_string(), "UTF-16BE"));
        assert_eq!(detect(&le), Format::Text);
    }

    #[test]
    fn utf8_with_a_few_invalid_bytes_is_repaired_and_says_so() {
        let line = "\t其中：财政资金\t49.70\n".repeat(200);
        let mut bytes = line.as_bytes().to_vec();
        // Between lines, so that no character is cut.
        let at = |k: usize| line.match_indices('\n').nth(k).unwrap().0 + 1;
        let (a, b) = (at(40), at(80));
        bytes.insert(b, 0xC3);
        bytes.insert(a, 0xFF);
        let (text, encoding) = decode_text(&bytes).unwrap();
        assert_eq!(encoding, UTF8_REPAIRED);
        assert_eq!(text.matches('\u{FFFD}').count(), 2);
        // Mostly invalid: not text.
        assert!(repaired_utf8(&[0xFF; 4000]).is_none());
    }

    #[test]
    fn utf8_cut_in_a_character_is_still_text() {
        let s = "\t其中：财政资金";
        let cut = &s.as_bytes()[..s.len() - 1];
        assert_eq!(decode_text(cut).unwrap(), ("\t其中：财政资".to_string(), "UTF-8"));
    }

    #[test]
    fn random_bytes_are_not_text() {
        // A fixed pseudo-random sequence (xorshift), so the test is deterministic.
        let mut x: u32 = 0x9E37_79B9;
        let bytes: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        assert_eq!(detect(&bytes), Format::Binary);
    }
}
