"""工资条 / 个人提成明细 context: one person's month, and nothing of anybody else's pay.

Built only from that person's 业绩提成 row, their 提成明细 lines (each with its 依据) and
their PersonPay (tiers, attendance, awards). A 依据 may name the other person of a shared
document (collaborator, 外销 owner) and their share of the credit, never their pay.
"""
from __future__ import annotations

from ...domain.calendar import Month
from ...domain.money import PPM
from .common import Customers, date, header, money, number, s

PERSON = "person"
PAY_FIELDS = ("signed", "collected", "sales_target", "achievement", "commission_base", "commission",
              "base_salary", "attendance_bonus", "performance_pay", "allowance", "awards", "adjustment", "total")


class Shared:
    """What every statement of a run reads, indexed once: customers, payroll rows, lines."""

    def __init__(self, tables, pay):
        self.customers = Customers(tables["customers"], masked=True)
        self.rows = {r["staff_id"]: r for r in pay.payroll.to_dict("records")}
        self.lines = {sid: g.to_dict("records") for sid, g in pay.lines.groupby("staff_id", sort=False)}


def build(tables, settings, month: Month, staff_id: str, *, pay, lang: str = "zh", today,
          shared: Shared | None = None) -> dict:
    """pay: the month's reconciled Pay; staff_id must be on its payroll. shared: Shared(tables,
    pay) when building many statements (the answer is the same without it)."""
    shared = shared or Shared(tables, pay)
    cust = shared.customers
    p = pay.persons[staff_id]
    row = shared.rows[staff_id]
    subject = f"{p.name}({staff_id})" if p.name else staff_id
    ctx = header(settings, "statement", month, PERSON, staff_id, subject, lang, today)
    ctx["person"] = {"staff_id": staff_id, "name": p.name, "role": p.role, "team": p.team, "channel": p.channel}
    ctx["pay"] = {k: number(row[k]) for k in PAY_FIELDS}
    ctx["remarks"] = s(row["remarks"])
    ctx["commission_mode"] = {"base": p.mode, "method": p.method, "plan_role": p.plan.role}
    ctx["tiers"] = [{"lower": money(t.tier.lower), "upper": None if t.tier.upper is None else money(t.tier.upper),
                     "rate": t.tier.rate / PPM, "portion": money(t.portion), "commission": money(t.fen)}
                    for t in p.parts]
    ctx["carry"] = {"deducted": money(p.carry_in), "from": p.carry_from or None, "carried_out": money(p.carry_out)}
    a = p.attendance
    ctx["attendance"] = {"days_due": number(a.due), "days_present": number(a.present),
                         "late": None if a.late is None else int(a.late), "leave_days": number(a.leave),
                         "bonus": money(a.bonus), "why": a.why}
    ctx["performance"] = {"base": money(p.perf_base), "factor": p.factor.factor_ppm / PPM,
                          "pay": money(p.performance_pay)}
    ctx["awards"] = [{"award": w.name, "amount": money(w.fen), "why": w.why_en if lang == "en" else w.why}
                     for w in p.awards]
    ctx["lines"] = [{"source_type": s(r["source_type"]), "document_id": s(r["document_id"]),
                     "customer_id": s(r["customer_id"]), "customer_name": cust.name(r["customer_id"]),
                     "amount": number(r["amount"]), "share": number(r["share"]), "credited": number(r["credited"]),
                     "basis": s(r["basis"])} for r in shared.lines.get(staff_id, [])]
    ctx["lines_total"] = {"credited": money(round(sum((x["credited"] or 0) for x in ctx["lines"]) * 100))}
    ctx["month_last"] = date(month.last)
    return ctx
