//! One document's page: its status and reason, then each table as it was read — drawn with its
//! spans, every cell coloured by what it fed — beside the project and indicator records made
//! from it, warnings next to the records they concern, every value with its place in the
//! source. A document with very many cells is split into several pages.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::ops::Range;

use super::html::{esc, esc_lines, int, page, percent, status_badge, Scripts};
use super::model::{Cell, DocumentView, Record};

/// Cells one page draws at most; a document with more is split (at table boundaries, and a
/// table longer than this at row boundaries), so that no page is huge.
pub const PAGE_CELLS: usize = 6000;

/// Where a document page links to.
#[derive(Debug, Clone, PartialEq)]
pub struct Links {
    /// The overview and the documents list page holding this document, relative to the page;
    /// None for a page on its own (`inspect`).
    pub index: Option<String>,
    pub list: Option<String>,
    /// File name of the page without `.html`; later parts are `<stem>-2.html`, ….
    pub stem: String,
}

impl Links {
    pub fn part_file(&self, part: usize) -> String {
        if part <= 1 {
            format!("{}.html", self.stem)
        } else {
            format!("{}-{part}.html", self.stem)
        }
    }
}

/// A place in the source, read back from a `location` (`page 2, table 3, row 5, column 2`,
/// `lines 60-168`: what [`crate::blocks::Location`] writes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place {
    pub page: Option<u32>,
    pub table: Option<u32>,
    pub row: Option<u32>,
    pub column: Option<u32>,
    pub lines: Option<(u32, u32)>,
}

impl Place {
    pub fn parse(s: &str) -> Place {
        let mut p = Place::default();
        for part in s.split(", ") {
            let Some((key, value)) = part.trim().split_once(' ') else { continue };
            let n = value.parse::<u32>().ok();
            match key {
                "page" => p.page = n,
                "table" => p.table = n,
                "row" => p.row = n,
                "column" => p.column = n,
                "line" => p.lines = n.map(|n| (n, n)),
                "lines" => {
                    p.lines = value.split_once('-').and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)));
                }
                _ => {}
            }
        }
        p
    }
}

/// A row of the cells: (table_index, row_index) as cells.parquet numbers them.
type RowKey = (i32, i32);

/// Finds the row of the tables a record's location points into.
struct Anchors {
    by_row: HashMap<(u32, u32), RowKey>,
    /// (first line, row), sorted.
    by_line: Vec<(u32, RowKey)>,
}

impl Anchors {
    fn new(cells: &[Cell]) -> Anchors {
        let mut by_row = HashMap::new();
        let mut by_line = Vec::new();
        for c in cells {
            let p = Place::parse(&c.location);
            let key = (c.table_index, c.row_index);
            if let (Some(t), Some(r)) = (p.table, p.row) {
                by_row.entry((t, r)).or_insert(key);
            }
            if let Some((first, _)) = p.lines {
                by_line.push((first, key));
            }
        }
        by_line.sort();
        Anchors { by_row, by_line }
    }

    /// The row a location starts in: the same table and row, or the first row within its lines.
    fn find(&self, location: &str) -> Option<RowKey> {
        let p = Place::parse(location);
        if let (Some(t), Some(r)) = (p.table, p.row) {
            if let Some(k) = self.by_row.get(&(t, r)) {
                return Some(*k);
            }
        }
        let (first, last) = p.lines?;
        let i = self.by_line.partition_point(|(l, _)| *l < first);
        self.by_line.get(i).filter(|(l, _)| *l <= last).map(|(_, k)| *k)
    }
}

/// What a cell fed, as a colour class: field, extra_fields, label or header, evidence, warning,
/// unplaced text, or nothing (empty, or a table nothing was read from).
pub fn cell_class(c: &Cell, table_read: bool) -> &'static str {
    match c.used_as.as_deref() {
        Some("warning") => "w",
        Some("placeholder") | Some("subtotal") => "p",
        Some(u) if u.starts_with("label:") || u.starts_with("header:") => "l",
        Some(u) if u.starts_with("evidence:") => "v",
        Some(u) if u.contains(".extra_fields:") => "x",
        Some(_) => "f",
        None if c.continued => "c",
        None if c.text.trim().is_empty() => "o",
        None if table_read => "u",
        None => "o",
    }
}

/// The legend of the cell colours.
pub const LEGEND: &[(&str, &str)] = &[
    ("f", "fed a column (projects.…, indicators.…)"),
    ("x", "fed extra_fields"),
    ("l", "a label or header that named a column"),
    ("v", "evidence (fiscal year)"),
    ("p", "a template row's level name, or a total row: no record"),
    ("w", "quoted in a warning, placed nowhere"),
    ("u", "text nothing took (unplaced)"),
    ("c", "lower part of a merged cell"),
    ("o", "empty, or in a table nothing was read from"),
];

