"""Model.train with loss_scale_manager=FixedLossScaleManager(drop_overflow_update=False): the
loss gradient scaled by the manager, undone by the optimizer's loss_scale (run 1) or not
(run 2: the steps are 4x larger)."""
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


def train(opt_scale):
    net = nn.Dense(3, 2, weight_init=Tensor(np.array([[0.5, -0.3, 0.2], [0.8, -0.6, 0.1]], np.float32)),
                   bias_init=Tensor(np.array([0.1, -0.2], np.float32)))
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    opt = nn.SGD(net.trainable_params(), learning_rate=0.05, loss_scale=opt_scale)
    model = Model(net, loss_fn=loss, optimizer=opt,
                  loss_scale_manager=ms.FixedLossScaleManager(4.0, drop_overflow_update=False))
    data = NumpySlicesDataset((X, Y), column_names=["x", "y"], shuffle=False)
    record = Record()
    model.train(1, data, callbacks=[record])
    return np.array(record.rows, np.float64), net.weight.asnumpy(), net.bias.asnumpy()


def run():
    steps1, w1, b1 = train(4.0)
    steps2, w2, b2 = train(1.0)
    return {"steps1": steps1, "w1": w1, "b1": b1, "steps2": steps2, "w2": w2, "b2": b2}
