//! Tables drawn without vertical rules: columns from the alignment of the text, rows from the
//! horizontal rules when the table has them, else from the text and the grammar.
//!
//! The text outside lattice tables is cut into blocks at blank vertical gaps. In a block:
//!
//! 1. Each text line is cut into chunks where two glyphs are further apart than a cell's padding
//!    (0.7 em; a space between words or between CJK text and a digit is narrower).
//! 2. Column separators are the gaps between chunks, clustered across lines: gaps that overlap
//!    are the same separator, narrowed to their common part. A gap wider than one separator (an
//!    empty cell) is left out. The table's alignment is decided once from the clusters that show
//!    one (the texts after a gap start at one x with differing widths: left-aligned; mirrored:
//!    right-aligned); a separator sits hard by the aligned edge, else (centred cells, or texts of
//!    one width) in the middle of the common part. A chunk that crosses a separator spans those
//!    columns.
//! 3. Where the table ends: before a line of one chunk that is a paragraph (it starts at the
//!    table's left edge and runs into the second column), a form's title, or text that neither
//!    starts at a column nor is centred in one (a centred page title).
//! 4. Rows. Horizontal rules (a table with only `top`, `bottom` and `insideH` borders) cut the
//!    table into bands; a rule missing above a column marks a vertically merged cell. With more
//!    than two bands each band is one row; a 三线表's two (header, body), and a table without
//!    rules, are split into rows by the text:
//!    - in an indicator grid (after its header row), the level columns decide, as in the text
//!      dumps: a line that starts a level name where the row already has a complete one starts
//!      a row; the rest of a cut name (`经济效益` | `指标`) does not; a line without level text
//!      continues the row when one of its cells continues a wrapped line;
//!    - elsewhere a line continues the row when each of its chunks continues a line that was
//!      wrapped (the next line's first word would not have fitted after it) or the start of a
//!      vocabulary term; text in a column the row has none in starts a row (cells are
//!      top-aligned, Word's default), and so does a line of bare numbers under text
//!      (资金支出计划: `3月底` … then `25%` …).
//! 5. A label or indicator name cut by a row break (`预算规模及资金用` | `途`) is joined back into
//!    its cell when the joined text is a vocabulary term, as page breaks are.
//!
//! A table continued from the last page keeps that page's columns and grid ([`Carry`]) where
//! they fit (no cell gets two chunks of a line): on the new page some columns may be empty, and
//! the header row is not repeated. A grid's header row alone at a page's end is a table too (the
//! stitcher puts it over the next page's rows).
//!
//! Not covered: cells aligned to the bottom or vertically centred in a borderless table (their
//! text does not start on the row's first line), and borderless tables whose merged cells hold
//! text that is no vocabulary term across a row break.

use super::glyphs::Glyph;
use super::grid::{cell_paragraphs, is_cjk, is_page_furniture, join_line, line_groups, Placed, Rule};
use super::settings::TABLES;
use crate::blocks::{Block, Cell, Location, Paragraph, Row, Table};
use crate::grammars::{Grammars, IndicatorColumn};

/// A run of glyphs on one line with no cell-sized gap inside.
struct Chunk<'a> {
    glyphs: Vec<&'a Glyph>,
    x0: f64,
    x1: f64,
    size: f64,
}

impl Chunk<'_> {
    fn width(&self) -> f64 {
        self.x1 - self.x0
    }

    fn text(&self) -> String {
        join_line(&self.glyphs)
    }
}

struct TextLine<'a> {
    y: f64,
    size: f64,
    chunks: Vec<Chunk<'a>>,
}

impl TextLine<'_> {
    fn glyph_ys(&self) -> impl Iterator<Item = f64> + '_ {
        self.chunks.iter().flat_map(|c| c.glyphs.iter().map(|g| g.y))
    }

    /// The lowest baseline on the page (PDF y grows upwards).
    fn lowest(&self) -> f64 {
        self.glyph_ys().fold(self.y, f64::min)
    }

    fn highest(&self) -> f64 {
        self.glyph_ys().fold(self.y, f64::max)
    }

    fn x0(&self) -> f64 {
        self.chunks.first().map_or(0.0, |c| c.x0)
    }

    fn x1(&self) -> f64 {
        self.chunks.last().map_or(0.0, |c| c.x1)
    }
}

/// What reading one page hands to the next: the columns of the last ruled table, so that the
/// rest of its last row at the top of the next page lands in the right columns.
#[derive(Default)]
pub struct Carry {
    columns: Option<Columns>,
    /// The last borderless table.
    aligned: Option<Aligned>,
}

/// A borderless table as the next page may continue it.
struct Aligned {
    page: u32,
    x0: f64,
    seps: Vec<f64>,
    levels: Option<Levels>,
}

/// The level-1 and level-2 columns of an indicator grid.
type Levels = [Option<usize>; 2];

#[derive(Clone)]
struct Columns {
    page: u32,
    x0: f64,
    x1: f64,
    seps: Vec<f64>,
    bands_are_rows: bool,
}

/// The blocks made of `free` glyphs (those outside lattice tables): tables recovered from
/// alignment, and paragraphs. `rules` are the horizontal rules no lattice table used.
pub fn blocks(
    page: &super::glyphs::Page,
    free: &[&Glyph],
    rules: &[Rule],
    first_table_number: u32,
    g: &Grammars,
    carry: &mut Carry,
    furniture: &mut u64,
) -> Vec<Placed> {
    let lines: Vec<TextLine> =
        line_groups(free).into_iter().map(|(y, _, _, gs)| text_line(y, gs)).filter(|l| !l.chunks.is_empty()).collect();
    let mut out = Vec::new();
    let mut number = first_table_number;
    let mut start = 0;
    for end in 1..=lines.len() {
        // (Baselines within a line differ a little: a cell's text set lower. The gap runs from
        // the lowest of the line above to the highest of the line below.)
        let split = end == lines.len()
            || lines[end - 1].lowest() - lines[end].highest() > TABLES.block_gap_em * lines[end - 1].size.max(1.0);
        if split {
            read_block(page, &lines[start..end], rules, &mut number, g, carry, &mut out, furniture);
            start = end;
        }
    }
    out
}

