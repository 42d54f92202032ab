//! Legacy Excel workbooks (.xls, BIFF8; also WPS Spreadsheets' .et, which is the same
//! container) with calamine's `Xls` reader, read as .xlsx is ([`super::xlsx::sheet_table`]):
//! merged regions as spans, formulas' cached values, numbers as their formats show them.
//!
//! calamine reads the whole workbook when it opens it and trusts what the file says: a cycle in
//! a sector chain of the compound file grows a buffer until memory runs out, a `Dimensions`
//! record reserves room for the area it declares, every sheet becomes a dense grid from its
//! first cell to its last, and a shared string is copied for every cell that uses it. So the
//! file is first checked here with a small reader of its own ([`Compound`], [`scan`]): the
//! chains calamine will follow must end inside the file, every sheet's cells, area, text and
//! merged regions are held to the caps of [`super::limits`] (the sum of the sheets' areas
//! too, since calamine holds them all at once), and `Dimensions` records are blanked in a copy
//! of the file (calamine uses them only to reserve memory). Only then does calamine see it.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xls, XlsError};

use super::limits::{self, check, Budget};
use super::xlsx::{self, Pos, Sheet};
use crate::blocks::{Block, Document};
use crate::error::Error;

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const MINI_SECTOR: usize = 64;
const MINI_CUTOFF: u64 = 4096;

/// A compound file (OLE2, MS-CFB): its allocation table and directory, every chain checked.
pub(crate) struct Compound<'a> {
    bytes: &'a [u8],
    sector: usize,
    fat: Vec<u32>,
    mini_fat: Vec<u32>,
    /// File offsets of the mini stream's sectors, in order.
    mini_stream: Vec<usize>,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub name: String,
    /// 1 storage, 2 stream, 5 root.
    pub kind: u8,
    start: u32,
    pub size: u64,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn broken(what: &str) -> Error {
    Error::Malformed(format!("a damaged OLE compound file ({what}): not read"))
}

