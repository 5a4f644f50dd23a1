"""``mindspore.dataset.transforms``: ``TypeCast``, ``OneHot``, ``Compose``.

Takes: :mod:`autograd_st.dtype`.  Gives: callables on numpy arrays that ``Dataset.map`` runs
(each is also callable on its own, eagerly, as in MindSpore).
"""
from __future__ import annotations

import numpy as np

from .. import dtype as mstype
from .op_draws import Composed
from .transforms2 import (
    Concatenate,
    Duplicate,
    Fill,
    Mask,
    PadEnd,
    RandomApply,
    RandomChoice,
    RandomOrder,
    Relational,
    Slice,
    Unique,
)

__all__ = ["TypeCast", "OneHot", "Compose", "Duplicate", "Fill", "Mask", "Relational", "PadEnd",
           "Slice", "Concatenate", "Unique", "RandomApply", "RandomChoice", "RandomOrder"]


class TypeCast:
    """MindSpore's ``transforms.TypeCast(data_type)``: the values converted to ``data_type``
    (a MindSpore dtype such as ``mstype.int32``, or a numpy dtype)."""

    def __init__(self, data_type) -> None:
        self.data_type = data_type
        self._np = mstype.to_numpy(data_type)

    def __call__(self, data):
        return np.asarray(data).astype(self._np)


class OneHot:
    """MindSpore's ``transforms.OneHot(num_classes, smoothing_rate=0.0)``: an integer label
    as a one-hot vector of ``num_classes`` entries, of the label's dtype; with
    ``smoothing_rate`` the entries are float64 ``rate / num_classes``, the hot one
    ``1 - rate + rate / num_classes`` (measured in MindSpore 2.10 on single labels; its result
    on a batch of labels with smoothing is not that, and not reproduced)."""

    def __init__(self, num_classes: int, smoothing_rate: float = 0.0) -> None:
        self.num_classes = int(num_classes)
        self.smoothing_rate = float(smoothing_rate)

    def __call__(self, label):
        label = np.asarray(label)
        if label.dtype.kind not in "iu":
            raise RuntimeError("OneHot: Only support input of int type, but got: %s"
                               % label.dtype)
        hot = np.arange(self.num_classes) == label[..., None]
        if self.smoothing_rate:
            off = self.smoothing_rate / self.num_classes
            return np.where(hot, 1.0 - self.smoothing_rate + off, off)
        return hot.astype(label.dtype)


class Compose(Composed):
    """MindSpore's ``transforms.Compose(transforms)``: the transforms applied in order
    (``map`` takes them as its own ops, each seeded as one: :mod:`.op_draws`)."""

    def __init__(self, transforms) -> None:
        self.transforms = list(transforms)

    def __call__(self, *data):
        for op in self.transforms:
            data = op(*data)
            data = data if isinstance(data, tuple) else (data,)
        return data if len(data) > 1 else data[0]
