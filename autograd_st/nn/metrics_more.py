"""More of ``mindspore.train``'s metrics, with MindSpore 2.10's arithmetic (numpy, as
there): ``ConfusionMatrix``, ``Perplexity``, ``Dice``, ``CosineSimilarity``, ``ROC`` and the
function ``auc``.

Takes: :mod:`.metrics` (``Metric``, ``rearrange_inputs``).  Gives: the names above, which
``autograd_st.train`` (and ``train.metrics``) publish.
"""
from __future__ import annotations

import math

import numpy as np

from .metrics import _FACTORY, Metric, rearrange_inputs

__all__ = ["ConfusionMatrix", "Perplexity", "Dice", "CosineSimilarity", "ROC", "auc"]


def _two(inputs: tuple, name: str, what: str = "(predicted value, true value)") -> None:
    if len(inputs) != 2:
        raise ValueError("For '%s.update', it needs 2 inputs %s, but got %d."
                         % (name, what, len(inputs)))


class ConfusionMatrix(Metric):
    """MindSpore's ``ConfusionMatrix(num_classes, normalize='no_norm', threshold=0.5)``:
    rows are true classes, columns predicted ones (logits of one more dimension are
    argmax-ed over axis 1; float predictions of the labels' shape are thresholded);
    ``normalize`` 'target' / 'prediction' / 'all' divides by row / column / total sums
    (NaN from an empty row or column becomes 0)."""

    def __init__(self, num_classes, normalize="no_norm", threshold=0.5) -> None:
        super().__init__()
        if isinstance(num_classes, bool) or not isinstance(num_classes, int):
            raise TypeError("For 'ConfusionMatrix', the type of 'num_classes' must be int, but "
                            "got %s." % type(num_classes).__name__)
        if normalize not in ("target", "prediction", "all", "no_norm"):
            raise ValueError("For 'ConfusionMatrix', the argument 'normalize' must be in "
                             "['all', 'prediction', 'label', 'no_norm'(None)], but got %s."
                             % (normalize,))
        if not isinstance(threshold, float):
            raise TypeError("For 'ConfusionMatrix', the type of 'threshold' must be float, but "
                            "got %s." % type(threshold).__name__)
        self.num_classes, self.normalize, self.threshold = num_classes, normalize, threshold
        self.clear()

    def clear(self):
        self.confusion_matrix = np.zeros((self.num_classes, self.num_classes))
        self._is_update = False

    @rearrange_inputs
    def update(self, *inputs):
        _two(inputs, "ConfusionMatrix")
        y_pred = self._convert_data(inputs[0])
        y = self._convert_data(inputs[1])
        if not (y_pred.ndim == y.ndim or y_pred.ndim == y.ndim + 1):
            raise ValueError("For 'ConfusionMatrix.update', predicted value (input[0]) and true "
                             "value (input[1]) should have same dimensions, or the dimension of "
                             "predicted value equals the dimension of true value add 1, but got "
                             "predicted value ndim: %d, true value ndim: %d."
                             % (y_pred.ndim, y.ndim))
        if y_pred.ndim == y.ndim + 1:
            y_pred = np.argmax(y_pred, axis=1)
        if y_pred.ndim == y.ndim and y_pred.dtype in (np.float16, np.float32, np.float64):
            y_pred = (y_pred >= self.threshold).astype(int)
        trans = (y.reshape(-1) * self.num_classes + y_pred.reshape(-1)).astype(int)
        counts = np.bincount(trans, minlength=self.num_classes ** 2)
        self.confusion_matrix += counts.reshape(self.num_classes, self.num_classes)
        self._is_update = True

    def eval(self):
        if not self._is_update:
            raise RuntimeError("Please call the 'update' method before calling 'eval' method.")
        matrix = self.confusion_matrix.astype(float)
        if self.normalize == "no_norm":
            return matrix
        with np.errstate(invalid="ignore", divide="ignore"):
            if self.normalize == "target":
                matrix = matrix / matrix.sum(axis=1, keepdims=True)
            elif self.normalize == "prediction":
                matrix = matrix / matrix.sum(axis=0, keepdims=True)
            else:
                matrix = matrix / matrix.sum()
        matrix[np.isnan(matrix)] = 0
        return matrix


