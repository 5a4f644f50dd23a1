"""``mindspore.nn.wrap``: the training wrappers (``WithLossCell``, ``WithGradCell``,
``WithEvalCell``, ``TrainOneStepCell``), whose module is ``nn.wrap.cell_wrapper`` as in
MindSpore 2.10.

Takes: :mod:`.cell_wrapper`.  Gives: its names.
"""
from . import cell_wrapper  # noqa: F401 (mindspore.nn.wrap.cell_wrapper)
from .cell_wrapper import *  # noqa: F401,F403
from .cell_wrapper import __all__ as _wrapper_all

__all__ = list(_wrapper_all)
