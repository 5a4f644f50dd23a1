"""Integer, bool and low-precision dtypes as MindSpore 2.10 gives them (measured in the side
venv; the sweep is tests/ms_cases/cases/dt_sweep_ops.py, the rules autograd_st/promotion.py):
each fixed item's dtype and hand-derived values, eagerly and in generated code, and the
gradients through the ops whose dtype handling changed against central differences."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from helpers import assert_close, fd

import autograd_st as ms
from autograd_st import Tensor, ops

U8 = np.array([[200, 100, 3], [7, 0, 250]], np.uint8)


def test_sum_of_uint8_is_int64_and_uint16_keeps_its_dtype():
    t = Tensor(U8)
    for got in (ops.sum(t), t.sum(), t.sum(1), ops.prod(Tensor(U8[:, :2])), t.prod(0)):
        assert got.dtype == ms.int64
    assert ops.sum(t).item() == 560  # (no wrap: 200 + 100 + 3 + 7 + 0 + 250)
    assert t.sum(1).tolist() == [303, 257]
    assert t.prod(0).tolist() == [1400, 0, 750]
    for dt, name in ((np.uint16, ms.uint16), (np.uint32, ms.uint32)):
        u = Tensor(U8.astype(dt))
        assert ops.sum(u).dtype == name and t.sum().item() == ops.sum(u).item()
        assert u.prod().dtype == name
    for dt in (np.int8, np.int16, np.int32, np.bool_):
        assert ops.sum(Tensor(U8[:, :1].astype(dt))).dtype == ms.int64


def test_cumprod_of_integers_is_int64():
    got = ops.cumprod(Tensor(np.array([3, 5, 250], np.uint8)), 0)
    assert got.dtype == ms.int64 and got.tolist() == [3, 15, 3750]
    assert ops.cumprod(Tensor(np.array([-2, 3], np.int8)), 0).tolist() == [-2, -6]


def test_tensor_cumsum_counts_small_integers_in_int32_ops_cumsum_keeps():
    for dt in (np.int8, np.int16, np.uint8, np.bool_):
        x = Tensor(np.array([1, 1, 1]).astype(dt))
        got = x.cumsum(0)
        assert got.dtype == ms.int32 and got.tolist() == [1, 2, 3]
    u = Tensor(np.array([250, 5, 3], np.uint8))
    assert u.cumsum(0).tolist() == [250, 255, 258]  # (no wrap)
    assert ops.cumsum(u, 0).dtype == ms.uint8
    assert ops.cumsum(u, 0).tolist() == [250, 255, 2]  # (uint8, as MindSpore: wraps)
    assert Tensor(np.array([1, 2], np.uint16)).cumsum(0).dtype == ms.uint16
    assert Tensor(np.array([1, 2], np.int8)).cumsum(0, dtype=ms.float32).dtype == ms.float32


def test_reduce_sum_of_a_bool_mask_is_whether_any_is_true():
    b = Tensor(np.array([[True, False, True], [False, False, False]]))
    assert ops.ReduceSum()(b).dtype == ms.bool_ and ops.ReduceSum()(b).item() is True
    got = ops.ReduceSum(keep_dims=True)(b, 1)
    assert got.dtype == ms.bool_ and got.tolist() == [[True], [False]]
    assert ops.reduce_sum(b, 0).tolist() == [True, False, True]
    assert ops.sum(b).dtype == ms.int64 and ops.sum(b).item() == 2  # (ops.sum counts)
    assert b.sum().item() == 2


@pytest.mark.parametrize("dt", [np.int8, np.int16, np.int32, np.int64])
def test_integers_to_negative_powers(dt):
    e = Tensor(np.array([-3, -2, -1, 0, 1, 2], dt))
    least = {1: 0, 2: 0, 4: -2**31, 8: -2**63}[np.dtype(dt).itemsize]  # 0 ** negative
    cases = {
        "2**e": (2 ** e, [0, 0, 0, 1, 2, 4]),
        "1**e": (1 ** e, [1] * 6),
        "-1**e": ((-1) ** e, [-1, 1, -1, 1, -1, 1]),
        "0**e": (Tensor(np.zeros(6, dt)) ** e, [least] * 3 + [1, 0, 0]),
        "e**e": (e ** e, [0, 0, -1, 1, 1, 4]),   # (-3)**-3, (-2)**-2: 0; (-1)**-1: -1
        "e**-1": (e ** -1, [0, 0, -1, least, 1, 0]),
        "pow(e,-2)": (ops.pow(e, -2), [0, 0, 1, least, 1, 0]),
        "pow(2,e)": (ops.pow(2, e), [0, 0, 0, 1, 2, 4]),
        "e.pow(e)": (e.pow(e), [0, 0, -1, 1, 1, 4]),
    }
    for name, (got, want) in cases.items():
        assert got.asnumpy().dtype == dt, name
        assert got.tolist() == want, name
    assert (2.0 ** Tensor(np.array([-1, 2], np.int32))).tolist() == [0.5, 4.0]


def test_eager_ops_are_silent_where_nan_or_inf_appear_user_numpy_still_warns():
    f = Tensor(np.array([0.0, -1.0, 1.0], np.float32))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log, sq = ops.log(f), ops.sqrt(f)
        q = f / Tensor(np.zeros(3, np.float32))
        m = f.log()
    assert np.isneginf(log.asnumpy()[0]) and np.isnan(log.asnumpy()[1]) and log.asnumpy()[2] == 0
    assert np.isnan(sq.asnumpy()[1]) and np.isnan(q.asnumpy()[0]) and np.isinf(q.asnumpy()[1])
    assert np.isnan(m.asnumpy()[1])
    with pytest.warns(RuntimeWarning):
        np.log(np.array([0.0]))  # (the user's own numpy: its warnings are the user's)


def test_where_and_clamp_of_an_integer_tensor_with_a_float_are_float32():
    t = Tensor(np.array([-2, 0, 3], np.int8))
    got = ops.where(t > 0, t, 0.5)
    assert got.dtype == ms.float32 and got.tolist() == [0.5, 0.5, 3.0]
    got = ops.clip(t, -1.5, 2.5)
    assert got.dtype == ms.float32 and got.tolist() == [-1.5, 0.0, 2.5]
    h = Tensor(np.array([0.5, 1.5, 2.5], np.float16))
    got = ops.where(Tensor(np.array([True, False, True])), h, Tensor(np.array([1, 2, 3],
                                                                               np.int32)))
    assert got.dtype == ms.float16 and got.tolist() == [0.5, 2.0, 2.5]
    assert ops.where(t > 0, t, 0).dtype == ms.int8  # (a Python int: the Tensor's dtype)
    assert (Tensor(np.array([True, False])) ** 2).dtype == ms.int64


def test_generated_code_gives_the_eager_dtypes():
    def f(x, u, b):
        return ((x * x).sum() + ops.sum(u).astype(ms.float32) * ops.sum(x),
                ops.sum(u), u.sum(1), ops.reduce_sum(u), u.cumsum(1), ops.prod(u),
                ops.ReduceSum()(b), ops.where(b, x, 2), ops.where(b, u, 0.5))
    x = Tensor(np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]], np.float32))
    u, b = Tensor(U8), Tensor(U8 > 50)
    direct = f(x, u, b)
    (value, g) = ops.value_and_grad(f, has_aux=True)(x, u, b)
    for d, v in zip(direct, value):
        assert v.dtype == d.dtype
        assert_close(v, d.asnumpy())
    assert [v.dtype for v in value[1:7]] == [ms.int64, ms.int64, ms.uint8, ms.int32,
                                           ms.int64, ms.bool_]
    assert value[1].item() == 560 and value[3].item() == 560 % 256
    # d/dx of sum(x*x) + 560 * sum(x): 2x + 560
    assert_close(g, 2 * x.asnumpy() + 560, 1e-6, 1e-4)

    def h(x):  # (a float sum's code: no cast after it)
        return (x * x).sum()
    assert "int_" + "like" not in ops.grad(h).source(x)


def _f64(a):
    return Tensor(np.asarray(a, np.float64))


def test_gradients_through_the_changed_ops_match_central_differences():
    x0 = np.array([[0.3, -1.2, 2.0], [0.7, 1.1, -0.4]])
    mask = Tensor(np.array([[True, False, True], [False, True, True]]))
    k = Tensor(np.array([[2, -1, 3], [1, 2, -2]], np.int32))

    def f(x):
        s = ops.sum(x * x) + x.sum(1).prod() + ops.reduce_sum(ops.where(mask, x, 0.5))
        c = ops.cumprod(x, 1).sum() + x.cumsum(1).sum() + ops.clip(x, -1.0, 1.5).sum()
        return s + c + (x ** k).sum() + (2.0 ** x).sum()

    def f_np(x):
        m = mask.asnumpy()
        s = np.sum(x * x) + np.prod(x.sum(1)) + np.sum(np.where(m, x, 0.5))
        c = np.cumprod(x, 1).sum() + np.cumsum(x, 1).sum() + np.clip(x, -1.0, 1.5).sum()
        return s + c + (x ** k.asnumpy()).sum() + (2.0 ** x).sum()

    assert_close(f(_f64(x0)), f_np(x0), 1e-12, 1e-12)
    g = ops.grad(f)(_f64(x0))
    assert g.asnumpy().dtype == np.float64
    assert_close(g, fd(f_np, x0), 1e-6, 1e-6)
    # the forward mode (jvp) too, one direction
    v = np.array([[1.0, -0.5, 0.25], [0.5, 2.0, -1.0]])
    _, tangent = ops.jvp(f, _f64(x0), _f64(v))
    want = (f_np(x0 + 1e-6 * v) - f_np(x0 - 1e-6 * v)) / 2e-6
    assert_close(tangent, want, 1e-6, 1e-6)


def test_a_uint8_sum_feeding_a_float_gradient():
    u = Tensor(np.array([200, 100], np.uint8))

    def f(x, u):
        return ops.sum(x) * ops.sum(u).astype(ms.float64) + (x * u.sum()).sum()
    x0 = np.array([0.5, -1.5])
    g = ops.grad(f)(_f64(x0), u)
    assert_close(g, fd(lambda x: x.sum() * 300 + (x * 300).sum(), x0), 1e-6, 1e-6)
