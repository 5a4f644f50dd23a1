"""ops.InsertGradientOf and ops.HookBackward: what the hooks see and the gradients they make."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    seen = {}

    def double(dx):
        seen["insert_saw"] = dx.asnumpy().copy()
        return dx * 2.0

    def scale_tuple(grad):
        seen["hook_saw"] = grad[0].asnumpy().copy()
        seen["hook_arity"] = float(len(grad))
        return (grad[0] * 10.0,)

    def watch(grad):
        seen["watch_saw"] = grad[0].asnumpy().copy()

    insert = ops.InsertGradientOf(double)
    hook = ops.HookBackward(scale_tuple)
    watcher = ops.HookBackward(watch)

    def f(x):
        y = insert(x * 3.0)
        return ops.sum(y * y)

    def g(x):
        y = hook(ops.sin(x) * 3.0)
        return ops.sum(y * y * x)

    def h(x):
        return ops.sum(watcher(x * 3.0) ** 2)

    x = Tensor(np.array([1.0, 2.0, -0.5], np.float32))
    out = {"insert_grad": ops.grad(f)(x), "hook_grad": ops.grad(g)(x),
           "watch_grad": ops.grad(h)(x), "forward_is_identity": insert(x) - x}
    out.update(seen)
    return out
