"""E-mail addresses as people type them into 人员.邮箱 and 参数 (报表抄送, 发件人邮箱)."""
from __future__ import annotations

import re

# Deliberately simple: one @, no spaces, a dot in the domain. Full RFC 5322 would accept
# typos people make ("张三@公司"), and the SMTP server is the final judge anyway.
_ADDRESS = re.compile(r"^[^@\s,;<>()\[\]\"]+@[^@\s,;<>()\[\]\"]+\.[A-Za-z0-9-]{2,}$")
_SEPARATORS = re.compile(r"[,;，；、\s]+")


def is_address(text: str) -> bool:
    return bool(_ADDRESS.match(text.strip()))


def split_addresses(text: str | None) -> tuple[list[str], list[str]]:
    """(good addresses, bad pieces) of a list typed with , ; 、 or spaces between them."""
    good, bad = [], []
    for piece in _SEPARATORS.split(text or ""):
        if piece:
            (good if is_address(piece) else bad).append(piece)
    return good, bad
