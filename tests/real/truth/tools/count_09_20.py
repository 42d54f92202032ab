#!/usr/bin/env python3
"""Independent (pdfplumber-based) counts of performance-target tables in the
real PDFs 09..20, used to cross-check the hand-written truth files NN.toml.

Usage:  python count_09_20.py /work/shared/real

The page ranges per file were located by hand (pdftotext + rendered pages);
this script re-counts projects and indicator rows on those pages with
pdfplumber, using two independent methods where cheap, and prints them.
It needs only pdfplumber (pip install pdfplumber).
"""
import glob
import os
import re
import sys
from collections import Counter, defaultdict

import pdfplumber

L1_NAMES = r"(产出指标|效益指标|成本指标|满意度指标)"
L1 = re.compile(r"^" + L1_NAMES + r"$")
L1_PREFIX = re.compile(r"^" + L1_NAMES + r".")
CODE = re.compile(r"\d{8}[A-Z]\d{12}")  # Beijing project code 11000022T000000456102
AMT = re.compile(r"^\d[\d,]*\.\d{6}$")
OPS = re.compile(r"^(≥|≤|＝|=|＞|＜|>|<|≧|≦|定性)$")


def cl(c):
    return re.sub(r"\s+", "", c or "")


def tables(page, settings=None):
    return page.extract_tables(settings or {})


