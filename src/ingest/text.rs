//! Plain-text dumps of Word files as Apache Tika writes them, turned back into paragraphs and
//! tables.
//!
//! The dump grammar, as observed in published dumps:
//! - a table cell is a line that starts with TAB (a space may precede it: ` \t`); only the
//!   *leading* TAB separates, a TAB inside the text stays;
//! - further paragraphs of the same cell follow as lines without a TAB;
//! - a row ends with a blank line, but an empty paragraph inside a cell is a blank line too;
//! - a vertically merged cell comes out as an empty `\t` line, a horizontally merged cell as one
//!   cell, so rows differ in cell count;
//! - paragraphs outside tables are lines without a TAB; a whitespace-only line separates tables.
//!
//! Blank lines alone are therefore ambiguous. Rows of an indicator grid are recovered by grammar:
//! its header row (一级指标 … 指标值 …, vocabulary from `grammars/`) fixes the column count, so a
//! blank line inside a row that is still short is an empty paragraph unless what follows starts a
//! new indicator row (a level-1 name or a merged cell, then a level-2 name). A row that is already
//! complete ends at the next cell line even without a blank line, and a row that does not look
//! like an indicator row ends the grid.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_until, take_while};
use nom::character::complete::{char, digit1};
use nom::combinator::rest;
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};

use crate::blocks::{Block, Cell, Document, Location, Paragraph, Row, Table};
use crate::grammars::Grammars;

