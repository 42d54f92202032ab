"""Baseline for benches/pipeline.rs: python-docx opening the same .docx and reading every
table cell's text (what a Python pipeline would do before any recognition).

    target/pyenv/bin/python scripts/bench_python_docx.py target/bench/49-projects.docx
"""
import statistics
import sys
import time

import docx

path = sys.argv[1]
open_times, read_times = [], []
for i in range(23):
    t0 = time.perf_counter()
    d = docx.Document(path)
    t1 = time.perf_counter()
    cells = sum(len(c.text) for t in d.tables for r in t.rows for c in r.cells)
    t2 = time.perf_counter()
    if i >= 3:
        open_times.append((t1 - t0) * 1e3)
        read_times.append((t2 - t0) * 1e3)
print(f"{'python-docx: Document(path)':<42} min {min(open_times):>7.1f} ms  median {statistics.median(open_times):>7.1f} ms")
print(f"{'python-docx: open + every cell text':<42} min {min(read_times):>7.1f} ms  median {statistics.median(read_times):>7.1f} ms  ({cells} chars)")
