//! The overview (`index.html`): files by format and status, projects and indicators by province
//! and year (a chart), the share of table text placed, the most frequent warnings, and the
//! documents that failed or ran out of time.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::documents::list_href;
use super::html::{esc, int, page, percent, stacked_bars, status_badge, Scripts};
use super::model::{Doc, DocumentView};

/// The order statuses are shown in.
pub const STATUSES: &[&str] = &["ok", "partial", "no_tables", "unrecognized", "failed", "timeout"];

/// Warnings listed on the overview.
const TOP_WARNINGS: usize = 30;
/// Failed and timed-out documents listed on the overview (the list has them all).
const LISTED_FAILURES: usize = 100;

/// A warning's kind: its text with numbers and quoted cell text taken out, so that the same
/// problem in many places counts as one (`cost value 34.6万元 exceeds the project budget of
/// 20万元` → `cost value N万元 exceeds the project budget of N万元`).
pub fn warning_kind(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut chars = w.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '«' {
            for c in chars.by_ref() {
                if c == '»' {
                    break;
                }
            }
            out.push_str("«…»");
        } else if c.is_ascii_digit() {
            // Digits, and a decimal point or thousands separator between digits.
            loop {
                let mut ahead = chars.clone();
                match ahead.next() {
                    Some(d) if d.is_ascii_digit() => {}
                    Some('.' | ',') if ahead.next().is_some_and(|d| d.is_ascii_digit()) => {}
                    _ => break,
                }
                chars.next();
            }
            out.push('N');
        } else {
            out.push(c);
        }
    }
    // The cells quoted after a place (`unrecognized row at page N, table N, row N: 科目编码 | …`)
    // differ from row to row: the kind ends at the place.
    for place in ["row N: ", "column N: "] {
        if let Some(at) = out.find(place) {
            out.truncate(at + place.len());
            out.push('…');
            break;
        }
    }
    out
}

/// What one document adds to the overview.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocFacts {
    /// Provinces of its projects, in order of first appearance.
    pub provinces: Vec<String>,
    /// (province, fiscal year) → projects, and → indicators.
    pub projects_by: BTreeMap<(Option<String>, Option<i32>), u64>,
    pub indicators_by: BTreeMap<(Option<String>, Option<i32>), u64>,
    /// Warning kind → (occurrences, the first warning of that kind).
    pub warnings: BTreeMap<String, (u64, String)>,
    pub cells: u64,
    pub pages: usize,
}

impl DocFacts {
    pub fn of(view: &DocumentView) -> DocFacts {
        let mut f = DocFacts { cells: view.cells.len() as u64, ..Default::default() };
        let year = |r: &super::model::Record| r.get("fiscal_year").and_then(|y| y.parse::<i32>().ok());
        for p in &view.projects {
            let province = p.get("province").map(str::to_string);
            if let Some(pr) = &province {
                if !f.provinces.contains(pr) {
                    f.provinces.push(pr.clone());
                }
            }
            *f.projects_by.entry((province, year(p))).or_default() += 1;
        }
        for i in &view.indicators {
            *f.indicators_by.entry((i.get("province").map(str::to_string), year(i))).or_default() += 1;
        }
        let all = view
            .doc
            .warnings
            .iter()
            .chain(view.projects.iter().chain(&view.indicators).chain(&view.goals).flat_map(|r| r.warnings.iter()));
        for w in all {
            let e = f.warnings.entry(warning_kind(w)).or_insert_with(|| (0, w.clone()));
            e.0 += 1;
        }
        f
    }
}

/// A warning kind over the dataset.
struct WarningCount {
    occurrences: u64,
    documents: u64,
    example: String,
    /// The first document that has it (its index).
    first: usize,
}

/// What the report read besides the documents: rows that named no document, the files read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reading {
    /// table → (part files, rows whose source_file documents.parquet does not list).
    pub tables: BTreeMap<&'static str, (usize, u64)>,
    /// Rows of documents.parquet naming a file named before (kept once).
    pub duplicate_documents: usize,
}

