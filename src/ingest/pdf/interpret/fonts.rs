//! Fonts as the interpreter needs them: how shown bytes split into codes, each code's advance
//! and text. Nothing of a font program is read except a Type 1 program's built-in encoding (for
//! fonts that rely on it and have no ToUnicode map): positions come from the PDF's own metrics
//! (`/Widths`, `/W`, the standard 14 fonts' widths), as viewers place glyphs.

use std::borrow::Cow;
use std::sync::Arc;

use lopdf::{Dictionary, Document, Object};

use super::cmaps::{self, CidMapping, CodeSpace, EmbeddedCMap, TextCoding, ToUnicode};
use super::stream_data;
use super::tables::{self, BaseEncoding, StandardMetrics};

/// A glyph advance (1/1000 em) for simple fonts that give none: neither `/Widths` nor a standard
/// font's metrics nor a `/MissingWidth`. Half an em is the common Latin advance, and a glyph
/// must advance for the words and cells after it to be placed at all.
const UNKNOWN_WIDTH: f64 = 500.0;

/// One code of a shown string, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct FontGlyph {
    /// The text it stands for; None when the font does not say (counted as unmapped).
    pub text: Option<String>,
    /// Horizontal advance in text space per unit of font size (glyph space / 1000, or through a
    /// Type 3 font's matrix).
    pub advance: f64,
    /// Vertical writing: the advance down the column (negative, per unit of font size) and the
    /// position vector from the horizontal origin to the vertical one.
    pub vertical: Option<VerticalMetrics>,
    /// The single byte 32: word spacing (`Tw`) applies to it.
    pub is_word_space: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VerticalMetrics {
    pub advance: f64,
    pub origin_x: f64,
    pub origin_y: f64,
}

#[derive(Debug)]
pub struct Font {
    /// `/BaseFont` (or the Type 3 font's `/Name`), as written.
    pub name: Arc<str>,
    kind: Kind,
    to_unicode: Option<ToUnicode>,
}

#[derive(Debug)]
enum Kind {
    Simple(SimpleFont),
    Composite(CompositeFont),
}

#[derive(Debug)]
struct SimpleFont {
    /// Advance of each code (1/1000 em, or glyph space units for Type 3).
    widths: Vec<f64>,
    /// Text of each code from the encoding and glyph names.
    texts: Vec<Option<Cow<'static, str>>>,
    /// Type 3: glyph space → text space.
    font_matrix: Option<[f64; 6]>,
}

#[derive(Debug)]
struct CompositeFont {
    mapping: CidMapping,
    codespace: CodeSpace,
    default_width: f64,
    /// (first CID, last CID, width), sorted by first CID.
    widths: Vec<(u32, u32, f64)>,
    /// `/DW2`: (origin y, advance) for vertical writing.
    default_vertical: (f64, f64),
    /// `/W2`: (first CID, last CID, advance, origin x, origin y).
    vertical_widths: Vec<(u32, u32, f64, f64, f64)>,
}

impl Font {
    /// The font `dict` describes. Never fails: what cannot be read falls back to what viewers
    /// assume (widths of 0 or the default width, no text).
    pub fn load(doc: &Document, dict: &Dictionary) -> Font {
        let subtype = name_of(doc, dict, b"Subtype").unwrap_or_default();
        let name: Arc<str> = name_of(doc, dict, b"BaseFont")
            .or_else(|| name_of(doc, dict, b"Name"))
            .map(|n| String::from_utf8_lossy(&n).into())
            .unwrap_or_else(|| "".into());
        let to_unicode = resolve(doc, dict.get(b"ToUnicode").ok())
            .and_then(|o| o.as_stream().ok())
            .and_then(|s| stream_data(s))
            .and_then(|data| cmaps::parse(&data, false).ok())
            .map(ToUnicode::from_parsed)
            .filter(|m| !m.is_empty());
        let kind = match subtype.as_slice() {
            b"Type0" => Kind::Composite(composite(doc, dict)),
            b"Type3" => Kind::Simple(simple(doc, dict, &name, true)),
            _ => Kind::Simple(simple(doc, dict, &name, false)),
        };
        Font { name, kind, to_unicode }
    }

