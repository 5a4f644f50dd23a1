"""Activation Cells (CELU, SeLU, GLU, LogSigmoid, SoftShrink, HShrink, Threshold, Softmax2d,
FastGelu) and ops.prelu: values and gradients
(the gradient of sum(y cos y))."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


def run():
    rs = np.random.RandomState(5)
    x = Tensor((rs.standard_normal((2, 3, 4)) * 2).astype(np.float32))
    x4 = Tensor(rs.standard_normal((2, 3, 2, 2)).astype(np.float32))
    wt = Tensor(rs.standard_normal((2, 3, 4)).astype(np.float32))
    cells = {
        "celu": nn.CELU(), "celu_a": nn.CELU(alpha=0.5), "selu": nn.SeLU(), "glu": nn.GLU(),
        "glu_ax1": nn.GLU(axis=0), "logsig": nn.LogSigmoid(), "softshrink": nn.SoftShrink(),
        "softshrink_l": nn.SoftShrink(1.0), "hshrink": nn.HShrink(), "hshrink_l": nn.HShrink(1.2),
        "thr": nn.Threshold(0.3, -2.0), "fastgelu": nn.FastGelu(),
    }
    out = {}
    for name, cell in cells.items():
        y = cell(x)
        out[name] = y
        if name == "selu":  # MindSpore 2.10's SeLU gradient is not the derivative (x < 0
            continue        # gives 0.105 at x = -0.72, finite differences 0.858)

        def fw(v, cell=cell):
            r = cell(v)
            return (r * ops.cos(r)).sum()

        out[name + "_grad"] = ops.grad(fw)(x)
    sm = nn.Softmax2d()
    out["softmax2d"] = sm(x4)
    out["softmax2d_3d"] = sm(x4[0])
    # (no gradient: MindSpore 2.10's CPU softmax over axis -3 differs from finite differences)
    pw = Tensor(np.array([0.1, -0.5, 2.0], np.float32))
    out["prelu"] = ops.prelu(x, pw)
    gx, gw = ops.grad(lambda v, w: (ops.prelu(v, w) * wt).sum(), grad_position=(0, 1))(x, pw)
    out["prelu_gx"] = gx
    out["prelu_gw"] = gw
    return out
