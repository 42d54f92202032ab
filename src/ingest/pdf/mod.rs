//! PDF input: glyphs and ruling lines from each page, rebuilt into tables and paragraphs.
//!
//! Parsing is lopdf's; content streams are interpreted by our own interpreter ([`interpret`]),
//! which hands over every glyph where a viewer draws it and every ruling a painted path makes
//! ([`glyphs::Page`]); [`grid`] and [`aligned`] turn pages into the shared block model. Around
//! it:
//!
//! - [`budget`] holds the file to the caps of [`crate::ingest::limits`] before anything
//!   interprets it, inflating what the pages draw once;
//! - a Form XObject that draws itself is refused (a cycle) before interpretation;
//! - a glyph without a Unicode mapping is counted, and the document is marked `partial` (or
//!   `failed` when nothing was read), never `ok`;
//! - encrypted files are opened when their user password is empty (lopdf does so while
//!   loading), else reported;
//! - ToUnicode maps that give CJK radical code points for ordinary ideographs (⼀ U+2F00, ⻔
//!   U+2ED4) and full-width digits and letters are mapped back to what a reader sees;
//! - pages whose text runs bottom to top (a landscape table on a portrait page shown through
//!   `/Rotate`) are turned upright before grid recovery; slanted glyphs (watermarks) are dropped;
//! - tables without vertical rules (only horizontal ones, or none at all) are rebuilt from the
//!   alignment of their text ([`aligned`]).

pub mod aligned;
pub mod budget;
pub mod content;
pub mod glyphs;
pub mod grid;
pub mod interpret;
pub mod objects;
mod settings;

use std::collections::{BTreeMap, BTreeSet};

use lopdf::{Document as PdfDocument, Object, ObjectId};
use unicode_normalization::UnicodeNormalization;

use crate::blocks::{Block, Cell, Document, Row, Table};
use crate::error::Error;
use crate::grammars::{Grammars, Label};
use settings::TABLES;

/// Where the characters of a page model's text went that no table cell holds (whitespace not
/// counted): read as paragraphs, or set aside — page numbers and running lines in the margins,
/// slanted watermarks, glyphs outside the clipping path that no ruled cell's clip hid, a
/// table's header row repeated on its next page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextTally {
    pub outside_tables: u64,
    pub set_aside: u64,
}

/// Characters other than whitespace.
pub(crate) fn visible_chars(text: &str) -> u64 {
    text.chars().filter(|c| !c.is_whitespace()).count() as u64
}

/// What the PDF gave, and what it could not give.
pub struct PdfRead {
    pub document: Document,
    /// Where the text that no table cell took went.
    pub tally: TextTally,
    /// Content that could not be read (unmapped glyphs), for the document's status.
    pub lost: Vec<String>,
    /// Content set aside on purpose, counted and quoted (glyphs outside the clipping path).
    pub notes: Vec<String>,
}

/// Clipped glyphs quoted in the note: this many characters at most.
const QUOTED_CLIPPED: usize = 40;

pub fn read(bytes: &[u8], grammars: &Grammars) -> Result<PdfRead, Error> {
    let (mut pages, unmapped, budget_lost) = read_pages(bytes)?;
    let glyph_count: usize = pages.iter().map(|p| p.glyphs.iter().filter(|g| !g.clipped).count()).sum();
    if glyph_count == 0 {
        if unmapped > 0 {
            return Err(Error::Unsupported(format!(
                "none of the PDF's {unmapped} glyphs maps to Unicode (fonts without ToUnicode): the text cannot be read"
            )));
        }
        return Err(Error::Unsupported(format!(
            "no text layer on any of the {} page(s): a scanned PDF; run OCR first (e.g. ocrmypdf) and try again",
            pages.len()
        )));
    }
    let (blocks, notes, tally) = page_model_blocks(&mut pages, grammars);
    let mut lost = budget_lost;
    if unmapped > 0 {
        lost.push(format!("{unmapped} glyph(s) have no Unicode mapping and were not read"));
    }
    Ok(PdfRead { document: Document { blocks }, tally, lost, notes })
}

/// The note for the clipped glyphs of a page that no ruled cell took: set aside, counted and
/// quoted.
fn clipped_note(page: u32, set_aside: &[&glyphs::Glyph]) -> String {
    let text: String = set_aside.iter().map(|g| g.text.as_str()).collect();
    let mut quoted: String = text.chars().filter(|c| !c.is_whitespace()).take(QUOTED_CLIPPED).collect();
    if text.chars().filter(|c| !c.is_whitespace()).count() > QUOTED_CLIPPED {
        quoted.push('…');
    }
    format!(
        "page {page}: {} glyph(s) drawn outside the clipping path (not shown by a viewer) set aside: «{quoted}»",
        set_aside.len()
    )
}

