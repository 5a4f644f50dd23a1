"""ops.Slice / ops.slice and ops.StridedSlice / ops.strided_slice the way zoo models use them
(BERT's pooler takes token 0 with StridedSlice and shrink_axis_mask; sequence crops with
Slice and size -1), eagerly and under ops.grad: the values, the shapes for each mask, and the
gradients (zero outside the slice).  MindSpore 2.10 cannot differentiate a Slice with size -1
("For 'SliceGrad', the value of size can not be negative") nor a negative stride ("The int
value(-1) is less than 0"): those forms are checked eagerly only (autograd_st differentiates
both).  An ellipsis first with fewer specs than axes (``ellipsis_mask=1``, begin (0, 1), end
(1, 3) on 3-D) gives x[..., 0:2] in MindSpore, not numpy's x[..., 1:3]: left out (with as
many specs as axes, or the ellipsis in the middle, MindSpore agrees with numpy)."""
import numpy as np
import mindspore as ms
from mindspore import ops, nn, Tensor


class Pooler(nn.Cell):
    def __init__(self):
        super().__init__()
        self.slice = ops.StridedSlice(shrink_axis_mask=2)
        self.crop = ops.Slice()
        self.dense = nn.Dense(5, 3, activation='tanh')

    def construct(self, h):
        first = self.slice(h, (0, 0, 0), (h.shape[0], 1, h.shape[2]), (1, 1, 1))
        tail = self.crop(h, (0, 2, 1), (3, 2, 3))
        rev = ops.strided_slice(h, (0, 1, 0), (2, 4, 5), (1, 2, 2))
        head = ops.slice(h, (1, 0, 0), (1, 2, 5))
        return self.dense(first).sum() + (tail * tail).sum() + (rev * 3.0).sum() + head.max()


def run():
    rng = np.random.RandomState(37)
    x = Tensor(rng.standard_normal((3, 4, 5)).astype(np.float32))
    net = Pooler()
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    gx, gw = ops.grad(net, 0, net.trainable_params())(x)
    out = {"value": net(x), "gx": gx, "gw": gw[0], "gb": gw[1]}
    ss = ops.StridedSlice
    out["plain"] = ss()(x, (0, 1, 0), (3, 4, 5), (2, 2, 2))
    out["shrink"] = ss(shrink_axis_mask=2)(x, (0, 1, 0), (3, 2, 5), (1, 1, 1))
    out["begin_end"] = ss(begin_mask=1, end_mask=4)(x, (2, 1, 3), (3, 3, 1), (1, 1, 1))
    out["new_axis"] = ss(new_axis_mask=2)(x, (0, 0, 0), (3, 1, 5), (1, 1, 1))
    out["ellipsis_mid"] = ss(ellipsis_mask=2)(x, (1, 0, 2), (3, 1, 4), (1, 1, 1))
    out["ellipsis_first"] = ss(ellipsis_mask=1)(x, (0, 1, 1), (1, 3, 3), (1, 1, 1))
    out["neg_stride"] = ops.strided_slice(x, (0, -1), (3, -5), (1, -1))
    out["slice_tensor_bounds"] = ops.Slice()(x, Tensor([1, 0, 0]), Tensor([1, 2, 2]))
    out["slice_rest"] = ops.slice(x, (1, 0, 2), (2, -1, 2))
    out["crop_rest"] = ops.Slice()(x, (0, 2, 1), (-1, -1, 3))
    out["rev"] = ops.strided_slice(x, (0, -1, 0), (2, -5, 5), (1, -1, 2))
    return out
