"""A workbook as the rules see it: its typed tables and where each sheet and column is."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import contract as K
from ..findings import Finding


@dataclass
class Book:
    path: Path
    tables: dict[str, pd.DataFrame]            # contract sheet key -> parsed table
    sheet_names: dict[str, str]                # contract sheet key -> name in this workbook
    column_index: dict[str, dict[str, int]]    # sheet key -> column key -> 1-based Excel column
    all_sheet_names: list[str]                 # every sheet of the workbook, in order
    findings: list[Finding] = field(default_factory=list)  # parse + structure findings

    def sheet_name(self, key: str) -> str:
        return self.sheet_names.get(key) or K.SHEETS[key].zh
