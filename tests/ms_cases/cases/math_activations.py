"""MindSpore 2.10's activations: values and gradients of ops.gelu (both approximations),
ops.GeLU, ops.FastGeLU, silu, elu, selu, mish, hardswish, hardsigmoid, softsign, leaky_relu,
relu6, softplus (beta, threshold), erf, erfc."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.array([[-3.0, -1.2, -0.4, 0.1], [0.7, 1.5, 2.5, 4.0]], np.float32))
    acts = {
        "gelu": lambda t: ops.gelu(t),
        "gelu_none": lambda t: ops.gelu(t, approximate="none"),
        "gelu_tanh": lambda t: ops.gelu(t, approximate="tanh"),
        "GeLU": lambda t: ops.GeLU()(t),
        "FastGeLU": lambda t: ops.FastGeLU()(t),
        "silu": lambda t: ops.silu(t),
        "elu": lambda t: ops.elu(t),
        "selu": lambda t: ops.selu(t),
        "mish": lambda t: ops.mish(t),
        "hardswish": lambda t: ops.hardswish(t),
        "hardsigmoid": lambda t: ops.hardsigmoid(t),
        "softsign": lambda t: ops.softsign(t),
        "leaky_relu": lambda t: ops.leaky_relu(t),
        "leaky_relu_01": lambda t: ops.leaky_relu(t, 0.1),
        "relu6": lambda t: ops.relu6(t * 2.0),
        "softplus": lambda t: ops.softplus(t),
        "softplus_beta": lambda t: ops.softplus(t, beta=2, threshold=3),
        "erf": lambda t: ops.erf(t),
        "erfc": lambda t: ops.erfc(t),
        "ReLU6": lambda t: ops.ReLU6()(t * 2.0),
        "HSwish": lambda t: ops.HSwish()(t),
        "HSigmoid": lambda t: ops.HSigmoid()(t),
        "Elu": lambda t: ops.Elu()(t),
    }
    out = {}
    for name, f in acts.items():
        out[name] = f(x)
        if name != "selu":  # MindSpore 2.10's CPU SeLU gradient is negative for x < 0 (at
            # x = -3: -0.70, where the derivative of its own forward is +0.0875): not recorded
            out[name + "_grad"] = ops.grad(lambda t, f=f: ops.sum(f(t) * t))(x)
    # the kinks: relu6 and hardsigmoid have gradient 0 at their bounds, hardswish the inner
    # one, leaky_relu (1 + alpha) / 2 at 0, elu 1 at 0
    k = Tensor(np.array([-6.0, -3.0, 0.0, 3.0, 6.0], np.float32))
    for name, f in {"relu6": ops.relu6, "hardsigmoid": ops.hardsigmoid,
                    "hardswish": ops.hardswish, "leaky_relu": ops.leaky_relu,
                    "elu": ops.elu}.items():
        out[name + "_kink_grad"] = ops.grad(lambda t, f=f: ops.sum(f(t)))(k)
    return out
