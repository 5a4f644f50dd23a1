"""ops.dropout's masks under mindspore.set_seed are MindSpore's own: each call a new op with
the next op seeds of the "dropout" kernel (shared with nn.Dropout's), an op seed of its own
(seed=7) stepping separately, ops.Dropout(keep_prob, Seed0, Seed1) as one stream through its
calls, and the masks inside a gradient of a Cell that calls ops.dropout, twice."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, nn, ops


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(5, 4)

    def construct(self, x):
        return ops.dropout(ops.tanh(self.fc(x)), 0.4).sum()


def run():
    out = {}
    ms.set_seed(1)
    x = Tensor(np.ones((3, 5), np.float32))
    out["first"] = ops.dropout(x, 0.5).asnumpy()
    out["second"] = ops.dropout(x, 0.5).asnumpy()
    layer = nn.Dropout(p=0.3)  # takes the next op seeds of the same kernel
    layer.set_train()
    out["layer"] = layer(x).asnumpy()
    out["after_layer"] = ops.dropout(x, 0.2).asnumpy()
    out["op_seed_7"] = ops.dropout(x, 0.4, seed=7).asnumpy()
    out["op_seed_7_again"] = ops.dropout(x, 0.4, seed=7).asnumpy()
    out["float64_other_shape"] = ops.dropout(Tensor(np.ones((2, 7), np.float64)), 0.5).asnumpy()
    out["not_training"] = ops.dropout(x, 0.5, training=False).asnumpy()
    op = ops.Dropout(0.6, 3, 5)
    out["prim_out_1"], out["prim_mask_1"] = [v.asnumpy() for v in op(x)]
    out["prim_out_2"], out["prim_mask_2"] = [v.asnumpy() for v in op(x)]

    ms.set_seed(2)
    net = Net()
    r = np.random.RandomState(0)
    a = Tensor(r.randn(6, 5).astype(np.float32))
    grad_fn = ms.value_and_grad(net, 0, net.trainable_params())
    for k in range(2):
        loss, (gx, (gw, gb)) = grad_fn(a)
        out["loss_%d" % k] = float(loss.asnumpy())
        out["gx_%d" % k] = gx.asnumpy()
        out["gw_%d" % k] = gw.asnumpy()
        out["gb_%d" % k] = gb.asnumpy()
    return out
