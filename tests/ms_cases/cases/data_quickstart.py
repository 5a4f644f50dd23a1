"""MindSpore's quick-start tutorial, unchanged but for fixed initial weights and a small
MNIST folder: MnistDataset -> map(Rescale, Normalize, HWC2CHW) / map(TypeCast) -> batch,
a Dense network trained with value_and_grad + SGD over two epochs of
create_tuple_iterator, then save_checkpoint / load_checkpoint / load_param_into_net into a
new network, whose outputs are compared."""
import os
import tempfile

import numpy as np
import mindspore as ms
from mindspore import nn
from mindspore.dataset import vision, transforms
from mindspore.dataset import MnistDataset


def _folder():
    here = os.getcwd()
    while not os.path.isdir(os.path.join(here, "tests", "fixtures", "mnist")):
        parent = os.path.dirname(here)
        if parent == here:
            raise FileNotFoundError("run from the repository: tests/fixtures/mnist")
        here = parent
    return os.path.join(here, "tests", "fixtures", "mnist")


def datapipe(dataset, batch_size):
    image_transforms = [
        vision.Rescale(1.0 / 255.0, 0),
        vision.Normalize(mean=(0.1307,), std=(0.3081,)),
        vision.HWC2CHW()
    ]
    label_transform = transforms.TypeCast(ms.int32)

    dataset = dataset.map(image_transforms, 'image')
    dataset = dataset.map(label_transform, 'label')
    dataset = dataset.batch(batch_size)
    return dataset


class Network(nn.Cell):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.dense_relu_sequential = nn.SequentialCell(
            nn.Dense(28 * 28, 16),
            nn.ReLU(),
            nn.Dense(16, 10)
        )

    def construct(self, x):
        x = self.flatten(x)
        logits = self.dense_relu_sequential(x)
        return logits


def _fixed(model):
    rng = np.random.default_rng(0)
    for p in model.trainable_params():
        p.set_data(ms.Tensor(rng.normal(0.0, 0.05, p.shape).astype(np.float32)))


def run():
    out = {}
    folder = _folder()
    train_dataset = datapipe(MnistDataset(folder, usage="train", shuffle=False), 2)
    test_dataset = datapipe(MnistDataset(folder, usage="test", shuffle=False), 3)
    model = Network()
    _fixed(model)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = nn.SGD(model.trainable_params(), 1e-2)

    def forward_fn(data, label):
        logits = model(data)
        loss = loss_fn(logits, label)
        return loss, logits

    grad_fn = ms.value_and_grad(forward_fn, None, optimizer.parameters, has_aux=True)

    def train_step(data, label):
        (loss, _), grads = grad_fn(data, label)
        optimizer(grads)
        return loss

    losses = []
    for _ in range(2):
        model.set_train()
        for data, label in train_dataset.create_tuple_iterator():
            losses.append(train_step(data, label).asnumpy())
    out["losses"] = np.array(losses)
    model.set_train(False)
    for data, label in test_dataset.create_tuple_iterator():
        out["test_logits"] = model(data)
        out["test_labels"] = label
    path = os.path.join(tempfile.mkdtemp(), "model.ckpt")
    ms.save_checkpoint(model, path)
    restored = Network()
    param_dict = ms.load_checkpoint(path)
    param_not_load, ckpt_not_load = ms.load_param_into_net(restored, param_dict)
    out["not_loaded"] = float(len(param_not_load) + len(ckpt_not_load))
    out["n_params"] = float(len(param_dict))
    for data, _ in test_dataset.create_tuple_iterator():
        out["restored_logits"] = restored(data)
    return out
