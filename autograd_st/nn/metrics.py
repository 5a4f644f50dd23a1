"""Evaluation metrics with MindSpore 2.10's behaviour (``mindspore.train.metrics``):
``Metric`` (``clear`` / ``update`` / ``eval``, ``set_indexes``), ``Accuracy``, ``Loss``,
``MAE``, ``MSE``, ``Precision``, ``Recall``, ``Fbeta``, ``F1``, ``TopKCategoricalAccuracy``
(``Top1``/``Top5``), and the string forms ``Model(metrics={'accuracy',
'loss', ...})`` takes (:func:`get_metrics`, :func:`get_metric_fn`, :func:`names`).

Metrics work in numpy on the outputs of an evaluation step; they are never differentiated.
Inputs may be Tensors, numpy arrays or lists (anything else is a ``TypeError``, as there).
"""
from __future__ import annotations

import functools
import sys

import numpy as np

from ..tensor import Tensor

__all__ = ["Metric", "Accuracy", "Loss", "MAE", "MSE", "Precision", "Recall", "Fbeta", "F1",
           "TopKCategoricalAccuracy", "Top1CategoricalAccuracy", "Top5CategoricalAccuracy",
           "get_metrics", "get_metric_fn", "names", "rearrange_inputs"]

_EVAL_TYPES = ("classification", "multilabel")


def rearrange_inputs(func):
    """Decorator for ``update``: pass only the inputs ``set_indexes`` chose, in that order."""

    @functools.wraps(func)
    def wrapper(self, *inputs):
        indexes = self.indexes
        if indexes:
            inputs = tuple(inputs[i] for i in indexes)
        return func(self, *inputs)

    return wrapper


class Metric:
    """Base class of metrics: ``clear()``, ``update(*inputs)``, ``eval()``; calling one runs
    the three on ``inputs``."""

    def __init__(self) -> None:
        self._indexes = None

    def _convert_data(self, data) -> np.ndarray:
        if isinstance(data, Tensor):
            return data.asnumpy()
        if isinstance(data, list):
            return np.array(data)
        if isinstance(data, np.ndarray):
            return data
        raise TypeError("For 'Metric' and its derived classes, the input data type must be "
                        "tensor, list or numpy.ndarray, but got %s." % type(data))

    @property
    def indexes(self):
        """The inputs ``update`` reads (None: all), as set by :meth:`set_indexes`."""
        return getattr(self, "_indexes", None)

    def set_indexes(self, indexes):
        """Choose which of the evaluation outputs ``update`` receives (a list of ints)."""
        if not isinstance(indexes, list) or not all(isinstance(i, int) for i in indexes):
            raise ValueError("For 'set_indexes', the argument 'indexes' must be a list and all "
                             "its elements must be int, please check whether it is correct.")
        self._indexes = indexes
        return self

    def __call__(self, *inputs):
        self.clear()
        self.update(*inputs)
        return self.eval()

    def clear(self):
        raise NotImplementedError("Must define clear function to use this base class")

    def update(self, *inputs):
        raise NotImplementedError("Must define update function to use this base class")

    def eval(self):
        raise NotImplementedError("Must define eval function to use this base class")


def _is_onehot(y: np.ndarray) -> bool:
    if y.ndim > 1 and np.array_equal(y * y, y):
        return bool(np.all(y.sum(axis=1) == 1))
    return False


class _Classification(Metric):
    """Shared checks of Accuracy, Precision and Recall (``eval_type`` and shapes)."""

    def __init__(self, eval_type: str = "classification") -> None:
        super().__init__()
        if eval_type not in _EVAL_TYPES:
            raise TypeError("The argument 'eval_type' must be in %s, but got %s"
                            % (set(_EVAL_TYPES), eval_type))
        self._type = eval_type

    def _prepare(self, name: str, inputs) -> tuple:
        if len(inputs) != 2:
            raise ValueError("For '%s.update', it needs 2 inputs (predicted value, true value), "
                             "but got %d" % (name, len(inputs)))
        y_pred = self._convert_data(inputs[0])
        y = self._convert_data(inputs[1])
        if self._type == "classification" and y_pred.ndim == y.ndim and _is_onehot(y):
            y = y.argmax(axis=1)
        if self._type == "classification":
            if y_pred.ndim != y.ndim + 1 or y.shape != (y_pred.shape[0],) + y_pred.shape[2:]:
                raise ValueError("In classification case, y_pred (predicted value) of shape %s "
                                 "and y (true value) of shape %s do not match: y's shape must "
                                 "be y_pred's without axis 1." % (y_pred.shape, y.shape))
        else:
            if y_pred.shape != y.shape:
                raise ValueError("In multilabel case, y_pred (predicted value) shape %s and y "
                                 "(true value) shape %s must be the same."
                                 % (y_pred.shape, y.shape))
            if not (np.array_equal(y_pred ** 2, y_pred) and np.array_equal(y ** 2, y)):
                raise ValueError("In multilabel case, all elements in y_pred (predicted value) "
                                 "and y (true value) should be 0 or 1.")
        if self._class_num == 0:
            self._class_num = y_pred.shape[1]
        elif y_pred.shape[1] != self._class_num:
            raise ValueError("For '%s.update', class number not match, last input predicted "
                             "data contain %d classes, but current predicted data contain %d "
                             "classes." % (name, self._class_num, y_pred.shape[1]))
        return y_pred, y


