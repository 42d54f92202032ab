//! What a PDF may cost, checked before anything interprets it: the caps of
//! [`crate::ingest::limits`] on nesting, streams, pages and what they draw. A file past one is
//! refused at once, with the cap named, instead of running a reader into the worker's memory or
//! time limit.
//!
//! - [`check_nesting`]: arrays and dictionaries nested deeper than [`MAX_PDF_NESTING`], on the
//!   raw bytes, before lopdf's recursive parser sees them;
//! - [`prepare`], on the loaded document: the page tree read once per page (a `/Kids` list that
//!   names a page twice, or itself, does not make copies); every stream the pages draw with —
//!   contents, Form XObjects, ToUnicode maps and embedded CMaps — inflated once, within
//!   [`MAX_STREAM_BYTES`], and stored inflated, so that no reader inflates it again (a stream
//!   shared by many pages is inflated once but counted for every use against
//!   [`MAX_CONTENT_BYTES`]); operators, shown bytes and Form XObject drawings per page counted
//!   through the forms they draw, with their depth; ranges of ToUnicode maps and CMaps no wider
//!   than [`MAX_CMAP_RANGE`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::content::{self, Operand};
use crate::error::Error;
use crate::ingest::limits::{
    check, MAX_CMAP_RANGE, MAX_CONTENT_BYTES, MAX_FORM_DEPTH, MAX_FORM_DRAWS, MAX_PAGES, MAX_PAGE_GLYPHS,
    MAX_PAGE_OPERATORS, MAX_PDF_NESTING, MAX_STREAM_BYTES,
};

/// Refuses a file whose arrays and dictionaries nest deeper than [`MAX_PDF_NESTING`]. Strings,
/// comments and stream data are skipped; streams inside object streams are not seen here (their
/// parse is bounded by the worker's stack).
pub fn check_nesting(bytes: &[u8]) -> Result<(), Error> {
    let mut depth = 0u64;
    let mut i = 0;
    let n = bytes.len();
    while i < n {
        match bytes[i] {
            b'%' => {
                while i < n && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            // Onto the closing parenthesis; the loop steps past it.
            b'(' => i = content::skip_string(bytes, i) - 1,
            b'[' => depth += 1,
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 1;
            }
            b']' => depth = depth.saturating_sub(1),
            b'>' if bytes.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b's' if bytes[i..].starts_with(b"stream") && !bytes[i..].starts_with(b"streams") => {
                // Stream data, up to its end keyword, may hold any bytes.
                let after = i + b"stream".len();
                if after < n && matches!(bytes[after], b'\r' | b'\n') {
                    i = find(bytes, after, b"endstream").map_or(n, |e| e + b"endstream".len());
                    depth = 0;
                    continue;
                }
            }
            _ => {}
        }
        if depth > MAX_PDF_NESTING {
            // Refused where it first goes past: how much deeper it goes is not measured.
            return check(
                |n| format!("arrays and dictionaries nest {n} deep"),
                depth,
                MAX_PDF_NESTING,
                "MAX_PDF_NESTING",
            );
        }
        i += 1;
    }
    Ok(())
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| from + p)
}

/// What [`prepare`] found.
pub struct Prepared {
    /// The pages in order, each once.
    pub pages: Vec<(u32, ObjectId)>,
    /// What will not be read, for the document's status.
    pub lost: Vec<String>,
}

/// The pages of `doc` in order, each once, with everything they draw inflated and counted.
/// Rewrites the page tree as a flat list when it named a page more than once.
pub fn prepare(doc: &mut Document) -> Result<Prepared, Error> {
    let listed: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let mut seen = BTreeSet::new();
    let unique: Vec<ObjectId> = listed.iter().copied().filter(|id| seen.insert(*id)).collect();
    check(|n| format!("the document has {n} pages"), unique.len() as u64, MAX_PAGES, "MAX_PAGES")?;
    if unique.len() < listed.len() {
        flatten_page_tree(doc, &unique);
    }
    let pages: Vec<(u32, ObjectId)> = unique.into_iter().enumerate().map(|(i, id)| (i as u32 + 1, id)).collect();

    let mut costs = Costs::default();
    for &(number, page) in &pages {
        let resources = page_resources(doc, page);
        let mut cost = Cost::default();
        for id in content_streams(doc, page) {
            let own = costs.stream(doc, id, resources.as_ref(), 0)?;
            cost.add(&own);
        }
        let at = |what: String| format!("page {number}: {what}");
        // The most specific cause first: drawings multiply the operators and text they draw.
        check(|n| at(format!("{n} Form XObjects drawn")), cost.draws, MAX_FORM_DRAWS, "MAX_FORM_DRAWS")?;
        check(|n| at(format!("{n} operators")), cost.operators, MAX_PAGE_OPERATORS, "MAX_PAGE_OPERATORS")?;
        check(|n| at(format!("{n} bytes of shown text")), cost.glyphs, MAX_PAGE_GLYPHS, "MAX_PAGE_GLYPHS")?;
        costs.content_bytes = costs.content_bytes.saturating_add(cost.bytes);
        let used = costs.content_bytes;
        check(|n| format!("the pages draw {n} bytes of content"), used, MAX_CONTENT_BYTES, "MAX_CONTENT_BYTES")?;
        check_fonts(doc, resources.as_ref(), &mut costs)?;
    }
    let mut lost = Vec::new();
    if costs.broken_maps > 0 {
        lost.push(format!(
            "{} font(s) have a ToUnicode map that cannot be read; their glyphs were not read",
            costs.broken_maps
        ));
    }
    Ok(Prepared { pages, lost })
}

