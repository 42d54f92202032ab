//! Positioned renditions: a CMS turns each page of a PDF into a box (`div.page`) of absolutely
//! positioned text runs (`left`, `top`, `font-size`, often `width`) and thin boxes that draw the
//! table rulings, with no `<table>` at all. Such a page is turned back into the PDF reader's
//! page model — glyphs with their origin, advance and size, and ruling segments, in points
//! with y upwards — and read by the PDF table finder and page stitching
//! ([`crate::ingest::pdf::page_model_blocks`]), so that the one table finder builds its tables.
//!
//! Only inline styles are read (renditions write every position inline); a run's characters
//! share its width in proportion to their usual advance (a CJK character one em, others half),
//! or take those advances when no width is given.

use super::dom::{Data, Dom, DOCUMENT};
use crate::blocks::Document;
use crate::error::Error;
use crate::grammars::Grammars;
use crate::ingest::pdf::glyphs::{Glyph, Page, Segment};

/// At least this many positioned text runs, holding this share of the page's text, make a
/// positioned rendition (a normal page may position a badge or two).
const MIN_RUNS: usize = 10;
const MIN_TEXT_SHARE: f64 = 0.8;

/// A box thinner than this (points) is a ruling line.
const RULE_THICKNESS: f64 = 2.5;

/// Font size of a run that does not say (five-point type, 10.5 pt, the size of Chinese forms).
const DEFAULT_FONT_SIZE: f64 = 10.5;

/// What every node of the page is for a rendition, computed in two passes over the tree (no
/// walk up or down from each node: a deep page costs its size, not its size times its depth).
pub(super) struct Layout {
    styles: Vec<Option<Style>>,
    /// A positioned box (left and top) with no positioned box inside: a text run or a ruling.
    run: Vec<bool>,
    /// The page box a node belongs to: its nearest ancestor with class `page`, else None.
    page: Vec<Option<usize>>,
    /// The offsets of the positioned boxes between a node and its page box.
    offset: Vec<(f64, f64)>,
    /// Inside a script, a style sheet or the head: not text of the page.
    hidden: Vec<bool>,
}

impl Layout {
    fn new(dom: &Dom) -> Layout {
        let n = dom.nodes.len();
        let styles: Vec<Option<Style>> = (0..n).map(|id| style_of(dom, id)).collect();
        let positioned = |id: usize| {
            styles[id].as_ref().is_some_and(|s| s.absolute() && s.get("left").is_some() && s.get("top").is_some())
        };
        let order = dom.descendants(DOCUMENT);
        // Bottom-up: whether a positioned box is inside.
        let mut inside = vec![false; n];
        for &id in order.iter().rev() {
            if let Some(parent) = dom.node(id).parent {
                inside[parent] |= inside[id] || positioned(id);
            }
        }
        let run: Vec<bool> = (0..n).map(|id| positioned(id) && !inside[id]).collect();
        // Top-down: page box, offsets, hidden.
        let mut page = vec![None; n];
        let mut offset = vec![(0.0, 0.0); n];
        let mut hidden = vec![false; n];
        for &id in &order {
            let node = dom.node(id);
            let parent = node.parent.unwrap_or(DOCUMENT);
            let is_page =
                node.attr("class").is_some_and(|c| c.split_ascii_whitespace().any(|c| c.eq_ignore_ascii_case("page")));
            hidden[id] = hidden[parent] || matches!(node.tag(), "script" | "style" | "head" | "noscript" | "template");
            if is_page {
                page[id] = Some(id);
                continue;
            }
            page[id] = page[parent];
            // A positioned parent that is not the page box moves what it holds.
            let (mut dx, mut dy) = offset[parent];
            if parent != DOCUMENT && page[parent] != Some(parent) {
                if let Some(s) = styles[parent].as_ref().filter(|s| s.absolute()) {
                    dx += s.length("left").unwrap_or(0.0);
                    dy += s.length("top").unwrap_or(0.0);
                }
            }
            offset[id] = (dx, dy);
        }
        Layout { styles, run, page, offset, hidden }
    }
}

