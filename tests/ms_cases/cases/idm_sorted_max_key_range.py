"""Python's sorted (key=, reverse=, ties), max / min with key= (ties: the first), over a list
of Tensors and over a Tensor's rows, and list(range(n)) with n known only when the code runs,
differentiated in PyNative mode: the gradient flows to the items chosen, where they land."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.array([0.3, -1.2, 0.8, 0.8, 2.0]), ms.float64)
    w = Tensor(np.array([1.5, 0.5]), ms.float64)

    def sorted_list(x):
        s = sorted([x[0] * 2, x[1], x[2], x[3]])
        return s[0] * 1.0 + s[1] * 2.0 + s[2] * 3.0 + s[3] * 4.0

    def sorted_ties_reverse(x):
        s = sorted([x[2], x[0], x[3]], reverse=True)  # x[2] == x[3]: they keep their order
        return s[0] * 1.0 + s[1] * 2.0 + s[2] * 3.0

    def sorted_key(x):
        rows = [x[0:2], x[2:4], x[3:5]]
        s = sorted(rows, key=lambda r: r.sum())
        return (s[0] * 1.0 + s[1] * 2.0 + s[2] * 3.0).sum()

    def sorted_rows(x):
        s = sorted(x)
        return s[0] * 1.0 + s[1] * 2.0 + s[-1] * 3.0

    def max_key(x):
        rows = [x[0:2], x[2:4], x[3:5]]
        m = max(rows, key=lambda r: r.sum())
        return (m * m).sum()

    def min_key_ties(x):
        m = min([x[2], x[3], x[0] + 0.5], key=lambda r: r * r)  # three equal keys
        return m * 2

    def max_key_rows(x):
        return max(x, key=ops.sin) * 2

    def range_list(x, w):
        idx = list(range(int((x > 0).sum())))
        acc = w * 0
        for i in idx[::-1]:
            acc = acc * 0.5 + x[i] * w
        return acc.sum() + len(idx)

    out = {}
    for name, f in [("sorted_list", sorted_list), ("sorted_ties_reverse", sorted_ties_reverse),
                    ("sorted_key", sorted_key), ("sorted_rows", sorted_rows),
                    ("max_key", max_key), ("min_key_ties", min_key_ties),
                    ("max_key_rows", max_key_rows)]:
        v, g = ms.value_and_grad(f)(x)
        out[name] = v
        out[name + "_grad"] = g
    v, (gx, gw) = ms.value_and_grad(range_list, (0, 1))(x, w)
    out["range_list"], out["range_list_gx"], out["range_list_gw"] = v, gx, gw
    return out