/// The overview page. `docs[i]` has facts `facts[i]` and its page at `hrefs[i]` (from the
/// site's root).
pub fn render(docs: &[Doc], facts: &[DocFacts], hrefs: &[String], reading: &Reading) -> String {
    let mut b = String::with_capacity(64 * 1024);
    b.push_str("<nav class=\"top\"><a href=\"index.html\">Overview</a><a href=\"documents/page-1.html\">Documents</a></nav>\n<main>\n");
    b.push_str("<h1>Extraction report</h1>\n");

    let projects: i64 = docs.iter().map(|d| d.projects).sum();
    let indicators: i64 = docs.iter().map(|d| d.indicators).sum();
    let goals: i64 = docs.iter().map(|d| d.department_goals).sum();
    let cells: u64 = facts.iter().map(|f| f.cells).sum();
    let _ = writeln!(
        b,
        "<p>{} documents, {} projects, {} indicators, {} department goal lines, {} table cells.</p>",
        int(docs.len() as i64),
        int(projects),
        int(indicators),
        int(goals),
        int(cells as i64)
    );

    files_by_format_and_status(docs, &mut b);
    by_province_and_year(facts, &mut b);
    placed_share(docs, &mut b);
    frequent_warnings(facts, hrefs, docs, &mut b);
    failures(docs, hrefs, &mut b);
    read_notes(reading, &mut b);
    b.push_str("</main>\n");
    page("budget-extract report", &b, None, Scripts::Inline)
}

fn files_by_format_and_status(docs: &[Doc], b: &mut String) {
    b.push_str("<h2 id=\"files\">Files by format and status</h2>\n");
    let mut counts: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    let mut formats: BTreeSet<&str> = BTreeSet::new();
    let mut statuses: Vec<&str> = STATUSES.to_vec();
    for d in docs {
        *counts.entry((d.format.as_str(), d.status.as_str())).or_default() += 1;
        formats.insert(&d.format);
        if !statuses.contains(&d.status.as_str()) {
            statuses.push(&d.status);
        }
    }
    b.push_str("<table class=\"grid\" id=\"by-format\"><thead><tr><th>format</th>");
    for s in &statuses {
        let _ = write!(b, "<th class=\"n\">{}</th>", status_badge(s));
    }
    b.push_str("<th class=\"n\">all</th></tr></thead><tbody>\n");
    let cell = |n: i64, query: &str| {
        if n == 0 {
            "<td class=\"n mute\">0</td>".to_string()
        } else {
            format!("<td class=\"n\"><a href=\"{}\">{}</a></td>", esc(&list_href(query)), int(n))
        }
    };
    for f in &formats {
        let _ = write!(b, "<tr><td>{}</td>", esc(f));
        let mut all = 0;
        for s in &statuses {
            let n = counts.get(&(*f, *s)).copied().unwrap_or(0);
            all += n;
            b.push_str(&cell(n, &format!("format={}&status={}", query_value(f), query_value(s))));
        }
        b.push_str(&cell(all, &format!("format={}", query_value(f))));
        b.push_str("</tr>\n");
    }
    b.push_str("<tr><th>all</th>");
    for s in &statuses {
        let n: i64 = counts.iter().filter(|((_, st), _)| st == s).map(|(_, n)| n).sum();
        b.push_str(&cell(n, &format!("status={}", query_value(s))));
    }
    b.push_str(&cell(docs.len() as i64, ""));
    b.push_str("</tr>\n</tbody></table>\n");
}

