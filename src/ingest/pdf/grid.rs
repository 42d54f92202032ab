//! Lattice tables from ruling segments, and the page's other text as paragraphs.
//!
//! 1. Rulings are merged per line (collinear pieces that touch or overlap become one).
//! 2. Horizontal and vertical rulings that cross form a table; its distinct x and y positions
//!    cut it into a grid of atoms. Vertical rulings that cross nothing but run the full height of
//!    the tables on both their sides join them: a page cut through merged cells.
//! 3. Two neighbouring atoms belong to one cell when no ruling separates them: merged cells are
//!    read from missing segments, giving column and row spans.
//! 4. Glyphs are placed in the cell that contains their centre; a cell's lines are joined
//!    without a space between CJK characters (a wrapped line), with a newline when the line above
//!    ended short of the cell's right edge (a new paragraph).
//!
//! Glyphs outside every table become paragraphs, one per text line.

use super::aligned;
use super::glyphs::{Glyph, Page, Segment};
use super::settings::TABLES;
use crate::blocks::{Block, Cell, Location, Row, Table};
use crate::grammars::Grammars;

/// A table found on a page: its grid and the cells as blocks.
pub struct PageTable {
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
    pub table: Table,
}

/// A block of a page with its top y and, for tables, the x of its left and right borders.
pub struct Placed {
    pub top: f64,
    pub edges: Option<(f64, f64)>,
    pub block: Block,
}

/// Blocks of one page in reading order (top to bottom), the clipped glyphs no ruled cell took,
/// set aside (never read into a paragraph), and the characters of the page furniture (page
/// numbers, running lines) set aside.
pub fn page_blocks<'p>(
    page: &'p Page,
    first_table_number: u32,
    g: &Grammars,
    carry: &mut aligned::Carry,
) -> (Vec<Placed>, Vec<&'p Glyph>, u64) {
    let (hs, vs) = rulings(&page.segments);
    let centres: Vec<(f64, f64)> = page.glyphs.iter().filter(|g| !g.clipped).map(Glyph::center).collect();
    let tables: Vec<_> = find_tables(&hs, &vs)
        .into_iter()
        .map(|t| close_cut_edges(t, &centres))
        .filter(|(xs, ys, _, _)| xs.len() >= 2 && ys.len() >= 2)
        // A frame without inner vertical rulings around text in columns (an outer box and rules
        // under the rows, as WPS and Excel draw "outside borders"): its columns come from the
        // text's alignment, its rows from its rules, as for a table with horizontal rules only.
        .filter(|(xs, ys, _, _)| !(xs.len() == 2 && text_in_columns(page, (xs[0], ys[0], xs[1], ys[ys.len() - 1]))))
        .collect();
    let mut used = vec![false; page.glyphs.len()];
    let mut out: Vec<Placed> = Vec::new();
    let mut boxes: Vec<(f64, f64, f64, f64)> = Vec::new();
    for (k, (xs, ys, h, v)) in tables.into_iter().enumerate() {
        let number = first_table_number + k as u32;
        boxes.push((xs[0], ys[0], xs[xs.len() - 1], ys[ys.len() - 1]));
        let table = build_table(page, &xs, &ys, &h, &v, &mut used, number);
        if !table.rows.is_empty() {
            let edges = Some((xs[0], xs[xs.len() - 1]));
            out.push(Placed { top: *ys.last().unwrap_or(&0.0), edges, block: Block::Table(table) });
        }
    }
    let next_number = first_table_number + out.len() as u32;
    // The rest: tables without vertical rules, and paragraphs.
    let (set_aside, free): (Vec<&Glyph>, Vec<&Glyph>) =
        page.glyphs.iter().zip(&used).filter(|(_, u)| !**u).map(|(g, _)| g).partition(|g| g.clipped);
    let inside =
        |r: &Rule| boxes.iter().any(|b| r.0 >= b.1 - TABLES.snap && r.0 <= b.3 + TABLES.snap && r.1 < b.2 && r.2 > b.0);
    let loose: Vec<Rule> = hs.iter().filter(|r| !inside(r)).copied().collect();
    let mut furniture = 0;
    out.extend(aligned::blocks(page, &free, &loose, next_number, g, carry, &mut furniture));
    // Top of the page first.
    out.sort_by(|a, b| b.top.total_cmp(&a.top));
    (out, set_aside, furniture)
}

