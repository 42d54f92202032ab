//! Who and when: the reporting unit (code + name) and the fiscal year.

use crate::recognize::grammar;

/// `207101天津市河北区人民法院` → (Some(`207101`), `天津市河北区人民法院`); a cell without a
/// code is all name.
pub fn split_unit(raw: &str, code_digits: usize) -> (Option<String>, String) {
    match grammar::unit_cell(raw, code_digits).or_else(|| grammar::coded_department(raw)) {
        Some((code, name)) => (Some(code.to_string()), name.to_string()),
        None => (None, raw.trim().to_string()),
    }
}

/// The document's fiscal year: the most frequent `YYYY年度` in its text (the earliest-mentioned
/// among equals). None when the document never says.
pub fn document_year(mentions: &[i32]) -> Option<i32> {
    let mut best: Option<(usize, i32)> = None;
    for (i, &y) in mentions.iter().enumerate() {
        if mentions[..i].contains(&y) {
            continue;
        }
        let n = mentions.iter().filter(|&&m| m == y).count();
        if best.is_none_or(|(bn, _)| n > bn) {
            best = Some((n, y));
        }
    }
    best.map(|(_, y)| y)
}

/// A project's fiscal year and where it came from: its title (`2024年度…`, `…2026年…表`), the
/// year of the document (the one its target tables are titled with, else the one its text names
/// most), else a year in its name, else the file's path. The document's year comes before the
/// name's: a project named `2024年度历史文化名镇名村保护` or `2023年度…第三方机构选定` in a 2026
/// budget is funded by the 2026 budget (Yantai 32); a name's year is the work's, not the budget's.
pub fn project_year(
    title: Option<&str>,
    name: Option<&str>,
    document: Option<i32>,
    path: Option<&str>,
) -> (Option<i32>, Option<&'static str>) {
    if let Some(y) = title.and_then(title_year) {
        return (Some(y), Some("title"));
    }
    if document.is_some() {
        return (document, Some("document"));
    }
    if let Some(y) = name.and_then(|t| grammar::year_mentions(t).first().copied()) {
        return (Some(y), Some("project_name"));
    }
    match path.and_then(path_year) {
        Some(y) => (Some(y), Some("path")),
        None => (None, None),
    }
}

/// The year a title names: `YYYY年度`, or the first `YYYY年` of four digits standing alone
/// (`2024年市级部门整体预算绩效目标表`, `广州市生态环境局2026年部门整体预算绩效目标申报表`).
fn title_year(title: &str) -> Option<i32> {
    if let Some(y) = grammar::year_mentions(title).first() {
        return Some(*y);
    }
    let chars: Vec<char> = title.chars().collect();
    (0..chars.len().saturating_sub(4)).find_map(|k| {
        let digits = &chars[k..k + 4];
        let alone = k == 0 || !chars[k - 1].is_ascii_digit();
        let year: i32 = digits.iter().collect::<String>().parse().ok()?;
        (alone && digits.iter().all(char::is_ascii_digit) && chars[k + 4] == '年' && (1990..=2099).contains(&year))
            .then_some(year)
    })
}

/// A year in a file's path (`…/2023/…`, `…_2023_dept-budget.pdf`, `2023年预算.pdf`): four digits
/// 1990–2099 standing alone (not part of a longer number); the file name first, then the
/// folders from the nearest.
pub fn path_year(path: &str) -> Option<i32> {
    let parts: Vec<&str> = path.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    parts.iter().rev().find_map(|part| {
        let chars: Vec<char> = part.chars().collect();
        (0..chars.len().saturating_sub(3)).find_map(|i| {
            let run = &chars[i..i + 4];
            let alone =
                (i == 0 || !chars[i - 1].is_ascii_digit()) && chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
            let year: i32 = run.iter().collect::<String>().parse().ok()?;
            (alone && run.iter().all(char::is_ascii_digit) && (1990..=2099).contains(&year)).then_some(year)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(split_unit("207101天津市河北区人民法院", 6), (Some("207101".into()), "天津市河北区人民法院".into()));
        assert_eq!(split_unit("某某法院", 6), (None, "某某法院".into()));
    }

    #[test]
    fn years() {
        assert_eq!(document_year(&[2022, 2023, 2023]), Some(2023));
        assert_eq!(document_year(&[2023, 2022]), Some(2023));
        assert_eq!(document_year(&[]), None);
        assert_eq!(
            project_year(Some("刑场建设项目绩效目标表"), Some("刑场建项目绩效"), Some(2023), None),
            (Some(2023), Some("document"))
        );
        assert_eq!(
            project_year(Some("2024年度公务运转经费绩效目标表"), None, Some(2023), None),
            (Some(2024), Some("title"))
        );
        assert_eq!(
            project_year(Some("2024年市级部门整体预算绩效目标表"), None, None, None),
            (Some(2024), Some("title"))
        );
        assert_eq!(project_year(None, None, None, None), (None, None));
        assert_eq!(project_year(None, None, None, Some("downloads/2021/hebei/x.docx")), (Some(2021), Some("path")));
        // A name with a year inside a budget of another year: the budget's (Yantai 32); without
        // the document's year, the name's.
        let name = Some("2024年度历史文化名镇名村与传统村落保护");
        assert_eq!(
            project_year(Some("政策和项目预算绩效目标表"), name, Some(2026), None),
            (Some(2026), Some("document"))
        );
        assert_eq!(
            project_year(Some("政策和项目预算绩效目标表"), name, None, Some("x/2021/y.pdf")),
            (Some(2024), Some("project_name"))
        );
        // A year inside the title, after the unit's name (Guangzhou 17).
        assert_eq!(
            project_year(Some("广州市生态环境局2026年部门整体预算绩效目标申报表"), None, None, None),
            (Some(2026), Some("title"))
        );
        assert_eq!(project_year(Some("12026年项目表"), None, None, None), (None, None));
    }

    #[test]
    fn years_in_paths() {
        assert_eq!(path_year("real/05_guangdong_zhanjiang_hrss-bureau_2024_dept.xlsx"), Some(2024));
        assert_eq!(path_year("2019/河北/2023年预算.pdf"), Some(2023));
        assert_eq!(path_year("2019/河北/预算.pdf"), Some(2019));
        // Part of a longer number (a unit code, a timestamp) is no year.
        assert_eq!(path_year("uploads/1770007475548-818404804.pdf"), None);
        assert_eq!(path_year("207101.txt"), None);
    }
}