    /// Whether the font writes in columns (a `-V` CMap, `/WMode 1`).
    pub fn is_vertical(&self) -> bool {
        matches!(&self.kind, Kind::Composite(c) if c.mapping.vertical())
    }

    /// Type 3 fonts map glyph space to text space through their own matrix.
    pub fn font_matrix(&self) -> Option<[f64; 6]> {
        match &self.kind {
            Kind::Simple(s) => s.font_matrix,
            Kind::Composite(_) => None,
        }
    }

    /// Calls `f` for each code of `bytes`, in order.
    pub fn decode(&self, bytes: &[u8], mut f: impl FnMut(FontGlyph)) {
        match &self.kind {
            Kind::Simple(s) => {
                for &b in bytes {
                    let code = usize::from(b);
                    let text = self
                        .to_unicode
                        .as_ref()
                        .and_then(|m| m.text(u32::from(b)))
                        .or_else(|| s.texts[code].as_ref().map(|t| t.to_string()));
                    let advance = match s.font_matrix {
                        Some(m) => s.widths[code] * m[0],
                        None => s.widths[code] / 1000.0,
                    };
                    f(FontGlyph { text, advance, vertical: None, is_word_space: b == 32 });
                }
            }
            Kind::Composite(c) => {
                let mut rest = bytes;
                while !rest.is_empty() {
                    let (code, len) = c.codespace.next_code(rest);
                    let code_bytes = &rest[..len];
                    rest = &rest[len..];
                    let cid = c.mapping.cid(code);
                    let text = self
                        .to_unicode
                        .as_ref()
                        .and_then(|m| m.text(code))
                        .or_else(|| c.mapping.text_coding().and_then(|k| coded_text(k, code_bytes)));
                    let width = c.width(cid);
                    let vertical = c.mapping.vertical().then(|| c.vertical(cid, width));
                    f(FontGlyph { text, advance: width / 1000.0, vertical, is_word_space: len == 1 && code == 32 });
                }
            }
        }
    }
}

impl CompositeFont {
    fn width(&self, cid: u32) -> f64 {
        let i = self.widths.partition_point(|w| w.0 <= cid);
        match i.checked_sub(1).map(|i| self.widths[i]) {
            Some((_, last, w)) if cid <= last => w,
            _ => self.default_width,
        }
    }

    fn vertical(&self, cid: u32, width: f64) -> VerticalMetrics {
        let found = self.vertical_widths.iter().find(|v| v.0 <= cid && cid <= v.1);
        let (advance, origin_x, origin_y) = match found {
            Some(&(_, _, a, x, y)) => (a, x, y),
            None => (self.default_vertical.1, width / 2.0, self.default_vertical.0),
        };
        VerticalMetrics { advance: advance / 1000.0, origin_x: origin_x / 1000.0, origin_y: origin_y / 1000.0 }
    }
}

/// The text of a predefined CMap's code without a ToUnicode map.
fn coded_text(coding: TextCoding, bytes: &[u8]) -> Option<String> {
    let text = match coding {
        TextCoding::Gbk => {
            let (s, _, bad) = encoding_rs::GB18030.decode(bytes);
            (!bad).then(|| s.into_owned())?
        }
        TextCoding::Utf16 => {
            let units: Vec<u16> =
                bytes.chunks(2).map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)])).collect();
            String::from_utf16(&units).ok()?
        }
    };
    (!text.is_empty()).then_some(text)
}

