#!/usr/bin/env python3
"""HTML samples for tests/html.rs, from the seeds:

  samples/html/<seed>.html             the seed .docx as a saved disclosure page: its Word tables
                                       as <table> markup (gridSpan -> colspan, vMerge -> rowspan),
                                       its paragraphs as <p>, inside page chrome (head, scripts,
                                       styles, header, nav, footer) that is not data
  samples/html/<seed>.positioned.html  the seed PDF as a CMS renders PDFs: each page a div.page of
                                       absolutely positioned text runs (div.p: left, top, width,
                                       font-size) and ruling boxes (div.r), no <table>; text is
                                       written unescaped where that is harmless, as such CMSs do
                                       (a '<' before a digit stays '<')
  samples/html/landing.html            a landing page: "详见附件" and links to the attachments

The table pages use only the standard library; the positioned renditions read the seed PDFs'
words and rulings with pdfplumber:

    target/pyenv/bin/pip install pdfplumber && target/pyenv/bin/python scripts/make_html_samples.py

Deterministic: the same inputs give the same bytes.
"""
import html
import pathlib
import re
import zipfile
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "samples" / "html"
SEEDS = ["000_5439077655b7c2d3", "001_5c85cbf3a97b1726"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

CHROME_TOP = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: SimSun, serif; }}
table {{ border-collapse: collapse; }}
td {{ border: 1px solid #000; padding: 2px 4px; }}
</style>
<script>var columns = "<td>项目名称</td>"; if (1 < 2) {{ document.title += ""; }}</script>
</head>
<body>
<header><div class="site">某某市人民法院门户网站</div></header>
<nav><a href="/index.html">首页</a> | <a href="/gkml/">政务公开</a> | <a href="/yjs/">预决算公开</a></nav>
<div class="main">
"""
CHROME_BOTTOM = """</div>
<footer><p>版权所有 某某市人民法院 | 地址：某某路1号</p><p>技术支持：某某网络</p></footer>
</body>
</html>
"""


def paragraph_text(p):
    """A w:p as text: runs' w:t, w:tab as a TAB; w:br splits it into lines."""
    lines, cur = [], []
    for el in p.iter():
        if el.tag == W + "t":
            cur.append(el.text or "")
        elif el.tag == W + "tab":
            cur.append("\t")
        elif el.tag in (W + "br", W + "cr"):
            lines.append("".join(cur))
            cur = []
    lines.append("".join(cur))
    return lines


def table_html(tbl):
    rows = tbl.findall(W + "tr")
    # grid[r] = list of (grid column, span, vmerge, tc)
    grid = []
    for tr in rows:
        col, cells = 0, []
        before = tr.find(f"{W}trPr/{W}gridBefore")
        if before is not None:
            col += int(before.get(W + "val"))
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
            cells.append((col, span, vmerge, tc))
            col += span
        grid.append(cells)
    out = ['<table border="1" cellspacing="0" cellpadding="0">']
    for r, cells in enumerate(grid):
        out.append("<tr>")
        for col, span, vmerge, tc in cells:
            if vmerge == "continue":
                continue
            rowspan = 1
            if vmerge == "restart":
                for below in grid[r + 1:]:
                    if any(c == col and v == "continue" for c, _, v, _ in below):
                        rowspan += 1
                    else:
                        break
            attrs = ""
            if span > 1:
                attrs += f' colspan="{span}"'
            if rowspan > 1:
                attrs += f' rowspan="{rowspan}"'
            paras = []
            for p in tc.findall(W + "p"):
                lines = paragraph_text(p)
                paras.append("<br>".join(html.escape(l, quote=False) for l in lines))
            body = "".join(f"<p>{t}</p>" for t in paras) if len(paras) > 1 else (paras[0] if paras else "")
            out.append(f"<td{attrs}>{body}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def table_page(stem):
    with zipfile.ZipFile(ROOT / "samples" / f"{stem}.docx") as z:
        body = ET.fromstring(z.read("word/document.xml")).find(W + "body")
    parts = []
    title = None
    for el in body:
        if el.tag == W + "p":
            lines = paragraph_text(el)
            text = "<br>".join(html.escape(l, quote=False) for l in lines)
            if title is None and "".join(lines).strip():
                title = "".join(lines).strip()
            parts.append(f"<p>{text}</p>")
        elif el.tag == W + "tbl":
            parts.append(table_html(el))
    page = CHROME_TOP.format(title=html.escape(title or stem)) + "\n".join(parts) + "\n" + CHROME_BOTTOM
    (OUT / f"{stem}.html").write_text(page, encoding="utf-8")


def cms_text(t):
    """Escapes only what a tokenizer would take for markup, as CMS renditions do."""
    t = t.replace("&", "&amp;")
    return re.sub(r"<(?=[A-Za-z/!?])", "&lt;", t)


def positioned_page(stem):
    import pdfplumber

    out = [
        "<!DOCTYPE html>",
        "<html><head><meta charset=\"utf-8\"><title>预算公开</title>",
        "<style>.page{position:relative;margin:8pt auto;border:1px solid #ccc}"
        ".p{position:absolute;white-space:nowrap;line-height:1}.r{position:absolute;background:#000}</style>",
        "</head><body><div id=\"page-container\">",
    ]
    with pdfplumber.open(ROOT / "samples" / f"{stem}.pdf") as pdf:
        for page in pdf.pages:
            out.append(f'<div class="page" style="width:{page.width:.2f}pt;height:{page.height:.2f}pt">')
            for w in page.extract_words(x_tolerance=1.5, y_tolerance=2, extra_attrs=["size"]):
                out.append(
                    f'<div class="p" style="left:{w["x0"]:.2f}pt;top:{w["top"]:.2f}pt;'
                    f'width:{w["x1"] - w["x0"]:.2f}pt;font-size:{w["size"]:.2f}pt">{cms_text(w["text"])}</div>'
                )
            for ln in page.lines:
                lw = max(ln.get("linewidth") or 0.5, 0.3)
                if abs(ln["top"] - ln["bottom"]) < 0.01:
                    left, top, width, height = ln["x0"], ln["top"] - lw / 2, ln["x1"] - ln["x0"], lw
                else:
                    left, top, width, height = ln["x0"] - lw / 2, ln["top"], lw, ln["bottom"] - ln["top"]
                out.append(
                    f'<div class="r" style="left:{left:.2f}pt;top:{top:.2f}pt;width:{width:.2f}pt;height:{height:.2f}pt"></div>'
                )
            for rc in page.rects:
                out.append(
                    f'<div class="r" style="left:{rc["x0"]:.2f}pt;top:{rc["top"]:.2f}pt;'
                    f'width:{rc["width"]:.2f}pt;height:{rc["height"]:.2f}pt"></div>'
                )
            out.append("</div>")
    out.append("</div></body></html>\n")
    (OUT / f"{stem}.positioned.html").write_text("\n".join(out), encoding="utf-8")


LANDING = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>某某区人民法院2023年部门预算公开</title></head>
<body>
<nav><a href="/">首页</a> &gt; <a href="/zfxxgk/">政府信息公开</a></nav>
<h1>某某区人民法院2023年部门预算公开</h1>
<p>发布时间：2023-02-10</p>
<p>根据预算公开有关要求，现将我院2023年部门预算及项目支出绩效目标予以公开，详见附件。</p>
<table class="layout"><tr><td>
<p>附件：<a href="/uploads/2023/%E9%A1%B9%E7%9B%AE%E6%94%AF%E5%87%BA%E7%BB%A9%E6%95%88%E7%9B%AE%E6%A0%87%E8%A1%A8.xlsx">1.项目支出绩效目标表</a></p>
<p><a href="/uploads/2023/budget.pdf?v=2">2.2023年部门预算.pdf</a></p>
</td></tr></table>
<footer>版权所有</footer>
</body></html>
"""


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for stem in SEEDS:
        table_page(stem)
        positioned_page(stem)
    (OUT / "landing.html").write_text(LANDING, encoding="utf-8")
    for f in sorted(OUT.iterdir()):
        print(f.relative_to(ROOT), f.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
