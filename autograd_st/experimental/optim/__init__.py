"""``mindspore.experimental.optim``: optimizers constructed with Parameters or parameter
groups, called with the gradients tuple (``optimizer(grads)``), and ``lr_scheduler``'s
schedulers stepped once per epoch; MindSpore 2.10's rules (see each module)."""
from __future__ import annotations

from . import lr_scheduler
from .adaptive import ASGD, Adadelta, Adagrad, Adamax, NAdam, RAdam, RMSprop, Rprop
from .basic import SGD, Adam, AdamW
from .optimizer import Optimizer

__all__ = ["Optimizer", "Adadelta", "Adagrad", "Adam", "Adamax", "AdamW", "ASGD", "NAdam",
           "RAdam", "RMSprop", "Rprop", "SGD", "lr_scheduler"]
