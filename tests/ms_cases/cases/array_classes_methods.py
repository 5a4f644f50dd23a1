"""Primitive classes as model code writes them in __init__ (Split, Concat, Stack, Tile,
GatherD, Gather, ArgMaxWithValue, TopK, Sort, CumSum, ReduceProd, ReduceMin, Pad, Flatten,
Triu, Select, MaskedFill) and Tensor methods (max(dim), argmax, split, chunk, gather, sort,
topk, tile, cumsum, flip, narrow, swapaxes, unsqueeze, expand_as, masked_fill, prod, tril)
in a Cell under value_and_grad: the value and the gradients."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.split = ops.Split(1, 2)
        self.concat = ops.Concat(1)
        self.stack = ops.Stack(0)
        self.tile = ops.Tile()
        self.gather_d = ops.GatherD()
        self.gather = ops.Gather()
        self.argmax_v = ops.ArgMaxWithValue(axis=1, keep_dims=False)
        self.topk = ops.TopK(sorted=True)
        self.sort = ops.Sort(axis=0, descending=True)
        self.cumsum = ops.CumSum(reverse=True)
        self.reduce_prod = ops.ReduceProd(keep_dims=True)
        self.reduce_min = ops.ReduceMin()
        self.pad = ops.Pad(((1, 0), (0, 2)))
        self.flatten = ops.Flatten()
        self.triu = ops.Triu(1)
        self.select = ops.Select()
        self.masked_fill = ops.MaskedFill()
        self.index = Tensor(np.array([[0, 3], [2, 2], [1, 0]], np.int64))
        self.rows = Tensor(np.array([2, 0, 2], np.int32))
        self.mask = Tensor(np.array([[True, False, True, False], [False, True, True, False],
                                     [True, True, False, True]]))

    def construct(self, x, y):
        a, b = self.split(x)
        c = self.concat((b, a * y[:, :2]))
        d = self.stack([a, b]).sum()
        e = self.tile(a, (2, 3))
        g = self.gather_d(x, 1, self.index) + self.gather(y, self.rows, 0)[:, :2]
        i, v = self.argmax_v(x)
        tv, ti = self.topk(x * y, 2)
        sv, si = self.sort(x)
        h = self.cumsum(x, 1) + self.reduce_prod(y, 0) - self.reduce_min(x, 1).reshape(3, 1)
        p = self.flatten(self.pad(x).reshape(4, 3, 2))
        q = self.triu(x) + self.select(self.mask, x, y) + self.masked_fill(y, self.mask,
                                                                           Tensor(0.5, ms.float32))
        mv, mi = x.max(1)
        s1, s2 = x.split([1, 3], 1)
        c1, c2 = y.chunk(2, 1)
        m = (x.gather(1, self.index) * y.gather(self.rows, 0)[:, :2]).sum() \
            + x.sort(descending=True)[0][:, 0].sum() + x.topk(1)[0].sum() \
            + x.tile((1, 2)).sum() * 0.1 + (x.cumsum(0) * y).sum() + (x.flip((1,)) * y).sum() \
            + x.narrow(1, 1, 2).sum() + (x.swapaxes(0, 1).unsqueeze(0) * 2.0).sum() \
            + (x[0].expand_as(x) * y).sum() + x.masked_fill(self.mask, 1.0).prod(1).sum() \
            + (y.tril() * x).sum() + (s1 * s2).sum() + (c1 * c2).sum() + (mv * mv).sum()
        return (ops.sum(c * c) + d + ops.sum(ops.sin(e)) + ops.sum(g * g) + ops.sum(v * v)
                + ops.sum(ops.sin(tv)) + ops.sum(sv * sv) + ops.sum(ops.sin(h)) + ops.sum(p * p)
                + ops.sum(ops.sin(q)) + m)


def run():
    x = Tensor(np.array([[0.5, -1.0, 2.0, 0.3], [0.1, 0.2, -0.3, 1.5],
                         [1.1, -0.7, 0.4, 0.9]], np.float32))
    y = Tensor(np.array([[1.2, 0.4, -0.6, 0.8], [-0.5, 1.3, 0.7, 0.2],
                         [0.9, -1.1, 0.6, 1.4]], np.float32))
    net = Net()
    value, (gx, gy) = ops.value_and_grad(net, (0, 1))(x, y)
    i, v = net.argmax_v(x)
    return {"value": value, "grad_x": gx, "grad_y": gy, "argmax_index": i, "argmax_value": v,
            "argmax_method": x.argmax(1), "max_method_index": x.max(1)[1]}