/// Whether the text inside a box stands in columns: at least two of its lines, or its only line
/// (a grid's header row framed alone at a page's end), hold a gap wider than a cell's padding
/// (`TABLES.cell_gap_em`) between two glyphs.
fn text_in_columns(page: &Page, (x0, y0, x1, y1): (f64, f64, f64, f64)) -> bool {
    let inside: Vec<&Glyph> = page
        .glyphs
        .iter()
        .filter(|g| !g.clipped && !g.text.trim().is_empty())
        .filter(|g| {
            let (x, y) = g.center();
            x > x0 && x < x1 && y > y0 && y < y1
        })
        .collect();
    let lines = line_groups(&inside);
    let gapped = lines
        .iter()
        .filter(|(_, _, _, gs)| {
            gs.windows(2).any(|w| w[1].x - (w[0].x + w[0].width) > TABLES.cell_gap_em * w[1].size.max(1.0))
        })
        .count();
    gapped >= 2 || (gapped == 1 && lines.len() == 1)
}

/// Page numbers and running headers/footers: short lines in the top or bottom margin.
pub(super) fn is_page_furniture(text: &str, y: f64, height: f64) -> bool {
    let margin = height * 0.06;
    let in_margin = y < margin || y > height - margin;
    let t = text.trim();
    let page_number =
        t.chars().all(|c| c.is_ascii_digit() || "-—第页共/ ".contains(c)) && t.chars().any(|c| c.is_ascii_digit());
    in_margin && (page_number || t.chars().count() <= 3)
}

/// A ruling: (fixed coordinate, start, end) — y, x1, x2 for a horizontal one.
pub type Rule = (f64, f64, f64);

/// Horizontal lines (y, x1, x2) and vertical lines (x, y1, y2), collinear pieces merged.
fn rulings(segments: &[Segment]) -> (Vec<Rule>, Vec<Rule>) {
    let mut h: Vec<Rule> =
        segments.iter().filter(|s| s.is_horizontal()).map(|s| ((s.y1 + s.y2) / 2.0, s.x1, s.x2)).collect();
    let mut v: Vec<Rule> =
        segments.iter().filter(|s| s.is_vertical()).map(|s| ((s.x1 + s.x2) / 2.0, s.y1, s.y2)).collect();
    (merge_lines(&mut h), merge_lines(&mut v))
}

/// Collinear pieces that touch or overlap become one line. Pieces a hair apart across (150.6587
/// and 150.6597) are collinear too; only pieces that meet along the line are joined — a piece
/// of the same column's border far above (another part of the page) stays a line of its own.
/// Sorted across, cut into runs of pieces within `TABLES.snap` of the run's first, each run joined
/// along: O(n log n), whatever a hostile page draws.
fn merge_lines(lines: &mut [Rule]) -> Vec<Rule> {
    lines.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut out: Vec<Rule> = Vec::new();
    let mut start = 0;
    while start < lines.len() {
        let c0 = lines[start].0;
        let end = start + lines[start..].iter().take_while(|l| l.0 - c0 <= TABLES.snap).count();
        let run = &mut lines[start..end];
        run.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.total_cmp(&b.0)));
        let first = out.len();
        for &(c, s, e) in run.iter() {
            match out[first..].last_mut() {
                Some(last) if s <= last.2 + TABLES.snap => last.2 = last.2.max(e),
                _ => out.push((c, s, e)),
            }
        }
        start = end;
    }
    out
}

fn crosses(h: &Rule, v: &Rule) -> bool {
    v.0 >= h.1 - TABLES.snap && v.0 <= h.2 + TABLES.snap && h.0 >= v.1 - TABLES.snap && h.0 <= v.2 + TABLES.snap
}