class Accuracy(_Classification):
    """MindSpore's ``Accuracy(eval_type='classification')``: the fraction of samples whose
    ``argmax`` over axis 1 of the prediction equals the label (labels may be indices or
    one-hot); ``'multilabel'``: samples whose 0/1 prediction equals the label everywhere."""

    def __init__(self, eval_type: str = "classification") -> None:
        super().__init__(eval_type)
        self.clear()

    def clear(self):
        self._correct_num = 0
        self._total_num = 0
        self._class_num = 0

    @rearrange_inputs
    def update(self, *inputs):
        y_pred, y = self._prepare("Accuracy", inputs)
        if self._type == "classification":
            result = (y_pred.argmax(axis=1) == y).reshape(-1) * 1
        else:
            last = y_pred.ndim - 1
            y_pred = y_pred.swapaxes(1, last).reshape(-1, self._class_num)
            y = y.swapaxes(1, last).reshape(-1, self._class_num)
            result = np.all(y_pred == y, axis=1) * 1
        self._correct_num += result.sum()
        self._total_num += result.shape[0]

    def eval(self):
        if self._total_num == 0:
            raise RuntimeError("The 'Accuracy' can not be calculated, because the number of "
                               "samples is 0: call update before eval.")
        return self._correct_num / self._total_num


class _PrecisionRecall(_Classification):
    _name = ""

    def __init__(self, eval_type: str = "classification") -> None:
        super().__init__(eval_type)
        self.eps = sys.float_info.min
        self.clear()

    def clear(self):
        self._class_num = 0
        if self._type == "multilabel":
            self._true_positives = np.empty(0)
            self._counted = np.empty(0)
            self._true_positives_average = 0
            self._counted_average = 0
        else:
            self._true_positives = 0
            self._counted = 0

    def _counts(self, y_pred, y):
        raise NotImplementedError

    @rearrange_inputs
    def update(self, *inputs):
        y_pred, y = self._prepare(self._name, inputs)
        n = self._class_num
        if self._type == "classification":
            if y.max() + 1 > n:
                raise ValueError("For '%s.update', predicted value (input[0]) should have the "
                                 "same classes number as true value (input[1]), but got "
                                 "predicted value classes %d, true value classes %d."
                                 % (self._name, n, y.max() + 1))
            y = np.eye(n)[y.reshape(-1).astype(np.int64)]
            y_pred = np.eye(n)[y_pred.argmax(axis=1).reshape(-1)]
        else:
            y_pred = y_pred.swapaxes(1, 0).reshape(n, -1)
            y = y.swapaxes(1, 0).reshape(n, -1)
        counted = self._counts(y_pred, y)
        true_positives = (y * y_pred).sum(axis=0)
        if self._type == "multilabel":
            self._true_positives_average += np.sum(true_positives / (counted + self.eps))
            self._counted_average += len(counted)
            self._true_positives = np.concatenate((self._true_positives, true_positives))
            self._counted = np.concatenate((self._counted, counted))
        else:
            self._true_positives = self._true_positives + true_positives
            self._counted = self._counted + counted

    def eval(self, average: bool = False):
        """Per class (``average=False``) or their mean."""
        if self._class_num == 0:
            raise RuntimeError("The '%s' can not be calculated, because the number of samples "
                               "is 0: call update before eval." % self._name)
        if not isinstance(average, bool):
            raise TypeError("For '%s', the type of 'average' should be 'bool', but got %s."
                            % (self._name, type(average).__name__))
        result = self._true_positives / (self._counted + self.eps)
        if average:
            if self._type == "multilabel":
                result = self._true_positives_average / (self._counted_average + self.eps)
            return result.mean()
        return result


class Precision(_PrecisionRecall):
    """MindSpore's ``Precision(eval_type='classification')``: per class, true positives over
    predicted positives (``eval(average=True)``: their mean)."""

    _name = "Precision"

    def _counts(self, y_pred, y):
        return y_pred.sum(axis=0)


