//! The tolerances of the PDF table finder, in one value (as pdfplumber's `table_settings`):
//! lattice tables (grid.rs), tables drawn without vertical rules (aligned.rs) and the page
//! furniture (mod.rs) read them from here, so that every layout decision names the tolerance it
//! rests on and a change to one is seen in one place.

/// The table finder's tolerances. Points are PDF user-space units (1/72 in); ems are of the
/// glyphs' own size.
pub(super) struct TableSettings {
    /// Positions closer than this (points) are the same line.
    pub snap: f64,
    /// How far (points) a cell's clip may reach past the cell's rulings and still be the cell's
    /// own: producers clip to the cell's inner or outer edge, or to the middle of the ruling.
    pub cell_clip: f64,
    /// Glyphs closer than this (in ems of their size) along a line are one run of text.
    pub run_gap_em: f64,
    /// How far (points) a glyph must reach across a column border to be drawn across it, not
    /// beside it (cells whose text abuts the border on both sides stay apart).
    pub straddle: f64,
    /// How far (points) a table's vertical rulings must run past its last horizontal one to be a
    /// row whose closing border is on another page.
    pub open_row: f64,
    /// Glyphs further apart than this many em are in different cells.
    pub cell_gap_em: f64,
    /// Lines further apart than this many em (the lowest baseline of one to the highest of the
    /// next) are in different blocks.
    pub block_gap_em: f64,
    /// Rules closer than this (points) are one rule; rule ends closer than this are aligned.
    pub rule_snap: f64,
    /// How close (in ems of its own size) to the page's right text edge a line must end to wrap.
    pub wrap_em: f64,
    /// How many bands between rules a table needs for its rules to be its rows: a 三线表 has two
    /// (header and body), a table ruled under every row more.
    pub ruled_bands: usize,
    /// How close (points) text edges must be to be aligned.
    pub edge_snap: f64,
    /// How much (points) the widths or starts of texts must differ to show an alignment (centred
    /// texts of nearly one width, `≥90%` and `100%`, differ by a point).
    pub widths_differ: f64,
    /// How far (points, at most a cell padding) a separator sits from the aligned edge of a column.
    pub edge_inset: f64,
    /// How much of the page's height, at its top and at its bottom, running headers and footers
    /// are looked for in.
    pub running_margin: f64,
    /// How far (points) the left and right borders of the first table of a page may lie from
    /// those of the last table of the page before for the two to be one table.
    pub stitch_edges: f64,
}

/// The settings the pipeline uses.
pub(super) const TABLES: TableSettings = TableSettings {
    snap: 1.5,
    cell_clip: 3.0,
    run_gap_em: 0.15,
    straddle: 0.1,
    open_row: 4.0,
    cell_gap_em: 0.7,
    block_gap_em: 2.0,
    rule_snap: 2.0,
    wrap_em: 1.5,
    ruled_bands: 2,
    edge_snap: 1.0,
    widths_differ: 3.0,
    edge_inset: 2.0,
    running_margin: 0.1,
    stitch_edges: 2.0,
};
