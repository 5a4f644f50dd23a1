"""An optimizer step is all or nothing, and reassigning a Parameter keeps its place.

1. A step that cannot be taken (an int Parameter, a gradient of the wrong shape or dtype, the
   wrong number of gradients, a read-only Parameter, state of another shape) raises
   ``InputValueError`` naming the Parameter, its position and why, and changes nothing: no
   Parameter, no moment or momentum buffer, no beta power, no ``global_step``.
2. A step that fails while computing (a learning-rate schedule that raises, numpy under
   ``np.errstate(all='raise')``) changes nothing either, so retrying it applies the step
   once: the result is exactly one step of a fresh optimizer.
3. ``net.w = Parameter(...)`` (or a sub-Cell, or a ParameterTuple) assigned over one of its
   kind keeps its position in ``trainable_params()``, as in MindSpore.
"""
from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close

from autograd_st import Parameter, ParameterTuple, Tensor, nn, ops
from autograd_st.errors import InputValueError

OPTIMIZERS = {
    "SGD": lambda ps: nn.SGD(ps, learning_rate=0.1, momentum=0.9, weight_decay=0.01),
    "SGD-nesterov": lambda ps: nn.SGD(ps, learning_rate=0.1, momentum=0.9, nesterov=True),
    "Momentum": lambda ps: nn.Momentum(ps, learning_rate=0.1, momentum=0.9),
    "Momentum-nesterov": lambda ps: nn.Momentum(ps, 0.1, 0.9, use_nesterov=True),
    "Adam": lambda ps: nn.Adam(ps, learning_rate=0.01, weight_decay=0.01),
    "Adam-nesterov": lambda ps: nn.Adam(ps, learning_rate=0.01, use_nesterov=True),
    "AdamWeightDecay": lambda ps: nn.AdamWeightDecay(ps, learning_rate=0.01,
                                                     weight_decay=0.01),
}


def _params(dtypes=(np.float32, np.float32, np.float32), seed=0):
    g = np.random.default_rng(seed)
    shapes = [(3, 2), (2,), (4,)]
    return [Parameter((g.standard_normal(s) * 3).astype(dt), name="p%d" % k)
            for k, (s, dt) in enumerate(zip(shapes, dtypes))]


def _grads(params, seed=1):
    g = np.random.default_rng(seed)
    return tuple(Tensor(g.standard_normal(p.shape).astype(np.float32)) for p in params)


def _snapshot(opt) -> dict:
    """Every array an optimizer step may write: Parameters, state, step, beta powers."""
    return {name: p.asnumpy().copy() for name, p in opt.parameters_and_names()} | {
        "params:" + p.name: p.asnumpy().copy() for p in opt.parameters}


def _assert_unchanged(opt, before):
    after = _snapshot(opt)
    assert after.keys() == before.keys()
    for name in before:
        np.testing.assert_array_equal(after[name], before[name], err_msg=name)


def _step_twice_then_compare(make, params, bad_call):
    """Warm the state up with one good step, fail one, then retry: the Parameters and the
    state equal those of an optimizer that took the two good steps and no failed one."""
    opt = make(params)
    opt(_grads(params, seed=1))
    before = _snapshot(opt)
    bad_call(opt)
    _assert_unchanged(opt, before)
    opt(_grads(params, seed=2))  # the retry
    ref_params = _params()
    ref = make(ref_params)
    ref(_grads(ref_params, seed=1))
    ref(_grads(ref_params, seed=2))
    got, want = _snapshot(opt), _snapshot(ref)
    for name in want:
        np.testing.assert_array_equal(got[name], want[name], err_msg=name)


