"""A 3-D conv net's training step written with the primitive classes model-zoo code uses
(ops.Conv3D, ops.MaxPool3D, ops.AvgPool3D) and nn.Linear (MindSpore 2.10's class, the same
as mint.nn.Linear): its loss and the gradients of every parameter, then one SGD step's new
loss; plus LinSpace, ScalarCast, tuple_len and Tensor.addmm/arctan2/allclose/type on the
way, as scripts call them."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter


class Net3D(nn.Cell):
    def __init__(self):
        super().__init__()
        rng = np.random.default_rng(3)
        self.w1 = Parameter(Tensor((rng.standard_normal((4, 2, 2, 3, 2)) * 0.3)
                                   .astype(np.float32)), name="w1")
        self.conv = ops.Conv3D(4, (2, 3, 2), pad_mode="pad", pad=(1, 0, 1, 1, 0, 1))
        self.maxpool = ops.MaxPool3D(2, (1, 2, 2), pad_mode="SAME")
        self.avgpool = ops.AvgPool3D(2, 2, pad_mode="pad", pad=1, count_include_pad=False)
        self.fc = nn.Linear(4 * 3 * 2 * 2, 3, weight_init="normal", bias_init="zeros")

    def construct(self, x, y):
        h = ops.relu(self.conv(x, self.w1))
        h = self.avgpool(self.maxpool(h))
        h = ops.reshape(h, (h.shape[0], -1))
        logits = self.fc(h)
        return ops.reduce_mean((logits - y) ** 2)


def run():
    ms.set_seed(5)
    rng = np.random.default_rng(7)
    out = {}
    x = Tensor(rng.standard_normal((2, 2, 4, 6, 5)).astype(np.float32))
    y = Tensor(rng.standard_normal((2, 3)).astype(np.float32))
    net = Net3D()
    params = net.trainable_params()
    loss, grads = ops.value_and_grad(net, None, params)(x, y)
    out["loss"] = loss
    for p, g in zip(params, grads):
        out["g_" + p.name] = g
        p.set_data(p - 0.1 * g)
    out["loss_after"] = net(x, y)

    out["linspace"] = ops.LinSpace()(Tensor(-1.0, ms.float32), Tensor(2.0, ms.float32), 7)
    out["scalar_cast"] = ops.ScalarCast()(-3.7, ms.int64) + ops.tuple_len((x, y, x))
    a = Tensor(np.ones((2, 3), np.float32))
    m1 = Tensor(np.arange(8, dtype=np.float32).reshape(2, 4))
    m2 = Tensor(np.arange(12, dtype=np.float32).reshape(4, 3))
    out["addmm"] = a.addmm(m1, m2, beta=2, alpha=0.5)
    out["arctan2"] = m1.arctan2(m1 - 3.5)
    out["allclose"] = int(a.allclose(a + 1e-9)) + 2 * int(a.allclose(a + 0.1))
    out["type"] = a.type(ms.int32) * 3
    out["long"] = Tensor(np.array([1.7, -2.2]), ms.long)
    return out