/// A value for a query string: percent-encoded but for unreserved characters.
pub fn query_value(v: &str) -> String {
    let mut out = String::new();
    for byte in v.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn by_province_and_year(facts: &[DocFacts], b: &mut String) {
    b.push_str("<h2 id=\"provinces\">Projects and indicators by province and year</h2>\n");
    let mut projects: BTreeMap<(Option<String>, Option<i32>), u64> = BTreeMap::new();
    let mut indicators: BTreeMap<(Option<String>, Option<i32>), u64> = BTreeMap::new();
    for f in facts {
        for (k, n) in &f.projects_by {
            *projects.entry(k.clone()).or_default() += n;
        }
        for (k, n) in &f.indicators_by {
            *indicators.entry(k.clone()).or_default() += n;
        }
    }
    if projects.is_empty() && indicators.is_empty() {
        b.push_str("<p class=\"mute\">No projects.</p>\n");
        return;
    }
    // Years ascending, unknown last; provinces by projects, most first.
    let mut years: Vec<Option<i32>> = projects.keys().chain(indicators.keys()).map(|(_, y)| *y).collect();
    years.sort_by_key(|y| (y.is_none(), *y));
    years.dedup();
    let mut provinces: Vec<Option<String>> =
        projects.keys().chain(indicators.keys()).map(|(p, _)| p.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    let total = |m: &BTreeMap<(Option<String>, Option<i32>), u64>, p: &Option<String>| -> u64 {
        m.iter().filter(|((q, _), _)| q == p).map(|(_, n)| n).sum()
    };
    provinces.sort_by(|a, b| {
        (total(&projects, b), total(&indicators, b)).cmp(&(total(&projects, a), total(&indicators, a))).then(a.cmp(b))
    });
    let year_name = |y: &Option<i32>| y.map(|y| y.to_string()).unwrap_or_else(|| "(no year)".into());
    let province_name = |p: &Option<String>| p.clone().unwrap_or_else(|| "(no province)".into());
    let series: Vec<String> = years.iter().map(year_name).collect();
    let rows = |m: &BTreeMap<(Option<String>, Option<i32>), u64>| -> Vec<(String, Vec<u64>)> {
        provinces
            .iter()
            .map(|p| (province_name(p), years.iter().map(|y| m.get(&(p.clone(), *y)).copied().unwrap_or(0)).collect()))
            .collect()
    };
    b.push_str("<div class=\"charts\" id=\"chart\">");
    b.push_str(&stacked_bars("Projects by province, by fiscal year", &series, &rows(&projects)));
    b.push_str(&stacked_bars("Indicators by province, by fiscal year", &series, &rows(&indicators)));
    b.push_str("</div>\n");
    b.push_str("<details><summary>the numbers</summary><table class=\"grid\" id=\"province-year\"><thead><tr><th>province</th><th>fiscal year</th><th class=\"n\">projects</th><th class=\"n\">indicators</th></tr></thead><tbody>\n");
    for p in &provinces {
        for y in &years {
            let k = (p.clone(), *y);
            let (np, ni) = (projects.get(&k).copied().unwrap_or(0), indicators.get(&k).copied().unwrap_or(0));
            if np + ni == 0 {
                continue;
            }
            let _ = writeln!(
                b,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&province_name(p)),
                esc(&year_name(y)),
                int(np as i64),
                int(ni as i64)
            );
        }
    }
    b.push_str("</tbody></table></details>\n");
}

fn placed_share(docs: &[Doc], b: &mut String) {
    b.push_str("<h2 id=\"placed\">Table text placed</h2>\n");
    let table: i64 = docs.iter().map(|d| d.table_chars).sum();
    let placed: i64 = docs.iter().map(|d| d.placed_chars).sum();
    let short: Vec<&Doc> = docs.iter().filter(|d| d.placed_chars < d.table_chars).collect();
    let _ = writeln!(
        b,
        "<p>Of the {} characters in the cells of the tables read (<code>documents.table_chars</code>), {} were placed in the records \
         (<code>placed_chars</code>): <strong id=\"placed-share\">{}</strong>. {} documents have text that was not placed \
         (<a href=\"{}\">partial</a>).</p>",
        int(table),
        int(placed),
        percent(placed, table).unwrap_or_else(|| "—".into()),
        int(short.len() as i64),
        esc(&list_href("status=partial"))
    );
    let mut by_format: BTreeMap<&str, (i64, i64, i64)> = BTreeMap::new();
    for d in docs {
        let e = by_format.entry(&d.format).or_default();
        e.0 += d.table_chars;
        e.1 += d.placed_chars;
        e.2 += i64::from(d.placed_chars < d.table_chars);
    }
    b.push_str("<table class=\"grid\"><thead><tr><th>format</th><th class=\"n\">table characters</th><th class=\"n\">placed</th><th class=\"n\">share</th><th class=\"n\">documents not all placed</th></tr></thead><tbody>\n");
    for (f, (t, p, n)) in by_format.iter().filter(|(_, (t, _, _))| *t > 0) {
        let share = percent(*p, *t).unwrap_or_default();
        let width = if *t > 0 { p * 80 / t } else { 0 };
        let _ = writeln!(
            b,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{share} <span class=\"bar\" style=\"width:{width}px\"></span></td><td class=\"n\">{}</td></tr>",
            esc(f),
            int(*t),
            int(*p),
            int(*n)
        );
    }
    b.push_str("</tbody></table>\n");
}

fn frequent_warnings(facts: &[DocFacts], hrefs: &[String], docs: &[Doc], b: &mut String) {
    b.push_str("<h2 id=\"warnings\">Most frequent warnings</h2>\n");
    let mut kinds: BTreeMap<&str, WarningCount> = BTreeMap::new();
    for (i, f) in facts.iter().enumerate() {
        for (kind, (n, example)) in &f.warnings {
            let e = kinds.entry(kind).or_insert_with(|| WarningCount {
                occurrences: 0,
                documents: 0,
                example: example.clone(),
                first: i,
            });
            e.occurrences += n;
            e.documents += 1;
        }
    }
    if kinds.is_empty() {
        b.push_str("<p class=\"mute\">No warnings.</p>\n");
        return;
    }
    let mut sorted: Vec<(&str, WarningCount)> = kinds.into_iter().collect();
    sorted.sort_by(|a, b| b.1.occurrences.cmp(&a.1.occurrences).then(a.0.cmp(b.0)));
    let _ = writeln!(
        b,
        "<p class=\"mute\">Warnings of documents, projects, indicators and department goals, counted by kind (numbers and quoted cell text set aside): the {} most frequent of {}.</p>",
        TOP_WARNINGS.min(sorted.len()),
        int(sorted.len() as i64)
    );
    b.push_str("<table class=\"grid\" id=\"top-warnings\"><thead><tr><th>warning</th><th class=\"n\">times</th><th class=\"n\">documents</th><th>for example</th></tr></thead><tbody>\n");
    for (kind, w) in sorted.iter().take(TOP_WARNINGS) {
        let _ = writeln!(
            b,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td><a href=\"{}\">{}</a><br><small>{}</small></td></tr>",
            esc(kind),
            int(w.occurrences as i64),
            int(w.documents as i64),
            esc(&hrefs[w.first]),
            esc(&docs[w.first].source_file),
            esc(&w.example)
        );
    }
    b.push_str("</tbody></table>\n");
}

fn failures(docs: &[Doc], hrefs: &[String], b: &mut String) {
    b.push_str("<h2 id=\"slowest\">Slowest documents</h2>\n");
    let timeouts: Vec<usize> = (0..docs.len()).filter(|&i| docs[i].status == "timeout").collect();
    let failed: Vec<usize> = (0..docs.len()).filter(|&i| docs[i].status == "failed").collect();
    let _ = writeln!(
        b,
        "<p>The dataset records no reading time per document (<code>documents.parquet</code> has no timing column), so the \
         slowest cannot be named from it. What it records: <a href=\"{}\">{} documents stopped at their time budget</a> \
         (<code>timeout</code>, past <code>--doc-timeout</code>) and <a href=\"{}\">{} documents that failed</a>.</p>",
        esc(&list_href("status=timeout")),
        int(timeouts.len() as i64),
        esc(&list_href("status=failed")),
        int(failed.len() as i64)
    );
    let listed: Vec<usize> = timeouts.iter().chain(&failed).copied().take(LISTED_FAILURES).collect();
    if listed.is_empty() {
        return;
    }
    b.push_str("<table class=\"grid\" id=\"failures\"><thead><tr><th>document</th><th>status</th><th>format</th><th>reason</th></tr></thead><tbody>\n");
    for i in &listed {
        let d = &docs[*i];
        let _ = writeln!(
            b,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&hrefs[*i]),
            esc(&d.source_file),
            status_badge(&d.status),
            esc(&d.format),
            esc(d.reason.as_deref().unwrap_or(""))
        );
    }
    b.push_str("</tbody></table>\n");
    if timeouts.len() + failed.len() > listed.len() {
        let _ =
            writeln!(b, "<p class=\"mute\">The first {} are shown; the documents list has them all.</p>", listed.len());
    }
}