/// Groups crossing rulings into tables: (xs, ys ascending, the horizontals, the verticals).
#[allow(clippy::type_complexity)]
fn find_tables(hs: &[Rule], vs: &[Rule]) -> Vec<(Vec<f64>, Vec<f64>, Vec<Rule>, Vec<Rule>)> {
    // Union-find over h indices [0, n) and v indices [n, n+m).
    let n = hs.len();
    let mut parent: Vec<usize> = (0..n + vs.len()).collect();
    fn find(p: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while p[r] != r {
            r = p[r];
        }
        let mut i = i;
        while p[i] != r {
            let next = p[i];
            p[i] = r;
            i = next;
        }
        r
    }
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            if crosses(h, v) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, n + j));
                parent[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Rule>, Vec<Rule>)> = Default::default();
    for (i, h) in hs.iter().enumerate() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().0.push(*h);
    }
    for (j, v) in vs.iter().enumerate() {
        let r = find(&mut parent, n + j);
        groups.entry(r).or_default().1.push(*v);
    }
    let groups = bridge_cut_merged_cells(groups.into_values().collect());
    let mut out = Vec::new();
    for (h, v) in groups {
        // One horizontal ruling is enough when [`close_cut_edges`] may add the other: a page cut
        // through a row leaves it its verticals and one border.
        if h.is_empty() || v.len() < 2 {
            continue;
        }
        let xs = distinct(v.iter().map(|l| l.0));
        let ys = distinct(h.iter().map(|l| l.0));
        if xs.len() >= 2 {
            out.push((xs, ys, h, v));
        }
    }
    // Top table first.
    out.sort_by(|a, b| b.1.last().unwrap_or(&0.0).total_cmp(a.1.last().unwrap_or(&0.0)));
    out
}

/// A page that cuts through a table's merged cells draws their left and right borders but not
/// their top or bottom (those are on the pages before and after): their vertical rulings cross no
/// horizontal one and the table falls apart into the ruled parts beside them (Beijing 国资委's
/// listing: a narrow first column, five merged project columns, the indicator columns). A lone
/// vertical ruling running the full height of the tables on both its sides (both ends within
/// `TABLES.snap` of their top and bottom rulings) joins the nearest such table on each side into one
/// table: the cells between are merged down all its rows.
fn bridge_cut_merged_cells(groups: Vec<(Vec<Rule>, Vec<Rule>)>) -> Vec<(Vec<Rule>, Vec<Rule>)> {
    let is_table = |(h, v): &(Vec<Rule>, Vec<Rule>)| h.len() >= 2 && v.len() >= 2;
    let (mut tables, rest): (Vec<_>, Vec<_>) = groups.into_iter().partition(is_table);
    let (lone, mut out): (Vec<_>, Vec<_>) = rest.into_iter().partition(|(h, v)| h.is_empty() && v.len() == 1);
    // Each table's (left, right, bottom, top).
    let frame = |(h, v): &(Vec<Rule>, Vec<Rule>)| {
        let (mut l, mut r, mut b, mut t) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for x in v {
            (l, r) = (l.min(x.0), r.max(x.0));
        }
        for y in h {
            (b, t) = (b.min(y.0), t.max(y.0));
        }
        (l, r, b, t)
    };
    let frames: Vec<(f64, f64, f64, f64)> = tables.iter().map(frame).collect();
    let mut joined: Vec<usize> = (0..tables.len()).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            i = p[i];
        }
        i
    }
    let mut extra: Vec<Vec<Rule>> = vec![Vec::new(); tables.len()];
    for (h, v) in lone {
        let line = v[0];
        let spans =
            |f: &(f64, f64, f64, f64)| (line.1 - f.2).abs() <= TABLES.snap && (line.2 - f.3).abs() <= TABLES.snap;
        let nearest = |left: bool| {
            frames
                .iter()
                .enumerate()
                .filter(|(_, f)| spans(f))
                .map(|(k, f)| (k, if left { line.0 - f.1 } else { f.0 - line.0 }))
                .filter(|&(_, d)| d > TABLES.snap)
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(k, _)| k)
        };
        match (nearest(true), nearest(false)) {
            (Some(a), Some(b)) => {
                extra[a].push(line);
                let (ra, rb) = (root(&mut joined, a), root(&mut joined, b));
                joined[rb] = ra;
            }
            // Beside one table only: an outer border whose column has no rows drawn — an empty
            // strip, not a cut table (joining it would add an empty column to the page).
            _ => out.push((h, v)),
        }
    }
    for (k, lines) in extra.iter_mut().enumerate() {
        tables[k].1.append(lines);
    }
    let mut merged: std::collections::BTreeMap<usize, (Vec<Rule>, Vec<Rule>)> = Default::default();
    for (k, (h, v)) in tables.into_iter().enumerate() {
        let e = merged.entry(root(&mut joined, k)).or_default();
        e.0.extend(h);
        e.1.extend(v);
    }
    out.extend(merged.into_values());
    out
}

