#!/usr/bin/env python3
"""PDF samples whose Chinese text uses predefined CMaps instead of an embedded font with a
ToUnicode map, the way Chinese office and typesetting software writes non-embedded fonts:

  samples/cjk/stsong-ucs2.pdf   reportlab, its non-embedded STSong-Light CID font (UniGB-UCS2-H)
  samples/cjk/gbk-euc.pdf       a small raw PDF writer below: SimSun as a Type0 font encoded
                                GBK-EUC-H, no ToUnicode (byte codes are GBK)
  samples/cjk/stsong-rotated.pdf  the reportlab page drawn rotated on a portrait page, shown
                                upright by /Rotate 90, with a diagonal watermark

Both draw the same table, seed 000's first project (办案业务费), with ruled cells and the
一级指标 cells merged vertically (no rule between rows of one group). Its records are the
hand-checked truth of seed 000, table 1.

    target/pyenv/bin/python scripts/make_cjk_pdfs.py     (needs reportlab; scripts/make_pdf_samples.sh installs it)
"""
import pathlib
import zlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "samples" / "cjk"

TITLE = "1.办案业务费绩效目标表"
# (cells, spans): spans in grid columns; the grid has 6 columns.
BLOCK = [
    (["207101天津市河北区人民法院", "单位：万元"], [4, 2]),
    (["项目名称", "办案业务费"], [1, 5]),
    (["预算规模及资金用途", "预算数", "49.70", "其中：财政资金", "49.70", "其他资金"], [1, 1, 1, 1, 1, 1]),
    (["", "用于弥补办案业务费不足"], [1, 5]),
    (["绩效目标", "1.弥补基层法院办案业务经费不足，提高法院建设管理水平，持续维护公平正义"], [1, 5]),
]
GRID = [
    ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"],
    ["产出指标", "数量指标", "法官人均结案数量", "法官人均结案数量", "≥217件"],
    ["", "质量指标", "息诉罢访率", "息诉罢访率", "≥50百分比"],
    ["", "时效指标", "资金使用效率", "资金使用效率", "100百分比"],
    ["", "成本指标", "项目资金成本", "项目资金成本", "49.7万元"],
    ["效益指标", "经济效益指标", "维护良好经济环境", "维护良好经济环境", "切实维护"],
    ["", "社会效益指标", "民事案件撤诉率", "民事案件撤诉率", "≥45百分比"],
    ["", "社会效益指标", "民事案件调解率", "民事案件调解率", "≥13百分比"],
    ["", "可持续影响指标", "持续维护社会稳定", "持续维护社会稳定", "持续维护"],
    ["满意度指标", "服务对象满意度指标", "审判部门对资金保障满意度", "审判部门对资金保障满意度", "≥95百分比"],
]

PAGE_W, PAGE_H = 842.0, 595.0  # A4 landscape
SIZE = 8.0
ROW_H = 18.0
LEFT = 40.0
BLOCK_COLS = [110, 90, 90, 110, 90, 260]
GRID_COLS = [90, 120, 180, 180, 180]


def layout():
    """Drawing operations: ('text', x, y, s) and ('line', x1, y1, x2, y2), PDF coordinates."""
    ops = [("text", LEFT, PAGE_H - 40, TITLE)]
    y = PAGE_H - 60
    xs = [LEFT]
    for w in BLOCK_COLS:
        xs.append(xs[-1] + w)
    top = y
    for k, (cells, spans) in enumerate(BLOCK):
        col = 0
        bottom = y - ROW_H
        merged_below = k + 1 < len(BLOCK) and BLOCK[k + 1][0][0] == ""
        for text, span in zip(cells, spans):
            x1, x2 = xs[col], xs[col + span]
            if text:
                ops.append(("text", x1 + 3, bottom + 5, text))
            ops.append(("line", x1, y, x1, bottom))
            if not (col == 0 and merged_below):
                ops.append(("line", x1, bottom, x2, bottom))
            col += span
        ops.append(("line", xs[-1], y, xs[-1], bottom))
        y = bottom
    ops.append(("line", xs[0], top, xs[-1], top))

    y -= 20
    gx = [LEFT]
    for w in GRID_COLS:
        gx.append(gx[-1] + w)
    ops.append(("line", gx[0], y, gx[-1], y))
    for k, row in enumerate(GRID):
        bottom = y - ROW_H
        merged_below = k + 1 < len(GRID) and GRID[k + 1][0] == "" and k > 0
        for c, text in enumerate(row):
            if text:
                ops.append(("text", gx[c] + 3, bottom + 5, text))
            ops.append(("line", gx[c], y, gx[c], bottom))
            if not (c == 0 and merged_below):
                ops.append(("line", gx[c], bottom, gx[c + 1], bottom))
        ops.append(("line", gx[-1], y, gx[-1], bottom))
        y = bottom
    return ops


def draw(c):
    """The table on a reportlab canvas, in STSong-Light."""
    c.setLineWidth(0.5)
    for op in layout():
        if op[0] == "text":
            c.setFont("STSong-Light", SIZE)
            c.drawString(op[1], op[2], op[3])
        else:
            c.line(*op[1:])


def reportlab_pdf(path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1)
    draw(c)
    c.showPage()
    c.save()


def reportlab_rotated_pdf(path):
    """The same table drawn turned by 90° on a portrait page (text runs bottom to top in user
    space) and a /Rotate of 90 so that viewers show it upright; plus a diagonal watermark."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=(PAGE_H, PAGE_W), invariant=1)
    c.setPageRotation(90)
    c.saveState()
    c.translate(PAGE_H, 0)
    c.rotate(90)
    draw(c)
    c.restoreState()
    c.saveState()
    c.setFillGray(0.85)
    c.setFont("STSong-Light", 60)
    c.translate(150, 300)
    c.rotate(45)
    c.drawString(0, 0, "内部资料")
    c.restoreState()
    c.showPage()
    c.save()


def raw_gbk_pdf(path):
    """A PDF written by hand: one page, a Type0 font /SimSun with /Encoding /GBK-EUC-H and no
    /ToUnicode; text strings are GBK bytes."""
    content = []
    for op in layout():
        if op[0] == "text":
            data = op[3].encode("gbk")
            content.append(f"BT /F1 {SIZE:g} Tf {op[1]:.2f} {op[2]:.2f} Td <{data.hex()}> Tj ET")
        else:
            content.append("{:.2f} {:.2f} m {:.2f} {:.2f} l S".format(*op[1:]))
    stream = zlib.compress(("0.5 w\n" + "\n".join(content)).encode("ascii"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W:g} {PAGE_H:g}] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".encode(),
        b"<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /GBK-EUC-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 /W [1 95 500] >>",
        b"<< /Type /FontDescriptor /FontName /SimSun /Flags 6 /FontBBox [0 -141 1000 859] /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 859 /StemV 80 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    reportlab_pdf(OUT / "stsong-ucs2.pdf")
    reportlab_rotated_pdf(OUT / "stsong-rotated.pdf")
    raw_gbk_pdf(OUT / "gbk-euc.pdf")
    for p in sorted(OUT.glob("*.pdf")):
        print(p, p.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
