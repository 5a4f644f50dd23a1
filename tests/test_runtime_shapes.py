"""Tensors made from a shape known only at run time inside differentiated code (compiled code
serves every shape, so ``x.shape`` is a run-time value there): ``ops.zeros((x.shape[0], 4))``,
``ops.ones(x.shape)``, ``mindspore.numpy.zeros/ones/empty``, ``x.new_zeros/new_ones/
new_full`` and the random ops give what the direct call gives, with the gradients of central
differences, for several shapes from one compile."""
from __future__ import annotations

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Tensor, nn, numerical_grad, ops
from autograd_st import numpy as mnp
from tests.helpers import assert_close


def zeros_state(x):
    h = ops.zeros((x.shape[0], 4))
    for t in range(x.shape[1]):
        h = ops.tanh(h * 0.5 + x[:, t:t + 1])
    return (h * h).sum()


def ones_like_shape(x):
    return (x * ops.ones(x.shape) * 2.0 + ops.zeros(x.shape, ms.float64)).sum()


def numpy_forms(x):
    return (mnp.ones(x.shape, ms.float64) * x + mnp.zeros((x.shape[0], 1), ms.float64)
            + mnp.empty(x.shape, ms.float64) * 0.0).sum() * 3.0


def new_forms(x):
    z = x.new_zeros(x.shape) + x.new_ones((x.shape[0], x.shape[1])) * x
    return (z * z).sum() + (x.new_full(x.shape, 0.5) * x).sum()


def ramp(x):
    return (x * ops.linspace(0.0, 1.0, x.shape[1]) + x * ops.arange(x.shape[1])).sum()


FUNCS = [zeros_state, ones_like_shape, numpy_forms, new_forms, ramp]


@pytest.mark.parametrize("fn", FUNCS)
def test_made_from_run_time_shapes(fn):
    g = ops.value_and_grad(fn)
    for shape in ((2, 3), (4, 1), (1, 5)):  # one compile for all of them
        x = np.random.default_rng(sum(shape)).uniform(-1, 1, shape)
        value, gx = g(Tensor(x))
        assert_close(value, fn(Tensor(x)))
        assert_close(gx, numerical_grad(fn, (Tensor(x),)), 1e-6, 1e-8)


def test_dtypes_of_the_run_time_forms():
    def f(x):
        return ops.zeros(x.shape), ops.ones((x.shape[0],), ms.int32), x.new_zeros(x.shape), \
            mnp.ones(x.shape)
    x = Tensor(np.ones((2, 3)))
    direct = f(x)
    compiled = ms.jit(f)(x) if hasattr(ms, "jit") else direct
    for a, b in zip(direct, compiled):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())
    assert [str(a.dtype) for a in direct] == ["Float32", "Int32", "Float64", "Float32"]


class Reparam(nn.Cell):
    def construct(self, x):
        return (x * ops.randn(x.shape) + x * ops.rand(x.shape[0], x.shape[1])).sum()


def test_random_draws_of_run_time_shapes():
    """The draws have the input's shape and are the ones the forward used: d/dx is the sum
    of the two draws, read back from a direct call under the same seed."""
    net = Reparam()
    for shape in ((2, 3), (3, 2)):
        x = Tensor(np.ones(shape, np.float32))
        ms.set_seed(5)
        g = ops.grad(net)(x)
        ms.set_seed(5)
        expected = ops.randn(shape) + ops.rand(*shape)
        assert g.shape == shape
        np.testing.assert_allclose(g.asnumpy(), expected.asnumpy(), rtol=1e-6)


def star_shapes(x):
    y = x.reshape(*x.shape[:-1], 1, x.shape[-1]).view(*x.shape)
    z = y.permute(*(1, 0)).transpose(*(1, 0))
    return (z * z * ops.ones(x.shape)).sum() + x.reshape(*x.shape).sum()


def test_star_of_a_run_time_shape():
    """x.reshape(*x.shape[:-1], 1, n), x.view(*x.shape), ops.randn(*x.shape): a callee
    that takes its shape as ints or as one sequence gets one run-time shape."""
    g = ops.value_and_grad(star_shapes)
    for shape in ((2, 3), (4, 1)):
        x = np.random.default_rng(1).uniform(-1, 1, shape)
        value, gx = g(Tensor(x))
        assert_close(value, star_shapes(Tensor(x)))
        assert_close(gx, numerical_grad(star_shapes, (Tensor(x),)), 1e-6, 1e-8)

    def noise(x):
        return (x * ops.randn(*x.shape)).sum()
    x = Tensor(np.ones((2, 3), np.float32))
    ms.set_seed(2)
    gx = ops.grad(noise)(x)
    ms.set_seed(2)
    np.testing.assert_array_equal(gx.asnumpy(), ops.randn(2, 3).asnumpy())


@pytest.mark.parametrize("body", ["ops.reshape(x, *x.shape)", "[].append(*x.shape)",
                                  "x.sum(*x.shape)"])
def test_star_of_a_run_time_length_elsewhere_is_refused(body, tmp_path):
    src = "from autograd_st import ops\n\ndef f(x):\n    y = %s\n    return x.sum()\n" % body
    path = tmp_path / ("star_%d.py" % abs(hash(body)))
    path.write_text(src)
    ns: dict = {}
    exec(compile(src, str(path), "exec"), ns)
    with pytest.raises(ms.errors.CompileError, match=r"\*-unpacking of a value whose length"):
        ops.grad(ns["f"])(Tensor(np.ones((2, 3))))


def inverted_mask(x):
    mask = x > 0.5
    y = ops.where(~mask, x * 2.0, x)
    k = (~(x > 0.2).astype(ms.int32)).astype(ms.float64) + 1.0  # logical on ints too
    return (y * k).sum()


def test_invert_of_a_run_time_mask():
    """``~mask`` in differentiated code is a Tensor's ``~``: logical, on bools (edgenext's
    ``not_mask = ~mask``) and on ints as in MindSpore 2.10 (measured: ``~Tensor([1, 0, 3])``
    is ``[False, True, False]``)."""
    x = np.random.default_rng(4).uniform(0, 1, (3, 4))
    value, gx = ops.value_and_grad(inverted_mask)(Tensor(x))
    assert_close(value, inverted_mask(Tensor(x)))
    assert_close(gx, numerical_grad(inverted_mask, (Tensor(x),)), 1e-6, 1e-8)
    k = np.where(x > 0.2, 1.0, 2.0)
    assert_close(gx, np.where(x > 0.5, 1.0, 2.0) * k)


def zeros_class(q):
    b, n = q.shape
    z = ops.Zeros()((b, 1), q.dtype)  # coat's ConvRelPosEnc: shape and dtype of q
    o = ops.Ones()((b, n), q.dtype)
    return (ops.concat((z, q * o), axis=1) ** 2).sum()


def test_zeros_and_ones_classes_of_run_time_shape_and_dtype():
    g = ops.value_and_grad(zeros_class)
    for shape in ((2, 3), (1, 4)):
        x = np.random.default_rng(7).uniform(-1, 1, shape)
        value, gx = g(Tensor(x))
        assert_close(value, zeros_class(Tensor(x)))
        assert gx.dtype == ms.float64
        assert_close(gx, 2.0 * x)