class Perplexity(Metric):
    """MindSpore's ``Perplexity(ignore_label=None)``: ``exp(-mean(log(max(1e-10, p))))`` of
    the probabilities ``preds`` give the labels (labels equal to ``ignore_label`` left out).
    The predictions are probabilities (MindSpore does not apply a softmax)."""

    def __init__(self, ignore_label=None) -> None:
        super().__init__()
        if ignore_label is not None and (isinstance(ignore_label, bool)
                                         or not isinstance(ignore_label, int)):
            raise TypeError("For 'Perplexity', the type of 'ignore_label' must be int, but got "
                            "%s." % type(ignore_label).__name__)
        self.ignore_label = ignore_label
        self.clear()

    def clear(self):
        self._sum_metric = 0.0
        self._num_inst = 0

    @rearrange_inputs
    def update(self, *inputs):
        _two(inputs, "Perplexity", "(predicted value, label)")
        pred = self._convert_data(inputs[0])
        label = self._convert_data(inputs[1])
        if label.size != pred.size / pred.shape[-1]:
            raise RuntimeError("For 'Perplexity.update', predicted value (input[0]) and label "
                               "(input[1]) should have the same shape, but got predicted value "
                               "shape %s, label shape %s." % (pred.shape, label.shape))
        label = label.reshape((label.size,))
        index = np.expand_dims(label.astype(int), axis=1)
        rows = np.arange(index.shape[0])[:, None]
        pred = np.squeeze(pred.reshape(-1, pred.shape[-1])[rows, index])
        num = 0
        if self.ignore_label is not None:
            ignore = (label == self.ignore_label).astype(pred.dtype)
            num -= np.sum(ignore)
            pred = pred * (1 - ignore) + ignore
        self._sum_metric -= np.sum(np.log(np.maximum(1e-10, pred)))
        self._num_inst += num + pred.size

    def eval(self):
        if self._num_inst == 0:
            raise RuntimeError("The 'Perplexity' can not be calculated, because the number of "
                               "samples is 0, please check whether the update method has been "
                               "called before calling eval method.")
        return math.exp(self._sum_metric / self._num_inst)


class Dice(Metric):
    """MindSpore's ``Dice(smooth=1e-5)``: per update ``2 <p, y> / (<p, p> + <y, y> +
    smooth)`` over the flattened batch, summed; ``eval`` divides by the number of samples
    (rows) seen -- MindSpore's arithmetic, one coefficient per batch over rows."""

    def __init__(self, smooth=1e-5) -> None:
        super().__init__()
        if isinstance(smooth, bool) or not isinstance(smooth, float) or smooth <= 0:
            raise ValueError("For 'Dice', 'smooth' must be a positive float, but got %r."
                             % (smooth,))
        self.smooth = smooth
        self.clear()

    def clear(self):
        self._dice_coeff_sum = 0
        self._samples_num = 0

    @rearrange_inputs
    def update(self, *inputs):
        _two(inputs, "Dice")
        y_pred = self._convert_data(inputs[0])
        y = self._convert_data(inputs[1])
        self._samples_num += y.shape[0]
        if y_pred.shape != y.shape:
            raise ValueError("For 'Dice.update', predicted value (input[0]) and true value "
                             "(input[1]) should have same shape, but got predicted value shape: "
                             "%s, true value shape: %s." % (y_pred.shape, y.shape))
        intersection = np.dot(y_pred.flatten(), y.flatten())
        union = np.dot(y_pred.flatten(), y_pred.flatten()) + np.dot(y.flatten(), y.flatten())
        self._dice_coeff_sum += 2 * float(intersection) / float(union + self.smooth)

    def eval(self):
        if self._samples_num == 0:
            raise RuntimeError("The 'Dice coefficient' can not be calculated, because the "
                               "number of samples is 0, please check whether your "
                               "inputs(predicted value, true value) are empty, or has called "
                               "update method before calling eval method.")
        return self._dice_coeff_sum / float(self._samples_num)


