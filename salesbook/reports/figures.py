"""The report figures (domain.md §7), each defined once: pure functions of tables + a period.

Every report (日报 / 周报 / 月报 / 工资条) and the month close read their numbers here, so
a figure means the same thing wherever it is shown. Inputs are the usable tables of
`api.prepare` (contract keys), a period of `domain.calendar` (Day / Week / Month: anything
with `.first` and `.last`) and, for a team's figures, the 工号 of its members. Money is
integer fen; the context builders turn it into yuan for people.

Definitions
- visits: 拜访 rows with 日期 in the period; `visits_by_method` counts all four 拜访方式
  (zeros included), `visits_total` all rows.
- intent customers: distinct 客户编号 with a visit 是否有意向 = 是 in the period.
- no-intent reasons: visits with 是否有意向 = 否, counted by 未成交原因 (blank → 未填写).
- new customers: 客户 rows whose 登记日期 (it may carry a time) falls in the period.
- contracts signed / contract amount: contracts that count (`documents.contract_counts`:
  已批准, not 已取消) with 签约日期 in the period; count and Σ 合同金额.
- payments amount: the 回款业绩 rule of §6.2 (`documents.payment_counts`: 是否上交 = 是 on a
  contract that counts), 回款日期 in the period; refunds subtract.
- follow-ups: visits whose 下次跟进日期 falls in a period (the plan for it).
- ageing on a day: for each contract that counts signed on or before the day, outstanding =
  合同金额 − Σ all its payments dated on or before the day (whatever 是否上交; refunds
  subtract); outstanding > 0 goes into a bucket by days past 约定回款日期 (blank = 签约日期):
  未到期 (due after the day), 0-30, 31-60, 61-90, 90+. A contract in a bucket other than
  未到期 (due on or before the day) is overdue.
- conversion of a month: intent customers of the month that signed a contract that counts
  in the month ÷ intent customers of the month.
- average sales cycle of a month: over customers whose first contract that counts is
  signed in the month, the mean of days from 登记日期 to that first 签约日期.

Scope: `people` (a set of 工号) restricts each figure to what those people did: visits by
工号, customers by 登记人工号, contracts by 签约人工号, payments by the 签约人工号 of their
contract. None = the whole department.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..contract import VISIT_METHODS
from ..domain.calendar import month_index
from ..domain.documents import contract_counts, payment_counts
from ..domain.money import to_fen

BLANK_REASON = "未填写"
COUNTS, SIGNER = "_counts", "_signer"     # columns added by annotate()
AGEING_BUCKETS = ("未到期", "0-30", "31-60", "61-90", "90+")
YES, NO = "是", "否"


# --- selection helpers ---------------------------------------------------------

def _start(period) -> pd.Timestamp:
    return pd.Timestamp(period.first)


def _stop(period) -> pd.Timestamp:
    """The instant after the period's last day (dates may carry a time)."""
    return pd.Timestamp(period.last) + pd.Timedelta(days=1)


def in_period(dates: pd.Series, period) -> np.ndarray:
    """Per value: its date falls in the period (NaT: no)."""
    d = pd.Series(dates)
    return ((d >= _start(period)) & (d < _stop(period))).to_numpy(dtype=bool)


def on_or_before(dates: pd.Series, day: dt.date) -> np.ndarray:
    d = pd.Series(dates)
    return (d < pd.Timestamp(day) + pd.Timedelta(days=1)).to_numpy(dtype=bool)


def text(values) -> np.ndarray:
    """A text column as an object array with None for blanks."""
    if isinstance(values, np.ndarray) and values.dtype == object:
        return values
    if isinstance(values, pd.Series) and values.dtype == object:
        return values.to_numpy(dtype=object)
    return pd.Series(values).to_numpy(dtype=object, na_value=None)


def _by(frame: pd.DataFrame, column: str, people) -> np.ndarray:
    if people is None:
        return np.ones(len(frame), dtype=bool)
    return pd.Series(text(frame[column]), dtype=object).isin(list(people)).to_numpy(dtype=bool)


def visits_in(tables, period, people=None) -> pd.DataFrame:
    """拜访 rows dated in the period (by the given people), in workbook row order."""
    v = tables["visits"]
    return v[in_period(v["date"], period) & _by(v, "staff_id", people)]


