#!/usr/bin/env python3
"""The PDF producer corpus (samples/producers/, issue 13 part 6): the two seed documents printed
through five real producers, each in its own layouts and in the same variations, with reference
glyph positions from poppler and pdfminer (tests/fixtures/glyphs/).

  libreoffice/  LibreOffice Writer from a .docx (page furniture, landscape section, 16 pt)
  reportlab/    reportlab platypus, STSong-Light (UniGB-UCS2-H, not embedded); grid, 三线表, a rule
                under every row, an outer frame with a rule under every row, no rules; codes and 依据 that run past their cell
  chromium/     headless Chromium --print-to-pdf of HTML tables (Type 3 CJK fonts): bordered,
                borderless, <thead> repeated on page breaks
  rawgbk/       a minimal writer of our own: SimSun/SimHei not embedded, GBK-EUC-H, a real /W,
                one Tj per printed line
  calc/         LibreOffice Calc printing an .xlsx written by openpyxl, unwrapped cells running
                into empty neighbours
Each also with a running header and footer 第N页 共M页, a 公开 watermark at 35° three times a page,
one landscape page (or section) among portrait ones, and 16 pt text whose rows page breaks cut.
The truth of every file is its seed .docx's records (samples/<seed>.docx): every cell and
paragraph holds the seed's text; headers, footers and watermarks are furniture. The script checks
that each PDF holds every character of its seed's content (pdfplumber) and fails if one is lacking.

    python3 scripts/make_producer_pdfs.py                 # everything (about five minutes)
    python3 scripts/make_producer_pdfs.py --only reportlab rawgbk

Needs LibreOffice (Writer, Calc), Chromium, poppler-utils and the Noto CJK fonts (installed with
apt-get when missing and apt-get is there), and reportlab, pdfplumber and openpyxl: when the
running Python lacks them they are installed into target/pyenv (scripts/setup-python.sh) and the
script runs again with that Python. Deterministic: the same bytes on every run on the same
versions (reportlab invariant mode; dates, /ID and checksums of the LibreOffice and Chromium
PDFs fixed; zip members of the intermediate .docx/.xlsx with fixed times).
"""
import argparse
import os
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
PY_NEEDS = ["reportlab>=4", "pdfplumber>=0.11", "openpyxl>=3.1"]
APT_NEEDS = {"soffice": ["libreoffice-writer-nogui", "libreoffice-calc-nogui"], "chromium": ["chromium"],
             "pdftotext": ["poppler-utils"], "fc-list": ["fontconfig"]}


def ensure_python():
    try:
        import openpyxl  # noqa: F401
        import pdfplumber  # noqa: F401
        import reportlab  # noqa: F401
        return
    except ImportError:
        pass
    py = ROOT / "target" / "pyenv" / "bin" / "python"
    if pathlib.Path(sys.executable).resolve() == py.resolve() and os.environ.get("MAKE_PRODUCERS_REEXEC"):
        raise SystemExit("reportlab, pdfplumber or openpyxl still missing in target/pyenv")
    py = pathlib.Path(subprocess.run(["bash", str(ROOT / "scripts" / "setup-python.sh")], check=True,
                                     capture_output=True, text=True).stdout.strip())
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PY_NEEDS], check=True)
    os.environ["MAKE_PRODUCERS_REEXEC"] = "1"
    os.execv(str(py), [str(py), __file__, *sys.argv[1:]])


def ensure_tools():
    missing = [pkg for tool, pkgs in APT_NEEDS.items() if not shutil.which(tool) for pkg in pkgs]
    has_cjk = shutil.which("fc-list") and subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip()
    if not has_cjk:
        missing.append("fonts-noto-cjk")
    if not missing:
        return
    if not shutil.which("apt-get"):
        raise SystemExit(f"missing: {' '.join(missing)} (Debian packages)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, "fonts-noto-cjk"],
                   check=True, env=env)


