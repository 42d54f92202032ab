//! Small nom parsers for the pieces of text the recognizer keys on: heading paragraphs,
//! unit cells, year mentions and the lines of the 部门整体绩效目标 prose.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1, take_while_m_n};
use nom::character::complete::{char, digit1, one_of};
use nom::combinator::{opt, recognize, rest};
use nom::sequence::{delimited, preceded, terminated};
use nom::{IResult, Parser};

fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Leading outline numbering: `1.`, `6. `, `2、`, `（一）`, `一、`.
fn numbering(input: &str) -> IResult<&str, &str> {
    recognize((
        take_while(is_space),
        alt((
            terminated(digit1, one_of(".．、")),
            delimited(one_of("（("), take_while1(is_cjk_numeral), one_of("）)")),
            terminated(take_while1(is_cjk_numeral), char('、')),
        )),
        take_while(is_space),
    ))
    .parse(input)
}

fn is_cjk_numeral(c: char) -> bool {
    "一二三四五六七八九十百".contains(c)
}

/// A project heading: after bookmarks and numbering, text ending with one of the heading
/// suffixes. Returns the title without the numbering (`6. 刑场建设项目绩效目标表` →
/// `刑场建设项目绩效目标表`).
pub fn project_heading<'a>(text: &'a str, suffixes: &[String]) -> Option<&'a str> {
    let text = text.trim();
    let title = match numbering(text) {
        // "1.2023年度…": the digits after the dot belong to the title, not to the numbering.
        Ok((rest, _)) => rest.trim(),
        Err(_) => text,
    };
    let compact: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    // A note in parentheses may follow the form's name: 市级重点专项资金绩效目标表（一级项目）.
    let named = match compact.strip_suffix(['）', ')']).and_then(|s| s.rfind(['（', '('])) {
        Some(open) => &compact[..open],
        None => compact.as_str(),
    };
    (suffixes.iter().any(|s| named.ends_with(s.as_str())) && compact.chars().count() <= 120).then_some(title)
}

fn cjk_numbering(input: &str) -> IResult<&str, (&str, char)> {
    (take_while1(is_cjk_numeral), char('、')).parse(input)
}

fn arabic_numbering(input: &str) -> IResult<&str, &str> {
    preceded(take_while(is_space), terminated(digit1, one_of("、.．"))).parse(input)
}

/// A section heading of the prose: `一、总体绩效目标` → `总体绩效目标`.
pub fn section_heading(text: &str) -> Option<&str> {
    let text = text.trim();
    let (rest, _) = cjk_numbering(text).ok()?;
    Some(rest.trim())
}

/// A unit cell: exactly `digits` ASCII digits, then the unit's name
/// (`207101天津市河北区人民法院` → (`207101`, `天津市河北区人民法院`)).
pub fn unit_cell(text: &str, digits: usize) -> Option<(&str, &str)> {
    let text = text.trim();
    let (name, code) = take_while_m_n::<_, _, nom::error::Error<&str>>(digits, digits, |c: char| c.is_ascii_digit())
        .parse(text)
        .ok()?;
    let name = name.trim();
    let first = name.chars().next()?;
    (!first.is_ascii_digit() && !name.is_ascii()).then_some((code, name))
}

/// A department with its code in front, as the central and Shandong forms write 主管部门及代码:
/// `[173]中国科学院`, `229_烟台市信访局` → (`173`, `中国科学院`).
pub fn coded_department(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    let code = |i| digit1::<&str, nom::error::Error<&str>>(i);
    let (name, code) = alt((delimited(one_of("[［【"), code, one_of("]］】")), terminated(code, one_of("_＿-－ "))))
        .parse(text)
        .ok()?;
    let name = name.trim();
    (!name.is_empty() && !name.is_ascii()).then_some((code, name))
}