/// The page model of every page of a PDF (glyphs where a viewer draws them, ruling segments),
/// before any table is looked for; with the count of glyphs no font gave text for and what
/// the budget pass says will not be read.
pub fn read_pages(bytes: &[u8]) -> Result<(Vec<glyphs::Page>, usize, Vec<String>), Error> {
    budget::check_nesting(bytes)?;
    let unreadable = |e: lopdf::Error| Error::Malformed(format!("unreadable PDF: {e}"));
    // The objects the pages use (classic cross-reference tables), else the whole file.
    let mut doc = match objects::load_pages_objects(bytes) {
        Some(doc) => doc,
        None => PdfDocument::load_mem(bytes).map_err(unreadable)?,
    };
    if let Some(fixed) = without_v1_key_length(bytes, &doc) {
        doc = PdfDocument::load_mem(&fixed).map_err(unreadable)?;
    }
    // lopdf opens files whose user password is empty while loading (encryption_state is then
    // set); any other encrypted file needs a password we do not have.
    if doc.is_encrypted() && doc.encryption_state.is_none() {
        open_with_empty_password(&mut doc)?;
    }
    if let Some(id) = xobject_cycle(&doc) {
        return Err(Error::Malformed(format!("Form XObject {} {} draws itself (a cycle): refused", id.0, id.1)));
    }
    // Everything the pages draw is inflated and counted here, within the caps.
    let budget::Prepared { pages, lost } = budget::prepare(&mut doc)?;
    let interpret::Interpreted { pages, unmapped } = interpret::interpret(&doc, &pages)?;
    Ok((pages, unmapped, lost))
}

/// The blocks of pages in the page model (glyphs and ruling segments): each page turned
/// upright and read by the table finder, then tables cut by page breaks stitched. Also reads
/// HTML renditions of PDF pages ([`crate::ingest::html`]).
/// The blocks of every page, tables joined across pages; with a note per page on the clipped
/// glyphs no ruled cell took (set aside), and where the text no table cell took went.
pub(crate) fn page_model_blocks(
    pages: &mut [glyphs::Page],
    grammars: &Grammars,
) -> (Vec<Block>, Vec<String>, TextTally) {
    let mut blocks: Vec<(u32, grid::Placed)> = Vec::new();
    let mut notes = Vec::new();
    let mut table_number = 1;
    let mut carry = aligned::Carry::default();
    let mut tally = TextTally::default();
    for page in pages.iter_mut() {
        for g in &mut page.glyphs {
            g.text = reader_text(&g.text);
        }
        tally.set_aside += upright(page);
    }
    tally.set_aside += drop_running_lines(pages);
    for page in pages.iter_mut() {
        let (placed, set_aside, furniture) = grid::page_blocks(page, table_number, grammars, &mut carry);
        tally.set_aside += furniture + set_aside.iter().map(|g| visible_chars(&g.text)).sum::<u64>();
        if !set_aside.is_empty() {
            notes.push(clipped_note(page.number, &set_aside));
        }
        for placed in placed {
            if matches!(placed.block, Block::Table(_)) {
                table_number += 1;
            }
            blocks.push((page.number, placed));
        }
    }
    let (blocks, repeated_headers) = stitch(blocks, grammars);
    tally.set_aside += repeated_headers;
    tally.outside_tables =
        blocks.iter().map(|b| if let Block::Paragraph(p) = b { visible_chars(&p.text) } else { 0 }).sum();
    (blocks, notes, tally)
}

/// Decrypts a file whose user password is empty (an owner password only restricts printing or
/// copying, which reading is not), when lopdf did not while loading.
fn open_with_empty_password(doc: &mut PdfDocument) -> Result<(), Error> {
    doc.decrypt("").map_err(|e| match e {
        lopdf::Error::Decryption(lopdf::encryption::DecryptionError::IncorrectPassword) => {
            Error::Unsupported(
                "encrypted PDF with a user password: open it with the password, save an unencrypted copy and run again"
                    .into(),
            )
        }
        e => Error::Unsupported(format!(
            "encrypted PDF that cannot be decrypted ({e}): open it in a PDF viewer, save an unencrypted copy and run again"
        )),
    })
}

/// lopdf refuses a `/Length` in a version-1 (RC4 40-bit) encryption dictionary, which the
/// standard implies and many producers write anyway, and then loads no object at all. The file
/// with that entry blanked out (same length, so every offset holds), when it has one.
fn without_v1_key_length(bytes: &[u8], doc: &PdfDocument) -> Option<Vec<u8>> {
    if doc.encryption_state.is_some() {
        return None;
    }
    let id = doc.trailer.get(b"Encrypt").and_then(Object::as_reference).ok()?;
    let lopdf::xref::XrefEntry::Normal { offset, .. } = doc.reference_table.get(id.0)? else { return None };
    let start = *offset as usize;
    let end = start + bytes.get(start..)?.windows(6).position(|w| w == b"endobj")?;
    let object = &bytes[start..end];
    let has_v1 = object.windows(4).any(|w| w == b"/V 1") || object.windows(3).any(|w| w == b"/V1");
    let at = object.windows(7).position(|w| w == b"/Length")?;
    if !has_v1 {
        return None;
    }
    let mut len_end = at + 7;
    while object.get(len_end).is_some_and(|c| c.is_ascii_whitespace() || c.is_ascii_digit()) {
        len_end += 1;
    }
    let mut fixed = bytes.to_vec();
    fixed[start + at..start + len_end].fill(b' ');
    Some(fixed)
}

