"""table_more's element-wise names (aliases, sinc, frac, heaviside, fmax, xdivy ...): values,
with broadcasting, and gradients under ops.grad."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.array([[0.5, -1.25, 2.0], [0.0, 1.5, -0.3]], np.float32))
    y = Tensor(np.array([[0.75, -2.0, 1.5]], np.float32))
    p = Tensor(np.array([[0.5, 1.25, 2.0], [0.7, 1.5, 0.3]], np.float32))
    n = Tensor(np.array([[np.nan, 1.0, -2.0], [3.0, np.nan, 0.5]], np.float32))
    out = {
        "tensor_add": ops.tensor_add(x, y), "tensor_mul": ops.tensor_mul(x, y),
        "tensor_div": ops.tensor_div(x, y), "true_divide": ops.true_divide(x, y),
        "tensor_pow": ops.tensor_pow(p, y), "pows": ops.pows(p, 2.0),
        "tensor_exp": ops.tensor_exp(x), "tensor_expm1": ops.tensor_expm1(x),
        "tensor_gt": ops.tensor_gt(x, y), "tensor_ge": ops.tensor_ge(x, y),
        "tensor_le": ops.tensor_le(x, y), "tensor_floordiv": ops.tensor_floordiv(x, y),
        "floordiv": ops.floordiv(x, y), "tensor_mod": ops.tensor_mod(x, y),
        "floor_mod": ops.floor_mod(x, y), "floormod": ops.floormod(x, y),
        "absolute": ops.absolute(x), "sgn": ops.sgn(x), "positive": ops.positive(x),
        "identity": ops.identity(x), "logaddexp": ops.logaddexp(x, y),
        "logaddexp2": ops.logaddexp2(x, y), "heaviside": ops.heaviside(x, y),
        "fmax": ops.fmax(n, y), "float_power": ops.float_power(p, y),
        "frac": ops.frac(x * 3), "xdivy": ops.xdivy(x, y), "sinc": ops.sinc(x),
        "nansum": ops.nansum(n), "nansum_axis": ops.nansum(n, 1, True),
        "nanmean": ops.nanmean(n, 0),
        "nan_to_num": ops.nan_to_num(Tensor(np.array([np.nan, np.inf, -np.inf, 2.0],
                                                     np.float32)), 0.5, 9.0, -9.0),
        "count_nonzero": ops.count_nonzero(Tensor(np.array([[0, 1, 2], [0, 0, 3]]))),
        "reduce_max": ops.reduce_max(x, 1), "reduce_min": ops.reduce_min(x),
        "vecdot": ops.vecdot(x, y),
    }

    def f(a, b):
        return ops.sum(ops.logaddexp2(a, b) * ops.sinc(a) + ops.xdivy(a, b) * ops.frac(a * 3)
                       + ops.true_divide(a, b) ** 2)

    ga, gb = ops.grad(f, (0, 1))(x, y)
    out["grad_x"], out["grad_y"] = ga, gb
    return out