/// One line of the dump, classified.
#[derive(Debug, Clone, PartialEq)]
enum Line<'a> {
    /// Empty line.
    Blank,
    /// Only spaces (no TAB): an empty paragraph between tables.
    Space,
    /// Starts a table cell; the text after the leading TAB.
    Cell(&'a str),
    /// A paragraph: outside a table, or a further paragraph of the cell above.
    Text(&'a str),
    /// A line of a table nested inside a cell (`\t\t…`): a further paragraph of the cell that
    /// holds the nested table.
    Nested(&'a str),
    /// Tika's markup or page furniture, not the document's text: a footnote's own text, a line
    /// holding only an image or bookmark marker, a page number or running footer.
    Skip,
}

/// `[ ]* TAB rest`: a cell line.
fn cell_line(input: &str) -> IResult<&str, &str> {
    preceded((take_while(|c| c == ' '), char('\t')), rest).parse(input)
}

/// Tika's inline markers: `[bookmark: _Toc…]` (Word bookmarks, several may pile up),
/// `[image: …]` and `[footnoteRef:N]` (the reference's number is kept).
fn marker(input: &str) -> IResult<&str, Option<u32>> {
    alt((
        delimited(tag("[bookmark:"), take_until("]"), char(']')).map(|_| None),
        delimited(tag("[image:"), take_until("]"), char(']')).map(|_| None),
        delimited(tag("[footnoteRef:"), preceded(take_while(|c| c == ' '), digit1), char(']'))
            .map(|n: &str| n.parse().ok()),
    ))
    .parse(input)
}

/// A footnote's text as Tika writes it at the end of the dump: `[1: 注：…]`.
fn footnote_start(input: &str) -> IResult<&str, u32> {
    delimited(char('['), digit1, (char(':'), take_while(|c| c == ' ')))
        .map(|n: &str| n.parse().unwrap_or(0))
        .parse(input)
}

/// A running footer or page number on a line of its own: `第 1 页 共 3 页`, `第1页`, `- 1 -`,
/// `— 2 —`.
fn page_furniture(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return false;
    }
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let page = |s: &str| s.strip_prefix('第').and_then(|r| r.strip_suffix('页')).is_some_and(digits);
    let dashed =
        ["-", "—", "－"].iter().any(|d| compact.strip_prefix(d).and_then(|r| r.strip_suffix(d)).is_some_and(digits));
    let paged = match compact.split_once('共') {
        Some((a, b)) => page(a) && b.strip_suffix('页').is_some_and(digits),
        None => page(&compact),
    };
    dashed || paged
}

/// The dump's lines with Tika's markup taken out: markers removed from the text, footnote
/// texts and furniture lines marked to skip, and where each footnote is referenced.
struct Markup {
    lines: Vec<String>,
    skip: Vec<bool>,
    /// Footnote number → its text.
    footnotes: std::collections::BTreeMap<u32, String>,
    /// (0-based line, footnote number) of every `[footnoteRef:N]`.
    refs: Vec<(usize, u32)>,
}

impl Markup {
    fn scan(text: &str) -> Markup {
        let mut m = Markup { lines: Vec::new(), skip: Vec::new(), footnotes: Default::default(), refs: Vec::new() };
        let mut footnote: Option<(u32, String)> = None;
        for (i, raw) in text.split('\n').enumerate() {
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            // A footnote's text runs to the line that closes its bracket.
            if footnote.is_none() {
                if let Ok((rest, n)) = footnote_start(raw) {
                    footnote = Some((n, String::new()));
                    m.close_footnote(&mut footnote, rest);
                    m.lines.push(String::new());
                    m.skip.push(true);
                    continue;
                }
            } else {
                m.close_footnote(&mut footnote, raw);
                m.lines.push(String::new());
                m.skip.push(true);
                continue;
            }
            let mut clean = String::with_capacity(raw.len());
            let mut had_marker = false;
            let mut rest = raw;
            while let Some(at) = rest.find('[') {
                clean.push_str(&rest[..at]);
                match marker(&rest[at..]) {
                    Ok((after, reference)) => {
                        had_marker = true;
                        if let Some(n) = reference {
                            m.refs.push((i, n));
                        }
                        rest = after;
                    }
                    Err(_) => {
                        clean.push('[');
                        rest = &rest[at + 1..];
                    }
                }
            }
            clean.push_str(rest);
            // A line of markers only is an empty paragraph (a blank line), as before them.
            if had_marker && clean.trim_matches([' ', '\t']).is_empty() {
                clean.clear();
            }
            m.skip.push(page_furniture(&clean));
            m.lines.push(clean);
        }
        m
    }

    /// Adds a footnote line's text; at its closing bracket, the footnote is done.
    fn close_footnote(&mut self, footnote: &mut Option<(u32, String)>, line: &str) {
        let Some((_, text)) = footnote.as_mut() else { return };
        if !text.is_empty() {
            text.push('\n');
        }
        let last = line.trim_end().strip_suffix(']');
        text.push_str(last.unwrap_or(line));
        if last.is_some() {
            if let Some((n, text)) = footnote.take() {
                self.footnotes.insert(n, text.trim().to_string());
            }
        }
    }
}

fn classify(line: &str) -> Line<'_> {
    if line.is_empty() {
        Line::Blank
    } else if let Some(nested) = line.strip_prefix("\t\t") {
        Line::Nested(nested)
    } else if let Ok((_, text)) = cell_line(line) {
        Line::Cell(text)
    } else if line.chars().all(|c| c == ' ' || c == '\u{3000}') {
        Line::Space
    } else {
        Line::Text(line)
    }
}