fn text_line<'a>(y: f64, glyphs: Vec<&'a Glyph>) -> TextLine<'a> {
    let mut chunks: Vec<Chunk<'a>> = Vec::new();
    let size = glyphs.iter().map(|g| g.size).fold(0.0, f64::max);
    for g in glyphs {
        match chunks.last_mut() {
            Some(c) if g.x - c.x1 <= TABLES.cell_gap_em * g.size.max(c.size) => {
                c.x1 = c.x1.max(g.x + g.width);
                c.size = c.size.max(g.size);
                c.glyphs.push(g);
            }
            _ => chunks.push(Chunk { glyphs: vec![g], x0: g.x, x1: g.x + g.width, size: g.size }),
        }
    }
    // Spaces at a chunk's ends are not text; a chunk of spaces only is no chunk.
    chunks.retain(|c| c.glyphs.iter().any(|g| !g.text.trim().is_empty()));
    for c in &mut chunks {
        while c.glyphs.last().is_some_and(|g| g.text.trim().is_empty()) {
            c.glyphs.pop();
        }
        while c.glyphs.first().is_some_and(|g| g.text.trim().is_empty()) {
            c.glyphs.remove(0);
        }
        c.x0 = c.glyphs.first().map_or(c.x0, |g| g.x);
        c.x1 = c.glyphs.last().map_or(c.x1, |g| g.x + g.width);
    }
    TextLine { y, size, chunks }
}

/// Reads one block (lines with no blank gap between them) into tables and paragraphs.
fn read_block(
    page: &super::glyphs::Page,
    lines: &[TextLine],
    rules: &[Rule],
    number: &mut u32,
    g: &Grammars,
    carry: &mut Carry,
    out: &mut Vec<Placed>,
    furniture: &mut u64,
) {
    let mut i = 0;
    while i < lines.len() {
        if let Some((end, mut rows)) = ruled_table(&lines[i..], rules, carry) {
            // Only the first table of a page continues the last page's (a second project's block
            // of the same width on one page has columns of its own: 其他资金 | 100.00).
            let page_top = i == 0 && out.is_empty();
            let continued = carry.columns.take().filter(|c| {
                c.page < page.number
                    && page_top
                    && (c.x0 - rows.x0).abs() < TABLES.rule_snap
                    && (c.x1 - rows.x1).abs() < TABLES.rule_snap
            });
            let continued = continued.filter(|c| fit_columns(&lines[i..i + end], &c.seps));
            // Rules under every row (or row group) are the rows; a 三线表's two bands (header,
            // body) hold rows the text must tell apart. Decided once per table, kept across pages.
            rows.bands_are_rows =
                rows.ys.len() - 1 > TABLES.ruled_bands || continued.as_ref().is_some_and(|c| c.bands_are_rows);
            let bands_are_rows = rows.bands_are_rows;
            let seps = continued.map_or_else(|| separators(lines[i..i + end].iter()), |c| c.seps);
            let layout = Layout { seps: &seps, ruled: Some(&rows), inherited: None };
            push_table(page.number, &lines[i..i + end], layout, number, g, out);
            carry.columns = Some(Columns { page: page.number, x0: rows.x0, x1: rows.x1, seps, bands_are_rows });
            i += end;
            continue;
        }
        // A table at the top of a page whose columns are among those of the last table on an
        // earlier page continues it: its columns (some may be empty on this page) and its grid.
        let page_top = i == 0 && out.is_empty();
        let previous = carry.aligned.as_ref().filter(|a| a.page < page.number && page_top);
        if let Some(end) = aligned_table(&lines[i..], previous, g) {
            let own = separators(lines[i..i + end].iter());
            // (Separators of centred text move with the text: an em of tolerance.)
            let em = lines[i].size.max(1.0);
            let continued = previous.filter(|a| {
                own.iter().all(|s| a.seps.iter().any(|t| (s - t).abs() < em))
                    && fit_columns(&lines[i..i + end], &a.seps)
            });
            let seps = continued.map_or(own, |a| a.seps.clone());
            let x0 = lines[i..i + end].iter().map(TextLine::x0).fold(continued.map_or(f64::MAX, |a| a.x0), f64::min);
            let inherited = continued.and_then(|a| a.levels);
            let layout = Layout { seps: &seps, ruled: None, inherited };
            let levels = push_table(page.number, &lines[i..i + end], layout, number, g, out);
            carry.aligned = Some(Aligned { page: page.number, x0, seps, levels });
            i += end;
            continue;
        }
        let line = &lines[i];
        let glyphs: Vec<&Glyph> = line.chunks.iter().flat_map(|c| c.glyphs.iter().copied()).collect();
        let text = join_line(&glyphs);
        i += 1;
        if is_page_furniture(&text, line.y, page.height) {
            *furniture += super::visible_chars(&text);
            continue;
        }
        // The end of a form's title wrapped from the line above, which ran to the page's right
        // text edge in the same size (a long title at 16 pt): one title. (Prose lines stay
        // lines: the 部门整体绩效目标 reader takes them as they come.)
        let heading = |t: &str| crate::recognize::grammar::project_heading(t, &g.heading_suffixes).is_some();
        let wrapped = i >= 2
            && lines[i - 2].x1() >= right_edge(page) - lines[i - 2].size.max(1.0) * TABLES.wrap_em
            && (lines[i - 2].size - line.size).abs() <= 0.5
            && heading(&text)
            && out.last().is_some_and(|p| {
                p.top == lines[i - 2].y && matches!(&p.block, Block::Paragraph(a) if !heading(&a.text))
            });
        if let (true, Some(Placed { top, block: Block::Paragraph(above), .. })) = (wrapped, out.last_mut()) {
            let cjk_join = above.text.chars().last().is_some_and(is_cjk) || text.chars().next().is_some_and(is_cjk);
            if !cjk_join {
                above.text.push(' ');
            }
            above.text.push_str(&text);
            *top = line.y;
            continue;
        }
        let location = Location { page: Some(page.number), ..Location::default() };
        out.push(Placed { top: line.y, edges: None, block: Block::Paragraph(Paragraph { text, location }) });
    }
}

/// The right edge of a borderless table's text: the furthest line end that another line
/// shares (within `TABLES.edge_snap`), else the furthest end.
fn wrap_edge(lines: &[TextLine]) -> f64 {
    let ends: Vec<f64> = lines.iter().map(TextLine::x1).collect();
    let furthest = ends.iter().copied().fold(f64::MIN, f64::max);
    ends.iter()
        .copied()
        .filter(|e| ends.iter().filter(|f| (*f - e).abs() < TABLES.edge_snap).count() >= 2)
        .fold(None, |m: Option<f64>, e| Some(m.map_or(e, |m| m.max(e))))
        .unwrap_or(furthest)
}

