"""MindSpore's quickstart (a Dense network trained with ``Model``), on scikit-learn's 8x8
digits through ``NumpySlicesDataset``: only the imports differ from MindSpore code.

    python examples/quickstart_digits.py [EPOCHS]   # about 15 s here; held-out accuracy >= 97%
"""
import sys

from _common import LossCurve, digits, save_curve

import autograd_st as ms
import autograd_st.dataset as ds
from autograd_st import nn
from autograd_st.train import LossMonitor, Model


class Network(nn.Cell):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.dense_relu_sequential = nn.SequentialCell(
            nn.Dense(64, 256), nn.ReLU(), nn.Dropout(p=0.3),
            nn.Dense(256, 128), nn.ReLU(), nn.Dropout(p=0.3),
            nn.Dense(128, 10))

    def construct(self, x):
        x = self.flatten(x)
        return self.dense_relu_sequential(x)


def main(epochs=40, batch_size=32, plot="quickstart_digits_loss.png", seed=3, limit=None):
    """Train, evaluate and plot; ``limit``: train on the first rows only (a quick run)."""
    ms.set_seed(seed)
    x_train, y_train, x_test, y_test = digits(seed=seed)
    x_train, y_train = x_train[:limit], y_train[:limit]
    train = ds.NumpySlicesDataset((x_train, y_train), column_names=["image", "label"],
                                  shuffle=True).batch(batch_size)
    test = ds.NumpySlicesDataset((x_test, y_test), column_names=["image", "label"],
                                 shuffle=False).batch(batch_size)
    net = Network()
    model = Model(net, nn.CrossEntropyLoss(), nn.Adam(net.trainable_params(), 1e-3),
                  metrics={"accuracy"})
    curve = LossCurve()
    model.train(epochs, train, callbacks=[LossMonitor(per_print_times=train.get_dataset_size()),
                                          curve])
    accuracy = model.eval(test)["accuracy"]
    print("held-out accuracy: %.4f" % accuracy)
    if plot:
        save_curve(curve.losses, plot, "quickstart: Dense network on the 8x8 digits")
    return accuracy, curve.losses


if __name__ == "__main__":
    main(epochs=int(sys.argv[1]) if len(sys.argv) > 1 else 40)
