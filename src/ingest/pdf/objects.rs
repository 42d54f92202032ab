//! Loading only the objects the pages use.
//!
//! lopdf loads every object of a file up front, and its parser counts the lines from the start
//! of the file for each one (`nom_locate`): O(n²) in the file's size. Chromium's PDFs hold a
//! Type 3 font with a content stream per glyph (2,191 objects in a 720 KB file), most of which
//! nothing here reads — a glyph's procedure draws it, the text comes from the font's encoding
//! and widths. So, for files with classic cross-reference tables, the table is read here and
//! only the objects reachable from the catalog's page tree are parsed (by lopdf's parser, one
//! at a time), leaving out the subtrees no reader of ours looks at ([`SKIPPED`]). Anything
//! unexpected — an encrypted file, a cross-reference stream, a damaged table, an object that
//! does not parse — returns `None`, and the caller loads the whole file with lopdf as before.

use std::collections::{BTreeMap, HashSet};

use lopdf::xref::{Xref, XrefEntry, XrefType};
use lopdf::{Dictionary, Document, Object, ObjectId, Reader};

/// Dictionary keys whose values no reader of ours looks at: Type 3 glyph procedures, the way
/// back up the page tree (its nodes are reached going down), annotations, metadata, the
/// logical structure, outlines, thumbnails and application data.
const SKIPPED: &[&[u8]] =
    &[b"CharProcs", b"Parent", b"Annots", b"Metadata", b"StructTreeRoot", b"Outlines", b"Thumb", b"PieceInfo", b"B"];

/// Cross-reference sections followed through `/Prev` at most (incremental updates).
const MAX_SECTIONS: usize = 64;

/// The document with the objects its pages use, or `None` when the file is not one this reader
/// takes (the caller loads it whole).
pub fn load_pages_objects(bytes: &[u8]) -> Option<Document> {
    // Offsets count from the header, as lopdf counts them.
    let start = bytes.windows(5).position(|w| w == b"%PDF-")?;
    let buffer = &bytes[start..];
    let version = header_version(buffer)?;
    let (reference_table, trailer) = cross_references(buffer)?;
    let mut document = Document::new();
    document.version = version;
    document.max_id = reference_table.max_id();
    document.reference_table = reference_table;
    document.trailer = trailer;
    let reader = Reader { buffer, document, encryption_state: None, raw_objects: BTreeMap::new() };
    let roots = [b"Root".as_slice(), b"Info"].into_iter().filter_map(|k| reader.document.trailer.get(k).ok());
    let mut pending: Vec<ObjectId> = roots.filter_map(|o| o.as_reference().ok()).collect();
    let mut objects: BTreeMap<ObjectId, Object> = BTreeMap::new();
    while let Some(id) = pending.pop() {
        if objects.contains_key(&id) {
            continue;
        }
        // A reference to an object the table does not hold is null (as lopdf reads it).
        if !matches!(reader.document.reference_table.get(id.0), Some(XrefEntry::Normal { generation, .. }) if *generation == id.1)
        {
            if matches!(reader.document.reference_table.get(id.0), Some(XrefEntry::Compressed { .. })) {
                return None;
            }
            continue;
        }
        let object = reader.get_object(id, &mut HashSet::new()).ok()?;
        references(&object, &mut pending);
        objects.insert(id, object);
    }
    let mut document = reader.document;
    document.objects = objects;
    Some(document)
}

/// `%PDF-1.7` → `1.7`.
fn header_version(buffer: &[u8]) -> Option<String> {
    let line = buffer.get(5..buffer.len().min(16))?;
    let version: String = line.iter().take_while(|b| b.is_ascii_digit() || **b == b'.').map(|&b| b as char).collect();
    (!version.is_empty()).then_some(version)
}

/// The references an object holds, but for the values of [`SKIPPED`] keys.
fn references(object: &Object, out: &mut Vec<ObjectId>) {
    match object {
        Object::Reference(id) => out.push(*id),
        Object::Array(items) => items.iter().for_each(|o| references(o, out)),
        Object::Dictionary(dict) => dict_references(dict, out),
        Object::Stream(stream) => dict_references(&stream.dict, out),
        _ => {}
    }
}

