"""The seeds' content as every producer prints it, read from the seed .docx files (whose records are
the corpus's truth): paragraphs, and tables of cells with their grid column, column span, row span
(Word's vMerge) and paragraphs. No producer changes a cell's text; headers, footers and watermarks
are furniture drawn around it.
"""
import dataclasses
import pathlib
import re
import zipfile
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEEDS = ["000_5439077655b7c2d3", "001_5c85cbf3a97b1726"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Expected records of each seed (the .docx's): projects, indicator rows.
EXPECTED = {"000_5439077655b7c2d3": (4, 44), "001_5c85cbf3a97b1726": (7, 63)}
# Which project goes on the landscape page (index into the projects; both have a short grid).
LANDSCAPE_PROJECT = {"000_5439077655b7c2d3": 2, "001_5c85cbf3a97b1726": 2}
WATERMARK = "公开"
WATERMARK_ANGLE = 35.0  # degrees, counter-clockwise (the text rises to the right)
WATERMARK_GREY = 0.82  # fill grey level (1 = white)


@dataclasses.dataclass
class Cell:
    row: int
    col: int
    colspan: int
    rowspan: int
    paras: list  # paragraph strings; a paragraph of only spaces is kept as it is

    @property
    def text(self):
        return "\n".join(self.paras)

    @property
    def lines(self):
        """The paragraphs as printed lines: trailing empty ones dropped, spaces-only ones empty."""
        out = [p if p.strip() else "" for p in self.paras]
        while out and out[-1] == "":
            out.pop()
        return out


@dataclasses.dataclass
class Table:
    kind: str  # "block" (the project's labels) or "grid" (the indicator grid, header row first)
    ncols: int
    nrows: int
    cells: list  # origin cells only (a vMerge continuation is not a cell of its own)
    project: int  # index of the project the table belongs to

    def rows(self):
        out = [[] for _ in range(self.nrows)]
        for c in self.cells:
            out[c.row].append(c)
        return out


@dataclasses.dataclass
class Para:
    text: str
    heading: bool  # a project's title (…绩效目标表) or a part heading
    project: int  # the project this title opens, or the project it follows (-1 before the first)


def paragraph_text(p):
    parts = []
    for el in p.iter():
        if el.tag == W + "t":
            parts.append(el.text or "")
        elif el.tag == W + "tab":
            parts.append("\t")
    return "".join(parts)


def read_table(tbl, kind, project):
    rows = tbl.findall(W + "tr")
    raw = []  # per row: (col, span, vmerge, paras)
    for tr in rows:
        col, cells = 0, []
        for tc in tr.findall(W + "tc"):
            pr = tc.find(W + "tcPr")
            span, vmerge = 1, None
            if pr is not None:
                gs = pr.find(W + "gridSpan")
                if gs is not None:
                    span = int(gs.get(W + "val"))
                vm = pr.find(W + "vMerge")
                if vm is not None:
                    vmerge = vm.get(W + "val", "continue")
            cells.append((col, span, vmerge, [paragraph_text(p) for p in tc.findall(W + "p")]))
            col += span
        raw.append(cells)
    ncols = len(tbl.find(W + "tblGrid").findall(W + "gridCol"))
    out = []
    for r, cells in enumerate(raw):
        for col, span, vmerge, paras in cells:
            if vmerge == "continue":
                continue
            rowspan = 1
            if vmerge == "restart":
                for below in raw[r + 1:]:
                    if any(c == col and v == "continue" for c, _, v, _ in below):
                        rowspan += 1
                    else:
                        break
            out.append(Cell(r, col, span, rowspan, paras))
    return Table(kind, ncols, len(raw), out, project)


def read_seed(stem):
    """The seed .docx as a list of Para and Table, in document order."""
    with zipfile.ZipFile(ROOT / "samples" / f"{stem}.docx") as z:
        body = ET.fromstring(z.read("word/document.xml")).find(W + "body")
    items, project = [], -1
    for el in body:
        if el.tag == W + "p":
            text = paragraph_text(el)
            if not text.strip():
                continue  # the empty paragraph Word needs between two tables
            heading = bool(re.search(r"绩效目标表$", text)) or text in ("第一部分", "第二部分", "部门整体绩效目标", "预算项目绩效目标")
            if text.endswith("绩效目标表"):
                project += 1
            items.append(Para(text, heading, project))
        elif el.tag == W + "tbl":
            first = paragraph_text(el.find(f"{W}tr/{W}tc/{W}p"))
            kind = "grid" if first.strip() == "一级指标" else "block"
            if kind == "block" and not (items and isinstance(items[-1], Para) and items[-1].text.endswith("绩效目标表")):
                project += 1  # seed 000's fourth project has no title
            items.append(read_table(el, kind, project))
    return items


def unit_name(items):
    """The unit's name as a running header prints it: the first block's unit cell without its code."""
    t = next(i for i in items if isinstance(i, Table))
    return re.sub(r"^\d+", "", t.cells[0].text.strip())


def projects(items):
    """Items grouped: (None, [paragraphs before the first project]), then (k, [items of project k])."""
    groups = []
    for it in items:
        k = it.project if it.project >= 0 else None
        if isinstance(it, Para) and not it.text.endswith("绩效目标表") and it.project >= 0 and not groups[-1][1:]:
            k = it.project
        if groups and groups[-1][0] == k:
            groups[-1][1].append(it)
        else:
            groups.append((k, [it]))
    return groups


def all_text(items):
    """Every cell's and paragraph's text, for checks."""
    out = []
    for it in items:
        if isinstance(it, Para):
            out.append(it.text)
        else:
            out.extend(c.text for c in it.cells)
    return out


def gbk_safe(items):
    bad = {ch for s in all_text(items) for ch in s if ch not in "\t\n" and not ch.encode("gbk", "ignore")}
    return bad


# ---------------------------------------------------------------- shared layout helpers

# Column widths of each kind of table, as fractions of the table's width.
BLOCK_COLS = [0.15, 0.205, 0.11, 0.15, 0.13, 0.105, 0.15]
GRID_COLS = {5: [0.13, 0.17, 0.25, 0.25, 0.20], 6: [0.12, 0.15, 0.21, 0.21, 0.14, 0.17]}


def col_fractions(table):
    if table.kind == "block":
        assert table.ncols == 7, table.ncols
        return BLOCK_COLS
    return GRID_COLS[table.ncols]


def em_width(ch):
    """Advance of a character in ems in SimSun-like fonts: ASCII half-width, everything else full."""
    return 0.5 if ord(ch) < 128 else 1.0


def wrap(text, width, size, advance=em_width):
    """Lines of `text` no wider than `width` at font size `size`: breaks between any two CJK
    characters, keeps a run of ASCII letters and digits whole unless the run alone is too wide."""
    if text == "":
        return [""]
    tokens = re.findall(r"[A-Za-z0-9.,%()\-/*=]+|.", text)
    lines, cur, w = [], "", 0.0
    for tok in tokens:
        tw = sum(advance(ch) for ch in tok) * size
        if len(tok) > 1 and tw > width + 1e-6:  # a run longer than a line: broken by character
            for ch in tok:
                cw = advance(ch) * size
                if cur and w + cw > width + 1e-6:
                    lines.append(cur)
                    cur, w = "", 0.0
                cur += ch
                w += cw
            continue
        if cur and w + tw > width + 1e-6:
            lines.append(cur)
            cur, w = "", 0.0
        if not cur and tok == " ":
            continue
        cur += tok
        w += tw
    lines.append(cur)
    return lines
