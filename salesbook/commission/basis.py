"""依据: the plain-Chinese reason written on every 提成明细 row."""
from __future__ import annotations

from collections import namedtuple

import numpy as np
import pandas as pd

from ..credit import COLLAB, SPLIT
from ..domain.calendar import day_text
from ..domain.money import PPM, money_text, ratio_text


_Line = namedtuple("_Line", "staff_id source_type document_id contract_pos customer_id date amount_fen "
                           "credited_fen commission_fen")


def _share_clause(sh, protection_days: int) -> str:
    signer, other = sh["signer_id"], sh["other_id"]
    p_other = int(sh["other_ppm"])
    if sh["rule"] == COLLAB:
        note = "(协作比例留空, 按 50%)" if sh["collab_default"] else ""
        return f"协作人 {other} 分 {ratio_text(p_other)}{note}, 签约人 {signer} 分 {ratio_text(PPM - p_other)}"
    if sh["rule"] == SPLIT:
        return (f"{ratio_text(p_other)}/{ratio_text(PPM - p_other)} 内外销分成: 外销归属人 {other} 于 "
                f"{day_text(sh['visit_on'])} 拜访过客户(签约前 {protection_days} 天内), 分 {ratio_text(p_other)}; "
                f"内销签约人 {signer} 分 {ratio_text(PPM - p_other)}")
    return f"签约人 {signer} 独得 100%"


def line_basis(lines: pd.DataFrame, shares, persons: dict, non_owner: dict[int, str],
               mode: str, protection_days: int) -> list[str]:
    """One 依据 per line (lines after allocation: staff_id, source_type, commission_fen...)."""
    out = []
    clauses: dict[int, str] = {}
    tails: dict[str, str] = {}   # per person: the part of the tail that does not depend on the line
    base_type = "回款" if mode == "回款" else "合同"
    cols = ("staff_id", "source_type", "document_id", "contract_pos", "customer_id", "date", "amount_fen",
            "credited_fen", "commission_fen")
    values = {c: lines[c].tolist() for c in cols}
    values["date"] = np.datetime_as_string(lines["date"].to_numpy(dtype="datetime64[ns]"), unit="D").tolist()
    for row in zip(*(values[c] for c in cols)):
        row = _Line(*row)
        sid = row.staff_id
        p = persons.get(sid)
        if row.source_type == "扣回结转":
            head = (f"扣回结转: 截至 {row.document_id} 累计未扣回的负提成基数 {money_text(-row.amount_fen)}, "
                    f"从本月提成基数中扣除")
        else:
            i = row.contract_pos
            cid = shares.contract_id[i]
            if i not in clauses:
                clause = _share_clause(shares.record(i), protection_days)
                if i in non_owner:
                    clause += (f"; 签约人不是客户签约日的归属人(归属人 {non_owner[i]}), "
                               f"按「以付款为准」业绩归签约人, 已提示经理复核")
                clauses[i] = clause
            if row.source_type == "合同":
                head = (f"合同 {cid}(客户 {row.customer_id}) 签约 {row.date} 金额 {money_text(row.amount_fen)}, "
                        f"{clauses[i]}; 计入签约业绩 {money_text(row.credited_fen)}")
            else:
                kind = "退款" if row.amount_fen < 0 else "回款"
                head = (f"{kind} {row.document_id}(合同 {cid}, 客户 {row.customer_id}) {row.date} "
                        f"已上交 {money_text(row.amount_fen)}, {clauses[i]}; "
                        f"{'冲减' if row.amount_fen < 0 else '计入'}回款业绩 {money_text(row.credited_fen)}")
        if p is None:
            tail = f"{sid} 本月不在职, 不计提成"
        elif row.source_type not in (base_type, "扣回结转"):
            tail = f"按 {mode} 计提成, 本行只计业绩不计提成"
        elif p.base <= 0:
            tail = f"本月提成基数 {money_text(p.base)} ≤ 0, 不计提成" + (", 差额结转下月扣回" if p.base < 0 else "")
        elif p.commission == 0:
            tail = f"按 {mode} 计提成, 本月提成为 0"
        else:
            if sid not in tails:
                tails[sid] = f"(本月提成 {money_text(p.commission)} 按占提成基数 {money_text(p.base)} 的比例分摊)"
            tail = f"按 {mode} 计提成: 分得提成 {money_text(row.commission_fen)}{tails[sid]}"
        out.append(f"{head}; {tail}")
    return out
