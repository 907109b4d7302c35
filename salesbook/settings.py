"""The 参数 sheet as typed settings with defaults (domain.md §3.1)."""
from __future__ import annotations

from types import MappingProxyType

import pandas as pd

from . import contract as K
from .book import parse_column
from .findings import Finding, error, warning


class Settings:
    """Read-only mapping 参数 name -> typed value; unknown or invalid values fall back to defaults."""

    def __init__(self, values: dict):
        self._values = MappingProxyType(dict(values))

    def __getitem__(self, key: str):
        return self._values[key]

    def get(self, key: str, default=None):
        return self._values.get(key, default)

    def as_dict(self) -> dict:
        return dict(self._values)


def defaults() -> Settings:
    return Settings({s.key: s.default for s in K.SETTING_KEYS})


def read_settings(table: pd.DataFrame) -> tuple[Settings, list[Finding]]:
    """Typed settings from the parsed 参数 table; bad values are 错误 and use the default."""
    values = {s.key: s.default for s in K.SETTING_KEYS}
    findings: list[Finding] = []
    seen: dict[str, int] = {}
    for key, raw, row in zip(table["key"], table["value"], table["_row"]):
        row = int(row)
        if key is None or pd.isna(key):
            continue
        spec = K.SETTINGS_BY_KEY.get(key)
        if spec is None:
            findings.append(warning(
                "settings", row, "key", key, f"未知的参数「{key}」, 系统不会使用它",
                "检查参数名是否写错; 可用的参数见「说明」工作表",
                f"Unknown setting '{key}' is ignored", "Check the spelling; see the 说明 sheet"))
            continue
        if key in seen:
            findings.append(error(
                "settings", row, "key", key, f"参数「{key}」重复(第 {seen[key]} 行已有)",
                "删除其中一行, 只保留正确的值",
                f"Setting '{key}' appears twice (row {seen[key]})", "Delete one of the rows"))
            continue
        seen[key] = row
        if raw is None or pd.isna(raw) or str(raw).strip() == "":
            continue
        value, ok = _parse_value(spec, str(raw).strip())
        if ok:
            values[key] = value
        else:
            allowed = f"只能填: {'/'.join(spec.choices)}" if spec.choices else _type_hint(spec.type)
            findings.append(error(
                "settings", row, "value", raw, f"参数「{key}」的值「{raw}」无效, {allowed}",
                f"改成有效的值, 或清空以使用默认值「{spec.default}」",
                f"Setting '{key}' has an invalid value '{raw}'",
                f"Use a valid value or clear it for the default '{spec.default}'"))
    return Settings(values), findings


def _type_hint(t: str) -> str:
    return {K.INT: "应为整数", K.RATIO: "应为 0 到 1 之间的比例, 如 0.7", K.MONEY: "应为金额数字"}.get(t, "格式不对")


def _parse_value(spec: K.Setting, text: str):
    if spec.type == K.TEXT:
        return text, True
    if spec.type == K.ENUM:
        return text, text in spec.choices
    col = K.Column("v", "v", "v", spec.type)
    parsed, bad = parse_column(col, pd.Series([text], dtype="object"))
    if bad.iloc[0]:
        return None, False
    value = float(parsed.iloc[0])
    if spec.type == K.INT:
        return int(value), value >= 0
    if spec.type == K.RATIO:
        return value, 0 <= value <= 1
    return value, value >= 0
