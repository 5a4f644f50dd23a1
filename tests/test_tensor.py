"""Tensor, Parameter and dtype behaviour, with printing formats measured on MindSpore 2.10."""
import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Parameter, ParameterTuple, Tensor
from autograd_st import dtype as mstype


def test_repr_formats_are_mindsporess():
    assert repr(Tensor([5.0], ms.float32)) == \
        "Tensor(shape=[1], dtype=Float32, value= [ 5.00000000e+00])"
    assert repr((Tensor([21.536], ms.float32),)) == \
        "(Tensor(shape=[1], dtype=Float32, value= [ 2.15359993e+01]),)"
    assert repr(Tensor(np.array([[1.5, 2], [3, 4]], np.float32))) == (
        "Tensor(shape=[2, 2], dtype=Float32, value=\n"
        "[[ 1.50000000e+00,  2.00000000e+00],\n"
        " [ 3.00000000e+00,  4.00000000e+00]])")
    assert repr(Tensor(np.array(2.5, np.float32))) == "Tensor(shape=[], dtype=Float32, value= 2.5)"
    assert repr(Tensor(np.array([1, 2, 3], np.int32))) == \
        "Tensor(shape=[3], dtype=Int32, value= [1, 2, 3])"
    assert repr(Tensor(np.array([True, False]))) == \
        "Tensor(shape=[2], dtype=Bool, value= [ True, False])"
    assert repr(Tensor(np.zeros((2, 2, 2), np.float64))) == (
        "Tensor(shape=[2, 2, 2], dtype=Float64, value=\n"
        "[[[ 0.00000000e+00,  0.00000000e+00],\n"
        "  [ 0.00000000e+00,  0.00000000e+00]],\n"
        " [[ 0.00000000e+00,  0.00000000e+00],\n"
        "  [ 0.00000000e+00,  0.00000000e+00]]])")
    assert repr(Tensor(np.arange(2000, dtype=np.float32))) == (
        "Tensor(shape=[2000], dtype=Float32, value= [ 0.00000000e+00,  1.00000000e+00,  "
        "2.00000000e+00 ...  1.99700000e+03,  1.99800000e+03,  1.99900000e+03])")
    assert repr(Parameter(Tensor(np.array([1.0], np.float32)), name="w")) == \
        "Parameter (name=w, shape=(1,), dtype=Float32, requires_grad=True)"


def test_str_is_numpys():
    assert str(Tensor(np.array([[1.5, 2], [3, 4]], np.float32))) == "[[1.5 2. ]\n [3.  4. ]]"
    assert str(ms.float32) == "Float32"


def test_default_dtypes_follow_mindspore():
    assert Tensor([1.0, 2.0]).dtype == ms.float32
    assert Tensor([1, 2]).dtype == ms.int64
    assert Tensor(np.array([1.0])).dtype == ms.float64
    assert Tensor([5], dtype=ms.float32).dtype == mstype.float32
    assert Tensor([1.0]).dtype == np.float32


def test_arithmetic_and_reflected_forms():
    a = Tensor(np.array([1.0, 2.0], np.float32))
    b = np.array([3.0, 4.0], np.float32)
    for got, want in [(a + 1, [2, 3]), (1 + a, [2, 3]), (a - 1, [0, 1]), (1 - a, [0, -1]),
                      (a * 2, [2, 4]), (2 * a, [2, 4]), (a / 2, [0.5, 1]), (2 / a, [2, 1]),
                      (a ** 2, [1, 4]), (2 ** a, [2, 4]), (-a, [-1, -2]), (b + a, [4, 6]),
                      (a @ a, 5.0), (a > 1, [False, True]), (a == 2, [False, True])]:
        assert isinstance(got, Tensor)
        np.testing.assert_allclose(got.asnumpy(), want)


def test_methods_and_indexing():
    t = Tensor(np.arange(6, dtype=np.float32).reshape(2, 3))
    assert t.shape == (2, 3) and isinstance(t.shape, tuple)
    assert t.sum().asnumpy() == 15
    np.testing.assert_allclose(t.sum(axis=1).asnumpy(), [3, 12])
    np.testing.assert_allclose(t.mean(axis=0, keep_dims=True).asnumpy(), [[1.5, 2.5, 3.5]])
    assert t.reshape(3, 2).shape == (3, 2) and t.reshape((6,)).shape == (6,)
    assert t.T.shape == (3, 2) and t.transpose(1, 0).shape == (3, 2)
    assert t.astype(ms.int32).dtype == ms.int32
    np.testing.assert_allclose(t[1].asnumpy(), [3, 4, 5])
    np.testing.assert_allclose(t[:, -1].asnumpy(), [2, 5])
    np.testing.assert_allclose(np.asarray(t), t.asnumpy())
    assert float(Tensor(np.array(2.5))) == 2.5


