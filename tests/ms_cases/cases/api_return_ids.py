"""grad / value_and_grad with return_ids=True, and get_grad: every gradient paired with its
input's position or its Parameter's name, in MindSpore's nesting (positions, a tuple of
positions, weights alone, one Parameter, both, has_aux without weights and with them)."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, nn


def _flat(prefix, node, out):
    """Each (id, gradient) pair as '<prefix>.<path>.id' (a position, or a name's length) and
    '<prefix>.<path>.grad'; other leaves as '<prefix>.<path>'."""
    if isinstance(node, tuple) and len(node) == 2 and isinstance(node[0], (int, str)) \
            and isinstance(node[1], Tensor):
        key = node[0]
        out[prefix + ".id"] = float(key) if isinstance(key, int) else float(len(key))
        out[prefix + ".grad"] = node[1]
        return
    if isinstance(node, (tuple, list)):
        out[prefix + ".n"] = float(len(node))
        for i, item in enumerate(node):
            _flat("%s.%d" % (prefix, i), item, out)
        return
    out[prefix] = node


def run():
    x = Tensor(np.array([1.0, 2.0], np.float32))
    y = Tensor(np.array([3.0, -4.0], np.float32))

    def f(x, y):
        return (x * y * x).sum()

    def fa(x, y):
        return (x * y).sum(), x + 1

    ms.set_seed(1)
    net = nn.Dense(2, 1, weight_init="ones", bias_init="zeros")
    a = Tensor(np.array([[0.5, -1.5]], np.float32))

    def loss(a):
        return (net(a) ** 2).sum()

    def loss_aux(a):
        return (net(a) ** 2).sum(), a * 2

    out = {}
    _flat("one", ms.grad(f, grad_position=0, return_ids=True)(x, y), out)
    _flat("one_tuple", ms.grad(f, grad_position=(0,), return_ids=True)(x, y), out)
    _flat("both", ms.grad(f, grad_position=(0, 1), return_ids=True)(x, y), out)
    _flat("vg", ms.value_and_grad(f, grad_position=(0, 1), return_ids=True)(x, y), out)
    _flat("aux2", ms.grad(fa, grad_position=(0, 1), has_aux=True, return_ids=True)(x, y), out)
    _flat("w", ms.grad(loss, grad_position=None, weights=net.trainable_params(),
                       return_ids=True)(a), out)
    _flat("w1", ms.grad(loss, grad_position=None, weights=net.weight, return_ids=True)(a), out)
    g = ms.grad(loss, grad_position=0, weights=net.trainable_params(), return_ids=True)(a)
    _flat("pw", g, out)
    out["get.bias"] = ms.get_grad(g, net.bias)
    out["get.weight"] = ms.get_grad(g, net.weight)
    out["get.0"] = ms.get_grad(g, 0)
    _flat("pw_aux", ms.grad(loss_aux, grad_position=0, weights=net.trainable_params(),
                            has_aux=True, return_ids=True)(a), out)
    _flat("vw_aux", ms.value_and_grad(loss_aux, grad_position=None,
                                      weights=net.trainable_params(), has_aux=True,
                                      return_ids=True)(a), out)
    return out
