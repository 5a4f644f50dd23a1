"""A call that changes a value being differentiated in place, with no derivative rule for
the change, is refused at its line; it is never differentiated as if the value were
unchanged (np.fill_diagonal(M, 0) gave the gradient of sum(M) with M's diagonal kept).

The same calls on values with no gradient still run, and the gradient around them is the
central differences'.
"""
import numpy as np
import pytest

from autograd_st import Tensor, nn, ops
from autograd_st.check import numerical_grad
from autograd_st.errors import CompileError

X = np.array([0.3, -1.2, 2.0, 0.7])

# each: a statement changing M (= np.outer(x, x) + 0.0, a value being differentiated)
IN_PLACE = {
    "fill_diagonal": "np.fill_diagonal(M, 0.0)",
    "copyto": "np.copyto(M, 1.0)",
    "put": "np.put(M, [0, 5], 5.0)",
    "place": "np.place(M, M > 0.5, 0.0)",
    "putmask": "np.putmask(M, M > 0.5, 0.0)",
    "put_along_axis": "np.put_along_axis(M, np.zeros((4, 1), int), 0.0, axis=1)",
    "ufunc_at": "np.add.at(M, (0, 1), 3.0)",
    "ufunc_at_of_x": "np.add.at(np.zeros(4), [0, 0, 2], x[:3])",
    "fill": "M.fill(2.0)",
    "sort": "M.sort(axis=1)",
    "partition": "M.partition(1, axis=1)",
    "method_put": "M.put([0], 9.0)",
    "shuffle": "np.random.shuffle(M)",
}


def _function(tmp_path, name, line):
    src = ("import numpy as np\n\n\ndef f(x):\n    M = np.outer(x, x) + 0.0\n    %s\n"
           "    return np.sum(M * M * x[0])\n" % line)
    path = tmp_path / ("inplace_%s.py" % name)
    path.write_text(src)
    ns: dict = {}
    exec(compile(src, str(path), "exec"), ns)  # noqa: S102 - the test's own text
    return ns["f"], str(path)


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_a_call_changing_a_differentiated_value_in_place_is_refused_at_its_line(
        tmp_path, name):
    f, path = _function(tmp_path, name, IN_PLACE[name])
    f(X.copy())  # (Python runs it)
    with pytest.raises(CompileError) as info:
        ops.grad(f)(X.copy())
    assert "%s:6" % path in str(info.value)
    assert "in place" in str(info.value)
    assert info.value.hint


def _fill_constant(x):
    mask = np.ones((4, 4))
    np.fill_diagonal(mask, 0.0)  # (no gradient: nothing to refuse)
    m = np.zeros(4)
    np.add.at(m, [0, 0, 2], 1.0)
    return np.sum((np.outer(x, x) * mask) ** 2) + np.sum(m * x)


def _fill_rewritten(x):
    M = np.outer(x, x)
    M = M * (1 - np.eye(4))
    return np.sum(np.sin(M)) + np.sum(np.sort(x * x))


@pytest.mark.parametrize("f", [_fill_constant, _fill_rewritten])
def test_the_same_calls_on_values_without_gradient_and_the_rewrites_differentiate(f):
    """Three calls of one gradient function: an array the compile computed (np.zeros(4),
    folded in) and a call run at run time changes is made anew on every call, as Python
    makes it (it was one array, added to on every call)."""
    x = X.copy()
    g, vg = ops.grad(f), ops.value_and_grad(f)
    want = numerical_grad(f, (x,), 0)
    for _ in range(3):
        np.testing.assert_allclose(np.asarray(g(x)), want, rtol=1e-6, atol=1e-8)
        value, grad = vg(Tensor(x))
        np.testing.assert_allclose(float(value.asnumpy()), f(x), rtol=1e-12)
        np.testing.assert_allclose(grad.asnumpy(), want, rtol=1e-6, atol=1e-8)


def _item_written(x):
    pair = [x * 1.0, x * 2.0]
    first = pair[0]
    first += 1.0  # numpy: pair[0] is that array, written too
    return np.sum(pair[0] * x)


