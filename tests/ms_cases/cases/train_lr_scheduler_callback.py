"""Model.train with LearningRateScheduler (the learning rate halved every other step, written
into optimizer.learning_rate) and ops.assign of a learning rate between steps."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
from mindspore.train import Model, Callback, LearningRateScheduler
from mindspore import ops

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
        self.rows.append([p.cur_step_num, float(p.optimizer.learning_rate.asnumpy())])


def halve_every_other(lr, step):
    return lr * 0.5 if step % 2 == 0 else lr


def run():
    net = nn.Dense(3, 2, weight_init=Tensor(np.array([[0.5, -0.3, 0.2], [0.8, -0.6, 0.1]], np.float32)),
                   bias_init=Tensor(np.array([0.1, -0.2], np.float32)))
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.4, momentum=0.5)
    model = Model(net, loss_fn=loss, optimizer=opt)
    data = NumpySlicesDataset((X, Y), column_names=["x", "y"], shuffle=False)
    record = Record()
    model.train(2, data, callbacks=[LearningRateScheduler(halve_every_other), record])
    w_after_train = net.weight.asnumpy().copy()
    ops.assign(opt.learning_rate, Tensor(1.0, ms.float32))
    model.train(1, data)
    return {"rows": np.array(record.rows, np.float64), "w_train": w_after_train,
            "weight": net.weight.asnumpy(), "bias": net.bias.asnumpy()}