/// What drawing a content stream costs, the Form XObjects it draws included (each time).
#[derive(Debug, Default, Clone, Copy)]
struct Cost {
    operators: u64,
    glyphs: u64,
    draws: u64,
    bytes: u64,
}

impl Cost {
    fn add(&mut self, o: &Cost) {
        self.operators = self.operators.saturating_add(o.operators);
        self.glyphs = self.glyphs.saturating_add(o.glyphs);
        self.draws = self.draws.saturating_add(o.draws);
        self.bytes = self.bytes.saturating_add(o.bytes);
    }
}

#[derive(Default)]
struct Costs {
    /// Streams already inflated and measured (a form is measured once, whatever draws it).
    streams: HashMap<ObjectId, Cost>,
    /// Fonts whose maps were checked.
    fonts: BTreeSet<ObjectId>,
    content_bytes: u64,
    /// ToUnicode maps taken off their fonts as unreadable.
    broken_maps: usize,
}

impl Costs {
    /// The cost of drawing stream `id` with `resources` (a form's own resources replace them),
    /// `depth` forms deep.
    fn stream(
        &mut self,
        doc: &mut Document,
        id: ObjectId,
        resources: Option<&Dictionary>,
        depth: u64,
    ) -> Result<Cost, Error> {
        if let Some(c) = self.streams.get(&id) {
            return Ok(*c);
        }
        check(|n| format!("Form XObjects nest {n} deep"), depth, MAX_FORM_DEPTH, "MAX_FORM_DEPTH")?;
        let mut data = inflate(doc, id)?;
        if let Some(stripped) = content::without_inline_images(&data) {
            if let Ok(s) = doc.get_object_mut(id).and_then(Object::as_stream_mut) {
                s.set_content(stripped.clone());
            }
            data = stripped;
        }
        let own_resources = doc
            .get_object(id)
            .ok()
            .and_then(|o| o.as_stream().ok())
            .and_then(|s| s.dict.get(b"Resources").ok())
            .and_then(|r| deref_dict(doc, r));
        let resources = own_resources.or_else(|| resources.cloned());
        let mut cost = Cost { bytes: data.len() as u64, ..Cost::default() };
        let mut drawn: Vec<Vec<u8>> = Vec::new();
        content::scan(&data, |op, operands| {
            cost.operators += 1;
            match op {
                b"Tj" | b"TJ" | b"'" | b"\"" => {
                    for o in operands {
                        cost.glyphs += o.shown_bytes() as u64;
                    }
                }
                b"Do" => {
                    if let Some(Operand::Name(name)) = operands.first() {
                        drawn.push(name.to_vec());
                    }
                }
                _ => {}
            }
        });
        // Forms are measured once each; every drawing adds its cost.
        let mut by_name: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
        for name in drawn {
            *by_name.entry(name).or_default() += 1;
        }
        for (name, times) in by_name {
            let Some(form) = form_id(doc, resources.as_ref(), &name) else { continue };
            if form == id {
                continue;
            }
            let c = self.stream(doc, form, resources.as_ref(), depth + 1)?;
            for _ in 0..times.min(MAX_FORM_DRAWS + 1) {
                cost.add(&c);
                cost.draws = cost.draws.saturating_add(1);
            }
            if times > MAX_FORM_DRAWS {
                cost.draws = u64::MAX;
            }
        }
        self.streams.insert(id, cost);
        Ok(cost)
    }
}

