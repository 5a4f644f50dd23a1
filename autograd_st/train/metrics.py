"""``mindspore.train.metrics``: the metrics, written once in :mod:`autograd_st.nn.metrics`
(MindSpore publishes them as ``mindspore.nn.Accuracy`` and ``mindspore.train.Accuracy``
alike), under this path too."""
from ..nn.metrics import *  # noqa: F401,F403
from ..nn.metrics import __all__ as _metrics_all
from ..nn.metrics import get_metrics  # noqa: F401
from ..nn.metrics_more import *  # noqa: F401,F403
from ..nn.metrics_more import __all__ as _more_all

__all__ = list(_metrics_all) + list(_more_all)
