"""Activation Cells: the output and the gradient of sum(out * r) w.r.t. the input (and
PReLU's weight).  The smooth ones see |x| up to about 3: for larger |x| MindSpore 2.10's CPU
Tanh and Mish gradients drift from the true values (tanh' at x = 4.37: 3.59e-4 against
4.00e-4), where autograd_st's stay at the true ones."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class Weighted(nn.Cell):
    def __init__(self, cell, r):
        super().__init__()
        self.cell = cell
        self.r = r

    def construct(self, x):
        return (self.cell(x) * self.r).sum()


def run():
    rs = np.random.RandomState(11)
    wide = Tensor((rs.standard_normal((2, 3, 4)) * 2.5).astype(np.float32))
    x = Tensor((rs.standard_normal((2, 3, 4)) * 1.2).astype(np.float32))
    r = Tensor(rs.standard_normal((2, 3, 4)).astype(np.float32))
    cells = {
        "elu": nn.ELU(), "silu": nn.SiLU(), "gelu_tanh": nn.GELU(),
        "gelu_erf": nn.GELU(approximate=False), "mish": nn.Mish(),
        "leaky": nn.LeakyReLU(), "leaky_01": nn.LeakyReLU(0.1), "hswish": nn.HSwish(),
        "hsigmoid": nn.HSigmoid(), "softmax": nn.Softmax(), "softmax_1": nn.Softmax(1),
        "logsoftmax": nn.LogSoftmax(), "logsoftmax_0": nn.LogSoftmax(0), "tanh": nn.Tanh(),
        "sigmoid": nn.Sigmoid(), "relu6": nn.ReLU6(), "relu": nn.ReLU(),
        "softsign": nn.Softsign(), "hardtanh": nn.Hardtanh(-0.5, 2.0),
        "tanhshrink": nn.Tanhshrink(), "softmin": nn.Softmin(1), "identity": nn.Identity(),
    }
    out = {}
    piecewise = ("leaky", "leaky_01", "hswish", "hsigmoid", "relu6", "relu", "hardtanh",
                 "elu", "identity")
    for name, cell in cells.items():
        inp = wide if name in piecewise else x
        out[name] = cell(inp)
        out[name + "_grad"] = ops.grad(Weighted(cell, r))(inp)
    prelu = nn.PReLU(3, w=Tensor(np.array([0.25, -0.5, 1.5], np.float32)))
    gx, gw = ops.grad(Weighted(prelu, r), grad_position=0, weights=prelu.trainable_params())(x)
    out["prelu"] = prelu(x)
    out["prelu_gx"] = gx
    out["prelu_gw"] = gw[0]
    prelu1 = nn.PReLU()
    out["prelu1"] = prelu1(x)
    out["prelu1_gw"] = ops.grad(Weighted(prelu1, r), None, prelu1.trainable_params())(x)[0]
    flat = nn.Flatten(0, 1)
    out["flatten01"] = flat(x)
    out["flatten_default"] = nn.Flatten()(x)
    return out