/// Parses a decoded dump into blocks.
pub fn read(text: &str, grammars: &Grammars) -> Document {
    let markup = Markup::scan(text);
    let mut lines: Vec<Line<'_>> =
        markup.lines.iter().zip(&markup.skip).map(|(l, &skip)| if skip { Line::Skip } else { classify(l) }).collect();
    // A blank line between two lines of a nested table separates its rows, not the cell's.
    for i in 0..lines.len() {
        if lines[i] == Line::Blank {
            let prev = lines[..i].iter().rev().find(|l| **l != Line::Skip && **l != Line::Blank);
            let next = lines[i + 1..].iter().find(|l| **l != Line::Skip && **l != Line::Blank);
            if matches!(prev, Some(Line::Nested(_))) && matches!(next, Some(Line::Nested(_))) {
                lines[i] = Line::Skip;
            }
        }
    }
    let lines: Vec<(u32, Line<'_>)> =
        lines.into_iter().enumerate().filter(|(_, l)| *l != Line::Skip).map(|(i, l)| (i as u32 + 1, l)).collect();
    let numbers: Vec<u32> = lines.iter().map(|(n, _)| *n).collect();
    let lines: Vec<Line<'_>> = lines.into_iter().map(|(_, l)| l).collect();
    let mut a = Assembler {
        g: grammars,
        lines: &lines,
        numbers: &numbers,
        blocks: Vec::new(),
        rows: Vec::new(),
        cells: Vec::new(),
        columns: None,
    };
    for i in 0..lines.len() {
        a.step(i);
    }
    a.finish_table();
    let mut blocks = a.blocks;
    attach_footnotes(&mut blocks, &markup);
    Document { blocks }
}

/// Each footnote's text goes to the notes of the table row whose lines reference it.
fn attach_footnotes(blocks: &mut [Block], markup: &Markup) {
    for (line, n) in &markup.refs {
        let line = *line as u32 + 1;
        let Some(text) = markup.footnotes.get(n) else { continue };
        let row = blocks.iter_mut().find_map(|b| match b {
            Block::Table(t) => {
                t.rows.iter_mut().find(|r| r.location.lines.is_some_and(|(a, b)| a <= line && line <= b))
            }
            Block::Paragraph(_) => None,
        });
        if let Some(row) = row {
            row.notes.push(format!("footnote {n}: {text}"));
        }
    }
}

/// Whether a paragraph names a project table (it then never continues a cell).
fn recognize_heading(text: &str, g: &Grammars) -> bool {
    g.is_heading(text)
}

struct Assembler<'a, 'g> {
    g: &'g Grammars,
    lines: &'a [Line<'a>],
    /// The 1-based line number in the dump of each line (markup lines are left out).
    numbers: &'a [u32],
    blocks: Vec<Block>,
    /// Rows of the table being read.
    rows: Vec<Row>,
    /// Cells of the row being read.
    cells: Vec<Cell>,
    /// Column count of the current table, once its indicator header row has been read.
    columns: Option<usize>,
}

impl Assembler<'_, '_> {
    fn step(&mut self, i: usize) {
        let line_no = self.numbers[i];
        let prev_continues_cell = i > 0
            && matches!(self.lines[i - 1], Line::Cell(_) | Line::Text(_) | Line::Nested(_))
            && !self.cells.is_empty();
        match self.lines[i] {
            Line::Cell(text) => {
                if let Some(k) = self.columns {
                    if prev_continues_cell && self.cells.len() >= k {
                        // A complete row followed directly by a cell: the row ended without a blank line.
                        self.finish_row();
                    }
                    if self.cells.is_empty() {
                        let next = self.fragment(i);
                        if !self.starts_indicator_row(&next) && self.g.indicator_header(&next).is_none() {
                            // Not an indicator row: the grid is over, a new table starts here.
                            self.finish_table();
                        }
                    }
                }
                self.cells.push(Cell::new(vec![text.to_string()], Location::lines(line_no, line_no)));
            }
            Line::Text(text) => {
                let is_heading = recognize_heading(text, self.g);
                let inside_row_after_blank = !is_heading
                    && !self.cells.is_empty()
                    && self.columns.is_some()
                    && self.next_non_blank_is_cell(i + 1);
                let grid_goes_on = || self.starts_indicator_row(&self.fragment(i + 1));
                if prev_continues_cell || inside_row_after_blank {
                    self.continue_cell(text, line_no);
                } else if !is_heading
                    && self.columns.is_some()
                    && self.cells.is_empty()
                    && !self.rows.is_empty()
                    && grid_goes_on()
                {
                    // A paragraph after a finished row, with the grid going on below: it is the
                    // last cell's paragraph that followed an empty one.
                    self.reopen_last_row();
                    self.continue_cell(text, line_no);
                    self.finish_row();
                } else {
                    self.finish_table();
                    self.blocks.push(Block::Paragraph(Paragraph {
                        text: text.trim().to_string(),
                        location: Location::lines(line_no, line_no),
                    }));
                }
            }
            Line::Blank => {
                if self.cells.is_empty() {
                    return;
                }
                match self.columns {
                    Some(k) if self.cells.len() < k => {
                        let next = self.fragment(i + 1);
                        if self.starts_indicator_row(&next) || !self.next_non_blank_is_cell(i + 1) {
                            let note = format!("row has {} of the header's {k} cells", self.cells.len());
                            self.finish_row_with(Some(note));
                        } else {
                            // An empty paragraph inside the current cell.
                            if let Some(c) = self.cells.last_mut() {
                                c.paragraphs.push(String::new());
                                c.location = c.location.merge(Location::lines(line_no, line_no));
                            }
                        }
                    }
                    _ => self.finish_row(),
                }
            }
            Line::Space => {
                if !prev_continues_cell {
                    self.finish_table();
                }
            }
            // A table nested in a cell: the cell's text. When it comes right after a label, it
            // is the label's value, a cell of its own (Tika writes the containing cell's TAB and
            // the nested cell's on one line); else it goes on the cell it is in.
            Line::Nested(text) => {
                let after_label = matches!(self.lines.get(i.wrapping_sub(1)), Some(Line::Cell(_)))
                    && self.cells.last().is_some_and(|c| {
                        let t = c.text();
                        self.g.label(&t).is_some() || self.g.extra_label(&t).is_some()
                    });
                if after_label {
                    self.cells.push(Cell::new(vec![text.to_string()], Location::lines(line_no, line_no)));
                } else {
                    self.continue_cell(text, line_no);
                }
            }
            // Markup lines are taken out before assembly.
            Line::Skip => {}
        }
    }

