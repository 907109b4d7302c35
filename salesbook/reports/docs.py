"""docs/templates.md, generated from the context keys (keys.py) and the template list.

    python -c "from salesbook.reports.docs import write_templates_docs; write_templates_docs()"
"""
from __future__ import annotations

from pathlib import Path

from .keys import KEYS, KIND_NAMES

INTRO = """# 报表模板 (report templates)

> 本文件由 `salesbook.reports.docs.templates_docs_markdown()` 生成, 请勿手改;
> 改了上下文后运行 `python -c "from salesbook.reports.docs import write_templates_docs; write_templates_docs()"`。
> Generated from salesbook/reports/keys.py; do not edit by hand.

## 模板控制什么

每份报表都先算出一份**上下文** (下面列出的全部键), 写在报表旁边的 `NAME.json` 里, 再渲染成三种格式:

| 格式 | 由什么决定 | 公司能否改 |
|---|---|---|
| HTML (邮件正文) | 模板 `KIND.html` (继承 `base.html`, 用 `macros.html`, 样式 `style.css`) | 能: 内容、顺序、文字、样式 |
| PDF (附件) | 模板 `KIND.pdf.html` (继承 `base.pdf.html`, 用 `pdf_macros.html`) | 能: 内容、顺序、文字、表格列宽 |
| XLSX (附件) | 程序固定的版式 (汇总表 + 每个列表一张明细表, 原生图表) | 不能; 需要自己的版式请读 `NAME.json` |

KIND 为 `daily` / `weekly` / `monthly` / `statement`。在台账所在文件夹里建一个 **`模板`** 文件夹, 放入同名文件即可覆盖我们的模板 (逐个文件, 没放的仍用默认)。`salesbook report templates --export 模板` 把默认模板全部写出来供修改。模板出错时报表不会生成, 提示会指出模板文件和行号。

## 模板里能用的

- 上下文的每个键 (见下表), 如 `{{ totals.signed|money }}`、`{% for r in overdue %}`。不存在的键会报错 (便于发现拼写错误)。
- `t("签约业绩")`: 固定文字; `--lang en` 时换成英文 (认识的词), 否则原样。
- 过滤器: `money` (金额 → 12,345.60, 空 → —)、`pct` (比例 → 85.2%, 可 `pct(0)`)、`signed` (变化 → +3 / −2, 金额用 `signed("money")`)、`num` (数字 → 1,234)。
- `charts.KEY`: 图表 PNG 的文件名 (HTML 用相对路径, 邮件发送时转成内嵌图片; PDF 用绝对路径)。周报: `visits`; 月报: `target`、`trend`、`ageing`、`visits`。
- `LIST_LIMIT` (邮件正文里列表最多显示的行数, 30)、`PDF_LIST_LIMIT` (PDF 里, 100); 完整列表在 XLSX。
- 邮件 HTML: CSS 会被内联到每个元素 (`@media` 规则保留在 `<style>` 里, 需加 `!important`); 不要用脚本和外部图片。
- PDF 模板用的是 fpdf2 认识的 HTML: `h1`–`h3`、`p`、`br`、`font` (size / color)、`img` (width 单位为磅)、`table` (width 百分比、align、border)、`thead`/`tbody`、`tr` (bgcolor)、`th`/`td` (第一行的 width 百分比、align、bgcolor), 单元格里可用 `<font size color>`。不支持 CSS。页眉 (公司名称、标题) 和页码由程序画。
- 隐私: 除本人日报外, 客户电话在上下文里已经是 `138****5678`; 工资条的上下文只有本人的数字。

## 上下文的键
"""


def templates_docs_markdown() -> str:
    out = [INTRO.rstrip("\n"), ""]
    for kind, rows in KEYS.items():
        out += [f"### {KIND_NAMES[kind]}", "", "| 键 | 类型 | 含义 |", "|---|---|---|"]
        out += [f"| `{k}` | {t} | {d.replace('|', '/')} |" for k, t, d in rows]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def write_templates_docs(path: Path | str | None = None) -> Path:
    path = Path(path) if path else Path(__file__).resolve().parents[2] / "docs" / "templates.md"
    path.write_text(templates_docs_markdown(), encoding="utf-8")
    return path
