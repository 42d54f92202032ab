#!/usr/bin/env python3
"""Builds the label-variant samples in samples/variants/: seed 000's first project (办案业务费)
with the spellings other departments and years use, and with edge cases, each as a Tika text
dump, a .docx and its LibreOffice PDF, so that every variant is tested in every format.

    python3 scripts/make_variant_samples.py      # needs soffice for the PDFs
                                                  # (scripts/make_pdf_samples.sh installs it)

The first project of the seed dump is read into a structure (a heading, the project block's rows,
the indicator grid's rows; a cell is a list of paragraphs) by make_docx_samples.parse_dump; a
variant changes that structure (whole cells relabelled, a column or a row added), and the dump
and the .docx are both written from it, so both hold the same table. The base's dump is checked
to be the seed's lines exactly. Variants named `tika-*` add Tika's markup to the text dump only
(footnote markers, image markers, page header/footer lines, a nested table, piled bookmarks, a
TAB inside a cell): their .docx and PDF are the base's, as Word has no such markup.

Families (the test, tests/variants.rs, lists every variant with what it must give):
  base                  the project as published (no 指标值确定依据 column)
  base-basis            the base with a 指标值确定依据 column (the basis variants' base)
  <field>-<spelling>    one label or grid header spelled as a department publishes it: each must
                        give its base's records exactly (name-*, total-*, fiscal-*, other-*,
                        goal-*, level1-*, level2-*, level3-*, desc-*, value-*, basis-*)
  cost-first-level      the 2021 Ministry of Finance form: the cost row is its own first-level
                        indicator, 成本指标 | 经济成本指标 (not 产出指标 | 成本指标)
  unknown-layout        labels no grammar knows (事项名称, 考核维度, 考核指标, 目标数值 …): the
                        document must come out `unrecognized`, listing the header cells
  collision-value-columns, level3-and-content, blank-header-column, cell-equals-header,
  repeated-label, repeated-label-empty, notes-in-parentheses
                        edge cases of the accounting (every cell placed) and of the header mapping
  tika-footnote, tika-image, tika-page-lines, tika-nested-table, tika-nested-table-after-text,
  tika-bookmarks, tika-cell-tab
                        Tika's markup in the text dump

Output is deterministic: the .docx has fixed zip timestamps; the PDFs are LibreOffice's with
their creation date, /ID and checksum replaced by fixed values of the same length (the xref
offsets stay valid). No variant name holds a year (a year in a path is fiscal-year evidence).
"""
import copy
import hashlib
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import make_docx_samples as docx  # noqa: E402

SEED = ROOT / "samples" / "000_5439077655b7c2d3.txt"
OUT = ROOT / "samples" / "variants"

# The 指标值确定依据 cells of base-basis, one per indicator row (written for this sample).
BASIS = ["历年结案数据", "历史标准", "计划标准", "预算批复", "行业标准", "历史标准", "历史标准", "行业标准",
         "满意度调查"]

# ---------------------------------------------------------------- the variants