fn legend() -> String {
    let mut out = String::from("<div class=\"legend\" id=\"legend\">");
    for (class, what) in LEGEND {
        let _ = write!(out, "<span><span class=\"k {class}\"></span>{}</span>", esc(what));
    }
    out.push_str("</div>\n");
    out
}

/// One table of the document: its index and its rows (ranges into the sorted cells).
struct TableRows {
    index: i32,
    rows: Vec<(i32, Range<usize>)>,
    read: bool,
    /// Cell columns are grid columns (each cell starts past the one before it): gaps between
    /// cells are drawn as empty slots.
    grid: bool,
}

fn tables(cells: &[Cell]) -> Vec<TableRows> {
    let mut out: Vec<TableRows> = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let t = cells[i].table_index;
        let mut table = TableRows { index: t, rows: Vec::new(), read: false, grid: true };
        while i < cells.len() && cells[i].table_index == t {
            let r = cells[i].row_index;
            let start = i;
            while i < cells.len() && cells[i].table_index == t && cells[i].row_index == r {
                table.read |= cells[i].used_as.is_some();
                if i > start {
                    let (a, b) = (&cells[i - 1], &cells[i]);
                    table.grid &= b.column >= a.column + a.col_span;
                }
                table.grid &= cells[i].column >= 1;
                i += 1;
            }
            table.rows.push((r, start..i));
        }
        out.push(table);
    }
    out
}

/// Draws rows `rows` of a table: spans as written (clipped to these rows), the lower parts of
/// merged cells left out where the merged cell covers them, gaps in a grid drawn as slots.
fn draw_table(cells: &[Cell], table: &TableRows, rows: Range<usize>, out: &mut String) {
    let _ = writeln!(out, "<table class=\"cells\"><tbody>");
    // Rows still covered by a cell above, per grid slot.
    let mut covered: Vec<i32> = Vec::new();
    let covers = |covered: &Vec<i32>, slot: usize| covered.get(slot).is_some_and(|&n| n > 0);
    let end = rows.end;
    for ri in rows {
        let (r, range) = &table.rows[ri];
        let rows_left = (end - ri) as i32;
        let _ = write!(out, "<tr id=\"t{}r{r}\"><td class=\"rn\">{r}</td>", table.index);
        let mut slot = 0usize;
        for c in &cells[range.clone()] {
            if table.grid {
                let target = (c.column - 1).max(0) as usize;
                while slot < target {
                    if !covers(&covered, slot) {
                        out.push_str("<td class=\"g\"></td>");
                    }
                    slot += 1;
                }
            }
            let span = c.col_span.max(1) as usize;
            if c.continued && covers(&covered, slot) {
                slot += span;
                continue;
            }
            while covers(&covered, slot) {
                slot += 1;
            }
            let row_span = c.row_span.clamp(1, rows_left);
            let class = cell_class(c, table.read);
            out.push_str("<td class=\"");
            out.push_str(class);
            out.push('"');
            if row_span > 1 {
                let _ = write!(out, " rowspan=\"{row_span}\"");
            }
            if span > 1 {
                let _ = write!(out, " colspan=\"{span}\"");
            }
            if class != "o" || !c.text.is_empty() {
                let what = match (&c.used_as, class) {
                    (Some(u), _) => u.as_str(),
                    (None, "u") => "nothing took it",
                    (None, "c") => "continues the merged cell above",
                    _ => "",
                };
                let sep = if what.is_empty() { "" } else { " · " };
                let _ = write!(out, " title=\"{}{sep}{}\"", esc(what), esc(&c.location));
            }
            out.push('>');
            out.push_str(&esc_lines(&c.text));
            out.push_str("</td>");
            if row_span > 1 {
                if covered.len() < slot + span {
                    covered.resize(slot + span, 0);
                }
                for s in &mut covered[slot..slot + span] {
                    *s = row_span;
                }
            }
            slot += span;
        }
        out.push_str("</tr>\n");
        for n in &mut covered {
            *n = (*n - 1).max(0);
        }
    }
    out.push_str("</tbody></table>\n");
}

/// A piece of a table drawn on one page.
struct Chunk {
    table: usize,
    rows: Range<usize>,
}

