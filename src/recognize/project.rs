//! The project block of a 绩效目标表: heading, unit row, label rows (项目名称, 预算数, …) and
//! their continuation rows, then the indicator grid (see [`super::indicators`]).

use super::indicators::Grid;
use super::ledger::{CellId, Ledger, Use, WARNING};
use super::{grammar, RawProject, Sourced};
use crate::blocks::{Cell, Paragraph, Row};
use crate::grammars::{By, Grammars, HeaderReading, IndicatorColumn, Label};

/// Reads rows and paragraphs in document order and cuts them into projects.
pub struct ProjectReader<'g> {
    g: &'g Grammars,
    done: Vec<RawProject>,
    current: Option<RawProject>,
    /// A heading seen and not yet given to a project.
    pending_title: Option<Sourced>,
    /// Document-level warnings (empty templates).
    notes: Vec<String>,
    /// The upper row of a two-row header, waiting for the lower: (where, the row, its texts).
    header_top: Vec<(CellId, Row, Vec<String>)>,
    /// The title of the table being read, seen again: a new table's, or repeated over the
    /// rest of the grid on the next page (the next row says).
    repeated_title: Option<Sourced>,
    /// The open indicator grid, if any.
    grid: Option<Grid>,
    /// The block label whose continuation rows follow (预算规模及资金用途, 资金支出计划, 绩效目标 …).
    block: Option<Label>,
    /// Milestones of the spending plan row, waiting for their percentages.
    milestones: Vec<String>,
    /// Sub-labels of a block label row, by cell index, whose values come in the next row.
    positional: Vec<(usize, Key)>,
    /// The open group of rows (基本信息, 年度重点工作任务, …).
    group: Option<Group>,
    /// The last row was a goal or purpose label alone across the table (当年整体绩效目标): its
    /// text is in the next row, a cell of its own.
    value_below: bool,
    /// An amount unit (金额单位：万元) alone on a row before the project it belongs to.
    pending_amount_unit: Option<String>,
    /// The last placeholder row read (a row naming its levels and nothing else).
    placeholder_at: Option<CellId>,
    /// The row being read: its table and row number.
    here: CellId,
    /// Where each cell of the projects kept went.
    ledger: Ledger,
    /// Marks of the project being read, entered in the ledger if it is kept (the unit rows and
    /// stray rows of a budget report's other tables make no project, and mark nothing).
    marks: Vec<(CellId, Use)>,
    /// Marks of the pending heading, which go with the project that takes it.
    title_marks: Vec<(CellId, Use)>,
    /// The label keys of the open flat listing's header, for each project it lists.
    listing_keys: Vec<String>,
    /// The table of the last listing row read: the first row of another table may repeat the
    /// project cut by the page break.
    listing_table: Option<(u32, Option<u32>)>,
}

/// A group label and, when its rows form a small table, that table's column headers by grid
/// column.
struct Group {
    name: String,
    headers: Vec<GroupColumn>,
}

/// A column of a group's small table: its grid columns `start..end` and its name (`财政拨款/合计`
/// under a split header).
struct GroupColumn {
    start: u32,
    end: u32,
    name: String,
}

impl GroupColumn {
    fn of(row: &Row, j: usize, name: String) -> Self {
        let start = column_of(row, j);
        GroupColumn { start, end: start + row.cells[j].col_span.max(1), name }
    }
}

/// What a label cell names: a field of the record, or a label kept in `extra_fields`.
#[derive(Debug, Clone, PartialEq)]
enum Key {
    Field(Label),
    Extra(String),
}

impl<'g> ProjectReader<'g> {
    pub fn new(g: &'g Grammars) -> Self {
        ProjectReader {
            g,
            done: Vec::new(),
            current: None,
            pending_title: None,
            grid: None,
            block: None,
            milestones: Vec::new(),
            positional: Vec::new(),
            group: None,
            value_below: false,
            pending_amount_unit: None,
            placeholder_at: None,
            here: CellId { table: 0, row: 0, cell: 0 },
            ledger: Ledger::default(),
            marks: Vec::new(),
            title_marks: Vec::new(),
            listing_keys: Vec::new(),
            listing_table: None,
            notes: Vec::new(),
            header_top: Vec::new(),
            repeated_title: None,
        }
    }

    /// The next row read is row `row` of table `table` (for the ledger).
    pub fn at(&mut self, table: u32, row: u32) {
        self.here = CellId { table, row, cell: 0 };
    }

    /// Marks cell `cell` of the current row as used (by the project being read).
    fn mark(&mut self, cell: usize, used: impl Into<Use>) {
        self.marks.push((CellId { cell: cell as u32, ..self.here }, used.into()));
    }

    /// The project being read is kept (`keep`) or dropped: its marks go to the ledger or away.
    fn settle_marks(&mut self, keep: bool) {
        for (id, used) in self.marks.drain(..) {
            if keep {
                self.ledger.mark(id, used);
            }
        }
    }

    /// Marks every non-empty cell of the current row as quoted in a warning.
    fn mark_warned(&mut self, texts: &[String]) {
        for (i, t) in texts.iter().enumerate() {
            if !t.is_empty() {
                self.mark(i, WARNING);
            }
        }
    }

    /// What a label cell names: a field by its spelling, a label kept in extra_fields, or a
    /// field by what the label says.
    fn key(&self, text: &str) -> Option<Key> {
        self.g
            .label(text)
            .map(Key::Field)
            .or_else(|| self.g.extra_label(text).map(|n| Key::Extra(n.to_string())))
            .or_else(|| self.meaning_allowed().then(|| self.g.label_by_meaning(text).map(Key::Field)).flatten())
    }

    /// Labels are read by meaning only inside a project that spelled labels or a unit row told,
    /// and outside its indicator grid: a budget report's own tables (预算数 | 项目 | …) start no
    /// project, and an indicator named 绩效目标明确性 is no goal label.
    fn meaning_allowed(&self) -> bool {
        self.current.as_ref().is_some_and(|p| p.told) && self.grid.is_none()
    }

    /// A row of a project's form holding its indicators packed into one cell (a numbered list)
    /// after the cell naming them (绩效指标), nothing else: (the label's cell, the list's, the
    /// items).
    fn packed_list_row(&self, texts: &[String]) -> Option<(usize, usize, Vec<grammar::PackedItem>)> {
        let filled: Vec<usize> = (0..texts.len()).filter(|&i| !texts[i].is_empty()).collect();
        let [label, list] = filled.as_slice() else { return None };
        if self.g.indicator_column(&texts[*label]) != Some(IndicatorColumn::Packed) {
            return None;
        }
        let items = grammar::packed_list(&texts[*list], |l1, l2| self.g.is_level1(l1) && self.g.is_level2(l2))?;
        Some((*label, *list, items))
    }

    /// How a label cell was read, for projects.headers_read.
    fn how(&self, text: &str) -> By {
        match self.g.label_match(text) {
            Some((_, by)) => by,
            None if self.g.extra_label(text).is_some() => By::Exact,
            None => By::Meaning,
        }
    }

    pub fn paragraph(&mut self, p: &Paragraph) {
        if let Some(title) = grammar::project_heading(&p.text, &self.g.heading_suffixes) {
            // A listing's title repeated on its next page continues it.
            let repeats = self.current.as_ref().filter(|c| has_title(c, title));
            if repeats.is_some_and(|c| c.listed) {
                return;
            }
            // The title of the table being read, repeated over the rest of its grid on the next
            // page without the grid's header (Yantai): decided by the row that follows.
            if repeats.is_some() && self.grid.is_some() {
                self.repeated_title = Some(Sourced { text: title.to_string(), location: p.location });
                return;
            }
            self.finish_current();
            self.pending_title = Some(Sourced { text: title.to_string(), location: p.location });
        }
    }

