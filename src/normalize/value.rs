//! The value grammar, applied to a whole 指标值 cell:
//!
//! ```text
//! value      = comparator? number unit? suffix?     (after NFKC, whitespace removed)
//! comparator = ≥ | >= | 不低于 | …                   (grammars/values.toml)
//! number     = digits ("," digits)* ("." digits)?
//! unit       = "(" name ")" | name                   (aliases: 百分比 → %, 平米 → 平方米)
//! suffix     = 以上 | 以下 | 以内                     (only without a comparator)
//! ```
//!
//! Anything else is qualitative (`切实维护`, `不涉及`, `1600人、200人`): operator, number and
//! unit stay null and the raw text is kept.

use nom::branch::alt;
use nom::bytes::complete::take_while1;
use nom::character::complete::{char, digit1};
use nom::combinator::{opt, recognize};
use nom::multi::many0;
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};

use super::decimal::{Decimal, Inexact};
use crate::grammars::Grammars;

/// A parsed 指标值.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Value {
    /// `>=`, `<=`, `>`, `<`, `=`; None when qualitative.
    pub op: Option<String>,
    pub num: Option<Decimal>,
    /// The canonical unit (`%`, `平方米`, `万元`, `万页` …).
    pub unit: Option<String>,
    /// The number in the unit without its 万/亿 prefix: `143万页` → 1430000.
    pub scaled_num: Option<Decimal>,
    /// `页` for `万页`; the unit itself when it has no prefix.
    pub scaled_unit: Option<String>,
}

impl Value {
    pub fn is_numeric(&self) -> bool {
        self.num.is_some()
    }
}

/// Unicode NFKC (full-width digits, letters and symbols → ASCII) with all whitespace removed.
pub fn canonical(s: &str) -> String {
    crate::grammars::compact(s)
}

/// `1,234.5` → 1234.5, exactly. Thousands separators must group by three. More than six
/// decimal places are rounded to six; a number past the decimal's range is no number.
fn number(input: &str) -> IResult<&str, Decimal> {
    let (rest, text) = recognize((
        digit1,
        many0(preceded(
            char(','),
            take_while1(|c: char| c.is_ascii_digit()).map_opt(|d: &str| (d.len() == 3).then_some(d)),
        )),
        opt((char('.'), digit1)),
    ))
    .parse(input)?;
    // A separator followed by something other than three digits is not part of this number.
    let parsed = match Decimal::parse(&text.replace(',', "")) {
        Ok(d) | Err(Inexact::Rounded(d)) => d,
        Err(Inexact::TooLarge) => {
            return Err(nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Float)))
        }
    };
    Ok((rest, parsed))
}

fn comparator<'a>(input: &'a str, table: &[(String, String)]) -> Option<(&'a str, String)> {
    table.iter().find_map(|(spelling, op)| input.strip_prefix(spelling.as_str()).map(|rest| (rest, op.clone())))
}

/// A unit written in parentheses, `(平方米)`, or bare.
fn unit_text(input: &str) -> IResult<&str, &str> {
    alt((delimited(char('('), take_while1(|c| c != ')'), char(')')), take_while1(|_| true))).parse(input)
}

fn is_unit_char(c: char) -> bool {
    !c.is_ascii_digit()
        && !matches!(
            c,
            ',' | '.'
                | '、'
                | ';'
                | '。'
                | '，'
                | '；'
                | '?'
                | '!'
                | '~'
                | '-'
                | '+'
                | '*'
                | '/'
                | '='
                | '<'
                | '>'
                | '≥'
                | '≤'
        )
}

/// Parses a 指标值 cell. Qualitative text gives a `Value` with every field null.
pub fn parse(raw: &str, g: &Grammars) -> Value {
    let s = canonical(raw);
    parse_canonical(&s, g).unwrap_or_default()
}

