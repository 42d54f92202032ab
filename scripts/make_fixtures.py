#!/usr/bin/env python3
"""Regenerates tests/fixtures/ from samples/: the seed dumps re-encoded as GB18030 with CRLF line
ends (what Windows tools write), keeping their file names so the eval truth applies.

    python3 scripts/make_fixtures.py
"""
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
out = root / "tests" / "fixtures" / "gb18030-crlf"
out.mkdir(parents=True, exist_ok=True)
for src in sorted((root / "samples").glob("*.txt")):
    text = src.read_text(encoding="utf-8")
    data = text.replace("\r\n", "\n").replace("\n", "\r\n").encode("gb18030")
    (out / src.name).write_bytes(data)
    print(f"{out / src.name}: {len(data)} bytes")
