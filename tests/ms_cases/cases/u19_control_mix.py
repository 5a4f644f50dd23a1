"""A user's mix of Python control flow in construct: a while loop on a Tensor condition with
a counter, a for loop with break/continue on Tensor values, a list appended in a loop then
stacked and indexed from the end, a helper returning a dict, a sub-Cell returning (out, aux)
unpacked, and GradOperation(get_all=True, get_by_list=True) over a ParameterTuple."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter, ParameterTuple


def stats(h):
    return {"mean": h.mean(), "sq": (h * h).sum(), "mx": h.max()}


class Block(nn.Cell):
    def __init__(self):
        super().__init__()
        self.dense = nn.Dense(4, 4, weight_init="normal", bias_init="zeros")

    def construct(self, x):
        y = ops.tanh(self.dense(x))
        return y, (y * y).mean()


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([0.3, -0.2, 0.5, 0.1], np.float32)), name="w")
        self.block = Block()

    def construct(self, x, thr):
        h = x
        i = 0
        while ops.reduce_sum(ops.abs(h)) > thr and i < 6:
            h = h * 0.5 + self.w
            i += 1
        outs = []
        for k in range(5):
            if (h * k).sum() > 20.0:
                break
            if k % 2 == 1:
                continue
            h, aux = self.block(h)
            outs.append(h * (k + 1) + aux)
        s = ops.stack(outs)
        d = stats(s[-1])
        n = x.shape[0]
        flat = s.reshape(len(outs), n * 4)
        return d["mean"] + d["sq"] * 0.5 - d["mx"] + flat[0].sum() * 0.1 + i * 0.01


def run():
    ms.set_seed(7)
    net = Net()
    params = ParameterTuple(net.trainable_params())
    x = Tensor(np.linspace(-2.0, 3.0, 12).reshape(3, 4).astype(np.float32))
    thr = Tensor(np.float32(4.0))
    out = {"value": net(x, thr)}
    grads = ops.GradOperation(get_all=True, get_by_list=True)(net, params)(x, thr)
    (gx, gthr), gp = grads
    out["grad_x"] = gx
    out["grad_thr"] = gthr
    for p, g in zip(params, gp):
        out["grad_" + p.name] = g
    # a lower threshold: the while loop runs a different number of times
    thr2 = Tensor(np.float32(1.0))
    out["value_thr1"] = net(x, thr2)
    out["grad_x_thr1"] = ops.grad(net, grad_position=0)(x, thr2)
    return out
