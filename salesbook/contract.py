"""The workbook contract (domain.md §3), defined once.

Every sheet and column the product knows: Chinese and English names, value type,
whether it is required, its enumeration and what it refers to. Reading, validation,
the template workbook (headers, dropdowns, formats, the 说明 sheet) and the docs all
derive from the tables below; nothing else spells a header.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Value types. Everything is read as text first and parsed by type, so that a
# text typed into a number cell is reported instead of silently coerced.
TEXT = "text"          # free text
CODE = "code"          # an identifier typed by people (工号, 客户编号...): text, trimmed
INT = "int"            # whole number
NUMBER = "number"      # any number
MONEY = "money"        # yuan amount
RATIO = "ratio"        # 0.7 or 70%
DATE = "date"          # Excel date or YYYY-MM-DD text
DATETIME = "datetime"  # a date that may carry a time
MONTH = "month"        # YYYY-MM
ENUM = "enum"          # one of Column.choices

EMAIL = "email"      # settings only: one e-mail address
EMAILS = "emails"    # settings only: e-mail addresses separated by , ; or spaces

NUMERIC_TYPES = (INT, NUMBER, MONEY, RATIO)
DATE_TYPES = (DATE, DATETIME)

# How a value type is named to people: the template's 说明 sheet and every parse message.
TYPE_WORDS = {
    TEXT: ("文字", "text"),
    CODE: ("编号(文字)", "code (text)"),
    INT: ("整数", "whole number"),
    NUMBER: ("数字", "number"),
    MONEY: ("金额(元)", "amount (yuan)"),
    RATIO: ("比例(如 0.7 或 70%)", "ratio (0.7 or 70%)"),
    DATE: ("日期(如 2026-03-15)", "date (2026-03-15)"),
    DATETIME: ("日期, 可带时间(如 2026-03-15 09:30)", "date, may carry a time"),
    MONTH: ("月份(如 2026-03)", "month (2026-03)"),
    ENUM: ("下拉选择", "choose from the list"),
    EMAIL: ("邮箱地址", "e-mail address"),
    EMAILS: ("邮箱地址(多个用逗号分隔)", "e-mail addresses (comma separated)"),
}

ROLES = (
    "销售副总", "销售总监", "营销总监", "销售经理", "销售主管", "组长",
    "销售代表", "客户代表", "电话销售", "销售助理", "销售内勤", "会籍顾问",
)
DEFAULT_ROLE = "默认"
CHANNELS = ("内销", "外销")
STAFF_STATUSES = ("在职", "试用", "离职")
ACTIVE_STATUSES = ("在职", "试用")
SOURCES = ("陌生拜访", "电话开发", "上门散客", "试用券", "名片", "转介绍", "展会", "网络", "老客户")
CUSTOMER_CLASSES = ("A", "B", "C", "D")
VISIT_METHODS = ("陌生拜访", "意向拜访", "电话拜访", "来访接待")
YES_NO = ("是", "否")
APPROVAL_STATES = ("待审批", "已批准", "已驳回")
CONTRACT_STATES = ("执行中", "已完成", "已取消")
ISSUE_LEVELS = ("错误", "警告")


@dataclass(frozen=True)
class Column:
    key: str                      # identifier used in code (tables use these as column names)
    zh: str                       # header, verbatim from domain.md
    en: str                       # English alias header
    type: str = TEXT
    required: bool = False
    choices: tuple[str, ...] = ()  # for ENUM
    ref: str | None = None        # key of the sheet whose primary key this refers to
    future_ok: bool = True        # False: a date after today is an error (§4)
    help_zh: str = ""
    help_en: str = ""
    width: int = 12               # template column width, in Excel characters

    def header(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Sheet:
    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    output: bool = False
    primary_key: str | None = None  # column key that must be unique
    help_zh: str = ""
    help_en: str = ""
    by_key: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_key", {c.key: c for c in self.columns})

    def col(self, key: str) -> Column:
        return self.by_key[key]

    def name(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def headers(self, lang: str = "zh") -> list[str]:
        return [c.header(lang) for c in self.columns]

    def keys(self) -> list[str]:
        """The column keys in sheet order: the columns of the frame an engine builds for it."""
        return [c.key for c in self.columns]


C = Column

SETTINGS = Sheet("settings", "参数", "Settings", (
    C("key", "参数", "Key", CODE, True, width=22, help_zh="参数名, 见下表"),
    C("value", "值", "Value", TEXT, width=20, help_zh="参数值, 留空 = 用默认值"),
    C("note", "说明", "Note", TEXT, width=50, help_zh="这个参数的作用"),
), primary_key="key",
    help_zh="系统参数: 提成基数、保护期、奖励金额、发信服务器等。留空的值按默认值处理。")

COMMISSION_PLAN = Sheet("commission_plan", "提成方案", "CommissionPlan", (
    C("role", "岗位", "Role", ENUM, True, ROLES + (DEFAULT_ROLE,), width=12,
      help_zh="适用岗位; 填「默认」的档位用于没有单独方案的岗位"),
    C("lower", "下限", "From", MONEY, True, width=12, help_zh="本档起点金额(元), 含"),
    C("upper", "上限", "To", MONEY, width=12, help_zh="本档终点金额(元), 不含; 留空 = 无上限"),
    C("rate", "比例", "Rate", RATIO, True, width=10, help_zh="提成比例, 如 0.03 或 3%"),
), help_zh="各岗位的提成档位。累进: 像个税一样每档只按本档比例; 全额: 整个基数按达到的最高档比例。")

PERFORMANCE_FACTORS = Sheet("performance_factors", "绩效系数", "PerformanceFactors", (
    C("min_achievement", "达成率下限", "MinAchievement", RATIO, True, width=12,
      help_zh="达成率(签约业绩/销售目标)不低于此值时适用本行, 如 0.8 或 80%"),
    C("factor", "系数", "Factor", NUMBER, True, width=10, help_zh="绩效工资 = 绩效工资基数 × 系数"),
), help_zh="绩效工资系数: 取「达成率下限 ≤ 实际达成率」中下限最大的一行。")

DISCOUNT_AUTHORITY = Sheet("discount_authority", "折扣权限", "DiscountAuthority", (
    C("role", "岗位", "Role", ENUM, True, ROLES, width=12),
    C("min_discount", "最低折扣率", "MinDiscount", RATIO, True, width=12,
      help_zh="该岗位可签或可批的最低 合同金额/原价, 如 0.9 = 九折"),
), primary_key="role", help_zh="折扣权限: 低于签约人权限的折扣须由权限足够的审批人批准。")

STAFF = Sheet("staff", "人员", "Staff", (
    C("staff_id", "工号", "StaffID", CODE, True, width=10, help_zh="唯一, 如 S001"),
    C("name", "姓名", "Name", TEXT, True, width=10),
    C("role", "岗位", "Role", ENUM, True, ROLES, width=12),
    C("channel", "渠道", "Channel", ENUM, False, CHANNELS, width=8,
      help_zh="内销 = 前台接待上门客户; 外销 = 外出开发客户; 留空 = 内销"),
    C("region", "大区", "Region", TEXT, width=10),
    C("team", "小组", "Team", TEXT, width=10),
    C("manager_id", "上级工号", "ManagerID", CODE, ref="staff", width=10,
      help_zh="直接上级的工号; 最高负责人留空"),
    C("hire_date", "入职日期", "HireDate", DATE, True, future_ok=False, width=12),
    C("leave_date", "离职日期", "LeaveDate", DATE, width=12, help_zh="在职留空"),
    C("status", "状态", "Status", ENUM, True, STAFF_STATUSES, width=8),
    C("email", "邮箱", "Email", TEXT, width=24, help_zh="报表和工资条发到这里"),
    C("base_salary", "底薪", "BaseSalary", MONEY, width=10, help_zh="月基本工资(元)"),
    C("perf_base", "绩效工资基数", "PerformancePayBase", MONEY, width=12),
    C("allowance", "津贴", "Allowance", MONEY, width=10),
), primary_key="staff_id", help_zh="销售部全体人员, 一人一行。上级关系必须是一棵树。")

TARGETS = Sheet("targets", "目标", "Targets", (
    C("month", "月份", "Month", MONTH, True, width=10, help_zh="YYYY-MM, 如 2026-03"),
    C("staff_id", "工号", "StaffID", CODE, True, ref="staff", width=10),
    C("sales_target", "销售目标", "SalesTarget", MONEY, width=12, help_zh="当月签约业绩目标(元)"),
    C("payment_target", "回款目标", "PaymentTarget", MONEY, width=12),
    C("visit_target", "拜访目标", "VisitTarget", INT, width=10),
), help_zh="每人每月一行业绩目标。")

ATTENDANCE = Sheet("attendance", "考勤", "Attendance", (
    C("month", "月份", "Month", MONTH, True, width=10),
    C("staff_id", "工号", "StaffID", CODE, True, ref="staff", width=10),
    C("days_due", "应出勤天数", "DaysDue", NUMBER, True, width=11),
    C("days_present", "实际出勤天数", "DaysPresent", NUMBER, True, width=12),
    C("late_count", "迟到次数", "LateCount", INT, width=9, help_zh="留空 = 0"),
    C("leave_days", "请假天数", "LeaveDays", NUMBER, width=9, help_zh="留空 = 0"),
), help_zh="每人每月考勤, 决定全勤奖: 实际 ≥ 应出勤, 无迟到, 无请假。")

ROSTER = Sheet("roster", "值班", "Roster", (
    C("date", "日期", "Date", DATE, True, width=12),
    C("staff_id", "工号", "StaffID", CODE, True, ref="staff", width=10),
    C("order", "顺序", "Order", INT, width=8, help_zh="当天轮客顺序, 1 最先; 留空按行顺序"),
), help_zh="前台值班表: 当天谁接待上门散客, 按顺序公平轮客。")

CUSTOMERS = Sheet("customers", "客户", "Customers", (
    C("customer_id", "客户编号", "CustomerID", CODE, True, width=12),
    C("customer_name", "客户名称", "CustomerName", TEXT, True, width=20),
    C("contact", "联系人", "Contact", TEXT, width=10),
    C("phone", "电话", "Phone", CODE, width=14, help_zh="手机或座机, 用于查撞单"),
    C("address", "地址", "Address", TEXT, width=24),
    C("industry", "行业", "Industry", TEXT, width=10),
    C("region", "大区", "Region", TEXT, width=10),
    C("source", "来源", "Source", ENUM, False, SOURCES, width=10),
    C("customer_class", "客户分类", "Class", ENUM, False, CUSTOMER_CLASSES, width=8),
    C("registered_at", "登记日期", "RegisteredAt", DATETIME, True, future_ok=False, width=17,
      help_zh="可带时间, 同一天登记的按时间先后处理"),
    C("registered_by", "登记人工号", "RegisteredBy", CODE, True, ref="staff", width=10),
    C("designated_id", "指定顾问工号", "DesignatedID", CODE, ref="staff", width=12,
      help_zh="客户持券/名片或点名某顾问时填写, 客户直接归该顾问"),
    C("referrer_id", "推荐客户编号", "ReferrerID", CODE, ref="customers", width=12,
      help_zh="转介绍客户填推荐人的客户编号"),
    C("credit_limit", "信用额度", "CreditLimit", MONEY, width=10, help_zh="允许的最大应收欠款(元); 留空 = 不限"),
), primary_key="customer_id", help_zh="客户档案, 一个客户一行。电话或名称相同会提示撞单。")

VISITS = Sheet("visits", "拜访", "Visits", (
    C("date", "日期", "Date", DATE, True, future_ok=False, width=12),
    C("staff_id", "工号", "StaffID", CODE, True, ref="staff", width=10),
    C("customer_id", "客户编号", "CustomerID", CODE, True, ref="customers", width=12),
    C("method", "拜访方式", "Method", ENUM, True, VISIT_METHODS, width=10),
    C("minutes", "时长(分钟)", "Minutes", NUMBER, width=10),
    C("intent", "是否有意向", "Intent", ENUM, False, YES_NO, width=10),
    C("no_deal_reason", "未成交原因", "NoDealReason", TEXT, width=16),
    C("notes", "跟进内容", "Notes", TEXT, width=30),
    C("next_follow_up", "下次跟进日期", "NextFollowUp", DATE, width=12),
), help_zh="拜访和跟进记录, 一次一行。意向拜访一般不超过 15 分钟。")

CONTRACTS = Sheet("contracts", "合同", "Contracts", (
    C("contract_id", "合同编号", "ContractID", CODE, True, width=12),
    C("customer_id", "客户编号", "CustomerID", CODE, True, ref="customers", width=12),
    C("signer_id", "签约人工号", "SignerID", CODE, True, ref="staff", width=10),
    C("collaborator_id", "协作人工号", "CollaboratorID", CODE, ref="staff", width=10),
    C("collab_share", "协作比例", "CollaboratorShare", RATIO, width=9, help_zh="协作人分得的业绩比例; 留空 = 0.5"),
    C("signed_on", "签约日期", "SignedOn", DATE, True, future_ok=False, width=12),
    C("product", "产品", "Product", TEXT, width=14),
    C("list_price", "原价", "ListPrice", MONEY, True, width=12),
    C("amount", "合同金额", "Amount", MONEY, True, width=12),
    C("approval", "审批状态", "Approval", ENUM, True, APPROVAL_STATES, width=9),
    C("approver_id", "审批人工号", "ApproverID", CODE, ref="staff", width=10),
    C("status", "合同状态", "Status", ENUM, True, CONTRACT_STATES, width=9),
    C("due_date", "约定回款日期", "DueDate", DATE, width=12),
), primary_key="contract_id", help_zh="合同, 一份一行。折扣超出签约人权限须由有权限的人审批。")

PAYMENTS = Sheet("payments", "回款", "Payments", (
    C("payment_id", "回款编号", "PaymentID", CODE, True, width=12),
    C("contract_id", "合同编号", "ContractID", CODE, True, ref="contracts", width=12),
    C("paid_on", "回款日期", "PaidOn", DATE, True, future_ok=False, width=12),
    C("amount", "金额", "Amount", MONEY, True, width=12, help_zh="负数 = 退款"),
    C("collector_id", "收款人工号", "CollectorID", CODE, True, ref="staff", width=10),
    C("remitted", "是否上交", "Remitted", ENUM, True, YES_NO, width=9,
      help_zh="款项是否已上交财务; 未上交不计提成"),
), primary_key="payment_id", help_zh="回款和退款, 一笔一行。")

OVERRIDES = Sheet("overrides", "归属调整", "OwnershipOverrides", (
    C("customer_id", "客户编号", "CustomerID", CODE, True, ref="customers", width=12),
    C("effective", "生效日期", "Effective", DATE, True, future_ok=False, width=12),
    C("new_owner_id", "新归属人工号", "NewOwnerID", CODE, True, ref="staff", width=12),
    C("reason", "原因", "Reason", TEXT, True, width=24),
    C("approver_id", "批准人工号", "ApproverID", CODE, True, ref="staff", width=10),
), help_zh="经理手工调整客户归属, 自生效日期起有效并重新计算保护期。")

INPUT_SHEETS = (
    SETTINGS, COMMISSION_PLAN, PERFORMANCE_FACTORS, DISCOUNT_AUTHORITY, STAFF, TARGETS,
    ATTENDANCE, ROSTER, CUSTOMERS, VISITS, CONTRACTS, PAYMENTS, OVERRIDES,
)

# Output sheets: written by salesbook, replaced on every run, never typed into.
ISSUES = Sheet("issues", "校验结果", "Issues", (
    C("level", "级别", "Level", ENUM, choices=ISSUE_LEVELS, width=6),
    C("sheet", "工作表", "Sheet", width=10),
    C("row", "行号", "Row", INT, width=6),
    C("column", "列", "Column", width=12),
    C("value", "值", "Value", width=16),
    C("problem", "问题", "Problem", width=50),
    C("suggestion", "建议", "Suggestion", width=50),
), output=True,
    help_zh='「检查数据」的结果: 每个问题一行, 写明工作表、行号、列、问题和改法。「错误」要先改正才能月结, 「警告」请人工确认。',
    help_en='Result of validate: one row per problem with sheet, row, column, problem and fix.')

OWNERSHIP = Sheet("ownership", "客户归属", "Ownership", (
    C("customer_id", "客户编号", "CustomerID", CODE, width=12),
    C("customer_name", "客户名称", "CustomerName", width=20),
    C("owner_id", "归属人工号", "OwnerID", CODE, width=10),
    C("owner_name", "归属人", "Owner", width=10),
    C("basis", "归属依据", "Basis", width=10),
    C("since", "归属起始日", "Since", DATE, width=12),
    C("protected_until", "保护到期日", "ProtectedUntil", DATE, width=12),
    C("state", "状态", "State", width=8),
    C("duplicate_of", "重复于", "DuplicateOf", CODE, width=12),
), output=True,
    help_zh='「客户归属」的结果: 每个客户现在归谁、依据什么规则、保护期到哪天、是否在公海、是否撞单。',
    help_en='Who owns each customer now, on what basis, until when; pool and duplicates.')

OWNERSHIP_LOG = Sheet("ownership_log", "归属记录", "OwnershipLog", (
    C("customer_id", "客户编号", "CustomerID", CODE, width=12),
    C("date", "日期", "Date", DATE, width=12),
    C("event", "事件", "Event", width=10),
    C("old_owner_id", "原归属人工号", "OldOwnerID", CODE, width=12),
    C("new_owner_id", "新归属人工号", "NewOwnerID", CODE, width=12),
    C("basis", "依据", "Basis", width=10),
    C("detail", "说明", "Detail", width=40),
), output=True,
    help_zh='客户归属的每一次变化(登记、轮客、到期掉入公海、领取、调整、撞单), 用来解释任何一天的归属。',
    help_en='Every ownership change, to explain the owner on any past date.')

PAYROLL = Sheet("payroll", "业绩提成", "Payroll", (
    C("month", "月份", "Month", MONTH, width=9),
    C("staff_id", "工号", "StaffID", CODE, width=8),
    C("name", "姓名", "Name", width=8),
    C("role", "岗位", "Role", width=10),
    C("team", "小组", "Team", width=8),
    C("signed", "签约业绩", "SignedSales", MONEY, width=12),
    C("collected", "回款业绩", "Collected", MONEY, width=12),
    C("sales_target", "销售目标", "SalesTarget", MONEY, width=12),
    C("achievement", "达成率", "Achievement", RATIO, width=8),
    C("commission_base", "提成基数", "CommissionBase", MONEY, width=12),
    C("commission", "提成", "Commission", MONEY, width=10),
    C("base_salary", "底薪", "BaseSalary", MONEY, width=10),
    C("attendance_bonus", "全勤奖", "AttendanceBonus", MONEY, width=8),
    C("performance_pay", "绩效工资", "PerformancePay", MONEY, width=10),
    C("allowance", "津贴", "Allowance", MONEY, width=8),
    C("awards", "奖励", "Awards", MONEY, width=8),
    C("adjustment", "调整", "Adjustment", MONEY, width=8),
    C("total", "应发合计", "Total", MONEY, width=12),
    C("remarks", "备注", "Remarks", width=40),
), output=True,
    help_zh='「计算提成」的结果: 每人每月的业绩、达成率、提成和应发工资。',
    help_en='Monthly figures and pay per person.')

COMMISSION_LINES = Sheet("commission_lines", "提成明细", "CommissionLines", (
    C("month", "月份", "Month", MONTH, width=9),
    C("staff_id", "工号", "StaffID", CODE, width=8),
    C("source_type", "来源类型", "SourceType", width=10),
    C("document_id", "单据编号", "DocumentID", CODE, width=12),
    C("customer_id", "客户编号", "CustomerID", CODE, width=12),
    C("amount", "金额", "Amount", MONEY, width=12),
    C("share", "分成比例", "Share", RATIO, width=9),
    C("credited", "计入金额", "Credited", MONEY, width=12),
    C("basis", "依据", "Basis", width=50),
), output=True,
    help_zh='提成明细: 每一笔计入业绩的合同或回款, 写明分成比例和依据, 用来核对提成。',
    help_en='Each contract/payment credited, with share and rule, to check the pay.')

CLOSE_LOG = Sheet("close_log", "月结记录", "CloseLog", (
    C("month", "月份", "Month", MONTH, width=9),
    C("closed_at", "结账时间", "ClosedAt", DATETIME, width=17),
    C("operator", "操作人", "Operator", width=10),
    C("fingerprint", "数据指纹", "Fingerprint", width=20),
    C("status", "状态", "Status", width=8),
    C("report_dir", "报告目录", "ReportDir", width=30),
    C("reason", "原因", "Reason", width=30),
), output=True,
    help_zh='月结记录: 每次月结和反结账的时间、操作人和数据指纹(反结账写明原因); 只追加, 不删改; 结账后改动历史数据会被发现。',
    help_en='Each month close: time, operator, data fingerprint.')

PLAN_COMPARISON = Sheet("plan_comparison", "方案对比", "PlanComparison", (
    C("staff_id", "工号", "StaffID", CODE, width=8),
    C("name", "姓名", "Name", width=8),
    C("role", "岗位", "Role", width=10),
    C("team", "小组", "Team", width=8),
    C("old_commission", "原提成", "OldCommission", MONEY, width=12),
    C("new_commission", "新提成", "NewCommission", MONEY, width=12),
    C("old_performance_pay", "原绩效工资", "OldPerformancePay", MONEY, width=12),
    C("new_performance_pay", "新绩效工资", "NewPerformancePay", MONEY, width=12),
    C("old_total", "原应发合计", "OldTotal", MONEY, width=12),
    C("new_total", "新应发合计", "NewTotal", MONEY, width=12),
    C("difference", "差额", "Difference", MONEY, width=12),
), output=True,
    help_zh='「计算提成 --plan」的结果: 每人在现行方案和新方案下的提成、绩效工资和应发合计, 以及差额和总成本差额。',
    help_en="Result of commission --plan: each person's pay under the current and the new plan, and the difference.")

# Hidden sheets of the month close (salesbook.close): what a closed month locked, kept inside
# the workbook so the file alone carries it. Written by salesbook only, never typed into; not
# listed in the guide (people read 月结记录 and the report folder).
CLOSE_PAYROLL = Sheet("close_payroll", "月结快照", "CloseSnapshot", (
    C("recorded", "记录于", "RecordedAt", MONTH, width=9),
) + PAYROLL.columns + (
    C("perf_base", "绩效工资基数", "PerformancePayBase", MONEY, width=12),
    C("carry_out", "结转扣回", "CarryOut", MONEY, width=12),
), output=True,
    help_zh="已结账月份锁定的业绩提成(记录于 = 月份); 以后月结时重算的历史月份(记录于 = 那次月结的月份), 供扣回结转和连续奖励使用。",
    help_en="Payroll locked by each close; later closes record restated history rows for carry-forward and streaks.")

CLOSE_LINES = Sheet("close_lines", "月结明细", "CloseLines", COMMISSION_LINES.columns + (
    C("component", "调整项目", "Component", width=10),
), output=True,
    help_zh="已结账月份锁定的提成明细; 追溯调整行的单据编号是被调整的已结账月份, 调整项目是变动的工资项。",
    help_en="Commission lines locked by each close; retro lines name the adjusted month and component.")

CLOSE_PRINTS = Sheet("close_prints", "月结指纹", "CloseFingerprints", (
    C("recorded", "记录于", "RecordedAt", MONTH, width=9),
    C("sheet", "工作表", "Sheet", CODE, width=12),
    C("row", "行号", "Row", INT, width=7),
    C("key", "键", "Key", CODE, width=16),
    C("start", "起始月份", "FromMonth", MONTH, width=9),
    C("fingerprint", "指纹", "Fingerprint", CODE, width=18),
    C("values", "值", "Values", width=60),
    C("deleted", "删除", "Deleted", width=6),
), output=True,
    help_zh="月结时每一行输入数据的指纹(按单元格的值); 每次月结只追加新增、改动(删除)的行。",
    help_en="Per-row fingerprints of the input rows each close locked (appended as deltas).")

CLOSE_SHEETS = (CLOSE_PAYROLL, CLOSE_LINES, CLOSE_PRINTS)

OUTPUT_SHEETS = (ISSUES, OWNERSHIP, OWNERSHIP_LOG, PAYROLL, COMMISSION_LINES, PLAN_COMPARISON, CLOSE_LOG)
ALL_SHEETS = INPUT_SHEETS + OUTPUT_SHEETS
SHEETS = {s.key: s for s in ALL_SHEETS}
CLOSE_SHEETS_BY_KEY = {s.key: s for s in CLOSE_SHEETS}


def sheet_for_name(name: str) -> Sheet | None:
    """The contract sheet a workbook sheet name stands for (zh or en alias)."""
    name = name.strip()
    for s in ALL_SHEETS:
        if name == s.zh or name.lower() == s.en.lower():
            return s
    return None


@dataclass(frozen=True)
class Setting:
    key: str            # 参数 name, verbatim
    attr: str           # attribute of salesbook.settings.Settings
    default: object
    type: str           # TEXT, ENUM, INT, NUMBER, MONEY, RATIO, EMAILS
    choices: tuple[str, ...] = ()
    help_zh: str = ""


SETTING_KEYS = (
    Setting("公司名称", "company_name", "", TEXT, help_zh="显示在报表上"),
    Setting("提成基数", "commission_base", "回款", ENUM, ("回款", "签约"),
            "回款 = 当月已上交的回款; 签约 = 当月签约并已批准的合同"),
    Setting("提成计算方式", "commission_method", "累进", ENUM, ("累进", "全额"),
            "累进 = 像个税一样分档; 全额 = 整个基数按达到的档位比例"),
    Setting("内外销分成比例", "split_ratio", 0.7, RATIO, help_zh="外销归属人分得的业绩比例(内外销 70/30 规则)"),
    Setting("客户保护期天数", "protection_days", 30, INT, help_zh="最后一次跟进后, 私有客户保留给归属人的天数"),
    Setting("成交客户保护期天数", "deal_protection_days", 365, INT, help_zh="最后一份已批准合同后的保护天数"),
    Setting("每人私有客户上限", "private_cap", 200, INT, help_zh="每人最多持有的私有客户数"),
    Setting("前归属人冷却天数", "cooldown_days", 0, INT, help_zh="客户掉入公海后, 原归属人在这些天内不能再领取"),
    Setting("到期预警天数", "expiry_warning_days", 7, INT, help_zh="保护期在这些天内到期的客户会提醒归属人"),
    Setting("全勤奖", "attendance_bonus", 200, MONEY, help_zh="全勤奖金额(元)"),
    Setting("部门最高业绩奖", "top_sales_award", 200, MONEY, help_zh="达成目标的人中签约业绩最高者的奖励(元)"),
    Setting("连续6个月组内第一奖励", "team_streak_award", 300, MONEY, help_zh="连续 6 个月小组业绩第一的奖励(元)"),
    Setting("连续12个月部门第一奖励", "department_streak_award", 500, MONEY, help_zh="连续 12 个月部门业绩第一的奖励(元)"),
    Setting("连续未达标预警月数", "below_target_months", 3, INT, help_zh="连续这么多个月未达标, 备注降级预警"),
    Setting("发件人邮箱", "sender_email", "", EMAIL, help_zh="报表发件人地址"),
    Setting("SMTP服务器", "smtp_host", "", TEXT, help_zh="发信服务器地址"),
    Setting("SMTP端口", "smtp_port", "", INT, help_zh="发信端口, 如 465 或 587"),
    Setting("SMTP加密", "smtp_security", "", ENUM, ("SSL", "STARTTLS", "无"), "SSL / STARTTLS / 无"),
    Setting("SMTP用户名", "smtp_user", "", TEXT, help_zh="登录名; 密码不保存在工作簿里"),
    Setting("报表抄送", "report_cc", "", EMAILS, help_zh="部门周报、月报另外抄送的邮箱, 多个用逗号分隔"),
)
SETTINGS_BY_KEY = {s.key: s for s in SETTING_KEYS}

# Rows a new workbook starts with (domain.md §3: default 参数 / 提成方案 / 绩效系数 / 折扣权限).
DEFAULT_COMMISSION_PLAN = (
    ("默认", 0, 50000, 0.03),
    ("默认", 50000, 100000, 0.05),
    ("默认", 100000, None, 0.08),
)
DEFAULT_PERFORMANCE_FACTORS = ((0, 0.5), (0.6, 0.8), (0.8, 1.0), (1.0, 1.2), (1.2, 1.5))
DEFAULT_DISCOUNT_AUTHORITY = (
    ("销售代表", 0.95), ("客户代表", 0.95), ("会籍顾问", 0.95), ("电话销售", 0.95),
    ("组长", 0.9), ("销售主管", 0.85), ("销售经理", 0.8), ("营销总监", 0.75),
    ("销售总监", 0.7), ("销售副总", 0.6),
)
