"""A spreadsheet export: the seeds' tables written into an .xlsx by openpyxl as a budget office
lays them out in a sheet (one column set A-G for every table, Word's merges as merged ranges),
printed by LibreOffice Calc (`soffice --headless --convert-to pdf`).

Cells that are not wrapped run into the empty cells to their right, as spreadsheets print them:
the unit name (A, over the empty B-E; the rules drawn only around A-E), the project titles, the
indicator grid's last column (依据 of the 6-column grids into G and H, 指标值 of the 5-column grids
into F). Every other cell wraps; Calc does not grow rows on loading an .xlsx, so every row's height
is set here from the text's width (with room to spare), and page breaks are set by hand where
pages are full, which also tells where each page's watermark shapes go.

Variations: a print-title row (the unit name over a bottom border, repeated at the top of every
page) and a footer 第&P页 共&N页; a 公开 watermark of three drawing shapes per page turned by 35°,
light grey (DrawingML added to the .xlsx, in front of the cells); one project on a second sheet
whose page is landscape (the rest on the first and third sheets); 16 pt text, so that vertically
merged cells (一级指标) are cut by page breaks (a spreadsheet never cuts a row).
"""
import io
import math
import pathlib
import re
import shutil
import tempfile
import zipfile

from . import lo, model

COLS = {"A": 10, "B": 13, "C": 9, "D": 11, "E": 9, "F": 10, "G": 8, "H": 4}  # 74 units: A4 portrait at 100 %
FONT = "Noto Serif CJK SC"
PORTRAIT_BODY = 660.0  # points of rows per portrait page (A4 less margins, header, footer; with room)
LANDSCAPE_BODY = 400.0


def col_points(width):
    return width * 7.0  # as Calc prints an .xlsx column width (measured)


def text_points(s, size):
    return sum(size if ord(ch) > 0x2000 else size * 0.6 for ch in s)


def lines_needed(lines, width_pt, size):
    inner = max(width_pt - 5, 10) * 0.93
    n = 0
    for l in lines:
        n += max(1, math.ceil(text_points(l, size) / inner))
    return max(n, 1)


