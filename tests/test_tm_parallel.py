"""AutoParallel (one process) and no_init_parameters: the wrapped gradient Cell gives the
gradient of the bare one, with and without Cell.recompute(), checked by finite differences."""
import numpy as np
import pytest

from autograd_st import Parameter, Tensor, nn, ops
from autograd_st.nn.utils import no_init_parameters
from autograd_st.parallel.auto_parallel import AutoParallel


class Block(nn.Cell):
    def __init__(self, seed):
        super().__init__()
        self.w = Parameter(Tensor(np.random.RandomState(seed).randn(4, 4) * 0.5), name="w")

    def construct(self, x):
        return ops.tanh(ops.matmul(x, self.w))


class Net(nn.Cell):
    def __init__(self, recompute):
        super().__init__()
        self.blocks = nn.CellList([Block(i) for i in range(3)])
        if recompute:
            for b in self.blocks:
                b.recompute()

    def construct(self, x):
        for b in self.blocks:
            x = b(x)
        return (x * x).sum()


class Grad(nn.Cell):
    def __init__(self, net):
        super().__init__()
        self.grad = ops.GradOperation()
        self.net = net

    def construct(self, x):
        return self.grad(self.net)(x)


@pytest.mark.parametrize("recompute", [False, True])
def test_autoparallel_gradient_matches_finite_differences(recompute):
    with no_init_parameters():
        net = Net(recompute)
    wrapped = AutoParallel(Grad(net), parallel_mode="semi_auto")
    wrapped.hsdp()
    wrapped.pipeline(stages=2)
    assert wrapped.get_pipeline_stages() == 2
    x = np.random.RandomState(5).randn(2, 4)
    got = wrapped(Tensor(x)).asnumpy()
    eps, fd = 1e-6, np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e.flat[i] = eps
        fd.flat[i] = (float(net(Tensor(x + e))) - float(net(Tensor(x - e)))) / (2 * eps)
    np.testing.assert_allclose(got, fd, rtol=1e-6, atol=1e-8)


def test_autoparallel_refuses_unknown_mode():
    with pytest.raises(ValueError, match="parallel_mode"):
        AutoParallel(nn.Dense(2, 2), parallel_mode="data_parallel")
