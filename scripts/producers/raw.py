"""A minimal PDF writer of our own, as small Chinese office tools write PDFs: SimSun and SimHei
not embedded, Type0 fonts through the predefined CMap GBK-EUC-H (strings are GBK bytes, no
ToUnicode), each with a real /W array as SimSun has it (the half-width ASCII CIDs 814-907 and the
space CID 7716 at 500, everything else /DW 1000). Each printed line of a cell is one Tj string of
many glyphs, so a glyph's position depends on the advances of the glyphs before it. Tables are
ruled cell by cell with line segments; vertically merged cells have no rule inside them.

Layout: our own (model.wrap: breaks between CJK characters, keeps ASCII runs whole unless they do
not fit a line). Rows that do not fit the rest of a page move to the next page, or, with
cut_rows, are cut at a line boundary (the large-font variant).
"""
import math
import zlib

from . import model

A4 = (595.0, 842.0)
A4_LAND = (842.0, 595.0)
MARGIN = 50.0
PAD = 3.0


def gbk_hex(s):
    return s.encode("gbk").hex()


class Layout:
    def __init__(self, size, cut_rows, landscape_project=None, furniture=()):
        self.size = size
        self.lh = round(size * 1.4, 2)
        self.cut_rows = cut_rows
        self.landscape_project = landscape_project
        self.furniture = set(furniture)
        self.pages = []  # (w, h, ops)
        self.top_margin = MARGIN + (20 if "header" in self.furniture else 0)
        self.bottom_margin = MARGIN + (10 if "header" in self.furniture else 0)

    # -- pages
    def new_page(self, landscape=False):
        w, h = A4_LAND if landscape else A4
        self.pages.append((w, h, []))
        self.y = h - self.top_margin
        self.landscape = landscape

    @property
    def ops(self):
        return self.pages[-1][2]

    @property
    def width(self):
        return self.pages[-1][0] - 2 * MARGIN

    def room(self):
        return self.y - self.bottom_margin

    def text(self, x, y, s, font="F1", size=None):
        if s:
            self.ops.append(("text", round(x, 2), round(y, 2), font, size or self.size, s))

    def line(self, x1, y1, x2, y2):
        self.ops.append(("line", round(x1, 2), round(y1, 2), round(x2, 2), round(y2, 2)))

    # -- content
    def paragraph(self, para):
        size = self.size + 2 if para.heading else self.size
        font = "F2" if para.heading else "F1"
        lh = round(size * 1.5, 2)
        lines = model.wrap(para.text, self.width, size)
        self.y -= 4
        for ln in lines:
            if self.room() < lh:
                self.new_page(self.landscape)
            self.y -= lh
            self.text(MARGIN, self.y + 0.3 * lh, ln, font, size)
        self.y -= 2

    def table(self, table):
        size, lh = self.size, self.lh
        xs = [MARGIN]
        for f in model.col_fractions(table):
            xs.append(xs[-1] + f * self.width)
        cells = table.cells
        lines = {}
        for c in cells:
            w = xs[c.col + c.colspan] - xs[c.col] - 2 * PAD
            out = []
            for p in c.lines:
                out.extend(model.wrap(p, w, size))
            lines[id(c)] = out
        heights = []
        for r in range(table.nrows):
            n = max([len(lines[id(c)]) for c in cells if c.row == r and c.rowspan == 1] + [1])
            heights.append(2 * PAD + n * lh)
        for c in cells:
            if c.rowspan > 1:
                need = 2 * PAD + len(lines[id(c)]) * lh
                have = sum(heights[c.row:c.row + c.rowspan])
                if need > have:
                    heights[c.row + c.rowspan - 1] += need - have
        queue = {id(c): list(lines[id(c)]) for c in cells}
        cursor = {}  # id(cell) -> y of the next line's top
        header = table.kind == "grid"
        self.y -= 6
        for r in range(table.nrows):
            active = [c for c in cells if c.row <= r < c.row + c.rowspan]
            need = heights[r]
            first_part = True
            while True:
                room = self.room()
                if need <= room + 1e-6:
                    part = need
                    last_part = True
                elif self.cut_rows and room >= 2 * PAD + lh:
                    part = room
                    last_part = False
                elif room < self.pages[-1][1] - self.top_margin - self.bottom_margin - 1:
                    self.close_page_part(active, xs)
                    self.new_page(self.landscape)
                    for c in active:
                        cursor.pop(id(c), None)
                    continue
                else:  # taller than a page: cut it anyway
                    part, last_part = room, False
                top, bottom = self.y, self.y - part
                for c in active:
                    x1, x2 = xs[c.col], xs[c.col + c.colspan]
                    starts = c.row == r and first_part
                    ends = c.row + c.rowspan - 1 == r and last_part
                    if starts or id(c) not in cursor:
                        self.line(x1, top, x2, top)
                        cursor[id(c)] = top - PAD
                    self.line(x1, top, x1, bottom)
                    self.line(x2, top, x2, bottom)
                    if ends or not last_part:
                        self.line(x1, bottom, x2, bottom)
                    q = queue[id(c)]
                    font = "F2" if header and c.row == 0 else "F1"
                    while q and cursor[id(c)] - lh >= bottom + (PAD if ends or not last_part else 0) - 1e-6:
                        s = q.pop(0)
                        y = cursor[id(c)] - lh + 0.3 * lh
                        x = x1 + PAD
                        if header and c.row == 0:  # header cells centred
                            x = (x1 + x2) / 2 - sum(model.em_width(ch) for ch in s) * size / 2
                        self.text(x, y, s, font)
                        cursor[id(c)] -= lh
                    if not last_part:
                        pass
                self.y = bottom
                if last_part:
                    break
                # the rest of the row on the next page
                self.new_page(self.landscape)
                for c in active:
                    cursor.pop(id(c), None)
                rest = max([len(queue[id(c)]) for c in active if c.rowspan == 1] + [0])
                need = 2 * PAD + max(rest, 1) * lh
                first_part = False
        self.y -= 6

    def close_page_part(self, active, xs):
        """Before a row moves to the next page: the bottom rule of vertically merged cells that
        continue there."""
        for c in active:
            if c.row + c.rowspan > 0:
                self.line(xs[c.col], self.y, xs[c.col + c.colspan], self.y)

    def run(self, items):
        self.new_page(False)
        for k, group in model.projects(items):
            land = k is not None and k == self.landscape_project
            if land or (self.landscape and not land):
                self.new_page(land)
            for it in group:
                if isinstance(it, model.Para):
                    self.paragraph(it)
                else:
                    self.table(it)
        return self.pages


