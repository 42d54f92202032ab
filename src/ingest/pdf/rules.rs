//! Ruling segments of each page, read from the content streams with lopdf.
//!
//! pdf-extract reports only paths painted with `S`, `f` and `F`, and drops `s`, `f*`, `B`,
//! `B*`, `b` and `b*`: WPS, for one, draws every table border as a thin rectangle filled with
//! `f*`. So the paths are interpreted here, for all painting operators: the CTM (`q`, `Q`,
//! `cm`), path construction (`m`, `l`, `c`, `v`, `y`, `h`, `re`), Form XObjects (`Do`, with their
//! `/Matrix`), read with the fast scanner of [`super::content`]. Stroked straight lines become segments; filled rectangles thinner than two points
//! become a segment along their long side (shading is not a rule).

use std::collections::BTreeMap;

use pdf_extract::{Dictionary, Document, Object, ObjectId};

use super::content::{self, Operand};
use super::glyphs::Segment;

/// Form XObjects nested deeper than this are not followed (cycles are refused before).
const MAX_DEPTH: u32 = 12;
/// Filled rectangles thinner than this (points) are rules.
const THIN: f64 = 2.0;

type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n` (apply `m` first).
fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

/// Segments of every page, by page number.
pub fn page_segments(doc: &Document) -> BTreeMap<u32, Vec<Segment>> {
    let mut out = BTreeMap::new();
    for (number, page_id) in doc.get_pages() {
        let mut segments = Vec::new();
        if let Ok(content) = doc.get_page_content(page_id) {
            let resources = page_resources(doc, page_id);
            run(doc, &content, resources.as_ref(), IDENTITY, 0, &mut segments);
        }
        out.insert(number, segments.into_iter().filter(|s| s.is_horizontal() || s.is_vertical()).collect());
    }
    out
}

fn page_resources(doc: &Document, page_id: ObjectId) -> Option<Dictionary> {
    let (direct, inherited) = doc.get_page_resources(page_id).ok()?;
    if let Some(d) = direct {
        return Some(d.clone());
    }
    inherited.first().and_then(|id| doc.get_dictionary(*id).ok()).cloned()
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match doc.dereference(o) {
        Ok((_, o)) => o,
        Err(_) => o,
    }
}

enum Piece {
    Line((f64, f64), (f64, f64)),
    Rect([(f64, f64); 4]),
}

fn run(
    doc: &Document,
    content: &[u8],
    resources: Option<&Dictionary>,
    base: Matrix,
    depth: u32,
    out: &mut Vec<Segment>,
) {
    let mut ctm = base;
    let mut stack: Vec<Matrix> = Vec::new();
    let mut pieces: Vec<Piece> = Vec::new();
    let mut start: Option<(f64, f64)> = None;
    let mut current: Option<(f64, f64)> = None;
    let mut forms: Vec<(Vec<u8>, Matrix)> = Vec::new();
    content::scan(content, |op, operands| {
        let n: Vec<f64> = operands
            .iter()
            .filter_map(|o| match o {
                Operand::Number(v) => Some(*v),
                _ => None,
            })
            .collect();
        match op {
            b"q" => stack.push(ctm),
            b"Q" => ctm = stack.pop().unwrap_or(base),
            b"cm" if n.len() == 6 => ctm = mul(&[n[0], n[1], n[2], n[3], n[4], n[5]], &ctm),
            b"m" if n.len() == 2 => {
                let p = apply(&ctm, n[0], n[1]);
                start = Some(p);
                current = Some(p);
            }
            b"l" if n.len() == 2 => {
                let p = apply(&ctm, n[0], n[1]);
                if let Some(c) = current {
                    pieces.push(Piece::Line(c, p));
                }
                current = Some(p);
            }
            b"c" if n.len() == 6 => current = Some(apply(&ctm, n[4], n[5])),
            b"v" | b"y" if n.len() == 4 => current = Some(apply(&ctm, n[2], n[3])),
            b"h" => {
                if let (Some(c), Some(s)) = (current, start) {
                    pieces.push(Piece::Line(c, s));
                }
                current = start;
            }
            b"re" if n.len() == 4 => {
                let (x, y, w, h) = (n[0], n[1], n[2], n[3]);
                pieces.push(Piece::Rect([
                    apply(&ctm, x, y),
                    apply(&ctm, x + w, y),
                    apply(&ctm, x + w, y + h),
                    apply(&ctm, x, y + h),
                ]));
                start = Some(apply(&ctm, x, y));
                current = start;
            }
            b"S" | b"s" => paint(&mut pieces, true, false, out),
            b"f" | b"F" | b"f*" => paint(&mut pieces, false, true, out),
            b"B" | b"B*" | b"b" | b"b*" => paint(&mut pieces, true, true, out),
            b"n" => pieces.clear(),
            b"Do" if depth < MAX_DEPTH => {
                if let Some(Operand::Name(name)) = operands.first() {
                    forms.push((name.to_vec(), ctm));
                }
            }
            _ => {}
        }
    });
    // Forms are drawn after the page's own paths; the order does not matter for rulings.
    for (name, ctm) in forms {
        form(doc, resources, &name, ctm, depth, out);
    }
}

fn paint(pieces: &mut Vec<Piece>, stroke: bool, fill: bool, out: &mut Vec<Segment>) {
    for piece in pieces.drain(..) {
        match piece {
            Piece::Line(a, b) if stroke => out.push(Segment::new(a, b)),
            Piece::Line(..) => {}
            Piece::Rect(c) => {
                if stroke {
                    for k in 0..4 {
                        out.push(Segment::new(c[k], c[(k + 1) % 4]));
                    }
                }
                if fill {
                    thin_rect(&c, out);
                }
            }
        }
    }
}

fn thin_rect(corners: &[(f64, f64); 4], out: &mut Vec<Segment>) {
    let (x1, x2) = corners.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (y1, y2) = corners.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let (w, h) = (x2 - x1, y2 - y1);
    if h < THIN && w > h {
        let y = (y1 + y2) / 2.0;
        out.push(Segment { x1, y1: y, x2, y2: y });
    } else if w < THIN && h > w {
        let x = (x1 + x2) / 2.0;
        out.push(Segment { x1: x, y1, x2: x, y2 });
    }
}

fn form(doc: &Document, resources: Option<&Dictionary>, name: &[u8], ctm: Matrix, depth: u32, out: &mut Vec<Segment>) {
    let Some(xobjects) = resources.and_then(|r| r.get(b"XObject").ok()).map(|o| deref(doc, o)) else { return };
    let Ok(xobjects) = xobjects.as_dict() else { return };
    let Ok(target) = xobjects.get(name) else { return };
    let Ok(stream) = deref(doc, target).as_stream() else { return };
    if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form".as_slice()) {
        return;
    }
    let matrix = stream
        .dict
        .get(b"Matrix")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_array().ok())
        .map(|a| a.iter().filter_map(num).collect::<Vec<_>>())
        .filter(|m| m.len() == 6)
        .map(|m| [m[0], m[1], m[2], m[3], m[4], m[5]])
        .unwrap_or(IDENTITY);
    let own = stream.dict.get(b"Resources").ok().map(|o| deref(doc, o)).and_then(|o| o.as_dict().ok()).cloned();
    let Ok(content) = stream.decompressed_content().or_else(|_| Ok::<_, ()>(stream.content.clone())) else { return };
    run(doc, &content, own.as_ref().or(resources), mul(&matrix, &ctm), depth + 1, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_compose_in_pdf_order() {
        // Flip the page (as WPS does), then translate: a point at (10, 10) lands at (10, 831.85).
        let flip = [1.0, 0.0, 0.0, -1.0, 0.0, 841.85];
        let m = mul(&IDENTITY, &flip);
        assert_eq!(apply(&m, 10.0, 10.0), (10.0, 831.85));
        let t = mul(&[1.0, 0.0, 0.0, 1.0, 5.0, 0.0], &flip);
        assert_eq!(apply(&t, 0.0, 0.0), (5.0, 841.85));
    }

    #[test]
    fn thin_filled_rectangles_are_rules_and_shading_is_not() {
        let mut out = Vec::new();
        thin_rect(&[(53.64, 25.32), (540.84, 25.32), (540.84, 26.04), (53.64, 26.04)], &mut out);
        thin_rect(&[(0.0, 0.0), (100.0, 0.0), (100.0, 20.0), (0.0, 20.0)], &mut out);
        assert_eq!(out.len(), 1);
        assert!(out[0].is_horizontal());
    }
}