class CosineSimilarity(Metric):
    """MindSpore's ``CosineSimilarity(similarity='cosine', reduction='none',
    zero_diagonal=True)``: the rows' pairwise similarity matrix of the last ``update``
    (dot products of the rows, L2-normalised first for 'cosine'), its diagonal zeroed,
    reduced over the last axis by 'sum' / 'mean'."""

    def __init__(self, similarity="cosine", reduction="none", zero_diagonal=True) -> None:
        super().__init__()
        if similarity not in ("dot", "cosine"):
            raise ValueError("For 'CosineSimilarity', the argument 'similarity' must be in "
                             "['dot', 'cosine'], but got %r." % (similarity,))
        if reduction not in ("none", "sum", "mean"):
            raise ValueError("For 'CosineSimilarity', the argument 'reduction' must be in "
                             "['none', 'sum', 'mean'], but got %r." % (reduction,))
        if not isinstance(zero_diagonal, bool):
            raise TypeError("For 'CosineSimilarity', the type of 'zero_diagonal' must be bool, "
                            "but got %s." % type(zero_diagonal).__name__)
        self.similarity, self.reduction, self.zero_diagonal = similarity, reduction, zero_diagonal
        self.clear()

    def clear(self):
        self.sqr_mtx_res = 0
        self._is_update = False

    @rearrange_inputs
    def update(self, inputs):
        data = self._convert_data(inputs)
        if self.similarity == "cosine":
            data = data / np.expand_dims(np.linalg.norm(data, ord=2, axis=1), 1)
        self.sqr_mtx_res = np.dot(data, data.transpose(1, 0))
        self._is_update = True

    def eval(self):
        if not self._is_update:
            raise RuntimeError("Please call the 'update' method before calling 'eval' method.")
        if self.zero_diagonal:
            np.fill_diagonal(self.sqr_mtx_res, 0)
        if self.reduction == "mean":
            self.sqr_mtx_res = np.mean(self.sqr_mtx_res, axis=-1)
        if self.reduction == "sum":
            self.sqr_mtx_res = np.sum(self.sqr_mtx_res, axis=-1)
        return self.sqr_mtx_res


def _binary_clf_curve(preds, target, pos_label=1):
    if preds.ndim > target.ndim:
        preds = preds[:, 0]
    order = np.argsort(-preds)
    preds, target = preds[order], target[order]
    distinct = np.where(preds[1:] - preds[:-1])[0]
    idx = np.pad(distinct, (0, 1), constant_values=target.shape[0] - 1)
    target = np.array(target == pos_label).astype(np.int64)
    tps = np.cumsum(target, axis=0)[idx]
    return 1 + idx - tps, tps, preds[idx]


def _curve_inputs(y_pred, y, class_num, pos_label):
    if not (y_pred.ndim == y.ndim or y_pred.ndim == y.ndim + 1):
        raise ValueError("For 'ROC', predicted value (input[0]) and true value (input[1]) must "
                         "have same dimensions, or the dimension of predicted value equal the "
                         "dimension of true value add 1, but got predicted value ndim: %d, true "
                         "value ndim: %d." % (y_pred.ndim, y.ndim))
    if y_pred.ndim == y.ndim:
        if class_num is not None and class_num != 1:
            raise ValueError("For 'ROC', when predicted value (input[0]) and true value "
                             "(input[1]) have the same shape, the 'class_num' must be 1, but "
                             "got %s." % class_num)
        return y_pred.flatten(), y.flatten(), 1, 1 if pos_label is None else pos_label
    if pos_label is not None:
        raise ValueError("For 'ROC', when the dimension of predicted value (input[0]) equals "
                         "the dimension of true value (input[1]) add 1, the 'pos_label' must be "
                         "None, but got %s." % pos_label)
    if class_num != y_pred.shape[1]:
        raise ValueError("For 'ROC', the 'class_num' must equal the number of classes from "
                         "predicted value (input[0]), but got 'class_num' %s, the number of "
                         "classes from predicted value %d." % (class_num, y_pred.shape[1]))
    y_pred = y_pred.transpose(0, 1).reshape(class_num, -1).transpose(0, 1)
    return y_pred, y.flatten(), class_num, pos_label


