//! The domain vocabulary under `grammars/`, loaded once. Header labels, indicator levels, unit
//! spellings and comparators are data, so a new variant is a change to a `.toml` file, not code.
//!
//! The files are embedded in the binary; every stage reads them through [`Grammars`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use serde::Deserialize;
use sha2::Digest as _;
use unicode_normalization::UnicodeNormalization;

use crate::error::Error;

const VOCABULARY: &str = include_str!("../grammars/vocabulary.toml");
const VALUES: &str = include_str!("../grammars/values.toml");
const FORMS: &str = include_str!("../grammars/forms.toml");
const PLACES: &str = include_str!("../grammars/places.toml");

/// The key labels are compared by: NFKC, no whitespace at all, no trailing colon.
/// `其中：财政    资金` and `其中:财政资金` give the same key.
pub fn label_key(s: &str) -> String {
    // An ideographic full stop inside a label is a stray mark (计量。单位), never part of it.
    let mut k: String = compact(s).chars().filter(|&c| c != '。').collect();
    while k.ends_with(':') {
        k.pop();
    }
    k
}

/// NFKC with all whitespace and invisible characters ([`is_invisible`]) removed. Most cells hold
/// only printable ASCII, unified ideographs and common Chinese punctuation, which NFKC leaves
/// alone: they skip the normalizer.
pub fn compact(s: &str) -> String {
    if s.chars().all(nfkc_stable) {
        s.split_whitespace().collect()
    } else {
        s.nfkc().filter(|&c| !c.is_whitespace() && !is_invisible(c)).collect()
    }
}

/// Control characters (but TAB and line ends) and format characters that show nothing: zero-
/// width spaces and joiners, bidirectional marks and overrides, the soft hyphen, a BOM inside
/// text. Copied text and hostile files carry them inside labels and values (`\x08件`,
/// `项目\u{200B}名称`); they are not part of what a reader sees.
pub fn is_invisible(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c,
            '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// The text without invisible characters ([`is_invisible`]): the normalized twin of a raw cell.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(is_invisible) {
        s.chars().filter(|&c| !is_invisible(c)).collect::<String>().into()
    } else {
        s.into()
    }
}

/// Characters NFKC maps to themselves and that are visible, checked by range (a subset:
/// anything else takes the normalizer).
fn nfkc_stable(c: char) -> bool {
    matches!(c,
        ' '..='~' | '\t' | '\n' | '\r'
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

/// The keys a label cell is looked up by: its whole key, then with trailing notes in parentheses
/// taken off one at a time (`全年预算数（A）（上年结转+…）` → `全年预算数(A)` → `全年预算数`).
/// Cells much longer than any label are content and give no key.
pub fn label_keys(s: &str) -> impl Iterator<Item = String> {
    let bytes = s.bytes().filter(|b| !b.is_ascii_whitespace()).count();
    let mut next = (bytes <= 4 * MAX_LABEL_BYTES).then(|| label_key(s));
    std::iter::from_fn(move || loop {
        let k = next.take()?;
        next = strip_last_note(&k);
        if k.len() <= MAX_LABEL_BYTES {
            return Some(k);
        }
    })
}

/// The key without its last parenthesized note, if it ends with one (after NFKC, parentheses
/// are ASCII).
fn strip_last_note(k: &str) -> Option<String> {
    if !k.ends_with(')') {
        return None;
    }
    let mut depth = 0;
    for (i, c) in k.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    let rest = k[..i].trim_end_matches(':');
                    return (!rest.is_empty()).then(|| rest.to_string());
                }
            }
            _ => {}
        }
    }
    None
}

/// A project-block field a label cell introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    /// A label whose row holds sub-labels and whose next row their values, column by column.
    ColumnBlock,
    /// A label naming a group of rows: label | value pairs, or a small table with a header row.
    Group,
}

/// A column of the indicator grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    /// 绩效指标 holding the three levels run together in one cell (Beijing 预算13表:
    /// `产出指标数量指标参保人参保意愿调查样本`), split by the level vocabulary.
    Packed,
}

