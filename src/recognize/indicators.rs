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
}

impl Grid {
    pub fn new(columns: Vec<Option<IndicatorColumn>>, names: Vec<String>) -> Self {
        Grid { columns, names, level1: None, level2: None }
    }

    fn position(&self, col: IndicatorColumn) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(col))
    }

    pub fn indicator(&mut self, row: &Row, texts: &[String], g: &Grammars) -> RawIndicator {
        let mut notes = Vec::new();
        let mut unplaced = false;
        let width = self.columns.len();
        let mut cells: Vec<Option<&str>> = texts
            .iter()
            .zip(&row.cells)
            .map(|(t, c)| if c.continued || t.is_empty() { None } else { Some(t.as_str()) })
            .collect();
        // A row that lost its merged level-1 cell entirely starts with a level-2 name: realign it.
        if cells.len() < width {
            if let (Some(l1), Some(Some(first))) = (self.position(IndicatorColumn::Level1), cells.first()) {
                if l1 == 0 && g.is_level2(first) && !g.is_level1(first) {
                    cells.insert(0, None);
                    notes.push(format!("row at {} has no level-1 cell; realigned", row.location));
                }
            }
        }
        if cells.len() != width {
            notes.push(format!("row at {} has {} cells, the header has {width}", row.location, cells.len()));
        }
        if cells.len() > width {
            let extra: Vec<&str> = cells[width..].iter().flatten().copied().collect();
            if !extra.is_empty() {
                notes.push(format!("cells beyond the header at {}: {}", row.location, extra.join(" | ")));
                unplaced = true;
            }
        }
        let get = |col: IndicatorColumn| -> Option<String> {
            let i = self.columns.iter().position(|c| *c == Some(col))?;
            cells.get(i).copied().flatten().map(str::to_string)
        };
        let level1_own = get(IndicatorColumn::Level1);
        if level1_own.is_some() && level1_own != self.level1 {
            // A new level-1 group starts; its level-2 cannot come from the group above.
            self.level2 = None;
        }
        let (level1, level1_filled) = carry(level1_own, &mut self.level1);
        let (level2, level2_filled) = carry(get(IndicatorColumn::Level2), &mut self.level2);
        RawIndicator {
            level1,
            level1_filled: level1_filled.unwrap_or(false),
            level2,
            level2_filled: level2_filled.unwrap_or(false),
            level3: get(IndicatorColumn::Level3),
            description: get(IndicatorColumn::Description),
            value: get(IndicatorColumn::Value),
            basis: get(IndicatorColumn::Basis),
            operator: get(IndicatorColumn::Operator),
            unit: get(IndicatorColumn::Unit),
            weight: get(IndicatorColumn::Weight),
            actual: get(IndicatorColumn::Actual),
            // Unknown headers keep their cells; a header-less column is a merged label column
            // (绩效指标) and holds no data.
            extra: self
                .columns
                .iter()
                .zip(&self.names)
                .enumerate()
                .filter(|(_, (col, name))| col.is_none() && !name.is_empty())
                .filter_map(|(i, (_, name))| cells.get(i).copied().flatten().map(|t| (name.clone(), t.to_string())))
                .filter(|(name, text)| name != text)
                .collect(),
            location: row.location,
            notes: row.notes.iter().cloned().chain(notes).collect(),
            unplaced,
        }
    }
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
