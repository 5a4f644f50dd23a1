"""``mindspore.parallel._utils``: MindSpore's readers of the auto-parallel context, the ones
model-zoo training cells call (their answers measured on MindSpore 2.10 CPU: stand-alone by
default gives ``1, False, 'stand_alone', False``).

Takes: :mod:`autograd_st.parallel_context`.  Gives: ``_get_device_num``,
``_get_gradients_mean``, ``_get_parallel_mode``, ``_get_enable_parallel_optimizer``.
"""
from __future__ import annotations

from .. import parallel_context as _ctx

__all__ = ["_get_device_num", "_get_gradients_mean", "_get_parallel_mode",
           "_get_enable_parallel_optimizer"]


def _get_device_num() -> int:
    """``device_num`` of the auto-parallel context (1 unless set)."""
    return _ctx.device_num()


def _get_gradients_mean() -> bool:
    """``gradients_mean`` of the auto-parallel context (False unless set)."""
    return _ctx.gradients_mean()


def _get_parallel_mode() -> str:
    """``parallel_mode`` of the auto-parallel context ('stand_alone' unless set)."""
    return _ctx.parallel_mode()


def _get_enable_parallel_optimizer() -> bool:
    """``enable_parallel_optimizer`` of the auto-parallel context (False unless set; nothing
    here shards an optimizer)."""
    return bool(_ctx.get_auto_parallel_context("enable_parallel_optimizer"))
