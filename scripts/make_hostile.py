#!/usr/bin/env python3
"""Hostile inputs beside good ones, for a test that extracts them all in one batch under a memory
limit (every reader and the batch runner must survive each file: no crash, no hang, no OOM).

    python3 scripts/make_hostile.py OUTDIR

OUTDIR is created (or emptied: only if it holds nothing but this script's sub-folders) and filled
with good/, docx/, pdf/, xlsx/, text/ and misc/. The manifest goes BESIDE it, to
OUTDIR.manifest.json (everything inside OUTDIR is a batch input): a JSON list of
{"path" | "path_bytes", "kind", "case", "what", "limit"}; "path_bytes" (a list of byte values)
replaces "path" for names that are not UTF-8.

Python 3.11 standard library only; deterministic (same bytes every run: seeded PRNGs, fixed zip
dates, no timestamps in PDFs); a few seconds. Every file is under 2,000,000 bytes. Bombs are
written without ever holding their inflated size in memory: a chunk is deflated once, ended with a
full flush (byte-aligned, no back-references across it) and its compressed bytes repeated; CRC-32
and Adler-32 of the repetition come from the zlib combine formulas.

"Within ratio" cases: the project refuses zip members over 1 MiB whose compression ratio is over
200:1 before inflating them, so those cases carry seeded random noise (text, ids, values) to stay
near 150:1 and reach the parser; the pure bombs (ratio ~500-1000:1) test the ratio check itself.
"""
import json
import os
import random
import shutil
import struct
import sys
import zlib
from hashlib import md5
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
MAX_FILE = 2_000_000  # bytes on disk, every generated file
MAX_RATIO = 190  # target ceiling for the "within ratio" cases (the project refuses > 200:1)
SUBDIRS = ("good", "docx", "pdf", "xlsx", "text", "misc")
LIMITS = {"memory", "time", "nesting", "span", "rows", "cells", "cell-text", "inflate",
          "tounicode-range", "xobject-depth", "xobject-invocations", "operators", "glyphs",
          "sheet-dims", "shared-strings", "merges", "page-tree-cycle", "not-regular-file",
          "filename", "encoding", "control-chars", "encryption", "none"}

OUT: Path
MANIFEST = []


# ---------------------------------------------------------------------------------------------
# checksums of repeated data (zlib's crc32_combine / adler32_combine)

def _gf2_times(mat, vec):
    s, i = 0, 0
    while vec:
        if vec & 1:
            s ^= mat[i]
        vec >>= 1
        i += 1
    return s


def _gf2_square(mat):
    return [_gf2_times(mat, mat[n]) for n in range(32)]


def crc32_combine(crc1, crc2, len2):
    if len2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = _gf2_square(odd)
    odd = _gf2_square(even)
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def adler32_combine(a1, a2, len2):
    base = 65521
    rem = len2 % base
    s1 = a1 & 0xFFFF
    s2 = (rem * s1) % base
    s1 = (s1 + (a2 & 0xFFFF) + base - 1) % base
    s2 = (s2 + ((a1 >> 16) & 0xFFFF) + ((a2 >> 16) & 0xFFFF) + base - rem) % base
    return s1 | (s2 << 16)


def _repeat_check(value, length, n, combine):
    """Checksum of a block (checksum `value`, `length` bytes) repeated n times (n >= 1)."""
    result = None
    while n:
        if n & 1:
            result = value if result is None else combine(result, value, length)
        n >>= 1
        if n:
            value, length = combine(value, value, length), length * 2
    return result


class Deflate:
    """A raw deflate stream built from pieces, with the CRC-32 (zip) and Adler-32 (zlib) of what
    it inflates to. repeat() never materializes the repetition."""

    def __init__(self, level=9):
        self.level = level
        self.co = zlib.compressobj(level, zlib.DEFLATED, -15)
        self.parts = []
        self.crc = 0
        self.adler = 1
        self.size = 0
        self._done = None

    def add(self, data):
        self.parts.append(self.co.compress(data))
        self.crc = zlib.crc32(data, self.crc)
        self.adler = zlib.adler32(data, self.adler)
        self.size += len(data)
        return self

    def repeat(self, chunk, n):
        if n <= 0:
            return self
        self.parts.append(self.co.flush(zlib.Z_FULL_FLUSH))
        c = zlib.compressobj(self.level, zlib.DEFLATED, -15)
        seg = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
        self.parts.append(seg * n)
        ccrc = _repeat_check(zlib.crc32(chunk), len(chunk), n, crc32_combine)
        cad = _repeat_check(zlib.adler32(chunk), len(chunk), n, adler32_combine)
        self.crc = crc32_combine(self.crc, ccrc, len(chunk) * n)
        self.adler = adler32_combine(self.adler, cad, len(chunk) * n)
        self.size += len(chunk) * n
        return self

    def raw(self):
        if self._done is None:
            self.parts.append(self.co.flush())
            self._done = b"".join(self.parts)
            self.parts = None
        return self._done

    def zlib(self):
        return b"\x78\xda" + self.raw() + struct.pack(">I", self.adler)

    def ratio(self):
        return self.size / len(self.raw())


def deflated(data, level=9):
    return Deflate(level).add(data)


# ---------------------------------------------------------------------------------------------
# output

def rel_str(rel):
    return rel.decode("ascii", "replace") if isinstance(rel, bytes) else rel


def record(rel, kind, case, what, limit):
    assert kind in ("good", "hostile", "special") and limit in LIMITS, (case, kind, limit)
    entry = {}
    if isinstance(rel, bytes):
        entry["path_bytes"] = list(rel)
    else:
        entry["path"] = rel
    entry.update(kind=kind, case=case, what=what, limit=limit)
    MANIFEST.append(entry)


def write(rel, data, kind, case, what, limit):
    path = os.path.join(bytes(OUT), rel) if isinstance(rel, bytes) else OUT / rel
    assert len(data) < MAX_FILE, f"{case}: {len(data)} bytes"
    with open(path, "wb") as f:
        f.write(data)
    record(rel, kind, case, what, limit)
    return len(data)


