"""MindSpore 2.10's Tensor methods of the math family, called as model code writes them:
std/var/norm/pow/abs/exp/log/sqrt/clip/clamp/sigmoid/tanh/softmax/log_softmax/erf/floor/
ceil/round/sign/square/rsqrt/reciprocal/log1p/expm1/all/any/isnan/logsumexp, values and (for
the differentiable ones) gradients.  (MindSpore 2.10's Tensor has no ``log_softmax`` method;
autograd_st's is ``ops.log_softmax``.)"""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.array([[0.3, -1.2, 2.2], [1.6, 0.45, -0.7]], np.float32))
    pos = Tensor(np.array([[0.3, 1.2, 2.2], [1.6, 0.45, 0.7]], np.float32))
    smooth = {
        "std": lambda t: t.std(), "std_axis": lambda t: t.std(1, 1, True),
        "var": lambda t: t.var(), "var_axis": lambda t: t.var(axis=0, ddof=True),
        "norm": lambda t: t.norm(), "norm_dim": lambda t: t.norm(dim=1, keepdim=True),
        "norm_ord1": lambda t: t.norm(1), "pow": lambda t: t.pow(3),
        "abs": lambda t: t.abs(), "exp": lambda t: t.exp(), "clip": lambda t: t.clip(-0.5, 1.0),
        "clamp": lambda t: t.clamp(min=0.0), "clamp_max": lambda t: t.clamp(max=0.5),
        "sigmoid": lambda t: t.sigmoid(), "tanh": lambda t: t.tanh(),
        "softmax": lambda t: t.softmax(0),
        "erf": lambda t: t.erf(), "square": lambda t: t.square(), "expm1": lambda t: t.expm1(),
        "logsumexp": lambda t: t.logsumexp(1), "sign_times": lambda t: t.sign() * t,
        "atan2": lambda t: t.atan2(t * t + 1.0), "addmm_like": lambda t: t @ t.T,
    }
    positive = {
        "log": lambda t: t.log(), "sqrt": lambda t: t.sqrt(), "rsqrt": lambda t: t.rsqrt(),
        "reciprocal": lambda t: t.reciprocal(), "log1p": lambda t: t.log1p(),
        "log2": lambda t: t.log2(), "acosh": lambda t: (t + 1.0).acosh(),
    }
    out = {}
    for table, value in ((smooth, x), (positive, pos)):
        for name, f in table.items():
            out[name] = f(value)
            out[name + "_grad"] = ops.grad(lambda t, f=f: ops.sum(ops.sin(f(t))))(value)
    r = Tensor(np.array([-2.5, -0.5, 0.5, 1.5, 2.7], np.float32))
    out["floor"], out["ceil"], out["round"] = r.floor(), r.ceil(), r.round()
    b = x > 0
    out["all"], out["any"] = b.all(), b.any()
    out["all_axis"], out["any_axis_keep"] = b.all(1), b.any(0, True)
    out["isnan"] = (x / Tensor(np.array([[1.0, 0.0, 1.0], [1.0, 1.0, 1.0]], np.float32)) * 0.0).isnan()
    return out
