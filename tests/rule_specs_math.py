"""Spec rows for the primitives of ``autograd_st.rules_math`` (see ``rule_specs.py`` for what a
row is; that module gathers these).  ``ZERO_GRADIENT``: the primitives here without a gradient.
"""
from __future__ import annotations

from rule_specs import A, row  # noqa: F401

SPECS: list = []
ZERO_GRADIENT: set = set()
