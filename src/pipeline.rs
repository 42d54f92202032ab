//! Drives one document through the stages: ingest → recognize → normalize. Every input file ends
//! as records or as a documents row with a status and a reason; a panic inside one document
//! becomes a `failed` row for that document. [`crate::batch`] runs many into one dataset.

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::grammars::Grammars;
use crate::recognize::ledger::{Accounting, CellId, Ledger};
use crate::records::{CellRecord, DocumentRecord, Extraction, Status};
use crate::{ingest, normalize, recognize};

/// Extracts one document from its bytes. Never panics: a panic in a stage is caught and reported
/// as a `failed` document.
pub fn extract(source_file: &str, bytes: &[u8], g: &Grammars) -> Extraction {
    extract_hashed(source_file, bytes, hex(&Sha256::digest(bytes)), g)
}

/// [`extract`] for a caller that has already hashed the bytes (the batch, which compares the
/// hash with its manifest first): `sha256` is their SHA-256 in lowercase hex.
pub fn extract_hashed(source_file: &str, bytes: &[u8], sha256: String, g: &Grammars) -> Extraction {
    let document = |format: &str, status: Status, reason: Option<String>| {
        DocumentRecord::new(source_file, format, bytes.len() as u64, sha256.clone(), status, reason)
    };
    let mut e = match panic::catch_unwind(AssertUnwindSafe(|| extract_inner(source_file, bytes, g, &document))) {
        Ok(e) => e,
        Err(payload) => {
            let detail = crate::error::caught_panic(payload.as_ref());
            let format = ingest::detect::detect(bytes).name();
            let reason = format!(
                "the {format} reader stopped on something in this file it does not handle: not read \
                 (an internal error, please report it; the warnings say where)"
            );
            let mut document = document(format, Status::Failed, Some(reason));
            document.warnings.push(format!("internal error: {detail}"));
            Extraction::only(document)
        }
    };
    // Lineage: what read it, and the content id every record carries.
    e.document.grammars = Some(g.fingerprint.clone());
    for p in &mut e.projects {
        p.document_id.clone_from(&sha256);
    }
    for i in &mut e.indicators {
        i.document_id.clone_from(&sha256);
    }
    for d in &mut e.department_goals {
        d.document_id.clone_from(&sha256);
    }
    for c in &mut e.cells {
        c.document_id.clone_from(&sha256);
    }
    e
}

/// Every cell of every table of the document, with what it fed.
fn cells(
    source_file: &str,
    doc: &crate::blocks::Document,
    ledger: &Ledger,
    fiscal_year: Option<i32>,
) -> Vec<CellRecord> {
    let mut out = Vec::new();
    for (t, table) in crate::recognize::ledger::tables(doc).enumerate() {
        for (r, row) in table.rows.iter().enumerate() {
            let joined = row.notes.iter().any(|n| n.contains("across a page break"));
            for (c, cell) in row.cells.iter().enumerate() {
                let id = CellId { table: t as u32, row: r as u32, cell: c as u32 };
                out.push(CellRecord {
                    source_file: source_file.to_string(),
                    document_id: String::new(),
                    fiscal_year,
                    table_index: t as u32 + 1,
                    page: cell.location.page.or(row.location.page),
                    row_index: r as u32 + 1,
                    cell_index: c as u32 + 1,
                    column: cell.location.column.unwrap_or(c as u32 + 1),
                    row_span: cell.row_span,
                    col_span: cell.col_span,
                    continued: cell.continued,
                    joined_across_pages: joined,
                    text: cell.text(),
                    used_as: ledger.get(&id).map(str::to_string),
                    location: cell.location.to_string(),
                });
            }
        }
    }
    out
}