/// Whether the lines fit the columns cut at `seps`: no line puts two of its chunks into one
/// column. The columns of a table on the page before do not fit a table of its own that only
/// has its width (an indicator header under a project's block: 二级指标 and 三级指标 would
/// share a cell).
fn fit_columns(lines: &[TextLine], seps: &[f64]) -> bool {
    let column = |x: f64| seps.iter().filter(|s| **s < x).count();
    lines.iter().all(|l| l.chunks.windows(2).all(|w| column(w[0].x0) < column(w[1].x0)))
}

/// The rightmost end of any text on the page.
fn right_edge(page: &super::glyphs::Page) -> f64 {
    page.glyphs.iter().map(|g| g.x + g.width).fold(f64::MIN, f64::max)
}

/// Rows of a table drawn with horizontal rules only: the rule ys top-down and the table's x
/// extent.
struct RuledRows {
    ys: Vec<f64>,
    x0: f64,
    x1: f64,
    rules: Vec<Rule>,
    /// Each band between two rules is one row (else the text splits bands into rows).
    bands_are_rows: bool,
}

/// A table with only horizontal rules that starts at the first line: how many lines it takes,
/// and its rules. The rule right above the first line gives the table's width; every rule within
/// that width below it is a row boundary (a rule under some columns only marks merged cells in
/// the others). The table ends before a rule of another width that crosses it, a line outside
/// its width, or two rules with no text between them (the space between two tables). A table of
/// one-chunk lines is a table only when it continues the last table's columns (the rest of a
/// row cut by a page break).
fn ruled_table(lines: &[TextLine], rules: &[Rule], carry: &Carry) -> Option<(usize, RuledRows)> {
    let first = lines.first()?;
    let above = rules
        .iter()
        .filter(|r| {
            r.0 > first.y && r.0 - first.y < 3.0 * first.size && r.1 <= first.x0() + 1.0 && r.2 >= first.x1() - 1.0
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))?;
    let (x0, x1) = (above.1, above.2);
    let within = |r: &Rule| r.1 >= x0 - TABLES.rule_snap && r.2 <= x1 + TABLES.rule_snap;
    let crosses = |r: &Rule| !within(r) && r.1 < x1 && r.2 > x0;
    let mut ys: Vec<f64> =
        rules.iter().filter(|r| within(r) && r.0 <= above.0 + TABLES.rule_snap).map(|r| r.0).collect();
    ys.sort_by(|a, b| b.total_cmp(a));
    ys.dedup_by(|a, b| (*a - *b).abs() < TABLES.rule_snap);
    let mut end_rule = 0;
    let mut taken = 0;
    for k in 1..ys.len() {
        let foreign = rules.iter().any(|r| crosses(r) && r.0 < ys[k - 1] && r.0 > ys[k]);
        let inside: Vec<usize> = (taken..lines.len()).take_while(|&j| lines[j].y > ys[k]).collect();
        // (Text may run on past the right edge from a cell inside: a long 依据 overflows.)
        let fits = inside.iter().all(|&j| lines[j].x0() >= x0 - 1.0 && lines[j].chunks.iter().all(|c| c.x0 < x1));
        if foreign || inside.is_empty() || !fits {
            break;
        }
        taken += inside.len();
        end_rule = k;
    }
    let continues = carry
        .columns
        .as_ref()
        .is_some_and(|c| (c.x0 - x0).abs() < TABLES.rule_snap && (c.x1 - x1).abs() < TABLES.rule_snap);
    if end_rule == 0 || !(continues || lines[..taken].iter().any(|l| l.chunks.len() >= 2)) {
        return None;
    }
    ys.truncate(end_rule + 1);
    let inner: Vec<Rule> = rules
        .iter()
        .filter(|r| within(r) && r.0 <= ys[0] + TABLES.rule_snap && r.0 >= ys[end_rule] - TABLES.rule_snap)
        .copied()
        .collect();
    Some((taken, RuledRows { ys, x0, x1, rules: inner, bands_are_rows: true }))
}

/// A table without rules that starts at the first line: it needs two lines of two or more
/// chunks, and ends before a line that starts left of the columns and crosses into the second
/// column (a paragraph, e.g. the next form's title).
fn aligned_table(lines: &[TextLine], previous: Option<&Aligned>, g: &Grammars) -> Option<usize> {
    // (The last page's columns count only where they fit: a project's block above does not
    // give the indicator grid that opens this page its columns.)
    let previous = previous.filter(|a| fit_columns(lines, &a.seps));
    let seps = previous.map_or_else(|| separators(lines.iter()), |a| a.seps.clone());
    let first_sep = *seps.first()?;
    // A first line of one chunk inside the columns (the rest of a row cut by a page break)
    // belongs to the table that follows it.
    let first = lines.first()?;
    let rest_of_row =
        first.chunks.len() == 1 && first.x0() > first_sep && lines.get(1).is_some_and(|l| l.chunks.len() >= 2);
    if first.chunks.len() < 2 && !rest_of_row && previous.is_none() {
        return None;
    }
    let gaps: Vec<(f64, f64)> =
        lines.iter().flat_map(|l| l.chunks.windows(2).map(|w| (w[0].x1, w[1].x0)).collect::<Vec<_>>()).collect();
    let pad = cell_padding(&gaps);
    let mut left = lines.iter().filter(|l| l.chunks.len() >= 2).map(TextLine::x0).fold(f64::MAX, f64::min);
    let right = lines.iter().filter(|l| l.chunks.len() >= 2).map(TextLine::x1).fold(f64::MIN, f64::max);
    if let Some(a) = previous {
        left = left.min(a.x0);
    }
    let mut end = 0;
    while end < lines.len() {
        let l = &lines[end];
        if l.chunks.len() == 1 {
            let c = &l.chunks[0];
            // A paragraph starts at the table's left edge and runs into the second column.
            let paragraph_like = c.x0 <= left + l.size && c.x1 > first_sep;
            // Text of a cell starts at a column's left (after the padding), or is centred in a
            // column, or continues a wider cell of the line above; a centred title does none.
            let em = l.size.max(1.0);
            let mid = (c.x0 + c.x1) / 2.0;
            // (A separator sits a padding or less before a left-aligned column's text.)
            let in_column = (0..=seps.len()).any(|k| {
                let a = if k == 0 { left } else { seps[k - 1] + pad };
                let b = if k == seps.len() { right.max(c.x1) } else { seps[k] - pad };
                let starts_at_left = if k == 0 { (c.x0 - a).abs() < em } else { c.x0 > seps[k - 1] && c.x0 < a + em };
                starts_at_left || (mid - (a + b) / 2.0).abs() < em / 2.0
            });
            let under_wide_cell = end > 0
                && lines[end - 1]
                    .chunks
                    .iter()
                    .any(|p| (p.x0 - c.x0).abs() < em || ((p.x0 + p.x1) / 2.0 - mid).abs() < em / 2.0);
            let heading = g.is_heading(&c.text());
            if paragraph_like || heading || !(in_column || under_wide_cell) {
                break;
            }
        }
        left = left.min(l.x0());
        end += 1;
    }
    // (The rest of a table from the last page may be a single line; so may a grid's header
    // row that ends a page, its rows on the next.)
    let multi = lines[..end].iter().filter(|l| l.chunks.len() >= 2).count();
    let header = |l: &TextLine| g.indicator_header(&l.chunks.iter().map(Chunk::text).collect::<Vec<_>>()).is_some();
    let lone_header = end == 1 && header(&lines[0]);
    (multi >= 2 || (previous.is_some() && end > 0) || lone_header).then_some(end)
}

