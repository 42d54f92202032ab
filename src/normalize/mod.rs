//! Normalize: recognized raw text → typed records. Every normalized value keeps its raw text
//! beside it; checks add warnings and never change what was published.

pub mod checks;
pub mod decimal;
pub mod entity;
pub mod place;
pub mod value;

use serde_json::json;

use crate::grammars::Grammars;
use crate::recognize::{RawProject, Recognized, Sourced};
use crate::records::{DepartmentGoalRecord, IndicatorRecord, ProjectRecord};
use decimal::Decimal;

/// The records of one document, before the document row is written.
#[derive(Debug, Default)]
pub struct Normalized {
    pub fiscal_year: Option<i32>,
    pub projects: Vec<ProjectRecord>,
    pub indicators: Vec<IndicatorRecord>,
    pub department_goals: Vec<DepartmentGoalRecord>,
}

/// A comparator or unit cell of its own; "无" (none) and blank mean there is none.
fn separate(cell: &Option<String>) -> &str {
    cell.as_deref().map(str::trim).filter(|t| !t.is_empty() && *t != "无").unwrap_or("")
}

/// `extra_fields` as a JSON object, label → value; a label met more than once (the lines of a
/// group's small table) maps to the array of its values, in order.
fn extra_json<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut map = serde_json::Map::new();
    for (k, v) in pairs {
        let v = serde_json::Value::String(v.to_string());
        match map.get_mut(k) {
            None => {
                map.insert(k.to_string(), v);
            }
            Some(serde_json::Value::Array(values)) => values.push(v),
            Some(first) => *first = serde_json::Value::Array(vec![first.take(), v]),
        }
    }
    serde_json::Value::Object(map).to_string()
}

/// A cell as published (for the `_raw` columns).
fn text(s: &Option<Sourced>) -> Option<String> {
    s.as_ref().map(|s| s.text.trim().to_string()).filter(|t| !t.is_empty())
}

/// A cell as read: without invisible characters (`grammars::visible`), which stay in the raw
/// columns only.
fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref().map(|t| crate::grammars::visible(t).trim().to_string()).filter(|t| !t.is_empty())
}

