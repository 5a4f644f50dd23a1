"""``mindspore.train.metrics``: the metrics, written once in :mod:`autograd_st.nn.metrics`
(MindSpore publishes them as ``mindspore.nn.Accuracy`` and ``mindspore.train.Accuracy``
alike), under this path too."""
from ..nn.metrics import *  # noqa: F401,F403
from ..nn.metrics import __all__, get_metrics  # noqa: F401
