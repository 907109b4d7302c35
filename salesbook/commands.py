"""The commands people run: one table for the ribbon, its VBA callbacks and the Excel entry points.

Adding a button is one `Command` row here plus its entry function in `salesbook.excel`
(and, for a new job, its CLI command and api function). `salesbook excel build-addin`
generates the 销售管理 ribbon (customUI.xml) and one VBA callback per row from this table;
tests check that every row has its entry function and its CLI command.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Group:
    id: str          # ribbon group id
    label: str       # shown under the group's buttons


@dataclass(frozen=True)
class Command:
    entry: str       # function in salesbook.excel the button runs (RunPython sb.<entry>())
    cli: str         # the `salesbook …` command doing the same job from a terminal
    group: str       # Group.id
    label: str       # button text
    tip: str         # screentip: one line
    detail: str      # supertip: what happens and where the result goes
    image: str       # built-in Office icon (imageMso)

    @property
    def vba_sub(self) -> str:
        """Name of the generated VBA callback: SalesbookValidate, SalesbookReportWeekly …"""
        return "Salesbook" + "".join(part.capitalize() for part in self.entry.split("_"))

    @property
    def button_id(self) -> str:
        return "salesbook" + self.vba_sub[len("Salesbook"):]


GROUPS = (
    Group("salesbookData", "数据"),
    Group("salesbookCustomers", "客户"),
    Group("salesbookPay", "薪酬"),
    Group("salesbookReports", "报表"),
    Group("salesbookSend", "发送"),
)

COMMANDS = (
    Command("validate", "validate", "salesbookData", "校验数据", "校验数据",
            "检查所有输入表（人员、客户、拜访、合同、回款……）的错误和警告，结果写入“校验结果”表，"
            "有问题的单元格会标上颜色和批注。", "DataValidation"),
    Command("assign", "assign", "salesbookCustomers", "客户归属", "计算客户归属",
            "按登记、指定、转介绍、轮客和保护期规则计算每个客户归谁，结果写入“客户归属”和“归属记录”表。",
            "AddressBook"),
    Command("commission", "commission", "salesbookPay", "计算提成", "计算上月提成和工资",
            "按提成方案计算上一个完整月份的业绩、提成和应发工资，结果写入“业绩提成”和“提成明细”表。",
            "AutoSum"),
    Command("close_month", "close", "salesbookPay", "月结", "月结：锁定上个月的工资",
            "对上一个完整月份结账：先检查数据（有错误就停下、不锁定），再计算提成和工资、生成月报、工资条和周报，"
            "最后在“月结记录”追加一行并把工资快照和数据指纹存进隐藏工作表。结账后再改该月的数据，"
            "差额会在下个月作为“追溯调整”发放或扣回。开始前会先确认。", "FileMarkAsFinal"),
    Command("reopen_month", "close --reopen", "salesbookPay", "反结账", "撤销最近一次月结",
            "撤销最近一个已结账月份的锁定（要填写原因），“月结记录”追加一行“已反结账”；"
            "之后可以修改数据并重新月结。报表和结账时的工作簿副本会保留。", "Undo"),
    Command("report_daily", "report daily", "salesbookReports", "日报", "生成今天的日报",
            "为今天有拜访、新客户、签约、回款或跟进计划的每个人生成日报（HTML、XLSX、PDF），"
            "保存在台账旁边的“台账名-报表”文件夹，完成后打开该文件夹。", "DateAndTimeInsert"),
    Command("report_weekly", "report weekly", "salesbookReports", "周报", "生成上周的周报",
            "为部门和每个小组生成上一个完整周（周一到周日）的周报：意向客户与跟进、未成交原因、"
            "本周与上周的数字对比、下周跟进计划。", "TableInsert"),
    Command("report_monthly", "report monthly", "salesbookReports", "月报", "生成上月的月报",
            "生成上一个完整月份的部门月报：目标与达成、回款、排名、提成和奖励、客户开发、转化率、"
            "应收账龄和图表。", "PivotTableInsert"),
    Command("report_statement", "report statement", "salesbookReports", "工资条", "生成上月的工资条",
            "为上一个完整月份每个领薪人生成个人工资条/提成明细，只含本人的数字。", "FilePrint"),
    Command("send_daily", "send --kind daily", "salesbookSend", "发送日报", "把今天的日报发给每个人",
            "把今天的日报发到每个人自己的邮箱（没有内容的不发）。发送前会列出每封邮件请您确认；"
            "已经发过的不会重发。邮件设置见“参数”表（没有设置 SMTP 服务器时，邮件保存到报表文件夹的“发件箱”）。",
            "FileSendAsAttachment"),
    Command("send_weekly", "send --kind weekly", "salesbookSend", "发送周报", "把上周的周报发给经理和组长",
            "把上一个完整周的部门周报发给销售经理（和“报表抄送”），小组周报发给各组组长。发送前会先确认；"
            "已经发过的不会重发。", "FileSendAsAttachment"),
    Command("send_monthly", "send --kind all", "salesbookSend", "发送月报", "把上月的月报和工资条发出去",
            "把上一个完整月份的部门月报发给销售经理（和“报表抄送”），每个人的工资条只发给本人。"
            "建议在月结之后发送。发送前会先确认；已经发过的不会重发。", "FileSendAsAttachment"),
)


def groups_in_use() -> list[Group]:
    used = {c.group for c in COMMANDS}
    return [g for g in GROUPS if g.id in used]