def followups_in(tables, period, people=None) -> pd.DataFrame:
    """拜访 rows whose 下次跟进日期 falls in the period: the follow-ups planned for it."""
    v = tables["visits"]
    return v[in_period(v["next_follow_up"], period) & _by(v, "staff_id", people)]


def new_customers_in(tables, period, people=None) -> pd.DataFrame:
    """客户 rows registered (登记日期) in the period, by 登记人工号 for a team."""
    c = tables["customers"]
    return c[in_period(c["registered_at"], period) & _by(c, "registered_by", people)]


def counting_contracts(tables) -> pd.DataFrame:
    c = tables["contracts"]
    return c[c[COUNTS].to_numpy(dtype=bool) if COUNTS in c else contract_counts(c)]


def contracts_in(tables, period, people=None) -> pd.DataFrame:
    """Contracts that count signed in the period (by the given signers)."""
    c = counting_contracts(tables)
    return c[in_period(c["signed_on"], period) & _by(c, "signer_id", people)]


def counting_payments(tables) -> pd.DataFrame:
    p = tables["payments"]
    return p[p[COUNTS].to_numpy(dtype=bool) if COUNTS in p else payment_counts(p, tables["contracts"])]


def payments_in(tables, period, people=None) -> pd.DataFrame:
    """Payments carrying 回款业绩 dated in the period; for a team, on contracts its people signed."""
    p = counting_payments(tables)
    p = p[in_period(p["paid_on"], period)]
    if people is not None:
        signer = p[SIGNER] if SIGNER in p else pd.Series(p["contract_id"], dtype=object).map(signer_of(tables))
        p = p[pd.Series(signer, dtype=object).isin(list(people)).to_numpy(dtype=bool)]
    return p


def signer_of(tables) -> dict:
    """合同编号 → 签约人工号 (the first row of a number typed twice decides)."""
    c = tables["contracts"].drop_duplicates("contract_id", keep="first")
    return dict(zip(text(c["contract_id"]), text(c["signer_id"])))


# --- the figures ------------------------------------------------------------------

def visits_by_method(visits: pd.DataFrame) -> dict[str, int]:
    """Visits counted by 拜访方式, all four methods in contract order (zeros included)."""
    counts = pd.Series(visits["method"], dtype=object).value_counts()
    return {m: int(counts.get(m, 0)) for m in VISIT_METHODS}


def intent_customers(visits: pd.DataFrame) -> list[str]:
    """Distinct 客户编号 with a visit 是否有意向 = 是, in first-visit order."""
    ids = text(visits.loc[(visits["intent"] == YES).to_numpy(dtype=bool), "customer_id"])
    return list(dict.fromkeys(i for i in ids if i is not None))


def no_intent_reasons(visits: pd.DataFrame) -> dict[str, int]:
    """Visits with 是否有意向 = 否 counted by 未成交原因 (blank → 未填写), most frequent first
    (ties by reason text, so the order is stable)."""
    v = visits[(visits["intent"] == NO).to_numpy(dtype=bool)]
    reasons = pd.Series(text(v["no_deal_reason"]), dtype=object)
    reasons = reasons.map(lambda r: r.strip() if isinstance(r, str) and r.strip() else BLANK_REASON)
    counts = reasons.value_counts()
    return {r: int(n) for r, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}


def amount_fen(frame: pd.DataFrame) -> int:
    """Σ 金额 / 合同金额 of document rows, exactly in fen."""
    return int(to_fen(frame["amount"].to_numpy()).sum()) if len(frame) else 0


@dataclass(frozen=True)
class PeriodFigures:
    """The activity figures of one period for one scope (department or a team)."""
    visits_by_method: dict[str, int]
    visits_total: int
    intent_customers: list[str]
    no_intent_reasons: dict[str, int]
    new_customers: int
    contracts_signed: int
    contract_amount: int          # fen
    payments_amount: int          # fen
    extra: dict = field(default_factory=dict)


