//! HTML pages: saved disclosure pages, Word's and WPS's HTML exports, and CMS renditions of
//! PDFs. Parsed with html5ever (the HTML5 tree construction browsers use: implied and
//! misnested tags repaired, a bare `<` as in `<15万元` kept as text) into a small DOM
//! ([`dom`]), then read like the other formats:
//!
//! - `<table>` markup becomes tables with the cell grid a browser lays out: `colspan` is a
//!   cell's column span, `rowspan` covers the cells below, which become `continued` cells (as
//!   Word's `vMerge` continuations and a sheet's merged regions do). A table that holds tables
//!   in its cells, or has a single cell, is page layout, not data: its content is read as the
//!   page's flow. `<caption>` is a paragraph before its table.
//! - Other text becomes paragraphs; block elements and `<br>` end a paragraph; white space
//!   collapses as a browser shows it.
//! - Not data: `<head>`, scripts, styles, `<noscript>`, `<template>`, forms' controls, embedded
//!   objects, navigation and page chrome (`<nav>`, `<header>`, `<footer>`, `<aside>`, ARIA
//!   `navigation`/`banner`/`contentinfo`), and elements hidden with `hidden` or an inline
//!   `display:none`.
//! - A positioned rendition — each PDF page a box of absolutely positioned text runs and thin
//!   ruling boxes, no `<table>` — is turned into the PDF reader's page model and read by its
//!   table finder ([`positioned`]).
//! - Links to attachments (.xlsx .xls .pdf .doc .docx .wps .et) are collected: a landing page
//!   whose targets sit in an attachment says so in its reason.
//!
//! The character set comes from a byte-order mark, else `<meta charset>` or `<meta
//! http-equiv="Content-Type">`; a declaration the bytes contradict is overruled as for text
//! dumps ([`detect::decode_text`]): valid UTF-8 is UTF-8 whatever the page says, and bytes the
//! declared charset cannot decode are decoded as GB18030 or repaired UTF-8.

mod dom;
mod positioned;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use super::detect;
use super::limits::{self, check, Budget};
use crate::blocks::{Block, Cell, Document, Location, Paragraph, Row, Table};
use crate::error::Error;
use crate::grammars::Grammars;
use dom::{Data, Dom, DOCUMENT};

/// File extensions of attachments a landing page may link to.
pub const ATTACHMENT_EXTENSIONS: &[&str] = &["xlsx", "xls", "pdf", "doc", "docx", "wps", "et"];

/// A link to an attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The `href` as written.
    pub href: String,
    /// The attachment's file name: the last segment of the link's path, percent-decoded (else
    /// the link's text, when that is the file name).
    pub file_name: String,
}

/// What a page gave.
#[derive(Debug)]
pub struct HtmlRead {
    pub document: Document,
    /// The character set the page was read in, and what it declared when that was overruled.
    pub encoding: String,
    /// Links to attachments, in page order, each once.
    pub links: Vec<Link>,
    /// What could not be read (bytes that were no character), for the document's status.
    pub lost: Vec<String>,
}

/// Whether the bytes begin like an HTML page (the WHATWG MIME sniffing rule: after white space
/// and a byte-order mark, one of the tags that start pages, or a comment).
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head: Vec<u8> = if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let codec = if bytes[0] == 0xFF { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
        let end = bytes.len().min(1026);
        codec.decode_without_bom_handling(&bytes[2..end - (end % 2)]).0.into_owned().into_bytes()
    } else {
        bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes).iter().take(1024).copied().collect()
    };
    let start = head.iter().position(|b| !b" \t\n\x0C\r".contains(b)).unwrap_or(head.len());
    let head = &head[start..];
    const TAGS: &[&[u8]] = &[
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<script",
        b"<iframe",
        b"<h1",
        b"<div",
        b"<font",
        b"<table",
        b"<a",
        b"<style",
        b"<title",
        b"<b",
        b"<body",
        b"<br",
        b"<p",
        b"<meta",
    ];
    let lower: Vec<u8> = head.iter().take(16).map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"<!--") {
        return true;
    }
    TAGS.iter().any(|t| lower.starts_with(t) && lower.get(t.len()).is_some_and(|&b| b == b' ' || b == b'>'))
}