fn dict_references(dict: &Dictionary, out: &mut Vec<ObjectId>) {
    for (key, value) in dict.iter() {
        if !SKIPPED.contains(&key.as_slice()) {
            references(value, out);
        }
    }
}

/// The cross-reference table, newest section first (an object's newest entry wins), and the
/// newest trailer; `None` unless every section is a classic table and nothing is encrypted.
fn cross_references(buffer: &[u8]) -> Option<(Xref, Dictionary)> {
    let mut table = Xref::new(0, XrefType::CrossReferenceTable);
    let mut trailer: Option<Dictionary> = None;
    let mut at = start_xref(buffer)?;
    let mut seen = HashSet::new();
    while seen.insert(at) {
        if seen.len() > MAX_SECTIONS {
            return None;
        }
        let (entries, keys) = classic_section(buffer, at)?;
        for (id, entry) in entries {
            table.entries.entry(id).or_insert(entry);
        }
        if keys.encrypted || keys.hybrid {
            return None;
        }
        let prev = keys.prev;
        if trailer.is_none() {
            let mut dict = Dictionary::new();
            dict.set("Root", Object::Reference(keys.root?));
            if let Some(info) = keys.info {
                dict.set("Info", Object::Reference(info));
            }
            dict.set("Size", Object::Integer(i64::from(keys.size?)));
            trailer = Some(dict);
        }
        match prev {
            Some(p) => at = p,
            None => break,
        }
    }
    let trailer = trailer?;
    table.size = table.max_id() + 1;
    Some((table, trailer))
}

/// The offset `startxref` gives, from the file's last 1,024 bytes.
fn start_xref(buffer: &[u8]) -> Option<usize> {
    let tail_at = buffer.len().saturating_sub(1024);
    let tail = &buffer[tail_at..];
    let at = tail.windows(9).rposition(|w| w == b"startxref")?;
    let digits: String = tail[at + 9..]
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| b as char)
        .collect();
    let offset: usize = digits.parse().ok()?;
    (offset < buffer.len()).then_some(offset)
}

/// What this reader needs of a trailer.
#[derive(Default)]
struct TrailerKeys {
    root: Option<ObjectId>,
    info: Option<ObjectId>,
    size: Option<u32>,
    prev: Option<usize>,
    encrypted: bool,
    /// A hybrid file's `/XRefStm`: part of its table is a stream.
    hybrid: bool,
}

/// One classic section at `at`: `xref`, subsections of 20-byte entries, `trailer << … >>`.
fn classic_section(buffer: &[u8], at: usize) -> Option<(Vec<(u32, XrefEntry)>, TrailerKeys)> {
    let mut words = Words { buffer, at };
    if words.next()? != b"xref" {
        return None;
    }
    let mut entries = Vec::new();
    loop {
        let word = words.next()?;
        if word == b"trailer" {
            break;
        }
        let first: u32 = number(word)?;
        let count: u32 = number(words.next()?)?;
        if count as usize > buffer.len() / 18 {
            return None;
        }
        for k in 0..count {
            let offset: u64 = number(words.next()?)?;
            let generation: u32 = number(words.next()?)?;
            let kind = words.next()?;
            let entry = match kind {
                b"n" => XrefEntry::Normal {
                    offset: u32::try_from(offset).ok()?,
                    generation: u16::try_from(generation).ok()?,
                },
                b"f" => XrefEntry::Free,
                _ => return None,
            };
            entries.push((first.checked_add(k)?, entry));
        }
    }
    Some((entries, trailer_keys(buffer, words.at)?))
}

/// The keys of the trailer dictionary starting at `at` that this reader needs; `None` when it
/// holds anything it cannot follow (nested dictionaries are allowed, not read).
fn trailer_keys(buffer: &[u8], at: usize) -> Option<TrailerKeys> {
    let mut words = Words { buffer, at };
    if words.next()? != b"<<" {
        return None;
    }
    let mut keys = TrailerKeys::default();
    let mut depth = 1;
    let mut last: Vec<&[u8]> = Vec::new();
    while depth > 0 {
        let word = words.next()?;
        match word {
            b"<<" => depth += 1,
            b">>" => depth -= 1,
            b"R" if depth == 1 && last.len() >= 3 => {
                let id = (number(last[last.len() - 2])?, number::<u16>(last[last.len() - 1])?);
                match last[last.len() - 3] {
                    b"/Root" => keys.root = Some(id),
                    b"/Info" => keys.info = Some(id),
                    _ => {}
                }
            }
            b"/Encrypt" if depth == 1 => keys.encrypted = true,
            b"/XRefStm" if depth == 1 => keys.hybrid = true,
            _ => {}
        }
        if depth == 1 && !last.is_empty() && word.first().is_some_and(u8::is_ascii_digit) {
            match last[last.len() - 1] {
                b"/Size" => keys.size = number(word),
                b"/Prev" => keys.prev = number(word),
                _ => {}
            }
        }
        last.push(word);
        if last.len() > 4 {
            last.remove(0);
        }
    }
    Some(keys)
}

