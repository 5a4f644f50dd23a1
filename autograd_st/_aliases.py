"""MindSpore's deeper module paths (``from mindspore.nn.loss.loss import LossBase``,
``from mindspore.train.serialization import load_checkpoint``, ``from mindspore.nn.optim.optimizer
import Optimizer`` ...), each the autograd_st module that has those names.

Takes: nothing at import (each path is a small stand-in in ``sys.modules``; its names are read
from its target on first use, so ``import autograd_st`` stays light).  Gives: the stand-ins.
"""
from __future__ import annotations

import importlib
import sys
import types

__all__ = ["ALIASES"]

#: MindSpore's path (under ``autograd_st``) -> the module that holds its names here
ALIASES = {
    "nn.loss.loss": "autograd_st.nn",
    "nn.optim.optimizer": "autograd_st.nn",
    "nn.optim.momentum": "autograd_st.nn",
    "nn.optim.adam": "autograd_st.nn",
    "nn.optim.sgd": "autograd_st.nn",
    "nn.layer": "autograd_st.nn",
    "nn.layer.basic": "autograd_st.nn",
    "nn.layer.conv": "autograd_st.nn",
    "nn.layer.pooling": "autograd_st.nn",
    "nn.layer.normalization": "autograd_st.nn",
    "nn.layer.activation": "autograd_st.nn",
    "nn.layer.container": "autograd_st.nn",
    "nn.layer.embedding": "autograd_st.nn",
    "nn.layer.rnns": "autograd_st.nn",
    "nn.cell": "autograd_st.cell",
    "train.serialization": "autograd_st",
    "common.seed": "autograd_st",
    "ops.function": "autograd_st.ops",
    "ops.function.nn_func": "autograd_st.ops",
    "ops.function.math_func": "autograd_st.ops",
    "ops.function.array_func": "autograd_st.ops",
    "ops.function.grad": "autograd_st.ops",
    "dataset.text.transforms": "autograd_st.dataset.text",
    "dataset.vision.transforms": "autograd_st.dataset.vision",
    "dataset.vision.utils": "autograd_st.dataset.vision",
    "dataset.transforms.transforms": "autograd_st.dataset.transforms",
}


class _Alias(types.ModuleType):
    """A module path MindSpore has: its names are its target module's."""

    def __init__(self, name: str, target: str) -> None:
        super().__init__(name)
        self.__dict__["_target"] = target

    def __getattr__(self, attr: str):
        if attr.startswith("__") and attr not in ("__all__",):
            raise AttributeError(attr)
        return getattr(importlib.import_module(self.__dict__["_target"]), attr)

    def __dir__(self):
        return dir(importlib.import_module(self.__dict__["_target"]))


def _register() -> None:
    # (only paths with no module of their own: a stand-in would hide a real one)
    for path, target in ALIASES.items():
        name = "autograd_st." + path
        if name not in sys.modules:
            sys.modules[name] = _Alias(name, target)


_register()
