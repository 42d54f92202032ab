//! Paths and how they are painted, turned into ruling segments: stroked straight lines, and
//! filled rectangles thin enough to be a rule (WPS draws every border as a thin rectangle filled
//! with `f*`; Microsoft Print To PDF fills thin four-sided `m l l l h` subpaths, several per
//! path). Every painting operator counts (`S`, `s`, `f`, `F`, `f*`, `B`, `B*`, `b`, `b*`);
//! shading (a filled rectangle of some height) is not a rule.

use super::state::{bounding_box, ClipBox, Matrix};
use crate::ingest::pdf::glyphs::{Rgb, Segment};

/// Filled rectangles thinner than this (points) are rules.
const THIN: f64 = 2.0;

enum Piece {
    Line((f64, f64), (f64, f64)),
    Rect([(f64, f64); 4]),
}

/// The path under construction, in user space (the CTM applied as each point is given, as the
/// standard says).
#[derive(Default)]
pub struct Path {
    pieces: Vec<Piece>,
    start: Option<(f64, f64)>,
    current: Option<(f64, f64)>,
    /// The box around every point given (curves' control points included: a Bézier curve
    /// lies within them), for `W`.
    bbox: Option<ClipBox>,
    /// The current subpath drawn with straight lines only: its points, and the index of its
    /// first piece — four sides closed back to the start are a rectangle.
    straight: Option<(Vec<(f64, f64)>, usize)>,
}

/// How a path is painted.
pub struct Paint {
    pub stroke: bool,
    pub fill: bool,
    /// The line width in user space.
    pub line_width: f64,
    pub stroke_colour: Option<Rgb>,
    pub fill_colour: Option<Rgb>,
}

impl Path {
    fn take_in(&mut self, p: (f64, f64)) {
        let previous = self.bbox.map(|b| [(b[0], b[1]), (b[2], b[3])]);
        self.bbox = bounding_box(previous.into_iter().flatten().chain([p])).or(self.bbox);
    }

    /// The box around the path as given so far; None for an empty path.
    pub fn bbox(&self) -> Option<ClipBox> {
        self.bbox
    }

    pub fn move_to(&mut self, ctm: &Matrix, x: f64, y: f64) {
        let p = ctm.apply(x, y);
        self.take_in(p);
        self.start = Some(p);
        self.current = Some(p);
        self.straight = Some((vec![p], self.pieces.len()));
    }

    pub fn line_to(&mut self, ctm: &Matrix, x: f64, y: f64) {
        let p = ctm.apply(x, y);
        self.take_in(p);
        if let Some(c) = self.current {
            self.pieces.push(Piece::Line(c, p));
        }
        self.current = Some(p);
        if let Some((points, _)) = &mut self.straight {
            points.push(p);
        }
    }

    /// A curve ends at its last point; as a ruling it is nothing. `points`: its control points
    /// then its end, as given.
    pub fn curve_to(&mut self, ctm: &Matrix, points: &[(f64, f64)]) {
        for &(x, y) in points {
            let p = ctm.apply(x, y);
            self.take_in(p);
            self.current = Some(p);
        }
        self.straight = None;
    }

    pub fn close(&mut self) {
        if let (Some(c), Some(s)) = (self.current, self.start) {
            if c != s {
                self.pieces.push(Piece::Line(c, s));
            }
        }
        self.current = self.start;
        // Four straight sides closed: the same as `re` (a fill of it may be a rule).
        if let Some((points, first)) = self.straight.take() {
            if let Some(corners) = rectangle_corners(&points) {
                self.pieces.truncate(first);
                self.pieces.push(Piece::Rect(corners));
            }
        }
        self.straight = self.start.map(|s| (vec![s], self.pieces.len()));
    }

    pub fn rectangle(&mut self, ctm: &Matrix, x: f64, y: f64, w: f64, h: f64) {
        let corners = [ctm.apply(x, y), ctm.apply(x + w, y), ctm.apply(x + w, y + h), ctm.apply(x, y + h)];
        for c in corners {
            self.take_in(c);
        }
        self.pieces.push(Piece::Rect(corners));
        self.start = Some(ctm.apply(x, y));
        self.current = self.start;
        self.straight = None;
    }

    /// Ends the path (`n` or a painting operator); its rulings go to `out` when painted.
    pub fn paint(&mut self, paint: Option<&Paint>, out: &mut Vec<Segment>) {
        let pieces = std::mem::take(&mut self.pieces);
        self.start = None;
        self.current = None;
        self.bbox = None;
        self.straight = None;
        let Some(paint) = paint else { return };
        for piece in pieces {
            match piece {
                Piece::Line(a, b) if paint.stroke => {
                    out.push(Segment::new(a, b).drawn(paint.line_width, paint.stroke_colour));
                }
                Piece::Line(..) => {}
                Piece::Rect(c) => {
                    if paint.stroke {
                        for k in 0..4 {
                            out.push(Segment::new(c[k], c[(k + 1) % 4]).drawn(paint.line_width, paint.stroke_colour));
                        }
                    }
                    if paint.fill {
                        if let Some(rule) = thin_rect(&c) {
                            out.push(rule.drawn(rule.thickness, paint.fill_colour));
                        }
                    }
                }
            }
        }
    }
}

