"""A small transformer classifier as a MindSpore user writes it (nn.Embedding, an
nn.TransformerEncoder of two pre-norm GELU layers with a padding mask, mean pooling, nn.Dense,
nn.SoftmaxCrossEntropyWithLogits(sparse=True), nn.TrainOneStepCell with nn.Momentum), weights set
from numpy: the loss of three training steps and the weights after them.  (Not Adam: the
gradient of the key bias is 0 in exact arithmetic, rounding noise in both, which Adam would
scale up to full steps.)"""
import numpy as np
from mindspore import Tensor, nn, ops


class Classifier(nn.Cell):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(7, 4)
        layer = nn.TransformerEncoderLayer(4, 2, 8, activation="gelu", norm_first=True,
                                           batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)
        self.head = nn.Dense(4, 3)

    def construct(self, ids, pad):
        h = self.encoder(self.embed(ids), src_key_padding_mask=pad)
        return self.head(ops.mean(h, 1))


class WithLoss(nn.Cell):
    def __init__(self, net):
        super().__init__()
        self.net = net
        self.loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")

    def construct(self, ids, pad, label):
        return self.loss(self.net(ids, pad), label)


def run():
    net = Classifier()
    rng = np.random.RandomState(21)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    ids = Tensor(np.array([[1, 2, 3, 0], [4, 5, 6, 2], [3, 3, 1, 0]], np.int32))
    pad = Tensor(np.array([[False, False, False, True], [False] * 4,
                           [False, False, True, True]]))
    label = Tensor(np.array([0, 2, 1], np.int32))
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.1, momentum=0.9)
    step = nn.TrainOneStepCell(WithLoss(net), opt)
    result = {}
    for i in range(3):
        result["loss_%d" % i] = step(ids, pad, label)
    for name, p in net.parameters_and_names():
        result[name] = p.asnumpy()
    return result