impl<'a> Compound<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Compound<'a>, Error> {
        if bytes.len() < 512 || !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return Err(broken("shorter than its header"));
        }
        let sector = match u16_at(bytes, 0x1E) {
            Some(9) => 512,
            Some(12) => 4096,
            _ => return Err(broken("unknown sector size")),
        };
        if u16_at(bytes, 0x20) != Some(6) {
            return Err(broken("unknown mini sector size"));
        }
        let sectors_in_file = bytes.len().saturating_sub(sector) / sector + 1;
        let header_u32 = |at| u32_at(bytes, at).ok_or_else(|| broken("short header"));
        let mut c = Compound {
            bytes,
            sector,
            fat: Vec::new(),
            mini_fat: Vec::new(),
            mini_stream: Vec::new(),
            entries: Vec::new(),
        };
        // The allocation table's sectors: 109 in the header, then a chain of DIFAT sectors.
        let mut fat_sectors: Vec<u32> = (0..109).filter_map(|k| u32_at(bytes, 0x4C + 4 * k)).collect();
        let mut difat = header_u32(0x44)?;
        let mut hops = 0;
        while difat < 0xFFFF_FFFA {
            hops += 1;
            if hops > sectors_in_file {
                return Err(broken("its DIFAT chain loops"));
            }
            let s = c.sector_bytes(difat).ok_or_else(|| broken("a DIFAT sector past the end"))?;
            let n = sector / 4;
            fat_sectors.extend((0..n - 1).filter_map(|k| u32_at(s, 4 * k)));
            difat = u32_at(s, 4 * (n - 1)).unwrap_or(ENDOFCHAIN);
        }
        for id in fat_sectors.into_iter().filter(|&id| id < 0xFFFF_FFFA) {
            let s = c.sector_bytes(id).ok_or_else(|| broken("an allocation-table sector past the end"))?;
            c.fat.extend((0..sector / 4).filter_map(|k| u32_at(s, 4 * k)));
        }
        let directory =
            c.chain(&c.fat, header_u32(0x30)?, sectors_in_file).ok_or_else(|| broken("its directory chain"))?;
        for id in directory {
            let Some(s) = c.sector_bytes(id) else { break };
            for e in s.chunks_exact(128) {
                let name_len = (u16_at(e, 0x40).unwrap_or(0) as usize).min(64);
                let units: Vec<u16> =
                    e[..name_len.saturating_sub(2)].chunks_exact(2).map(|p| u16::from_le_bytes([p[0], p[1]])).collect();
                let size = u64::from_le_bytes(e[0x78..0x80].try_into().unwrap_or_default());
                // Version 3 files have a 32-bit size; the high half may hold garbage.
                let size = if sector == 512 { size & 0xFFFF_FFFF } else { size };
                c.entries.push(Entry {
                    name: String::from_utf16_lossy(&units),
                    kind: e[0x42],
                    start: u32_at(e, 0x74).unwrap_or(ENDOFCHAIN),
                    size,
                });
            }
        }
        let root = c.entries.first().cloned().ok_or_else(|| broken("no root entry"))?;
        let mini_fat_sectors = header_u32(0x40)?;
        if mini_fat_sectors > 0 {
            let chain =
                c.chain(&c.fat, header_u32(0x3C)?, sectors_in_file).ok_or_else(|| broken("its mini FAT chain"))?;
            let mut mini_fat = Vec::new();
            for id in chain {
                let s = c.sector_bytes(id).ok_or_else(|| broken("a mini FAT sector past the end"))?;
                mini_fat.extend((0..sector / 4).filter_map(|k| u32_at(s, 4 * k)));
            }
            c.mini_fat = mini_fat;
            let chain = c.chain(&c.fat, root.start, sectors_in_file).ok_or_else(|| broken("its mini stream chain"))?;
            c.mini_stream = chain
                .into_iter()
                .flat_map(|id| (0..sector / MINI_SECTOR).map(move |k| (id as usize + 1) * sector + k * MINI_SECTOR))
                .collect();
        }
        Ok(c)
    }

    fn sector_bytes(&self, id: u32) -> Option<&'a [u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(self.sector)?;
        self.bytes.get(start..start.checked_add(self.sector)?.min(self.bytes.len())).filter(|s| !s.is_empty())
    }

    /// The sectors of a chain, or None when it leaves the table, loops or runs past `max`.
    fn chain(&self, table: &[u32], start: u32, max: usize) -> Option<Vec<u32>> {
        let mut out = Vec::new();
        let mut id = start;
        while id != ENDOFCHAIN {
            if out.len() >= max.min(table.len()) {
                return None;
            }
            out.push(id);
            id = *table.get(id as usize)?;
        }
        Some(out)
    }

    /// The first entry of this name, as calamine finds it (ASCII case ignored).
    pub fn entry(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name.eq_ignore_ascii_case(name))
    }

    /// A stream's bytes and, for each, its offset in the file; None when its chain is broken.
    pub fn stream(&self, entry: &Entry) -> Option<(Vec<u8>, Vec<usize>)> {
        let len = usize::try_from(entry.size).ok()?;
        let offsets: Vec<usize> = if entry.size < MINI_CUTOFF {
            let chain = self.chain(&self.mini_fat, entry.start, self.mini_stream.len())?;
            chain.into_iter().map(|m| self.mini_stream.get(m as usize).copied()).collect::<Option<_>>()?
        } else {
            let chain = self.chain(&self.fat, entry.start, self.bytes.len() / self.sector + 1)?;
            chain.into_iter().map(|id| (id as usize + 1) * self.sector).collect()
        };
        let piece = if entry.size < MINI_CUTOFF { MINI_SECTOR } else { self.sector };
        let mut data = Vec::with_capacity(len.min(self.bytes.len()));
        let mut at = Vec::with_capacity(len.min(self.bytes.len()));
        for start in offsets {
            let take = piece.min(len - data.len());
            let end = (start + take).min(self.bytes.len());
            let bytes = self.bytes.get(start..end)?;
            data.extend_from_slice(bytes);
            at.extend(start..end);
            if data.len() >= len {
                break;
            }
        }
        Some((data, at))
    }
}