def period_figures(tables, period, people=None) -> PeriodFigures:
    t = scope(tables, people) if people is not None else tables
    v = visits_in(t, period)
    c = contracts_in(t, period)
    return PeriodFigures(
        visits_by_method=visits_by_method(v), visits_total=len(v), intent_customers=intent_customers(v),
        no_intent_reasons=no_intent_reasons(v), new_customers=len(new_customers_in(t, period)),
        contracts_signed=len(c), contract_amount=amount_fen(c), payments_amount=amount_fen(payments_in(t, period)))


def scope(tables, people) -> dict:
    """The tables cut to what `people` did (the Scope rule above): figures of the cut with
    people=None equal the figures of the whole with people."""
    t = annotate(tables)
    for key, column in (("visits", "staff_id"), ("customers", "registered_by"), ("contracts", "signer_id"),
                        ("payments", SIGNER)):
        t[key] = t[key][_by(t[key], column, people)]
    return t


GROUP_FIGURES = ("visits_total", "intent_customers", "new_customers", "contracts_signed", "contract_amount",
                 "payments_amount")


def figures_by(tables, period, group_of: dict) -> dict[str, dict[str, int]]:
    """The figures of `period` per group of people at once (group_of: 工号 → group, e.g. its
    小组 or itself): GROUP_FIGURES per group (amounts in fen), the same numbers as
    period_figures(tables, period, members of the group). Groups without activity are absent."""
    t = annotate(tables)
    out: dict[str, dict[str, int]] = {}

    def add(frame, column, name, values=None):
        groups = pd.Series(text(frame[column]), dtype=object).map(group_of)
        keep = groups.notna().to_numpy()
        if values is None:
            sums = groups[keep].value_counts()
        else:
            sums = pd.Series(values[keep], index=groups[keep].to_numpy()).groupby(level=0).sum()
        for g, n in sums.items():
            out.setdefault(g, dict.fromkeys(GROUP_FIGURES, 0))[name] = int(n)

    v = visits_in(t, period)
    add(v, "staff_id", "visits_total")
    iv = v[(v["intent"] == YES).to_numpy(dtype=bool)]
    pairs = pd.DataFrame({"g": pd.Series(text(iv["staff_id"]), dtype=object).map(group_of).to_numpy(),
                          "c": text(iv["customer_id"])}).dropna().drop_duplicates()
    for g, n in pairs["g"].value_counts().items():
        out.setdefault(g, dict.fromkeys(GROUP_FIGURES, 0))["intent_customers"] = int(n)
    add(new_customers_in(t, period), "registered_by", "new_customers")
    c = contracts_in(t, period)
    add(c, "signer_id", "contracts_signed")
    add(c, "signer_id", "contract_amount", to_fen(c["amount"].to_numpy()))
    p = payments_in(t, period)
    add(p, SIGNER, "payments_amount", to_fen(p["amount"].to_numpy()))
    return out


# --- monthly figures ----------------------------------------------------------------

def conversion(tables, month, people=None) -> tuple[int, int]:
    """(intent customers of the month, of whom signed a contract that counts in the month)."""
    intents = intent_customers(visits_in(tables, month, people))
    signed = set(text(contracts_in(tables, month)["customer_id"]))
    return len(intents), sum(1 for c in intents if c in signed)


def first_contracts(tables) -> pd.DataFrame:
    """Per customer: the 签约日期 of its first contract that counts (客户编号, signed_on)."""
    c = counting_contracts(tables)
    c = c[c["signed_on"].notna().to_numpy()]
    return c.groupby(pd.Series(c["customer_id"], dtype=object).to_numpy(), sort=True)["signed_on"].min() \
        .rename_axis("customer_id").reset_index()


def sales_cycles(tables, month) -> pd.DataFrame:
    """Customers whose first contract that counts is signed in the month, with the days from
    登记日期 to it (customer_id, registered, signed, days)."""
    first = first_contracts(tables)
    first = first[in_period(first["signed_on"], month)]
    cust = tables["customers"].drop_duplicates("customer_id", keep="first")
    reg = dict(zip(text(cust["customer_id"]), cust["registered_at"]))
    registered = pd.to_datetime(pd.Series([reg.get(c) for c in first["customer_id"]], dtype=object))
    registered = pd.Series(registered.to_numpy(dtype="datetime64[ns]")).dt.normalize()
    days = (first["signed_on"].reset_index(drop=True) - registered).dt.days
    out = pd.DataFrame({"customer_id": first["customer_id"].to_numpy(), "registered": registered,
                        "signed": first["signed_on"].to_numpy(), "days": days})
    return out[out["days"].notna()].reset_index(drop=True)


