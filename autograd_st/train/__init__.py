"""``autograd_st.train``: MindSpore 2.10's ``mindspore.train`` -- ``Model``, callbacks
(``Callback``, ``RunContext``, ``LossMonitor``, ``TimeMonitor``, ``ModelCheckpoint``,
``CheckpointConfig``, ``LambdaCallback``) and metrics (``Metric``, ``Accuracy``, ``Loss``,
``MAE``, ``MSE``, ``Precision``, ``Recall``, ``get_metrics``, ``names``) and loss-scale
managers (``FixedLossScaleManager``, ``DynamicLossScaleManager``).

``from mindspore.train.callback import LossMonitor`` and ``from mindspore.train.metrics import
Accuracy`` have the same paths here (``autograd_st.train.callback``,
``autograd_st.train.metrics``).
"""
from . import callback, metrics
from .callback import (
    Callback,
    CheckpointConfig,
    LambdaCallback,
    LossMonitor,
    ModelCheckpoint,
    RunContext,
    TimeMonitor,
)
from .loss_scale_manager import DynamicLossScaleManager, FixedLossScaleManager, LossScaleManager
from .metrics import (
    MAE,
    MSE,
    Accuracy,
    Loss,
    Metric,
    Precision,
    Recall,
    get_metric_fn,
    get_metrics,
    names,
)
from .model import Model

__all__ = ["Model", "Callback", "RunContext", "LossMonitor", "TimeMonitor", "ModelCheckpoint",
           "CheckpointConfig", "LambdaCallback", "Metric", "Accuracy", "Loss", "MAE", "MSE",
           "Precision", "Recall", "get_metrics", "get_metric_fn", "names", "callback",
           "metrics", "LossScaleManager", "FixedLossScaleManager", "DynamicLossScaleManager"]
