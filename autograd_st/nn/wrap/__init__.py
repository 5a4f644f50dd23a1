"""``mindspore.nn.wrap``: the training wrappers (``WithLossCell``, ``WithGradCell``,
``WithEvalCell``, ``TrainOneStepCell``), whose module is ``nn.wrap.cell_wrapper`` as in
MindSpore 2.10, and the loss-scaling ones of ``nn.wrap.loss_scale``
(``TrainOneStepWithLossScaleCell``, ``DynamicLossScaleUpdateCell``,
``FixedLossScaleUpdateCell``); ``nn.wrap.grad_reducer`` holds ``DistributedGradReducer``.

Takes: :mod:`.cell_wrapper`, :mod:`.loss_scale`.  Gives: its names.
"""
from . import (
    cell_wrapper,  # noqa: F401 (mindspore.nn.wrap.cell_wrapper)
    grad_reducer,  # noqa: F401 (mindspore.nn.wrap.grad_reducer: DistributedGradReducer)
    loss_scale,  # noqa: F401 (mindspore.nn.wrap.loss_scale)
)
from .cell_wrapper import *  # noqa: F401,F403
from .cell_wrapper import __all__ as _wrapper_all
from .loss_scale import *  # noqa: F401,F403
from .loss_scale import __all__ as _loss_scale_all

__all__ = list(_wrapper_all) + list(_loss_scale_all)