def test_an_augmented_assignment_to_a_list_items_array_refuses_reading_the_item_after():
    """``first = pair[0]; first += 1`` writes the array the list holds (numpy); the compiled
    code makes a new one, so reading ``pair[0]`` afterwards is refused (it read the old
    value: a gradient of x where it is 2x + 1)."""
    with pytest.raises(CompileError, match="first \\+= ... \\(line"):
        ops.grad(_item_written)(X.copy())


def _is_array(x):
    if isinstance(x, np.ndarray):  # the argument: what the caller gave
        return np.sum(x * x)
    return np.sum(x)


def _computed_is_tensor(x):
    y = x * 2.0
    if isinstance(y, Tensor):  # an ndarray (or numpy scalar) where numpy arrays are given
        return ops.sum(y * y)
    return ops.sum(y)


def _has_flip(x):
    a, b = x[:2], x[2:]
    return np.sum(a * b.flip(0)) if hasattr(b, "flip") else np.sum(a * b)


@pytest.mark.parametrize("f", [_is_array, _computed_is_tensor, _has_flip])
@pytest.mark.parametrize("as_tensor", [False, True])
def test_isinstance_and_hasattr_of_runtime_values_answer_as_the_direct_call(f, as_tensor):
    """Generated code holds raw arrays: a type test answers as the direct call does (a
    Tensor where Tensors are given, the argument as given, a computed value an ndarray),
    so the branch taken, and its gradient, are the direct call's (both were the other
    branch's: isinstance(x, np.ndarray) was False, hasattr(b, "flip") False on a
    Tensor)."""
    x = Tensor(X.copy()) if as_tensor else X.copy()
    if f is _has_flip and not as_tensor:
        x = X.copy()  # (an ndarray has no flip: the other branch, in both)
    got = ops.grad(f)(x)
    want = numerical_grad(f, (x,), 0)
    np.testing.assert_allclose(np.asarray(got.asnumpy() if isinstance(got, Tensor) else got),
                               want, rtol=1e-6, atol=1e-8)


def _sum_is_array(x):
    s = np.sum(x * x)  # a numpy scalar, not an ndarray
    return s * 2.0 if isinstance(s, np.ndarray) else s * 3.0


def test_a_type_test_the_two_numpy_kinds_answer_differently_is_refused():
    with pytest.raises(CompileError, match="ndarray, or a numpy scalar"):
        ops.grad(_sum_is_array)(X.copy())


class _ScaledByItsMax(nn.Cell):
    def construct(self, x):
        y = ops.sin(x)
        m = float(np.max(y.asnumpy()))  # numpy values: outside the gradient
        return ops.sum(y * y) * m + ops.sum(Tensor(y.numpy()) * x)


def test_asnumpy_and_numpy_of_a_runtime_value_are_its_values_outside_the_gradient():
    """``t.asnumpy()`` (was refused as a call without rule) gives the values, and the
    gradient does not follow them, as in MindSpore's PyNative mode."""
    net = _ScaledByItsMax()
    x = Tensor(X.copy())
    got = ops.grad(net)(x).asnumpy()
    y = np.sin(X)
    want = 2 * y * np.cos(X) * y.max() + y  # m and the second y constants
    np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_allclose(float(net(x).asnumpy()), float(np.sum(y * y) * y.max()
                                                              + np.sum(y * X)), rtol=1e-12)


def _add_at_repeated(x):
    y = x * 1.0
    y[Tensor(np.array([0, 0, 2]))] += x[1] * 2
    return (y * y).sum()


def test_an_augmented_write_at_repeated_indices_differentiates_its_forward():
    """``y[[0, 0, 2]] += v`` writes each index once (the forward MindSpore 2.10 and numpy
    both run: value 22.5 here); its gradient is that forward's, [7, 25, 4, 4] by hand and by
    central differences.  (MindSpore 2.10's gradient counts the repeat: [14, 39, 4, 4],
    measured; not the derivative of its own forward.)"""
    x = Tensor(np.array([0.5, 1.5, -1.0, 2.0]))
    np.testing.assert_allclose(float(_add_at_repeated(x).asnumpy()), 22.5)
    got = ops.grad(_add_at_repeated)(x).asnumpy()
    np.testing.assert_allclose(got, [7.0, 25.0, 4.0, 4.0], rtol=1e-12)
    np.testing.assert_allclose(got, numerical_grad(_add_at_repeated, (x,), 0), rtol=1e-6)
