//! The 部门整体绩效目标 prose: an overall goal (一、总体绩效目标), then numbered goals
//! (二、分项绩效目标: `1、绩效目标：…`), each with lines `数量指标：…`, `质量指标：…`.

use super::{grammar, RawGoal};
use crate::blocks::{Document, Location};
use crate::grammars::DepartmentSection;

const OVERALL: &str = "总体绩效目标";
const ITEMIZED: &str = "分项绩效目标";

#[derive(PartialEq)]
enum Section {
    Outside,
    /// Inside the prose part, in no known sub-section.
    Other,
    Overall,
    Itemized,
}

pub fn read(doc: &Document, v: &DepartmentSection) -> Vec<RawGoal> {
    let mut out: Vec<RawGoal> = Vec::new();
    let mut section = Section::Outside;
    let mut overall: Option<RawGoal> = None;
    // The numbered goal being read and whether a row has been written for it yet.
    let mut goal: Option<(i32, String, Location)> = None;
    let mut goal_has_rows = false;
    let contains_any = |text: &str, words: &[String]| words.iter().any(|w| text.contains(w.as_str()));

    let flush_goal = |out: &mut Vec<RawGoal>, goal: &mut Option<(i32, String, Location)>, has_rows: &mut bool| {
        if let Some((n, text, loc)) = goal.take() {
            if !*has_rows {
                out.push(RawGoal {
                    section: ITEMIZED.into(),
                    goal_index: Some(n),
                    goal_text: text,
                    location: loc,
                    ..RawGoal::default()
                });
            }
        }
        *has_rows = false;
    };

    for p in doc.paragraphs() {
        let text = p.text.trim();
        if text.is_empty() {
            continue;
        }
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if section == Section::Outside {
            if contains_any(&compact, &v.start) && compact.chars().count() <= 20 {
                section = Section::Other;
            }
            continue;
        }
        if contains_any(&compact, &v.stop) && compact.chars().count() <= 20 {
            out.extend(overall.take());
            flush_goal(&mut out, &mut goal, &mut goal_has_rows);
            section = Section::Outside;
            continue;
        }
        if let Some(heading) = grammar::section_heading(text) {
            // Each section's overall goal is its own row, in document order.
            out.extend(overall.take());
            flush_goal(&mut out, &mut goal, &mut goal_has_rows);
            section = if contains_any(heading, &v.overall_heading) {
                Section::Overall
            } else if contains_any(heading, &v.itemized_heading) {
                Section::Itemized
            } else {
                Section::Other
            };
            continue;
        }
        match section {
            Section::Overall => match &mut overall {
                Some(o) => {
                    o.goal_text.push('\n');
                    o.goal_text.push_str(text);
                    o.location = o.location.merge(p.location);
                }
                None => {
                    overall = Some(RawGoal {
                        section: OVERALL.into(),
                        goal_text: text.into(),
                        location: p.location,
                        ..RawGoal::default()
                    })
                }
            },
            Section::Itemized => {
                if let Some((n, rest)) = grammar::numbered_line(text) {
                    flush_goal(&mut out, &mut goal, &mut goal_has_rows);
                    let rest = v.goal_prefixes.iter().find_map(|pre| rest.strip_prefix(pre.as_str())).unwrap_or(rest);
                    goal = Some((n, rest.trim().to_string(), p.location));
                } else if v.indicator_intro.iter().any(|w| compact == *w || compact == w.trim_end_matches(['：', ':']))
                {
                    // "绩效指标：" introduces the lines below and carries no data.
                } else if let Some((kind, rest)) = grammar::kind_line(text, &v.indicator_kinds) {
                    let (index, goal_text) =
                        goal.as_ref().map_or((None, String::new()), |(n, t, _)| (Some(*n), t.clone()));
                    out.push(RawGoal {
                        section: ITEMIZED.into(),
                        goal_index: index,
                        goal_text,
                        indicator_kind: Some(kind),
                        indicator_text: Some(rest.to_string()),
                        location: p.location,
                    });
                    goal_has_rows = true;
                } else if let Some(last) = out.last_mut().filter(|_| goal_has_rows) {
                    // A wrapped indicator line.
                    if let Some(t) = &mut last.indicator_text {
                        t.push('\n');
                        t.push_str(text);
                    }
                    last.location = last.location.merge(p.location);
                } else if let Some((_, t, loc)) = &mut goal {
                    t.push('\n');
                    t.push_str(text);
                    *loc = loc.merge(p.location);
                }
            }
            Section::Other | Section::Outside => {}
        }
    }
    flush_goal(&mut out, &mut goal, &mut goal_has_rows);
    out.extend(overall);
    out
}
