"""TextCNN as in the model zoo: nn.Embedding, ops.ExpandDims, three nn.Conv2d with kernel
(k, emb) and pad_mode='pad', ReLU, nn.MaxPool2d over time, ops.Concat, Dropout (eval), Dense,
SoftmaxCrossEntropyWithLogits; plus a Conv1d branch with dilation and groups; the loss, the
gradients and one SGD step with momentum."""
import numpy as np
import mindspore as ms
import mindspore.nn as nn
import mindspore.ops as ops
from mindspore import Tensor


class TextCNN(nn.Cell):
    def __init__(self, vocab_len, word_len, num_classes, vec_length):
        super(TextCNN, self).__init__()
        self.vec_length = vec_length
        self.word_len = word_len
        self.num_classes = num_classes
        self.unsqueeze = ops.ExpandDims()
        self.embedding = nn.Embedding(vocab_len, self.vec_length, embedding_table='normal')
        self.slice = ops.Slice()
        self.layer1 = self.make_layer(kernel_height=3)
        self.layer2 = self.make_layer(kernel_height=4)
        self.layer3 = self.make_layer(kernel_height=5)
        self.concat = ops.Concat(1)
        self.conv1d = nn.Conv1d(vec_length, 4, 3, dilation=2, group=2, pad_mode='pad', padding=2)
        self.fc = nn.Dense(3 * 3 + 4, self.num_classes)
        self.drop = nn.Dropout(p=0.5)
        self.reducemax = ops.ReduceMax(keep_dims=False)

    def make_layer(self, kernel_height):
        return nn.SequentialCell(
            [nn.Conv2d(in_channels=1, out_channels=3, kernel_size=(kernel_height, self.vec_length),
                       pad_mode='pad', padding=(1, 1, 0, 0)),
             nn.ReLU(),
             nn.MaxPool2d(kernel_size=(self.word_len - kernel_height + 3, 1)), ])

    def construct(self, x):
        x = self.embedding(x)
        c = self.conv1d(x.transpose(0, 2, 1))
        c = self.reducemax(ops.tanh(c), 2)
        x = self.unsqueeze(x, 1)
        x1 = self.layer1(x)
        x2 = self.layer2(x)
        x3 = self.layer3(x)
        x1 = self.reducemax(x1, (2, 3))
        x2 = self.reducemax(x2, (2, 3))
        x3 = self.reducemax(x3, (2, 3))
        x = self.concat((x1, x2, x3, c))
        x = self.drop(x)
        return self.fc(x)


def run():
    net = TextCNN(vocab_len=20, word_len=7, num_classes=2, vec_length=4)
    rng = np.random.RandomState(23)
    for name, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    net.set_train(False)
    x = Tensor(rng.randint(0, 20, (3, 7)).astype(np.int32))
    y = Tensor(np.array([1, 0, 1], np.int32))
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction='mean')
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.1, momentum=0.9, use_nesterov=True)

    def forward(x, y):
        return loss(net(x), y)

    grad_fn = ops.value_and_grad(forward, None, net.trainable_params())
    out = {"logits": net(x)}
    for step in range(2):
        l, grads = grad_fn(x, y)
        opt(grads)
        out["loss%d" % step] = l
    for p, g in zip(net.trainable_params(), grads):
        out["grad_" + p.name] = g
        out["after_" + p.name] = p.asnumpy().copy()
    return out
