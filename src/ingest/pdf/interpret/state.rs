//! The graphics state the interpreter carries: the CTM, colours, line width and the text state
//! (saved and restored by `q`/`Q`), and the affine matrices they are made of.

use std::rc::Rc;

use super::fonts::Font;
use crate::ingest::pdf::glyphs::Rgb;

/// An affine matrix `[a b c d e f]`, as PDF writes them (row vectors: p' = p × M).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Matrix(pub [f64; 6]);

impl Matrix {
    pub const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    pub fn translation(x: f64, y: f64) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// `self` then `then` (apply `self` first).
    pub fn then(&self, then: &Matrix) -> Matrix {
        let (m, n) = (&self.0, &then.0);
        Matrix([
            m[0] * n[0] + m[1] * n[2],
            m[0] * n[1] + m[1] * n[3],
            m[2] * n[0] + m[3] * n[2],
            m[2] * n[1] + m[3] * n[3],
            m[4] * n[0] + m[5] * n[2] + n[4],
            m[4] * n[1] + m[5] * n[3] + n[5],
        ])
    }

    pub fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let m = &self.0;
        (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
    }

    /// A vector (no translation).
    pub fn apply_vector(&self, x: f64, y: f64) -> (f64, f64) {
        let m = &self.0;
        (m[0] * x + m[2] * y, m[1] * x + m[3] * y)
    }

    /// From six operands; None when there are not six finite numbers.
    pub fn from_slice(v: &[f64]) -> Option<Matrix> {
        (v.len() == 6 && v.iter().all(|x| x.is_finite())).then(|| Matrix([v[0], v[1], v[2], v[3], v[4], v[5]]))
    }

    /// The mean scale of the matrix (the square root of its determinant): how a line width
    /// scales into user space.
    pub fn mean_scale(&self) -> f64 {
        let m = &self.0;
        (m[0] * m[3] - m[1] * m[2]).abs().sqrt()
    }
}

/// What the text operators set, kept with the graphics state.
#[derive(Debug, Clone)]
pub struct TextState {
    pub font: Option<Rc<Font>>,
    pub size: f64,
    /// `Tc`, `Tw` (unscaled text space units), `Tz` (as a factor), `TL`, `Ts`.
    pub char_spacing: f64,
    pub word_spacing: f64,
    pub horizontal_scaling: f64,
    pub leading: f64,
    pub rise: f64,
    pub render_mode: u8,
}