def zip_file(members):
    """members: [(name, bytes | Deflate)] -> zip bytes (deflated, 1980-01-01, no extras)."""
    out = bytearray()
    central = bytearray()
    for name, m in members:
        d = m if isinstance(m, Deflate) else deflated(m)
        raw = d.raw()
        assert d.size < 1 << 32 and len(raw) < 1 << 32
        n = name.encode()
        flags = 0x800 if not name.isascii() else 0
        off = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, 0, 0x21, d.crc, len(raw), d.size,
                           len(n), 0) + n + raw
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, 8, 0, 0x21, d.crc,
                               len(raw), d.size, len(n), 0, 0, 0, 0, 0, off) + n
    cd = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), cd, 0)
    return bytes(out)


def noise(rng, n=8):
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
                   for _ in range(n)).encode()


def check_ratio(case, d):
    r = d.ratio()
    assert r <= MAX_RATIO or d.size <= 1 << 20, f"{case}: ratio {r:.0f}:1"
    return r


def mb(n):
    return f"{n / 1e6:.0f} MB" if n >= 10e6 else f"{n / 1e6:.1f} MB"


# ---------------------------------------------------------------------------------------------
# docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              '<Default Extension="xml" ContentType="application/xml"/>'
              '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
              'officedocument.wordprocessingml.document.main+xml"/></Types>').encode()
DOCX_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships/officeDocument" Target="word/document.xml"/></Relationships>').encode()
DOC_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{W_NS}"><w:body>'
            '<w:p><w:r><w:t xml:space="preserve">项目支出绩效目标表</w:t></w:r></w:p>').encode()
DOC_TAIL = b'<w:p/><w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
TBL_HEAD = (b'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>'
            + b'<w:gridCol w:w="1200"/>' * 4 + b'</w:tblGrid>')


def tc(text, props=b""):
    t = text.encode() if isinstance(text, str) else text
    pr = b"<w:tcPr>" + props + b"</w:tcPr>" if props else b""
    return b"<w:tc>" + pr + b'<w:p><w:r><w:t xml:space="preserve">' + t + b"</w:t></w:r></w:p></w:tc>"


GOOD_ROWS = (b"<w:tr>" + tc("项目名称") + tc("测试项目", b'<w:gridSpan w:val="3"/>') + b"</w:tr>"
             + b"<w:tr>" + tc("预算数") + tc("292.00") + tc("财政资金") + tc("292.00") + b"</w:tr>")


def docx(rel, body, case, what, limit, kind="hostile"):
    """body: bytes (the inside of <w:body>, after a title paragraph) or a Deflate already holding
    DOC_HEAD + body (the caller adds DOC_TAIL via finish)."""
    if isinstance(body, Deflate):
        d = body
    else:
        d = deflated(DOC_HEAD + body + DOC_TAIL)
    data = zip_file([("[Content_Types].xml", DOCX_TYPES), ("_rels/.rels", DOCX_RELS), ("word/document.xml", d)])
    if d.size > 1 << 20:
        what = f"{what} [document.xml {mb(d.size)} inflated, {d.ratio():.0f}:1]"
    return write(rel, data, kind, case, what, limit)


