//! The page model: positioned glyphs and ruling segments of each page, as the interpreter
//! ([`super::interpret`]) draws them, for the table finder.
//!
//! Coordinates are PDF user space (points, origin bottom-left, y up), after the CTM and the text
//! matrix. A glyph keeps its origin, advance and effective font size; what it was drawn with
//! (font, colour, render mode) tells page furniture (light watermarks, invisible text) apart.

use std::sync::Arc;

/// An sRGB colour, each component 0–1 (gray and CMYK converted the simple way viewers do).
pub type Rgb = [f32; 3];

#[derive(Debug, Clone, PartialEq, Default)]
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
    /// The font's `/BaseFont` as written (subset tag included); empty when unknown.
    pub font: Arc<str>,
    /// Fill colour; None for patterns and colour spaces not converted.
    pub colour: Option<Rgb>,
    /// Text rendering mode (`Tr`): 0 fill, 1 stroke, 3 invisible (OCR layers), 7 clip, …
    pub render_mode: u8,
    /// Mostly outside the clipping path in force (`W n`): a viewer shows nothing (or a sliver)
    /// of it. Read only into the ruled cell whose own clip hid it (see [`Glyph::clip`]), else
    /// set aside, counted and quoted.
    pub clipped: bool,
    /// The bounding box (x0, y0, x1, y1) of the clip that hid a clipped glyph. Excel and WPS
    /// clip each cell to its rectangle: text overflowing the cell is hidden but is still the
    /// cell's text, and the clip says which cell it is.
    pub clip: Option<[f64; 4]>,
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
    /// How thick it is drawn: a stroked line's width, a filled rule's thickness (points; 0 when
    /// unknown).
    pub thickness: f64,
    /// Its colour (the stroke colour of a line, the fill colour of a filled rule).
    pub colour: Option<Rgb>,
}

impl Segment {
    pub fn new(a: (f64, f64), b: (f64, f64)) -> Segment {
        Segment { x1: a.0.min(b.0), y1: a.1.min(b.1), x2: a.0.max(b.0), y2: a.1.max(b.1), thickness: 0.0, colour: None }
    }

    /// The same segment, drawn `thickness` thick in `colour`.
    pub fn drawn(self, thickness: f64, colour: Option<Rgb>) -> Segment {
        Segment { thickness, colour, ..self }
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
