"""Model.fit with ReduceLROnPlateau on eval_loss and on the training loss: the learning rate
at each epoch end and the weights."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
from mindspore.train import Model, Callback, Accuracy, Loss, ReduceLROnPlateau

try:
    import mindspore.dataset as ds
    NumpySlicesDataset = ds.NumpySlicesDataset
except (ImportError, AttributeError):  # a stand-in with the interface Model uses
    class NumpySlicesDataset:
        def __init__(self, data, column_names=None, shuffle=True):
            self.data = data

        def get_dataset_size(self):
            return len(self.data[0])

        def create_tuple_iterator(self, num_epochs=-1, output_numpy=False):
            for i in range(self.get_dataset_size()):
                yield tuple(Tensor(col[i]) for col in self.data)


X = np.array([[1.0, 2.0, -1.0], [0.5, -1.5, 2.0], [-0.3, 0.8, 0.4], [1.1, 0.2, -0.7],
              [-1.2, 0.4, 0.9], [0.3, -0.6, -1.1]], np.float32).reshape(3, 2, 3)
Y = np.array([0, 1, 1, 0, 1, 0], np.int32).reshape(3, 2)


class Record(Callback):
    def __init__(self):
        super().__init__()
        self.rows = []

    def on_train_epoch_end(self, run_context):
        p = run_context.original_args()
        self.rows.append([p.cur_epoch_num, float(p.optimizer.learning_rate.asnumpy())])


def fit(monitor, patience, cooldown, lr):
    net = nn.Dense(3, 2, weight_init=Tensor(np.array([[0.5, -0.3, 0.2], [0.8, -0.6, 0.1]], np.float32)),
                   bias_init=Tensor(np.array([0.1, -0.2], np.float32)))
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    opt = nn.Momentum(net.trainable_params(), learning_rate=lr, momentum=0.9)
    model = Model(net, loss_fn=loss, optimizer=opt, metrics={"accuracy": Accuracy(), "loss": Loss()})
    train = NumpySlicesDataset((X, Y), column_names=["x", "y"], shuffle=False)
    valid = NumpySlicesDataset((X[::-1].copy(), 1 - Y[::-1]), column_names=["x", "y"], shuffle=False)
    record = Record()
    reduce = ReduceLROnPlateau(monitor=monitor, factor=0.5, patience=patience, cooldown=cooldown,
                               min_lr=0.05)
    model.fit(6, train, valid, callbacks=[reduce, record])
    return np.array(record.rows, np.float64), net.weight.asnumpy()


def run():
    rows1, w1 = fit("eval_loss", 1, 1, 0.5)
    rows2, w2 = fit("loss", 0, 0, 0.3)
    return {"rows1": rows1, "w1": w1, "rows2": rows2, "w2": w2}