/// The corners of a subpath of four axis-parallel sides (`m l l l h`, or `m l l l l` back to
/// the start, then `h`).
fn rectangle_corners(points: &[(f64, f64)]) -> Option<[(f64, f64); 4]> {
    const SAME: f64 = 0.01;
    let near = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() <= SAME && (a.1 - b.1).abs() <= SAME;
    let p = match points.len() {
        4 => points,
        5 if near(points[0], points[4]) => &points[..4],
        _ => return None,
    };
    let level = |a: (f64, f64), b: (f64, f64)| (a.1 - b.1).abs() <= SAME;
    let upright = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() <= SAME;
    let sides = [(p[0], p[1]), (p[1], p[2]), (p[2], p[3]), (p[3], p[0])];
    let alternate = |first: &dyn Fn((f64, f64), (f64, f64)) -> bool,
                     second: &dyn Fn((f64, f64), (f64, f64)) -> bool| {
        sides.iter().enumerate().all(|(k, &(a, b))| if k % 2 == 0 { first(a, b) } else { second(a, b) })
    };
    (alternate(&level, &upright) || alternate(&upright, &level)).then(|| [p[0], p[1], p[2], p[3]])
}

/// A filled rectangle as a rule along its long side, when it is thinner than [`THIN`].
fn thin_rect(corners: &[(f64, f64); 4]) -> Option<Segment> {
    let (x1, x2) = corners.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (y1, y2) = corners.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let (w, h) = (x2 - x1, y2 - y1);
    if h < THIN && w > h {
        let y = (y1 + y2) / 2.0;
        Some(Segment::new((x1, y), (x2, y)).drawn(h, None))
    } else if w < THIN && h > w {
        let x = (x1 + x2) / 2.0;
        Some(Segment::new((x, y1), (x, y2)).drawn(w, None))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thin_filled_rectangles_are_rules_and_shading_is_not() {
        let rule = thin_rect(&[(53.64, 25.32), (540.84, 25.32), (540.84, 26.04), (53.64, 26.04)]).unwrap();
        assert!(rule.is_horizontal());
        assert!((rule.thickness - 0.72).abs() < 1e-9);
        assert!(thin_rect(&[(0.0, 0.0), (100.0, 0.0), (100.0, 20.0), (0.0, 20.0)]).is_none());
    }

    #[test]
    fn four_sided_subpaths_filled_are_rules() {
        // Microsoft Print To PDF (17): borders as `m l l l h` subpaths, two in one `f*`.
        let id = Matrix::IDENTITY;
        let mut path = Path::default();
        for x in [153.44, 361.12] {
            path.move_to(&id, x, 68.48);
            path.line_to(&id, x + 0.8, 68.48);
            path.line_to(&id, x + 0.8, 154.88);
            path.line_to(&id, x, 154.88);
            path.close();
        }
        // A triangle and a wide white box are no rules.
        path.move_to(&id, 0.0, 0.0);
        path.line_to(&id, 1.0, 0.0);
        path.line_to(&id, 0.0, 90.0);
        path.close();
        path.move_to(&id, 27.36, 542.24);
        path.line_to(&id, 361.6, 542.24);
        path.line_to(&id, 361.6, 585.28);
        path.line_to(&id, 27.36, 585.28);
        path.close();
        let fill =
            Paint { stroke: false, fill: true, line_width: 1.0, stroke_colour: None, fill_colour: Some([0.0; 3]) };
        let mut out = Vec::new();
        path.paint(Some(&fill), &mut out);
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(|s| s.is_vertical() && (s.thickness - 0.8).abs() < 1e-6));
        assert!((out[1].x1 - 361.52).abs() < 1e-6);
    }

    #[test]
    fn a_path_knows_its_box() {
        let mut path = Path::default();
        assert_eq!(path.bbox(), None);
        let flip = Matrix([1.0, 0.0, 0.0, -1.0, 0.0, 842.0]);
        path.rectangle(&flip, 10.0, 20.0, 100.0, 30.0);
        assert_eq!(path.bbox(), Some([10.0, 792.0, 110.0, 822.0]));
        path.move_to(&Matrix::IDENTITY, 0.0, 0.0);
        path.curve_to(&Matrix::IDENTITY, &[(-5.0, 3.0), (4.0, 900.0), (1.0, 1.0)]);
        assert_eq!(path.bbox(), Some([-5.0, 0.0, 110.0, 900.0]));
        path.paint(None, &mut Vec::new());
        assert_eq!(path.bbox(), None);
    }

    #[test]
    fn only_painted_paths_give_rulings() {
        let id = Matrix::IDENTITY;
        let mut path = Path::default();
        let mut out = Vec::new();
        path.move_to(&id, 0.0, 0.0);
        path.line_to(&id, 100.0, 0.0);
        path.paint(None, &mut out);
        assert!(out.is_empty());
        path.move_to(&id, 0.0, 0.0);
        path.line_to(&id, 100.0, 0.0);
        let stroke =
            Paint { stroke: true, fill: false, line_width: 0.5, stroke_colour: Some([0.0; 3]), fill_colour: None };
        path.paint(Some(&stroke), &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].thickness, 0.5);
    }
}
