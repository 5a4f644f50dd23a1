"""Model.fit with a validation set: History, EarlyStopping (stopping on a metric that stops
improving, best weights restored), what a callback sees at each epoch end (metrics,
eval_results with eval_loss) and how often its eval hooks run."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
from mindspore.train import Model, Callback, Accuracy, Loss, History, EarlyStopping

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
        self.eval_steps = 0

    def on_eval_step_end(self, run_context):
        self.eval_steps += 1

    def on_train_epoch_end(self, run_context):
        p = run_context.original_args()
        r = p.get("eval_results", {})
        self.rows.append([p.cur_epoch_num, p.cur_step_num, p.batch_num, float(r.get("eval_loss", -1.0)),
                          float(r.get("accuracy", -1.0)), float(p.metrics["loss"]) if p.get("metrics") else -1.0])


def run():
    net = nn.Dense(3, 2, weight_init=Tensor(np.array([[0.5, -0.3, 0.2], [0.8, -0.6, 0.1]], np.float32)),
                   bias_init=Tensor(np.array([0.1, -0.2], np.float32)))
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.5, momentum=0.9)
    model = Model(net, loss_fn=loss, optimizer=opt, metrics={"accuracy": Accuracy(), "loss": Loss()})
    train = NumpySlicesDataset((X, Y), column_names=["x", "y"], shuffle=False)
    valid = NumpySlicesDataset((X[::-1].copy(), 1 - Y[::-1]), column_names=["x", "y"], shuffle=False)
    history, record = History(), Record()
    stop = EarlyStopping(monitor="eval_loss", patience=1, restore_best_weights=True)
    model.fit(8, train, valid, valid_frequency=1, callbacks=[history, record, stop])
    return {"epochs": np.array(history.epoch["epoch"], np.float64),
            "net_output": np.array(history.history["net_output"], np.float64),
            "h_accuracy": np.array(history.history["accuracy"], np.float64),
            "h_loss": np.array(history.history["loss"], np.float64),
            "rows": np.array(record.rows, np.float64), "eval_steps": record.eval_steps,
            "stopped": stop.stopped_epoch, "best": float(stop.best),
            "weight": net.weight.asnumpy(), "bias": net.bias.asnumpy()}
