"""Reference glyph positions of a PDF's first pages (tests/fixtures/glyphs/), from two readers we
did not write, and the content check of the corpus.

<file>.tsv        poppler, `pdftotext -bbox-layout`: one line per word as poppler groups glyphs
                  (a CJK word is often one glyph): page, xMin, yMin, xMax, yMax, text
<file>.chars.tsv  pdfplumber (pdfminer.six): one line per character: page, x0, top, x1, bottom,
                  text, fontname, size, then the glyph's origin ox, oy (the text rendering
                  matrix's translation: the pen position on the baseline, in the same top-left
                  coordinates) and angle (the baseline's direction in degrees, counter-clockwise:
                  0 for the tables' text, 35 for the watermark)

Coordinates: points (1/72 in), origin at the page's top-left corner, y growing downwards, on the
page's media box as drawn (no /Rotate in this corpus). Numbers with 2 decimals. Text fields escape
backslash, TAB and newline as \\\\, \\t, \\n.
"""
import collections
import html
import logging
import math
import re
import subprocess
import unicodedata

PAGES = 2


def esc(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def poppler_words(pdf):
    out = subprocess.run(["pdftotext", "-bbox-layout", "-f", "1", "-l", str(PAGES), str(pdf), "-"],
                         check=True, capture_output=True).stdout.decode("utf-8")
    rows = ["page\txMin\tyMin\txMax\tyMax\ttext"]
    page = 0
    for m in re.finditer(r'<page\b|<word xMin="([\d.\-]+)" yMin="([\d.\-]+)" xMax="([\d.\-]+)" yMax="([\d.\-]+)">(.*?)</word>', out):
        if m.group(0) == "<page":
            page += 1
            continue
        x0, y0, x1, y1 = (float(m.group(k)) for k in range(1, 5))
        rows.append(f"{page}\t{x0:.2f}\t{y0:.2f}\t{x1:.2f}\t{y1:.2f}\t{esc(html.unescape(m.group(5)))}")
    return "\n".join(rows) + "\n"


def plumber_chars(pdf):
    import pdfplumber
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    rows = ["page\tx0\ttop\tx1\tbottom\ttext\tfontname\tsize\tox\toy\tangle"]
    with pdfplumber.open(str(pdf)) as doc:
        for page in doc.pages[:PAGES]:
            h = float(page.height)
            for c in page.chars:
                m = c["matrix"]
                rows.append("\t".join([str(page.page_number), f"{c['x0']:.2f}", f"{c['top']:.2f}", f"{c['x1']:.2f}",
                                       f"{c['bottom']:.2f}", esc(c["text"]), c["fontname"], f"{c['size']:.2f}",
                                       f"{m[4]:.2f}", f"{h - m[5]:.2f}", str(round(math.degrees(math.atan2(m[1], m[0]))))]))
    return "\n".join(rows) + "\n"


def all_chars(pdf):
    """Every character pdfplumber reads inside its page on every page, and the pages' sizes
    (a character drawn off the page is not seen by a person: not counted)."""
    import pdfplumber
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    chars, sizes = collections.Counter(), []
    with pdfplumber.open(str(pdf)) as doc:
        for page in doc.pages:
            w, h = float(page.width), float(page.height)
            sizes.append((w, h))
            chars.update(c["text"] for c in page.chars if c["text"].strip()
                         and c["x0"] >= -0.5 and c["x1"] <= w + 0.5 and c["top"] >= -0.5 and c["bottom"] <= h + 0.5)
    return chars, sizes


# CJK radicals supplement characters (no NFKC form) and the ideographs whose glyphs they share
# (Unicode's EquivalentUnifiedIdeograph.txt), for the ones a Chinese budget table may hold.
RADICALS_SUPPLEMENT = {
    "\u2e9f": "母", "\u2ea0": "民", "\u2ec4": "西", "\u2ec5": "见", "\u2ec6": "角", "\u2ec8": "讠", "\u2ec9": "贝",
    "\u2eca": "足", "\u2ecb": "车", "\u2ed1": "長", "\u2ed3": "长", "\u2ed4": "门", "\u2ed9": "韦", "\u2eda": "页",
    "\u2edb": "风", "\u2edc": "飞", "\u2edd": "食", "\u2ee2": "马", "\u2ee3": "骨", "\u2ee5": "鱼", "\u2ee6": "鸟",
    "\u2ee8": "麦", "\u2ee9": "黄", "\u2eec": "齐", "\u2eee": "齿", "\u2eef": "竜", "\u2ef0": "龙", "\u2ef3": "龟",
}


def radicals_folded(ch):
    """Chromium (Skia) writes the ToUnicode entries of glyphs that the Noto CJK fonts share
    between an ideograph and a radical with the radical: Kangxi radicals U+2F00-U+2FD5 (⼀ for 一,
    ⾦ for 金; NFKC gives the ideograph) and CJK radicals supplement U+2E80-U+2EF3 (⺠ for 民, ⻔
    for 门; no NFKC form, RADICALS_SUPPLEMENT). The same glyphs: what a person reads is the seed."""
    if "\u2f00" <= ch <= "\u2fdf":
        return unicodedata.normalize("NFKC", ch)
    return RADICALS_SUPPLEMENT.get(ch, ch)


def missing_content(pdf, texts):
    """Characters of the seed's content (every cell and paragraph) that the PDF lacks: the corpus
    must hold the seeds' text exactly (furniture only adds). Radicals folded (radicals_folded)."""
    want = collections.Counter(ch for t in texts for ch in t if ch.strip())
    have, sizes = all_chars(pdf)
    folded = collections.Counter()
    for ch, n in have.items():
        folded[radicals_folded(ch)] += n
    lack = want - folded
    return lack, sizes
