"""周报 context: one ISO week (Monday–Sunday) for the department or one 小组.

The weekly meeting agenda (seed 000, 销售部周会): ① intent customers and how they are
followed up, with the next step; ② why customers without intent said no, counted;
③ this week's numbers against last week's, and next week's planned follow-ups.
Phones are masked (the report goes beyond each customer's rep).
"""
from __future__ import annotations

import pandas as pd

from ...domain.calendar import Week
from ...domain.org import REP_ROLES, TEAM_LEAD_ROLES
from .. import figures as F
from .common import (DEPARTMENT_WORD, Customers, People, change, columns, date, figures_dict, header, money,
                     reasons_list, s)

TEAM, DEPARTMENT = "team", "department"


def members(staff: pd.DataFrame, team: str) -> list[str]:
    """工号 of everybody whose 小组 is `team` (any status: a leaver's week still counts)."""
    st = staff.drop_duplicates("staff_id", keep="first")
    return [sid for sid, t in zip(F.text(st["staff_id"]), F.text(st["team"])) if t == team]


def teams(staff: pd.DataFrame) -> list[str]:
    """The sales teams: every 小组 of 人员 with at least one rep or team lead in it, in
    first-appearance order (a 小组 holding only managers or admins, such as a region's
    office, gets no team report: its work is in the department's)."""
    selling = set(REP_ROLES) | set(TEAM_LEAD_ROLES)
    return list(dict.fromkeys(t for t, r in zip(F.text(staff["team"]), F.text(staff["role"])) if t and r in selling))


def build(tables, settings, week: Week, *, team: str | None = None, lang: str = "zh", today,
          windowed: dict | None = None, lookups: tuple | None = None, per_person: dict | None = None) -> dict:
    """tables: usable rows (full, for names). When the caller builds many weekly reports of
    the same week, made once: windowed = F.window(tables, week.prev().first,
    week.next().last), lookups = (People, Customers masked), per_person = by_person(windowed,
    week) (the answers are the same without them)."""
    w = windowed if windowed is not None else F.window(tables, week.prev().first, week.next().last)
    people = members(tables["staff"], team) if team is not None else None
    if people is not None:
        w = F.scope(w, people)   # every figure below is then the team's
    staff, cust = lookups or (People(tables["staff"]), Customers(tables["customers"], masked=True))
    subject = team if team is not None else DEPARTMENT_WORD[1 if lang == "en" else 0]
    ctx = header(settings, "weekly", week, TEAM if team is not None else DEPARTMENT, team, subject, lang, today)
    now, before = F.period_figures(w, week), F.period_figures(w, week.prev())
    ctx["figures"] = figures_dict(now)
    ctx["previous"] = figures_dict(before)
    ctx["previous"]["period"] = week.prev().label
    ctx["change"] = change(ctx["figures"], ctx["previous"])
    ctx["intent_customers"] = _intent_rows(F.visits_in(w, week), staff, cust)
    ctx["no_intent_reasons"] = reasons_list(now.no_intent_reasons)
    ctx["followups_next_week"] = _followups(F.followups_in(w, week.next()), staff, cust)
    ctx["next_week"] = {"period": week.next().label, "first": week.next().first.isoformat(),
                        "last": week.next().last.isoformat()}
    ctx["breakdown"] = _breakdown(w, week, tables["staff"], people, staff, per_person)
    return ctx


def by_person(windowed: dict, week: Week) -> dict[str, dict[str, int]]:
    """The week's GROUP_FIGURES of each person (a team report's breakdown rows): a person's
    figures do not depend on the team asking, so a run works them out once for all teams."""
    return F.figures_by(windowed, week, {sid: sid for sid in F.text(windowed["staff"]["staff_id"]) if sid})


def _intent_rows(visits: pd.DataFrame, staff: People, cust: Customers) -> list[dict]:
    """Agenda ①: each intent customer of the week with its latest visit of the week (the
    latest follow-up: who, how, what was said) and the next step planned there."""
    intents = set(F.intent_customers(visits))
    v = visits[pd.Series(visits["customer_id"], dtype=object).isin(intents).to_numpy(dtype=bool)]
    v = v.sort_values(["date", "_row"], kind="stable")
    latest = v.groupby(pd.Series(v["customer_id"], dtype=object).to_numpy(), sort=False).tail(1)
    count = pd.Series(v["customer_id"], dtype=object).value_counts()
    rows = []
    for cid, sid, day, method, intent, notes, planned in columns(
            latest, "customer_id", "staff_id", "date", "method", "intent", "notes", "next_follow_up"):
        rows.append({**cust.brief(cid), "staff_id": s(sid), "staff_name": staff.name(sid),
                     "visits": int(count.get(cid, 0)), "last_visit": date(day),
                     "last_method": s(method), "last_intent": s(intent), "last_notes": s(notes),
                     "next_follow_up": date(planned)})
    rows.sort(key=lambda x: (x["staff_id"], x["last_visit"] or "", x["customer_id"]))
    return rows


def _followups(visits: pd.DataFrame, staff: People, cust: Customers) -> list[dict]:
    v = visits.sort_values(["next_follow_up", "staff_id", "_row"], kind="stable")
    return [{"date": date(planned), "staff_id": s(sid), "staff_name": staff.name(sid), **cust.brief(cid),
             "planned_at": date(day), "notes": s(notes)}
            for planned, sid, cid, day, notes in columns(v, "next_follow_up", "staff_id", "customer_id", "date",
                                                          "notes")]


def _breakdown(w, week, staff_table, people, st: People, per_person: dict | None) -> list[dict]:
    """Rows under the totals: per 小组 in the department report (those with activity), per
    member in a team's."""
    if people is None:
        group_of = {sid: t for sid, t in zip(F.text(staff_table["staff_id"]), F.text(staff_table["team"])) if t}
        figures = F.figures_by(w, week, group_of)
        return [{"name": t, "staff_id": None, **_money(figures[t])} for t in teams(staff_table) if t in figures]
    figures = per_person if per_person is not None else F.figures_by(w, week, {sid: sid for sid in people or []})
    empty = dict.fromkeys(F.GROUP_FIGURES, 0)
    return [{"name": st.name(sid), "staff_id": sid, **_money(figures.get(sid, empty))} for sid in people or []]


def _money(f: dict) -> dict:
    return {k: money(v) if k.endswith("amount") else v for k, v in f.items()}
