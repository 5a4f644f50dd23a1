"""Dynamic learning rates as MindSpore 2.x training scripts build them: nn.piecewise_constant_lr,
nn.cosine_decay_lr, nn.warmup_lr, nn.exponential_decay_lr and nn.polynomial_decay_lr
lists, one of them concatenated into a warm-up + decay schedule handed to nn.Momentum with
parameter groups (a group with its own lr list, a weight-decay group chosen by name),
trained with Model.train; the optimizer's lr read back via get_lr_parameter."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor
import mindspore.dataset as ds
from mindspore.train import Model


def run():
    out = {}
    out["piecewise"] = np.array(nn.piecewise_constant_lr([2, 5, 8], [0.1, 0.05, 0.01]))
    out["cosine"] = np.array(nn.cosine_decay_lr(0.01, 0.1, 8, 2, 4))
    out["warmup"] = np.array(nn.warmup_lr(0.1, 6, 2, 3))
    out["exponential"] = np.array(nn.exponential_decay_lr(0.1, 0.9, 8, 2, 2, is_stair=True))
    out["polynomial"] = np.array(nn.polynomial_decay_lr(0.1, 0.01, 8, 2, 3, 0.5,
                                                        update_decay_epoch=True))
    lr = nn.warmup_lr(0.1, 3, 1, 3) + nn.cosine_decay_lr(0.0, 0.1, 5, 1, 5)
    out["combined"] = np.array(lr)
    rng = np.random.default_rng(12)
    x = rng.normal(size=(8, 4)).astype(np.float32)
    y = rng.normal(size=(8, 1)).astype(np.float32)
    net = nn.SequentialCell(
        nn.Dense(4, 6, weight_init=Tensor(rng.normal(0, 0.4, (6, 4)).astype(np.float32)),
                 bias_init="zeros"),
        nn.ReLU(),
        nn.Dense(6, 1, weight_init=Tensor(rng.normal(0, 0.4, (1, 6)).astype(np.float32)),
                 bias_init="zeros"))
    w_params = [p for p in net.trainable_params() if "weight" in p.name]
    b_params = [p for p in net.trainable_params() if "bias" in p.name]
    groups = [{"params": w_params, "weight_decay": 0.05},
              {"params": b_params, "lr": nn.piecewise_constant_lr([4, 8], [0.2, 0.02])}]
    opt = nn.Momentum(groups, learning_rate=lr, momentum=0.8)
    model = Model(net, nn.MSELoss(), opt)
    data = ds.NumpySlicesDataset({"x": x, "y": y}, shuffle=False).batch(2)
    model.train(2, data, dataset_sink_mode=False)
    out["w0"] = net[0].weight.value()
    out["b2"] = net[2].bias.value()
    lrs = opt.get_lr_parameter(w_params + b_params)
    out["lr_params"] = np.array([lp.asnumpy() for lp in lrs])
    out["lr_names"] = np.array([len(lp.name) for lp in lrs])
    out["global_step"] = opt.global_step.value()
    return out
