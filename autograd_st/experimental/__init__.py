"""``mindspore.experimental``: ``optim``, MindSpore 2.x's PyTorch-style optimizers and
learning-rate schedulers (``from autograd_st.experimental import optim``)."""
from __future__ import annotations

from . import optim

__all__ = ["optim"]
