//! The building blocks of the report's pages: escaping, the page shell (one inline stylesheet,
//! a Content-Security-Policy that forbids every request but the site's own scripts), numbers,
//! status badges and the inline SVG chart. Every page is self-contained: no fonts, scripts or
//! images from anywhere else.

use std::borrow::Cow;
use std::fmt::Write;

/// Escapes text for HTML element content and quoted attribute values alike. Cell text, file
/// names and warnings are untrusted: everything that is not the report's own markup goes
/// through here.
pub fn esc(s: &str) -> Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Escaped text with its line breaks kept (`<br>`), for multi-paragraph cells.
pub fn esc_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        out.push_str(&esc(line));
    }
    out
}

/// Whether a page may load the site's own script files (the documents list's data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scripts {
    /// Inline scripts only.
    Inline,
    /// Inline scripts and script files of the site itself.
    Site,
}

/// A whole page: doctype, charset, the policy, the stylesheet, `body`, and an inline script.
pub fn page(title: &str, body: &str, script: Option<&str>, scripts: Scripts) -> String {
    // Nothing may be fetched from anywhere: no default source, styles and scripts inline only
    // (plus, for the list, script files beside the page), no images, no frames, no forms sent.
    let script_src = match scripts {
        Scripts::Inline => "'unsafe-inline'",
        Scripts::Site => "'unsafe-inline' 'self'",
    };
    let mut out = String::with_capacity(body.len() + CSS.len() + 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
    let _ = writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; \
         script-src {script_src}; img-src data:; base-uri 'none'; form-action 'none'\">"
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>", esc(title));
    out.push_str(body);
    if let Some(js) = script {
        out.push_str("<script>");
        out.push_str(js);
        out.push_str("</script>\n");
    }
    out.push_str("</body></html>\n");
    out
}

/// The one stylesheet, inline in every page. Cell colours say what a cell fed (see the legend
/// on document pages).
const CSS: &str = r#"
:root{--ink:#1d2430;--mute:#5b6472;--line:#d5d9e0;--bg:#fff;--soft:#f5f6f8}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei",sans-serif;color:var(--ink);background:var(--bg)}
main{padding:12px 20px 40px}
nav.top{background:#243447;color:#fff;padding:8px 20px}
nav.top a{color:#fff;margin-right:16px;text-decoration:none}
nav.top a:hover{text-decoration:underline}
h1{font-size:20px;margin:8px 0 6px;word-break:break-all}
h2{font-size:17px;margin:22px 0 8px;border-bottom:1px solid var(--line);padding-bottom:3px}
h3{font-size:15px;margin:4px 0 6px}
a{color:#1f5fa8}
small,.mute{color:var(--mute)}
table{border-collapse:collapse}
table.grid{margin:4px 0 10px}
table.grid th,table.grid td{border:1px solid var(--line);padding:3px 7px;text-align:left;vertical-align:top}
table.grid th{background:var(--soft);font-weight:600}
table.grid td.n,table.grid th.n{text-align:right;font-variant-numeric:tabular-nums}
.st{display:inline-block;padding:1px 7px;border-radius:9px;font-size:12px;font-weight:600;color:#fff;background:#777}
.st-ok{background:#2e7d32}.st-partial{background:#c77700}.st-no_tables{background:#607d8b}
.st-unrecognized{background:#7b1fa2}.st-failed{background:#c62828}.st-timeout{background:#ad1457}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}
dl.meta dt{color:var(--mute)}dl.meta dd{margin:0;word-break:break-all}
dl.facts{display:flex;flex-wrap:wrap;gap:2px 22px;margin:8px 0;font-size:13px}dl.facts div{display:flex;gap:6px}
dl.facts dt{color:var(--mute)}dl.facts dd{margin:0;word-break:break-all}
ul.warn{margin:4px 0;padding-left:20px}
ul.warn li,.warn{color:#8a1c1c}
.legend{display:flex;flex-wrap:wrap;gap:6px 14px;margin:8px 0 14px;font-size:13px}
.legend span.k{display:inline-block;width:14px;height:14px;vertical-align:-2px;margin-right:4px;border:1px solid #999}
section.pair{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);gap:18px;margin:14px 0 24px;padding-top:8px;border-top:1px solid var(--line)}
@media (max-width:900px){section.pair{grid-template-columns:minmax(0,1fr)}}
.scroll{overflow:auto;max-width:100%}
table.cells td{border:1px solid #b9bec7;padding:2px 5px;vertical-align:top;font-size:13px;min-width:1.5em;white-space:normal}
table.cells tr:target td{outline:2px solid #1f5fa8}
table.cells td.rn{border:none;color:var(--mute);font-size:11px;text-align:right;padding-right:6px}
.f{background:#d9f2dc}.x{background:#d6e6fa}.l{background:#eceaf6}.v{background:#f3e3f7}.p{background:#f1efe4;color:#6b6650}
.w{background:#d32f2f;color:#fff;font-weight:600}
.u{background:#fff59d;outline:2px dashed #d32f2f;outline-offset:-2px;font-weight:600}
.o{background:#fff;color:#555}.c{background:#f3f3f3;color:#999}.g{background:repeating-linear-gradient(45deg,#fafafa,#fafafa 4px,#eee 4px,#eee 8px)}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:0 0 12px;background:#fcfcfd}
.card dl.meta{font-size:13px}
table.ind{font-size:13px;width:100%}
table.ind td.lv{min-width:9em}
.recs{overflow-x:auto}
.filled{color:var(--mute);font-style:italic}
tr.wr td{background:#fdecea;color:#8a1c1c;font-size:12px;border-top:none}
a.loc{font-size:11px;color:var(--mute);white-space:nowrap}
details>summary{cursor:pointer;color:var(--mute)}
section.unread{margin:6px 0}
form.filters{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:end;margin:8px 0}
form.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--mute)}
form.filters select,form.filters input{font-size:13px;padding:2px 4px}
table.docs th{cursor:pointer;user-select:none;white-space:nowrap}
table.docs th.sorted::after{content:" \25BE"}table.docs th.sorted.asc::after{content:" \25B4"}
table.docs td.file{word-break:break-all;max-width:420px}
table.docs td.why{max-width:380px;font-size:12px;color:var(--mute)}
.pager{margin:8px 0}.pager a,.pager span,.pager button{margin-right:6px}
.charts{display:flex;flex-wrap:wrap;gap:24px}
.bar{display:inline-block;height:10px;background:#2e7d32;vertical-align:middle}
"#;

/// A status as a coloured badge.
pub fn status_badge(status: &str) -> String {
    let class: String = status.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    format!("<span class=\"st st-{class}\">{}</span>", esc(status))
}

/// An integer with thousands separators: 12,345.
pub fn int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// `part` of `whole` as a percentage with one decimal; None when `whole` is zero.
pub fn percent(part: i64, whole: i64) -> Option<String> {
    (whole > 0).then(|| format!("{:.1}%", part as f64 * 100.0 / whole as f64))
}

/// Colours of the chart's series, told apart by most readers (Tableau 10, then two more).
const PALETTE: &[&str] = &[
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    "#1b9e77", "#7570b3",
];

/// A horizontal stacked bar chart as inline SVG: one bar per row (`label`, a value per series),
/// segments coloured by series, a legend above, each segment titled with its numbers.
pub fn stacked_bars(caption: &str, series: &[String], rows: &[(String, Vec<u64>)]) -> String {
    const LABEL_W: u32 = 170;
    const BAR_W: u32 = 380;
    const ROW_H: u32 = 18;
    const LEGEND_ROW_H: u32 = 18;
    const LEGEND_ITEM_W: u32 = 96;
    let width = LABEL_W + BAR_W + 70;
    let per_legend_row = (width / LEGEND_ITEM_W).max(1) as usize;
    let legend_rows = series.len().div_ceil(per_legend_row) as u32;
    let top = 24 + legend_rows * LEGEND_ROW_H + 6;
    let height = top + rows.len() as u32 * ROW_H + 6;
    let max = rows.iter().map(|(_, v)| v.iter().sum::<u64>()).max().unwrap_or(0).max(1);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{cap}\" font-size=\"12\">\
         <text x=\"0\" y=\"15\" font-weight=\"600\" font-size=\"13\">{cap}</text>",
        cap = esc(caption)
    );
    for (i, name) in series.iter().enumerate() {
        let x = (i % per_legend_row) as u32 * LEGEND_ITEM_W;
        let y = 24 + (i / per_legend_row) as u32 * LEGEND_ROW_H;
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            PALETTE[i % PALETTE.len()],
            x + 16,
            y + 11,
            esc(name)
        );
    }
    for (r, (label, values)) in rows.iter().enumerate() {
        let y = top + r as u32 * ROW_H;
        let _ = write!(svg, "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", LABEL_W - 6, y + 12, esc(label));
        let mut x = 0u64;
        let total: u64 = values.iter().sum();
        for (i, &v) in values.iter().enumerate() {
            if v == 0 {
                continue;
            }
            // Scaled on the whole (not per segment), so that segments add up to the bar.
            let x0 = LABEL_W as u64 + x * BAR_W as u64 / max;
            x += v;
            let x1 = LABEL_W as u64 + x * BAR_W as u64 / max;
            let _ = write!(
                svg,
                "<rect x=\"{x0}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} · {}: {}</title></rect>",
                y + 2,
                (x1 - x0).max(1),
                ROW_H - 4,
                PALETTE[i % PALETTE.len()],
                esc(label),
                esc(&series[i]),
                int(v as i64)
            );
        }
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" fill=\"#5b6472\">{}</text>",
            LABEL_W as u64 + total * BAR_W as u64 / max + 4,
            y + 12,
            int(total as i64)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_both_quotes() {
        assert_eq!(esc("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
        assert!(matches!(esc("≥217件"), Cow::Borrowed(_)));
        assert_eq!(esc_lines("<x>\ny"), "&lt;x&gt;<br>y");
    }

    #[test]
    fn integers_get_thousands_separators() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(1000), "1,000");
        assert_eq!(int(1234567), "1,234,567");
        assert_eq!(int(-1234), "-1,234");
    }

    #[test]
    fn percentages_need_a_whole() {
        assert_eq!(percent(1, 3), Some("33.3%".to_string()));
        assert_eq!(percent(0, 0), None);
    }

    #[test]
    fn a_chart_escapes_its_labels_and_draws_a_segment_per_nonzero_value() {
        let svg = stacked_bars("P<1>", &["2023".into(), "2024".into()], &[("<script>".into(), vec![3, 0])]);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert_eq!(svg.matches("<title>").count(), 1, "{svg}");
        assert!(svg.contains("<title>&lt;script&gt; · 2023: 3</title>"));
    }

    #[test]
    fn a_page_forbids_requests_elsewhere() {
        let p = page("t", "<p>x</p>", None, Scripts::Inline);
        assert!(p.contains("default-src 'none'"));
        assert!(!p.contains("http://") && !p.contains("https://"));
    }
}
