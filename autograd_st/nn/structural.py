"""Structural and small math layers MindSpore 2.10 has in ``mindspore.nn``: ``Unflatten``,
``EmbeddingLookup``, ``MultiFieldEmbeddingLookup``, ``BiDense``, ``TimeDistributed``,
``CellDict``, ``Moments``, ``ReduceLogSumExp``, ``Norm``, ``OneHot``, ``Range``, ``Roll``,
``Tril``, ``Triu``, ``MatrixDiag``, ``MatrixDiagPart``, ``MatrixSetDiag``, ``MatInverse``,
``MatDet``, ``CentralCrop``,
``ImageGradients``, ``PSNR``, ``SSIM``; signatures, defaults and parameter names MindSpore's
(measured in the side venv).

Takes: ``autograd_st.ops`` and the functionals of :mod:`autograd_st.table_nn3d`.  Gives: the
Cells above, each running eagerly and inside a differentiated ``construct``.

What differs from MindSpore: ``EmbeddingLookup`` has a dense gradient (MindSpore's CPU
requires ``sparse=True`` and refuses ``sparse=False``; both are accepted here and give the same
values); ``TimeDistributed`` folds the time axis into the batch axis and calls the layer once
(MindSpore calls it per time step when ``reshape_with_axis`` is None: the same for layers
that treat samples independently); ``MatrixDiag``, ``MatrixDiagPart``, ``MatrixSetDiag``
(no CPU kernel in MindSpore) follow their documented formulas.
"""
from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any

import numpy as np

from .. import dtype as mstype
from .. import ops
from ..cell import Cell
from ..context import INIT_RNG
from ..ops.nn_func import bidense, conv2d
from ..prims import P, bindable
from ..table_nn3d import embedding_lookup
from ..tensor import Parameter, Tensor
from .layers import initialize

__all__ = ["Unflatten", "EmbeddingLookup", "MultiFieldEmbeddingLookup", "BiDense",
           "TimeDistributed", "CellDict", "Moments", "ReduceLogSumExp", "Norm", "OneHot",
           "Range", "Roll", "Tril", "Triu", "MatrixDiag", "MatrixDiagPart", "MatrixSetDiag",
           "MatInverse", "MatDet", "CentralCrop", "ImageGradients", "PSNR", "SSIM"]


class Unflatten(Cell):
    """MindSpore's ``nn.Unflatten(axis, unflattened_size)``: axis ``axis`` reshaped to
    ``unflattened_size`` (one entry may be -1)."""

    def __init__(self, axis: int, unflattened_size) -> None:
        super().__init__()
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError("For 'Unflatten', the type of 'axis' must be int, but got %s"
                            % type(axis).__name__)
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError("For 'Unflatten', the type of 'unflattened_size' must be tuple or "
                            "list, but got %s" % type(unflattened_size).__name__)
        self.axis = axis
        self.unflattened_size = tuple(int(v) for v in unflattened_size)

    def construct(self, x):
        shape = ops.shape(x)
        if self.axis == -1:
            new = shape[:self.axis] + self.unflattened_size
        else:
            new = shape[:self.axis] + self.unflattened_size + shape[self.axis + 1:]
        return ops.reshape(x, new)


class EmbeddingLookup(Cell):
    """MindSpore's ``nn.EmbeddingLookup(vocab_size, embedding_size, param_init='normal',
    target='CPU', slice_mode='batch_slice', manual_shapes=None, max_norm=None, sparse=True,
    dtype=float32)``: rows of ``embedding_table`` (vocab_size, embedding_size); an id outside
    ``[0, vocab_size)`` gives a row of zeros (measured); ``max_norm``: each row clipped to
    that L2 norm.  The gradient is dense (see the module docstring); ``slice_mode`` and
    ``manual_shapes`` (model parallelism) are accepted and change nothing."""

    def __init__(self, vocab_size: int, embedding_size: int, param_init: Any = "normal",
                 target: str = "CPU", slice_mode: str = "batch_slice", manual_shapes=None,
                 max_norm=None, sparse: bool = True, dtype=mstype.float32) -> None:
        super().__init__()
        if target not in ("CPU", "DEVICE"):
            raise ValueError("For 'EmbeddingLookup', the 'target' must be one of 'CPU', "
                             "'DEVICE', but got %r." % (target,))
        for what, v in (("vocab_size", vocab_size), ("embedding_size", embedding_size)):
            if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
                raise ValueError("For 'EmbeddingLookup', the '%s' must be a positive int, but "
                                 "got %r." % (what, v))
        if max_norm is not None and (not isinstance(max_norm, (int, float)) or max_norm <= 0):
            raise ValueError("For 'EmbeddingLookup', the 'max_norm' must be a positive float, "
                             "but got %r." % (max_norm,))
        self.vocab_size, self.embedding_size = vocab_size, embedding_size
        self.target, self.slice_mode, self.sparse = target, slice_mode, bool(sparse)
        self.max_norm = None if max_norm is None else float(max_norm)
        self.embedding_table = Parameter(initialize(param_init, (vocab_size, embedding_size),
                                                    dtype), name="embedding_table")

    def construct(self, indices):
        return embedding_lookup(self.embedding_table, indices, self.max_norm)