    /// Reads one row of a table; `below` are the rows under it in the same table (a header may
    /// take up to three rows).
    pub fn row(&mut self, row: &Row, below: &[Row]) {
        let mut texts: Vec<String> = row.cells.iter().map(Cell::text).collect();
        if texts.iter().all(|t| t.is_empty()) {
            // A slot of the grid left blank under merged level cells (the template's row, nothing
            // filled in): a placeholder row, like one that names its levels only.
            // (Not the lower part of a placeholder row's merged level cell: one slot, one row.)
            let slot = row.cells.iter().any(|c| c.continued) && row.cells.iter().any(|c| !c.continued);
            let under_placeholder =
                self.placeholder_at.is_some_and(|at| at.table == self.here.table && at.row + 1 == self.here.row);
            if let (true, false, Some(_), Some(p)) = (slot, under_placeholder, &self.grid, self.current.as_mut()) {
                p.placeholders += 1;
                for (i, _) in row.cells.iter().enumerate().filter(|(_, c)| !c.continued) {
                    self.mark(i, super::ledger::PLACEHOLDER);
                }
            }
            return;
        }
        let value_below = std::mem::take(&mut self.value_below);
        if let Some(title) = self.repeated_title.take() {
            // After a repeated title, indicator rows (level names, no label, no header) go on
            // with the grid above; anything else is the next table.
            let names_levels = texts.iter().any(|t| self.g.is_level1(t) || self.g.is_level2(t));
            let grid_row = names_levels
                && self.g.header_reading(&texts).is_none()
                && texts.iter().all(|t| self.g.label(t).is_none());
            if !grid_row {
                self.finish_current();
                self.pending_title = Some(title);
            }
        }
        // The upper rows of a header of two or three rows (单位编码 | 单位（项目）名称 | … | 绩效指标
        // over 一级指标 | 二级指标 | …; Changsha's 年度预算申请 over 资金总额 | 按收入性质分 over
        // 一般公共预算 | …): kept until the header's last row, whose cells merged from them take
        // their names from them.
        let mut top = std::mem::take(&mut self.header_top);
        let top_here = top.last().is_some_and(|(id, _, _)| id.table == self.here.table && id.row + 1 == self.here.row);
        if !top_here {
            top.clear();
        }
        if let Some((_, above, above_texts)) = top.last() {
            texts = names_from_above(above, above_texts, row);
        }
        if self.g.header_reading(&texts).is_none()
            && header_above(self.g, row, &texts, below, HEADER_ROWS.saturating_sub(1 + top.len()))
        {
            top.push((self.here, row.clone(), texts));
            self.header_top = top;
            return;
        }
        if let Some(reading) = self.g.header_reading(&texts).or_else(|| packed_list_header(self.g, &texts, row, below))
        {
            let mut grid = Grid::new(row, reading.columns.clone(), texts.clone(), self.g);
            // A listing's header repeated on its next page, with a project cell's clipped text
            // drawn over it (项目名称11000026Y…): the listing's own header still holds.
            if let Some(open) = self.grid.take() {
                if open.is_listing() && !grid.is_listing() && open.same_indicator_columns(&grid) {
                    grid = open;
                }
            }
            if grid.is_listing() {
                self.listing_keys = texts.iter().flat_map(|t| crate::grammars::label_keys(t)).collect();
            }
            let p = self.project_for(row, false);
            p.told = true;
            p.label_keys.extend(texts.iter().flat_map(|t| crate::grammars::label_keys(t)));
            p.notes.extend(reading.notes.iter().cloned());
            p.notes.extend(grid.notes().iter().cloned());
            for (i, t) in texts.iter().enumerate() {
                if let (Some(used), Some(by)) = (grid.header_use(i), reading.by[i]) {
                    let column = used.trim_start_matches("header:").to_string();
                    p.headers_read.push((t.split_whitespace().collect(), column, by));
                }
            }
            for i in 0..texts.len() {
                if let Some(used) = grid.header_use(i) {
                    self.mark(i, used);
                }
            }
            for (id, above, _) in &top {
                // The upper rows' cells: the header of the columns under them.
                for (j, cell) in above.cells.iter().enumerate().filter(|(_, c)| !c.continued && !c.text().is_empty()) {
                    let column = cell.location.column.unwrap_or(j as u32 + 1);
                    let under = row.cells.iter().position(|c| c.location.column == Some(column));
                    let used = under.and_then(|i| grid.header_use(i)).unwrap_or_else(|| "header:group".to_string());
                    self.marks.push((CellId { cell: j as u32, ..*id }, used));
                }
            }
            self.grid = Some(grid);
            self.block = None;
            return;
        }
        if let Some(grid) = &mut self.grid {
            if let Some(marks) = grid.sub_header(row, &texts, self.g) {
                let p = self.project_for(row, false);
                for (i, used) in &marks {
                    p.label_keys.extend(crate::grammars::label_keys(&texts[*i]));
                    if used.as_str() != WARNING {
                        let column = used.trim_start_matches("header:").to_string();
                        p.headers_read.push((texts[*i].split_whitespace().collect(), column, By::Exact));
                    }
                }
                for (i, used) in marks {
                    self.mark(i, used);
                }
                return;
            }
        }
        if let Some((unit_cell, amount_unit)) = self.unit_row(row, &texts) {
            self.finish_current();
            for (i, t) in texts.iter().enumerate() {
                if t.is_empty() {
                    continue;
                }
                let used =
                    if self.g.amount_unit(t).is_some() { "projects.amount_unit_raw" } else { "projects.unit_raw" };
                self.mark(i, used);
            }
            let p = self.project_for(row, true);
            p.told = true;
            p.unit = unit_cell;
            p.amount_unit = amount_unit;
            p.notes.extend(row.notes.iter().cloned());
            return;
        }
        let filled: Vec<usize> = (0..texts.len()).filter(|&i| !texts[i].is_empty()).collect();
        if let [only] = filled.as_slice() {
            // A form's title inside its table ("财政项目支出绩效目标填报表"), and the year line
            // under it ("（2023年度）"): a heading, and fiscal-year evidence.
            let text = &texts[*only];
            if let Some(title) = grammar::project_heading(text, &self.g.heading_suffixes) {
                // A listing's title repeated in the next page's table continues it.
                if self.current.as_ref().is_some_and(|c| c.listed && has_title(c, title)) {
                    self.mark(*only, "projects.title");
                    return;
                }
                self.finish_current();
                self.title_marks = vec![(CellId { cell: *only as u32, ..self.here }, "projects.title".into())];
                let location = row.location;
                self.pending_title = Some(Sourced { text: title.to_string(), location });
                return;
            }
            if let Some(unit) = self.g.amount_unit(text) {
                if self.current.as_ref().is_some_and(|c| c.listed) {
                    // A listing's amount unit (金额单位：万元) repeated on its next page.
                    self.mark(*only, "projects.amount_unit_raw");
                    if let Some(c) = self.current.as_mut() {
                        c.amount_unit.get_or_insert(unit);
                    }
                    return;
                }
                if self.current.is_none() && self.pending_title.is_some() {
                    // Under a table's title, before its header: the unit of the project (or
                    // listing) the title names.
                    self.title_marks
                        .push((CellId { cell: *only as u32, ..self.here }, "projects.amount_unit_raw".into()));
                    self.pending_amount_unit = Some(unit);
                    return;
                }
            }
            if grammar::is_year_line(text) {
                // Evidence for the project being read, or for the one the pending heading names.
                let id = CellId { cell: *only as u32, ..self.here };
                if self.current.is_some() {
                    self.marks.push((id, "evidence:fiscal_year".into()));
                } else if self.pending_title.is_some() {
                    self.title_marks.push((id, "evidence:fiscal_year".into()));
                }
                return;
            }
        }
        let footnote = |t: &str| ["备注", "注:", "注："].iter().any(|p| t.trim_start().starts_with(p));
        if self.grid.as_ref().is_some_and(Grid::is_listing)
            && !matches!(filled.as_slice(), [only] if footnote(&texts[*only]))
        {
            self.listing_row(row, &texts);
            return;
        }
        if self.block == Some(Label::Group) && (texts[0].is_empty() || row.cells[0].continued) {
            self.group_row(row, &texts);
            return;
        }
        if let Some((label, list, items)) = self.packed_list_row(&texts) {
            // 绩效指标 | 1、1-产出指标；11-数量指标；…: the project's indicators, packed.
            self.grid = None;
            self.mark(label, "header:indicators.level3");
            self.mark(list, "indicators.level3");
            let indicators = super::indicators::packed_list_indicators(&items, self.g, row.location, &row.notes);
            self.project_for(row, false).indicators.extend(indicators);
            return;
        }
        let first_label = texts.iter().position(|t| {
            self.key(t).is_some() || grammar::label_with_amount(t).is_some_and(|(label, _)| self.key(label).is_some())
        });
        if let Some(pos) = first_label.filter(|&p| texts[..p].iter().all(|t| t.is_empty())) {
            self.grid = None;
            self.label_row(row, &texts, pos);
            self.project_for(row, false).notes.extend(row.notes.iter().cloned());
            return;
        }
        if let [only] = filled.as_slice() {
            // A lone text in the grid that names no level, or a footnote (备注：…, 注：…) after
            // it, ends the grid; its text is kept with the project.
            let text = &texts[*only];
            let footnote = self.current.is_some() && footnote(text);
            let level_name = self.g.is_level1(text)
                || self.g.is_level2(text)
                || self.grid.as_ref().is_some_and(|g| g.under_level_column(row, *only));
            let in_grid = self.grid.is_some() && !level_name;
            if footnote || in_grid {
                self.grid = None;
                self.mark(*only, "projects.extra_fields:备注");
                let note = Sourced { text: text.to_string(), location: row.location };
                self.project_for(row, false).extra.push(("备注".to_string(), note));
                return;
            }
        }
        if let Some(grid) = &mut self.grid {
            let mut uses = Vec::new();
            let read = grid.read_row(row, &texts, self.g, &mut |i, used| uses.push((i, used)));
            for (i, used) in uses {
                self.mark(i, used);
            }
            if read.placeholder {
                self.placeholder_at = Some(self.here);
            }
            let p = self.project_for(row, false);
            p.placeholders += u32::from(read.placeholder);
            p.indicators.extend(read.indicators);
            return;
        }
        // A row naming indicator levels is no continuation of a goal or a purpose, even when
        // its first cell is merged: it is a grid row whose header was not read, and is not
        // taken into the text above.
        let names_levels = texts.iter().any(|t| self.g.is_level1(t) || self.g.is_level2(t));
        let value_below = value_below && filled.len() == 1;
        if (texts[0].is_empty() || row.cells[0].continued || value_below) && !names_levels {
            if let Some(block) = self.block {
                self.continuation_row(row, &texts, block, if value_below { 0 } else { 1 });
                self.project_for(row, false).notes.extend(row.notes.iter().cloned());
                return;
            }
        }
        if self.current.is_none() {
            // Outside any project (the other tables of a budget report): not target data.
            return;
        }
        self.unrecognized(row, &texts);
    }

