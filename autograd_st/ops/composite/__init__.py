"""``mindspore.ops.composite`` (``from mindspore.ops import composite as C``): the names
MindSpore 2.10 has there that programs use: ``GradOperation``, ``HyperMap``, ``Map``,
``MultitypeFuncGraph``, ``tail``, ``zeros_like``, ``ones_like``, and the submodule
``base``.

Takes: :mod:`.base`, the ops functions ``zeros_like``/``ones_like``.
Gives: those names.
"""
from ...op_table import FUNCTIONS
from . import base
from .base import GradOperation, HyperMap, Map, MultitypeFuncGraph, tail

zeros_like = FUNCTIONS["zeros_like"]
ones_like = FUNCTIONS["ones_like"]

__all__ = ["base", "GradOperation", "HyperMap", "Map", "MultitypeFuncGraph", "tail",
           "zeros_like", "ones_like"]
