"""Headless Chromium prints (--print-to-pdf) of HTML pages written here from the seeds: each Word
table a <table> (colspan, rowspan), paragraphs as <p>/<h3>. Chromium (Skia) draws the CJK text of
the installed Noto CJK fonts as Type 3 fonts with a ToUnicode map.

Kinds: bordered (border-collapse, 1px rules); borderless; bordered with the indicator grid's
header row in <thead>, at 12 pt so that long grids break across pages and Chromium repeats the
header on every page. Variations: a running header (unit name, rule) and footer 第N页 共M页 in
@page margin boxes; a 公开 watermark of three position:fixed elements turned by 35° over the
content (printed on every page); a named landscape page for one project; 16 pt text, rows cut
by page breaks (Chromium fragments table rows).
"""
import html
import pathlib
import re
import shutil
import subprocess
import tempfile

from . import model

CSS = """
@page {{ size: A4; margin: {top}mm 15mm 18mm 15mm; {margin_boxes} }}
@page land {{ size: A4 landscape; }}
.land {{ page: land; }}
body {{ font-family: "SimSun", "Noto Serif CJK SC", serif; font-size: {size}pt; margin: 0; }}
h3 {{ font-size: {hsize}pt; font-weight: normal; margin: 8pt 0 4pt 0; }}
p {{ margin: 2pt 0; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; margin: 4pt 0 8pt 0; }}
td, th {{ padding: 2pt 4pt; vertical-align: top; text-align: left; font-weight: normal; overflow-wrap: anywhere; {border} }}
th {{ text-align: center; }}
.wm {{ position: fixed; font-size: 60pt; color: {wm_colour}; transform: rotate(-{angle}deg); z-index: 10;
       font-family: "Noto Sans CJK SC", sans-serif; }}
"""
MARGIN_BOXES = """
  @top-center { content: "%s"; font-size: 9pt; font-family: "Noto Sans CJK SC", sans-serif;
                vertical-align: bottom; border-bottom: 0.75pt solid #000; padding-bottom: 2pt; }
  @bottom-center { content: "第" counter(page) "页 共" counter(pages) "页"; font-size: 9pt;
                   font-family: "Noto Serif CJK SC", serif; }
"""


def cell_html(c, tag="td"):
    attrs = ""
    if c.colspan > 1:
        attrs += f' colspan="{c.colspan}"'
    if c.rowspan > 1:
        attrs += f' rowspan="{c.rowspan}"'
    body = "<br>".join(html.escape(l, quote=False) for l in c.lines)
    return f"<{tag}{attrs}>{body}</{tag}>"


def table_html(t, thead):
    cols = "".join(f'<col style="width:{f * 100:.1f}%">' for f in model.col_fractions(t))
    out = [f"<table><colgroup>{cols}</colgroup>"]
    rows = t.rows()
    for r, cells in enumerate(rows):
        if thead and t.kind == "grid" and r == 0:
            out.append("<thead><tr>" + "".join(cell_html(c, "th") for c in cells) + "</tr></thead><tbody>")
            continue
        out.append("<tr>" + "".join(cell_html(c, "th" if t.kind == "grid" and r == 0 else "td") for c in cells) + "</tr>")
    if thead and t.kind == "grid":
        out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out)


def page_html(stem, variant):
    kind, size, furniture, land = VARIANTS[variant][:4]
    items = model.read_seed(stem)
    unit = model.unit_name(items)
    css = CSS.format(
        top=24 if "header" in furniture else 18,
        margin_boxes=MARGIN_BOXES % unit if "header" in furniture else "",
        size=size, hsize=size + 2,
        border="border: 1px solid #000;" if kind != "borderless" else "border: none;",
        wm_colour="#%02x%02x%02x" % ((round(model.WATERMARK_GREY * 255),) * 3), angle=model.WATERMARK_ANGLE)
    body = []
    land_k = model.LANDSCAPE_PROJECT[stem] if land else None
    for k, group in model.projects(items):
        if k is not None and k == land_k:
            body.append('<div class="land">')
        for it in group:
            if isinstance(it, model.Para):
                tag = "h3" if it.heading else "p"
                body.append(f"<{tag}>{html.escape(it.text, quote=False)}</{tag}>")
            else:
                body.append(table_html(it, kind == "thead"))
        if k is not None and k == land_k:
            body.append("</div>")
    if "watermark" in furniture:
        for left, top in ((12, 14), (36, 44), (60, 74)):
            body.append(f'<div class="wm" style="left:{left}%;top:{top}%">{model.WATERMARK}</div>')
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{stem}</title>'
            f"<style>{css}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        exe = shutil.which(name)
        if exe:
            return exe
    raise SystemExit("Chromium not found: apt-get install chromium")


def print_pdf(html_path, pdf_path, profile):
    subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    f"--user-data-dir={profile}", "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
                    "--virtual-time-budget=5000", f"--print-to-pdf={pdf_path}", html_path.as_uri()],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)


def fix_pdf(path):
    """Skia writes the print time as /CreationDate and /ModDate: fixed (same length, the xref
    offsets stay valid)."""
    data = path.read_bytes()
    data = re.sub(rb"(/(?:CreationDate|ModDate) \(D:)\d{14}", rb"\g<1>20000101000000", data)
    path.write_bytes(data)


def make(stem, variant, path):
    """Printed until two prints agree byte for byte: now and then (about one print in fifty here)
    Chromium lays a long document out slightly differently; the output kept is the one seen
    twice first."""
    seen = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        page = tmp / f"{stem}.{variant}.html"
        page.write_text(page_html(stem, variant), encoding="utf-8")
        for attempt in range(6):
            out = tmp / f"print{attempt}.pdf"
            print_pdf(page, out, tmp / "profile")
            fix_pdf(out)
            data = out.read_bytes()
            if data in seen:
                path.write_bytes(data)
                return
            seen.append(data)
    raise SystemExit(f"Chromium gave {len(seen)} different prints of {stem} {variant}")


VARIANTS = {
    # name: (kind, size, furniture, landscape, what it tests)
    "bordered": ("bordered", 10.5, (), False, "1px rules, border-collapse; Type 3 CJK fonts"),
    "borderless": ("borderless", 10.5, (), False, "no rules at all: columns by text alignment only"),
    "thead": ("thead", 12.0, (), False, "grid header row in <thead>, repeated by Chromium on every page a grid runs onto"),
    "header-footer": ("bordered", 10.5, ("header",), False, "bordered; @page margin boxes: unit name over a rule, 第N页 共M页"),
    "watermark": ("bordered", 10.5, ("watermark",), False, "bordered; 公开 at 35°, light grey, three fixed elements over every page"),
    "landscape": ("bordered", 10.5, (), True, "bordered; one project on a named landscape page between portrait pages"),
    "large": ("bordered", 16.0, (), False, "bordered at 16 pt: table rows cut by page breaks"),
}