/// Text that runs past its cell's right border (a code, a 依据, a value wider than its column:
/// Excel, Calc and reportlab print it so) stays with the cell it starts in when the cells it runs
/// into hold nothing else (an empty neighbour, or past the table's right edge within its rows
/// `bottom..top`), or when it is drawn across the border (a glyph of it straddles one of the
/// column borders `xs`) and so is not the neighbour's text. A run is a line of glyphs with no
/// gap between them.
fn overflow_to_own_cell(page: &Page, cell_of: &mut [Option<usize>], xs: &[f64], (bottom, top): (f64, f64)) {
    let right = xs[xs.len() - 1];
    let mut order: Vec<usize> = (0..page.glyphs.len()).filter(|&i| !page.glyphs[i].clipped).collect();
    order.sort_by(|&a, &b| {
        let (ga, gb) = (&page.glyphs[a], &page.glyphs[b]);
        ga.y.total_cmp(&gb.y).then(ga.x.total_cmp(&gb.x))
    });
    // Runs: consecutive glyphs on one baseline without a gap.
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for i in order {
        let g = &page.glyphs[i];
        let joins = runs.last().and_then(|r| r.last()).is_some_and(|&j| {
            let p = &page.glyphs[j];
            (p.y - g.y).abs() <= 0.2 * g.size.max(1.0)
                && g.x - (p.x + p.width) <= TABLES.run_gap_em * g.size.max(1.0)
                && g.x >= p.x
        });
        match runs.last_mut() {
            Some(run) if joins => run.push(i),
            _ => runs.push(vec![i]),
        }
    }
    // Glyphs per cell, counted once (a cell run into must hold this run's glyphs only).
    let mut per_cell: std::collections::HashMap<usize, usize> = Default::default();
    for k in cell_of.iter().flatten() {
        *per_cell.entry(*k).or_default() += 1;
    }
    for run in runs {
        let Some(own) = cell_of[run[0]] else { continue };
        let foreign: Vec<usize> = run.iter().copied().filter(|&i| cell_of[i] != Some(own)).collect();
        if foreign.is_empty() {
            continue;
        }
        let mut in_run: std::collections::HashMap<usize, usize> = Default::default();
        for k in foreign.iter().filter_map(|&i| cell_of[i]) {
            *in_run.entry(k).or_default() += 1;
        }
        // Each cell run into holds only this run's glyphs, or the run is drawn across the
        // border (a glyph straddles it: reportlab's 项目编码 runs into the 项目名称 label's cell,
        // the label after a gap); glyphs past the table's right edge stand within its rows.
        let across = straddles(page, &run, xs);
        let cells_free = in_run.iter().all(|(k, n)| per_cell.get(k) == Some(n) || across);
        let outside_free = foreign.iter().filter(|&&i| cell_of[i].is_none()).all(|&i| {
            let g = &page.glyphs[i];
            g.x >= right - g.width && g.y >= bottom && g.y <= top
        });
        if cells_free && outside_free {
            for i in foreign {
                if let Some(k) = cell_of[i] {
                    *per_cell.entry(k).or_default() -= 1;
                }
                *per_cell.entry(own).or_default() += 1;
                cell_of[i] = Some(own);
            }
        }
    }
}

/// Whether a glyph of `run` (left to right on one line) is drawn across one of the column
/// borders `xs`: the run is one text running over the border, not two cells' texts side by side.
fn straddles(page: &Page, run: &[usize], xs: &[f64]) -> bool {
    run.iter().any(|&i| {
        let g = &page.glyphs[i];
        xs.iter().any(|&x| g.x < x - TABLES.straddle && g.x + g.width > x + TABLES.straddle)
    })
}