/// Why a stream's bytes could not be had.
pub(crate) enum Undecoded {
    /// Decoding went past [`MAX_STREAM_BYTES`] (the size reached).
    TooBig(u64),
    /// A filter lopdf cannot undo, or data it cannot read.
    Unreadable,
}

/// A stream's bytes, decoded within [`MAX_STREAM_BYTES`]: the one decoder of the PDF reader
/// (the budget pass and the interpreter alike). A deflate stream is inflated by us, capped, so
/// that a few bytes cannot become gigabytes; other filters (and predictors, after the capped
/// inflate) are lopdf's, none of which can expand like that.
pub(crate) fn decoded(stream: &lopdf::Stream) -> Result<std::borrow::Cow<'_, [u8]>, Undecoded> {
    use std::borrow::Cow;
    let filters = stream.filters().unwrap_or_default();
    if filters.is_empty() {
        return Ok(Cow::Borrowed(&stream.content));
    }
    let predictor = stream
        .dict
        .get(b"DecodeParms")
        .and_then(Object::as_dict)
        .ok()
        .and_then(|p| p.get(b"Predictor").ok())
        .and_then(|p| p.as_i64().ok())
        .is_some_and(|p| p > 1);
    if filters == [b"FlateDecode".as_slice()] {
        let mut out = Vec::new();
        // As lopdf does, what inflates before an error is kept.
        let _ =
            flate2::read::ZlibDecoder::new(stream.content.as_slice()).take(MAX_STREAM_BYTES + 1).read_to_end(&mut out);
        if out.len() as u64 > MAX_STREAM_BYTES {
            return Err(Undecoded::TooBig(out.len() as u64));
        }
        if !predictor {
            return Ok(Cow::Owned(out));
        }
    }
    let out = stream.decompressed_content().map_err(|_| Undecoded::Unreadable)?;
    if out.len() as u64 > MAX_STREAM_BYTES {
        return Err(Undecoded::TooBig(out.len() as u64));
    }
    Ok(Cow::Owned(out))
}

/// Inflates stream `id` within [`MAX_STREAM_BYTES`] and stores it inflated; returns its data.
/// Data no filter can read is kept as it is (as lopdf does).
fn inflate(doc: &mut Document, id: ObjectId) -> Result<Vec<u8>, Error> {
    let Ok(stream) = doc.get_object_mut(id).and_then(Object::as_stream_mut) else { return Ok(Vec::new()) };
    if stream.filters().map_or(true, |f| f.is_empty()) {
        return Ok(stream.content.clone());
    }
    let out = match decoded(stream) {
        Ok(data) => data.into_owned(),
        Err(Undecoded::TooBig(n)) => {
            return check(|n| format!("a stream inflates to {n} bytes"), n, MAX_STREAM_BYTES, "MAX_STREAM_BYTES")
                .map(|_| Vec::new())
        }
        Err(Undecoded::Unreadable) => stream.content.clone(),
    };
    stream.dict.remove(b"DecodeParms");
    stream.dict.remove(b"Filter");
    stream.set_content(out.clone());
    Ok(out)
}

/// The ToUnicode maps and embedded CMaps of the fonts a page uses, inflated once, their
/// ranges no wider than [`MAX_CMAP_RANGE`]. A ToUnicode map that cannot be read (not text, a
/// section cut off, a destination that is not UTF-16) is taken off its font: the
/// font's glyphs are then counted as unmapped, and the document cannot be `ok`.
fn check_fonts(doc: &mut Document, resources: Option<&Dictionary>, costs: &mut Costs) -> Result<(), Error> {
    let Some(fonts) = resources.and_then(|r| r.get(b"Font").ok()).and_then(|f| deref_dict(doc, f)) else {
        return Ok(());
    };
    for (_, font) in fonts.iter() {
        let Ok(font_id) = font.as_reference() else { continue };
        if !costs.fonts.insert(font_id) {
            continue;
        }
        let Ok(dict) = doc.get_dictionary(font_id) else { continue };
        let maps: Vec<ObjectId> = [b"ToUnicode".as_slice(), b"Encoding"]
            .iter()
            .filter_map(|k| dict.get(k).ok()?.as_reference().ok())
            .collect();
        let to_unicode = dict.get(b"ToUnicode").and_then(Object::as_reference).ok();
        for id in maps {
            if doc.get_object(id).is_ok_and(|o| o.as_stream().is_ok()) {
                let data = inflate(doc, id)?;
                check_cmap_ranges(&data)?;
                if Some(id) == to_unicode && !readable_to_unicode(&data) {
                    if let Ok(d) = doc.get_object_mut(font_id).and_then(Object::as_dict_mut) {
                        d.remove(b"ToUnicode");
                    }
                    costs.broken_maps += 1;
                }
            }
        }
    }
    Ok(())
}