def test_set_data_holds_the_tensor_and_parameter_tuple():
    # MindSpore 2.10 (case api_memory_sharing): the Parameter holds the Tensor given (shared
    # memory); an array read before keeps the old values
    p = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name="w")
    data = p.asnumpy()
    src = Tensor(np.array([3.0, 4.0], np.float32))
    p.set_data(src)
    assert list(data) == [1.0, 2.0] and list(p.asnumpy()) == [3.0, 4.0]
    src.asnumpy()[0] = 7.0
    assert list(p.asnumpy()) == [7.0, 4.0]
    p.set_data(Tensor(np.array([1, 2], np.int32)))  # another dtype: converted, a new array
    assert p.dtype == ms.float32 and list(p.asnumpy()) == [1.0, 2.0]
    pt = ParameterTuple([p])
    assert pt[0] is p and isinstance(pt, tuple)
    with pytest.raises(TypeError):
        ParameterTuple([Tensor([1.0])])


def test_cell_registers_parameters_with_attribute_paths():
    from autograd_st import nn

    class Inner(nn.Cell):
        def __init__(self):
            super().__init__()
            self.weight = Parameter(Tensor(np.ones(2, np.float32)), name="weight")
            self.frozen = Parameter(Tensor(np.ones(2, np.float32)), name="frozen",
                                    requires_grad=False)

    class Outer(nn.Cell):
        def __init__(self):
            super().__init__()
            self.dense = Inner()
            self.gain = Parameter(Tensor(np.ones(1, np.float32)), name="gain")

    net = Outer()
    assert [p.name for p in net.get_parameters()] == ["gain", "dense.weight", "dense.frozen"] \
        or [p.name for p in net.get_parameters()] == ["dense.weight", "dense.frozen", "gain"]
    assert [p.name for p in net.trainable_params()] == \
        [p.name for p in net.get_parameters() if p.name != "dense.frozen"]


def test_reshape_method_to_a_shape_computed_at_run_time_in_differentiated_code():
    # t.reshape(y.shape) was taken for one dimension (np.reshape(x, (shape,)))
    from autograd_st import ops

    def f(x, y):
        shape = y.shape
        return (x.reshape(shape) * y * y).sum() + (x.view(ops.shape(y)) * y).sum()

    x = Tensor(np.arange(6.0))
    y = Tensor(np.arange(6.0).reshape(2, 3) + 1.0)
    g = ops.grad(f)(x, y)
    np.testing.assert_allclose(g.asnumpy(), (y.asnumpy() ** 2 + y.asnumpy()).ravel())


def test_setitem_basic_index_writes_in_place_advanced_index_into_a_new_array():
    # measured in MindSpore 2.10: ints, slices and ``...`` write where views see them; a
    # mask, an int Tensor, a list or None write into a new array the Tensor then holds
    base = np.arange(12, dtype=np.float32).reshape(3, 4)
    for index, views_see_it in ((1, True), (slice(0, 2), True), ((1, slice(1, 3)), True),
                                ((Ellipsis, 1), True), ([0, 2], False), (None, False),
                                ((Tensor(np.array([0, 2], np.int32)), 1), False)):
        t = Tensor(base.copy())
        view = t[0:3]
        t[index] = -1.0
        want = base.copy()
        want[tuple(i.asnumpy() if isinstance(i, Tensor) else i for i in index)
             if isinstance(index, tuple) else index] = -1.0
        np.testing.assert_array_equal(t.asnumpy(), want)
        np.testing.assert_array_equal(view.asnumpy(), want if views_see_it else base)
    t = Tensor(base.copy())
    view = t[:, 1]
    t[t > 5] = Tensor(np.float32(-2.0))
    np.testing.assert_array_equal(view.asnumpy(), base[:, 1])
    np.testing.assert_array_equal(t.asnumpy(), np.where(base > 5, -2.0, base))
