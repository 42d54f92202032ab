//! The output schema, declared once: for every table, its columns with name, type, meaning and
//! an example from the seeds. The Parquet writer and `SCHEMA.md` (via `budget-extract schema`)
//! are both generated from these declarations.
//!
//! The columns named in the issue's contract (`source_file`, `table_index`, `unit_code`, …,
//! `basis`) are read by downstream queries and `eval/score.py`: never rename them.

use crate::records::{CellRecord, DepartmentGoalRecord, DocumentRecord, IndicatorRecord, ProjectRecord};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Utf8,
    Int32,
    Int64,
    /// `decimal(18,6)`: an exact number (amounts, targets, weights).
    Decimal,
    Bool,
    /// A list of strings (warnings).
    Utf8List,
}

impl Kind {
    pub fn sql(self) -> &'static str {
        match self {
            Kind::Utf8 => "string",
            Kind::Int32 => "int32",
            Kind::Int64 => "int64",
            Kind::Decimal => "decimal(18,6)",
            Kind::Bool => "boolean",
            Kind::Utf8List => "list<string>",
        }
    }
}

/// One value of one row, borrowed from the record.
pub enum Value<'a> {
    Str(Option<&'a str>),
    I32(Option<i32>),
    I64(Option<i64>),
    Dec(Option<crate::normalize::decimal::Decimal>),
    Bool(bool),
    List(&'a [String]),
}

pub struct Column<R> {
    pub name: &'static str,
    pub kind: Kind,
    pub nullable: bool,
    /// Dictionary-encode (repetitive values); off for long free text.
    pub dictionary: bool,
    pub doc: &'static str,
    pub example: &'static str,
    pub get: for<'a> fn(&'a R) -> Value<'a>,
}

pub trait Table: Sized {
    /// File name in the output folder, without `.parquet`.
    const NAME: &'static str;
    const DOC: &'static str;
    fn columns() -> Vec<Column<Self>>;
}

fn s(v: &Option<String>) -> Value<'_> {
    Value::Str(v.as_deref())
}

macro_rules! col {
    ($name:literal, $kind:ident, nullable = $n:expr, dict = $d:expr, $doc:literal, $ex:literal, $get:expr) => {
        Column { name: $name, kind: Kind::$kind, nullable: $n, dictionary: $d, doc: $doc, example: $ex, get: $get }
    };
}

/// The columns of who published a record, read from its unit name (see
/// [`crate::normalize::place`]); the same in every table that names a unit.
macro_rules! origin_columns {
    () => {
        vec![
            col!("province", Utf8, nullable = true, dict = true, "Province-level division named by the unit (河北省, 天津市, 广西壮族自治区); null when the name shows none.", "河北省", |r: &Self| s(&r.origin.province)),
            col!("prefecture", Utf8, nullable = true, dict = true, "Prefecture-level division (承德市, 湛江市, 延边朝鲜族自治州); null for municipalities (直辖市) and when the name shows none.", "承德市", |r: &Self| s(&r.origin.prefecture)),
            col!("county", Utf8, nullable = true, dict = true, "County-level division (河北区, 普陀区, …); null when the name shows none.", "河北区", |r: &Self| s(&r.origin.county)),
            col!("court_level", Utf8, nullable = true, dict = true, "For courts: 最高, 高级, 中级, 基层 or 专门 (special courts); null for other organizations.", "中级", |r: &Self| s(&r.origin.court_level)),
            col!("court_type", Utf8, nullable = true, dict = true, "For special courts: 海事, 知识产权, 互联网, 铁路运输, 金融, …", "海事", |r: &Self| s(&r.origin.court_type)),
            col!("org_kind", Utf8, nullable = true, dict = true, "Kind of organization read from the unit name: 法院, 财政, 人力资源和社会保障, 街道乡镇, … (grammars/places.toml).", "法院", |r: &Self| s(&r.origin.org_kind)),
        ]
    };
}