/// A gap between two chunks of a line: the chunk before it (x0, x1) and the chunk after it
/// (x0, x1). The gap itself runs from `before.1` to `after.0`.
#[derive(Clone, Copy)]
struct Gap {
    before: (f64, f64),
    after: (f64, f64),
}

/// Column separators: gaps between chunks, clustered across lines (narrowest first; a gap that
/// overlaps two separators is an empty cell and left out). The table's alignment is decided
/// once, from the clusters that show one (at least two): most texts after a cluster start at one
/// x while their widths differ (left-aligned), or most texts before it end at one x while their
/// starts differ (right-aligned). Texts of one width on both sides (数量指标 | 质量指标 …) show nothing: they
/// follow the table. A separator of left-aligned cells sits just before the column's left edge
/// (a centred header above left-aligned data does not move it; the column on its left may hold
/// longer text on the next page), of right-aligned ones just after the column's right edge, and
/// of centred cells in the middle of the cluster's common part.
fn separators<'a, 'b: 'a>(lines: impl Iterator<Item = &'a TextLine<'b>>) -> Vec<f64> {
    let mut gaps: Vec<Gap> = lines
        .flat_map(|l| {
            l.chunks
                .windows(2)
                .map(|w| Gap { before: (w[0].x0, w[0].x1), after: (w[1].x0, w[1].x1) })
                .collect::<Vec<_>>()
        })
        .collect();
    let spans: Vec<(f64, f64)> = gaps.iter().map(|g| (g.before.1, g.after.0)).collect();
    let pad = cell_padding(&spans);
    let width = |g: &Gap| g.after.0 - g.before.1;
    gaps.sort_by(|a, b| width(a).total_cmp(&width(b)).then(a.before.1.total_cmp(&b.before.1)));
    // (common part, the gaps)
    let mut clusters: Vec<((f64, f64), Vec<Gap>)> = Vec::new();
    for gap in gaps {
        let (a, b) = (gap.before.1, gap.after.0);
        let hits: Vec<usize> = (0..clusters.len()).filter(|&k| clusters[k].0 .0 < b && a < clusters[k].0 .1).collect();
        match hits.as_slice() {
            [] => clusters.push(((a, b), vec![gap])),
            [k] => {
                let c = &mut clusters[*k];
                c.0 = (c.0 .0.max(a), c.0 .1.min(b));
                c.1.push(gap);
            }
            _ => {}
        }
    }
    let evidence: Vec<Alignment> = clusters.iter().map(|(_, members)| alignment(members)).collect();
    let votes = |a: Alignment| evidence.iter().filter(|e| **e == a).count();
    let table = match (votes(Alignment::Left), votes(Alignment::Right)) {
        (l, r) if l > r && l >= 2 => Alignment::Left,
        (l, r) if r > l && r >= 2 => Alignment::Right,
        _ => Alignment::Unknown,
    };
    // Hard by the aligned edge: the other side's text may be longer on another page.
    let inset = pad.min(TABLES.edge_inset);
    let mut out: Vec<f64> = clusters
        .iter()
        .zip(&evidence)
        .map(|(((a, b), members), own)| {
            let ends: Vec<f64> = members.iter().map(|m| m.after.0).collect();
            let starts: Vec<f64> = members.iter().map(|m| m.before.1).collect();
            let decided = if *own == Alignment::Unknown { table } else { *own };
            // (The aligned edge is the common part's own end: no text of the column starts
            // before it.)
            match (decided, shared_edge(&ends), shared_edge(&starts)) {
                (Alignment::Left, Some(x), _) if (x - b).abs() < TABLES.edge_snap => (b - inset).max(*a),
                (Alignment::Right, _, Some(x)) if (x - a).abs() < TABLES.edge_snap => (a + inset).min(*b),
                // No evidence: every gap ending at one x may be left-aligned text or centred
                // texts of one width; a padding before that x serves both (hard by it would cut
                // a wider centred text of the next column: centred-001x2).
                _ if ends.iter().all(|e| (e - b).abs() < TABLES.edge_snap) => (b - pad).max(*a),
                _ => (a + b) / 2.0,
            }
        })
        .collect();
    out.sort_by(f64::total_cmp);
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Alignment {
    Left,
    Right,
    Unknown,
}

/// What a cluster of gaps shows: the texts after it starting at one x with different widths
/// (left), the texts before it ending at one x from different starts (right), or neither.
fn alignment(members: &[Gap]) -> Alignment {
    let varied = |xs: &mut dyn Iterator<Item = f64>| {
        let v: Vec<f64> = xs.collect();
        let lo = v.iter().copied().fold(f64::MAX, f64::min);
        let hi = v.iter().copied().fold(f64::MIN, f64::max);
        hi - lo > TABLES.widths_differ
    };
    let ends: Vec<f64> = members.iter().map(|m| m.after.0).collect();
    let starts: Vec<f64> = members.iter().map(|m| m.before.1).collect();
    let left = shared_edge(&ends).is_some_and(|x| {
        varied(&mut members.iter().filter(|m| (m.after.0 - x).abs() < TABLES.edge_snap).map(|m| m.after.1))
    });
    let right = shared_edge(&starts).is_some_and(|x| {
        varied(&mut members.iter().filter(|m| (m.before.1 - x).abs() < TABLES.edge_snap).map(|m| m.before.0))
    });
    match (left, right) {
        (true, false) => Alignment::Left,
        (false, true) => Alignment::Right,
        _ => Alignment::Unknown,
    }
}

