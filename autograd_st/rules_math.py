"""Primitives and their reverse (vjp) and forward (jvp) rules for element-wise math, activations, reductions and linear algebra (norm, std, gelu, einsum, ...), registered in the one
registry of :mod:`autograd_st.rules` (see its docstring for how a rule is written).

Takes: :mod:`autograd_st.rules` (``primitive``, ``vjp``, ``jvp``) and the runtime helpers.
Gives: the primitives, by registering them; the op rows that publish them are in
:mod:`autograd_st.table_math`.
"""
from __future__ import annotations

__all__: list = []