class Recall(_PrecisionRecall):
    """MindSpore's ``Recall(eval_type='classification')``: per class, true positives over
    actual positives (``eval(average=True)``: their mean)."""

    _name = "Recall"

    def _counts(self, y_pred, y):
        return y.sum(axis=0)


class Loss(Metric):
    """MindSpore's ``Loss()``: the mean over ``update`` calls of each call's mean loss."""

    def __init__(self) -> None:
        super().__init__()
        self.clear()

    def clear(self):
        self._sum_loss = 0
        self._total_num = 0

    @rearrange_inputs
    def update(self, *inputs):
        if len(inputs) != 1:
            raise ValueError("For 'Loss.update', it needs 1 input (loss), but got %d"
                             % len(inputs))
        loss = self._convert_data(inputs[0])
        if loss.ndim == 0:
            loss = loss.reshape(1)
        if loss.ndim != 1:
            raise ValueError("For 'Loss.update', the dimension of your input (loss) must be 1, "
                             "but got %d." % loss.ndim)
        self._sum_loss += np.float64(loss.mean(-1))  # float64, as MindSpore returns it
        self._total_num += 1

    def eval(self):
        if self._total_num == 0:
            raise RuntimeError("The 'Loss' can not be calculated, because the number of samples "
                               "is 0: call update before eval.")
        return self._sum_loss / self._total_num


class _ErrorMetric(Metric):
    _name = ""

    def __init__(self) -> None:
        super().__init__()
        self.clear()

    def clear(self):
        self._error_sum = 0
        self._samples_num = 0

    @staticmethod
    def _error(diff):
        raise NotImplementedError

    @rearrange_inputs
    def update(self, *inputs):
        if len(inputs) != 2:
            raise ValueError("For '%s.update', it needs 2 inputs (predicted value, true value), "
                             "but got %d." % (self._name, len(inputs)))
        y_pred = self._convert_data(inputs[0])
        y = self._convert_data(inputs[1])
        self._error_sum += self._error(y.reshape(y_pred.shape) - y_pred).sum()
        self._samples_num += y.shape[0]

    def eval(self):
        if self._samples_num == 0:
            raise RuntimeError("The '%s' can not be calculated, because the number of samples "
                               "is 0: call update before eval." % self._name)
        # float64, as MindSpore's (numpy 1 promoted its float32 sum divided by an int)
        return np.float64(self._error_sum) / self._samples_num


class MAE(_ErrorMetric):
    """MindSpore's ``MAE()``: the summed absolute error over the number of samples (rows)."""

    _name = "MAE"

    @staticmethod
    def _error(diff):
        return np.abs(diff)


class MSE(_ErrorMetric):
    """MindSpore's ``MSE()``: the summed squared error over the number of samples (rows)."""

    _name = "MSE"

    @staticmethod
    def _error(diff):
        return np.power(diff, 2)


class Fbeta(Metric):
    """MindSpore's ``Fbeta(beta)``: per class, ``(1 + beta^2) TP / (beta^2 (TP + FN) + TP +
    FP)`` of the argmax predictions (``eval(average=True)``: the mean over classes)."""

    def __init__(self, beta) -> None:
        super().__init__()
        if not beta > 0:
            raise ValueError("For 'Fbeta', the argument 'beta' must be greater than 0, but got "
                             "%s." % (beta,))
        self.eps = sys.float_info.min
        self.beta = beta
        self.clear()

    def clear(self):
        self._true_positives = 0
        self._actual_positives = 0
        self._positives = 0
        self._class_num = 0

    @rearrange_inputs
    def update(self, *inputs):
        if len(inputs) != 2:
            raise ValueError("For 'Fbeta.update', it needs 2 inputs (predicted value, true "
                             "value), but got %d." % len(inputs))
        y_pred = self._convert_data(inputs[0])
        y = self._convert_data(inputs[1])
        if y_pred.ndim == y.ndim and _is_onehot(y):
            y = y.argmax(axis=1)
        if self._class_num == 0:
            self._class_num = y_pred.shape[1]
        elif y_pred.shape[1] != self._class_num:
            raise ValueError("For 'Fbeta.update', class number not match, last input predicted "
                             "data contain %d classes, but current predicted data contain %d "
                             "classes." % (self._class_num, y_pred.shape[1]))
        n = self._class_num
        if y.max() + 1 > n:
            raise ValueError("For 'Fbeta.update', predicted value(inputs[0]) and true "
                             "value(inputs[1]) should contain same classes, but got %d and %d."
                             % (n, y.max() + 1))
        y = np.eye(n)[y.reshape(-1).astype(np.int64)]
        y_pred = np.eye(n)[y_pred.argmax(axis=1).reshape(-1)]
        self._true_positives = self._true_positives + (y * y_pred).sum(axis=0)
        self._positives = self._positives + y_pred.sum(axis=0)
        self._actual_positives = self._actual_positives + y.sum(axis=0)

    def eval(self, average: bool = False):
        if not isinstance(average, bool):
            raise TypeError("For 'Fbeta', the type of 'average' should be 'bool', but got %s."
                            % type(average).__name__)
        if self._class_num == 0:
            raise RuntimeError("The 'Fbeta' can not be calculated, because the number of "
                               "samples is 0: call update before eval.")
        b2 = self.beta ** 2
        result = (1.0 + b2) * self._true_positives / (
            b2 * self._actual_positives + self._positives + self.eps)
        return result.mean() if average else result


