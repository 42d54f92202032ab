#!/usr/bin/env python3
"""Independent count of performance-target tables in real files 21-32.

Usage:  python count_21_32.py /work/shared/real [NN ...]

Uses pdfplumber only (no code from the Rust project).  The pages holding
target tables were located by hand (pdftotext + rendered images); they are
listed in PAGES below together with the kind of table found on each page.
For every page the ruled tables are extracted with pdfplumber
(vertical/horizontal strategy "lines"); the indicator grid is recognised by
its header row (三级指标 / 指标内容 / 指标名称 ...), and every later row whose
cell under the indicator-name column is non-empty is an indicator row.
Continuation pages (a table cut by a page break) reuse the x position of the
indicator-name column found on the page before, so a table continued over
pages counts once and nothing is counted twice.  A new table starts at a
row labelled 项目名称 / 部门名称 / 部门（单位）名称 / 专项（项目）名称 (or, in
the Quanzhou form which has no 项目名称 row, 专项资金情况（万元）).

Placeholder rows (无, 不适用, /, rows of an empty template that carry only
level names, fully empty grid rows) are counted separately.  A table with a
grid but no indicator row at all is an empty template.

Known disagreement with the rendered pages (the images win, see 27.toml):
file 27 p81 -- the last character 性 of a one-line cell overflows into the
(visually empty, clipped) 生态效益指标 row below, so pdfplumber sees an
indicator there: this script prints 56 project indicators / 11 placeholders,
a person sees 55 / 12.

Prints, per file: the count of tables per kind, their indicator rows,
placeholder rows and empty templates, then one line per table.
"""
import glob
import os
import re
import sys

import pdfplumber

# file number -> list of (page, kind).  kind: project | department | special_fund
# | self_evaluation.  Pages are 1-based (pdftoppm numbering).
PAGES = {
    "21": [(23, "project"), (24, "project")],
    "22": [(p, "project") for p in range(29, 40)],
    "23": [(p, "project") for p in range(24, 30)],
    "24": [(p, "project") for p in range(33, 42)] + [(42, "department"), (43, "special_fund")],
    "25": [(p, "department") for p in range(33, 39)] + [(p, "special_fund") for p in range(39, 46)],
    "26": [(42, "project"), (43, "department"), (44, "special_fund")],
    "27": [(p, "project") for p in range(80, 86)] + [(86, "department"), (87, "special_fund")],
    "28": [(p, "project") for p in range(29, 37)] + [(37, "department")],
    "29": [(30, "project"), (31, "project"), (32, "project")],
    "30": [(30, "project"), (31, "project"), (32, "project"), (33, "project")],
    "31": [(p, "project") for p in range(30, 36)],
    "32": [(p, "project") for p in range(37, 114)],
}

START_LABELS = {"项目名称", "部门名称", "部门（单位）名称", "专项（项目）名称"}
QZ_START = "专项资金情况（万元）"  # Quanzhou form: no 项目名称 row
IND_HEADERS = {"三级指标", "指标内容", "指标名称", "三级指标名称"}
LEVEL1 = {"产出指标", "效益指标", "满意度指标", "成本指标", "一般性支出情况"}
PLACEHOLDERS = {"无", "不适用", "/", "／", "—", "-", "无。"}

SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def clean(s):
    if s is None:
        return ""
    return re.sub(r"\s+", "", s)


def cell_at(cells, texts, xc):
    """Text of the cell of this row whose x-range covers xc ('' if none)."""
    for c, t in zip(cells, texts):
        if c is None:
            continue
        if c[0] - 1 <= xc <= c[2] + 1:
            return clean(t)
    return None