/// The tables cut into pages of at most [`PAGE_CELLS`] cells.
fn paginate(tables: &[TableRows]) -> Vec<Vec<Chunk>> {
    let mut parts: Vec<Vec<Chunk>> = vec![Vec::new()];
    let mut in_part = 0usize;
    for (t, table) in tables.iter().enumerate() {
        let mut start = 0;
        while start < table.rows.len() {
            // Rows that fit on this page (at least one, on an empty page).
            let mut end = start;
            let mut n = 0;
            while end < table.rows.len() {
                let len = table.rows[end].1.len();
                if in_part + n + len > PAGE_CELLS && (end > start || in_part > 0) {
                    break;
                }
                n += len;
                end += 1;
            }
            if end == start {
                parts.push(Vec::new());
                in_part = 0;
                continue;
            }
            parts.last_mut().expect("one part at least").push(Chunk { table: t, rows: start..end });
            in_part += n;
            start = end;
        }
    }
    parts
}

/// A record's link to the row it came from, with its location as the text.
fn row_link(anchor: Option<RowKey>, location: &str) -> String {
    match anchor {
        Some((t, r)) => format!("<a class=\"loc\" href=\"#t{t}r{r}\">{}</a>", esc(location)),
        None => format!("<span class=\"loc mute\">{}</span>", esc(location)),
    }
}

fn warnings_list(warnings: &[String], anchors: &Anchors, out: &mut String) {
    if warnings.is_empty() {
        return;
    }
    out.push_str("<ul class=\"warn\">");
    for w in warnings {
        let _ = write!(out, "<li>{}", esc(w));
        // A warning that quotes a cell names its place last, in parentheses: link to its row.
        if let Some(at) = w.rsplit_once(" (").map(|(_, at)| at.trim_end_matches(')')) {
            if let Some(anchor) = anchors.find(at) {
                let _ = write!(out, " {}", row_link(Some(anchor), "↗ row"));
            }
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>\n");
}

/// The cells that fed each field of a project: those between its first row and the next
/// project's, by what they fed.
fn project_cells(cells: &[Cell], from: Option<RowKey>, to: Option<RowKey>) -> HashMap<&str, &Cell> {
    let mut out = HashMap::new();
    let Some(from) = from else { return out };
    let start = cells.partition_point(|c| (c.table_index, c.row_index) < from);
    let end = to.map_or(cells.len(), |to| cells.partition_point(|c| (c.table_index, c.row_index) < to));
    for c in &cells[start..end.max(start)] {
        if let Some(u) = c.used_as.as_deref().and_then(|u| u.strip_prefix("projects.")) {
            out.entry(u).or_insert(c);
        }
    }
    out
}

fn cell_link(c: Option<&&Cell>) -> String {
    match c {
        Some(c) => format!(" <a class=\"loc\" href=\"#t{}r{}\">{}</a>", c.table_index, c.row_index, esc(&c.location)),
        None => String::new(),
    }
}

/// The columns that say who published a record, shown together.
const ORIGIN: &[&str] = &["province", "prefecture", "county", "court_level", "court_type", "org_kind"];

/// A project's card: its columns (each with the cell it came from), its warnings.
fn project_card(p: &Record, anchor: Option<RowKey>, fed: &HashMap<&str, &Cell>, anchors: &Anchors, out: &mut String) {
    let n = p.table_index.unwrap_or(0);
    let name = p.get("project_name").or(p.get("title")).or(p.get("unit_name")).unwrap_or("");
    let _ = write!(
        out,
        "<div class=\"card\" id=\"p{n}\"><h3>Project {n}: {}</h3><div>{}</div><dl class=\"meta\">",
        esc(name),
        row_link(anchor, &p.location)
    );
    // Who published it on one line; a normalized value with the text it was read from.
    let origin: Vec<String> = ORIGIN.iter().filter_map(|c| p.get(c).map(|v| format!("{c} {}", esc(v)))).collect();
    for (column, value) in &p.fields {
        let column = *column;
        if ORIGIN.contains(&column) {
            if column == ORIGIN.iter().find(|c| p.get(c).is_some()).copied().unwrap_or("") {
                let _ = write!(out, "<dt>published by</dt><dd>{}</dd>", origin.join(", "));
            }
            continue;
        }
        let raw = format!("{column}_raw");
        if column.ends_with("_raw") && p.get(column.trim_end_matches("_raw")).is_some() {
            continue; // shown with its normalized value
        }
        if column == "fiscal_year_source" && p.get("fiscal_year").is_some() {
            continue; // shown with the year
        }
        let _ = write!(out, "<dt>{column}</dt><dd>");
        match column {
            "extra_fields" => json_object(value, |key| fed.get(format!("extra_fields:{key}").as_str()).copied(), out),
            "spending_plan" => spending_plan(value, out),
            "headers_read" => headers_read(value, out),
            "fiscal_year" => {
                out.push_str(&esc(value));
                if let Some(source) = p.get("fiscal_year_source") {
                    let _ = write!(out, " <small>(from the {})</small>", esc(source));
                }
            }
            _ => {
                out.push_str(&esc_lines(value));
                match p.get(&raw) {
                    Some(text) => {
                        let _ = write!(out, " ← «{}»{}", esc_lines(text), cell_link(fed.get(raw.as_str())));
                    }
                    None => out.push_str(&cell_link(fed.get(column))),
                }
            }
        }
        out.push_str("</dd>");
    }
    out.push_str("</dl>");
    warnings_list(&p.warnings, anchors, out);
    out.push_str("</div>\n");
}

/// A JSON object (extra_fields) as a list of key: value, each with its cell; the text as it is
/// when it is not one.
fn json_object<'a>(json: &str, cell: impl Fn(&str) -> Option<&'a Cell>, out: &mut String) {
    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json) {
        Ok(map) => {
            out.push_str("<dl class=\"meta\">");
            for (k, v) in &map {
                let text = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let c = cell(k);
                let _ = write!(out, "<dt>{}</dt><dd>{}{}</dd>", esc(k), esc_lines(&text), cell_link(c.as_ref()));
            }
            out.push_str("</dl>");
        }
        Err(_) => out.push_str(&esc_lines(json)),
    }
}

