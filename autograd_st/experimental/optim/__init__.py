"""``mindspore.experimental.optim``: optimizers constructed with Parameters or parameter
groups, called with the gradients tuple (``optimizer(grads)``), and ``lr_scheduler``'s
schedulers stepped once per epoch; MindSpore 2.10's rules (see each module)."""
from __future__ import annotations

from . import lr_scheduler
from .basic import SGD, Adam, AdamW
from .optimizer import Optimizer

__all__ = ["Optimizer", "AdamW", "SGD", "Adam", "lr_scheduler"]