/// A project-name cell of a flat listing that starts with the project's code:
/// `11000022T000000451922-国资国企重难点问题研究` → (`11000022T000000451922`, `国资国企重难点问题研究`).
/// A code is ten or more digits and capitals with a digit among them, then a hyphen.
pub fn project_code(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    let (name, code) = terminated(
        take_while_m_n::<_, _, nom::error::Error<&str>>(10, 64, |c: char| c.is_ascii_digit() || c.is_ascii_uppercase()),
        one_of("-－—"),
    )
    .parse(text)
    .ok()?;
    let name = name.trim();
    (code.chars().any(|c| c.is_ascii_digit()) && !name.is_empty()).then_some((code, name))
}

/// A line holding only a year tag: `（2023年度）`, `2023年度`.
/// A bare amount: digits with an optional sign, thousands separators and decimals (`72807.38`,
/// `1,200`, `0`).
/// The longest of `names` that `input` starts with.
fn one_of_names<'n>(names: impl IntoIterator<Item = &'n String>) -> impl FnMut(&str) -> IResult<&str, &str> + 'n {
    let mut names: Vec<&String> = names.into_iter().collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    move |input: &str| {
        for n in &names {
            if let Ok(r) = tag::<&str, &str, nom::error::Error<&str>>(n.as_str()).parse(input) {
                return Ok(r);
            }
        }
        Err(nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Tag)))
    }
}

/// Three indicator levels run together in one cell, as Beijing's 预算13表 writes them:
/// `产出指标数量指标参保人参保意愿调查样本` → (产出指标, 数量指标, 参保人参保意愿调查样本). Level 1 is
/// the longest known level-1 name the text starts with; level 2 the longest level-2 name that
/// follows and belongs under it; the rest, not empty, is the level-3 name.
pub fn packed_levels(
    text: &str,
    level1: &[String],
    level2: &std::collections::HashMap<String, Vec<String>>,
) -> Option<(String, String, String)> {
    let (after1, l1) = one_of_names(level1).parse(text).ok()?;
    let under: Vec<&String> =
        level2.iter().filter(|(_, parents)| parents.iter().any(|p| p == l1)).map(|(n, _)| n).collect();
    let (level3, l2) = one_of_names(under).parse(after1).ok()?;
    (!level3.is_empty()).then(|| (l1.to_string(), l2.to_string(), level3.to_string()))
}

/// One indicator of a packed list: its levels as written (codes dropped) and its `label:value`
/// fields in order.
#[derive(Debug, Clone, PartialEq)]
pub struct PackedItem {
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub fields: Vec<(String, String)>,
}

/// `1、`, `12、` at an item's start.
fn item_number(input: &str) -> IResult<&str, &str> {
    preceded(take_while(is_space), terminated(digit1, char('、'))).parse(input)
}

fn separator(input: &str) -> IResult<&str, char> {
    one_of("；;").parse(input)
}

/// A level with its code: `1-产出指标`, `11-数量指标` (the code optional).
fn coded_level(input: &str) -> IResult<&str, &str> {
    preceded(opt(terminated(digit1, one_of("-－—"))), take_while1(|c: char| !"；;".contains(c))).parse(input)
}

/// `实施周期指标值:每年≥20场` — a label, a colon, the value up to the next separator.
fn packed_field(input: &str) -> IResult<&str, (&str, &str)> {
    (terminated(take_while1(|c: char| !":：；;".contains(c)), one_of(":：")), take_while(|c: char| !"；;".contains(c)))
        .parse(input)
}

/// The body of one item: level 1, level 2, the level-3 name, then its fields.
fn packed_body(input: &str) -> IResult<&str, PackedItem> {
    let (input, (level1, _, level2, _, level3)) =
        (coded_level, separator, coded_level, separator, take_while1(|c: char| !"；;".contains(c))).parse(input)?;
    let (input, fields) = nom::multi::many0(preceded(separator, packed_field)).parse(input)?;
    let (input, _) = opt(separator).parse(input)?;
    let item = PackedItem {
        level1: level1.trim().to_string(),
        level2: level2.trim().to_string(),
        level3: level3.trim().to_string(),
        fields: fields.into_iter().map(|(l, v)| (l.trim().to_string(), v.trim().to_string())).collect(),
    };
    Ok((input, item))
}