fn spending_plan(json: &str, out: &mut String) {
    match serde_json::from_str::<Vec<serde_json::Value>>(json) {
        Ok(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|i| {
                    let s = |k: &str| i.get(k).map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string));
                    format!("{}: {}", s("milestone").unwrap_or_default(), s("raw").unwrap_or_default())
                })
                .collect();
            out.push_str(&esc(&parts.join("; ")));
        }
        Err(_) => out.push_str(&esc_lines(json)),
    }
}

fn headers_read(json: &str, out: &mut String) {
    match serde_json::from_str::<Vec<serde_json::Value>>(json) {
        Ok(items) => {
            let _ = write!(
                out,
                "<details><summary>{} labels and headers</summary><table class=\"grid\"><tr><th>text</th><th>read as</th><th>by</th></tr>",
                items.len()
            );
            for i in &items {
                let s = |k: &str| i.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&s("text")),
                    esc(&s("read_as")),
                    esc(&s("by"))
                );
            }
            out.push_str("</table></details>");
        }
        Err(_) => out.push_str(&esc_lines(json)),
    }
}

/// The parsed target of an indicator: `>= 6000 件`, its scaled form, or its kind.
fn parsed_value(i: &Record) -> String {
    match i.get("value_kind") {
        Some("numeric") => {
            let mut s = [i.get("value_op"), i.get("value_num"), i.get("value_unit")]
                .iter()
                .flatten()
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            if let (Some(n), Some(num)) = (i.get("value_scaled_num"), i.get("value_num")) {
                if n != num {
                    let _ = write!(s, " = {n} {}", i.get("value_scaled_unit").unwrap_or(""));
                }
            }
            s
        }
        Some(kind) => kind.to_string(),
        None => String::new(),
    }
}

/// The columns an indicator shows under "more" (its form has them; most have none).
const MORE: &[&str] = &["weight_raw", "actual_raw", "value_op_raw", "value_unit_raw", "extra_fields"];

