//! A document page as plain text, for a terminal (`inspect FILE`): the document's status, each
//! table row by row with every cell's place, spans and what it fed, then the records with their
//! locations and warnings, then the paragraphs outside the tables when asked for.

use std::fmt::Write;

use super::document::cell_class;
use super::model::{DocumentView, Record};

/// What a cell fed, in words, for the terminal (the colours of the page).
fn fed(class: &str, used_as: Option<&str>) -> String {
    match (used_as, class) {
        (Some("warning"), _) => "!! WARNING: quoted in a warning, placed nowhere".to_string(),
        (Some(u), _) => u.to_string(),
        (None, "u") => "!! NOTHING: text nothing took".to_string(),
        (None, "c") => "(lower part of the merged cell above)".to_string(),
        _ => "-".to_string(),
    }
}

/// One line of text, its line breaks shown as ⏎.
fn flat(s: &str) -> String {
    s.replace('\n', "⏎")
}

fn record_fields(r: &Record, out: &mut String) {
    for (column, value) in &r.fields {
        let _ = writeln!(out, "    {column}: {}", flat(value));
    }
    for w in &r.warnings {
        let _ = writeln!(out, "    WARNING: {w}");
    }
}

/// The text of a document's page. `paragraphs` (location, text) are listed after the
/// records when given.
pub fn render(view: &DocumentView, paragraphs: Option<&[(String, String)]>) -> String {
    let d = &view.doc;
    let mut out = String::new();
    let _ = writeln!(out, "{}  [{}]  {}", d.source_file, d.format, d.status);
    if let Some(reason) = &d.reason {
        let _ = writeln!(out, "reason: {reason}");
    }
    let _ = writeln!(
        out,
        "fiscal_year {}, forms [{}], {} projects, {} indicators, {} department goals; tables {} read of {}; characters placed {} of {}",
        d.fiscal_year.map(|y| y.to_string()).unwrap_or_else(|| "-".into()),
        d.forms.join(", "),
        d.projects,
        d.indicators,
        d.department_goals,
        d.tables_read,
        d.tables,
        d.placed_chars,
        d.table_chars
    );
    for w in &d.warnings {
        let _ = writeln!(out, "WARNING: {w}");
    }

    let mut i = 0;
    let cells = &view.cells;
    while i < cells.len() {
        let t = cells[i].table_index;
        let end = i + cells[i..].iter().take_while(|c| c.table_index == t).count();
        let read = cells[i..end].iter().any(|c| c.used_as.is_some());
        let _ = writeln!(out, "\ntable {t}{}", if read { "" } else { " (nothing read from it)" });
        let mut row = None;
        for c in &cells[i..end] {
            if row != Some(c.row_index) {
                row = Some(c.row_index);
                let joined = if c.joined_across_pages { " (joined across a page break)" } else { "" };
                let _ = writeln!(out, "  row {}{joined}", c.row_index);
            }
            let mut spans = String::new();
            if c.row_span > 1 {
                let _ = write!(spans, " rows×{}", c.row_span);
            }
            if c.col_span > 1 {
                let _ = write!(spans, " cols×{}", c.col_span);
            }
            let class = cell_class(c, read);
            let _ = writeln!(
                out,
                "    [{}{spans}] {} → {}   ({})",
                c.cell_index,
                if c.continued { "^".to_string() } else { format!("«{}»", flat(&c.text)) },
                fed(class, c.used_as.as_deref()),
                c.location
            );
        }
        i = end;
    }

    for p in &view.projects {
        let _ = writeln!(out, "\nproject {} ({})", p.table_index.unwrap_or(0), p.location);
        record_fields(p, &mut out);
    }
    if !view.indicators.is_empty() {
        out.push('\n');
    }
    for ind in &view.indicators {
        let _ = writeln!(
            out,
            "indicator {}.{} ({})",
            ind.table_index.unwrap_or(0),
            ind.row_index.unwrap_or(0),
            ind.location
        );
        record_fields(ind, &mut out);
    }
    if !view.goals.is_empty() {
        out.push_str("\ndepartment goals\n");
    }
    for g in &view.goals {
        let _ = writeln!(out, "  ({})", g.location);
        record_fields(g, &mut out);
    }
    if let Some(paragraphs) = paragraphs {
        let _ = writeln!(out, "\nparagraphs outside the tables ({})", paragraphs.len());
        for (at, text) in paragraphs {
            let _ = writeln!(out, "  [{at}] {}", flat(text));
        }
    }
    out
}
