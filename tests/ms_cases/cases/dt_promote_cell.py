"""MindSpore's result dtypes in a network: a Cell with an int32 buffer (a Tensor attribute)
and an int32 Parameter that is not trained, a loop, a helper function called with an int32
Tensor, an int32 argument; its loss under value_and_grad (weights and inputs), under
GradOperation(get_all=True) and under ms.jit (its gradients: the loss's dtype differs in
MindSpore's graph mode, Float64).  Each dtype is returned as a number (``DT``)."""
import numpy as np
import mindspore as ms
from mindspore import Parameter, Tensor, nn, ops

DT = {"Float16": 16.0, "Float32": 32.0, "Float64": 64.0, "Int32": -32.0, "Int64": -64.0,
      "Bool": 1.0}


def code(t):
    return DT[str(t.dtype)]


def scale_by(h, k):  # a helper: k an int32 Tensor
    return h * k + k / 4


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([0.5, -1.0, 1.5], np.float32)), name="w")
        self.steps = Tensor(np.array([1, 2, 3], np.int32))  # an int32 buffer
        self.shift = Parameter(Tensor(np.array([2, 0, -1], np.int32)), name="shift",
                               requires_grad=False)

    def construct(self, x, n):
        h = x * self.w
        for _ in range(3):
            h = scale_by(h, self.steps) * 0.5 + self.shift
        mean = (h * h).sum() / n   # n an int32 Tensor
        return mean, h


class Loss(nn.Cell):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def construct(self, x, n):
        mean, _ = self.net(x, n)
        return mean


def run():
    net = Net()
    loss = Loss(net)
    x = Tensor(np.array([0.25, -0.5, 0.75], np.float32))
    n = Tensor(np.array(3, np.int32))
    out = {}
    mean, h = net(x, n)
    out["eager"], out["eager_dt"], out["eager_h_dt"] = mean, code(mean), code(h)
    weights = net.trainable_params()
    for tag, wrap in (("vg", lambda g: g), ("jit", ms.jit)):
        value, (gin, gw) = wrap(ops.value_and_grad(loss, grad_position=(0, 1),
                                                   weights=weights))(x, n)
        out[tag] = value
        if tag == "vg":  # (MindSpore's graph mode gives this loss as Float64, measured;
            out[tag + "_dt"] = code(value)  # PyNative, and autograd_st's ms.jit, Float32)
        for j, g in enumerate(gin):
            out["%s_d%d" % (tag, j)], out["%s_d%d_dt" % (tag, j)] = g, code(g)
        out[tag + "_dw"], out[tag + "_dw_dt"] = gw[0], code(gw[0])
    dx, dn = ops.GradOperation(get_all=True)(loss)(x, n)
    out["all_dx"], out["all_dx_dt"], out["all_dn"], out["all_dn_dt"] = dx, code(dx), dn, code(dn)
    return out
