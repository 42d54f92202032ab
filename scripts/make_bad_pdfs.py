#!/usr/bin/env python3
"""Bad PDF fixtures for tests/pdf.rs (committed under tests/fixtures/bad/):

  scanned.pdf          reportlab: one page holding only an image (a rendered sample page), no text
  xobject-cycle.pdf    written by hand: a Form XObject whose resources name itself and which draws
                       itself (`/X0 Do`), the loop that overflows naive readers' stacks
  encrypted-user.pdf   qpdf --encrypt with a user password (cannot be opened without it)
  encrypted-empty.pdf  qpdf --encrypt with an empty user password (opens without one)

    target/pyenv/bin/python scripts/make_bad_pdfs.py   (needs reportlab and Debian's qpdf, poppler-utils)
"""
import pathlib
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "fixtures" / "bad"


def scanned(path):
    from reportlab.pdfgen import canvas

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1",
                        str(ROOT / "samples" / "000_5439077655b7c2d3.pdf"), f"{tmp}/page"], check=True)
        png = next(pathlib.Path(tmp).glob("page*.png"))
        c = canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
        c.drawImage(str(png), 0, 0, width=595, height=842)
        c.showPage()
        c.save()


def xobject_cycle(path):
    form = b"q 1 0 0 1 1 1 cm /X0 Do Q"
    page = b"BT /F1 12 Tf 72 720 Td (loop) Tj ET /X0 Do"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 6 0 R >> /XObject << /X0 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(page) + page + b"\nendstream",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /X0 5 0 R >> >> /Length %d >>\nstream\n" % len(form) + form + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def encrypted(path, user):
    src = ROOT / "samples" / "cjk" / "stsong-ucs2.pdf"
    subprocess.run(["qpdf", "--encrypt", user, "owner-secret", "256", "--", str(src), str(path)], check=True)


def main():
    BAD.mkdir(parents=True, exist_ok=True)
    scanned(BAD / "scanned.pdf")
    xobject_cycle(BAD / "xobject-cycle.pdf")
    encrypted(BAD / "encrypted-user.pdf", "user-secret")
    encrypted(BAD / "encrypted-empty.pdf", "")
    for p in sorted(BAD.glob("*.pdf")):
        print(p, p.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