/// The page boxes of a positioned rendition, in page order, and its layout; None for any other
/// page.
pub(super) fn pages(dom: &Dom) -> Option<(Vec<usize>, Layout)> {
    let layout = Layout::new(dom);
    let mut run_chars = 0usize;
    let mut runs = 0usize;
    let mut containers: Vec<usize> = Vec::new();
    for id in dom.descendants(DOCUMENT) {
        if !layout.run[id] {
            continue;
        }
        let text = own_text(dom, id);
        if text.trim().is_empty() {
            continue;
        }
        runs += 1;
        run_chars += text.chars().filter(|c| !c.is_whitespace()).count();
        let container = layout.page[id].or(dom.node(id).parent).unwrap_or(DOCUMENT);
        if !containers.contains(&container) {
            containers.push(container);
        }
    }
    let all_chars: usize = dom
        .descendants(DOCUMENT)
        .into_iter()
        .filter(|&id| !layout.hidden[id])
        .filter_map(|id| dom.node(id).text())
        .map(|t| t.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    (runs >= MIN_RUNS && run_chars as f64 >= MIN_TEXT_SHARE * all_chars as f64).then_some((containers, layout))
}

/// Reads the pages into blocks with the PDF reader's table finder.
pub(super) fn read(dom: &Dom, (pages, layout): (Vec<usize>, Layout), g: &Grammars) -> Result<Document, Error> {
    let mut model = Vec::new();
    for (k, container) in pages.iter().enumerate() {
        model.push(page(dom, &layout, *container, k as u32 + 1));
    }
    let glyphs: usize = model.iter().map(|p| p.glyphs.len()).sum();
    crate::ingest::limits::check(
        |n| format!("the page's positioned runs hold {n} characters"),
        glyphs as u64,
        crate::ingest::limits::MAX_PAGE_GLYPHS * crate::ingest::limits::MAX_PAGES.min(64),
        "MAX_PAGE_GLYPHS",
    )?;
    Ok(Document { blocks: crate::ingest::pdf::page_model_blocks(&mut model, g).0 })
}

/// One page box: its runs as glyphs, its thin boxes as rulings.
fn page(dom: &Dom, layout: &Layout, container: usize, number: u32) -> Page {
    let empty = Style::default();
    let style = layout.styles[container].as_ref().unwrap_or(&empty);
    let mut glyphs = Vec::new();
    let mut boxes: Vec<(f64, f64, f64, f64, bool)> = Vec::new();
    for id in dom.descendants(container) {
        if !layout.run[id] {
            continue;
        }
        let Some(s) = layout.styles[id].as_ref() else { continue };
        let (Some(left), Some(top)) = (s.length("left"), s.length("top")) else { continue };
        let (dx, dy) = layout.offset[id];
        let (x, y) = (left + dx, top + dy);
        let text = own_text(dom, id);
        if !text.trim().is_empty() {
            let size = s.length("font-size").or_else(|| s.length("height")).unwrap_or(DEFAULT_FONT_SIZE);
            glyphs.extend(run_glyphs(&text, x, y, size, s.length("width")));
        } else if let (Some(w), Some(h)) = (s.length("width"), s.length("height")) {
            let bordered = s.0.iter().any(|(k, v)| k.starts_with("border") && !v.contains("none"));
            boxes.push((x, y, w, h, bordered));
        }
    }
    let extent = |f: fn(&Glyph) -> f64| glyphs.iter().map(f).fold(0.0, f64::max);
    let width = style.length("width").unwrap_or_else(|| extent(|g| g.x + g.width) + 36.0);
    let height = style.length("height").unwrap_or_else(|| extent(|g| g.y) + 36.0);
    // CSS y runs down from the page's top; the page model's runs up from its bottom.
    for g in &mut glyphs {
        g.y = height - g.y;
    }
    let mut segments = Vec::new();
    for (x, y, w, h, bordered) in boxes {
        let flip = |y: f64| height - y;
        if h <= RULE_THICKNESS && w > h {
            segments.push(Segment::new((x, flip(y + h / 2.0)), (x + w, flip(y + h / 2.0))));
        } else if w <= RULE_THICKNESS && h > w {
            segments.push(Segment::new((x + w / 2.0, flip(y)), (x + w / 2.0, flip(y + h))));
        } else if bordered {
            segments.push(Segment::new((x, flip(y)), (x + w, flip(y))));
            segments.push(Segment::new((x, flip(y + h)), (x + w, flip(y + h))));
            segments.push(Segment::new((x, flip(y)), (x, flip(y + h))));
            segments.push(Segment::new((x + w, flip(y)), (x + w, flip(y + h))));
        }
    }
    Page { number, width, height, glyphs, segments }
}

/// The glyphs of a text run whose box starts at (`x`, `top`), y still measured downwards (the
/// baseline sits 0.8 em below the top, as in the fonts of Chinese forms).
fn run_glyphs(text: &str, x: f64, top: f64, size: f64, width: Option<f64>) -> Vec<Glyph> {
    let em = |c: char| {
        if c.is_whitespace() {
            0.25
        } else if crate::ingest::pdf::grid::is_cjk(c) {
            1.0
        } else {
            0.5
        }
    };
    let total: f64 = text.chars().map(em).sum();
    let scale = match width {
        Some(w) if total > 0.0 && w > 0.0 => w / total,
        _ => size,
    };
    let mut out = Vec::new();
    let mut at = x;
    for c in text.chars() {
        let advance = em(c) * scale;
        if !c.is_whitespace() {
            out.push(Glyph {
                text: c.to_string(),
                x: at,
                y: top + 0.8 * size,
                width: advance,
                size,
                ..Glyph::default()
            });
        }
        at += advance;
    }
    out
}

/// The text of a run: its text nodes, white space collapsed.
fn own_text(dom: &Dom, id: usize) -> String {
    let raw: String = dom.descendants(id).into_iter().filter_map(|d| dom.node(d).text()).collect();
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An inline style's declarations, names lowercased.
#[derive(Default)]
struct Style(Vec<(String, String)>);

fn style_of(dom: &Dom, id: usize) -> Option<Style> {
    let node = dom.node(id);
    if !matches!(node.data, Data::Element { .. }) {
        return None;
    }
    let style = node.attr("style")?;
    Some(Style(
        style
            .split(';')
            .filter_map(|d| d.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_ascii_lowercase()))
            .collect(),
    ))
}

impl Style {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Absolutely positioned: said inline, or left to a style sheet (renditions put
    /// `position: absolute` in a class and only the coordinates inline; `left` and `top` do
    /// nothing to a box that is not positioned, so a box that has them is).
    fn absolute(&self) -> bool {
        match self.get("position") {
            Some(p) => p.starts_with("absolute"),
            None => self.get("left").is_some() && self.get("top").is_some(),
        }
    }

    /// A length in points (px, pt, mm, cm, in; a bare number is px, as browsers read it in
    /// quirks mode).
    fn length(&self, name: &str) -> Option<f64> {
        let v = self.get(name)?.trim_end_matches("!important").trim();
        let split = v.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+')).unwrap_or(v.len());
        let n: f64 = v[..split].parse().ok()?;
        let factor = match v[split..].trim() {
            "" | "px" => 0.75,
            "pt" => 1.0,
            "mm" => 72.0 / 25.4,
            "cm" => 72.0 / 2.54,
            "in" => 72.0,
            "pc" => 12.0,
            _ => return None,
        };
        (n.is_finite() && n.abs() < 1e7).then_some(n * factor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_share_their_width_and_units_become_points() {
        let g = run_glyphs("≤15万元", 10.0, 20.0, 12.0, Some(48.0));
        // Three narrow characters (≤, 1, 5) and two CJK: 1.5 + 2 = 3.5 em over 48 pt.
        assert_eq!(g.len(), 5);
        assert!((g[3].x - (10.0 + 1.5 * 48.0 / 3.5)).abs() < 1e-9);
        assert!((g[4].x + g[4].width - 58.0).abs() < 1e-9);
        let s = Style(vec![("left".into(), "96px".into()), ("top".into(), "1in".into())]);
        assert_eq!((s.length("left"), s.length("top")), (Some(72.0), Some(72.0)));
    }

    #[test]
    fn a_page_of_positioned_runs_and_rulings_becomes_a_table() {
        let mut html = String::from("<div class=page style='position:relative;width:400pt;height:300pt'>");
        // A 2 × 2 grid of rulings from (50, 50) to (350, 110), and a run in each cell.
        for y in [50, 80, 110] {
            html.push_str(&format!(
                "<div class=r style='position:absolute;left:50pt;top:{y}pt;width:300pt;height:0.5pt'></div>"
            ));
        }
        for x in [50, 200, 350] {
            html.push_str(&format!(
                "<div class=r style='position:absolute;left:{x}pt;top:50pt;width:0.5pt;height:60pt'></div>"
            ));
        }
        for (x, y, t) in [(55, 58, "项目名称"), (205, 58, "办案业务费"), (55, 88, "指标值"), (205, 88, "<15万元")]
        {
            html.push_str(&format!(
                "<div class=p style='position:absolute;left:{x}pt;top:{y}pt;font-size:10.5pt'>{t}</div>"
            ));
        }
        for k in 0..8 {
            html.push_str(&format!(
                "<div class=p style='position:absolute;left:55pt;top:{}pt;font-size:10.5pt'>第{k}行</div>",
                150 + 15 * k
            ));
        }
        html.push_str("</div>");
        let dom = Dom::parse(&html);
        let found = pages(&dom).expect("a positioned rendition");
        assert_eq!(found.0.len(), 1);
        let doc = read(&dom, found, Grammars::builtin()).unwrap();
        let t = doc.tables().next().expect("a table");
        let texts: Vec<Vec<String>> = t.rows.iter().map(|r| r.cells.iter().map(|c| c.text()).collect()).collect();
        assert_eq!(texts, [vec!["项目名称", "办案业务费"], vec!["指标值", "<15万元"]]);
        assert_eq!(t.rows[1].cells[1].location.page, Some(1));
        assert!(doc.paragraphs().any(|p| p.text == "第0行"));
    }
}
