"""MindSpore names model-zoo scripts call that autograd_st gained in one go: old and alias
names (``ops.GatherV2``, ``ops.LinSpace``, ``ops.ScalarCast``, ``ops.tuple_len``,
``ops.print_``, ``ops.dense``, ``nn.Linear``, ``Tensor.allclose/arctan2/addmm/type``,
``mindspore.long`` ...).  Values are MindSpore 2.10's, measured in the side venv (the
figures in the asserts); every gradient is checked against central differences in float64.
"""
from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close, check_value_and_grads, fd

import autograd_st as ms
from autograd_st import mint, nn, ops
from autograd_st.tensor import Tensor


def test_gatherv2_is_gather_with_the_optional_batch_dims():
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    i = Tensor(np.array([2, 0]), ms.int32)
    # MindSpore 2.10: [[2, 0], [6, 4], [10, 8]], called (x, i, 1) in graph mode and
    # (x, i, 1, 0) in PyNative mode
    assert_close(ops.GatherV2()(Tensor(x), i, 1), [[2, 0], [6, 4], [10, 8]])
    assert_close(ops.GatherV2()(Tensor(x), i, 1, 0), [[2, 0], [6, 4], [10, 8]])

    def f(x, w):
        return ops.sum(ops.GatherV2()(x, Tensor(np.array([2, 0, 2])), 1) * w)
    check_value_and_grads(f, np.random.default_rng(0).standard_normal((3, 4)),
                          np.random.default_rng(1).standard_normal((3, 3)))


def test_linspace_class_takes_its_dtype_from_start():
    out = ops.LinSpace()(Tensor(1, ms.float32), Tensor(10, ms.float32), 5)
    assert out.dtype == ms.float32
    assert_close(out, [1.0, 3.25, 5.5, 7.75, 10.0])
    out = ops.LinSpace()(Tensor(1.0, ms.float64), Tensor(10.0, ms.float64), Tensor(4))
    assert out.dtype == ms.float64
    assert_close(out, [1.0, 4.0, 7.0, 10.0])
    assert_close(ops.LinSpace()(Tensor(1, ms.float32), Tensor(10, ms.float32), 1), [1.0])

    def f(x, w):  # a constant in a gradient: no gradient through it, x's passes
        return ops.sum(x * ops.LinSpace()(Tensor(0.0, ms.float64), Tensor(1.0, ms.float64),
                                          x.shape[0]) * w)
    check_value_and_grads(f, np.arange(1.0, 4.0), np.array([0.5, -1.0, 2.0]))


def test_scalar_cast_as_mindspore():
    cast = ops.ScalarCast()
    # MindSpore 2.10: 3, -3 (toward 0), 3.0, False, True, 1.0
    assert cast(3.7, ms.int64) == 3 and type(cast(3.7, ms.int64)) is int
    assert cast(-3.7, ms.int64) == -3
    assert cast(3, ms.float64) == 3.0 and type(cast(3, ms.float64)) is float
    assert cast(0, ms.bool_) is False and cast(2.5, ms.bool_) is True
    assert cast(True, ms.float64) == 1.0
    with pytest.raises(ValueError, match="supported type"):
        cast(3.7, ms.int32)
    with pytest.raises(TypeError, match="'Tensor'"):
        cast(Tensor(3.5), ms.int64)


def test_tuple_len_and_print_(capsys):
    assert ops.tuple_len((1, 2, 3)) == 3 and ops.tuple_len([1, 2]) == 2
    assert ops.print_("hi", Tensor(np.array([1.0, 2.0], np.float32)), 3) is None
    assert capsys.readouterr().out.splitlines()[0::2] == ["hi", "3"]

    def f(x, w):
        ops.print_("value", ops.tuple_len(x.shape))
        return ops.sum(x * x * w) * ops.tuple_len((x, w))
    x, w = np.array([1.0, -2.0]), np.array([0.5, 3.0])
    check_value_and_grads(f, x, w)
    printed = capsys.readouterr().out.splitlines()
    assert printed and set(printed) == {"value", "1"}  # on every call, at run time


@pytest.mark.parametrize("xs, ws, bias", [((2, 3), (5, 3), True), ((3,), (5, 3), False),
                                          ((2, 2, 3), (4, 3), True), ((2, 3), (3,), False),
                                          ((4, 3), (3,), True)])