/// The x most of `edges` share (within `TABLES.edge_snap`), if more than half do.
fn shared_edge(edges: &[f64]) -> Option<f64> {
    let near = |x: f64| edges.iter().filter(|e| (**e - x).abs() < TABLES.edge_snap).count();
    let best = edges.iter().copied().max_by_key(|x| near(*x))?;
    (near(best) * 2 > edges.len()).then_some(best)
}

/// A cell's padding: half the narrowest gap between two chunks of a line (two paddings and
/// some slack).
fn cell_padding(gaps: &[(f64, f64)]) -> f64 {
    let narrowest = gaps.iter().map(|(a, b)| b - a).fold(f64::MAX, f64::min);
    if narrowest == f64::MAX {
        0.0
    } else {
        narrowest / 2.0
    }
}

/// A chunk placed in the grid: its line, first column and column span.
struct Placement {
    line: usize,
    chunk: usize,
    column: usize,
    span: usize,
}

/// How a table's lines are laid out: its column separators, its rules (if drawn with horizontal
/// rules), and the grid levels it continues from the last page.
struct Layout<'a> {
    seps: &'a [f64],
    ruled: Option<&'a RuledRows>,
    inherited: Option<Levels>,
}

fn push_table(
    page: u32,
    lines: &[TextLine],
    layout: Layout,
    number: &mut u32,
    g: &Grammars,
    out: &mut Vec<Placed>,
) -> Option<Levels> {
    let Layout { seps, ruled, inherited } = layout;
    let ncols = seps.len() + 1;
    let placements: Vec<Vec<Placement>> = lines
        .iter()
        .enumerate()
        .map(|(li, l)| {
            l.chunks
                .iter()
                .enumerate()
                .map(|(ci, c)| {
                    let column = seps.iter().filter(|s| **s < c.x0).count();
                    let span = 1 + seps.iter().filter(|s| **s > c.x0 && **s < c.x1).count();
                    Placement { line: li, chunk: ci, column, span }
                })
                .collect()
        })
        .collect();
    // Column bounds, for telling a wrapped line (it fills its column) from a short one.
    // (A table continued from the last page may have no text in its first column here.)
    let x0 = ruled.map_or_else(
        || lines.iter().map(TextLine::x0).fold(seps.first().map_or(f64::MAX, |s| s - 1.0), f64::min),
        |r| r.x0,
    );
    // Without rules the right side is where the last column's lines wrap: the furthest end two
    // lines share (text that cannot wrap, a long 依据 or code, runs on past it).
    let x1 = ruled.map_or_else(|| wrap_edge(lines), |r| r.x1);
    let bound =
        |c: usize| -> (f64, f64) { (if c == 0 { x0 } else { seps[c - 1] }, if c + 1 == ncols { x1 } else { seps[c] }) };
    let gaps: Vec<(f64, f64)> =
        lines.iter().flat_map(|l| l.chunks.windows(2).map(|w| (w[0].x1, w[1].x0)).collect::<Vec<_>>()).collect();
    let pad = cell_padding(&gaps);
    // A line wrapped when the first word of the next line would not have fitted after it. The
    // outer sides of a borderless table are known only from its widest text: more slack there.
    let wraps = |p: &Placement, next: &Placement| -> bool {
        let chunk = &lines[p.line].chunks[p.chunk];
        let (a, _) = bound(p.column);
        let (_, b) = bound(p.column + p.span - 1);
        let left_pad = if p.column > 0 || ruled.is_some() { pad } else { 0.0 };
        let right_pad = if p.column + p.span < ncols || ruled.is_some() { pad } else { 0.0 };
        let slack = if left_pad > 0.0 && right_pad > 0.0 { 0.5 } else { 0.5 + chunk.size / 2.0 };
        let left_over = (b - a) - left_pad - right_pad - chunk.width();
        left_over < first_word_width(&lines[next.line].chunks[next.chunk]) + slack
    };
    // Rows: lists of line indices.
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut levels: Option<Levels>;
    // Rows: the rules cut the table into bands. A table ruled under every row has a row per
    // band; in a 三线表 (a header band and a body band) the text decides within a band, as in a
    // table without rules. Each row keeps the rule above it when it opens a band.
    levels = inherited;
    let bands: Vec<(Vec<usize>, Option<f64>)> = match ruled {
        Some(r) => (1..r.ys.len())
            .map(|k| {
                (
                    (0..lines.len()).filter(|&j| lines[j].y < r.ys[k - 1] && lines[j].y > r.ys[k]).collect(),
                    Some(r.ys[k - 1]),
                )
            })
            .collect(),
        None => vec![((0..lines.len()).collect(), None)],
    };
    let by_rules = ruled.is_some_and(|r| r.bands_are_rows);
    let mut tops: Vec<Option<f64>> = Vec::new();
    for (band, top) in bands {
        let opened = rows.len();
        if band.is_empty() {
            rows.push(Vec::new());
            tops.push(top);
            continue;
        }
        for li in band {
            let line = &placements[li];
            let continues = rows.len() > opened
                && (by_rules
                    || rows.last().is_some_and(|row| {
                        let texts = column_texts(row, ncols, &placements, lines);
                        continues_row(&texts, row, line, &placements, lines, &wraps, levels, g)
                    }));
            if continues {
                if let Some(row) = rows.last_mut() {
                    row.push(li);
                }
                continue;
            }
            if let Some(row) = rows.last() {
                let texts = column_texts(row, ncols, &placements, lines);
                if let Some(cols) = g.indicator_header(&texts) {
                    let find = |k: IndicatorColumn| cols.iter().position(|c| *c == Some(k));
                    levels = Some([find(IndicatorColumn::Level1), find(IndicatorColumn::Level2)]);
                }
            }
            tops.push(if rows.len() == opened { top } else { None });
            rows.push(vec![li]);
        }
    }
    // Cells: the glyphs of each row and column.
    let table_number = *number;
    let mut grid: Vec<Vec<(Vec<&Glyph>, usize)>> = Vec::new();
    for row in &rows {
        let mut cells: Vec<(Vec<&Glyph>, usize)> = vec![(Vec::new(), 1); ncols];
        for &li in row {
            for p in &placements[li] {
                // A line of a cell that spans columns belongs to that cell wherever it starts
                // (a centred last line starts further right).
                let column = (0..=p.column)
                    .rev()
                    .find(|&c| !cells[c].0.is_empty() && c + cells[c].1 > p.column)
                    .unwrap_or(p.column);
                let cell = &mut cells[column];
                cell.0.extend(lines[li].chunks[p.chunk].glyphs.iter().copied());
                cell.1 = cell.1.max(p.span + p.column - column);
            }
        }
        grid.push(cells);
    }
    let mut table_rows: Vec<Row> = Vec::new();
    let mut merged_rests: Vec<(usize, usize)> = Vec::new();
    for (r, cells) in grid.iter().enumerate() {
        let mut out_cells = Vec::new();
        let mut c = 0;
        while c < ncols {
            // A span stops at the next column that has text of its own.
            let mut span = cells[c].1.min(ncols - c);
            if let Some(k) = (c + 1..c + span).find(|&k| !cells[k].0.is_empty()) {
                span = k - c;
            }
            let location = Location {
                page: Some(page),
                table: Some(table_number),
                row: Some(r as u32 + 1),
                column: Some(c as u32 + 1),
                ..Location::default()
            };
            let right = bound(c + span - 1).1;
            let mut cell = Cell::new(cell_paragraphs(&cells[c].0, right), location);
            cell.col_span = span as u32;
            // A rule missing above this column (in a ruled table) continues the cell above; text
            // there is the rest of that cell's text (a merged label: 预算规模及资金用 | 途).
            if let (Some(rr), Some(y), true) = (ruled, tops[r], r > 0) {
                let xmid = (bound(c).0 + bound(c).1) / 2.0;
                let ruled_above =
                    rr.rules.iter().any(|l| (l.0 - y).abs() < TABLES.rule_snap && xmid >= l.1 && xmid <= l.2);
                if !ruled_above {
                    if cell.is_blank() {
                        cell.continued = true;
                    } else {
                        merged_rests.push((r, out_cells.len()));
                    }
                }
            }
            out_cells.push(cell);
            c += span;
        }
        let location =
            Location { page: Some(page), table: Some(table_number), row: Some(r as u32 + 1), ..Location::default() };
        table_rows.push(Row { cells: out_cells, location, notes: Vec::new() });
    }
    for (r, i) in merged_rests {
        move_up(&mut table_rows, r, i);
    }
    if ruled.is_none() {
        join_cut_terms(&mut table_rows, g);
    }
    table_rows.retain(|r| !r.cells.iter().all(|c| c.is_blank()));
    if table_rows.is_empty() {
        return levels;
    }
    *number += 1;
    let table = Table {
        rows: table_rows,
        location: Location { page: Some(page), table: Some(table_number), ..Location::default() },
    };
    let top = ruled.map_or(lines[0].y, |r| r.ys[0]);
    // Tables continued on the next page are matched by their columns.
    let edges = Some((seps[0], seps[seps.len() - 1]));
    out.push(Placed { top, edges, block: Block::Table(table) });
    levels
}

