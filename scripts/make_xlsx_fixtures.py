#!/usr/bin/env python3
"""xlsx fixtures for tests/xlsx.rs, written with openpyxl (a real producer; it stores formulas
without cached values, as a generating script or a web export often does):

  tests/fixtures/xlsx/formula-no-cache.xlsx   a small target table whose 指标值 cell is =C5+C6,
                                              with a merged 一级指标 cell and a percent format

    target/pyenv/bin/pip install openpyxl && target/pyenv/bin/python scripts/make_xlsx_fixtures.py
"""
import pathlib

import openpyxl

ROOT = pathlib.Path(__file__).resolve().parents[1]
out = ROOT / "tests" / "fixtures" / "xlsx" / "formula-no-cache.xlsx"
out.parent.mkdir(parents=True, exist_ok=True)

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "绩效目标"
ws.append(["项目名称", "测试项目", None, None])
ws.append(["一级指标", "二级指标", "三级指标", "指标值"])
ws.append(["产出指标", "数量指标", "合计人数", "=C5+C6"])
ws.append([None, "质量指标", "合格率", 0.95])
ws["D4"].number_format = "0%"
ws.merge_cells("A3:A4")
wb.save(out)
print(out, out.stat().st_size, "bytes")