def furniture_ops(pages, unit, furniture):
    """Running header (unit name and a rule), footer 第N页 共M页, watermark: per page, drawn after
    the content (the watermark over the tables)."""
    n = len(pages)
    out = []
    for k, (w, h, ops) in enumerate(pages, start=1):
        extra = []
        if "header" in furniture:
            size = 9.0
            tw = len(unit) * size
            extra.append(("text", round((w - tw) / 2, 2), h - 40.0, "F2", size, unit))
            extra.append(("line", MARGIN, h - 45.0, w - MARGIN, h - 45.0))
            foot = f"第{k}页 共{n}页"
            fw = sum(model.em_width(ch) for ch in foot) * size
            extra.append(("text", round((w - fw) / 2, 2), 30.0, "F1", size, foot))
        if "watermark" in furniture:
            for fx, fy in ((0.28, 0.78), (0.5, 0.5), (0.72, 0.22)):
                extra.append(("mark", round(w * fx - 60, 2), round(h * fy - 20, 2), "F2", 60.0, model.WATERMARK))
        out.append((w, h, ops + extra))
    return out


def content_stream(ops):
    out = ["0.6 w 0 G 0 g"]
    a = math.radians(model.WATERMARK_ANGLE)
    for op in ops:
        if op[0] == "line":
            out.append("{:.2f} {:.2f} m {:.2f} {:.2f} l S".format(*op[1:]))
        elif op[0] == "text":
            _, x, y, font, size, s = op
            out.append(f"BT /{font} {size:g} Tf {x:.2f} {y:.2f} Td <{gbk_hex(s)}> Tj ET")
        else:  # watermark: light grey, turned
            _, x, y, font, size, s = op
            c, sn = math.cos(a), math.sin(a)
            out.append(f"q {model.WATERMARK_GREY:g} g BT /{font} {size:g} Tf {c:.4f} {sn:.4f} {-sn:.4f} {c:.4f} {x:.2f} {y:.2f} Tm "
                       f"<{gbk_hex(s)}> Tj ET Q")
    return "\n".join(out).encode("ascii")


