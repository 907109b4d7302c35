"""A realistic, deterministic demo company: every input sheet, over the 12 months before `today`.

Three regions, a management tree, 内销 front-desk consultants on a rotation roster and
外销 field reps, customers from every 来源 (walk-ins, vouchers, referrals, look-alike
duplicates), visits, discounted contracts with approvals, partial payments and refunds.
Everything is drawn with one seeded numpy Generator, mostly vectorised, so `large`
(200k visits) takes seconds. A handful of typical mistakes is planted on purpose
(PLANTED_MISTAKES) so that 检查数据 has something to find; nothing else is wrong.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .xlsx.cells import letter, xml_text
from . import contract as K
from .domain import org
from .findings import ERROR, WARNING

SCALES = {
    "small": dict(staff=30, customers=600, visits=5_000, contracts=800, payments=1_200),
    "large": dict(staff=200, customers=20_000, visits=200_000, contracts=30_000, payments=40_000),
    "xlarge": dict(staff=200, customers=40_000, visits=400_000, contracts=30_000, payments=40_000),
}
COMPANY = "华信健身俱乐部(演示数据)"


@dataclass(frozen=True)
class Planted:
    key: str
    sheet: str      # contract sheet key
    column: str     # contract column key
    level: str      # ERROR / WARNING
    stage: str      # "parse": book.load reports it; "validate": the validation rules do
    what: str


# The mistakes a sales admin typically makes, planted once each; `planted_rows` finds them.
PLANTED_MISTAKES = (
    Planted("text_in_number", "targets", "sales_target", ERROR, "parse", "销售目标写成了文字「5万」"),
    Planted("future_date", "visits", "date", ERROR, "validate", "拜访日期写成了今天之后的日期"),
    Planted("unknown_staff", "visits", "staff_id", ERROR, "validate", "工号把数字 0 打成了字母 O, 人员表里没有"),
    Planted("above_list_price", "contracts", "amount", ERROR, "validate", "合同金额高于原价"),
    Planted("overpayment", "payments", "amount", ERROR, "validate", "一份合同的回款合计超过合同金额"),
    Planted("duplicate_customer_id", "customers", "customer_id", ERROR, "validate", "两个客户用了同一个客户编号"),
    Planted("long_intent_visit", "visits", "minutes", WARNING, "validate", "意向拜访 40 分钟, 超过 15 分钟"),
)

# Realistic situations that are not mistakes but do produce 警告 (撞单, 未上交, 待审批...).
DUPLICATE_PHONE_SHAPES = ("+86 {a} {b} {c}", "{a}-{b}-{c}", "0086{a}{b}{c}", "{a} {b} {c}")

REGIONS = ("华东", "华南", "华北")
HQ = "总部"
CITIES = {"华东": ("上海", "杭州", "南京", "苏州"), "华南": ("广州", "深圳", "东莞", "佛山"),
          "华北": ("北京", "天津", "石家庄", "济南")}
AREA_CODES = {"上海": "021", "杭州": "0571", "南京": "025", "苏州": "0512", "广州": "020", "深圳": "0755",
              "东莞": "0769", "佛山": "0757", "北京": "010", "天津": "022", "石家庄": "0311", "济南": "0531"}
SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦")
GIVEN = tuple("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞建国志文斌辉宇欣怡晨浩然婷雪琳佳豪俊凯")
BRAND = tuple("恒信华泰金宏盛达永安鼎瑞丰源通聚海天创新康博远联合众鑫利兴隆嘉禾")
FLAVOURS = ("", "实业", "国际", "集团")
COMPANY_KINDS = ("科技有限公司", "贸易有限公司", "餐饮管理有限公司", "物流有限公司", "教育咨询有限公司",
                 "电子商务有限公司", "建筑工程有限公司", "医疗器械有限公司", "文化传媒有限公司", "机械制造有限公司")
INDUSTRIES = ("科技", "贸易", "餐饮", "物流", "教育", "电商", "建筑", "医疗", "传媒", "制造")
DISTRICTS = ("中山", "人民", "建设", "解放", "新华", "和平", "长江", "黄河", "滨江", "科技")
# Products of a fitness club; the group cards are what field (外销) reps sell to companies.
PERSONAL_PRODUCTS = (("年卡", 4980), ("半年卡", 2980), ("季卡", 1680), ("私教课程(20节)", 6800))
PERSONAL_WEIGHTS = (5, 3, 2, 2)
COMPANY_PRODUCTS = (("企业团体卡(10人)", 39800), ("企业团体卡(30人)", 108000), ("年度健康服务套餐", 12800))
COMPANY_WEIGHTS = (5, 2, 3)
COMPANY_MULTI = 0.2      # share of company deals for 2 or 3 units
# 合同金额/原价: (probability, low, high); many pay the list price, a few get a manager's deep discount.
DISCOUNTS = ((0.3, 1.0, 1.0), (0.3, 0.95, 1.0), (0.25, 0.9, 0.95), (0.11, 0.8, 0.9), (0.03, 0.7, 0.8),
             (0.01, 0.62, 0.7))
MEAN_RATE = sum(p * (lo + hi) / 2 for p, lo, hi in DISCOUNTS)
DEAL_TRIES = 48          # ways a seller's month could have gone; the demo keeps the one nearest the plan
SOURCE_WEIGHTS = {"陌生拜访": 18, "电话开发": 14, "上门散客": 16, "试用券": 8, "名片": 7,
                  "转介绍": 10, "展会": 7, "网络": 14, "老客户": 6}
NO_DEAL_REASONS = ("价格太高", "暂无需求", "已有供应商", "决策人不在", "预算不足", "考虑中", "距离太远", "对效果有疑虑")
NO_DEAL_WEIGHTS = (22, 20, 12, 10, 12, 14, 5, 5)
NOTES = {
    ("电话拜访", True): ("电话回访, 客户对方案感兴趣, 约好到店体验", "电话沟通价格细节, 客户倾向年卡", "确认团体卡人数, 客户在走内部流程"),
    ("电话拜访", False): ("电话回访, 客户表示{r}", "电话联系, {r}, 下月再联系", "电话跟进, {r}"),
    ("意向拜访", True): ("上门讲解方案, 客户有意向, 待报价", "带客户参观场馆, 对私教课兴趣大", "与负责人面谈, 准备合同草稿"),
    ("意向拜访", False): ("上门拜访, {r}", "面谈后客户{r}, 保持联系", "拜访未见到关键人, {r}"),
    ("陌生拜访", True): ("陌生拜访, 前台留了名片, 负责人有兴趣", "扫楼拜访, 客户愿意了解团体卡"),
    ("陌生拜访", False): ("陌生拜访, {r}", "扫楼拜访, 客户{r}"),
    ("来访接待", True): ("到店参观, 体验了课程, 有意向办卡", "持券到店, 对年卡价格满意, 回家商量", "带朋友到店, 想一起办卡"),
    ("来访接待", False): ("到店咨询, {r}", "参观场馆后{r}", "到店了解价格, {r}"),
}
ROLE_PAY = {"销售副总": 25000, "营销总监": 16000, "销售总监": 15000, "销售经理": 9000, "组长": 6000,
            "销售内勤": 4000, "销售助理": 4000, "会籍顾问": 3500, "销售代表": 4000, "客户代表": 4000, "电话销售": 3000}
SELLING_ROLES = org.REP_ROLES          # a 组长 leads the team and sells too
MEMBER_ROLES = tuple(r for r in org.REP_ROLES if r not in org.TEAM_LEAD_ROLES)   # come and go
VISIT_TARGETS = {"会籍顾问": 40, "销售代表": 60, "客户代表": 60, "电话销售": 200, "组长": 30}
# Deals a month, relative: front-desk consultants close many small personal cards, field
# reps fewer company deals; a 组长 spends part of the month leading the team.
DEAL_RATE = {"会籍顾问": 1.5, "销售代表": 0.7, "客户代表": 0.7, "电话销售": 0.9}
LEADER_SHARE = 0.7
# A fitness club's year: New Year resolutions, a slow Spring Festival, a summer and a September high.
SEASON = (1.15, 0.75, 1.05, 1.0, 1.05, 1.1, 1.1, 1.0, 1.1, 0.9, 0.95, 0.95)
CN_NUMERALS = "一二三四五六七八九十"
FAR = np.datetime64("2999-12-31")
OVERPAY = 500.0


def counts_for(scale: str = "small", counts: dict | None = None) -> dict:
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}, not {scale!r}")
    out = dict(SCALES[scale])
    unknown = set(counts or {}) - set(out)
    if unknown:
        raise ValueError(f"unknown counts {sorted(unknown)}; known: {sorted(out)}")
    out.update(counts or {})
    if out["staff"] < 20:
        raise ValueError("a demo company needs at least 20 staff")
    if out["customers"] < 10 or out["visits"] < 10 or out["contracts"] < 10 or out["payments"] < 10:
        raise ValueError("customers, visits, contracts and payments need at least 10 rows each")
    return out


def generate(scale: str = "small", *, seed: int = 7, today: dt.date, counts: dict | None = None,
             mistakes: bool = True) -> dict[str, pd.DataFrame]:
    """Contract sheet key -> DataFrame (Chinese headers, contract column order) of a demo company.
    `mistakes=False` leaves out the planted mistakes (a company that can close its month)."""
    n = counts_for(scale, counts)
    g = _Gen(np.random.default_rng(seed), today, n)
    g.staff()
    g.roster()
    g.customers()
    g.visits()
    g.sales_plan()
    g.contracts()
    g.payments()
    g.overrides()
    g.targets_and_attendance()
    if mistakes:
        g.plant_mistakes()
    return {s.key: _frame(s, g.out[s.key]) for s in K.INPUT_SHEETS}


def _frame(sheet: K.Sheet, cols: dict) -> pd.DataFrame:
    data = {}
    length = max((len(v) for v in cols.values()), default=0)
    for c in sheet.columns:
        v = cols.get(c.key)
        if v is None:
            v = [None] * length
        if c.type in K.DATE_TYPES:
            v = pd.Series(np.asarray(v).astype("datetime64[ns]") if not isinstance(v, pd.Series) else v)
        data[c.zh] = pd.Series(v).reset_index(drop=True)
    return pd.DataFrame(data, columns=sheet.headers())


def _days(d) -> np.datetime64:
    return np.datetime64(d, "D")


class _Gen:
    """One generation run; each step adds a sheet's columns to self.out (by column key)."""

    def __init__(self, rng: np.random.Generator, today: dt.date, n: dict):
        self.rng, self.n = rng, n
        self.today = _days(today)
        self.start = self.today - 365
        days = np.arange(self.start, self.today + 1)
        self.workdays = days[np.is_busday(days)]
        self.out: dict[str, dict] = {}

    # --- helpers -------------------------------------------------------------

    def pick(self, seq, size, p=None):
        seq = np.asarray(seq, dtype=object)
        if p is not None:
            p = np.asarray(p, dtype=float)
            p = p / p.sum()
        return seq[self.rng.choice(len(seq), size=size, p=p)]

    def names(self, size: int, unique: bool = True) -> np.ndarray:
        """Chinese person names, two or three characters."""
        ns, ng = len(SURNAMES), len(GIVEN)
        total = ns * (ng + ng * ng)
        unique = unique and size <= total
        idx = self.rng.choice(total, size=size, replace=False) if unique else self.rng.integers(total, size=size)
        s, rest = idx % ns, idx // ns
        out = []
        for si, r in zip(s.tolist(), rest.tolist()):
            out.append(SURNAMES[si] + (GIVEN[r] if r < ng else GIVEN[(r - ng) // ng] + GIVEN[(r - ng) % ng]))
        return np.array(out, dtype=object)

    def active(self, who: np.ndarray, days: np.ndarray) -> np.ndarray:
        return (self.hire[who] <= days) & (self.leave[who] >= days)

    def pick_active(self, pool: np.ndarray, days: np.ndarray) -> np.ndarray:
        """For each day, a random person of `pool` employed on that day (else a stable rep)."""
        pool = np.asarray(pool)
        out = pool[self.rng.integers(len(pool), size=len(days))]
        for _ in range(40):
            bad = ~self.active(out, days)
            if not bad.any():
                return out
            out[bad] = pool[self.rng.integers(len(pool), size=int(bad.sum()))]
        bad = ~self.active(out, days)
        out[bad] = self.stable[self.rng.integers(len(self.stable), size=int(bad.sum()))]
        return out

    # --- 人员 -----------------------------------------------------------------

    def staff(self):
        rng, n = self.rng, self.n["staff"]
        rows = []  # (role, channel, region, team, manager index)

        def add(role, channel, region, team, manager):
            rows.append((role, channel, region, team, manager))
            return len(rows) - 1

        teams_per_region = max(2, round(n / 30))
        vp = add("销售副总", None, HQ, HQ, None)
        top = add("营销总监", None, HQ, HQ, vp) if n >= 100 else vp
        if n >= 100:
            add("销售助理", None, HQ, HQ, top)
        teams = []  # (leader index, channel, region, team name)
        self.clerks = []
        # Everybody has a place in the org: reps and their 组长 a 小组, a 销售经理 the 部 of the
        # (up to three) 小组 he runs, a 销售总监 and the region's 内勤 the 区, head office 总部.
        for region in REGIONS:
            office = f"{region}区"
            director = add("销售总监", None, region, office, vp)
            managers = [add("销售经理", None, region, f"{region}{CN_NUMERALS[i]}部", director)
                        for i in range(-(-teams_per_region // 3))]
            for j in range(teams_per_region):
                channel = K.CHANNELS[j % 2]
                team = f"{region}{j + 1}组"
                teams.append((add("组长", channel, region, team, managers[j // 3]), channel, region, team))
            if n >= 60 or not self.clerks:
                self.clerks.append(add("销售内勤", None, region, office, director))
        n_reps = n - len(rows)
        if n_reps < len(teams):
            raise ValueError(f"{n} staff are too few for {len(teams)} teams")
        field_k = 0
        for k in range(n_reps):
            leader, channel, region, team = teams[k % len(teams)]
            if channel == K.CHANNELS[0]:
                role = "会籍顾问"
            else:  # every 4th field rep works the phone, a few are account reps
                role = "电话销售" if field_k % 4 == 3 else ("客户代表" if field_k % 7 == 5 else "销售代表")
                field_k += 1
            add(role, channel, region, team, leader)

        role = np.array([r[0] for r in rows], dtype=object)
        is_rep = np.isin(role, MEMBER_ROLES)
        width = max(3, len(str(n)))
        self.ids = np.array([f"S{i + 1:0{width}d}" for i in range(n)], dtype=object)
        self.role, self.is_rep = role, is_rep
        self.channel = np.array([r[1] for r in rows], dtype=object)
        self.region = np.array([r[2] for r in rows], dtype=object)
        self.team = np.array([r[3] for r in rows], dtype=object)
        self.manager = np.array([-1 if r[4] is None else r[4] for r in rows])

        # Managers have been here for years and stay; reps come and go.
        hire = self.today - rng.integers(730, 2900, size=n)
        reps = np.flatnonzero(is_rep)
        newcomer = rng.random(len(reps)) < 0.22
        hire[reps] = np.where(newcomer, self.start + rng.integers(0, 300, size=len(reps)),
                              self.start - rng.integers(30, 1500, size=len(reps)))
        hire = np.minimum(hire, self.today - 30)
        leave = np.full(n, FAR)
        first_day = np.maximum(hire[reps], self.start) + 60
        span = (self.today - 10 - first_day).astype(int)
        leaver = (rng.random(len(reps)) < 0.1) & (span > 0)
        leave[reps[leaver]] = first_day[leaver] + (rng.random(leaver.sum()) * span[leaver]).astype(int)
        self.hire, self.leave = hire.astype("datetime64[D]"), leave.astype("datetime64[D]")

        sells = np.isin(role, SELLING_ROLES)
        stable = sells & (self.hire < self.start) & (self.leave == FAR)
        self.stable = np.flatnonzero(stable)
        if len(self.stable) == 0:
            raise ValueError("demo staff too small: no rep employed all year")
        self.sellers = np.flatnonzero(sells)
        self.inside = np.flatnonzero(is_rep & (role == "会籍顾问"))
        self.field = np.flatnonzero(np.isin(role, ("销售代表", "客户代表")) | (role == "组长") & (self.channel == "外销"))
        self.phone_reps = np.flatnonzero(role == "电话销售")
        self.reps = reps
        self.clerks = np.array(self.clerks)
        # approval chain of a rep: 组长, 销售经理, 销售总监, 销售副总
        self.chain = {}
        up = self.manager.copy()
        for level in ("组长", "销售经理", "销售总监", "销售副总"):
            self.chain[level] = np.where(up >= 0, up, vp)
            up = np.where(up >= 0, self.manager[np.maximum(up, 0)], -1)
        self.clerk_of = np.array([self.clerks[min(REGIONS.index(r) if r in REGIONS else 0, len(self.clerks) - 1)]
                                  for r in self.region])

        status = np.where(self.leave < FAR, "离职",
                          np.where(self.hire > self.today - 90, "试用", "在职")).astype(object)
        pay = np.array([ROLE_PAY[r] for r in role], dtype=float)
        pay = pay + np.where(is_rep, rng.integers(0, 4, size=n) * 250, 0)
        self.out["staff"] = dict(
            staff_id=self.ids, name=self.names(n), role=role, channel=self.channel, region=self.region,
            team=self.team, manager_id=np.where(self.manager >= 0, self.ids[np.maximum(self.manager, 0)], None),
            hire_date=self.hire, leave_date=np.where(self.leave < FAR, self.leave, np.datetime64("NaT")),
            status=status, email=np.array([f"{i.lower()}@example.com" for i in self.ids], dtype=object),
            base_salary=pay, perf_base=np.round(pay * 0.3, -1),
            allowance=np.where(is_rep, 300.0, 500.0),
        )

    # --- 值班 -----------------------------------------------------------------

    def roster(self):
        """内销 consultants on front-desk duty every working day, in a shuffled order."""
        rng, days, who = self.rng, self.workdays, self.inside
        on = (self.hire[who][None, :] <= days[:, None]) & (self.leave[who][None, :] >= days[:, None])
        duty = on & (rng.random(on.shape) < 0.7)
        nobody = ~duty.any(axis=1) & on.any(axis=1)
        first = np.argmax(on, axis=1)
        duty[np.flatnonzero(nobody), first[nobody]] = True
        keys = np.where(duty, rng.random(on.shape), 2.0)
        order = np.argsort(keys, axis=1, kind="stable")
        ranks = np.argsort(order, axis=1, kind="stable") + 1
        d_idx, p_idx = np.nonzero(duty)
        rank = ranks[d_idx, p_idx]
        sort = np.lexsort((rank, d_idx))
        d_idx, p_idx, rank = d_idx[sort], p_idx[sort], rank[sort]
        self.duty = {}
        for d, p in zip(d_idx.tolist(), who[p_idx].tolist()):
            self.duty.setdefault(d, []).append(p)
        self.out["roster"] = dict(date=days[d_idx], staff_id=self.ids[who[p_idx]], order=rank.astype(float))

    # --- 客户 -----------------------------------------------------------------

    def customers(self):
        rng, n = self.rng, self.n["customers"]
        day_i = rng.integers(0, len(self.workdays) - (self.workdays[-1] == self.today), size=n)
        reg_at = np.sort(self.workdays[day_i].astype("datetime64[m]")
                         + rng.integers(9 * 60, 18 * 60, size=n).astype("timedelta64[m]"))
        reg_day = reg_at.astype("datetime64[D]")  # customer numbers follow registration time
        source = self.pick(K.SOURCES, n, [SOURCE_WEIGHTS[s] for s in K.SOURCES])
        source[0] = "网络"  # the first customer cannot be a referral
        is_walk, is_voucher, is_card = source == "上门散客", source == "试用券", source == "名片"
        is_ref = source == "转介绍"
        is_phone = source == "电话开发"
        is_field = np.isin(source, ("陌生拜访", "展会"))

        registrar = self.pick_active(self.sellers, reg_day)
        registrar[is_field] = self.pick_active(self.field, reg_day[is_field])
        if len(self.phone_reps):
            registrar[is_phone] = self.pick_active(self.phone_reps, reg_day[is_phone])
        designated = np.full(n, -1)
        designated[is_voucher] = self.pick_active(self.inside, reg_day[is_voucher])
        designated[is_card] = self.pick_active(self.sellers, reg_day[is_card])
        registrar[is_voucher | is_card] = designated[is_voucher | is_card]
        registrar[is_walk] = self.clerks[rng.integers(len(self.clerks), size=int(is_walk.sum()))]
        referrer = np.full(n, -1)
        ref_rows = np.flatnonzero(is_ref)
        referrer[ref_rows] = (rng.random(len(ref_rows)) * ref_rows).astype(int)

        # Who will actually look after the customer (the demo's intention; salesbook decides).
        primary = np.where(designated >= 0, designated, registrar)
        day_pos = {d: i for i, d in enumerate(self.workdays.tolist())}
        pointer = None
        for i in np.flatnonzero(is_walk).tolist():  # fair rotation (domain §5.2)
            cands = self.duty.get(day_pos[reg_day[i].item()], [])
            if not cands:
                continue
            nxt = cands[(cands.index(pointer) + 1) % len(cands)] if pointer in cands else cands[0]
            primary[i] = pointer = nxt
        for i in ref_rows.tolist():  # referrals go to the referrer's consultant while employed
            p = primary[referrer[i]]
            if self.hire[p] <= reg_day[i] <= self.leave[p]:
                primary[i] = p
        self.primary, self.reg_day = primary, reg_day
        # Who takes over when the primary leaves: a stable rep of the same region.
        self.successor = self._same_region_stable(primary)

        company = is_field | is_phone | (source == "网络") & (rng.random(n) < 0.5)
        self.company = company
        region = self.region[primary]
        region = np.where(np.isin(region, REGIONS), region, self.pick(REGIONS, n))
        city = np.array([CITIES[r][k] for r, k in zip(region, rng.integers(0, 4, size=n))], dtype=object)
        person = self.names(n)
        nb, nk, nf = len(BRAND), len(COMPANY_KINDS), len(FLAVOURS)
        combos = nb * nb * nf * nk  # unique company names, or 撞单 would flag look-alikes we did not plant
        combo = rng.choice(combos, size=n, replace=n > combos)
        kind = combo // (nb * nb * nf)
        cname = np.array([f"{c}{BRAND[k % nb]}{BRAND[(k // nb) % nb]}{FLAVOURS[(k // (nb * nb)) % nf]}"
                          f"{COMPANY_KINDS[t]}" for c, k, t in zip(city, combo, kind)], dtype=object)
        name = np.where(company, cname, person)
        contact = np.where(company, self.names(n, unique=False), person)
        digits = rng.choice(90_000_000, size=n, replace=False) + 10_000_000  # unique 8-digit numbers
        mobile_prefix = self.pick(("138", "139", "135", "137", "150", "158", "186", "188", "136", "189"), n)
        mobile = np.array([f"{p}{d:08d}" for p, d in zip(mobile_prefix, digits)], dtype=object)
        landline = np.array([f"{AREA_CODES[c]}-{d}" for c, d in zip(city, digits)], dtype=object)
        phone = np.where(company & (rng.random(n) < 0.6), landline, mobile)
        industry = np.where(company, np.array(INDUSTRIES, dtype=object)[kind], None)

        # Look-alike duplicates (撞单): the same person registered again by another rep, phone typed differently.
        n_dup = max(3, round(n * 0.005))
        dup = rng.choice(np.arange(n // 2, n), size=n_dup, replace=False)
        orig = (rng.random(n_dup) * dup * 0.9).astype(int)
        src_mobile = mobile[orig]
        shape = self.pick(DUPLICATE_PHONE_SHAPES, n_dup)
        phone[dup] = [s.format(a=m[:3], b=m[3:7], c=m[7:]) for s, m in zip(shape, src_mobile)]
        phone[orig] = src_mobile
        name[dup] = np.where(rng.random(n_dup) < 0.5, name[orig], name[dup])
        company[dup] = company[orig]
        self.duplicates = dup

        cls = self.pick(K.CUSTOMER_CLASSES, n, (10, 30, 40, 20))
        credit = np.where(company & np.isin(cls, ("A", "B")), self.pick((200_000.0, 300_000.0, 500_000.0), n), np.nan)
        width = max(5, len(str(n)))
        self.cids = np.array([f"K{i + 1:0{width}d}" for i in range(n)], dtype=object)
        self.out["customers"] = dict(
            customer_id=self.cids.copy(), customer_name=name, contact=contact, phone=phone,
            address=np.array([f"{c}市{DISTRICTS[k % 10]}路{k % 300 + 1}号" for c, k in zip(city, digits)], dtype=object),
            industry=industry, region=region, source=source, customer_class=cls, registered_at=reg_at,
            registered_by=self.ids[registrar], designated_id=np.where(designated >= 0, self.ids[designated], None),
            referrer_id=np.where(referrer >= 0, self.cids[np.maximum(referrer, 0)], None), credit_limit=credit,
        )
        self.propensity = rng.beta(1.2, 2.5, size=n)

    def _teammates(self, who: np.ndarray) -> np.ndarray:
        """For each person, a colleague of the same 小组 employed all year (else of the region)."""
        out = self._same_region_stable(who)
        for team in np.unique(self.team[who].astype(str)):
            pool = self.stable[self.team[self.stable].astype(str) == team]
            hit = self.team[who].astype(str) == team
            if len(pool) > 1:
                out[hit] = pool[self.rng.integers(len(pool), size=int(hit.sum()))]
        return out

    def _same_region_stable(self, who: np.ndarray) -> np.ndarray:
        out = self.stable[self.rng.integers(len(self.stable), size=len(who))]
        for region in REGIONS:
            pool = self.stable[self.region[self.stable] == region]
            hit = self.region[who] == region
            if len(pool) and hit.any():
                out[hit] = pool[self.rng.integers(len(pool), size=int(hit.sum()))]
        return out

    # --- 拜访 -----------------------------------------------------------------

    def visits(self):
        rng, n_c, n = self.rng, self.n["customers"], self.n["visits"]
        first = np.arange(min(n, n_c))
        weight = 0.3 + self.propensity
        more = rng.choice(n_c, size=n - len(first), p=weight / weight.sum())
        cust = np.concatenate([first, more])
        is_first = np.arange(n) < len(first)
        reg = self.reg_day[cust]
        span = (self.today - reg).astype(int)
        offset = (rng.random(n) ** 1.6 * (span + 1)).astype(int)
        day = np.where(is_first, reg, np.busday_offset(reg + np.minimum(offset, span), 0, roll="backward"))
        day = np.maximum(day, reg)
        who = self.primary[cust].copy()
        gone = ~self.active(who, day)
        who[gone] = self.successor[cust[gone]]
        # now and then a teammate covers; rarely somebody from another team drops by
        colleague = ~is_first & (rng.random(n) < 0.08)
        who[colleague] = self._teammates(who[colleague])
        stranger = ~is_first & (rng.random(n) < 0.01)
        who[stranger] = self.stable[rng.integers(len(self.stable), size=int(stranger.sum()))]

        source = self.out["customers"]["source"][cust]
        method = np.empty(n, dtype=object)
        r = rng.random(n)
        ch, role = self.channel[who], self.role[who]
        method[:] = np.where(ch == "内销", np.where(r < 0.5, "来访接待", np.where(r < 0.9, "电话拜访", "意向拜访")),
                             np.where(r < 0.45, "意向拜访", np.where(r < 0.9, "电话拜访", "陌生拜访")))
        method[role == "电话销售"] = "电话拜访"
        first_method = np.select(
            [np.isin(source, ("上门散客", "试用券", "名片", "转介绍")), source == "陌生拜访", source == "展会"],
            ["来访接待", "陌生拜访", "意向拜访"], "电话拜访")
        method[is_first] = first_method[is_first]
        low = np.select([method == "电话拜访", method == "意向拜访", method == "陌生拜访"], [2, 5, 10], 20)
        high = np.select([method == "电话拜访", method == "意向拜访", method == "陌生拜访"], [20, 15, 45], 90)
        minutes = (low + rng.random(n) * (high - low + 1)).astype(int).astype(float)
        intent = rng.random(n) < np.clip(self.propensity[cust] * 1.1, 0.05, 0.9)
        reason = np.where(intent, None, self.pick(NO_DEAL_REASONS, n, NO_DEAL_WEIGHTS))
        notes = np.empty(n, dtype=object)
        pick = rng.random(n)
        for (m, yes), texts in NOTES.items():
            sel = (method == m) & (intent == yes)
            k = (pick[sel] * len(texts)).astype(int)
            notes[sel] = [texts[i].format(r=x) for i, x in zip(k, reason[sel])]
        follow = np.where(intent, day + rng.integers(2, 11, size=n),
                          np.where(np.isin(reason, ("考虑中", "决策人不在")), day + rng.integers(7, 31, size=n),
                                   np.datetime64("NaT")))
        order = np.lexsort((self.ids[who].astype(str), day))
        self.v_cust, self.v_day, self.v_who = cust[order], day[order], who[order]
        self.v_intent = intent[order]
        self.out["visits"] = dict(
            date=day[order], staff_id=self.ids[who][order], customer_id=self.cids[cust][order],
            method=method[order], minutes=minutes[order], intent=np.where(intent, "是", "否")[order].astype(object),
            no_deal_reason=reason[order], notes=notes[order], next_follow_up=follow[order].astype("datetime64[D]"),
        )

    # --- 合同 -----------------------------------------------------------------

    # --- 销售计划 -------------------------------------------------------------

    def sales_plan(self):
        """Each seller's monthly target, and how many deals worth how much to close against it.

        A target is what the seller can sell in a normal month: the role's deal rate, a
        newcomer's ramp-up, the season and the growing customer base, times the seller's
        usual deal size. Sellers have a form: most close 100–125 % of target, a few stars
        far above, a few strugglers far below, and every month swings. contracts() then
        draws deals to match this plan, so 达成率 reads like a real team's.
        """
        rng, n = self.rng, self.n["contracts"]
        months = np.arange(self.start.astype("datetime64[M]"), self.today.astype("datetime64[M]") + 1)
        first = months.astype("datetime64[D]")
        last = (months + 1).astype("datetime64[D]") - 1
        who = self.sellers
        hire, leave = self.hire[who][:, None], self.leave[who][:, None]
        busdays = np.busday_count(first, last + 1)[None, :].astype(float)
        employed = (hire <= last[None, :]) & (leave >= first[None, :])
        # the share of the month a seller could sell in (employed, inside the data, up to today)
        lo = np.maximum(np.maximum(first[None, :], hire), self.start)
        hi = np.minimum(np.minimum(last[None, :], leave), self.today)
        selling = np.clip(np.busday_count(lo, hi + 1), 0, None) / busdays
        # the admin prorates a newcomer's first target; nobody knows a leaving date in advance
        worked = np.clip(np.busday_count(np.maximum(first[None, :], hire), last[None, :] + 1), 0, None) / busdays
        prorate = np.where(employed, np.maximum(worked, 0.2), 0.0)
        tenure = months[None, :] - self.hire[who].astype("datetime64[M]")[:, None]
        ramp = np.select([tenure <= 0, tenure == 1], [0.5, 0.75], 1.0).astype(float)
        role, channel = self.role[who], self.channel[who]
        rate = np.array([DEAL_RATE[r] if r in DEAL_RATE else
                         LEADER_SHARE * DEAL_RATE["会籍顾问" if c == K.CHANNELS[0] else "销售代表"]
                         for r, c in zip(role, channel)])
        season = np.array(SEASON)[(months.astype(int) % 12)]

        # Candidate visits: a seller closes with customers visited this month or shortly before.
        order = np.lexsort((self.v_day, self.v_who))
        v_who, v_day = self.v_who[order], self.v_day[order]
        last_day = np.minimum(np.minimum(last[None, :], leave), self.today)
        last_day = np.busday_offset(last_day, 0, roll="backward")
        open_day = np.busday_offset(first, 0, roll="forward")[None, :]
        keys_lo = np.searchsorted(v_who, who)
        keys_hi = np.searchsorted(v_who, who, side="right")
        cand_lo = np.empty(selling.shape, dtype=np.int64)
        cand_hi = np.empty(selling.shape, dtype=np.int64)
        for i in range(len(who)):
            days = v_day[keys_lo[i]:keys_hi[i]]
            cand_lo[i] = keys_lo[i] + np.searchsorted(days, first - 30)
            cand_hi[i] = keys_lo[i] + np.searchsorted(days, last_day[i], side="right")
        can_sell = (cand_hi > cand_lo) & (open_day <= last_day) & (selling > 0)
        # a young customer base: early months have fewer interested customers to close
        hot = np.bincount(months.searchsorted(self.v_day[self.v_intent].astype("datetime64[M]")),
                          minlength=len(months)) / np.maximum(selling.max(axis=0), 0.05)
        base_level = np.quantile(hot, 0.75) if hot.max() > 0 else 1.0
        maturity = np.clip(hot / max(base_level, 1e-9), 0.5, 1.0)

        form = np.repeat(rng.uniform(1.0, 1.25, len(who))[:, None], len(months), axis=1)
        k = max(1, round(0.08 * len(who)))
        members = np.flatnonzero(role != "组长")
        weak = rng.choice(members, size=min(k, len(members)), replace=False)
        star = rng.choice(np.setdiff1d(np.arange(len(who)), weak), size=k, replace=False)
        form[star] = rng.uniform(1.3, 1.55, len(star))[:, None]
        # a struggler has been in a slump for the last few months (before that, or after being
        # warned, people recover: nobody misses target for a whole year and stays)
        slump = len(months) - 1 - rng.integers(2, 7, size=len(weak))
        form[weak] = np.where(np.arange(len(months))[None, :] >= slump[:, None],
                              rng.uniform(0.45, 0.62, len(weak))[:, None], form[weak])
        market = np.exp(rng.normal(0, 0.05, len(months)))
        achieve = form * market[None, :] * np.exp(rng.normal(0, 0.12, selling.shape))

        level = rate[:, None] * ramp * season[None, :] * maturity[None, :]   # deals in a full month at 100 %
        weight = level * selling * achieve * can_sell
        per_unit = n / weight.sum()
        counts = _allocate(rng, n, weight, at_least_one=(selling >= 0.5) & can_sell)
        ticket = self._usual_deal(who)
        target = per_unit * level * prorate * ticket[:, None]
        target = np.where(target < 50_000, np.round(target / 1000) * 1000, np.round(target / 5000) * 5000)
        self.plan = dict(months=months, first=first, last=last, who=who, employed=employed,
                         target=np.where(employed, np.maximum(target, 1000.0), np.nan),
                         counts=counts, amount=per_unit * weight * ticket[:, None],
                         last_day=last_day, cand_lo=cand_lo, cand_hi=cand_hi, order=order)

    def _usual_deal(self, who: np.ndarray) -> np.ndarray:
        """Expected 合同金额 of one deal by each seller, from the mix of customers they visit."""
        personal = _mean_price(PERSONAL_PRODUCTS, PERSONAL_WEIGHTS)
        company = _mean_price(COMPANY_PRODUCTS, COMPANY_WEIGHTS) * (1 + COMPANY_MULTI * 1.5)
        own = (self.primary[self.v_cust] == self.v_who) | (self.successor[self.v_cust] == self.v_who)
        visits = np.bincount(self.v_who[own], minlength=len(self.ids))[who]
        firms = np.bincount(self.v_who[own], weights=self.company[self.v_cust[own]], minlength=len(self.ids))[who]
        share = np.where(visits > 0, firms / np.maximum(visits, 1), 0.2)
        return (share * company + (1 - share) * personal) * MEAN_RATE

    # --- 合同 -----------------------------------------------------------------

    def contracts(self):
        rng, n, plan = self.rng, self.n["contracts"], self.plan
        order, counts = plan["order"], plan["counts"]
        bought = np.zeros(self.n["customers"], dtype=bool)
        chosen, months, groups, prices, rates, kinds = [], [], [], [], [], []
        for i, j in zip(*np.nonzero(counts)):
            c, who = int(counts[i, j]), plan["who"][i]
            cand = order[plan["cand_lo"][i, j]:plan["cand_hi"][i, j]]
            cust = self.v_cust[cand]
            # the seller's own interested customers first, then those who have not bought yet,
            # one visit per customer (a deal on a colleague's customer is the exception)
            own = (self.primary[cust] == who) | (self.successor[cust] == who)
            key = (~own) * 4.0 + (~self.v_intent[cand]) * 2.0 + bought[cust] + rng.random(len(cand))
            ranked = np.argsort(key, kind="stable")
            _, first_of = np.unique(cust[ranked], return_index=True)
            lead = np.zeros(len(ranked), dtype=bool)
            lead[first_of] = True
            ranked = np.concatenate([ranked[np.sort(first_of)], ranked[~lead]])
            pool = ranked[:max(4 * c, c + 4)]
            if own.sum() >= c:  # a colleague's customer only when the seller has too few of his own
                pool = pool[own[pool]]
            pool = cand[pool]
            # A few ways the month could have gone; keep the one closest to the plan.
            if len(pool) >= c:
                pick = np.argsort(rng.random((DEAL_TRIES, len(pool))), axis=1)[:, :c]
            else:
                pick = rng.integers(len(pool), size=(DEAL_TRIES, c))
            company = self.company[self.v_cust[pool[pick]]]
            price, kind = _deal_prices(rng, company)
            rate = _discount_rates(rng, company.shape)
            amount = np.floor(price * rate / 10) * 10
            gap = np.abs(np.log(np.maximum(amount.sum(axis=1), 1.0) / max(plan["amount"][i, j], 1.0)))
            best = int(np.argmin(gap))
            chosen.append(pool[pick[best]])
            months.append(np.full(c, j))
            groups.append(np.full(c, len(groups)))
            prices.append(price[best])
            rates.append(rate[best])
            kinds.append(kind[best])
            bought[self.v_cust[pool[pick[best]]]] = True
        src = np.concatenate(chosen)
        month, group = np.concatenate(months), np.concatenate(groups)
        list_price, rate, product = np.concatenate(prices), np.concatenate(rates), np.concatenate(kinds)
        cust, signer, vday = self.v_cust[src], self.v_who[src], self.v_day[src]
        seller_pos = np.searchsorted(plan["who"], signer)
        # a few days after the visit; a customer visited last month signs some day this month
        first, last_ok = plan["first"][month], plan["last_day"][seller_pos, month]
        day = vday + rng.geometric(0.3, size=n) - 1
        later = first + (rng.random(n) * ((last_ok - first).astype(int) + 1)).astype(int)
        day = np.where(day < first, later, day)
        day = np.minimum(np.busday_offset(day, 0, roll="forward"), last_ok)
        company = self.company[cust]
        # The month's approvals are done before its pay is computed: only this month's deals
        # can still wait for one.
        recent = day >= self.today.astype("datetime64[M]").astype("datetime64[D]")
        # A deal that falls through (驳回, 取消) is a small one beside the month's others, or a
        # seller's whole month would vanish with it.
        value = np.floor(list_price * rate / 10) * 10
        month_total = np.bincount(group, weights=value)[group]
        minor = value < 0.35 * month_total
        cust = self._club_signings(cust, signer, day, minor & ~company)
        a = rng.random(n)
        approval = np.where(recent & (a < 0.25), "待审批",
                            np.where(minor & (a > 0.98), "已驳回", "已批准")).astype(object)
        # Contracts not (yet) approved stay within the signer's own authority: a pending deep
        # discount would be a 错误 the demo did not mean to plant.
        pending = approval != "已批准"
        amount = np.where(pending, np.minimum(np.ceil(list_price * np.maximum(rate, 0.95) / 10) * 10, list_price),
                          np.floor(list_price * rate / 10) * 10)
        ratio = amount / list_price
        # The approver is the first manager up the chain whose authority covers the discount.
        authority = dict(K.DEFAULT_DISCOUNT_AUTHORITY)
        approver = self.chain["销售副总"][signer].copy()
        for level in ("销售总监", "销售经理", "组长"):
            ok = ratio >= authority[level]
            approver[ok] = self.chain[level][signer][ok]

        status = np.where(approval == "已驳回", "已取消", "执行中").astype(object)
        cancelled = (approval == "已批准") & minor & (rng.random(n) < 0.015)
        status[cancelled] = "已取消"
        # a teammate helped with one of the smaller deals of the month
        collab = (approval == "已批准") & minor & (rng.random(n) < 0.12)
        partner = self._teammates(signer)
        collab &= partner != signer
        share = np.where(collab, self.pick((0.3, 0.5, np.nan), n), np.nan)

        order = np.lexsort((rng.random(n), day))
        yymm = pd.Series(day[order]).dt.strftime("%y%m")
        seq = yymm.groupby(yymm).cumcount() + 1
        ids = (("HT" + yymm + "-") + seq.map("{:04d}".format)).to_numpy(dtype=object)
        o = order
        self.k_ids, self.k_day, self.k_amount = ids, day[o], amount[o]
        self.k_signer, self.k_status, self.k_approval = signer[o], status[o], approval[o]
        self.k_cust = cust[o]
        terms = np.where(company, self.pick((30, 60, 90), n), 30)[o].astype(int)
        self.out["contracts"] = dict(
            contract_id=ids, customer_id=self.cids[cust[o]], signer_id=self.ids[signer[o]],
            collaborator_id=np.where(collab, self.ids[partner], None)[o], collab_share=share[o],
            signed_on=day[o], product=product[o], list_price=list_price[o], amount=amount[o],
            approval=approval[o], approver_id=np.where(approval == "待审批", None, self.ids[approver])[o],
            status=status[o], due_date=day[o] + terms,
        )

    def _club_signings(self, cust: np.ndarray, signer: np.ndarray, day: np.ndarray, small: np.ndarray) -> np.ndarray:
        """A field rep's customer comes to the club and signs with a front-desk consultant
        (the 70/30 内外销 rule): a few of the consultants' small personal deals become that."""
        inside = np.flatnonzero(small & (self.channel[signer] == K.CHANNELS[0]) & (self.role[signer] != "组长"))
        picked = inside[self.rng.random(len(inside)) < 0.05]
        field = np.flatnonzero((self.channel[self.v_who] == K.CHANNELS[1]) & ~self.company[self.v_cust]
                               & (self.primary[self.v_cust] == self.v_who))
        out = cust.copy()
        for i in picked.tolist():
            near = field[(self.v_day[field] < day[i]) & (self.v_day[field] >= day[i] - 25)
                         & (self.region[self.v_who[field]] == self.region[signer[i]])]
            if len(near):
                out[i] = self.v_cust[near[self.rng.integers(len(near))]]
        return out

    # --- 回款 -----------------------------------------------------------------

    def payments(self):
        rng, n = self.rng, self.n["payments"]
        ok = np.flatnonzero((self.k_approval == "已批准") & (self.k_status != "已取消"))
        n_ref = max(1, round(n * 0.005))
        n_reg = n - n_ref
        age = (self.today - self.k_day[ok]).astype(int)
        w = np.minimum(age, 60) + 20   # most customers pay a deposit at signing, the rest within months
        k = rng.choice(ok, size=n_reg, p=w / w.sum())
        k = np.sort(k, kind="stable")
        counts = np.bincount(k, minlength=len(self.k_ids))
        paid_by = np.flatnonzero(counts)
        old = (self.today - self.k_day[paid_by]).astype(int) > 30
        full = rng.random(len(paid_by)) < np.where(old, 0.7, 0.35)
        share = np.where(full, 1.0, rng.uniform(0.2, 0.9, len(paid_by)))
        total_fen = np.where(full, np.round(self.k_amount[paid_by] * 100),
                             np.floor(self.k_amount[paid_by] * share) * 100).astype(np.int64)
        total_of = np.zeros(len(self.k_ids), dtype=np.int64)
        total_of[paid_by] = total_fen
        # split each contract's total into its payments (whole yuan, the last takes the rest)
        frac = np.maximum(rng.gamma(5.0, size=n_reg), 0.5)
        frac = frac / np.bincount(k, weights=frac, minlength=len(self.k_ids))[k]
        fen = np.floor(total_of[k] * frac / 100).astype(np.int64) * 100
        last = np.r_[k[1:] != k[:-1], True]
        fen[last] += total_of[k[last]] - np.bincount(k, weights=fen, minlength=len(self.k_ids))[k[last]].astype(np.int64)
        span = np.minimum((self.today - self.k_day[k]).astype(int), 180)
        u = rng.random(n_reg)
        u[np.r_[True, k[1:] != k[:-1]]] *= 0.05  # the deposit comes right after signing
        srt = np.lexsort((u, k))
        u = u[srt]
        day = self.k_day[k] + (u * (span + 1)).astype(int)
        day = np.minimum(day, self.today)

        # refunds: part of what was paid comes back, later
        paid_sum = np.bincount(k, weights=fen, minlength=len(self.k_ids))
        refundable = np.flatnonzero(paid_sum > 0)
        r_k = rng.choice(refundable, size=n_ref, replace=n_ref > len(refundable))
        last_day = np.full(len(self.k_ids), np.datetime64("1970-01-01"), dtype="datetime64[D]")
        np.maximum.at(last_day, k, day)
        r_day = np.minimum(last_day[r_k] + rng.integers(1, 30, size=n_ref), self.today)
        r_fen = -np.floor(paid_sum[r_k] * rng.uniform(0.1, 0.5, n_ref) / 100).astype(np.int64) * 100
        self.refunded = np.unique(r_k)

        all_k = np.concatenate([k, r_k])
        all_day = np.concatenate([day, r_day])
        amount = np.concatenate([fen, r_fen]) / 100.0
        signer = self.k_signer[all_k]
        collector = np.where(self.active(signer, all_day), signer, self.clerk_of[signer])
        late = all_day > self.today - 10
        remitted = np.where(rng.random(len(all_k)) < np.where(late, 0.3, 0.01), "否", "是").astype(object)
        remitted[n_reg:] = "是"
        order = np.lexsort((all_k, all_day))
        width = max(6, len(str(n)))
        self.p_k, self.p_amount = all_k[order], amount[order]
        self.out["payments"] = dict(
            payment_id=np.array([f"SK{i + 1:0{width}d}" for i in range(n)], dtype=object),
            contract_id=self.k_ids[all_k[order]], paid_on=all_day[order], amount=amount[order],
            collector_id=self.ids[collector[order]], remitted=remitted[order],
        )
        done = (np.round(paid_sum) == np.round(self.k_amount * 100)) & (paid_sum > 0)
        done[self.refunded] = False
        status = self.out["contracts"]["status"]
        status[done & (status == "执行中")] = "已完成"

    # --- 归属调整 --------------------------------------------------------------

    def overrides(self):
        rng, n_c = self.rng, self.n["customers"]
        n = max(3, round(n_c * 0.002))
        left = np.flatnonzero(self.leave[self.primary] < self.today)
        pick_left = rng.choice(left, size=min(len(left), (n + 1) // 2), replace=False) if len(left) else np.array([], int)
        others = np.setdiff1d(np.arange(n_c), pick_left)
        cust = np.concatenate([pick_left, rng.choice(others, size=n - len(pick_left), replace=False)])
        gone = np.arange(len(cust)) < len(pick_left)
        reg = self.reg_day[cust]
        eff = np.where(gone, np.minimum(np.maximum(self.leave[self.primary[cust]] + rng.integers(1, 10, size=n), reg),
                                        self.today),
                       reg + (rng.random(n) * ((self.today - reg).astype(int) + 1)).astype(int))
        new_owner = self.successor[cust]
        reason = np.where(gone, "原顾问离职, 客户转交",
                          self.pick(("客户要求更换顾问", "区域调整, 转给本区顾问", "大客户统一由专人跟进"), n))
        order = np.argsort(eff, kind="stable")
        self.out["overrides"] = dict(
            customer_id=self.cids[cust][order], effective=eff[order], new_owner_id=self.ids[new_owner][order],
            reason=reason[order], approver_id=self.ids[self.chain["销售经理"][new_owner]][order],
        )

    # --- 目标, 考勤, 参数 --------------------------------------------------------

    def targets_and_attendance(self):
        rng = self.rng
        first = pd.Timestamp(self.start.item()).to_period("M")
        last = pd.Timestamp(self.today.item()).to_period("M")
        months = pd.period_range(first, last, freq="M")
        m_start = np.array([p.start_time.date() for p in months], dtype="datetime64[D]")
        m_end = np.array([p.end_time.date() for p in months], dtype="datetime64[D]")
        labels = np.array([str(p) for p in months], dtype=object)
        n = len(self.ids)
        mi, si = np.meshgrid(np.arange(len(months)), np.arange(n), indexing="ij")
        mi, si = mi.ravel(), si.ravel()
        employed = (self.hire[si] <= m_end[mi]) & (self.leave[si] >= m_start[mi])

        sells = employed & np.isin(self.role[si], SELLING_ROLES)
        tm, ts = mi[sells], si[sells]
        target = self.plan["target"][np.searchsorted(self.plan["who"], ts), tm]
        self.out["targets"] = dict(
            month=labels[tm], staff_id=self.ids[ts], sales_target=target,
            payment_target=np.round(target * 0.8 / 1000) * 1000,
            visit_target=np.array([VISIT_TARGETS[r] for r in self.role[ts]], dtype=float),
        )

        done = employed & (m_end[mi] < self.today)  # attendance is recorded once a month is over
        am, asi = mi[done], si[done]
        lo = np.maximum(m_start[am], self.hire[asi])
        hi = np.minimum(m_end[am], self.leave[asi]) + 1
        due = np.busday_count(lo, hi).astype(float)
        perfect = rng.random(len(am)) < 0.8
        late = np.where(perfect, 0, rng.integers(0, 3, size=len(am)))
        leave_days = np.where(perfect | (late > 0), 0.0, rng.integers(1, 4, size=len(am)) / 2)
        self.out["attendance"] = dict(
            month=labels[am], staff_id=self.ids[asi], days_due=due,
            days_present=np.maximum(due - np.ceil(leave_days), 0), late_count=late.astype(float),
            leave_days=leave_days,
        )
        values = {s.key: s.default for s in K.SETTING_KEYS}
        values[K.SETTING_KEYS[0].key] = COMPANY
        self.out["settings"] = dict(
            key=np.array([s.key for s in K.SETTING_KEYS], dtype=object),
            value=np.array([None if v == "" else v for v in values.values()], dtype=object),
            note=np.array([s.help_zh for s in K.SETTING_KEYS], dtype=object))
        for sheet, rows in ((K.COMMISSION_PLAN, K.DEFAULT_COMMISSION_PLAN),
                            (K.PERFORMANCE_FACTORS, K.DEFAULT_PERFORMANCE_FACTORS),
                            (K.DISCOUNT_AUTHORITY, K.DEFAULT_DISCOUNT_AUTHORITY)):
            self.out[sheet.key] = {c.key: np.array([r[i] for r in rows], dtype=object)
                                   for i, c in enumerate(sheet.columns)}

    # --- planted mistakes ------------------------------------------------------

    def plant_mistakes(self):
        rng, out = self.rng, self.out
        mid = lambda size: int(size // 3 + rng.integers(0, max(1, size // 3)))  # noqa: E731

        # Text in a number cell. Not on a 人员 row: that would leave the person (and every row
        # of theirs) out of the computations and drown the demo in follow-up warnings.
        target = out["targets"]["sales_target"] = out["targets"]["sales_target"].astype(object)
        target[mid(len(target) // 2)] = "5万"

        v = out["visits"]
        nv = len(v["date"])
        stable_ids = set(self.ids[self.stable].tolist())
        by_stable = np.flatnonzero(np.isin(v["staff_id"], list(stable_ids)))
        used = set()

        def visit_row(mask):
            rows = np.flatnonzero(mask)
            rows = rows[~np.isin(rows, list(used))]
            r = int(rows[min(len(rows) - 1, mid(len(rows)))])
            used.add(r)
            return r

        r = visit_row(np.isin(np.arange(nv), by_stable))
        v["date"][r] = self.today + 3
        v["next_follow_up"][r] = np.datetime64("NaT")
        r = visit_row(np.char.find(v["staff_id"].astype(str), "0") > 0)
        sid = v["staff_id"][r]
        v["staff_id"][r] = sid[:1] + sid[1:].replace("0", "O", 1)
        r = visit_row(v["method"] == "意向拜访")
        v["minutes"][r] = 40.0

        k = out["contracts"]
        paid = np.zeros(len(k["contract_id"]), dtype=bool)
        paid[self.p_k] = True
        unpaid = np.flatnonzero(~paid & (self.k_approval == "已批准"))
        c = int(unpaid[mid(len(unpaid))])
        k["amount"][c] = np.round(k["list_price"][c] * 1.08, -1)

        counts = np.bincount(self.p_k, minlength=len(k["contract_id"]))
        full = np.flatnonzero((counts >= 2) & (k["status"] == "已完成"))
        full = full[~np.isin(full, self.refunded)]
        c = int(full[mid(len(full))])
        last_row = int(np.flatnonzero(self.p_k == c)[-1])
        out["payments"]["amount"][last_row] += OVERPAY

        cu = out["customers"]
        cids = cu["customer_id"]
        # Two quiet neighbours share a number, so the rows left out with them stay few.
        busy = np.bincount(self.v_cust, minlength=len(cids)) + 100 * np.bincount(self.k_cust, minlength=len(cids))
        pair = busy[1:] + busy[:-1]
        pair[np.isin(np.arange(1, len(cids)), self.duplicates)] = 1 << 30
        lo = len(cids) // 3
        j = int(lo + 1 + np.argmin(pair[lo:2 * lo]))
        old, new = cids[j], cids[j - 1]
        cids[j] = new
        for sheet, col in (("visits", "customer_id"), ("contracts", "customer_id"),
                           ("overrides", "customer_id"), ("customers", "referrer_id")):
            arr = out[sheet][col]
            arr[arr == old] = new


def _allocate(rng: np.random.Generator, n: int, weight: np.ndarray, at_least_one: np.ndarray) -> np.ndarray:
    """n whole deals spread over the cells of weight, each cell getting about its share, and
    each at_least_one cell one deal at least (a seller who worked the month closed something)."""
    floor = (at_least_one & (weight > 0)).astype(np.int64)
    if floor.sum() > n:
        floor[:] = 0
    share = weight / weight.sum() * n
    out = np.floor(share).astype(np.int64)
    out += rng.random(share.shape) < share - out
    out = np.maximum(out, floor)
    flat, low, p = out.reshape(-1), floor.reshape(-1), (weight / weight.sum()).reshape(-1)
    while (diff := n - int(flat.sum())) != 0:
        idx = rng.choice(flat.size, size=abs(diff), p=p)
        if diff > 0:
            np.add.at(flat, idx, 1)
        else:
            idx = np.unique(idx[flat[idx] > low[idx]])[:-diff]
            flat[idx] -= 1
    return out


def _mean_price(products, weights) -> float:
    return float(np.dot([v for _, v in products], weights) / sum(weights))


def _deal_prices(rng: np.random.Generator, company: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """原价 and 产品 of deals, a company card for a company customer, a personal one otherwise."""
    personal = rng.choice(len(PERSONAL_PRODUCTS), size=company.shape, p=np.array(PERSONAL_WEIGHTS) / sum(PERSONAL_WEIGHTS))
    firm = rng.choice(len(COMPANY_PRODUCTS), size=company.shape, p=np.array(COMPANY_WEIGHTS) / sum(COMPANY_WEIGHTS))
    qty = np.where(company & (rng.random(company.shape) < COMPANY_MULTI), rng.integers(2, 4, size=company.shape), 1)
    price = np.where(company, np.array([v for _, v in COMPANY_PRODUCTS], dtype=float)[firm] * qty,
                     np.array([v for _, v in PERSONAL_PRODUCTS], dtype=float)[personal])
    name = np.where(company, np.array([p for p, _ in COMPANY_PRODUCTS], dtype=object)[firm],
                    np.array([p for p, _ in PERSONAL_PRODUCTS], dtype=object)[personal])
    return price, name


def _discount_rates(rng: np.random.Generator, shape) -> np.ndarray:
    band = np.searchsorted(np.cumsum([p for p, _, _ in DISCOUNTS]), rng.random(shape), side="right")
    band = np.minimum(band, len(DISCOUNTS) - 1)
    lo, hi = (np.array([d[i] for d in DISCOUNTS])[band] for i in (1, 2))
    return lo + rng.random(shape) * (hi - lo)


def planted_rows(frames: dict[str, pd.DataFrame], today: dt.date) -> dict[str, list[int]]:
    """Excel row numbers (header = 1) where each PLANTED_MISTAKES entry sits in `frames`."""
    def col(sheet, key):
        return frames[sheet][K.SHEETS[sheet].col(key).zh]

    def rows(mask):
        return [int(i) + 2 for i in np.flatnonzero(np.asarray(mask))]

    staff_ids = set(col("staff", "staff_id"))
    cid = col("customers", "customer_id")
    amount_of = dict(zip(col("contracts", "contract_id"), pd.to_numeric(col("contracts", "amount"))))
    running = pd.to_numeric(col("payments", "amount")).groupby(col("payments", "contract_id")).cumsum()
    limit = col("payments", "contract_id").map(amount_of)
    crossing = (running > limit + 0.005) & ~(running - pd.to_numeric(col("payments", "amount")) > limit + 0.005)
    return {
        "text_in_number": rows(col("targets", "sales_target").map(lambda v: isinstance(v, str))),
        "future_date": rows(col("visits", "date") > pd.Timestamp(today)),
        "unknown_staff": rows(~col("visits", "staff_id").isin(staff_ids)),
        "above_list_price": rows(pd.to_numeric(col("contracts", "amount")) > pd.to_numeric(col("contracts", "list_price"))),
        "overpayment": rows(crossing),
        "duplicate_customer_id": rows(cid.duplicated()),
        "long_intent_visit": rows((col("visits", "method") == "意向拜访") & (col("visits", "minutes") > 15)),
    }


# --- writing -------------------------------------------------------------------

def demo_file_name(scale: str = "small") -> str:
    return "销售台账-演示.xlsx" if scale == "small" else f"销售台账-演示-{scale}.xlsx"


def write_demo(directory: Path | str, scale: str = "small", *, seed: int = 7, today: dt.date,
               counts: dict | None = None, mistakes: bool = True) -> Path:
    """Generate the demo company and write it into a fresh template workbook in `directory`."""
    from . import template

    frames = generate(scale, seed=seed, today=today, counts=counts, mistakes=mistakes)
    path = Path(directory) / demo_file_name(scale)
    path.parent.mkdir(parents=True, exist_ok=True)
    template.build_template(path, force=True)
    _fill_zip(path, frames)
    return path


# Fast fill: we wrote the template ourselves, so rows 2.. of each sheet can be generated
# as XML directly (openpyxl takes ~90 s for `large`).
_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00", "m")
_SHEET_RE = re.compile(r'<sheet name="([^"]+)"[^>]*r:id="([^"]+)"')
_REL_RE = re.compile(r'Target="/?([^"]+)" Id="([^"]+)"|Id="([^"]+)"[^>]*Target="/?([^"]+)"')
_COL_RE = re.compile(r"<col ([^>]*)/>")


def _fill_zip(path: Path, frames: dict[str, pd.DataFrame]) -> None:
    from .template import write_parts

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    rels = {}
    for m in _REL_RE.finditer(parts["xl/_rels/workbook.xml.rels"].decode()):
        target, rid = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        rels[rid] = target
    part_of = {name: rels[rid] for name, rid in _SHEET_RE.findall(parts["xl/workbook.xml"].decode())}
    for key, frame in frames.items():
        sheet = K.SHEETS[key]
        name = part_of[sheet.zh]
        xml = parts[name].decode()
        styles = {}
        for m in _COL_RE.finditer(xml):
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
            if "style" in attrs:
                styles[int(attrs["min"])] = attrs["style"]
        header = re.search(r'<row r="1".*?</row>', xml).group(0)
        body = _rows_xml(sheet, frame, styles)
        last = f"{letter(len(sheet.columns))}{len(frame) + 1}"
        xml = re.sub(r"<sheetData>.*</sheetData>|<sheetData\s*/>", lambda _: f"<sheetData>{header}{body}</sheetData>",
                     xml, count=1, flags=re.S)
        xml = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:{last}"', xml, count=1)
        xml = re.sub(r'<autoFilter ref="[^"]*"', f'<autoFilter ref="A1:{last}"', xml, count=1)
        parts[name] = xml.encode()
    write_parts(parts, path)


def _xml_text(v: str) -> str:
    return f"<is>{xml_text(v)}</is>"


def _rows_xml(sheet: K.Sheet, frame: pd.DataFrame, styles: dict[int, str]) -> str:
    """<row> elements for rows 2.., one column at a time (vectorised per column)."""
    n = len(frame)
    rownums = [str(r) for r in range(2, n + 2)]
    cells = []
    for j, c in enumerate(sheet.columns, start=1):
        ref = letter(j)
        st = f' s="{styles[j]}"' if j in styles else ""
        s = frame[c.zh]
        if c.type in K.DATE_TYPES:
            t = pd.to_datetime(s).to_numpy().astype("datetime64[m]")
            ok = ~np.isnat(t)
            serial = (t - _EXCEL_EPOCH).astype("int64") / 1440.0
            vals = [f"<c r=\"{ref}{r}\"{st}><v>{v:.10g}</v></c>" if good else ""
                    for r, v, good in zip(rownums, serial.tolist(), ok.tolist())]
        else:
            vals = []
            for r, v in zip(rownums, s.tolist()):
                if v is None or (isinstance(v, float) and v != v):
                    vals.append("")
                elif isinstance(v, str):
                    vals.append(f'<c r="{ref}{r}"{st} t="inlineStr">{_xml_text(v)}</c>')
                else:
                    vals.append(f'<c r="{ref}{r}"{st}><v>{float(v):.15g}</v></c>')
        cells.append(vals)
    return "".join(f'<row r="{r}">' + "".join(row) + "</row>" for r, *row in zip(rownums, *cells))