/// Each column's text so far in a row (its lines' chunks, joined).
fn column_texts(row: &[usize], ncols: usize, placements: &[Vec<Placement>], lines: &[TextLine]) -> Vec<String> {
    let mut texts = vec![String::new(); ncols];
    for p in row.iter().flat_map(|&li| placements[li].iter()) {
        texts[p.column].push_str(&lines[p.line].chunks[p.chunk].text());
    }
    texts
}

/// Whether a line (its chunk placements) continues the row made of `row`'s lines, whose column
/// texts are `texts`. In an indicator grid (`levels`: the level-1 and level-2 columns) the
/// level names decide, as in the text dumps: a line that starts a level name where the row
/// already has one starts a row, the rest of a cut name does not. Elsewhere, and for lines
/// without level text, the layout decides.
#[allow(clippy::too_many_arguments)]
fn continues_row(
    texts: &[String],
    row: &[usize],
    line: &[Placement],
    placements: &[Vec<Placement>],
    lines: &[TextLine],
    wraps: &dyn Fn(&Placement, &Placement) -> bool,
    levels: Option<Levels>,
    g: &Grammars,
) -> bool {
    if line.is_empty() {
        return false;
    }
    let chunk_text = |p: &Placement| lines[p.line].chunks[p.chunk].text();
    let mut by_levels = false;
    for column in levels.into_iter().flatten().flatten() {
        let Some(p) = line.iter().find(|p| p.column == column) else { continue };
        by_levels = true;
        let so_far = &texts[column];
        if so_far.is_empty() {
            return false;
        }
        let text = chunk_text(p);
        let joined = format!("{so_far}{text}");
        if g.starts_term(so_far) && (g.is_term(&joined) || g.starts_term(&joined)) {
            continue;
        }
        if g.is_term(&text) || g.starts_term(&text) {
            return false;
        }
    }
    if by_levels {
        return true;
    }
    // In a grid, a line without level names continues the row when one of its cells continues
    // a wrapped line (a cell may also start lower, after an empty paragraph); elsewhere every
    // cell must, and cells are taken as top-aligned.
    let in_grid = levels.is_some();
    // A row of bare numbers under a row of text (资金支出计划: 3月底 … then 25% …) is a row.
    // (The rest of a cut label beside them, 资金支出 | 计划, is not a value.)
    let ends_in_text = |p: &Placement| texts[p.column].chars().last().is_some_and(|c| !c.is_ascii_digit() && c != '%');
    let continues_term = |p: &Placement| {
        let so_far = &texts[p.column];
        let joined = format!("{so_far}{}", chunk_text(p));
        g.starts_term(so_far) && (g.is_term(&joined) || g.starts_term(&joined))
    };
    let values: Vec<&Placement> = line.iter().filter(|p| !continues_term(p)).collect();
    if !values.is_empty() && values.iter().all(|p| is_number(&chunk_text(p))) && values.iter().any(|p| ends_in_text(p))
    {
        return false;
    }
    let mut any_wrap = false;
    let mut any_above = false;
    for p in line {
        // The row's chunks in this column (or in a cell spanning it), top-down.
        let above: Vec<&Placement> = row
            .iter()
            .flat_map(|&li| placements[li].iter())
            .filter(|q| q.column <= p.column && p.column < q.column + q.span)
            .collect();
        let Some(last) = above.last() else {
            if in_grid {
                continue;
            }
            return false;
        };
        any_above = true;
        let text = chunk_text(p);
        let so_far: String = above.iter().map(|q| chunk_text(q)).collect();
        let joined = format!("{so_far}{text}");
        // A term cut by a wrap continues whatever the column's width says (a column whose
        // right edge no line shows is too wide to tell a wrap).
        let cut_term = g.starts_term(&so_far) && (g.is_term(&joined) || g.starts_term(&joined));
        // A whole term of its own (数量指标 under 质量指标) starts a row, however the line ends.
        let new_term = g.is_term(&text) && !g.is_term(&joined);
        let wrapped = cut_term || (!new_term && fits_under(p, last) && wraps(last, p));
        if wrapped {
            any_wrap = true;
        } else if !in_grid {
            return false;
        }
    }
    any_wrap || (in_grid && !any_above)
}

