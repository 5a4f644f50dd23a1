"""One Tensor passed as several arguments, as self-attention code does (mha(x, x, x)): in
MindSpore 2.10 the gradient at a differentiated position is the whole derivative through
that Tensor (every argument that is it), for ops.grad, value_and_grad with weights and
has_aux, GradOperation(get_all / sens_param) and a Cell."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class SelfAttention(nn.Cell):
    def __init__(self):
        super().__init__()
        ms.set_seed(2)
        self.mha = nn.MultiheadAttention(4, 2, batch_first=True)
        self.out = nn.Dense(4, 1, weight_init="ones", bias_init="zeros")

    def construct(self, q, k, v):
        h, _ = self.mha(q, k, v)
        return self.out(ops.tanh(h)).sum()


def bilinear(a, b, c):
    return (ops.sin(a) * b).sum() + (a * c * c).mean(), a.max()


class Pair(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(3, 3, weight_init="normal", bias_init="zeros")

    def construct(self, x, y):
        return self.fc(x) * ops.exp(y * 0.1)


def run():
    out = {}
    rng = np.random.default_rng(31)
    x = Tensor(rng.normal(size=(2, 3, 4)).astype(np.float32))
    y = Tensor(rng.normal(size=(2, 3, 4)).astype(np.float32))
    net = SelfAttention()
    out["self_attn_q"] = ops.grad(net, 0)(x, x, x)
    out["self_attn_all"] = ops.grad(net, (0, 1, 2))(x, x, x)[1]
    out["cross_attn_kv"] = ops.grad(net, 1)(x, y, y)
    out["distinct"] = ops.grad(net, 0)(x, y, x.copy())
    loss, (gq, gw) = ops.value_and_grad(net, 0, net.trainable_params())(x, x, x)
    out["vg_loss"] = loss
    out["vg_gq"] = gq
    out["vg_gw0"] = gw[0]
    a = Tensor(rng.normal(size=(3, 3)).astype(np.float32))
    (v, aux), g = ops.value_and_grad(bilinear, (0, 2), has_aux=True)(a, a, a)
    out["aux_value"] = v
    out["aux"] = aux
    out["aux_g0"] = g[0]
    out["aux_g2"] = g[1]
    out["grad_12"] = ops.grad(bilinear, (1, 2), has_aux=True)(a, y[0, :, :3], a)[0][1]
    pair = Pair()
    out["gradop_all"] = ops.GradOperation(get_all=True)(pair)(a, a)[0]
    out["gradop_first"] = ops.GradOperation()(pair)(a, a)
    sens = Tensor(rng.normal(size=(3, 3)).astype(np.float32))
    out["gradop_sens"] = ops.GradOperation(sens_param=True)(pair)(a, a, sens)
    gx, gws = ops.GradOperation(get_all=True, get_by_list=True)(pair, pair.trainable_params())(a, a)
    out["gradop_list_x"] = gx[1]
    out["gradop_list_w"] = gws[0]
    return out