/// The kind of record a form holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// Targets of one budget project (项目支出绩效目标).
    Project,
    /// Targets of a whole department (部门整体绩效目标).
    Department,
    /// Targets beside the values achieved (绩效自评).
    SelfEvaluation,
    /// Targets of a special fund as a whole (专项资金绩效目标), spent through many projects.
    SpecialFund,
    /// Targets of a transfer payment to lower governments (转移支付绩效目标).
    Transfer,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Project => "project",
            RecordKind::Department => "department",
            RecordKind::SelfEvaluation => "self_evaluation",
            RecordKind::SpecialFund => "special_fund",
            RecordKind::Transfer => "transfer",
        }
    }
}

/// A published form (layout), from `grammars/forms.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct Form {
    pub id: String,
    pub name: String,
    pub kind: RecordKind,
    titles: Vec<String>,
    markers: Vec<String>,
}

#[derive(Deserialize)]
struct PlacesFile {
    municipalities: Vec<String>,
    prefecture_suffixes: Vec<String>,
    county_suffixes: Vec<String>,
    provinces: BTreeMap<String, ProvinceEntry>,
    courts: CourtsSection,
    org_kinds: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct ProvinceEntry {
    short: Vec<String>,
    prefectures: Vec<String>,
}

#[derive(Deserialize)]
struct CourtsSection {
    level: BTreeMap<String, Vec<String>>,
    special: BTreeMap<String, Vec<String>>,
}

/// The gazetteer and organization words of `grammars/places.toml`.
#[derive(Debug, Clone)]
pub struct Places {
    pub municipalities: Vec<String>,
    pub prefecture_suffixes: Vec<String>,
    pub county_suffixes: Vec<String>,
    /// (spelling, full province name), longest spelling first: full names and short forms of
    /// two characters or more.
    province_spellings: Vec<(String, String)>,
    /// (spelling, province, prefecture), longest spelling first: full names, and names without
    /// their suffix when two characters or more remain.
    prefecture_spellings: Vec<(String, String, String)>,
    pub court_levels: Vec<(String, Vec<String>)>,
    pub special_courts: Vec<(String, Vec<String>)>,
    org_kinds: Vec<(String, Vec<String>)>,
}

impl Places {
    fn from_file(f: PlacesFile) -> Places {
        let mut province_spellings = Vec::new();
        let mut prefecture_spellings = Vec::new();
        for (full, entry) in &f.provinces {
            province_spellings.push((full.clone(), full.clone()));
            for short in entry.short.iter().filter(|s| s.chars().count() >= 2) {
                province_spellings.push((short.clone(), full.clone()));
            }
            for pref in &entry.prefectures {
                prefecture_spellings.push((pref.clone(), full.clone(), pref.clone()));
                if let Some(stem) = f.prefecture_suffixes.iter().find_map(|s| pref.strip_suffix(s.as_str())) {
                    if stem.chars().count() >= 2 {
                        prefecture_spellings.push((stem.to_string(), full.clone(), pref.clone()));
                    }
                }
            }
        }
        province_spellings.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then(a.cmp(b)));
        prefecture_spellings.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then(a.cmp(b)));
        Places {
            municipalities: f.municipalities,
            prefecture_suffixes: f.prefecture_suffixes,
            county_suffixes: f.county_suffixes,
            province_spellings,
            prefecture_spellings,
            court_levels: f.courts.level.into_iter().collect(),
            special_courts: f.courts.special.into_iter().collect(),
            org_kinds: f.org_kinds.into_iter().collect(),
        }
    }

    /// The province a name starts with, and the byte length of its spelling there.
    pub fn province_prefix(&self, name: &str) -> Option<(&str, usize)> {
        self.province_spellings
            .iter()
            .find(|(s, _)| name.starts_with(s.as_str()))
            .map(|(s, full)| (full.as_str(), s.len()))
    }

    /// The known prefecture a name starts with (within `province` when given): its province,
    /// its full name and the byte length of its spelling there.
    pub fn prefecture_prefix(&self, name: &str, province: Option<&str>) -> Option<(&str, &str, usize)> {
        self.prefecture_spellings
            .iter()
            .filter(|(_, p, _)| province.is_none_or(|q| q == p))
            .find(|(s, _, _)| name.starts_with(s.as_str()))
            .map(|(s, p, full)| (p.as_str(), full.as_str(), s.len()))
    }

    /// The kind of organization whose word, found in the name, is the longest.
    pub fn org_kind(&self, name: &str) -> Option<&str> {
        self.org_kinds
            .iter()
            .flat_map(|(k, ws)| ws.iter().filter(|w| name.contains(w.as_str())).map(move |w| (k, w.chars().count())))
            .max_by_key(|(_, n)| *n)
            .map(|(k, _)| k.as_str())
    }
}

