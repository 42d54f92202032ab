//! Predefined CJK CMaps, which pdf-extract does not know (it panics on them).
//!
//! Chinese office and typesetting software writes non-embedded fonts as Type0 fonts whose
//! `/Encoding` is a predefined CMap name and which often carry no `/ToUnicode`. The byte codes of
//! the common ones are themselves an encoding of the text: GBK/GB18030 for `GBK-EUC-H`,
//! `GBpc-EUC-H`, `GBK2K-H`, `GB-EUC-H`, `GBKp-EUC-H`; UCS-2/UTF-16BE for `UniGB-UCS2-H` and
//! `UniGB-UTF16-H`. Before pdf-extract runs, each such font gets an embedded CMap stream with the
//! same code space (so codes are split as the original CMap would) and a `/ToUnicode` map for
//! every code the document shows with it, decoded with `encoding_rs`.
//!
//! CIDs (used only to look up glyph widths) are the codes themselves (see [`cid_ranges`]), so
//! widths come from the font's default width or a wrong `/W` entry: positions within a line may
//! drift; cell assignment uses each glyph's own origin and does not depend on them.

use std::collections::{BTreeMap, BTreeSet};

use encoding_rs::GB18030;
use pdf_extract::content::Content;
use pdf_extract::{Dictionary, Document, Object, ObjectId, Stream};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One byte below 0x81, else two.
    Gbk,
    /// Two bytes, UCS-2 / UTF-16BE code units.
    Ucs2,
}

fn kind(name: &[u8]) -> Option<Kind> {
    match name {
        b"GBK-EUC-H" | b"GBK-EUC-V" | b"GBpc-EUC-H" | b"GBpc-EUC-V" | b"GBK2K-H" | b"GBK2K-V" | b"GB-EUC-H"
        | b"GB-EUC-V" | b"GBKp-EUC-H" | b"GBKp-EUC-V" => Some(Kind::Gbk),
        b"UniGB-UCS2-H" | b"UniGB-UCS2-V" | b"UniGB-UTF16-H" | b"UniGB-UTF16-V" => Some(Kind::Ucs2),
        _ => None,
    }
}

fn codes(kind: Kind, bytes: &[u8]) -> Vec<u32> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i] as u32;
        let two = match kind {
            Kind::Gbk => b >= 0x81 && i + 1 < bytes.len(),
            Kind::Ucs2 => i + 1 < bytes.len(),
        };
        if two {
            out.push(b << 8 | bytes[i + 1] as u32);
            i += 2;
        } else {
            out.push(b);
            i += 1;
        }
    }
    out
}

fn unicode(kind: Kind, code: u32) -> Option<String> {
    match kind {
        Kind::Gbk => {
            let bytes: Vec<u8> = if code < 0x100 { vec![code as u8] } else { vec![(code >> 8) as u8, code as u8] };
            let (s, _, bad) = GB18030.decode(&bytes);
            let s = s.into_owned();
            (!bad).then_some(s)
        }
        Kind::Ucs2 => char::from_u32(code).map(String::from),
    }
}

/// Rewrites fonts with predefined CJK CMaps so that pdf-extract can read them. Returns the names
/// of the CMaps handled.
pub fn embed_predefined_cmaps(doc: &mut Document) -> Vec<String> {
    // Font objects (by id) with a predefined encoding we know.
    let mut fonts: BTreeMap<ObjectId, Kind> = BTreeMap::new();
    let mut names = BTreeSet::new();
    for (id, object) in &doc.objects {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Type0".as_slice()) {
            continue;
        }
        if let Ok(name) = dict.get(b"Encoding").and_then(Object::as_name) {
            if let Some(k) = kind(name) {
                fonts.insert(*id, k);
                names.insert(String::from_utf8_lossy(name).into_owned());
            }
        }
    }
    if fonts.is_empty() {
        return Vec::new();
    }
    // Every code shown with each of those fonts.
    let mut used: BTreeMap<ObjectId, BTreeSet<u32>> = BTreeMap::new();
    let mut streams: Vec<(Vec<u8>, Option<Dictionary>)> = Vec::new();
    for (_, page_id) in doc.get_pages() {
        let resources = doc.get_page_resources(page_id).ok().and_then(|(direct, inherited)| {
            direct.cloned().or_else(|| inherited.first().and_then(|id| doc.get_dictionary(*id).ok()).cloned())
        });
        if let Ok(content) = doc.get_page_content(page_id) {
            streams.push((content, resources));
        }
    }
    for object in doc.objects.values() {
        if let Ok(s) = object.as_stream() {
            if s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form".as_slice()) {
                let resources = s.dict.get(b"Resources").ok().and_then(|o| deref(doc, o).as_dict().ok()).cloned();
                if let Ok(content) = s.decompressed_content() {
                    streams.push((content, resources));
                }
            }
        }
    }
    for (content, resources) in &streams {
        collect_codes(doc, content, resources.as_ref(), &fonts, &mut used);
    }
    for (id, k) in fonts {
        let codes = used.remove(&id).unwrap_or_default();
        let encoding = doc.add_object(Stream::new(Dictionary::new(), encoding_cmap(k).into_bytes()));
        let to_unicode = doc.add_object(Stream::new(Dictionary::new(), to_unicode_cmap(k, &codes).into_bytes()));
        if let Ok(dict) = doc.get_object_mut(id).and_then(Object::as_dict_mut) {
            dict.set("Encoding", Object::Reference(encoding));
            dict.set("ToUnicode", Object::Reference(to_unicode));
        }
    }
    names.into_iter().collect()
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn collect_codes(
    doc: &Document,
    content: &[u8],
    resources: Option<&Dictionary>,
    fonts: &BTreeMap<ObjectId, Kind>,
    used: &mut BTreeMap<ObjectId, BTreeSet<u32>>,
) {
    let Ok(content) = Content::decode(content) else { return };
    let font_dict = resources.and_then(|r| r.get(b"Font").ok()).map(|o| deref(doc, o)).and_then(|o| o.as_dict().ok());
    let mut current: Option<(ObjectId, Kind)> = None;
    for op in &content.operations {
        match op.operator.as_str() {
            "Tf" => {
                current = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|name| font_dict?.get(name).ok()?.as_reference().ok())
                    .and_then(|id| fonts.get(&id).map(|k| (id, *k)));
            }
            "Tj" | "'" | "\"" | "TJ" => {
                let Some((id, k)) = current else { continue };
                let set = used.entry(id).or_default();
                for operand in &op.operands {
                    let strings: Vec<&[u8]> = match operand {
                        Object::String(bytes, _) => vec![bytes.as_slice()],
                        Object::Array(items) => items.iter().filter_map(|i| i.as_str().ok()).collect(),
                        _ => Vec::new(),
                    };
                    for s in strings {
                        set.extend(codes(k, s));
                    }
                }
            }
            _ => {}
        }
    }
}