/// A page that cuts a table's row draws the row's side borders but not its border on the page
/// before or after (Chromium: the first row of a page under a level-1 cell merged across the
/// break). Vertical rulings of the table that run on, past its first or last horizontal ruling,
/// to a common end (at least two, within `TABLES.snap`, more than `TABLES.open_row` beyond it) close a
/// row there — when text stands in it; without, nothing is added.
#[allow(clippy::type_complexity)]
fn close_cut_edges(
    (xs, ys, mut h, v): (Vec<f64>, Vec<f64>, Vec<Rule>, Vec<Rule>),
    centres: &[(f64, f64)],
) -> (Vec<f64>, Vec<f64>, Vec<Rule>, Vec<Rule>) {
    let (low, high) = (ys[0], ys[ys.len() - 1]);
    for end in [v.iter().map(|l| l.1).fold(f64::MAX, f64::min), v.iter().map(|l| l.2).fold(f64::MIN, f64::max)] {
        let beyond = if end < low { low - end } else { end - high };
        if beyond <= TABLES.open_row {
            continue;
        }
        let reaching: Vec<&Rule> =
            v.iter().filter(|l| (if end < low { l.1 } else { l.2 } - end).abs() <= TABLES.snap).collect();
        if reaching.len() < 2 {
            continue;
        }
        let x0 = reaching.iter().map(|l| l.0).fold(f64::MAX, f64::min);
        let x1 = reaching.iter().map(|l| l.0).fold(f64::MIN, f64::max);
        let (b0, b1) = if end < low { (end, low) } else { (high, end) };
        if centres.iter().any(|&(x, y)| x > x0 && x < x1 && y > b0 && y < b1) {
            h.push((end, x0, x1));
        }
    }
    // (The grid's heights are its horizontal rulings', as find_tables took them.)
    let ys = distinct(h.iter().map(|l| l.0));
    (xs, ys, h, v)
}

fn distinct(it: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = it.collect();
    v.sort_by(f64::total_cmp);
    let mut out: Vec<f64> = Vec::new();
    for x in v {
        if out.last().is_none_or(|l| x - l > TABLES.snap) {
            out.push(x);
        }
    }
    out
}

/// Whether a ruling at `c` (one of `lines`) covers the point `at` along its length.
fn ruled(lines: &[Rule], c: f64, at: f64) -> bool {
    lines.iter().any(|l| (l.0 - c).abs() <= TABLES.snap && at >= l.1 - TABLES.snap && at <= l.2 + TABLES.snap)
}

