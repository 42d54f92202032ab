//! The indicator grid: a header row (一级指标 二级指标 三级指标 绩效指标描述 指标值
//! [指标值确定依据]) maps columns by label, whatever their order; every following row is one
//! indicator. Level names of merged cells are carried down and marked as such.
//!
//! In a flat listing (Beijing 预算表12, Changsha, Chongqing 表十二) the same header also names
//! project columns — 项目名称, 项目总额, 其中：财政资金/其他资金 (a two-row header), 绩效目标 —
//! whose cells, merged down beside the project's indicator rows, say which project a row is
//! for. The grid hands those cells to the project reader ([`RowRead::fields`]).
//!
//! A row's cells are placed under the header by grid column when both know theirs (every format
//! but text dumps), so a header cell spanning two columns (`其中：`) or a row with merged cells
//! keeps every column where it is; otherwise by position.

use super::RawIndicator;
use crate::blocks::Row;
use crate::grammars::{Grammars, IndicatorColumn, Label};

/// One header cell: the grid columns it covers and what its cells are read as.
#[derive(Debug, Clone)]
struct Slot {
    /// First grid column (1-based) and the number of columns the header cell covers.
    start: u32,
    span: u32,
    /// The indicators column its cells fill.
    column: Option<IndicatorColumn>,
    /// In a flat listing, the project field its cells fill.
    field: Option<Label>,
    /// The header as published.
    name: String,
    /// Nothing on the header row, and no cell merged down into it: a column of nothing.
    blank: bool,
}

impl Slot {
    fn covers(&self, column: u32) -> bool {
        column >= self.start && column < self.start + self.span
    }
}

pub struct Grid {
    slots: Vec<Slot>,
    /// Whether the header's cells knew their grid columns (every format but text dumps).
    by_column: bool,
    /// The header row's width in grid columns.
    width: u32,
    level1: Option<String>,
    level2: Option<String>,
    notes: Vec<String>,
    /// Rows read under the header (a second header row is looked for right under it only).
    rows_read: u32,
    /// A narrower table under the header (a page whose merged left cells the table finder did
    /// not see) whose first row began with a level-2 name: (its table, its row width, the slot
    /// its first cell is under). Its other rows of that width are placed the same way.
    shifted: Option<(Option<u32>, usize, usize)>,
    /// Rows wider than the header by a label column left of level 1: (their table, their
    /// width, the level-1 column), so that the rows below, as wide, are read the same way.
    widened: Option<(Option<u32>, usize, usize)>,
    /// The header row's table.
    table: Option<u32>,
    /// Whether a row read so far had text under the header's empty first columns.
    lead_used: bool,
}

/// What one row of the grid holds.
pub struct RowRead {
    /// The indicator, when a cell of the row is under an indicator (or unknown) header; one per
    /// item when its 绩效指标 cell packs a numbered list of them.
    pub indicators: Vec<RawIndicator>,
    /// Cells under the project columns of a flat listing: (field, its header as published, cell
    /// index), in header order.
    pub fields: Vec<(Label, String, usize)>,
    /// Whether the project-name column opens an empty cell merged over several rows here: a
    /// project whose name a viewer shows further down (clipped at the page's end, or drawn on
    /// the next page only).
    pub opens_unnamed_project: bool,
    /// A template row: level names and nothing else (no name, value or other cell), as forms
    /// print every level whether the project has an indicator there or not. Not an indicator;
    /// its cells are marked `placeholder`.
    pub placeholder: bool,
    /// Whether a cell under an indicator column holds text (a listing's row without one is a
    /// subtotal or unit row, not a project's).
    pub indicator_cells: bool,
}

/// The project field a header cell of a flat listing names, by spelling or by meaning.
fn header_field(g: &Grammars, text: &str) -> Option<Label> {
    // A column block label heading a listing's column (Chongqing 表十二 当年绩效目标) heads the
    // projects' goals: it names the goal column of the listing.
    let label = g.label(text).map(|l| if l == Label::ColumnBlock { Label::Goal } else { l });
    // A unit column (Changsha's 单位名称) names the unit whose row it is.
    label.or_else(|| g.label_by_meaning(text)).filter(|l| super::project::field_label(*l) || *l == Label::Unit)
}

/// A row's width in grid columns, when every cell knows its column.
fn row_width(row: &Row) -> Option<u32> {
    row.cells
        .iter()
        .map(|c| c.location.column.map(|col| col + c.col_span.max(1) - 1))
        .try_fold(0, |w, c| Some(w.max(c?)))
}