/// A project's indicators packed into one cell as a numbered list, as some budget systems
/// export them: `1、1-产出指标；11-数量指标；会议活动保障次数；实施周期指标值:每年≥20场；
/// 年度指标值:每年≥20场。2、…`. Items are numbered 1, 2, … in order and end with `。`; each names
/// level 1, level 2 (with or without their codes), the level-3 name and its `label:value`
/// fields. `None` unless the whole cell reads so and `is_level` accepts every item's levels.
pub fn packed_list(text: &str, is_level: impl Fn(&str, &str) -> bool) -> Option<Vec<PackedItem>> {
    let text = text.trim();
    // Items end at `。` followed by the next item's number (a value may hold `。` itself).
    let mut starts = vec![0];
    for (at, _) in text.match_indices('。') {
        let after = &text[at + '。'.len_utf8()..];
        if item_number(after).is_ok() {
            starts.push(at + '。'.len_utf8());
        }
    }
    let mut items = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(text.len(), |&e| e - '。'.len_utf8());
        let piece = text[start..end].trim().trim_end_matches('。');
        let (body, number) = item_number(piece).ok()?;
        if number.parse::<usize>().ok()? != k + 1 {
            return None;
        }
        let (left, item) = packed_body(body).ok()?;
        if !left.trim().is_empty() || !is_level(&item.level1, &item.level2) {
            return None;
        }
        items.push(item);
    }
    Some(items)
}

pub fn is_amount(text: &str) -> bool {
    let t = text.trim().trim_start_matches('-');
    !t.is_empty()
        && t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && t.starts_with(|c: char| c.is_ascii_digit())
}

/// A label cell that carries its amount on the lines below the label (Xi'an 2019:
/// `资金金额⏎1620.98（万元）`): the label and the amount as written.
pub fn label_with_amount(text: &str) -> Option<(&str, &str)> {
    let (label, rest) = text.trim().split_once('\n')?;
    let rest = rest.trim();
    let number = rest
        .strip_suffix("（万元）")
        .or_else(|| rest.strip_suffix("(万元)"))
        .or_else(|| rest.strip_suffix("（元）"))
        .or_else(|| rest.strip_suffix("(元)"))
        .unwrap_or(rest);
    (is_amount(number) && !label.trim().is_empty()).then(|| (label.trim(), rest))
}

pub fn is_year_line(text: &str) -> bool {
    let t = text.trim().trim_matches(|c| matches!(c, '（' | '）' | '(' | ')'));
    year_mentions(t).len() == 1 && t.chars().count() <= 6
}

/// Every `YYYY年度` in a text (years 1990–2099).
pub fn year_mentions(text: &str) -> Vec<i32> {
    let mut out = Vec::new();
    let mut input = text;
    while let Some(pos) = input.find("年度") {
        let before = &input[..pos];
        let digits: String = before.chars().rev().take_while(|c| c.is_ascii_digit()).collect();
        if digits.len() == 4 {
            let year: i32 = digits.chars().rev().collect::<String>().parse().unwrap_or(0);
            if (1990..=2099).contains(&year) {
                out.push(year);
            }
        }
        input = &input[pos + "年度".len()..];
    }
    out
}

/// A numbered goal line of the prose: `1、绩效目标：积极主动作为…` → (1, `绩效目标：积极主动作为…`).
pub fn numbered_line(text: &str) -> Option<(i32, &str)> {
    let (rest, n) = arabic_numbering(text).ok()?;
    Some((n.parse().ok()?, rest.trim()))
}