# One label or header respelled (cell text as published → as the variant spells it). The key
# of each family's entry is the base cell; "base-basis" variants start from base-basis.
SPELLINGS = {
    # project name
    "name-colon": {"项目名称": "项目名称："},
    "name-fullname": {"项目名称": "项目名称（全称）"},
    "name-special-project": {"项目名称": "专项（项目）名称"},
    "name-budget-project": {"项目名称": "预算项目名称"},
    "name-special-fund": {"项目名称": "专项资金名称"},
    "name-level2-project": {"项目名称": "二级项目名称"},
    # budget total
    "total-annual": {"预算数": "年度预算数"},
    "total-amount": {"预算数": "预算金额"},
    "total-annual-funds": {"预算数": "年度资金总额"},
    "total-project-amount-unit": {"预算数": "项目预算金额（万元）"},
    "total-full-year-note": {"预算数": "全年预算数（A）"},
    "total-annual-budget-funds": {"预算数": "年度预算资金总额："},
    "total-funds": {"预算数": "资金总额："},
    "total-this-year": {"预算数": "本年预算数"},
    "total-current-year": {"预算数": "当年预算"},
    "total-annual-request": {"预算数": "年度预算申请"},
    "total-project-sum": {"预算数": "项目总额"},
    # fiscal part
    "fiscal-appropriation-funds": {"其中：财政    资金": "财政拨款资金"},
    "fiscal-general-public": {"其中：财政    资金": "其中：一般公共预算"},
    "fiscal-whereof-appropriation": {"其中：财政    资金": "其中：财政拨款"},
    "fiscal-appropriation-unit": {"其中：财政    资金": "财政拨款（万元）"},
    "fiscal-this-year": {"其中：财政    资金": "本年财政拨款"},
    "fiscal-nature": {"其中：财政    资金": "财政性资金"},
    # other part
    "other-self-raised": {"其他资金": "自筹资金"},
    "other-sources": {"其他资金": "其他来源资金"},
    "other-whereof": {"其他资金": "其中：其他资金"},
    "other-unit-self-raised": {"其他资金": "单位自筹资金"},
    "other-own": {"其他资金": "自有资金"},
    # goal
    "goal-annual": {"绩效目标": "年度绩效目标"},
    "goal-overall": {"绩效目标": "年度总体目标"},
    "goal-project-annual": {"绩效目标": "项目年度目标"},
    "goal-parenthesized": {"绩效目标": "绩效目标（年度）"},
    "goal-year": {"绩效目标": "年度目标"},
    "goal-total": {"绩效目标": "总体目标"},
    "goal-expected": {"绩效目标": "年度预期目标"},
    # grid levels
    "level1-name": {"一级指标": "一级指标名称"},
    "level1-type": {"一级指标": "指标类型"},
    "level1-short": {"一级指标": "一级"},
    "level2-name": {"二级指标": "二级指标名称"},
    "level2-short": {"二级指标": "二级"},
    "level3-content": {"三级指标": "指标内容"},
    "level3-name": {"三级指标": "指标名称"},
    "level3-full": {"三级指标": "三级指标名称"},
    # description
    "desc-explanation": {"绩效指标描述": "指标解释"},
    "desc-note": {"绩效指标描述": "指标说明"},
    "desc-optional": {"绩效指标描述": "绩效指标描述（选填）"},
    "desc-short": {"绩效指标描述": "指标描述"},
    "desc-performance-note": {"绩效指标描述": "绩效指标说明"},
    "desc-value-note": {"绩效指标描述": "指标值说明"},
    # value
    "value-target": {"指标值": "目标值"},
    "value-annual": {"指标值": "年度指标值"},
    "value-annual-project": {"指标值": "年度(/项目)指标值"},
    "value-year-note": {"指标值": "指标值（2023年）"},
    "value-this-year": {"指标值": "本年绩效指标值"},
    "value-annual-target": {"指标值": "年度目标值"},
    "value-performance": {"指标值": "绩效指标值"},
    "value-expected-target": {"指标值": "预期目标值"},
    "value-year-prefix": {"指标值": "2023年指标值"},
    # basis (on base-basis)
    "basis-target": {"指标值确定依据": "目标值确定依据"},
    "basis-set": {"指标值确定依据": "指标值设定依据"},
    "basis-and-note": {"指标值确定依据": "确定依据及说明"},
    "basis-set-short": {"指标值确定依据": "设定依据"},
    "basis-optional": {"指标值确定依据": "指标值确定依据（选填）"},
    "basis-indicator-set": {"指标值确定依据": "指标设定依据"},
    "basis-and-source": {"指标值确定依据": "指标值设定依据及数据来源"},
}

UNKNOWN_LAYOUT = {
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
}


def relabel(mapping):
    def op(doc):
        for table in doc["tables"]:
            for row in table:
                for k, cell in enumerate(row):
                    if len(cell) == 1 and cell[0] in mapping:
                        row[k] = [mapping[cell[0]]]
    return op


def add_column(header, cells):
    """A last column of the indicator grid: its header, then one cell per indicator row."""
    def op(doc):
        grid = doc["tables"][1]
        assert len(cells) == len(grid) - 1
        grid[0].append([header])
        for row, text in zip(grid[1:], cells):
            row.append([text])
    return op


def insert_row_before(label, row):
    """A row of the project block, put before the row that starts with `label`."""
    def op(doc):
        block = doc["tables"][0]
        at = next(k for k, r in enumerate(block) if r[0] == [label])
        block.insert(at, [[c] for c in row])
    return op


def cost_first_level(doc):
    # The cost row (merged first cell, then 成本指标) becomes 成本指标 | 经济成本指标.
    for row in doc["tables"][1]:
        if row[0] == [""] and row[1] == ["成本指标"]:
            row[0], row[1] = ["成本指标"], ["经济成本指标"]


def second_value_column(doc):
    """A 年度指标值 column beside 指标值, its cells the values with a prefix 年度：."""
    add_column("年度指标值", ["年度：" + r[4][0] for r in doc["tables"][1][1:]])(doc)


