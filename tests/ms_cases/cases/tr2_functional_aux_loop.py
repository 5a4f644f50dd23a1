"""The 2.x tutorial's functional training loop, imports aside unchanged: a GeneratorDataset
(random-accessible source) -> map -> batch, a Cell, ``value_and_grad(forward_fn, None,
optimizer.parameters, has_aux=True)`` and ``optimizer(grads)``, SGD with momentum, nesterov and
weight decay; the losses and logits over two epochs, the final weights, then a test loop."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops
import mindspore.dataset as ds


class Source:
    def __init__(self):
        rng = np.random.default_rng(7)
        self.x = rng.normal(size=(10, 4)).astype(np.float32)
        self.y = (self.x[:, 0] + self.x[:, 1] > 0).astype(np.int32)

    def __getitem__(self, i):
        return self.x[i], self.y[i]

    def __len__(self):
        return len(self.x)


class Network(nn.Cell):
    def __init__(self):
        super().__init__()
        self.dense1 = nn.Dense(4, 5)
        self.relu = nn.ReLU()
        self.dense2 = nn.Dense(5, 2)

    def construct(self, x):
        return self.dense2(self.relu(self.dense1(x)))


def datapipe(batch_size):
    dataset = ds.GeneratorDataset(Source(), ["data", "label"], shuffle=False)
    dataset = dataset.map(lambda x: x * 2.0, "data")
    return dataset.batch(batch_size)


def run():
    model = Network()
    rng = np.random.default_rng(0)
    for p in model.trainable_params():
        p.set_data(ms.Tensor(rng.normal(0.0, 0.5, p.shape).astype(np.float32)))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = nn.SGD(model.trainable_params(), learning_rate=0.1, momentum=0.9,
                       nesterov=True, weight_decay=0.01)

    def forward_fn(data, label):
        logits = model(data)
        loss = loss_fn(logits, label)
        return loss, logits

    grad_fn = ms.value_and_grad(forward_fn, None, optimizer.parameters, has_aux=True)

    def train_step(data, label):
        (loss, _), grads = grad_fn(data, label)
        optimizer(grads)
        return loss

    train_dataset = datapipe(4)
    out = {"size": float(train_dataset.get_dataset_size())}
    losses = []
    for _ in range(2):
        model.set_train()
        for data, label in train_dataset.create_tuple_iterator():
            losses.append(float(train_step(data, label).asnumpy()))
    out["losses"] = np.array(losses)
    model.set_train(False)
    total, correct, test_loss = 0, 0, 0.0
    for item in datapipe(5).create_dict_iterator():
        pred = model(item["data"])
        total += len(item["data"])
        test_loss += float(loss_fn(pred, item["label"]).asnumpy())
        correct += float((pred.argmax(1) == item["label"]).asnumpy().sum())
    out["accuracy"] = correct / total
    out["test_loss"] = test_loss
    for name, p in model.parameters_and_names():
        out["w/" + name] = p.asnumpy()
    out["moments"] = np.concatenate([m.asnumpy().ravel() for m in optimizer.accum])
    return out
