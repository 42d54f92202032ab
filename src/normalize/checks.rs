//! Consistency checks. They add warnings; they never change a published value.

use super::decimal::Decimal;
use crate::grammars::Grammars;
use crate::records::{IndicatorRecord, ProjectRecord};

/// The total is the sum of its parts, exactly: amounts are decimals read from their digits.
/// With one part not published (a department table with 其他资金 and no 财政拨款 row), the
/// other part only has to fit in the total.
pub fn budget_sum(p: &mut ProjectRecord) {
    if let Some(total) = p.budget_total {
        if let (Some(part), None) | (None, Some(part)) = (p.budget_fiscal, p.budget_other) {
            if part > total {
                p.warnings.push(format!("budget_total {total} is less than its part {part}"));
            }
        } else if p.budget_fiscal.is_some() {
            let parts = p.budget_fiscal.unwrap_or(Decimal::ZERO).checked_add(p.budget_other.unwrap_or(Decimal::ZERO));
            if parts != Some(total) {
                let parts = parts.map_or("out of range".to_string(), |v| v.to_string());
                p.warnings.push(format!("budget_total {total} differs from budget_fiscal + budget_other = {parts}"));
            }
        }
    }
}

/// A level-2 name published under a level-1 it does not belong to (kept as published).
pub fn taxonomy(i: &mut IndicatorRecord, g: &Grammars) {
    if let (Some(l1), Some(l2)) = (&i.level1, &i.level2) {
        if g.level2_belongs_to(l2, l1) == Some(false) {
            i.warnings.push(format!("level2 {l2} does not belong to level1 {l1} in the taxonomy"));
        }
    }
}

/// A cost indicator (成本指标) whose amount exceeds the project's budget.
pub fn cost_within_budget(i: &mut IndicatorRecord, budget_total: Option<Decimal>) {
    let is_cost = [&i.level1, &i.level2].iter().any(|l| l.as_deref().is_some_and(|s| s.contains("成本")));
    let (Some(total), Some(v), Some(unit)) = (budget_total, i.value_num, i.value_unit.as_deref()) else { return };
    let in_wan = match unit {
        "万元" => v,
        "元" => v.divided_by_pow10(4).0,
        _ => return,
    };
    if is_cost && in_wan > total {
        i.warnings.push(format!("cost value {v}{unit} exceeds the project budget of {total}万元"));
    }
}

/// The same project (name and code) twice in one document.
pub fn duplicates(projects: &mut [ProjectRecord]) {
    for j in 0..projects.len() {
        let key = (&projects[j].project_name, &projects[j].project_code);
        if key.0.is_none() {
            continue;
        }
        if let Some(first) = projects[..j].iter().find(|p| (&p.project_name, &p.project_code) == key) {
            let msg = format!("duplicate of project table {} in the same document", first.table_index);
            projects[j].warnings.push(msg);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn budget_parts_must_add_up() {
        let mut p =
            ProjectRecord { budget_total: Some(dec("100")), budget_other: Some(dec("100")), ..Default::default() };
        budget_sum(&mut p);
        assert!(p.warnings.is_empty());
        // One part alone need not make the total (the other was not published)…
        p.budget_other = Some(dec("0.00"));
        budget_sum(&mut p);
        assert!(p.warnings.is_empty());
        // …but may not exceed it.
        p.budget_other = Some(dec("100.5"));
        budget_sum(&mut p);
        assert_eq!(p.warnings, vec!["budget_total 100 is less than its part 100.5"]);
        p.warnings.clear();
        p.budget_other = Some(dec("100"));
        p.budget_fiscal = Some(dec("5"));
        budget_sum(&mut p);
        assert_eq!(p.warnings, vec!["budget_total 100 differs from budget_fiscal + budget_other = 105"]);
    }

    #[test]
    fn level2_under_the_wrong_level1() {
        let mut i =
            IndicatorRecord {
                level1: Some("效益指标".into()), level2: Some("质量指标".into()), ..Default::default()
            };
        taxonomy(&mut i, Grammars::builtin());
        assert_eq!(i.warnings.len(), 1);
        let mut ok =
            IndicatorRecord {
                level1: Some("产出指标".into()), level2: Some("质量指标".into()), ..Default::default()
            };
        taxonomy(&mut ok, Grammars::builtin());
        assert!(ok.warnings.is_empty());
    }

    #[test]
    fn cost_above_budget() {
        let mut i = IndicatorRecord {
            level2: Some("成本指标".into()),
            value_num: Some(dec("34.6")),
            value_unit: Some("万元".into()),
            ..Default::default()
        };
        cost_within_budget(&mut i, Some(dec("20")));
        assert_eq!(i.warnings, vec!["cost value 34.6万元 exceeds the project budget of 20万元"]);
        let mut j = IndicatorRecord {
            value_num: Some(dec("3532")),
            value_unit: Some("元".into()),
            level2: Some("成本指标".into()),
            ..Default::default()
        };
        cost_within_budget(&mut j, Some(dec("336.08")));
        assert!(j.warnings.is_empty());
    }
}
