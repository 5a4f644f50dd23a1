"""A user-written training Cell of the 2.x docs: TrainOneStepCell subclassed with
GradOperation(get_by_list=True, sens_param=True), gradient clipping by global norm,
ops.depend; Model(train_net) with no loss function (the network trains itself) and an
eval callback calling Model.eval each epoch; dataset_sink_mode=False explicit."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor
import mindspore.dataset as ds
from mindspore.train import Model, Callback, Loss


class ClipTrainStep(nn.TrainOneStepCell):
    def __init__(self, network, optimizer, clip_norm=0.5):
        super().__init__(network, optimizer)
        self.grad = ops.GradOperation(get_by_list=True, sens_param=True)
        self.clip_norm = clip_norm

    def construct(self, *inputs):
        loss = self.network(*inputs)
        sens = ops.fill(loss.dtype, loss.shape, 1.0)
        grads = self.grad(self.network, self.weights)(*inputs, sens)
        grads = ops.clip_by_global_norm(grads, self.clip_norm)
        loss = ops.depend(loss, self.optimizer(grads))
        return loss


class EvalEachEpoch(Callback):
    def __init__(self, model, data):
        super().__init__()
        self.model = model
        self.data = data
        self.results = []

    def on_train_epoch_end(self, run_context):
        p = run_context.original_args()
        res = self.model.eval(self.data, dataset_sink_mode=False)
        self.results.append([p.cur_epoch_num, float(res["mse"])])


class Losses(Callback):
    def __init__(self):
        super().__init__()
        self.rows = []

    def on_train_step_end(self, run_context):
        self.rows.append(float(run_context.original_args().net_outputs.asnumpy()))


def run():
    rng = np.random.default_rng(31)
    x = rng.normal(size=(12, 4)).astype(np.float32)
    y = (np.tanh(x[:, :1] * 2.0) + x[:, 1:2]).astype(np.float32)
    net = nn.SequentialCell([nn.Dense(4, 6), nn.Tanh(), nn.Dense(6, 1)])
    for p in net.trainable_params():
        p.set_data(Tensor(rng.normal(0.0, 0.7, p.shape).astype(np.float32)))
    loss_net = nn.WithLossCell(net, nn.MSELoss())
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.1, momentum=0.9)
    train_net = ClipTrainStep(loss_net, opt, clip_norm=0.5)
    model = Model(train_net)
    eval_model = Model(net, loss_fn=nn.MSELoss(), metrics={"mse": Loss()})
    valid = ds.NumpySlicesDataset((x[:6], y[:6]), ["x", "y"], shuffle=False).batch(3)
    cb = EvalEachEpoch(eval_model, valid)
    losses = Losses()
    model.train(3, ds.NumpySlicesDataset((x, y), ["x", "y"], shuffle=False).batch(4),
                callbacks=[cb, losses], dataset_sink_mode=False)
    out = {"losses": np.array(losses.rows), "eval": np.array(cb.results)}
    for name, p in net.parameters_and_names():
        out["w/" + name] = p.asnumpy()
    out["moments0"] = opt.moments[0].asnumpy()
    return out