fn build_table(page: &Page, xs: &[f64], ys: &[f64], h: &[Rule], v: &[Rule], used: &mut [bool], number: u32) -> Table {
    // Grid rows top-down: row r spans ys[nr - r] (top) .. ys[nr - r - 1] (bottom).
    let nr = ys.len() - 1;
    let nc = xs.len() - 1;
    let top = |r: usize| ys[nr - r];
    let bottom = |r: usize| ys[nr - r - 1];
    // Atom → cell id via union-find of merges.
    let mut id: Vec<usize> = (0..nr * nc).collect();
    fn root(id: &mut [usize], mut i: usize) -> usize {
        while id[i] != i {
            id[i] = id[id[i]];
            i = id[i];
        }
        i
    }
    for r in 0..nr {
        for c in 0..nc {
            let ymid = (top(r) + bottom(r)) / 2.0;
            let xmid = (xs[c] + xs[c + 1]) / 2.0;
            if c + 1 < nc && !ruled(v, xs[c + 1], ymid) {
                let (a, b) = (root(&mut id, r * nc + c), root(&mut id, r * nc + c + 1));
                id[b] = a;
            }
            if r + 1 < nr && !ruled(h, bottom(r), xmid) {
                let (a, b) = (root(&mut id, r * nc + c), root(&mut id, (r + 1) * nc + c));
                id[b] = a;
            }
        }
    }
    // Each cell's atom extent.
    let mut extent: std::collections::HashMap<usize, (usize, usize, usize, usize)> = Default::default();
    for r in 0..nr {
        for c in 0..nc {
            let k = root(&mut id, r * nc + c);
            let e = extent.entry(k).or_insert((r, c, r, c));
            e.0 = e.0.min(r);
            e.1 = e.1.min(c);
            e.2 = e.2.max(r);
            e.3 = e.3.max(c);
        }
    }
    // Glyphs into cells: a shown glyph by where it is drawn, a clipped one into the cell whose
    // own clip hid it (the clip's box inside the cell's), or none.
    let mut cell_of: Vec<Option<usize>> = vec![None; page.glyphs.len()];
    for (gi, g) in page.glyphs.iter().enumerate() {
        let (x, y) = match (g.clipped, g.clip) {
            (false, _) => g.center(),
            (true, Some([x0, y0, x1, y1])) => ((x0 + x1) / 2.0, (y0 + y1) / 2.0),
            (true, None) => continue,
        };
        if x < xs[0] || x > xs[nc] || y < ys[0] || y > ys[nr] {
            continue;
        }
        let Some(c) = (0..nc).find(|&c| x >= xs[c] && x <= xs[c + 1]) else { continue };
        let Some(r) = (0..nr).find(|&r| y <= top(r) && y >= bottom(r)) else { continue };
        let k = root(&mut id, r * nc + c);
        if let Some([x0, y0, x1, y1]) = g.clip.filter(|_| g.clipped) {
            let (r0, c0, r1, c1) = extent[&k];
            let inside = x0 >= xs[c0] - TABLES.cell_clip
                && x1 <= xs[c1 + 1] + TABLES.cell_clip
                && y0 >= bottom(r1) - TABLES.cell_clip
                && y1 <= top(r0) + TABLES.cell_clip;
            if !inside {
                continue;
            }
        }
        cell_of[gi] = Some(k);
    }
    overflow_to_own_cell(page, &mut cell_of, xs, (ys[0], ys[nr]));
    let mut content: std::collections::HashMap<usize, Vec<&Glyph>> = Default::default();
    for (gi, g) in page.glyphs.iter().enumerate() {
        if let Some(k) = cell_of[gi] {
            content.entry(k).or_default().push(g);
            used[gi] = true;
        }
    }
    let mut rows = Vec::new();
    for r in 0..nr {
        let mut cells = Vec::new();
        let mut c = 0;
        while c < nc {
            let k = root(&mut id, r * nc + c);
            let (r0, c0, r1, c1) = extent[&k];
            let location = Location {
                page: Some(page.number),
                table: Some(number),
                row: Some(r as u32 + 1),
                column: Some(c as u32 + 1),
                ..Location::default()
            };
            if c0 == c {
                let right = xs[c1 + 1];
                let mut cell = if r0 == r {
                    let glyphs = content.get(&k).map(Vec::as_slice).unwrap_or(&[]);
                    Cell::new(cell_paragraphs(glyphs, right), location)
                } else {
                    let mut cont = Cell::new(Vec::new(), location);
                    cont.continued = true;
                    cont
                };
                cell.col_span = (c1 - c0 + 1) as u32;
                cell.row_span = if r0 == r { (r1 - r0 + 1) as u32 } else { 1 };
                cells.push(cell);
                c = c1 + 1;
            } else {
                c += 1;
            }
        }
        let location =
            Location { page: Some(page.number), table: Some(number), row: Some(r as u32 + 1), ..Location::default() };
        rows.push(Row { cells, location, notes: Vec::new() });
    }
    Table { rows, location: Location { page: Some(page.number), table: Some(number), ..Location::default() } }
}

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

/// Glyphs grouped into lines: (y, x start, x end, glyphs left to right), top-down.
pub(super) fn line_groups<'a>(glyphs: &[&'a Glyph]) -> Vec<(f64, f64, f64, Vec<&'a Glyph>)> {
    let mut sorted: Vec<&Glyph> = glyphs.to_vec();
    sorted.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut groups: Vec<(f64, Vec<&Glyph>)> = Vec::new();
    for g in sorted {
        match groups.last_mut() {
            Some((y, gs)) if (*y - g.y).abs() <= g.size * 0.4 => gs.push(g),
            _ => groups.push((g.y, vec![g])),
        }
    }
    groups
        .into_iter()
        .map(|(y, mut gs)| {
            gs.sort_by(|a, b| a.x.total_cmp(&b.x));
            let start = gs.first().map_or(0.0, |g| g.x);
            let end = gs.last().map_or(0.0, |g| g.x + g.width);
            (y, start, end, gs)
        })
        .collect()
}

/// One line's text: glyphs in order, a space where there is a visible gap between two
/// non-CJK glyphs (CJK text has no spaces; a gap between CJK and a digit is typesetting).
pub(super) fn join_line(gs: &[&Glyph]) -> String {
    let mut out = String::new();
    let mut last: Option<&Glyph> = None;
    for g in gs {
        if let Some(p) = last {
            let gap = g.x - (p.x + p.width);
            let pc = p.text.chars().last().unwrap_or(' ');
            let gc = g.text.chars().next().unwrap_or(' ');
            if gap > g.size * 0.25 && !is_cjk(pc) && !is_cjk(gc) && pc != ' ' && gc != ' ' {
                out.push(' ');
            }
        }
        out.push_str(&g.text);
        last = Some(g);
    }
    out
}

