#!/usr/bin/env python3
"""Builds the .docx versions of the seed dumps in samples/ as real Word tables, with the merges the
published originals have (which the Tika dumps lost):

- the unit row spans the grid (unit cell + 单位：万元 cell);
- 预算规模及资金用途 and 资金支出计划（%） are merged vertically with their continuation rows;
- the 一级指标 cells are merged vertically over their group (w:vMerge restart/continue);
- headings are paragraphs with Word bookmarks; the seed-000 table without a heading stays without.

The dump is read with a parser of its own, written independently of the Rust one (it chunks an
indicator grid's cells by the header's column count). Output is deterministic: fixed zip
timestamps, sorted members.

    python3 scripts/make_docx_samples.py            # writes samples/<stem>.docx
    python3 scripts/make_docx_samples.py --word-like --copies 7 --out target/bench/49-projects.docx \
        samples/001_5c85cbf3a97b1726.txt         # a large document for the benchmark

Then, for the LibreOffice-shaped variant (needs Debian's libreoffice-writer-nogui):

    soffice --headless --convert-to docx --outdir /tmp/lo samples/001_5c85cbf3a97b1726.docx
    cp /tmp/lo/001_5c85cbf3a97b1726.docx samples/001_5c85cbf3a97b1726.libreoffice.docx
"""
import argparse
import pathlib
import re
import zipfile
from xml.sax.saxutils import escape

ROOT = pathlib.Path(__file__).resolve().parents[1]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GRID = 7  # columns of the project-block table
HEADER_WORDS = {"一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"}
BOOKMARK = re.compile(r"^\s*((?:\[bookmark: [^\]]*\])+)")


# ---------------------------------------------------------------- dump → structure

def parse_dump(text):
    """Returns a list of ('para', text, bookmarks) and ('table', kind, rows); a row is a list of
    cells, a cell a list of paragraph strings."""
    lines = text.replace("\r\n", "\n").split("\n")
    items, i = [], 0

    def is_cell(line):
        return re.match(r"^ *\t", line) is not None

    def cell_text(line):
        return re.sub(r"^ *\t", "", line, count=1)

    while i < len(lines):
        line = lines[i]
        if not is_cell(line):
            if line.strip():
                m = BOOKMARK.match(line)
                marks = re.findall(r"\[bookmark: ([^\]]*)\]", m.group(1)) if m else []
                items.append(("para", line[m.end():] if m else line.strip(), marks))
            i += 1
            continue
        # A table: cells until a paragraph line that follows a blank, or a whitespace-only line.
        cells, breaks = [], []  # breaks: index into cells where a blank line was seen
        while i < len(lines):
            line = lines[i]
            if is_cell(line):
                if cells and in_grid(cells) and re.match(r"^\d{6}\D", cell_text(line)):
                    break  # seed 000: the next project's unit row follows the grid without a blank line
                cells.append([cell_text(line)])
            elif line == "":
                breaks.append(len(cells))
                cells[-1].append("")
            elif line.strip() == "":
                break
            elif lines[i - 1] != "":
                cells[-1].append(line)  # continuation paragraph of the cell above
            else:
                break
            i += 1
        items.extend(split_rows(cells, breaks))
    return items


def in_grid(cells):
    return any(c[0].strip() == "一级指标" for c in cells)


def strip_trailing_blanks(cell):
    while len(cell) > 1 and cell[-1] == "":
        cell.pop()
    return cell


def split_rows(cells, breaks):
    """Project-block rows end at blank lines; an indicator grid's cells are chunked by its
    header's column count (blank lines inside its rows are empty paragraphs)."""
    out, rows, start = [], [], 0
    header_at = next((k for k, c in enumerate(cells) if c[0].strip() == "一级指标"), None)
    block_end = header_at if header_at is not None else len(cells)
    for b in sorted(set(breaks)) + [block_end]:
        b = min(b, block_end)
        if b > start:
            rows.append([strip_trailing_blanks(c) for c in cells[start:b]])
            start = b
    if rows:
        out.append(("table", "block", rows))
    if header_at is not None:
        n = 0
        while header_at + n < len(cells) and cells[header_at + n][0].strip() in HEADER_WORDS:
            n += 1
        grid = [strip_trailing_blanks(c) for c in cells[header_at:]]
        out.append(("table", "grid", [grid[k:k + n] for k in range(0, len(grid), n)]))
    return out


# ---------------------------------------------------------------- structure → WordprocessingML

# Run and paragraph properties as Word writes them (fonts, sizes, revision ids); only with
# --word-like, which makes the XML as dense as a real Word file for the benchmark.
WORD_LIKE = {"on": False}
# Which table borders to draw: all (a lattice), "h" (horizontal rules only), "none" (borderless).
BORDERS = {"kind": "all"}
RPR = '<w:rPr><w:rFonts w:hint="eastAsia"/><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr>'
PPR = '<w:pPr><w:spacing w:line="300" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr>'