#[derive(Deserialize)]
struct FormsFile {
    version: u32,
    form: Vec<Form>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularyFile {
    #[allow(dead_code)]
    version: u32,
    heading: HeadingSection,
    labels: BTreeMap<Label, Vec<String>>,
    extra_labels: ExtraLabelsSection,
    #[serde(default)]
    label_meanings: Vec<Meaning<Label>>,
    amount_unit: PrefixSection,
    unit_cell: UnitCellSection,
    indicator_columns: BTreeMap<IndicatorColumn, Vec<String>>,
    #[serde(default)]
    column_fallbacks: BTreeMap<String, IndicatorColumn>,
    #[serde(default)]
    column_meanings: Vec<Meaning<IndicatorColumn>>,
    taxonomy: TaxonomySection,
    department: DepartmentSection,
    unrecognized: UnrecognizedSection,
}

/// A label or header read by what it says rather than by an exact spelling: it names `field`
/// when it contains every term of `all`, one of `any` (when given) and none of `not`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meaning<F> {
    #[serde(alias = "column")]
    pub field: F,
    #[serde(default)]
    pub all: Vec<String>,
    #[serde(default)]
    pub any: Vec<String>,
    #[serde(default)]
    pub not: Vec<String>,
}

impl<F: Copy> Meaning<F> {
    fn matches(&self, key: &str) -> bool {
        self.all.iter().all(|t| key.contains(t.as_str()))
            && (self.any.is_empty() || self.any.iter().any(|t| key.contains(t.as_str())))
            && !self.not.iter().any(|t| key.contains(t.as_str()))
            && !(self.all.is_empty() && self.any.is_empty())
    }
}

/// How a label or header was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum By {
    /// By the terms it contains (`label_meanings`, `column_meanings`).
    Meaning,
    /// A listed spelling once its notes in parentheses are set aside.
    Spelling,
    /// A listed spelling, as written.
    Exact,
}

impl By {
    pub fn as_str(self) -> &'static str {
        match self {
            By::Meaning => "meaning",
            By::Spelling => "spelling",
            By::Exact => "exact",
        }
    }
}

/// How an indicator grid's header row was read: the column of each cell, how it was told,
/// and what had to be decided (two headers naming one column).
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderReading {
    pub columns: Vec<Option<IndicatorColumn>>,
    pub by: Vec<Option<By>>,
    pub notes: Vec<String>,
}