/// Joins a table that ends a page with the table that starts the next one when their borders
/// line up: a repeated header row is dropped, and a first row that is the rest of a row or of a
/// merged label cut by the page break ([`page_cut`]) is joined to the row above. Also returns
/// the characters of the repeated header rows dropped.
fn stitch(blocks: Vec<(u32, grid::Placed)>, g: &Grammars) -> (Vec<Block>, u64) {
    let mut dropped = 0;
    // (page, left and right border of a table, block)
    type Stitched = (u32, Option<(f64, f64)>, Block);
    let mut out: Vec<Stitched> = Vec::new();
    let texts = |r: &Row| r.cells.iter().map(Cell::text).collect::<Vec<_>>();
    for (page, placed) in blocks {
        // A table that opens with an indicator header the table above does not have is another
        // table (a project's grid under its block on the next page), however its borders line up.
        let new_header = |a: &Table, b: &Table| {
            b.rows.first().is_some_and(|first| {
                let head = texts(first);
                g.indicator_header(&head).is_some() && !a.rows.iter().any(|r| texts(r) == head)
            })
        };
        // A grid's header row alone at the end of a page heads the next page's first table when
        // their columns agree in number, however their borders were estimated (text alignment
        // puts a centred header's borders elsewhere than its left-aligned rows').
        let lone_header = |a: &Table, b: &Table| {
            matches!(a.rows.as_slice(), [h] if g.indicator_header(&texts(h)).is_some())
                && b.rows.first().is_some_and(|f| f.cells.len() == a.rows[0].cells.len())
        };
        let continues = match (out.last(), &placed.block) {
            (Some((prev_page, Some(a_edges), Block::Table(a))), Block::Table(b)) => {
                let lined_up = placed.edges.is_some_and(|b| {
                    (b.0 - a_edges.0).abs() < TABLES.stitch_edges && (b.1 - a_edges.1).abs() < TABLES.stitch_edges
                });
                *prev_page + 1 == page
                    && out.last().is_none_or(|(p, _, _)| *p < page)
                    && (lined_up || lone_header(a, b))
                    && !new_header(a, b)
            }
            _ => false,
        };
        let (Some((last_page, _, Block::Table(a))), Block::Table(b), true) = (out.last_mut(), &placed.block, continues)
        else {
            out.push((page, placed.edges, placed.block));
            continue;
        };
        *last_page = page;
        // Both halves drawing an empty first column: read without it, so that the first column
        // is the one holding the rows' first cells (the page-break rules below look at it).
        let mut b_rows = b.rows.clone();
        if empty_first_column(&a.rows) && empty_first_column(&b_rows) {
            drop_first_column(&mut a.rows);
            drop_first_column(&mut b_rows);
        }
        let mut rows = b_rows.iter().cloned();
        let in_grid =
            a.rows.iter().any(|r| g.indicator_header(&r.cells.iter().map(Cell::text).collect::<Vec<_>>()).is_some());
        let Some(mut first) = rows.next() else { continue };
        // The first column's cell above the break, or the merged cell it belongs to.
        let origin = a.rows.iter().rposition(|r| r.cells.first().is_some_and(|c| !c.continued));
        let origin_head = origin.and_then(|i| a.rows[i].cells.first()).map(Cell::text).unwrap_or_default();
        if let Some(o) = origin {
            name_from_next_page(g, &mut a.rows, o, &b_rows);
        }
        match page_cut(g, a.rows.last(), &origin_head, &first, in_grid) {
            Cut::RepeatedHeader => {
                // The lower row of a two-row header, repeated under it, goes too.
                let chars = |r: &Row| r.cells.iter().map(|c| visible_chars(&c.text())).sum::<u64>();
                dropped += chars(&first);
                let header = a.rows.iter().position(|r| texts(r) == texts(&first));
                let lower = header.and_then(|h| a.rows.get(h + 1)).map(texts);
                if lower.is_some_and(|l| b_rows.get(1).is_some_and(|r| texts(r) == l)) {
                    dropped += rows.next().map_or(0, |r| chars(&r));
                }
            }
            Cut::RowContinues => {
                if let Some(last) = a.rows.last_mut() {
                    append_row(last, first);
                }
            }
            cut @ (Cut::LabelContinues | Cut::LabelEnds) => {
                // The rest of the merged label goes to the label's cell.
                if let (Some(i), Some(rest)) = (origin, first.cells.first_mut()) {
                    let text = std::mem::take(&mut rest.paragraphs).concat();
                    if let Some(p) = a.rows[i].cells[0].paragraphs.last_mut() {
                        p.push_str(&text);
                    }
                    rest.continued = true;
                    a.rows[i].notes.push("merged label cell continues across a page break; joined".into());
                }
                if matches!(cut, Cut::LabelContinues) {
                    a.rows.push(first);
                }
            }
            Cut::LabelRepeated => {
                if let Some(label) = first.cells.first_mut() {
                    dropped += visible_chars(&label.text());
                    label.paragraphs.clear();
                    label.continued = true;
                }
                first.notes.push("merged label drawn again after a page break; read as the cell above".into());
                a.rows.push(first);
            }
            Cut::NewRow => a.rows.push(first),
        }
        a.rows.extend(rows);
    }
    (out.into_iter().map(|(_, _, b)| b).collect(), dropped)
}