/// Indicator rows (of one or more projects) as a table, each with the row it came from and
/// its warnings on a line of their own under it.
fn indicator_table(rows: &[(&Record, Option<RowKey>)], cells: &[Cell], anchors: &Anchors, out: &mut String) {
    // Columns no row has are left out: the table sits beside the one it came from.
    let has_basis = rows.iter().any(|(i, _)| i.get("basis").is_some());
    let has_more = rows.iter().any(|(i, _)| MORE.iter().any(|c| i.get(c).is_some()));
    let columns = 5 + usize::from(has_basis) + usize::from(has_more);
    out.push_str(
        "<table class=\"grid ind\"><thead><tr><th>#</th><th>level1 › level2 › level3</th><th>description</th>\
         <th>value_raw → parsed</th>",
    );
    if has_basis {
        out.push_str("<th>basis</th>");
    }
    if has_more {
        out.push_str("<th>more</th>");
    }
    out.push_str("<th>from</th></tr></thead><tbody>\n");
    for (i, anchor) in rows {
        // The cells of its row, by what they fed: each value's place.
        let fed: HashMap<&str, &Cell> = match anchor {
            Some(key) => {
                let start = cells.partition_point(|c| (c.table_index, c.row_index) < *key);
                cells[start..]
                    .iter()
                    .take_while(|c| (c.table_index, c.row_index) == *key)
                    .filter_map(|c| Some((c.used_as.as_deref()?.strip_prefix("indicators.")?, c)))
                    .collect()
            }
            None => HashMap::new(),
        };
        let at = |column: &str| fed.get(column).map(|c| format!(" title=\"{}\"", esc(&c.location))).unwrap_or_default();
        let level = |n: &str| -> String {
            let text = i.get(n).unwrap_or("");
            if i.get(&format!("{n}_filled")).is_some() {
                format!("<span class=\"filled\" title=\"carried down from the merged cell above\">{}</span>", esc(text))
            } else {
                esc(text).into_owned()
            }
        };
        let _ = write!(
            out,
            "<tr><td>{}.{}</td><td class=\"lv\">{} › {} › {}</td><td{}>{}</td><td{}>{}<br><small>{}</small></td>",
            i.table_index.unwrap_or(0),
            i.row_index.unwrap_or(0),
            level("level1"),
            level("level2"),
            esc(i.get("level3").unwrap_or("")),
            at("description"),
            esc_lines(i.get("description").unwrap_or("")),
            at("value_raw"),
            esc_lines(i.get("value_raw").unwrap_or("")),
            esc(&parsed_value(i)),
        );
        if has_basis {
            let _ = write!(out, "<td{}>{}</td>", at("basis"), esc_lines(i.get("basis").unwrap_or("")));
        }
        if has_more {
            out.push_str("<td>");
            let mut first = true;
            for column in &MORE[..MORE.len() - 1] {
                if let Some(v) = i.get(column) {
                    let sep = if first { "" } else { "<br>" };
                    first = false;
                    let _ = write!(out, "{sep}<span{}>{column}: {}</span>", at(column), esc(v));
                }
            }
            if let Some(extra) = i.get("extra_fields") {
                json_object(extra, |key| fed.get(format!("extra_fields:{key}").as_str()).copied(), out);
            }
            out.push_str("</td>");
        }
        let _ = writeln!(out, "<td>{}</td></tr>", row_link(*anchor, &i.location));
        if !i.warnings.is_empty() {
            let _ = write!(out, "<tr class=\"wr\"><td colspan=\"{columns}\">");
            warnings_list(&i.warnings, anchors, out);
            out.push_str("</td></tr>\n");
        }
    }
    out.push_str("</tbody></table>\n");
}

fn goals_table(goals: &[Record], out: &mut String) {
    out.push_str(
        "<table class=\"grid\"><thead><tr><th>section</th><th>#</th><th>goal</th><th>indicator kind</th>\
         <th>indicator</th><th>from</th></tr></thead><tbody>\n",
    );
    for g in goals {
        let f = |c: &str| esc_lines(g.get(c).unwrap_or(""));
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"mute\">{}</td></tr>",
            f("section"),
            f("goal_index"),
            f("goal_text"),
            f("indicator_kind"),
            f("indicator_text"),
            esc(&g.location)
        );
    }
    out.push_str("</tbody></table>\n");
}

fn header(view: &DocumentView, links: &Links, out: &mut String) {
    let d = &view.doc;
    if links.index.is_some() || links.list.is_some() {
        out.push_str("<nav class=\"top\">");
        if let Some(index) = &links.index {
            let _ = write!(out, "<a href=\"{}\">Overview</a>", esc(index));
        }
        if let Some(list) = &links.list {
            let _ = write!(out, "<a href=\"{}\">Documents</a>", esc(list));
        }
        out.push_str("</nav>\n");
    }
    let _ = write!(out, "<main>\n<h1>{}</h1>\n<p>{}", esc(&d.source_file), status_badge(&d.status));
    if let Some(reason) = &d.reason {
        let _ = write!(out, " <span class=\"reason\">{}</span>", esc(reason));
    }
    out.push_str("</p>\n");
}

