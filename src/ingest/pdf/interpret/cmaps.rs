//! CMaps: how a composite font's bytes split into codes, which CID each code selects (the CID
//! decides the glyph's width through `/W`), and what text a code stands for (`/ToUnicode`).
//!
//! Three sources: the predefined CMaps of Adobe-GB1 (`GBK-EUC-H`, `UniGB-UCS2-H`, …), their real
//! code → CID tables generated from Adobe's resources ([`super::tables::cid_maps`]); `Identity-H`
//! and `Identity-V` (two-byte codes, CID = code); and CMaps embedded in the file, parsed here —
//! as are ToUnicode maps. Every range is held to [`MAX_CMAP_RANGE`] codes (the budget refuses a
//! file with a wider one before this runs; the check here keeps the parser safe on its own).

use std::collections::HashMap;

use crate::ingest::limits::MAX_CMAP_RANGE;

use super::tables::cid_maps::PREDEFINED;

/// How a predefined CMap's codes spell text, for fonts without a ToUnicode map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextCoding {
    /// The code's bytes are GBK / GB 18030.
    Gbk,
    /// The code's bytes are UTF-16BE (UCS-2 for the `UCS2` CMaps).
    Utf16,
}

/// A predefined CMap, generated from Adobe's CMap resources.
pub struct Predefined {
    pub name: &'static str,
    /// The CMap this one uses (`usecmap`): a `-V` form lists only the codes it changes.
    pub parent: Option<&'static str>,
    pub vertical: bool,
    /// (bytes, low, high); empty: the parent's.
    pub codespace: &'static [(u8, u32, u32)],
    /// (low, high, first CID) as little-endian u32 triples, sorted by low.
    pub ranges: &'static [u8],
    /// Codes of a `notdefrange` (each of them the same CID), as `ranges`.
    pub notdef: &'static [u8],
    pub text: TextCoding,
}

impl Predefined {
    pub fn find(name: &[u8]) -> Option<&'static Predefined> {
        PREDEFINED.iter().find(|p| p.name.as_bytes() == name)
    }

    fn parent(&self) -> Option<&'static Predefined> {
        self.parent.and_then(|p| Predefined::find(p.as_bytes()))
    }

    fn codespace(&self) -> CodeSpace {
        match (self.codespace.is_empty(), self.parent()) {
            (true, Some(parent)) => parent.codespace(),
            _ => CodeSpace { ranges: self.codespace.iter().map(|&(n, lo, hi)| CodeRange::new(n, lo, hi)).collect() },
        }
    }

    fn cid(&self, code: u32) -> Option<u32> {
        if let Some(cid) = lookup_triples(self.ranges, code, true) {
            return Some(cid);
        }
        if let Some(cid) = self.parent().and_then(|p| p.cid(code)) {
            return Some(cid);
        }
        lookup_triples(self.notdef, code, false)
    }
}

/// The CID of `code` in a table of (low, high, first CID) triples; `increment`: the range maps
/// to consecutive CIDs (a `cidrange`), else all to the first (a `notdefrange`).
fn lookup_triples(table: &[u8], code: u32, increment: bool) -> Option<u32> {
    let count = table.len() / 12;
    let triple = |i: usize| -> (u32, u32, u32) {
        let at = |k: usize| {
            let b = &table[i * 12 + k * 4..i * 12 + k * 4 + 4];
            u32::from_le_bytes([b[0], b[1], b[2], b[3]])
        };
        (at(0), at(1), at(2))
    };
    // The last range starting at or below the code.
    let (mut lo, mut hi) = (0usize, count);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if triple(mid).0 <= code {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    let (start, end, cid) = triple(lo.checked_sub(1)?);
    (code <= end).then(|| if increment { cid + (code - start) } else { cid })
}

/// One range of a code space: codes of `bytes` bytes whose every byte lies between the
/// corresponding bytes of `low` and `high` (the standard compares byte by byte).
#[derive(Debug, Clone, Copy, PartialEq)]
struct CodeRange {
    bytes: u8,
    low: [u8; 4],
    high: [u8; 4],
}

impl CodeRange {
    fn new(bytes: u8, low: u32, high: u32) -> CodeRange {
        let bytes = bytes.clamp(1, 4);
        let spread = |v: u32| {
            let b = v.to_be_bytes();
            let mut out = [0u8; 4];
            out[..bytes as usize].copy_from_slice(&b[4 - bytes as usize..]);
            out
        };
        CodeRange { bytes, low: spread(low), high: spread(high) }
    }

    fn matches(&self, input: &[u8]) -> bool {
        let n = self.bytes as usize;
        input.len() >= n && (0..n).all(|k| self.low[k] <= input[k] && input[k] <= self.high[k])
    }
}

/// How bytes split into codes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CodeSpace {
    ranges: Vec<CodeRange>,
}