/// Whether the first column is empty on every row (a double left border drawn as a column of
/// its own). It holds no text, so reading the table without it loses nothing; the other cells
/// keep their grid columns.
fn empty_first_column(rows: &[Row]) -> bool {
    let empty_lead = |r: &Row| {
        r.cells.len() > 1
            && r.cells[0].col_span <= 1
            && r.cells[0].location.column == Some(1)
            && r.cells[0].text().is_empty()
    };
    !rows.is_empty() && rows.iter().all(empty_lead)
}

fn drop_first_column(rows: &mut [Row]) {
    for r in rows.iter_mut() {
        r.cells.remove(0);
    }
}

/// A merged cell cut by a page break whose text the producer centred over the whole cell (Excel
/// and WPS exports): the part above the break shows nothing — the text lies outside that page's
/// clip — and the part on the next page shows it, under a repeated header. The block above the
/// break (rows `origin..` of `rows`) is the same cell's upper part: its empty merged cells take
/// the text of the next page's first block, column by column, so that its rows keep their
/// project. Only cells merged over the block's rows (continued below `origin`), only when the
/// two blocks have the same columns and the next one is no header or label row.
fn name_from_next_page(g: &Grammars, rows: &mut [Row], origin: usize, next: &[Row]) {
    let shape = |r: &Row| r.cells.iter().map(|c| c.col_span).collect::<Vec<_>>();
    let block = &rows[origin..];
    let head_empty = block[0].cells.first().is_some_and(|c| c.text().is_empty());
    if !head_empty || block.len() < 2 || !block[1].cells.first().is_some_and(|c| c.continued) {
        return;
    }
    let texts = |r: &Row| r.cells.iter().map(Cell::text).collect::<Vec<_>>();
    let Some(below) = next.iter().take(4).find(|r| {
        let t = texts(r);
        let head = t.first().cloned().unwrap_or_default();
        r.cells.first().is_some_and(|c| !c.continued)
            && !head.is_empty()
            && g.indicator_header(&t).is_none()
            && g.label(&head).is_none()
            && g.indicator_column(&head).is_none()
            && !g.is_level1(&head)
    }) else {
        return;
    };
    if shape(below) != shape(&block[0]) {
        return;
    }
    let mut filled = false;
    for j in 0..below.cells.len() {
        let merged = rows[origin + 1..].iter().all(|r| r.cells.get(j).is_some_and(|c| c.continued));
        let text = below.cells[j].text();
        if merged && !text.is_empty() && rows[origin].cells[j].text().is_empty() {
            rows[origin].cells[j].paragraphs = below.cells[j].paragraphs.clone();
            filled = true;
        }
    }
    if filled {
        rows[origin].notes.push(
            "merged cell cut by a page break, its text drawn on the next page only (outside this page's clip); \
             taken from there"
                .into(),
        );
    }
}

/// Running headers and footers, found by repetition: a line in the top or bottom margin of the
/// page (`TABLES.running_margin`), outside every table's rulings, whose text (digits aside: page
/// numbers change) stands at the same height on at least two pages, and on most pages of a file
/// of more than three. Its glyphs are dropped; returns their characters.
fn drop_running_lines(pages: &mut [glyphs::Page]) -> u64 {
    // (page, the glyphs of a line, its key: text with digits as '#', height to the point)
    let mut lines: Vec<(usize, Vec<usize>, (String, i64))> = Vec::new();
    for (k, page) in pages.iter().enumerate() {
        let margin = page.height * TABLES.running_margin;
        let ruled = page.segments.iter().filter(|s| s.is_vertical()).fold(None, |acc: Option<(f64, f64)>, s| {
            let (a, b) = (s.y1.min(s.y2), s.y1.max(s.y2));
            Some(acc.map_or((a, b), |(lo, hi)| (lo.min(a), hi.max(b))))
        });
        let mut groups: Vec<(f64, Vec<usize>)> = Vec::new();
        let mut order: Vec<usize> = (0..page.glyphs.len()).filter(|&i| !page.glyphs[i].clipped).collect();
        order.sort_by(|&a, &b| {
            page.glyphs[a].y.total_cmp(&page.glyphs[b].y).then(page.glyphs[a].x.total_cmp(&page.glyphs[b].x))
        });
        for i in order {
            let g = &page.glyphs[i];
            let in_margin = g.y < margin || g.y > page.height - margin;
            let in_table = ruled.is_some_and(|(lo, hi)| g.y >= lo && g.y <= hi);
            if !in_margin || in_table {
                continue;
            }
            match groups.last_mut() {
                Some((y, members)) if (*y - g.y).abs() <= g.size * 0.4 => members.push(i),
                _ => groups.push((g.y, vec![i])),
            }
        }
        for (y, members) in groups {
            let text: String = members
                .iter()
                .flat_map(|&i| page.glyphs[i].text.chars())
                .filter(|c| !c.is_whitespace())
                .map(|c| if c.is_ascii_digit() { '#' } else { c })
                .collect();
            // (A bare page number is read as furniture where it stands, with the table finder's
            // view of the page: see grid::is_page_furniture.)
            if text.chars().any(|c| c != '#') {
                lines.push((k, members, (text, y.round() as i64)));
            }
        }
    }
    let mut pages_with: BTreeMap<&(String, i64), BTreeSet<usize>> = BTreeMap::new();
    for (k, _, key) in &lines {
        pages_with.entry(key).or_default().insert(*k);
    }
    let running = |key: &(String, i64)| {
        let n = pages_with.get(key).map_or(0, BTreeSet::len);
        n >= 2 && (pages.len() <= 3 || 2 * n > pages.len())
    };
    let mut drop: Vec<Vec<usize>> = vec![Vec::new(); pages.len()];
    for (k, members, key) in &lines {
        if running(key) {
            drop[*k].extend(members);
        }
    }
    let mut dropped = 0;
    for (page, mut members) in pages.iter_mut().zip(drop) {
        members.sort_unstable();
        for &i in members.iter().rev() {
            dropped += visible_chars(&page.glyphs.remove(i).text);
        }
    }
    dropped
}

