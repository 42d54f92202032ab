//! Positioned glyphs and ruling segments of each page, collected from `pdf-extract`'s
//! [`OutputDev`] callbacks.
//!
//! Coordinates are PDF user space (points, origin bottom-left, y up), after the CTM and the text
//! matrix. A glyph keeps its origin, advance and effective font size; a segment is a straight
//! stroked line or the long axis of a thin filled rectangle (both ways of drawing table rules).

use pdf_extract::{ColorSpace, MediaBox, OutputDev, OutputError, Path, PathOp, Transform};

#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub text: String,
    /// Origin (left end of the baseline).
    pub x: f64,
    pub y: f64,
    /// Advance width.
    pub width: f64,
    /// Effective font size (after the text matrix and CTM).
    pub size: f64,
}

impl Glyph {
    /// The point used to place the glyph in a cell: mid-advance, a third above the baseline.
    pub fn center(&self) -> (f64, f64) {
        (self.x + self.width / 2.0, self.y + self.size * 0.3)
    }
}

/// A horizontal or vertical ruling: `(x1, y1)`–`(x2, y2)` with x1 ≤ x2, y1 ≤ y2.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
}

impl Segment {
    fn new(a: (f64, f64), b: (f64, f64)) -> Segment {
        Segment { x1: a.0.min(b.0), y1: a.1.min(b.1), x2: a.0.max(b.0), y2: a.1.max(b.1) }
    }

    pub fn is_horizontal(&self) -> bool {
        (self.y2 - self.y1) < 0.8 && (self.x2 - self.x1) > 0.8
    }

    pub fn is_vertical(&self) -> bool {
        (self.x2 - self.x1) < 0.8 && (self.y2 - self.y1) > 0.8
    }
}

#[derive(Debug, Clone, Default)]
pub struct Page {
    pub number: u32,
    pub width: f64,
    pub height: f64,
    pub glyphs: Vec<Glyph>,
    pub segments: Vec<Segment>,
}

/// Filled rectangles thinner than this (points) are rules, not shading.
const THIN: f64 = 2.0;

#[derive(Default)]
pub struct Collector {
    pub pages: Vec<Page>,
    /// Glyphs whose font had no Unicode mapping (pdf-extract hands them over as empty strings or
    /// U+FFFD).
    pub unmapped: usize,
}

impl Collector {
    fn page(&mut self) -> Option<&mut Page> {
        self.pages.last_mut()
    }

    fn add_path(&mut self, ctm: &Transform, path: &Path, filled: bool) {
        let t = |x: f64, y: f64| {
            let p = ctm.transform_point(euclid::point2(x, y));
            (p.x, p.y)
        };
        let mut segments = Vec::new();
        let mut start: Option<(f64, f64)> = None;
        let mut current: Option<(f64, f64)> = None;
        let mut polygon: Vec<(f64, f64)> = Vec::new();
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => {
                    let p = t(x, y);
                    start = Some(p);
                    current = Some(p);
                    polygon = vec![p];
                }
                PathOp::LineTo(x, y) => {
                    let p = t(x, y);
                    if let Some(c) = current {
                        if !filled {
                            segments.push(Segment::new(c, p));
                        }
                    }
                    current = Some(p);
                    polygon.push(p);
                }
                PathOp::CurveTo(_, _, _, _, x, y) => {
                    current = Some(t(x, y));
                    polygon.clear();
                }
                PathOp::Rect(x, y, w, h) => {
                    let corners = [t(x, y), t(x + w, y), t(x + w, y + h), t(x, y + h)];
                    if filled {
                        self.thin_rect(&corners, &mut segments);
                    } else {
                        for k in 0..4 {
                            segments.push(Segment::new(corners[k], corners[(k + 1) % 4]));
                        }
                    }
                    polygon.clear();
                }
                PathOp::Close => {
                    if let (Some(c), Some(s)) = (current, start) {
                        if !filled {
                            segments.push(Segment::new(c, s));
                        }
                    }
                    if filled && polygon.len() >= 4 {
                        let corners: Vec<(f64, f64)> = polygon.iter().take(4).copied().collect();
                        self.thin_rect(&corners, &mut segments);
                    }
                    current = start;
                    polygon.clear();
                }
            }
        }
        if filled && polygon.len() >= 4 {
            let corners: Vec<(f64, f64)> = polygon.iter().take(4).copied().collect();
            self.thin_rect(&corners, &mut segments);
        }
        if let Some(page) = self.page() {
            page.segments.extend(segments.into_iter().filter(|s| s.is_horizontal() || s.is_vertical()));
        }
    }

    /// A filled axis-aligned rectangle thinner than [`THIN`] is a rule along its long side.
    fn thin_rect(&self, corners: &[(f64, f64)], out: &mut Vec<Segment>) {
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
}

impl OutputDev for Collector {
    fn begin_page(&mut self, page_num: u32, media_box: &MediaBox, _: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        self.pages.push(Page {
            number: page_num,
            width: media_box.urx - media_box.llx,
            height: media_box.ury - media_box.lly,
            ..Page::default()
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(&mut self, trm: &Transform, width: f64, _spacing: f64, font_size: f64, text: &str) -> Result<(), OutputError> {
        if text.is_empty() || text.contains('\u{FFFD}') {
            self.unmapped += 1;
            return Ok(());
        }
        let v = trm.transform_vector(euclid::vec2(font_size, font_size));
        let size = (v.x * v.y).abs().sqrt();
        let glyph = Glyph { text: text.to_string(), x: trm.m31, y: trm.m32, width: width * size, size };
        if let Some(page) = self.page() {
            page.glyphs.push(glyph);
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn stroke(&mut self, ctm: &Transform, _: &ColorSpace, _: &[f64], path: &Path) -> Result<(), OutputError> {
        self.add_path(ctm, path, false);
        Ok(())
    }

    fn fill(&mut self, ctm: &Transform, _: &ColorSpace, _: &[f64], path: &Path) -> Result<(), OutputError> {
        self.add_path(ctm, path, true);
        Ok(())
    }
}