def average_sales_cycle(tables, month) -> float | None:
    cycles = sales_cycles(tables, month)
    return float(cycles["days"].mean()) if len(cycles) else None


@dataclass(frozen=True)
class Ageing:
    """Receivables on a day: fen per bucket (keys exactly AGEING_BUCKETS) and the
    outstanding contracts (contract_id, customer_id, signer_id, amount, paid, outstanding
    — fen — due, days_past, bucket), most overdue first."""
    day: dt.date
    buckets: dict[str, int]
    counts: dict[str, int]
    contracts: pd.DataFrame

    @property
    def overdue(self) -> pd.DataFrame:
        return self.contracts[self.contracts["bucket"] != AGEING_BUCKETS[0]].reset_index(drop=True)


def bucket_of(days_past: int) -> str:
    if days_past < 0:
        return AGEING_BUCKETS[0]
    if days_past <= 30:
        return AGEING_BUCKETS[1]
    if days_past <= 60:
        return AGEING_BUCKETS[2]
    if days_past <= 90:
        return AGEING_BUCKETS[3]
    return AGEING_BUCKETS[4]


def ageing(tables, day: dt.date) -> Ageing:
    c = counting_contracts(tables)
    c = c[on_or_before(c["signed_on"], day)].drop_duplicates("contract_id", keep="first")
    p = tables["payments"]
    p = p[on_or_before(p["paid_on"], day)]
    paid = pd.Series(to_fen(p["amount"].to_numpy()), index=text(p["contract_id"])).groupby(level=0).sum()
    ids = text(c["contract_id"])
    amount = to_fen(c["amount"].to_numpy())
    paid_fen = paid.reindex(pd.Index(ids, dtype=object)).fillna(0).to_numpy(dtype="int64")
    outstanding = amount - paid_fen
    due = c["due_date"].where(c["due_date"].notna(), c["signed_on"])
    days_past = (pd.Timestamp(day) - due).dt.days.to_numpy()
    frame = pd.DataFrame({
        "contract_id": ids, "customer_id": text(c["customer_id"]), "signer_id": text(c["signer_id"]),
        "signed_on": c["signed_on"].to_numpy(), "amount": amount, "paid": paid_fen,
        "outstanding": outstanding, "due": due.to_numpy(), "days_past": days_past})
    frame = frame[frame["outstanding"] > 0].copy()
    frame["bucket"] = [bucket_of(int(d)) for d in frame["days_past"]]
    frame = frame.sort_values(["days_past", "contract_id"], ascending=[False, True], kind="stable")
    frame = frame.reset_index(drop=True)
    sums = frame.groupby("bucket")["outstanding"].sum()
    counts = frame.groupby("bucket").size()
    return Ageing(day, {b: int(sums.get(b, 0)) for b in AGEING_BUCKETS},
                  {b: int(counts.get(b, 0)) for b in AGEING_BUCKETS}, frame)


def lost_to_pool(ownership_log: pd.DataFrame, period) -> pd.DataFrame:
    """归属记录 rows of customers that fell to the public pool (事件 掉入公海) in the period."""
    from ..ownership.replay import EV_FALL

    log = ownership_log
    return log[(log["event"] == EV_FALL).to_numpy(dtype=bool) & in_period(log["date"], period)] \
        .reset_index(drop=True)


def monthly_series(tables, last_month, months: int = 12) -> list[tuple[str, int, int]]:
    """(month label, 签约 amount, 回款 amount) in fen for the `months` months ending with
    `last_month`, oldest first (contracts that count / payments carrying 回款业绩)."""
    out = []
    m = last_month
    for _ in range(months - 1):
        m = m.prev()
    c, p = counting_contracts(tables), counting_payments(tables)
    c_sum = pd.Series(to_fen(c["amount"].to_numpy()), index=month_index(c["signed_on"])).groupby(level=0).sum()
    p_sum = pd.Series(to_fen(p["amount"].to_numpy()), index=month_index(p["paid_on"])).groupby(level=0).sum()
    for _ in range(months):
        out.append((m.label, int(c_sum.get(m.index, 0)), int(p_sum.get(m.index, 0))))
        m = m.next()
    return out