/// Turns a page so that its text runs left to right: a landscape table drawn rotated (as on a
/// portrait page with `/Rotate`) is read like any other. The writing direction most glyphs share
/// decides; slanted glyphs (diagonal watermarks) are dropped: returns their characters.
fn upright(page: &mut glyphs::Page) -> u64 {
    let slanted: u64 = page.glyphs.iter().filter(|g| g.axis().is_none()).map(|g| visible_chars(&g.text)).sum();
    page.glyphs.retain(|g| g.axis().is_some());
    let mut votes = [0usize; 4];
    for g in &page.glyphs {
        if let Some(a) = g.axis() {
            votes[(a / 90) as usize % 4] += 1;
        }
    }
    let quarter = (0..4).max_by_key(|&k| (votes[k], std::cmp::Reverse(k))).unwrap_or(0);
    if quarter == 0 {
        return slanted;
    }
    let (w, h) = (page.width, page.height);
    let turn = |x: f64, y: f64| match quarter {
        1 => (y, w - x),
        2 => (w - x, h - y),
        _ => (h - y, x),
    };
    for g in &mut page.glyphs {
        (g.x, g.y) = turn(g.x, g.y);
        g.angle = (g.angle - 90.0 * quarter as f64).rem_euclid(360.0);
        if let Some([x0, y0, x1, y1]) = g.clip {
            let ((ax, ay), (bx, by)) = (turn(x0, y0), turn(x1, y1));
            g.clip = Some([ax.min(bx), ay.min(by), ax.max(bx), ay.max(by)]);
        }
    }
    for s in &mut page.segments {
        *s = glyphs::Segment::new(turn(s.x1, s.y1), turn(s.x2, s.y2)).drawn(s.thickness, s.colour);
    }
    if quarter % 2 == 1 {
        (page.width, page.height) = (h, w);
    }
    slanted
}

/// What the first row of a table continued from the previous page is.
enum Cut {
    /// The header row, repeated.
    RepeatedHeader,
    /// The rest of the row above, cut by the page break: its cells continue the cells above.
    RowContinues,
    /// A row of its own whose first cell is the rest of a merged label cut by the break
    /// (`预算规模及资金用` | `途`).
    LabelContinues,
    /// Only the rest of a merged label, on an otherwise empty row (`资金支出计划` … | `（%）`).
    LabelEnds,
    /// A row of its own under a merged label drawn again on the new page (Calc repeats a
    /// merged cell's text on every page it spans): the label is the cell above's, continued.
    LabelRepeated,
    NewRow,
}

