"""Tensors a helper reads from its own closure or module: the caller finds them where the
helper does, never by the same name in its own namespace (regression: a helper's closure
variable raised KeyError in resolve_input; a global of the same name in the caller's
module could have stood in for the helper's)."""
import importlib
import sys
import textwrap

import numpy as np

from autograd_st import Tensor, numerical_grad, ops


def load_module(directory, name, text):
    (directory / (name + ".py")).write_text(textwrap.dedent(text))
    sys.path.insert(0, str(directory))
    try:
        importlib.invalidate_caches()
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(directory))


def _run(scale):
    w = Tensor(np.array([1.0, 2.0]) * scale)

    def helper(x):
        return ops.sum(x * w)

    def loss(x):
        return helper(x) * 2.0 + ops.sum(x * x)

    return loss


def test_a_helpers_closure_variable_two_levels_down():
    x = Tensor(np.array([3.0, 4.0]))
    for scale in (1.0, 3.0):  # a fresh closure each time: its own w
        loss = _run(scale)
        value, grad = ops.value_and_grad(loss)(x)
        assert np.isclose(value.asnumpy(), loss(x).asnumpy())
        assert np.allclose(grad.asnumpy(), 2.0 * scale * np.array([1.0, 2.0]) + 2.0 * x.asnumpy())
        assert np.allclose(grad.asnumpy(), np.asarray(numerical_grad(loss, (x,))))


def test_a_global_of_the_same_name_in_the_callers_module_is_not_the_helpers(tmp_path):
    a = load_module(tmp_path, "fv_helper_mod", """
        import numpy as np
        from autograd_st import Tensor, ops
        w = Tensor(np.array([1.0, 2.0]))
        def helper(x):
            return ops.sum(x * w)
    """)
    b = load_module(tmp_path, "fv_caller_mod", """
        import numpy as np
        from autograd_st import Tensor, ops
        import fv_helper_mod
        w = Tensor(np.array([100.0, 200.0]))  # another w: never the helper's
        def loss(x):
            return fv_helper_mod.helper(x) + ops.sum(x * w)
    """)
    x = Tensor(np.array([3.0, 4.0]))
    grad = ops.grad(b.loss)(x)
    assert np.allclose(grad.asnumpy(), [101.0, 202.0])
    a.w = Tensor(np.array([5.0, 6.0]))  # rebinding the helper's global is seen
    assert np.allclose(ops.grad(b.loss)(x).asnumpy(), [105.0, 206.0])
    for name in ("fv_caller_mod", "fv_helper_mod"):
        sys.modules.pop(name, None)


def test_a_closure_reached_through_a_default_argument():
    w = Tensor(np.array([1.0, 2.0]))
    inner = lambda x: ops.sum(x * w)  # noqa: E731 - the pattern under test
    outer = lambda x, f=inner: f(x) * 3.0  # noqa: E731
    x = Tensor(np.array([3.0, 4.0]))
    assert np.allclose(ops.grad(outer)(x).asnumpy(), [3.0, 6.0])


def test_a_tensor_default_argument_is_an_input_of_the_generated_code():
    # regression: a Tensor default (``def loss(x, w=w)``, the way loops bind a weight per
    # iteration) was folded in as the Tensor object, and the generated numpy code failed
    # ("Could not convert Tensor ... to a NumPy dtype") where it met it
    w = Tensor(np.array([[1.0, -2.0, 0.5]]))

    def loss(x, w=w):
        padded = ops.pad(x * x, (1, 1))
        return ops.sum(padded[:, 1:-1] * w)

    x = Tensor(np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]]))
    want = numerical_grad(lambda v: float(loss(Tensor(v)).asnumpy()), [x.asnumpy()])
    np.testing.assert_allclose(ops.grad(loss)(x).asnumpy(), want, rtol=1e-6)
    np.testing.assert_allclose(ops.grad(loss)(x).asnumpy(), 2 * x.asnumpy() * w.asnumpy())
    w2 = Tensor(np.array([[3.0, 0.0, 1.0]]))
    loss.__defaults__ = (w2,)  # another default: guarded, the code is not reused
    np.testing.assert_allclose(ops.grad(loss)(x).asnumpy(), 2 * x.asnumpy() * w2.asnumpy())
    # the default given explicitly is an ordinary argument
    other = Tensor(np.array([[1.0, 1.0, 1.0]]))
    np.testing.assert_allclose(ops.grad(loss)(x, other).asnumpy(), 2 * x.asnumpy())
