"""reportlab (platypus) prints of the seeds with its non-embedded CID font STSong-Light
(UniGB-UCS2-H, no ToUnicode, /W from reportlab's metrics), as Python report generators write
them: a Table per Word table with SPAN for merged cells, Paragraphs (CJK word wrap) for text
cells, and plain strings, which reportlab never wraps, for codes, values and 依据 cells: a long
one runs past its cell's right border (the 项目编码 into the next cell's empty left part, a
依据 such as 冀高法【2019】117号 past the table's right edge).

Rules: a full grid; a 三线表 (a rule over the first row, under the header row of an indicator grid
and under the last row, none between); a rule under every row; none at all.
Variations: a running header and a footer 第N页 共M页 (onPage; the page count from a first
build), a 公开 watermark at 35° drawn after the page's content (onPageEnd: over the tables), one
project on a landscape page template, and 16 pt text with splitInRow so that rows are cut by
page breaks (and the indicator grid's header repeated, repeatRows=1).
"""
import io
import math
from xml.sax.saxutils import escape

from . import model

FONT = "STSong-Light"
RL_BLOCK_COLS = [0.145, 0.17, 0.145, 0.15, 0.13, 0.11, 0.15]
OVERFLOW_MAX = 30.0  # a plain string may run at most this far past its cell (else: a Paragraph)


def _setup():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    try:
        pdfmetrics.getFont(FONT)
    except KeyError:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def text_width(s, size):
    from reportlab.pdfbase.pdfmetrics import stringWidth
    return stringWidth(s, FONT, size)


def plain_candidate(table, cell):
    """Cells printed as plain strings: the 项目编码 value, the indicator grid's 指标值 and 依据."""
    if table.kind == "block":
        return cell.row > 0 and cell.col == 1 and cell.colspan == 1 and any(ch.isdigit() for ch in cell.text) \
            and not any("\u4e00" <= ch <= "\u9fff" for ch in cell.text)
    return cell.row > 0 and cell.col >= 4


def free_right(table, cell, widths, size):
    """How far a plain string may run past its cell's right border without touching text: into
    the page margin after the last column (at most OVERFLOW_MAX), else into the empty left part
    of the neighbour cell (its padding, and half its free width when its text is centred)."""
    end = cell.col + cell.colspan
    if end >= table.ncols:
        return OVERFLOW_MAX
    nb = next((c for c in table.cells if c.col == end and c.row <= cell.row < c.row + c.rowspan), None)
    if nb is None or not "".join(nb.lines).strip():
        return OVERFLOW_MAX
    free = 6.0
    if table.kind == "block" and nb.col == 2:  # centred labels
        nw = sum(widths[nb.col:nb.col + nb.colspan])
        free = (nw - max(text_width(l, size) for l in nb.lines)) / 2
    return free - 3.0


def build_table(table, width, rules, size, large):
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    body = ParagraphStyle("cell", fontName=FONT, fontSize=size, leading=size * 1.3, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, alignment=1)
    fr = RL_BLOCK_COLS if table.kind == "block" else model.col_fractions(table)
    widths = [f * width for f in fr]
    data = [["" for _ in range(table.ncols)] for _ in range(table.nrows)]
    style = [("FONT", (0, 0), (-1, -1), FONT, size, size * 1.3), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6)]
    for c in table.cells:
        if c.colspan > 1 or c.rowspan > 1:
            style.append(("SPAN", (c.col, c.row), (c.col + c.colspan - 1, c.row + c.rowspan - 1)))
        lines = c.lines
        cw = sum(widths[c.col:c.col + c.colspan])
        widest = max([text_width(l, size) for l in lines] + [0])
        if plain_candidate(table, c) and widest + 6 <= cw + free_right(table, c, widths, size):
            data[c.row][c.col] = "\n".join(lines)  # reportlab draws it as it is, past the border if long
        elif large and c.colspan > 1:
            # splitInRow re-wraps a split Paragraph at one column's width, not the span's: lines
            # wrapped here instead, as a plain string (split by lines, never re-wrapped)
            wrapped = []
            for l in lines:
                wrapped += model.wrap(l, cw - 12, size, lambda ch: text_width(ch, 1.0))
            data[c.row][c.col] = "\n".join(wrapped)
        else:
            centred = (table.kind == "grid" and c.row == 0) or (table.kind == "block" and c.col == 2 and c.row > 0)
            st = head if centred else body
            data[c.row][c.col] = Paragraph("<br/>".join(escape(l) for l in lines), st)
    if table.kind == "block":
        style.append(("ALIGN", (2, 1), (2, -1), "CENTER"))
    black = colors.black
    if rules == "grid":
        style.append(("GRID", (0, 0), (-1, -1), 0.5, black))
    elif rules == "threeline":
        style.append(("LINEABOVE", (0, 0), (-1, 0), 1.0, black))
        if table.kind == "grid":
            style.append(("LINEBELOW", (0, 0), (-1, 0), 0.5, black))
        style.append(("LINEBELOW", (0, -1), (-1, -1), 1.0, black))
    elif rules == "hrules":
        style.append(("LINEABOVE", (0, 0), (-1, 0), 0.5, black))
        style.append(("LINEBELOW", (0, 0), (-1, -1), 0.5, black))
    elif rules == "frame":
        style.append(("BOX", (0, 0), (-1, -1), 0.5, black))
        style.append(("LINEBELOW", (0, 0), (-1, -1), 0.5, black))
    kw = {"splitInRow": 1} if large else {}
    if large and table.kind == "grid":
        kw["repeatRows"] = 1
    return Table(data, colWidths=widths, style=TableStyle(style), hAlign="LEFT", **kw)


