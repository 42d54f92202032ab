//! Spreadsheets (.xlsx) with `calamine`: every sheet becomes a table whose merged regions are
//! cells with spans (the covered cells below an origin are `continued`), formula cells give
//! their cached value, and a formula without one gives an empty cell and a note, never the
//! formula text as if it were data.
//!
//! calamine inflates zip members itself, without limits, so every member is first inflated here
//! within [`docx::Limits`] (a zip bomb is refused before calamine sees it).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::{Data, DataRef, Reader, Xlsx};

use super::docx::Limits;
use super::limits::{self, check, Budget};
use crate::blocks::{Block, Cell, Document, Location, Row, Table};
use crate::error::Error;

/// A 0-based (row, column) position.
pub(super) type Pos = (u32, u32);

pub fn read(bytes: &[u8], limits: Limits) -> Result<Document, Error> {
    check_members(bytes, limits)?;
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| Error::Malformed(format!("unreadable .xlsx workbook: {e}")))?;
    let mut budget = Budget::default();
    let mut blocks = Vec::new();
    for (index, name) in book.sheet_names().into_iter().enumerate() {
        let sheet = read_sheet(&mut book, &name, &mut budget)?;
        let merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
        if let Some(table) = sheet_table(&sheet, &merges, index as u32 + 1)? {
            blocks.push(Block::Table(table));
        }
    }
    Ok(Document { blocks })
}

/// A sheet as a table: merged regions become cells with spans (the covered cells below an
/// origin are `continued`), a formula without a cached value an empty cell and a note. None
/// for a sheet without values. Also used for .xls workbooks ([`super::xls`]).
pub(super) fn sheet_table(
    sheet: &Sheet,
    merges: &[calamine::Dimensions],
    table_number: u32,
) -> Result<Option<Table>, Error> {
    let Some(((row0, col0), (row1, col1))) = sheet.bounds else { return Ok(None) };
    let mut region = MergeSweep::new(merges, (row0, col0), (row1, col1))?;
    let mut rows = Vec::new();
    for r in row0..=row1 {
        let region = region.row(r)?;
        let merged = |c: u32| region[(c - col0) as usize];
        let mut cells = Vec::new();
        let mut notes = Vec::new();
        let mut c = col0;
        while c <= col1 {
            let location =
                Location { table: Some(table_number), row: Some(r + 1), column: Some(c + 1), ..Location::default() };
            match merged(c) {
                Some((start, end)) if start != (r, c) => {
                    if start.1 == c {
                        // Below the origin: part of the merged cell above.
                        let mut cell = Cell::new(Vec::new(), location);
                        cell.continued = true;
                        cell.col_span = end.1 - start.1 + 1;
                        cells.push(cell);
                        c = end.1.saturating_add(1);
                    } else {
                        c += 1;
                    }
                    continue;
                }
                _ => {}
            }
            let text = match sheet.cells.get(&(r, c)) {
                Some(text) => text.clone(),
                None => match sheet.formulas.get(&(r, c)) {
                    Some(f) => {
                        notes.push(format!(
                            "formula ={f} at {} has no cached value; the cell is left empty",
                            cell_name(r, c)
                        ));
                        String::new()
                    }
                    None => String::new(),
                },
            };
            let mut cell = Cell::new(text.split('\n').map(str::to_string).collect(), location);
            if let Some((start, end)) = merged(c) {
                cell.col_span = end.1 - start.1 + 1;
                cell.row_span = end.0 - start.0 + 1;
                c = end.1.saturating_add(1);
            } else {
                c += 1;
            }
            cells.push(cell);
        }
        let location = Location { table: Some(table_number), row: Some(r + 1), ..Location::default() };
        rows.push(Row { cells, location, notes });
    }
    Ok((!rows.is_empty())
        .then(|| Table { rows, location: Location { table: Some(table_number), ..Location::default() } }))
}

/// The cells of a sheet that hold a value, as a person reads them.
pub(super) struct Sheet {
    /// (row, column) → text.
    pub cells: HashMap<Pos, String>,
    /// Formulas of cells without a cached value, within the bounds.
    pub formulas: HashMap<Pos, String>,
    /// The first and last (row, column) of the cells with values.
    pub bounds: Option<(Pos, Pos)>,
}

