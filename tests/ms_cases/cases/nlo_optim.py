"""AdaMax, Adadelta, ASGD, Rprop, FTRL, ProximalAdagrad and LazyAdam: four steps on fixed
gradients, then every Parameter the optimizer holds, by name (the checkpoint layout: a state
of another name or shape fails the comparison), with weight decay, loss scale and options."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor, Parameter


def run():
    rs = np.random.RandomState(21)
    grads = [(rs.standard_normal((2, 3)).astype(np.float32),
              rs.standard_normal((3,)).astype(np.float32)) for _ in range(4)]
    grads[2] = (grads[2][0] * 0.0 + grads[1][0] * -1.0, grads[2][1])  # a sign flip (Rprop)
    configs = {
        "adamax": lambda ps: nn.AdaMax(ps, learning_rate=0.05),
        "adamax_wd": lambda ps: nn.AdaMax(ps, learning_rate=0.02, beta1=0.8, beta2=0.95,
                                          eps=1e-3, weight_decay=0.1, loss_scale=2.0),
        "adadelta": lambda ps: nn.Adadelta(ps),
        "adadelta_opts": lambda ps: nn.Adadelta(ps, learning_rate=0.5, rho=0.7, epsilon=1e-3,
                                                weight_decay=0.05),
        "asgd": lambda ps: nn.ASGD(ps, learning_rate=0.1),
        "asgd_t0": lambda ps: nn.ASGD(ps, learning_rate=0.2, lambd=0.01, alpha=0.5, t0=2.0),
        "rprop": lambda ps: nn.Rprop(ps, learning_rate=0.05),
        "rprop_opts": lambda ps: nn.Rprop(ps, learning_rate=0.1, etas=(0.3, 1.5),
                                          step_sizes=(0.02, 0.2), weight_decay=0.1),
        "ftrl": lambda ps: nn.FTRL(ps, learning_rate=0.1),
        "ftrl_l1l2": lambda ps: nn.FTRL(ps, initial_accum=0.5, learning_rate=0.2, lr_power=-0.7,
                                        l1=0.05, l2=0.1, weight_decay=0.01),
        "padagrad": lambda ps: nn.ProximalAdagrad(ps, learning_rate=0.1),
        "padagrad_l1l2": lambda ps: nn.ProximalAdagrad(ps, accum=0.3, learning_rate=0.2, l1=0.05,
                                                       l2=0.1, loss_scale=4.0),
        "lazyadam": lambda ps: nn.LazyAdam(ps, learning_rate=0.05),
        "lazyadam_nesterov": lambda ps: nn.LazyAdam(ps, learning_rate=0.05, use_nesterov=True,
                                                    weight_decay=0.1),
    }
    out = {}
    for name, make in configs.items():
        w = Parameter(Tensor(np.array([[0.5, -1.0, 0.2], [2.0, 0.1, -0.4]], np.float32)),
                      name="w")
        b = Parameter(Tensor(np.array([0.3, -0.2, 0.0], np.float32)), name="b")
        opt = make([w, b])
        for gw, gb in grads:
            opt((Tensor(gw), Tensor(gb)))
        for p in opt.get_parameters():
            out["%s/%s" % (name, p.name)] = p.asnumpy()
    return out