pub fn read(bytes: &[u8], g: &Grammars) -> Result<HtmlRead, Error> {
    let (text, encoding, lost) = decode(bytes)?;
    let dom = Dom::parse(&text);
    drop(text);
    if let Some(e) = dom.overflow {
        return Err(e);
    }
    let links = links(&dom);
    if let Some(pages) = positioned::pages(&dom) {
        let document = positioned::read(&dom, pages, g)?;
        return Ok(HtmlRead { document, encoding, links, lost });
    }
    let mut reader = Reader { dom: &dom, blocks: Vec::new(), tables: 0, paragraphs: 0, budget: Budget::default() };
    let root = dom.find("body").unwrap_or(DOCUMENT);
    let mut flow = Flow::default();
    reader.flow(root, &mut flow, 0)?;
    reader.end_paragraph(&mut flow)?;
    Ok(HtmlRead { document: Document { blocks: reader.blocks }, encoding, links, lost })
}

/// The page's text, the name of its character set, and what was lost decoding it.
fn decode(bytes: &[u8]) -> Result<(String, String, Vec<String>), Error> {
    let undecodable = || Error::Malformed("the page's bytes are not text in any character set it could be in".into());
    if bytes.starts_with(b"\xEF\xBB\xBF") || bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (text, encoding) = detect::decode_text(bytes).ok_or_else(undecodable)?;
        return Ok((text, encoding.to_string(), Vec::new()));
    }
    let declared = declared_charset(bytes);
    let said = |name: &str| match declared {
        Some(d) if d.name() != name && !(d == UTF_8 && name == detect::UTF8_REPAIRED) => {
            format!("{name} (declared {})", d.name())
        }
        _ => name.to_string(),
    };
    // Valid UTF-8 with any non-ASCII byte is UTF-8, whatever the page declares: GBK decodes
    // most UTF-8 byte pairs without an error, into the wrong characters.
    if let Some(text) = detect::utf8_allowing_cut_end(bytes) {
        let ascii = text.is_ascii();
        let name = if ascii { declared.map_or("UTF-8", |d| d.name()) } else { "UTF-8" };
        return Ok((text.to_string(), if ascii { name.to_string() } else { said("UTF-8") }, Vec::new()));
    }
    // Only multi-byte Chinese declarations are taken at their word: a single-byte charset
    // decodes anything, so it is never a sign the bytes are in it.
    if let Some(d) = declared.filter(|d| ["GBK", "gb18030", "Big5"].contains(&d.name())) {
        if let (text, false) = d.decode_without_bom_handling(bytes) {
            return Ok((text.into_owned(), d.name().to_string(), Vec::new()));
        }
    }
    let (text, encoding) = detect::decode_text(bytes).ok_or_else(undecodable)?;
    let mut lost = Vec::new();
    if encoding == detect::UTF8_REPAIRED {
        let n = text.matches('\u{FFFD}').count();
        lost.push(format!("{n} byte sequence(s) that are not UTF-8 were replaced by U+FFFD"));
    }
    Ok((text, said(encoding), lost))
}

/// The character set a page declares in a `<meta>` of its first 64 KiB (read as
/// windows-1252, which decodes any byte, so that the markup is found whatever the charset).
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(64 << 10)];
    let (text, _, _) = WINDOWS_1252.decode(head);
    let dom = Dom::parse(&text);
    for id in dom.descendants(DOCUMENT) {
        let node = dom.node(id);
        if node.tag() != "meta" {
            continue;
        }
        if let Some(label) = node.attr("charset") {
            if let Some(e) = Encoding::for_label(label.trim().as_bytes()) {
                return Some(e);
            }
        }
        let content_type = node.attr("http-equiv").is_some_and(|h| h.trim().eq_ignore_ascii_case("content-type"));
        if let (true, Some(content)) = (content_type, node.attr("content")) {
            if let Some(e) = charset_in_content(content) {
                return Some(e);
            }
        }
    }
    None
}

