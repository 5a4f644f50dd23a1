"""LearningRateSchedule Cells (ExponentialDecayLR, NaturalExpDecayLR, InverseDecayLR,
CosineDecayLR, PolynomialDecayLR, WarmUpLR) evaluated at global steps, and as an
optimizer's learning_rate in the functional loop (Adam, AdamWeightDecay): losses, weights."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor


def run():
    out = {}
    cells = {
        "exp": nn.ExponentialDecayLR(0.1, 0.9, 4),
        "exp_stair": nn.ExponentialDecayLR(0.1, 0.9, 4, is_stair=True),
        "natural": nn.NaturalExpDecayLR(0.1, 0.9, 4, is_stair=True),
        "inverse": nn.InverseDecayLR(0.1, 0.5, 4),
        "cosine": nn.CosineDecayLR(0.01, 0.1, 6),
        "poly": nn.PolynomialDecayLR(0.1, 0.01, 6, 0.5),
        "poly_update": nn.PolynomialDecayLR(0.1, 0.01, 3, 2.0, update_decay_steps=True),
        "warmup": nn.WarmUpLR(0.1, 5),
    }
    for name, cell in cells.items():
        out[name] = np.array([float(cell(Tensor(s, ms.int32)).asnumpy()) for s in range(9)])
    rng = np.random.default_rng(4)
    x = Tensor(rng.normal(size=(6, 3)).astype(np.float32))
    y = Tensor(rng.normal(size=(6, 2)).astype(np.float32))
    for tag, make in (("adam", lambda ps: nn.Adam(ps, learning_rate=nn.CosineDecayLR(0.01, 0.1, 5))),
                      ("adamw", lambda ps: nn.AdamWeightDecay(
                          ps, learning_rate=nn.WarmUpLR(0.05, 3), weight_decay=0.1))):
        net = nn.Dense(3, 2, bias_init="zeros")
        net.weight.set_data(Tensor(rng.normal(0, 0.5, (2, 3)).astype(np.float32)))
        opt = make(net.trainable_params())
        loss_fn = nn.MSELoss()

        def forward(a, b):
            return loss_fn(net(a), b)

        grad_fn = ms.value_and_grad(forward, None, opt.parameters)
        losses, lrs = [], []
        for _ in range(6):
            lrs.append(float(opt.get_lr().asnumpy()))
            loss, grads = grad_fn(x, y)
            opt(grads)
            losses.append(float(loss.asnumpy()))
        out[tag + "/losses"] = np.array(losses)
        out[tag + "/lrs"] = np.array(lrs)
        out[tag + "/w"] = net.weight.asnumpy()
        out[tag + "/b"] = net.bias.asnumpy()
    return out