/// What an OLE compound file holds, for routing.
pub(crate) enum OleKind {
    /// An encrypted OOXML package (`EncryptionInfo`, `EncryptedPackage`).
    Encrypted,
    /// A Word 97–2003 document (also WPS Writer's .wps); `encrypted` from its FIB.
    Word {
        encrypted: bool,
    },
    Workbook,
    Other,
}

pub(crate) fn ole_kind(bytes: &[u8]) -> Result<OleKind, Error> {
    let c = Compound::open(bytes)?;
    let streams = |n: &str| c.entries.iter().any(|e| e.kind == 2 && e.name.eq_ignore_ascii_case(n));
    Ok(if streams("EncryptedPackage") || streams("EncryptionInfo") {
        OleKind::Encrypted
    } else if let Some(word) = c.entry("WordDocument").filter(|e| e.kind == 2) {
        // FibBase: wIdent 0xA5EC, then flags at offset 0x0A whose bit 8 is fEncrypted.
        let (head, _) = c.stream(word).unwrap_or_default();
        let flags = u16_at(&head, 0x0A).unwrap_or(0);
        OleKind::Word { encrypted: flags & 0x0100 != 0 }
    } else if streams("Workbook") || streams("Book") {
        OleKind::Workbook
    } else {
        OleKind::Other
    })
}

/// Reads a .xls workbook.
pub fn read(bytes: &[u8]) -> Result<Document, Error> {
    let compound = Compound::open(bytes)?;
    let entry = compound.entry("Workbook").or_else(|| compound.entry("Book")).cloned().ok_or_else(|| {
        Error::Unsupported("an OLE compound file without a Workbook stream: not a .xls workbook".into())
    })?;
    let (stream, offsets) = compound.stream(&entry).ok_or_else(|| broken("the Workbook stream's chain"))?;
    let scanned = scan(&stream)?;
    // Dimensions records blanked (0 × 0): calamine would reserve what they declare.
    let mut patched = bytes.to_vec();
    for (start, len) in &scanned.dimensions {
        for k in *start..start + len {
            if let Some(&at) = offsets.get(k) {
                patched[at] = 0;
            }
        }
    }
    let mut book = match Xls::new(Cursor::new(patched.as_slice())) {
        Ok(b) => b,
        Err(XlsError::Password) => {
            return Err(Error::Unsupported(
                "an encrypted (password-protected) .xls workbook: open it, remove the password, save it as .xlsx and run again"
                    .into(),
            ))
        }
        Err(e) => return Err(Error::Malformed(format!("unreadable .xls workbook: {e}"))),
    };
    let mut blocks = Vec::new();
    let names: Vec<String> = book.sheet_names();
    for (index, name) in names.iter().enumerate() {
        let range = book.worksheet_range(name).map_err(|e| Error::Malformed(format!("sheet {name:?}: {e}")))?;
        let formats = scanned.sheets.get(name).map(|s| &s.formats);
        let mut cells = HashMap::new();
        let mut bounds: Option<(Pos, Pos)> = None;
        for (r, c, value) in range.used_cells() {
            let (r, c) = (r as u32 + range.start().map_or(0, |s| s.0), c as u32 + range.start().map_or(0, |s| s.1));
            if matches!(value, Data::Empty) {
                continue;
            }
            let format = formats.and_then(|f| f.get(&(r, c))).map(String::as_str);
            let text = xlsx::display(value, format);
            bounds = Some(match bounds {
                None => ((r, c), (r, c)),
                Some((a, b)) => ((a.0.min(r), a.1.min(c)), (b.0.max(r), b.1.max(c))),
            });
            cells.insert((r, c), text);
        }
        let sheet = Sheet { cells, formulas: HashMap::new(), bounds };
        let merges = book.merge_cells_by_sheet_name(name).unwrap_or_default();
        if let Some(table) = xlsx::sheet_table(&sheet, &merges, index as u32 + 1)? {
            blocks.push(Block::Table(table));
        }
    }
    Ok(Document { blocks })
}