impl Grid {
    /// A grid under the header row `row` whose cells name `columns`. A field named by two
    /// headers is read from the first; the other column is kept as it is, under its header, in
    /// extra_fields (see [`Grid::notes`]).
    pub fn new(row: &Row, mut columns: Vec<Option<IndicatorColumn>>, names: Vec<String>, g: &Grammars) -> Self {
        let mut notes = Vec::new();
        for i in 0..columns.len() {
            let Some(col) = columns[i] else { continue };
            if let Some(first) = columns[..i].iter().position(|c| *c == Some(col)) {
                notes.push(format!(
                    "the headers {} and {} both name indicators.{}: the first is read as it, the second kept in extra_fields",
                    names[first].split_whitespace().collect::<String>(),
                    names[i].split_whitespace().collect::<String>(),
                    column_name(col)
                ));
                columns[i] = None;
            }
        }
        let levels = columns
            .iter()
            .flatten()
            .any(|c| matches!(c, IndicatorColumn::Level1 | IndicatorColumn::Level2 | IndicatorColumn::Level3));
        if let Some(i) = columns.iter().position(|c| *c == Some(IndicatorColumn::Packed)).filter(|_| levels) {
            // Beside level columns of their own, 绩效指标 is no packed level cell: kept as published.
            columns[i] = None;
        }
        let width = row_width(row);
        let mut seen_fields = Vec::new();
        let slots = (0..columns.len())
            .map(|i| {
                let cell = &row.cells[i];
                let field = columns[i].is_none().then(|| header_field(g, &names[i])).flatten();
                // A field named twice (项目名称 … 项目名称) is read from its first column.
                let field = field.filter(|f| {
                    let first = !seen_fields.contains(f);
                    seen_fields.push(*f);
                    first
                });
                Slot {
                    start: cell.location.column.unwrap_or(i as u32 + 1),
                    span: cell.col_span.max(1),
                    column: columns[i],
                    field,
                    name: names[i].clone(),
                    blank: names[i].trim().is_empty() && !cell.continued,
                }
            })
            .collect();
        Grid {
            slots,
            by_column: width.is_some(),
            width: width.unwrap_or(columns.len() as u32),
            level1: None,
            level2: None,
            notes,
            rows_read: 0,
            shifted: None,
            widened: None,
            table: row.location.table,
            lead_used: false,
        }
    }

    /// Problems of the header, for the project's warnings.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Whether the header names project columns (项目名称, 项目总额, 绩效目标 …): a flat listing.
    /// Whether `other` has the indicator columns of this grid in the same grid columns.
    pub fn same_indicator_columns(&self, other: &Grid) -> bool {
        let columns = |g: &Grid| -> Vec<(u32, u32, IndicatorColumn)> {
            g.slots.iter().filter_map(|s| Some((s.start, s.span, s.column?))).collect()
        };
        self.by_column && other.by_column && self.width == other.width && columns(self) == columns(other)
    }

    /// Whether cell `i` of `row` sits under a level-1 or level-2 column of this grid (a level
    /// name the taxonomy does not list, such as Xi'an's 社会成本).
    pub fn under_level_column(&self, row: &Row, i: usize) -> bool {
        if !(self.by_column && row_width(row) == Some(self.width)) {
            return false;
        }
        let Some(column) = row.cells.get(i).and_then(|c| c.location.column) else { return false };
        self.slots
            .iter()
            .find(|s| s.covers(column))
            .is_some_and(|s| matches!(s.column, Some(IndicatorColumn::Level1 | IndicatorColumn::Level2)))
    }

    pub fn is_listing(&self) -> bool {
        self.slots.iter().any(|s| s.field.is_some())
    }

    /// Whether the listing has a project-name column: its fresh cells start projects.
    pub fn names_projects(&self) -> bool {
        self.slots.iter().any(|s| s.field == Some(Label::ProjectName))
    }

    /// Rows read under the header so far.
    pub fn rows_read(&self) -> u32 {
        self.rows_read
    }

    /// How many grid columns at the header's left are empty (no header text, nothing read).
    fn empty_lead(&self) -> u32 {
        let empty = |s: &Slot| s.blank && s.column.is_none() && s.field.is_none();
        self.slots.iter().take_while(|s| empty(s)).map(|s| s.span).sum()
    }