/// Decided by the grammar, as the text-dump rows are: an indicator row starts with a level-1 name
/// or a merged cell, then a level-2 name; a label cut in two is a label only when joined.
/// `origin_head` is the text of the first-column cell above the break (or of the merged cell
/// that covers it).
fn page_cut(g: &Grammars, above: Option<&Row>, origin_head: &str, first: &Row, in_grid: bool) -> Cut {
    let texts: Vec<String> = first.cells.iter().map(Cell::text).collect();
    if g.indicator_header(&texts).is_some() {
        return Cut::RepeatedHeader;
    }
    if in_grid {
        // The rest of a cut row has the row's columns; anything else (a new form's title) is new.
        let shape = |r: &Row| r.cells.iter().map(|c| c.col_span).collect::<Vec<_>>();
        let same_shape = above.is_some_and(|a| shape(a) == shape(first));
        // A new row begins with a level name after the merged cells cut by the break (empty
        // here): `| 产出指标 | 数量指标 | …`, `| | 社会效益指标 | …`.
        let first_text = texts.iter().position(|t| !t.is_empty());
        let starts_row = texts.len() >= 2
            && first_text.is_some_and(|k| k + 1 < texts.len() && (g.is_level1(&texts[k]) || g.is_level2(&texts[k])));
        // Or, after cells merged down the new page (a listing's name, amounts and goal, an outer
        // label), an indicator's levels — a level-1 and a level-2 name, or the three run together
        // — where the row above opens its own: one row holds one indicator.
        let above_texts: Vec<String> = above.map(|a| a.cells.iter().map(Cell::text).collect()).unwrap_or_default();
        let opens = |t: &[String], k: usize| {
            (g.is_level1(&t[k]) && t.get(k + 1).is_some_and(|n| g.is_level2(n))) || g.packed_levels(&t[k]).is_some()
        };
        let levels_again =
            (0..texts.len()).any(|k| opens(&texts, k) && k < above_texts.len() && opens(&above_texts, k));
        let starts_row = starts_row || levels_again;
        return if starts_row || !same_shape { Cut::NewRow } else { Cut::RowContinues };
    }
    let Some(head) = texts.first() else { return Cut::NewRow };
    let is_label = |t: &str| g.label(t).is_some() || g.indicator_column(t).is_some();
    // The 预算规模及资金用途 block and the spending plan span rows; the other fields hold one.
    let spans_rows = |l: Label| matches!(l, Label::BudgetBlock | Label::SpendingPlan);
    let single_row_field = |t: &str| g.label(t).is_some_and(|l| !spans_rows(l));
    let multi_row_label = |t: &str| g.label(t).is_some_and(spans_rows);
    // A row whose inner label the page cut (`其中：财政` | … above, `资金` below — the upper part
    // may be a label's spelling itself): the rest of that row, in the same cells.
    let above_texts: Vec<String> = above.map(|a| a.cells.iter().map(Cell::text).collect()).unwrap_or_default();
    let same_shape = above.is_some_and(|a| {
        a.cells.len() == first.cells.len() && a.cells.iter().zip(&first.cells).all(|(x, y)| x.col_span == y.col_span)
    });
    let inner_label_cut = same_shape
        && texts
            .iter()
            .zip(&above_texts)
            .skip(1)
            .any(|(t, a)| !t.is_empty() && !is_label(t) && !a.is_empty() && is_label(&format!("{a}{t}")));
    // (A label of several rows cannot start again before a new project's title and code rows.)
    if !head.is_empty() && *head == origin_head && multi_row_label(head) {
        return Cut::LabelRepeated;
    }
    if !head.is_empty() && !is_label(head) && is_label(&format!("{origin_head}{head}")) {
        // The label cut in the row above it, not in a merged cell above that: the rest of that
        // row, label and value alike — a one-row field's (`项目名` | `…-中` above, `称` |
        // `央（…）` below), or any row whose inner label was cut too (`预算规模及资` | … |
        // `其中：财政` | … above, `金用途` | … | `资金` | … below).
        let above_is_origin =
            above.and_then(|r| r.cells.first()).is_some_and(|c| !c.continued && c.text() == origin_head);
        let one_row = single_row_field(&format!("{origin_head}{head}"))
            && above.is_some_and(|a| a.cells.len() == first.cells.len());
        if above_is_origin && (one_row || inner_label_cut) {
            return Cut::RowContinues;
        }
        let others_empty = texts.iter().skip(1).all(|t| t.is_empty());
        return if others_empty { Cut::LabelEnds } else { Cut::LabelContinues };
    }
    if inner_label_cut {
        return Cut::RowContinues;
    }
    // A label row (项目编码 | … | 项目名称 | …) whose wrapped values run onto the next page.
    let above_head = above.and_then(|r| r.cells.first()).filter(|c| !c.continued).map(Cell::text).unwrap_or_default();
    let above_is_field = single_row_field(&above_head);
    if head.is_empty() && above_is_field && !texts.iter().any(|t| is_label(t)) {
        return Cut::RowContinues;
    }
    Cut::NewRow
}

/// The rest of a row cut by a page break: each cell's text continues the cell above.
fn append_row(row: &mut Row, rest: Row) {
    for (cell, more) in row.cells.iter_mut().zip(rest.cells) {
        let mut paragraphs = more.paragraphs.into_iter();
        match cell.paragraphs.last_mut() {
            Some(last) => last.push_str(&paragraphs.next().unwrap_or_default()),
            None => cell.continued = false,
        }
        cell.paragraphs.extend(paragraphs);
    }
    row.notes.push("row continues across a page break; joined".into());
}

/// Radical code points some ToUnicode maps give for ordinary ideographs, and full-width digits
/// and letters, mapped to what a reader sees. Full-width punctuation (：，（）％) is ordinary
/// Chinese text and stays; the value grammar reads `９５％` as 95 % anyway (NFKC). Kangxi radicals (U+2F00–U+2FD5) have NFKC
/// mappings; the CJK Radicals Supplement needs a table.
fn reader_text(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let mapped: Option<char> = match c as u32 {
                0x2F00..=0x2FD5 => c.nfkc().next(),
                0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => char::from_u32(c as u32 - 0xFEE0),
                _ => RADICALS_SUPPLEMENT.iter().find(|(r, _)| *r == c).map(|(_, u)| *u),
            };
            std::iter::once(mapped.unwrap_or(c))
        })
        .collect()
}