/// The charset of a `content="text/html; charset=gb2312"` value (the HTML standard's
/// "extracting a character encoding from a meta element").
fn charset_in_content(content: &str) -> Option<&'static Encoding> {
    let lower = content.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("charset") {
        let rest = lower[from + at + "charset".len()..].trim_start();
        let Some(value) = rest.strip_prefix('=') else {
            from += at + 1;
            continue;
        };
        let value = value.trim_start();
        let label = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next()?,
            _ => value.split(|c: char| c == ';' || c.is_ascii_whitespace()).next()?,
        };
        return Encoding::for_label(label.as_bytes());
    }
    None
}

/// Elements whose content is not data.
fn is_skipped(dom: &Dom, id: usize) -> bool {
    let node = dom.node(id);
    let skipped_tag = matches!(
        node.tag(),
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "nav"
            | "header"
            | "footer"
            | "aside"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "math"
            | "canvas"
            | "select"
            | "button"
            | "textarea"
            | "input"
            | "map"
            | "audio"
            | "video"
    );
    let role = node.attr("role").map(str::to_ascii_lowercase);
    let chrome = matches!(role.as_deref(), Some("navigation" | "banner" | "contentinfo"));
    let hidden = node.attr("hidden").is_some()
        || node.attr("style").is_some_and(|s| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
            s.contains("display:none") || s.contains("visibility:hidden")
        });
    skipped_tag || chrome || hidden
}

/// Elements that start and end a paragraph (block-level), and line breaks.
fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "blockquote"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hgroup"
            | "hr"
            | "legend"
            | "li"
            | "listing"
            | "main"
            | "menu"
            | "ol"
            | "p"
            | "plaintext"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "br"
            | "xmp"
            | "body"
            | "html"
    )
}

/// Paragraphs being collected, in the page's flow or in a table cell.
#[derive(Default)]
struct Flow {
    /// Finished paragraphs with their source lines (cells only; the page's flow emits blocks).
    paragraphs: Vec<(String, (u32, u32))>,
    current: String,
    lines: Option<(u32, u32)>,
    /// Data tables met inside a cell, read after the row that holds them.
    nested: Vec<usize>,
    /// Inside `<pre>`: white space kept.
    pre: u32,
    in_cell: bool,
}

impl Flow {
    fn push_text(&mut self, text: &str, line: u32) {
        if self.pre > 0 {
            let mut lines = text.split('\n');
            if let Some(first) = lines.next() {
                self.current.push_str(first);
            }
            for more in lines {
                self.break_line();
                self.current.push_str(more);
            }
        } else {
            for c in text.chars() {
                if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C') {
                    if !self.current.is_empty() && !self.current.ends_with(' ') {
                        self.current.push(' ');
                    }
                } else {
                    // A no-break space is not collapsed, but it is a space.
                    self.current.push(if c == '\u{A0}' { ' ' } else { c });
                }
            }
        }
        if !text.trim().is_empty() {
            // A text node spans the lines of its newlines.
            let last = line + text.matches('\n').count() as u32;
            let first = line;
            self.lines = Some(self.lines.map_or((first, last), |(a, b)| (a.min(first), b.max(last))));
        }
    }

    /// Ends the current paragraph inside `<pre>`: kept even when empty.
    fn break_line(&mut self) {
        let text = std::mem::take(&mut self.current);
        let lines = self.lines.take().unwrap_or((0, 0));
        self.paragraphs.push((text, lines));
    }

    /// The current paragraph, trimmed, when it has text.
    fn take(&mut self) -> Option<(String, (u32, u32))> {
        let text = std::mem::take(&mut self.current);
        let lines = self.lines.take();
        let trimmed = text.trim();
        (!trimmed.is_empty()).then(|| (trimmed.to_string(), lines.unwrap_or((0, 0))))
    }
}

struct Reader<'a> {
    dom: &'a Dom,
    blocks: Vec<Block>,
    tables: u32,
    paragraphs: u32,
    budget: Budget,
}

/// What to do when the walk comes back up to an element.
enum Step {
    Enter(usize),
    Leave(usize),
}

