//! Positioned glyphs of each page, collected from `pdf-extract`'s [`OutputDev`] callbacks, and
//! the page model they go into with the ruling segments of [`super::rules`].
//!
//! Coordinates are PDF user space (points, origin bottom-left, y up), after the CTM and the text
//! matrix. A glyph keeps its origin, advance and effective font size.

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

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
    /// Writing direction in degrees (0 = left to right on the page, 90 = bottom to top, …).
    pub angle: f64,
}

impl Glyph {
    /// The writing direction rounded to a multiple of 90°, or None for slanted text
    /// (watermarks run diagonally).
    pub fn axis(&self) -> Option<u32> {
        let nearest = (self.angle / 90.0).round() * 90.0;
        ((self.angle - nearest).abs() < 10.0).then_some(nearest as u32 % 360)
    }

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
    pub fn new(a: (f64, f64), b: (f64, f64)) -> Segment {
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
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
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

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        if text.is_empty() || text.contains('\u{FFFD}') {
            self.unmapped += 1;
            return Ok(());
        }
        let v = trm.transform_vector(euclid::vec2(font_size, font_size));
        let size = (v.x * v.y).abs().sqrt();
        let angle = trm.m12.atan2(trm.m11).to_degrees().rem_euclid(360.0);
        let glyph = Glyph { text: text.to_string(), x: trm.m31, y: trm.m32, width: width * size, size, angle };
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
}
