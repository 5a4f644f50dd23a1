"""ops.vmap of an nn.CellList (model ensembling): every model on the same input
(in_axes=None), model i on batch element i (in_axes=0), out_axes=1, and the gradient of the
ensemble's loss with respect to its input.  (MindSpore 2.10 gives zero gradients for the
members' own Parameters here, as it runs stacked copies of them; autograd_st gives each
member's true gradient: tests/test_vmap.py checks those against each member's own.)"""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class Member(nn.Cell):
    def __init__(self, seed):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.fc = nn.Dense(3, 2, weight_init=Tensor(rng.standard_normal((2, 3)).astype(
            np.float32)), bias_init=Tensor(rng.standard_normal(2).astype(np.float32)))

    def construct(self, x):
        return ops.tanh(self.fc(x))


class Ensemble(nn.Cell):
    def __init__(self):
        super().__init__()
        self.members = nn.CellList([Member(1), Member(2), Member(3)])

    def construct(self, x):
        out = ops.vmap(self.members, in_axes=None)(x)
        return ops.reduce_sum(out * out)


def run():
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((4, 3)).astype(np.float32))
    xs = Tensor(rng.standard_normal((3, 4, 3)).astype(np.float32))
    net = Ensemble()
    cells = net.members
    same = ops.vmap(cells, in_axes=None)(x)
    each = ops.vmap(cells, in_axes=0)(xs)
    each_t = ops.vmap(cells, in_axes=0, out_axes=1)(xs)
    value, grad_x = ops.value_and_grad(net)(x)
    return {"same": same, "each": each, "each_out_axes_1": each_t, "value": value,
            "grad_x": grad_x}
