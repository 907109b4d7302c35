"""What the ribbon's 月结 / 反结账 boxes say (reads the file; nothing is written)."""
from __future__ import annotations

import datetime as dt

from ..domain.calendar import Month, last_full_month
from .run import CloseResult
from .state import CloseState


def preview_text(book, month: str | None = None, today=None) -> str:
    """What the 月结 confirmation box says (reads the file; nothing is written)."""
    from ..reader import load, load_close_sheets
    from ..reports import default_out_dir

    today = today or dt.date.today()
    M = Month.parse(month) if month else last_full_month(today)
    b = load(book, sheets=("settings",))
    state = CloseState.from_sheets(load_close_sheets(book, b.all_sheet_names))
    if state.is_closed(M):
        return (f"{M.label} 已经结账。再次月结只会核对数据: 数据未变则什么都不改; "
                f"数据有变动会列出变动的行。是否继续?")
    last = f"最后结账的月份: {state.latest.label}。" if state.latest else "这是第一次月结。"
    return (f"即将对 {M.label} 月结:\n"
            f"1. 检查全部数据; 有错误就停下, 不锁定任何内容;\n"
            f"2. 计算 {M.label} 的提成和工资(含以前已结账月份的追溯调整), 生成月报、每人的工资条和 {len(M.weeks())} 份周报;\n"
            f"3. 锁定: 月结记录追加一行, 工资和明细的快照、每行数据的指纹保存在工作簿的隐藏工作表里;\n"
            f"4. 报表和结账时的工作簿副本保存在: {default_out_dir(book, M.label)}\n"
            f"结账后修改 {M.label} 的数据, 差额会在下个月作为「追溯调整」发放或扣回。{last}\n是否继续?")


def month_to_reopen(book) -> str:
    """The month the 反结账 button reopens: the latest closed one (later months must be
    reopened first, so it is the only one that can be)."""
    from ..errors import UsageError
    from ..reader import load, load_close_sheets

    b = load(book, sheets=("settings",))
    state = CloseState.from_sheets(load_close_sheets(book, b.all_sheet_names))
    if state.latest is None:
        raise UsageError("还没有已结账的月份, 不需要反结账。", "No month is closed; there is nothing to reopen.")
    return state.latest.label


def reopen_preview_text(book, month: str, ask_reason: bool = False) -> str:
    """What the 反结账 box says; with `ask_reason` it asks for the reason instead of OK/Cancel
    (Excel's input box shows at most 255 characters: keep it short)."""
    M = Month.parse(month)
    head = (f"即将反结账 {M.label}: 撤销该月锁定的工资快照和数据指纹, 月结记录追加一行「已反结账」"
            f"(写明原因和操作人)。报表文件夹里的报表和工作簿副本会保留。以后可以修改数据后重新月结。")
    return head + ("\n请输入反结账的原因(写进月结记录); 点「取消」则什么都不改:" if ask_reason else "是否继续?")


def result_text(result: CloseResult) -> str:
    """What the result box shows after a close or a reopen."""
    return "\n".join(result.summary)
