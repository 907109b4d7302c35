"""What an input method types into number and date cells is read as the number it shows."""
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from salesbook import contract as K
from salesbook.findings import ERROR, WARNING
from salesbook.tables.parse import parse_table


def parse(sheet, column, values, with_rows=False):
    raw = pd.DataFrame({c.key: [None] * len(values) for c in sheet.columns}, dtype=object)
    raw[column] = values
    table, findings = parse_table(sheet, raw)
    found = [(f.level, f.row, f.rule) for f in findings if f.column == column]
    if with_rows:   # blank rows are skipped: the table's _row says which Excel row a value is
        return dict(zip(table["_row"], table[column])), found
    return table[column].tolist(), found


@pytest.mark.parametrize("typed, number", [
    ("２０", 20), ("１０００", 1000), ("1０", 10), ("١٢٣", 123), ("－５", -5), ("１２．５", 12.5),
])
def test_full_width_and_other_unicode_digits_are_the_number_they_show(typed, number):
    values, findings = parse(K.PAYMENTS, "amount", [typed])
    assert values == [number] and findings == []


def test_a_number_with_separators_is_read_with_a_warning_and_a_unit_is_an_error():
    values, findings = parse(K.PAYMENTS, "amount", ["20,000", "１，５００．５", "9000元"])
    assert values[:2] == [20000, 1500.5] and pd.isna(values[2])
    assert sorted(findings, key=lambda f: f[1]) == [(WARNING, 2, "T-SEPARATOR"), (WARNING, 3, "T-SEPARATOR"),
                                                   (ERROR, 4, "T-TYPE")]


def test_a_full_width_percentage_in_a_ratio_cell():
    values, findings = parse(K.CONTRACTS, "collab_share", ["３０％"])
    assert values == [0.3] and findings == []


def test_full_width_dates_and_months():
    values, findings = parse(K.VISITS, "date", ["２０２６-０３-０５", "２０２６年３月５日"])
    assert [v.date().isoformat() for v in values] == ["2026-03-05", "2026-03-05"] and findings == []
    months, findings = parse(K.TARGETS, "month", ["２０２６-０３"])
    assert months == ["2026-03"] and findings == []


TYPED = [(s, c) for s in K.INPUT_SHEETS for c in s.columns
         if c.type in K.NUMERIC_TYPES + K.DATE_TYPES + (K.MONTH, K.ENUM)]
PIECES = st.sampled_from(list("0123456789０１２３４５６７８９١٢٣.,，．-－+＋%％ 　e元年月日/:") + ["", "2026", "--"])


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from(TYPED), st.lists(st.lists(PIECES, max_size=8).map("".join), min_size=1, max_size=6))
def test_any_mix_of_digits_separators_and_spaces_never_crashes_and_every_bad_cell_is_a_finding(case, texts):
    sheet, column = case
    values, findings = parse(sheet, column.key, texts, with_rows=True)
    reported = {row for _, row, _ in findings}
    for i, text in enumerate(texts):
        row = i + 2
        if text.strip() and pd.isna(values[row]):
            assert row in reported, (column.key, text)   # a cell that did not parse is a finding
    assert all(rule in ("T-TYPE", "T-CHOICE", "T-SEPARATOR") for _, _, rule in findings)
