"""The dynamic learning-rate functions of mindspore.nn (lists), as the tutorials build them,
and a Momentum optimizer / Model run driven by one: the lists, the lr each step used
(get_lr from a callback) and the weights."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
import mindspore.dataset as ds
from mindspore.train import Model, Callback


class LrRecorder(Callback):
    def __init__(self):
        super().__init__()
        self.lrs = []

    def on_train_step_begin(self, run_context):
        opt = run_context.original_args().optimizer
        self.lrs.append(float(opt.get_lr().asnumpy()))


def run():
    out = {}
    out["piecewise"] = np.array(nn.piecewise_constant_lr([2, 5, 10], [0.1, 0.05, 0.01]))
    out["exp"] = np.array(nn.exponential_decay_lr(0.1, 0.9, 12, 3, 2))
    out["exp_stair"] = np.array(nn.exponential_decay_lr(0.1, 0.9, 12, 3, 2, is_stair=True))
    out["natural"] = np.array(nn.natural_exp_decay_lr(0.1, 0.9, 12, 3, 2, is_stair=True))
    out["inverse"] = np.array(nn.inverse_decay_lr(0.1, 0.5, 12, 3, 2))
    out["cosine"] = np.array(nn.cosine_decay_lr(0.01, 0.1, 12, 3, 2))
    out["poly"] = np.array(nn.polynomial_decay_lr(0.1, 0.01, 12, 3, 2, 0.5))
    out["poly_update"] = np.array(nn.polynomial_decay_lr(0.1, 0.01, 12, 3, 2, 0.5,
                                                         update_decay_epoch=True))
    out["warmup"] = np.array(nn.warmup_lr(0.1, 12, 3, 2))
    lr = nn.cosine_decay_lr(0.0, 0.2, 8, 4, 2)
    rng = np.random.default_rng(2)
    x = rng.normal(size=(8, 3)).astype(np.float32)
    y = (x @ np.array([[1.0], [-2.0], [0.5]], np.float32)).astype(np.float32)
    net = nn.Dense(3, 1, weight_init=Tensor(np.zeros((1, 3), np.float32)), bias_init="zeros")
    opt = nn.Momentum(net.trainable_params(), learning_rate=lr, momentum=0.9)
    model = Model(net, loss_fn=nn.MSELoss(), optimizer=opt)
    rec = LrRecorder()
    model.train(2, ds.NumpySlicesDataset((x, y), ["x", "y"], shuffle=False).batch(2),
                callbacks=[rec])
    out["used"] = np.array(rec.lrs)
    out["w"] = net.weight.asnumpy()
    out["b"] = net.bias.asnumpy()
    out["step"] = opt.global_step.asnumpy().astype(np.float64)
    return out