def count_file(path, spec):
    tables = []  # dicts: kind, name, pages, indicators, placeholders
    cur = None
    ind_xc = None  # x centre of the indicator-name column of the current grid
    with pdfplumber.open(path) as pdf:
        for pno, kind in spec:
            page = pdf.pages[pno - 1]
            if cur is not None and cur["kind"] != kind:
                cur, ind_xc = None, None
            # header words of the indicator grid, also when the ruling of the
            # header row is incomplete and the table finder leaves it out
            hdr_words = [((w["x0"] + w["x1"]) / 2, w["bottom"]) for w in page.extract_words()
                         if w["text"] in IND_HEADERS]
            title = ""
            for line in (page.extract_text() or "").splitlines():
                line = clean(line)
                if line.endswith("项目绩效目标表") and line != "项目绩效目标表":
                    title = line[: -len("项目绩效目标表")]
            for tab in page.find_tables(SETTINGS):
                texts = tab.extract()
                for ri, (row, rtexts) in enumerate(zip(tab.rows, texts)):
                    cells = row.cells
                    vals = [clean(t) for t in rtexts]
                    nonempty = [v for v in vals if v]
                    if not nonempty:
                        # a fully empty row inside a grid is an empty template row;
                        # the first row of a table continued from the previous
                        # page is the remainder of the split row, not a row
                        if cur is not None and ind_xc is not None and ri > 0:
                            cur["placeholders"] += 1
                        continue
                    first = nonempty[0] if nonempty else ""
                    if first.endswith("绩效目标表") and len(nonempty) == 1:
                        ind_xc = None  # a title row ends the grid above it
                        continue
                    if first in START_LABELS or (first == QZ_START and (cur is None or cur["grid_seen"])):
                        name = title
                        if first != QZ_START and len(nonempty) > 1:
                            name = nonempty[1]
                        cur = {"kind": kind, "name": name, "pages": [pno], "indicators": 0,
                               "placeholders": 0, "grid_seen": False}
                        tables.append(cur)
                        ind_xc = None
                        continue
                    if cur is None:
                        continue
                    if pno not in cur["pages"]:
                        cur["pages"].append(pno)
                    hdr = [i for i, v in enumerate(vals) if v in IND_HEADERS]
                    if hdr:
                        c = cells[hdr[0]]
                        ind_xc = (c[0] + c[2]) / 2
                        cur["grid_seen"] = True
                        continue
                    if ind_xc is None and hdr_words and not cur["grid_seen"]:
                        top = row.bbox[1]
                        for xc, bottom in hdr_words:
                            if top >= bottom - 1:
                                ind_xc = xc
                                cur["grid_seen"] = True
                    if ind_xc is None:
                        continue
                    if first in ("备注",) or first.startswith("备注"):
                        continue
                    ind = cell_at(cells, rtexts, ind_xc)
                    if ind:
                        if ind in PLACEHOLDERS:
                            cur["placeholders"] += 1
                        else:
                            cur["indicators"] += 1
                    else:
                        # row without indicator name: empty template row if it
                        # carries a level name (一级/二级) and nothing else
                        if nonempty:
                            cur["placeholders"] += 1
    return tables


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/real"
    only = set(sys.argv[2:])
    for nn in sorted(PAGES):
        if only and nn not in only:
            continue
        files = glob.glob(os.path.join(root, nn + "_*.pdf"))
        if not files:
            print(nn, "MISSING")
            continue
        tabs = count_file(files[0], PAGES[nn])
        summary = {}
        ph = 0
        empty = 0
        for t in tabs:
            ph += t["placeholders"]
            if t["indicators"] == 0:
                empty += 1
                continue
            k = t["kind"]
            summary.setdefault(k, [0, 0])
            summary[k][0] += 1
            summary[k][1] += t["indicators"]
        parts = ["%s=%d %s_indicators=%d" % (k, v[0], k, v[1]) for k, v in sorted(summary.items())]
        print("%s %s placeholder_rows=%d empty_templates=%d" % (nn, " ".join(parts), ph, empty))
        for t in tabs:
            print("   p%-12s %-12s ind=%-3d ph=%-2d %s" % (
                ",".join(map(str, t["pages"])), t["kind"], t["indicators"], t["placeholders"], t["name"][:30]))


if __name__ == "__main__":
    main()