/// What the scan of a Workbook stream found.
#[derive(Default)]
struct Scanned {
    /// (stream offset, length) of every `Dimensions` record's data.
    dimensions: Vec<(usize, usize)>,
    sheets: HashMap<String, SheetScan>,
}

#[derive(Default)]
struct SheetScan {
    /// Number format codes of the cells with numbers (what the sheet shows them as).
    formats: HashMap<Pos, String>,
}

/// A BIFF record: type, data, the data's offset in the stream.
struct Record<'s> {
    kind: u16,
    data: &'s [u8],
    at: usize,
}

fn records(stream: &[u8], from: usize) -> impl Iterator<Item = Record<'_>> {
    let mut at = from;
    std::iter::from_fn(move || {
        let kind = u16_at(stream, at)?;
        let len = u16_at(stream, at + 2)? as usize;
        let data = stream.get(at + 4..at + 4 + len)?;
        let r = Record { kind, data, at: at + 4 };
        at += 4 + len;
        Some(r)
    })
}

/// Checks the workbook against the caps, as calamine will read it, and notes what it needs
/// (percent formats, where the `Dimensions` records are).
fn scan(stream: &[u8]) -> Result<Scanned, Error> {
    let mut out = Scanned::default();
    let mut sheets: Vec<(usize, String)> = Vec::new();
    let mut sst: Vec<u64> = Vec::new();
    let mut custom_formats: HashMap<u16, String> = HashMap::new();
    let mut xf_formats: Vec<u16> = Vec::new();
    let mut globals = records(stream, 0).peekable();
    while let Some(r) = globals.next() {
        match r.kind {
            0x0085 if r.data.len() >= 8 => {
                let pos = u32_at(r.data, 0).unwrap_or(0) as usize;
                let cch = r.data[6] as usize;
                let high = r.data[7] & 1 != 0;
                let raw = r.data.get(8..).unwrap_or(&[]);
                let name = if high {
                    let units: Vec<u16> =
                        raw.chunks_exact(2).take(cch).map(|p| u16::from_le_bytes([p[0], p[1]])).collect();
                    String::from_utf16_lossy(&units)
                } else {
                    raw.iter().take(cch).map(|&b| b as char).collect()
                };
                if pos >= stream.len() {
                    return Err(broken(&format!("sheet {name:?} starts past the end of the workbook stream")));
                }
                sheets.push((pos, name));
            }
            0x041E if r.data.len() >= 5 => {
                let ifmt = u16_at(r.data, 0).unwrap_or(0);
                let cch = u16_at(r.data, 2).unwrap_or(0) as usize;
                let high = r.data[4] & 1 != 0;
                let raw = &r.data[5..];
                let code = if high {
                    let units: Vec<u16> =
                        raw.chunks_exact(2).take(cch).map(|p| u16::from_le_bytes([p[0], p[1]])).collect();
                    String::from_utf16_lossy(&units)
                } else {
                    raw.iter().take(cch).map(|&b| b as char).collect()
                };
                custom_formats.insert(ifmt, code);
            }
            0x00E0 => xf_formats.push(u16_at(r.data, 2).unwrap_or(0)),
            0x00FC => {
                let mut parts = vec![r.data.get(8..).unwrap_or(&[])];
                while let Some(c) = globals.next_if(|c| c.kind == 0x003C) {
                    parts.push(c.data);
                }
                sst = string_lengths(&parts);
            }
            // FilePass: the workbook is encrypted (calamine would read its records as garbage).
            0x002F => {
                return Err(Error::Unsupported(
                    "an encrypted (password-protected) .xls workbook: open it, remove the password, save it as .xlsx and run again"
                        .into(),
                ))
            }
            0x000A => break,
            _ => {}
        }
    }
    // A cell's number format code: Excel's built-in ones by number, else the workbook's own.
    let percent = |xf: u16| -> Option<String> {
        let ifmt = *xf_formats.get(xf as usize)?;
        let builtin = match ifmt {
            0 => "General",
            1 => "0",
            2 => "0.00",
            3 => "#,##0",
            4 => "#,##0.00",
            9 => "0%",
            10 => "0.00%",
            11 => "0.00E+00",
            37 => "#,##0 ;(#,##0)",
            38 => "#,##0 ;[Red](#,##0)",
            39 => "#,##0.00;(#,##0.00)",
            40 => "#,##0.00;[Red](#,##0.00)",
            14..=22 | 45..=47 => "yyyy-mm-dd",
            _ => return custom_formats.get(&ifmt).cloned(),
        };
        Some(builtin.to_string())
    };
    let mut budget = Budget::default();
    let mut total_area = 0u64;
    for (pos, name) in sheets {
        let mut scan = SheetScan::default();
        let mut bounds: Option<(Pos, Pos)> = None;
        let mut merges = 0u64;
        let mut depth = 0usize;
        let mut seen_bof = false;
        let mut formula_at: Pos = (0, 0);
        let mut cell = |r: u32, c: u32, text_bytes: u64| -> Result<(), Error> {
            budget.cell(text_bytes as usize)?;
            bounds = Some(match bounds {
                None => ((r, c), (r, c)),
                Some((a, b)) => ((a.0.min(r), a.1.min(c)), (b.0.max(r), b.1.max(c))),
            });
            Ok(())
        };
        let rc = |d: &[u8]| Some((u16_at(d, 0)? as u32, u16_at(d, 2)? as u32, u16_at(d, 4)?));
        for r in records(stream, pos) {
            if depth > 0 {
                match r.kind {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            match r.kind {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                0x0200 => out.dimensions.push((r.at, r.data.len())),
                // Number, RK, BoolErr, Formula: a value and its format.
                0x0203 | 0x027E | 0x0205 | 0x0006 => {
                    let Some((row, col, xf)) = rc(r.data) else { continue };
                    if r.kind == 0x0006 {
                        formula_at = (row, col);
                    }
                    cell(row, col, 32)?;
                    if let Some(code) = percent(xf) {
                        scan.formats.insert((row, col), code);
                    }
                }
                // Label, RString: an inline string.
                0x0204 | 0x00D6 => {
                    let Some((row, col, _)) = rc(r.data) else { continue };
                    cell(row, col, 3 * u16_at(r.data, 6).unwrap_or(0) as u64)?;
                }
                // String: the text result of the formula before it.
                0x0207 => cell(formula_at.0, formula_at.1, 3 * u16_at(r.data, 0).unwrap_or(0) as u64)?,
                0x00FD => {
                    let Some((row, col, _)) = rc(r.data) else { continue };
                    let index = u32_at(r.data, 6).unwrap_or(u32::MAX) as usize;
                    if let Some(&len) = sst.get(index) {
                        cell(row, col, len)?;
                    }
                }
                0x00BD if r.data.len() >= 6 => {
                    let row = u16_at(r.data, 0).unwrap_or(0) as u32;
                    let first = u16_at(r.data, 2).unwrap_or(0) as usize;
                    for (k, rk) in r.data[4..r.data.len() - 2].chunks_exact(6).enumerate() {
                        let col = (first + k) as u32;
                        cell(row, col, 32)?;
                        if let Some(code) = percent(u16_at(rk, 0).unwrap_or(0)) {
                            scan.formats.insert((row, col), code);
                        }
                    }
                }
                0x00E5 => {
                    merges += u16_at(r.data, 0).unwrap_or(0) as u64;
                    let what = |n| format!("sheet {name:?} has {n} merged regions");
                    check(what, merges, limits::MAX_MERGES, "MAX_MERGES")?;
                }
                _ => {}
            }
        }
        if let Some(((r0, c0), (r1, c1))) = bounds {
            let area = (r1 - r0) as u64 + 1;
            let area = area * ((c1 - c0) as u64 + 1);
            let what = |n| format!("sheet {name:?} spans {n} cells from its first value to its last");
            check(what, area, limits::MAX_SHEET_AREA, "MAX_SHEET_AREA")?;
            total_area += area;
            // calamine holds every sheet's grid at once.
            let what = |n| format!("the workbook's sheets span {n} cells from their first values to their last");
            check(what, total_area, limits::MAX_SHEET_AREA, "MAX_SHEET_AREA")?;
        }
        out.sheets.insert(name, scan);
    }
    Ok(out)
}

/// Upper bounds of the UTF-8 length of each string of a shared-strings table (three bytes per
/// character), walking its strings across `CONTINUE` records as calamine does.
fn string_lengths(parts: &[&[u8]]) -> Vec<u64> {
    let mut out = Vec::new();
    let mut part = 0;
    let mut at = 0;
    // Bytes available in the current part, moving to the next when it is used up.
    let take = |n: usize, part: &mut usize, at: &mut usize| -> Option<usize> {
        let mut left = n;
        while left > 0 {
            let here = parts.get(*part)?.len().saturating_sub(*at);
            if here == 0 {
                *part += 1;
                *at = 0;
                continue;
            }
            let step = here.min(left);
            *at += step;
            left -= step;
        }
        Some(n)
    };
    loop {
        // A string starts with cch and flags, in one part.
        while parts.get(part).is_some_and(|p| at >= p.len()) {
            part += 1;
            at = 0;
        }
        let Some(p) = parts.get(part) else { break };
        let (Some(cch), Some(&flags)) = (u16_at(p, at), p.get(at + 2)) else { break };
        at += 3;
        let runs = if flags & 0x8 != 0 { u16_at(p, at).map_or(0, |n| n as usize) } else { 0 };
        if flags & 0x8 != 0 {
            at += 2;
        }
        let ext = if flags & 0x4 != 0 { u32_at(p, at).map_or(0, |n| n as usize) } else { 0 };
        if flags & 0x4 != 0 {
            at += 4;
        }
        // The characters, a new flags byte at the start of each part they continue into.
        let mut high = flags & 1 != 0;
        let mut chars = cch as usize;
        while chars > 0 {
            let Some(p) = parts.get(part) else { break };
            let here = p.len().saturating_sub(at) / if high { 2 } else { 1 };
            let n = here.min(chars);
            at += n * if high { 2 } else { 1 };
            chars -= n;
            if chars > 0 {
                part += 1;
                at = 0;
                let Some(flag) = parts.get(part).and_then(|p| p.first()) else { break };
                high = flag & 1 != 0;
                at = 1;
            }
        }
        out.push(3 * cch as u64);
        if take(4 * runs + ext, &mut part, &mut at).is_none() {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_string_lengths_across_continue_records() {
        // "ab" compressed, then "中文" in UTF-16 cut after its first character into a CONTINUE
        // record that starts with a flags byte, then a rich string with one run.
        let first: &[u8] = &[2, 0, 0, b'a', b'b', 2, 0, 1, 0x2D, 0x4E];
        let second: &[u8] = &[1, 0x87, 0x65, 1, 0, 8, 1, 0, b'x', 1, 2, 3, 4];
        assert_eq!(string_lengths(&[first, second]), [6, 6, 3]);
    }

    #[test]
    fn a_looping_chain_is_refused() {
        let c = Compound {
            bytes: &[],
            sector: 512,
            fat: vec![1, 0],
            mini_fat: Vec::new(),
            mini_stream: Vec::new(),
            entries: Vec::new(),
        };
        assert_eq!(c.chain(&c.fat, 0, 100), None);
        assert_eq!(c.chain(&[1, ENDOFCHAIN], 0, 100), Some(vec![0, 1]));
        assert_eq!(c.chain(&[7], 0, 100), None);
    }
}
