"""A LayerNorm subclass that calls its ``self.layer_norm`` primitive on channels-first input
(transposed to channels-last and back), under value_and_grad by input and weights."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class ChannelsFirstNorm(nn.LayerNorm):
    def __init__(self, channels):
        super().__init__(normalized_shape=(channels,), epsilon=1e-6)

    def construct(self, x):
        x = ops.transpose(x, (0, 2, 3, 1))
        y, mean, var = self.layer_norm(x, self.gamma, self.beta)
        return ops.transpose(y, (0, 3, 1, 2)), mean, var


def run():
    rng = np.random.default_rng(5)
    net = ChannelsFirstNorm(3)
    net.gamma.set_data(Tensor(rng.standard_normal(3).astype(np.float32)))
    net.beta.set_data(Tensor(rng.standard_normal(3).astype(np.float32)))
    x = Tensor(rng.standard_normal((2, 3, 4, 5)).astype(np.float32))
    w = Tensor(rng.standard_normal((2, 3, 4, 5)).astype(np.float32))
    y, mean, var = net(x)

    def loss(x):
        out, m, v = net(x)
        return (out * w).sum() + (m * m).sum() + v.sum()

    value, (gx, (gg, gb)) = ms.value_and_grad(loss, 0, net.trainable_params())(x)
    return {"y": y, "mean": mean, "var": var, "value": value, "gx": gx, "ggamma": gg,
            "gbeta": gb}
