"""Cell.register_backward_pre_hook: hook_fn(cell, grad_output) runs when the gradient of the
Cell's output arrives (grad_output a tuple); a tuple it returns replaces that gradient, None
keeps it; several run in the order registered; with a forward hook that changes the output,
grad_output is the gradient of the changed output; together with register_backward_hook."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, nn, ops


class Net(nn.Cell):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def construct(self, x):
        return (self.inner(x * 2) * x).sum()


def run():
    out = {}
    seen = []
    x = Tensor(np.array([0.5, -1.0, 0.25], np.float32))  # (tanh far from saturating)

    inner = nn.Tanh()
    inner.register_backward_pre_hook(lambda cell, g: (seen.append(g[0].asnumpy().copy()), (g[0] * 3,))[1])
    inner.register_backward_pre_hook(lambda cell, g: (seen.append(g[0].asnumpy().copy()), None)[1])
    out["scaled"] = ops.grad(Net(inner))(x).asnumpy()
    out["first_sees"], out["second_sees"] = seen[0], seen[1]
    seen.clear()

    inner2 = nn.Tanh()
    inner2.register_forward_hook(lambda cell, inputs, o: o + o)
    inner2.register_backward_pre_hook(lambda cell, g: seen.append(g[0].asnumpy().copy()))
    inner2.register_backward_hook(
        lambda cell, gi, go: seen.append((gi[0].asnumpy().copy(), go[0].asnumpy().copy())))
    out["with_forward_hook"] = ops.grad(Net(inner2))(x).asnumpy()
    out["pre_sees"] = seen[0]
    out["backward_grad_input"], out["backward_grad_output"] = seen[1]
    out["eager_value"] = Net(inner2)(x).asnumpy()
    return out
