"""A GRU sequence model: each 8x8 digit read as a sequence of 8 rows of 8 pixels by
``nn.GRU`` (batch_first), its last hidden state classified by a Dense layer; trained with a
custom training step (``ops.value_and_grad`` + an optimizer), as MindSpore tutorials write
it.  Only the imports differ from MindSpore code.

    python examples/gru_digits.py [EPOCHS]   # about a minute here
"""
import sys

import numpy as np
from _common import digits, save_curve

import autograd_st as ms
import autograd_st.dataset as ds
from autograd_st import nn, ops

try:
    from tqdm import tqdm
except ImportError:  # plain text without it
    tqdm = None


class GRUClassifier(nn.Cell):
    def __init__(self, hidden=64, num_class=10):
        super().__init__()
        self.gru = nn.GRU(8, hidden, num_layers=1, batch_first=True)
        self.fc = nn.Dense(hidden, num_class)

    def construct(self, x):
        output, h_n = self.gru(x)  # output: (batch, 8 rows, hidden)
        return self.fc(output[:, -1, :])


def main(epochs=15, batch_size=32, plot="gru_digits_loss.png", seed=0, limit=None):
    """Train, evaluate and plot; ``limit``: train on the first rows only (a quick run)."""
    ms.set_seed(seed)
    x_train, y_train, x_test, y_test = digits(seed=seed)
    x_train, y_train = x_train[:limit], y_train[:limit]
    rows = lambda x: x.reshape(-1, 8, 8).astype(np.float32)  # noqa: E731 - (batch, T, features)
    train = ds.NumpySlicesDataset((rows(x_train), y_train), column_names=["rows", "label"],
                                  shuffle=True).batch(batch_size)
    net = GRUClassifier()
    loss_fn = nn.CrossEntropyLoss()
    optimizer = nn.Adam(net.trainable_params(), 5e-3)

    def forward(data, label):
        return loss_fn(net(data), label)

    grad_fn = ops.value_and_grad(forward, None, optimizer.parameters)

    def train_step(data, label):
        loss, grads = grad_fn(data, label)
        optimizer(grads)
        return loss

    losses = []
    net.set_train()
    for epoch in range(epochs):
        steps = train.create_tuple_iterator()
        if tqdm is not None and sys.stderr.isatty():  # a progress bar where one can be seen
            steps = tqdm(steps, total=train.get_dataset_size(), desc="epoch %d" % (epoch + 1),
                         leave=False)
        for data, label in steps:
            losses.append(float(train_step(data, label).asnumpy()))
        print("epoch %d: loss %.4f" % (epoch + 1, np.mean(losses[-train.get_dataset_size():])))
    net.set_train(False)
    logits = net(ms.Tensor(rows(x_test))).asnumpy()
    accuracy = float((logits.argmax(1) == y_test).mean())
    print("held-out accuracy: %.4f" % accuracy)
    if plot:
        save_curve(losses, plot, "GRU over the rows of the 8x8 digits")
    return accuracy, losses


if __name__ == "__main__":
    main(epochs=int(sys.argv[1]) if len(sys.argv) > 1 else 15)