@bindable
def _field_reduce(rows, values, field_ids, field_size, operator):
    """``(batch, field_size, emb)``: per field, the SUM / MAX of ``rows * values`` over the
    positions whose ``field_ids`` name it, or (MEAN) the SUM divided by the field's sum of
    ``|values|`` (measured); an empty field: zeros."""
    weighted = P.mul(rows, P.expand_dims(values, -1))  # (B, S, E)
    hot = P.one_hot(field_ids, field_size, "float32")  # (B, S, F)
    if operator == "MAX":
        mask = P.expand_dims(P.greater(hot, 0.5), -1)  # (B, S, F, 1)
        cand = P.where(mask, P.expand_dims(weighted, 2), -np.inf)
        best = P.max(cand, 1)  # (B, F, E)
        return P.where(P.isfinite(best), best, 0.0)
    out = _einsum_bsf(hot, weighted)
    if operator == "MEAN":  # MindSpore's: divided by the field's sum of |value| (0: 0)
        count = P.einsum2(hot, P.abs(values), "bsf,bs->bf")
        safe = P.where(P.greater(count, 0.0), count, 1.0)
        out = P.div(out, P.expand_dims(safe, -1))
    return out


def _einsum_bsf(hot, weighted):
    return P.einsum2(hot, weighted, "bsf,bse->bfe")


class MultiFieldEmbeddingLookup(EmbeddingLookup):
    """MindSpore's ``nn.MultiFieldEmbeddingLookup(vocab_size, embedding_size, field_size,
    param_init='normal', target='CPU', slice_mode='batch_slice', feature_num_list=None,
    max_norm=None, sparse=True, operator='SUM', dtype=float32)``, called ``(input_indices,
    input_values, field_ids)`` (each ``(batch, seq)``): per field, the SUM, MEAN or MAX of
    ``embedding_table[id] * value`` over the positions in that field, shaped ``(batch,
    field_size, embedding_size)``; MEAN divides the SUM by the field's sum of ``|value|``
    (measured)."""

    def __init__(self, vocab_size: int, embedding_size: int, field_size: int,
                 param_init: Any = "normal", target: str = "CPU",
                 slice_mode: str = "batch_slice", feature_num_list=None, max_norm=None,
                 sparse: bool = True, operator: str = "SUM", dtype=mstype.float32) -> None:
        super().__init__(vocab_size, embedding_size, param_init, target, slice_mode, None,
                         max_norm, sparse, dtype)
        if operator not in ("SUM", "MEAN", "MAX"):
            raise ValueError("For 'MultiFieldEmbeddingLookup', the 'operator' must be one of "
                             "['SUM', 'MAX', 'MEAN'], but got %r." % (operator,))
        self.field_size, self.operator = int(field_size), operator

    def construct(self, input_indices, input_values, field_ids):
        rows = embedding_lookup(self.embedding_table, input_indices, self.max_norm)
        return _field_reduce(rows, input_values, field_ids, self.field_size, self.operator)