/// Whether a ToUnicode map can be read: text, every section complete, every destination
/// UTF-16 (a map that is garbage would give garbage text).
fn readable_to_unicode(data: &[u8]) -> bool {
    super::interpret::cmaps::parse(data, true).is_ok()
}

/// Every `begin…range` section of a CMap: each `<lo> <hi>` pair spans at most
/// [`MAX_CMAP_RANGE`] codes.
fn check_cmap_ranges(data: &[u8]) -> Result<(), Error> {
    let text = String::from_utf8_lossy(data);
    let mut rest = text.as_ref();
    while let Some(at) = rest.find("range") {
        let kind = rest[..at].rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
        rest = &rest[at + "range".len()..];
        if !kind.starts_with("begin") {
            continue;
        }
        let body = &rest[..rest.find("endrange").or_else(|| rest.find("end")).unwrap_or(rest.len())];
        // Entries: <lo> <hi>, then for bfrange a destination (<hex> or [..]), for cid- and
        // notdefrange a number, for codespacerange nothing.
        let has_destination = kind != "begincodespace";
        let mut tokens = cmap_tokens(body);
        while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) = (tokens.next(), tokens.next()) {
            let span = hi.saturating_sub(lo).saturating_add(1);
            check(|n| format!("a font's CMap range spans {n} codes"), span, MAX_CMAP_RANGE, "MAX_CMAP_RANGE")?;
            if has_destination {
                tokens.next();
            }
        }
    }
    Ok(())
}

enum Token {
    Hex(u64),
    Other,
}

/// Hex strings (their value, the last 8 bytes), arrays and numbers of a CMap section.
fn cmap_tokens(body: &str) -> impl Iterator<Item = Token> + '_ {
    let mut chars = body.char_indices().peekable();
    std::iter::from_fn(move || loop {
        let (i, c) = chars.next()?;
        match c {
            '<' => {
                let end = body[i..].find('>').map_or(body.len(), |e| i + e);
                while chars.peek().is_some_and(|&(j, _)| j <= end) {
                    chars.next();
                }
                let hex: String = body[i + 1..end].chars().filter(char::is_ascii_hexdigit).collect();
                return Some(Token::Hex(u64::from_str_radix(&hex[hex.len().saturating_sub(16)..], 16).unwrap_or(0)));
            }
            '[' => {
                let end = body[i..].find(']').map_or(body.len(), |e| i + e);
                while chars.peek().is_some_and(|&(j, _)| j <= end) {
                    chars.next();
                }
                return Some(Token::Other);
            }
            c if c.is_ascii_digit() => {
                while chars.peek().is_some_and(|&(_, d)| d.is_ascii_digit()) {
                    chars.next();
                }
                return Some(Token::Other);
            }
            _ => {}
        }
    })
}

/// The content streams of a page, in order.
fn content_streams(doc: &Document, page: ObjectId) -> Vec<ObjectId> {
    let Ok(dict) = doc.get_dictionary(page) else { return Vec::new() };
    match dict.get(b"Contents") {
        Ok(Object::Reference(id)) => match doc.get_object(*id) {
            Ok(Object::Array(a)) => a.iter().filter_map(|o| o.as_reference().ok()).collect(),
            _ => vec![*id],
        },
        Ok(Object::Array(a)) => a.iter().filter_map(|o| o.as_reference().ok()).collect(),
        _ => Vec::new(),
    }
}

fn page_resources(doc: &Document, page: ObjectId) -> Option<Dictionary> {
    let (direct, inherited) = doc.get_page_resources(page).ok()?;
    direct.cloned().or_else(|| inherited.first().and_then(|id| doc.get_dictionary(*id).ok()).cloned())
}

fn deref_dict(doc: &Document, o: &Object) -> Option<Dictionary> {
    match o {
        Object::Reference(id) => doc.get_dictionary(*id).ok().cloned(),
        Object::Dictionary(d) => Some(d.clone()),
        _ => None,
    }
}

/// The Form XObject `name` names in `resources`.
fn form_id(doc: &Document, resources: Option<&Dictionary>, name: &[u8]) -> Option<ObjectId> {
    let xobjects = deref_dict(doc, resources?.get(b"XObject").ok()?)?;
    let id = xobjects.get(name).ok()?.as_reference().ok()?;
    let stream = doc.get_object(id).ok()?.as_stream().ok()?;
    stream.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|s| s == b"Form").then_some(id)
}

