//! The one content-stream interpreter: every page's operators, read once with
//! [`super::content`], give the page model — glyphs placed as a viewer draws them and ruling
//! segments from painted paths ([`super::glyphs::Page`]).
//!
//! - [`state`]: the graphics state (CTM, colours, line width, text state) and `q`/`Q`;
//! - [`text`]: text objects, each code's origin and advance (`Tc`, `Tw`, `Tz`, `TL`, `Ts`,
//!   `TJ`, text matrices that scale or rotate, vertical writing);
//! - [`fonts`]: simple fonts (`/Widths`, the standard 14 fonts' metrics, encodings and
//!   `/Differences`), composite fonts (`/W`, `/DW`, `/W2`), Type 3 fonts (`/FontMatrix`);
//! - [`cmaps`]: predefined CMaps with their real code → CID tables, embedded CMaps, ToUnicode;
//! - [`paths`]: paths and all painting operators, rulings from stroked lines and thin filled
//!   rectangles.
//!
//! Fonts are built once per document (pages share them). The caps of [`crate::ingest::limits`]
//! hold here too — operators and Form XObjects drawn per page, their nesting, `q` depth — so
//! that the interpreter is safe on its own; the budget pass ([`super::budget`]) refuses most
//! such files before.

pub mod cmaps;
mod fonts;
mod paths;
mod state;
pub(crate) mod tables;
mod text;

use std::borrow::Cow;
use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use self::fonts::Font;
use self::paths::{Paint, Path};
use self::state::{bounding_box, colour, components_of, intersect, outside, GraphicsState, Matrix};
use self::text::{Shown, TextObject};
use super::content::{self, Operand};
use super::glyphs::{Page, Segment};
use crate::error::Error;
use crate::ingest::limits::{check, MAX_FORM_DEPTH, MAX_FORM_DRAWS, MAX_PAGE_OPERATORS};

/// `q` deeper than this is counted, not saved: an unbalanced stream of `q` cannot grow memory.
const MAX_SAVED_STATES: usize = 1_024;

/// A ruling is dropped as clipped only when it lies this far (points) outside the clip: borders
/// are drawn on the edge of the clip of their cell, half their width outside it.
const CLIP_TOLERANCE: f64 = 1.0;

/// The page model of every page, and the glyphs no font could give text for.
pub struct Interpreted {
    pub pages: Vec<Page>,
    pub unmapped: usize,
}

/// Interprets `pages` (page number, page object) of `doc`.
pub fn interpret(doc: &Document, pages: &[(u32, ObjectId)]) -> Result<Interpreted, Error> {
    let mut interpreter = Interpreter { doc, fonts: HashMap::new(), unmapped: 0 };
    let mut out = Vec::with_capacity(pages.len());
    for &(number, id) in pages {
        out.push(interpreter.page(number, id)?);
    }
    Ok(Interpreted { pages: out, unmapped: interpreter.unmapped })
}

/// The bytes of a stream, decoded within the stream cap ([`super::budget::decoded`]);
/// None when they cannot be. (The budget pass stores what pages draw decoded already; this
/// covers the rest, e.g. fonts used only inside Form XObjects.)
pub(crate) fn stream_data(stream: &Stream) -> Option<Cow<'_, [u8]>> {
    super::budget::decoded(stream).ok()
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        other => other,
    }
}

fn resolve_dict<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    resolve(doc, o).as_dict().ok()
}

/// A font is cached by its object, or, written inline in a resource dictionary, by where that
/// dictionary lives (the document is not changed while it is interpreted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum FontKey {
    Object(ObjectId),
    Inline(usize),
}

struct Interpreter<'d> {
    doc: &'d Document,
    fonts: HashMap<FontKey, Rc<Font>>,
    unmapped: usize,
}

/// One page being interpreted.
struct PageRun {
    gs: GraphicsState,
    saved: Vec<GraphicsState>,
    /// `q` past [`MAX_SAVED_STATES`], not saved.
    unsaved: usize,
    text: TextObject,
    path: Path,
    /// `W` or `W*` seen: the path, once painted (or ended with `n`), narrows the clip.
    clip_pending: bool,
    shown: Shown,
    segments: Vec<Segment>,
    operators: u64,
    forms_drawn: u64,
    failure: Option<Error>,
    number: u32,
}

