"""Imports every module that declares rules, so findings.RULES is complete (for docs/rules.md)."""
from . import credit, settings, validation  # noqa: F401
from .commission import engine  # noqa: F401
from .ownership import texts  # noqa: F401
from .tables import parse  # noqa: F401
