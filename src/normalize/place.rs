//! Who published a table: province, prefecture and county, and the kind of organization (a
//! court and its level, or another department), read from the unit's name with the gazetteer
//! and suffixes in `grammars/places.toml`. Names are read, never guessed: a part the name does
//! not show stays empty.

use crate::grammars::Places;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub province: Option<String>,
    pub prefecture: Option<String>,
    pub county: Option<String>,
    /// 最高 / 高级 / 中级 / 基层 / 专门 (courts only).
    pub court_level: Option<String>,
    /// The kind of a special court (海事, 知识产权, 互联网, 铁路运输, 金融, …).
    pub court_type: Option<String>,
    /// 法院, 财政, 人力资源和社会保障, … (first kind whose word the name contains).
    pub org_kind: Option<String>,
}

/// A county-level name is at most this many characters, suffix included (喀喇沁左翼蒙古族自治县
/// is longer, and is found by its suffix only when it is that short; such names are rare).
const COUNTY_MAX_CHARS: usize = 8;
/// Text that never belongs to a place name (the organization part of a unit's name).
const NOT_A_PLACE: &[&str] = &["法院", "人民", "中级", "高级", "政府", "委员会", "局", "厅", "中心", "办公"];

/// The Party's name in front of a Party organ's place (中共西安市委宣传部), longest first.
const PARTY_PREFIXES: &[&str] = &["中国共产党", "中共"];

pub fn origin(name: &str, places: &Places) -> Origin {
    let name: String = name.split_whitespace().collect();
    let mut o = Origin::default();
    // A Party organ names its place after the Party: 中共西安市委宣传部.
    let mut rest: &str = PARTY_PREFIXES.iter().find_map(|p| name.strip_prefix(p)).unwrap_or(&name);

    // Province: full name, or a short form of two characters or more.
    if let Some((full, len)) = places.province_prefix(rest) {
        o.province = Some(full.to_string());
        rest = &rest[len..];
    }
    let municipality = o.province.as_deref().is_some_and(|p| places.municipalities.iter().any(|m| m == p));

    // Prefecture: a known one (which also tells the province), else a name ending with a
    // prefecture suffix right after the province.
    if !municipality {
        if let Some((province, prefecture, len)) = places.prefecture_prefix(rest, o.province.as_deref()) {
            o.province.get_or_insert_with(|| province.to_string());
            o.prefecture = Some(prefecture.to_string());
            rest = &rest[len..];
        } else if o.province.is_some() {
            if let Some(len) = place_prefix(rest, &places.prefecture_suffixes) {
                o.prefecture = Some(rest[..len].to_string());
                rest = &rest[len..];
            }
        }
    }
    if let Some(len) = place_prefix(rest, &places.county_suffixes) {
        o.county = Some(rest[..len].to_string());
    }

    if let Some(kind) = places.org_kind(&name) {
        o.org_kind = Some(kind.to_string());
    }
    if o.org_kind.as_deref() == Some("法院") {
        let longest = |table: &[(String, Vec<String>)]| {
            table
                .iter()
                .flat_map(|(k, ws)| {
                    ws.iter().filter(|w| name.contains(w.as_str())).map(move |w| (k, w.chars().count()))
                })
                .max_by_key(|(_, n)| *n)
                .map(|(k, _)| k.clone())
        };
        o.court_type = longest(&places.special_courts);
        o.court_level = if o.court_type.is_some() { Some("专门".to_string()) } else { longest(&places.court_levels) };
    }
    o
}

/// The byte length of a place name at the start of `text`: up to the first suffix that ends a
/// name of 2..=COUNTY_MAX_CHARS characters, with no organization word inside.
fn place_prefix(text: &str, suffixes: &[String]) -> Option<usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for end in 2..=COUNTY_MAX_CHARS.min(chars.len()) {
        let byte_end = chars.get(end).map_or(text.len(), |(b, _)| *b);
        let candidate = &text[..byte_end];
        if NOT_A_PLACE.iter().any(|w| candidate.contains(w)) {
            return None;
        }
        if suffixes.iter().any(|s| candidate.ends_with(s.as_str()) && candidate.chars().count() > s.chars().count()) {
            return Some(byte_end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammars::Grammars;

    fn o(name: &str) -> Origin {
        origin(name, &Grammars::builtin().places)
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn courts_of_every_level() {
        let c = o("河北省承德市中级人民法院本级");
        assert_eq!((c.province, c.prefecture, c.county), (s("河北省"), s("承德市"), None));
        assert_eq!((c.court_level, c.court_type, c.org_kind), (s("中级"), None, s("法院")));

        let c = o("天津市河北区人民法院");
        assert_eq!((c.province, c.prefecture, c.county), (s("天津市"), None, s("河北区")));
        assert_eq!(c.court_level, s("基层"));

        assert_eq!(o("河北省高级人民法院").court_level, s("高级"));
        let c = o("最高人民法院");
        assert_eq!((c.province, c.court_level), (None, s("最高")));

        let c = o("上海海事法院");
        assert_eq!((c.province, c.court_level, c.court_type), (s("上海市"), s("专门"), s("海事")));
        let c = o("北京知识产权法院");
        assert_eq!((c.court_level, c.court_type), (s("专门"), s("知识产权")));
        let c = o("杭州互联网法院");
        assert_eq!((c.province, c.prefecture, c.court_type), (s("浙江省"), s("杭州市"), s("互联网")));
        assert_eq!(o("上海金融法院").court_type, s("金融"));
        assert_eq!(o("呼和浩特铁路运输中级法院").court_type, s("铁路运输"));
    }

    #[test]
    fn other_departments() {
        let d = o("湛江市人力资源和社会保障局");
        assert_eq!((d.province, d.prefecture, d.county), (s("广东省"), s("湛江市"), None));
        assert_eq!((d.org_kind, d.court_level), (s("人力资源和社会保障"), None));

        let d = o("武汉市人力资源和社会保障局东湖新技术开发区分局");
        assert_eq!((d.province, d.prefecture), (s("湖北省"), s("武汉市")));

        let d = o("上海市普陀区人民政府万里街道办事处");
        assert_eq!((d.province, d.prefecture, d.county, d.org_kind), (s("上海市"), None, s("普陀区"), s("街道乡镇")));

        // A district alone: the county is read, the province is not guessed.
        let d = o("渝中区就业和人才中心");
        assert_eq!((d.province, d.county, d.org_kind), (None, s("渝中区"), s("人力资源和社会保障")));

        let d = o("中共西安市委宣传部");
        assert_eq!((d.province, d.prefecture, d.county, d.org_kind), (s("陕西省"), s("西安市"), None, s("宣传")));

        let d = o("广东省财政厅");
        assert_eq!((d.province, d.prefecture, d.county, d.org_kind), (s("广东省"), None, None, s("财政")));
    }
}
