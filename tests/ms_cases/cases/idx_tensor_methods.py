"""The index family's Tensor methods: values, and the gradient of a sum of them
(fill_diagonal outside it: MindSpore has no bprop for FillDiagonal, measured).  Some of
MindSpore's methods write into the Tensor they are called on (index_add, measured), so each
call gets a copy of its own."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x_np = np.array([[1.0, 2.5, -3.0], [4.0, -5.5, 6.0], [0.5, 8.0, -2.0]], np.float32)
    x = Tensor(x_np)
    w = Tensor(np.arange(9, dtype=np.float32).reshape(3, 3) - 4.0)
    rows = Tensor(np.array([2, 0], np.int32))
    mask = Tensor(np.array([[True, False, True], [False, False, True], [True, True, False]]))

    def f(x):
        a = (x * 1.0).index_add(0, rows, x[:2] * 2.0)
        b = (x * 1.0).index_put((rows, Tensor(np.array([1, 2], np.int32))), x[0, :2] * 3.0)
        c = (x * 1.0).masked_scatter(mask, x * 0.5)
        d = (x * 1.0).scatter(1, Tensor(np.array([[2], [0], [1]], np.int64)), x[:, :1] * 4.0)
        e = ((x * 1.0).select_scatter(x[0] * 2.0, 0, 2)
             + (x * 1.0).slice_scatter(x[:, :1], 1, 1, 2))
        g = (x * 1.0).diagonal_scatter(x[0, :2] * -1.0, 1) + (x * 1.0).moveaxis(0, 1)
        h = (x * 1.0).reverse_sequence(Tensor(np.array([2, 3, 1], np.int32)), 1, 0)
        k = (x * 1.0).unsorted_segment_max(Tensor(np.array([1, 0, 1], np.int32)), 2)
        return (((a + b + c + d + e + g + h) * w).sum() + (k * w[:2]).sum()
                + (x * 1.0).ptp(1).sum())

    value, grad = ops.value_and_grad(f)(x)
    return {"value": value, "grad": grad, "ptp": (x * 1.0).ptp(),
            "fill_diagonal": Tensor(x_np).fill_diagonal(0.5),
            "sum_to_size": Tensor(x_np).sum_to_size(1, 3),
            "hsplit": Tensor(x_np).hsplit(3)[1], "resize": Tensor(x_np).resize(2, 5),
            "choose": Tensor(np.array([0, 2, 1], np.int32)).choose(
                [Tensor(x_np[0]), Tensor(x_np[1]), Tensor(x_np[2])]),
            "nonzero": (Tensor(x_np) > 2).nonzero(), "argwhere": (Tensor(x_np) < 0).argwhere(),
            "unique_consecutive": Tensor(np.array([1, 1, 3, 3, 1], np.int32))
            .unique_consecutive(),
            "inplace_update": Tensor(x_np).inplace_update(Tensor(x_np[:1] * 2.0), (1,))}
