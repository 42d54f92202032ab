"""LibreOffice Writer prints of the seeds with page furniture: the seed .docx (the same table XML,
written by scripts/make_docx_samples.py from the dump) with a header part (the unit name in a
paragraph with a bottom border: a rule), a footer part 第 PAGE 页 共 NUMPAGES 页 (fields), three
drawing shapes turned by 35° anchored in the header holding 公开 in light grey (in front of the
text; added to the document's ODF form, see add_watermark),
a landscape section for one project, or a 16 pt default size (rows cut by page breaks: Word rows
may break across pages). `soffice --headless --convert-to pdf`; the PDF's date, /ID and checksum
fixed as scripts/make_variant_samples.py does.
"""
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from xml.sax.saxutils import escape

from . import model

sys.path.insert(0, str(model.ROOT / "scripts"))
import make_docx_samples as docx  # noqa: E402
import make_variant_samples as variants  # noqa: E402  (fix_pdf)

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"')
EMU = 12700  # per point


def sect_pr(furniture, landscape):
    refs = ""
    if furniture:
        refs = '<w:headerReference w:type="default" r:id="rIdH"/><w:footerReference w:type="default" r:id="rIdF"/>'
    size = '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>' if landscape else '<w:pgSz w:w="11906" w:h="16838"/>'
    return (f'<w:sectPr>{refs}{size}<w:pgMar w:top="1417" w:right="1134" w:bottom="1417" w:left="1134" '
            'w:header="624" w:footer="624" w:gutter="0"/></w:sectPr>')


def header_xml(unit):
    rule = ""
    text = ""
    if unit:
        rule = '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
        text = f'<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t>{escape(unit)}</w:t></w:r>'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {NS}><w:p><w:pPr>{rule}<w:jc w:val="center"/>'
            f'</w:pPr>{text}</w:p></w:hdr>')


# The watermark: LibreOffice 7.4 does not turn the text of a rotated DOCX text box, and draws Word's
# VML WordArt watermark as outlines, so the shapes go into the header of the document's ODF form
# (soffice --convert-to fodt), as drawing shapes with text of their own, then that is printed.
WM_STYLES = (
    '<style:style style:name="WmG" style:family="graphic"><style:graphic-properties draw:stroke="none" draw:fill="none" '
    'style:run-through="foreground" style:wrap="run-through" draw:textarea-horizontal-align="center" '
    'draw:textarea-vertical-align="middle" draw:auto-grow-width="true" draw:auto-grow-height="true" '
    'style:vertical-pos="from-top" style:vertical-rel="page" style:horizontal-pos="from-left" style:horizontal-rel="page"/>'
    '</style:style><style:style style:name="WmP" style:family="paragraph"><style:text-properties fo:font-size="60pt" '
    'style:font-size-asian="60pt" fo:color="#{grey}"/></style:style>')
WM_SHAPE = (
    '<draw:custom-shape text:anchor-type="paragraph" draw:z-index="{z}" draw:name="Watermark {k}" draw:style-name="WmG" '
    'svg:width="5cm" svg:height="2.5cm" draw:transform="rotate ({angle:.7f}) translate ({x}cm {y}cm)">'
    '<text:p text:style-name="WmP">{text}</text:p><draw:enhanced-geometry svg:viewBox="0 0 21600 21600" '
    'draw:type="rectangle"/></draw:custom-shape>')


def add_watermark(fodt):
    import math
    import re
    data = fodt.read_text(encoding="utf-8")
    grey = "%02x" % round(model.WATERMARK_GREY * 255)
    data = data.replace("</office:automatic-styles>", WM_STYLES.format(grey=grey * 3) + "</office:automatic-styles>", 1)
    shapes = "".join(WM_SHAPE.format(z=20 + k, k=k, angle=math.radians(model.WATERMARK_ANGLE), x=x, y=y, text=model.WATERMARK)
                     for k, (x, y) in enumerate(((2.5, 8.0), (7.0, 16.5), (11.5, 25.0))))
    head = re.search(r"<style:header>\s*<text:p\b[^>]*?(/?)>", data)
    assert head, "no header paragraph in the converted document"
    if head.group(1):  # an empty <text:p .../>
        tag = head.group(0)[:-2] + ">" + shapes + "</text:p>"
    else:
        tag = head.group(0) + shapes
    data = data[:head.start()] + tag + data[head.end():]
    fodt.write_text(data, encoding="utf-8")


