"""Customer phone numbers in reports (domain.md §8): masked in anything that goes beyond
the customer's own rep. A domain concept, kept here until it is needed elsewhere."""
from __future__ import annotations

import re

_DIGITS = re.compile(r"\D+")
MASK = "****"


def mask_phone(phone) -> str:
    """'13812345678' → '138****5678'; '+86 138-1234-5678' → '138****5678'; '021-5555 1234' →
    '021****1234'. Fewer than 8 digits: nothing worth keeping is shown ('****'). Blank → ''."""
    if phone is None or (isinstance(phone, float) and phone != phone):
        return ""
    digits = _DIGITS.sub("", str(phone))
    if not digits:
        return "" if not str(phone).strip() else MASK
    if digits.startswith("0086") and len(digits) > 11:
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) < 8:
        return MASK
    return digits[:3] + MASK + digits[-4:]


def phone_text(phone, masked: bool) -> str:
    """The phone as a report shows it: masked unless the report is the rep's own."""
    if masked:
        return mask_phone(phone)
    if phone is None or (isinstance(phone, float) and phone != phone):
        return ""
    return str(phone).strip()
