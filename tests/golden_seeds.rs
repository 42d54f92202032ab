//! The seeds against their hand-checked ground truth (../shared/eval/truth/seeds), field by
//! field: the UTF-8 samples and their GB18030 + CRLF re-encodings must give the same records.

mod common;

use budget_extract::grammars::Grammars;
use budget_extract::pipeline::extract;
use budget_extract::records::{Extraction, Status};
use serde_json::Value;

/// Strings compare without whitespace (cells wrap differently across producers); None == "".
fn norm(v: Option<&str>) -> String {
    v.unwrap_or("").chars().filter(|c| !c.is_whitespace()).collect()
}

fn jstr(v: &Value) -> Option<&str> {
    v.as_str()
}

fn check(name: &str, e: &Extraction, truth: &Value) {
    assert_eq!(e.document.status, Status::Ok, "{name}: {:?}", e.document.reason);
    let fy = truth["fiscal_year"].as_i64().map(|y| y as i32);
    let tprojects = truth["projects"].as_array().unwrap();
    assert_eq!(e.projects.len(), tprojects.len(), "{name}: project count");
    for (p, t) in e.projects.iter().zip(tprojects) {
        let ctx = format!("{name} table {}", p.table_index);
        assert_eq!(p.table_index as i64, t["table_index"].as_i64().unwrap(), "{ctx}");
        for (field, got) in [
            ("title", &p.title),
            ("unit_code", &p.unit_code),
            ("unit_name", &p.unit_name),
            ("project_name", &p.project_name),
            ("project_code", &p.project_code),
            ("purpose", &p.purpose),
            ("goal", &p.goal),
        ] {
            assert_eq!(norm(got.as_deref()), norm(jstr(&t[field])), "{ctx}: {field}");
        }
        for (field, got) in [
            ("budget_total", p.budget_total.map(f64::from)),
            ("budget_fiscal", p.budget_fiscal.map(f64::from)),
            ("budget_other", p.budget_other.map(f64::from)),
        ] {
            assert_eq!(got, t[field].as_f64(), "{ctx}: {field}");
        }
        assert_eq!(p.fiscal_year, fy, "{ctx}: fiscal_year");

        let rows: Vec<_> = e.indicators.iter().filter(|i| i.table_index == p.table_index).collect();
        let trows = t["indicators"].as_array().unwrap();
        assert_eq!(rows.len(), trows.len(), "{ctx}: indicator rows");
        for (k, (r, tr)) in rows.iter().zip(trows).enumerate() {
            let rctx = format!("{ctx} row {}", k + 1);
            for (field, got) in [
                ("level1", &r.level1),
                ("level2", &r.level2),
                ("level3", &r.level3),
                ("description", &r.description),
                ("value_raw", &r.value_raw),
                ("value_op", &r.value_op),
                ("value_unit", &r.value_unit),
                ("basis", &r.basis),
            ] {
                assert_eq!(norm(got.as_deref()), norm(jstr(&tr[field])), "{rctx}: {field}");
            }
            assert_eq!(r.value_num.map(f64::from), tr["value_num"].as_f64(), "{rctx}: value_num");
            assert_eq!(r.project_name, p.project_name, "{rctx}: project context");
            assert_eq!(r.unit_code, p.unit_code, "{rctx}: unit context");
            assert_eq!(r.fiscal_year, fy, "{rctx}: fiscal_year");
        }
    }
}

fn run_folder(folder: &str) -> usize {
    run_variant(folder, ".txt")
}

/// Checks `<folder>/<stem><suffix>` of every seed against its truth.
fn run_variant(folder: &str, suffix: &str) -> usize {
    let Some(truth_dir) = common::shared("eval/truth/seeds") else { return 0 };
    let dir = common::repo().join(folder);
    let mut checked = 0;
    for entry in std::fs::read_dir(&truth_dir).unwrap() {
        let path = entry.unwrap().path();
        let truth: Value = serde_json::from_slice(&common::read(&path)).unwrap();
        let file = truth["file"].as_str().unwrap().replace(".txt", suffix);
        let file = file.as_str();
        let bytes = common::read(&dir.join(file));
        let e = extract(file, &bytes, Grammars::builtin());
        check(&format!("{folder}/{file}"), &e, &truth);
        checked += 1;
    }
    assert_eq!(checked, 2, "both seeds have truth");
    checked
}

#[test]
fn utf8_seeds_match_the_truth() {
    run_folder("samples");
}

#[test]
fn gb18030_crlf_seeds_match_the_truth() {
    run_folder("tests/fixtures/gb18030-crlf");
    let e = extract(
        "x",
        &common::read(&common::repo().join("tests/fixtures/gb18030-crlf/000_5439077655b7c2d3.txt")),
        Grammars::builtin(),
    );
    assert_eq!(e.document.encoding.as_deref(), Some("GB18030"));
}

#[test]
fn pdf_seeds_match_the_truth() {
    run_variant("samples", ".pdf");
}

#[test]
fn docx_seeds_match_the_truth() {
    run_variant("samples", ".docx");
    run_variant("samples", ".libreoffice.docx");
}

#[test]
fn bom_gives_the_same_records() {
    let g = Grammars::builtin();
    let plain = common::read(&common::repo().join("samples/001_5c85cbf3a97b1726.txt"));
    let bom = [b"\xEF\xBB\xBF".as_slice(), &plain].concat();
    let (a, b) = (extract("a", &plain, g), extract("a", &bom, g));
    // The same records; only the content id (a hash of the bytes) differs.
    assert_ne!(a.projects[0].document_id, b.projects[0].document_id);
    assert_eq!(common::comparable(&a), common::comparable(&b));
    assert_eq!(a.indicators.len(), b.indicators.len());
}