impl Table for DocumentRecord {
    const NAME: &'static str = "documents";
    const DOC: &'static str = "One row per input file, whatever happened to it.";
    fn columns() -> Vec<Column<Self>> {
        vec![
            col!("source_file", Utf8, nullable = false, dict = false, "The input file: the name of the folder given as input (or of the folder holding a file given), then the path below it, `/`-separated — the same on every machine, however the input was spelled or mounted. Bytes of a name that are not UTF-8 are written `\\xNN`, a backslash `\\\\`.", "samples/000_5439077655b7c2d3.txt", |r| Value::Str(Some(&r.source_file))),
            col!("source_root", Utf8, nullable = true, dict = true, "The folder `source_file` is relative to, on the machine that ran (absolute): `source_root/source_file` is the file read.", "/work/main", |r| s(&r.source_root)),
            col!("format", Utf8, nullable = false, dict = true, "Format detected from the content: text, html, docx, xlsx, xls, pdf, zip, ole, doc, rtf, binary (docx for a .doc or .rtf converted by LibreOffice: see converted_from).", "text", |r| Value::Str(Some(&r.format))),
            col!("encoding", Utf8, nullable = true, dict = true, "Text encoding of text inputs and HTML pages (UTF-8, GB18030, GBK, UTF-16LE/BE); for a page whose declared charset was wrong, also what it declared: UTF-8 (declared GBK).", "UTF-8", |r| s(&r.encoding)),
            col!("bytes", Int64, nullable = false, dict = false, "File size in bytes.", "6153", |r| Value::I64(Some(r.bytes as i64))),
            col!("sha256", Utf8, nullable = false, dict = false, "SHA-256 of the file's bytes, hex.", "b925c6e9cbc7e306…", |r| Value::Str(Some(&r.sha256))),
            col!("status", Utf8, nullable = false, dict = true, "ok, partial (records produced, something could not be placed), no_tables (readable, no target table), unrecognized (a table that looks like a target form in an unknown layout; the reason lists its header cells), failed (unreadable), timeout (past --doc-timeout).", "ok", |r| Value::Str(Some(r.status.as_str()))),
            col!("reason", Utf8, nullable = true, dict = false, "Why the status is not ok, in words that say what to do.", "OLE compound file: a legacy binary .doc/.xls or an encrypted Office file; …", |r| s(&r.reason)),
            col!("fiscal_year", Int32, nullable = true, dict = false, "Document-level fiscal year: the year its target tables' titles name most, else the most frequent YYYY年度 in its text, else a year in the file's path; null when none says.", "2023", |r| Value::I32(r.fiscal_year)),
            col!("projects", Int32, nullable = false, dict = false, "Number of project rows produced.", "7", |r| Value::I32(Some(r.projects as i32))),
            col!("indicators", Int32, nullable = false, dict = false, "Number of indicator rows produced.", "63", |r| Value::I32(Some(r.indicators as i32))),
            col!("department_goals", Int32, nullable = false, dict = false, "Number of department_goals rows produced.", "25", |r| Value::I32(Some(r.department_goals as i32))),
            col!("tables", Int32, nullable = false, dict = false, "Tables in the document.", "16", |r| Value::I32(Some(r.tables as i32))),
            col!("tables_read", Int32, nullable = false, dict = false, "Tables the recognizer took anything from (their cells are the ones accounted for).", "7", |r| Value::I32(Some(r.tables_read as i32))),
            col!("table_chars", Int64, nullable = false, dict = false, "Characters (without whitespace) in the non-empty cells of the tables read.", "8431", |r| Value::I64(Some(r.table_chars as i64))),
            col!("placed_chars", Int64, nullable = false, dict = false, "Of table_chars, those in cells placed in the records: a field, extra_fields, a label or header that named one, a year line. Equal to table_chars in an `ok` document; what is missing is quoted in the reason and the warnings.", "8431", |r| Value::I64(Some(r.placed_chars as i64))),
            col!("placeholder_rows", Int32, nullable = false, dict = false, "Template rows of the indicator grids read: level names printed by the form with nothing beside them (no indicator name, value or other cell). They are not indicator rows; their cells are `placeholder` in cells.parquet. An empty template (every row such, no name or amount) gives no record and a warning.", "4", |r| Value::I32(Some(r.placeholder_rows as i32))),
            col!("forms", Utf8List, nullable = false, dict = true, "The forms (grammars/forms.toml) the document's records were read as, `id@version`, in order of first use.", r#"["project-targets@1"]"#, |r| Value::List(&r.forms)),
            col!("warnings", Utf8List, nullable = false, dict = true, "Document-level warnings.", "[]", |r| Value::List(&r.warnings)),
            col!("program", Utf8, nullable = false, dict = true, "The program and version that read the file.", "budget-extract 0.1.0", |r| Value::Str(Some(r.program))),
            col!("grammars", Utf8, nullable = true, dict = true, "Fingerprint of the grammar files the file was read with (a hash of grammars/*.toml, or of --grammars DIR's); null for files not read.", "3f2a9c1d0b7e4a51", |r| s(&r.grammars)),
            col!("converted_from", Utf8, nullable = true, dict = true, "The file's own format when LibreOffice converted it to .docx before reading (doc — also WPS Writer's .wps —, rtf); format is then docx. Null for files read as they are.", "doc", |r| s(&r.converted_from)),
            col!("chars_outside_tables", Int64, nullable = true, dict = false, "PDFs: characters (without whitespace) of the pages' text read as paragraphs, outside every table (titles, notes, prose); null for other formats.", "412", |r| Value::I64(r.chars_outside_tables.map(|n| n as i64))),
            col!("chars_set_aside", Int64, nullable = true, dict = false, "PDFs: characters (without whitespace) set aside, never read: page numbers and running lines in the margins, slanted watermarks, text outside the clipping path that no ruled cell's clip hid (quoted in the warnings), a table's header row repeated on its next page; null for other formats. With table cells and chars_outside_tables, every character of the text layer is accounted for.", "36", |r| Value::I64(r.chars_set_aside.map(|n| n as i64))),
        ]
    }
}

impl Table for ProjectRecord {
    const NAME: &'static str = "projects";
    const DOC: &'static str = "One row per project table (项目支出绩效目标表), or per department (部门整体绩效目标表).";
    fn columns() -> Vec<Column<Self>> {
        let mut cols: Vec<Column<Self>> = vec![
            col!(
                "source_file",
                Utf8,
                nullable = false,
                dict = true,
                "The input file, as in documents.source_file.",
                "samples/000_5439077655b7c2d3.txt",
                |r| Value::Str(Some(&r.source_file))
            ),
            col!(
                "document_id",
                Utf8,
                nullable = false,
                dict = true,
                "SHA-256 of the input file's bytes (documents.sha256): a content id to join on, whatever the file is called.",
                "b925c6e9cbc7e306…",
                |r| Value::Str(Some(&r.document_id))
            ),
            col!(
                "table_index",
                Int32,
                nullable = false,
                dict = false,
                "1-based order of the project in its file.",
                "4",
                |r| Value::I32(Some(r.table_index as i32))
            ),
            col!(
                "location",
                Utf8,
                nullable = false,
                dict = false,
                "Extent of the project in the source (lines of a text dump; table/row of a docx; page of a pdf).",
                "lines 317-385",
                |r| Value::Str(Some(&r.location))
            ),
            col!(
                "title",
                Utf8,
                nullable = true,
                dict = false,
                "Heading of the table without bookmarks and numbering; null when the table has none.",
                "刑场建设项目绩效目标表",
                |r| s(&r.title)
            ),
            col!(
                "unit_raw",
                Utf8,
                nullable = true,
                dict = true,
                "The unit cell as published.",
                "207101天津市河北区人民法院",
                |r| s(&r.unit_raw)
            ),
            col!(
                "unit_code",
                Utf8,
                nullable = true,
                dict = true,
                "Unit code (the leading digits of the unit cell).",
                "207101",
                |r| s(&r.unit_code)
            ),
            col!(
                "unit_name",
                Utf8,
                nullable = true,
                dict = true,
                "Unit name.",
                "天津市河北区人民法院",
                |r| s(&r.unit_name)
            ),
        ];
        cols.extend(origin_columns!());
        cols.extend::<Vec<Column<Self>>>(vec![
            col!("form", Utf8, nullable = true, dict = true, "The form the table was read as (grammars/forms.toml): project-targets, project-targets-fill-in, project-application, department-targets, self-evaluation, …", "project-targets", |r| s(&r.form)),
            col!("record_kind", Utf8, nullable = false, dict = true, "project (项目支出绩效目标), department (部门整体绩效目标: the row is the whole department, project_name null) self_evaluation (绩效自评: indicators carry actual values), special_fund (专项资金绩效目标: a special fund as a whole, project_name the fund's name) or transfer (转移支付绩效目标: a transfer payment to lower governments, project_name the transfer's name).", "project", |r| Value::Str(Some(r.record_kind))),
            col!("fiscal_year", Int32, nullable = true, dict = false, "Fiscal year: from the table's title, else the document's (the year its target tables are titled with, else the one its text names most), else a year in the project name, else the file's path (see fiscal_year_source); null when none says.", "2023", |r| Value::I32(r.fiscal_year)),
            col!("fiscal_year_source", Utf8, nullable = true, dict = true, "Where fiscal_year comes from: title, document (its tables' titles, or its text), project_name (a document that names no year), path.", "title", |r| Value::Str(r.fiscal_year_source)),
            col!("project_name", Utf8, nullable = true, dict = true, "项目名称.", "数智法庭项目", |r| s(&r.project_name)),
            col!("project_code", Utf8, nullable = true, dict = true, "项目编码; null when the form has none.", "13080022P00021710001R", |r| s(&r.project_code)),
            col!("amount_unit_raw", Utf8, nullable = true, dict = true, "Declared amount unit (单位：万元 → 万元).", "万元", |r| s(&r.amount_unit_raw)),
            col!("budget_total", Decimal, nullable = true, dict = false, "预算数 in 万元, exactly as published (six decimal places; 元 amounts divided by 10,000, rounded half away from zero to the sixth place, with a warning when that rounds); null when blank.", "49.7", |r| Value::Dec(r.budget_total)),
            col!("budget_total_raw", Utf8, nullable = true, dict = false, "预算数 cell as published.", "49.70", |r| s(&r.budget_total_raw)),
            col!("budget_fiscal", Decimal, nullable = true, dict = false, "其中：财政资金 in 万元; null when blank.", "49.7", |r| Value::Dec(r.budget_fiscal)),
            col!("budget_fiscal_raw", Utf8, nullable = true, dict = false, "其中：财政资金 cell as published.", "49.70", |r| s(&r.budget_fiscal_raw)),
            col!("budget_other", Decimal, nullable = true, dict = false, "其他资金 in 万元; null when blank.", "100.0", |r| Value::Dec(r.budget_other)),
            col!("budget_other_raw", Utf8, nullable = true, dict = false, "其他资金 cell as published.", "100.00", |r| s(&r.budget_other_raw)),
            col!("purpose", Utf8, nullable = true, dict = false, "资金用途.", "用于弥补办案业务费不足", |r| s(&r.purpose)),
            col!("goal", Utf8, nullable = true, dict = false, "绩效目标 text; paragraphs joined by newlines.", "1.弥补基层法院办案业务经费不足，…", |r| s(&r.goal)),
            col!("spending_plan", Utf8, nullable = true, dict = false, "资金支出计划 as a JSON array of {milestone, percent, raw}; null when the form has none.", r#"[{"milestone":"3月底","percent":25.0,"raw":"25%"},…]"#, |r| s(&r.spending_plan)),
            col!("extra_fields", Utf8, nullable = true, dict = false, "Labelled values the form has and no column names (项目性质, 主管部门, 计划开始日期, 项目总目标, …), as a JSON object label → value; null when there are none.", r#"{"主管部门":"上海市普陀区人民政府万里街道办事处","项目性质":"阶段性项目"}"#, |r| s(&r.extra_fields)),
            col!("headers_read", Utf8, nullable = true, dict = false, "How the table's labels and grid headers were read, to audit the mapping: a JSON array of {text (as published), read_as (the column its value or cells went to), by (`exact`: a listed spelling; `spelling`: one once notes in parentheses are set aside; `meaning`: by the terms it contains, grammars/vocabulary.toml [[label_meanings]], [[column_meanings]])}.", r#"[{"text":"目标值确定依据","read_as":"indicators.basis","by":"meaning"}]"#, |r| s(&r.headers_read)),
            col!("indicator_count", Int32, nullable = false, dict = false, "Number of indicator rows of this project.", "9", |r| Value::I32(Some(r.indicator_count as i32))),
            col!("warnings", Utf8List, nullable = false, dict = true, "Problems found (budget parts not adding up, unrecognized rows, …); values are never silently fixed.", r#"["budget_total 100 differs from …"]"#, |r| Value::List(&r.warnings)),
        ]);
        cols
    }
}

impl Table for IndicatorRecord {
    const NAME: &'static str = "indicators";
    const DOC: &'static str = "One row per indicator row of a project's grid (一级/二级/三级指标 …).";
    fn columns() -> Vec<Column<Self>> {
        let mut cols: Vec<Column<Self>> = vec![
            col!(
                "source_file",
                Utf8,
                nullable = false,
                dict = true,
                "The input file, as in documents.source_file.",
                "samples/001_5c85cbf3a97b1726.txt",
                |r| Value::Str(Some(&r.source_file))
            ),
            col!(
                "document_id",
                Utf8,
                nullable = false,
                dict = true,
                "SHA-256 of the input file's bytes (documents.sha256): a content id to join on, whatever the file is called.",
                "b925c6e9cbc7e306…",
                |r| Value::Str(Some(&r.document_id))
            ),
            col!(
                "table_index",
                Int32,
                nullable = false,
                dict = false,
                "1-based order of the project in its file (joins projects).",
                "6",
                |r| Value::I32(Some(r.table_index as i32))
            ),
            col!(
                "row_index",
                Int32,
                nullable = false,
                dict = false,
                "1-based order of the row in its project's grid.",
                "1",
                |r| Value::I32(Some(r.row_index as i32))
            ),
            col!(
                "location",
                Utf8,
                nullable = false,
                dict = false,
                "Where the row is in the source.",
                "lines 668-676",
                |r| Value::Str(Some(&r.location))
            ),
            col!("unit_code", Utf8, nullable = true, dict = true, "Unit code of the project.", "323001", |r| s(
                &r.unit_code
            )),
            col!(
                "unit_name",
                Utf8,
                nullable = true,
                dict = true,
                "Unit name of the project.",
                "河北省承德市中级人民法院本级",
                |r| s(&r.unit_name)
            ),
        ];
        cols.extend(origin_columns!());
        cols.extend::<Vec<Column<Self>>>(vec![
            col!("form", Utf8, nullable = true, dict = true, "The form the table was read as (see projects.form).", "project-targets", |r| s(&r.form)),
            col!("record_kind", Utf8, nullable = false, dict = true, "project, department, self_evaluation, special_fund or transfer (see projects.record_kind).", "project", |r| Value::Str(Some(r.record_kind))),
            col!("fiscal_year", Int32, nullable = true, dict = false, "Fiscal year of the project.", "2023", |r| {
                Value::I32(r.fiscal_year)
            }),
            col!("project_name", Utf8, nullable = true, dict = true, "Project name.", "刑场建项目绩效", |r| s(
                &r.project_name
            )),
            col!("project_code", Utf8, nullable = true, dict = true, "Project code.", "13080022P00895910001W", |r| s(
                &r.project_code
            )),
            col!(
                "level1",
                Utf8,
                nullable = true,
                dict = true,
                "一级指标, carried down across merged cells.",
                "产出指标",
                |r| s(&r.level1)
            ),
            col!(
                "level1_filled",
                Bool,
                nullable = false,
                dict = false,
                "level1 was carried down from a merged cell above (the row's own cell is empty).",
                "true",
                |r| Value::Bool(r.level1_filled)
            ),
            col!(
                "level2",
                Utf8,
                nullable = true,
                dict = true,
                "二级指标 (carried down when merged).",
                "数量指标",
                |r| s(&r.level2)
            ),
            col!(
                "level2_filled",
                Bool,
                nullable = false,
                dict = false,
                "level2 was carried down from a merged cell above.",
                "false",
                |r| Value::Bool(r.level2_filled)
            ),
            col!("level3", Utf8, nullable = true, dict = true, "三级指标.", "建设规模", |r| s(&r.level3)),
            col!(
                "description",
                Utf8,
                nullable = true,
                dict = true,
                "绩效指标描述.",
                "建设规模符合《人民法院刑场建设标准》相关要求",
                |r| s(&r.description)
            ),
            col!("value_raw", Utf8, nullable = true, dict = true, "指标值 as published.", "≤1200平米", |r| s(
                &r.value_raw
            )),
            col!(
                "value_kind",
                Utf8,
                nullable = false,
                dict = true,
                "numeric (op/num parsed), qualitative (text kept in value_raw only), empty (no value cell).",
                "numeric",
                |r| Value::Str(Some(r.value_kind))
            ),
            col!(
                "value_op",
                Utf8,
                nullable = true,
                dict = true,
                "Comparator: >=, <=, >, <, = (none written → =); null when qualitative.",
                "<=",
                |r| s(&r.value_op)
            ),
            col!("value_num", Decimal, nullable = true, dict = false, "The number, in value_unit.", "1200.0", |r| {
                Value::Dec(r.value_num)
            }),
            col!(
                "value_unit",
                Utf8,
                nullable = true,
                dict = true,
                "Canonical unit (百分比 → %, 平米 → 平方米), else as written.",
                "平方米",
                |r| s(&r.value_unit)
            ),
            col!(
                "value_scaled_num",
                Decimal,
                nullable = true,
                dict = false,
                "value_num without the unit's 万/亿 prefix (≥143万页 → 1430000); equal to value_num otherwise.",
                "1430000.0",
                |r| Value::Dec(r.value_scaled_num)
            ),
            col!(
                "value_scaled_unit",
                Utf8,
                nullable = true,
                dict = true,
                "value_unit without its 万/亿 prefix (万页 → 页).",
                "页",
                |r| s(&r.value_scaled_unit)
            ),
            col!("value_op_raw", Utf8, nullable = true, dict = true, "The comparator cell when the form gives it a column of its own (指标性质: ≥, =, 无); null otherwise. value_op is read from it.", "≥", |r| s(&r.value_op_raw)),
            col!("value_unit_raw", Utf8, nullable = true, dict = true, "The unit cell when the form gives it a column of its own (计量单位); null otherwise. value_unit is read from it.", "%", |r| s(&r.value_unit_raw)),
            col!(
                "basis",
                Utf8,
                nullable = true,
                dict = true,
                "指标值确定依据; null when the layout has no such column or the cell is empty.",
                "《人民法院刑场建设标准》",
                |r| s(&r.basis)
            ),
            col!("weight", Decimal, nullable = true, dict = false, "指标权重 of a self-evaluation; null when the form has none.", "15.0", |r| Value::Dec(r.weight)),
            col!("weight_raw", Utf8, nullable = true, dict = false, "指标权重 cell as published.", "15", |r| s(&r.weight_raw)),
            col!("actual_raw", Utf8, nullable = true, dict = true, "全年完成值: the value achieved, beside the target, as published (self-evaluations); null otherwise.", "49358", |r| s(&r.actual_raw)),
            col!("actual_num", Decimal, nullable = true, dict = false, "actual_raw as a number, in value_unit; null when it is not a number.", "49358.0", |r| Value::Dec(r.actual_num)),
            col!("extra_fields", Utf8, nullable = true, dict = false, "Cells under headers the grammar does not know (备注, 评价标准, …), as a JSON object header → cell; null when there are none.", r#"{"评价标准":"达到目标得满分，未达到按完成比例得分或不得分"}"#, |r| s(&r.extra_fields)),
            col!(
                "warnings",
                Utf8List,
                nullable = false,
                dict = true,
                "Problems found with this row (short row, level2 outside its level1, cost above budget, …).",
                r#"["cost value 34.6万元 exceeds the project budget of 20万元"]"#,
                |r| Value::List(&r.warnings)
            ),
        ]);
        cols
    }
}

impl Table for DepartmentGoalRecord {
    const NAME: &'static str = "department_goals";
    const DOC: &'static str =
        "The 部门整体绩效目标 prose: the overall goal, then one row per indicator line of each numbered goal.";
    fn columns() -> Vec<Column<Self>> {
        let mut cols: Vec<Column<Self>> = vec![
            col!(
                "source_file",
                Utf8,
                nullable = false,
                dict = true,
                "The input file, as in documents.source_file.",
                "samples/001_5c85cbf3a97b1726.txt",
                |r| Value::Str(Some(&r.source_file))
            ),
            col!(
                "document_id",
                Utf8,
                nullable = false,
                dict = true,
                "SHA-256 of the input file's bytes (documents.sha256): a content id to join on, whatever the file is called.",
                "b925c6e9cbc7e306…",
                |r| Value::Str(Some(&r.document_id))
            ),
            col!(
                "location",
                Utf8,
                nullable = false,
                dict = false,
                "Where the line is in the source.",
                "line 10",
                |r| Value::Str(Some(&r.location))
            ),
            col!(
                "unit_code",
                Utf8,
                nullable = true,
                dict = true,
                "Unit code of the document's first project table.",
                "323001",
                |r| s(&r.unit_code)
            ),
            col!(
                "unit_name",
                Utf8,
                nullable = true,
                dict = true,
                "Unit name of the document's first project table.",
                "河北省承德市中级人民法院本级",
                |r| s(&r.unit_name)
            ),
        ];
        cols.extend(origin_columns!());
        cols.extend::<Vec<Column<Self>>>(vec![
            col!("fiscal_year", Int32, nullable = true, dict = false, "Document-level fiscal year.", "2023", |r| {
                Value::I32(r.fiscal_year)
            }),
            col!(
                "section",
                Utf8,
                nullable = false,
                dict = true,
                "总体绩效目标 (one row, the overall goal) or 分项绩效目标.",
                "分项绩效目标",
                |r| Value::Str(Some(&r.section))
            ),
            col!(
                "goal_index",
                Int32,
                nullable = true,
                dict = false,
                "Number of the goal (1、…); null for the overall goal.",
                "1",
                |r| Value::I32(r.goal_index)
            ),
            col!(
                "goal_text",
                Utf8,
                nullable = false,
                dict = true,
                "The goal, without its number and the 绩效目标： prefix.",
                "积极主动作为，着力提升司法保障能力。",
                |r| Value::Str(Some(&r.goal_text))
            ),
            col!(
                "indicator_kind",
                Utf8,
                nullable = true,
                dict = true,
                "数量指标, 质量指标, 成本指标, 时效指标, 社会效益指标, 满意度指标 …",
                "数量指标",
                |r| s(&r.indicator_kind)
            ),
            col!(
                "indicator_text",
                Utf8,
                nullable = true,
                dict = false,
                "The indicator line after its kind.",
                "办公用房、业务用房的合理保障。",
                |r| s(&r.indicator_text)
            ),
        ]);
        cols
    }
}

/// The schema as Markdown, for `SCHEMA.md`.
impl Table for CellRecord {
    const NAME: &'static str = "cells";
    const DOC: &'static str = "One row per cell of every table read from every document, as it was read, with what it fed: the raw tables for researchers who want them, and the record of where every cell's text went (a document is `ok` only when every non-empty cell of the tables its records come from fed something).";
    fn columns() -> Vec<Column<Self>> {
        vec![
            col!("source_file", Utf8, nullable = false, dict = true, "The input file, as in documents.source_file.", "samples/000_5439077655b7c2d3.docx", |r| Value::Str(Some(&r.source_file))),
            col!("document_id", Utf8, nullable = false, dict = true, "SHA-256 of the input file's bytes (documents.sha256).", "fb4799b8b3520c16…", |r| Value::Str(Some(&r.document_id))),
            col!("fiscal_year", Int32, nullable = true, dict = false, "The document's fiscal year (documents.fiscal_year), so that cells partition with their documents.", "2023", |r| Value::I32(r.fiscal_year)),
            col!("table_index", Int32, nullable = false, dict = false, "1-based position of the table among the document's tables (a PDF table continued on the next page is one table).", "3", |r| Value::I32(Some(r.table_index as i32))),
            col!("page", Int32, nullable = true, dict = false, "1-based page (PDF); null for formats without pages.", "2", |r| Value::I32(r.page.map(|p| p as i32))),
            col!("row_index", Int32, nullable = false, dict = false, "1-based row within the table.", "5", |r| Value::I32(Some(r.row_index as i32))),
            col!("cell_index", Int32, nullable = false, dict = false, "1-based position of the cell within its row.", "2", |r| Value::I32(Some(r.cell_index as i32))),
            col!("column", Int32, nullable = false, dict = false, "1-based grid column where the format has a grid (docx, xlsx), else the cell's position.", "3", |r| Value::I32(Some(r.column as i32))),
            col!("row_span", Int32, nullable = false, dict = false, "Rows the cell covers (merged cells).", "1", |r| Value::I32(Some(r.row_span as i32))),
            col!("col_span", Int32, nullable = false, dict = false, "Grid columns the cell covers.", "2", |r| Value::I32(Some(r.col_span as i32))),
            col!("continued", Bool, nullable = false, dict = false, "The lower part of a vertically merged cell: its text is the cell above's.", "false", |r| Value::Bool(r.continued)),
            col!("joined_across_pages", Bool, nullable = false, dict = false, "Its row was cut by a page break and joined back (PDF).", "false", |r| Value::Bool(r.joined_across_pages)),
            col!("text", Utf8, nullable = false, dict = false, "The cell's text as read (paragraphs joined by newlines).", "≥217件", |r| Value::Str(Some(&r.text))),
            col!("used_as", Utf8, nullable = true, dict = true, "What the cell fed: the column holding its text (`projects.project_name`, `indicators.value_raw`), `projects.extra_fields:<key>` or `indicators.extra_fields:<key>`, `label:<what it named>`, `header:<what it named>`, `evidence:fiscal_year`, `warning` (quoted in a warning, placed nowhere); null when nothing took it (tables no record came from, empty and merged cells).", "indicators.value_raw", |r| s(&r.used_as)),
            col!("location", Utf8, nullable = false, dict = false, "Where the cell is in the source, as records' `location`.", "table 3, row 5, column 2", |r| Value::Str(Some(&r.location))),
        ]
    }
}

pub fn markdown() -> String {
    let mut out = String::new();
    fn table<R: Table>(out: &mut String) {
        out.push_str(&format!("## `{}.parquet`\n\n{}\n\n", R::NAME, R::DOC));
        out.push_str("| column | type | null | meaning | example |\n|---|---|---|---|---|\n");
        for c in R::columns() {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                c.name,
                c.kind.sql(),
                if c.nullable { "yes" } else { "no" },
                c.doc.replace('|', "\\|"),
                c.example.replace('|', "\\|")
            ));
        }
        out.push('\n');
    }
    table::<DocumentRecord>(&mut out);
    table::<ProjectRecord>(&mut out);
    table::<IndicatorRecord>(&mut out);
    table::<DepartmentGoalRecord>(&mut out);
    table::<CellRecord>(&mut out);
    out
}