pub fn normalize(source_file: &str, rec: &Recognized, g: &Grammars) -> Normalized {
    // The document's year: the one its target tables' titles name (2019年专项资金整体支出绩效目标表),
    // else the one its text names most (a budget report also names the years before it).
    let titled: Vec<i32> = rec
        .projects
        .iter()
        .filter_map(|p| entity::project_year(p.title.as_ref().map(|t| t.text.as_str()), None, None, None).0)
        .collect();
    let doc_titled = entity::document_year(&titled);
    let doc_year = doc_titled.or_else(|| entity::document_year(&rec.year_mentions));
    let fiscal_year = doc_year.or_else(|| entity::path_year(source_file));
    let mut out = Normalized { fiscal_year, ..Normalized::default() };
    // Who published, for tables that do not say: the first unit a table of the document names,
    // else the first supervising department (主管部门) one names.
    let doc_unit =
        rec.projects.iter().find_map(|p| text(&p.unit)).or_else(|| rec.projects.iter().find_map(supervising));
    for (i, raw) in rec.projects.iter().enumerate() {
        let table_index = i as u32 + 1;
        let mut project = project(source_file, table_index, raw, doc_year, doc_unit.as_deref(), g);
        for (r, ind) in raw.indicators.iter().enumerate() {
            let mut rec = IndicatorRecord {
                source_file: source_file.to_string(),
                table_index,
                row_index: r as u32 + 1,
                location: ind.location.to_string(),
                unit_code: project.unit_code.clone(),
                unit_name: project.unit_name.clone(),
                origin: project.origin.clone(),
                form: project.form.clone(),
                record_kind: project.record_kind,
                fiscal_year: project.fiscal_year,
                project_name: project.project_name.clone(),
                project_code: project.project_code.clone(),
                level1: clean(&ind.level1),
                level1_filled: ind.level1_filled,
                level2: clean(&ind.level2),
                level2_filled: ind.level2_filled,
                level3: clean(&ind.level3),
                description: clean(&ind.description),
                value_raw: ind.value.clone(),
                basis: clean(&ind.basis),
                warnings: ind.notes.clone(),
                ..IndicatorRecord::default()
            };
            // Comparator and unit in columns of their own (指标性质 ≥ | 指标值 95 | 计量单位 %) read
            // as the one cell they stand for; "无" (none) in them means there is none.
            let composed = if ind.operator.is_some() || ind.unit.is_some() {
                ind.value.as_deref().map(|v| format!("{}{}{}", separate(&ind.operator), v.trim(), separate(&ind.unit)))
            } else {
                ind.value.clone()
            };
            let v = composed.as_deref().map(|raw| value::parse(raw, g)).unwrap_or_default();
            rec.value_op_raw = ind.operator.clone();
            rec.value_unit_raw = ind.unit.clone();
            rec.weight_raw = ind.weight.clone();
            rec.weight = ind.weight.as_deref().and_then(|w| value::amount(w).ok().flatten());
            rec.actual_raw = ind.actual.clone();
            rec.actual_num = ind.actual.as_deref().and_then(|a| value::parse(a, g).num);
            if !ind.extra.is_empty() {
                rec.extra_fields = Some(extra_json(ind.extra.iter().map(|(k, v)| (k.as_str(), v.as_str()))));
            }
            rec.value_kind = match (&ind.value, v.is_numeric()) {
                (None, _) => "empty",
                (Some(_), true) => "numeric",
                (Some(_), false) => "qualitative",
            };
            rec.value_op = v.op;
            rec.value_num = v.num;
            rec.value_unit = v.unit;
            rec.value_scaled_num = v.scaled_num;
            rec.value_scaled_unit = v.scaled_unit;
            checks::taxonomy(&mut rec, g);
            checks::cost_within_budget(&mut rec, project.budget_total);
            out.indicators.push(rec);
        }
        project.indicator_count = raw.indicators.len() as u32;
        out.projects.push(project);
    }
    checks::duplicates(&mut out.projects);

    let (unit_code, unit_name, origin) = out
        .projects
        .first()
        .map_or((None, None, Default::default()), |p| (p.unit_code.clone(), p.unit_name.clone(), p.origin.clone()));
    out.department_goals = rec
        .department_goals
        .iter()
        .map(|goal| DepartmentGoalRecord {
            source_file: source_file.to_string(),
            location: goal.location.to_string(),
            unit_code: unit_code.clone(),
            unit_name: unit_name.clone(),
            origin: origin.clone(),
            fiscal_year: doc_year,
            section: goal.section.clone(),
            goal_index: goal.goal_index,
            goal_text: goal.goal_text.clone(),
            indicator_kind: goal.indicator_kind.clone(),
            indicator_text: goal.indicator_text.clone(),
            ..DepartmentGoalRecord::default()
        })
        .collect();
    out
}

/// The supervising department a table names (主管部门及代码, 主管部门).
fn supervising(raw: &RawProject) -> Option<String> {
    ["主管部门及代码", "主管部门"].iter().find_map(|label| {
        raw.extra.iter().find(|(k, _)| k == label).map(|(_, v)| v.text.trim().to_string()).filter(|t| !t.is_empty())
    })
}

