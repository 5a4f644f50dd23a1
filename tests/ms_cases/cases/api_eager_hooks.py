"""Tensor.register_hook called eagerly, outside the differentiated function: the hook runs on
the gradient returned for that Tensor (an input at a differentiated position, a Parameter
among the weights) and its result is returned instead; a hooked input that is not
differentiated is left alone; hooks run in registration order (None keeps the gradient)."""
import numpy as np
import mindspore as ms
from mindspore import Parameter, Tensor, nn, ops


def f(x, y):
    return (x * x * y).sum()


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name="w")
        self.b = Parameter(Tensor(np.array([0.5], np.float32)), name="b")

    def construct(self, a):
        return (self.w * a + self.b).sum()


def run():
    out = {}
    x = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
    y = Tensor(np.array([4.0, -5.0, 6.0], np.float32))
    seen = []

    def spy(g):
        seen.append(g.asnumpy().copy())
        return g * 2

    handle = x.register_hook(spy)
    out["grad_x"] = ops.grad(f)(x, y).asnumpy()
    out["seen_x"] = seen.pop()
    out["grad_y_only"] = ops.grad(f, grad_position=1)(x, y).asnumpy()
    out["calls_when_not_differentiated"] = float(len(seen))
    dx, dy = ops.grad(f, grad_position=(0, 1))(x, y)
    out["both_dx"], out["both_dy"] = dx.asnumpy(), dy.asnumpy()
    value, dx = ops.value_and_grad(f)(x, y)
    out["value"], out["vg_dx"] = value.asnumpy(), dx.asnumpy()
    sens = Tensor(np.array(3.0, np.float32))
    out["sens_dx"] = ops.GradOperation(sens_param=True)(f)(x, y, sens).asnumpy()
    handle.remove()
    out["removed_dx"] = ops.grad(f)(x, y).asnumpy()

    z = Tensor(np.array([1.0], np.float32))
    z.register_hook(lambda g: g * 3)
    z.register_hook(lambda g: None)
    z.register_hook(lambda g: g + 1)
    out["three_hooks"] = ops.grad(lambda t: (t * 5).sum())(z).asnumpy()

    net = Net()
    net.w.register_hook(lambda g: g * 2)
    a = Tensor(np.array([3.0, 4.0], np.float32))
    dw, db = ops.grad(net, grad_position=None, weights=net.trainable_params())(a)
    out["param_dw"], out["param_db"] = dw.asnumpy(), db.asnumpy()
    (da,), (dw, db) = ops.GradOperation(get_all=True, get_by_list=True)(
        net, net.trainable_params())(a)
    out["gradop_da"], out["gradop_dw"] = da.asnumpy(), dw.asnumpy()

    net2 = Net()
    net2.w.register_hook(lambda g: g * 0)
    step = nn.TrainOneStepCell(net2, nn.SGD(net2.trainable_params(), 0.1))
    out["step_loss"] = step(a).asnumpy()
    out["step_w"], out["step_b"] = net2.w.asnumpy(), net2.b.asnumpy()
    return out