impl Reader<'_> {
    /// Reads the content of `root` into `flow`: paragraphs, and tables (the page's flow builds
    /// them in place; a cell keeps them for after its row). `nesting` counts the tables around.
    fn flow(&mut self, root: usize, flow: &mut Flow, nesting: u64) -> Result<(), Error> {
        let dom = self.dom;
        let mut stack: Vec<Step> = dom.node(root).children.iter().rev().map(|&c| Step::Enter(c)).collect();
        // Layout tables open around the current node.
        let mut layout_tables = 0u64;
        while let Some(step) = stack.pop() {
            let id = match step {
                Step::Enter(id) => id,
                Step::Leave(id) => {
                    match dom.node(id).tag() {
                        "pre" | "listing" | "xmp" => flow.pre = flow.pre.saturating_sub(1),
                        "table" => layout_tables = layout_tables.saturating_sub(1),
                        _ => {}
                    }
                    self.end_paragraph(flow)?;
                    continue;
                }
            };
            let node = dom.node(id);
            if let Some(text) = node.text() {
                flow.push_text(text, node.line);
                continue;
            }
            if !matches!(node.data, Data::Element { .. }) || is_skipped(dom, id) {
                continue;
            }
            let tag = node.tag();
            if tag == "table" {
                if !self.is_layout(id) {
                    self.end_paragraph(flow)?;
                    if flow.in_cell {
                        flow.nested.push(id);
                    } else {
                        self.table(id, nesting + layout_tables + 1)?;
                    }
                    continue;
                }
                // Layout tables count too: a page of tables in tables costs its depth each time.
                layout_tables += 1;
                let what = |n| format!("tables nest {n} deep");
                check(what, nesting + layout_tables, limits::MAX_TABLE_NESTING, "MAX_TABLE_NESTING")?;
            }
            if tag == "br" {
                self.end_paragraph(flow)?;
                continue;
            }
            if is_block(tag) {
                self.end_paragraph(flow)?;
                if tag == "pre" || tag == "listing" || tag == "xmp" {
                    flow.pre += 1;
                }
                stack.push(Step::Leave(id));
            }
            stack.extend(node.children.iter().rev().map(|&c| Step::Enter(c)));
        }
        Ok(())
    }

    fn end_paragraph(&mut self, flow: &mut Flow) -> Result<(), Error> {
        let Some((text, lines)) = flow.take() else { return Ok(()) };
        self.budget.cell(text.len())?;
        if flow.in_cell {
            flow.paragraphs.push((text, lines));
        } else {
            self.paragraphs += 1;
            let location = Location { paragraph: Some(self.paragraphs), lines: Some(lines), ..Location::default() };
            self.blocks.push(Block::Paragraph(Paragraph { text, location }));
        }
        Ok(())
    }

    /// The rows of a table (through its row groups, not into nested tables), with their cells.
    fn rows(&self, table: usize) -> Vec<(usize, Vec<usize>)> {
        let dom = self.dom;
        let mut rows = Vec::new();
        let mut stack: Vec<usize> = dom.node(table).children.iter().rev().copied().collect();
        while let Some(id) = stack.pop() {
            match dom.node(id).tag() {
                "tbody" | "thead" | "tfoot" => stack.extend(dom.node(id).children.iter().rev()),
                "tr" => {
                    let cells =
                        dom.node(id).children.iter().copied().filter(|&c| matches!(dom.node(c).tag(), "td" | "th"));
                    rows.push((id, cells.collect()));
                }
                _ => {}
            }
        }
        rows
    }

    /// Page layout rather than data: a table holding tables in its cells, a single cell, or
    /// marked `role="presentation"`.
    fn is_layout(&self, table: usize) -> bool {
        let dom = self.dom;
        let rows = self.rows(table);
        let cells: Vec<usize> = rows.iter().flat_map(|(_, c)| c.iter().copied()).collect();
        let presentation = dom.node(table).attr("role").is_some_and(|r| r.eq_ignore_ascii_case("presentation"));
        presentation
            || cells.len() <= 1
            || cells.iter().any(|&c| dom.descendants(c).into_iter().any(|d| dom.node(d).tag() == "table"))
    }

    /// A data table: its caption as a paragraph, then its grid; tables nested in its cells
    /// follow the row that holds them.
    fn table(&mut self, id: usize, nesting: u64) -> Result<(), Error> {
        check(|n| format!("tables nest {n} deep"), nesting, limits::MAX_TABLE_NESTING, "MAX_TABLE_NESTING")?;
        let dom = self.dom;
        if let Some(&caption) = dom.node(id).children.iter().find(|&&c| dom.node(c).tag() == "caption") {
            let mut flow = Flow::default();
            self.flow(caption, &mut flow, nesting)?;
            self.end_paragraph(&mut flow)?;
        }
        self.tables += 1;
        let number = self.tables;
        let rows = self.rows(id);
        let what = |n| format!("a table has {n} rows");
        check(what, rows.len() as u64, limits::MAX_TABLE_ROWS, "MAX_TABLE_ROWS")?;
        // Cells of rows above that still cover rows below them.
        let mut active: Vec<Span> = Vec::new();
        let mut out_rows = Vec::new();
        let mut after_rows: Vec<(usize, Vec<usize>)> = Vec::new();
        for (r, (tr, cells)) in rows.iter().enumerate() {
            let row_number = r as u32 + 1;
            let left = rows.len() as u32 - r as u32;
            let mut out = Vec::new();
            let mut nested = Vec::new();
            let mut column = 0usize;
            let (mut first_line, mut last_line) = (dom.node(*tr).line, dom.node(*tr).line);
            let continued = |column: usize, span: u32| {
                let location = Location {
                    table: Some(number),
                    row: Some(row_number),
                    column: Some(column as u32 + 1),
                    ..Location::default()
                };
                let mut cell = Cell::new(Vec::new(), location);
                cell.continued = true;
                cell.col_span = span;
                cell
            };
            // Skips the grid columns covered from above, as continued cells.
            let skip_covered = |column: &mut usize, out: &mut Vec<Cell>| {
                while let Some(s) = active.iter().find(|s| s.column <= *column && *column < s.column + s.span as usize)
                {
                    if s.column == *column {
                        out.push(continued(s.column, s.span));
                    }
                    *column = s.column + s.span as usize;
                }
            };
            let mut new_spans = Vec::new();
            for &td in cells {
                skip_covered(&mut column, &mut out);
                let node = dom.node(td);
                let span = |name: &str, max: u64| node.attr(name).and_then(leading_number).map(|n| n.min(max) as u32);
                // The HTML standard's limits: colspan 1–1000, rowspan 0–65534 (0: to the end).
                let col_span = span("colspan", 1000).unwrap_or(1).max(1);
                let row_span = match span("rowspan", 65534) {
                    Some(0) => left,
                    Some(n) => n.clamp(1, left.max(1)),
                    None => 1,
                };
                let width = (column + col_span as usize) as u64;
                let what = |n| format!("a row spans {n} grid columns");
                check(what, width, limits::MAX_GRID_COLUMNS, "MAX_GRID_COLUMNS")?;
                let mut flow = Flow { in_cell: true, ..Flow::default() };
                self.flow(td, &mut flow, nesting)?;
                self.end_paragraph(&mut flow)?;
                let lines = flow
                    .paragraphs
                    .iter()
                    .map(|(_, l)| *l)
                    .filter(|l| l.0 > 0)
                    .fold((node.line, node.line), |(a, b), (c, d)| (a.min(c), b.max(d)));
                first_line = first_line.min(lines.0);
                last_line = last_line.max(lines.1);
                let location = Location {
                    table: Some(number),
                    row: Some(row_number),
                    column: Some(column as u32 + 1),
                    lines: Some(lines),
                    ..Location::default()
                };
                let mut cell = Cell::new(flow.paragraphs.into_iter().map(|(t, _)| t).collect(), location);
                self.budget.cell(0)?;
                cell.col_span = col_span;
                cell.row_span = row_span;
                out.push(cell);
                nested.extend(flow.nested);
                if row_span > 1 {
                    new_spans.push(Span { column, span: col_span, rows_below: row_span - 1 });
                }
                column += col_span as usize;
            }
            // Cells above that reach down past this row's last cell.
            let mut trailing: Vec<&Span> = active.iter().filter(|s| s.column >= column).collect();
            trailing.sort_by_key(|s| s.column);
            for s in trailing {
                out.push(continued(s.column, s.span));
            }
            for s in &mut active {
                s.rows_below -= 1;
            }
            active.retain(|s| s.rows_below > 0);
            active.extend(new_spans);
            let location = Location {
                table: Some(number),
                row: Some(row_number),
                lines: Some((first_line, last_line)),
                ..Location::default()
            };
            out_rows.push(Row { cells: out, location, notes: Vec::new() });
            if !nested.is_empty() {
                after_rows.push((out_rows.len(), nested));
            }
        }
        let lines = match (out_rows.first(), out_rows.last()) {
            (Some(a), Some(b)) => a.location.lines.zip(b.location.lines).map(|(a, b)| (a.0, b.1)),
            _ => None,
        };
        let location = Location { table: Some(number), lines, ..Location::default() };
        if after_rows.is_empty() {
            self.blocks.push(Block::Table(Table { rows: out_rows, location }));
            return Ok(());
        }
        // Nested tables after the row that holds them: the table is cut there, as docx does.
        let mut rows = out_rows.into_iter();
        let mut taken = 0;
        for (upto, nested) in after_rows {
            let part: Vec<Row> = rows.by_ref().take(upto - taken).collect();
            taken = upto;
            self.blocks.push(Block::Table(Table { rows: part, location }));
            for t in nested {
                self.table(t, nesting + 1)?;
            }
        }
        let rest: Vec<Row> = rows.collect();
        if !rest.is_empty() {
            self.blocks.push(Block::Table(Table { rows: rest, location }));
        }
        Ok(())
    }
}