    fn continue_cell(&mut self, text: &str, line_no: u32) {
        if let Some(c) = self.cells.last_mut() {
            c.paragraphs.push(text.to_string());
            c.location = c.location.merge(Location::lines(line_no, line_no));
        }
    }

    fn reopen_last_row(&mut self) {
        if let Some(row) = self.rows.pop() {
            self.cells = row.cells;
        }
    }

    /// Texts of the cells of the fragment that starts at line `i` (after skipping blank lines):
    /// cell lines with their continuation paragraphs, up to the next blank line.
    fn fragment(&self, i: usize) -> Vec<String> {
        let mut out: Vec<Vec<&str>> = Vec::new();
        let mut j = i;
        while j < self.lines.len() && self.lines[j] == Line::Blank {
            j += 1;
        }
        while j < self.lines.len() {
            match self.lines[j] {
                Line::Cell(t) => out.push(vec![t]),
                Line::Text(t) | Line::Nested(t) if !out.is_empty() => {
                    out.last_mut().into_iter().for_each(|c| c.push(t))
                }
                _ => break,
            }
            j += 1;
        }
        out.into_iter()
            .map(|ps| Cell::new(ps.into_iter().map(str::to_string).collect(), Location::default()).text())
            .collect()
    }

    fn next_non_blank_is_cell(&self, i: usize) -> bool {
        self.lines[i.min(self.lines.len())..]
            .iter()
            .find(|l| **l != Line::Blank)
            .is_some_and(|l| matches!(l, Line::Cell(_)))
    }

    /// An indicator row starts with a level-1 name or a merged (empty) cell, then a level-2 name
    /// or a merged cell, then something.
    fn starts_indicator_row(&self, cells: &[String]) -> bool {
        cells.len() >= 2
            && (cells[0].is_empty() || self.g.is_level1(&cells[0]))
            && (cells[1].is_empty() || self.g.is_level2(&cells[1]))
            && !(cells[0].is_empty() && cells[1].is_empty() && cells.iter().all(|c| c.is_empty()))
    }

    fn finish_row(&mut self) {
        self.finish_row_with(None);
    }

    fn finish_row_with(&mut self, note: Option<String>) {
        if self.cells.is_empty() {
            return;
        }
        let cells = std::mem::take(&mut self.cells);
        let texts: Vec<String> = cells.iter().map(Cell::text).collect();
        if self.g.indicator_header(&texts).is_some() {
            self.columns = Some(cells.len());
        }
        let location = cells.iter().fold(cells[0].location, |l, c| l.merge(c.location));
        self.rows.push(Row { cells, location, notes: note.into_iter().collect() });
    }