/// CJK Radicals Supplement forms (U+2E80–U+2EF3) and the simplified ideographs they stand for.
const RADICALS_SUPPLEMENT: &[(char, char)] = &[
    ('⺁', '厂'),
    ('⺇', '几'),
    ('⺌', '小'),
    ('⺍', '小'),
    ('⺎', '兀'),
    ('⺏', '尣'),
    ('⺐', '尢'),
    ('⺓', '幺'),
    ('⺕', '彐'),
    ('⺠', '民'),
    ('⺟', '母'),
    ('⺡', '氵'),
    ('⺢', '氺'),
    ('⺣', '灬'),
    ('⺤', '爫'),
    ('⺩', '王'),
    ('⺫', '罒'),
    ('⺮', '竹'),
    ('⺶', '羊'),
    ('⺻', '聿'),
    ('⻁', '虎'),
    ('⻄', '西'),
    ('⻅', '见'),
    ('⻆', '角'),
    ('⻈', '讠'),
    ('⻉', '贝'),
    ('⻋', '车'),
    ('⻓', '长'),
    ('⻔', '门'),
    ('⻗', '雨'),
    ('⻘', '青'),
    ('⻙', '韦'),
    ('⻚', '页'),
    ('⻛', '风'),
    ('⻜', '飞'),
    ('⻝', '食'),
    ('⻢', '马'),
    ('⻣', '骨'),
    ('⻤', '鬼'),
    ('⻥', '鱼'),
    ('⻦', '鸟'),
    ('⻩', '黄'),
    ('⻬', '齐'),
    ('⻮', '齿'),
    ('⻰', '龙'),
    ('⻳', '龟'),
];

