//! Spreadsheets (.xlsx) with `calamine`: every sheet becomes a table whose merged regions are
//! cells with spans (the covered cells below an origin are `continued`), formula cells give
//! their cached value, and a formula without one gives an empty cell and a note, never the
//! formula text as if it were data.
//!
//! calamine inflates zip members itself, without limits, so every member is first inflated here
//! within [`docx::Limits`] (a zip bomb is refused before calamine sees it).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};

use super::docx::Limits;
use crate::blocks::{Block, Cell, Document, Location, Row, Table};
use crate::error::Error;

/// A 0-based (row, column) position.
type Pos = (u32, u32);

pub fn read(bytes: &[u8], limits: Limits) -> Result<Document, Error> {
    check_members(bytes, limits)?;
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| Error::Malformed(format!("unreadable .xlsx workbook: {e}")))?;
    let mut blocks = Vec::new();
    for (index, name) in book.sheet_names().into_iter().enumerate() {
        let range =
            book.worksheet_range(&name).map_err(|e| Error::Malformed(format!("sheet {name:?} cannot be read: {e}")))?;
        let Some((row0, col0)) = range.start() else { continue };
        let formulas = book.worksheet_formula(&name).ok();
        let styles = book.worksheet_style(&name).ok();
        let merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
        // Every cell of a merged region → (origin, last cell), as (row, column).
        let mut region: HashMap<Pos, (Pos, Pos)> = HashMap::new();
        for m in &merges {
            for r in m.start.0..=m.end.0 {
                for c in m.start.1..=m.end.1 {
                    region.insert((r, c), (m.start, m.end));
                }
            }
        }
        let (height, width) = range.get_size();
        let table_number = index as u32 + 1;
        let mut rows = Vec::new();
        for dr in 0..height as u32 {
            let r = row0 + dr;
            let mut cells = Vec::new();
            let mut notes = Vec::new();
            let mut c = col0;
            while c < col0 + width as u32 {
                let location = Location {
                    table: Some(table_number),
                    row: Some(r + 1),
                    column: Some(c + 1),
                    ..Location::default()
                };
                match region.get(&(r, c)) {
                    Some(&(start, end)) if start != (r, c) => {
                        if start.1 == c {
                            // Below the origin: part of the merged cell above.
                            let mut cell = Cell::new(Vec::new(), location);
                            cell.continued = true;
                            cell.col_span = end.1 - start.1 + 1;
                            cells.push(cell);
                            c = end.1 + 1;
                        } else {
                            c += 1;
                        }
                        continue;
                    }
                    _ => {}
                }
                let value = range.get_value((r, c)).unwrap_or(&Data::Empty);
                let formula = formulas.as_ref().and_then(|f| f.get_value((r, c))).filter(|f| !f.is_empty());
                let text = match (value, formula) {
                    (Data::Empty, Some(f)) => {
                        notes.push(format!(
                            "formula ={f} at {} has no cached value; the cell is left empty",
                            cell_name(r, c)
                        ));
                        String::new()
                    }
                    (v, _) => {
                        let format = styles
                            .as_ref()
                            .and_then(|st| st.get((r, c)))
                            .and_then(|st| st.number_format.as_ref())
                            .map(|f| f.format_code.as_str());
                        display(v, format)
                    }
                };
                let mut cell = Cell::new(text.split('\n').map(str::to_string).collect(), location);
                if let Some(&(start, end)) = region.get(&(r, c)) {
                    cell.col_span = end.1 - start.1 + 1;
                    cell.row_span = end.0 - start.0 + 1;
                    c = end.1 + 1;
                } else {
                    c += 1;
                }
                cells.push(cell);
            }
            let location = Location { table: Some(table_number), row: Some(r + 1), ..Location::default() };
            rows.push(Row { cells, location, notes });
        }
        if !rows.is_empty() {
            blocks.push(Block::Table(Table {
                rows,
                location: Location { table: Some(table_number), ..Location::default() },
            }));
        }
    }
    Ok(Document { blocks })
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

/// A cell's value as a person reads it: integers without a decimal point, percentages as the
/// number format shows them (0.95 under `0%` reads `95%`), text as is.
fn display(v: &Data, format: Option<&str>) -> String {
    let percent = format.filter(|f| f.contains('%') && !f.contains('"'));
    match v {
        Data::Float(_) | Data::Int(_) if percent.is_some() => {
            let x = match v {
                Data::Float(f) => *f,
                Data::Int(i) => *i as f64,
                _ => 0.0,
            };
            let code = percent.unwrap_or_default();
            let decimals = code.split('.').nth(1).map_or(0, |d| d.chars().take_while(|c| *c == '0').count());
            format!("{:.*}%", decimals, x * 100.0)
        }
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => format!("{f}"),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => format!("{}", d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
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
        let inflated = std::io::copy(&mut member.take(limits.max_member_bytes + 1), &mut std::io::sink())
            .map_err(|e| Error::Malformed(format!("cannot inflate {name}: {e} (corrupt or truncated zip)")))?;
        if inflated > limits.max_member_bytes {
            return Err(Error::Malformed(format!(
                "{name} inflates beyond the {} byte limit (zip bomb?)",
                limits.max_member_bytes
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(display(&Data::Float(1.0), Some("0.00%")), "100.00%");
    }
}