    fn position(&self, col: IndicatorColumn) -> Option<usize> {
        self.slots.iter().position(|s| s.column == Some(col))
    }

    /// The extra_fields key of slot `i`: its header as published, or its number when the
    /// header cell is blank.
    fn extra_name(&self, i: usize) -> String {
        match self.slots.get(i).map(|s| extra_key(&s.name)).filter(|n| !n.is_empty()) {
            Some(n) => n,
            None => format!("第{}列", i + 1),
        }
    }

    /// What header cell `i` names, for the ledger (`None` for an empty cell).
    pub fn header_use(&self, i: usize) -> Option<String> {
        let slot = self.slots.get(i).filter(|s| !s.name.trim().is_empty())?;
        Some(match (slot.column, slot.field) {
            (Some(col), _) => format!("header:indicators.{}", column_name(col)),
            (None, Some(field)) => format!("header:{}", super::project::label_column(field)),
            (None, None) => format!("header:indicators.extra_fields:{}", self.extra_name(i)),
        })
    }

    /// The second row of a two-row header (`^ | ^ | 财政资金 | 其他资金 | ^ …` under `其中：`
    /// spanning two columns): right under the header, every cell with text lies under a header
    /// cell spanning more columns than it, every other cell is merged from above or empty. The
    /// spanning header is split into the cells under it. Returns the marks of the row's cells,
    /// or `None` when the row is no such thing.
    pub fn sub_header(&mut self, row: &Row, texts: &[String], g: &Grammars) -> Option<Vec<(usize, String)>> {
        if self.rows_read > 0 || !self.by_column || row_width(row) != Some(self.width) {
            return None;
        }
        let filled: Vec<usize> =
            (0..texts.len()).filter(|&i| !texts[i].is_empty() && !row.cells[i].continued).collect();
        if filled.is_empty() {
            return None;
        }
        let mut splits: Vec<(usize, Slot)> = Vec::new();
        for &i in &filled {
            let cell = &row.cells[i];
            let (start, span) = (cell.location.column?, cell.col_span.max(1));
            let parent =
                self.slots.iter().position(|s| s.covers(start) && s.span > span && s.covers(start + span - 1))?;
            let name = texts[i].clone();
            let column = g.indicator_column(&name);
            let field = column.is_none().then(|| header_field(g, &name)).flatten();
            splits.push((parent, Slot { start, span, column, field, name, blank: false }));
        }
        let mut marks = Vec::new();
        let parents: Vec<usize> = {
            let mut p: Vec<usize> = splits.iter().map(|(p, _)| *p).collect();
            p.dedup();
            p
        };
        // Replace each parent by its sub-cells, keeping the slot order by column.
        let mut slots = Vec::new();
        for (k, slot) in self.slots.drain(..).enumerate() {
            if parents.contains(&k) {
                let parent_name = extra_key(&slot.name);
                for (_, mut sub) in splits.iter().filter(|(p, _)| *p == k).cloned() {
                    if sub.column.is_none() && sub.field.is_none() {
                        // An unknown sub-header keeps its parent's name before its own.
                        sub.name = format!("{parent_name}{}", extra_key(&sub.name));
                    }
                    slots.push(sub);
                }
            } else {
                slots.push(slot);
            }
        }
        self.slots = slots;
        for &i in &filled {
            let column = row.cells[i].location.column.unwrap_or(0);
            let k = self.slots.iter().position(|s| s.covers(column)).unwrap_or(0);
            marks.push((i, self.header_use(k).unwrap_or_else(|| super::ledger::WARNING.to_string())));
        }
        Some(marks)
    }