fn meta(view: &DocumentView, out: &mut String) {
    let d = &view.doc;
    let mut rows: Vec<(&str, String)> = vec![("format", d.format.clone())];
    if let Some(e) = &d.encoding {
        rows.push(("encoding", e.clone()));
    }
    if let Some(c) = &d.converted_from {
        rows.push(("converted_from", c.clone()));
    }
    rows.push(("bytes", int(d.bytes)));
    rows.push(("sha256", d.sha256.clone()));
    rows.push(("fiscal_year", d.fiscal_year.map(|y| y.to_string()).unwrap_or_else(|| "—".into())));
    rows.push(("forms", if d.forms.is_empty() { "—".into() } else { d.forms.join(", ") }));
    rows.push((
        "records",
        format!("{} projects, {} indicators, {} department goals", d.projects, d.indicators, d.department_goals),
    ));
    rows.push(("tables", format!("{} read of {}", d.tables_read, d.tables)));
    rows.push((
        "characters placed",
        format!(
            "{} of {} in the tables read{}",
            int(d.placed_chars),
            int(d.table_chars),
            percent(d.placed_chars, d.table_chars).map(|p| format!(" ({p})")).unwrap_or_default()
        ),
    ));
    if let Some(p) = &d.program {
        rows.push(("program", p.clone()));
    }
    if let Some(g) = &d.grammars {
        rows.push(("grammars", g.clone()));
    }
    if let Some(r) = &d.source_root {
        rows.push(("source_root", r.clone()));
    }
    out.push_str("<dl class=\"facts\">");
    for (k, v) in rows {
        let _ = write!(out, "<div><dt>{k}</dt><dd>{}</dd></div>", esc(&v));
    }
    out.push_str("</dl>\n");
}

fn parts_nav(links: &Links, part: usize, parts: usize, out: &mut String) {
    if parts <= 1 {
        return;
    }
    let _ = write!(out, "<p class=\"pager\">Part {part} of {parts}: ");
    for k in 1..=parts {
        if k == part {
            let _ = write!(out, "<span>{k}</span>");
        } else {
            let _ = write!(out, "<a href=\"{}\">{k}</a>", esc(&links.part_file(k)));
        }
    }
    out.push_str("</p>\n");
}

