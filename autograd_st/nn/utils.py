"""``mindspore.nn.utils``: ``no_init_parameters``.

Takes: nothing.  Gives: ``no_init_parameters``, a context manager.
"""
from __future__ import annotations

import contextlib

__all__ = ["no_init_parameters"]


@contextlib.contextmanager
def no_init_parameters():
    """MindSpore's ``mindspore.nn.utils.no_init_parameters()`` (deprecated there): Cells made
    inside skip initializing Parameters made with ``initializer`` until they are loaded or
    compiled.  Differs: autograd_st's Parameters hold their values from construction, so the
    values are the same as MindSpore's once initialized; nothing is deferred."""
    yield