def test_dense_shapes_and_gradients(xs, ws, bias):
    rng = np.random.default_rng(len(xs) * 10 + len(ws))
    x, w = rng.standard_normal(xs), rng.standard_normal(ws)
    b = Tensor(rng.standard_normal(ws[:1] if len(ws) == 2 else ())) if bias else None
    want = x @ w.T + (b.asnumpy() if bias else 0)
    assert_close(ops.dense(Tensor(x), Tensor(w), b), want)
    # MindSpore 2.10: (2, 5) of 3 + arange(5) for ones; (5,) of 3; (2, 2, 5); (2,) of 3
    coef = rng.standard_normal(want.shape)

    def f(x, w):
        return ops.sum(ops.dense(x, w, b) * Tensor(coef))
    check_value_and_grads(f, x, w)


def test_dense_matches_mindspores_figures():
    ones = np.ones((2, 3), np.float32)
    out = ops.dense(Tensor(ones), Tensor(np.ones((5, 3), np.float32)),
                    Tensor(np.arange(5, dtype=np.float32)))
    assert_close(out, np.tile([3.0, 4, 5, 6, 7], (2, 1)))
    assert ops.dense(Tensor(np.ones((3,), np.float32)),
                     Tensor(np.ones((5, 3), np.float32))).shape == (5,)
    assert_close(ops.dense(Tensor(ones), Tensor(np.ones((3,), np.float32))), [3.0, 3.0])


def test_nn_linear_is_mint_linear_and_differentiates():
    assert nn.Linear is mint.nn.Linear
    ms.set_seed(3)
    net = nn.Linear(3, 2)
    assert net.weight.shape == (2, 3) and net.bias.shape == (2,)
    assert np.all(np.abs(net.weight.asnumpy()) <= 1 / np.sqrt(3))  # HeUniform(sqrt 5)
    assert np.all(np.abs(net.bias.asnumpy()) <= 1 / np.sqrt(3))
    assert nn.Linear(3, 2, bias=False).bias is None
    assert "input_features=3, output_features=2, has_bias=True" in repr(net)
    net = nn.Linear(3, 2, weight_init=Tensor(np.arange(6.0).reshape(2, 3)),
                    bias_init=Tensor(np.array([0.5, -1.0])))
    x = np.random.default_rng(4).standard_normal((4, 3))
    assert_close(net(Tensor(x)), x @ np.arange(6.0).reshape(2, 3).T + [0.5, -1.0])
    coef = np.random.default_rng(5).standard_normal((4, 2))
    grads = ops.grad(lambda x: ops.sum(net(x) * Tensor(coef)), None,
                     net.trainable_params())(Tensor(x))
    w0 = net.weight.asnumpy().copy()
    assert_close(grads[0], fd(lambda w: np.sum((x @ w.T + [0.5, -1.0]) * coef), w0))
    assert_close(grads[1], coef.sum(0))


def test_tensor_methods_allclose_arctan2_addmm_type():
    x = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
    y = Tensor(np.array([1.0, 2.0, 3.0001], np.float32))
    assert x.allclose(y) is False and x.allclose(x) is True  # (MindSpore 2.10: a bool)
    assert x.allclose(y, rtol=1e-3) is True
    assert_close(x.arctan2(y), np.arctan2([1.0, 2.0, 3.0], [1.0, 2.0, 3.0001]), 1e-6)
    a = Tensor(np.ones((2, 3), np.float32))
    m1 = Tensor(np.arange(8, dtype=np.float32).reshape(2, 4))
    m2 = Tensor(np.arange(12, dtype=np.float32).reshape(4, 3))
    # MindSpore 2.10's figures
    assert_close(a.addmm(m1, m2), [[43, 49, 55], [115, 137, 159]])
    assert_close(a.addmm(m1, m2, beta=2, alpha=0.5), [[23, 26, 29], [59, 70, 81]])
    assert x.type() == "Float32" and isinstance(x.type(), str)
    assert x.type(ms.int32).dtype == ms.int32 and x.type(dtype=ms.float16).dtype == ms.float16


def test_type_without_a_dtype_is_refused_in_differentiated_code():
    def f(x):
        return x * len(x.type())
    with pytest.raises(Exception, match="x.dtype"):
        ops.grad(f)(Tensor(np.ones(2)))


def test_dtype_aliases_are_mindspores():
    from autograd_st.common import dtype as mstype
    # measured on MindSpore 2.10
    want = {"long": ms.int64, "short": ms.int16, "byte": ms.int8, "ubyte": ms.uint8,
            "ushort": ms.uint16, "intc": ms.int32, "intp": ms.int64, "uintc": ms.uint32,
            "uintp": ms.uint64, "cfloat": ms.complex64, "cdouble": ms.complex128}
    for name, dtype in want.items():
        assert getattr(ms, name) is dtype and getattr(mstype, name) is dtype
        assert name in ms.__all__
    assert str(ms.long) == "Int64"
    assert Tensor(np.ones(2), ms.long).dtype == ms.int64