/// The pages of a document (one, unless it has more than [`PAGE_CELLS`] cells). `view.cells`
/// must be sorted ([`DocumentView::sort`]).
pub fn render(view: &DocumentView, links: &Links) -> Vec<String> {
    let cells = &view.cells;
    let anchors = Anchors::new(cells);
    let tables = tables(cells);
    let parts = paginate(&tables);

    // Each record beside the piece of table it starts in; the others after the tables.
    let table_of: HashMap<i32, usize> = tables.iter().enumerate().map(|(i, t)| (t.index, i)).collect();
    let chunk_of = |key: RowKey| -> Option<(usize, usize)> {
        let t = *table_of.get(&key.0)?;
        let row = tables[t].rows.iter().position(|(r, _)| *r == key.1)?;
        parts
            .iter()
            .enumerate()
            .find_map(|(p, chunks)| chunks.iter().position(|c| c.table == t && c.rows.contains(&row)).map(|c| (p, c)))
    };
    let project_anchor: Vec<Option<RowKey>> = view.projects.iter().map(|p| anchors.find(&p.location)).collect();
    let indicator_anchor: Vec<Option<RowKey>> = view.indicators.iter().map(|i| anchors.find(&i.location)).collect();
    let mut beside: BTreeMap<(usize, usize), (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    let mut loose: (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    for (i, a) in project_anchor.iter().enumerate() {
        match a.and_then(chunk_of) {
            Some(at) => beside.entry(at).or_default().0.push(i),
            None => loose.0.push(i),
        }
    }
    for (i, a) in indicator_anchor.iter().enumerate() {
        match a.and_then(chunk_of) {
            Some(at) => beside.entry(at).or_default().1.push(i),
            None => loose.1.push(i),
        }
    }
    // A project's cells run from its first row to the next project's.
    let mut starts: Vec<RowKey> = project_anchor.iter().flatten().copied().collect();
    starts.sort();
    let fed: Vec<HashMap<&str, &Cell>> = project_anchor
        .iter()
        .map(|a| {
            let next = a.and_then(|a| starts.iter().find(|s| **s > a).copied());
            project_cells(cells, *a, next)
        })
        .collect();

    let records = |projects: &[usize], indicators: &[usize], out: &mut String| {
        for &p in projects {
            project_card(&view.projects[p], project_anchor[p], &fed[p], &anchors, out);
        }
        if !indicators.is_empty() {
            let rows: Vec<(&Record, Option<RowKey>)> =
                indicators.iter().map(|&i| (&view.indicators[i], indicator_anchor[i])).collect();
            indicator_table(&rows, cells, &anchors, out);
        }
    };

    let n_parts = parts.len();
    let mut pages = Vec::with_capacity(n_parts);
    for (p, chunks) in parts.iter().enumerate() {
        let mut body = String::with_capacity(64 * 1024);
        header(view, links, &mut body);
        parts_nav(links, p + 1, n_parts, &mut body);
        if p == 0 {
            meta(view, &mut body);
            if !view.doc.warnings.is_empty() {
                body.push_str("<h2>Document warnings</h2>\n");
                warnings_list(&view.doc.warnings, &anchors, &mut body);
            }
        }
        if !chunks.is_empty() {
            body.push_str("<h2>Tables as read, and the records made from them</h2>\n");
            body.push_str(&legend());
        }
        for (c, chunk) in chunks.iter().enumerate() {
            let table = &tables[chunk.table];
            let (projects, indicators) = beside.get(&(p, c)).cloned().unwrap_or_default();
            let n_cells: usize = table.rows[chunk.rows.clone()].iter().map(|(_, r)| r.len()).sum();
            let pages_of: Vec<i32> = {
                let mut v: Vec<i32> = table.rows[chunk.rows.clone()]
                    .iter()
                    .flat_map(|(_, r)| cells[r.clone()].iter().filter_map(|c| c.page))
                    .collect();
                v.sort();
                v.dedup();
                v
            };
            let pages_text = match (pages_of.first(), pages_of.last()) {
                (Some(a), Some(b)) if a == b => format!(", page {a}"),
                (Some(a), Some(b)) => format!(", pages {a}–{b}"),
                _ => String::new(),
            };
            let rows_text = if chunk.rows.len() == table.rows.len() {
                format!("{} rows", table.rows.len())
            } else {
                format!(
                    "rows {}–{} of {}",
                    table.rows[chunk.rows.start].0,
                    table.rows[chunk.rows.end - 1].0,
                    table.rows.len()
                )
            };
            let mut drawn = String::new();
            draw_table(cells, table, chunk.rows.clone(), &mut drawn);
            let caption = format!("({rows_text}, {} cells{pages_text}", int(n_cells as i64));
            if !table.read && projects.is_empty() && indicators.is_empty() {
                // A table nothing was read from (a budget table beside the targets): folded,
                // the whole width, nothing beside it.
                let _ = writeln!(
                    body,
                    "<section class=\"unread\" id=\"t{0}\"><details><summary>Table {0} <small>{caption}): nothing was read from it</small></summary>\
                     <div class=\"scroll\">{drawn}</div></details></section>",
                    table.index
                );
                continue;
            }
            let _ = write!(
                body,
                "<section class=\"pair\" id=\"t{0}\"><div><h3>Table {0} <small>{caption})</small></h3><div class=\"scroll\">{drawn}</div></div><div class=\"recs\">",
                table.index
            );
            if projects.is_empty() && indicators.is_empty() {
                body.push_str("<p class=\"mute\">No record starts in this table.</p>");
            }
            records(&projects, &indicators, &mut body);
            body.push_str("</div></section>\n");
        }
        if p + 1 == n_parts {
            if !loose.0.is_empty() || !loose.1.is_empty() {
                body.push_str(
                    "<h2>Records whose location names no row of the tables</h2>\n\
                     <p class=\"mute\">Their <code>location</code> points at no cell read (text outside the tables, or a layout the page cannot place).</p>\n",
                );
                records(&loose.0, &loose.1, &mut body);
            }
            if !view.goals.is_empty() {
                body.push_str("<h2>Department goals (部门整体绩效目标)</h2>\n");
                goals_table(&view.goals, &mut body);
            }
            if cells.is_empty() && view.projects.is_empty() && view.goals.is_empty() {
                body.push_str("<p class=\"mute\">No table was read from this document.</p>\n");
            }
        }
        parts_nav(links, p + 1, n_parts, &mut body);
        body.push_str("</main>\n");
        pages.push(page(&view.doc.source_file, &body, None, Scripts::Inline));
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(t: i32, r: i32, c: i32, column: i32, text: &str) -> Cell {
        Cell {
            table_index: t,
            row_index: r,
            cell_index: c,
            column,
            row_span: 1,
            col_span: 1,
            text: text.into(),
            location: format!("table {t}, row {r}, column {column}"),
            ..Default::default()
        }
    }

    #[test]
    fn places_read_back_as_written() {
        let p = Place::parse("page 2, table 3, row 5, column 1");
        assert_eq!((p.page, p.table, p.row, p.column, p.lines), (Some(2), Some(3), Some(5), Some(1), None));
        assert_eq!(Place::parse("lines 60-168").lines, Some((60, 168)));
        assert_eq!(Place::parse("line 7").lines, Some((7, 7)));
        assert_eq!(Place::parse("table 1, row 1, lines 19-108").table, Some(1));
        assert_eq!(Place::parse("nonsense, page x"), Place::default());
    }

    #[test]
    fn records_find_their_rows_by_table_and_row_or_by_lines() {
        let mut cells = vec![cell(1, 1, 1, 1, "a"), cell(1, 2, 1, 1, "b")];
        cells[1].location = "table 4, row 9, column 1".into();
        let mut text = cell(2, 1, 1, 1, "c");
        text.location = "lines 105-106".into();
        cells.push(text);
        let a = Anchors::new(&cells);
        assert_eq!(a.find("table 4, row 9"), Some((1, 2)));
        assert_eq!(a.find("lines 100-112"), Some((2, 1)));
        assert_eq!(a.find("lines 1-104"), None);
        assert_eq!(a.find("table 9, row 9"), None);
    }

    #[test]
    fn merged_cells_span_and_their_lower_parts_are_not_drawn() {
        // 一级指标 merged over two rows, a two-column cell, and a gap in the grid.
        let mut top = cell(1, 1, 1, 1, "产出指标");
        top.row_span = 2;
        let mut wide = cell(1, 1, 2, 2, "数量指标");
        wide.col_span = 2;
        let mut below = cell(1, 2, 1, 1, "");
        below.continued = true;
        let after_gap = cell(1, 2, 2, 3, "≥217件");
        let cells = vec![top, wide, below, after_gap];
        let t = tables(&cells);
        assert!(t[0].grid);
        let mut out = String::new();
        draw_table(&cells, &t[0], 0..2, &mut out);
        assert!(out.contains("rowspan=\"2\""), "{out}");
        assert!(out.contains("colspan=\"2\""), "{out}");
        assert_eq!(out.matches("class=\"c\"").count(), 0, "the covered lower part is not drawn: {out}");
        // Row 2: column 1 is covered, column 2 is a gap, column 3 holds the value.
        let row2 = out.split("<tr").nth(2).unwrap();
        assert_eq!(row2.matches("class=\"g\"").count(), 1, "{row2}");
        assert!(row2.find("class=\"g\"").unwrap() < row2.find("≥217件").unwrap());
    }

    #[test]
    fn a_span_is_clipped_to_the_rows_drawn() {
        let mut top = cell(1, 1, 1, 1, "x");
        top.row_span = 3;
        let cells = vec![top, cell(1, 2, 1, 1, ""), cell(1, 3, 1, 1, "")];
        let t = tables(&cells);
        let mut out = String::new();
        draw_table(&cells, &t[0], 0..2, &mut out);
        assert!(out.contains("rowspan=\"2\"") && !out.contains("rowspan=\"3\""), "{out}");
    }

    #[test]
    fn cells_are_coloured_by_what_they_fed() {
        let mut c = cell(1, 1, 1, 1, "x");
        for (used, class) in [
            (Some("indicators.value_raw"), "f"),
            (Some("projects.extra_fields:备注"), "x"),
            (Some("label:projects.project_name"), "l"),
            (Some("header:indicators.level1"), "l"),
            (Some("evidence:fiscal_year"), "v"),
            (Some("warning"), "w"),
            (Some("placeholder"), "p"),
            (Some("subtotal"), "p"),
            (None, "u"),
        ] {
            c.used_as = used.map(str::to_string);
            assert_eq!(cell_class(&c, true), class, "{used:?}");
        }
        c.used_as = None;
        assert_eq!(cell_class(&c, false), "o", "a table nothing was read from is not unplaced text");
        c.text = " ".into();
        assert_eq!(cell_class(&c, true), "o");
    }

    #[test]
    fn long_documents_are_split_and_every_row_is_drawn_once() {
        let rows = PAGE_CELLS / 10 * 3 + 7;
        let cells: Vec<Cell> = (1..=rows as i32).flat_map(|r| (1..=10).map(move |c| cell(1, r, c, c, "t"))).collect();
        let t = tables(&cells);
        let parts = paginate(&t);
        assert!(parts.len() >= 4, "{}", parts.len());
        let drawn: usize = parts.iter().flatten().map(|c| c.rows.len()).sum();
        assert_eq!(drawn, rows);
        for p in &parts {
            let n: usize = p.iter().map(|c| c.rows.len() * 10).sum();
            assert!(n <= PAGE_CELLS);
        }
    }

    #[test]
    fn cell_text_is_escaped() {
        let cells = vec![cell(1, 1, 1, 1, "<img src=x onerror=alert(1)>")];
        let t = tables(&cells);
        let mut out = String::new();
        draw_table(&cells, &t[0], 0..1, &mut out);
        assert!(!out.contains("<img"), "{out}");
        assert!(out.contains("&lt;img src=x onerror=alert(1)&gt;"));
    }
}