fn parse_canonical(s: &str, g: &Grammars) -> Option<Value> {
    let (rest, prefix_op) = match comparator(s, &g.prefix_comparators) {
        Some((rest, op)) => (rest, Some(op)),
        None => (s, None),
    };
    let (rest, num) = number(rest).ok()?;
    // A suffix comparator ("95%以上"), only when there is no prefix comparator.
    let (rest, suffix_op) = match prefix_op {
        Some(_) => (rest, None),
        None => g
            .suffix_comparators
            .iter()
            .find_map(|(spelling, op)| rest.strip_suffix(spelling.as_str()).map(|r| (r, Some(op.clone()))))
            .unwrap_or((rest, None)),
    };
    let unit = if rest.is_empty() {
        None
    } else {
        let (after, u) = unit_text(rest).ok()?;
        let u = u.trim();
        if !after.is_empty() || u.is_empty() || u.chars().count() > g.unit_max_chars || !u.chars().all(is_unit_char) {
            return None;
        }
        Some(g.unit_aliases.get(u).cloned().unwrap_or_else(|| u.to_string()))
    };
    let (scaled_num, scaled_unit) = scale(num, unit.as_deref(), g);
    Some(Value {
        op: Some(prefix_op.or(suffix_op).unwrap_or_else(|| "=".to_string())),
        num: Some(num),
        unit,
        scaled_num,
        scaled_unit,
    })
}

/// `143, 万页` → `1430000, 页`. A unit that is only the prefix (`万`) scales to no unit.
fn scale(num: Decimal, unit: Option<&str>, g: &Grammars) -> (Option<Decimal>, Option<String>) {
    let Some(unit) = unit else { return (Some(num), None) };
    for (prefix, factor) in &g.scale_prefixes {
        if let Some(base) = unit.strip_prefix(prefix.as_str()) {
            return (num.times(*factor as i64), (!base.is_empty()).then(|| base.to_string()));
        }
    }
    (Some(num), Some(unit.to_string()))
}

/// An amount cell (`49.70`, `1,234.5`, blank). Returns None for blank; Err for text that is not
/// a number, so the caller can warn.
pub fn amount(raw: &str) -> Result<Option<Decimal>, String> {
    let s = canonical(raw);
    if s.is_empty() || s == "-" || s == "—" || s == "/" {
        return Ok(None);
    }
    match number(&s) {
        Ok(("", n)) => Ok(Some(n)),
        _ => Err(format!("not a number: {raw:?}")),
    }
}

