"""Model.train / eval / predict on a small classifier with explicit weights: the loss and
cb_params seen by a callback at every step, the weights after training, the metrics."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
from mindspore.train import Model, Callback, Accuracy, Loss

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

    def on_train_step_end(self, run_context):
        p = run_context.original_args()
        self.rows.append([p.cur_epoch_num, p.cur_step_num, p.batch_num, p.epoch_num,
                          float(p.net_outputs.asnumpy())])


def run():
    net = nn.Dense(3, 2, weight_init=Tensor(np.array([[0.5, -0.3, 0.2], [0.8, -0.6, 0.1]], np.float32)),
                   bias_init=Tensor(np.array([0.1, -0.2], np.float32)))
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.1, momentum=0.9)
    model = Model(net, loss_fn=loss, optimizer=opt, metrics={"accuracy": Accuracy(), "loss": Loss()})
    data = NumpySlicesDataset((X, Y), column_names=["x", "y"], shuffle=False)
    before = model.eval(data)
    record = Record()
    model.train(2, data, callbacks=[record])
    after = model.eval(data)
    return {"acc_before": before["accuracy"], "loss_before": before["loss"],
            "acc_after": after["accuracy"], "loss_after": after["loss"],
            "steps": np.array(record.rows, np.float64),
            "weight": net.weight.asnumpy(), "bias": net.bias.asnumpy(),
            "predict": model.predict(Tensor(X[0]))}
