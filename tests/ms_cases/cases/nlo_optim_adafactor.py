"""nn.AdaFactor (MindSpore 2.10's CPU FusedAdaFactor): four steps on fixed gradients with the
relative step, a manual learning rate with weight decay and no parameter scale, warm-up, and
no first moment; every Parameter the optimizer holds, by name (without a first moment
MindSpore holds one unnamed placeholder: only the parameters are compared there)."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor, Parameter


def run():
    rs = np.random.RandomState(22)
    grads = [(rs.standard_normal((2, 3)).astype(np.float32),
              rs.standard_normal((3,)).astype(np.float32)) for _ in range(4)]
    configs = {
        "af": lambda ps: nn.AdaFactor(ps),
        "af_lr_wd": lambda ps: nn.AdaFactor(ps, learning_rate=0.05, relative_step=False,
                                            scale_parameter=False, weight_decay=0.1,
                                            clip_threshold=0.5, decay_rate=0.6),
        "af_warmup": lambda ps: nn.AdaFactor(ps, warmup_init=True, eps=(1e-20, 1e-2),
                                             beta1=0.5),
        "af_nob1": lambda ps: nn.AdaFactor(ps, beta1=None),
    }
    out = {}
    for name, make in configs.items():
        w = Parameter(Tensor(np.array([[0.5, -1.0, 0.2], [2.0, 0.1, -0.4]], np.float32)),
                      name="w")
        b = Parameter(Tensor(np.array([0.3, -0.2, 0.0], np.float32)), name="b")
        opt = make([w, b])
        for gw, gb in grads:
            opt((Tensor(gw), Tensor(gb)))
        params = opt.get_parameters() if name != "af_nob1" else [w, b]
        for p in params:
            out["%s/%s" % (name, p.name)] = p.asnumpy()
    return out
