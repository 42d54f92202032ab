//! Word files (.docx): the body of `word/document.xml`, read with `zip` and streamed through
//! `quick-xml` into paragraphs and tables with their real cell grid.
//!
//! What is read, and how:
//! - tables: `w:tbl`/`w:tr`/`w:tc`; `w:gridSpan` gives a cell's column span, `w:gridBefore`
//!   shifts a row's first cell; `w:vMerge` restart/continue: a continuation cell is marked
//!   [`Cell::continued`] (it belongs to the cell above, whose `row_span` grows), never an empty
//!   cell of its own;
//! - nested tables (`w:tbl` inside `w:tc`) become tables of their own, placed right after the row
//!   that holds them, so the row stream keeps reading order;
//! - text: `w:t`, `w:tab` (a TAB), `w:br`/`w:cr` (a new paragraph, as in a text dump),
//!   character and entity references; runs inside hyperlinks, smart tags, custom XML, content
//!   controls (`w:sdt`, whose properties are skipped), simple fields and inserted text (`w:ins`,
//!   `w:moveTo`) are kept;
//! - dropped: deleted text (`w:del`, `w:moveFrom`), field codes (`w:instrText`), paragraph and run
//!   properties, drawings and VML pictures, and `mc:Fallback` (a duplicate of `mc:Choice`).
//!   Headers, footers, comments and footnotes live in other parts and are not body text.
//!
//! Limits against hostile files: the document part may not inflate beyond
//! [`Limits::max_member_bytes`], and a part whose declared compression ratio is beyond
//! [`Limits::max_ratio`] is refused before it is inflated. While reading, spans and grid
//! columns, rows, cells, text, XML depth and table nesting are held to the caps of
//! [`super::limits`].

use std::borrow::Cow;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::limits::{self, check, Budget};
use crate::blocks::{Block, Cell, Document, Location, Paragraph, Row, Table};
use crate::error::Error;

/// Caps on what a zip member may inflate to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_member_bytes: u64,
    /// Uncompressed / compressed size, checked on parts larger than 1 MiB.
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_member_bytes: 256 << 20, max_ratio: 200 }
    }
}

/// What a zip container holds, for routing and for failure reasons.
pub enum Package {
    Word(Vec<u8>),
    /// A workbook (xl/workbook.xml).
    Spreadsheet,
    /// A zip that is no Office document; the names of a few members.
    Other(String),
}

/// Opens the zip and returns the main document part, inflated within the limits.
pub fn open(bytes: &[u8], limits: Limits) -> Result<Package, Error> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Error::Malformed(format!("corrupt or truncated zip archive: {e}")))?;
    if zip.index_for_name("xl/workbook.xml").is_some() {
        return Ok(Package::Spreadsheet);
    }
    let main = main_part_name(&mut zip, limits).unwrap_or_else(|| "word/document.xml".to_string());
    if zip.index_for_name(&main).is_none() {
        let names: Vec<String> = zip.file_names().take(5).flatten().map(|n| n.into_owned()).collect();
        return Ok(Package::Other(names.join(", ")));
    }
    read_member(&mut zip, &main, limits).map(Package::Word)
}

fn read_member(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str, limits: Limits) -> Result<Vec<u8>, Error> {
    let member = zip.by_name(name).map_err(|e| Error::Malformed(format!("cannot open {name} in the zip: {e}")))?;
    let declared = member.size();
    let compressed = member.compressed_size().max(1);
    if declared > limits.max_member_bytes {
        return Err(Error::Malformed(format!(
            "{name} would inflate to {declared} bytes, over the {} byte limit (zip bomb?)",
            limits.max_member_bytes
        )));
    }
    if declared > 1 << 20 && declared / compressed > limits.max_ratio {
        return Err(Error::Malformed(format!(
            "{name} has a compression ratio of {}:1, over the {}:1 limit (zip bomb?)",
            declared / compressed,
            limits.max_ratio
        )));
    }
    // The declared size may lie: never read more than the limit, whatever it says.
    let mut out = Vec::with_capacity(declared.min(limits.max_member_bytes) as usize);
    member
        .take(limits.max_member_bytes + 1)
        .read_to_end(&mut out)
        .map_err(|e| Error::Malformed(format!("cannot inflate {name}: {e} (corrupt or truncated zip)")))?;
    if out.len() as u64 > limits.max_member_bytes {
        return Err(Error::Malformed(format!(
            "{name} inflates beyond the {} byte limit (zip bomb?)",
            limits.max_member_bytes
        )));
    }
    Ok(out)
}