    /// The cells of `row` under each slot (indices into the row), the cells under none, and the
    /// cells of a label column the header row does not have (see below).
    fn place(
        &mut self,
        row: &Row,
        texts: &[String],
        g: &Grammars,
        notes: &mut Vec<String>,
    ) -> (Vec<Vec<usize>>, Vec<usize>, Vec<usize>) {
        let mut under: Vec<Vec<usize>> = vec![Vec::new(); self.slots.len()];
        let mut beyond = Vec::new();
        // A page whose table lacks the empty first columns the header's table has (a double
        // left border the table finder read as a column on one page only): its grid columns
        // are the header's, that many to the right.
        // (Only while those columns held nothing in the rows read: Shandong's row-label column
        // 绩效指标 has an empty header and a cell on every row.)
        let lead = self.empty_lead();
        let offset = if self.by_column && lead > 0 && !self.lead_used && row_width(row) == Some(self.width - lead) {
            lead
        } else {
            0
        };
        if self.by_column && (row_width(row) == Some(self.width) || offset > 0) {
            if offset == 0 && lead > 0 {
                let in_lead = |c: &crate::blocks::Cell| c.location.column.is_some_and(|col| col <= lead);
                self.lead_used |= row.cells.iter().zip(texts).any(|(c, t)| in_lead(c) && !c.continued && !t.is_empty());
            }
            for (i, cell) in row.cells.iter().enumerate() {
                let column = cell.location.column.unwrap_or(0) + offset;
                match self.slots.iter().position(|s| s.covers(column)) {
                    Some(k) => under[k].push(i),
                    None => beyond.push(i),
                }
            }
            return (under, beyond, Vec::new());
        }
        // By position: each slot takes the row's cell at its index.
        let width = self.slots.len();
        let mut at: Vec<Option<usize>> = (0..texts.len()).map(Some).collect();
        let fresh = |i: usize| !row.cells[i].continued && !texts[i].is_empty();
        // A row that lost its merged cells left of level 2 starts with a level-2 name: realign
        // it, and the rows of its table as wide as it.
        if at.len() < width {
            let table = row.location.table;
            let level2 = self.position(IndicatorColumn::Level2);
            let starts_level2 = !texts.is_empty() && fresh(0) && g.is_level2(&texts[0]) && !g.is_level1(&texts[0]);
            // (Or lost the label column left of level 1, and starts with a level-1 name.)
            let level1 = self.position(IndicatorColumn::Level1);
            let starts_level1 = !texts.is_empty() && fresh(0) && g.is_level1(&texts[0]);
            let shift = match (self.shifted, level2, level1) {
                (_, Some(k), _) if starts_level2 && k > 0 && at.len() + k <= width => {
                    self.shifted = Some((table, at.len(), k));
                    Some(k)
                }
                (_, _, Some(k)) if starts_level1 && k > 0 && at.len() + k <= width => {
                    self.shifted = Some((table, at.len(), k));
                    Some(k)
                }
                (Some((t, len, k)), _, _) if t == table && len == at.len() && table.is_some() => Some(k),
                // A table of its own (a continued page) whose rows name no level at all: all the
                // level cells were merged from the page before; its cells are the grid's last.
                _ if table.is_some()
                    && table != self.table
                    && self.rows_read > 1
                    && !texts.iter().any(|t| g.is_level1(t) || g.is_level2(t)) =>
                {
                    let k = width - at.len();
                    self.shifted = Some((table, at.len(), k));
                    Some(k)
                }
                _ => None,
            };
            if let Some(k) = shift {
                at.splice(0..0, std::iter::repeat_n(None, k));
                notes.push(format!("row at {} has no cells left of level 2; realigned", row.location));
            }
        }
        // A row wider than the header whose level-1 name stands as many cells right of the
        // level-1 column as it is wider: the grid's merged left label (年度绩效指标), drawn anew
        // on a page whose header row is not repeated, is left of it.
        let mut labels = Vec::new();
        if at.len() > width {
            let extra = at.len() - width;
            let level1 = self.position(IndicatorColumn::Level1);
            let first_level1 = (0..texts.len()).find(|&i| fresh(i) && g.is_level1(&texts[i]));
            let table = row.location.table;
            let widened = match (level1, first_level1) {
                (Some(l1), Some(found)) => {
                    let label_like = |i: usize| {
                        texts[i].is_empty()
                            || (!g.is_level1(&texts[i]) && !texts[i].chars().any(|c| c.is_ascii_digit()))
                    };
                    (found == l1 + extra && (l1..l1 + extra).all(label_like)).then_some(l1)
                }
                // The rows below it in its table, as wide, their level cells merged from it.
                _ => self
                    .widened
                    .filter(|(t, len, _)| *t == table && *len == at.len() && table.is_some())
                    .map(|(_, _, l1)| l1),
            };
            if let Some(l1) = widened {
                self.widened = Some((table, at.len(), l1));
                labels = at.drain(l1..l1 + extra).flatten().collect();
                notes.push(format!(
                    "row at {} has a label column left of level 1 the header has not; read without it",
                    row.location
                ));
            }
        }
        if at.len() != width {
            notes.push(format!("row at {} has {} cells, the header has {width}", row.location, at.len()));
        }
        for (k, i) in at.iter().enumerate() {
            match (k < width, i) {
                (true, Some(i)) => under[k].push(*i),
                (false, Some(i)) => beyond.push(*i),
                (_, None) => {}
            }
        }
        (under, beyond, labels)
    }