def window(tables, first: dt.date, last: dt.date) -> dict:
    """The tables cut to what figures of periods inside [first, last] can see: visits dated
    or planned (下次跟进日期) in it, customers registered in it, payments dated in it,
    contracts signed in it — after annotate() has judged each payment on all contracts (a
    payment counts by its contract, whenever signed). Only a speed-up: every figure of such a
    period is the same on the window as on the whole tables."""
    span = _Span(first, last)
    if COUNTS in tables["payments"]:
        t = dict(tables)
    else:   # cut first, then annotate the (small) cuts; payments are judged on all contracts
        v, c, p = tables["visits"], tables["customers"], tables["payments"]
        t = annotate({**tables, "visits": v[in_period(v["date"], span) | in_period(v["next_follow_up"], span)],
                      "customers": c[in_period(c["registered_at"], span)], "payments": p[in_period(p["paid_on"], span)]})
    v, c, p, k = t["visits"], t["customers"], t["payments"], t["contracts"]
    t["visits"] = v[in_period(v["date"], span) | in_period(v["next_follow_up"], span)]
    t["customers"] = c[in_period(c["registered_at"], span)]
    t["payments"] = p[in_period(p["paid_on"], span)]
    t["contracts"] = k[in_period(k["signed_on"], span)]
    for key in ("visits", "customers", "payments", "contracts"):
        # the cut's text columns as plain objects: a weekly run asks each cut ~20 questions
        # per team, and filtering Arrow strings costs a pyarrow take per column each time
        f = t[key]
        t[key] = f.assign(**{c: pd.Series(text(f[c]), index=f.index, dtype=object)
                             for c in f.columns if isinstance(f[c].dtype, pd.StringDtype)})
    return t


# text columns the figures compare or group by: plain object columns are much faster to
# filter than Arrow strings when a report asks the same tables many questions
_TEXT_COLUMNS = {"visits": ("staff_id", "customer_id", "method", "intent", "no_deal_reason"),
                 "customers": ("customer_id", "registered_by"), "contracts": ("contract_id", "customer_id", "signer_id"),
                 "payments": ("contract_id", "collector_id")}


def annotate(tables) -> dict:
    """The tables with what every figure asks of them worked out once: whether each contract
    and payment counts (COUNTS) and each payment's contract signer (SIGNER), text columns
    as objects. Figures give the same answers with or without it."""
    if COUNTS in tables["payments"]:
        return dict(tables)
    out = dict(tables)
    for key, cols in _TEXT_COLUMNS.items():
        f = tables[key]   # (pandas 3 would infer a plain array of strings back to Arrow strings)
        out[key] = f.assign(**{c: pd.Series(text(f[c]), index=f.index, dtype=object) for c in cols})
    c, p = out["contracts"], out["payments"]
    out["contracts"] = c.assign(**{COUNTS: contract_counts(c)})
    signer = signer_of(out)
    out["payments"] = p.assign(**{COUNTS: payment_counts(p, c),
                                  SIGNER: [signer.get(x) for x in p["contract_id"]]})
    return out


@dataclass(frozen=True)
class _Span:
    first: dt.date
    last: dt.date


def payments_collected_by(tables, period, people) -> pd.DataFrame:
    """回款 rows dated in the period whose 收款人工号 is one of `people` (a rep's own day),
    with `counts`: carries 回款业绩 (remitted, on a contract that counts)."""
    p = tables["payments"]
    p = p[in_period(p["paid_on"], period) & _by(p, "collector_id", people)]
    # judged on all contracts: annotate()'s COUNTS when there (a window's contracts are cut)
    return p.assign(counts=p[COUNTS].to_numpy(dtype=bool) if COUNTS in p else payment_counts(p, tables["contracts"]))


def contracts_signed_by(tables, period, people) -> pd.DataFrame:
    """Every 合同 row signed in the period by `people`, whatever its state, with `counts`."""
    c = tables["contracts"]
    c = c[in_period(c["signed_on"], period) & _by(c, "signer_id", people)]
    return c.assign(counts=contract_counts(c))