    /// A row of a flat listing: its project cells say which project it belongs to — a fresh
    /// project name starts one, unless it repeats the project cut by a page break — and its
    /// other cells are one indicator of that project.
    fn listing_row(&mut self, row: &Row, texts: &[String]) {
        let Some(grid) = self.grid.as_mut() else { return };
        let mut uses = Vec::new();
        let read = grid.read_row(row, texts, self.g, &mut |i, used| uses.push((i, used)));
        // The first row of another table, or of another page of a table stitched across pages.
        let at = (self.here.table, row.location.page);
        let first_in_table = self.listing_table != Some(at);
        let name_cell = read.fields.iter().find(|(f, _, _)| *f == Label::ProjectName).map(|(_, _, i)| *i);
        let blank = |f: &Option<Sourced>| f.as_ref().is_none_or(|s| s.text.trim().is_empty());
        let unnamed = |p: &RawProject| p.listed && blank(&p.project_name) && blank(&p.project_code);
        let continues_current =
            |p: &RawProject| name_cell.is_some_and(|i| same_listed_project(p, &texts[i], first_in_table));
        if !read.indicator_cells && !read.placeholder && !self.current.as_ref().is_some_and(continues_current) {
            // Nothing under the indicator columns: a total (合计) or a unit's subtotal row
            // (201056 | 长沙职业教育基地综合协调办公室 | 270.00), not a project.
            for (i, t) in texts.iter().enumerate() {
                if !t.is_empty() && !row.cells[i].continued {
                    self.mark(i, super::ledger::SUBTOTAL);
                }
            }
            return;
        }
        // (A total row or the rest of a header at a page's top is not its first row.)
        self.listing_table = Some(at);
        // The rest of a coded name cut by the page break, drawn at the next page's top without
        // the code (`11000022T000000459099-重点调查` | `研究专项工作经费`), beside the same
        // amounts, or amounts the page above did not show: the project goes on, its name joined.
        let amount = read.fields.iter().find(|(f, _, _)| *f == Label::BudgetTotal).map(|(_, _, i)| texts[*i].trim());
        let name_tail = name_cell.filter(|_| first_in_table).is_some_and(|i| {
            let here = crate::grammars::compact(&texts[i]);
            self.current.as_ref().is_some_and(|p| {
                p.listed
                    && p.project_code.is_some()
                    && grammar::project_code(&here).is_none()
                    && !is_code_fragment(&here)
                    && amount.is_none_or(|a| {
                        a.is_empty() || p.budget_total.as_ref().is_none_or(|t| [a, ""].contains(&t.text.trim()))
                    })
            })
        });
        if let Some(i) = name_cell {
            // A project opened without its name (the name cell merged over rows at a page's end,
            // its text drawn on the next page) is named by the first row of the next table.
            let continues = name_tail
                || self.current.as_ref().is_some_and(|p| {
                    p.listed && (same_listed_project(p, &texts[i], first_in_table) || (first_in_table && unnamed(p)))
                });
            if !continues {
                self.start_listed(row);
            }
        } else if read.opens_unnamed_project && !first_in_table && self.current.as_ref().is_some_and(|p| !unnamed(p)) {
            // (At the top of a page, an empty merged name cell is the rest of the project cut
            // by the break, its name drawn above it.)
            self.start_listed(row);
        }
        for (i, used) in uses {
            self.mark(i, used);
        }
        let keys = self.listing_keys.clone();
        let p = self.project_for(row, false);
        if !p.listed {
            p.listed = true;
            p.told = true;
            p.label_keys.extend(keys);
        }
        let mut marks = Vec::new();
        for (field, header, i) in read.fields {
            let value = Sourced { text: texts[i].clone(), location: row.cells[i].location };
            if field == Label::ProjectName && name_tail {
                if let Some(name) = p.project_name.as_mut() {
                    name.text = joined_name(&name.text, &value.text);
                    p.notes.push(format!("project name cut by the page break, its rest at {}: joined", value.location));
                }
                marks.push((i, label_column(Label::ProjectName).to_string()));
                continue;
            }
            marks.push((i, listed_field(p, field, &header, value)));
        }
        p.placeholders += u32::from(read.placeholder);
        p.indicators.extend(read.indicators);
        if read.placeholder {
            self.placeholder_at = Some(self.here);
        }
        for (i, used) in marks {
            self.mark(i, used);
        }
    }