/// The main document part named by the package relationships (`_rels/.rels`), if any.
fn main_part_name(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, limits: Limits) -> Option<String> {
    let rels = read_member(zip, "_rels/.rels", limits).ok()?;
    let text = std::str::from_utf8(&rels).ok()?;
    let mut reader = Reader::from_str(text);
    loop {
        match reader.read_event().ok()? {
            Event::Empty(e) | Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                let ty = attr(&e, "Type")?;
                if ty.ends_with("/officeDocument") {
                    let target = attr(&e, "Target")?;
                    return Some(target.trim_start_matches('/').to_string());
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(Cow::into_owned))
}

/// Parses `word/document.xml` into blocks.
pub fn read_document_xml(xml: &[u8]) -> Result<Document, Error> {
    let text = std::str::from_utf8(xml.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(xml))
        .map_err(|e| Error::Malformed(format!("word/document.xml is not UTF-8: {e}")))?;
    let mut reader = Reader::from_str(text);
    let mut b = Builder::default();
    let mut depth = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| {
            Error::Malformed(format!(
                "word/document.xml is not well-formed XML near byte {}: {e}",
                reader.buffer_position()
            ))
        })?;
        match event {
            Event::Start(e) => {
                if depth == 0 && e.local_name().as_ref() != "document" {
                    return Err(Error::Malformed(format!(
                        "the main part is a <{}>, not a Word document body",
                        e.name().as_ref()
                    )));
                }
                depth += 1;
                let nesting = |n| format!("word/document.xml nests elements {n} deep");
                check(nesting, depth as u64, limits::MAX_XML_DEPTH, "MAX_XML_DEPTH")?;
                b.start(&e, false)
            }
            Event::Empty(e) => b.start(&e, true),
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                b.end(e.local_name().as_ref())
            }
            Event::Text(t) if b.in_text() => b.push_text(&t.xml10_content()),
            Event::CData(t) if b.in_text() => b.push_text(&t.xml10_content()),
            Event::GeneralRef(r) if b.in_text() => {
                let c = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten().map(String::from)
                } else {
                    predefined_entity(&r).map(String::from)
                };
                b.push_text(&c.unwrap_or_else(|| format!("&{};", &*r)));
            }
            Event::Eof => break,
            _ => {}
        }
        if let Some(e) = b.error.take() {
            return Err(e);
        }
    }
    if depth > 0 || !b.tables.is_empty() || b.skip > 0 {
        return Err(Error::Malformed("word/document.xml ends inside a table or element (truncated?)".into()));
    }
    Ok(Document { blocks: b.blocks })
}

fn predefined_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return None,
    })
}

/// Elements whose whole subtree carries no body text.
fn is_skipped(local_name: &str) -> bool {
    matches!(
        local_name,
        "del"
            | "moveFrom"
            | "instrText"
            | "delText"
            | "delInstrText"
            | "pPr"
            | "rPr"
            | "sdtPr"
            | "tblPr"
            | "tblGrid"
            | "Fallback"
            | "drawing"
            | "pict"
            | "object"
            | "footnoteReference"
            | "endnoteReference"
            | "commentReference"
    )
}

#[derive(Default)]
struct TableBuilder {
    number: u32,
    rows: Vec<Row>,
    row: Option<RowBuilder>,
    /// Per grid column: the (row, cell) index of the open vertical merge's first cell.
    merges: Vec<Option<(usize, usize)>>,
}

#[derive(Default)]
struct RowBuilder {
    cells: Vec<Cell>,
    /// Next grid column.
    grid_col: u32,
    cell: Option<CellBuilder>,
    /// Tables nested in this row's cells, finished.
    nested: Vec<Table>,
}

#[derive(Default)]
struct CellBuilder {
    paragraphs: Vec<String>,
    col_span: u32,
    vmerge: Option<bool>, // Some(true) restart, Some(false) continue
    grid_col: u32,
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    /// Open tables, innermost last.
    tables: Vec<TableBuilder>,
    table_count: u32,
    paragraph_count: u32,
    /// The paragraph being read, if any.
    para: Option<String>,
    /// Depth inside a skipped subtree.
    skip: u32,
    in_run: u32,
    in_t: bool,
    budget: Budget,
    /// The first cap the document went past: reading stops there.
    error: Option<Error>,
}

impl Builder {
    /// Keeps the first cap passed, for the reading loop to return.
    fn limit(&mut self, r: Result<(), Error>) {
        if let (Err(e), None) = (r, &self.error) {
            self.error = Some(e);
        }
    }

    fn in_text(&self) -> bool {
        self.skip == 0 && self.in_t
    }