/// A meaning is looked for only in short cells without digits: labels, not content.
const MAX_MEANING_CHARS: usize = 12;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnrecognizedSection {
    hints: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeadingSection {
    suffixes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtraLabelsSection {
    names: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrefixSection {
    prefixes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitCellSection {
    code_digits: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
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
#[derive(Debug, Clone)]
pub struct Grammars {
    /// A hash of the grammar files' text: datasets built with other grammars are rebuilt.
    pub fingerprint: String,
    pub heading_suffixes: Vec<String>,
    labels: HashMap<String, Label>,
    /// label key → the label as written in the vocabulary.
    extra_labels: HashMap<String, String>,
    label_meanings: Vec<Meaning<Label>>,
    /// Header key → the column a header reads as when its own column is taken by a better
    /// header (`指标内容` is the description beside a 三级指标 column).
    column_fallbacks: HashMap<String, IndicatorColumn>,
    column_meanings: Vec<Meaning<IndicatorColumn>>,
    pub amount_unit_prefixes: Vec<String>,
    pub unit_code_digits: usize,
    indicator_columns: HashMap<String, IndicatorColumn>,
    level1: Vec<String>,
    level2: HashMap<String, Vec<String>>,
    pub department: DepartmentSection,
    /// Words that make an unknown table look like a performance-target form (`unrecognized`).
    pub form_hints: Vec<String>,
    /// (spelling after NFKC, operator), longest spelling first.
    pub prefix_comparators: Vec<(String, String)>,
    pub suffix_comparators: Vec<(String, String)>,
    /// NFKC spelling → canonical unit.
    pub unit_aliases: HashMap<String, String>,
    pub scale_prefixes: Vec<(String, f64)>,
    pub unit_max_chars: usize,
    /// The forms, in file order (the first is the default), and the file's version.
    pub forms: Vec<Form>,
    pub forms_version: u32,
    pub places: Places,
}

fn nfkc(s: &str) -> String {
    s.nfkc().collect()
}

fn nfkc_meaning<F: Copy>(m: &Meaning<F>) -> Meaning<F> {
    let terms = |v: &[String]| v.iter().map(|t| compact(t)).collect();
    Meaning { field: m.field, all: terms(&m.all), any: terms(&m.any), not: terms(&m.not) }
}

/// The key a meaning is looked for in: the label without its notes and without a year
/// (`2023年指标值`), when it is short and holds no other digits (a label, not content).
fn meaning_key(s: &str) -> Option<String> {
    let k = label_keys(s).last()?;
    let k = without_years(&k);
    (!k.is_empty() && k.chars().count() <= MAX_MEANING_CHARS && !k.chars().any(|c| c.is_ascii_digit())).then_some(k)
}

/// The text without `YYYY年` / `YYYY年度`.
fn without_years(k: &str) -> String {
    let chars: Vec<char> = k.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let year = i + 5 <= chars.len() && chars[i..i + 4].iter().all(|c| c.is_ascii_digit()) && chars[i + 4] == '年';
        if year {
            i += 5;
            if chars.get(i) == Some(&'度') {
                i += 1;
            }
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// An indicator column as the output names it.
fn column_label(c: IndicatorColumn) -> &'static str {
    match c {
        IndicatorColumn::Level1 => "level1",
        IndicatorColumn::Level2 => "level2",
        IndicatorColumn::Level3 => "level3",
        IndicatorColumn::Description => "description",
        IndicatorColumn::Value => "value",
        IndicatorColumn::Basis => "basis",
        IndicatorColumn::Operator => "operator",
        IndicatorColumn::Unit => "unit",
        IndicatorColumn::Weight => "weight",
        IndicatorColumn::Actual => "actual",
        IndicatorColumn::Packed => "packed levels",
    }
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
            Grammars::parse(VOCABULARY, VALUES, FORMS, PLACES)
                .expect("embedded grammars/ files are valid (checked by tests)")
        })
    }

    /// Grammars from a folder holding `vocabulary.toml`, `values.toml`, `forms.toml` and/or
    /// `places.toml`
    /// (`--grammars DIR`); a file the folder lacks is the embedded one.
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
                "{} is not a folder (expected vocabulary.toml, values.toml, forms.toml or places.toml in it)",
                dir.display()
            )));
        }
        Grammars::parse(
            &read("vocabulary.toml", VOCABULARY)?,
            &read("values.toml", VALUES)?,
            &read("forms.toml", FORMS)?,
            &read("places.toml", PLACES)?,
        )
    }

    pub fn parse(vocabulary: &str, values: &str, forms: &str, places_text: &str) -> Result<Grammars, Error> {
        let places: PlacesFile =
            toml::from_str(places_text).map_err(|e| Error::Grammar(format!("places.toml: {e}")))?;
        let v: VocabularyFile =
            toml::from_str(vocabulary).map_err(|e| Error::Grammar(format!("vocabulary.toml: {e}")))?;
        let f: FormsFile = toml::from_str(forms).map_err(|e| Error::Grammar(format!("forms.toml: {e}")))?;
        if f.form.is_empty() {
            return Err(Error::Grammar("forms.toml: no [[form]]".into()));
        }
        let x: ValuesFile = toml::from_str(values).map_err(|e| Error::Grammar(format!("values.toml: {e}")))?;

        // Every spelling once: a key under two fields (or a label both read and only kept) is
        // refused, naming both.
        let mut labels: HashMap<String, Label> = HashMap::new();
        for (field, spellings) in &v.labels {
            for spelling in spellings {
                if let Some(other) = labels.insert(label_key(spelling), *field) {
                    if other != *field {
                        return Err(Error::Grammar(format!(
                            "vocabulary.toml: `{spelling}` is listed under [labels] {other:?} and {field:?}: one label names one field"
                        )));
                    }
                }
            }
        }
        for name in &v.extra_labels.names {
            if let Some(field) = labels.get(&label_key(name)) {
                return Err(Error::Grammar(format!(
                    "vocabulary.toml: `{name}` is both a label of {field:?} ([labels]) and an extra label ([extra_labels])"
                )));
            }
        }
        let mut indicator_columns: HashMap<String, IndicatorColumn> = HashMap::new();
        for (col, spellings) in &v.indicator_columns {
            for spelling in spellings {
                if let Some(other) = indicator_columns.insert(label_key(spelling), *col) {
                    if other != *col {
                        return Err(Error::Grammar(format!(
                            "vocabulary.toml: `{spelling}` is listed under [indicator_columns] {other:?} and {col:?}"
                        )));
                    }
                }
            }
        }
        for (header, col) in &v.column_fallbacks {
            if !indicator_columns.contains_key(&label_key(header)) {
                return Err(Error::Grammar(format!(
                    "vocabulary.toml: [column_fallbacks] `{header}` ({col:?}) is not a header of [indicator_columns]"
                )));
            }
        }
        for m in &v.label_meanings {
            if m.all.is_empty() && m.any.is_empty() {
                return Err(Error::Grammar(format!(
                    "vocabulary.toml: a [[label_meanings]] of {:?} has no terms",
                    m.field
                )));
            }
        }
        for m in &v.column_meanings {
            if m.all.is_empty() && m.any.is_empty() {
                return Err(Error::Grammar(format!(
                    "vocabulary.toml: a [[column_meanings]] of {:?} has no terms",
                    m.field
                )));
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
        let mut hasher = sha2::Sha256::new();
        for text in [vocabulary, values, forms, places_text] {
            sha2::Digest::update(&mut hasher, text.as_bytes());
            sha2::Digest::update(&mut hasher, [0u8]);
        }
        let fingerprint = sha2::Digest::finalize(hasher).iter().take(8).map(|b| format!("{b:02x}")).collect();
        Ok(Grammars {
            fingerprint,
            heading_suffixes: v.heading.suffixes,
            labels,
            extra_labels: v.extra_labels.names.iter().map(|n| (label_key(n), n.clone())).collect(),
            label_meanings: v.label_meanings.iter().map(|m| nfkc_meaning(m)).collect(),
            column_fallbacks: v.column_fallbacks.iter().map(|(h, c)| (label_key(h), *c)).collect(),
            column_meanings: v.column_meanings.iter().map(|m| nfkc_meaning(m)).collect(),
            amount_unit_prefixes: v.amount_unit.prefixes.iter().map(|p| compact(p)).collect(),
            unit_code_digits: v.unit_cell.code_digits,
            indicator_columns,
            level1: v.taxonomy.level1.iter().map(|s| label_key(s)).collect(),
            level2,
            department: v.department,
            form_hints: v.unrecognized.hints,
            prefix_comparators: ops(&x.prefix_comparators),
            suffix_comparators: ops(&x.suffix_comparators),
            unit_aliases,
            scale_prefixes: x.scale_prefixes.into_iter().collect(),
            unit_max_chars: x.unit.max_chars,
            forms: f.form,
            forms_version: f.version,
            places: Places::from_file(places),
        })
    }

    /// The field a label cell names by its spelling (notes in parentheses set aside).
    pub fn label(&self, cell_text: &str) -> Option<Label> {
        self.label_match(cell_text).map(|(l, _)| l)
    }

    /// [`Grammars::label`], and how.
    pub fn label_match(&self, cell_text: &str) -> Option<(Label, By)> {
        label_keys(cell_text)
            .enumerate()
            .find_map(|(i, k)| self.labels.get(&k).map(|l| (*l, if i == 0 { By::Exact } else { By::Spelling })))
    }

    /// The field a label cell names by what it says (`label_meanings`), when no spelling does.
    pub fn label_by_meaning(&self, cell_text: &str) -> Option<Label> {
        let k = meaning_key(cell_text)?;
        self.label_meanings.iter().find(|m| m.matches(&k)).map(|m| m.field)
    }

    /// A label kept in `extra_fields`: returns its name as the vocabulary writes it.
    pub fn extra_label(&self, cell_text: &str) -> Option<&str> {
        label_keys(cell_text).find_map(|k| self.extra_labels.get(&k).map(String::as_str))
    }

    /// The form a project block was published in: by its title (the longest title pattern it
    /// contains), else by the most markers among the label keys it holds, else the first form.
    pub fn form(&self, title: Option<&str>, label_keys: &[String]) -> &Form {
        if let Some(t) = title.map(compact) {
            let by_title = self
                .forms
                .iter()
                .flat_map(|f| f.titles.iter().map(move |p| (f, compact(p))))
                .filter(|(_, p)| t.contains(p.as_str()))
                .max_by_key(|(_, p)| p.chars().count());
            if let Some((f, _)) = by_title {
                return f;
            }
        }
        let hits = |f: &Form| f.markers.iter().filter(|m| label_keys.contains(&label_key(m))).count();
        self.forms
            .iter()
            .filter(|f| hits(f) > 0)
            .max_by_key(|f| (hits(f), std::cmp::Reverse(self.forms.iter().position(|g| g.id == f.id))))
            .unwrap_or(&self.forms[0])
    }

    /// The column a grid header names: by spelling, as written or with its notes in
    /// parentheses set aside (`指标值（2023年）`), else by what it says (`column_meanings`).
    pub fn indicator_column(&self, cell_text: &str) -> Option<IndicatorColumn> {
        self.column_match(cell_text).map(|(c, _)| c)
    }

    /// [`Grammars::indicator_column`], and how.
    pub fn column_match(&self, cell_text: &str) -> Option<(IndicatorColumn, By)> {
        let spelled = label_keys(cell_text).enumerate().find_map(|(i, k)| {
            self.indicator_columns.get(&k).map(|c| (*c, if i == 0 { By::Exact } else { By::Spelling }))
        });
        spelled.or_else(|| {
            let k = meaning_key(cell_text)?;
            self.column_meanings.iter().find(|m| m.matches(&k)).map(|m| (m.field, By::Meaning))
        })
    }

    /// Whether a line is a form's title (it ends with a heading suffix: …绩效目标表).
    pub fn is_heading(&self, text: &str) -> bool {
        let key = compact(text);
        self.heading_suffixes.iter().any(|s| key.ends_with(compact(s).as_str()))
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

    /// Splits a cell holding the levels run together (`产出指标数量指标参保人参保意愿调查样本`)
    /// into level 1, level 2 and the level-3 name, by the taxonomy.
    pub fn packed_levels(&self, text: &str) -> Option<(String, String, String)> {
        let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        crate::recognize::grammar::packed_levels(&flat, &self.level1, &self.level2)
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
        self.header_reading(cells).map(|h| h.columns)
    }

    /// [`Grammars::indicator_header`], with how each header was read. Two headers naming one
    /// column: the better reading wins (as written, then with notes set aside, then by
    /// meaning; on a tie, the header that has somewhere else to go yields — `指标内容` beside
    /// `三级指标` is the description — else the first); the other reads as its fallback, or is
    /// left to extra_fields, with a note either way.
    pub fn header_reading(&self, cells: &[String]) -> Option<HeaderReading> {
        let matches: Vec<Option<(IndicatorColumn, By)>> = cells.iter().map(|c| self.column_match(c)).collect();
        let known = matches.iter().flatten().count();
        // A header row is told by spellings; meanings only read its other cells.
        let spelled = matches.iter().flatten().filter(|(_, by)| *by != By::Meaning).count();
        let has = |f: &dyn Fn(IndicatorColumn) -> bool| matches.iter().flatten().any(|(c, _)| f(*c));
        let has_level =
            has(&|c| matches!(c, IndicatorColumn::Level1 | IndicatorColumn::Level2 | IndicatorColumn::Packed));
        let has_value = has(&|c| c == IndicatorColumn::Value);
        // Chongqing's grids name no levels: 指标名称 | 指标性质 | 指标值 | 计量单位 | 指标权重.
        let named_only = known >= 4 && has(&|c| c == IndicatorColumn::Level3);
        if !(known >= 3 && spelled >= 2 && (has_level || named_only) && has_value) {
            return None;
        }
        let fallback = |i: usize| label_keys(&cells[i]).find_map(|k| self.column_fallbacks.get(&k).copied());
        let mut columns: Vec<Option<IndicatorColumn>> = matches.iter().map(|m| m.map(|(c, _)| c)).collect();
        let mut by: Vec<Option<By>> = matches.iter().map(|m| m.map(|(_, b)| b)).collect();
        let mut notes = Vec::new();
        let name = |i: usize| cells[i].split_whitespace().collect::<String>();
        // Settle one column at a time; a header moved to its fallback may meet another there.
        for _ in 0..cells.len() {
            let mut changed = false;
            for col in matches.iter().flatten().map(|(c, _)| *c).collect::<BTreeSet<_>>() {
                let rivals: Vec<usize> = (0..cells.len()).filter(|&i| columns[i] == Some(col)).collect();
                if rivals.len() < 2 {
                    continue;
                }
                let rank = |i: usize| (by[i], fallback(i).filter(|f| *f != col).is_none(), std::cmp::Reverse(i));
                let winner = *rivals.iter().max_by_key(|&&i| rank(i)).expect("two rivals");
                for i in rivals.into_iter().filter(|&i| i != winner) {
                    match fallback(i).filter(|f| *f != col) {
                        Some(f) => {
                            notes.push(format!(
                                "the header {} reads as {} beside {}",
                                name(i),
                                column_label(f),
                                name(winner)
                            ));
                            columns[i] = Some(f);
                        }
                        None => {
                            notes.push(format!(
                                "the headers {} and {} both name {}: {} is read as it, {} kept in extra_fields",
                                name(winner),
                                name(i),
                                column_label(col),
                                name(winner),
                                name(i)
                            ));
                            columns[i] = None;
                            by[i] = None;
                        }
                    }
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        Some(HeaderReading { columns, by, notes })
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
    fn invisible_characters_are_not_part_of_a_key() {
        assert_eq!(label_key("项目\u{200B}名称\u{202E}："), "项目名称");
        assert_eq!(compact("≥5\x08件"), "≥5件");
        assert_eq!(visible("部门\u{FEFF}整体"), "部门整体");
        assert_eq!(visible("≥97%"), "≥97%");
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
        let err = Grammars::parse(&bad, VALUES, FORMS, PLACES).unwrap_err().to_string();
        assert!(err.contains("project_kode"), "{err}");
    }
}
