"""Typed tables: the workbook's sheets parsed by the contract (pure)."""
from .parse import ROW, TEXT_DTYPE, empty_table, parse_column, parse_table

__all__ = ["ROW", "TEXT_DTYPE", "empty_table", "parse_column", "parse_table"]
