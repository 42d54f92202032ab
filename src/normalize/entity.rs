//! Who and when: the reporting unit (code + name) and the fiscal year.

use crate::recognize::grammar;

/// `207101天津市河北区人民法院` → (Some(`207101`), `天津市河北区人民法院`); a cell without a
/// code is all name.
pub fn split_unit(raw: &str, code_digits: usize) -> (Option<String>, String) {
    match grammar::unit_cell(raw, code_digits) {
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

/// A project's fiscal year and where it came from: its title, its name, else the document's.
pub fn project_year(
    title: Option<&str>,
    name: Option<&str>,
    document: Option<i32>,
) -> (Option<i32>, Option<&'static str>) {
    if let Some(y) = title.and_then(|t| grammar::year_mentions(t).first().copied()) {
        return (Some(y), Some("title"));
    }
    if let Some(y) = name.and_then(|t| grammar::year_mentions(t).first().copied()) {
        return (Some(y), Some("project_name"));
    }
    (document, document.map(|_| "document"))
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
            project_year(Some("刑场建设项目绩效目标表"), Some("刑场建项目绩效"), Some(2023)),
            (Some(2023), Some("document"))
        );
        assert_eq!(project_year(Some("2024年度公务运转经费绩效目标表"), None, Some(2023)), (Some(2024), Some("title")));
        assert_eq!(project_year(None, None, None), (None, None));
    }
}