/// A cell's paragraphs: lines joined when the line above reached the cell's right edge (a wrap),
/// split when it ended short of it (a paragraph end).
pub(super) fn cell_paragraphs(glyphs: &[&Glyph], right_edge: f64) -> Vec<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut previous_end: Option<(f64, f64)> = None; // (x end, font size)
    for (_, _, end, gs) in line_groups(glyphs) {
        let text = join_line(&gs);
        let size = gs.first().map_or(10.0, |g| g.size);
        match (previous_end, paragraphs.last_mut()) {
            // A wrap: no separator (CJK text and codes wrap anywhere, without a space).
            (Some((prev_end, prev_size)), Some(p)) if prev_end >= right_edge - prev_size * 2.5 => p.push_str(&text),
            _ => paragraphs.push(text),
        }
        previous_end = Some((end, size));
    }
    paragraphs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collinear_pieces_join_only_where_they_meet() {
        // A column border drawn in pieces, a hair apart across (Xi'an p.42: 150.6587 above,
        // 150.6597 below): the pieces that meet are one line, the part far above another.
        let mut v = vec![
            (150.6587, 607.0, 767.0),
            (150.6597, 144.0, 163.0),
            (150.6597, 163.0, 187.0),
            (150.6597, 187.0, 507.0),
            (333.38, 100.0, 200.0),
        ];
        assert_eq!(
            merge_lines(&mut v),
            vec![(150.6597, 144.0, 507.0), (150.6587, 607.0, 767.0), (333.38, 100.0, 200.0)]
        );
    }

    /// Beijing 国资委 p.23, simplified: a narrow first column and the indicator columns are ruled
    /// row by row; between them five project columns merged down the whole page draw only their
    /// left and right borders (their top and bottom are on the pages before and after).
    fn cut_listing() -> (Vec<Rule>, Vec<Rule>) {
        let rows = [64.92, 96.24, 134.64, 510.0];
        let mut hs = Vec::new();
        for y in rows {
            hs.push((y, 41.16, 46.56));
            hs.push((y, 336.6, 650.64));
        }
        let mut vs = vec![(40.8, 64.56, 510.36), (46.92, 64.56, 510.36)];
        for x in [109.68, 168.36, 227.04, 285.72] {
            vs.push((x, 64.92, 510.12));
        }
        for x in [336.24, 386.76, 650.28] {
            vs.push((x, 64.56, 510.36));
        }
        (hs, vs)
    }

    #[test]
    fn a_page_cut_through_merged_cells_is_one_table() {
        let (hs, vs) = cut_listing();
        let tables = find_tables(&hs, &vs);
        assert_eq!(tables.len(), 1, "one table, not a left and a right one");
        let (xs, ys, _, _) = &tables[0];
        assert_eq!(xs, &vec![40.8, 46.92, 109.68, 168.36, 227.04, 285.72, 336.24, 386.76, 650.28]);
        assert_eq!(ys, &vec![64.92, 96.24, 134.64, 510.0]);
    }

    #[test]
    fn a_lone_border_beside_one_table_stays_out() {
        // Without the narrow first column the verticals left of the project columns have a table
        // on one side only: an empty strip, not a cut table (12: an outer border 6 pt out).
        let (hs, vs) = cut_listing();
        let hs: Vec<Rule> = hs.into_iter().filter(|h| h.1 > 300.0).collect();
        let vs: Vec<Rule> = vs.into_iter().filter(|v| v.0 > 300.0 || v.0 < 45.0).collect();
        let tables = find_tables(&hs, &vs);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].0, vec![336.24, 386.76, 650.28]);
    }

    /// reportlab, 16 pt, p.12: the last row of p.11's project table runs on over the page's top;
    /// the page draws that part's side borders, one inner vertical and its bottom border only.
    fn cut_row_on_top() -> (Vec<Rule>, Vec<Rule>) {
        let hs = vec![(693.09, 40.0, 555.28)];
        let vs = vec![(40.0, 693.09, 801.89), (114.71, 693.09, 801.89), (555.28, 693.09, 801.89)];
        (hs, vs)
    }

    #[test]
    fn a_row_cut_at_the_top_of_a_page_is_a_table_of_one_row() {
        let (hs, vs) = cut_row_on_top();
        let closed: Vec<_> = find_tables(&hs, &vs).into_iter().map(|t| close_cut_edges(t, &[(300.0, 750.0)])).collect();
        assert_eq!(closed.len(), 1);
        assert_eq!(closed[0].0, vec![40.0, 114.71, 555.28]);
        assert_eq!(closed[0].1, vec![693.09, 801.89], "the row closed at the verticals' common top");
    }

    #[test]
    fn an_open_box_without_text_adds_no_row() {
        let (hs, vs) = cut_row_on_top();
        let closed: Vec<_> = find_tables(&hs, &vs).into_iter().map(|t| close_cut_edges(t, &[(300.0, 650.0)])).collect();
        assert!(closed.iter().all(|t| t.1.len() < 2), "one horizontal, nothing to close: no table");
    }

    /// One glyph per character of `text` on the baseline `y`, from `x` on, each `advance` wide.
    fn line(text: &str, x: f64, y: f64, advance: f64) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(k, c)| Glyph {
                text: c.to_string(),
                x: x + k as f64 * advance,
                y,
                width: advance,
                size: 10.0,
                ..Glyph::default()
            })
            .collect()
    }

    /// The cells' texts after placing by centre (two cells, one row) and [`overflow_to_own_cell`].
    fn placed(glyphs: Vec<Glyph>, xs: &[f64]) -> [String; 2] {
        let page = Page { number: 1, width: 200.0, height: 100.0, glyphs, segments: Vec::new() };
        let mut cell_of: Vec<Option<usize>> =
            page.glyphs.iter().map(|g| (0..2).find(|&c| g.center().0 >= xs[c] && g.center().0 <= xs[c + 1])).collect();
        overflow_to_own_cell(&page, &mut cell_of, xs, (0.0, 100.0));
        let mut out = [String::new(), String::new()];
        for (g, k) in page.glyphs.iter().zip(&cell_of) {
            out[k.expect("inside")].push_str(&g.text);
        }
        out
    }

    #[test]
    fn a_code_drawn_across_the_border_stays_with_its_cell_beside_a_label() {
        // reportlab's 项目编码 row: the code runs 3 pt over the border into the cell whose label
        // follows after a gap.
        let mut glyphs = line("13080022P1R", 5.0, 50.0, 4.4);
        glyphs.extend(line("项目名称", 60.0, 50.0, 10.0));
        assert_eq!(placed(glyphs, &[0.0, 50.0, 100.0]), ["13080022P1R".to_string(), "项目名称".to_string()]);
    }

    #[test]
    fn texts_meeting_at_the_border_stay_apart() {
        // Two cells' texts touching the border from both sides, no glyph across it: each keeps
        // its own even though the neighbour holds more text.
        let mut glyphs = line("1234", 26.0, 50.0, 6.0);
        glyphs.extend(line("5678", 50.0, 50.0, 6.0));
        glyphs.extend(line("名称", 60.0, 30.0, 10.0));
        assert_eq!(placed(glyphs, &[0.0, 50.0, 100.0]), ["1234".to_string(), "5678名称".to_string()]);
    }

    #[test]
    fn text_in_columns_inside_a_frame_is_no_one_cell_table() {
        let page = |glyphs: Vec<Glyph>| Page { number: 1, width: 600.0, height: 800.0, glyphs, segments: Vec::new() };
        let frame = (40.0, 600.0, 555.0, 700.0);
        // Rows of a form in an outer box without inner vertical rules: label, gap, value.
        let mut columns = line("项目名称", 46.0, 680.0, 9.0);
        columns.extend(line("办案业务费", 120.0, 680.0, 9.0));
        columns.extend(line("绩效目标", 46.0, 660.0, 9.0));
        columns.extend(line("弥补经费不足", 120.0, 660.0, 9.0));
        assert!(text_in_columns(&page(columns), frame));
        // A boxed paragraph: lines of running text.
        let mut prose = line("坚持以习近平新时代中国特色社会主义思想为指导", 46.0, 680.0, 9.0);
        prose.extend(line("推动全省上下深入贯彻落实", 46.0, 660.0, 9.0));
        assert!(!text_in_columns(&page(prose), frame));
    }
}