/// A Form XObject that reaches itself through the XObjects of its resources.
fn xobject_cycle(doc: &PdfDocument) -> Option<ObjectId> {
    let mut edges: BTreeMap<ObjectId, Vec<ObjectId>> = BTreeMap::new();
    for (id, object) in &doc.objects {
        let Ok(stream) = object.as_stream() else { continue };
        let is_form = stream.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Form");
        if !is_form {
            continue;
        }
        let deref = |o: &Object| -> Option<Object> {
            match o {
                Object::Reference(r) => doc.get_object(*r).ok().cloned(),
                other => Some(other.clone()),
            }
        };
        let Some(resources) = stream.dict.get(b"Resources").ok().and_then(deref) else { continue };
        let Ok(resources) = resources.as_dict() else { continue };
        let Some(xobjects) = resources.get(b"XObject").ok().and_then(deref) else { continue };
        let Ok(xobjects) = xobjects.as_dict() else { continue };
        let targets: Vec<ObjectId> = xobjects.iter().filter_map(|(_, o)| o.as_reference().ok()).collect();
        edges.insert(*id, targets);
    }
    // Depth-first search with colours; iterative, so a long chain cannot overflow our stack.
    let mut done: BTreeSet<ObjectId> = BTreeSet::new();
    for &start in edges.keys() {
        if done.contains(&start) {
            continue;
        }
        let mut on_path: BTreeSet<ObjectId> = BTreeSet::new();
        let mut stack: Vec<(ObjectId, usize)> = vec![(start, 0)];
        on_path.insert(start);
        while let Some((node, i)) = stack.pop() {
            let next = edges.get(&node).and_then(|t| t.get(i)).copied();
            match next {
                Some(n) => {
                    stack.push((node, i + 1));
                    if on_path.contains(&n) {
                        return Some(n);
                    }
                    if !done.contains(&n) && edges.contains_key(&n) {
                        on_path.insert(n);
                        stack.push((n, 0));
                    }
                }
                None => {
                    on_path.remove(&node);
                    done.insert(node);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radicals_and_full_width_forms_read_as_a_reader_sees_them() {
        assert_eq!(reader_text("⼀级指标"), "一级指标");
        assert_eq!(reader_text("部⻔"), "部门");
        assert_eq!(reader_text("９５％"), "95％");
        // Full-width punctuation is real Chinese text and stays.
        assert_eq!(reader_text("其中：财政资金（万元）"), "其中：财政资金（万元）");
    }

    use crate::blocks::Location;

    fn row(texts: &[&str]) -> Row {
        Row::of_texts(texts)
    }

    #[test]
    fn a_new_page_opening_an_indicator_under_merged_cells_is_a_new_row() {
        let g = Grammars::builtin();
        // Beijing 国资委 p.23: the project's name, amounts and goal merged down the page, then
        // the levels of an indicator — the row above held one already.
        let above =
            row(&["", "", "", "", "", "", "成本指标", "经济成本指标", "战略使命评价业务咨询成本", "≤", "35", "万元"]);
        let first = row(&[
            "",
            "1100-国企改制改革工作经费",
            "236.58",
            "236.58",
            "",
            "技创新发展研究",
            "成本指标",
            "经济成本指标",
            "促消费行动咨询服务成本",
            "≤",
            "30",
            "万元",
        ]);
        assert!(matches!(page_cut(g, Some(&above), "", &first, true), Cut::NewRow));
        // p.38: an outer label drawn again, then the three levels run together.
        let above = row(&["", "新闻宣传工作", "效益指标社会效益指标关注度提升效果", "定性", "优", ""]);
        let first = row(&["整体绩效目标", "法治工作", "产出指标数量指标法律顾问等级资格评审", "＝", "1", "次"]);
        assert!(matches!(page_cut(g, Some(&above), "", &first, true), Cut::NewRow));
        // The rest of a row cut by the page: no level names of its own.
        let above = row(&["", "成本指标", "经济成本指标", "市管企业科技创新调查", "≤", "19", "万元"]);
        let rest = row(&["", "", "", "咨询成本", "", "", ""]);
        assert!(matches!(page_cut(g, Some(&above), "", &rest, true), Cut::RowContinues));
    }

    #[test]
    fn a_label_cut_by_the_page_continues_its_row_or_its_merged_cell() {
        let g = Grammars::builtin();
        // LibreOffice at 16 pt: 项目名称 wraps in its cell and the page cuts between the lines;
        // the value is cut too. One row: both halves join.
        let above = row(&["项目名", "法院办案业务、业务装备及审判辅助事务外包-中"]);
        let first = row(&["称", "央（业务装备购置）"]);
        assert!(matches!(page_cut(g, Some(&above), "项目名", &first, false), Cut::RowContinues));
        // A label merged down several rows (预算规模及资金用途): the row on the new page is a
        // row of its own under the same label.
        let above = row(&["预算规模及资金用", "预算数", "292.00", "其中：财政资金", "292.00", "其他资金", ""]);
        let first = row(&["途", "用于干警及聘任制书记员等人员办案业务相关支出。"]);
        assert!(matches!(page_cut(g, Some(&above), "预算规模及资金用", &first, false), Cut::LabelContinues));
    }

    #[test]
    fn a_row_whose_inner_label_the_page_cut_continues() {
        let g = Grammars::builtin();
        // LibreOffice at 16 pt: 其中：财政资金 wraps in its cell; the page cuts between its lines.
        let above = row(&["预算规模及资金用途", "预算数", "292.00", "其中：财政", "292.00", "其他资金", ""]);
        let rest = row(&["", "", "", "资金", "", "", ""]);
        assert!(matches!(page_cut(g, Some(&above), "预算规模及资金用途", &rest, false), Cut::RowContinues));
        // The merged label beside it cut too (the page cuts both between their lines).
        let above = row(&["预算规模及资", "预算数", "292.00", "其中：财政", "292.00", "其他资金", ""]);
        let rest = row(&["金用途", "", "", "资金", "", "", ""]);
        assert!(matches!(page_cut(g, Some(&above), "预算规模及资", &rest, false), Cut::RowContinues));
        // The spending plan's second row under its first: a row of its own.
        let above = row(&["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"]);
        let next = row(&["", "25%", "50%", "75%", "100%"]);
        assert!(matches!(page_cut(g, Some(&above), "资金支出计划（%）", &next, false), Cut::NewRow));
    }

    #[test]
    fn a_merged_label_drawn_again_on_the_next_page_is_the_cell_above() {
        let g = Grammars::builtin();
        // Calc prints a merged cell's text on each page it spans.
        let above = row(&["预算规模及资金用途", "预算数", "921.38", "其中：财政资金", "921.38", "其他资金", ""]);
        let first = row(&["预算规模及资金用途", "用于我院公务运转支出。"]);
        assert!(matches!(page_cut(g, Some(&above), "预算规模及资金用途", &first, false), Cut::LabelRepeated));
        // A one-row label of the same text is a row of its own.
        let above = row(&["项目名称", "甲"]);
        let first = row(&["项目名称", "乙"]);
        assert!(matches!(page_cut(g, Some(&above), "项目名称", &first, false), Cut::NewRow));
    }

    fn placed(rows: Vec<Row>, edges: (f64, f64)) -> grid::Placed {
        let table = crate::blocks::Table { rows, location: Location::default() };
        grid::Placed { top: 700.0, edges: Some(edges), block: Block::Table(table) }
    }

    #[test]
    fn a_header_row_alone_at_a_page_end_heads_the_next_pages_rows() {
        let g = Grammars::builtin();
        let header = row(&["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]);
        let data = row(&["产出指标", "数量指标", "人民陪审员数量", "人民陪审员数量", "≥50人", "中院工作计划"]);
        // Borders estimated from a centred header and from left-aligned rows differ.
        let blocks =
            vec![(3, placed(vec![header.clone()], (100.0, 470.0))), (4, placed(vec![data.clone()], (104.0, 466.0)))];
        let (out, _) = stitch(blocks, g);
        assert!(matches!(out.as_slice(), [Block::Table(t)] if t.rows.len() == 2), "one table of two rows");
        // Other rows than a lone header keep needing borders that line up.
        let blocks =
            vec![(3, placed(vec![header, data.clone()], (100.0, 470.0))), (4, placed(vec![data], (104.0, 466.0)))];
        assert_eq!(stitch(blocks, g).0.len(), 2);
    }
}
