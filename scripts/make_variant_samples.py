#!/usr/bin/env python3
"""Builds the label-variant samples in samples/variants/: seed 000's first project (办案业务费)
with the spellings other departments and years use, each as a Tika text dump, a .docx and its
LibreOffice PDF, so that every variant is tested in every format.

    python3 scripts/make_variant_samples.py      # needs soffice for the PDFs
                                                  # (scripts/make_pdf_samples.sh installs it)

Variants (name: what changes against the base):
  base                   nothing (the project as published)
  name-colon             项目名称 → 项目名称：
  goal-annual            绩效目标 → 年度绩效目标
  goal-overall           绩效目标 → 年度总体目标
  value-target           指标值 → 目标值
  value-annual           指标值 → 年度指标值
  value-annual-project   指标值 → 年度(/项目)指标值
  level3-content         三级指标 → 指标内容
  level3-name            三级指标 → 指标名称
  cost-first-level       the 2021 Ministry of Finance form: the cost row is its own first-level
                         indicator, 成本指标 | 经济成本指标 (not 产出指标 | 成本指标)
  unknown-layout         labels no grammar knows (事项名称, 考核维度, 考核指标, 目标数值 …): the
                         document must come out `unrecognized`, listing the header cells

The text dump is changed line by line (a cell is a line after a TAB), the .docx is built from
the dump's structure with the same changes, so both hold the same table. Output is
deterministic; the PDFs are LibreOffice's.
"""
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import make_docx_samples as docx  # noqa: E402

SEED = ROOT / "samples" / "000_5439077655b7c2d3.txt"
OUT = ROOT / "samples" / "variants"

# (cell text as published → as the variant spells it); only whole cells change.
RELABEL = {
    "base": {},
    "name-colon": {"项目名称": "项目名称："},
    "goal-annual": {"绩效目标": "年度绩效目标"},
    "goal-overall": {"绩效目标": "年度总体目标"},
    "value-target": {"指标值": "目标值"},
    "value-annual": {"指标值": "年度指标值"},
    "value-annual-project": {"指标值": "年度(/项目)指标值"},
    "level3-content": {"三级指标": "指标内容"},
    "level3-name": {"三级指标": "指标名称"},
    "cost-first-level": {},
    "unknown-layout": {
        "项目名称": "事项名称",
        "预算规模及资金用途": "资金安排情况",
        "预算数": "安排数",
        "其中：财政    资金": "财政性资金",
        "其他资金": "自筹资金",
        "绩效目标": "预期成效",
        "一级指标": "考核维度",
        "二级指标": "考核方向",
        "三级指标": "考核指标",
        "绩效指标描述": "考核说明",
        "指标值": "目标数值",
    },
}


def first_project(text):
    """The seed's first project: its lines up to the second project's heading."""
    lines = text.split("\n")
    second = next(i for i, l in enumerate(lines) if i > 0 and "]2." in l)
    return lines[:second]


def variant_lines(name, lines):
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        # 2021 form: the cost row (empty merged first cell, then 成本指标) becomes 成本指标 | 经济成本指标.
        if name == "cost-first-level" and line == "\t" and i + 1 < len(lines) and lines[i + 1] == "\t成本指标":
            out += ["\t成本指标", "\t经济成本指标"]
            i += 2
            continue
        if line.startswith("\t") and line[1:] in RELABEL[name]:
            line = "\t" + RELABEL[name][line[1:]]
        out.append(line)
        i += 1
    return out


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    base = first_project(SEED.read_text(encoding="utf-8"))
    soffice = shutil.which("soffice")
    with tempfile.TemporaryDirectory() as tmp:
        for name in RELABEL:
            text = "\n".join(variant_lines(name, base)) + "\n"
            dump = OUT / f"{name}.txt"
            dump.write_text(text, encoding="utf-8")
            # The .docx from the base structure, relabelled cell by cell (the docx writer finds
            # the indicator grid by the base's header words).
            items = docx.parse_dump("\n".join(base) + "\n")
            for item in items:
                if item[0] != "table":
                    continue
                for row in item[2]:
                    for k, cell in enumerate(row):
                        if name == "cost-first-level" and k == 1 and cell == ["成本指标"]:
                            row[0], row[1] = ["成本指标"], ["经济成本指标"]
                        elif len(cell) == 1 and cell[0] in RELABEL[name]:
                            cell[0] = RELABEL[name][cell[0]]
            docx.write_docx(OUT / f"{name}.docx", docx.document_xml(items))
            if soffice:
                subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(OUT / f"{name}.docx")],
                               check=True, stdout=subprocess.DEVNULL)
                shutil.copy(pathlib.Path(tmp) / f"{name}.pdf", OUT / f"{name}.pdf")
            print(f"{name}: txt, docx{', pdf' if soffice else ' (no soffice: PDF not made)'}")


if __name__ == "__main__":
    main()
