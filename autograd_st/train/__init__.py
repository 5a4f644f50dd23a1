"""``autograd_st.train``: MindSpore 2.10's ``mindspore.train`` -- ``Model``, callbacks
(``Callback``, ``RunContext``, ``LossMonitor``, ``TimeMonitor``, ``ModelCheckpoint``,
``CheckpointConfig``, ``LambdaCallback``) and metrics (``Metric``, ``Accuracy``, ``Loss``,
``MAE``, ``MSE``, ``Precision``, ``Recall``, ``Fbeta``, ``F1``, ``Top*CategoricalAccuracy``,
``get_metric_fn``, ``names``, ``ConfusionMatrix``, ``Perplexity``, ``Dice``,
``CosineSimilarity``, ``ROC``, ``auc``; ``get_metrics`` is in ``train.metrics``, as in MindSpore) and
loss-scale managers (``FixedLossScaleManager``, ``DynamicLossScaleManager``).

``from mindspore.train.callback import LossMonitor`` and ``from mindspore.train.metrics import
Accuracy`` have the same paths here (``autograd_st.train.callback``,
``autograd_st.train.metrics``).
"""
from . import callback, metrics
from .callback import (
    Callback,
    CheckpointConfig,
    EarlyStopping,
    History,
    LambdaCallback,
    LearningRateScheduler,
    LossMonitor,
    ModelCheckpoint,
    ReduceLROnPlateau,
    RunContext,
    TimeMonitor,
)
from .loss_scale_manager import DynamicLossScaleManager, FixedLossScaleManager, LossScaleManager
from .metrics import (
    F1,
    MAE,
    MSE,
    ROC,
    Accuracy,
    ConfusionMatrix,
    CosineSimilarity,
    Dice,
    Fbeta,
    Loss,
    Metric,
    Perplexity,
    Precision,
    Recall,
    Top1CategoricalAccuracy,
    Top5CategoricalAccuracy,
    TopKCategoricalAccuracy,
    auc,
    get_metric_fn,
    names,
    rearrange_inputs,
)
from .model import Model

__all__ = ["Model", "Callback", "RunContext", "LossMonitor", "TimeMonitor", "ModelCheckpoint",
           "CheckpointConfig", "LambdaCallback", "History", "EarlyStopping",
           "LearningRateScheduler", "ReduceLROnPlateau", "Metric",
           "Accuracy", "Loss", "MAE", "MSE",
           "Precision", "Recall", "Fbeta", "F1", "TopKCategoricalAccuracy",
           "Top1CategoricalAccuracy", "Top5CategoricalAccuracy", "get_metric_fn", "names",
           "rearrange_inputs", "ConfusionMatrix", "Perplexity", "Dice", "CosineSimilarity",
           "ROC", "auc", "callback", "metrics", "LossScaleManager",
           "FixedLossScaleManager", "DynamicLossScaleManager"]
