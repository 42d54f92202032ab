"""Baselines for the PDF benchmark, on the same file: poppler's `pdftotext -layout` (text only,
no tables) and pdfplumber's `extract_tables()` on every page.

    target/pyenv/bin/python scripts/bench_pdf_baselines.py target/bench/49-projects.pdf
"""
import statistics
import subprocess
import sys
import time

path = sys.argv[1]
pages = int(next(l.split()[-1] for l in subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout.splitlines() if l.startswith("Pages:")))

times = []
for _ in range(10):
    t = time.perf_counter()
    subprocess.run(["pdftotext", "-layout", path, "/dev/null"], check=True)
    times.append(time.perf_counter() - t)
print(f"{'pdftotext -layout (process)':<42} min {min(times) * 1e3:>7.1f} ms  median {statistics.median(times) * 1e3:>7.1f} ms  {min(times) * 1e3 / pages:.2f} ms/page ({pages} pages)")

import pdfplumber  # noqa: E402

times = []
for _ in range(2):
    t = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        tables = sum(len(p.extract_tables()) for p in pdf.pages)
    times.append(time.perf_counter() - t)
print(f"{'pdfplumber extract_tables() (in-process)':<42} min {min(times) * 1e3:>7.1f} ms  {min(times) * 1e3 / pages:.2f} ms/page ({tables} tables)")
