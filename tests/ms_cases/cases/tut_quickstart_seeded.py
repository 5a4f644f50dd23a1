"""MindSpore's quick-start tutorial (beginner/quick_start.md) as written, with only its data
made here (MNIST-format files: 320 training and 64 test images, MNIST_Data/train holding
only train-*, as MindSpore's download lays it out) and mindspore.set_seed(42): the shuffled
MnistDataset order, the default Dense initial weights, every training loss and the test
results are MindSpore's."""
import os
import struct
import tempfile

import numpy as np
import mindspore
from mindspore import nn
from mindspore.dataset import MnistDataset, transforms, vision


def _write_mnist(folder, prefix, n, r):
    os.makedirs(folder, exist_ok=True)
    labels = r.randint(0, 10, n).astype(np.uint8)
    images = r.randint(0, 60, (n, 28, 28)).astype(np.uint8)
    for i, label in enumerate(labels):  # a learnable pattern: a bright band per class
        images[i, 2 * label:2 * label + 6, 4:24] = 200
    with open(os.path.join(folder, prefix + "-images-idx3-ubyte"), "wb") as f:
        f.write(struct.pack(">IIII", 2051, n, 28, 28) + images.tobytes())
    with open(os.path.join(folder, prefix + "-labels-idx1-ubyte"), "wb") as f:
        f.write(struct.pack(">II", 2049, n) + labels.tobytes())


def datapipe(dataset, batch_size):
    image_transforms = [
        vision.Rescale(1.0 / 255.0, 0),
        vision.Normalize(mean=(0.1307,), std=(0.3081,)),
        vision.HWC2CHW()
    ]
    label_transform = transforms.TypeCast(mindspore.int32)
    dataset = dataset.map(image_transforms, 'image')
    dataset = dataset.map(label_transform, 'label')
    return dataset.batch(batch_size)


class Network(nn.Cell):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.dense_relu_sequential = nn.SequentialCell(
            nn.Dense(28*28, 512),
            nn.ReLU(),
            nn.Dense(512, 512),
            nn.ReLU(),
            nn.Dense(512, 10)
        )

    def construct(self, x):
        x = self.flatten(x)
        logits = self.dense_relu_sequential(x)
        return logits


def run():
    root = tempfile.mkdtemp()
    r = np.random.RandomState(123)
    _write_mnist(os.path.join(root, "MNIST_Data", "train"), "train", 320, r)
    _write_mnist(os.path.join(root, "MNIST_Data", "test"), "t10k", 64, r)
    mindspore.set_seed(42)
    train_dataset = datapipe(MnistDataset(os.path.join(root, "MNIST_Data", "train")), 64)
    test_dataset = datapipe(MnistDataset(os.path.join(root, "MNIST_Data", "test")), 64)
    model = Network()
    loss_fn = nn.CrossEntropyLoss()
    optimizer = nn.SGD(model.trainable_params(), 1e-2)

    def forward_fn(data, label):
        logits = model(data)
        loss = loss_fn(logits, label)
        return loss, logits

    grad_fn = mindspore.value_and_grad(forward_fn, None, optimizer.parameters, has_aux=True)

    def train_step(data, label):
        (loss, _), grads = grad_fn(data, label)
        optimizer(grads)
        return loss

    losses, first_labels = [], []
    for _ in range(2):
        model.set_train()
        for data, label in train_dataset.create_tuple_iterator():
            first_labels.append(int(label.asnumpy()[0]))
            losses.append(float(train_step(data, label).asnumpy()))
    model.set_train(False)
    correct, test_loss = 0, 0.0
    for data, label in test_dataset.create_tuple_iterator():
        pred = model(data)
        test_loss += float(loss_fn(pred, label).asnumpy())
        correct += int((pred.argmax(1) == label).asnumpy().sum())
    return {"losses": np.array(losses), "first_label_of_each_batch": np.array(first_labels, float),
            "test_loss": test_loss, "test_correct": float(correct)}
