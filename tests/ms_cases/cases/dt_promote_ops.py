"""MindSpore's result dtypes where integer, bool and float operands of an operator meet
(``* / + - // % **``, ``ops.maximum``, comparisons, true division of two int Tensors, ``+=``):
eagerly, under ``value_and_grad`` (its values, gradients and, through ``has_aux``, the
intermediate values) and under ``ms.jit``.  Each dtype is returned as a number (``DT``); an
int32 input's gradient is an int32 one, each operator's gradient for an integer operand cast
to its dtype (MindSpore's bprops)."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, ops

DT = {"Float16": 16.0, "Float32": 32.0, "Float64": 64.0, "Int8": -8.0, "Int16": -16.0,
      "Int32": -32.0, "Int64": -64.0, "UInt8": 8.0, "Bool": 1.0}


def code(t):
    return DT[str(t.dtype)]


def mixed(x, t):  # the brief's example: x float32, t int32
    y = x * t
    z = y / 2 + t * 0.5
    return (z * x).sum()


def divisions(x, t, s):  # t, s int32
    q = t / s                    # Float32
    f = t // s                   # Int32
    m = t % s                    # Int32
    g = x // t + x % t           # Float32
    h = t % 1.5 + t // 1.5       # Float32
    out = (x * q + f * x - m * 1.5 + g * 0.25 + h * x).sum()
    return out, q, f, m, g, h


def powers(x, t, u):  # x float32 (positive), t int32, u uint8
    p = x ** t                   # Float32
    r = t ** 0.5                 # Float32
    k = t ** 2                   # Int32
    v = ops.maximum(x, t) + ops.minimum(u, x)  # Float32
    out = (p + r * x + k * x + v).sum()
    return out, p, r, k, v


def masks(x, t, b):  # b bool
    c = x > t                    # Bool
    w = x * c + b * 0.5          # Float32
    n = b + 2                    # Int64
    d = t / b.astype(ms.int32).clip(1, 2)    # Float32
    out = (w * x + d).sum() + (n * x).sum()
    return out, c, w, n, d


def in_place(x, t):  # (on new values: under ms.jit, MindSpore's += on an alias of an input
    y = t * 1                    # writes the input)
    y += 0.5                     # Float32
    s = t + 0
    s += 1                       # Int32
    y = y * x
    return y.sum(), s


def run():
    x = Tensor(np.array([1.5, 2.25, 3.0], np.float32))
    t = Tensor(np.array([1, 2, 3], np.int32))
    s = Tensor(np.array([2, 3, 2], np.int32))
    u = Tensor(np.array([3, 1, 2], np.uint8))
    b = Tensor(np.array([True, False, True]))
    h = Tensor(np.array([0.5, 1.0, 2.0], np.float16))
    out = {}
    # eager
    out["mixed"] = mixed(x, t)
    out["mixed_dt"] = code(mixed(x, t))
    out["h_t_dt"] = code(h * t)
    out["t_over_t_dt"] = code(t / t)
    out["t_over_t"] = t / s
    for name, f, args in (("div", divisions, (x, t, s)), ("pow", powers, (x, t, u)),
                          ("mask", masks, (x, t, b)), ("inplace", in_place, (x, t))):
        vals = f(*args)
        for j, v in enumerate(vals):
            out["%s_eager_%d" % (name, j)] = v
            out["%s_eager_dt_%d" % (name, j)] = code(v)
    # value_and_grad (an int32 input's gradient is an int32 one), and under ms.jit
    for tag, wrap in (("vg", lambda g: g), ("jit", ms.jit)):
        (v, g) = wrap(ops.value_and_grad(mixed, grad_position=(0, 1)))(x, t)
        out["mixed_%s" % tag], out["mixed_%s_dt" % tag] = v, code(v)
        for j, gj in enumerate(g):
            out["mixed_%s_g%d" % (tag, j)], out["mixed_%s_g%d_dt" % (tag, j)] = gj, code(gj)
        cases = [("div", divisions, (x, t, s)), ("pow", powers, (x, t, u)),
                 ("mask", masks, (x, t, b))]
        if tag == "vg":  # (under ms.jit MindSpore's graph mode adds in place: y += 0.5 on an
            cases.append(("inplace", in_place, (x, t)))  # int32 y stays int32, as measured)
        for name, f, args in cases:
            (vals, g) = wrap(ops.value_and_grad(f, grad_position=(0, 1), has_aux=True))(*args)
            for j, val in enumerate(vals):
                out["%s_%s_%d" % (name, tag, j)] = val
                out["%s_%s_dt_%d" % (name, tag, j)] = code(val)
            for j, gj in enumerate(g):
                out["%s_%s_g%d" % (name, tag, j)] = gj
                out["%s_%s_g%d_dt" % (name, tag, j)] = code(gj)
    return out
