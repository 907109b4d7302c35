"""Last line of defence for domain.md §8: no full customer mobile number leaves the machine
except in a person's own daily report.

The report step masks (138****5678); this module only verifies, on the very bytes that
would be sent: the HTML body, the plain-text part and the XLSX attachment's text. (PDF
text is stored subset-encoded and cannot be read back without a PDF library; the PDF is
rendered from the same masked context as the HTML.)
"""
from __future__ import annotations

import io
import re
import zipfile

# A mainland mobile number: 11 digits starting 13–19, not part of a longer code or number.
MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9])")


def masked(number: str) -> str:
    """How a found number is named in a message (never in full)."""
    return number[:3] + "****" + number[-4:]


def mobiles_in_text(text: str) -> list[str]:
    return MOBILE.findall(text)


def mobiles_in_xlsx(data: bytes) -> list[str]:
    """Mobile numbers in the cell text and values of an .xlsx (shared strings and sheets)."""
    found: list[str] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for name in z.namelist():
                if name.startswith("xl/") and name.endswith(".xml") and (
                        "sharedStrings" in name or name.startswith("xl/worksheets/")):
                    found += MOBILE.findall(z.read(name).decode("utf-8", "replace"))
    except zipfile.BadZipFile:
        return []
    return found
