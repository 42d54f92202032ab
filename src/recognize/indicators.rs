//! The indicator grid: a header row (一级指标 二级指标 三级指标 绩效指标描述 指标值
//! [指标值确定依据]) maps columns by label, whatever their order; every following row is one
//! indicator. Level names of merged cells are carried down and marked as such.

use super::RawIndicator;
use crate::blocks::Row;
use crate::grammars::{Grammars, IndicatorColumn};

pub struct Grid {
    columns: Vec<Option<IndicatorColumn>>,
    /// Header text of each column (for the columns the grammar does not know).
    names: Vec<String>,
    level1: Option<String>,
    level2: Option<String>,
    notes: Vec<String>,
}

impl Grid {
    /// A grid under a header whose cells name `columns`. A field named by two headers is read
    /// from the first; the other column is kept as it is, under its header, in extra_fields
    /// (see [`Grid::notes`]).
    pub fn new(mut columns: Vec<Option<IndicatorColumn>>, names: Vec<String>) -> Self {
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
        Grid { columns, names, level1: None, level2: None, notes }
    }

    /// Problems of the header, for the project's warnings.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    fn position(&self, col: IndicatorColumn) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(col))
    }

    /// The extra_fields key of column `i`: its header as published, or its number when the
    /// header cell is blank.
    fn extra_name(&self, i: usize) -> String {
        match self.names.get(i).map(|n| extra_key(n)).filter(|n| !n.is_empty()) {
            Some(n) => n,
            None => format!("第{}列", i + 1),
        }
    }

    /// What header cell `i` names, for the ledger (`None` for an empty cell).
    pub fn header_use(&self, i: usize) -> Option<String> {
        self.names.get(i).filter(|n| !n.trim().is_empty())?;
        Some(match self.columns.get(i).copied().flatten() {
            Some(col) => format!("header:indicators.{}", column_name(col)),
            None => format!("header:indicators.extra_fields:{}", self.extra_name(i)),
        })
    }

    /// One indicator row; `mark(cell, use)` is told where each cell went.
    pub fn indicator(
        &mut self,
        row: &Row,
        texts: &[String],
        g: &Grammars,
        mark: &mut dyn FnMut(usize, String),
    ) -> RawIndicator {
        let mut notes = Vec::new();
        let mut unplaced = false;
        let width = self.columns.len();
        // Each position of the header: the row's cell there (its index in the row), if any.
        let mut at: Vec<Option<usize>> = (0..texts.len()).map(Some).collect();
        let text_of = |i: Option<usize>| -> Option<&str> {
            let i = i?;
            (!row.cells[i].continued && !texts[i].is_empty()).then(|| texts[i].as_str())
        };
        // A row that lost its merged level-1 cell entirely starts with a level-2 name: realign it.
        if at.len() < width {
            if let (Some(l1), Some(first)) = (self.position(IndicatorColumn::Level1), text_of(Some(0))) {
                if l1 == 0 && g.is_level2(first) && !g.is_level1(first) {
                    at.insert(0, None);
                    notes.push(format!("row at {} has no level-1 cell; realigned", row.location));
                }
            }
        }
        if at.len() != width {
            notes.push(format!("row at {} has {} cells, the header has {width}", row.location, at.len()));
        }
        if at.len() > width {
            let beyond: Vec<usize> =
                at[width..].iter().flatten().copied().filter(|&i| text_of(Some(i)).is_some()).collect();
            if !beyond.is_empty() {
                let quoted: Vec<&str> = beyond.iter().map(|&i| texts[i].as_str()).collect();
                notes.push(format!("cells beyond the header at {}: {}", row.location, quoted.join(" | ")));
                for i in beyond {
                    mark(i, super::ledger::WARNING.to_string());
                }
                unplaced = true;
            }
        }
        let mut get = |col: IndicatorColumn| -> Option<String> {
            let p = self.columns.iter().position(|c| *c == Some(col))?;
            let i = at.get(p).copied().flatten();
            let text = text_of(i)?;
            mark(i?, format!("indicators.{}", column_name(col)));
            Some(text.to_string())
        };
        let level1_own = get(IndicatorColumn::Level1);
        let level2_own = get(IndicatorColumn::Level2);
        let level3 = get(IndicatorColumn::Level3);
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
        let (level1, level1_filled) = carry(level1_own, &mut self.level1);
        let (level2, level2_filled) = carry(level2_own, &mut self.level2);
        // Cells under headers the grammar does not know (or under a blank header, or a second
        // header of a field) keep their text, under the header as published.
        let mut extra = Vec::new();
        for (p, col) in self.columns.iter().enumerate() {
            if col.is_some() {
                continue;
            }
            let i = at.get(p).copied().flatten();
            if let Some(text) = text_of(i) {
                let name = self.extra_name(p);
                mark(i.unwrap_or(p), format!("indicators.extra_fields:{name}"));
                extra.push((name, text.to_string()));
            }
        }
        RawIndicator {
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
            notes: row.notes.iter().cloned().chain(notes).collect(),
            unplaced,
        }
    }
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
