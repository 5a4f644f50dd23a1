"""Tensor methods of table_more (where, argsort, dot, equal ..., casts, type_as, view_as)
and the attributes in tensor.py (nbytes, itemsize, numel, is_floating_point, new_ones)."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.array([[0.5, -1.25, 2.0], [3.0, 1.5, -0.3]], np.float32))
    y = Tensor(np.array([[0.75, -1.25, 1.5]], np.float32))
    m = Tensor(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], np.float32))
    out = {
        "where": x.where(x > 0, y), "argsort": x.argsort(), "argsort_desc": x.argsort(0, True),
        "dot": x.dot(m), "mm": x.mm(m), "equal": x.equal(y), "not_equal": x.not_equal(y),
        "greater": x.greater(y), "greater_equal": x.greater_equal(y), "less": x.less(y),
        "less_equal": x.less_equal(y), "multiply": x.multiply(y), "subtract": x.subtract(y),
        "divide": x.divide(y), "floor_divide": x.floor_divide(y), "negative": x.negative(),
        "expand": y.expand(2, 3), "amax": x.amax(1), "amin": x.amin(0, True),
        "type_as": x.type_as(Tensor(np.array([1], np.int32))), "view_as": x.view_as(m),
        "reshape_as": x.reshape_as(m), "swapdims": x.swapdims(0, 1), "t": x.t(),
        "float": x.int().float(), "double": x.double(), "half": x.half(),
        "int": x.int(), "long": x.long(), "bool": x.bool(), "absolute": x.absolute(),
        "positive": x.positive(), "sgn": x.sgn(), "true_divide": x.true_divide(y),
        "heaviside": x.heaviside(y), "fmax": x.fmax(y),
        "float_power": x.abs().float_power(y), "frac": x.frac(), "xdivy": x.xdivy(y),
        "sinc": x.sinc(), "nansum": x.nansum(),
        "count_nonzero": x.count_nonzero(), "flipud": x.flipud(), "fliplr": x.fliplr(),
        "ravel": x.ravel(), "rot90": x.rot90(1, (0, 1)), "diff": x.diff(),
        "cross": x.cross(ops.tile(y, (2, 1)), -1), "logaddexp": x.logaddexp(y), "logaddexp2": x.logaddexp2(y),
        "tensor_split_0": x.tensor_split([1], 1)[0], "vsplit_1": x.vsplit([1])[1],
        "nbytes": float(x.nbytes), "itemsize": float(x.itemsize), "numel": float(x.numel()),
        "nelement": float(x.nelement()), "ndimension": float(x.ndimension()),
        "is_floating_point": float(x.is_floating_point()),
        "int_is_floating_point": float(x.int().is_floating_point()),
        "new_ones": x.new_ones((2,)), "new_zeros": x.new_zeros((1, 2), dtype=ms.int32),
        "numpy": x.numpy(),
    }

    def f(a, b):
        return (a.multiply(b).subtract(a).divide(b + 3.0).dot(m.t().t()).sum()
                + a.where(a > 0, b).sum() + a.double().sum())

    ga, gb = ops.grad(f, (0, 1))(x, y)
    out["grad_x"], out["grad_y"] = ga, gb
    return out