impl CodeSpace {
    fn two_bytes() -> CodeSpace {
        CodeSpace { ranges: vec![CodeRange::new(2, 0, 0xFFFF)] }
    }

    /// The first code of `input` and its length in bytes. Bytes no range takes are read one at
    /// a time, or as many as the shortest range when that is longer, as viewers do.
    pub fn next_code(&self, input: &[u8]) -> (u32, usize) {
        let len = self
            .ranges
            .iter()
            .filter(|r| r.matches(input))
            .map(|r| r.bytes as usize)
            .min()
            .unwrap_or_else(|| self.ranges.iter().map(|r| r.bytes as usize).min().unwrap_or(1))
            .clamp(1, input.len().max(1));
        let len = len.min(input.len());
        let code = input[..len].iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b));
        (code, len.max(1))
    }
}

/// A composite font's `/Encoding`: how its bytes split into codes and which CID each selects.
#[derive(Debug, Clone)]
pub enum CidMapping {
    /// `Identity-H`, `Identity-V`: two-byte codes, CID = code.
    Identity {
        vertical: bool,
    },
    Predefined(&'static Predefined),
    Embedded(Box<EmbeddedCMap>),
    /// A predefined CMap not among ours: two-byte codes taken as CIDs (widths may be off; the
    /// text comes from the ToUnicode map).
    Unknown {
        vertical: bool,
    },
}

impl std::fmt::Debug for Predefined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl CidMapping {
    pub fn by_name(name: &[u8]) -> CidMapping {
        match name {
            b"Identity-H" => CidMapping::Identity { vertical: false },
            b"Identity-V" => CidMapping::Identity { vertical: true },
            _ => match Predefined::find(name) {
                Some(p) => CidMapping::Predefined(p),
                None => CidMapping::Unknown { vertical: name.ends_with(b"-V") },
            },
        }
    }

    pub fn codespace(&self) -> CodeSpace {
        match self {
            CidMapping::Identity { .. } | CidMapping::Unknown { .. } => CodeSpace::two_bytes(),
            CidMapping::Predefined(p) => p.codespace(),
            CidMapping::Embedded(e) => {
                if e.codespace.ranges.is_empty() {
                    e.parent.as_ref().map_or_else(CodeSpace::two_bytes, |p| p.codespace())
                } else {
                    e.codespace.clone()
                }
            }
        }
    }

    pub fn cid(&self, code: u32) -> u32 {
        match self {
            CidMapping::Identity { .. } | CidMapping::Unknown { .. } => code,
            CidMapping::Predefined(p) => p.cid(code).unwrap_or(0),
            CidMapping::Embedded(e) => e.cid(code).unwrap_or(0),
        }
    }

    pub fn vertical(&self) -> bool {
        match self {
            CidMapping::Identity { vertical } | CidMapping::Unknown { vertical } => *vertical,
            CidMapping::Predefined(p) => p.vertical,
            CidMapping::Embedded(e) => e.vertical,
        }
    }

