"""XLSX with xlsxwriter: a summary sheet plus one detail sheet per list of the context.

Money `#,##0.00`, ratios as percentages, dates as real dates, frozen header rows, widths
that fit Chinese text (a CJK character counts two), print setup (A4 landscape, fit to one
page wide, header row repeated, page numbers), native Excel charts. Text is always written
with write_string: a customer called "=1+1" stays text. The sheets are laid out by the
SHEETS specs below (templates do not control the XLSX; companies use the .json for their
own layouts).
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import unicodedata
from dataclasses import dataclass

from ..figures import AGEING_BUCKETS
from .words import word

TEXT, MONEY, INT, PCT, DATE, NUM, SHARE = "text", "money", "int", "pct", "date", "num", "share"


@dataclass(frozen=True)
class Col:
    key: str
    zh: str
    kind: str = TEXT


def C(key, zh, kind=TEXT) -> Col:
    return Col(key, zh, kind)


# kind → [(sheet name, context list key, columns)]
SHEETS = {
    "daily": [
        ("拜访", "visits", [C("customer_id", "客户编号"), C("customer_name", "客户名称"), C("contact", "联系人"),
                          C("phone", "电话"), C("method", "拜访方式"), C("minutes", "时长(分钟)", NUM),
                          C("intent", "是否有意向"), C("no_deal_reason", "未成交原因"), C("notes", "跟进内容"),
                          C("next_follow_up", "下次跟进日期", DATE)]),
        ("新增客户", "new_customers", [C("customer_id", "客户编号"), C("customer_name", "客户名称"),
                                   C("contact", "联系人"), C("phone", "电话"), C("source", "来源"),
                                   C("registered_at", "登记日期", DATE)]),
        ("签约", "contracts", [C("contract_id", "合同编号"), C("customer_id", "客户编号"),
                             C("customer_name", "客户名称"), C("product", "产品"), C("amount", "合同金额", MONEY),
                             C("approval", "审批状态"), C("status", "合同状态")]),
        ("回款", "payments", [C("payment_id", "回款编号"), C("contract_id", "合同编号"), C("amount", "金额", MONEY),
                            C("remitted", "是否上交")]),
        ("明天跟进", "followups_tomorrow", [C("customer_id", "客户编号"), C("customer_name", "客户名称"),
                                        C("contact", "联系人"), C("phone", "电话"), C("planned_at", "计划于", DATE),
                                        C("method", "拜访方式"), C("notes", "跟进内容")]),
        ("到期预警", "expiring", [C("customer_id", "客户编号"), C("customer_name", "客户名称"), C("phone", "电话"),
                              C("protected_until", "保护到期日", DATE), C("days_left", "剩余天数", INT)]),
    ],
    "weekly": [
        ("明细", "breakdown", [C("name", "姓名"), C("staff_id", "工号"), C("visits_total", "拜访", INT),
                             C("intent_customers", "意向客户", INT), C("new_customers", "新增客户", INT),
                             C("contracts_signed", "签约合同", INT), C("contract_amount", "签约金额", MONEY),
                             C("payments_amount", "回款金额", MONEY)]),
        ("意向客户", "intent_customers", [C("customer_id", "客户编号"), C("customer_name", "客户名称"),
                                      C("contact", "联系人"), C("phone", "电话"), C("staff_id", "工号"),
                                      C("staff_name", "姓名"), C("visits", "拜访次数", INT),
                                      C("last_visit", "最近跟进", DATE), C("last_method", "拜访方式"),
                                      C("last_notes", "跟进内容"), C("next_follow_up", "下次跟进日期", DATE)]),
        ("无意向原因", "no_intent_reasons", [C("reason", "未成交原因"), C("count", "次数", INT),
                                        C("share", "占比", PCT)]),
        ("下周跟进", "followups_next_week", [C("date", "日期", DATE), C("staff_id", "工号"), C("staff_name", "姓名"),
                                         C("customer_id", "客户编号"), C("customer_name", "客户名称"),
                                         C("phone", "电话"), C("planned_at", "计划于", DATE), C("notes", "跟进内容")]),
    ],
    "monthly": [
        ("人员业绩", "people", [C("staff_id", "工号"), C("name", "姓名"), C("role", "岗位"), C("team", "小组"),
                              C("region", "大区"), C("sales_target", "销售目标", MONEY), C("signed", "签约业绩", MONEY),
                              C("achievement", "达成率", PCT), C("collected", "回款业绩", MONEY),
                              C("commission", "提成", MONEY), C("awards", "奖励", MONEY), C("total", "应发合计", MONEY),
                              C("remarks", "备注")]),
        ("小组业绩", "teams", [C("name", "小组"), C("people", "人数", INT), C("sales_target", "销售目标", MONEY),
                             C("signed", "签约业绩", MONEY), C("achievement", "达成率", PCT),
                             C("collected", "回款业绩", MONEY), C("commission", "提成", MONEY),
                             C("total", "应发合计", MONEY)]),
        ("大区业绩", "regions", [C("name", "大区"), C("people", "人数", INT), C("sales_target", "销售目标", MONEY),
                               C("signed", "签约业绩", MONEY), C("achievement", "达成率", PCT),
                               C("collected", "回款业绩", MONEY), C("commission", "提成", MONEY),
                               C("total", "应发合计", MONEY)]),
        ("业绩排名", "ranking", [C("rank", "排名", INT), C("staff_id", "工号"), C("name", "姓名"), C("team", "小组"),
                               C("sales_target", "销售目标", MONEY), C("signed", "签约业绩", MONEY),
                               C("achievement", "达成率", PCT)]),
        ("奖励", "awards", [C("staff_id", "工号"), C("name", "姓名"), C("award", "奖项"), C("amount", "金额", MONEY),
                          C("why", "说明")]),
        ("预警", "warnings", [C("staff_id", "工号"), C("name", "姓名"), C("kind", "预警"), C("months", "月数", INT),
                            C("why", "说明")]),
        ("逾期合同", "overdue", [C("contract_id", "合同编号"), C("customer_id", "客户编号"),
                               C("customer_name", "客户名称"), C("phone", "电话"), C("owner_id", "归属人工号"),
                               C("owner_name", "归属人"), C("signer_name", "签约人"), C("signed_on", "签约日期", DATE),
                               C("due", "约定回款日期", DATE), C("days_past", "逾期天数", INT), C("bucket", "账龄"),
                               C("amount", "合同金额", MONEY), C("paid", "已回款", MONEY),
                               C("outstanding", "未回款", MONEY)]),
        ("掉入公海", "lost_to_pool", [C("date", "日期", DATE), C("customer_id", "客户编号"),
                                  C("customer_name", "客户名称"), C("previous_owner_id", "工号"),
                                  C("previous_owner", "原归属人"), C("basis", "原因")]),
        ("到期预警", "expiring", [C("owner_id", "归属人工号"), C("owner_name", "归属人"), C("customer_id", "客户编号"),
                              C("customer_name", "客户名称"), C("phone", "电话"),
                              C("protected_until", "保护到期日", DATE), C("days_left", "剩余天数", INT)]),
        ("近12个月", "trend", [C("month", "期间"), C("signed", "签约", MONEY), C("collected", "回款", MONEY)]),
        ("无意向原因", "no_intent_reasons", [C("reason", "未成交原因"), C("count", "次数", INT),
                                        C("share", "占比", PCT)]),
    ],
    "statement": [
        ("提成明细", "lines", [C("source_type", "来源类型"), C("document_id", "单据编号"), C("customer_id", "客户编号"),
                             C("customer_name", "客户名称"), C("amount", "金额", MONEY), C("share", "分成比例", SHARE),
                             C("credited", "计入金额", MONEY), C("basis", "依据")]),
        ("提成档位", "tiers", [C("lower", "下限", MONEY), C("upper", "上限", MONEY), C("rate", "比例", PCT),
                             C("portion", "适用金额", MONEY), C("commission", "提成", MONEY)]),
    ],
}

FIGURE_ROWS = (("visits_total", "拜访合计", INT), ("new_customers", "新增客户", INT),
               ("intent_customers", "意向客户", INT), ("contracts_signed", "签约合同", INT),
               ("contract_amount", "签约金额", MONEY), ("payments_amount", "回款金额", MONEY))
PAY_ROWS = (("base_salary", "底薪"), ("attendance_bonus", "全勤奖"), ("performance_pay", "绩效工资"),
            ("allowance", "津贴"), ("commission", "提成"), ("awards", "奖励"), ("adjustment", "调整"),
            ("total", "应发合计"), ("sales_target", "销售目标"), ("signed", "签约业绩"),
            ("achievement", "达成率"), ("collected", "回款业绩"), ("commission_base", "提成基数"))


def text_width(value) -> int:
    """Display width in Excel characters: a CJK (wide) character counts two."""
    text = str(value)
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


BULK_ROWS = 50      # a detail table longer than this is written as bulk XML (see _Book.close);
                   # from ~50 rows on that is faster than xlsxwriter cell by cell
NUMERIC = (MONEY, INT, PCT, NUM, SHARE)


@functools.lru_cache(maxsize=4096)
def _day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


class _Book:
    """One workbook being written: formats, widths per sheet, the writing helpers."""

    def __init__(self, ctx: dict):
        import xlsxwriter

        self.ctx, self.lang = ctx, ctx["lang"]
        self.buffer = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.buffer, {"in_memory": True, "strings_to_formulas": False,
                                                    "strings_to_urls": False, "strings_to_numbers": False})
        when = dt.datetime.fromisoformat(ctx["generated_on"])
        self.wb.set_properties({"title": ctx["title"], "company": ctx["company"] or "", "author": "salesbook",
                                "created": when})
        base = {"font_name": "Microsoft YaHei", "font_size": 10, "valign": "top"}
        f = self.wb.add_format
        self.fmt = {
            TEXT: f({**base, "text_wrap": False}), MONEY: f({**base, "num_format": "#,##0.00"}),
            INT: f({**base, "num_format": "0"}), NUM: f({**base, "num_format": "#,##0.##"}),
            PCT: f({**base, "num_format": "0.0%"}), SHARE: f({**base, "num_format": "0%"}),
            DATE: f({**base, "num_format": "yyyy-mm-dd", "align": "left"}),
            "head": f({**base, "bold": True, "bg_color": "#EEF2F7", "bottom": 1, "border_color": "#D9E2EC"}),
            "title": f({**base, "bold": True, "font_size": 14, "font_color": "#102A43"}),
            "sub": f({**base, "font_color": "#52606D"}),
            "section": f({**base, "bold": True, "font_size": 11, "font_color": "#2F6DB5"}),
        }
        self.widths: dict[str, dict[int, int]] = {}
        self.bulk: dict[str, tuple[int, list[Col], list[dict]]] = {}   # sheet -> (first Excel row, cols, rows)

    def w(self, zh: str) -> str:
        return word(zh, self.lang)

    def sheet(self, name: str, header_row: int | None):
        ws = self.wb.add_worksheet(self.w(name)[:31])
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.7, bottom=0.7)
        company = (self.ctx["company"] or "").replace("&", "&&")
        title = self.ctx["title"].replace("&", "&&")
        ws.set_header(f"&L{company}&R{title}")
        ws.set_footer("&CPage &P of &N" if self.lang == "en" else "&C第 &P 页 / 共 &N 页")
        if header_row is not None:
            ws.repeat_rows(header_row)
            ws.freeze_panes(header_row + 1, 0)
        self.widths[ws.name] = {}
        return ws

    def cell(self, value, kind: str) -> tuple[str, object, str]:
        """What `value` becomes in a column of `kind`: (how, what is written, the text shown)
        with how one of blank / date / number / text. Cell text is data (never translated,
        never a formula); labels come in translated; 是/否 for a bool."""
        if value is None or value == "":
            return "blank", None, ""
        if kind == DATE and isinstance(value, str):
            return "date", _day(value), value
        if kind in NUMERIC and isinstance(value, (int, float)) and not isinstance(value, bool):
            return "number", value, f"{value:,.2f}" if kind == MONEY else f"{value}"
        text = self.w("是" if value else "否") if isinstance(value, bool) else str(value)
        return "text", text, text

    @staticmethod
    def _write(ws, row: int, col: int, how: str, value, fmt) -> None:
        if how == "blank":
            ws.write_blank(row, col, None, fmt)
        elif how == "date":
            ws.write_datetime(row, col, value, fmt)
        elif how == "number":
            ws.write_number(row, col, value, fmt)
        else:
            ws.write_string(row, col, value, fmt)

    def _widen(self, ws_name: str, col: int, shown) -> None:
        shown = [t for t in shown if t]
        if shown:
            widths = self.widths[ws_name]
            widths[col] = max(widths.get(col, 0), max(map(text_width, shown)))

    def put(self, ws, row: int, col: int, value, kind: str = TEXT, fmt=None):
        how, written, shown = self.cell(value, kind)
        self._write(ws, row, col, how, written, fmt or self.fmt[kind])
        self._widen(ws.name, col, (shown,))

    def table(self, ws, row: int, cols: list[Col], rows: list[dict], col0: int = 0) -> tuple[int, int]:
        """Header at `row`, data below; returns (first data row, last data row). A long
        table (more than BULK_ROWS) of a sheet of its own gets its first data row from
        xlsxwriter (which fixes each column's style) and the rest as bulk XML at close()."""
        bulk = len(rows) > BULK_ROWS and row == 0 and col0 == 0
        head = rows[:1] if bulk else rows
        for j, c in enumerate(cols):
            self.put(ws, row, col0 + j, self.w(c.zh), TEXT, self.fmt["head"])
            self.column(ws, row + 1, col0 + j, [r.get(c.key) for r in head], c.kind)
        if bulk:
            self.bulk[ws.name] = (row + 3, cols, rows[1:])   # Excel rows: header row+1, first row+2
            for j, c in enumerate(cols):
                self._widen(ws.name, j, {self.cell(v, c.kind)[2] for v in {r.get(c.key) for r in rows}})
        return row + 1, row + len(rows)

    def column(self, ws, row: int, col: int, values: list, kind: str) -> None:
        """put() for a column of cells downwards from `row`: the width is measured once per
        distinct shown text instead of once per cell."""
        fmt, shown = self.fmt[kind], set()
        for i, value in enumerate(values, row):
            how, written, text = self.cell(value, kind)
            self._write(ws, i, col, how, written, fmt)
            shown.add(text)
        self._widen(ws.name, col, shown)

    def cells(self, values: list, kind: str):
        """A column's values as the bulk writer takes them: numbers as float64, dates as
        datetime64 (the fast, vectorised cases), else what cell() writes, one by one."""
        import pandas as pd

        blank = [None if v is None or v == "" else v for v in values]
        kinds = {type(v) for v in blank if v is not None}
        if kind in NUMERIC and kinds <= {int, float}:
            return pd.Series(blank, dtype="float64")
        if kind == DATE and kinds <= {str}:
            return pd.Series([None if v is None else _day(v) for v in blank], dtype="datetime64[ns]")
        return pd.Series([self.cell(v, kind)[1] for v in blank], dtype=object)

    def fit(self) -> None:
        for ws in self.wb.worksheets():
            for col, width in self.widths[ws.name].items():
                ws.set_column(col, col, min(max(width + 2, 8), 60))

    def close(self) -> bytes:
        self.fit()
        self.wb.close()
        if not self.bulk:
            return self.buffer.getvalue()
        return self._with_bulk_rows()

    def _with_bulk_rows(self) -> bytes:
        """The workbook with each long table's remaining rows put into its sheet's XML, in
        the styles xlsxwriter gave the table's first row (cells by the vectorised writer of
        salesbook.xlsx: ~10x faster than xlsxwriter's cell by cell for 200k cells)."""
        import re
        import zipfile

        import pandas as pd

        from ...xlsx.cells import Styles, letter, rows_xml
        from ...xlsx.zipio import ZipSink

        # xlsxwriter names the worksheet parts sheet1.xml, sheet2.xml, … in the order added
        parts = {f"xl/worksheets/sheet{i}.xml": ws.name for i, ws in enumerate(self.wb.worksheets(), 1)
                 if ws.name in self.bulk}
        out = io.BytesIO()
        sink = ZipSink(out)
        with zipfile.ZipFile(self.buffer) as z:
            for info in z.infolist():
                if info.filename not in parts:
                    sink.copy_raw(self.buffer, info)
                    continue
                first, cols, rows = self.bulk[parts[info.filename]]
                xml = z.read(info).decode("utf-8")
                prev = re.search(rf'<row r="{first - 1}"[^>]*>(.*?)</row>', xml).group(1)
                style = dict(re.findall(rf'<c r="([A-Z]+){first - 1}"( s="\d+")?', prev))
                styles = [Styles(*[style.get(letter(j + 1), "")] * 3) for j in range(len(cols))]
                frame = pd.DataFrame({j: self.cells([r.get(c.key) for r in rows], c.kind)
                                      for j, c in enumerate(cols)})
                last = first + len(rows) - 1
                xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{letter(len(cols))}{last}"/>', xml, 1)
                end = xml.rindex("</sheetData>")
                body = rows_xml(frame, first, styles)
                sink.write(info.filename, [xml[:end].encode("utf-8"), *body, xml[end:].encode("utf-8")],
                           size_hint=len(rows) * len(cols) * 40)
        sink.close()
        return out.getvalue()


def render(ctx: dict) -> bytes:
    b = _Book(ctx)
    summary = b.sheet("汇总", None)
    b.put(summary, 0, 0, ctx["title"], TEXT, b.fmt["title"])
    b.put(summary, 1, 0, ctx["company"] or "", TEXT, b.fmt["sub"])
    b.put(summary, 2, 0, f"{b.w('期间')}: {ctx['period_first']} ~ {ctx['period_last']}", TEXT, b.fmt["sub"])
    b.widths[summary.name] = {}   # the title lines may overflow; they do not size the columns
    _SUMMARY[ctx["kind"]](b, summary, ctx)
    for name, key, cols in SHEETS[ctx["kind"]]:
        rows = ctx.get(key) or []
        ws = b.sheet(name, 0)
        first, last = b.table(ws, 0, cols, rows)
        if rows:
            ws.autofilter(0, 0, last, len(cols) - 1)
        if ctx["kind"] == "monthly" and key == "teams" and rows:
            _chart_target(b, ws, first, last)
        if ctx["kind"] == "monthly" and key == "trend" and rows:
            _chart_trend(b, ws, first, last)
    return b.close()


def _figures(b: _Book, ws, ctx: dict, row: int) -> tuple[int, int]:
    """Rows 项目 / 本期 / 上期 / 变化; visits by method first. Returns the method rows' span."""
    cols = [C("item", "项目"), C("now", "本期"), C("before", "上期"), C("change", "变化")]
    now, before, change = ctx["figures"], ctx["previous"], ctx["change"]
    rows = [{"item": m, "now": n, "before": before["visits_by_method"][m], "change": change["visits_by_method"][m]}
            for m, n in now["visits_by_method"].items()]
    span = (row + 1, row + len(rows))
    for key, zh, kind in FIGURE_ROWS:
        rows.append({"item": zh, "now": now[key], "before": before[key], "change": change[key], "_kind": kind})
    for j, c in enumerate(cols):
        label = b.w(c.zh) + (f" {before.get('period', '')}" if c.key == "before" else "")
        b.put(ws, row, j, label, TEXT, b.fmt["head"])
    for i, r in enumerate(rows, 1):
        kind = r.get("_kind", INT)
        b.put(ws, row + i, 0, b.w(r["item"]))
        for j, k in enumerate(("now", "before", "change"), 1):
            b.put(ws, row + i, j, r[k], kind)
    return span


def _visits_chart(b: _Book, ws, span, anchor: str) -> None:
    chart = b.wb.add_chart({"type": "column"})
    for col, name, colour in ((2, b.w("上期"), "#9AA5B1"), (1, b.w("本期"), "#2F6DB5")):
        chart.add_series({"name": name, "categories": [ws.name, span[0], 0, span[1], 0],
                          "values": [ws.name, span[0], col, span[1], col], "data_labels": {"value": True},
                          "fill": {"color": colour}})
    chart.set_title({"name": b.w("拜访次数(按拜访方式)")})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 520, "height": 260})
    ws.insert_chart(anchor, chart)