impl<'d> Interpreter<'d> {
    fn page(&mut self, number: u32, id: ObjectId) -> Result<Page, Error> {
        let doc = self.doc;
        let (width, height) = media_size(doc, id).unwrap_or((595.0, 842.0));
        let resources = page_resources(doc, id);
        let mut run = PageRun {
            gs: GraphicsState::new(Matrix::IDENTITY),
            saved: Vec::new(),
            unsaved: 0,
            text: TextObject::default(),
            path: Path::default(),
            clip_pending: false,
            shown: Shown::default(),
            segments: Vec::new(),
            operators: 0,
            forms_drawn: 0,
            failure: None,
            number,
        };
        let mut data: Vec<u8> = Vec::new();
        for content_id in doc.get_page_contents(id) {
            if let Ok(stream) = doc.get_object(content_id).and_then(Object::as_stream) {
                if let Some(bytes) = stream_data(stream) {
                    data.extend_from_slice(&bytes);
                    data.push(b'\n');
                }
            }
        }
        self.run(&mut run, &data, resources, 0);
        if let Some(e) = run.failure {
            return Err(e);
        }
        self.unmapped += run.shown.unmapped;
        let segments = run.segments.into_iter().filter(|s| s.is_horizontal() || s.is_vertical()).collect();
        Ok(Page { number, width, height, glyphs: run.shown.glyphs, segments })
    }

    fn run(&mut self, run: &mut PageRun, data: &[u8], resources: Option<&'d Dictionary>, depth: u64) {
        content::scan(data, |op, operands| {
            if run.failure.is_some() {
                return;
            }
            run.operators += 1;
            if run.operators > MAX_PAGE_OPERATORS {
                let n = run.number;
                run.failure = check(
                    |c| format!("page {n}: {c} operators"),
                    run.operators,
                    MAX_PAGE_OPERATORS,
                    "MAX_PAGE_OPERATORS",
                )
                .err();
                return;
            }
            self.operator(run, op, operands, resources, depth);
        });
    }