    /// The text of a code when the font has no ToUnicode map: the predefined CMaps whose codes
    /// are themselves an encoding (GBK, UCS-2/UTF-16).
    pub fn text_coding(&self) -> Option<TextCoding> {
        match self {
            CidMapping::Predefined(p) => Some(p.text),
            CidMapping::Embedded(e) => e.parent.as_ref().and_then(|p| p.text_coding()),
            _ => None,
        }
    }
}

/// A CMap embedded in the file (a stream as `/Encoding`).
#[derive(Debug, Clone, Default)]
pub struct EmbeddedCMap {
    codespace: CodeSpace,
    /// (low, high, first CID), sorted by low.
    ranges: Vec<(u32, u32, u32)>,
    notdef: Vec<(u32, u32, u32)>,
    vertical: bool,
    parent: Option<CidMapping>,
}

impl EmbeddedCMap {
    pub fn from_parsed(parsed: ParsedCMap) -> EmbeddedCMap {
        let mut ranges = parsed.cid_ranges;
        ranges.sort_by_key(|r| r.0);
        let parent = parsed.usecmap.as_deref().map(|name| CidMapping::by_name(name.as_bytes()));
        let vertical = parsed.vertical.unwrap_or_else(|| parent.as_ref().is_some_and(CidMapping::vertical));
        EmbeddedCMap { codespace: parsed.codespace, ranges, notdef: parsed.notdef_ranges, vertical, parent }
    }

    /// The CMap a stream's `/UseCMap` names, when its content did not name one.
    pub fn with_parent(mut self, parent: CidMapping) -> EmbeddedCMap {
        if self.parent.is_none() {
            self.vertical = self.vertical || parent.vertical();
            self.parent = Some(parent);
        }
        self
    }

    fn cid(&self, code: u32) -> Option<u32> {
        let i = self.ranges.partition_point(|r| r.0 <= code);
        if let Some(&(lo, hi, cid)) = i.checked_sub(1).map(|i| &self.ranges[i]) {
            if code <= hi {
                return Some(cid + (code - lo));
            }
        }
        if let Some(parent) = &self.parent {
            return Some(parent.cid(code));
        }
        self.notdef.iter().find(|r| r.0 <= code && code <= r.1).map(|r| r.2)
    }
}

/// A ToUnicode map: code → text.
#[derive(Debug, Clone, Default)]
pub struct ToUnicode {
    singles: HashMap<u32, String>,
    /// (low, high, UTF-16 of low's text): each further code increments the last unit.
    ranges: Vec<(u32, u32, Vec<u16>)>,
    pub codespace: CodeSpace,
}

impl ToUnicode {
    pub fn from_parsed(parsed: ParsedCMap) -> ToUnicode {
        let mut ranges = parsed.bf_ranges;
        ranges.sort_by_key(|r| r.0);
        ToUnicode { singles: parsed.bf_singles.into_iter().collect(), ranges, codespace: parsed.codespace }
    }

    pub fn is_empty(&self) -> bool {
        self.singles.is_empty() && self.ranges.is_empty()
    }