fn extract_inner(
    source_file: &str,
    bytes: &[u8],
    g: &Grammars,
    document: &dyn Fn(&str, Status, Option<String>) -> DocumentRecord,
) -> Extraction {
    let ingested = match ingest::ingest(bytes, g) {
        Ok(i) => i,
        Err((format, e)) => {
            let mut document = document(format, Status::Failed, Some(e.to_string()));
            if let Error::Internal { detail, .. } = &e {
                document.warnings.push(format!("internal error: {detail}"));
            }
            return Extraction::only(document);
        }
    };
    let recognized = recognize::recognize(&ingested.document, g);
    let n = normalize::normalize(source_file, &recognized, g);
    let accounting = Accounting::of(&ingested.document, &recognized.ledger);

    let unplaced: u32 = recognized
        .projects
        .iter()
        .map(|p| p.unplaced + p.indicators.iter().filter(|i| i.unplaced).count() as u32)
        .sum();
    let empty_projects = recognized.projects.iter().filter(|p| p.indicators.is_empty()).count();
    // An amount that is no number (经济成本指标 under 项目总额) says the columns were misread.
    let not_amounts: Vec<(&str, &str)> = n
        .projects
        .iter()
        .flat_map(|p| {
            [&p.budget_total_raw, &p.budget_fiscal_raw, &p.budget_other_raw]
                .into_iter()
                .filter_map(|raw| raw.as_deref())
                .filter(|raw| crate::normalize::value::amount_with_unit(raw).is_err())
                .map(|raw| (p.location.as_str(), raw))
        })
        .collect();
    // (A document that gave no record at all is judged below: no_tables or unrecognized. One
    // that gave only the 部门整体绩效目标 prose still has its grids to account for.)
    let unread = if n.projects.is_empty() && n.department_goals.is_empty() {
        Vec::new()
    } else {
        unread_indicator_rows(&ingested.document, &recognized.ledger, g)
    };
    let (status, reason) = if n.projects.is_empty() && n.department_goals.is_empty() {
        let tables = ingested.document.tables().count();
        if let Some(seen) = unknown_form(&ingested.document, g) {
            let reason = format!(
                "a table that looks like a performance-target form in a layout the grammars do not know; \
                 header cells seen at {seen}; add its labels to grammars/vocabulary.toml (grammars/README.md) \
                 and run with --grammars DIR"
            );
            (Status::Unrecognized, Some(reason))
        } else {
            let mut reason = if !ingested.links.is_empty() {
                ingest::html::landing_reason(&ingested.links)
            } else if tables == 0 {
                "no tables and no 部门整体绩效目标 section found".to_string()
            } else {
                format!(
                    "{tables} table(s), none of them a performance-target table (no unit row, 项目名称 or indicator header)"
                )
            };
            // What could not be read may have held one.
            for lost in &ingested.lost {
                reason.push_str("; but ");
                reason.push_str(lost);
            }
            (Status::NoTables, Some(reason))
        }
    } else if unplaced > 0
        || empty_projects > 0
        || !not_amounts.is_empty()
        || !ingested.lost.is_empty()
        || !accounting.complete()
        || !unread.is_empty()
    {
        let mut parts = ingested.lost.clone();
        if let Some(first) = unread.first() {
            parts.push(format!(
                "{} table(s) of indicator rows read by nothing (a grid without its header?), first at {first}",
                unread.len()
            ));
        }
        if unplaced > 0 {
            parts.push(format!("{unplaced} row(s) or cell(s) could not be placed (see the projects' warnings)"));
        }
        if !accounting.unaccounted.is_empty() {
            let quoted: Vec<String> =
                accounting.unaccounted.iter().take(QUOTED_CELLS).map(|(at, text)| quote(at, text)).collect();
            parts.push(format!(
                "{} cell(s) of the tables read were taken by nothing: {}{}",
                accounting.unaccounted.len(),
                quoted.join(", "),
                if accounting.unaccounted.len() > QUOTED_CELLS { ", … (all in the warnings)" } else { "" }
            ));
        }
        if empty_projects > 0 {
            parts.push(format!("{empty_projects} project(s) without indicator rows"));
        }
        if let Some((at, raw)) = not_amounts.first() {
            parts.push(format!(
                "{} amount(s) that are no number, first «{raw}» in the project at {at} (columns misread?)",
                not_amounts.len()
            ));
        }
        (Status::Partial, Some(parts.join("; ")))
    } else {
        (Status::Ok, None)
    };
    let mut doc = document(ingested.format, status, reason);
    doc.tables = accounting.tables;
    doc.tables_read = accounting.tables_read;
    doc.table_chars = accounting.table_chars;
    doc.placed_chars = accounting.placed_chars;
    doc.placeholder_rows = accounting.placeholder_rows;
    doc.warnings.extend(recognized.notes.iter().cloned());
    doc.warnings.extend(unread.iter().map(|at| format!("indicator rows read by nothing, from {at}")));
    doc.warnings.extend(ingested.notes.iter().cloned());
    doc.warnings
        .extend(accounting.unaccounted.iter().map(|(at, text)| format!("taken by nothing: {}", quote(at, text))));
    let status = doc.status;
    doc.encoding = ingested.encoding;
    doc.converted_from = ingested.converted_from.map(str::to_string);
    doc.chars_outside_tables = ingested.tally.map(|t| t.outside_tables);
    doc.chars_set_aside = ingested.tally.map(|t| t.set_aside);
    if status == Status::NoTables {
        doc.attachments = ingested.links.iter().map(|l| l.file_name.clone()).collect();
    }
    doc.fiscal_year = n.fiscal_year;
    doc.projects = n.projects.len() as u32;
    doc.indicators = n.indicators.len() as u32;
    doc.department_goals = n.department_goals.len() as u32;
    for p in &n.projects {
        let form = format!("{}@{}", p.form.as_deref().unwrap_or("?"), g.forms_version);
        if !doc.forms.contains(&form) {
            doc.forms.push(form);
        }
    }
    let cells = cells(source_file, &ingested.document, &recognized.ledger, n.fiscal_year);
    Extraction {
        document: doc,
        projects: n.projects,
        indicators: n.indicators,
        department_goals: n.department_goals,
        cells,
    }
}