    fn operator(
        &mut self,
        run: &mut PageRun,
        op: &[u8],
        operands: &[Operand<'_>],
        resources: Option<&'d Dictionary>,
        depth: u64,
    ) {
        let num = |i: usize| operands.get(i).and_then(Operand::number);
        let numbers = || -> Vec<f64> { operands.iter().filter_map(Operand::number).collect() };
        let gs = &mut run.gs;
        match op {
            // Graphics state.
            b"q" => {
                if run.saved.len() < MAX_SAVED_STATES {
                    run.saved.push(gs.clone());
                } else {
                    run.unsaved += 1;
                }
            }
            b"Q" => {
                if run.unsaved > 0 {
                    run.unsaved -= 1;
                } else if let Some(saved) = run.saved.pop() {
                    *gs = saved;
                }
            }
            b"cm" => {
                if let Some(m) = Matrix::from_slice(&numbers()) {
                    gs.ctm = m.then(&gs.ctm);
                }
            }
            b"w" => {
                if let Some(w) = num(0) {
                    gs.line_width = w;
                }
            }
            // Colours.
            b"g" | b"rg" | b"k" => {
                gs.fill = colour(&numbers());
                gs.fill_components = operands.len();
            }
            b"G" | b"RG" | b"K" => {
                gs.stroke = colour(&numbers());
                gs.stroke_components = operands.len();
            }
            b"cs" | b"CS" => {
                let n = match operands.first() {
                    Some(Operand::Name(name)) => self.colour_space_components(name, resources),
                    _ => 0,
                };
                let (c, k) = if op == b"cs" {
                    (&mut gs.fill, &mut gs.fill_components)
                } else {
                    (&mut gs.stroke, &mut gs.stroke_components)
                };
                *k = n;
                *c = match n {
                    1 | 3 => Some([0.0; 3]),
                    4 => Some([0.0; 3]),
                    _ => None,
                };
            }
            b"sc" | b"scn" => {
                let v = numbers();
                gs.fill = if v.len() == gs.fill_components { colour(&v) } else { None };
            }
            b"SC" | b"SCN" => {
                let v = numbers();
                gs.stroke = if v.len() == gs.stroke_components { colour(&v) } else { None };
            }
            // Paths.
            b"m" => {
                if let (Some(x), Some(y)) = (num(0), num(1)) {
                    run.path.move_to(&gs.ctm, x, y);
                }
            }
            b"l" => {
                if let (Some(x), Some(y)) = (num(0), num(1)) {
                    run.path.line_to(&gs.ctm, x, y);
                }
            }
            b"c" | b"v" | b"y" => {
                let v = numbers();
                if v.len() == if op == b"c" { 6 } else { 4 } {
                    let points: Vec<(f64, f64)> = v.chunks_exact(2).map(|p| (p[0], p[1])).collect();
                    run.path.curve_to(&gs.ctm, &points);
                }
            }
            b"h" => run.path.close(),
            b"re" => {
                if let (Some(x), Some(y), Some(w), Some(h)) = (num(0), num(1), num(2), num(3)) {
                    run.path.rectangle(&gs.ctm, x, y, w, h);
                }
            }
            b"S" | b"s" | b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*" => {
                if matches!(op, b"s" | b"b" | b"b*") {
                    run.path.close();
                }
                let stroke = matches!(op, b"S" | b"s" | b"B" | b"B*" | b"b" | b"b*");
                let fill = !matches!(op, b"S" | b"s");
                let paint = Paint {
                    stroke,
                    fill,
                    line_width: gs.line_width * gs.ctm.mean_scale(),
                    stroke_colour: gs.stroke,
                    fill_colour: gs.fill,
                };
                let clip = run.clip_pending.then(|| run.path.bbox()).flatten();
                let before = run.segments.len();
                run.path.paint(Some(&paint), &mut run.segments);
                // What the clip in force hides is not drawn; the path's own clip applies after.
                if gs.clip.is_some() {
                    let kept: Vec<Segment> = run.segments.drain(before..).filter(|s| !segment_clipped(gs, s)).collect();
                    run.segments.extend(kept);
                }
                end_clip(gs, &mut run.clip_pending, clip);
            }
            b"n" => {
                let clip = run.clip_pending.then(|| run.path.bbox()).flatten();
                run.path.paint(None, &mut run.segments);
                end_clip(gs, &mut run.clip_pending, clip);
            }
            b"W" | b"W*" => run.clip_pending = true,
            // Text objects and state.
            b"BT" => run.text = TextObject::default(),
            b"Tf" => {
                if let (Some(Operand::Name(name)), Some(size)) = (operands.first(), num(1)) {
                    gs.text.font = self.font(name, resources);
                    gs.text.size = size;
                }
            }
            b"Tc" => gs.text.char_spacing = num(0).unwrap_or(0.0),
            b"Tw" => gs.text.word_spacing = num(0).unwrap_or(0.0),
            b"Tz" => gs.text.horizontal_scaling = num(0).unwrap_or(100.0) / 100.0,
            b"TL" => gs.text.leading = num(0).unwrap_or(0.0),
            b"Ts" => gs.text.rise = num(0).unwrap_or(0.0),
            b"Tr" => gs.text.render_mode = num(0).unwrap_or(0.0).clamp(0.0, 7.0) as u8,
            b"Td" => {
                if let (Some(x), Some(y)) = (num(0), num(1)) {
                    run.text.next_line(x, y);
                }
            }
            b"TD" => {
                if let (Some(x), Some(y)) = (num(0), num(1)) {
                    gs.text.leading = -y;
                    run.text.next_line(x, y);
                }
            }
            b"Tm" => {
                if let Some(m) = Matrix::from_slice(&numbers()) {
                    run.text.set(m);
                }
            }
            b"T*" => run.text.next_line(0.0, -gs.text.leading),
            b"Tj" => {
                if let Some(bytes) = operands.first().and_then(content::string_bytes) {
                    run.text.show(&bytes, gs, &mut run.shown);
                }
            }
            b"'" => {
                run.text.next_line(0.0, -gs.text.leading);
                if let Some(bytes) = operands.first().and_then(content::string_bytes) {
                    run.text.show(&bytes, gs, &mut run.shown);
                }
            }
            b"\"" => {
                if let (Some(aw), Some(ac)) = (num(0), num(1)) {
                    gs.text.word_spacing = aw;
                    gs.text.char_spacing = ac;
                }
                run.text.next_line(0.0, -gs.text.leading);
                if let Some(bytes) = operands.get(2).and_then(content::string_bytes) {
                    run.text.show(&bytes, gs, &mut run.shown);
                }
            }
            b"TJ" => {
                let Some(Operand::Array(inner)) = operands.first() else { return };
                let vertical = gs.text.font.as_ref().is_some_and(|f| f.is_vertical());
                for item in content::array_items(inner) {
                    match item {
                        Operand::Number(n) => run.text.adjust(n, gs, vertical),
                        other => {
                            if let Some(bytes) = content::string_bytes(&other) {
                                run.text.show(&bytes, gs, &mut run.shown);
                            }
                        }
                    }
                }
            }
            // Form XObjects.
            b"Do" => {
                if let Some(Operand::Name(name)) = operands.first() {
                    self.draw_form(run, name, resources, depth);
                }
            }
            _ => {}
        }
    }

