"""月报 context: the department's month (seed 000 销售部月会, seed 003 KPIs).

Targets against results by person / 小组 / 大区 (the numbers of 业绩提成, so the report
and the pay sheet always agree), ranking, commissions and awards, warnings (降级预警,
建议调薪), the month's activity against the month before, customer development,
conversion, average sales cycle, customers lost to the public pool, customers whose
protection is about to end, receivables ageing and the 12-month trend. Phones masked.
"""
from __future__ import annotations

import pandas as pd

from ...domain.calendar import Month
from ...domain.money import to_fen
from ...findings import ERROR, WARNING
from .. import figures as F
from .common import (DEPARTMENT_WORD, Customers, People, change, columns, date, figures_dict, header, money,
                     number, ratio, reasons_list, s)

DEPARTMENT = "department"
NO_TEAM = ("(未分组)", "(no team)")
LIST_FIELDS = ("sales_target", "signed", "collected", "commission", "total")


def build(tables, settings, month: Month, *, ownership, pay, findings=(), lang: str = "zh", today) -> dict:
    """ownership: as of the month's last day; pay: the month's reconciled Pay
    (api.month_results); findings: the run's findings (their counts are shown)."""
    staff, cust = People(tables["staff"]), Customers(tables["customers"], masked=True)
    ctx = header(settings, "monthly", month, DEPARTMENT, None, DEPARTMENT_WORD[1 if lang == "en" else 0],
                 lang, today)
    people = _people(pay, staff)
    ctx["people"] = people
    no_team = NO_TEAM[1 if lang == "en" else 0]
    ctx["teams"] = _groups(people, "team", no_team)
    ctx["regions"] = _groups(people, "region", no_team.replace("分组", "大区").replace("team", "region"))
    ctx["totals"] = _sum(people)
    ctx["ranking"] = _ranking(people)
    ctx["awards"] = [{"staff_id": sid, "name": p.name, "award": a.name, "amount": money(a.fen),
                      "why": a.why_en if lang == "en" else a.why}
                     for sid, p in pay.persons.items() for a in p.awards]
    ctx["warnings"] = _warnings(pay, lang)
    w = F.window(tables, month.prev().first, month.last)
    now, before = F.period_figures(w, month), F.period_figures(w, month.prev())
    ctx["figures"] = figures_dict(now)
    ctx["previous"] = figures_dict(before)
    ctx["previous"]["period"] = month.prev().label
    ctx["change"] = change(ctx["figures"], ctx["previous"])
    ctx["no_intent_reasons"] = reasons_list(now.no_intent_reasons)
    new = F.new_customers_in(w, month)
    by_source = pd.Series(F.text(new["source"]), dtype=object).fillna("未填写").value_counts()
    ctx["new_customers"] = {"total": len(new), "by_source": {k: int(v) for k, v in
                                                            sorted(by_source.items(), key=lambda kv: (-kv[1], kv[0]))},
                            "by_person": _by_person(new, "registered_by", staff)}
    intents, converted = F.conversion(w, month)
    ctx["conversion"] = {"intent_customers": intents, "converted": converted, "rate": ratio(converted, intents)}
    cycles = F.sales_cycles(tables, month)
    ctx["sales_cycle"] = {"customers": len(cycles),
                          "average_days": round(float(cycles["days"].mean()), 1) if len(cycles) else None}
    lost = F.lost_to_pool(ownership.log, month)
    ctx["lost_to_pool"] = [{**cust.brief(r["customer_id"]), "date": date(r["date"]),
                            "previous_owner_id": s(r["old_owner_id"]), "previous_owner": staff.name(r["old_owner_id"]),
                            "basis": s(r["basis"])} for r in lost.to_dict("records")]
    ctx["expiry_warning_days"] = settings.expiry_warning_days
    exp = ownership.expiring(settings.expiry_warning_days)
    ctx["expiring"] = [{"owner_id": s(r["owner_id"]), "owner_name": s(r["owner_name"]), **cust.brief(r["customer_id"]),
                        "protected_until": date(r["protected_until"]), "days_left": int(r["days_left"])}
                       for r in exp.to_dict("records")]
    ctx.update(_ageing(tables, month, ownership, staff, cust))
    ctx["trend"] = [{"month": m, "signed": money(c), "collected": money(p)}
                    for m, c, p in F.monthly_series(tables, month, 12)]
    errors = sum(1 for f in findings if f.level == ERROR)
    ctx["data_issues"] = {"errors": errors, "warnings": sum(1 for f in findings if f.level == WARNING)}
    return ctx