class BiDense(Cell):
    """MindSpore's ``nn.BiDense(in1_channels, in2_channels, out_channels, weight_init=None,
    bias_init=None, has_bias=True, dtype=float32)``: ``y[..., o] = sum_{i, j} x1[..., i]
    W[o, i, j] x2[..., j] + b[o]``; ``weight`` ``(out, in1, in2)`` and ``bias`` uniform in
    ``+-1/sqrt(in1_channels)`` (MindSpore's)."""

    def __init__(self, in1_channels: int, in2_channels: int, out_channels: int,
                 weight_init: Any = None, bias_init: Any = None, has_bias: bool = True,
                 dtype=mstype.float32) -> None:
        super().__init__()
        self.in1_channels, self.in2_channels = int(in1_channels), int(in2_channels)
        self.out_channels, self.has_bias = int(out_channels), bool(has_bias)
        bound = 1.0 / math.sqrt(in1_channels)
        shape = (out_channels, in1_channels, in2_channels)
        rng = _uniform(bound)
        self.weight = Parameter(initialize(rng if weight_init is None else weight_init, shape,
                                           dtype), name="weight")
        if self.has_bias:
            self.bias = Parameter(initialize(rng if bias_init is None else bias_init,
                                             (out_channels,), dtype), name="bias")
        else:
            self.bias = None

    def construct(self, input1, input2):
        return bidense(input1, input2, self.weight, self.bias)


def _uniform(bound):
    """An initializer: uniform in ``+-bound`` from the package's seeded generator."""
    def draw(shape):
        return INIT_RNG[0].uniform(-bound, bound, shape)
    return draw


class TimeDistributed(Cell):
    """MindSpore's ``nn.TimeDistributed(layer, time_axis, reshape_with_axis=None)``: ``layer``
    applied at every step of ``time_axis``; the steps are folded into the batch axis and the
    layer called once (its Parameters are ``layer.*``, as MindSpore's)."""

    def __init__(self, layer, time_axis: int, reshape_with_axis=None) -> None:
        super().__init__()
        if not isinstance(layer, Cell):
            raise TypeError("For 'TimeDistributed', the 'layer' must be a Cell, but got %s"
                            % type(layer).__name__)
        self.layer = layer
        self.time_axis = int(time_axis)
        self.reshape_with_axis = reshape_with_axis

    def construct(self, inputs):
        x = ops.swapaxes(inputs, 0, self.time_axis)
        shape = ops.shape(x)
        out = self.layer(ops.reshape(x, (-1,) + shape[2:]))
        oshape = ops.shape(out)
        out = ops.reshape(out, shape[:2] + oshape[1:])
        return ops.swapaxes(out, 0, self.time_axis)