    /// Ends the project being read (when it holds anything) and starts the next one of the open
    /// listing, with the listing's title, unit and amount unit.
    fn start_listed(&mut self, row: &Row) {
        let Some(current) = self.current.as_ref() else { return };
        if !is_project(current) {
            return;
        }
        let (title, unit, amount_unit) = (current.title.clone(), current.unit.clone(), current.amount_unit.clone());
        // The marks of this row made so far go with the project started here.
        let row_id = self.here;
        let at = self.marks.iter().position(|(id, _)| id.table == row_id.table && id.row == row_id.row);
        let here = at.map(|at| self.marks.split_off(at)).unwrap_or_default();
        self.close_current();
        self.marks.extend(here);
        self.current = Some(RawProject {
            title: self.pending_title.take().or(title),
            unit,
            amount_unit,
            location: row.location,
            listed: true,
            told: true,
            label_keys: self.listing_keys.clone(),
            ..RawProject::default()
        });
    }

    /// A row of a project that fits nowhere: quoted in a warning, placed nowhere.
    fn unrecognized(&mut self, row: &Row, texts: &[String]) {
        self.mark_warned(texts);
        let note = format!("unrecognized row at {}: {}", row.location, texts.join(" | "));
        let p = self.project_for(row, false);
        p.notes.push(note);
        p.unplaced += 1;
    }

    pub fn finish(mut self) -> (Vec<RawProject>, Ledger, Vec<String>) {
        self.repeated_title = None;
        self.finish_current();
        (self.done, self.ledger, self.notes)
    }

    /// Ends the project being read: kept when it is one, its cells' marks settled with it.
    /// Without a project there is nothing to settle (the tables of a budget report around the
    /// target tables), except an empty template — a form printed with its labels and level
    /// names and nothing filled in: no record, a document warning, its cells accounted for.
    fn close_current(&mut self) {
        let Some(mut p) = self.current.take() else {
            self.settle_marks(false);
            return;
        };
        // A name that is an amount is no name: the table's columns were misread (a column the
        // table finder lost shifts the amounts under the name's header).
        if let Some(name) = p.project_name.as_ref().filter(|n| grammar::is_amount(n.text.trim())) {
            let note = format!(
                "project name at {} is an amount ({}): the columns may be misread",
                name.location,
                name.text.trim()
            );
            p.notes.push(note);
            p.unplaced += 1;
        }
        if is_project(&p) {
            self.settle_marks(true);
            self.done.push(p);
        } else if p.placeholders > 0 {
            self.settle_marks(true);
            let what = p
                .title
                .as_ref()
                .map_or(String::new(), |t| format!(" ({})", t.text.split_whitespace().collect::<String>()));
            self.notes.push(format!(
                "empty template at {}{what}: {} level row(s) and no values; no record made",
                p.location, p.placeholders
            ));
        } else {
            self.settle_marks(false);
        }
    }

    fn finish_current(&mut self) {
        self.grid = None;
        self.block = None;
        self.milestones.clear();
        self.close_current();
    }

    /// The project a row belongs to; starts one when there is none (or when `fresh`), giving it
    /// the pending heading. A project started without a unit row inherits the previous one's unit.
    fn project_for(&mut self, row: &Row, fresh: bool) -> &mut RawProject {
        if fresh || self.current.is_none() {
            // The marks made so far are this row's, for the project started here; those of a
            // project read before are settled first.
            let here: Vec<(CellId, Use)> = {
                let row_id = self.here;
                let at = self.marks.iter().position(|(id, _)| id.table == row_id.table && id.row == row_id.row);
                at.map(|at| self.marks.split_off(at)).unwrap_or_default()
            };
            self.close_current();
            if self.pending_title.is_some() {
                self.marks.append(&mut self.title_marks);
            }
            self.marks.extend(here);
            let mut p =
                RawProject { title: self.pending_title.take(), location: row.location, ..RawProject::default() };
            if let Some(prev) = self.done.last().filter(|_| !fresh) {
                p.unit = prev.unit.clone();
                p.amount_unit = prev.amount_unit.clone();
            }
            if let Some(unit) = self.pending_amount_unit.take() {
                p.amount_unit = Some(unit);
            }
            self.current = Some(p);
        }
        let p = self.current.as_mut().expect("set above");
        p.location = p.location.merge(row.location);
        p
    }

    /// A row naming the reporting unit (`207101天津市河北区人民法院 | 单位：万元`).
    /// Or, without a unit code, a unit name beside the amount-unit cell (`某某法院 | 单位：万元`).
    fn unit_row(&self, row: &Row, texts: &[String]) -> Option<(Option<Sourced>, Option<String>)> {
        let g = self.g;
        let amount_unit = texts.iter().find_map(|t| g.amount_unit(t));
        let sourced = |i: usize| Sourced { text: texts[i].clone(), location: row.cells[i].location };
        let coded: Vec<usize> =
            (0..texts.len()).filter(|&i| grammar::unit_cell(&texts[i], g.unit_code_digits).is_some()).collect();
        let others: Vec<usize> = (0..texts.len())
            .filter(|&i| !texts[i].is_empty() && !coded.contains(&i) && g.amount_unit(&texts[i]).is_none())
            .collect();
        match (coded.as_slice(), others.as_slice()) {
            ([i], []) => Some((Some(sourced(*i)), amount_unit)),
            ([], [i])
                if amount_unit.is_some()
                    && g.label(&texts[*i]).is_none()
                    && g.indicator_column(&texts[*i]).is_none() =>
            {
                Some((Some(sourced(*i)), amount_unit))
            }
            _ => None,
        }
    }