    fn colour_space_components(&self, name: &[u8], resources: Option<&'d Dictionary>) -> usize {
        let direct = components_of(name);
        if direct > 0 || name == b"Pattern" {
            return direct;
        }
        // A named space of the resources: [/ICCBased stream] (its /N), [/Indexed …],
        // [/Separation …], [/DeviceN [names] …].
        let doc = self.doc;
        let Some(space) = resources
            .and_then(|r| r.get(b"ColorSpace").ok())
            .and_then(|c| resolve_dict(doc, c))
            .and_then(|c| c.get(name).ok())
            .map(|s| resolve(doc, s))
        else {
            return 0;
        };
        match space {
            Object::Name(n) => components_of(n),
            Object::Array(items) => match items.first().and_then(|f| f.as_name().ok()) {
                Some(b"ICCBased") => items
                    .get(1)
                    .and_then(|s| resolve(doc, s).as_stream().ok())
                    .and_then(|s| s.dict.get(b"N").ok())
                    .and_then(|n| n.as_i64().ok())
                    .map_or(0, |n| n.clamp(0, 4) as usize),
                Some(b"DeviceN") => items.get(1).and_then(|a| resolve(doc, a).as_array().ok()).map_or(0, Vec::len),
                Some(other) => components_of(other),
                None => 0,
            },
            _ => 0,
        }
    }

    fn font(&mut self, name: &[u8], resources: Option<&'d Dictionary>) -> Option<Rc<Font>> {
        let doc = self.doc;
        let fonts = resources.and_then(|r| r.get(b"Font").ok()).and_then(|f| resolve_dict(doc, f))?;
        let entry = fonts.get(name).ok()?;
        let (key, dict) = match entry {
            Object::Reference(id) => (FontKey::Object(*id), doc.get_object(*id).ok()?.as_dict().ok()?),
            Object::Dictionary(d) => (FontKey::Inline(d as *const Dictionary as usize), d),
            _ => return None,
        };
        if let Some(font) = self.fonts.get(&key) {
            return Some(font.clone());
        }
        let font = Rc::new(Font::load(doc, dict));
        self.fonts.insert(key, font.clone());
        Some(font)
    }

