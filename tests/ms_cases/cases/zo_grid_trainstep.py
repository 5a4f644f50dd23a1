"""Zoo patterns (written here): a YOLO-style grid from ops.tuple_to_array(range(w)) and the
input's shape inside a loss, trained one step by a TrainOneStepCell subclass with its own
construct (self.grad with sens, clip, optimizer): loss and the weights after the step."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class Head(nn.Cell):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 2, 1, has_bias=True, weight_init="ones", bias_init="zeros")

    def construct(self, x, target):
        p = self.conv(x)
        h, w = ops.shape(p)[2], ops.shape(p)[3]
        gx = ops.cast(ops.tuple_to_array(range(w)), ms.float32)
        gy = ops.cast(ops.tuple_to_array(range(h)), ms.float32)
        size = ops.cast(ops.tuple_to_array((w, h)), ms.float32)
        xy = (ops.sigmoid(p[:, 0]) + gx.reshape((1, 1, -1))) / size[0]
        yy = (ops.sigmoid(p[:, 1]) + gy.reshape((1, -1, 1))) / size[1]
        return ((xy - target[:, 0]) ** 2 + (yy - target[:, 1]) ** 2).mean()


class Step(nn.TrainOneStepCell):
    def construct(self, x, target):
        loss = self.network(x, target)
        sens = ops.Fill()(ops.DType()(loss), ops.Shape()(loss), self.sens)
        grads = self.grad(self.network, self.weights)(x, target, sens)
        grads = self.grad_reducer(grads)
        grads = tuple(ops.clip_by_value(g, -0.05, 0.05) for g in grads)
        self.optimizer(grads)
        return loss


def run():
    rs = np.random.RandomState(0)
    x = Tensor(rs.randn(2, 2, 3, 4).astype(np.float32))
    target = Tensor(rs.rand(2, 2, 3, 4).astype(np.float32))
    net = Head()
    step = Step(net, nn.Momentum(net.trainable_params(), 0.1, 0.9), sens=2.0)
    loss = step(x, target)
    loss2 = step(x, target)
    return {"loss": loss, "loss2": loss2, "weight": net.conv.weight, "bias": net.conv.bias}
