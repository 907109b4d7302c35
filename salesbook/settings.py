"""The 参数 sheet as typed settings with defaults (domain.md §3.1).

`Settings` has one attribute per 参数 key of `contract.SETTING_KEYS` (its `attr`); the
engines read `settings.protection_days`, never a Chinese string key, so a misspelt
setting is an AttributeError a test or a linter finds, and the check at the bottom of this
module fails at import if the contract and the class ever disagree.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from . import contract as K
from .domain.email import is_address, split_addresses
from .findings import ERROR, WARNING, Finding, rule

SETTING_UNKNOWN = rule("S-UNKNOWN", WARNING, "未知的参数名", "unknown setting")
SETTING_DUPLICATE = rule("S-DUPLICATE", ERROR, "参数重复", "setting given twice")
SETTING_INVALID = rule("S-INVALID", ERROR, "参数值无效", "invalid setting value")


@dataclass(frozen=True)
class Settings:
    company_name: str = ""
    commission_base: str = "回款"          # 回款 / 签约
    commission_method: str = "累进"        # 累进 / 全额
    split_ratio: float = 0.7               # 内外销分成比例
    protection_days: int = 30              # 客户保护期天数
    deal_protection_days: int = 365        # 成交客户保护期天数
    private_cap: int = 200                 # 每人私有客户上限
    cooldown_days: int = 0                 # 前归属人冷却天数
    expiry_warning_days: int = 7           # 到期预警天数
    attendance_bonus: float = 200          # 全勤奖 (yuan)
    top_sales_award: float = 200           # 部门最高业绩奖
    team_streak_award: float = 300         # 连续6个月组内第一奖励
    department_streak_award: float = 500   # 连续12个月部门第一奖励
    below_target_months: int = 3           # 连续未达标预警月数
    sender_email: str = ""                 # 发件人邮箱
    smtp_host: str = ""                    # SMTP服务器
    smtp_port: int | None = None           # SMTP端口 (None = the encryption's usual port)
    smtp_security: str = ""                # SMTP加密: SSL / STARTTLS / 无 ("" = not set)
    smtp_user: str = ""                    # SMTP用户名
    report_cc: tuple[str, ...] = ()        # 报表抄送

    def by_key(self, key: str):
        """The value of a 参数 by its Chinese name (for messages and the plan comparison)."""
        return getattr(self, K.SETTINGS_BY_KEY[key].attr)

    def replace(self, **values) -> "Settings":
        return dataclasses.replace(self, **values)


def defaults() -> Settings:
    return Settings()


def read_settings(table: pd.DataFrame) -> tuple[Settings, list[Finding]]:
    """Typed settings from the parsed 参数 table; bad values are 错误 and use the default."""
    values: dict[str, object] = {}
    findings: list[Finding] = []
    seen: dict[str, int] = {}
    for key, raw, row in zip(table["key"], table["value"], table["_row"]):
        row = int(row)
        if key is None or pd.isna(key):
            continue
        spec = K.SETTINGS_BY_KEY.get(key)
        if spec is None:
            findings.append(SETTING_UNKNOWN(
                "settings", row, "key", key, f"未知的参数「{key}」, 系统不会使用它",
                "检查参数名是否写错; 可用的参数见「说明」工作表",
                f"Unknown setting '{key}' is ignored", "Check the spelling; see the 说明 sheet"))
            continue
        if key in seen:
            findings.append(SETTING_DUPLICATE(
                "settings", row, "key", key, f"参数「{key}」重复(第 {seen[key]} 行已有)",
                "删除其中一行, 只保留正确的值",
                f"Setting '{key}' appears twice (row {seen[key]})", "Delete one of the rows"))
            continue
        seen[key] = row
        if raw is None or pd.isna(raw) or str(raw).strip() == "":
            continue
        value, problem = _parse_value(spec, str(raw).strip())
        if problem is None:
            values[spec.attr] = value
        else:
            findings.append(SETTING_INVALID(
                "settings", row, "value", raw, f"参数「{key}」的值「{raw}」无效, {problem[0]}",
                f"改成有效的值, 或清空以使用默认值「{_default_text(spec)}」",
                f"Setting '{key}' has an invalid value '{raw}': {problem[1]}",
                f"Use a valid value or clear it for the default '{_default_text(spec)}'"))
    return Settings(**values), findings


def _default_text(spec: K.Setting) -> str:
    return "" if spec.default in ("", None) else str(spec.default)


_HINTS = {
    K.INT: ("应为不小于 0 的整数", "a whole number ≥ 0"),
    K.RATIO: ("应为 0 到 1 之间的比例, 如 0.7", "a ratio between 0 and 1, e.g. 0.7"),
    K.MONEY: ("应为不小于 0 的金额数字", "an amount ≥ 0"),
    K.EMAIL: ("应为一个邮箱地址, 如 sales@example.com", "one e-mail address, e.g. sales@example.com"),
}


def _parse_value(spec: K.Setting, text: str) -> tuple[object, tuple[str, str] | None]:
    """(typed value, None) or (None, (why zh, why en))."""
    from .tables.parse import parse_column

    if spec.type == K.TEXT:
        return text, None
    if spec.type == K.ENUM:
        if text in spec.choices:
            return text, None
        return None, (f"只能填: {'/'.join(spec.choices)}", f"must be one of {', '.join(spec.choices)}")
    if spec.type == K.EMAIL:
        return (text, None) if is_address(text) else (None, _HINTS[K.EMAIL])
    if spec.type == K.EMAILS:
        good, bad = split_addresses(text)
        if bad:
            return None, (f"「{'、'.join(bad)}」不是有效的邮箱地址(多个地址用逗号分隔)",
                          f"not e-mail address(es): {', '.join(bad)}")
        return tuple(good), None
    col = K.Column("v", "v", "v", spec.type)
    parsed, bad = parse_column(col, pd.Series([text], dtype="object"))
    value = None if bad.iloc[0] else float(parsed.iloc[0])
    if value is not None and value >= 0 and (spec.type != K.RATIO or value <= 1):
        return (int(value), None) if spec.type == K.INT else (value, None)
    return None, _HINTS.get(spec.type, ("格式不对", "not valid"))


def _check_contract() -> None:
    """Settings and contract.SETTING_KEYS must name the same settings with the same defaults."""
    fields = {f.name: f.default for f in dataclasses.fields(Settings)}
    keys = {s.attr: s for s in K.SETTING_KEYS}
    if set(fields) != set(keys):
        raise ImportError(f"Settings fields and contract.SETTING_KEYS differ: {set(fields) ^ set(keys)}")
    for attr, spec in keys.items():
        default = fields[attr]
        if spec.default not in ("", None) and default != spec.default:
            raise ImportError(f"default of {spec.key} differs: contract {spec.default!r}, Settings {default!r}")


_check_contract()