def run(text):
    parts = text.split("\t")
    xml = []
    for k, part in enumerate(parts):
        if k:
            xml.append("<w:tab/>")
        if part:
            xml.append(f'<w:t xml:space="preserve">{escape(part)}</w:t>')
    if not xml:
        return ""
    if WORD_LIKE["on"]:
        return f'<w:r w:rsidRPr="00C51A2B">{RPR}{"".join(xml)}</w:r>'
    return f"<w:r>{''.join(xml)}</w:r>"


def paragraph(text, marks=(), bid=[0]):
    starts, ends = [], []
    for name in marks:
        bid[0] += 1
        starts.append(f'<w:bookmarkStart w:id="{bid[0]}" w:name="{escape(name)}"/>')
        ends.append(f'<w:bookmarkEnd w:id="{bid[0]}"/>')
    if WORD_LIKE["on"]:
        return f'<w:p w:rsidR="00A41F3C" w:rsidRDefault="00A41F3C">{PPR}{"".join(starts)}{run(text)}{"".join(ends)}</w:p>'
    return f"<w:p>{''.join(starts)}{run(text)}{''.join(ends)}</w:p>"


def cell(paragraphs, span=1, vmerge=None):
    props = []
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if vmerge == "restart":
        props.append('<w:vMerge w:val="restart"/>')
    elif vmerge == "continue":
        props.append("<w:vMerge/>")
        paragraphs = [""]
    body = "".join(paragraph(p) for p in paragraphs) or "<w:p/>"
    tcpr = f"<w:tcPr>{''.join(props)}</w:tcPr>" if props else ""
    return f"<w:tc>{tcpr}{body}</w:tc>"


def table(grid_cols, rows_xml):
    grid = "".join('<w:gridCol w:w="1200"/>' for _ in range(grid_cols))
    sides = {"all": ("top", "left", "bottom", "right", "insideH", "insideV"),
             "h": ("top", "bottom", "insideH"), "none": ()}[BORDERS["kind"]]
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for side in sides)
    borders += "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV")
                       if side not in sides)
    return f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{borders}</w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows_xml)}</w:tbl>'


def block_table(rows):
    out = []
    for k, row in enumerate(rows):
        first = row[0][0].strip()
        continues = first == "" and k > 0
        next_continues = k + 1 < len(rows) and rows[k + 1][0][0].strip() == ""
        if len(row) == 2 and re.match(r"^\d{6}", first):
            spans = [GRID - 2, 2]  # unit row: unit name spans most of the grid
        else:
            spans = [1] * (len(row) - 1) + [GRID - (len(row) - 1)]
        cells = []
        for j, (c, span) in enumerate(zip(row, spans)):
            vm = None
            if j == 0 and continues:
                vm = "continue"
            elif j == 0 and next_continues:
                vm = "restart"
            cells.append(cell(c, span, vm))
        out.append(f"<w:tr>{''.join(cells)}</w:tr>")
    return table(GRID, out)


def grid_table(rows):
    n = len(rows[0])
    out = []
    for k, row in enumerate(rows):
        cells = []
        for j, c in enumerate(row):
            vm = None
            if j == 0 and k > 0:
                empty = c == [""]
                next_empty = k + 1 < len(rows) and rows[k + 1][0] == [""]
                vm = "continue" if empty else ("restart" if next_empty else None)
            cells.append(cell(c, 1, vm))
        out.append(f"<w:tr>{''.join(cells)}</w:tr>")
    return table(n, out)


def document_xml(items):
    body = []
    prev_table = False
    for item in items:
        if item[0] == "para":
            body.append(paragraph(item[1], item[2]))
            prev_table = False
        else:
            if prev_table:
                body.append("<w:p/>")  # two tables need a paragraph between them
            body.append(block_table(item[2]) if item[1] == "block" else grid_table(item[2]))
            prev_table = True
    body.append("<w:p/>")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W}"><w:body>{"".join(body)}'
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
    )


CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"""


def write_docx(path, doc_xml):
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS), ("word/document.xml", doc_xml)]:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dumps", nargs="*", help="dumps to convert (default: samples/*.txt)")
    ap.add_argument("--copies", type=int, default=1, help="repeat the document's content N times")
    ap.add_argument("--out", help="output file (one dump only)")
    ap.add_argument("--word-like", action="store_true", help="write run/paragraph properties as Word does")
    ap.add_argument("--borders", choices=["all", "h", "none"], default="all", help="table borders to draw")
    a = ap.parse_args()
    WORD_LIKE["on"] = a.word_like
    BORDERS["kind"] = a.borders
    dumps = [pathlib.Path(d) for d in a.dumps] or sorted((ROOT / "samples").glob("*.txt"))
    for dump in dumps:
        items = parse_dump(dump.read_text(encoding="utf-8")) * a.copies
        out = pathlib.Path(a.out) if a.out else dump.with_suffix(".docx")
        write_docx(out, document_xml(items))
        tables = sum(1 for it in items if it[0] == "table")
        print(f"{out}: {tables} tables, {len(document_xml(items).encode())} bytes of XML")


if __name__ == "__main__":
    main()
