//! The domain vocabulary under `grammars/`, loaded once. Header labels, indicator levels, unit
//! spellings and comparators are data, so a new variant is a change to a `.toml` file, not code.
//!
//! The files are embedded in the binary; every stage reads them through [`Grammars`].

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use crate::error::Error;

const VOCABULARY: &str = include_str!("../grammars/vocabulary.toml");
const VALUES: &str = include_str!("../grammars/values.toml");

/// The key labels are compared by: NFKC, no whitespace at all, no trailing colon.
/// `其中：财政    资金` and `其中:财政资金` give the same key.
pub fn label_key(s: &str) -> String {
    let mut k = compact(s);
    while k.ends_with(':') {
        k.pop();
    }
    k
}

/// NFKC with all whitespace removed. Most cells hold only ASCII, unified ideographs and common
/// Chinese punctuation, which NFKC leaves alone: they skip the normalizer.
pub fn compact(s: &str) -> String {
    if s.chars().all(nfkc_stable) {
        s.split_whitespace().collect()
    } else {
        s.nfkc().filter(|c| !c.is_whitespace()).collect()
    }
}

/// Characters NFKC maps to themselves, checked by range (a subset: anything else takes the
/// normalizer).
fn nfkc_stable(c: char) -> bool {
    matches!(c,
        '\0'..='\x7F'
        | '\u{4E00}'..='\u{9FFF}'
        | '、' | '。' | '〈'..='】' | '‘' | '’' | '“' | '”' | '·' | '—')
}

/// No label, header or level name is longer than this many non-whitespace UTF-8 bytes (a few
/// spare for a colon and full-width forms): longer cells are content, and are not normalized
/// just to be looked up.
const MAX_LABEL_BYTES: usize = 48;

fn short_key(s: &str) -> Option<String> {
    let bytes = s.bytes().filter(|b| !b.is_ascii_whitespace()).count();
    (bytes <= MAX_LABEL_BYTES).then(|| label_key(s))
}

/// A project-block field a label cell introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    ProjectName,
    ProjectCode,
    BudgetBlock,
    BudgetTotal,
    BudgetFiscal,
    BudgetOther,
    Purpose,
    SpendingPlan,
    Goal,
    Unit,
    GoalBlock,
}

/// A column of the indicator grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IndicatorColumn {
    Level1,
    Level2,
    Level3,
    Description,
    Value,
    Basis,
    /// The comparator in a column of its own (指标性质: ≥, =, 无).
    Operator,
    /// The unit in a column of its own (计量单位).
    Unit,
    /// 指标权重 (self-evaluations).
    Weight,
    /// 全年完成值: the achieved value beside the target (self-evaluations).
    Actual,
}

#[derive(Deserialize)]
struct VocabularyFile {
    heading: HeadingSection,
    labels: BTreeMap<String, Vec<String>>,
    extra_labels: ExtraLabelsSection,
    amount_unit: PrefixSection,
    unit_cell: UnitCellSection,
    indicator_columns: BTreeMap<String, Vec<String>>,
    taxonomy: TaxonomySection,
    department: DepartmentSection,
}

#[derive(Deserialize)]
struct HeadingSection {
    suffixes: Vec<String>,
}

#[derive(Deserialize)]
struct ExtraLabelsSection {
    names: Vec<String>,
}

#[derive(Deserialize)]
struct PrefixSection {
    prefixes: Vec<String>,
}

#[derive(Deserialize)]
struct UnitCellSection {
    code_digits: usize,
}

#[derive(Deserialize)]
struct TaxonomySection {
    level1: Vec<String>,
    level2: BTreeMap<String, Vec<String>>,
}

/// Vocabulary of the 部门整体绩效目标 prose section.
#[derive(Deserialize, Debug, Clone)]
pub struct DepartmentSection {
    pub start: Vec<String>,
    pub stop: Vec<String>,
    pub overall_heading: Vec<String>,
    pub itemized_heading: Vec<String>,
    pub goal_prefixes: Vec<String>,
    pub indicator_intro: Vec<String>,
    pub indicator_kinds: Vec<String>,
}