class Sheet:
    def __init__(self, ws, size, furniture, unit, landscape):
        from openpyxl.worksheet.properties import PageSetupProperties
        self.ws, self.size, self.furniture = ws, size, furniture
        self.row = 1
        self.heights = {}
        self.body = LANDSCAPE_BODY if landscape else PORTRAIT_BODY
        for col, w in COLS.items():
            ws.column_dimensions[col].width = w
        ws.page_setup.paperSize = 9  # A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.scale = 100
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.7
        ws.page_margins.header = ws.page_margins.footer = 0.3
        ws.print_options.horizontalCentered = False
        if "header" in furniture:
            from openpyxl.styles import Alignment, Border, Font, Side
            ws.merge_cells("A1:H1")
            c = ws["A1"]
            c.value = unit
            c.font = Font(name=FONT, size=9)
            c.alignment = Alignment(horizontal="center", vertical="bottom")
            for col in COLS:
                ws[f"{col}1"].border = Border(bottom=Side(style="medium"))
            self.set_height(1, 20)
            ws.print_title_rows = "1:1"
            ws.oddFooter.center.text = "第&P页 共&N页"
            ws.oddFooter.center.size = 9
            self.title_height = 20
            self.row = 2
        else:
            self.title_height = 0

    def set_height(self, r, h):
        self.ws.row_dimensions[r].height = round(h, 1)
        self.heights[r] = round(h, 1)

    def cell(self, r, c, text, wrap=True, merge_to=None, border=True, centre=False, heading=False):
        from openpyxl.styles import Alignment, Border, Font, Side
        from openpyxl.utils import get_column_letter
        ws = self.ws
        cell = ws.cell(r, c + 1)
        cell.value = text if text.strip() else None
        cell.font = Font(name=FONT, size=self.size + (2 if heading else 0), bold=False)
        cell.alignment = Alignment(wrap_text=wrap, vertical="top", horizontal="center" if centre else "left")
        r2, c2 = merge_to or (r, c)
        if (r2, c2) != (r, c):
            ws.merge_cells(start_row=r, start_column=c + 1, end_row=r2, end_column=c2 + 1)
        if border:
            thin = Side(style="thin")
            for rr in range(r, r2 + 1):
                for cc in range(c, c2 + 1):
                    ws.cell(rr, cc + 1).border = Border(left=thin if cc == c else None, right=thin if cc == c2 else None,
                                                        top=thin if rr == r else None, bottom=thin if rr == r2 else None)
        return get_column_letter(c + 1)

    def paragraph(self, para):
        size = self.size + (2 if para.heading else 0)
        total = sum(col_points(w) for w in list(COLS.values())[:7])
        if text_points(para.text, size) <= total - 10:
            # a short line: one cell, not wrapped, running over the empty cells beside it
            self.cell(self.row, 0, para.text, wrap=False, border=False, heading=para.heading)
            n = 1
        else:
            self.cell(self.row, 0, para.text, wrap=True, merge_to=(self.row, 6), border=False, heading=para.heading)
            n = lines_needed([para.text], total, size)
        self.set_height(self.row, n * size * 1.5 + 6)
        self.row += 1

    def table(self, t):
        widths = list(COLS.values())
        base = self.row
        need = {}
        for c in t.cells:
            r = base + c.row
            text = "\n".join(c.lines)
            last = c.col + c.colspan - 1
            overflow_room = sum(col_points(w) for w in widths[last + 1:8])
            own = sum(col_points(w) for w in widths[c.col:last + 1])
            wrap = True
            merge_to = (r + c.rowspan - 1, last)
            if t.kind == "block" and c.row == 0 and c.col == 0:
                # the unit name: in A only, running over the empty B-E; the rules drawn around A-E
                self.cell(r, 0, text, wrap=False, border=False)
                self.frame(r, 0, last)
                need[(c.row, 1)] = 1
                continue
            if t.kind == "grid" and c.row > 0 and last == t.ncols - 1 and len(c.lines) <= 1 \
                    and own < text_points(text, self.size) + 6 <= own + overflow_room - 6:
                wrap = False  # the grid's last column runs into the empty columns beside the grid
            centre = t.kind == "grid" and c.row == 0
            self.cell(r, c.col, text, wrap=wrap, merge_to=merge_to, centre=centre)
            n = lines_needed(c.lines, own, self.size) if wrap else max(1, len(c.lines))
            need[(c.row, c.rowspan)] = max(need.get((c.row, c.rowspan), 1), n)
        lh = self.size * 1.45
        heights = [lh + 6] * t.nrows
        for (r, span), n in sorted(need.items(), key=lambda kv: kv[0][1]):
            h = n * lh + 6
            have = sum(heights[r:r + span])
            if h > have:
                heights[r + span - 1] += h - have
        for k, h in enumerate(heights):
            self.set_height(base + k, h)
        self.row = base + t.nrows
        self.set_height(self.row, self.size)  # a spacer row
        self.row += 1

    def frame(self, r, c1, c2):
        from openpyxl.styles import Border, Side
        thin = Side(style="thin")
        for cc in range(c1, c2 + 1):
            self.ws.cell(r, cc + 1).border = Border(left=thin if cc == c1 else None, right=thin if cc == c2 else None,
                                                    top=thin, bottom=thin)

    def paginate(self):
        """Manual row breaks where a page is full; returns the pages as (first row, last row)."""
        from openpyxl.worksheet.pagebreak import Break
        pages, start, used = [], 1 if not self.title_height else 2, 0.0
        first = start
        for r in range(first, self.row):
            h = self.heights.get(r, 15.0)
            if used + h > self.body - self.title_height and r > start:
                self.ws.row_breaks.append(Break(id=r - 1))
                pages.append((start, r - 1))
                start, used = r, 0.0
            used += h
        if "watermark" in self.furniture:
            # room on the last page for its three watermark shapes: empty rows, printed
            while used < 240.0:
                self.set_height(self.row, 20.0)
                used += 20.0
                self.row += 1
        pages.append((start, self.row - 1))
        last_col = "H"
        self.ws.print_area = f"A1:{last_col}{self.row - 1}"
        return pages


def watermark_xml(anchors):
    grey = "%02X" % round(model.WATERMARK_GREY * 255)
    rot = int((360 - model.WATERMARK_ANGLE) * 60000)
    cx, cy = 150 * 12700, 80 * 12700
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr '
           'xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">']
    for k, (row, col, row_off) in enumerate(anchors):
        out.append(
            f'<xdr:oneCellAnchor><xdr:from><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row}</xdr:row>'
            f'<xdr:rowOff>{row_off}</xdr:rowOff></xdr:from><xdr:ext cx="{cx}" cy="{cy}"/><xdr:sp macro="" textlink="">'
            f'<xdr:nvSpPr><xdr:cNvPr id="{k + 2}" name="Watermark {k + 1}"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr>'
            f'<a:xfrm rot="{rot}"><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
            '</a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></xdr:spPr><xdr:txBody><a:bodyPr wrap="none" rtlCol="0" '
            'anchor="ctr"/><a:lstStyle/><a:p><a:pPr algn="ctr"/><a:r><a:rPr lang="zh-CN" sz="6000"><a:solidFill>'
            f'<a:srgbClr val="{grey * 3}"/></a:solidFill><a:latin typeface="Noto Sans CJK SC"/><a:ea typeface="Noto Sans CJK SC"/>'
            f'</a:rPr><a:t>{model.WATERMARK}</a:t></a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/></xdr:oneCellAnchor>')
    out.append("</xdr:wsDr>")
    return "".join(out)


