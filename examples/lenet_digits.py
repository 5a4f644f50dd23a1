"""A LeNet-style CNN (Conv2d -> ReLU -> MaxPool2d, twice, then two Dense layers) trained on
scikit-learn's 8x8 digits with ``Model``; only the imports differ from MindSpore code.

    python examples/lenet_digits.py [EPOCHS]   # about a minute here; held-out accuracy >= 98%
"""
import sys

import numpy as np
from _common import LossCurve, digits, save_curve

import autograd_st as ms
import autograd_st.dataset as ds
from autograd_st import nn
from autograd_st.train import LossMonitor, Model


class LeNet(nn.Cell):
    def __init__(self, num_class=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, pad_mode="same")
        self.conv2 = nn.Conv2d(16, 32, 3, pad_mode="same")
        self.relu = nn.ReLU()
        self.max_pool2d = nn.MaxPool2d(kernel_size=2, stride=2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Dense(32 * 2 * 2, 64)
        self.fc2 = nn.Dense(64, num_class)

    def construct(self, x):
        x = self.max_pool2d(self.relu(self.conv1(x)))
        x = self.max_pool2d(self.relu(self.conv2(x)))
        x = self.flatten(x)
        x = self.relu(self.fc1(x))
        return self.fc2(x)


def main(epochs=20, batch_size=32, plot="lenet_digits_loss.png", seed=1, limit=None):
    """Train, evaluate and plot; ``limit``: train on the first rows only (a quick run)."""
    ms.set_seed(seed)
    x_train, y_train, x_test, y_test = digits(seed=seed)
    x_train, y_train = x_train[:limit], y_train[:limit]
    images = lambda x: x.reshape(-1, 1, 8, 8).astype(np.float32)  # noqa: E731 - NCHW
    train = ds.NumpySlicesDataset((images(x_train), y_train), column_names=["image", "label"],
                                  shuffle=True).batch(batch_size)
    test = ds.NumpySlicesDataset((images(x_test), y_test), column_names=["image", "label"],
                                 shuffle=False).batch(batch_size)
    net = LeNet()
    model = Model(net, nn.CrossEntropyLoss(), nn.Adam(net.trainable_params(), 2e-3),
                  metrics={"accuracy"})
    curve = LossCurve()
    model.train(epochs, train, callbacks=[LossMonitor(per_print_times=train.get_dataset_size()),
                                          curve])
    accuracy = model.eval(test)["accuracy"]
    print("held-out accuracy: %.4f" % accuracy)
    if plot:
        save_curve(curve.losses, plot, "LeNet-style CNN on the 8x8 digits")
    return accuracy, curve.losses


if __name__ == "__main__":
    main(epochs=int(sys.argv[1]) if len(sys.argv) > 1 else 20)