    /// One row under the header; `mark(cell, use)` is told where each cell of the indicator
    /// went (the cells of project columns are the caller's to mark).
    pub fn read_row(
        &mut self,
        row: &Row,
        texts: &[String],
        g: &Grammars,
        mark: &mut dyn FnMut(usize, String),
    ) -> RowRead {
        self.rows_read += 1;
        let mut notes = Vec::new();
        let mut unplaced = false;
        let (under, beyond, labels) = self.place(row, texts, g, &mut notes);
        let fresh = |i: &usize| !row.cells[*i].continued && !texts[*i].is_empty();
        for i in labels.into_iter().filter(fresh) {
            let name: String = texts[i].split_whitespace().collect();
            mark(i, format!("header:indicators.extra_fields:{name}"));
        }
        let beyond: Vec<usize> = beyond.into_iter().filter(fresh).collect();
        if !beyond.is_empty() {
            let quoted: Vec<&str> = beyond.iter().map(|&i| texts[i].as_str()).collect();
            notes.push(format!("cells beyond the header at {}: {}", row.location, quoted.join(" | ")));
            for i in beyond {
                mark(i, super::ledger::WARNING.to_string());
            }
            unplaced = true;
        }
        // The text of slot `k`: its cells with text of their own, one per line.
        let text_of = |k: usize| -> Option<String> {
            let cells: Vec<&str> = under[k].iter().filter(|i| fresh(i)).map(|&i| texts[i].as_str()).collect();
            (!cells.is_empty()).then(|| cells.join("\n"))
        };
        let fields: Vec<(Label, String, usize)> = self
            .slots
            .iter()
            .zip(&under)
            .filter_map(|(s, cells)| Some((s.field?, extra_key(&s.name), cells)))
            .flat_map(|(f, name, cells)| cells.iter().filter(|i| fresh(i)).map(move |&i| (f, name.clone(), i)))
            .collect();
        let opens_unnamed_project = self.slots.iter().zip(&under).any(|(s, cells)| {
            s.field == Some(Label::ProjectName)
                && !cells.iter().any(|i| fresh(i))
                && cells.iter().any(|&i| !row.cells[i].continued && row.cells[i].row_span > 1)
        });
        let indicator_cells =
            self.slots.iter().zip(&under).any(|(s, cells)| s.column.is_some() && cells.iter().any(|i| fresh(i)));
        let holds_indicator =
            self.slots.iter().enumerate().any(|(k, s)| s.field.is_none() && under[k].iter().any(fresh));
        if !holds_indicator {
            return RowRead {
                indicators: Vec::new(),
                fields,
                opens_unnamed_project,
                placeholder: false,
                indicator_cells,
            };
        }
        // Marks wait until the row is known to be an indicator, not a template row.
        let mut pending: Vec<(usize, String)> = Vec::new();
        let mut get = |col: IndicatorColumn| -> Option<String> {
            let k = self.slots.iter().position(|s| s.column == Some(col))?;
            let text = text_of(k)?;
            for &i in under[k].iter().filter(|i| fresh(i)) {
                pending.push((i, format!("indicators.{}", column_name(col))));
            }
            Some(text)
        };
        let mut level1_own = get(IndicatorColumn::Level1);
        let mut level2_own = get(IndicatorColumn::Level2);
        let mut level3 = get(IndicatorColumn::Level3);
        let mut list = None;
        if let Some(packed) = get(IndicatorColumn::Packed) {
            // The levels run together in one cell: split by the taxonomy, or kept whole as the
            // level-3 name (with a note) when it does not start with known level names. Or the
            // project's indicators, a numbered list of them.
            list = super::grammar::packed_list(&packed, |l1, l2| g.is_level1(l1) && g.is_level2(l2));
            match g.packed_levels(&packed) {
                _ if list.is_some() => {}
                Some((l1, l2, l3)) if level1_own.is_none() && level2_own.is_none() && level3.is_none() => {
                    (level1_own, level2_own, level3) = (Some(l1), Some(l2), Some(l3));
                }
                _ => {
                    notes.push(format!("levels not recognized in {} at {}", packed, row.location));
                    level3 = Some(packed);
                }
            }
        }
        // A level-1 cell that holds no level-1 name but a level-2 name (时效指标) or two level-1
        // names run together (产出指标产出指标, two rows joined) says the row was read under the
        // wrong columns, or is two rows: not placed as it is.
        if let Some(l1) = level1_own.as_deref().map(crate::grammars::compact) {
            let doubled = (1..l1.chars().count()).any(|k| {
                let at = l1.char_indices().nth(k).map_or(l1.len(), |(b, _)| b);
                g.is_level1(&l1[..at]) && g.is_level1(&l1[at..])
            });
            if !g.is_level1(&l1) && doubled {
                notes.push(format!("level 1 at {} holds {l1}, two level-1 names: two rows joined?", row.location));
                unplaced = true;
            }
        }
        let description = get(IndicatorColumn::Description);
        let value = get(IndicatorColumn::Value);
        let basis = get(IndicatorColumn::Basis);
        let operator = get(IndicatorColumn::Operator);
        let unit = get(IndicatorColumn::Unit);
        let weight = get(IndicatorColumn::Weight);
        let actual = get(IndicatorColumn::Actual);
        if level1_own.is_some() && level1_own != self.level1 {
            // A new level-1 group starts; its level-2 cannot come from the group above.
            self.level2 = None;
        }
        // A level-1 cell left empty on the page (not merged from above) under a level 2 that
        // cannot belong to the level 1 above: nothing to carry (Xi'an leaves 效益指标 out).
        let level1_blank = self.slots.iter().zip(&under).any(|(s, cells)| {
            s.column == Some(IndicatorColumn::Level1)
                && !cells.is_empty()
                && cells.iter().all(|&i| !row.cells[i].continued && texts[i].is_empty())
        });
        let foreign = |above: &Option<String>| {
            level2_own
                .as_deref()
                .zip(above.as_deref())
                .is_some_and(|(l2, l1)| g.level2_belongs_to(l2, l1) == Some(false))
        };
        let (level1, level1_filled) = if level1_own.is_none() && level1_blank && foreign(&self.level1) {
            notes.push(format!(
                "level 1 empty at {}; the level 1 above does not hold {}",
                row.location,
                level2_own.as_deref().unwrap_or("")
            ));
            self.level1 = None;
            (None, Some(false))
        } else {
            carry(level1_own, &mut self.level1)
        };
        let (level2, level2_filled) = carry(level2_own, &mut self.level2);
        // Cells under headers the grammar does not know (or under a blank header, or a second
        // header of a field) keep their text, under the header as published.
        let mut extra = Vec::new();
        for (k, slot) in self.slots.iter().enumerate() {
            if slot.column.is_some() || slot.field.is_some() {
                continue;
            }
            if let Some(text) = text_of(k) {
                let name = self.extra_name(k);
                let merged_label = under[k].iter().any(|&i| fresh(&i) && row.cells[i].row_span > 1);
                if merged_label && crate::grammars::compact(&text) == crate::grammars::compact(&name) {
                    // The column's own header drawn again, merged down over rows (a 年度绩效指标
                    // label restarted down the grid): a label, no data of the row. (A single
                    // cell that repeats its header is data: 备注 | 备注.)
                    for &i in under[k].iter().filter(|i| fresh(i)) {
                        pending.push((i, format!("header:indicators.extra_fields:{name}")));
                    }
                    continue;
                }
                for &i in under[k].iter().filter(|i| fresh(i)) {
                    pending.push((i, format!("indicators.extra_fields:{name}")));
                }
                extra.push((name, text));
            }
        }
        let placeholder =
            [&level3, &description, &value, &basis, &operator, &unit, &weight, &actual].iter().all(|c| c.is_none())
                && extra.is_empty()
                && !unplaced
                && list.is_none();
        if placeholder {
            for (i, _) in pending {
                mark(i, super::ledger::PLACEHOLDER.to_string());
            }
            return RowRead {
                indicators: Vec::new(),
                fields,
                opens_unnamed_project,
                placeholder: true,
                indicator_cells,
            };
        }
        for (i, used) in pending {
            mark(i, used);
        }
        let notes: Vec<String> = row.notes.iter().cloned().chain(notes).collect();
        if let Some(items) = list {
            let mut indicators = packed_list_indicators(&items, g, row.location, &notes);
            if let Some(first) = indicators.first_mut() {
                // The row's other cells (备注 …) go with its first item, once.
                first.extra.extend(extra);
                first.unplaced |= unplaced;
            }
            return RowRead { indicators, fields, opens_unnamed_project, placeholder: false, indicator_cells };
        }
        let indicator = RawIndicator {
            level1,
            level1_filled: level1_filled.unwrap_or(false),
            level2,
            level2_filled: level2_filled.unwrap_or(false),
            level3,
            description,
            value,
            basis,
            operator,
            unit,
            weight,
            actual,
            extra,
            location: row.location,
            notes,
            unplaced,
        };
        RowRead { indicators: vec![indicator], fields, opens_unnamed_project, placeholder: false, indicator_cells }
    }
}