/// The first table that mentions a form word (指标, 绩效目标: `grammars/vocabulary.toml`
/// `[unrecognized]`) in its first rows, as `location: cell | cell | …` of its first row with
/// two or more cells of text, for a user to write a grammar from.
fn unknown_form(doc: &crate::blocks::Document, g: &Grammars) -> Option<String> {
    const ROWS: usize = 8;
    let table = doc.tables().find(|t| {
        t.rows.iter().take(ROWS).flat_map(|r| &r.cells).any(|c| {
            let text = c.text();
            g.form_hints.iter().any(|h| text.contains(h.as_str()))
        })
    })?;
    let row = table.rows.iter().take(ROWS).find(|r| r.cells.iter().filter(|c| !c.is_blank()).count() >= 2)?;
    let cells: Vec<String> = row
        .cells
        .iter()
        .filter(|c| !c.is_blank())
        .take(12)
        .map(|c| c.text().split_whitespace().collect::<String>().chars().take(24).collect())
        .collect();
    Some(format!("{}: {}", row.location, cells.join(" | ")))
}

/// Tables nothing was read from although their rows look like indicator rows (a level name
/// beside two more cells of text, or a cell holding the levels run together — a grid whose
/// columns were not found), among the tables of a document that has target tables: the rest of
/// a grid whose header the recognizer did not see. Their first row's location each.
fn unread_indicator_rows(doc: &crate::blocks::Document, ledger: &Ledger, g: &Grammars) -> Vec<String> {
    recognize::ledger::tables(doc)
        .enumerate()
        .filter(|(t, _)| !ledger.table_read(*t as u32))
        .filter_map(|(_, table)| {
            table
                .rows
                .iter()
                .find(|r| {
                    let texts: Vec<String> = r.cells.iter().map(|c| c.text()).filter(|t| !t.is_empty()).collect();
                    (texts.len() >= 3 && texts.iter().any(|t| g.is_level1(t) || g.is_level2(t)))
                        || texts.iter().any(|t| g.packed_levels(t).is_some())
                })
                .map(|r| r.location.to_string())
        })
        .collect()
}

/// Unplaced cells quoted in a reason (all of them are in the warnings).
const QUOTED_CELLS: usize = 5;

/// A cell's text quoted with its place, shortened for a reason.
fn quote(at: &str, text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = flat.chars().take(40).collect();
    let more = if flat.chars().count() > 40 { "…" } else { "" };
    format!("«{short}{more}» ({at})")
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Adds to the reason of a page without target tables which of the attachments it links to
/// sit beside it, in the folder of `path` (the page itself) — the reader sees only bytes.
pub fn note_attachments_beside(document: &mut DocumentRecord, path: &Path) {
    if document.attachments.is_empty() {
        return;
    }
    let Some(folder) = path.parent().map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p }) else {
        return;
    };
    let Ok(entries) = fs::read_dir(folder) else { return };
    let present: Vec<String> = entries.flatten().filter_map(|e| e.file_name().into_string().ok()).collect();
    let mut beside: Vec<&str> = Vec::new();
    for wanted in &document.attachments {
        if let Some(found) = present.iter().find(|p| p.to_lowercase() == wanted.to_lowercase()) {
            if !beside.contains(&found.as_str()) {
                beside.push(found);
            }
        }
    }
    if let (false, Some(reason)) = (beside.is_empty(), document.reason.as_mut()) {
        reason.push_str(&format!(
            "; beside it in the input folder: {} (read as a document of its own)",
            beside.join(", ")
        ));
    }
}

/// Reads and extracts one file; a read error becomes a `failed` document.
pub fn extract_file(path: &Path, g: &Grammars) -> Extraction {
    let source_file = crate::batch::inputs::source_name(path);
    match fs::read(path) {
        Ok(bytes) => {
            let mut e = extract(&source_file, &bytes, g);
            note_attachments_beside(&mut e.document, path);
            e
        }
        Err(e) => unread(&source_file, "unknown", 0, Status::Failed, format!("cannot read the file: {e}")),
    }
}

/// A document row for a file that was not (fully) read: too large, or past its time budget.
pub fn unread(source_file: &str, format: &str, bytes: u64, status: Status, reason: String) -> Extraction {
    Extraction::only(DocumentRecord::new(source_file, format, bytes, String::new(), status, Some(reason)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::{Block, Document, Location, Row, Table};

    #[test]
    fn a_grid_whose_columns_were_not_found_is_an_unread_grid() {
        let g = Grammars::builtin();
        let table = |rows: Vec<Row>| Block::Table(Table { rows, location: Location::default() });
        // A frame read as one-cell rows: the levels run together in one cell.
        let lost = table(vec![Row::of_texts(&["产出指标数量指标结案数量结案数量≥6000件"])]);
        // A budget report's table of one-cell rows: nothing of a grid.
        let other = table(vec![Row::of_texts(&["部门预算收支总表"]), Row::of_texts(&["一般公共服务支出"])]);
        let doc = Document { blocks: vec![other, lost] };
        let unread = unread_indicator_rows(&doc, &Ledger::default(), g);
        assert_eq!(unread.len(), 1, "{unread:?}");
    }
}