/// Whether a chunk lies within the columns of the line above it: the rest of a wrapped cell
/// is never wider than the cell.
fn fits_under(p: &Placement, above: &Placement) -> bool {
    p.column >= above.column && p.column + p.span <= above.column + above.span
}

/// The width of the first unit a line break cannot split at the start of a chunk: one CJK
/// character or a run of other characters up to a space, with an opening bracket kept with what
/// follows it and closing punctuation with what precedes it (line-breaking rules keep them so).
fn first_word_width(chunk: &Chunk) -> f64 {
    const OPENING: &str = "（【《“‘(［〔〈「『";
    const CLOSING: &str = "）】》”’)］〕〉」』，。、；：！？,.;:!?%％";
    let first = |g: &Glyph| g.text.chars().next().unwrap_or(' ');
    let mut width = 0.0;
    let mut k = 0;
    let glyphs = &chunk.glyphs;
    while k < glyphs.len() {
        let c = first(glyphs[k]);
        if c.is_whitespace() {
            break;
        }
        width += glyphs[k].width;
        k += 1;
        if OPENING.contains(c) {
            continue;
        }
        let next = glyphs.get(k).map(|g| first(g));
        if is_cjk(c) || next.is_some_and(is_cjk) {
            break;
        }
    }
    while let Some(g) = glyphs.get(k).filter(|g| CLOSING.contains(first(g))) {
        width += g.width;
        k += 1;
    }
    width
}

/// A bare number (`25%`, `292.00`, `≥6000`): a line of them under text is a row of values,
/// not the rest of that text.
fn is_number(text: &str) -> bool {
    let t = crate::grammars::compact(text);
    let t = t.trim_start_matches(['≥', '≤', '>', '<', '=']);
    let t = t.strip_suffix('%').unwrap_or(t);
    !t.is_empty()
        && t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && t.chars().any(|c| c.is_ascii_digit())
}

/// A label or indicator name cut by a row break: the part in the lower row is moved up to the
/// cell it belongs to when only the joined text is a vocabulary term (or the start of one, as
/// a label may be cut twice: 资金支出 | 计划 | （%）).
fn join_cut_terms(rows: &mut [Row], g: &Grammars) {
    for r in 1..rows.len() {
        for c in 0..rows[r].cells.len() {
            let text = rows[r].cells[c].text();
            if text.is_empty() || g.is_term(&text) {
                continue;
            }
            let Some((k, i)) = origin(rows, r, c) else { continue };
            let above = rows[k].cells[i].text();
            let joined = format!("{above}{text}");
            // (The upper part of a label may be a label itself: 资金支出计划 | （%） is one.)
            let label_cut = g.label(&above).is_some() && g.label(&joined).is_some();
            if label_cut || (!g.is_term(&above) && (g.is_term(&joined) || g.starts_term(&joined))) {
                move_up(rows, r, c);
            }
        }
    }
}

/// The nearest cell above `rows[r].cells[c]`, in the same column, that has text.
fn origin(rows: &[Row], r: usize, c: usize) -> Option<(usize, usize)> {
    let column = rows[r].cells[c].location.column;
    (0..r).rev().find_map(|k| {
        let i = rows[k].cells.iter().position(|x| x.location.column == column)?;
        (!rows[k].cells[i].is_blank()).then_some((k, i))
    })
}

