"""Primitives and their reverse (vjp) and forward (jvp) rules for array manipulation (split, gather, indexing, triu, tile, cumsum, sort, topk, ...), registered in the one
registry of :mod:`autograd_st.rules` (see its docstring for how a rule is written).

Takes: :mod:`autograd_st.rules` (``primitive``, ``vjp``, ``jvp``) and the runtime helpers.
Gives: the primitives, by registering them; the op rows that publish them are in
:mod:`autograd_st.table_array`.
"""
from __future__ import annotations

__all__: list = []