fn number<T: std::str::FromStr>(word: &[u8]) -> Option<T> {
    std::str::from_utf8(word).ok()?.parse().ok()
}

/// The words of a cross-reference section and its trailer: runs of regular characters, names
/// (`/Root`), and the delimiters `<<`, `>>`, `[`, `]` as words of their own. Strings and
/// comments are not expected here (a trailer's `/ID` strings are skipped as words).
struct Words<'a> {
    buffer: &'a [u8],
    at: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let b = self.buffer;
        while self.at < b.len() && (b[self.at].is_ascii_whitespace() || b[self.at] == 0) {
            self.at += 1;
        }
        let start = self.at;
        let first = *b.get(start)?;
        let delimiter = |c: u8| c.is_ascii_whitespace() || b"()<>[]{}/%".contains(&c);
        self.at += match first {
            b'<' | b'>' if b.get(start + 1) == Some(&first) => 2,
            b'<' => 1 + b[start + 1..].iter().position(|&c| c == b'>')? + 1,
            b'(' => {
                // A literal string, nested parentheses and escapes counted.
                let (mut depth, mut k) = (0usize, start);
                loop {
                    match *b.get(k)? {
                        b'\\' => k += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    k += 1;
                }
                k + 1 - start
            }
            b'[' | b']' | b'>' | b')' | b'{' | b'}' => 1,
            b'/' => 1 + b[start + 1..].iter().take_while(|&&c| !delimiter(c)).count(),
            _ => b[start..].iter().take_while(|&&c| !delimiter(c)).count().max(1),
        };
        Some(&b[start..self.at])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small PDF written by hand with a classic table; `extra` is appended to the trailer.
    fn pdf(extra: &str) -> Vec<u8> {
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R /Metadata 6 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length 21 >>\nstream\nBT /F1 9 Tf (x) Tj ET\nendstream",
            "<< /Type /Font /Subtype /Type3 /CharProcs << /x 7 0 R >> /FontMatrix [0.001 0 0 0.001 0 0] >>",
            "<< /Type /Metadata /Length 0 >>\nstream\n\nendstream",
            "<< /Length 0 >>\nstream\n\nendstream",
        ];
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (k, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", k + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R /ID [<ab12> <ab12>] {extra}>>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    #[test]
    fn only_what_the_pages_use_is_loaded() {
        let doc = load_pages_objects(&pdf("")).expect("a classic table");
        let ids: Vec<u32> = doc.objects.keys().map(|id| id.0).collect();
        // Not the glyph procedure (7) nor the metadata (6).
        assert_eq!(ids, vec![1, 2, 3, 4, 5]);
        assert_eq!(doc.get_pages().len(), 1);
        // The same objects as lopdf's whole load gives.
        let whole = Document::load_mem(&pdf("")).unwrap();
        for (id, object) in &doc.objects {
            assert_eq!(format!("{object:?}"), format!("{:?}", whole.objects[id]));
        }
    }

    #[test]
    fn files_this_reader_does_not_take_go_back_to_the_whole_load() {
        assert!(load_pages_objects(&pdf("/Encrypt 9 0 R ")).is_none());
        assert!(load_pages_objects(&pdf("/XRefStm 123 ")).is_none());
        let mut damaged = pdf("");
        let at = damaged.windows(5).position(|w| w == b"\nxref").unwrap();
        damaged[at + 1] = b'y';
        assert!(load_pages_objects(&damaged).is_none());
        assert!(load_pages_objects(b"%PDF-1.4\nnothing").is_none());
    }
}