# ---- Tika markup: edits of the dump's lines (the .docx and PDF stay the base's)

def replace_line(lines, old, new):
    k = lines.index(old)
    lines[k:k + 1] = new if isinstance(new, list) else [new]


def tika_footnote(lines):
    # A footnote reference in the last value cell; Tika writes the footnote at the end.
    replace_line(lines, "\t≥95百分比", "\t≥95百分比[footnoteRef:1]")
    lines[-1:-1] = ["[1: 注：满意度按问卷调查结果计算。]"]


def tika_image(lines):
    # An image paragraph under the heading, one in the 单位：万元 cell (the seal), one inline
    # at the end of the goal's text.
    replace_line(lines, lines[0], [lines[0], "[image: ]"])
    replace_line(lines, "\t单位：万元", ["\t单位：万元", "[image: ]"])
    goal = "\t1.弥补基层法院办案业务经费不足，提高法院建设管理水平，持续维护公平正义"
    replace_line(lines, goal, goal + "[image: ]")


def tika_page_lines(lines):
    # Page header/footer lines: before the heading, between the project block and the grid,
    # between two indicator rows (after the cost row), and at the end.
    lines[0:0] = ["第 1 页 共 2 页"]
    k = lines.index(" ")  # the line between the project block and the grid
    lines[k:k] = ["- 1 -", ""]
    k = lines.index("\t49.7万元") + 2  # after the blank line that ends the cost row
    lines[k:k] = ["- 1 -", "第 2 页 共 2 页", ""]
    lines[-1:-1] = ["- 2 -"]


def tika_nested_table(lines):
    # The goal cell holds a table of two rows of one cell each: Tika writes them as \t\t lines.
    replace_line(lines, "\t1.弥补基层法院办案业务经费不足，提高法院建设管理水平，持续维护公平正义",
                 ["\t\t1.弥补基层法院办案业务经费不足", "\t\t2.提高法院建设管理水平，持续维护公平正义"])


def tika_nested_table_after_text(lines):
    # The goal cell holds a line of its own, then the nested table.
    replace_line(lines, "\t1.弥补基层法院办案业务经费不足，提高法院建设管理水平，持续维护公平正义",
                 ["\t目标如下：", "\t\t1.弥补基层法院办案业务经费不足", "\t\t2.提高法院建设管理水平，持续维护公平正义"])


def tika_bookmarks(lines):
    # Piled bookmarks before the heading, and after the TAB of two cell lines.
    lines[0] = " [bookmark: _Toc1][bookmark: _Toc2]" + lines[0].lstrip()
    replace_line(lines, "\t项目名称", "\t[bookmark: _Toc3][bookmark: _Toc4]项目名称")
    replace_line(lines, "\t一级指标", "\t[bookmark: _Toc5][bookmark: _Toc6]一级指标")


def tika_cell_tab(lines):
    # A TAB inside the text of two cells (after their leading TAB).
    replace_line(lines, "\t用于弥补办案业务费不足", "\t用于弥补\t办案业务费不足")
    k = lines.index("\t法官人均结案数量") + 1  # the description cell (after the level-3 cell)
    assert lines[k] == "\t法官人均结案数量"
    lines[k] = "\t法官人均\t结案数量"


def variants():
    """name → (base name or None, structure ops, dump-only ops)."""
    out = {"base": (None, [], []), "base-basis": (None, [add_column("指标值确定依据", BASIS)], [])}
    for name, mapping in SPELLINGS.items():
        base = "base-basis" if name.startswith("basis-") else "base"
        out[name] = (base, [relabel(mapping)], [])
    out["cost-first-level"] = ("base", [cost_first_level], [])
    out["unknown-layout"] = ("base", [relabel(UNKNOWN_LAYOUT)], [])
    out["collision-value-columns"] = ("base", [second_value_column], [])
    out["level3-and-content"] = ("base", [relabel({"绩效指标描述": "指标内容"})], [])
    out["blank-header-column"] = ("base", [add_column("", ["审判管理系统", "信访台账", "财务系统", "财务系统", "统计报表",
                                                           "审判管理系统", "审判管理系统", "统计报表", "问卷调查"])], [])
    out["cell-equals-header"] = ("base", [add_column("备注", ["备注", "", "", "", "", "", "", "", "问卷调查"])], [])
    out["repeated-label"] = ("base", [insert_row_before("绩效目标", ["全年预算数", "60.00"])], [])
    out["repeated-label-empty"] = ("base", [insert_row_before("绩效目标", ["全年预算数", ""])], [])
    out["notes-in-parentheses"] = ("base", [relabel({"指标值": "指标值（2023年）", "项目名称": "项目名称（全称）"})], [])
    for name, op in [("tika-footnote", tika_footnote), ("tika-image", tika_image), ("tika-page-lines", tika_page_lines),
                     ("tika-nested-table", tika_nested_table),
                     ("tika-nested-table-after-text", tika_nested_table_after_text), ("tika-bookmarks", tika_bookmarks),
                     ("tika-cell-tab", tika_cell_tab)]:
        out[name] = ("base", [], [op])
    return out


