"""table_more's array functions and constructors (rot90, diff, cross, flips, splits, expand,
full_like, tuple_to_array, tril_indices ...): values, and gradients under ops.grad."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.arange(12, dtype=np.float32).reshape(3, 4) * 0.5 - 2.0)
    a = Tensor(np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], np.float32))
    b = Tensor(np.array([[0.5, -1.0, 2.0]], np.float32))
    out = {
        "rot90_1": ops.rot90(x, 1, (0, 1)), "rot90_3": ops.rot90(x, 3, (0, 1)),
        "rot90_2": ops.rot90(x, 2, (1, 0)), "flipud": ops.flipud(x), "fliplr": ops.fliplr(x),
        "ravel": ops.ravel(x), "diff": ops.diff(x), "diff_0": ops.diff(x, 1, 0),
        "cross": ops.cross(a, ops.tile(b, (2, 1)), -1), "repeat_elements": ops.repeat_elements(x, 2, 1),
        "expand": ops.expand(b, Tensor(np.array([2, 3]))),
        "expand_as": ops.expand_as(b, a), "full_like": ops.full_like(x, 2.5),
        "glu": ops.glu(x), "tuple_to_array": ops.tuple_to_array((1, 2, 3)),
        "tuple_to_array_f": ops.tuple_to_array((1.5, 2.5)),
        "scalar_to_tensor": ops.scalar_to_tensor(3),
        "tril_indices": ops.tril_indices(3, 4, 1), "triu_indices": ops.triu_indices(4, 3, -1),
    }
    for i, part in enumerate(ops.tensor_split(x, 3, 1)):
        out["tensor_split_%d" % i] = part
    for i, part in enumerate(ops.tensor_split(x, [1, 3], 1)):
        out["tensor_split_idx_%d" % i] = part
    for i, part in enumerate(ops.vsplit(x, [2])):
        out["vsplit_%d" % i] = part
    for i, part in enumerate(ops.dsplit(x.reshape(1, 2, 6), 3)):
        out["dsplit_%d" % i] = part

    def f(t, u):
        return ops.sum(ops.rot90(t, 1, (0, 1)) * ops.flipud(t).T + ops.diff(t * t, 1, 0).sum()
                       + ops.cross(t[:2, :3], ops.tile(u, (2, 1)), -1).sum() * 0.5 + ops.glu(t).sum())

    gx, gb = ops.grad(f, (0, 1))(x, b)
    out["grad_x"], out["grad_b"] = gx, gb
    return out
