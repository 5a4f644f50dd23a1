"""Tensor in-place methods (add_, mul_) inside a jitted construct under grad,
in GRAPH_MODE: the in-place value is what later code reads and differentiates; an input
written in place is the caller's Tensor, written."""
import numpy as np
import mindspore as ms
from mindspore import nn, grad


class OnInput(nn.Cell):
    def construct(self, x, y):
        x.add_(y)
        return x * 2


class OnTemp(nn.Cell):
    def construct(self, x, y):
        z = x * y
        w = z * x
        z.mul_(y)
        z.add_(w, alpha=0.5)
        return (z * x).sum()


def _jit(net):
    net.construct = ms.jit(net.construct, backend="ms_backend")
    return net


def run():
    ms.set_context(mode=ms.GRAPH_MODE)
    try:
        out = {}
        y = ms.tensor(np.array([3.0, 4.0, -1.0], np.float32))
        x = ms.tensor(np.array([2.0, 1.0, 0.5], np.float32))
        dx, dy = grad(_jit(OnInput()), grad_position=(0, 1))(x, y)
        out.update(on_input_dx=dx, on_input_dy=dy, on_input_x_after=x)
        for name, cls in (("on_temp", OnTemp),):  # (in a loop, MindSpore 2.10's graph drops the write)
            x = ms.tensor(np.array([2.0, 1.0, 0.5], np.float32))
            net = _jit(cls())
            out[name + "_value"] = net(x, y)
            dx, dy = grad(net, grad_position=(0, 1))(x, y)
            out.update({name + "_dx": dx, name + "_dy": dy})
        return out
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)