def _people(pay, staff: People) -> list[dict]:
    rows = []
    for r in pay.payroll.to_dict("records"):
        sid = r["staff_id"]
        rows.append({"staff_id": s(sid), "name": s(r["name"]), "role": s(r["role"]), "team": s(r["team"]),
                     "region": staff.field(sid, "region"),
                     "sales_target": number(r["sales_target"]), "signed": number(r["signed"]),
                     "achievement": number(r["achievement"]), "collected": number(r["collected"]),
                     "commission_base": number(r["commission_base"]), "commission": number(r["commission"]),
                     "awards": number(r["awards"]), "total": number(r["total"]), "remarks": s(r["remarks"])})
    return rows


def _fen(rows, key) -> int:
    return int(to_fen([r[key] or 0.0 for r in rows]).sum()) if rows else 0


def _sum(rows: list[dict]) -> dict:
    out = {k: money(_fen(rows, k)) for k in LIST_FIELDS + ("awards",)}
    target = _fen([r for r in rows if r["sales_target"]], "sales_target")
    signed_with_target = _fen([r for r in rows if r["sales_target"]], "signed")
    out["achievement"] = ratio(signed_with_target, target)
    out["people"] = len(rows)
    return out


def _groups(people: list[dict], key: str, blank: str) -> list[dict]:
    """The people's numbers summed per 小组 / 大区 (achievement over those with a target)."""
    groups: dict[str, list[dict]] = {}
    for p in people:
        groups.setdefault(p[key] or blank, []).append(p)
    return [{"name": name, **_sum(rows)} for name, rows in groups.items()]


def _ranking(people: list[dict]) -> list[dict]:
    """People with a target or 签约业绩, by 签约业绩 (ties share a rank: 1, 1, 3)."""
    ranked = sorted((p for p in people if p["sales_target"] or p["signed"]),
                    key=lambda p: (-(p["signed"] or 0), p["staff_id"]))
    out, last, rank = [], None, 0
    for i, p in enumerate(ranked, 1):
        if p["signed"] != last:
            rank, last = i, p["signed"]
        out.append({"rank": rank, "staff_id": p["staff_id"], "name": p["name"], "team": p["team"],
                    "signed": p["signed"], "sales_target": p["sales_target"], "achievement": p["achievement"]})
    return out


def _warnings(pay, lang) -> list[dict]:
    out = []
    for sid, p in pay.persons.items():
        if p.below_streak:
            out.append({"staff_id": sid, "name": p.name, "kind": "降级预警", "months": p.below_streak,
                        "why": (f"{p.below_streak} months running below target" if lang == "en"
                                else f"连续 {p.below_streak} 个月未完成销售目标")})
        if p.raise_streak:
            out.append({"staff_id": sid, "name": p.name, "kind": "建议调薪", "months": p.raise_streak,
                        "why": (f"{p.raise_streak} months running top of the department" if lang == "en"
                                else f"连续 {p.raise_streak} 个月部门业绩第一")})
    return out


def _by_person(frame, column, staff: People) -> list[dict]:
    counts = pd.Series(F.text(frame[column]), dtype=object).value_counts()
    return [{"staff_id": sid, "name": staff.name(sid), "count": int(n)}
            for sid, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _ageing(tables, month: Month, ownership, staff: People, cust: Customers) -> dict:
    a = F.ageing(tables, month.last)
    overdue = a.overdue
    owners = ownership.owners_on(overdue["customer_id"], [pd.Timestamp(month.last)] * len(overdue)) \
        if len(overdue) else pd.DataFrame({"owner_id": []})
    rows = []
    for (contract, customer, signer, signed, due, days, bucket, amount, paid, left), owner in zip(
            columns(overdue, "contract_id", "customer_id", "signer_id", "signed_on", "due", "days_past", "bucket",
                    "amount", "paid", "outstanding"), owners["owner_id"].tolist()):
        rows.append({"contract_id": contract, **cust.brief(customer),
                     "signer_id": s(signer), "signer_name": staff.name(signer),
                     "owner_id": s(owner), "owner_name": staff.name(owner),
                     "signed_on": date(signed), "due": date(due), "days_past": int(days),
                     "bucket": bucket, "amount": money(amount), "paid": money(paid),
                     "outstanding": money(left)})
    return {"ageing": {b: money(v) for b, v in a.buckets.items()}, "ageing_counts": dict(a.counts),
            "ageing_total": money(sum(a.buckets.values())), "overdue": rows}
