//! Properties: random breakage of a known document — the kinds producers and Tika introduce —
//! still yields the same records. The document is seed 000's dump (four projects, 44 indicator
//! rows); the breakage: extra blank lines inside indicator rows, free-text cells split into two
//! paragraphs, spaces inside label cells, CRLF line ends, GB18030 encoding, in any combination.

mod common;

use budget_extract::grammars::Grammars;
use budget_extract::pipeline::extract;
use budget_extract::records::Status;
use proptest::prelude::*;

fn seed() -> String {
    String::from_utf8(common::read(&common::repo().join("samples/000_5439077655b7c2d3.txt"))).unwrap()
}

/// Labels and headers of the form: spaces inside them change nothing (labels are compared
/// without whitespace).
const LABELS: &[&str] =
    &["项目名称", "预算数", "其他资金", "绩效目标", "一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"];

#[derive(Debug, Clone)]
struct Breakage {
    /// Blank lines doubled, by their rank among the blank lines inside indicator rows.
    blank_lines: Vec<usize>,
    /// Level-3 / description cells split in two paragraphs, by rank, and where.
    splits: Vec<(usize, usize)>,
    /// Label cells given a space, by rank, and where.
    spaces: Vec<(usize, usize)>,
    crlf: bool,
    gb18030: bool,
}

fn breakage() -> impl Strategy<Value = Breakage> {
    (
        prop::collection::vec(0usize..200, 0..6),
        prop::collection::vec((0usize..100, 1usize..4), 0..6),
        prop::collection::vec((0usize..40, 1usize..3), 0..6),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(blank_lines, splits, spaces, crlf, gb18030)| Breakage {
            blank_lines,
            splits,
            spaces,
            crlf,
            gb18030,
        })
}

/// The cell lines (`\t…`) that hold free text of an indicator row: level 3 and description,
/// the 3rd and 4th cells of a row of five (rows follow a header `\t一级指标`).
fn free_text_cells(lines: &[String]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut in_grid = false;
    let mut cell = 0;
    for (i, l) in lines.iter().enumerate() {
        if l == "\t一级指标" {
            in_grid = true;
            cell = 0;
        }
        if !in_grid {
            continue;
        }
        if l.starts_with(' ') || (!l.starts_with('\t') && !l.is_empty()) {
            in_grid = false;
            continue;
        }
        if let Some(text) = l.strip_prefix('\t') {
            if (cell % 5 == 2 || cell % 5 == 3) && text.chars().count() >= 4 && cell >= 5 {
                out.push(i);
            }
            cell += 1;
        }
    }
    out
}

fn apply(b: &Breakage) -> Vec<u8> {
    let mut lines: Vec<String> = seed().split('\n').map(str::to_string).collect();
    // Spaces inside labels.
    let labels: Vec<usize> =
        (0..lines.len()).filter(|&i| LABELS.iter().any(|l| lines[i] == format!("\t{l}"))).collect();
    for &(rank, at) in &b.spaces {
        if let Some(&i) = labels.get(rank % labels.len().max(1)) {
            let chars: Vec<char> = lines[i][1..].chars().collect();
            let at = at.min(chars.len() - 1);
            lines[i] =
                format!("\t{} {}", chars[..at].iter().collect::<String>(), chars[at..].iter().collect::<String>());
        }
    }
    // Free-text cells split in two paragraphs (highest line first, so indices stay valid).
    let cells = free_text_cells(&lines);
    let mut split_at: Vec<(usize, usize)> =
        b.splits.iter().filter_map(|&(r, at)| cells.get(r % cells.len().max(1)).map(|&i| (i, at))).collect();
    split_at.sort();
    split_at.dedup_by_key(|(i, _)| *i);
    for &(i, at) in split_at.iter().rev() {
        let chars: Vec<char> = lines[i][1..].chars().collect();
        let at = at.min(chars.len() - 1);
        let (head, tail): (String, String) = (chars[..at].iter().collect(), chars[at..].iter().collect());
        lines[i] = format!("\t{head}");
        lines.insert(i + 1, tail);
    }
    // Doubled blank lines inside indicator grids (between the cells of a row: an empty paragraph).
    let blanks: Vec<usize> = (1..lines.len().saturating_sub(1))
        .filter(|&i| {
            lines[i].is_empty()
                && lines[i - 1].starts_with('\t')
                && lines[i + 1].starts_with('\t')
                && grid_line(&lines, i)
        })
        .collect();
    let mut doubled: Vec<usize> =
        b.blank_lines.iter().filter_map(|r| blanks.get(r % blanks.len().max(1)).copied()).collect();
    doubled.sort();
    doubled.dedup();
    for &i in doubled.iter().rev() {
        lines.insert(i, String::new());
    }
    let mut text = lines.join(if b.crlf { "\r\n" } else { "\n" });
    if !b.crlf {
        text = text.replace("\r\n", "\n");
    }
    if b.gb18030 {
        encoding_rs::GB18030.encode(&text).0.into_owned()
    } else {
        text.into_bytes()
    }
}

/// Whether line `i` lies inside an indicator grid (after a header, before the next heading).
fn grid_line(lines: &[String], i: usize) -> bool {
    let header = lines[..i].iter().rposition(|l| l == "\t一级指标");
    let heading = lines[..i].iter().rposition(|l| l.contains("绩效目标表") && !l.starts_with('\t'));
    matches!((header, heading), (Some(h), Some(t)) if h > t) || matches!((header, heading), (Some(_), None))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn broken_dumps_give_the_same_records(b in breakage()) {
        let g = Grammars::builtin();
        let base = extract("000.txt", seed().as_bytes(), g);
        prop_assert_eq!(base.document.status, Status::Ok);
        prop_assert_eq!((base.projects.len(), base.indicators.len()), (4, 44));
        let broken = extract("000.txt", &apply(&b), g);
        prop_assert_eq!(broken.document.status, Status::Ok, "{:?}", broken.document.reason);
        prop_assert_eq!(common::comparable(&broken), common::comparable(&base));
    }
}

/// The breakage is real: each kind changes the bytes (so the property is not vacuous).
#[test]
fn every_kind_of_breakage_changes_the_input() {
    let none = Breakage { blank_lines: vec![], splits: vec![], spaces: vec![], crlf: false, gb18030: false };
    let plain = apply(&none);
    assert_eq!(plain, seed().into_bytes());
    for b in [
        Breakage { blank_lines: vec![3], ..none.clone() },
        Breakage { splits: vec![(5, 2)], ..none.clone() },
        Breakage { spaces: vec![(0, 1)], ..none.clone() },
        Breakage { crlf: true, ..none.clone() },
        Breakage { gb18030: true, ..none.clone() },
    ] {
        assert_ne!(apply(&b), plain, "{b:?}");
    }
}
