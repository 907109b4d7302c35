"""Table columns as plain numpy arrays, for the engines' hot paths."""
from __future__ import annotations

import numpy as np
import pandas as pd


def obj(values) -> np.ndarray:
    """A text column as a numpy object array (None for blanks). pandas 3 keeps text in
    arrow strings, whose per-element access and isin are slow; hashing Python str is not."""
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype=object, na_value=None)
    return np.asarray(values, dtype=object)
