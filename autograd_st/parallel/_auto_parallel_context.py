"""``mindspore.parallel._auto_parallel_context``: ``auto_parallel_context()``, the one
context object whose ``get_*`` / ``set_*`` methods model-zoo training cells call
(``auto_parallel_context().get_device_num_is_set()`` ...), over the same settings as
``set_auto_parallel_context`` (answers measured on MindSpore 2.10 CPU: stand-alone,
``device_num`` 1 and not set, ``pipeline_stages`` 1, fusion split indices ``[]``).

Takes: :mod:`autograd_st.parallel_context`.  Gives: ``auto_parallel_context``.
"""
from __future__ import annotations

from .. import parallel_context as _ctx

__all__ = ["auto_parallel_context"]


class _AutoParallelContext:
    """The readers and the one writer the zoo uses; each reads ``get_auto_parallel_context``
    (nothing here is sharded or fused: the values are recorded and returned)."""

    def __init__(self) -> None:
        self._split_indices: list = []

    def get_device_num(self) -> int:
        return _ctx.device_num()

    def get_device_num_is_set(self) -> bool:
        return _ctx.is_set("device_num")

    def get_parallel_mode(self) -> str:
        return _ctx.parallel_mode()

    def get_gradients_mean(self) -> bool:
        return _ctx.gradients_mean()

    def get_pipeline_stages(self) -> int:
        return int(_ctx.get_auto_parallel_context("pipeline_stages"))

    def set_all_reduce_fusion_split_indices(self, indices, group="") -> None:
        self._split_indices = list(indices)

    def get_all_reduce_fusion_split_indices(self, group="") -> list:
        return list(self._split_indices)


_INSTANCE = _AutoParallelContext()


def auto_parallel_context() -> _AutoParallelContext:
    """MindSpore's ``auto_parallel_context()``: the one context object (the same each call)."""
    return _INSTANCE