# ---------------------------------------------------------------------------------------
# 1. refused before anything is written
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("make", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
@pytest.mark.parametrize("bad", [1, 2])
def test_an_int_parameter_is_refused_and_nothing_is_written(make, bad):
    dtypes = [np.float32] * 3
    dtypes[bad] = np.int32
    params = _params(tuple(dtypes))
    opt = make(params)
    before = _snapshot(opt)
    with pytest.raises(InputValueError) as info:
        opt(_grads(params))
    msg = str(info.value)
    assert "Parameter 'p%d' (position %d of 3)" % (bad, bad) in msg
    assert "int32" in msg and "floating-point" in msg and "nothing was updated" in msg
    _assert_unchanged(opt, before)


@pytest.mark.parametrize("make", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_a_gradient_of_the_wrong_shape_changes_nothing_and_a_retry_steps_once(make):
    params = _params()

    def bad(opt):
        grads = list(_grads(params, seed=2))
        grads[2] = Tensor(np.ones((2, 2), np.float32))   # the last one: all others fine
        with pytest.raises(InputValueError, match=r"Parameter 'p2' \(position 2 of 3\): "
                                                  r"its gradient has shape \(2, 2\), the "
                                                  r"Parameter \(4,\)"):
            opt(tuple(grads))

    _step_twice_then_compare(make, params, bad)


@pytest.mark.parametrize("make", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_the_wrong_number_of_gradients_changes_nothing(make):
    params = _params()

    def bad(opt):
        with pytest.raises(InputValueError, match="got 2 gradients for 3 parameters "
                                                  r"\('p0', 'p1', 'p2'\)"):
            opt(_grads(params, seed=2)[:2])

    _step_twice_then_compare(make, params, bad)


@pytest.mark.parametrize("gradient, why", [
    (np.ones(4, np.complex64), "dtype complex64"),
    (np.array([None] * 4, dtype=object), "dtype object"),
    ("abcd", "dtype <U4"),
])
def test_a_gradient_that_is_not_real_numbers_changes_nothing(gradient, why):
    params = _params()

    def bad(opt):
        grads = list(_grads(params, seed=2))
        grads[2] = gradient
        with pytest.raises(InputValueError, match=r"'p2' \(position 2 of 3\): its gradient "
                                                  r"has %s" % why):
            opt(tuple(grads))

    _step_twice_then_compare(OPTIMIZERS["Adam"], params, bad)


def test_a_read_only_parameter_is_refused_and_nothing_is_written():
    params = _params()
    params[1].asnumpy().flags.writeable = False
    opt = nn.Adam(params, learning_rate=0.01)
    before = _snapshot(opt)
    with pytest.raises(InputValueError, match=r"'p1' \(position 1 of 3\) is read-only"):
        opt(_grads(params))
    _assert_unchanged(opt, before)


def test_a_parameter_whose_shape_changed_after_the_optimizer_was_made():
    params = _params()
    opt = nn.Momentum(params, learning_rate=0.1, momentum=0.9)
    params[2].set_data(np.zeros((5,), np.float32))   # another shape: new storage
    before = _snapshot(opt)
    with pytest.raises(InputValueError, match=r"'p2' \(position 2 of 3\) has shape \(5,\) "
                                              r"but the optimizer's state for it \(4,\)"):
        opt(_grads(params))
    _assert_unchanged(opt, before)


# ---------------------------------------------------------------------------------------
# 2. failures while computing the step
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Adam", "Adam-nesterov", "AdamWeightDecay"])
def test_an_overflow_midway_changes_nothing_and_a_retry_steps_once(name):
    """Under np.errstate(over='raise') the last Parameter's g * g overflows float32, after
    the first two Parameters' updates were computed."""
    params = _params()

    def bad(opt):
        grads = list(_grads(params, seed=2))
        grads[2] = Tensor(np.full(4, 1e30, np.float32))
        with np.errstate(over="raise"), pytest.raises(FloatingPointError):
            opt(tuple(grads))

    _step_twice_then_compare(OPTIMIZERS[name], params, bad)


@pytest.mark.parametrize("make", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_any_failure_in_the_last_update_changes_nothing(make):
    """Whatever raises while the last Parameter's update is computed (here injected), the
    earlier Parameters' new values were not written yet."""
    params = _params()

    def bad(opt):
        real = type(opt)._apply

        def failing(i, *args):
            if i == len(params) - 1:
                raise MemoryError("injected")
            return real(opt, i, *args)

        object.__setattr__(opt, "_apply", failing)  # an instance attribute, not registered
        try:
            with pytest.raises(MemoryError, match="injected"):
                opt(_grads(params, seed=2))
        finally:
            object.__delattr__(opt, "_apply")

    _step_twice_then_compare(make, params, bad)


class FailingSchedule:
    """A learning-rate schedule that raises at one step (the optimizer calls it per step)."""

    def __init__(self, fail_at: int) -> None:
        self.fail_at = fail_at
        self.armed = True

    def __call__(self, step):
        if self.armed and int(step.asnumpy()) == self.fail_at:
            self.armed = False
            raise RuntimeError("schedule failed")
        return Tensor(np.array(0.01, np.float32))


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamWeightDecay"])
def test_a_learning_rate_schedule_that_raises_changes_nothing(name):
    cls = {"SGD": nn.SGD, "Adam": nn.Adam, "AdamWeightDecay": nn.AdamWeightDecay}[name]
    params, ref_params = _params(), _params()
    opt = cls(params, learning_rate=FailingSchedule(fail_at=1))
    ref = cls(ref_params, learning_rate=0.01)
    opt(_grads(params, seed=1))
    ref(_grads(ref_params, seed=1))
    before = _snapshot(opt)
    with pytest.raises(RuntimeError, match="schedule failed"):
        opt(_grads(params, seed=2))
    _assert_unchanged(opt, before)
    opt(_grads(params, seed=2))
    ref(_grads(ref_params, seed=2))
    for p, q in zip(params, ref_params):
        np.testing.assert_array_equal(p.asnumpy(), q.asnumpy())
    assert int(opt.global_step.asnumpy()[0]) == 2


def test_the_update_is_bit_for_bit_the_in_place_formula():
    """Computing into new arrays rounds as updating in place did: Adam's step written out
    with numpy's in-place operators, in float32."""
    params = _params()
    p0 = [p.asnumpy().copy() for p in params]
    grads = [_grads(params, seed=s) for s in (1, 2, 3)]
    opt = nn.Adam(params, learning_rate=0.01)
    for g in grads:
        opt(g)
    b1, b2, eps = 0.9, 0.999, 1e-8
    for k, w in enumerate(p0):
        m, v = np.zeros_like(w), np.zeros_like(w)
        b1p, b2p = np.ones(1, np.float32), np.ones(1, np.float32)
        for g_all in grads:
            g = g_all[k].asnumpy()
            b1p *= b1
            b2p *= b2
            m *= b1
            m += (1.0 - b1) * g
            v *= b2
            v += (1.0 - b2) * g * g
            lr_t = 0.01 * np.sqrt(1.0 - float(b2p[0])) / (1.0 - float(b1p[0]))
            w -= lr_t * m / (np.sqrt(v) + eps)
        np.testing.assert_array_equal(params[k].asnumpy(), w)
        np.testing.assert_array_equal(opt.moment1[k].asnumpy(), m)
        np.testing.assert_array_equal(opt.moment2[k].asnumpy(), v)


# ---------------------------------------------------------------------------------------
# 3. reassigning keeps the position
# ---------------------------------------------------------------------------------------

class Two(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(np.array([2.0, 3.0]), name="w")
        self.b = Parameter(np.array([0.5]), name="b")
        self.fc = nn.Dense(2, 1)
        self.head = nn.Dense(1, 1)

    def construct(self, x):
        return self.head(self.fc(x * self.w) + self.b).sum()


def _names(net):
    return [p.name for p in net.trainable_params()]


def test_reassigning_a_parameter_keeps_its_place():
    net = Two()
    order = _names(net)
    assert order[:2] == ["w", "b"]
    net.w = Parameter(np.array([1.0, 1.0]), name="w")
    assert _names(net) == order
    net.b = Parameter(np.array([0.0]), name="b")
    assert _names(net) == order


def test_reassigning_a_sub_cell_keeps_its_place():
    net = Two()
    order = _names(net)
    net.fc = nn.Dense(2, 1)
    assert _names(net) == order
    assert [n for n, _ in net.cells_and_names()][1:] == ["fc", "head"]


def test_reassigning_a_parameter_tuple_keeps_its_place():
    class WithTuple(nn.Cell):
        def __init__(self):
            super().__init__()
            self.first = ParameterTuple([Parameter(np.ones(1), name="a")])
            self.second = ParameterTuple([Parameter(np.ones(1), name="c")])

    net = WithTuple()
    assert _names(net) == ["a", "c"]
    net.first = ParameterTuple([Parameter(np.zeros(1), name="a2")])
    assert _names(net) == ["a2", "c"]


def test_a_different_kind_under_the_name_is_unregistered_or_appended():
    # MindSpore 2.10 (measured): a number there raises TypeError; None empties the slot,
    # which keeps its place, so a Parameter put back there comes first again
    net = Two()
    with pytest.raises(TypeError, match="Parameter 'w' already exists"):
        net.w = 3.0
    net.w = None
    assert _names(net)[:2] == ["b", "fc.weight"]
    net.w = Parameter(np.array([1.0, 1.0]), name="w")
    assert _names(net)[:2] == ["w", "b"]
    del net.w
    net.w = Parameter(np.array([1.0, 1.0]), name="w")
    assert _names(net)[:2] == ["b", "w"]  # deleted: a new registration, after the others


def test_gradients_by_weights_follow_the_kept_order():
    net = Two()
    x = Tensor(np.array([[1.0, -2.0]]))
    net.w = Parameter(np.array([0.5, -1.5]), name="w")
    weights = net.trainable_params()
    assert weights[0] is net.w
    _, grads = ops.value_and_grad(net, None, weights)(x)
    # d/dw of head(fc(x * w) + b): head.weight * fc.weight * x, elementwise
    fc_w = net.fc.weight.asnumpy()[0]
    head_w = net.head.weight.asnumpy()[0, 0]
    assert_close(grads[0], head_w * fc_w * x.asnumpy()[0])
    assert_close(grads[1], np.array([head_w]))


@pytest.mark.parametrize("make", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_a_zero_dimensional_parameter_steps_like_a_one_element_one(make):
    scalar = Parameter(np.array(1.5, np.float32), name="s")
    vector = Parameter(np.array([1.5], np.float32), name="s")
    a, b = make([scalar]), make([vector])
    for g in (0.3, -0.7, 0.2):
        a((Tensor(np.array(g, np.float32)),))
        b((Tensor(np.array([g], np.float32)),))
    assert scalar.shape == ()
    np.testing.assert_array_equal(scalar.asnumpy().reshape(1), vector.asnumpy())
