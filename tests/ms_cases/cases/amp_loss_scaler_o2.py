"""The 2.x tutorial's loss-scaled functional loop at amp level O2 (float16, as the tutorial): the forward returns
loss_scaler.scale(loss), grads = loss_scaler.unscale(grads), all_finite(grads) decides the
optimizer step, loss_scaler.adjust(is_finite); one batch holds an inf (a skipped step and a
smaller scale; gradients up to ~30000, within float16);
build_train_network('O3') with and without a FixedLossScaleManager."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
from mindspore.amp import DynamicLossScaler, StaticLossScaler, all_finite
from mindspore.amp import auto_mixed_precision, build_train_network, FixedLossScaleManager

# float16 arithmetic: MindSpore's CPU kernels and numpy round some sums differently
TOLERANCE = (3e-3, 3e-3)


def make():
    net = nn.SequentialCell([nn.Dense(3, 4), nn.ReLU(), nn.Dense(4, 2)])
    rng = np.random.default_rng(19)
    for p in net.trainable_params():
        p.set_data(Tensor(rng.normal(0.0, 0.5, p.shape).astype(np.float32)))
    return net


rng = np.random.default_rng(20)
X = rng.normal(size=(6, 4, 3)).astype(np.float32)
X[3, 0, 0] = np.inf
Y = rng.integers(0, 2, size=(6, 4)).astype(np.int32)


def run():
    out = {}
    model = auto_mixed_precision(make(), "O2")
    loss_fn = nn.CrossEntropyLoss()
    optimizer = nn.Adam(model.trainable_params(), 0.01)
    loss_scaler = DynamicLossScaler(scale_value=2 ** 13, scale_factor=2, scale_window=2)

    def forward_fn(data, label):
        logits = model(data)
        loss = loss_fn(logits, label)
        return loss_scaler.scale(loss), logits

    grad_fn = ms.value_and_grad(forward_fn, None, model.trainable_params(), has_aux=True)
    rows = []
    for i in range(6):
        (loss, _), grads = grad_fn(Tensor(X[i]), Tensor(Y[i]))
        loss = loss_scaler.unscale(loss)
        is_finite = all_finite(grads)
        if is_finite:
            grads = loss_scaler.unscale(grads)
            optimizer(grads)
        loss_scaler.adjust(is_finite)
        rows.append([float(loss.asnumpy()), float(bool(is_finite.asnumpy())),
                     float(loss_scaler.scale_value.asnumpy()),
                     float(loss_scaler.counter.asnumpy())])
    out["loop/rows"] = np.array(rows)
    out["loop/step"] = optimizer.global_step.asnumpy().astype(np.float64)
    for name, p in model.parameters_and_names():
        out["loop/w/" + name] = p.asnumpy()
    static = StaticLossScaler(8)
    out["static/scaled"] = static.scale(Tensor(np.array([0.5, 2.0], np.float32))).asnumpy()
    out["static/adjust"] = float(static.adjust(Tensor(True)))
    for tag, kw in (("plain", {}),
                    ("fixed", {"loss_scale_manager": FixedLossScaleManager(
                        4.0, drop_overflow_update=False)})):
        net = make()
        opt = nn.Momentum(net.trainable_params(), 0.05, 0.9,
                          loss_scale=4.0 if kw else 1.0)
        train = build_train_network(net, opt, nn.CrossEntropyLoss(), level="O3", **kw)
        losses = [float(train(Tensor(X[i]), Tensor(Y[i])).asnumpy()) for i in (0, 1, 2)]
        out[tag + "/losses"] = np.array(losses)
        out[tag + "/w"] = net[0].weight.asnumpy()
    return out