/// `kind：text`, for one of the given kinds.
pub fn kind_line<'a>(text: &'a str, kinds: &[String]) -> Option<(String, &'a str)> {
    let text = text.trim();
    // Longest kind first, so 社会效益指标 is not read as 效益指标.
    let mut sorted: Vec<&String> = kinds.iter().collect();
    sorted.sort_by_key(|k| std::cmp::Reverse(k.chars().count()));
    sorted.into_iter().find_map(|k| {
        let (rest, _) =
            (tag::<_, _, nom::error::Error<&str>>(k.as_str()), take_while(is_space), one_of("：:")).parse(text).ok()?;
        Some((k.clone(), rest.trim()))
    })
}

/// A percentage cell of the spending plan: `25%` → 25.0.
pub fn percent(text: &str) -> Option<f64> {
    let t = text.trim();
    let (r, n) = recognize((digit1::<_, nom::error::Error<&str>>, opt((char('.'), digit1)))).parse(t).ok()?;
    let (r, _) = opt(one_of::<_, _, nom::error::Error<&str>>("%％")).parse(r).ok()?;
    rest::<_, nom::error::Error<&str>>(r).ok().filter(|(_, tail)| tail.trim().is_empty())?;
    n.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(l1: &str, l2: &str) -> bool {
        ["产出指标", "效益指标"].contains(&l1) && ["数量指标", "质量指标", "社会效益指标"].contains(&l2)
    }

    #[test]
    fn a_numbered_packed_list_reads_item_by_item() {
        let cell = "1、1-产出指标；11-数量指标；会议活动保障次数；实施周期指标值:每年≥20场；年度指标值:每年≥20场。\
                    2、1-产出指标；12-质量指标；会议材料准确率；年度指标值：100%。\
                    3、效益指标；社会效益指标；保障会议顺利召开。";
        let items = packed_list(cell, levels).unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(
            items[0],
            PackedItem {
                level1: "产出指标".into(),
                level2: "数量指标".into(),
                level3: "会议活动保障次数".into(),
                fields: vec![("实施周期指标值".into(), "每年≥20场".into()), ("年度指标值".into(), "每年≥20场".into())],
            }
        );
        assert_eq!(items[1].fields, vec![("年度指标值".to_string(), "100%".to_string())]);
        assert_eq!(
            (items[2].level2.as_str(), items[2].level3.as_str(), items[2].fields.len()),
            ("社会效益指标", "保障会议顺利召开", 0)
        );
    }

    #[test]
    fn text_that_is_no_packed_list_is_refused() {
        // Numbered goals, unknown levels, numbers out of order, a stray tail.
        assert!(packed_list("1、完成会议保障。2、提升服务质量。", levels).is_none());
        assert!(packed_list("1、1-投入指标；11-数量指标；会议次数；年度指标值:20", levels).is_none());
        assert!(packed_list("2、1-产出指标；11-数量指标；会议次数；年度指标值:20", levels).is_none());
        assert!(packed_list("1、1-产出指标；11-数量指标；会议次数；年度指标值:20；说明", levels).is_none());
        assert!(packed_list("产出指标数量指标会议次数", levels).is_none());
    }

    fn suffixes() -> Vec<String> {
        vec!["绩效目标表".into()]
    }

    #[test]
    fn headings() {
        let s = suffixes();
        assert_eq!(project_heading(" 1.办案业务费绩效目标表", &s), Some("办案业务费绩效目标表"));
        assert_eq!(project_heading("6. 刑场建设项目绩效目标表", &s), Some("刑场建设项目绩效目标表"));
        assert_eq!(
            project_heading("1.2023年度办案业务经费（企业破产保障经费）绩效目标表", &s),
            Some("2023年度办案业务经费（企业破产保障经费）绩效目标表")
        );
        assert_eq!(project_heading("预算项目绩效目标", &s), None);
    }

    #[test]
    fn section_headings() {
        assert_eq!(section_heading("一、总体绩效目标"), Some("总体绩效目标"));
        assert_eq!(section_heading("第一部分"), None);
    }

    #[test]
    fn unit_cells() {
        assert_eq!(unit_cell("207101天津市河北区人民法院", 6), Some(("207101", "天津市河北区人民法院")));
        assert_eq!(
            unit_cell("323001河北省承德市中级人民法院本级", 6),
            Some(("323001", "河北省承德市中级人民法院本级"))
        );
        assert_eq!(unit_cell("13080022P00021710001R", 6), None);
        assert_eq!(unit_cell("2023年度", 6), None);
        assert_eq!(unit_cell("49.70", 6), None);
    }

    #[test]
    fn coded_departments() {
        assert_eq!(coded_department("[173]中国科学院"), Some(("173", "中国科学院")));
        assert_eq!(coded_department("229_烟台市信访局"), Some(("229", "烟台市信访局")));
        assert_eq!(coded_department("烟台市信访局"), None);
        assert_eq!(coded_department("2026_"), None);
    }

    #[test]
    fn year_lines() {
        assert!(is_year_line("（2023年度）"));
        assert!(is_year_line("2023年度"));
        assert!(!is_year_line("2023年度办案业务经费"));
    }

    #[test]
    fn years() {
        assert_eq!(year_mentions("1.2023年度办案业务经费 与 2022年各类案件 2024 年度"), vec![2023]);
        assert_eq!(year_mentions("12023年度"), Vec::<i32>::new());
    }

    #[test]
    fn prose_lines() {
        assert_eq!(numbered_line("1、绩效目标：积极主动作为。"), Some((1, "绩效目标：积极主动作为。")));
        assert_eq!(numbered_line("4、 加强信息化建设"), Some((4, "加强信息化建设")));
        let kinds: Vec<String> = vec!["效益指标".into(), "社会效益指标".into()];
        assert_eq!(
            kind_line(" 社会效益指标：保证各项工作顺利开展。", &kinds),
            Some(("社会效益指标".into(), "保证各项工作顺利开展。"))
        );
        assert_eq!(kind_line("绩效指标：", &kinds), None);
    }

    #[test]
    fn a_heading_may_end_with_a_note() {
        let suffixes: Vec<String> = vec!["绩效目标表".into()];
        assert_eq!(
            project_heading("2026年市级重点专项资金绩效目标表（一级项目）", &suffixes),
            Some("2026年市级重点专项资金绩效目标表（一级项目）")
        );
        assert_eq!(project_heading("绩效目标表（续）", &suffixes), Some("绩效目标表（续）"));
        assert_eq!(project_heading("绩效目标表说明（一）", &suffixes), None);
    }

    #[test]
    fn packed_levels_split_by_the_taxonomy() {
        let level1: Vec<String> = vec!["产出指标".into(), "效益指标".into(), "成本指标".into()];
        let level2: std::collections::HashMap<String, Vec<String>> = [
            ("数量指标", "产出指标"),
            ("成本指标", "产出指标"),
            ("效益指标X", "产出指标"),
            ("社会效益指标", "效益指标"),
            ("经济成本指标", "成本指标"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), vec![b.to_string()]))
        .collect();
        let split = |t: &str| packed_levels(t, &level1, &level2);
        assert_eq!(
            split("产出指标数量指标参保人参保意愿调查样本"),
            Some(("产出指标".into(), "数量指标".into(), "参保人参保意愿调查样本".into()))
        );
        assert_eq!(split("效益指标社会效益指标政策知晓度").map(|s| s.1), Some("社会效益指标".into()));
        // Level 2 must belong under level 1; level 3 must not be empty.
        assert_eq!(split("效益指标数量指标X"), None);
        assert_eq!(split("成本指标经济成本指标"), None);
        assert_eq!(split("成本指标经济成本指标办公成本").map(|s| s.2), Some("办公成本".into()));
        assert_eq!(split("参保人数"), None);
    }

    #[test]
    fn percents() {
        assert_eq!(percent("25%"), Some(25.0));
        assert_eq!(percent("12.5％"), Some(12.5));
        assert_eq!(percent("100"), Some(100.0));
        assert_eq!(percent("3月底"), None);
    }
}