    fn finish_table(&mut self) {
        self.finish_row();
        self.columns = None;
        if self.rows.is_empty() {
            return;
        }
        let rows = std::mem::take(&mut self.rows);
        let location = rows.iter().fold(rows[0].location, |l, r| l.merge(r.location));
        self.blocks.push(Block::Table(Table { rows, location }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Document {
        read(s, Grammars::builtin())
    }

    fn tables(d: &Document) -> Vec<Vec<Vec<String>>> {
        d.tables().map(|t| t.rows.iter().map(|r| r.cells.iter().map(Cell::text).collect()).collect()).collect()
    }

    const HEADER: &str = "\t一级指标\n\t二级指标\n\t三级指标\n\t绩效指标描述\n\t指标值\n\t指标值确定依据\n\n";

    #[test]
    fn cell_lines_split_on_leading_tab_only() {
        assert_eq!(classify("\ta\tb"), Line::Cell("a\tb"));
        assert_eq!(classify(" \t207101天津市河北区人民法院"), Line::Cell("207101天津市河北区人民法院"));
        assert_eq!(classify("\t"), Line::Cell(""));
        assert_eq!(classify("  2023年我们"), Line::Text("  2023年我们"));
        assert_eq!(classify(" "), Line::Space);
        assert_eq!(classify(""), Line::Blank);
    }

    #[test]
    fn rows_end_at_blank_lines_and_cells_keep_paragraphs() {
        let d = doc("标题\n\t项目名称\n\t办案业务费\n\n\t绩效目标\n\t1.第一\n2.第二\n\n");
        assert_eq!(d.paragraphs().next().unwrap().text, "标题");
        assert_eq!(tables(&d), vec![vec![vec!["项目名称", "办案业务费"], vec!["绩效目标", "1.第一\n2.第二"]]]);
    }

    #[test]
    fn empty_paragraph_inside_a_cell_is_not_a_row_end() {
        // Seed 001, the 维修维护费 table: the value cell starts with an empty paragraph.
        let s = format!("{HEADER}\t产出指标\n\t数量指标\n\t维护楼体面积\n\t维护楼体面积\n\n\t\n≥3640平方米\n\t单位实际\n\n\t\n\t质量指标\n\t经费支出准确率\n\t经费支出准确率\n\t100%\n\t单位内控要求\n\n");
        let t = tables(&doc(&s));
        assert_eq!(t.len(), 1);
        assert_eq!(t[0][1], vec!["产出指标", "数量指标", "维护楼体面积", "维护楼体面积", "≥3640平方米", "单位实际"]);
        assert_eq!(t[0][2], vec!["", "质量指标", "经费支出准确率", "经费支出准确率", "100%", "单位内控要求"]);
    }

    #[test]
    fn blank_lines_between_cells_of_one_row() {
        // Seed 001, the 刑场 table: every cell followed by an empty paragraph.
        let s = format!("{HEADER}\t\n\t成本指标\n\t项目总成本\n\n\t不超项目总成本\n\n\t\n≤700万元\n\t单位要求\n\n\n\t效益指标\n\t经济效益指标\n\t不涉及\n\t不涉及\n\t不涉及\n\t不涉及\n\n");
        let t = tables(&doc(&s));
        assert_eq!(t[0].len(), 3);
        assert_eq!(t[0][1], vec!["", "成本指标", "项目总成本", "不超项目总成本", "≤700万元", "单位要求"]);
        assert_eq!(t[0][2][0], "效益指标");
    }

    #[test]
    fn complete_row_followed_directly_by_a_new_table() {
        // Seed 000: the 4th project's unit row follows the last indicator row without a blank line
        // (and with a space before its TAB).
        let s = "\t一级指标\n\t二级指标\n\t三级指标\n\t绩效指标描述\n\t指标值\n\n\t满意度指标\n\t服务对象满意度指标\n\t设备使用部门满意度\n\t设备使用部门满意度\n\t≥95百分比\n \t207101天津市河北区人民法院\n\t单位：万元\n\n\t项目名称\n\t数智法庭项目\n\n";
        let t = tables(&doc(s));
        assert_eq!(t.len(), 2, "{t:?}");
        assert_eq!(t[0][1].last().unwrap(), "≥95百分比");
        assert_eq!(t[1][0], vec!["207101天津市河北区人民法院", "单位：万元"]);
        assert_eq!(t[1][1], vec!["项目名称", "数智法庭项目"]);
    }

    #[test]
    fn short_row_before_a_new_indicator_row_is_kept_with_a_note() {
        let s = format!(
            "{HEADER}\t产出指标\n\t数量指标\n\t结案数量\n\n\t\n\t质量指标\n\t合格率\n\t合格率\n\t100%\n\t单位要求\n\n"
        );
        let d = doc(&s);
        let t = d.tables().next().unwrap();
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[1].cells.len(), 3);
        assert_eq!(t.rows[1].notes, vec!["row has 3 of the header's 6 cells".to_string()]);
        assert_eq!(t.rows[2].cells[1].text(), "质量指标");
    }

    #[test]
    fn whitespace_line_separates_tables_and_crlf_is_accepted() {
        let d = doc("\t绩效目标\r\n\t目标\r\n\r\n\r\n \r\n\t一级指标\r\n\t二级指标\r\n\t三级指标\r\n\t指标值\r\n\r\n");
        let t = tables(&d);
        assert_eq!(t.len(), 2);
        assert_eq!(t[1][0], vec!["一级指标", "二级指标", "三级指标", "指标值"]);
    }

    #[test]
    fn bookmarks_are_dropped_and_headings_end_the_grid() {
        let s = format!("{HEADER}\t满意度指标\n\t服务对象满意度指标\n\t服务对象满意度\n\t服务对象满意度\n\t≥90%\n\t冀高法【2019】117号\n\n\n\n\n[bookmark: _Toc1][bookmark: _Toc2]2.2023年度公务运转经费绩效目标表\n\t323001河北省承德市中级人民法院本级\n\t单位：万元\n\n");
        let d = doc(&s);
        assert_eq!(d.paragraphs().next().unwrap().text, "2.2023年度公务运转经费绩效目标表");
        let t = tables(&d);
        assert_eq!(t[0][1][5], "冀高法【2019】117号");
        assert_eq!(t[1][0][0], "323001河北省承德市中级人民法院本级");
    }

    #[test]
    fn tika_markers_are_not_text() {
        let s = format!(
            "[bookmark: _Toc1][bookmark: _Toc2]1.办案业务费绩效目标表\n\t[bookmark: a]项目名称\n\t办案[image: x.png]业务费\n\n{HEADER}\t产出指标\n\t数量指标\n\t结案数\n\t结案数\n\t≥97%[footnoteRef:1]\n\t依据\n\n第 1 页 共 2 页\n- 1 -\n\n[1: 注：按2022年\n结案数测算]\n"
        );
        let d = doc(&s);
        assert_eq!(d.paragraphs().next().unwrap().text, "1.办案业务费绩效目标表");
        let t = tables(&d);
        assert_eq!(t[0][0], vec!["项目名称", "办案业务费"]);
        assert_eq!(t[0][2][4], "≥97%");
        let row = &d.tables().next().unwrap().rows[2];
        assert_eq!(row.notes, vec!["footnote 1: 注：按2022年\n结案数测算".to_string()]);
        // Page furniture and the footnote's text are no paragraphs.
        assert_eq!(d.paragraphs().count(), 1);
    }

    #[test]
    fn a_table_nested_in_a_cell_is_that_cells_text() {
        let d = doc("\t项目名称\n\t办案业务费\n\n\t绩效目标\n\t目标如下：\n\t\t目标1\n\t\t完成审判\n\n\t\t目标2\n\t\t提升质效\n\n\t资金用途\n\t办案\n\n");
        let t = tables(&d);
        assert_eq!(t[0][1], vec!["绩效目标", "目标如下：\n目标1\n完成审判\n目标2\n提升质效"]);
        assert_eq!(t[0][2], vec!["资金用途", "办案"]);
    }

    #[test]
    fn page_furniture_lines() {
        for l in ["第 1 页 共 3 页", "第12页", "- 3 -", "— 4 —"] {
            assert!(page_furniture(l), "{l}");
        }
        for l in ["第一部分", "1-3", "-", "共3页的说明"] {
            assert!(!page_furniture(l), "{l}");
        }
    }

    #[test]
    fn locations_are_line_ranges() {
        let d = doc("\t绩效目标\n\t1.第一\n2.第二\n\n");
        let t = d.tables().next().unwrap();
        assert_eq!(t.rows[0].location, Location::lines(1, 3));
        assert_eq!(t.rows[0].cells[1].location, Location::lines(2, 3));
    }
}