    /// `项目名称 | x | 项目编码 | y`, `预算规模及资金用途 | 预算数 | 49.70 | 其中：财政资金 | …`.
    fn label_row(&mut self, row: &Row, texts: &[String], start: usize) {
        // A second 项目名称 (or any field already set) means a new project without a unit row.
        let repeats = texts[start..].iter().filter_map(|t| self.g.label(t)).any(|l| {
            matches!(l, Label::ProjectName | Label::ProjectCode)
                && self.current.as_ref().is_some_and(|p| !p.indicators.is_empty() || has_field(p, l))
        });
        if repeats {
            self.finish_current();
        }
        let mut i = start;
        let mut stray = Vec::new();
        // (key, the label as published, value cell index, value)
        let mut values: Vec<(Key, String, Option<usize>, Sourced)> = Vec::new();
        let mut marks: Vec<(usize, Use)> = Vec::new();
        let mut read_as: Vec<(String, String, By)> = Vec::new();
        let mut block = None;
        let mut milestones = Vec::new();
        let mut positional = Vec::new();
        let mut amount_unit = None;
        let mut label_keys = Vec::new();
        let mut group = None;
        while i < texts.len() {
            // A label with its amount written under it in the same cell (资金金额⏎1620.98（万元）).
            let (key, inline) = match self.key(&texts[i]) {
                Some(key) => (Some(key), None),
                None => match grammar::label_with_amount(&texts[i]) {
                    Some((label, amount)) => match self.key(label) {
                        Some(key) => (Some(key), Some((label, amount))),
                        None => (None, None),
                    },
                    None => (None, None),
                },
            };
            let Some(mut key) = key else {
                if !texts[i].is_empty() {
                    stray.push(texts[i].clone());
                    marks.push((i, WARNING.into()));
                }
                i += 1;
                continue;
            };
            if let Some((label, amount)) = inline {
                let name: String = label.split_whitespace().collect();
                let value = Sourced { text: amount.to_string(), location: row.cells[i].location };
                values.push((Key::Extra(name.clone()), name, Some(i), value));
            }
            label_keys.extend(crate::grammars::label_keys(&texts[i]));
            // "项目资金（元）", "项目预算执行情况（万元）": a label that declares the amounts' unit.
            if amount_unit.is_none() {
                amount_unit = declared_unit(&texts[i]);
            }
            // A column block label without sub-labels beside it (当年绩效目标 | text): a goal.
            if key == Key::Field(Label::ColumnBlock) && !(i + 1..texts.len()).any(|j| self.key(&texts[j]).is_some()) {
                key = Key::Field(Label::Goal);
            }
            match key {
                Key::Field(label @ Label::Group) => {
                    block = Some(label);
                    let name: String = texts[i].split_whitespace().collect();
                    marks.push((i, format!("label:projects.extra_fields:{name}")));
                    // Without values on its row, the rest of the row names the group's columns.
                    let rest: Vec<usize> = (i + 1..texts.len()).filter(|&j| !texts[j].is_empty()).collect();
                    // The open group's label drawn again on its next page, beside a line of its
                    // table (Guangzhou 年度重点工作任务): the line, its cells named in order; the
                    // page's own grid columns name them from here on.
                    let open = self
                        .group
                        .as_ref()
                        .filter(|g| g.name == name && !g.headers.is_empty() && g.headers.len() == rest.len());
                    if let Some(open) = open.filter(|_| rest.iter().any(|&j| grammar::is_amount(&texts[j]))) {
                        let entry = open
                            .headers
                            .iter()
                            .zip(&rest)
                            .map(|(h, &j)| format!("{}：{}", h.name.split_whitespace().collect::<String>(), texts[j]))
                            .collect::<Vec<_>>()
                            .join("；");
                        let headers = open
                            .headers
                            .iter()
                            .zip(&rest)
                            .map(|(h, &j)| GroupColumn::of(row, j, h.name.clone()))
                            .collect();
                        let location = row.cells[rest[0]].location;
                        values.push((Key::Extra(name.clone()), name.clone(), None, Sourced { text: entry, location }));
                        marks.extend(rest.iter().map(|&j| (j, format!("projects.extra_fields:{name}"))));
                        group = Some(Group { name, headers });
                        i = texts.len();
                    } else if !rest.is_empty() && !rest.iter().any(|&j| grammar::is_amount(&texts[j])) {
                        let headers = rest.iter().map(|&j| GroupColumn::of(row, j, texts[j].clone())).collect();
                        if amount_unit.is_none() {
                            amount_unit = rest.iter().find_map(|&j| declared_unit(&texts[j]));
                        }
                        label_keys.extend(rest.iter().flat_map(|&j| crate::grammars::label_keys(&texts[j])));
                        marks.extend(rest.iter().map(|&j| (j, format!("header:projects.extra_fields:{name}"))));
                        group = Some(Group { name, headers });
                        i = texts.len();
                    } else {
                        group = Some(Group { name, headers: Vec::new() });
                        i += 1;
                    }
                }
                Key::Field(label @ Label::BudgetBlock) => {
                    block = Some(label);
                    marks.push((i, "label:projects.purpose".into()));
                    i += 1;
                }
                Key::Field(label @ Label::SpendingPlan) => {
                    block = Some(label);
                    marks.push((i, "label:projects.spending_plan".into()));
                    for j in i + 1..texts.len() {
                        if !texts[j].is_empty() {
                            milestones.push(texts[j].clone());
                            marks.push((j, "projects.spending_plan".into()));
                        }
                    }
                    i = texts.len();
                }
                Key::Field(label @ Label::ColumnBlock) => {
                    // 项目绩效目标 | 项目总目标 | 年度总体目标: the values are in the next row.
                    block = Some(label);
                    marks.push((i, "label:column_block".into()));
                    positional = (i + 1..texts.len()).filter_map(|j| self.key(&texts[j]).map(|k| (j, k))).collect();
                    for (j, k) in &positional {
                        marks.push((*j, format!("label:{}", key_column(k))));
                    }
                    i = texts.len();
                }
                key => {
                    // The value is the next cell with text before the next label: empty cells
                    // between them are layout (a centred value in a wide merged cell read from a
                    // PDF lands in a later column).
                    let j =
                        (i + 1..texts.len()).find(|&j| !texts[j].is_empty()).filter(|&j| self.key(&texts[j]).is_none());
                    let cell = j.and_then(|j| row.cells.get(j));
                    let text = cell.map(Cell::text).unwrap_or_default();
                    let location = cell.map_or(row.cells[i].location, |c| c.location);
                    if matches!(key, Key::Field(Label::Goal | Label::Purpose)) {
                        block = key_label(&key);
                    }
                    marks.push((i, format!("label:{}", key_column(&key))));
                    read_as.push((texts[i].clone(), key_column(&key), self.how(&texts[i])));
                    values.push((key, texts[i].clone(), j, Sourced { text, location }));
                    i = j.map_or(i + 1, |j| j + 1);
                }
            }
        }
        let spelled = read_as.iter().any(|(_, column, by)| {
            *by != By::Meaning && column.starts_with("projects.") && !column.contains("extra_fields")
        });
        let p = self.project_for(row, false);
        p.told |= spelled || p.title.is_some();
        if p.amount_unit.is_none() {
            p.amount_unit = amount_unit;
        }
        p.label_keys.extend(label_keys);
        for (text, column, by) in read_as {
            p.headers_read.push((text.split_whitespace().collect(), column, by));
        }
        for (key, label, j, value) in values {
            // A goal or purpose label drawn again at the top of the next page beside the rest of
            // its text (Xi'an: 目标1–11, then 目标12… under a repeated 年度总体目标): the text goes on.
            let top_of_page = row.location.row == Some(1);
            let slot = match key {
                Key::Field(Label::Goal) => Some(&mut p.goal),
                Key::Field(Label::Purpose) => Some(&mut p.purpose),
                _ => None,
            };
            if let Some(Some(old)) = slot.filter(|_| top_of_page) {
                let other_page = old.location.page.is_some() && old.location.page != value.location.page;
                if other_page && !old.text.trim().is_empty() && !value.text.trim().is_empty() {
                    old.text.push('\n');
                    old.text.push_str(&value.text);
                    p.notes.push(format!("{label} continued at {}: joined", value.location));
                    if let Some(j) = j {
                        marks.push((j, label_column(key_label(&key).unwrap_or(Label::Goal)).to_string()));
                    }
                    continue;
                }
            }
            let used = assign(p, key, &label, value);
            if let Some(j) = j {
                marks.push((j, used));
            }
        }
        if !stray.is_empty() {
            p.notes.push(format!("cells without a label at {}: {}", row.location, stray.join(" | ")));
            p.unplaced += 1;
        }
        for (i, used) in marks {
            self.mark(i, used);
        }
        // A goal or purpose label alone across its row: its text is the next row.
        let filled = texts.iter().filter(|t| !t.is_empty()).count();
        self.value_below =
            filled == 1 && matches!(block, Some(Label::Goal | Label::Purpose)) && row.cells[start].col_span.max(1) > 1;
        self.positional = positional;
        self.block = block;
        if block == Some(Label::SpendingPlan) {
            self.milestones = milestones;
        }
        if block == Some(Label::Group) {
            self.group = group;
        }
    }