def page_anchors(sheet, pages):
    """Three shapes per page, spread over its rows' height, each kept inside its page: the 150 x 80
    pt box turned about its centre reaches from 36 pt above its anchor to 116 pt below, and a
    shape across a page break would be printed in part on both pages."""
    out = []
    for first, last in pages:
        rows = list(range(first, last + 1))
        total = sum(sheet.heights.get(r, 15.0) for r in rows)
        for frac, col in ((0.06, 0), (0.40, 2), (0.74, 4)):
            target, acc = max(40.0, min(total * frac, total - 120.0)), 0.0
            for r in rows:
                h = sheet.heights.get(r, 15.0)
                if acc + h > target:
                    out.append((r - 1, col, int((target - acc) * 12700)))
                    break
                acc += h
    return out


def add_drawings(data, drawings):
    """The .xlsx bytes with a drawing part per sheet (sheet index -> drawing XML); every member
    written with a fixed timestamp."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        names = zin.namelist()
        extra = {}
        for idx, xml in drawings.items():
            extra[f"xl/drawings/drawing{idx}.xml"] = xml.encode()
            extra[f"xl/worksheets/_rels/sheet{idx}.xml.rels"] = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdWm" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" '
                f'Target="../drawings/drawing{idx}.xml"/></Relationships>').encode()
        for name in names:
            body = zin.read(name)
            if name == "[Content_Types].xml":
                over = "".join(f'<Override PartName="/xl/drawings/drawing{i}.xml" '
                               'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>' for i in drawings)
                body = body.replace(b"</Types>", over.encode() + b"</Types>")
            m = re.match(r"xl/worksheets/sheet(\d+)\.xml$", name)
            if m and int(m.group(1)) in drawings:
                assert f"xl/worksheets/_rels/sheet{m.group(1)}.xml.rels" not in names
                body = body.replace(b"</worksheet>", b'<drawing r:id="rIdWm"/></worksheet>')
                if b"xmlns:r=" not in body[:1000]:
                    body = body.replace(b"<worksheet ", b'<worksheet xmlns:r="http://schemas.openxmlformats.org/'
                                        b'officeDocument/2006/relationships" ', 1)
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, body)
        for name, body in sorted(extra.items()):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, body)
    return buf.getvalue()


def write_xlsx(path, stem, variant):
    import datetime
    import openpyxl
    size, furniture, land = VARIANTS[variant][:3]
    items = model.read_seed(stem)
    unit = model.unit_name(items)
    wb = openpyxl.Workbook()
    stamp = datetime.datetime(2000, 1, 1)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = "budget-extract"
    groups = model.projects(items)
    land_k = model.LANDSCAPE_PROJECT[stem] if land else None
    # sheets: (title, landscape, groups)
    if land_k is None:
        parts = [("绩效目标表", False, groups)]
    else:
        at = next(i for i, (k, _) in enumerate(groups) if k == land_k)
        parts = [("绩效目标表", False, groups[:at]), ("横向", True, groups[at:at + 1]), ("续表", False, groups[at + 1:])]
    drawings = {}
    for idx, (title, landscape, part) in enumerate(parts, start=1):
        ws = wb.active if idx == 1 else wb.create_sheet()
        ws.title = title
        sheet = Sheet(ws, size, furniture, unit, landscape)
        for _, group in part:
            for it in group:
                if isinstance(it, model.Para):
                    sheet.paragraph(it)
                else:
                    sheet.table(it)
        pages = sheet.paginate()
        if "watermark" in furniture:
            drawings[idx] = watermark_xml(page_anchors(sheet, pages))
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(add_drawings(buf.getvalue(), drawings))


def make(stem, variant, path):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        src = tmp / f"{stem}.{variant}.xlsx"
        write_xlsx(src, stem, variant)
        lo.convert(src, tmp, tmp / "profile")
        shutil.copy(tmp / f"{stem}.{variant}.pdf", path)
    lo.variants.fix_pdf(path)


VARIANTS = {
    # name: (size, furniture, landscape, what it tests)
    "sheet": (10.0, (), False, "cells in one column set, merged ranges, unwrapped cells running into empty neighbours"),
    "header-footer": (10.0, ("header",), False, "print-title row (unit name over a rule) on every page, footer 第&P页 共&N页"),
    "watermark": (10.0, ("watermark",), False, "公开 in three drawing shapes per page, turned by 35°, light grey, over the cells"),
    "landscape": (10.0, (), True, "one project on a second sheet printed landscape, between portrait sheets"),
    "large": (16.0, (), False, "16 pt: vertically merged cells cut by page breaks (rows are never cut by a spreadsheet)"),
}