fn read_notes(reading: &Reading, b: &mut String) {
    b.push_str("<h2 id=\"read\">What was read</h2>\n<table class=\"grid\"><thead><tr><th>table</th><th class=\"n\">files</th><th class=\"n\">rows naming no document</th></tr></thead><tbody>\n");
    for (table, (files, orphans)) in &reading.tables {
        let _ = writeln!(
            b,
            "<tr><td>{table}.parquet</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            int(*files as i64),
            int(*orphans as i64)
        );
    }
    b.push_str("</tbody></table>\n");
    if reading.duplicate_documents > 0 {
        let _ = writeln!(
            b,
            "<p class=\"warn\">{} rows of documents.parquet name a file another row names too: the first was kept.</p>",
            int(reading.duplicate_documents as i64)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_of_one_kind_count_together() {
        assert_eq!(
            warning_kind("cost value 34.6万元 exceeds the project budget of 20万元"),
            "cost value N万元 exceeds the project budget of N万元"
        );
        assert_eq!(
            warning_kind("taken by nothing: «（单位：万元）» (table 3, row 1, column 2)"),
            "taken by nothing: «…» (table N, row N, column N)"
        );
        assert_eq!(
            warning_kind("unrecognized row at page 37, table 25, row 2: 主管部门及代码 | 253_烟台市"),
            "unrecognized row at page N, table N, row N: …"
        );
        assert_eq!(
            warning_kind("row continues across a page break; joined"),
            "row continues across a page break; joined"
        );
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(query_value("no_tables"), "no_tables");
        assert_eq!(query_value("a&b=c"), "a%26b%3Dc");
        assert_eq!(query_value("河北省"), "%E6%B2%B3%E5%8C%97%E7%9C%81");
    }
}