/// Moves a cell's text to the end of the cell above it ([`origin`]); the cell becomes the
/// continuation of that one.
fn move_up(rows: &mut [Row], r: usize, c: usize) {
    let Some((k, i)) = origin(rows, r, c) else { return };
    let moved = std::mem::take(&mut rows[r].cells[c].paragraphs).concat();
    if let Some(p) = rows[k].cells[i].paragraphs.last_mut() {
        p.push_str(&moved);
    }
    rows[r].cells[c].continued = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(text: &str, x: f64, width: f64) -> Glyph {
        Glyph { text: text.into(), x, y: 100.0, width, size: 10.0, ..Glyph::default() }
    }

    /// A line of chunks given as (x, text), every character 10 points wide.
    fn line<'a>(glyphs: &'a [Glyph]) -> TextLine<'a> {
        text_line(100.0, glyphs.iter().collect())
    }

    fn glyphs(chunks: &[(f64, &str)]) -> Vec<Glyph> {
        chunks
            .iter()
            .flat_map(|(x, t)| {
                t.chars().enumerate().map(move |(k, c)| glyph(&c.to_string(), x + 10.0 * k as f64, 10.0))
            })
            .collect()
    }

    #[test]
    fn chunks_split_at_cell_gaps_not_at_word_spaces() {
        let g = glyphs(&[(0.0, "项目名称"), (52.0, "2023"), (95.0, "年度")]);
        let l = line(&g);
        // 40 → 52 is a cell gap (1.2 em); 92 → 95 is a space's worth.
        assert_eq!(l.chunks.iter().map(Chunk::text).collect::<Vec<_>>(), ["项目名称", "2023年度"]);
    }

    #[test]
    fn separators_of_left_aligned_columns_sit_just_before_the_text() {
        // Columns start at 0, 60 and 120; the second column's texts differ in length.
        let a = glyphs(&[(0.0, "一级指标"), (60.0, "二级指标"), (120.0, "指标值")]);
        let b = glyphs(&[(0.0, "产出"), (60.0, "数量"), (120.0, "5")]);
        let lines = [line(&a), line(&b)];
        let seps = separators(lines.iter());
        assert_eq!(seps.len(), 2);
        // Just before each column's left edge.
        assert!((seps[0] - 58.0).abs() < 1e-9 && (seps[1] - 118.0).abs() < 1e-9, "{seps:?}");
    }

    #[test]
    fn separators_of_centred_columns_are_the_middle_of_the_common_gap() {
        let a = glyphs(&[(10.0, "一级指标"), (70.0, "二级指标")]);
        let b = glyphs(&[(20.0, "产出"), (80.0, "数量")]);
        let lines = [line(&a), line(&b)];
        // Gaps 50–70 and 40–80: common part 50–70, centre 60.
        assert_eq!(separators(lines.iter()), vec![60.0]);
    }

    #[test]
    fn an_empty_cells_gap_is_no_separator() {
        let a = glyphs(&[(0.0, "一"), (60.0, "二"), (120.0, "三")]);
        let b = glyphs(&[(0.0, "四"), (120.0, "六")]);
        let lines = [line(&a), line(&b)];
        assert_eq!(separators(lines.iter()).len(), 2);
    }

    #[test]
    fn first_words_keep_brackets_and_closing_punctuation() {
        let g = glyphs(&[(0.0, "【2019】117号")]);
        let l = line(&g);
        // 【 stays with 2019, and 】 with what precedes it.
        assert_eq!(first_word_width(&l.chunks[0]), 60.0);
        let g = glyphs(&[(0.0, "结案数量")]);
        assert_eq!(first_word_width(&line(&g).chunks[0]), 10.0);
        let g = glyphs(&[(0.0, "25%，")]);
        assert_eq!(first_word_width(&line(&g).chunks[0]), 40.0);
    }

    #[test]
    fn bare_numbers() {
        for n in ["25%", "292.00", "≥6000", "1,200"] {
            assert!(is_number(n), "{n}");
        }
        for t in ["3月底", "≥6000件", "%", "17号", ""] {
            assert!(!is_number(t), "{t}");
        }
    }

    #[test]
    fn a_centred_header_over_left_aligned_columns_keeps_the_separators_at_the_columns() {
        // reportlab, horizontal rules only: the header is centred, the data left-aligned at 112,
        // 200 and 329; the 二级指标 texts are mostly one width (数量指标, 质量指标 …).
        let header = glyphs(&[(55.0, "一级指标"), (132.0, "二级指标"), (240.0, "三级指标"), (360.0, "绩效指标描述")]);
        let a = glyphs(&[
            (46.0, "产出指标"),
            (112.0, "数量指标"),
            (200.0, "法官人均结案数量"),
            (329.0, "法官人均结案数量"),
        ]);
        let b = glyphs(&[(112.0, "质量指标"), (200.0, "息诉罢访率"), (329.0, "息诉罢访率")]);
        let c = glyphs(&[
            (46.0, "效益指标"),
            (112.0, "社会效益指标"),
            (200.0, "民事案件撤诉率"),
            (329.0, "民事案件撤诉率"),
        ]);
        let lines = [line(&header), line(&a), line(&b), line(&c)];
        let seps = separators(lines.iter());
        assert_eq!(seps.len(), 3, "{seps:?}");
        // Hard by each column's left edge, so that longer text on the next page stays left of it.
        for (s, x) in seps.iter().zip([112.0, 200.0, 329.0]) {
            assert!(*s < x && x - s <= TABLES.edge_inset + 1e-9, "{seps:?}");
        }
    }

    #[test]
    fn texts_of_one_width_show_no_alignment() {
        // Centred cells whose texts are all one width (a wrapped four-character column): the
        // middle of the gap, not an edge.
        let a = glyphs(&[(10.0, "一级指标"), (70.0, "二级指标")]);
        let b = glyphs(&[(10.0, "产出指标"), (70.0, "数量指标")]);
        let c = glyphs(&[(10.0, "效益指标"), (70.0, "社会效益")]);
        let lines = [line(&a), line(&b), line(&c)];
        assert_eq!(separators(lines.iter()), vec![60.0]);
    }

    #[test]
    fn columns_from_another_table_fit_only_when_no_cell_gets_two_chunks() {
        // The last page's project block had a separator at 170 only; the indicator header of
        // this page has six columns.
        let header = glyphs(&[(55.0, "一级指标"), (132.0, "二级指标"), (240.0, "三级指标")]);
        let lines = [line(&header)];
        assert!(!fit_columns(&lines, &[100.0, 300.0]), "二级指标 and 三级指标 would share a cell");
        assert!(fit_columns(&lines, &[100.0, 200.0, 300.0]));
    }

    #[test]
    fn a_borderless_tables_right_side_is_where_its_lines_wrap() {
        // Two wrapped lines end at 555.7; a text that cannot wrap runs on to 575.7.
        let mut all = Vec::new();
        for (x, t) in [(505.7, "冀高法发【"), (505.7, "单位要求单位要"), (505.7, "冀高法发【"), (545.8, "号")]
        {
            all.push(glyphs(&[(x, t)]));
        }
        let lines: Vec<TextLine> = all.iter().map(|g| line(g)).collect();
        assert!((wrap_edge(&lines[..3]) - 555.7).abs() < 1e-9, "the end two lines share");
        let unique = [line(&all[1]), line(&all[3])];
        assert!((wrap_edge(&unique) - 575.7).abs() < 1e-9, "no shared end: the furthest");
    }

    fn row(texts: &[&str]) -> Row {
        Row::of_texts(texts)
    }

    #[test]
    fn a_label_cut_by_a_row_break_joins_even_when_its_upper_part_is_a_label() {
        let g = Grammars::builtin();
        let mut rows = vec![row(&["资金支出计划", "3月底"]), row(&["（%）", "25%"])];
        join_cut_terms(&mut rows, g);
        assert_eq!(rows[0].cells[0].text(), "资金支出计划（%）");
        assert!(rows[1].cells[0].continued && rows[1].cells[1].text() == "25%");
        // A header over its first value is no cut label.
        let mut rows = vec![row(&["三级指标"]), row(&["法官人均结案数量"])];
        join_cut_terms(&mut rows, g);
        assert_eq!(rows[1].cells[0].text(), "法官人均结案数量");
    }
}
