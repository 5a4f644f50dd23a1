"""A Cell's bprop returning gradients that do not fit its inputs (MindSpore 2.10 PyNative),
with check_bprop=False (the default: a broadcast shape is summed, the dtype cast, a wrong
count or shape raises RuntimeError) and check_bprop=True (TypeError for the count, a
non-Tensor or the dtype; ValueError for the shape).  Follows test_user_define_bprop_check.py
and test_cell_bprop.py::test_grad_mul_add_with_wrong_output_*."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
from mindspore.ops import GradOperation


def one(ret):
    class One(nn.Cell):
        def construct(self, x):
            return x * 2

        def bprop(self, x, out, dout):
            return ret(x, dout)
    return One()


def two(ret):
    class Two(nn.Cell):
        def construct(self, x, y):
            return x * 2 + y

        def bprop(self, x, y, out, dout):
            return ret(x, dout)
    return Two()


def raises(fn, cls, words):
    try:
        fn()
    except cls as exc:
        return 1.0 + float(all(w in str(exc) for w in words))
    return 0.0


def run():
    ga = GradOperation(get_all=True)
    gas = GradOperation(get_all=True, sens_param=True)
    x3 = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
    y3 = Tensor(np.array([4.0, 5.0, 6.0], np.float32))
    x23 = Tensor(np.ones((2, 3), np.float32))
    f32 = np.float32
    out = {}
    ms.set_context(mode=ms.PYNATIVE_MODE, check_bprop=False)
    try:
        out["lax_sum_leading"] = ga(one(lambda x, d: (Tensor(np.arange(6, dtype=f32).reshape(2, 3)),)))(x3)[0]
        out["lax_sum_ones_axis"] = ga(one(lambda x, d: (Tensor(np.arange(3, dtype=f32).reshape(1, 3)),)))(x3)[0]
        g = ga(one(lambda x, d: (Tensor(np.array([1.5, 2.5, 3.5], np.float64)),)))(x3)[0]
        out["lax_cast_f64"] = g
        out["lax_cast_f64_is_f32"] = float(g.dtype == ms.float32)
        g = ga(one(lambda x, d: (Tensor(np.ones(3, f32) * 1.5),)))(Tensor(np.ones(3, np.int32)))[0]
        out["lax_cast_to_int"] = g
        out["lax_cast_to_int_is_i32"] = float(g.dtype == ms.int32)
        g = ga(one(lambda x, d: (Tensor(np.ones(3, f32)),)))(Tensor(np.ones(3, np.float16)))[0]
        out["lax_cast_to_f16_is_f16"] = float(g.dtype == ms.float16)
        out["lax_none_is_zero"] = ga(one(lambda x, d: (None,)))(x3)[0]
        out["lax_bare_tensor"] = ga(one(lambda x, d: d * 3))(x3)[0]
        out["lax_list"] = ga(one(lambda x, d: [d * 4]))(x3)[0]
        r = ga(two(lambda x, d: (d, d * 2, d * 3)))(x3, y3)
        out["lax_extra_ignored_0"] = r[0]
        out["lax_extra_ignored_1"] = r[1]
        out["lax_too_few"] = raises(lambda: ga(two(lambda x, d: (d,)))(x3, y3), RuntimeError, ["1", "2"])
        out["lax_shape_23_for_3"] = raises(lambda: ga(one(lambda x, d: (Tensor(np.ones(3, f32)),)))(x23), RuntimeError, ["(2, 3)"] if False else [])
        out["lax_shape_13_for_23"] = raises(lambda: ga(one(lambda x, d: (Tensor(np.ones((1, 3), f32)),)))(x23), RuntimeError, [])
        out["lax_scalar_for_3"] = raises(lambda: ga(one(lambda x, d: (Tensor(f32(4)),)))(x3), RuntimeError, [])
        out["lax_number_for_3"] = raises(lambda: ga(one(lambda x, d: (2.0,)))(x3), RuntimeError, [])
        x = Tensor(np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], np.float32))
        s = Tensor(np.array([[1.0, 2.0, 0.0], [0.0, 3.0, 4.0]], np.float32))
        g16 = Tensor(np.array([[1.1, 2.2, 3.3], [2.0, 3.0, 4.0]], np.float16))
        g = gas(one(lambda x, d: (g16 * 3,)))(x, s)[0]
        out["lax_user_f16_grad"] = g
        out["lax_user_f16_grad_is_f32"] = float(g.dtype == ms.float32)
        ms.set_context(check_bprop=True)
        g23 = Tensor(np.array([[1.1, 2.2, 3.3], [2.0, 3.0, 4.0]], np.float32))
        out["strict_ok"] = gas(one(lambda x, d: (g23 * 3,)))(x, s)[0]
        out["strict_dtype"] = raises(lambda: gas(one(lambda x, d: (g16 * 3,)))(x, s), TypeError, ["same dtype", "0th"])
        g22 = Tensor(np.array([[1.1, 2.2], [2.0, 3.0]], np.float32))
        out["strict_shape"] = raises(lambda: gas(one(lambda x, d: (g22 * 3,)))(x, s), ValueError, ["same shape", "(2, 3)", "(2, 2)"])
        out["strict_shape_broadcastable"] = raises(lambda: ga(one(lambda x, d: (Tensor(np.ones((2, 3), f32)),)))(x3), ValueError, ["same shape"])
        out["strict_number"] = raises(lambda: ga(two(lambda x, d: (d,)))(x3, y3), TypeError, ["number of return values", "2", "1"])
        out["strict_more"] = raises(lambda: ga(two(lambda x, d: (d, d, d)))(x3, y3), TypeError, ["number of return values"])
        out["strict_not_tensor"] = raises(lambda: ga(two(lambda x, d: (d, 2)))(x3, y3), TypeError, ["should be Tensor", "1th"])
        out["strict_none"] = raises(lambda: ga(one(lambda x, d: (None,)))(x3), TypeError, ["should be Tensor"])
        out["strict_list"] = raises(lambda: ga(one(lambda x, d: [d]))(x3), TypeError, ["should be Tensor"])
        out["strict_bare_tensor"] = ga(one(lambda x, d: d * 3))(x3)[0]
        out["strict_number_input_unchecked"] = ga(two(lambda x, d: (d, d * 5)))(1, y3)[0]
    finally:
        ms.set_context(check_bprop=False)
    return out