def make_docx():
    docx("good/built-minimal.docx", TBL_HEAD + GOOD_ROWS + b"</w:tbl>", "docx-built-minimal",
         "This script's own minimal docx (a small 项目名称/预算数 table): control for the hostile docx builder",
         "none", kind="good")

    docx("docx/gridbefore-max.docx",
         TBL_HEAD + GOOD_ROWS + b'<w:tr><w:trPr><w:gridBefore w:val="4000000000"/></w:trPr>' + tc("指标值")
         + tc("≥90%") + b"</w:tr></w:tbl>",
         "docx-gridbefore-max", "A row whose w:gridBefore is 4000000000 grid columns", "span")

    docx("docx/gridspan-max.docx",
         TBL_HEAD + GOOD_ROWS + b"<w:tr>" + tc("绩效目标", b'<w:gridSpan w:val="4294967295"/>') + tc("x")
         + b"</w:tr></w:tbl>",
         "docx-gridspan-max", "A cell whose w:gridSpan is 4294967295 (u32::MAX)", "span")

    docx("docx/vmerge-huge-column.docx",
         TBL_HEAD + GOOD_ROWS
         + b'<w:tr><w:trPr><w:gridBefore w:val="3000000000"/></w:trPr>' + tc("一级指标", b'<w:vMerge w:val="restart"/>')
         + b'</w:tr><w:tr><w:trPr><w:gridBefore w:val="3000000000"/></w:trPr>' + tc("", b"<w:vMerge/>")
         + b"</w:tr></w:tbl>",
         "docx-vmerge-huge-column",
         "A vMerge restart cell and its continue cell below it, both at grid column 3000000000 (gridBefore)",
         "span")

    n = 7_500_000
    d = Deflate().add(DOC_HEAD + TBL_HEAD + GOOD_ROWS)
    d.repeat(b"<w:tr/>" * 10_000, n // 10_000).add(b"</w:tbl>" + DOC_TAIL)
    docx("docx/rows-7.5m-empty.docx", d, "docx-rows-7.5m-empty",
         "7,500,000 empty rows <w:tr/> in one table (zip bomb: over the 200:1 ratio)", "inflate")

    n = 2_000_000
    d = Deflate(6).add(DOC_HEAD + TBL_HEAD + GOOD_ROWS)
    empty = b"<w:tr><w:tc><w:p/></w:tc></w:tr>"
    for start in range(0, n, 10_000):
        d.add(b"".join(b"<w:tr><w:tc><w:p><w:r><w:t>%d</w:t></w:r></w:p></w:tc></w:tr>" % i if i % 4 == 0 else empty
                       for i in range(start, start + 10_000)))
    d.add(b"</w:tbl>" + DOC_TAIL)
    r = check_ratio("docx-rows-2m", d)
    docx("docx/rows-2m-counter.docx", d, "docx-rows-2m-counter",
         "2,000,000 one-cell rows, every 4th holding its row number (a counter in every row does not fit "
         f"in 2 MB), within the ratio limit ({r:.0f}:1) so the rows are parsed", "rows")

    phrase = "项目支出绩效目标预算执行率达到百分之百，".encode()
    chunk = phrase * (1_048_576 // len(phrase))
    n = 250_000_000 // len(chunk)
    d = Deflate().add(DOC_HEAD + TBL_HEAD + b'<w:tr><w:tc><w:p><w:r><w:t xml:space="preserve">')
    d.repeat(chunk, n).add(b"</w:t></w:r></w:p></w:tc></w:tr></w:tbl>" + DOC_TAIL)
    docx("docx/cell-250mb.docx", d, "docx-cell-250mb",
         f"One table cell holding {mb(len(chunk) * n)} of text (zip bomb: over the 200:1 ratio)", "inflate")

    rng = random.Random("docx-cell-40mb")
    pieces, size = [], 0
    while size < 1_048_576:
        p = phrase * 6 + noise(rng, 4)
        pieces.append(p)
        size += len(p)
    chunk = b"".join(pieces)
    n = 40_000_000 // len(chunk)
    d = Deflate().add(DOC_HEAD + TBL_HEAD + b'<w:tr><w:tc><w:p><w:r><w:t xml:space="preserve">')
    d.repeat(chunk, n).add(b"</w:t></w:r></w:p></w:tc></w:tr></w:tbl>" + DOC_TAIL)
    r = check_ratio("docx-cell-40mb", d)
    docx("docx/cell-40mb-in-ratio.docx", d, "docx-cell-40mb-in-ratio",
         f"One table cell holding {mb(len(chunk) * n)} of text with 4 seeded random letters every {len(phrase) * 6} bytes, "
         f"within the ratio limit ({r:.0f}:1) so it is inflated", "cell-text")

    # 100,000 nested tables: every 25th level's closing paragraph holds random text (ratio < 200:1)
    rng = random.Random("docx-nested-tables")
    n = 100_000
    per = 1000
    opening = b"<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc>"
    close_plain = b"<w:p/></w:tc></w:tr></w:tbl>"
    closing = b"".join(b"<w:p><w:r><w:t>" + noise(rng) + b"</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
                       if i % 25 == 0 else close_plain for i in range(per))
    d = Deflate().add(DOC_HEAD)
    d.repeat(opening * per, n // per).add("<w:p><w:r><w:t>最内层</w:t></w:r></w:p>".encode())
    d.repeat(closing, n // per).add(DOC_TAIL)
    r = check_ratio("docx-nested-tables", d)
    docx("docx/nested-tables-100k.docx", d, "docx-nested-tables-100k",
         f"100,000 tables each nested in the previous one's only cell (w:tbl/w:tr/w:tc depth 300,000); "
         f"random text in every 25th cell keeps it within the ratio limit ({r:.0f}:1)", "nesting")

    # element depth 1,000,000: 500,000 nested <w:sdt><w:sdtContent>, every 40th with an sdtPr/alias
    rng = random.Random("docx-nesting")
    n = 500_000
    per = 2000
    opening = b"".join(b'<w:sdt><w:sdtPr><w:alias w:val="' + noise(rng) + b'"/></w:sdtPr><w:sdtContent>'
                       if i % 40 == 0 else b"<w:sdt><w:sdtContent>" for i in range(per))
    d = Deflate().add(DOC_HEAD)
    d.repeat(opening, n // per).add("<w:p><w:r><w:t>最深处</w:t></w:r></w:p>".encode())
    d.repeat(b"</w:sdtContent></w:sdt>" * per, n // per).add(DOC_TAIL)
    r = check_ratio("docx-nesting", d)
    docx("docx/nesting-1m.docx", d, "docx-nesting-1m",
         f"XML element depth 1,000,000: 500,000 nested w:sdt/w:sdtContent around one paragraph; an "
         f"sdtPr alias with random text on every 40th keeps it within the ratio limit ({r:.0f}:1)", "nesting")

    # one row of 1,000,000 cells, every 50th holding random text
    rng = random.Random("docx-cells")
    n = 1_000_000
    per = 5000
    chunk = b"".join(b"<w:tc><w:p><w:r><w:t>" + noise(rng) + b"</w:t></w:r></w:p></w:tc>" if i % 50 == 0
                     else b"<w:tc><w:p/></w:tc>" for i in range(per))
    d = Deflate().add(DOC_HEAD + TBL_HEAD + GOOD_ROWS + b"<w:tr>")
    d.repeat(chunk, n // per).add(b"</w:tr></w:tbl>" + DOC_TAIL)
    r = check_ratio("docx-cells", d)
    docx("docx/row-1m-cells.docx", d, "docx-row-1m-cells",
         f"One table row of 1,000,000 cells (every 50th with random text: within the ratio limit, {r:.0f}:1)",
         "cells")


# ---------------------------------------------------------------------------------------------
# pdf

HELV = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
TEXT = b"BT /F1 12 Tf 72 720 Td (Project budget 292.00 hostile test) Tj ET\n"


def stream(data, extra=b""):
    return b"<<%s /Length %d >>\nstream\n" % (extra, len(data)) + data + b"\nendstream"


def flate(d, extra=b""):
    if not isinstance(d, Deflate):
        d = deflated(d)
    return stream(d.zlib(), extra + b" /Filter /FlateDecode")


def pdf_bytes(objs, trailer=b"", header=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", prev_self=False):
    """objs[i] is object i+1's body. Classic xref table. prev_self: the trailer's /Prev points at
    its own xref section."""
    out = bytearray(header)
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    if prev_self:
        trailer += b" /Prev %d" % xref
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, trailer, xref)
    return bytes(out)


def png_up(data, columns):
    """PNG 'Up' prediction (filter type 2 on every row), as /DecodeParms << /Predictor 12 >> undoes.
    Bytewise (row - previous row) mod 256 done on big integers (SWAR), not byte by byte."""
    assert len(data) % columns == 0
    n = len(data)
    a = int.from_bytes(data, "big")
    b = int.from_bytes(bytes(columns) + data[:n - columns], "big")
    h = int.from_bytes(b"\x80" * n, "big")
    diff = (((a | h) - (b & ~h)) ^ ((a ^ ~b) & h)) & ((1 << (8 * n)) - 1)
    diff = diff.to_bytes(n, "big")
    rows = n // columns
    out = bytearray(rows * (columns + 1))
    out[0::columns + 1] = b"\x02" * rows
    for j in range(columns):
        out[j + 1::columns + 1] = diff[j::columns]
    return bytes(out)


def xref_stream(entries, extra=b""):
    """An XRef stream body for entries [(type, f2, f3)] with W [1 4 4], PNG-Up predicted."""
    rows = b"".join(struct.pack(">BII", *e) for e in entries)
    return flate(png_up(rows, 9), b" /Type /XRef /Size %d /W [1 4 4] /DecodeParms << /Predictor 12 /Columns 9 >>%s"
                 % (len(entries), extra))


def pdf_xref_stream_file(objs, extra_entries=(), root=1):
    """Like pdf_bytes but with a compressed XRef stream (PDF 1.5); extra_entries are (type, f2, f3)
    rows for objects numbered after objs (e.g. objects inside object streams)."""
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    entries = [(0, 0, 0xFFFF)]
    for i, body in enumerate(objs, start=1):
        entries.append((1, len(out), 0))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    entries += list(extra_entries)
    num = len(entries)
    xref = len(out)
    entries.append((1, xref, 0))
    out += b"%d 0 obj\n" % num + xref_stream(entries, b" /Root %d 0 R" % root) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def page_objs(contents, resources=b"", page_extra=b"", mediabox=b"[0 0 595 842]", font=HELV):
    """Objects 1-5: catalog, pages, page, contents, font /F1. The page draws object 4 unless
    page_extra names its own /Contents."""
    cref = b" /Contents 4 0 R" if b"/Contents" not in page_extra else b""
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources << /Font << /F1 5 0 R >>%s >>%s%s >>"
        % (mediabox, resources, cref, page_extra),
        contents,
        font,
    ]


def pdf(rel, data, case, what, limit, kind="hostile"):
    return write(rel, data, kind, case, what, limit)


def rc4(key, data):
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xFF
        s[i], s[j] = s[j], s[i]
    out = bytearray(len(data))
    i = j = 0
    for k, b in enumerate(data):
        i = (i + 1) & 0xFF
        j = (j + s[i]) & 0xFF
        s[i], s[j] = s[j], s[i]
        out[k] = b ^ s[(s[i] + s[j]) & 0xFF]
    return bytes(out)


PDF_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4_40_encrypted():
    """Standard security handler V1/R2 (RC4, 40-bit key), owner password 'owner-secret', EMPTY
    user password: any reader must open it without asking (PDF 1.7 §7.6.3, algorithms 2, 3, 4)."""
    file_id = md5(b"budget-extract hostile rc4-40").digest()
    perms = -44  # print and copy allowed, modify and annotate denied
    owner_pad = (b"owner-secret" + PDF_PAD)[:32]
    user_pad = PDF_PAD  # empty user password
    okey = md5(owner_pad).digest()[:5]
    o_entry = rc4(okey, user_pad)
    key = md5(user_pad + o_entry + struct.pack("<i", perms) + file_id).digest()[:5]
    u_entry = rc4(key, PDF_PAD)

    def obj_key(num, gen=0):
        return md5(key + struct.pack("<I", num)[:3] + struct.pack("<H", gen)).digest()[:10]

    content = rc4(obj_key(4), TEXT + b"BT /F1 12 Tf 72 700 Td (Owner password only, RC4 40-bit) Tj ET\n")
    title = rc4(obj_key(7), b"Encrypted budget sample")
    objs = page_objs(stream(content))
    objs.append(b"<< /Filter /Standard /V 1 /R 2 /Length 40 /O <%s> /U <%s> /P %d >>"
                % (o_entry.hex().encode(), u_entry.hex().encode(), perms))
    objs.append(b"<< /Title <%s> >>" % title.hex().encode())
    trailer = b" /Encrypt 6 0 R /Info 7 0 R /ID [<%s> <%s>]" % (file_id.hex().encode(), file_id.hex().encode())
    return pdf_bytes(objs, trailer)


def png_bytes(w=64, h=64):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes((x * 4 + y * 2) & 0xFF for x in range(w)) for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def make_pdf():
    pdf("good/built-minimal.pdf", pdf_bytes(page_objs(stream(TEXT))), "pdf-built-minimal",
        "This script's own one-page Helvetica text PDF: control for the hostile PDF builder", "none", kind="good")

    n = 300_000
    pdf("pdf/nested-arrays-300k.pdf",
        pdf_bytes(page_objs(stream(TEXT), page_extra=b" /Nested " + b"[" * n + b"0" + b"]" * n)),
        "pdf-nested-arrays-300k", "A text page whose page dictionary holds 300,000 nested arrays [[[...]]]",
        "nesting")

    n = 100_000
    pdf("pdf/nested-dicts-100k.pdf",
        pdf_bytes(page_objs(stream(TEXT), page_extra=b" /Nested " + b"<</A " * n + b"0" + b">>" * n)),
        "pdf-nested-dicts-100k", "A text page whose page dictionary holds 100,000 nested dictionaries <</A <</A ...>>>>",
        "nesting")

    n = 20_000_000
    d = Deflate().add(TEXT).repeat(b"0 0 m " * 100_000, n // 100_000)
    pdf("pdf/operators-20m.pdf", pdf_bytes(page_objs(flate(d))), "pdf-operators-20m",
        f"A text page whose flate content stream then holds 20,000,000 `0 0 m` operators ({mb(d.size)} inflated)",
        "operators")

    n = 5_000_000
    d = Deflate().add(b"BT /F1 1 Tf 72 720 Td ").repeat(b"(a) Tj " * 100_000, n // 100_000).add(b"ET\n" + TEXT)
    pdf("pdf/glyphs-5m.pdf", pdf_bytes(page_objs(flate(d))), "pdf-glyphs-5m",
        f"One content stream of 5,000,000 `(a) Tj` (5M glyphs in Helvetica, {mb(d.size)} inflated)", "glyphs")

    n = 5_000_000
    d = Deflate().add(TEXT).repeat(b"q " * 500_000, n // 500_000).add(TEXT)
    pdf("pdf/q-5m.pdf", pdf_bytes(page_objs(flate(d))), "pdf-q-5m",
        "A content stream of 5,000,000 `q` (graphics-state saves) never restored, text before and after",
        "nesting")

    gib = 1 << 30
    d = Deflate().repeat(bytes(1 << 20), gib >> 20)
    objs = page_objs(stream(TEXT), page_extra=b" /Contents [4 0 R 6 0 R]")
    objs.append(flate(d))
    pdf("pdf/flate-bomb-1g.pdf", pdf_bytes(objs), "pdf-flate-bomb-1g",
        "A text page whose second content stream inflates to 1 GiB of NUL bytes (PDF whitespace); 8 GB "
        "would deflate to ~8 MB, over the 2 MB file cap", "inflate")

    chunk = b"BT /F1 12 Tf 72 720 Td " + b"(budget) Tj " * 87_000 + b"ET\n"
    n = (256 << 20) // len(chunk)
    d = Deflate().add(TEXT).repeat(chunk, n)
    pages = 64
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (5 + i) for i in range(pages)), pages),
            flate(d), HELV]
    for _ in range(pages):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
                    b"/Contents 3 0 R >>")
    pdf("pdf/shared-content-256m-64pages.pdf", pdf_bytes(objs), "pdf-shared-content-256m-64pages",
        f"One content stream of {d.size >> 20} MiB (~22M `(budget) Tj`) shared by all 64 pages", "operators")

    cmap = (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            b"1 begincodespacerange\n<00000000> <FFFFFFFF>\nendcodespacerange\n"
            b"1 beginbfrange\n<00000000> <FFFFFFFF> <0041>\nendbfrange\n"
            b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
    objs = page_objs(stream(TEXT + b"BT /F2 12 Tf 72 700 Td <00410042> Tj ET\n"), resources=b"",
                     page_extra=b"")
    objs[2] = objs[2].replace(b"/F1 5 0 R", b"/F1 5 0 R /F2 6 0 R")
    objs += [b"<< /Type /Font /Subtype /Type0 /BaseFont /Helvetica /Encoding /Identity-H "
             b"/DescendantFonts [7 0 R] /ToUnicode 8 0 R >>",
             b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Helvetica /CIDSystemInfo << /Registry (Adobe) "
             b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor 9 0 R /DW 600 >>",
             stream(cmap),
             b"<< /Type /FontDescriptor /FontName /Helvetica /Flags 32 /FontBBox [0 -200 1000 900] /ItalicAngle 0 "
             b"/Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>"]
    pdf("pdf/tounicode-4g-range.pdf", pdf_bytes(objs), "pdf-tounicode-4g-range",
        "A Type0 (Identity-H) font whose ToUnicode CMap maps bfrange <00000000> <FFFFFFFF> <0041> (4G codes); "
        "text in Helvetica beside it", "tounicode-range")

    # chain of Form XObjects, each drawing the next: as many as fit in 2 MB (streams cannot go in
    # object streams, so each costs ~134 bytes; 100,000 would be ~13 MB)
    n = 14_000
    first = 6
    objs = page_objs(stream(TEXT + b"/X Do\n"), resources=b" /XObject << /X %d 0 R >>" % first)
    for i in range(n):
        num = first + i
        if i == n - 1:
            body = b"BT /F1 12 Tf 0 0 Td (end of chain) Tj ET"
            res = b"<< /Font << /F1 5 0 R >> >>"
        else:
            body = b"/X Do"
            res = b"<</XObject<</X %d 0 R>>>>" % (num + 1)
        objs.append(stream(body, b"/Type/XObject/Subtype/Form/BBox[0 0 9 9]/Resources" + res))
    pdf("pdf/xobject-chain-14k.pdf", pdf_xref_stream_file(objs), "pdf-xobject-chain-14k",
        "A chain of 14,000 Form XObjects, each drawing the next with Do (100,000 asked for would be ~13 MB: "
        "each stream object costs ~134 bytes and streams cannot go in object streams)", "xobject-depth")

    levels = 40
    first = 6
    objs = page_objs(stream(TEXT + b"/X Do\n"), resources=b" /XObject << /X %d 0 R >>" % first)
    for i in range(levels):
        num = first + i
        if i == levels - 1:
            objs.append(stream(b"BT /F1 12 Tf 0 0 Td (leaf) Tj ET",
                               b"/Type/XObject/Subtype/Form/BBox[0 0 9 9]/Resources<< /Font << /F1 5 0 R >> >>"))
        else:
            objs.append(stream(b"q /X Do Q q 1 0 0 1 1 0 cm /X Do Q",
                               b"/Type/XObject/Subtype/Form/BBox[0 0 9 9]/Resources<</XObject<</X %d 0 R>>>>" % (num + 1)))
    pdf("pdf/xobject-dag-2pow40.pdf", pdf_bytes(objs), "pdf-xobject-dag-2pow40",
        "40 levels of Form XObjects, each drawing the next level twice: 2^40 paths to a leaf that shows text",
        "xobject-invocations")

    # Within the depth cap (32) but 2^24 drawings: the count of drawings must stop it.
    levels = 24
    objs = page_objs(stream(TEXT + b"/X Do\n"), resources=b" /XObject << /X %d 0 R >>" % first)
    for i in range(levels):
        num = first + i
        if i == levels - 1:
            objs.append(stream(b"BT /F1 12 Tf 0 0 Td (leaf) Tj ET",
                               b"/Type/XObject/Subtype/Form/BBox[0 0 9 9]/Resources<< /Font << /F1 5 0 R >> >>"))
        else:
            objs.append(stream(b"q /X Do Q q 1 0 0 1 1 0 cm /X Do Q",
                               b"/Type/XObject/Subtype/Form/BBox[0 0 9 9]/Resources<</XObject<</X %d 0 R>>>>" % (num + 1)))
    pdf("pdf/xobject-dag-2pow24.pdf", pdf_bytes(objs), "pdf-xobject-dag-2pow24",
        "24 levels of Form XObjects (within any depth cap), each drawing the next twice: 2^24 drawings on one page",
        "xobject-invocations")

    # A genuine-looking page whose content inflates to 100 MiB of spaces: read with the default
    # memory per document, past a small one (--doc-memory 256).
    d = Deflate().add(TEXT).repeat(b" " * (1 << 20), 100)
    pdf("pdf/content-100m-spaces.pdf", pdf_bytes(page_objs(flate(d))), "pdf-content-100m-spaces",
        "A text page whose content stream inflates to 100 MiB (mostly spaces): within the stream caps, "
        "heavy for a worker with little memory", "memory")

    content = (TEXT + b"q 100 0 0 100 72 500 cm\nBI /W 100000 /H 100000 /CS /G /BPC 8 ID\n" + bytes(16)
               + b"\nEI Q\nBT /F1 12 Tf 72 400 Td (after the image) Tj ET\n")
    pdf("pdf/inline-image-huge.pdf", pdf_bytes(page_objs(stream(content))), "pdf-inline-image-huge",
        "An inline image claiming /W 100000 /H 100000 8-bit gray (10 GB) with 16 bytes of data, text around it",
        "memory")

    rng = random.Random("pdf-tounicode-garbage")
    garbage = (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n1 begincodespacerange\n<00> <FF>\n"
               b"endcodespacerange\n3 beginbfchar\n<41> <0041>\n<42> <D800>\n<43> <\n" + rng.randbytes(300)
               + b"\n2 beginbfrange\n<20> <7E> <0020>\n<41> <")
    objs = page_objs(stream(TEXT), font=HELV[:-2] + b"/ToUnicode 6 0 R >>")
    objs.append(stream(garbage))
    pdf("pdf/tounicode-garbage.pdf", pdf_bytes(objs), "pdf-tounicode-garbage",
        "Helvetica with a ToUnicode stream of random bytes, a lone surrogate and a truncated bfrange; the "
        "text should still come out", "none")

    objs = page_objs(stream(TEXT))
    objs[1] = b"<< /Type /Pages /Kids [3 0 R 3 0 R 3 0 R 3 0 R 3 0 R] /Count 5 >>"
    pdf("pdf/kids-duplicate.pdf", pdf_bytes(objs), "pdf-kids-duplicate",
        "A page tree whose /Kids lists the same page 5 times", "page-tree-cycle")

    objs = page_objs(stream(TEXT))
    objs[1] = b"<< /Type /Pages /Kids [3 0 R 2 0 R 6 0 R] /Count 3 >>"
    objs.append(b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 6 0 R] /Count 1 >>")
    pdf("pdf/kids-cycle.pdf", pdf_bytes(objs), "pdf-kids-cycle",
        "A page tree whose root Pages node lists itself in /Kids, plus a child Pages node listing the root "
        "and itself", "page-tree-cycle")

    pdf("pdf/prev-loop.pdf", pdf_bytes(page_objs(stream(TEXT)), prev_self=True), "pdf-prev-loop",
        "A readable one-page text PDF whose trailer /Prev points at its own xref section (incremental-update "
        "loop); the text should come out", "none")

    pdf("pdf/mediabox-1e9.pdf", pdf_bytes(page_objs(stream(TEXT), mediabox=b"[0 0 1000000000 1000000000]")),
        "pdf-mediabox-1e9", "A readable text page with MediaBox [0 0 1000000000 1000000000]", "none")

    pdf("pdf/rc4-40-owner-only.pdf", rc4_40_encrypted(), "pdf-rc4-40-owner-only",
        "RC4 40-bit (V1 R2) encrypted with an owner password only and an EMPTY user password: a reader "
        "should open it without a password and get the text", "encryption", kind="special")

    # 1,000,000 `null` objects in 10 object streams; fixed-width (zero-padded) index entries and
    # PNG-Up prediction make them compress (plain `N 0 obj null endobj` would be ~24 MB)
    total, per = 1_000_000, 100_000
    objs = page_objs(stream(TEXT))
    first_null = len(objs) + 1 + total // per  # after the 5 page objects and the 10 object streams
    extra = []
    for s in range(total // per):
        stm_num = len(objs) + 1
        base = first_null + s * per
        index = b"".join(b"%07d %07d " % (base + i, 16 * i) for i in range(per))
        body = b"null            " * per
        objs.append(flate(png_up(index + body, 16), b" /Type /ObjStm /N %d /First %d /DecodeParms << /Predictor 12 "
                          b"/Columns 16 >>" % (per, len(index))))
        extra += [(2, stm_num, i) for i in range(per)]
    data = pdf_xref_stream_file(objs, extra)
    pdf("pdf/objects-1m-null.pdf", data, "pdf-objects-1m-null",
        "A text page plus 1,000,000 `null` objects in 10 object streams (PNG-predicted flate; plain "
        "`N 0 obj null endobj` objects would be ~24 MB) indexed by a compressed XRef stream", "memory")

    write("misc/png-named.pdf", png_bytes(), "hostile", "misc-png-named-pdf", "A 64x64 gray PNG image named .pdf",
          "none")


# ---------------------------------------------------------------------------------------------
# xlsx

X_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CT_BASE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
XLSX_TYPES = (XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              '<Default Extension="xml" ContentType="application/xml"/>'
              f'<Override PartName="/xl/workbook.xml" ContentType="{CT_BASE}.sheet.main+xml"/>'
              f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT_BASE}.worksheet+xml"/>'
              f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT_BASE}.sharedStrings+xml"/>'
              f'<Override PartName="/xl/styles.xml" ContentType="{CT_BASE}.styles+xml"/></Types>').encode()
XLSX_RELS = (XML_DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             f'<Relationship Id="rId1" Type="{R_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode()
WORKBOOK = (XML_DECL + f'<workbook xmlns="{X_NS}" xmlns:r="{R_NS}"><sheets>'
            '<sheet name="绩效目标" sheetId="1" r:id="rId1"/></sheets></workbook>').encode()
WORKBOOK_RELS = (XML_DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 f'<Relationship Id="rId1" Type="{R_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
                 f'<Relationship Id="rId2" Type="{R_NS}/sharedStrings" Target="sharedStrings.xml"/>'
                 f'<Relationship Id="rId3" Type="{R_NS}/styles" Target="styles.xml"/></Relationships>').encode()
STYLES = (XML_DECL + f'<styleSheet xmlns="{X_NS}"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
          '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
          '<cellXfs count="1"><xf xfId="0"/></cellXfs></styleSheet>').encode()
GOOD_STRINGS = ["项目名称", "测试项目", "一级指标", "二级指标", "三级指标", "指标值", "产出指标", "数量指标", "合计人数"]
GOOD_SHEET_ROWS = (b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
                   b'<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c><c r="C2" t="s"><v>4</v></c>'
                   b'<c r="D2" t="s"><v>5</v></c></row>'
                   b'<row r="3"><c r="A3" t="s"><v>6</v></c><c r="B3" t="s"><v>7</v></c><c r="C3" t="s"><v>8</v></c>'
                   b'<c r="D3"><v>100</v></c></row>')


def sheet_head(dim=b"A1:D3"):
    return (XML_DECL + f'<worksheet xmlns="{X_NS}" xmlns:r="{R_NS}">').encode() + b'<dimension ref="%s"/><sheetData>' % dim


def sst(strings):
    items = b"".join(b'<si><t xml:space="preserve">' + (s.encode() if isinstance(s, str) else s) + b"</t></si>"
                     for s in strings)
    return (XML_DECL + f'<sst xmlns="{X_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">').encode() + items + b"</sst>"


def xlsx(rel, sheet, case, what, limit, strings=None, kind="hostile"):
    """sheet: bytes (the whole worksheet part) or a Deflate of it; strings: the sharedStrings part."""
    d = sheet if isinstance(sheet, Deflate) else deflated(sheet)
    s = strings if strings is not None else sst(GOOD_STRINGS)
    s = s if isinstance(s, Deflate) else deflated(s)
    data = zip_file([("[Content_Types].xml", XLSX_TYPES), ("_rels/.rels", XLSX_RELS), ("xl/workbook.xml", WORKBOOK),
                     ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS), ("xl/worksheets/sheet1.xml", d),
                     ("xl/sharedStrings.xml", s), ("xl/styles.xml", STYLES)])
    if d.size > 1 << 20:
        what = f"{what} [sheet1.xml {mb(d.size)} inflated, {d.ratio():.0f}:1]"
    return write(rel, data, kind, case, what, limit)


def col_name(i):
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def make_xlsx():
    end = b"</sheetData></worksheet>"
    xlsx("good/built-minimal.xlsx", sheet_head() + GOOD_SHEET_ROWS + end, "xlsx-built-minimal",
         "This script's own minimal xlsx (项目名称 and a 一级/二级/三级指标 grid): control for the hostile xlsx "
         "builder", "none", kind="good")

    xlsx("xlsx/dimension-max.xlsx",
         sheet_head(b"A1:XFD1048576") + b'<row r="1048576"><c r="XFD1048576" t="s"><v>0</v></c></row>' + end,
         "xlsx-dimension-max", 'A sheet declaring <dimension ref="A1:XFD1048576"/> with its one cell at XFD1048576',
         "sheet-dims")

    xlsx("xlsx/corners-a1-xfd1048576.xlsx",
         sheet_head(b"A1:XFD1048576") + b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
         b'<row r="1048576"><c r="XFD1048576" t="s"><v>1</v></c></row>' + end,
         "xlsx-corners", "Two real cells, A1 and XFD1048576: the used range is the whole sheet (17G cells)",
         "sheet-dims")

    cols = 702
    row = b"<row>" + b"<c><v>1</v></c>" * cols + b"</row>"
    rows = 80_000
    d = Deflate().add(sheet_head(b"A1:ZZ%d" % rows)).repeat(row * 100, rows // 100).add(end)
    xlsx("xlsx/cells-80k-x-702-bomb.xlsx", d, "xlsx-cells-80k-x-702-bomb",
         f"{rows:,} rows x 702 columns (A:ZZ) of <c><v>1</v></c> (56M cells; zip bomb over the 200:1 ratio). "
         "200,000 rows do not fit in 2 MB (period-15 XML deflates only ~470:1)", "inflate")

    rng = random.Random("xlsx-cells-in-ratio")
    rows = 20_000
    chunk = b"".join(b"<row>" + b"".join(b"<c><v>%d</v></c>" % rng.randrange(10 ** 6) if (r * cols + i) % 100 == 0
                                        else b"<c><v>1</v></c>" for i in range(cols)) + b"</row>" for r in range(100))
    d = Deflate().add(sheet_head(b"A1:ZZ%d" % rows)).repeat(chunk, rows // 100).add(end)
    r = check_ratio("xlsx-cells-in-ratio", d)
    xlsx("xlsx/cells-20k-x-702-in-ratio.xlsx", d, "xlsx-cells-20k-x-702-in-ratio",
         f"{rows:,} rows x 702 columns of numbers (14M cells), every 100th cell random, within the ratio limit "
         f"({r:.0f}:1) so it is parsed; 200,000 rows would need ~20 MB", "cells")

    phrase = "预算执行率达到百分之百；".encode()
    big = phrase * (1_000_000 // len(phrase))
    rows, cols = 1000, 200
    cells = b"".join(b"<row r=\"%d\">" % (r + 1) + b"".join(b'<c r="%s%d" t="s"><v>0</v></c>' % (col_name(c).encode(), r + 1)
                                                         for c in range(cols)) + b"</row>" for r in range(rows))
    d = Deflate().add(sheet_head(b"A1:%s%d" % (col_name(cols - 1).encode(), rows)) + cells + end)
    r = check_ratio("xlsx-sst", d)
    xlsx("xlsx/shared-string-1mb-x200k.xlsx", d, "xlsx-shared-string-1mb-x200k",
         f"One {len(big):,}-byte shared string referenced by 200,000 cells (1000 rows x 200 columns): 200 GB if "
         f"every cell copies it; sheet within ratio ({r:.0f}:1), sharedStrings under 1 MiB",
         "shared-strings", strings=sst([big]))

    xlsx("xlsx/merge-whole-sheet.xlsx",
         sheet_head(b"A1:B1") + b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row></sheetData>'
         b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>',
         "xlsx-merge-whole-sheet", "One merged range covering the whole sheet, A1:XFD1048576", "merges")

    merges = b"".join(b'<mergeCell ref="A%d:CV%d"/>' % (i + 1, i + 100) for i in range(10_000))
    xlsx("xlsx/merges-10k-overlapping.xlsx",
         sheet_head() + GOOD_SHEET_ROWS + b'</sheetData><mergeCells count="10000">' + merges + b"</mergeCells></worksheet>",
         "xlsx-merges-10k-overlapping",
         "10,000 merged ranges A{i}:CV{i+99}, each overlapping 99 others (100 columns x 100 rows each)", "merges")

    rng = random.Random("xlsx-inline-string")
    pieces, size = [], 0
    while size < 1_048_576:
        p = phrase * 12 + noise(rng, 4)
        pieces.append(p)
        size += len(p)
    chunk = b"".join(pieces)
    n = 100_000_000 // len(chunk)
    d = Deflate().add(sheet_head(b"A1:B2") + GOOD_SHEET_ROWS[:GOOD_SHEET_ROWS.index(b"</row>")]
                      + b'<c r="C1" t="inlineStr"><is><t xml:space="preserve">')
    d.repeat(chunk, n).add(b"</t></is></c></row>" + end)
    r = check_ratio("xlsx-inline", d)
    xlsx("xlsx/inline-string-100mb.xlsx", d, "xlsx-inline-string-100mb",
         f"One inline-string cell of {mb(len(chunk) * n)} (Chinese text, 4 random letters every {len(phrase) * 12} bytes), within "
         f"the ratio limit ({r:.0f}:1)", "cell-text")


# ---------------------------------------------------------------------------------------------
# text dumps, misc, good

def make_text():
    sample = (SAMPLES / "000_5439077655b7c2d3.txt").read_bytes()
    lines = sample.split(b"\n")

    n = (MAX_FILE - 1) // 2
    write("text/tab-lines-1m.txt", b"\t\n" * n, "hostile", "text-tab-lines-1m",
          f"{n:,} lines holding only a TAB ({n * 2:,} bytes; the 9 million asked for would be 18 MB, over the "
          "2 MB cap)", "rows")

    flat = sample.replace(b"\n", b" ").replace(b"\t", b" ").decode()
    text = (flat * (1_900_000 // len(flat.encode()) + 1)).encode()[:1_900_000].decode("utf-8", "ignore").encode()
    write("text/long-line-1.9mb.txt", text, "hostile", "text-long-line-1.9mb",
          f"One {len(text):,}-byte line of the sample's text (tabs and newlines made spaces), no newline", "cell-text")

    head = b"\n".join(lines[:200]) + b"\n"
    write("text/utf16le-nobom.txt", head.decode().encode("utf-16-le"), "hostile", "text-utf16le-nobom",
          "The sample's first 200 lines as UTF-16LE without a BOM (should be detected and read)", "encoding")

    mid = sample.index(b"\n", len(sample) // 2) + 1
    write("text/utf8-3-invalid-bytes.txt", sample[:mid] + b"\x80\xbf\xff" + sample[mid:], "hostile",
          "text-utf8-invalid-bytes",
          "The sample as UTF-8 with 3 invalid bytes (80 BF FF) at the start of a line in the middle; a reader "
          "must not fall back to GB18030 for the whole file", "encoding")

    t = sample.decode()
    t = t.replace("件", "\x08件").replace("项目名称", "项目\u200b名称").replace("预算数", "预\u202e算数")
    t = t.replace("绩效目标", "绩效\u200d目标").replace("万元", "万\ufeff元").replace("资金", "\u2066资金\u2069")
    t = t.replace("49.70", "49\u200b.70").replace("一级指标", "\x1b一级指标")
    write("text/control-chars.txt", t.encode(), "hostile", "text-control-chars",
          "The sample with control and invisible characters inside labels and values: \\x08 before 件, \\x1b "
          "before 一级指标, U+200B in 项目名称 and 49.70, U+202E in 预算数, U+200D, U+FEFF, U+2066/U+2069",
          "control-chars")


def make_misc():
    os.symlink("/dev/zero", OUT / "misc" / "zero.txt")
    record("misc/zero.txt", "special", "misc-symlink-dev-zero", "A symlink zero.txt -> /dev/zero (endless reads)",
           "not-regular-file")
    os.mkfifo(OUT / "misc" / "pipe.txt")
    record("misc/pipe.txt", "special", "misc-fifo", "A FIFO with no writer: open() for reading blocks forever",
           "not-regular-file")
    good = (SAMPLES / "001_5c85cbf3a97b1726.docx").read_bytes()
    for han in ("二", "三"):
        name = b"misc/" + f"项目{han}.docx".encode("gbk")
        write(name, good, "special", f"misc-gbk-name-{'two' if han == '二' else 'three'}",
              f"A copy of samples/001_5c85cbf3a97b1726.docx named 项目{han}.docx in GBK bytes (not UTF-8): "
              "the two names differ only in non-UTF-8 bytes and are equal after lossy UTF-8 decoding", "filename")
    write("misc/empty.docx", b"", "hostile", "misc-empty", "A 0-byte file named .docx", "none")
    write("misc/random.bin", random.Random("misc-random").randbytes(1 << 20), "hostile", "misc-random",
          "1 MiB of seeded random bytes", "none")


def make_good():
    for src in [SAMPLES / "000_5439077655b7c2d3.txt", SAMPLES / "001_5c85cbf3a97b1726.docx",
                SAMPLES / "000_5439077655b7c2d3.pdf"] + sorted((ROOT / "tests" / "fixtures" / "xlsx").glob("*.xlsx"))[:1]:
        write(f"good/{src.name}", src.read_bytes(), "good", f"good-{src.suffix[1:]}",
              f"Copy of {src.relative_to(ROOT)}", "none")


def main():
    global OUT
    if len(sys.argv) != 2:
        sys.exit("usage: make_hostile.py OUTDIR")
    OUT = Path(sys.argv[1]).absolute()
    if OUT.exists():
        if not OUT.is_dir() or OUT.is_symlink():
            sys.exit(f"{OUT} exists and is not a directory")
        strangers = [p.name for p in OUT.iterdir() if p.name not in SUBDIRS]
        if strangers:
            sys.exit(f"{OUT} holds {strangers[:5]}: not emptying a folder this script did not write")
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    for s in SUBDIRS:
        (OUT / s).mkdir()
    make_good()
    make_docx()
    make_pdf()
    make_xlsx()
    make_text()
    make_misc()
    MANIFEST.sort(key=lambda e: e.get("path") or bytes(e["path_bytes"]).decode("latin-1"))
    manifest = OUT.parent / (OUT.name + ".manifest.json")
    manifest.write_text(json.dumps(MANIFEST, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(MANIFEST)} files in {OUT}, manifest {manifest}")


if __name__ == "__main__":
    main()