    /// A row of a group: label | value pairs when it starts with a label, else a line of the
    /// group's small table (`header：cell；…`), kept in extra_fields under the group's name. A
    /// row that repeats one of the headers names the columns anew (事业发展性支出 | 预算金额（万元）).
    fn group_row(&mut self, row: &Row, texts: &[String]) {
        let first = (1..texts.len()).find(|&j| !texts[j].is_empty());
        let Some(first) = first else { return };
        let mut group = self.group.take();
        let filled: Vec<usize> = (first..texts.len()).filter(|&j| !texts[j].is_empty()).collect();
        if let Some(mut g) = group {
            if self.split_headers(&mut g, row, texts, &filled) {
                self.group = Some(g);
                self.block = Some(Label::Group);
                return;
            }
            group = Some(g);
        }
        // A line of the group's table has its cells under the headers, none spanning two but
        // its first (a total's title across the text columns: 金额合计 | 5859.6 | 5859.6).
        let in_table = group.as_ref().is_some_and(|g| {
            !g.headers.is_empty()
                && filled.iter().enumerate().all(|(n, &j)| {
                    let (start, end) = (column_of(row, j), column_of(row, j) + row.cells[j].col_span.max(1));
                    g.headers.iter().any(|h| h.start == start)
                        && (n == 0 || !g.headers.iter().any(|h| h.start > start && h.start < end))
                })
        });
        if !in_table && self.key(&texts[first]).is_some() {
            self.label_row(row, texts, first);
            self.block = Some(Label::Group);
            self.group = group;
            return;
        }
        let Some(mut group) = group else {
            self.unrecognized(row, texts);
            return;
        };
        if !in_table {
            self.unrecognized(row, texts);
        } else if filled.iter().any(|&j| group.headers.iter().any(|h| h.name == texts[j])) {
            group.headers = filled.iter().map(|&j| GroupColumn::of(row, j, texts[j].clone())).collect();
            for &j in &filled {
                self.mark(j, format!("header:projects.extra_fields:{}", group.name));
            }
        } else {
            let header_of =
                |column: u32| group.headers.iter().rev().find(|h| h.start <= column).map(|h| h.name.as_str());
            let entry = filled
                .iter()
                .map(|&j| match header_of(column_of(row, j)) {
                    Some(h) => format!("{}：{}", h.split_whitespace().collect::<String>(), texts[j]),
                    None => texts[j].clone(),
                })
                .collect::<Vec<_>>()
                .join("；");
            // A field label inside the table (财政拨款 | 72807.38) also fills its field, and so
            // does a column of amounts headed by one (预算支出总额, 财政拨款/合计).
            let mut fields = Vec::new();
            for (k, &j) in filled.iter().enumerate() {
                if let (Some(Key::Field(label)), Some(&v)) = (self.key(&texts[j]), filled.get(k + 1)) {
                    if field_label(label) && self.key(&texts[v]).is_none() {
                        let value = Sourced { text: texts[v].clone(), location: row.cells[v].location };
                        fields.push((label, v, value));
                    }
                }
            }
            // (Only on a row of amounts: a row of label | value pairs names its values itself.)
            let amounts_only = filled.iter().all(|&j| grammar::is_amount(&texts[j]));
            for &j in filled.iter().filter(|_| amounts_only) {
                let Some(header) = header_of(column_of(row, j)) else { continue };
                let (parent, part) = header.split_once('/').unwrap_or((header, ""));
                let whole = part.is_empty() || self.g.extra_label(part) == Some("合计");
                if let (true, Some(Key::Field(label))) = (whole, self.key(parent)) {
                    if field_label(label) && self.key(&texts[j]).is_none() && grammar::is_amount(&texts[j]) {
                        let value = Sourced { text: texts[j].clone(), location: row.cells[j].location };
                        fields.push((label, j, value));
                    }
                }
            }
            let location = row.cells[first].location;
            let p = self.project_for(row, false);
            p.extra.push((group.name.clone(), Sourced { text: entry, location }));
            let mut marks = Vec::new();
            for (label, v, value) in fields {
                // The value is in the group's entry in any case: a second value of a field set
                // before stays there only.
                let used = assign_once(p, label, value);
                marks.push((v, used.unwrap_or_else(|| format!("projects.extra_fields:{}", group.name))));
            }
            for (v, used) in marks {
                self.mark(v, used);
            }
            for &j in &filled {
                self.mark(j, format!("projects.extra_fields:{}", group.name));
            }
        }
        self.group = Some(group);
        self.block = Some(Label::Group);
    }

    /// A row of labels under a group's header that splits some of its columns (财政拨款 over
    /// 合计 | 基本支出 | 项目支出): those columns are named anew, `parent/part`. Says whether the
    /// row was one.
    fn split_headers(&mut self, group: &mut Group, row: &Row, texts: &[String], filled: &[usize]) -> bool {
        let label_like =
            |t: &str| t.chars().count() <= 12 && !t.chars().any(|c| c.is_ascii_digit()) && !grammar::is_amount(t);
        if group.headers.is_empty() || !filled.iter().all(|&j| label_like(&texts[j])) {
            return false;
        }
        let parts: Vec<GroupColumn> = filled.iter().map(|&j| GroupColumn::of(row, j, texts[j].clone())).collect();
        let within = |h: &GroupColumn, c: &GroupColumn| h.start <= c.start && c.end <= h.end;
        let all_within = parts.iter().all(|c| group.headers.iter().any(|h| within(h, c)));
        let splits = group.headers.iter().any(|h| parts.iter().filter(|c| within(h, c)).count() >= 2);
        if !all_within || !splits {
            return false;
        }
        let mut headers = Vec::new();
        for h in std::mem::take(&mut group.headers) {
            let mine: Vec<&GroupColumn> = parts.iter().filter(|c| within(&h, c)).collect();
            if mine.is_empty() {
                headers.push(h);
            } else {
                headers.extend(mine.into_iter().map(|c| GroupColumn {
                    start: c.start,
                    end: c.end,
                    // As published, white space aside (预算金额（万元）/总额).
                    name: format!(
                        "{}/{}",
                        h.name.split_whitespace().collect::<String>(),
                        c.name.split_whitespace().collect::<String>()
                    ),
                }));
            }
        }
        group.headers = headers;
        let p = self.project_for(row, false);
        p.label_keys.extend(filled.iter().flat_map(|&j| crate::grammars::label_keys(&texts[j])));
        for &j in filled {
            self.mark(j, format!("header:projects.extra_fields:{}", group.name));
        }
        true
    }

