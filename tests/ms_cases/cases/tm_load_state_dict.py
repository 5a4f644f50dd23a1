"""Cell.state_dict / Cell.load_state_dict: keys by attribute path, values copied (cast to
each Parameter's dtype), strict=False reports missing and unexpected keys, and training
goes on from the loaded values."""
import mindspore as ms
import numpy as np
from mindspore import Parameter, Tensor, nn, ops


class Block(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(3, 2)
        self.scale = Parameter(Tensor(np.array([1.5], np.float32)), name="custom_scale")

    def construct(self, x):
        return self.fc(x) * self.scale


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.inner = Block()
        self.head = nn.Dense(2, 1)

    def construct(self, x):
        return self.head(ops.tanh(self.inner(x)))


def _text(s):
    """A string as its character codes (the reference format holds numbers only)."""
    return np.array([ord(c) for c in s], np.float64)


def run():
    out = {}
    net = Net()
    sd = net.state_dict()
    out["keys"] = _text(",".join(sd.keys()))
    rng = np.random.RandomState(0)
    src = {k: Tensor(rng.randn(*v.shape).astype(np.float64)) for k, v in sd.items()}
    r = net.load_state_dict(src)
    out["all_matched"] = _text(str(r))
    for k, v in net.state_dict().items():
        out["p_" + k] = v.asnumpy().copy()
        out["dt_" + k] = _text(str(v.dtype))
    part = {k: v for k, v in src.items() if k != "head.bias"}
    part["extra.w"] = Tensor(np.ones(2, np.float32))
    r2 = net.load_state_dict(part, strict=False)
    out["nonstrict_missing"] = _text(",".join(r2.missing_keys))
    out["nonstrict_unexpected"] = _text(",".join(r2.unexpected_keys))
    r3 = Net().load_state_dict(part, strict=False)
    out["nonstrict_missing_flag"] = float(len(r3.missing_keys))
    x = Tensor(rng.randn(4, 3).astype(np.float32))
    y = Tensor(rng.randn(4, 1).astype(np.float32))
    loss_fn = nn.MSELoss()
    opt = nn.SGD(net.trainable_params(), learning_rate=0.1)

    def fwd(x, y):
        return loss_fn(net(x), y)

    grad_fn = ms.value_and_grad(fwd, None, opt.parameters)
    loss, grads = grad_fn(x, y)
    opt(grads)
    out["loss"] = loss
    for g, p in zip(grads, opt.parameters):
        out["g_" + p.name] = g
    return out