/// The encoding CMap pdf-extract reads. adobe-cmap-parser takes a code space range's byte width
/// as *half* the bytes of its hex strings, so each range is written with twice the bytes
/// (leading zero bytes keep the value): `<0000> <0080>` is one-byte codes 00–80.
fn encoding_cmap(kind: Kind) -> String {
    let (space, ranges) = match kind {
        Kind::Gbk => (
            "2 begincodespacerange\n<0000> <0080>\n<00008140> <0000FEFE>\nendcodespacerange\n",
            cid_ranges(&[("00", "80"), ("8140", "FEFE")]),
        ),
        Kind::Ucs2 => {
            ("1 begincodespacerange\n<00000000> <0000FFFF>\nendcodespacerange\n", cid_ranges(&[("0000", "FFFF")]))
        }
    };
    format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /BudgetExtract-Predefined def\n/CMapType 1 def\n{space}{ranges}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
}

/// Code = CID ranges, one per `begincidrange` block. Two quirks of pdf-extract decide this:
/// adobe-cmap-parser misreads blocks of more than one range, and pdf-extract computes a CID as
/// `code + dst_CID_lo` and looks the ToUnicode map up by that CID, so only an identity mapping
/// keeps the ToUnicode map (keyed by code) working.
fn cid_ranges(ranges: &[(&str, &str)]) -> String {
    ranges.iter().map(|(lo, hi)| format!("1 begincidrange\n<{lo}> <{hi}> 0\nendcidrange\n")).collect()
}

fn to_unicode_cmap(kind: Kind, codes: &BTreeSet<u32>) -> String {
    let space = match kind {
        Kind::Gbk => "2 begincodespacerange\n<00> <80>\n<8140> <FEFE>\nendcodespacerange\n",
        Kind::Ucs2 => "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    };
    let mut entries: Vec<String> = Vec::new();
    for &code in codes {
        let Some(text) = unicode(kind, code) else { continue };
        let hex_code = match (kind, code < 0x100) {
            (Kind::Gbk, true) => format!("{code:02X}"),
            _ => format!("{code:04X}"),
        };
        let utf16: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
        entries.push(format!("<{hex_code}> <{utf16}>"));
    }
    let mut out = format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /BudgetExtract-UCS def\n/CMapType 2 def\n{space}"
    );
    // At most 100 entries per block, as the CMap format requires.
    for chunk in entries.chunks(100) {
        out.push_str(&format!("{} beginbfchar\n{}\nendbfchar\n", chunk.len(), chunk.join("\n")));
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_codes_split_one_or_two_bytes() {
        // "≥217件" in GBK: A1DD 32 31 37 BCFE.
        let (gbk, _, _) = GB18030.encode("≥217件");
        assert_eq!(codes(Kind::Gbk, &gbk), vec![0xA1DD, 0x32, 0x31, 0x37, 0xBCFE]);
        assert_eq!(unicode(Kind::Gbk, 0xBCFE).as_deref(), Some("件"));
        assert_eq!(unicode(Kind::Gbk, 0x32).as_deref(), Some("2"));
    }

    #[test]
    fn ucs2_codes_are_code_units() {
        assert_eq!(codes(Kind::Ucs2, &[0x4E, 0x00, 0x00, 0x31]), vec![0x4E00, 0x31]);
        assert_eq!(unicode(Kind::Ucs2, 0x4E00).as_deref(), Some("一"));
    }
}
