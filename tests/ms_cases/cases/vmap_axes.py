"""ops.vmap's in_axes (None, tuples, nested tuples, negative axes) and out_axes (tuples,
nested, negative, None for an output that is not mapped), numbers and scalar outputs."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def mul(x, y):
    return x * y


def pair(x):
    return x * 2, x.sum()


def nested_out(x):
    return (x, (x * 2, x.sum()))


def keep_second(x, y):
    return x * 2, y


def tuple_arg(p, y):
    return p[0] * p[1] + y


def scaled(x, s):
    return x * s


def with_number(x):
    return x, 2


def run():
    x = Tensor(np.arange(6, dtype=np.float32).reshape(3, 2))
    b = Tensor(np.array([1.5, -2.0], np.float32))
    m = Tensor(np.arange(24, dtype=np.float32).reshape(3, 2, 4) / 10)
    a1, s1 = ops.vmap(pair, out_axes=(1, 0))(x)
    n0, (n1, n2) = ops.vmap(nested_out, out_axes=(0, (1, 0)))(x)
    k0, k1 = ops.vmap(keep_second, in_axes=(0, None), out_axes=(1, None))(x, b)
    _, two = ops.vmap(with_number)(x)
    return {
        "in_none": ops.vmap(mul, in_axes=(0, None))(x, b),
        "in_list": ops.vmap(mul, in_axes=[0, None])(x, b),
        "in_neg": ops.vmap(mul, in_axes=(-1, None))(ops.transpose(x, (1, 0)), b),
        "in_1": ops.vmap(mul, in_axes=1)(m, m),
        "out_neg": ops.vmap(scaled, in_axes=(0, None), out_axes=-1)(m, 3.0),
        "pair_a": a1, "pair_s": s1, "nested_0": n0, "nested_1": n1, "nested_2": n2,
        "keep_0": k0, "keep_1": k1,
        "tuple_arg": ops.vmap(tuple_arg, in_axes=((0, None), 0))((x, b), x),
        "number_out": two,
    }
