"""Fixed words of the reports (labels, headings) and their English, for --lang en.

Templates write their labels in Chinese through `t("签约业绩")`; with lang = en the word is
looked up here (unknown words stay Chinese, so a company template may write any label).
"""
from __future__ import annotations

EN = {
    # periods, scopes
    "本期": "This period", "上期": "Previous", "变化": "Change", "本周": "This week", "上周": "Last week",
    "本月": "This month", "上月": "Last month", "下周": "Next week", "明天": "Tomorrow",
    "销售部": "Sales department", "部门": "Department", "小组": "Team", "大区": "Region", "个人": "Person",
    "第": "Page", "页": "", "共": "of", "生成日期": "Generated on", "期间": "Period",
    # visit methods and fields
    "陌生拜访": "Cold visit", "意向拜访": "Intent visit", "电话拜访": "Phone call", "来访接待": "Walk-in",
    "拜访": "Visits", "拜访次数": "Visits", "拜访方式": "Method", "拜访合计": "Visits total",
    "拜访次数(按拜访方式)": "Visits by method", "时长(分钟)": "Minutes", "是否有意向": "Intent",
    "有意向": "Intent", "无意向": "No intent", "未成交原因": "Reason", "跟进内容": "Notes",
    "下次跟进日期": "Next follow-up", "最近跟进": "Latest follow-up", "下一步": "Next step",
    "次数": "Count", "占比": "Share", "未填写": "(blank)", "日期": "Date", "计划于": "Planned on",
    # customers
    "客户编号": "Customer ID", "客户名称": "Customer", "联系人": "Contact", "电话": "Phone", "来源": "Source",
    "登记日期": "Registered", "新增客户": "New customers", "意向客户": "Intent customers",
    "意向客户数": "Intent customers", "归属人": "Owner", "归属人工号": "Owner ID", "保护到期日": "Protected until",
    "剩余天数": "Days left", "原归属人": "Previous owner", "原因": "Reason", "掉入公海的客户": "Customers lost to the pool",
    "保护期即将到期的客户": "Customers whose protection ends soon", "客户开发": "Customer development",
    # documents
    "合同编号": "Contract", "产品": "Product", "合同金额": "Amount", "审批状态": "Approval", "合同状态": "Status",
    "签约": "Signed", "签约合同": "Contracts signed", "签约金额": "Contract amount", "回款": "Collected",
    "回款金额": "Payments", "回款编号": "Payment", "金额": "Amount", "是否上交": "Remitted", "计入业绩": "Counts",
    "是": "Yes", "否": "No", "签约日期": "Signed on", "约定回款日期": "Due", "逾期天数": "Days past due",
    "已回款": "Paid", "未回款": "Outstanding", "账龄": "Ageing", "未到期": "Not yet due", "逾期": "Overdue",
    "天": " days", "逾期合同": "Overdue contracts", "应收账款账龄": "Receivables ageing", "合计": "Total",
    "签约人": "Signer", "应收合计": "Receivables total",
    # people and pay
    "工号": "Staff ID", "姓名": "Name", "岗位": "Role", "销售目标": "Target", "签约业绩": "Signed sales",
    "回款业绩": "Collected", "达成率": "Achievement", "提成基数": "Commission base", "提成": "Commission",
    "底薪": "Base salary", "全勤奖": "Attendance bonus", "绩效工资": "Performance pay", "津贴": "Allowance",
    "奖励": "Awards", "调整": "Adjustment", "应发合计": "Total pay", "备注": "Remarks", "排名": "Rank",
    "人数": "People", "奖项": "Award", "说明": "Why", "预警": "Warning", "月数": "Months",
    "降级预警": "Demotion warning", "建议调薪": "Raise suggested", "业绩排名": "Ranking",
    "提成与奖励": "Commissions and awards", "预警与建议": "Warnings", "人员业绩": "People",
    "小组业绩": "Teams", "大区业绩": "Regions", "目标与签约业绩(按小组)": "Target vs signed sales by team",
    "近 12 个月签约与回款": "Signed and collected, last 12 months", "元": "yuan", "万元": "10k yuan",
    "来源类型": "Source", "单据编号": "Document", "分成比例": "Share", "计入金额": "Credited", "依据": "Basis",
    "提成明细": "Commission lines", "提成档位": "Commission tiers", "档位": "Tier", "比例": "Rate",
    "适用金额": "Portion", "工资构成": "Pay", "业绩": "Performance", "项目": "Item", "数值": "Value",
    "扣回结转": "Deficit carried", "考勤": "Attendance", "应出勤天数": "Days due", "实际出勤天数": "Days present",
    "迟到次数": "Late", "请假天数": "Leave days", "绩效系数": "Factor", "绩效工资基数": "Performance pay base",
    # report parts
    "本期数字": "This period's numbers", "汇总": "Summary", "明细": "Details", "图表": "Charts",
    "意向客户及跟进": "Intent customers and follow-up", "无意向原因": "Reasons without intent",
    "下周计划跟进": "Follow-ups planned for next week", "明天计划跟进": "Follow-ups planned for tomorrow",
    "今日拜访": "Today's visits", "今日新增客户": "New customers today", "今日签约": "Contracts today",
    "今日回款": "Payments today", "转化率": "Conversion", "平均销售周期": "Average sales cycle",
    "数据问题": "Data issues", "错误": "errors", "警告": "warnings", "各小组": "Teams", "各成员": "Members",
    "无": "None", "条": "rows", "完整列表见附件": "the full list is in the attachment",
    "数据不足": "no data", "转化客户": "Converted",
}


def word(zh: str, lang: str) -> str:
    if lang != "en":
        return zh
    return EN.get(zh, zh)
