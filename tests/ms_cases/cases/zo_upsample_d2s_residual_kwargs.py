"""Zoo patterns in one Cell (written here): a conv then ops.DepthToSpace (EDSR's upsampler),
a residual Cell whose construct takes **kwargs and passes them on (ViT), and
Fill(DType(x), Shape(x), 1.0) under Select (YOLOv3's loss): value, input and weight gradients."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter


class Scale(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([0.5, -1.5, 2.0, 1.0], np.float32).reshape(1, 4, 1, 1)),
                           name="w")

    def construct(self, x, power=1):
        return self.w * x ** power


class Residual(nn.Cell):
    def __init__(self, cell):
        super().__init__()
        self.cell = cell

    def construct(self, x, **kwargs):
        return self.cell(x, **kwargs) + x


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3, pad_mode="same", has_bias=True,
                              weight_init="ones", bias_init="zeros")
        self.res = Residual(Scale())
        self.d2s = ops.DepthToSpace(2)

    def construct(self, x):
        y = self.res(self.conv(x), power=2)
        z = self.d2s(y)
        safe = ops.Select()(ops.Equal()(z, 0.0), ops.Fill()(ops.DType()(z), ops.Shape()(z), 1.0), z)
        return (ops.Log()(ops.Abs()(safe) + 1.0) * z).sum()


def run():
    x = Tensor(np.array([[[[0.1, -0.2], [0.3, 0.0]], [[-0.4, 0.5], [0.2, -0.1]]]], np.float32))
    net = Net()
    weights = net.trainable_params()
    value, (gx, gw) = ops.value_and_grad(net, 0, weights)(x)
    out = {"value": value, "grad_x": gx}
    for p, g in zip(weights, gw):
        out["grad_" + p.name] = g
    return out