class F1(Fbeta):
    """MindSpore's ``F1()``: ``Fbeta(1.0)``."""

    def __init__(self) -> None:
        super().__init__(1.0)


class TopKCategoricalAccuracy(Metric):
    """MindSpore's ``TopKCategoricalAccuracy(k)``: the fraction of samples whose label is
    among the ``k`` largest predictions."""

    def __init__(self, k) -> None:
        super().__init__()
        if not isinstance(k, int):
            raise TypeError("For 'TopKCategoricalAccuracy', the type of the argument 'k' should "
                            "be int, but got 'k' type: %s." % type(k))
        if k < 1:
            raise ValueError("For 'TopKCategoricalAccuracy', the argument 'k' must be at least "
                             "1, but got 'k' value: %s." % k)
        self.k = k
        self.clear()

    def clear(self):
        self._correct_num = 0
        self._samples_num = 0

    @rearrange_inputs
    def update(self, *inputs):
        if len(inputs) != 2:
            raise ValueError("For 'TopKCategoricalAccuracy.update', it needs 2 inputs "
                             "(predicted value, true value), but got 'inputs' size: %d."
                             % len(inputs))
        y_pred = self._convert_data(inputs[0])
        y = self._convert_data(inputs[1])
        if y_pred.ndim == y.ndim and _is_onehot(y):
            y = y.argmax(axis=1)
        top = np.argsort(-y_pred, axis=1, kind="stable")[:, :self.k]
        correct = (top == y.reshape(-1, 1)).sum(axis=1)
        self._correct_num += correct.sum()
        self._samples_num += top.shape[0]

    def eval(self):
        if self._samples_num == 0:
            raise RuntimeError("The 'TopKCategoricalAccuracy' can not be calculated, because "
                               "the number of samples is 0: call update before eval.")
        return self._correct_num / self._samples_num


class Top1CategoricalAccuracy(TopKCategoricalAccuracy):
    """``TopKCategoricalAccuracy(1)``."""

    def __init__(self) -> None:
        super().__init__(1)


class Top5CategoricalAccuracy(TopKCategoricalAccuracy):
    """``TopKCategoricalAccuracy(5)``."""

    def __init__(self) -> None:
        super().__init__(5)


_FACTORY = {"accuracy": Accuracy, "acc": Accuracy, "precision": Precision, "recall": Recall,
            "F1": F1, "top_1_accuracy": Top1CategoricalAccuracy,
            "top_5_accuracy": Top5CategoricalAccuracy, "mae": MAE, "mse": MSE, "loss": Loss,
            "topk": TopKCategoricalAccuracy}  # (more are added by .metrics_more)


def names() -> list:
    """The metric names :func:`get_metric_fn` knows here (MindSpore knows a few more:
    auc, bleu_score, confusion_matrix_metric, and the segmentation distances)."""
    return sorted(_FACTORY)


def get_metric_fn(name: str, *args, **kwargs) -> Metric:
    """A new metric by name (``'accuracy'``, ``'acc'``, ``'loss'``, ``'mae'``, ``'mse'``,
    ``'precision'``, ``'recall'``)."""
    if name not in _FACTORY:
        raise KeyError("Unknown Metric:%s; known here: %s" % (name, ", ".join(names())))
    return _FACTORY[name](*args, **kwargs)


def get_metrics(metrics):
    """MindSpore's ``get_metrics``: None, a dict ``{name: Metric}`` (checked) or a set of
    names (each made by :func:`get_metric_fn`), as a dict."""
    if metrics is None:
        return None
    if isinstance(metrics, dict):
        for name, metric in metrics.items():
            if not isinstance(name, str) or not isinstance(metric, Metric):
                raise TypeError("For 'get_metrics', if 'metrics' is dict, the key in 'metrics' "
                                "must be string and value in 'metrics' must be Metric, but got "
                                "key:%s, value:%s." % (type(name), type(metric)))
        return metrics
    if isinstance(metrics, set):
        return {name: get_metric_fn(name) for name in metrics}
    raise TypeError("For 'get_metrics', the argument 'metrics' must be None, dict or set, but "
                    "got %s" % (metrics,))
