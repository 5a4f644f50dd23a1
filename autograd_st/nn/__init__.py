"""``autograd_st.nn``: Cell and the layers, losses, optimizers, learning-rate schedules and
wrappers built on it (each module's ``__all__`` is published here)."""
import importlib

from .. import cell  # noqa: F401  (MindSpore's module ``nn.cell``: ``nn.cell.Cell``)
from ..cell import Cell
from . import (
    activation,
    activation3,
    basic,
    conv,
    distributed,
    dynamic_lr,
    graph_cell,
    layers,
    layers3d,
    learning_rate_schedule,
    loss,
    losses2,
    losses3,
    metrics,
    metrics_more,
    optim,
    optim3,
    optim_more,
    padding,
    pooling,
    rnn,
    structural,
    transformer,
    wrap,
)

__all__ = ["Cell"]

for _module in (layers, basic, conv, padding, pooling, activation, loss, losses2, optim, optim_more,
                learning_rate_schedule, dynamic_lr, wrap, graph_cell, rnn, transformer, metrics,
                metrics_more, distributed, layers3d, structural, activation3, losses3, optim3):
    for _name in _module.__all__:
        if _name == "get_metrics":  # (mindspore.train.metrics only)
            continue
        globals()[_name] = getattr(_module, _name)
        __all__.append(_name)
del _module, _name


def __getattr__(name: str):
    """``nn.layer`` read as an attribute (MindSpore's subpackage: ``nn.layer.CellList`` in the
    SSD zoo): the module path ``autograd_st`` registers for it, whose names are nn's."""
    if name == "layer":
        return importlib.import_module(__name__ + ".layer")
    raise AttributeError("module %r has no attribute %r" % (__name__, name))