/// Makes the page tree one flat list of `pages` under the root, each page carrying what it
/// inherited (resources, boxes, rotation), so that every reader sees each page once.
fn flatten_page_tree(doc: &mut Document, pages: &[ObjectId]) {
    let Ok(root) = doc.catalog().and_then(|c| c.get(b"Pages")).and_then(Object::as_reference) else { return };
    for &page in pages {
        let mut inherited: Vec<(Vec<u8>, Object)> = Vec::new();
        let mut node = doc.get_dictionary(page).ok().and_then(|d| d.get(b"Parent").ok()?.as_reference().ok());
        let mut steps = 0;
        while let (Some(id), true) = (node, steps < 64) {
            steps += 1;
            let Ok(d) = doc.get_dictionary(id) else { break };
            for key in [b"Resources".as_slice(), b"MediaBox", b"CropBox", b"Rotate"] {
                if let Ok(v) = d.get(key) {
                    if !inherited.iter().any(|(k, _)| k == key) {
                        inherited.push((key.to_vec(), v.clone()));
                    }
                }
            }
            node = d.get(b"Parent").ok().and_then(|p| p.as_reference().ok());
        }
        if let Ok(d) = doc.get_dictionary_mut(page) {
            for (k, v) in inherited {
                if !d.has(&k) {
                    d.set(k, v);
                }
            }
            d.set("Parent", Object::Reference(root));
        }
    }
    if let Ok(r) = doc.get_dictionary_mut(root) {
        r.set("Kids", Object::Array(pages.iter().map(|&id| Object::Reference(id)).collect()));
        r.set("Count", Object::Integer(pages.len() as i64));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_measured_outside_strings_and_streams() {
        assert!(check_nesting(b"1 0 obj [[[ (((((( ]]]]]]]]) ]]] endobj").is_ok());
        let deep = format!("1 0 obj {}{} endobj", "[".repeat(300), "]".repeat(300));
        let e = check_nesting(deep.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("MAX_PDF_NESTING"), "{e}");
        let in_stream = format!("1 0 obj << /Length 600 >> stream\n{}\nendstream endobj", "[".repeat(600));
        assert!(check_nesting(in_stream.as_bytes()).is_ok());
        let dicts = "<<".repeat(300);
        assert!(check_nesting(dicts.as_bytes()).is_err());
    }

    #[test]
    fn a_page_listed_twice_is_read_once() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/000_5439077655b7c2d3.pdf");
        let bytes = std::fs::read(path).unwrap();
        let g = crate::grammars::Grammars::builtin();
        let once = super::super::read(&bytes, g).unwrap().document;
        // Every page named three times in the root's /Kids, as hostile or broken writers do.
        let mut doc = Document::load_mem(&bytes).unwrap();
        let root = doc.catalog().unwrap().get(b"Pages").unwrap().as_reference().unwrap();
        let kids = doc.get_dictionary(root).unwrap().get(b"Kids").unwrap().as_array().unwrap().clone();
        let tripled: Vec<Object> = kids.iter().cloned().cycle().take(kids.len() * 3).collect();
        doc.get_dictionary_mut(root).unwrap().set("Kids", Object::Array(tripled));
        assert_eq!(doc.get_pages().len(), kids.len() * 3, "lopdf lists each page three times");
        let mut tripled_bytes = Vec::new();
        doc.save_to(&mut tripled_bytes).unwrap();
        let read = super::super::read(&tripled_bytes, g).unwrap().document;
        assert!(once.tables().count() > 3);
        assert_eq!(read.tables().count(), once.tables().count());
        assert_eq!(read, once);
    }

    #[test]
    fn cmap_ranges_are_bounded() {
        let ok = b"1 begincodespacerange <0000> <FFFF> endcodespacerange 2 beginbfrange <0041> <005A> <0041> <4E00> <4EFF> <4E00> endbfrange";
        // The code space of a two-byte CMap spans 65,536 codes: allowed.
        assert!(check_cmap_ranges(ok).is_ok());
        let wide = b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange";
        let e = check_cmap_ranges(wide).unwrap_err();
        assert!(e.to_string().contains("4294967296 codes"), "{e}");
        // The wide range may come after others on the same line, or after an array.
        let later = b"2 begincidrange <0020> <007e> 1 <0000> <ffffff> 2 endcidrange";
        assert!(check_cmap_ranges(later).is_err());
        let arrays = b"2 beginbfrange <01> <02> [<0041> <0042>] <0000> <ffffff> <0041> endbfrange";
        assert!(check_cmap_ranges(arrays).is_err());
    }
}