FOOTER = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {NS}><w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
          '<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t>第</w:t></w:r>'
          '<w:fldSimple w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'
          '<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">页 共</w:t></w:r>'
          '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'
          '<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t>页</w:t></w:r></w:p></w:ftr>')
EMPTY_FOOTER = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {NS}><w:p/></w:ftr>'


def styles_xml(half_points):
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:styles {NS}><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
            '</w:rPr></w:rPrDefault></w:docDefaults></w:styles>')


def document_xml(items, furniture, landscape_title):
    body, prev_table = [], False
    for item in items:
        if item[0] == "para":
            if landscape_title is not None and item[1] == landscape_title:
                body.append(f"<w:p><w:pPr>{sect_pr(furniture, False)}</w:pPr></w:p>")  # portrait section ends
            body.append(docx.paragraph(item[1], item[2]))
            prev_table = False
        else:
            if prev_table:
                body.append("<w:p/>")
                if landscape_title is not None and land_end(body):
                    pass
            body.append(docx.block_table(item[2]) if item[1] == "block" else docx.grid_table(item[2]))
            prev_table = True
            if landscape_title is not None and item[1] == "grid" and body_in_landscape(body, landscape_title):
                body.append(f"<w:p><w:pPr>{sect_pr(furniture, True)}</w:pPr></w:p>")  # landscape section ends
                prev_table = False
    body.append("<w:p/>")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {NS}><w:body>{"".join(body)}'
            f"{sect_pr(furniture, False)}</w:body></w:document>")


def land_end(body):
    return False


def body_in_landscape(body, title):
    """True for the first grid after the landscape project's title (its section then ends)."""
    marker = escape(title)
    joined = "".join(body)
    at = joined.rfind(marker)
    return at >= 0 and joined.count("<w:tbl>", at) == 2 and "w:orient" not in joined[at:]


CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>"""
DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rIdF" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"""


def write_docx(path, stem, variant):
    furniture, land, half_points = VARIANTS[variant][:3]
    items = docx.parse_dump((model.ROOT / "samples" / f"{stem}.txt").read_text(encoding="utf-8"))
    docx.paragraph.__defaults__[1][0] = 0  # bookmark ids from 1 in every document
    title = None
    if land:
        titles = [it[1] for it in items if it[0] == "para" and it[1].endswith("绩效目标表")]
        title = titles[model.LANDSCAPE_PROJECT[stem]]
    unit = model.unit_name(model.read_seed(stem))
    parts = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", docx.RELS),
             ("word/_rels/document.xml.rels", DOC_RELS),
             ("word/document.xml", document_xml(items, bool(furniture), title)),
             ("word/styles.xml", styles_xml(half_points))]
    parts += [("word/header1.xml", header_xml(unit if "header" in furniture else "")),
              ("word/footer1.xml", FOOTER if "header" in furniture else EMPTY_FOOTER)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"))


def soffice():
    exe = shutil.which("soffice")
    if not exe:
        raise SystemExit("LibreOffice not found: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui")
    return exe


def convert(src, outdir, profile, to="pdf"):
    subprocess.run([soffice(), f"-env:UserInstallation={pathlib.Path(profile).as_uri()}", "--headless",
                    "--convert-to", to, "--outdir", str(outdir), str(src)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)


def make(stem, variant, path):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        src = tmp / f"{stem}.{variant}.docx"
        write_docx(src, stem, variant)
        if "watermark" in VARIANTS[variant][0]:
            convert(src, tmp, tmp / "profile", "fodt")
            src = tmp / f"{stem}.{variant}.fodt"
            add_watermark(src)
        convert(src, tmp, tmp / "profile")
        shutil.copy(tmp / f"{stem}.{variant}.pdf", path)
    variants.fix_pdf(path)


VARIANTS = {
    # name: (furniture, landscape, default size in half-points, what it tests)
    "header-footer": (("header",), False, 21, "header part: unit name over a paragraph border (a rule); footer 第N页 共M页 (PAGE, NUMPAGES fields)"),
    "watermark": (("watermark",), False, 21, "公开 in three drawing shapes turned by 35°, light grey, in front of the text, anchored in the header (every page)"),
    "landscape": ((), True, 21, "one project in a landscape section between portrait sections"),
    "large": ((), False, 32, "16 pt default size: table rows cut by page breaks"),
}
