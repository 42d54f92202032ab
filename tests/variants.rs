//! The label variants of `samples/variants/` (scripts/make_variant_samples.py): seed 000's first
//! project spelled as other departments and years spell it, each as a text dump, a .docx and its
//! LibreOffice PDF. Every variant must give the base's records, in every format; the 2021 form
//! moves the cost row to a first-level 成本指标; an unknown layout is `unrecognized`.

mod common;

use budget_extract::grammars::Grammars;
use budget_extract::pipeline::extract;
use budget_extract::records::{Extraction, Status};

const FORMATS: [&str; 3] = ["txt", "docx", "pdf"];

fn variant(name: &str, format: &str) -> Extraction {
    let path = common::repo().join("samples/variants").join(format!("{name}.{format}"));
    extract(&format!("{name}.{format}"), &common::read(&path), Grammars::builtin())
}

/// The base, checked by hand against the seed dump (lines 1–88 of 000_5439077655b7c2d3.txt).
#[test]
fn the_base_project_reads_the_same_in_every_format() {
    for format in FORMATS {
        let e = variant("base", format);
        assert_eq!(e.document.status, Status::Ok, "{format}: {:?}", e.document.reason);
        let p = &e.projects[0];
        assert_eq!(
            (p.title.as_deref(), p.unit_code.as_deref(), p.project_name.as_deref(), p.budget_total, p.budget_fiscal),
            (Some("办案业务费绩效目标表"), Some("207101"), Some("办案业务费"), Some(49.7), Some(49.7)),
            "{format}"
        );
        assert_eq!(p.goal.as_deref(), Some("1.弥补基层法院办案业务经费不足，提高法院建设管理水平，持续维护公平正义"));
        assert_eq!(e.indicators.len(), 9, "{format}");
        let cost = &e.indicators[3];
        assert_eq!(
            (cost.level1.as_deref(), cost.level2.as_deref(), cost.level3.as_deref(), cost.value_raw.as_deref()),
            (Some("产出指标"), Some("成本指标"), Some("项目资金成本"), Some("49.7万元")),
            "{format}"
        );
        assert_eq!(common::comparable(&e), common::comparable(&variant("base", "txt")), "{format}");
    }
}

#[test]
fn every_label_variant_gives_the_base_records() {
    let variants = [
        "name-colon",
        "goal-annual",
        "goal-overall",
        "value-target",
        "value-annual",
        "value-annual-project",
        "level3-content",
        "level3-name",
    ];
    for format in FORMATS {
        let base = common::comparable(&variant("base", format));
        for name in variants {
            let e = variant(name, format);
            assert_eq!(e.document.status, Status::Ok, "{name}.{format}: {:?}", e.document.reason);
            assert_eq!(e.document.forms, ["project-targets@1"], "{name}.{format}");
            assert_eq!(common::comparable(&e), base, "{name}.{format}");
        }
    }
}

/// The 2021 form: 成本指标 is a first-level indicator with 经济成本指标 under it — read as
/// published, with no taxonomy warning; every other row as the base.
#[test]
fn cost_as_a_first_level_indicator() {
    for format in FORMATS {
        let base = variant("base", format);
        let e = variant("cost-first-level", format);
        assert_eq!(e.document.status, Status::Ok, "{format}: {:?}", e.document.reason);
        assert_eq!(e.indicators.len(), 9);
        for (k, (a, b)) in e.indicators.iter().zip(&base.indicators).enumerate() {
            if k == 3 {
                assert_eq!((a.level1.as_deref(), a.level1_filled), (Some("成本指标"), false), "{format}");
                assert_eq!(a.level2.as_deref(), Some("经济成本指标"), "{format}");
                assert_eq!((a.level3.as_deref(), a.value_num), (Some("项目资金成本"), Some(49.7)), "{format}");
                assert!(a.warnings.iter().all(|w| !w.contains("does not belong")), "{format}: {:?}", a.warnings);
            } else {
                assert_eq!(
                    (&a.level1, &a.level2, &a.level3, &a.value_raw),
                    (&b.level1, &b.level2, &b.level3, &b.value_raw)
                );
            }
        }
    }
}

#[test]
fn an_unknown_layout_is_unrecognized_with_the_headers_it_saw() {
    for format in FORMATS {
        let e = variant("unknown-layout", format);
        assert_eq!(e.document.status, Status::Unrecognized, "{format}: {:?}", e.document.reason);
        assert!(e.projects.is_empty() && e.indicators.is_empty());
        let reason = e.document.reason.unwrap();
        assert!(reason.contains("考核维度 | 考核方向 | 考核指标 | 考核说明 | 目标数值"), "{format}: {reason}");
        assert!(reason.contains("grammars/vocabulary.toml"), "{reason}");
    }
}