/// Reads the cells present in the sheet's XML, never a declared range: a sheet that says it
/// spans `A1:XFD1048576` (as real ones do when a format is applied to whole rows) costs what
/// its cells cost. Cells, text and the area of the used range are held to [`super::limits`].
fn read_sheet(book: &mut Xlsx<Cursor<&[u8]>>, name: &str, budget: &mut Budget) -> Result<Sheet, Error> {
    let unreadable = |e: calamine::XlsxError| Error::Malformed(format!("sheet {name:?} cannot be read: {e}"));
    let mut cells = HashMap::new();
    let mut bounds: Option<(Pos, Pos)> = None;
    {
        let mut reader = book.worksheet_cells_reader(name).map_err(unreadable)?;
        let palette: Vec<Option<String>> =
            reader.styles().iter().map(|st| st.number_format.as_ref().map(|f| f.format_code.clone())).collect();
        while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(unreadable)? {
            let value = cell.get_value();
            if matches!(value, DataRef::Empty) {
                continue;
            }
            let format = palette.get(style).and_then(|f| f.as_deref());
            let text = display(&Data::from(value.clone()), format);
            budget.cell(text.len())?;
            let (r, c) = cell.get_position();
            bounds = Some(match bounds {
                None => ((r, c), (r, c)),
                Some((a, b)) => ((a.0.min(r), a.1.min(c)), (b.0.max(r), b.1.max(c))),
            });
            cells.insert((r, c), text);
        }
    }
    let mut formulas = HashMap::new();
    if let Some(((r0, c0), (r1, c1))) = bounds {
        let area = (r1 - r0) as u64 + 1;
        let area = area * ((c1 - c0) as u64 + 1);
        let what = |n| format!("sheet {name:?} spans {n} cells from its first value to its last");
        check(what, area, limits::MAX_SHEET_AREA, "MAX_SHEET_AREA")?;
        let mut reader = book.worksheet_cells_reader(name).map_err(unreadable)?;
        while let Some(f) = reader.next_formula().map_err(unreadable)? {
            let (r, c) = f.get_position();
            let inside = (r0..=r1).contains(&r) && (c0..=c1).contains(&c);
            if inside && !f.get_value().is_empty() && !cells.contains_key(&(r, c)) {
                budget.text(f.get_value().len())?;
                formulas.insert((r, c), f.get_value().clone());
            }
        }
    }
    Ok(Sheet { cells, formulas, bounds })
}

/// The merged regions of a sheet, row by row, inside its used range: for each column of the
/// current row, the region that covers it as (origin, last cell). Regions are clipped to the
/// range (a merge over the whole sheet costs the range, not the sheet), and memory holds one
/// row's worth of columns, never a cell per merged cell. A region overlapping one met before —
/// Excel does not make them — is skipped; the work of finding that out is bounded too.
struct MergeSweep {
    /// Clipped regions by their first row in the range: (first row, origin, last cell).
    pending: Vec<(u32, Pos, Pos)>,
    /// Regions covering the current row.
    active: Vec<(Pos, Pos)>,
    columns: Vec<Option<(Pos, Pos)>>,
    first: Pos,
    last: Pos,
    /// Cells looked at so far, against a multiple of [`limits::MAX_SHEET_AREA`].
    work: u64,
}

impl MergeSweep {
    fn new(merges: &[calamine::Dimensions], first: Pos, last: Pos) -> Result<MergeSweep, Error> {
        let count = merges.len() as u64;
        check(|n| format!("the sheet has {n} merged regions"), count, limits::MAX_MERGES, "MAX_MERGES")?;
        let mut pending: Vec<(u32, Pos, Pos)> = merges
            .iter()
            .filter(|m| m.start.0 <= last.0 && m.end.0 >= first.0 && m.start.1 <= last.1 && m.end.1 >= first.1)
            .map(|m| (m.start.0.max(first.0), m.start, m.end))
            .collect();
        // Last first, so that the next to start is popped from the end; the sheet's order breaks ties.
        pending.reverse();
        pending.sort_by_key(|p| std::cmp::Reverse(p.0));
        let width = (last.1 - first.1) as usize + 1;
        Ok(MergeSweep { pending, active: Vec::new(), columns: vec![None; width], first, last, work: 0 })
    }