def font_objects(name, first):
    """Type0 font `name` (GBK-EUC-H), its CIDFont and descriptor as objects numbered from `first`."""
    flags = 6 if name == "SimSun" else 4
    return [
        f"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /GBK-EUC-H /DescendantFonts [{first + 1} 0 R] >>".encode(),
        (f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) "
         f"/Supplement 2 >> /FontDescriptor {first + 2} 0 R /DW 1000 /W [814 907 500 7716 [500]] >>").encode(),
        (f"<< /Type /FontDescriptor /FontName /{name} /Flags {flags} /FontBBox [-8 -145 1000 859] /ItalicAngle 0 "
         f"/Ascent 859 /Descent -141 /CapHeight 683 /StemV 80 >>").encode(),
    ]


def write_pdf(path, pages, title):
    n = len(pages)
    # objects: 1 catalog, 2 pages, 3-5 SimSun, 6-8 SimHei, 9 info, then page/content pairs
    objects = {}
    first_page = 10
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(n))
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode()
    for i, body in enumerate(font_objects("SimSun", 3)):
        objects[3 + i] = body
    for i, body in enumerate(font_objects("SimHei", 6)):
        objects[6 + i] = body
    objects[9] = ("<< /Producer (budget-extract raw writer) /Title <FEFF" + title.encode("utf-16-be").hex().upper() + "> "
                  "/CreationDate (D:20000101000000Z) >>").encode()
    for i, (w, h, ops) in enumerate(pages):
        pno = first_page + 2 * i
        stream = zlib.compress(content_stream(ops), 9)
        objects[pno] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w:g} {h:g}] /Resources << /Font << /F1 3 0 R "
                        f"/F2 6 0 R >> >> /Contents {pno + 1} 0 R >>").encode()
        objects[pno + 1] = b"<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\nstream\n" + stream + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += f"{num} 0 obj\n".encode() + objects[num] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for num in range(1, size):
        out += f"{offsets[num]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {size} /Root 1 0 R /Info 9 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


VARIANTS = {
    # name: (font size, cut rows, landscape, furniture, what it tests)
    "grid": (9.0, False, False, (), "ruled grid, 9 pt SimSun/SimHei through GBK-EUC-H with a real /W"),
    "header-footer": (9.0, False, False, ("header",), "running header (unit name, rule) and footer 第N页 共M页"),
    "watermark": (9.0, False, False, ("watermark",), "公开 at 35°, light grey, three per page, over the tables"),
    "landscape": (9.0, False, True, (), "one project on a landscape page between portrait pages"),
    "large": (16.0, True, False, (), "16 pt: rows cut by page breaks at a line boundary, long codes broken in a cell"),
}


def make(stem, variant, path):
    size, cut, land, furniture, _ = VARIANTS[variant]
    items = model.read_seed(stem)
    lay = Layout(size, cut, model.LANDSCAPE_PROJECT[stem] if land else None, furniture)
    pages = lay.run(items)
    pages = furniture_ops(pages, model.unit_name(items), furniture)
    write_pdf(path, pages, stem)
