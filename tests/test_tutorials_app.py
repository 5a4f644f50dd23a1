"""Pieces the application tutorials (docs/tutorials_applications.md) rely on, each checked on
a small program of this project: mindspore.numpy.arange with bounds read from shapes in
differentiated code (MindSpore 2.10's default dtypes measured), checked against finite
differences; MindSpore's deeper dataset module paths; Dataset.save refused with a hint.
Recorded MindSpore cases: tests/ms_cases/cases/ta_*.py."""
import numpy as np
import pytest

import autograd_st as ms
import autograd_st.dataset as ds
import autograd_st.dataset.text.transforms as text_transforms
import autograd_st.numpy as mnp
from autograd_st import Tensor, numerical_grad, ops
from autograd_st.dataset import text, transforms, vision
from autograd_st.dataset.transforms.transforms import OneHot
from autograd_st.dataset.vision.transforms import Resize
from autograd_st.dataset.vision.utils import Inter


@pytest.mark.parametrize("args, kwargs, dtype, values", [
    ((0, 3), {}, ms.int32, [0, 1, 2]),                     # Python ints: int32
    ((0, 2.5), {}, ms.float32, [0, 1, 2]),                 # a float bound: float32
    ((3,), {"dtype": ms.int64}, ms.int64, [0, 1, 2]),
    ((np.int64(3),), {}, ms.float32, [0, 1, 2]),           # a numpy int: float32
    ((Tensor(3),), {}, ms.float32, [0, 1, 2]),             # a Tensor bound: float32
    ((1, 8, 3), {}, ms.int32, [1, 4, 7]),
])
def test_mnp_arange_dtypes_measured_in_mindspore(args, kwargs, dtype, values):
    out = mnp.arange(*args, **kwargs)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out.asnumpy(), values)


def test_mnp_arange_on_shapes_and_a_runtime_dtype_in_differentiated_code():
    # the batch size read from x.shape and a mask dtype read from another input: known only
    # when the code runs; the picks index rows of x, the mask weighs them
    def f(x, lengths):
        batch, steps = x.shape
        pos = mnp.arange(0, steps, 1, lengths.dtype)
        mask = (pos < lengths.view(lengths.shape + (1,))).astype(x.dtype)
        picked = x[mnp.arange(batch), lengths - 1]
        return (ops.exp(x) * mask).sum() + (picked * picked).sum()

    x = Tensor(np.random.RandomState(1).normal(size=(3, 4)))
    lengths = Tensor(np.array([4, 2, 3], np.int64))
    grad = ops.grad(f)(x, lengths).asnumpy()
    mask = (np.arange(4) < lengths.asnumpy()[:, None])
    expected = np.exp(x.asnumpy()) * mask
    expected[np.arange(3), lengths.asnumpy() - 1] += 2 * x.asnumpy()[np.arange(3),
                                                                     lengths.asnumpy() - 1]
    np.testing.assert_allclose(grad, expected, rtol=1e-12)
    np.testing.assert_allclose(grad, numerical_grad(lambda v: f(v, lengths), (x,)), rtol=1e-6,
                               atol=1e-8)


def test_mnp_arange_default_dtype_on_runtime_bounds():
    # a shape is a Python int: int32 (as mindspore.numpy.arange on ints); the values agree
    def f(x):
        r = mnp.arange(x.shape[0])
        return (x * r.astype(x.dtype)).sum(), r

    x = Tensor(np.ones(4))
    (value, r), grad = ms.value_and_grad(f, has_aux=True)(x)
    assert r.dtype == ms.int32
    np.testing.assert_array_equal(r.asnumpy(), [0, 1, 2, 3])
    assert float(value.asnumpy()) == 6.0
    np.testing.assert_allclose(grad.asnumpy(), [0, 1, 2, 3])

    def g(x, lengths):  # a runtime dtype: the positions take the lengths' dtype
        pos = mnp.arange(0, x.shape[0], 1, lengths.dtype)
        return (x * x).sum(), pos

    (_, pos), _ = ms.value_and_grad(g, has_aux=True)(x, Tensor(np.array([2], np.int64)))
    assert pos.dtype == ms.int64


def test_dataset_module_paths_of_mindspore():
    # MindSpore's deeper paths: mindspore.dataset.text.transforms, .vision.transforms,
    # .vision.utils, .transforms.transforms
    assert text_transforms.UnicodeCharTokenizer is text.UnicodeCharTokenizer
    assert Resize is vision.Resize and Inter is vision.Inter and OneHot is transforms.OneHot
    np.testing.assert_array_equal(text_transforms.UnicodeCharTokenizer()("ab c"),
                                  ["a", "b", " ", "c"])


def test_dataset_save_writes_mindrecord(tmp_path):
    data = ds.NumpySlicesDataset([1, 2, 3], column_names=["x"], shuffle=False)
    data.save(str(tmp_path / "saved.mindrecord"))
    back = ds.MindDataset(str(tmp_path / "saved.mindrecord"), shuffle=False)
    assert [int(r[0]) for r in back.create_tuple_iterator(output_numpy=True)] == [1, 2, 3]


@pytest.mark.parametrize("args, kwargs, dtype", [
    (((2,), 3), {}, ms.int32), (((2,), 3.5), {}, ms.float32), (((2,), True), {}, ms.bool_),
    (((2,), Tensor(3)), {}, ms.int64),                     # a Tensor fill keeps its dtype
    (((2,), Tensor(3.5)), {}, ms.float32), (([2, 3], 1), {"dtype": ms.int64}, ms.int64),
])
def test_mnp_full_dtypes_measured_in_mindspore(args, kwargs, dtype):
    out = mnp.full(*args, **kwargs)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out.asnumpy(), np.full(out.shape, out.asnumpy().flat[0]))


def test_mnp_full_on_shapes_and_a_runtime_dtype_in_differentiated_code():
    # a CRF's default lengths: mnp.full((batch,), steps, lengths.dtype) read from shapes
    def f(x, lengths):
        batch, steps = x.shape
        full_lengths = mnp.full((batch,), steps, lengths.dtype)
        weights = mnp.full(x.shape, 0.5)
        return (ops.sin(x) * weights).sum() * full_lengths.astype(x.dtype).sum(), full_lengths

    x = Tensor(np.random.RandomState(2).normal(size=(2, 3)))
    lengths = Tensor(np.array([1], np.int64))
    (value, full_lengths), grad = ms.value_and_grad(f, has_aux=True)(x, lengths)
    assert full_lengths.dtype == ms.int64
    np.testing.assert_array_equal(full_lengths.asnumpy(), [3, 3])
    np.testing.assert_allclose(float(value.asnumpy()), 0.5 * np.sin(x.asnumpy()).sum() * 6,
                               rtol=1e-12)
    np.testing.assert_allclose(grad.asnumpy(), 3.0 * np.cos(x.asnumpy()), rtol=1e-12)
    np.testing.assert_allclose(grad.asnumpy(),
                               numerical_grad(lambda v: f(v, lengths)[0], (x,)), rtol=1e-6)
