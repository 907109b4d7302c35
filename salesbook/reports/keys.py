"""Every key of the report contexts (what a template sees, what NAME.json holds), described
once; docs/templates.md is generated from here and a test checks the demo's contexts use
no undocumented key. Types: 文字, 整数, 金额 (元, a number), 比例 (fraction, 0.85 = 85%),
日期 (YYYY-MM-DD), 是/否 (true/false), 列表, 对象; "或空" = may be null.
"""
from __future__ import annotations

HEADER = (
    ("schema", "整数", "上下文格式版本 (目前为 1)"),
    ("kind", "文字", "报表类型: daily / weekly / monthly / statement"),
    ("lang", "文字", "语言: zh / en"),
    ("company", "文字", "参数「公司名称」"),
    ("period", "文字", "期间: 2026-10-05 / 2026-W42 / 2026-10"),
    ("period_first", "日期", "期间第一天 (周报为周一)"),
    ("period_last", "日期", "期间最后一天 (周报为周日)"),
    ("scope", "文字", "范围: person / team / department"),
    ("key", "文字或空", "工号 (个人)、小组名称 (小组周报), 部门报表为空"),
    ("subject", "文字", "报表对象: 姓名(工号) / 小组名称 / 销售部"),
    ("title", "文字", "标题, 如「一组周报 2026-W42」"),
    ("generated_on", "日期", "生成日期 (命令的 today)"),
)

PERSON = (
    ("person", "对象", "本人"),
    ("person.staff_id", "文字", "工号"), ("person.name", "文字", "姓名"), ("person.role", "文字", "岗位"),
    ("person.team", "文字", "小组"),
)

CUSTOMER = ("customer_id", "文字", "客户编号"), ("customer_name", "文字", "客户名称"), \
    ("contact", "文字", "联系人"), ("phone", "文字", "电话 (日报为完整号码, 其他报表隐去中间四位: 138****5678)")


def _items(prefix: str, what: str, fields) -> tuple:
    return ((prefix, "列表", what), (prefix + "[]", "对象", "列表中的一项")) + tuple(
        (f"{prefix}[].{k}", t, d) for k, t, d in fields)


FIGURES_FIELDS = (
    ("visits_by_method", "对象", "拜访次数按拜访方式: {陌生拜访, 意向拜访, 电话拜访, 来访接待} → 整数 (四种都有, 含 0)"),
    ("visits_total", "整数", "拜访次数合计 (日期在期间内的拜访行)"),
    ("intent_customers", "整数", "意向客户数: 期间内有「是否有意向 = 是」拜访的不同客户"),
    ("no_intent_visits", "整数", "「是否有意向 = 否」的拜访次数"),
    ("new_customers", "整数", "新增客户: 登记日期在期间内"),
    ("contracts_signed", "整数", "签约合同数: 已批准、未取消, 签约日期在期间内"),
    ("contract_amount", "金额", "上述合同的合同金额合计"),
    ("payments_amount", "金额", "回款金额: 已上交、合同有效的回款 (退款为负), 回款日期在期间内"),
)


def _figures(prefix: str, what: str) -> tuple:
    return ((prefix, "对象", what),) + tuple((f"{prefix}.{k}", t, d) for k, t, d in FIGURES_FIELDS)


COMPARED = _figures("figures", "本期数字") + _figures("previous", "上期 (上周 / 上月) 的同样数字") + (
    ("previous.period", "文字", "上期的期间"),) + _figures("change", "本期 − 上期 (每个数字)")

REASONS = _items("no_intent_reasons", "无意向原因 (按次数从多到少)", (
    ("reason", "文字", "未成交原因 (空白 = 未填写)"), ("count", "整数", "次数"), ("share", "比例", "占无意向拜访的比例")))

