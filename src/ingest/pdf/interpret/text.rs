//! Text objects: the text and line matrices, and each shown code placed where a viewer draws it
//! (PDF 32000-1, 9.4.4): origin from the text rendering matrix
//! `[size·Th 0 0 size 0 rise] × Tm × CTM`, then the pen moved by the glyph's advance, character
//! and word spacing, horizontal scaling, and `TJ` adjustments.

use std::sync::Arc;

use super::fonts::FontGlyph;
use super::state::{bounding_box, inside_share, GraphicsState, Matrix};
use crate::ingest::pdf::glyphs::Glyph;

/// `BT` … `ET`.
#[derive(Debug, Clone, Copy)]
pub struct TextObject {
    pub matrix: Matrix,
    pub line_matrix: Matrix,
}

impl Default for TextObject {
    fn default() -> TextObject {
        TextObject { matrix: Matrix::IDENTITY, line_matrix: Matrix::IDENTITY }
    }
}

/// Where shown glyphs go, and those that could not be read.
#[derive(Default)]
pub struct Shown {
    pub glyphs: Vec<Glyph>,
    /// Glyphs whose font gives no text for them.
    pub unmapped: usize,
}

impl TextObject {
    /// `Td`: a new line at an offset from the start of the current one.
    pub fn next_line(&mut self, tx: f64, ty: f64) {
        self.line_matrix = Matrix::translation(tx, ty).then(&self.line_matrix);
        self.matrix = self.line_matrix;
    }

    /// `Tm`.
    pub fn set(&mut self, m: Matrix) {
        self.matrix = m;
        self.line_matrix = m;
    }

    /// `TJ`'s numbers: thousandths of an em, subtracted from the pen position.
    pub fn adjust(&mut self, amount: f64, gs: &GraphicsState, vertical: bool) {
        let t = &gs.text;
        let shift = -amount / 1000.0 * t.size;
        self.matrix = if vertical {
            Matrix::translation(0.0, shift)
        } else {
            Matrix::translation(shift * t.horizontal_scaling, 0.0)
        }
        .then(&self.matrix);
    }

    /// Shows `bytes` in the current font: each glyph placed, the pen advanced.
    pub fn show(&mut self, bytes: &[u8], gs: &GraphicsState, out: &mut Shown) {
        let t = &gs.text;
        let Some(font) = t.font.clone() else {
            // Text without a font (`Tf` missing) cannot be placed; a viewer shows nothing.
            out.unmapped += bytes.len();
            return;
        };
        let th = t.horizontal_scaling;
        // Type 3 fonts scale glyph space by their own matrix: the em is that matrix's height.
        let em = font.font_matrix().map_or(1.0, |m| (m[3] * 1000.0).abs().max(f64::MIN_POSITIVE));
        let font_name: Arc<str> = font.name.clone();
        font.decode(bytes, |g: FontGlyph| {
            let text_to_user = self.matrix.then(&gs.ctm);
            let spacing = t.char_spacing + if g.is_word_space { t.word_spacing } else { 0.0 };
            let (origin_x, origin_y, advance_matrix) = match g.vertical {
                None => {
                    let o = text_to_user.apply(0.0, t.rise);
                    let tx = (g.advance * t.size + spacing) * th;
                    (o.0, o.1, Matrix::translation(tx, 0.0))
                }
                Some(v) => {
                    // The glyph hangs from the pen: its horizontal origin is the position
                    // vector away.
                    let o = text_to_user.apply(-v.origin_x * t.size * th, t.rise - v.origin_y * t.size);
                    let ty = v.advance * t.size + spacing;
                    (o.0, o.1, Matrix::translation(0.0, ty))
                }
            };
            match g.text {
                Some(text) if !text.is_empty() && !text.contains('\u{FFFD}') => {
                    let along = text_to_user.apply_vector(g.advance * t.size * th, 0.0);
                    let up = text_to_user.apply_vector(0.0, t.size * em);
                    let baseline = text_to_user.apply_vector(1.0, 0.0);
                    let angle = baseline.1.atan2(baseline.0);
                    // Its box: along the advance, from a descent below the baseline to the top
                    // of the em. Less than half of it inside the clip, a viewer shows at most a
                    // sliver nobody reads (a line cut by a page break is read on the page that
                    // shows most of it, a line under a cell's edge not at all).
                    let corners = [(0.0, -0.2), (0.0, 0.9), (1.0, -0.2), (1.0, 0.9)]
                        .map(|(a, u)| (origin_x + a * along.0 + u * up.0, origin_y + a * along.1 + u * up.1));
                    let clipped = bounding_box(corners).is_some_and(|b| inside_share(gs.clip, b) < 0.5);
                    out.glyphs.push(Glyph {
                        text,
                        x: origin_x,
                        y: origin_y,
                        width: along.0.hypot(along.1),
                        size: up.0.hypot(up.1),
                        angle: angle.to_degrees().rem_euclid(360.0),
                        font: font_name.clone(),
                        colour: if t.render_mode == 1 { gs.stroke } else { gs.fill },
                        render_mode: t.render_mode,
                        clipped,
                        clip: if clipped { gs.clip } else { None },
                    });
                }
                _ => out.unmapped += 1,
            }
            self.matrix = advance_matrix.then(&self.matrix);
        });
    }
}