    fn draw_form(&mut self, run: &mut PageRun, name: &[u8], resources: Option<&'d Dictionary>, depth: u64) {
        let doc = self.doc;
        let Some(stream) = resources
            .and_then(|r| r.get(b"XObject").ok())
            .and_then(|x| resolve_dict(doc, x))
            .and_then(|x| x.get(name).ok())
            .and_then(|s| resolve(doc, s).as_stream().ok())
        else {
            return;
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form".as_slice()) {
            return;
        }
        run.forms_drawn += 1;
        let n = run.number;
        let caps =
            check(|c| format!("page {n}: {c} Form XObjects drawn"), run.forms_drawn, MAX_FORM_DRAWS, "MAX_FORM_DRAWS")
                .and_then(|()| {
                    check(|c| format!("Form XObjects nest {c} deep"), depth + 1, MAX_FORM_DEPTH, "MAX_FORM_DEPTH")
                });
        if let Err(e) = caps {
            run.failure = Some(e);
            return;
        }
        let Some(data) = stream_data(stream) else { return };
        let matrix = stream
            .dict
            .get(b"Matrix")
            .ok()
            .map(|m| resolve(doc, m))
            .and_then(|m| m.as_array().ok())
            .map(|a| a.iter().filter_map(|o| number(resolve(doc, o))).collect::<Vec<_>>())
            .and_then(|v| Matrix::from_slice(&v))
            .unwrap_or(Matrix::IDENTITY);
        let own = stream.dict.get(b"Resources").ok().and_then(|r| resolve_dict(doc, r));
        // The form's /BBox clips what it draws.
        let bbox = stream
            .dict
            .get(b"BBox")
            .ok()
            .map(|b| resolve(doc, b))
            .and_then(|b| b.as_array().ok())
            .map(|a| a.iter().filter_map(|o| number(resolve(doc, o))).collect::<Vec<_>>())
            .filter(|v| v.len() == 4);
        // A form is drawn inside its own q … Q, its path and text object its own.
        let saved_gs = run.gs.clone();
        let saved_text = run.text;
        let saved_path = std::mem::take(&mut run.path);
        let saved_depth = (run.saved.len(), run.unsaved);
        run.gs.ctm = matrix.then(&run.gs.ctm);
        if let Some(b) = bbox {
            let ctm = run.gs.ctm;
            let corners = [(b[0], b[1]), (b[2], b[1]), (b[2], b[3]), (b[0], b[3])].map(|(x, y)| ctm.apply(x, y));
            if let Some(user) = bounding_box(corners) {
                run.gs.clip = Some(intersect(run.gs.clip, user));
            }
        }
        let saved_pending = std::mem::replace(&mut run.clip_pending, false);
        self.run(run, &data, own.or(resources), depth + 1);
        run.clip_pending = saved_pending;
        run.saved.truncate(saved_depth.0);
        run.unsaved = saved_depth.1;
        run.gs = saved_gs;
        run.text = saved_text;
        run.path = saved_path;
    }
}

/// A path ended: when `W` or `W*` came before, its box narrows the clip.
fn end_clip(gs: &mut GraphicsState, pending: &mut bool, path_box: Option<state::ClipBox>) {
    if std::mem::take(pending) {
        if let Some(b) = path_box {
            gs.clip = Some(intersect(gs.clip, b));
        }
    }
}

/// A ruling entirely outside the clip in force (by more than [`CLIP_TOLERANCE`]).
fn segment_clipped(gs: &GraphicsState, s: &Segment) -> bool {
    let half = s.thickness / 2.0;
    outside(gs.clip, [s.x1 - half, s.y1 - half, s.x2 + half, s.y2 + half], CLIP_TOLERANCE)
}

fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

/// The page's resources, its own or inherited from the page tree.
fn page_resources(doc: &Document, page: ObjectId) -> Option<&Dictionary> {
    let mut dict = doc.get_dictionary(page).ok()?;
    for _ in 0..64 {
        if let Ok(r) = dict.get(b"Resources") {
            return resolve_dict(doc, r);
        }
        dict = doc.get_dictionary(dict.get(b"Parent").and_then(Object::as_reference).ok()?).ok()?;
    }
    None
}

/// Width and height of the page's media box (inherited from the page tree when not its own).
pub fn media_size(doc: &Document, page: ObjectId) -> Option<(f64, f64)> {
    let mut dict = doc.get_dictionary(page).ok()?;
    for _ in 0..64 {
        if let Ok(b) = dict.get(b"MediaBox") {
            let n: Vec<f64> = resolve(doc, b).as_array().ok()?.iter().filter_map(|o| number(resolve(doc, o))).collect();
            return (n.len() == 4).then(|| ((n[2] - n[0]).abs(), (n[3] - n[1]).abs()));
        }
        dict = doc.get_dictionary(dict.get(b"Parent").and_then(Object::as_reference).ok()?).ok()?;
    }
    None
}
