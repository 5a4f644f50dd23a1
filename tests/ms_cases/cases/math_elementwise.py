"""MindSpore 2.10's element-wise math: inverse trigonometric and hyperbolic functions, atan2,
log2/log10, expm1/log1p, rounding (round is half to even), remainder/fmod and ops.Mod /
ops.FloorMod, floor_div, comparisons, logical ops, predicates: values and gradients."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.array([[-0.8, -0.3, 0.2], [0.45, 0.6, 0.9]], np.float32))
    p = Tensor(np.array([[1.2, 2.5, 3.0], [1.7, 4.5, 9.0]], np.float32))
    unary = {
        "tan": (ops.tan, x), "asin": (ops.asin, x), "acos": (ops.acos, x),
        "atan": (ops.atan, p), "sinh": (ops.sinh, x), "cosh": (ops.cosh, x),
        "asinh": (ops.asinh, p), "acosh": (ops.acosh, p), "atanh": (ops.atanh, x),
        "log2": (ops.log2, p), "log10": (ops.log10, p), "expm1": (ops.expm1, x),
        "log1p": (ops.log1p, x), "square": (ops.square, x), "abs": (ops.abs, x),
        "rsqrt": (ops.rsqrt, p), "reciprocal": (ops.reciprocal, p),
    }
    out = {}
    for name, (f, t) in unary.items():
        out[name] = f(t)
        out[name + "_grad"] = ops.grad(lambda u, f=f: ops.sum(f(u)))(t)
    gy, gx = ops.grad(lambda a, b: ops.sum(ops.atan2(a, b)), (0, 1))(x, p)
    out["atan2"], out["atan2_grad_y"], out["atan2_grad_x"] = ops.atan2(x, p), gy, gx
    r = Tensor(np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.7], np.float32))
    out["round"], out["floor"], out["ceil"] = ops.round(r), ops.floor(r), ops.ceil(r)
    out["round_method"], out["Round"] = r.round(), ops.Round()(r)
    out["floor_grad"] = ops.grad(lambda u: ops.sum(ops.floor(u) + u))(r)
    a = Tensor(np.array([5.0, -5.0, 7.5, -7.5], np.float32))
    b = Tensor(np.array([3.0, 3.0, -2.0, -2.0], np.float32))
    out["remainder"], out["fmod"] = ops.remainder(a, b), ops.fmod(a, b)
    out["Mod"], out["FloorMod"] = ops.Mod()(a, b), ops.FloorMod()(a, b)
    out["floor_div"], out["FloorDiv"] = ops.floor_div(a, b), ops.FloorDiv()(a, b)
    ga, gb = ops.grad(lambda u, w: ops.sum(ops.remainder(u, w)), (0, 1))(a, b)
    out["remainder_grad_a"], out["remainder_grad_b"] = ga, gb
    c = Tensor(np.array([1.0, 2.0, 3.0, 4.0], np.float32))
    d = Tensor(np.array([1.0, 3.0, 2.0, 4.0], np.float32))
    for name, f in {"eq": ops.eq, "ne": ops.ne, "gt": ops.gt, "ge": ops.ge, "lt": ops.lt,
                    "le": ops.le, "greater": ops.greater, "less": ops.less,
                    "equal": ops.equal, "Equal": ops.Equal(), "Greater": ops.Greater(),
                    "Less": ops.Less(), "isclose": ops.isclose}.items():
        out[name] = f(c, d)
    out["dunder_lt"], out["dunder_eq"], out["dunder_ge"] = c < d, c == d, c >= d
    t, u = c > 1.5, d > 2.5
    out["logical_and"], out["logical_or"] = ops.logical_and(t, u), ops.logical_or(t, u)
    out["logical_not"], out["LogicalAnd"] = ops.logical_not(t), ops.LogicalAnd()(t, u)
    out["LogicalOr"], out["LogicalNot"] = ops.LogicalOr()(t, u), ops.LogicalNot()(t)
    z = Tensor(np.array([1.0, np.nan, np.inf, -np.inf], np.float32))
    out["isnan"], out["isinf"], out["isfinite"] = ops.isnan(z), ops.isinf(z), ops.isfinite(z)
    out["all"], out["any"] = ops.all(t), ops.any(t)
    out["sign"], out["Sign"] = ops.sign(a), ops.Sign()(a)
    out["SquaredDifference"] = ops.SquaredDifference()(a, b)
    out["AddN"] = ops.AddN()((a, b, c))
    out["addn"] = ops.addn([a, b])
    out["BiasAdd"] = ops.BiasAdd()(Tensor(np.ones((2, 3, 2, 2), np.float32)),
                                   Tensor(np.array([1.0, 2.0, 3.0], np.float32)))
    g = Tensor(np.array([2.0, 3.0], np.float32))
    out["rsub"], out["rpow"], out["rtruediv"] = 1.0 - g, 2.0 ** g, 6.0 / g
    out["floordiv"], out["mod"] = a // b, a % b
    out["dunder_grads"] = ops.grad(lambda w: ops.sum(1.0 - w + 2.0 ** w + 6.0 / w + w % 1.5))(g)
    i = Tensor(np.array([1, 2, 3], np.int64))
    f = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
    for name, value, dtype in [("int_div_int", i / 2, ms.float32),
                               ("int_mul_float", i * 1.5, ms.float32),
                               ("int_add_f32", i + f, ms.float32),
                               ("float_pow_int", 2.0 ** i, ms.float32),
                               ("int_floordiv", i // 2, ms.int64),
                               ("int_pow_int", i ** 2, ms.int64),
                               ("cmp", i > 1.5, ms.bool_)]:
        out[name] = value
        out[name + "_dtype_ok"] = np.array(float(value.dtype == dtype))
    out["eq_none_is_false"] = np.array(float((f == None) is False))  # noqa: E711
    return out
