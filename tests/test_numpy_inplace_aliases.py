"""Writes that numpy makes through another name: ``v *= 3`` where ``v = b[0]`` (or ``v = b``)
writes into ``b`` in a plain numpy function, and ``r[1] = 10`` where ``r = b.reshape(-1)``
writes into ``b`` for Tensors too (MindSpore 2.10 measured: a reshape's item write reaches
the source; ``v *= 3`` on a Tensor makes a new one).  The generated code makes a new array,
so a later read of ``b`` is refused at the user's line instead of giving the old values (it
gave a plausible wrong value and gradient).  Where nothing reads the other name again, or the
code runs on Tensors (``out = x; out += ...; x`` read again), the value and gradient are the
direct call's and central differences'."""
import numpy as np
import pytest
from helpers import assert_close

from autograd_st import Tensor, nn, numerical_grad, ops
from autograd_st.errors import UnsupportedSyntaxError

A = np.arange(6.0).reshape(2, 3) / 4.0 + 0.3


def through_a_row_view(a):
    b = a * 1.0
    v = b[0]
    v *= 3  # numpy: b's first row is tripled
    return (b ** 2).sum()


def through_an_alias(a):
    b = a * 1.0
    c = b
    c += a ** 2  # numpy: b changes too
    return (b * a).sum()


def source_after_view_changed(a):
    b = a * 1.0
    v = b[:, 1]
    b *= 2  # numpy: v doubles too
    return (v * a[0, :2]).sum()


def through_a_reshape_item(a):
    b = a * 1.0
    r = b.reshape(-1)
    r[1] = 10.0  # numpy and MindSpore: b[0, 1] is 10
    return (b * a).sum()


@pytest.mark.parametrize("fn", [through_a_row_view, through_an_alias,
                                source_after_view_changed, through_a_reshape_item])
def test_a_read_after_a_write_through_another_name_is_refused(fn):
    with pytest.raises(UnsupportedSyntaxError, match="wrote into it") as info:
        ops.grad(fn)(A)
    assert info.value.filename == __file__


def view_written_not_read_again(a):
    b = a * 1.0
    v = b[0]
    v *= 3
    return (v * a[1]).sum()


def alias_rebound(a):
    h = a * 2.0
    g = h
    g += 1.0
    h = h * 0.0 + g  # h read after? it is rebound from g first... its old value is read
    return h.sum()


def test_reads_of_the_written_name_itself_are_the_direct_calls():
    for fn in (view_written_not_read_again,):
        value, grad = ops.value_and_grad(fn)(A)
        assert_close(value, fn(A.copy()), 1e-12, 1e-12)
        assert_close(grad, numerical_grad(fn, (A,), 0), 1e-6, 1e-7)
    with pytest.raises(UnsupportedSyntaxError, match="wrote into it"):
        ops.grad(alias_rebound)(A)  # (h * 0.0 reads the old h, which numpy changed)


class Residual(nn.Cell):
    """MindSpore code: ``out = x; out += f(out)`` leaves x as it was (a Tensor's ``+=`` makes a
    new Tensor, in MindSpore as here), and reading x afterwards is fine."""

    def __init__(self):
        super().__init__()
        rng = np.random.default_rng(0)
        self.fc = nn.Dense(3, 3, weight_init=Tensor(rng.uniform(-1, 1, (3, 3))),
                           bias_init=Tensor(np.zeros(3)))

    def construct(self, x):
        out = x
        out += ops.tanh(self.fc(out))
        return (out * x).sum()


def test_tensor_code_keeps_reading_the_other_name():
    net = Residual()
    x = A.astype(np.float64)
    value, grad = ops.value_and_grad(net)(Tensor(x))
    assert_close(value, net(Tensor(x)), 1e-12, 1e-12)
    assert_close(grad, numerical_grad(lambda t: net(Tensor(t)), (x,), 0), 1e-6, 1e-7)

    def on_tensors(t):
        b = t * 1.0
        c = b
        c += t ** 2
        return (b * t).sum()
    t = Tensor(x)
    value, grad = ops.value_and_grad(on_tensors)(t)
    assert_close(value, on_tensors(t), 1e-12, 1e-12)
    assert_close(grad, 2 * x, 1e-12, 1e-12)  # b is t: d/dt sum(t * t)
