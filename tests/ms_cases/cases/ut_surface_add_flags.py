"""Cell.add_flags(defer_inline=False) then C.GradOperation(get_all=True) (issue 17,
test_framstruct.py::test_grad_if_defer_inline): the flag changes nothing in the numbers."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
from mindspore.ops import composite as C
from mindspore.ops import operations as P


class IfDeferInline(nn.Cell):
    def __init__(self, mul_size):
        super().__init__()
        self.mul_weight = Tensor(np.full(mul_size, 0.6, dtype=np.float32))
        self.mul = P.Mul()

    def construct(self, inputs):
        x = self.mul(inputs, self.mul_weight)
        if True:  # noqa: SIM108 (as the MindSpore test writes it)
            x = x * x
        return x


def run():
    network = IfDeferInline([4, 3])
    returned = network.add_flags(defer_inline=False)
    inp = Tensor(np.arange(12, dtype=np.float32).reshape(4, 3) / 5)
    grads = C.GradOperation(get_all=True)(network)(inp)
    recursive = network.add_flags_recursive(other=1)
    return {"grad": grads[0], "n": len(grads), "same": float(returned is network),
            "same_recursive": float(recursive is network),
            "flag": float(network.defer_inline is False)}