fn resolve<'a>(doc: &'a Document, o: Option<&'a Object>) -> Option<&'a Object> {
    match o? {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}

fn name_of(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<Vec<u8>> {
    resolve(doc, dict.get(key).ok())?.as_name().ok().map(<[u8]>::to_vec)
}

fn number(doc: &Document, o: &Object) -> Option<f64> {
    match resolve(doc, Some(o))? {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

fn array<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Vec<Object>> {
    resolve(doc, dict.get(key).ok())?.as_array().ok()
}

fn dict<'a>(doc: &'a Document, o: Option<&'a Object>) -> Option<&'a Dictionary> {
    resolve(doc, o)?.as_dict().ok()
}

fn simple(doc: &Document, font: &Dictionary, name: &str, type3: bool) -> SimpleFont {
    let descriptor = dict(doc, font.get(b"FontDescriptor").ok());
    // Code → glyph name: the base encoding, then /Differences.
    let encoding = resolve(doc, font.get(b"Encoding").ok());
    let mut names: Vec<Option<Cow<'static, str>>> = vec![None; 256];
    let base_name = match encoding {
        Some(Object::Name(n)) => Some(n.clone()),
        Some(Object::Dictionary(d)) => name_of(doc, d, b"BaseEncoding"),
        _ => None,
    };
    let symbolic = descriptor
        .and_then(|d| d.get(b"Flags").ok())
        .and_then(|f| number(doc, f))
        .is_some_and(|flags| (flags as i64) & 4 != 0);
    let base = base_name.as_deref().and_then(BaseEncoding::by_name);
    let subtype = name_of(doc, font, b"Subtype").unwrap_or_default();
    let builtin = if base.is_none() && !type3 && subtype != b"TrueType" {
        descriptor.and_then(|d| type1_builtin_encoding(doc, d))
    } else {
        None
    };
    match (base, builtin) {
        (Some(b), _) => fill_from(&mut names, b),
        (None, Some(table)) => names = table,
        // Type 3 fonts have no base encoding: only their /Differences name glyphs.
        (None, None) if type3 => {}
        (None, None) if subtype == b"TrueType" && !symbolic => fill_from(&mut names, BaseEncoding::WinAnsi),
        (None, None) => fill_from(&mut names, BaseEncoding::Standard),
    }
    if let Some(Object::Dictionary(d)) = encoding {
        if let Some(differences) = array(doc, d, b"Differences") {
            let mut code = 0usize;
            for item in differences {
                match resolve(doc, Some(item)) {
                    Some(Object::Integer(i)) => code = (*i).clamp(0, 256) as usize,
                    Some(Object::Name(n)) => {
                        if code < 256 {
                            names[code] = Some(Cow::Owned(String::from_utf8_lossy(n).into_owned()));
                        }
                        code += 1;
                    }
                    _ => {}
                }
            }
        }
    }
    let texts: Vec<Option<Cow<'static, str>>> =
        names.iter().map(|n| n.as_ref().and_then(|n| tables::glyph_text(n.as_bytes()))).collect();

    // Widths: /Widths from /FirstChar; else the standard font's metrics; else /MissingWidth.
    let missing = descriptor.and_then(|d| d.get(b"MissingWidth").ok()).and_then(|w| number(doc, w));
    let mut widths = vec![missing.unwrap_or(if type3 { 0.0 } else { UNKNOWN_WIDTH }); 256];
    let first = font.get(b"FirstChar").ok().and_then(|f| number(doc, f)).unwrap_or(0.0).max(0.0) as usize;
    let standard = StandardMetrics::by_base_font(name.as_bytes());
    match array(doc, font, b"Widths") {
        Some(list) => {
            // Codes outside /FirstChar…/LastChar: the standard metrics when the font is one of
            // them, else /MissingWidth (0 by the standard; ours above when absent).
            if let Some(metrics) = &standard {
                for (code, text) in texts.iter().enumerate() {
                    if let Some(w) = text.as_deref().and_then(|t| metrics.width(t)) {
                        widths[code] = w;
                    }
                }
            } else if missing.is_none() {
                widths.iter_mut().for_each(|w| *w = 0.0);
            }
            for (k, w) in list.iter().enumerate() {
                if let (Some(slot), Some(w)) = (widths.get_mut(first + k), number(doc, w)) {
                    *slot = w;
                }
            }
        }
        None => {
            if let Some(metrics) = &standard {
                for (code, text) in texts.iter().enumerate() {
                    if let Some(w) = text.as_deref().and_then(|t| metrics.width(t)) {
                        widths[code] = w;
                    }
                }
            }
        }
    }
    let font_matrix = type3.then(|| {
        array(doc, font, b"FontMatrix")
            .map(|a| a.iter().filter_map(|o| number(doc, o)).collect::<Vec<_>>())
            .filter(|m| m.len() == 6)
            .map_or([0.001, 0.0, 0.0, 0.001, 0.0, 0.0], |m| [m[0], m[1], m[2], m[3], m[4], m[5]])
    });
    SimpleFont { widths, texts, font_matrix }
}

fn fill_from(names: &mut [Option<Cow<'static, str>>], base: BaseEncoding) {
    for (code, slot) in names.iter_mut().enumerate() {
        *slot = base.glyph_name(code as u8).map(Cow::Borrowed);
    }
}

/// A Type 1 program's own encoding (`dup 65 /A put` in its clear-text part), or None when it
/// uses StandardEncoding or cannot be read.
fn type1_builtin_encoding(doc: &Document, descriptor: &Dictionary) -> Option<Vec<Option<Cow<'static, str>>>> {
    let program = resolve(doc, descriptor.get(b"FontFile").ok())?.as_stream().ok()?;
    let data = stream_data(program)?;
    let clear_end = data.windows(5).position(|w| w == b"eexec").unwrap_or(data.len());
    let clear = &data[..clear_end];
    let at = clear.windows(9).position(|w| w == b"/Encoding")?;
    let after = &clear[at + 9..];
    if after.iter().take(32).copied().collect::<Vec<u8>>().windows(16).any(|w| w == b"StandardEncoding") {
        return None;
    }
    let mut names: Vec<Option<Cow<'static, str>>> = vec![None; 256];
    let text = String::from_utf8_lossy(after);
    let mut words = text.split_ascii_whitespace().peekable();
    let mut found = false;
    while let Some(w) = words.next() {
        if w == "readonly" || w == "def" {
            break;
        }
        if w != "dup" {
            continue;
        }
        let (Some(code), Some(name)) = (words.next(), words.next()) else { break };
        if let (Ok(code), Some(name)) = (code.parse::<usize>(), name.strip_prefix('/')) {
            if code < 256 {
                names[code] = Some(Cow::Owned(name.to_string()));
                found = true;
            }
        }
    }
    found.then_some(names)
}

fn composite(doc: &Document, font: &Dictionary) -> CompositeFont {
    let mapping = match resolve(doc, font.get(b"Encoding").ok()) {
        Some(Object::Name(n)) => CidMapping::by_name(n),
        Some(Object::Stream(s)) => {
            let parsed = stream_data(s).and_then(|d| cmaps::parse(&d, false).ok()).unwrap_or_default();
            // A stream that names only its parent (or nothing) behaves as that parent.
            let mut embedded = EmbeddedCMap::from_parsed(parsed);
            if let Some(Object::Name(n)) = s.dict.get(b"UseCMap").ok() {
                embedded = embedded.with_parent(CidMapping::by_name(n));
            }
            CidMapping::Embedded(Box::new(embedded))
        }
        _ => CidMapping::Identity { vertical: false },
    };
    let codespace = mapping.codespace();
    let descendant = array(doc, font, b"DescendantFonts").and_then(|a| a.first()).and_then(|d| dict(doc, Some(d)));
    let default_width = descendant.and_then(|d| d.get(b"DW").ok()).and_then(|w| number(doc, w)).unwrap_or(1000.0);
    let mut widths = Vec::new();
    let mut vertical_widths = Vec::new();
    let mut default_vertical = (880.0, -1000.0);
    if let Some(d) = descendant {
        if let Some(w) = array(doc, d, b"W") {
            read_w(doc, w, 1, |first, last, v| widths.push((first, last, v[0])));
        }
        if let Some(w2) = array(doc, d, b"W2") {
            read_w(doc, w2, 3, |first, last, v| vertical_widths.push((first, last, v[0], v[1], v[2])));
        }
        if let Some(dw2) = array(doc, d, b"DW2") {
            let v: Vec<f64> = dw2.iter().filter_map(|o| number(doc, o)).collect();
            if v.len() == 2 {
                default_vertical = (v[0], v[1]);
            }
        }
    }
    widths.sort_by_key(|w| w.0);
    CompositeFont { mapping, codespace, default_width, widths, default_vertical, vertical_widths }
}

/// Reads a `/W` (`per` = 1) or `/W2` (`per` = 3) array: `c [v v …]` and `first last v…`.
fn read_w(doc: &Document, items: &[Object], per: usize, mut put: impl FnMut(u32, u32, &[f64])) {
    let mut i = 0;
    while i < items.len() {
        let Some(first) = number(doc, &items[i]).filter(|v| *v >= 0.0) else {
            i += 1;
            continue;
        };
        let first = first as u32;
        match resolve(doc, items.get(i + 1)) {
            Some(Object::Array(values)) => {
                let values: Vec<f64> = values.iter().filter_map(|o| number(doc, o)).collect();
                for (k, group) in values.chunks_exact(per).enumerate() {
                    let cid = first.saturating_add(k as u32);
                    put(cid, cid, group);
                }
                i += 2;
            }
            Some(_) => {
                let last = number(doc, &items[i + 1]).map_or(first, |v| v.max(0.0) as u32);
                let values: Vec<f64> = items[(i + 2).min(items.len())..(i + 2 + per).min(items.len())]
                    .iter()
                    .filter_map(|o| number(doc, o))
                    .collect();
                if values.len() == per && last >= first {
                    put(first, last, &values);
                }
                i += 2 + per;
            }
            None => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    #[test]
    fn w_arrays_in_both_forms() {
        let doc = Document::new();
        let w = vec![
            Object::Integer(1),
            Object::Array(vec![Object::Integer(500), Object::Integer(600)]),
            Object::Integer(814),
            Object::Integer(907),
            Object::Integer(500),
        ];
        let mut got = Vec::new();
        read_w(&doc, &w, 1, |a, b, v| got.push((a, b, v[0])));
        assert_eq!(got, vec![(1, 1, 500.0), (2, 2, 600.0), (814, 907, 500.0)]);
    }

    #[test]
    fn gbk_font_with_real_w_gives_half_width_digits() {
        let doc = Document::new();
        let descendant = dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "SimSun", "DW" => 1000,
            "W" => vec![Object::Integer(814), Object::Integer(907), Object::Integer(500)],
        };
        let font = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "SimSun", "Encoding" => "GBK-EUC-H",
            "DescendantFonts" => vec![Object::Dictionary(descendant)],
        };
        let font = Font::load(&doc, &font);
        let (gbk, _, _) = encoding_rs::GB18030.encode("35中P");
        let mut got = Vec::new();
        font.decode(&gbk, |g| got.push((g.text.unwrap_or_default(), g.advance)));
        assert_eq!(got, vec![("3".into(), 0.5), ("5".into(), 0.5), ("中".into(), 1.0), ("P".into(), 0.5)]);
    }

    #[test]
    fn standard_fonts_without_widths_use_their_metrics() {
        let doc = Document::new();
        let font = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" };
        let font = Font::load(&doc, &font);
        let mut got = Vec::new();
        font.decode(b"A ", |g| got.push((g.text.unwrap_or_default(), g.advance, g.is_word_space)));
        assert_eq!(got, vec![("A".into(), 0.667, false), (" ".into(), 0.278, true)]);
    }

    #[test]
    fn differences_rename_codes() {
        let doc = Document::new();
        let encoding = dictionary! {
            "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding",
            "Differences" => vec![Object::Integer(65), Object::Name(b"uni4E00".to_vec()), Object::Name(b"B".to_vec())],
        };
        let font = dictionary! {
            "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "X", "FirstChar" => 65,
            "Widths" => vec![Object::Integer(1000), Object::Integer(600)], "Encoding" => encoding,
        };
        let font = Font::load(&doc, &font);
        let mut got = Vec::new();
        font.decode(b"ABC", |g| got.push((g.text.unwrap_or_default(), g.advance)));
        assert_eq!(got, vec![("一".into(), 1.0), ("B".into(), 0.6), ("C".into(), 0.0)]);
    }
}