/// The indicators of a numbered list packed into one cell, one per item: its levels, and each
/// `label:value` field in the column its label names (年度指标值 → value). Two labels naming one
/// column: the better reading wins (as spelled, then by meaning; on a tie the first), the other
/// is kept under its label in extra, as a header would be (实施周期指标值 beside 年度指标值).
pub fn packed_list_indicators(
    items: &[super::grammar::PackedItem],
    g: &Grammars,
    location: crate::blocks::Location,
    notes: &[String],
) -> Vec<RawIndicator> {
    items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            let matched: Vec<Option<(IndicatorColumn, crate::grammars::By)>> =
                item.fields.iter().map(|(label, _)| g.column_match(label)).collect();
            let winner = |col: IndicatorColumn| {
                (0..item.fields.len())
                    .filter(|&i| matched[i].is_some_and(|(c, _)| c == col))
                    .max_by_key(|&i| (matched[i].map(|(_, by)| by), std::cmp::Reverse(i)))
            };
            let mut taken = vec![false; item.fields.len()];
            let mut get = |col: IndicatorColumn| {
                let i = winner(col)?;
                taken[i] = true;
                Some(item.fields[i].1.clone()).filter(|v| !v.is_empty())
            };
            let mut indicator = RawIndicator {
                level1: Some(item.level1.clone()),
                level1_filled: false,
                level2: Some(item.level2.clone()),
                level2_filled: false,
                level3: Some(item.level3.clone()),
                description: get(IndicatorColumn::Description),
                value: get(IndicatorColumn::Value),
                basis: get(IndicatorColumn::Basis),
                operator: get(IndicatorColumn::Operator),
                unit: get(IndicatorColumn::Unit),
                weight: get(IndicatorColumn::Weight),
                actual: get(IndicatorColumn::Actual),
                extra: Vec::new(),
                location,
                notes: notes.to_vec(),
                unplaced: false,
            };
            indicator.extra = item
                .fields
                .iter()
                .zip(&taken)
                .filter(|(_, t)| !**t)
                .map(|((label, value), _)| (extra_key(label), value.clone()))
                .collect();
            indicator.notes.push(format!("item {} of a numbered list of indicators in one cell", k + 1));
            indicator
        })
        .collect()
}