class ROC(Metric):
    """MindSpore's ``ROC(class_num=None, pos_label=None)``: ``eval()`` gives ``(fpr, tpr,
    thresholds)`` of the last ``update`` (binary: arrays; ``class_num`` classes: lists, one
    one-vs-rest curve per class); the first threshold is the largest score + 1."""

    def __init__(self, class_num=None, pos_label=None) -> None:
        super().__init__()
        for name, value in (("class_num", class_num), ("pos_label", pos_label)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise TypeError("For 'ROC', the type of '%s' must be int, but got %s."
                                % (name, type(value).__name__))
        self.class_num, self.pos_label = class_num, pos_label
        self.clear()

    def clear(self):
        self.y_pred = 0
        self.y = 0
        self._is_update = False

    @rearrange_inputs
    def update(self, *inputs):
        _two(inputs, "ROC")
        self.y_pred, self.y, self.class_num, self.pos_label = _curve_inputs(
            self._convert_data(inputs[0]), self._convert_data(inputs[1]), self.class_num,
            self.pos_label)
        self._is_update = True

    def _roc_eval(self, y_pred, y, class_num, pos_label):
        if class_num == 1:
            fps, tps, thresholds = _binary_clf_curve(y_pred, y, pos_label=pos_label)
            tps = np.squeeze(np.hstack([np.zeros(1, dtype=tps.dtype), tps]))
            fps = np.squeeze(np.hstack([np.zeros(1, dtype=fps.dtype), fps]))
            thresholds = np.hstack([thresholds[0][None] + 1, thresholds])
            if fps[-1] <= 0:
                raise ValueError("For 'ROC.eval', there is no negative samples in true value, "
                                 "false positive value is meaningless.")
            if tps[-1] <= 0:
                raise ValueError("For 'ROC.eval', there is no positive samples in true value, "
                                 "true positive value is meaningless.")
            return fps / fps[-1], tps / tps[-1], thresholds
        fpr, tpr, thresholds = [], [], []
        for c in range(class_num):
            p, t, k, lab = _curve_inputs(y_pred[:, c], y, 1, c)
            res = self._roc_eval(p, t, k, lab)
            fpr.append(res[0])
            tpr.append(res[1])
            thresholds.append(res[2])
        return fpr, tpr, thresholds

    def eval(self):
        if self._is_update is False:
            raise RuntimeError("Please call the 'update' method before calling 'eval' method.")
        return self._roc_eval(np.squeeze(self.y_pred), np.squeeze(self.y), self.class_num,
                              self.pos_label)


def auc(x, y, reorder=False):
    """MindSpore's ``mindspore.train.auc(x, y, reorder=False)``: the area under the curve
    ``(x, y)`` by the trapezoidal rule (``x`` increasing or decreasing; ``reorder=True``
    sorts the points first)."""
    if not isinstance(x, np.ndarray) or not isinstance(y, np.ndarray):
        raise TypeError("For 'auc', the argument 'x' and 'y' must all be np.ndarray, but got "
                        "%s, %s" % (type(x), type(y)))
    if x.ndim == 0 or y.ndim == 0 or x.shape[0] != y.shape[0]:
        raise ValueError("Found input variables with inconsistent numbers of samples: %s."
                         % [int(np.size(x)), int(np.size(y))])
    for arr in (x, y):
        if not (arr.ndim == 1 or (arr.ndim == 2 and arr.shape[1] == 1)):
            raise ValueError("For 'auc', the input must be a 1-dimensional array, or a "
                             "2-dimensional array with the second dimension of 1, but got "
                             "shape %s." % (arr.shape,))
    x, y = np.ravel(x), np.ravel(y)
    if x.shape[0] < 2:
        raise ValueError("For 'auc', the shape of the argument 'x' in axis 0 must be greater "
                         "than 2, but got %d." % x.shape[0])
    direction = 1
    if reorder:
        order = np.lexsort((y, x))
        x, y = x[order], y[order]
    else:
        dx = np.diff(x)
        if np.any(dx < 0):
            if np.all(dx <= 0):
                direction = -1
            else:
                raise ValueError("For 'auc', if the argument is False, the argument 'x' array "
                                 "must be increasing or decreasing, but got 'x': %s" % (x,))
    return direction * np.trapezoid(y, x)


# get_metric_fn / names() / Model(metrics={'dice', ...}) know these names too (MindSpore's)
_FACTORY.update({"confusion_matrix": ConfusionMatrix, "perplexity": Perplexity, "dice": Dice,
                 "cosine_similarity": CosineSimilarity, "roc": ROC})