def story(items, stem, rules, size, landscape, frame_w):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import NextPageTemplate, PageBreak, Paragraph, Spacer

    body = ParagraphStyle("p", fontName=FONT, fontSize=size, leading=size * 1.5, wordWrap="CJK")
    heading = ParagraphStyle("h", parent=body, fontSize=size + 2, leading=(size + 2) * 1.6, spaceBefore=6)
    out = []
    land_k = model.LANDSCAPE_PROJECT[stem] if landscape else None
    for k, group in model.projects(items):
        land = k is not None and k == land_k
        if land:
            out += [NextPageTemplate("L"), PageBreak()]
        for it in group:
            if isinstance(it, model.Para):
                out.append(Paragraph(escape(it.text), heading if it.heading else body))
            else:
                out.append(build_table(it, frame_w["L" if land else "P"], rules, size, size > 12))
                out.append(Spacer(1, 8))
        if land:
            out += [NextPageTemplate("P"), PageBreak()]
    return out


def make(stem, variant, path):
    from reportlab.lib.pagesizes import A4, landscape as landscape_of
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    _setup()
    rules, size, furniture, land = VARIANTS[variant][:4]
    items = model.read_seed(stem)
    unit = model.unit_name(items)
    margin = 40
    top = margin + (24 if "header" in furniture else 0)
    sizes = {"P": A4, "L": landscape_of(A4)}
    frame_w = {k: w - 2 * margin for k, (w, h) in sizes.items()}
    total = {"pages": 0}

    def on_page(canv, doc):
        if "header" not in furniture:
            return
        w, h = canv._pagesize
        canv.saveState()
        canv.setFont(FONT, 9)
        canv.drawCentredString(w / 2, h - 40, unit)
        canv.setLineWidth(0.75)
        canv.line(margin, h - 46, w - margin, h - 46)
        canv.drawCentredString(w / 2, 28, f"第{doc.page}页 共{total['pages'] or doc.page}页")
        canv.restoreState()

    def on_page_end(canv, doc):
        if "watermark" not in furniture:
            return
        w, h = canv._pagesize
        canv.saveState()
        canv.setFillGray(model.WATERMARK_GREY)
        canv.setFont(FONT, 60)
        for fx, fy in ((0.28, 0.78), (0.5, 0.5), (0.72, 0.22)):
            canv.saveState()
            canv.translate(w * fx - 60, h * fy - 20)
            canv.rotate(model.WATERMARK_ANGLE)
            canv.drawString(0, 0, model.WATERMARK)
            canv.restoreState()
        canv.restoreState()

    def build(target):
        doc = BaseDocTemplate(target, pagesize=A4, invariant=1, title=stem, author="", creator="reportlab",
                              leftMargin=margin, rightMargin=margin, topMargin=top, bottomMargin=margin)
        templates = []
        for name, (w, h) in sizes.items():
            frame = Frame(margin, margin, w - 2 * margin, h - margin - top, id=name, leftPadding=0, rightPadding=0,
                          topPadding=0, bottomPadding=0)
            templates.append(PageTemplate(id=name, frames=[frame], pagesize=(w, h), onPage=on_page, onPageEnd=on_page_end))
        doc.addPageTemplates(templates)
        doc.build(story(items, stem, rules, size, land, frame_w))
        return doc.page

    total["pages"] = build(io.BytesIO())
    build(str(path))


VARIANTS = {
    # name: (rules, size, furniture, landscape, what it tests)
    "grid": ("grid", 9.0, (), False, "full grid; codes and 依据 as plain strings that run past their cell"),
    "threeline": ("threeline", 9.0, (), False, "三线表: a rule over the table, under the grid's header row, under the last row"),
    "hrules": ("hrules", 9.0, (), False, "horizontal rules only: over the table and under every row"),
    "norules": ("none", 9.0, (), False, "no rules at all"),
    "frame": ("frame", 9.0, (), False, "an outer frame and a rule under every row, no inner vertical rules"),
    "header-footer": ("grid", 9.0, ("header",), False, "full grid, running header (unit name, rule), footer 第N页 共M页"),
    "watermark": ("grid", 9.0, ("watermark",), False, "full grid, 公开 at 35° in light grey three times per page, over the tables"),
    "landscape": ("grid", 9.0, (), True, "full grid, one project on a landscape page between portrait pages"),
    "large": ("grid", 16.0, (), False, "full grid at 16 pt, rows cut by page breaks (splitInRow), grid header repeated; "
              "merged cells as pre-wrapped strings"),
}