# ---------------------------------------------------------------- Beijing
def bj_projects(pdf, pages):
    """Beijing 预算表12 flat listing. Returns (projects, rows_by_table, rows_by_position)."""
    codes = []
    n_tab = 0
    n_pos = 0
    for p in pages:
        pg = pdf.pages[p - 1]
        # method 1: table rows whose 一级指标 cell is a level-1 name
        for t in tables(pg):
            width = max(len(r) for r in t)
            cols = [i for i in range(width)
                    if any(i < len(r) and L1.match(cl(r[i])) for r in t)]
            if cols:
                n_tab += sum(1 for r in t if L1.match(cl(r[cols[0]])))
        # method 2: position-filtered text search in the 一级指标 column
        ws = pg.extract_words(x_tolerance=1)
        exact = [w for w in ws if L1.match(w["text"])]
        if exact:
            cs = sorted((w["x0"] + w["x1"]) / 2 for w in exact)
            med = cs[len(cs) // 2]
            near = [w for w in exact if abs((w["x0"] + w["x1"]) / 2 - med) <= 30]
            lo = min(w["x0"] for w in near) - 2
            hi = max(w["x1"] for w in near) + 2
            n_pos += sum(1 for m in pg.search(L1_NAMES)
                         if m["x0"] >= lo and m["x1"] <= hi)
        # projects: distinct codes in the first column (crop left of the
        # 项目总额 amounts), header characters interleaved by clipping removed
        amts = [w["x0"] for w in ws if AMT.match(w["text"])]
        bx0, by0, bx1, by1 = pg.bbox
        xr = min(amts) - 1 if amts else bx0 + 0.15 * (bx1 - bx0)
        txt = pg.crop((bx0, by0, xr, by1)).extract_text() or ""
        txt = re.sub(r"[\s项目名称总额]", "", txt)
        for c in CODE.findall(txt):
            if c not in codes:
                codes.append(c)
    return len(codes), n_tab, n_pos


def char_lines(page):
    """Text lines rebuilt from chars grouped by exact baseline top (avoids the
    interleaving of clipped overflow text that extract_text/words produce)."""
    lines = defaultdict(list)
    for c in page.chars:
        lines[round(c["top"], 1)].append(c)
    return ["".join(c["text"] for c in sorted(cs, key=lambda c: c["x0"]))
            for _, cs in sorted(lines.items())]


L1_L2 = re.compile(L1_NAMES + r"(数量|质量|时效|经济|社会|生态|可持续|服务)")


def bj_department(pdf, pages):
    """Beijing 预算13表: (table rows whose 绩效指标 cell starts with a level-1
    name, text lines holding a level-1 name directly followed by a level-2 name)."""
    n_tab = 0
    n_line = 0
    for p in pages:
        pg = pdf.pages[p - 1]
        for t in tables(pg):
            for r in t:
                if any(L1_PREFIX.match(cl(c)) for c in r):
                    n_tab += 1
        n_line += sum(1 for s in char_lines(pg) if L1_L2.search(s))
    return n_tab, n_line


def beijing(path, proj_pages, dept_pages):
    with pdfplumber.open(path) as pdf:
        np_, rt, rp = bj_projects(pdf, proj_pages)
        nd = bj_department(pdf, dept_pages)
    return {
        "project": np_,
        "project_indicators(table rows)": rt,
        "project_indicators(column search)": rp,
        "department": 1 if dept_pages else 0,
        "department_indicators(table rows)": nd[0],
        "department_indicators(char lines)": nd[1],
    }



# ---------------------------------------------------------------- Chongqing
def cq_kind(text, prev):
    if "部门整体绩效目标表" in text:
        return "department"
    if "专项资金绩效目标表" in text:
        return "special_fund"
    if "一般性项目绩效目标表" in text:
        return "project"
    return prev


def chongqing(path, pages):
    """Chongqing 表十/表十一/表十二: grids 指标名称|指标性质|指标值|计量单位|指标权重.
    Method 1: pdfplumber table rows after the 指标名称 header with a non-empty
    指标名称 cell.  Method 2: standalone operator words (≥ = ≤ …).
    Tables: one per page title (a page without title continues the previous);
    projects of 表十二 counted by the 序号 column."""
    res = Counter()
    kind = None
    with pdfplumber.open(path) as pdf:
        for p in pages:
            pg = pdf.pages[p - 1]
            text = pg.extract_text() or ""
            k = cq_kind(re.sub(r"\s", "", text), None)
            if k:
                kind = k
                if k != "project":
                    res[k] += 1
            for t in tables(pg):
                hdr = None
                for r in t:
                    c = [cl(x) for x in r]
                    hits = [i for i, x in enumerate(c) if x.endswith("指标名称")]
                    if hits:
                        hdr = hits[0]
                        continue
                    if hdr is None or hdr >= len(c):
                        continue
                    if c[hdr]:
                        res[kind + "_indicators(table rows)"] += 1
                    if kind == "project" and c[0].isdigit():
                        res["project"] += 1
            # method 2: standalone operator words (they only occur in the
            # 指标性质 column on these pages)
            res[kind + "_indicators(operator words)"] += sum(
                1 for w in pg.extract_words() if OPS.match(w["text"]))
    return dict(sorted(res.items()))


# ---------------------------------------------------------------- Guangzhou
def guangzhou(path, pages):
    """部门整体预算绩效目标申报表: grid 一级|二级|三级指标|实施周期指标值|年度指标值.
    Method 1: rows after the 三级指标 header with a non-empty 三级指标 cell.
    Method 2: rows with a non-empty 年度指标值 cell."""
    n1 = n2 = 0
    with pdfplumber.open(path) as pdf:
        for p in pages:
            for t in tables(pdf.pages[p - 1]):
                on = False
                for r in t:
                    c = [cl(x) for x in r]
                    if "三级指标" in c:
                        on, i3, iy = True, c.index("三级指标"), c.index("年度指标值")
                        continue
                    if on:
                        n1 += bool(c[i3])
                        n2 += bool(c[iy])
    return {"department": 1, "department_indicators(三级 cells)": n1,
            "department_indicators(年度指标值 cells)": n2}


# ------------------------------------------- three-level grids (19, 20)
def level_grid(path, groups):
    """Grids with a header row holding 一级指标/二级指标/三级指标 (central
    per-project forms, Changsha listings).  For each (kind, pages) group:
    indicator = row after the header with a non-empty 三级指标 cell;
    placeholder = row with a 二级 name but empty 三级 and empty values.
    Projects: one per form that has a 项目名称 row (central), or distinct
    项目名称 cells on rows that carry indicators (Changsha listing)."""
    res = Counter()
    with pdfplumber.open(path) as pdf:
        for kind, pages in groups:
            names = set()    # forms: (page, 项目名称)
            listing = set()  # listings: 单位（项目）名称 cells on indicator rows
            for p in pages:
                for t in tables(pdf.pages[p - 1]):
                    hdr = None
                    for r in t:
                        c = [cl(x) for x in r]
                        if c and c[0] == "项目名称":
                            names.add((p, c[2] if len(c) > 2 else ""))
                        if "三级指标" in c:
                            hdr = (c.index("二级指标"), c.index("三级指标"))
                            continue
                        if hdr is None:
                            continue
                        i2, i3 = hdr
                        if c[i3]:
                            res[kind + "_indicators"] += 1
                            if c[1]:
                                listing.add(c[1])
                        elif c[i2] and not any(c[i3 + 1:]):
                            res["placeholder_rows"] += 1
            if kind == "department":
                res["department"] += 1
            else:
                res[kind] += len(names) if names else len(listing)
    return dict(sorted(res.items()))


def rng(a, b):
    return list(range(a, b + 1))


# ---------------------------------------------------------------- registry
FILES = {
    "09": lambda f: beijing(f, rng(30, 80), rng(81, 83)),
    "10": lambda f: beijing(f, rng(17, 36), rng(37, 38)),
    "11": lambda f: beijing(f, rng(15, 26), rng(27, 28)),
    "12": lambda f: beijing(f, rng(24, 46), rng(47, 50)),
    "13": lambda f: beijing(f, rng(18, 59), rng(60, 60)),
    "14": lambda f: chongqing(f, rng(30, 33)),
    "15": lambda f: chongqing(f, rng(28, 31)),
    "16": lambda f: chongqing(f, rng(28, 31)),
    "17": lambda f: guangzhou(f, [1]),
    "18": lambda f: guangzhou(f, [1, 2]),
    "19": lambda f: level_grid(f, [("project", [30]), ("project", [31]),
                                   ("project", [32])]),
    "20": lambda f: level_grid(f, [("project", [22, 23]),
                                   ("department", [24, 25])]),
}


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/real"
    for nn in sorted(FILES):
        hits = glob.glob(os.path.join(root, nn + "_*.pdf"))
        if not hits:
            print(nn, "missing")
            continue
        res = FILES[nn](hits[0])
        print(nn, os.path.basename(hits[0]))
        for k, v in res.items():
            print("   ", k, "=", v)


if __name__ == "__main__":
    main()