    fn span(&self, start: Pos, end: Pos) -> std::ops::Range<usize> {
        let c0 = start.1.max(self.first.1) - self.first.1;
        let c1 = end.1.min(self.last.1) - self.first.1;
        c0 as usize..c1 as usize + 1
    }

    /// The regions covering each column of row `r` (rows asked in order).
    fn row(&mut self, r: u32) -> Result<&[Option<(Pos, Pos)>], Error> {
        let ended: Vec<(Pos, Pos)> = self.active.iter().copied().filter(|(_, end)| end.0 < r).collect();
        for (start, end) in ended {
            let span = self.span(start, end);
            self.columns[span].fill(None);
            self.active.retain(|a| *a != (start, end));
        }
        while self.pending.last().is_some_and(|p| p.0 == r) {
            let Some((_, start, end)) = self.pending.pop() else { break };
            let span = self.span(start, end);
            self.work += span.len() as u64;
            let what = |n| format!("merged regions cover {n} cells (they overlap)");
            check(what, self.work, 4 * limits::MAX_SHEET_AREA, "MAX_SHEET_AREA")?;
            if self.columns[span.clone()].iter().any(Option::is_some) {
                continue;
            }
            self.columns[span].fill(Some((start, end)));
            self.active.push((start, end));
        }
        Ok(&self.columns)
    }
}

/// A1-style name of a 0-based cell.
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, (b'A' + rem as u8) as char);
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// A cell's value as a person reads it in the sheet: a number as its number format shows it
/// (`10891.615675` under `#,##0.00` reads `10,891.62`, 0.95 under `0%` reads `95%`), else as
/// Excel's General shows it (at most 15 significant digits: `82800.92`, never the float's
/// `82800.92000000001`); text as is.
pub(super) fn display(v: &Data, format: Option<&str>) -> String {
    match v {
        Data::Float(f) => number_as_shown(*f, format),
        Data::Int(i) => number_as_shown(*i as f64, format),
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => general(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// A number under a number format code: its first section, with padding (`_)`), escapes
/// (`\x`), quoted text and colours taken out; fixed decimals (`0.00`), optional ones (`0.##`),
/// thousands separators (`#,##0`) and percent. Dates, fractions, exponents and text formats are
/// shown as General.
fn number_as_shown(x: f64, format: Option<&str>) -> String {
    let code = format.unwrap_or("General").split(';').next().unwrap_or("");
    let mut cleaned = String::new();
    let mut chars = code.chars();
    let mut quoted = false;
    let mut bracket = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '[' => bracket = true,
            ']' => bracket = false,
            _ if bracket => {}
            '_' | '\\' | '*' => {
                chars.next();
            }
            c => cleaned.push(c),
        }
    }
    let numeric = cleaned.contains('0') || cleaned.contains('#');
    let other =
        cleaned.chars().any(|c| matches!(c.to_ascii_lowercase(), 'y' | 'm' | 'd' | 'h' | 's' | 'e' | '/' | '?' | '@'));
    if !numeric || other {
        return general(x);
    }
    let percent = cleaned.contains('%');
    let x = if percent { x * 100.0 } else { x };
    let (int_part, frac_part) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let places = frac_part.chars().filter(|c| matches!(c, '0' | '#')).count();
    let required = frac_part.chars().filter(|c| *c == '0').count();
    let mut text = format!("{:.*}", places, x);
    if places > required {
        let keep = text.len() - (places - required);
        while text.len() > keep && text.ends_with('0') {
            text.pop();
        }
        if text.ends_with('.') {
            text.pop();
        }
    }
    if int_part.contains(',') {
        text = group_thousands(&text);
    }
    if percent {
        text.push('%');
    }
    text
}

/// `1234567.8` → `1,234,567.8`.
fn group_thousands(text: &str) -> String {
    let (sign, rest) = text.strip_prefix('-').map_or(("", text), |r| ("-", r));
    let (int, frac) = rest.split_once('.').map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A number as Excel's General shows it: an integer without a point, else at most 15
/// significant digits without trailing zeros.
fn general(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return format!("{x:.0}");
    }
    let magnitude = if x == 0.0 { 0 } else { x.abs().log10().floor() as i32 + 1 };
    let places = (15 - magnitude).clamp(0, 15) as usize;
    let mut text = format!("{:.*}", places, x);
    if text.contains('.') {
        while text.ends_with('0') {
            text.pop();
        }
        if text.ends_with('.') {
            text.pop();
        }
    }
    text
}

/// Inflates every member within the limits, so that calamine never meets a zip bomb.
fn check_members(bytes: &[u8], limits: Limits) -> Result<(), Error> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Error::Malformed(format!("corrupt or truncated zip archive: {e}")))?;
    for i in 0..zip.len() {
        let member = zip.by_index(i).map_err(|e| Error::Malformed(format!("corrupt zip member {i}: {e}")))?;
        let name = member.name().map(|n| n.into_owned()).unwrap_or_else(|_| format!("member {i}"));
        let declared = member.size();
        let compressed = member.compressed_size().max(1);
        if declared > limits.max_member_bytes || (declared > 1 << 20 && declared / compressed > limits.max_ratio) {
            return Err(Error::Malformed(format!(
                "{name} would inflate to {declared} bytes ({}:1), over the limits (zip bomb?)",
                declared / compressed
            )));
        }
        let mut member = member.take(limits.max_member_bytes + 1);
        let corrupt =
            |e: std::io::Error| Error::Malformed(format!("cannot inflate {name}: {e} (corrupt or truncated zip)"));
        // calamine reserves room for as many shared strings as the table declares.
        let mut head = Vec::new();
        if name.ends_with("sharedStrings.xml") {
            (&mut member).take(4096).read_to_end(&mut head).map_err(corrupt)?;
        }
        let inflated = head.len() as u64 + std::io::copy(&mut member, &mut std::io::sink()).map_err(corrupt)?;
        if let Some(declared) = unique_count(&head) {
            let what = |n| format!("{name} declares {n} strings in {inflated} bytes");
            let max = inflated * limits::MAX_SHARED_STRINGS_PER_BYTE;
            check(what, declared, max, "MAX_SHARED_STRINGS_PER_BYTE")?;
        }
        if inflated > limits.max_member_bytes {
            return Err(Error::Malformed(format!(
                "{name} inflates beyond the {} byte limit (zip bomb?)",
                limits.max_member_bytes
            )));
        }
    }
    Ok(())
}