#[derive(Deserialize)]
struct ValuesFile {
    prefix_comparators: BTreeMap<String, Vec<String>>,
    suffix_comparators: BTreeMap<String, Vec<String>>,
    unit_aliases: BTreeMap<String, Vec<String>>,
    scale_prefixes: BTreeMap<String, f64>,
    unit: UnitSection,
}

#[derive(Deserialize)]
struct UnitSection {
    max_chars: usize,
}

/// The loaded vocabulary, with lookup tables keyed by [`label_key`].
#[derive(Debug)]
pub struct Grammars {
    pub heading_suffixes: Vec<String>,
    labels: HashMap<String, Label>,
    /// label key → the label as written in the vocabulary.
    extra_labels: HashMap<String, String>,
    pub amount_unit_prefixes: Vec<String>,
    pub unit_code_digits: usize,
    indicator_columns: HashMap<String, IndicatorColumn>,
    level1: Vec<String>,
    level2: HashMap<String, Vec<String>>,
    pub department: DepartmentSection,
    /// (spelling after NFKC, operator), longest spelling first.
    pub prefix_comparators: Vec<(String, String)>,
    pub suffix_comparators: Vec<(String, String)>,
    /// NFKC spelling → canonical unit.
    pub unit_aliases: HashMap<String, String>,
    pub scale_prefixes: Vec<(String, f64)>,
    pub unit_max_chars: usize,
}

fn nfkc(s: &str) -> String {
    s.nfkc().collect()
}

fn by_length_desc(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    v.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then(a.cmp(b)));
    v
}