impl Default for TextState {
    fn default() -> TextState {
        TextState {
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            horizontal_scaling: 1.0,
            leading: 0.0,
            rise: 0.0,
            render_mode: 0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct GraphicsState {
    pub ctm: Matrix,
    pub fill: Option<Rgb>,
    pub stroke: Option<Rgb>,
    /// Components the current fill and stroke colour spaces take (for `sc`, `scn`).
    pub fill_components: usize,
    pub stroke_components: usize,
    pub line_width: f64,
    pub text: TextState,
    /// The clipping path in force, as the box around it in user space (x0, y0, x1, y1); None:
    /// the whole page. A box around the path holds everything the path lets through, so what
    /// lies entirely outside it is surely not drawn.
    pub clip: Option<ClipBox>,
}

/// An axis-aligned box in user space: (x0, y0, x1, y1), x0 ≤ x1, y0 ≤ y1.
pub type ClipBox = [f64; 4];

/// The box around some points; None when there are none or one is not finite.
pub fn bounding_box(points: impl IntoIterator<Item = (f64, f64)>) -> Option<ClipBox> {
    let mut b: Option<ClipBox> = None;
    for (x, y) in points {
        if !x.is_finite() || !y.is_finite() {
            return None;
        }
        b = Some(match b {
            None => [x, y, x, y],
            Some([x0, y0, x1, y1]) => [x0.min(x), y0.min(y), x1.max(x), y1.max(y)],
        });
    }
    b
}

/// A clip narrowed by another path's box (clipping paths only ever intersect).
pub fn intersect(clip: Option<ClipBox>, with: ClipBox) -> ClipBox {
    match clip {
        None => with,
        Some(c) => {
            let (x0, y0) = (c[0].max(with[0]), c[1].max(with[1]));
            // An empty intersection stays empty (x1 < x0): nothing is drawn any more.
            [x0, y0, c[2].min(with[2]), c[3].min(with[3])]
        }
    }
}

/// Whether a box lies entirely outside the clip, by more than `tolerance` points.
/// The share of box `b` inside the clip (1 without a clip).
pub fn inside_share(clip: Option<ClipBox>, b: ClipBox) -> f64 {
    let Some(c) = clip else { return 1.0 };
    let area = (b[2] - b[0]).max(0.0) * (b[3] - b[1]).max(0.0);
    if area <= 0.0 {
        return if outside(clip, b, 0.0) { 0.0 } else { 1.0 };
    }
    let w = (b[2].min(c[2]) - b[0].max(c[0])).max(0.0);
    let h = (b[3].min(c[3]) - b[1].max(c[1])).max(0.0);
    w * h / area
}

pub fn outside(clip: Option<ClipBox>, b: ClipBox, tolerance: f64) -> bool {
    let Some(c) = clip else { return false };
    if c[2] < c[0] || c[3] < c[1] {
        return true;
    }
    b[2] < c[0] - tolerance || b[0] > c[2] + tolerance || b[3] < c[1] - tolerance || b[1] > c[3] + tolerance
}

impl GraphicsState {
    pub fn new(ctm: Matrix) -> GraphicsState {
        GraphicsState {
            ctm,
            fill: Some([0.0; 3]),
            stroke: Some([0.0; 3]),
            fill_components: 1,
            stroke_components: 1,
            line_width: 1.0,
            text: TextState::default(),
            clip: None,
        }
    }
}

/// A colour from its components: 1 gray, 3 RGB, 4 CMYK; anything else (patterns, spot colours
/// through tint transforms) is not converted.
pub fn colour(components: &[f64]) -> Option<Rgb> {
    let c = |v: f64| v.clamp(0.0, 1.0) as f32;
    match components {
        [g] => Some([c(*g); 3]),
        [r, g, b] => Some([c(*r), c(*g), c(*b)]),
        [cy, m, y, k] => {
            let k = c(*k);
            Some([(1.0 - c(*cy)) * (1.0 - k), (1.0 - c(*m)) * (1.0 - k), (1.0 - c(*y)) * (1.0 - k)])
        }
        _ => None,
    }
}

/// How many components a colour space takes, by the name `cs`/`CS` gives or the array of an
/// ICC-based, indexed or separation space; 0 for patterns and what is not known.
pub fn components_of(space: &[u8]) -> usize {
    match space {
        b"DeviceGray" | b"G" | b"CalGray" | b"Indexed" | b"I" | b"Separation" => 1,
        b"DeviceRGB" | b"RGB" | b"CalRGB" | b"Lab" => 3,
        b"DeviceCMYK" | b"CMYK" => 4,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_compose_in_pdf_order() {
        // Flip the page (as WPS does), then translate: a point at (10, 10) lands at (10, 831.85).
        let flip = Matrix([1.0, 0.0, 0.0, -1.0, 0.0, 841.85]);
        assert_eq!(Matrix::IDENTITY.then(&flip).apply(10.0, 10.0), (10.0, 831.85));
        let t = Matrix::translation(5.0, 0.0).then(&flip);
        assert_eq!(t.apply(0.0, 0.0), (5.0, 841.85));
    }

    #[test]
    fn clips_intersect_and_tell_what_is_outside() {
        let page = bounding_box([(0.0, 0.0), (595.0, 842.0)]).unwrap();
        let cell = intersect(Some(page), [100.0, 100.0, 200.0, 120.0]);
        assert_eq!(cell, [100.0, 100.0, 200.0, 120.0]);
        assert!(outside(Some(cell), [201.0, 105.0, 210.0, 115.0], 0.0));
        assert!(!outside(Some(cell), [195.0, 105.0, 210.0, 115.0], 0.0));
        assert!(!outside(None, [1e6, 1e6, 1e6, 1e6], 0.0));
        // Disjoint clips leave nothing.
        let none = intersect(Some(cell), [300.0, 300.0, 400.0, 400.0]);
        assert!(outside(Some(none), [100.0, 100.0, 200.0, 120.0], 0.0));
    }

    #[test]
    fn colours_convert() {
        assert_eq!(colour(&[0.5]), Some([0.5; 3]));
        assert_eq!(colour(&[0.0, 0.0, 0.0, 1.0]), Some([0.0; 3]));
        assert_eq!(colour(&[1.0, 0.0]), None);
    }
}