def producers():
    from producers import calc, chrome, lo, raw, rl
    return {
        "libreoffice": (lo, "LibreOffice Writer 7.4 (soffice --convert-to pdf) from a .docx made like the seed's"),
        "reportlab": (rl, "reportlab platypus, STSong-Light (UniGB-UCS2-H, not embedded)"),
        "chromium": (chrome, "headless Chromium --print-to-pdf (Skia; Type 3 CJK fonts)"),
        "rawgbk": (raw, "our minimal writer: SimSun/SimHei not embedded, GBK-EUC-H, /W [814 907 500 7716 [500]]"),
        "calc": (calc, "LibreOffice Calc 7.4 printing an .xlsx written by openpyxl"),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", help="producers to build (default: all)")
    ap.add_argument("--no-glyphs", action="store_true", help="do not write tests/fixtures/glyphs/")
    a = ap.parse_args()
    ensure_python()
    ensure_tools()
    sys.path.insert(0, str(ROOT / "scripts"))
    from producers import glyphs, model

    out_root = ROOT / "samples" / "producers"
    glyph_root = ROOT / "tests" / "fixtures" / "glyphs"
    table = producers()
    chosen = a.only or list(table)
    rows, failures = [], []
    for name in chosen:
        mod, what = table[name]
        folder = out_root / name
        folder.mkdir(parents=True, exist_ok=True)
        made = set()
        for variant, spec in mod.VARIANTS.items():
            for stem in model.SEEDS:
                pdf = folder / f"{stem}.{variant}.pdf"
                mod.make(stem, variant, pdf)
                made.add(pdf.name)
                texts = model.all_text(model.read_seed(stem))
                lack, sizes = glyphs.missing_content(pdf, texts)
                land = [str(k + 1) for k, (w, h) in enumerate(sizes) if w > h]
                status = "ok" if not lack else "MISSING " + "".join(sorted(lack.elements()))
                if lack:
                    failures.append(f"{name}/{pdf.name}: {status}")
                print(f"{name}/{pdf.name}: {len(sizes)} pages, {pdf.stat().st_size} bytes, content {status}", flush=True)
                rows.append((name, pdf.name, stem, variant, spec[-1], len(sizes), ",".join(land)))
                if not a.no_glyphs:
                    gdir = glyph_root / name
                    gdir.mkdir(parents=True, exist_ok=True)
                    (gdir / f"{pdf.stem}.tsv").write_text(glyphs.poppler_words(pdf), encoding="utf-8")
                    (gdir / f"{pdf.stem}.chars.tsv").write_text(glyphs.plumber_chars(pdf), encoding="utf-8")
        stale = sorted(p.name for p in folder.glob("*.pdf") if p.name not in made)
        if stale:
            print(f"{name}: not made by this script (remove them?): {', '.join(stale)}")
    if not a.only:
        write_readme(out_root / "README.md", rows, table, model)
    if failures:
        print("content lacking:\n  " + "\n  ".join(failures))
        sys.exit(1)


def write_readme(path, rows, table, model):
    lines = [
        "# The PDF producer corpus",
        "",
        "Made by `scripts/make_producer_pdfs.py` (issue 13, part 6; see its docstring and the modules in",
        "`scripts/producers/`). The two seed documents printed through five real producers, each in its own",
        "layouts and in the same variations. **Truth**: every file holds exactly the content of its seed's",
        "`.docx` and must give that `.docx`'s records (`samples/000_5439077655b7c2d3.docx`: 4 projects, 44",
        "indicator rows; `samples/001_5c85cbf3a97b1726.docx`: 7 projects, 63 indicator rows, and the",
        "部门整体绩效目标 prose). Page headers, footers and watermarks are furniture, never content. The script",
        "checks that every character of the seed's cells and paragraphs is in the PDF (pdfplumber).",
        "",
        "The LibreOffice prints of the seeds themselves (no furniture, portrait, 10.5 pt) are `samples/<seed>.pdf`.",
        "Reference glyph positions of the first two pages of every file: `tests/fixtures/glyphs/<producer>/`",
        "(see the README there).",
        "",
        "Variations common to all producers:",
        "",
        "- `header-footer`: a running header (the unit's name, without its code, over a rule) and a footer",
        "  `第N页 共M页` on every page;",
        f"- `watermark`: `{model.WATERMARK}` in light grey (grey level {model.WATERMARK_GREY}) turned by "
        f"{model.WATERMARK_ANGLE:g}°, three times per page, drawn over the tables;",
        "- `landscape`: the third project (title, project table, indicator grid) on landscape pages between",
        "  portrait ones (one page, or two where the producer's tables are narrow: see `landscape pages`);",
        "- `large`: 16 pt text, so that page breaks cut table rows (a spreadsheet never cuts a row: there the",
        "  vertically merged 一级指标 cells are cut).",
        "",
        "Producers:",
        "",
    ]
    for name, (mod, what) in table.items():
        lines.append(f"- `{name}/`: {what}.")
    lines += [
        "",
        "Notes:",
        "",
        "- Chromium writes the text of glyphs that the Noto CJK fonts share between an ideograph and a",
        "  radical as the radical (`⼀` U+2F00 for 一, `⾦` for 金, `⺠` U+2EA0 for 民, `⻔` for 门), as it",
        "  does in published files: a reader must fold them (NFKC for the Kangxi radicals U+2F00–U+2FD5;",
        "  Unicode's EquivalentUnifiedIdeograph list for the supplement U+2E80–U+2EF3) to give the records.",
        "- Whitespace inside a cell is the producer's: reportlab and Chromium collapse the four spaces of",
        "  `其中：财政    资金`, our writer drops a space where it wraps a line. The content check ignores",
        "  whitespace, and so does the comparison of records.",
        "- Text that runs past its cell: reportlab's 项目编码 (into the empty left part of the centred",
        "  `项目名称` beside it) and 依据 values (past the table's right edge, within the page), Calc's unit",
        "  name, titles and the grid's last column (into empty cells). Our writer and Chromium break a",
        "  code too long for its cell inside the cell (`13080022P0⏎0021710001R`).",
        "- The intermediate .docx, .xlsx and HTML files are written to a temporary folder, not kept.",
        "- This README is itself a file of the folder: `budget-extract extract samples/producers` reads it",
        "  as a text document (`no_tables`).",
    ]
    lines += ["", "| file | producer | seed | variation | what it tests | pages | landscape pages |",
              "|---|---|---|---|---|---|---|"]
    for name, fname, stem, variant, what, pages, land in rows:
        lines.append(f"| `{name}/{fname}` | {name} | `{stem}` | `{variant}` | {what} | {pages} | {land or '–'} |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