    pub fn text(&self, code: u32) -> Option<String> {
        if let Some(s) = self.singles.get(&code) {
            return Some(s.clone());
        }
        let i = self.ranges.partition_point(|r| r.0 <= code);
        // Ranges may overlap (rarely); the nearest one below that holds the code wins.
        for (lo, hi, base) in self.ranges[..i].iter().rev().take(4) {
            if code <= *hi {
                let mut units = base.clone();
                if let Some(last) = units.last_mut() {
                    *last = last.wrapping_add((code - lo) as u16);
                }
                return Some(String::from_utf16_lossy(&units));
            }
        }
        None
    }
}

/// What a CMap file says, before it is put to use as an encoding or a ToUnicode map.
#[derive(Debug, Default)]
pub struct ParsedCMap {
    pub codespace: CodeSpace,
    pub cid_ranges: Vec<(u32, u32, u32)>,
    pub notdef_ranges: Vec<(u32, u32, u32)>,
    pub bf_singles: Vec<(u32, String)>,
    pub bf_ranges: Vec<(u32, u32, Vec<u16>)>,
    pub usecmap: Option<String>,
    pub vertical: Option<bool>,
}

/// Why a CMap cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CMapError {
    #[error("not text")]
    NotText,
    #[error("a `{0}` section without its end")]
    Unterminated(&'static str),
    #[error("a destination that is not UTF-16 text")]
    BadDestination,
}

#[derive(Debug, Clone, PartialEq)]
enum CToken<'a> {
    Hex(Vec<u8>),
    Number(i64),
    Name(&'a [u8]),
    Word(&'a [u8]),
    ArrayStart,
    ArrayEnd,
}

fn cmap_tokens(data: &[u8]) -> impl Iterator<Item = CToken<'_>> {
    let mut i = 0;
    let n = data.len();
    std::iter::from_fn(move || loop {
        let &c = data.get(i)?;
        match c {
            b'%' => {
                while i < n && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if data.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                let start = i + 1;
                while i < n && data[i] != b'>' {
                    i += 1;
                }
                let hex = super::super::content::hex_bytes(&data[start..i.min(n)]);
                i += 1;
                return Some(CToken::Hex(hex));
            }
            b'(' => {
                // Strings (registry names) are not needed.
                i = super::super::content::skip_string(data, i);
            }
            b'[' => {
                i += 1;
                return Some(CToken::ArrayStart);
            }
            b']' => {
                i += 1;
                return Some(CToken::ArrayEnd);
            }
            b'/' => {
                let start = i + 1;
                i = start;
                while i < n && !is_cmap_delimiter(data[i]) {
                    i += 1;
                }
                return Some(CToken::Name(&data[start..i]));
            }
            c if c.is_ascii_whitespace() || matches!(c, b'{' | b'}' | b')' | b'>' | 0) => i += 1,
            _ => {
                let start = i;
                while i < n && !is_cmap_delimiter(data[i]) {
                    i += 1;
                }
                if i == start {
                    i += 1;
                    continue;
                }
                let word = &data[start..i];
                return Some(match std::str::from_utf8(word).ok().and_then(|s| s.parse::<i64>().ok()) {
                    Some(v) => CToken::Number(v),
                    None => CToken::Word(word),
                });
            }
        }
    })
}

fn is_cmap_delimiter(c: u8) -> bool {
    c.is_ascii_whitespace() || matches!(c, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%' | 0)
}

fn code_value(bytes: &[u8]) -> u32 {
    bytes.iter().rev().take(4).rev().fold(0u32, |acc, &b| acc << 8 | u32::from(b))
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes.chunks(2).map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)])).collect()
}