/// The indicators column a grid column's cells are written to.
pub fn column_name(col: IndicatorColumn) -> &'static str {
    match col {
        IndicatorColumn::Level1 => "level1",
        IndicatorColumn::Level2 => "level2",
        IndicatorColumn::Level3 => "level3",
        IndicatorColumn::Description => "description",
        IndicatorColumn::Value => "value_raw",
        IndicatorColumn::Basis => "basis",
        IndicatorColumn::Operator => "value_op_raw",
        IndicatorColumn::Unit => "value_unit_raw",
        IndicatorColumn::Weight => "weight_raw",
        IndicatorColumn::Actual => "actual_raw",
        IndicatorColumn::Packed => "level3",
    }
}

/// A header as an extra_fields key: as published, without whitespace.
fn extra_key(header: &str) -> String {
    header.split_whitespace().collect()
}

/// A level name: the cell's own, or the one above when the cell is merged/empty.
/// Returns the name and whether it was carried (None when there is nothing to carry).
fn carry(own: Option<String>, above: &mut Option<String>) -> (Option<String>, Option<bool>) {
    match own {
        Some(v) => {
            *above = Some(v.clone());
            (Some(v), Some(false))
        }
        None => match above {
            Some(v) => (Some(v.clone()), Some(true)),
            None => (None, None),
        },
    }
}