KEYS = {
    "daily": HEADER + PERSON + (("person.region", "文字", "大区"),) + _items("visits", "当天的拜访", CUSTOMER + (
        ("method", "文字", "拜访方式"), ("minutes", "数字或空", "时长(分钟)"), ("intent", "文字", "是否有意向 (是/否/空)"),
        ("no_deal_reason", "文字", "未成交原因"), ("notes", "文字", "跟进内容"),
        ("next_follow_up", "日期或空", "下次跟进日期"))) + _items("new_customers", "当天登记的客户", CUSTOMER + (
            ("source", "文字", "来源"), ("registered_at", "日期", "登记日期"))) + _items(
        "contracts", "当天签的合同 (任何审批状态)", (("contract_id", "文字", "合同编号"),) + CUSTOMER + (
            ("product", "文字", "产品"), ("amount", "金额", "合同金额"), ("approval", "文字", "审批状态"),
            ("status", "文字", "合同状态"), ("counts", "是/否", "是否计入业绩 (已批准且未取消)"))) + _items(
        "payments", "当天本人收的款", (("payment_id", "文字", "回款编号"), ("contract_id", "文字", "合同编号"),
                                     ("amount", "金额", "金额 (退款为负)"), ("remitted", "文字", "是否上交"),
                                     ("counts", "是/否", "是否计入回款业绩"))) + _figures(
        "figures", "当天数字 (本人)") + (
        ("figures.collected_today", "金额", "当天本人收款中计入业绩的合计"),
        ("tomorrow", "日期", "明天"),) + _items("followups_tomorrow", "计划明天跟进的客户", CUSTOMER + (
            ("planned_at", "日期", "在哪天的拜访里计划的"), ("method", "文字", "那次拜访的方式"),
            ("notes", "文字", "那次的跟进内容"))) + _items("expiring", "本人客户中保护期即将到期的", CUSTOMER + (
            ("protected_until", "日期", "保护到期日"), ("days_left", "整数", "剩余天数"))) + (
        ("expiry_warning_days", "整数", "参数「到期预警天数」"),),
    "weekly": HEADER + COMPARED + _items("intent_customers", "① 本周意向客户及最近一次跟进", CUSTOMER + (
        ("staff_id", "文字", "最近一次拜访的工号"), ("staff_name", "文字", "其姓名"), ("visits", "整数", "本周拜访次数"),
        ("last_visit", "日期", "最近拜访日期"), ("last_method", "文字", "最近拜访方式"),
        ("last_intent", "文字", "最近拜访是否有意向"), ("last_notes", "文字", "最近跟进内容"),
        ("next_follow_up", "日期或空", "下一步: 下次跟进日期"))) + REASONS + _items(
        "followups_next_week", "下周计划跟进 (下次跟进日期在下周)", (("date", "日期", "计划跟进日期"),
                                                        ("staff_id", "文字", "工号"), ("staff_name", "文字", "姓名"))
        + CUSTOMER + (("planned_at", "日期", "计划于哪天的拜访"), ("notes", "文字", "那次的跟进内容"))) + (
        ("next_week", "对象", "下周"), ("next_week.period", "文字", "下周的周号"),
        ("next_week.first", "日期", "下周一"), ("next_week.last", "日期", "下周日"),) + _items(
        "breakdown", "部门周报: 各小组 (有活动的); 小组周报: 各成员", (
            ("name", "文字", "小组名称 / 姓名"), ("staff_id", "文字或空", "工号 (成员行)"),
            ("visits_total", "整数", "拜访次数"), ("intent_customers", "整数", "意向客户数"),
            ("new_customers", "整数", "新增客户"), ("contracts_signed", "整数", "签约合同数"),
            ("contract_amount", "金额", "签约金额"), ("payments_amount", "金额", "回款金额"))),
    "monthly": HEADER + _items("people", "每人一行, 与「业绩提成」同数", (
        ("staff_id", "文字", "工号"), ("name", "文字", "姓名"), ("role", "文字", "岗位"), ("team", "文字", "小组"),
        ("region", "文字", "大区"), ("sales_target", "金额或空", "销售目标"), ("signed", "金额", "签约业绩"),
        ("achievement", "比例或空", "达成率"), ("collected", "金额", "回款业绩"), ("commission_base", "金额", "提成基数"),
        ("commission", "金额", "提成"), ("awards", "金额", "奖励"), ("total", "金额", "应发合计"),
        ("remarks", "文字", "备注"))) + tuple(row for prefix, what in (("teams", "按小组汇总"), ("regions", "按大区汇总"))
                                            for row in _items(prefix, what, (
        ("name", "文字", "小组 / 大区名称"), ("people", "整数", "人数"), ("sales_target", "金额", "销售目标合计"),
        ("signed", "金额", "签约业绩合计"), ("achievement", "比例或空", "达成率 (有目标者的签约业绩 / 目标)"),
        ("collected", "金额", "回款业绩合计"), ("commission", "金额", "提成合计"), ("awards", "金额", "奖励合计"),
        ("total", "金额", "应发合计")))) + (
        ("totals", "对象", "部门合计 (= 业绩提成各列之和)"), ("totals.people", "整数", "人数"),
        ("totals.sales_target", "金额", "销售目标"), ("totals.signed", "金额", "签约业绩"),
        ("totals.achievement", "比例或空", "达成率"), ("totals.collected", "金额", "回款业绩"),
        ("totals.commission", "金额", "提成"), ("totals.awards", "金额", "奖励"), ("totals.total", "金额", "应发合计"),
    ) + _items("ranking", "签约业绩排名 (有目标或有签约者; 并列同名次)", (
        ("rank", "整数", "名次"), ("staff_id", "文字", "工号"), ("name", "文字", "姓名"), ("team", "文字", "小组"),
        ("signed", "金额", "签约业绩"), ("sales_target", "金额或空", "销售目标"), ("achievement", "比例或空", "达成率"))
    ) + _items("awards", "本月奖励", (("staff_id", "文字", "工号"), ("name", "文字", "姓名"), ("award", "文字", "奖项"),
                                   ("amount", "金额", "金额"), ("why", "文字", "原因"))) + _items(
        "warnings", "降级预警 / 建议调薪", (("staff_id", "文字", "工号"), ("name", "文字", "姓名"),
                                     ("kind", "文字", "降级预警 / 建议调薪"), ("months", "整数", "连续月数"),
                                     ("why", "文字", "说明"))) + COMPARED + REASONS + (
        ("new_customers", "对象", "客户开发"), ("new_customers.total", "整数", "新增客户数"),
        ("new_customers.by_source", "对象", "按来源: 来源 → 客户数 (多的在前)"),
    ) + _items("new_customers.by_person", "按登记人", (("staff_id", "文字", "工号"), ("name", "文字", "姓名"),
                                                  ("count", "整数", "客户数"))) + (
        ("conversion", "对象", "转化: 本月意向客户中本月签约 (有效合同) 的比例"),
        ("conversion.intent_customers", "整数", "本月意向客户数"), ("conversion.converted", "整数", "其中本月签约的"),
        ("conversion.rate", "比例或空", "转化率"),
        ("sales_cycle", "对象", "平均销售周期: 首份有效合同在本月的客户, 登记日期 → 首次签约的天数"),
        ("sales_cycle.customers", "整数", "客户数"), ("sales_cycle.average_days", "数字或空", "平均天数"),
    ) + _items("lost_to_pool", "本月掉入公海的客户", CUSTOMER + (
        ("date", "日期", "掉入日期"), ("previous_owner_id", "文字", "原归属人工号"), ("previous_owner", "文字", "原归属人"),
        ("basis", "文字", "原因 (保护期到期 / 离职)"))) + (("expiry_warning_days", "整数", "参数「到期预警天数」"),) + _items(
        "expiring", "保护期将在到期预警天数内到期的客户 (截至月末)", (("owner_id", "文字", "归属人工号"),
                                                    ("owner_name", "文字", "归属人")) + CUSTOMER + (
            ("protected_until", "日期", "保护到期日"), ("days_left", "整数", "剩余天数"))) + (
        ("ageing", "对象", "月末应收账龄: {未到期, 0-30, 31-60, 61-90, 90+} → 未回款金额 (逾期天数按约定回款日期, 空 = 签约日期)"),
        ("ageing_counts", "对象", "同上, 合同份数"), ("ageing_total", "金额", "应收合计"),
    ) + _items("overdue", "逾期合同 (约定回款日期已到、仍有未回款), 最久的在前", (("contract_id", "文字", "合同编号"),) + CUSTOMER + (
        ("signer_id", "文字", "签约人工号"), ("signer_name", "文字", "签约人"), ("owner_id", "文字", "客户归属人工号 (月末)"),
        ("owner_name", "文字", "归属人"), ("signed_on", "日期", "签约日期"), ("due", "日期", "约定回款日期"),
        ("days_past", "整数", "逾期天数"), ("bucket", "文字", "账龄段"), ("amount", "金额", "合同金额"),
        ("paid", "金额", "月末前已回款 (含未上交, 退款为负)"), ("outstanding", "金额", "未回款"))) + _items(
        "trend", "近 12 个月 (最早的在前)", (("month", "文字", "月份"), ("signed", "金额", "签约金额"),
                                      ("collected", "金额", "回款金额"))) + (
        ("data_issues", "对象", "台账的校验问题 (有错误的行不计入本报表)"),
        ("data_issues.errors", "整数", "错误数"), ("data_issues.warnings", "整数", "警告数")),
    "statement": HEADER + PERSON + (("person.channel", "文字", "渠道"),) + (
        ("pay", "对象", "本人的「业绩提成」一行"), ("pay.signed", "金额", "签约业绩"), ("pay.collected", "金额", "回款业绩"),
        ("pay.sales_target", "金额或空", "销售目标"), ("pay.achievement", "比例或空", "达成率"),
        ("pay.commission_base", "金额", "提成基数 (扣回结转后)"), ("pay.commission", "金额", "提成"),
        ("pay.base_salary", "金额", "底薪"), ("pay.attendance_bonus", "金额", "全勤奖"),
        ("pay.performance_pay", "金额", "绩效工资"), ("pay.allowance", "金额", "津贴"), ("pay.awards", "金额", "奖励"),
        ("pay.adjustment", "金额", "调整"), ("pay.total", "金额", "应发合计"), ("remarks", "文字", "备注"),
        ("commission_mode", "对象", "提成规则"), ("commission_mode.base", "文字", "提成基数: 回款 / 签约"),
        ("commission_mode.method", "文字", "累进 / 全额"), ("commission_mode.plan_role", "文字", "所用方案的岗位 (或 默认)"),
    ) + _items("tiers", "提成档位的计算", (("lower", "金额", "下限"), ("upper", "金额或空", "上限 (空 = 无上限)"),
                                          ("rate", "比例", "比例"), ("portion", "金额", "本档适用金额"),
                                          ("commission", "金额", "本档提成"))) + (
        ("carry", "对象", "扣回结转"), ("carry.deducted", "金额", "本月扣回的以前月份负基数"),
        ("carry.from", "文字或空", "结转来自的月份"), ("carry.carried_out", "金额", "结转到下月扣回的"),
        ("attendance", "对象", "考勤"), ("attendance.days_due", "数字或空", "应出勤天数"),
        ("attendance.days_present", "数字或空", "实际出勤天数"), ("attendance.late", "整数或空", "迟到次数"),
        ("attendance.leave_days", "数字或空", "请假天数"), ("attendance.bonus", "金额", "全勤奖"),
        ("attendance.why", "文字", "full / short / late / leave / no_row"),
        ("performance", "对象", "绩效工资"), ("performance.base", "金额", "绩效工资基数"),
        ("performance.factor", "数字", "绩效系数"), ("performance.pay", "金额", "绩效工资"),
    ) + _items("awards", "本人的奖励", (("award", "文字", "奖项"), ("amount", "金额", "金额"), ("why", "文字", "原因"))) + _items(
        "lines", "本人的「提成明细」", (("source_type", "文字", "来源类型: 合同 / 回款 / 扣回结转"),
                                   ("document_id", "文字", "单据编号"), ("customer_id", "文字", "客户编号"),
                                   ("customer_name", "文字", "客户名称"), ("amount", "金额", "单据金额"),
                                   ("share", "比例或空", "分成比例"), ("credited", "金额", "计入金额 (本行分得的提成)"),
                                   ("basis", "文字", "依据"))) + (
        ("lines_total", "对象", "明细合计"), ("lines_total.credited", "金额", "计入金额合计 (= 提成)"),
        ("month_last", "日期", "月末")),
}

# Keys whose children are named by data (methods, buckets, sources), not listed above.
OPEN_OBJECTS = {"figures.visits_by_method", "previous.visits_by_method", "change.visits_by_method", "ageing",
                "ageing_counts", "new_customers.by_source"}

KIND_NAMES = {"daily": "日报 (daily)", "weekly": "周报 (weekly)", "monthly": "月报 (monthly)",
              "statement": "工资条 (statement)"}


def paths(value, prefix: str = "") -> set[str]:
    """Every key path of a context: a.b for objects, a[].b inside lists."""
    out: set[str] = set()
    if isinstance(value, dict):
        if prefix in OPEN_OBJECTS:
            return {prefix}
        if prefix:
            out.add(prefix)
        for k, v in value.items():
            out |= paths(v, f"{prefix}.{k}" if prefix else k)
    elif isinstance(value, list):
        out.add(prefix)
        for v in value:
            out |= paths(v, prefix + "[]")
    else:
        out.add(prefix)
    return out
