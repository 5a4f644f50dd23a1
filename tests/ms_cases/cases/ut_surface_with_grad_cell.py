"""nn.WithGradCell from mindspore.nn.wrap.cell_wrapper: with a loss, without, and with sens
(issue 17: test_framstruct.py imports WithGradCell, WithLossCell from that path)."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
from mindspore.common.parameter import Parameter
from mindspore.nn.wrap.cell_wrapper import WithGradCell, WithLossCell


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([[1.0, -2.0], [0.5, 3.0]], np.float32)), name="w")
        self.b = Parameter(Tensor(np.array([0.1, -0.2], np.float32)), name="b")

    def construct(self, x):
        return ms.ops.matmul(x, self.w) * self.b + self.w[0]


def run():
    x = Tensor(np.array([[0.3, -1.0], [2.0, 0.5], [1.0, 1.0]], np.float32))
    label = Tensor(np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]], np.float32))
    net = Net()
    g1 = WithGradCell(net, nn.MSELoss())(x, label)
    g2 = WithGradCell(net)(x)
    sens = Tensor(np.array([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]], np.float32))
    g3 = WithGradCell(net, sens=sens)(x)
    loss = WithLossCell(net, nn.MSELoss())(x, label)
    return {"g1_w": g1[0], "g1_b": g1[1], "g2_w": g2[0], "g2_b": g2[1], "g3_w": g3[0],
            "g3_b": g3[1], "loss": loss, "n": len(g1)}