/// Parses a CMap or ToUnicode map. Lenient where viewers are (entries after a wrong count, names
/// as destinations), strict where the text would be garbage (`strict`: a destination that is not
/// UTF-16, a section cut off, bytes that are not text).
pub fn parse(data: &[u8], strict: bool) -> Result<ParsedCMap, CMapError> {
    if strict && std::str::from_utf8(data).is_err() {
        return Err(CMapError::NotText);
    }
    let mut out = ParsedCMap::default();
    let tokens: Vec<CToken<'_>> = cmap_tokens(data).collect();
    let mut i = 0;
    let within = |lo: u32, hi: u32| hi >= lo && u64::from(hi - lo) < MAX_CMAP_RANGE;
    while i < tokens.len() {
        match &tokens[i] {
            CToken::Word(b"begincodespacerange") => {
                i += 1;
                while let (Some(CToken::Hex(lo)), Some(CToken::Hex(hi))) = (tokens.get(i), tokens.get(i + 1)) {
                    let bytes = lo.len().clamp(1, 4) as u8;
                    out.codespace.ranges.push(CodeRange::new(bytes, code_value(lo), code_value(hi)));
                    i += 2;
                }
                expect_end(&tokens, &mut i, b"endcodespacerange", "codespacerange", strict)?;
            }
            CToken::Word(b"begincidrange") | CToken::Word(b"beginnotdefrange") => {
                let notdef = tokens[i] == CToken::Word(b"beginnotdefrange");
                i += 1;
                while let (Some(CToken::Hex(lo)), Some(CToken::Hex(hi)), Some(CToken::Number(cid))) =
                    (tokens.get(i), tokens.get(i + 1), tokens.get(i + 2))
                {
                    let (lo, hi) = (code_value(lo), code_value(hi));
                    if within(lo, hi) && *cid >= 0 {
                        let target = if notdef { &mut out.notdef_ranges } else { &mut out.cid_ranges };
                        target.push((lo, hi, *cid as u32));
                    }
                    i += 3;
                }
                let end: &[u8] = if notdef { b"endnotdefrange" } else { b"endcidrange" };
                expect_end(&tokens, &mut i, end, "cidrange", strict)?;
            }
            CToken::Word(b"begincidchar") => {
                i += 1;
                while let (Some(CToken::Hex(code)), Some(CToken::Number(cid))) = (tokens.get(i), tokens.get(i + 1)) {
                    if *cid >= 0 {
                        let code = code_value(code);
                        out.cid_ranges.push((code, code, *cid as u32));
                    }
                    i += 2;
                }
                expect_end(&tokens, &mut i, b"endcidchar", "cidchar", strict)?;
            }
            CToken::Word(b"beginbfchar") => {
                i += 1;
                loop {
                    match (tokens.get(i), tokens.get(i + 1)) {
                        (Some(CToken::Hex(code)), Some(CToken::Hex(dest))) => {
                            out.bf_singles.push((code_value(code), destination(dest, strict)?));
                        }
                        (Some(CToken::Hex(code)), Some(CToken::Name(name))) => {
                            if let Some(text) = super::tables::glyph_text(name) {
                                out.bf_singles.push((code_value(code), text.to_string()));
                            }
                        }
                        _ => break,
                    }
                    i += 2;
                }
                expect_end(&tokens, &mut i, b"endbfchar", "bfchar", strict)?;
            }
            CToken::Word(b"beginbfrange") => {
                i += 1;
                loop {
                    let (Some(CToken::Hex(lo)), Some(CToken::Hex(hi))) = (tokens.get(i), tokens.get(i + 1)) else {
                        break;
                    };
                    let (lo, hi) = (code_value(lo), code_value(hi));
                    match tokens.get(i + 2) {
                        Some(CToken::Hex(dest)) => {
                            if strict {
                                destination(dest, true)?;
                            }
                            if within(lo, hi) {
                                out.bf_ranges.push((lo, hi, utf16_units(dest)));
                            }
                            i += 3;
                        }
                        Some(CToken::ArrayStart) => {
                            i += 3;
                            let mut code = lo;
                            while let Some(CToken::Hex(dest)) = tokens.get(i) {
                                if code <= hi && within(lo, code) {
                                    out.bf_singles.push((code, destination(dest, strict)?));
                                }
                                code = code.saturating_add(1);
                                i += 1;
                            }
                            if tokens.get(i) == Some(&CToken::ArrayEnd) {
                                i += 1;
                            }
                        }
                        _ => break,
                    }
                }
                expect_end(&tokens, &mut i, b"endbfrange", "bfrange", strict)?;
            }
            CToken::Name(b"WMode") => {
                if let Some(CToken::Number(v)) = tokens.get(i + 1) {
                    out.vertical = Some(*v == 1);
                }
                i += 1;
            }
            CToken::Word(b"usecmap") => {
                if let Some(CToken::Name(name)) = i.checked_sub(1).and_then(|k| tokens.get(k)) {
                    out.usecmap = Some(String::from_utf8_lossy(name).into_owned());
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    Ok(out)
}

fn expect_end(
    tokens: &[CToken<'_>],
    i: &mut usize,
    end: &[u8],
    what: &'static str,
    strict: bool,
) -> Result<(), CMapError> {
    match tokens.get(*i) {
        Some(CToken::Word(w)) if *w == end => {
            *i += 1;
            Ok(())
        }
        // A wrong token inside a section: lenient readers go on at the next token.
        Some(_) if !strict => Ok(()),
        _ => Err(CMapError::Unterminated(what)),
    }
}

fn destination(bytes: &[u8], strict: bool) -> Result<String, CMapError> {
    let units = utf16_units(bytes);
    match String::from_utf16(&units) {
        Ok(s) => Ok(s),
        Err(_) if !strict => Ok(String::from_utf16_lossy(&units)),
        Err(_) => Err(CMapError::BadDestination),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_euc_h_maps_ascii_to_half_width_cids() {
        let gbk = CidMapping::by_name(b"GBK-EUC-H");
        // '0' (0x30) is CID 814 + 0x30 - 0x21 in Adobe-GB1 (proportional digits).
        assert_eq!(gbk.cid(0x30), 829);
        assert_eq!(gbk.cid(0x20), 7716);
        // 一 (GBK D2BB) is not its code.
        assert_ne!(gbk.cid(0xD2BB), 0xD2BB);
        assert!(gbk.cid(0xD2BB) > 0);
        let space = gbk.codespace();
        assert_eq!(space.next_code(&[0x33, 0xD2, 0xBB]), (0x33, 1));
        assert_eq!(space.next_code(&[0xD2, 0xBB, 0x33]), (0xD2BB, 2));
        // The vertical form differs only in punctuation and falls back to the horizontal one.
        let v = CidMapping::by_name(b"GBK-EUC-V");
        assert!(v.vertical());
        assert_eq!(v.cid(0x30), 829);
        assert_eq!(v.codespace(), space);
    }

    #[test]
    fn ucs2_maps_unicode_to_cids() {
        let ucs2 = CidMapping::by_name(b"UniGB-UCS2-H");
        // U+4E00 一 is CID 4162 in Adobe-GB1 (`<4e00> <4e00> 4162` in Adobe's UniGB-UCS2-H; GBK
        // D2BB, the same glyph, maps there too), 'A' CID 34.
        assert_eq!(ucs2.cid(0x4E00), 4162);
        assert_eq!(CidMapping::by_name(b"GBK-EUC-H").cid(0xD2BB), 4162);
        assert_eq!(ucs2.cid(0x41), 34);
        assert_eq!(ucs2.text_coding(), Some(TextCoding::Utf16));
    }

    #[test]
    fn to_unicode_maps_parse_ranges_arrays_and_names() {
        let data = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n2 beginbfchar\n<0003> <0020>\n<0004> /A\nendbfchar\n2 beginbfrange\n<0010> <0012> <4E00>\n<0020> <0021> [<0041> <D835DC00>]\nendbfrange\nendcmap";
        let map = ToUnicode::from_parsed(parse(data, true).unwrap());
        assert_eq!(map.text(3).as_deref(), Some(" "));
        assert_eq!(map.text(4).as_deref(), Some("A"));
        assert_eq!(map.text(0x11).as_deref(), Some("丁"));
        assert_eq!(map.text(0x21).as_deref(), Some("𝐀"));
        assert_eq!(map.text(0x13), None);
        assert_eq!(map.codespace.next_code(&[0, 3]), (3, 2));
    }

    #[test]
    fn broken_maps_are_refused_when_strict_and_read_leniently_otherwise() {
        let lone = b"begincmap 1 beginbfchar <42> <D800> endbfchar endcmap";
        assert_eq!(parse(lone, true).unwrap_err(), CMapError::BadDestination);
        assert!(parse(lone, false).is_ok());
        let cut = b"begincmap 2 beginbfrange <20> <7E> <0020> <41> <";
        assert!(parse(cut, true).is_err());
        assert_eq!(ToUnicode::from_parsed(parse(cut, false).unwrap()).text(0x21).as_deref(), Some("!"));
        assert_eq!(parse(b"\xff\xfe", true).unwrap_err(), CMapError::NotText);
    }

    #[test]
    fn ranges_wider_than_the_cap_are_not_taken() {
        let wide = b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange";
        assert!(ToUnicode::from_parsed(parse(wide, true).unwrap()).is_empty());
    }

    #[test]
    fn embedded_cmaps_use_their_parent() {
        let data = b"/GBK-EUC-H usecmap 1 begincidrange <30> <39> 5000 endcidrange";
        let cmap = CidMapping::Embedded(Box::new(EmbeddedCMap::from_parsed(parse(data, false).unwrap())));
        assert_eq!(cmap.cid(0x31), 5001);
        assert_eq!(cmap.cid(0x41), 814 + 0x20);
        assert_eq!(cmap.codespace().next_code(&[0xD2, 0xBB]), (0xD2BB, 2));
    }
}