/// The 部门整体绩效目标 prose of seed 001, checked by hand against lines 1–50 of the dump.
#[test]
fn department_goals_of_seed_001() {
    let g = Grammars::builtin();
    let e = extract("001", &common::read(&common::repo().join("samples/001_5c85cbf3a97b1726.txt")), g);
    let goals = &e.department_goals;
    // One overall goal, then 4 goals × 6 indicator lines.
    assert_eq!(goals.len(), 25);
    assert_eq!(goals[0].section, "总体绩效目标");
    assert!(goals[0].goal_text.starts_with("坚持以习近平新时代中国特色社会主义思想为指导"));
    assert!(goals[0].goal_text.ends_with("四是加强干警队伍建设上加力度。"));
    let row = |i: usize| {
        let r = &goals[i];
        (r.goal_index, r.goal_text.as_str(), r.indicator_kind.as_deref(), r.indicator_text.as_deref())
    };
    assert_eq!(
        row(1),
        (Some(1), "积极主动作为，着力提升司法保障能力。", Some("数量指标"), Some("办公用房、业务用房的合理保障。"))
    );
    assert_eq!(row(6), (Some(1), "积极主动作为，着力提升司法保障能力。", Some("满意度指标"), Some("收益人员满意度（100%）（已审核确定的具体指标名称）。即调查中收益人员满意和较满意的数量占调查总人数的100%。")));
    assert_eq!(
        row(7),
        (
            Some(2),
            "强化审判管理，着力提高审判执行质效。",
            Some("数量指标"),
            Some("2022年各类案件（不含执行案件）结案率达到90%以上。")
        )
    );
    assert_eq!(
        row(23),
        (
            Some(4),
            "加强信息化建设，着力打造智慧法院",
            Some("可持续效益指标"),
            Some("不断提升法院信息化水平、智能化水平。")
        )
    );
    assert_eq!(row(24), (Some(4), "加强信息化建设，着力打造智慧法院", Some("满意度指标"), Some("收益群体满意度90%。")));
    assert!(goals.iter().all(|g| g.fiscal_year == Some(2023) && g.unit_code.as_deref() == Some("323001")));
    // Seed 000 has no such section.
    let e0 = extract("000", &common::read(&common::repo().join("samples/000_5439077655b7c2d3.txt")), g);
    assert!(e0.department_goals.is_empty());
}

/// Details the truth files do not cover, checked by hand against the dumps.
#[test]
fn audit_columns_of_the_seeds() {
    let g = Grammars::builtin();
    let e = extract("000", &common::read(&common::repo().join("samples/000_5439077655b7c2d3.txt")), g);
    let p4 = &e.projects[3];
    // Project 4 has no heading; its unit row is line 317 (` \t207101…`), right after project 3's last row.
    assert_eq!(p4.title, None);
    assert!(p4.location.starts_with("lines 317-"), "{}", p4.location);
    assert_eq!(p4.budget_fiscal_raw, None);
    assert_eq!(p4.budget_other_raw.as_deref(), Some("100.00"));
    assert_eq!(p4.fiscal_year, None);
    // Row 2 of project 1 (质量指标) sits in a merged 产出指标 cell: carried down, and marked so.
    let r = &e.indicators[1];
    assert_eq!((r.level1.as_deref(), r.level1_filled, r.level2_filled), (Some("产出指标"), true, false));
    assert_eq!(r.location, "lines 36-40");
    // ≥143万页 → 143 万页, scaled 1,430,000 页.
    let pages = e.indicators.iter().find(|i| i.value_raw.as_deref() == Some("≥143万页")).unwrap();
    assert_eq!(
        (pages.value_scaled_num.map(f64::from), pages.value_scaled_unit.as_deref()),
        (Some(1_430_000.0), Some("页"))
    );

    let e1 = extract("001", &common::read(&common::repo().join("samples/001_5c85cbf3a97b1726.txt")), g);
    let p1 = &e1.projects[0];
    assert_eq!(p1.fiscal_year_source, Some("title"));
    assert_eq!(e1.projects[5].fiscal_year_source, Some("document"));
    let plan: Value = serde_json::from_str(p1.spending_plan.as_deref().unwrap()).unwrap();
    assert_eq!(plan[0]["milestone"], "3月底");
    assert_eq!(plan[3]["percent"], 100.0);
    // Project 4: the cost target (≤34.6万元) exceeds its 20万元 budget, as published: warned, kept.
    let cost = e1.indicators.iter().find(|i| i.table_index == 4 && i.level2.as_deref() == Some("成本指标")).unwrap();
    assert_eq!(cost.value_num.map(f64::from), Some(34.6));
    assert_eq!(cost.warnings.len(), 1, "{:?}", cost.warnings);
}

/// The split-pages sample repeats seed 001 five times: five 部门整体绩效目标 sections, each with
/// its overall goal and 4 goals × 6 indicator lines.
#[test]
fn each_department_section_keeps_its_overall_goal() {
    let bytes = common::read(&common::repo().join("samples/split/split-pages-001x5.docx"));
    let e = extract("x", &bytes, Grammars::builtin());
    let overall: Vec<_> = e.department_goals.iter().filter(|g| g.section == "总体绩效目标").collect();
    assert_eq!(overall.len(), 5);
    assert!(overall.iter().all(|g| g.goal_text.starts_with("坚持以习近平新时代中国特色社会主义思想为指导")));
    assert_eq!(e.department_goals.len(), 5 * 25);
}