    /// The row under a block label, its first cell merged with the label's (values from cell
    /// `from` = 1), or the text under a label alone on its row (`from` = 0).
    fn continuation_row(&mut self, row: &Row, texts: &[String], block: Label, from: usize) {
        if block == Label::Group {
            self.group_row(row, texts);
            return;
        }
        let values: Vec<(usize, &String)> =
            texts.iter().enumerate().skip(from).filter(|(_, t)| !t.is_empty()).collect();
        let milestones = std::mem::take(&mut self.milestones);
        let positional = std::mem::take(&mut self.positional);
        let mut marks: Vec<(usize, Use)> = Vec::new();
        let p = self.project_for(row, false);
        match block {
            Label::ColumnBlock => {
                for (j, key) in positional {
                    if let Some(cell) = row.cells.get(j) {
                        let label = texts.get(j).cloned().unwrap_or_default();
                        let used = assign(p, key, &label, Sourced { text: cell.text(), location: cell.location });
                        marks.push((j, used));
                    }
                }
            }
            Label::SpendingPlan => {
                let pcts: Vec<String> = values.iter().map(|(_, t)| (*t).clone()).collect();
                if pcts.len() != milestones.len() {
                    p.notes.push(format!(
                        "spending plan at {} has {} milestones and {} percentages",
                        row.location,
                        milestones.len(),
                        pcts.len()
                    ));
                }
                marks.extend(values.iter().map(|(j, _)| (*j, "projects.spending_plan".to_string())));
                p.spending_plan = milestones.into_iter().zip(pcts).collect();
            }
            Label::BudgetBlock | Label::Purpose | Label::Goal => {
                let text = values.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join("\n");
                let location = values.first().map_or(row.location, |(i, _)| row.cells[*i].location);
                let (slot, column) = if block == Label::Goal {
                    (&mut p.goal, "projects.goal")
                } else {
                    (&mut p.purpose, "projects.purpose")
                };
                match slot {
                    Some(existing) if !existing.text.is_empty() => {
                        existing.text.push('\n');
                        existing.text.push_str(&text);
                    }
                    _ => *slot = Some(Sourced { text, location }),
                }
                marks.extend(values.iter().map(|(j, _)| (*j, column.to_string())));
            }
            _ => {
                self.unrecognized(row, texts);
                return;
            }
        }
        for (j, used) in marks {
            self.mark(j, used);
        }
        self.block = if block == Label::BudgetBlock { Some(Label::Purpose) } else { Some(block) };
    }
}

/// A project needs a name, an indicator, an amount or a goal: a unit row or stray rows alone
/// (the tables of a budget report around the target tables, whose 预算数 column may hold a
/// heading: no digit, no amount) are not one.
fn is_project(p: &RawProject) -> bool {
    let holds = |f: &Option<Sourced>| f.as_ref().is_some_and(|s| !s.text.trim().is_empty());
    let amount = p.budget_total.as_ref().is_some_and(|s| s.text.chars().any(|c| c.is_ascii_digit()));
    holds(&p.project_name) || !p.indicators.is_empty() || amount || holds(&p.goal)
}

fn key_label(key: &Key) -> Option<Label> {
    match key {
        Key::Field(l) => Some(*l),
        Key::Extra(_) => None,
    }
}

/// Puts a labelled value where it belongs — a field, the unit (when no unit row gave one), or
/// the extra fields — and says where it went. A field is never overwritten: a label met again
/// with another value (`预算数 49.70`, then `全年预算数 60.00`) keeps its first value, and the
/// second goes to extra_fields under the label as published, with a warning; an empty second
/// value changes nothing.
fn assign(p: &mut RawProject, key: Key, label: &str, value: Sourced) -> Use {
    match key {
        Key::Field(l) => match assign_once(p, l, value.clone()) {
            Some(used) => used,
            None => {
                let name: String = label.split_whitespace().collect();
                p.notes.push(format!(
                    "{name} at {} holds another value than the one read before ({}): kept in extra_fields",
                    value.location,
                    value.text.replace('\n', " ")
                ));
                p.extra.push((name.clone(), value));
                format!("projects.extra_fields:{name}")
            }
        },
        Key::Extra(name) => {
            if !value.text.trim().is_empty() {
                p.extra.push((name.clone(), value));
            }
            format!("projects.extra_fields:{name}")
        }
    }
}

/// Fills a field unless it holds another value already; returns the field's column, or `None`
/// when the value was not taken.
fn assign_once(p: &mut RawProject, label: Label, value: Sourced) -> Option<Use> {
    let column = label_column(label).to_string();
    let slot = match label {
        Label::Unit => &mut p.unit,
        _ => match field(p, label) {
            Some(slot) => slot,
            None => return Some(column),
        },
    };
    match slot {
        Some(old) if !old.text.trim().is_empty() && old.text.trim() != value.text.trim() => {
            if value.text.trim().is_empty() {
                Some(column)
            } else {
                None
            }
        }
        Some(old) if !old.text.trim().is_empty() => Some(column),
        _ => {
            *slot = Some(value);
            Some(column)
        }
    }
}

/// The column a label's value is written to.
pub(super) fn label_column(label: Label) -> &'static str {
    match label {
        Label::ProjectName => "projects.project_name",
        Label::ProjectCode => "projects.project_code",
        Label::BudgetTotal => "projects.budget_total_raw",
        Label::BudgetFiscal => "projects.budget_fiscal_raw",
        Label::BudgetOther => "projects.budget_other_raw",
        Label::Purpose | Label::BudgetBlock => "projects.purpose",
        Label::Goal => "projects.goal",
        Label::Unit => "projects.unit_raw",
        Label::SpendingPlan => "projects.spending_plan",
        Label::ColumnBlock => "column_block",
        Label::Group => "group",
    }
}

/// The column a key's value is written to.
fn key_column(key: &Key) -> String {
    match key {
        Key::Field(l) => label_column(*l).to_string(),
        Key::Extra(name) => format!("projects.extra_fields:{name}"),
    }
}

fn has_field(p: &RawProject, label: Label) -> bool {
    match label {
        Label::ProjectName => p.project_name.is_some(),
        Label::ProjectCode => p.project_code.is_some(),
        _ => false,
    }
}

/// The project field a label fills (block labels fill none).
fn field(p: &mut RawProject, label: Label) -> Option<&mut Option<Sourced>> {
    Some(match label {
        Label::ProjectName => &mut p.project_name,
        Label::ProjectCode => &mut p.project_code,
        Label::BudgetTotal => &mut p.budget_total,
        Label::BudgetFiscal => &mut p.budget_fiscal,
        Label::BudgetOther => &mut p.budget_other,
        Label::Purpose => &mut p.purpose,
        Label::Goal => &mut p.goal,
        Label::BudgetBlock | Label::SpendingPlan | Label::Unit | Label::ColumnBlock | Label::Group => return None,
    })
}

/// Whether `p` was read under the title `title` (compared without whitespace).
fn has_title(p: &RawProject, title: &str) -> bool {
    p.title.as_ref().is_some_and(|t| crate::grammars::compact(&t.text) == crate::grammars::compact(title))
}

/// Labels of a value field (inside a group's table, `财政拨款 | 72807.38` fills budget_fiscal; a
/// flat listing's project columns).
pub(super) fn field_label(label: Label) -> bool {
    matches!(
        label,
        Label::ProjectName
            | Label::ProjectCode
            | Label::BudgetTotal
            | Label::BudgetFiscal
            | Label::BudgetOther
            | Label::Purpose
            | Label::Goal
    )
}

/// The amount unit a label or header declares in parentheses: `预算金额（万元）` → 万元.
fn declared_unit(text: &str) -> Option<String> {
    let k = crate::grammars::compact(text);
    ["(万元)", "(元)"].iter().find(|u| k.contains(**u)).map(|u| u.trim_matches(['(', ')']).to_string())
}