impl Grammars {
    /// The embedded grammars, parsed on first use.
    pub fn builtin() -> &'static Grammars {
        static G: OnceLock<Grammars> = OnceLock::new();
        G.get_or_init(|| {
            Grammars::parse(VOCABULARY, VALUES).expect("embedded grammars/ files are valid (checked by tests)")
        })
    }

    /// Grammars from a folder holding `vocabulary.toml` and/or `values.toml` (`--grammars DIR`);
    /// a file the folder lacks is the embedded one.
    pub fn load_dir(dir: &std::path::Path) -> Result<Grammars, Error> {
        let read = |name: &str, embedded: &str| -> Result<String, Error> {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => Ok(text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(embedded.to_string()),
                Err(source) => Err(Error::Read { path, source }),
            }
        };
        if !dir.is_dir() {
            return Err(Error::Grammar(format!(
                "{} is not a folder (expected vocabulary.toml and values.toml in it)",
                dir.display()
            )));
        }
        Grammars::parse(&read("vocabulary.toml", VOCABULARY)?, &read("values.toml", VALUES)?)
    }

    pub fn parse(vocabulary: &str, values: &str) -> Result<Grammars, Error> {
        let v: VocabularyFile =
            toml::from_str(vocabulary).map_err(|e| Error::Grammar(format!("vocabulary.toml: {e}")))?;
        let x: ValuesFile = toml::from_str(values).map_err(|e| Error::Grammar(format!("values.toml: {e}")))?;

        let mut labels = HashMap::new();
        for (field, spellings) in &v.labels {
            let label = match field.as_str() {
                "project_name" => Label::ProjectName,
                "project_code" => Label::ProjectCode,
                "budget_block" => Label::BudgetBlock,
                "budget_total" => Label::BudgetTotal,
                "budget_fiscal" => Label::BudgetFiscal,
                "budget_other" => Label::BudgetOther,
                "purpose" => Label::Purpose,
                "spending_plan" => Label::SpendingPlan,
                "goal" => Label::Goal,
                "unit" => Label::Unit,
                "goal_block" => Label::GoalBlock,
                other => return Err(Error::Grammar(format!("vocabulary.toml: unknown label field `{other}`"))),
            };
            for s in spellings {
                labels.insert(label_key(s), label);
            }
        }
        let mut indicator_columns = HashMap::new();
        for (field, spellings) in &v.indicator_columns {
            let col = match field.as_str() {
                "level1" => IndicatorColumn::Level1,
                "level2" => IndicatorColumn::Level2,
                "level3" => IndicatorColumn::Level3,
                "description" => IndicatorColumn::Description,
                "value" => IndicatorColumn::Value,
                "basis" => IndicatorColumn::Basis,
                "operator" => IndicatorColumn::Operator,
                "unit" => IndicatorColumn::Unit,
                "weight" => IndicatorColumn::Weight,
                "actual" => IndicatorColumn::Actual,
                other => return Err(Error::Grammar(format!("vocabulary.toml: unknown indicator column `{other}`"))),
            };
            for s in spellings {
                indicator_columns.insert(label_key(s), col);
            }
        }
        let level2 = v.taxonomy.level2.iter().map(|(k, parents)| (label_key(k), parents.clone())).collect();

        let ops = |m: &BTreeMap<String, Vec<String>>| {
            by_length_desc(m.iter().flat_map(|(op, ss)| ss.iter().map(move |s| (nfkc(s), op.clone()))).collect())
        };
        let mut unit_aliases = HashMap::new();
        for (canon, spellings) in &x.unit_aliases {
            for s in spellings {
                unit_aliases.insert(nfkc(s), canon.clone());
            }
        }
        if let Some(long) = labels.keys().chain(indicator_columns.keys()).find(|k| k.len() > MAX_LABEL_BYTES - 6) {
            return Err(Error::Grammar(format!("label `{long}` is longer than {} bytes", MAX_LABEL_BYTES - 6)));
        }
        Ok(Grammars {
            heading_suffixes: v.heading.suffixes,
            labels,
            extra_labels: v.extra_labels.names.iter().map(|n| (label_key(n), n.clone())).collect(),
            amount_unit_prefixes: v.amount_unit.prefixes.iter().map(|p| compact(p)).collect(),
            unit_code_digits: v.unit_cell.code_digits,
            indicator_columns,
            level1: v.taxonomy.level1.iter().map(|s| label_key(s)).collect(),
            level2,
            department: v.department,
            prefix_comparators: ops(&x.prefix_comparators),
            suffix_comparators: ops(&x.suffix_comparators),
            unit_aliases,
            scale_prefixes: x.scale_prefixes.into_iter().collect(),
            unit_max_chars: x.unit.max_chars,
        })
    }

    pub fn label(&self, cell_text: &str) -> Option<Label> {
        self.labels.get(&short_key(cell_text)?).copied()
    }

    /// A label kept in `extra_fields`: returns its name as the vocabulary writes it.
    pub fn extra_label(&self, cell_text: &str) -> Option<&str> {
        self.extra_labels.get(&short_key(cell_text)?).map(String::as_str)
    }

    pub fn indicator_column(&self, cell_text: &str) -> Option<IndicatorColumn> {
        self.indicator_columns.get(&short_key(cell_text)?).copied()
    }

    /// Whether a line is a form's title (it ends with a heading suffix: …绩效目标表).
    pub fn is_heading(&self, text: &str) -> bool {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        self.heading_suffixes.iter().any(|s| compact.ends_with(s.as_str()))
    }

    /// Whether a cell's text is a vocabulary term: a label, an indicator column header or a
    /// level-1/level-2 indicator name.
    pub fn is_term(&self, s: &str) -> bool {
        self.label(s).is_some()
            || self.extra_label(s).is_some()
            || self.indicator_column(s).is_some()
            || self.is_level1(s)
            || self.is_level2(s)
    }

    /// Whether a text is the beginning of a vocabulary term without being one (`预算规模及资金用`
    /// of `预算规模及资金用途`): the first part of a term cut by a line or page break.
    pub fn starts_term(&self, s: &str) -> bool {
        let Some(k) = short_key(s) else { return false };
        if k.is_empty() || self.is_term(s) {
            return false;
        }
        let starts = |t: &String| t.len() > k.len() && t.starts_with(&k);
        self.labels.keys().any(starts)
            || self.extra_labels.keys().any(starts)
            || self.indicator_columns.keys().any(starts)
            || self.level1.iter().any(starts)
            || self.level2.keys().any(starts)
    }

    pub fn is_level1(&self, s: &str) -> bool {
        short_key(s).is_some_and(|k| self.level1.contains(&k))
    }

    pub fn is_level2(&self, s: &str) -> bool {
        short_key(s).is_some_and(|k| self.level2.contains_key(&k))
    }

    /// Whether `level2` belongs under `level1` in the taxonomy (unknown names are not judged).
    pub fn level2_belongs_to(&self, level2: &str, level1: &str) -> Option<bool> {
        let parents = self.level2.get(&label_key(level2))?;
        if !self.is_level1(level1) {
            return None;
        }
        let k1 = label_key(level1);
        Some(parents.iter().any(|p| label_key(p) == k1))
    }

    /// The header row of an indicator grid: most cells name indicator columns, among them a level
    /// column and the value column. Returns the column of each cell (None for unknown headers).
    pub fn indicator_header(&self, cells: &[String]) -> Option<Vec<Option<IndicatorColumn>>> {
        let cols: Vec<Option<IndicatorColumn>> = cells.iter().map(|c| self.indicator_column(c)).collect();
        let known = cols.iter().flatten().count();
        let has_level = cols.iter().any(|c| matches!(c, Some(IndicatorColumn::Level1 | IndicatorColumn::Level2)));
        let has_value = cols.contains(&Some(IndicatorColumn::Value));
        (known >= 3 && has_level && has_value).then_some(cols)
    }

    /// Whether a cell is the amount-unit declaration ("单位：万元"); returns the unit.
    pub fn amount_unit(&self, cell_text: &str) -> Option<String> {
        let first = cell_text.trim_start().chars().next()?;
        if !self.amount_unit_prefixes.iter().any(|p| p.starts_with(first)) || cell_text.len() > MAX_LABEL_BYTES {
            return None;
        }
        let k = compact(cell_text);
        self.amount_unit_prefixes.iter().find_map(|p| {
            k.strip_prefix(p.as_str()).filter(|u| !u.is_empty() && u.chars().count() <= 4).map(str::to_string)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_grammars_parse() {
        let g = Grammars::builtin();
        assert_eq!(g.label("其中：财政    资金"), Some(Label::BudgetFiscal));
        assert_eq!(g.label("项目名称："), Some(Label::ProjectName));
        assert_eq!(g.label("资金支出计划(%)"), Some(Label::SpendingPlan));
        assert_eq!(g.indicator_column("指标值确定依据"), Some(IndicatorColumn::Basis));
        assert!(g.is_level1("产出指标"));
        assert!(g.is_level2("可持续影响指标"));
        assert_eq!(g.level2_belongs_to("质量指标", "效益指标"), Some(false));
        assert_eq!(g.level2_belongs_to("质量指标", "产出指标"), Some(true));
        assert_eq!(g.amount_unit("单位：万元").as_deref(), Some("万元"));
        assert_eq!(g.amount_unit("单位：万元以上的说明文字"), None);
    }

    #[test]
    fn label_key_removes_whitespace_and_colons() {
        assert_eq!(label_key(" 其中：财政 \u{3000} 资金： "), "其中:财政资金");
    }

    #[test]
    fn comparators_are_longest_first() {
        let g = Grammars::builtin();
        let pos = |s: &str| g.prefix_comparators.iter().position(|(k, _)| k == s).unwrap();
        assert!(pos(">=") < pos(">"));
        assert!(pos("不低于") < pos("低于"));
    }

    #[test]
    fn unknown_label_field_is_an_error() {
        let bad = VOCABULARY.replace("project_code =", "project_kode =");
        let err = Grammars::parse(&bad, VALUES).unwrap_err().to_string();
        assert!(err.contains("project_kode"), "{err}");
    }
}