class CellDict(Cell):
    """MindSpore's ``nn.CellDict(*args, **kwargs)``: sub-cells by key (their Parameters
    ``key.name``, measured), with ``keys``, ``values``, ``items``, ``pop``, ``clear``,
    ``update``, ``[key]``, ``in``, ``len`` and iteration over the keys.  Not callable (its
    ``construct`` raises NotImplementedError, as MindSpore's)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__()
        object.__setattr__(self, "_keys", [])
        if args:
            if len(args) > 1:
                raise TypeError("CellDict takes at most one positional argument")
            self.update(args[0])
        if kwargs:
            self.update(kwargs)

    def _put(self, key, cell) -> None:
        if not isinstance(key, str):
            raise TypeError("For 'CellDict', the type of key should be str, but got %s"
                            % type(key).__name__)
        if not isinstance(cell, Cell):
            raise TypeError("For 'CellDict', the type of cell should be Cell, but got %s"
                            % type(cell).__name__)
        if key not in self._keys:
            self._keys.append(key)
        setattr(self, key, cell)

    def __getitem__(self, key):
        if key not in self._keys:
            raise KeyError(key)
        return getattr(self, key)

    def __setitem__(self, key, cell) -> None:
        self._put(key, cell)

    def __delitem__(self, key) -> None:
        if key not in self._keys:
            raise KeyError(key)
        self._keys.remove(key)
        delattr(self, key)

    def __contains__(self, key) -> bool:
        return key in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self):
        return iter(list(self._keys))

    def keys(self):
        """The keys, in insertion order."""
        return iter(list(self._keys))

    def values(self):
        """The cells, in insertion order."""
        return iter([getattr(self, k) for k in self._keys])

    def items(self):
        """``(key, cell)`` pairs, in insertion order."""
        return iter([(k, getattr(self, k)) for k in self._keys])

    def pop(self, key):
        """Remove ``key`` and return its cell."""
        cell = self[key]
        del self[key]
        return cell

    def clear(self) -> None:
        """Remove every cell."""
        for key in list(self._keys):
            del self[key]

    def update(self, cells) -> None:
        """Add (or replace) cells from a dict, a CellDict or ``(key, cell)`` pairs."""
        if isinstance(cells, (dict, OrderedDict, CellDict)):
            pairs = list(cells.items())
        else:
            pairs = []
            for item in cells:
                if not isinstance(item, (tuple, list)) or len(item) != 2:
                    raise ValueError("For 'CellDict', each item of the iterable must be a "
                                     "(key, cell) pair, but got %r" % (item,))
                pairs.append(tuple(item))
        for key, cell in pairs:
            self._put(key, cell)

    def construct(self, *inputs):
        raise NotImplementedError("For 'CellDict', the method 'construct' is not defined: "
                                  "call its cells by key")


class Moments(Cell):
    """MindSpore's ``nn.Moments(axis=None, keep_dims=None)``: ``(mean, variance)`` over
    ``axis`` (None: every axis; the biased variance), measured."""

    def __init__(self, axis=None, keep_dims=None) -> None:
        super().__init__()
        self.axis = tuple(axis) if isinstance(axis, list) else axis
        self.keep_dims = bool(keep_dims)

    def construct(self, x):
        mean = ops.mean(x, self.axis, self.keep_dims)
        variance = ops.mean(ops.square(x - ops.mean(x, self.axis, True)), self.axis,
                            self.keep_dims)
        return mean, variance


class ReduceLogSumExp(Cell):
    """MindSpore's ``nn.ReduceLogSumExp(axis, keep_dims=False)``: ``log(sum(exp(x)))`` over
    ``axis``, computed stably."""

    def __init__(self, axis, keep_dims: bool = False) -> None:
        super().__init__()
        self.axis = tuple(axis) if isinstance(axis, list) else axis
        self.keep_dims = bool(keep_dims)

    def construct(self, x):
        return ops.logsumexp(x, self.axis, self.keep_dims)


class Norm(Cell):
    """MindSpore's ``nn.Norm(axis=(), keep_dims=False)``: ``sqrt(sum(x ** 2))`` over ``axis``
    (``()``: every axis)."""

    def __init__(self, axis=(), keep_dims: bool = False) -> None:
        super().__init__()
        axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
        self.axis = None if axis == () else axis
        self.keep_dims = bool(keep_dims)

    def construct(self, x):
        return ops.sqrt(ops.sum(ops.square(x), self.axis, self.keep_dims))


class OneHot(Cell):
    """MindSpore's ``nn.OneHot(axis=-1, depth=1, on_value=1.0, off_value=0.0,
    dtype=float32)``: one-hot of integer indices along ``axis`` (measured)."""

    def __init__(self, axis: int = -1, depth: int = 1, on_value: float = 1.0,
                 off_value: float = 0.0, dtype=mstype.float32) -> None:
        super().__init__()
        self.axis, self.depth = int(axis), int(depth)
        np_dtype = mstype.to_numpy(dtype) or np.dtype(np.float32)
        self.on_value = Tensor(np.asarray(on_value, np_dtype))
        self.off_value = Tensor(np.asarray(off_value, np_dtype))

    def construct(self, indices):
        return ops.one_hot(indices, self.depth, self.on_value, self.off_value, self.axis)


class Range(Cell):
    """MindSpore's ``nn.Range(start, limit=None, delta=1)``, called with no argument:
    ``[start, limit)`` by ``delta`` (``limit`` None: ``[0, start)``); int32 when every
    bound is an int, else float32 (measured)."""

    def __init__(self, start, limit=None, delta=1) -> None:
        super().__init__()
        if delta == 0:
            raise ValueError("For 'Range', the 'delta' can not be zero.")
        if limit is None:
            start, limit = 0, start
        ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (start, limit, delta))
        dtype = np.int32 if ints else np.float32
        self.result = Tensor(np.arange(start, limit, delta).astype(dtype))

    def construct(self):
        return self.result


class Roll(Cell):
    """MindSpore's ``nn.Roll(shift, axis)``: elements shifted along ``axis`` (ints or
    tuples), wrapping around (MindSpore's CPU has no kernel for it)."""

    def __init__(self, shift, axis) -> None:
        super().__init__()
        self.shift = tuple(shift) if isinstance(shift, list) else shift
        self.axis = tuple(axis) if isinstance(axis, list) else axis

    def construct(self, x):
        return ops.roll(x, self.shift, self.axis)


class Tril(Cell):
    """MindSpore's ``nn.Tril()``, called ``(x, k=0)``: the lower triangle (``k`` above the
    main diagonal kept)."""

    def construct(self, x, k=0):
        return ops.tril(x, k)


class Triu(Cell):
    """MindSpore's ``nn.Triu()``, called ``(x, k=0)``: the upper triangle."""

    def construct(self, x, k=0):
        return ops.triu(x, k)


class MatrixDiag(Cell):
    """MindSpore's ``nn.MatrixDiag()`` (documented; no CPU kernel): ``(..., n)`` to the
    diagonal matrices ``(..., n, n)``."""

    def construct(self, x):
        n = ops.shape(x)[-1]
        return ops.expand_dims(x, -1) * ops.eye(n, n)


class MatrixDiagPart(Cell):
    """MindSpore's ``nn.MatrixDiagPart()`` (documented; no CPU kernel): the diagonals of
    ``(..., m, n)``, shaped ``(..., min(m, n))``."""

    def construct(self, x):
        shape = ops.shape(x)
        m, n = shape[-2], shape[-1]
        rows = ops.sum(x * ops.eye(m, n), -1)
        return rows[..., :min(m, n)]


class MatrixSetDiag(Cell):
    """MindSpore's ``nn.MatrixSetDiag()`` (documented; no CPU kernel), called ``(x,
    diagonal)``: ``x`` with its main diagonal replaced by ``diagonal`` ``(..., min(m, n))``."""

    def construct(self, x, diagonal):
        shape = ops.shape(x)
        m, n = shape[-2], shape[-1]
        eye = ops.eye(m, n)
        if m <= n:
            values = ops.expand_dims(diagonal, -1) * eye
        else:
            values = ops.expand_dims(diagonal, -2) * eye
        return x * (1.0 - eye) + values


@bindable
def _inverse(x):
    return P.matrix_inverse(x)


@bindable
def _det(x):
    return P.det(x)


class MatInverse(Cell):
    """MindSpore's ``nn.MatInverse()``: the inverse of each matrix in the last two axes.
    MindSpore computes it by a Cholesky factorization, for symmetric positive-definite
    input only; here any invertible matrix (the same values on MindSpore's domain).
    Gradient ``-A^-T g A^-T``."""

    def construct(self, a):
        return _inverse(a)


class MatDet(Cell):
    """MindSpore's ``nn.MatDet()``: the determinant of each matrix in the last two axes
    (MindSpore's Cholesky route takes symmetric positive-definite input only, and raises
    otherwise (measured); here any square matrix).  Gradient ``g det(A) A^-T``."""

    def construct(self, a):
        return _det(a)


class CentralCrop(Cell):
    """MindSpore's ``nn.CentralCrop(central_fraction)`` on ``(C, H, W)`` or ``(N, C, H,
    W)``: the centre ``H - 2 int((H - H f) / 2)`` rows and as many columns (measured)."""

    def __init__(self, central_fraction: float) -> None:
        super().__init__()
        if not isinstance(central_fraction, float):
            raise TypeError("For 'CentralCrop', the type of 'central_fraction' must be float, "
                            "but got %s" % type(central_fraction).__name__)
        if not 0.0 < central_fraction <= 1.0:
            raise ValueError("For 'CentralCrop', the 'central_fraction' must be in range (0.0, "
                             "1.0], but got %r." % (central_fraction,))
        self.central_fraction = central_fraction

    def construct(self, image):
        if self.central_fraction == 1.0:
            return image
        shape = ops.shape(image)
        h, w = shape[-2], shape[-1]
        top = int((float(h) - float(h * self.central_fraction)) / 2)
        left = int((float(w) - float(w * self.central_fraction)) / 2)
        return image[..., top:h - top, left:w - left]


class ImageGradients(Cell):
    """MindSpore's ``nn.ImageGradients()`` on ``(N, C, H, W)``: ``(dy, dx)``, the forward
    differences ``x[i + 1, j] - x[i, j]`` and ``x[i, j + 1] - x[i, j]``, zero on the last row
    / column (measured)."""

    def construct(self, images):
        dy = images[:, :, 1:, :] - images[:, :, :-1, :]
        dy = ops.concat((dy, ops.zeros_like(images[:, :, :1, :])), 2)
        dx = images[:, :, :, 1:] - images[:, :, :, :-1]
        dx = ops.concat((dx, ops.zeros_like(images[:, :, :, :1])), 3)
        return dy, dx


class PSNR(Cell):
    """MindSpore's ``nn.PSNR(max_val=1.0)`` on ``(N, C, H, W)`` float images:
    ``10 log10(max_val ** 2 / mse)`` per image, shaped ``(N,)`` (its source's formula)."""

    def __init__(self, max_val=1.0) -> None:
        super().__init__()
        if not isinstance(max_val, (int, float)) or isinstance(max_val, bool) or max_val <= 0:
            raise ValueError("For 'PSNR', the 'max_val' must be a positive number, but got %r"
                             % (max_val,))
        self.max_val = float(max_val)

    def construct(self, img1, img2):
        mse = ops.mean(ops.square(img1 - img2), (-3, -2, -1))
        return 10.0 * ops.log(self.max_val ** 2 / mse) / math.log(10.0)


def _gauss_window(size, sigma):
    """MindSpore's SSIM window ``(1, 1, size, size)``."""
    y, x = np.mgrid[-size // 2 + 1:size // 2 + 1, -size // 2 + 1:size // 2 + 1]
    g = np.exp(-(x.astype(np.float32) ** 2 + y.astype(np.float32) ** 2) / (2 * sigma ** 2))
    return (g / g.sum()).reshape(1, 1, size, size).astype(np.float32)


class SSIM(Cell):
    """MindSpore's ``nn.SSIM(max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01,
    k2=0.03)`` on ``(N, C, H, W)`` float images: the mean structural similarity per image,
    shaped ``(N,)``, each channel filtered by the Gaussian window (a 'valid' convolution,
    held as MindSpore's ``conv.weight``, without gradient; its source's formula)."""

    def __init__(self, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03) -> None:
        super().__init__()
        if not isinstance(max_val, (int, float)) or max_val <= 0:
            raise ValueError("For 'SSIM', the 'max_val' must be a positive number, but got %r"
                             % (max_val,))
        if isinstance(filter_size, bool) or not isinstance(filter_size, int) or filter_size < 1:
            raise ValueError("For 'SSIM', the 'filter_size' must be an int >= 1, but got %r"
                             % (filter_size,))
        if not isinstance(filter_sigma, float) or filter_sigma <= 0:
            raise ValueError("For 'SSIM', the 'filter_sigma' must be a positive float, but got "
                             "%r" % (filter_sigma,))
        self.max_val, self.filter_size, self.filter_sigma = max_val, filter_size, filter_sigma
        self.k1, self.k2 = float(k1), float(k2)
        holder = Cell()
        holder.weight = Parameter(Tensor(_gauss_window(filter_size, filter_sigma)),
                                  name="weight", requires_grad=False)
        self.conv = holder
        self.c1 = (self.k1 * max_val) ** 2
        self.c2 = (self.k2 * max_val) ** 2

    def _filter(self, x):
        shape = ops.shape(x)
        planes = ops.reshape(x, (-1, 1, shape[2], shape[3]))
        out = conv2d(planes, self.conv.weight)
        oshape = ops.shape(out)
        return ops.reshape(out, (shape[0], shape[1], oshape[2], oshape[3]))

    def construct(self, img1, img2):
        mu1 = self._filter(img1)
        mu2 = self._filter(img2)
        mu1_sq, mu2_sq, mu1_mu2 = mu1 * mu1, mu2 * mu2, mu1 * mu2
        sigma1_sq = self._filter(img1 * img1) - mu1_sq
        sigma2_sq = self._filter(img2 * img2) - mu2_sq
        sigma12 = self._filter(img1 * img2) - mu1_mu2
        a = 2.0 * mu1_mu2 + self.c1
        b = mu1_sq + mu2_sq + self.c1
        v1 = 2.0 * sigma12 + self.c2
        v2 = sigma1_sq + sigma2_sq + self.c2
        ssim = (a * v1) / (b * v2)
        return ops.mean(ops.mean(ssim, (2, 3)), -1)