    fn push_text(&mut self, s: &str) {
        let Some(p) = &mut self.para else { return };
        let len = (p.len() + s.len()) as u64;
        if len > limits::MAX_CELL_TEXT_BYTES {
            let what = |n| format!("a paragraph holds {n} bytes of text");
            self.limit(check(what, len, limits::MAX_CELL_TEXT_BYTES, "MAX_CELL_TEXT_BYTES"));
            return;
        }
        p.push_str(s);
    }

    fn table(&mut self) -> Option<&mut TableBuilder> {
        self.tables.last_mut()
    }

    fn cell(&mut self) -> Option<&mut CellBuilder> {
        self.table().and_then(|t| t.row.as_mut()).and_then(|r| r.cell.as_mut())
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let local = e.local_name();
        let name = local.as_ref();
        if self.skip > 0 {
            if !empty {
                self.skip += 1;
            }
            return;
        }
        match name {
            _ if is_skipped(name) => self.skip = u32::from(!empty),
            "tbl" if !empty => {
                let nesting = |n| format!("tables nest {n} deep");
                self.limit(check(
                    nesting,
                    self.tables.len() as u64 + 1,
                    limits::MAX_TABLE_NESTING,
                    "MAX_TABLE_NESTING",
                ));
                self.table_count += 1;
                self.tables.push(TableBuilder { number: self.table_count, ..TableBuilder::default() });
            }
            "tr" => {
                if let Some(t) = self.table() {
                    t.row = Some(RowBuilder::default());
                    if empty {
                        self.end("tr");
                    }
                }
            }
            "gridBefore" => {
                let n = val_u32(e).unwrap_or(0);
                let Some(r) = self.table().and_then(|t| t.row.as_mut()) else { return };
                let col = r.grid_col as u64 + n as u64;
                r.grid_col = col.min(limits::MAX_GRID_COLUMNS) as u32;
                let what = |n| format!("a row starts after {n} empty grid columns (w:gridBefore)");
                self.limit(check(what, col, limits::MAX_GRID_COLUMNS, "MAX_GRID_COLUMNS"));
            }
            "tc" => {
                if let Some(r) = self.table().and_then(|t| t.row.as_mut()) {
                    r.cell = Some(CellBuilder { col_span: 1, grid_col: r.grid_col, ..CellBuilder::default() });
                    if empty {
                        self.end("tc");
                    }
                }
            }
            "gridSpan" => {
                let n = val_u32(e).unwrap_or(1).max(1);
                let what = |n| format!("a cell spans {n} grid columns (w:gridSpan)");
                self.limit(check(what, n as u64, limits::MAX_GRID_COLUMNS, "MAX_GRID_COLUMNS"));
                if let Some(c) = self.cell() {
                    c.col_span = n.min(limits::MAX_GRID_COLUMNS as u32);
                }
            }
            "vMerge" => {
                let restart = attr(e, "val").is_some_and(|v| v == "restart");
                if let Some(c) = self.cell() {
                    c.vmerge = Some(restart);
                }
            }
            "p" => {
                self.para = Some(String::new());
                if empty {
                    self.end("p");
                }
            }
            "r" if !empty => self.in_run += 1,
            "t" if !empty => self.in_t = true,
            "tab" if self.in_run > 0 => self.push_text("\t"),
            "noBreakHyphen" if self.in_run > 0 => self.push_text("-"),
            "br" | "cr" if self.in_run > 0 => {
                // A page or column break is layout, not a line.
                let kind = attr(e, "type");
                if kind.is_none() || kind.as_deref() == Some("textWrapping") {
                    self.break_paragraph();
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        match name {
            "t" => self.in_t = false,
            "r" => self.in_run = self.in_run.saturating_sub(1),
            "p" => self.finish_paragraph(),
            "tc" => self.finish_cell(),
            "tr" => self.finish_row(),
            "tbl" => self.finish_table(),
            _ => {}
        }
    }

    /// `w:br`: the paragraph goes on as a new paragraph (a text dump shows a new line).
    fn break_paragraph(&mut self) {
        if self.para.is_some() {
            self.finish_paragraph();
            self.para = Some(String::new());
        }
    }

    fn finish_paragraph(&mut self) {
        let Some(text) = self.para.take() else { return };
        if let Some(c) = self.cell() {
            c.paragraphs.push(text);
            return;
        }
        if !self.tables.is_empty() {
            // A paragraph inside a table but outside any cell: malformed, keep nothing.
            return;
        }
        self.paragraph_count += 1;
        let text = text.trim();
        if !text.is_empty() {
            let counted = self.budget.cell(text.len());
            self.limit(counted);
        }
        if !text.is_empty() {
            let location = Location { paragraph: Some(self.paragraph_count), ..Location::default() };
            self.blocks.push(Block::Paragraph(Paragraph { text: text.to_string(), location }));
        }
    }

    fn finish_cell(&mut self) {
        let text_bytes = self.cell().map(|c| c.paragraphs.iter().map(String::len).sum::<usize>());
        if let Some(n) = text_bytes {
            let counted = self.budget.cell(n);
            self.limit(counted);
        }
        let Some(t) = self.tables.last_mut() else { return };
        let row_index = t.rows.len();
        let table_number = t.number;
        let Some(r) = t.row.as_mut() else { return };
        let Some(c) = r.cell.take() else { return };
        let location = Location {
            table: Some(table_number),
            row: Some(row_index as u32 + 1),
            column: Some(c.grid_col + 1),
            ..Location::default()
        };
        let cell_index = r.cells.len();
        let mut cell = Cell::new(c.paragraphs, location);
        cell.col_span = c.col_span;
        let g = c.grid_col as usize;
        if t.merges.len() < g + 1 {
            t.merges.resize(g + 1, None);
        }
        match c.vmerge {
            Some(true) => t.merges[g] = Some((row_index, cell_index)),
            Some(false) => {
                cell.continued = true;
                match t.merges[g] {
                    Some((ri, ci)) => {
                        if let Some(origin) = t.rows.get_mut(ri).and_then(|row| row.cells.get_mut(ci)) {
                            origin.row_span += 1;
                        }
                    }
                    // A continuation without a start: Word shows it as a cell of its own.
                    None => t.merges[g] = Some((row_index, cell_index)),
                }
            }
            None => t.merges[g] = None,
        }
        let col = r.grid_col as u64 + c.col_span as u64;
        r.grid_col = col.min(limits::MAX_GRID_COLUMNS) as u32;
        r.cells.push(cell);
        let what = |n| format!("a row spans {n} grid columns");
        self.limit(check(what, col, limits::MAX_GRID_COLUMNS, "MAX_GRID_COLUMNS"));
    }

    fn finish_row(&mut self) {
        let Some(t) = self.tables.last_mut() else { return };
        let Some(r) = t.row.take() else { return };
        let location = Location { table: Some(t.number), row: Some(t.rows.len() as u32 + 1), ..Location::default() };
        t.rows.push(Row { cells: r.cells, location, notes: Vec::new() });
        let rows = t.rows.len() as u64;
        self.limit(check(|n| format!("a table has {n} rows"), rows, limits::MAX_TABLE_ROWS, "MAX_TABLE_ROWS"));
        if !r.nested.is_empty() {
            if self.tables.len() == 1 {
                // Keep reading order: the rows so far, then the nested tables, then the rest.
                let t = &mut self.tables[0];
                let rows = std::mem::take(&mut t.rows);
                let number = t.number;
                self.push_table(number, rows);
                for n in r.nested {
                    self.blocks.push(Block::Table(n));
                }
            } else if let Some(parent) = self.tables.iter_mut().rev().nth(1) {
                if let Some(pr) = parent.row.as_mut() {
                    pr.nested.extend(r.nested);
                }
            }
        }
    }

    fn push_table(&mut self, number: u32, rows: Vec<Row>) {
        if rows.is_empty() {
            return;
        }
        let location = Location { table: Some(number), ..Location::default() };
        self.blocks.push(Block::Table(Table { rows, location }));
    }

    fn finish_table(&mut self) {
        let Some(t) = self.tables.pop() else { return };
        let table = Table { location: Location { table: Some(t.number), ..Location::default() }, rows: t.rows };
        match self.tables.last_mut() {
            Some(parent) => {
                if let Some(r) = parent.row.as_mut() {
                    if !table.rows.is_empty() {
                        r.nested.push(table);
                    }
                }
            }
            None => self.push_table(table.location.table.unwrap_or(0), table.rows),
        }
    }
}

fn val_u32(e: &BytesStart<'_>) -> Option<u32> {
    attr(e, "val")?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(inner: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{inner}<w:sectPr/></w:body></w:document>"#
        )
        .into_bytes()
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    }

    fn texts(d: &Document) -> Vec<Vec<Vec<String>>> {
        d.tables().map(|t| t.rows.iter().map(|r| r.cells.iter().map(Cell::text).collect()).collect()).collect()
    }

    #[test]
    fn paragraphs_and_runs() {
        let xml = body(&format!(
            "{}<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/></w:tabs></w:pPr><w:r><w:t>a</w:t></w:r><w:hyperlink><w:r><w:t>b</w:t></w:r></w:hyperlink><w:smartTag><w:r><w:t>c</w:t></w:r></w:smartTag><w:r><w:tab/><w:t>d&amp;&#x4E00;&#20108;</w:t></w:r></w:p>",
            p("标题")
        ));
        let d = read_document_xml(&xml).unwrap();
        let ps: Vec<&str> = d.paragraphs().map(|p| p.text.as_str()).collect();
        assert_eq!(ps, ["标题", "abc\td&一二"]);
        assert_eq!(d.paragraphs().nth(1).unwrap().location.paragraph, Some(2));
    }

    #[test]
    fn tracked_changes_fields_and_content_controls() {
        let xml = body(concat!(
            "<w:p><w:ins><w:r><w:t>kept</w:t></w:r></w:ins><w:del><w:r><w:delText>gone</w:delText></w:r></w:del>",
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>",
            "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
            "<w:fldSimple w:instr=\"NUMPAGES\"><w:r><w:t>9</w:t></w:r></w:fldSimple>",
            "<w:sdt><w:sdtPr><w:alias w:val=\"x\"/><w:placeholder><w:docPart w:val=\"y\"/></w:placeholder></w:sdtPr><w:sdtContent><w:r><w:t>S</w:t></w:r></w:sdtContent></w:sdt>",
            "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:r><w:t>C</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>F</w:t></w:r></mc:Fallback></mc:AlternateContent>",
            "</w:p>"
        ));
        let d = read_document_xml(&xml).unwrap();
        assert_eq!(d.paragraphs().next().unwrap().text, "kept79SC");
    }

    #[test]
    fn line_breaks_split_paragraphs_but_page_breaks_do_not() {
        let xml =
            body("<w:p><w:r><w:t>1.第一</w:t><w:br/><w:t>2.第二</w:t><w:br w:type=\"page\"/><w:t>!</w:t></w:r></w:p>");
        let d = read_document_xml(&xml).unwrap();
        let ps: Vec<&str> = d.paragraphs().map(|p| p.text.as_str()).collect();
        assert_eq!(ps, ["1.第一", "2.第二!"]);
    }

    #[test]
    fn grid_spans_and_vertical_merges() {
        let tc = |props: &str, text: &str| format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", p(text));
        let xml = body(&format!(
            "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>\
             <w:tr>{}{}</w:tr>\
             <w:tr>{}{}{}</w:tr>\
             <w:tr>{}{}{}</w:tr>\
             <w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>{}</w:tr></w:tbl>",
            tc("<w:gridSpan w:val=\"2\"/>", "207101天津市河北区人民法院"),
            tc("", "单位：万元"),
            tc("<w:vMerge w:val=\"restart\"/>", "产出指标"),
            tc("", "数量指标"),
            tc("", "≥217件"),
            "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>",
            tc("", "质量指标"),
            tc("", "≥50百分比"),
            tc("<w:gridSpan w:val=\"2\"/>", "late")
        ));
        let d = read_document_xml(&xml).unwrap();
        let t = d.tables().next().unwrap();
        assert_eq!(t.rows[0].cells[0].col_span, 2);
        assert_eq!(t.rows[0].cells[1].location.column, Some(3));
        assert_eq!(t.rows[1].cells[0].row_span, 2);
        assert!(t.rows[2].cells[0].continued);
        assert_eq!(t.rows[2].cells[0].text(), "");
        assert_eq!(t.rows[3].cells[0].location.column, Some(2));
        assert_eq!(t.rows[2].location.to_string(), "table 1, row 3");
        assert_eq!(texts(&d)[0][1], ["产出指标", "数量指标", "≥217件"]);
    }

    #[test]
    fn nested_tables_follow_their_row() {
        let inner = format!("<w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>", p("inner"));
        let xml = body(&format!(
            "<w:tbl><w:tr><w:tc>{}{inner}</w:tc></w:tr><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>{}",
            p("outer1"),
            p("outer2"),
            p("after")
        ));
        let d = read_document_xml(&xml).unwrap();
        assert_eq!(texts(&d), vec![vec![vec!["outer1"]], vec![vec!["inner"]], vec![vec!["outer2"]]]);
        let numbers: Vec<Option<u32>> = d.tables().map(|t| t.location.table).collect();
        assert_eq!(numbers, [Some(1), Some(2), Some(1)]);
        assert_eq!(d.paragraphs().next().unwrap().text, "after");
    }

    #[test]
    fn malformed_xml_is_an_error_not_a_panic() {
        assert!(read_document_xml(b"<w:document><w:body><w:p></w:body>").is_err());
        assert!(read_document_xml(&body("<w:tbl><w:tr><w:tc>")).is_err());
        assert!(read_document_xml(b"\xFF\xFE<").is_err());
    }
}