/// A cell that covers rows below its own (`rowspan`).
struct Span {
    column: usize,
    span: u32,
    /// Rows below the current one it still covers.
    rows_below: u32,
}

/// The number a span attribute starts with, as browsers read it (`2`, ` 3 `, `2px`).
fn leading_number(v: &str) -> Option<u64> {
    let digits: String = v.trim_start().chars().take_while(char::is_ascii_digit).take(10).collect();
    digits.parse().ok()
}

/// Links to attachments, each once, in page order (navigation included: a link anywhere on the
/// page may be the attachment).
fn links(dom: &Dom) -> Vec<Link> {
    let mut out: Vec<Link> = Vec::new();
    for id in dom.descendants(DOCUMENT) {
        let node = dom.node(id);
        if node.tag() != "a" {
            continue;
        }
        let Some(href) = node.attr("href").map(str::trim).filter(|h| !h.is_empty()) else { continue };
        let text: String = dom
            .descendants(id)
            .into_iter()
            .filter_map(|d| dom.node(d).text())
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let path = href.split(['?', '#']).next().unwrap_or("");
        let last = percent_decode(path.rsplit('/').next().unwrap_or(""));
        let file_name = if is_attachment(&last) {
            last
        } else if is_attachment(&text) {
            text.rsplit(['/', '\\']).next().unwrap_or(&text).to_string()
        } else {
            continue;
        };
        if !out.iter().any(|l| l.href == href) {
            out.push(Link { href: href.to_string(), file_name });
        }
    }
    out
}