def _summary_daily(b: _Book, ws, ctx):
    f = ctx["figures"]
    rows = [("拜访合计", f["visits_total"], INT), ("意向客户", f["intent_customers"], INT),
            ("新增客户", f["new_customers"], INT), ("签约合同", f["contracts_signed"], INT),
            ("签约金额", f["contract_amount"], MONEY), ("回款金额", f["collected_today"], MONEY)]
    _pairs(b, ws, 4, rows)


def _summary_weekly(b: _Book, ws, ctx):
    span = _figures(b, ws, ctx, 4)
    _visits_chart(b, ws, span, "F5")


def _summary_monthly(b: _Book, ws, ctx):
    t = ctx["totals"]
    rows = [("销售目标", t["sales_target"], MONEY), ("签约业绩", t["signed"], MONEY), ("达成率", t["achievement"], PCT),
            ("回款业绩", t["collected"], MONEY), ("提成", t["commission"], MONEY), ("奖励", t["awards"], MONEY),
            ("应发合计", t["total"], MONEY), ("人数", t["people"], INT),
            ("转化率", ctx["conversion"]["rate"], PCT),
            ("平均销售周期", ctx["sales_cycle"]["average_days"], NUM),
            ("掉入公海的客户", len(ctx["lost_to_pool"]), INT), ("保护期即将到期的客户", len(ctx["expiring"]), INT)]
    end = _pairs(b, ws, 4, rows)
    span = _figures(b, ws, ctx, end + 2)
    row = span[1] + len(FIGURE_ROWS) + 3
    b.put(ws, row, 0, b.w("应收账款账龄") + f" ({ctx['period_last']})", TEXT, b.fmt["section"])
    for j, zh in enumerate(("账龄", "次数", "未回款")):
        b.put(ws, row + 1, j, b.w(zh), TEXT, b.fmt["head"])
    for i, bucket in enumerate(AGEING_BUCKETS, 2):
        b.put(ws, row + i, 0, b.w(bucket))
        b.put(ws, row + i, 1, ctx["ageing_counts"][bucket], INT)
        b.put(ws, row + i, 2, ctx["ageing"][bucket], MONEY)
    b.put(ws, row + 7, 0, b.w("合计"))
    b.put(ws, row + 7, 2, ctx["ageing_total"], MONEY)
    chart = b.wb.add_chart({"type": "column"})
    chart.add_series({"name": b.w("未回款"), "categories": [ws.name, row + 2, 0, row + 6, 0],
                      "values": [ws.name, row + 2, 2, row + 6, 2], "data_labels": {"value": True, "num_format": "#,##0"},
                      "points": [{"fill": {"color": c}} for c in ("#7FB77E", "#F2C14E", "#F29E4C", "#E76F51", "#C8403A")]})
    chart.set_title({"name": b.w("应收账款账龄")})
    chart.set_legend({"none": True})
    chart.set_size({"width": 520, "height": 260})
    ws.insert_chart(row, 5, chart)
    _visits_chart(b, ws, span, f"F{end + 3}")