/// The texts of `row`, its cells merged from the row above (continued, empty) named by the cell
/// above them in the same grid column.
/// A listing whose 绩效指标 column packs each project's indicators into one cell as a numbered
/// list (项目名称 | 项目金额 | 绩效目标 | 绩效指标): the header names project columns and the packed
/// column, and the row below holds such a list under it. (No value column: the values are in the
/// list.)
fn packed_list_header(g: &Grammars, texts: &[String], row: &Row, below: &[Row]) -> Option<HeaderReading> {
    let matches: Vec<Option<(IndicatorColumn, By)>> = texts.iter().map(|t| g.column_match(t)).collect();
    let packed = matches.iter().position(|m| m.is_some_and(|(c, _)| c == IndicatorColumn::Packed))?;
    let names_projects = texts.iter().any(|t| g.label(t).is_some_and(field_label));
    let column = column_of(row, packed);
    let next = below.first()?;
    let under = next.cells.iter().position(|c| c.location.column.unwrap_or(0) == column).or(
        // A format without grid columns: by position.
        (next.cells.len() == row.cells.len()).then_some(packed),
    )?;
    let list = grammar::packed_list(&next.cells[under].text(), |l1, l2| g.is_level1(l1) && g.is_level2(l2));
    (names_projects && list.is_some()).then(|| HeaderReading {
        columns: matches.iter().map(|m| m.map(|(c, _)| c)).collect(),
        by: matches.iter().map(|m| m.map(|(_, b)| b)).collect(),
        notes: Vec::new(),
    })
}

/// How many rows a header may take.
const HEADER_ROWS: usize = 3;

/// Whether `row` (its cells read as `texts`) is an upper row of a header whose last row is one of
/// the next `more` rows of `below`: short words only (a row holding digits or long text is data,
/// or a header overprinted by clipped text, which the open grid reads better), cells merged
/// down into the row below, and the rows below, their merged cells named from above, read as a
/// header within `more` rows.
fn header_above(g: &Grammars, row: &Row, texts: &[String], below: &[Row], more: usize) -> bool {
    let label_like = |t: &String| t.chars().count() <= 24 && !t.chars().any(|c| c.is_ascii_digit());
    if more == 0 || !texts.iter().all(label_like) {
        return false;
    }
    let Some(next) = below.first() else { return false };
    let inherited = names_from_above(row, texts, next);
    if !inherited.iter().zip(&next.cells).any(|(t, c)| c.continued && !t.is_empty()) {
        return false;
    }
    g.header_reading(&inherited).is_some() || header_above(g, next, &inherited, &below[1..], more - 1)
}

fn names_from_above(above: &Row, above_texts: &[String], row: &Row) -> Vec<String> {
    row.cells
        .iter()
        .map(|cell| {
            let own = cell.text();
            if !(cell.continued && own.is_empty()) {
                return own;
            }
            let Some(column) = cell.location.column else { return own };
            above
                .cells
                .iter()
                .position(|c| c.location.column.is_some_and(|s| s <= column && column < s + c.col_span.max(1)))
                .map_or(own, |j| above_texts[j].clone())
        })
        .collect()
}

/// A cell's grid column (its index when the format knows no grid).
fn column_of(row: &Row, index: usize) -> u32 {
    row.cells[index].location.column.unwrap_or(index as u32 + 1)
}

/// Whether a project-name cell of a listing names the project being read: the same text, or,
/// in the first row of another table (a project cut by a page break repeats its cells, often
/// with only part of their text), a text one contains, or the same project code.
fn same_listed_project(p: &RawProject, cell: &str, first_in_table: bool) -> bool {
    let read = crate::grammars::compact(&format!(
        "{}{}",
        p.project_code.as_ref().map_or("", |c| c.text.as_str()),
        p.project_name.as_ref().map_or("", |c| c.text.as_str())
    ));
    let here = crate::grammars::compact(cell);
    if read.is_empty() {
        return false;
    }
    // A code cut by the page break (`11000022T000000` | `456102-成本监审工作经费`).
    if first_in_table && p.project_code.is_none() && is_code_fragment(&read) {
        return true;
    }
    if read == here {
        return true;
    }
    // The project's cells drawn again, whole, on the next page.
    let same_code = p.project_code.as_ref().is_some_and(|c| {
        grammar::project_code(&here).is_some_and(|(code, _)| crate::grammars::compact(&c.text) == code)
    });
    first_in_table
        && (same_code
            || read.contains(&here)
            || here.contains(&read)
            || matches!((grammar::project_code(&read), grammar::project_code(&here)), (Some((a, _)), Some((b, _))) if a == b))
}

/// Digits and capitals only, as the start of a project code is.
/// A name and its rest drawn on the next page: joined, the characters both pages show (a line
/// the break cut through, drawn on each side) written once.
fn joined_name(head: &str, rest: &str) -> String {
    let head = crate::grammars::compact(head);
    let rest = crate::grammars::compact(rest);
    let chars: Vec<char> = rest.chars().collect();
    let overlap = (2..=chars.len().min(head.chars().count()))
        .rev()
        .find(|&k| head.ends_with(&chars[..k].iter().collect::<String>()))
        .unwrap_or(0);
    format!("{head}{}", chars[overlap..].iter().collect::<String>())
}

fn is_code_fragment(text: &str) -> bool {
    text.len() >= 6 && text.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
}

/// Fills a project field from a cell of a listing's project columns; says where it went. The
/// name cell `11000022T000000451922-国资国企重难点问题研究` gives the code and the name; a
/// cell repeating what is read (the continuation of a project) adds nothing; a goal cut by a
/// page break goes on where the page before left it.
fn listed_field(p: &mut RawProject, field: Label, header: &str, value: Sourced) -> Use {
    match field {
        Label::ProjectName => {
            // The rest of a code cut by the page break: joined, then read again.
            let fragment = p.project_code.is_none()
                && p.project_name.as_ref().is_some_and(|n| is_code_fragment(&crate::grammars::compact(&n.text)));
            if fragment {
                let head = p.project_name.take().map(|n| crate::grammars::compact(&n.text)).unwrap_or_default();
                let joined: String = format!("{head}{}", value.text.split('\n').collect::<String>());
                if let Some((code, name)) = grammar::project_code(&joined) {
                    p.project_code = Some(Sourced { text: code.to_string(), location: value.location });
                    p.project_name = Some(Sourced { text: name.to_string(), location: value.location });
                } else {
                    p.project_name = Some(Sourced { text: joined, location: value.location });
                }
            } else if p.project_name.is_none() {
                let flat: String = value.text.split('\n').collect();
                match grammar::project_code(&flat) {
                    Some((code, name)) => {
                        p.project_code = Some(Sourced { text: code.to_string(), location: value.location });
                        p.project_name = Some(Sourced { text: name.to_string(), location: value.location });
                    }
                    None => p.project_name = Some(value),
                }
            }
            label_column(Label::ProjectName).to_string()
        }
        Label::Goal | Label::Purpose => {
            let slot = if field == Label::Goal { &mut p.goal } else { &mut p.purpose };
            let new = crate::grammars::compact(&value.text);
            match slot {
                None => *slot = Some(value),
                Some(old) => {
                    let had = crate::grammars::compact(&old.text);
                    if new.contains(&had) {
                        *old = value;
                    } else if !had.contains(&new) {
                        old.text.push('\n');
                        old.text.push_str(&value.text);
                    }
                }
            }
            label_column(field).to_string()
        }
        _ => assign(p, Key::Field(field), header, value),
    }
}