fn is_attachment(name: &str) -> bool {
    let Some((stem, ext)) = name.rsplit_once('.') else { return false };
    !stem.is_empty() && ATTACHMENT_EXTENSIONS.iter().any(|e| ext.eq_ignore_ascii_case(e))
}

/// `%E9%99%84` → bytes → UTF-8 (else GB18030, as older Chinese servers encode names).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => encoding_rs::GB18030.decode_without_bom_handling(e.as_bytes()).0.into_owned(),
    }
}

/// The reason of a page without target tables that links to attachments.
pub fn landing_reason(links: &[Link]) -> String {
    const SHOWN: usize = 20;
    let listed: Vec<String> = links
        .iter()
        .take(SHOWN)
        .map(|l| if l.href.ends_with(&l.file_name) { l.href.clone() } else { format!("{} ({})", l.file_name, l.href) })
        .collect();
    let more = if links.len() > SHOWN { format!(" and {} more", links.len() - SHOWN) } else { String::new() };
    format!(
        "an HTML page without a performance-target table that links to {} attachment(s), where the tables may be: {}{more}; \
         download them and run again",
        links.len(),
        listed.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(html: &str) -> HtmlRead {
        read(html.as_bytes(), Grammars::builtin()).unwrap()
    }

    fn grid(t: &Table) -> Vec<Vec<String>> {
        t.rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| {
                        let mut s = if c.continued { "^".to_string() } else { c.text() };
                        if c.col_span > 1 {
                            s.push_str(&format!("<{}", c.col_span));
                        }
                        if c.row_span > 1 {
                            s.push_str(&format!("v{}", c.row_span));
                        }
                        s
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn spans_become_the_grid_docx_and_xlsx_give() {
        let page = read_str(
            "<table><tr><td rowspan=3>产出指标<td rowspan=2>数量指标<td>a<td>1</tr>\
             <tr><td>b<td>2</tr><tr><td colspan=2>c<td>3</tr>\
             <tr><td>效益指标<td>d<td colspan=2 rowspan=2>x</tr><tr><td>e<td>f</tr></table>",
        );
        let t = page.document.tables().next().unwrap();
        assert_eq!(
            grid(t),
            [
                vec!["产出指标v3", "数量指标v2", "a", "1"],
                vec!["^", "^", "b", "2"],
                vec!["^", "c<2", "3"],
                vec!["效益指标", "d", "x<2v2"],
                vec!["e", "f", "^<2"],
            ]
        );
        let cell = &t.rows[2].cells[1];
        assert_eq!((cell.location.row, cell.location.column), (Some(3), Some(2)));
    }

    #[test]
    fn chrome_scripts_and_hidden_text_are_not_data() {
        let page = read_str(
            "<html><head><title>标题</title><style>td{}</style></head><body><nav>首页 | 通知</nav>\
             <header>网站名称</header><script>var x = '<td>';</script><p style='display: none'>隐藏</p>\
             <h1>2023年度项目支出绩效目标表</h1><p>单位：万元<br>第二行</p><footer>版权所有</footer></body></html>",
        );
        let texts: Vec<&str> = page.document.paragraphs().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["2023年度项目支出绩效目标表", "单位：万元", "第二行"]);
    }

    #[test]
    fn white_space_collapses_and_cells_keep_paragraphs() {
        let page = read_str(
            "<table><tr><td>  绩效\n  目标 </td><td><p>1.第一</p><p>2.第二&nbsp;项</p></td></tr>\
             <tr><td>指标值</td><td>&lt;15万元 or <15万元</td></tr></table>",
        );
        let t = page.document.tables().next().unwrap();
        assert_eq!(t.rows[0].cells[0].paragraphs, ["绩效 目标"]);
        assert_eq!(t.rows[0].cells[1].paragraphs, ["1.第一", "2.第二 项"]);
        assert_eq!(t.rows[1].cells[1].text(), "<15万元 or <15万元");
    }

    #[test]
    fn layout_tables_are_flow_and_nested_data_tables_are_read() {
        let page = read_str(
            "<table><tr><td><h2>项目绩效目标表</h2><table><tr><td>项目名称</td><td>办案</td></tr></table>\
             </td></tr></table>",
        );
        assert_eq!(page.document.paragraphs().next().unwrap().text, "项目绩效目标表");
        let tables: Vec<_> = page.document.tables().map(grid).collect();
        assert_eq!(tables, [vec![vec!["项目名称", "办案"]]]);
    }

    #[test]
    fn lines_locate_cells_in_the_source() {
        let page = read_str("<table>\n<tr><td>项目名称</td>\n<td>办案\n业务费</td></tr>\n<tr><td>a<td>b</table>");
        let t = page.document.tables().next().unwrap();
        assert_eq!(t.rows[0].cells[1].location.lines, Some((3, 4)));
        assert_eq!(t.rows[0].location.lines, Some((2, 4)));
        assert_eq!(t.rows[0].cells[1].location.to_string(), "table 1, row 1, column 2, lines 3-4");
    }

    #[test]
    fn charsets_declared_and_lying() {
        let body = "<p>其中：财政资金</p>";
        let gbk = |meta: &str| {
            let page = format!("<html><head>{meta}</head><body>{body}</body></html>");
            let (b, _, _) = encoding_rs::GBK.encode(&page);
            b.into_owned()
        };
        let first = |bytes: &[u8]| {
            let r = read(bytes, Grammars::builtin()).unwrap();
            let text = r.document.paragraphs().next().unwrap().text.clone();
            (text, r.encoding)
        };
        let http_equiv = gbk("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">");
        assert_eq!(first(&http_equiv), ("其中：财政资金".into(), "GBK".into()));
        assert_eq!(first(&gbk("<meta charset='GBK'>")), ("其中：财政资金".into(), "GBK".into()));
        // Declared UTF-8, written in GBK: read as GB18030, and the encoding says what was declared.
        assert_eq!(first(&gbk("<meta charset=utf-8>")), ("其中：财政资金".into(), "GB18030 (declared UTF-8)".into()));
        // Declared gb2312, written in UTF-8.
        let utf8 = format!("<meta charset=gb2312><body>{body}");
        assert_eq!(first(utf8.as_bytes()), ("其中：财政资金".into(), "UTF-8 (declared GBK)".into()));
        // A single-byte declaration is no reason to read Chinese bytes as Latin letters.
        assert_eq!(first(&gbk("<meta charset=iso-8859-1>")).0, "其中：财政资金");
        assert_eq!(charset_in_content("text/html;charset = \"big5\""), Some(encoding_rs::BIG5));
    }

    #[test]
    fn attachment_links_are_collected_once() {
        let page = read_str(
            "<p>详见附件：<a href='/u/2023%E5%B9%B4%E7%BB%A9%E6%95%88.xlsx?v=1'>附件1</a> \
             <a href='download.jsp?id=9'>附件2.pdf</a> <a href='/u/2023%E5%B9%B4%E7%BB%A9%E6%95%88.xlsx?v=1'>again</a>\
             <a href='/index.html'>首页</a></p>",
        );
        let names: Vec<&str> = page.links.iter().map(|l| l.file_name.as_str()).collect();
        assert_eq!(names, ["2023年绩效.xlsx", "附件2.pdf"]);
        assert!(page.document.tables().next().is_none());
        let reason = landing_reason(&page.links);
        assert!(reason.contains("2023年绩效.xlsx (/u/2023%E5%B9%B4%E7%BB%A9%E6%95%88.xlsx?v=1)"), "{reason}");
    }

    #[test]
    fn deep_pages_cost_their_size_and_nesting_is_capped() {
        // 500 nested boxes, positioned and not, are read; 200,000 are refused early.
        let deep = |n: usize| "<div style='left:1px;top:1px'>".repeat(n) + &"<div>".repeat(n) + "项目名称";
        let page = read_str(&deep(250));
        assert_eq!(page.document.paragraphs().next().unwrap().text, "项目名称");
        let started = std::time::Instant::now();
        let e = read(deep(100_000).as_bytes(), Grammars::builtin()).unwrap_err();
        assert!(e.to_string().contains("MAX_XML_DEPTH"), "{e}");
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
        // Tables in tables, layout or data, past MAX_TABLE_NESTING.
        let nested = "<table><tr><td>a<td>".repeat(20) + "x";
        let e = read(nested.as_bytes(), Grammars::builtin()).unwrap_err();
        assert!(e.to_string().contains("MAX_TABLE_NESTING"), "{e}");
        let layout = "<table><tr><td>".repeat(20) + "x";
        let e = read(layout.as_bytes(), Grammars::builtin()).unwrap_err();
        assert!(e.to_string().contains("MAX_TABLE_NESTING"), "{e}");
    }

    #[test]
    fn sniffing() {
        assert!(looks_like_html(b"\xEF\xBB\xBF\n  <!DOCTYPE html><html>"));
        assert!(looks_like_html(b"<!-- saved from url=(0042)http://x -->\r\n<html>"));
        assert!(looks_like_html(b"<TABLE border=1>"));
        assert!(!looks_like_html("\t项目名称\n\t<15万元\n".as_bytes()));
        assert!(!looks_like_html(b"<abbr>"));
    }
}