def _summary_statement(b: _Book, ws, ctx):
    p = ctx["pay"]
    kinds = {"achievement": PCT}
    rows = [(zh, p[key], kinds.get(key, MONEY)) for key, zh in PAY_ROWS]
    end = _pairs(b, ws, 4, rows)
    if ctx["remarks"]:
        b.put(ws, end + 1, 0, b.w("备注"))
        b.put(ws, end + 1, 1, ctx["remarks"])
    for i, a in enumerate(ctx["awards"]):
        b.put(ws, end + 2 + i, 0, a["award"])
        b.put(ws, end + 2 + i, 1, a["amount"], MONEY)
        b.put(ws, end + 2 + i, 2, a["why"])


def _pairs(b: _Book, ws, row: int, rows) -> int:
    b.put(ws, row, 0, b.w("项目"), TEXT, b.fmt["head"])
    b.put(ws, row, 1, b.w("数值"), TEXT, b.fmt["head"])
    for i, (zh, value, kind) in enumerate(rows, 1):
        b.put(ws, row + i, 0, b.w(zh))
        b.put(ws, row + i, 1, value, kind)
    return row + len(rows)


_SUMMARY = {"daily": _summary_daily, "weekly": _summary_weekly, "monthly": _summary_monthly,
            "statement": _summary_statement}


def _chart_target(b: _Book, ws, first: int, last: int) -> None:
    chart = b.wb.add_chart({"type": "column"})
    for col, zh, colour in ((2, "销售目标", "#9AA5B1"), (3, "签约业绩", "#2F6DB5")):
        chart.add_series({"name": b.w(zh), "categories": [ws.name, first, 0, last, 0],
                          "values": [ws.name, first, col, last, col], "fill": {"color": colour}})
    chart.set_title({"name": b.w("目标与签约业绩(按小组)")})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 640, "height": 300})
    ws.insert_chart(last + 2, 0, chart)


def _chart_trend(b: _Book, ws, first: int, last: int) -> None:
    chart = b.wb.add_chart({"type": "line"})
    for col, zh, colour in ((1, "签约", "#2F6DB5"), (2, "回款", "#F0A030")):
        chart.add_series({"name": b.w(zh), "categories": [ws.name, first, 0, last, 0],
                          "values": [ws.name, first, col, last, col], "line": {"color": colour},
                          "marker": {"type": "circle"}})
    chart.set_title({"name": b.w("近 12 个月签约与回款")})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 640, "height": 300})
    ws.insert_chart(1, 4, chart)