/// An amount cell that may name its own unit (`280.7万元`, `500元`, `49.70`): the number and
/// the unit written in the cell, if any.
pub fn amount_with_unit(raw: &str) -> Result<Option<(Decimal, Option<&'static str>)>, String> {
    let s = canonical(raw);
    for unit in ["万元", "元"] {
        if let Some(number) = s.strip_suffix(unit).map(str::trim_end).filter(|n| !n.is_empty()) {
            return amount(number).map(|v| v.map(|v| (v, Some(unit))));
        }
    }
    amount(raw).map(|v| v.map(|v| (v, None)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(raw: &str) -> (Option<String>, Option<f64>, Option<String>) {
        let x = parse(raw, Grammars::builtin());
        (x.op, x.num.map(f64::from), x.unit)
    }

    fn some(op: &str, n: f64, unit: Option<&str>) -> (Option<String>, Option<f64>, Option<String>) {
        (Some(op.into()), Some(n), unit.map(Into::into))
    }

    const NONE: (Option<String>, Option<f64>, Option<String>) = (None, None, None);

    #[test]
    fn comparators() {
        assert_eq!(v("≥217件"), some(">=", 217.0, Some("件")));
        assert_eq!(v("≧95%"), some(">=", 95.0, Some("%")));
        assert_eq!(v(">=90%"), some(">=", 90.0, Some("%")));
        assert_eq!(v("≤0.8百分比"), some("<=", 0.8, Some("%")));
        assert_eq!(v("≦5天"), some("<=", 5.0, Some("天")));
        assert_eq!(v("<=10分钟"), some("<=", 10.0, Some("分钟")));
        assert_eq!(v("＞3次"), some(">", 3.0, Some("次")));
        assert_eq!(v(">3次"), some(">", 3.0, Some("次")));
        assert_eq!(v("＜2%"), some("<", 2.0, Some("%")));
        assert_eq!(v("＝100%"), some("=", 100.0, Some("%")));
        assert_eq!(v("=100.00(%)"), some("=", 100.0, Some("%")));
        assert_eq!(v("不低于90%"), some(">=", 90.0, Some("%")));
        assert_eq!(v("不少于3次"), some(">=", 3.0, Some("次")));
        assert_eq!(v("不高于5%"), some("<=", 5.0, Some("%")));
        assert_eq!(v("不超过700万元"), some("<=", 700.0, Some("万元")));
        assert_eq!(v("不多于2人"), some("<=", 2.0, Some("人")));
        assert_eq!(v("100百分比"), some("=", 100.0, Some("%")));
    }

    #[test]
    fn numbers_and_units() {
        assert_eq!(v("≥13459.00(平方米)"), some(">=", 13459.0, Some("平方米")));
        assert_eq!(v("≤1200平米"), some("<=", 1200.0, Some("平方米")));
        assert_eq!(v("≥1,234.5元"), some(">=", 1234.5, Some("元")));
        assert_eq!(v("９５％"), some("=", 95.0, Some("%")));
        assert_eq!(v("≥ 95 %"), some(">=", 95.0, Some("%")));
        assert_eq!(v("50000"), some("=", 50000.0, None));
        assert_eq!(v("≤5工作日"), some("<=", 5.0, Some("工作日")));
        assert_eq!(v("95%以上"), some(">=", 95.0, Some("%")));
        assert_eq!(v("3个工作日以内"), some("<=", 3.0, Some("个工作日")));
    }

    #[test]
    fn qualitative_values() {
        for raw in [
            "切实维护",
            "不涉及",
            "结案后三个月内，特殊案件除外。",
            "1600人、200人",
            "",
            "持续提升",
            "1,23元",
            "2.3.4",
            "≥",
        ] {
            assert_eq!(v(raw), NONE, "{raw}");
        }
    }

    #[test]
    fn scaled_columns_for_wan_units() {
        let g = Grammars::builtin();
        let x = parse("≥143万页", g);
        assert_eq!((x.num.map(f64::from), x.unit.as_deref()), (Some(143.0), Some("万页")));
        assert_eq!((x.scaled_num.map(f64::from), x.scaled_unit.as_deref()), (Some(1_430_000.0), Some("页")));
        let x = parse("≥4.3万件", g);
        assert_eq!((x.scaled_num.map(f64::from), x.scaled_unit.as_deref()), (Some(43_000.0), Some("件")));
        let x = parse("49.7万元", g);
        assert_eq!((x.scaled_num.map(f64::from), x.scaled_unit.as_deref()), (Some(497_000.0), Some("元")));
        let x = parse("100%", g);
        assert_eq!((x.scaled_num.map(f64::from), x.scaled_unit.as_deref()), (Some(100.0), Some("%")));
        let x = parse("切实维护", g);
        assert_eq!((x.scaled_num.map(f64::from), x.scaled_unit), (None, None));
    }

    #[test]
    fn amounts_naming_their_unit() {
        let a = |raw: &str| amount_with_unit(raw).unwrap().map(|(v, u)| (v.to_string(), u));
        assert_eq!(a("280.7万元"), Some(("280.7".into(), Some("万元"))));
        assert_eq!(a("1,500 元"), Some(("1500".into(), Some("元"))));
        assert_eq!(a("49.70"), Some(("49.7".into(), None)));
        assert_eq!(a(""), None);
        assert!(amount_with_unit("万元").is_err());
    }

    #[test]
    fn amounts() {
        assert_eq!(amount("49.70").map(|v| v.map(|d| d.to_string())), Ok(Some("49.7".to_string())));
        assert_eq!(amount(" "), Ok(None));
        assert_eq!(amount("1,234.50").map(|v| v.map(|d| d.to_string())), Ok(Some("1234.5".to_string())));
        assert!(amount("四十九").is_err());
    }
}
