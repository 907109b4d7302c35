"""日报 context: one person's day (seed 000: 下班前整理当天客户拜访及跟进情况, 发送日报表).

The day's visits (customer, method, intent, content), the customers they registered,
the contracts they signed and the payments they collected, tomorrow's planned follow-ups
and their own customers whose protection ends within 到期预警天数. This is the one report
that shows customers' phone numbers in full: it is the rep's own (and their 上级's).
"""
from __future__ import annotations

from ...domain.calendar import Day
from .. import figures as F
from .common import Customers, People, date, figures_dict, header, money, money_of, number, s

PERSON = "person"


def active_people(tables, day: Day) -> list[str]:
    """工号 of the people with something to report on `day`: a visit, a registered customer,
    a contract signed or a payment collected that day, or a follow-up planned for the next
    day; in 人员 order."""
    nxt = day.next()
    acting = set()
    acting |= set(F.text(F.visits_in(tables, day)["staff_id"]))
    acting |= set(F.text(F.followups_in(tables, nxt)["staff_id"]))
    acting |= set(F.text(F.new_customers_in(tables, day)["registered_by"]))
    c = tables["contracts"]
    acting |= set(F.text(c.loc[F.in_period(c["signed_on"], day), "signer_id"]))
    p = tables["payments"]
    acting |= set(F.text(p.loc[F.in_period(p["paid_on"], day), "collector_id"]))
    order = F.text(tables["staff"].drop_duplicates("staff_id")["staff_id"])
    return [sid for sid in order if sid in acting]


def build(tables, settings, day: Day, staff_id: str, *, ownership=None, lang: str = "zh", today,
          windowed: dict | None = None, lookups: tuple | None = None) -> dict:
    """ownership: salesbook.ownership.compute(tables, settings, day.date) (for the customers
    whose protection is about to end); None leaves that list empty. When the caller builds
    the day's report of many people: windowed = F.window(tables, day.first, day.next().last),
    and lookups = (People, Customers unmasked), each made once (the answers are the same
    without them)."""
    staff, cust = lookups or (People(tables["staff"]), Customers(tables["customers"], masked=False))
    tables = windowed if windowed is not None else tables
    me = [staff_id]
    person = staff.person(staff_id)
    ctx = header(settings, "daily", day, PERSON, staff_id, f"{person['name']}({staff_id})" if person["name"]
                 else staff_id, lang, today)
    ctx["person"] = person
    v = F.visits_in(tables, day, me).sort_values(["date", "_row"], kind="stable")
    ctx["visits"] = [{**cust.brief(r["customer_id"]), "method": s(r["method"]), "minutes": number(r["minutes"]),
                      "intent": s(r["intent"]), "no_deal_reason": s(r["no_deal_reason"]), "notes": s(r["notes"]),
                      "next_follow_up": date(r["next_follow_up"])} for r in v.to_dict("records")]
    new = F.new_customers_in(tables, day, me)
    ctx["new_customers"] = [{**cust.brief(r["customer_id"]), "source": s(r["source"]),
                             "registered_at": date(r["registered_at"])} for r in new.to_dict("records")]
    c = F.contracts_signed_by(tables, day, me)
    ctx["contracts"] = [{"contract_id": s(r["contract_id"]), **cust.brief(r["customer_id"]),
                         "product": s(r["product"]), "amount": money_of(r["amount"]),
                         "approval": s(r["approval"]), "status": s(r["status"]), "counts": bool(r["counts"])}
                        for r in c.to_dict("records")]
    p = F.payments_collected_by(tables, day, me)
    ctx["payments"] = [{"payment_id": s(r["payment_id"]), "contract_id": s(r["contract_id"]),
                        "amount": money_of(r["amount"]), "remitted": s(r["remitted"]), "counts": bool(r["counts"])}
                       for r in p.to_dict("records")]
    f = F.period_figures(tables, day, me)
    ctx["figures"] = figures_dict(f)
    ctx["figures"]["collected_today"] = money(F.amount_fen(p[p["counts"].to_numpy(dtype=bool)]))
    fu = F.followups_in(tables, day.next(), me).sort_values(["_row"], kind="stable")
    ctx["tomorrow"] = day.next().label
    ctx["followups_tomorrow"] = [{**cust.brief(r["customer_id"]), "planned_at": date(r["date"]),
                                  "method": s(r["method"]), "notes": s(r["notes"])} for r in fu.to_dict("records")]
    ctx["expiring"] = _expiring(ownership, staff_id, settings.expiry_warning_days, cust)
    ctx["expiry_warning_days"] = settings.expiry_warning_days
    return ctx


def _expiring(ownership, staff_id, within: int, cust: Customers) -> list[dict]:
    if ownership is None:
        return []
    e = ownership.expiring(within)
    e = e[(e["owner_id"] == staff_id).to_numpy(dtype=bool)]
    return [{**cust.brief(r["customer_id"]), "protected_until": date(r["protected_until"]),
             "days_left": int(r["days_left"])} for r in e.to_dict("records")]
