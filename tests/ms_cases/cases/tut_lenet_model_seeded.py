"""LeNet-5 trained with Model.train for two epochs (LossMonitor-style callback, Momentum,
SoftmaxCrossEntropyWithLogits, Accuracy) on MNIST-format files made here, through
MindSpore's usual pipeline (Resize, Rescale, HWC2CHW, TypeCast, shuffle(64), batch), under
mindspore.set_seed(7): one iterator through the epochs reshuffles each epoch, and every
loss, the accuracy and the trained weights are MindSpore's."""
import os
import struct
import tempfile

import numpy as np
import mindspore as ms
from mindspore import Model, nn
from mindspore.common.initializer import Normal
from mindspore.dataset import MnistDataset, transforms, vision
from mindspore.train import Accuracy, Callback

# float32 sums in another order, through 12 momentum steps: the weights agree to about 1e-3
# of their size (the losses to 1e-6); a different shuffle or initial weight would differ by
# far more
TOLERANCE = (5e-3, 2e-4)


def _write_mnist(folder, prefix, n, r):
    os.makedirs(folder, exist_ok=True)
    labels = r.randint(0, 10, n).astype(np.uint8)
    images = r.randint(0, 60, (n, 28, 28)).astype(np.uint8)
    for i, label in enumerate(labels):
        images[i, 2 * label:2 * label + 6, 4:24] = 200
    with open(os.path.join(folder, prefix + "-images-idx3-ubyte"), "wb") as f:
        f.write(struct.pack(">IIII", 2051, n, 28, 28) + images.tobytes())
    with open(os.path.join(folder, prefix + "-labels-idx1-ubyte"), "wb") as f:
        f.write(struct.pack(">II", 2049, n) + labels.tobytes())


def create_dataset(path, batch_size=32):
    d = MnistDataset(path)
    d = d.map([vision.Resize((32, 32), interpolation=vision.Inter.LINEAR),
               vision.Rescale(1.0 / 0.3081, -1 * 0.1307 / 0.3081),
               vision.Rescale(1.0 / 255.0, 0.0), vision.HWC2CHW()], "image")
    d = d.map(transforms.TypeCast(ms.int32), "label")
    return d.shuffle(buffer_size=64).batch(batch_size, drop_remainder=True)


class LeNet5(nn.Cell):
    def __init__(self, num_class=10, num_channel=1):
        super().__init__()
        self.conv1 = nn.Conv2d(num_channel, 6, 5, pad_mode='valid')
        self.conv2 = nn.Conv2d(6, 16, 5, pad_mode='valid')
        self.fc1 = nn.Dense(16 * 5 * 5, 120, weight_init=Normal(0.02))
        self.fc2 = nn.Dense(120, 84, weight_init=Normal(0.02))
        self.fc3 = nn.Dense(84, num_class, weight_init=Normal(0.02))
        self.relu = nn.ReLU()
        self.max_pool2d = nn.MaxPool2d(kernel_size=2, stride=2)
        self.flatten = nn.Flatten()

    def construct(self, x):
        x = self.max_pool2d(self.relu(self.conv1(x)))
        x = self.max_pool2d(self.relu(self.conv2(x)))
        x = self.flatten(x)
        x = self.relu(self.fc1(x))
        x = self.relu(self.fc2(x))
        return self.fc3(x)


class Record(Callback):
    def __init__(self):
        super().__init__()
        self.losses = []

    def on_train_step_end(self, run_context):
        self.losses.append(float(run_context.original_args().net_outputs.asnumpy()))


def run():
    root = tempfile.mkdtemp()
    r = np.random.RandomState(5)
    _write_mnist(os.path.join(root, "train"), "train", 192, r)
    _write_mnist(os.path.join(root, "test"), "t10k", 64, r)
    ms.set_seed(7)
    net = LeNet5()
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    opt = nn.Momentum(net.trainable_params(), 0.05, 0.9)
    model = Model(net, loss, opt, metrics={"Accuracy": Accuracy()})
    record = Record()
    model.train(2, create_dataset(os.path.join(root, "train")), callbacks=[record],
                dataset_sink_mode=False)
    acc = model.eval(create_dataset(os.path.join(root, "test")), dataset_sink_mode=False)
    return {"losses": np.array(record.losses), "accuracy": float(acc["Accuracy"]),
            "fc3_weight": net.fc3.weight.asnumpy(), "conv1_weight": net.conv1.weight.asnumpy()}