fn project(
    source_file: &str,
    table_index: u32,
    raw: &RawProject,
    doc_year: Option<i32>,
    doc_unit: Option<&str>,
    g: &Grammars,
) -> ProjectRecord {
    let mut p = ProjectRecord {
        source_file: source_file.to_string(),
        table_index,
        location: raw.location.to_string(),
        title: clean(&text(&raw.title)),
        unit_raw: text(&raw.unit),
        project_name: clean(&text(&raw.project_name)),
        project_code: clean(&text(&raw.project_code)),
        amount_unit_raw: raw.amount_unit.clone(),
        budget_total_raw: text(&raw.budget_total),
        budget_fiscal_raw: text(&raw.budget_fiscal),
        budget_other_raw: text(&raw.budget_other),
        purpose: clean(&text(&raw.purpose)),
        goal: clean(&text(&raw.goal)),
        warnings: raw.notes.clone(),
        headers_read: (!raw.headers_read.is_empty()).then(|| {
            let read: Vec<serde_json::Value> = raw
                .headers_read
                .iter()
                .map(|(text, column, by)| json!({"text": text, "read_as": column, "by": by.as_str()}))
                .collect();
            serde_json::Value::Array(read).to_string()
        }),
        ..ProjectRecord::default()
    };
    if p.unit_raw.is_none() {
        // A form without a unit of its own: its supervising department, else the document's.
        let (unit, from) = match supervising(raw) {
            Some(u) => (Some(u), "its 主管部门"),
            None => (doc_unit.map(str::to_string), "another table of the document"),
        };
        if let Some(unit) = unit {
            p.warnings.push(format!("the table names no unit; unit read from {from}: {unit}"));
            p.unit_raw = Some(unit);
        }
    }
    if let Some(unit) = clean(&p.unit_raw) {
        let (code, name) = entity::split_unit(&unit, g.unit_code_digits);
        p.origin = place::origin(&name, &g.places);
        p.unit_code = code;
        p.unit_name = Some(name);
    }
    let form = g.form(p.title.as_deref(), &raw.label_keys);
    p.form = Some(form.id.clone());
    p.record_kind = form.kind.as_str();
    if p.project_name.is_none() && p.record_kind == "project" {
        // Fujian forms without a 项目名称 row are titled after the project:
        // 96196电梯应急处置服务平台项目绩效目标表.
        let named = p.title.as_deref().and_then(|t| t.strip_suffix("项目绩效目标表")).map(str::trim);
        if let Some(name) = named.filter(|n| !n.is_empty() && !n.ends_with("项目") && !n.ends_with("年")) {
            p.project_name = Some(name.to_string());
            p.warnings.push("project name read from the title (the form has no 项目名称 row)".into());
        }
    }
    let (year, source) =
        entity::project_year(p.title.as_deref(), p.project_name.as_deref(), doc_year, Some(source_file));
    p.fiscal_year = year;
    p.fiscal_year_source = source;

    // Amounts are published in 万元 or 元; the columns are always 万元 (元 ÷ 10⁴, exactly to the
    // sixth decimal place: a fen is 0.000001 万元).
    let shift = match raw.amount_unit.as_deref() {
        Some("万元") => 0,
        Some("元") => {
            p.warnings.push("amounts declared in 元, converted to 万元".into());
            4
        }
        Some(other) => {
            p.warnings.push(format!("amount unit {other:?} is not 元 or 万元; amounts kept as published"));
            0
        }
        None => {
            if p.budget_total_raw.is_some() || p.budget_fiscal_raw.is_some() || p.budget_other_raw.is_some() {
                p.warnings.push("amount unit not declared; 万元 assumed".into());
            }
            0
        }
    };
    let amount = |raw: &Option<String>, name: &str, warnings: &mut Vec<String>| -> Option<Decimal> {
        match value::amount_with_unit(raw.as_deref()?) {
            Ok(v) => v.map(|(v, own_unit)| {
                // A unit written in the cell (280.7万元) is the value's own.
                let shift = match own_unit {
                    Some("元") => 4,
                    Some(_) => 0,
                    None => shift,
                };
                let (wan, exact) = v.divided_by_pow10(shift);
                if !exact {
                    warnings.push(format!("{name}: {v}元 is {wan}万元 rounded to the sixth decimal place"));
                }
                wan
            }),
            Err(e) => {
                warnings.push(format!("{name}: {e}"));
                None
            }
        }
    };
    let mut warnings = std::mem::take(&mut p.warnings);
    p.budget_total = amount(&p.budget_total_raw, "budget_total", &mut warnings);
    p.budget_fiscal = amount(&p.budget_fiscal_raw, "budget_fiscal", &mut warnings);
    p.budget_other = amount(&p.budget_other_raw, "budget_other", &mut warnings);
    p.warnings = warnings;

    if !raw.spending_plan.is_empty() {
        let plan: Vec<serde_json::Value> = raw
            .spending_plan
            .iter()
            .map(|(milestone, pct)| {
                json!({ "milestone": milestone, "percent": crate::recognize::grammar::percent(pct), "raw": pct })
            })
            .collect();
        p.spending_plan = Some(serde_json::Value::Array(plan).to_string());
    }
    if !raw.extra.is_empty() {
        p.extra_fields = Some(extra_json(raw.extra.iter().map(|(k, v)| (k.as_str(), v.text.trim()))));
    }
    checks::budget_sum(&mut p);
    p
}