/// The `uniqueCount` a shared-strings table declares in its first element.
fn unique_count(head: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(head);
    let sst = &text[text.find("<sst")?..];
    let sst = &sst[..sst.find('>')?];
    let at = sst.find("uniqueCount=")? + "uniqueCount=".len();
    let value = sst[at..].trim_start_matches(['"', '\'']);
    value.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_shared_strings_are_read() {
        let head = br#"<?xml version="1.0"?><sst xmlns="x" count="9" uniqueCount="18446744073709551615"><si>"#;
        assert_eq!(unique_count(head), Some(u64::MAX));
        assert_eq!(unique_count(b"<sst count='3' uniqueCount='2'>"), Some(2));
        assert_eq!(unique_count(b"<sst>"), None);
    }

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(4, 2), "C5");
        assert_eq!(cell_name(0, 26), "AA1");
    }

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(display(&Data::Float(50000.0), None), "50000");
        assert_eq!(display(&Data::Float(0.8), Some("General")), "0.8");
        assert_eq!(display(&Data::Int(750), None), "750");
        assert_eq!(display(&Data::Float(0.95), Some("0%")), "95%");
        // What the sheet shows, not the float (real 05: C5, C6; real 07: F27).
        assert_eq!(display(&Data::Float(10891.615675), Some("#,##0.00")), "10,891.62");
        assert_eq!(display(&Data::Float(61915.7693), Some("0.00_ ")), "61915.77");
        assert_eq!(display(&Data::Float(82800.92000000001), Some("General")), "82800.92");
        assert_eq!(display(&Data::Float(874.18), Some("0.00")), "874.18");
        assert_eq!(display(&Data::Float(1.5), Some("0.0#")), "1.5");
        assert_eq!(display(&Data::Float(-1234567.891), Some("#,##0.00;[Red]-#,##0.00")), "-1,234,567.89");
        assert_eq!(display(&Data::Float(45292.0), Some("yyyy-mm-dd")), "45292");
        assert_eq!(display(&Data::Float(1.0), Some("0.00%")), "100.00%");
    }
}