# ---------------------------------------------------------------- structure ↔ dump and .docx

def first_project(text):
    """The seed's first project: its lines up to the second project's heading."""
    lines = text.split("\n")
    second = next(i for i, l in enumerate(lines) if i > 0 and "]2." in l)
    return lines[:second]


def structure(lines):
    items = docx.parse_dump("\n".join(lines) + "\n")
    kinds = [(it[0], it[1] if it[0] == "table" else None) for it in items]
    assert kinds == [("para", None), ("table", "block"), ("table", "grid")], kinds
    (_, title, marks), (_, _, block), (_, _, grid) = items
    return {"title": title, "marks": marks, "tables": [block, grid]}


def dump_lines(doc):
    """The Tika dump of the structure, as the seed writes it: a cell is a TAB line (its further
    paragraphs lines of their own), a row ends with a blank line, a space line ends a table."""
    lines = [" " + "".join(f"[bookmark: {m}]" for m in doc["marks"]) + doc["title"]]
    block, grid = doc["tables"]
    for table, tail in [(block, ["", " "]), (grid, ["", "", " "])]:
        for row in table:
            for cell in row:
                lines.append("\t" + cell[0])
                lines.extend(cell[1:])
            lines.append("")
        lines.extend(tail)
    return lines


def docx_items(doc):
    block, grid = doc["tables"]
    return [("para", doc["title"], doc["marks"]), ("table", "block", block), ("table", "grid", grid)]


def fix_pdf(path):
    """LibreOffice's PDF with its creation date, /ID and checksum fixed (same lengths)."""
    data = path.read_bytes()
    data = re.sub(rb"/CreationDate\(D:\d{14}", b"/CreationDate(D:20000101000000", data)
    data = re.sub(rb"/DocChecksum /[0-9A-F]{32}", b"/DocChecksum /" + b"0" * 32, data)
    data = re.sub(rb"/ID \[ <[0-9A-F]{32}>\s*<[0-9A-F]{32}> \]", lambda m: re.sub(rb"[0-9A-F]{32}", b"0" * 32, m.group(0)),
                  data)
    digest = hashlib.md5(data).hexdigest().upper().encode()
    data = data.replace(b"/DocChecksum /" + b"0" * 32, b"/DocChecksum /" + digest)
    data = re.sub(rb"/ID \[ <0{32}>(\s*)<0{32}> \]", lambda m: b"/ID [ <" + digest + b">" + m.group(1) + b"<" + digest + b"> ]",
                  data)
    path.write_bytes(data)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    seed = first_project(SEED.read_text(encoding="utf-8"))
    base = structure(seed)
    assert dump_lines(base) == seed, "the dump writer must give the seed's lines for the base"
    made = {}
    docs = {}
    for name, (base_name, ops, dump_ops) in variants().items():
        doc = copy.deepcopy(docs[base_name] if base_name else base)
        for op in ops:
            op(doc)
        docs[name] = doc
        lines = dump_lines(doc)
        for op in dump_ops:
            op(lines)
        (OUT / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        docx.paragraph.__defaults__[1][0] = 0  # bookmark ids from 1 in every document
        docx.write_docx(OUT / f"{name}.docx", docx.document_xml(docx_items(doc)))
        made[name] = OUT / f"{name}.docx"
    soffice = shutil.which("soffice")
    if soffice:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", tmp, *map(str, made.values())],
                           check=True, stdout=subprocess.DEVNULL)
            for name in made:
                shutil.copy(pathlib.Path(tmp) / f"{name}.pdf", OUT / f"{name}.pdf")
                fix_pdf(OUT / f"{name}.pdf")
    stale = sorted(p.name for p in OUT.iterdir() if p.stem not in made)
    if stale:
        print(f"not made by this script (remove them?): {', '.join(stale)}")
    print(f"{len(made)} variants: txt, docx{', pdf' if soffice else ' (no soffice: PDFs not made)'}")


if __name__ == "__main__":
    main()
