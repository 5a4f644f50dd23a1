"""A list appended to in one branch of an ``if`` on a runtime value, or in a loop that a
``break`` or ``continue`` on a runtime value leaves early: its length is known only at run
time, so it is built at run time (``compiler/runtime_lists``) from that ``if`` on.  Each
program's value is the direct call's and its gradient central differences' in float64, on
inputs that take different paths (each away from a branch's threshold)."""
import numpy as np
import pytest
from helpers import assert_close, float_param

from autograd_st import Tensor, nn, numerical_grad, ops
from autograd_st.errors import CompileError, UnsupportedSyntaxError


def runtime_break(x):
    h = x
    outs = []
    for k in range(5):
        if (h * k).sum() > 20.0:
            break
        h = ops.tanh(h) * 2.0
        outs.append(h * (k + 1))
    return ops.stack(outs).sum()


def counter_continue(x):  # the counter decides: unrolled, no run-time list
    h = x
    outs = []
    for k in range(5):
        if k % 2 == 1:
            continue
        h = ops.tanh(h) * 2.0
        outs.append(h * (k + 1))
    return ops.stack(outs).sum()


def break_and_continue(x):
    h = x
    outs = []
    for k in range(5):
        if (h * k).sum() > 20.0:
            break
        if k % 2 == 1:
            continue
        h = ops.tanh(h) * 2.0
        outs.append(h * (k + 1))
    return ops.stack(outs).sum()


def runtime_continue(x):
    h = x
    outs = []
    for k in range(5):
        if (h * k).sum() > 5.0:
            continue
        h = ops.tanh(h) * 2.0
        outs.append(h * (k + 1))
    return ops.stack(outs).sum()


def if_then_read(x):
    outs = [x * 2]
    if x.sum() > 0:
        outs.append(ops.sin(x))
    return ops.stack(outs).sum() + outs[-1].sum() * len(outs)


def while_collect(x):
    h = x
    outs = []
    i = 0
    while h.sum() < 50.0:
        h = h * 1.5 + 0.3
        if h.max() > 4.0:
            outs.append(h)
        i += 1
        if i > 20:
            break
    return ops.concat(outs, 0).sum() if len(outs) > 0 else h.sum()


def nested_ifs(x):
    outs = []
    for k in range(4):
        if x.sum() > k + 0.5:
            for j in range(2):
                if (x * j).sum() > 0.5:
                    outs.append(x * (k + j))
    return ops.stack(outs).sum() if outs else x.sum() * 0


PROGRAMS = [runtime_break, counter_continue, break_and_continue, runtime_continue,
            if_then_read, while_collect, nested_ifs]
INPUTS = [np.array([0.35, -0.2, 0.9]), np.array([-0.3, -0.2, -0.9]),
          np.array([1.3, 1.2, 0.9]), np.array([2.9, 1.7, 3.1])]


@pytest.mark.parametrize("fn", PROGRAMS, ids=[f.__name__ for f in PROGRAMS])
@pytest.mark.parametrize("k", range(len(INPUTS)))
def test_value_and_gradient(fn, k):
    x = Tensor(INPUTS[k])
    value, grad = ops.value_and_grad(fn)(x)
    assert_close(value, fn(x), 1e-12, 1e-12)
    assert_close(grad, numerical_grad(fn, (INPUTS[k],), 0), 1e-6, 1e-7)


def test_the_paths_differ():
    """The inputs take paths with different numbers of items (else the test shows little)."""
    lengths = set()

    def count(x):
        h, n = x, 0
        for k in range(5):
            if (h * k).sum() > 20.0:
                break
            h = np.tanh(h) * 2.0
            n += 1
        return n
    for x in INPUTS:
        lengths.add(count(x))
    assert len(lengths) >= 2


def test_a_counter_decided_continue_keeps_a_list_of_the_compile():
    source = ops.grad(counter_continue).source(Tensor(INPUTS[0]))
    assert "list_append" not in source
    assert "list_append(outs" in ops.grad(runtime_break).source(Tensor(INPUTS[0]))


class Decoder(nn.Cell):
    """A loop that stops early on its state, collecting its steps: the Parameter's gradient
    too."""

    def __init__(self):
        super().__init__()
        self.w = float_param([0.5, -0.3, 0.2], "w")

    def construct(self, x):
        outs = []
        h = x
        for t in range(6):
            h = ops.tanh(h * self.w + 0.1 * t)
            if h.sum() < -0.2:
                break
            outs.append(h)
        return ops.stack(outs, 1).sum() + outs[-1].sum()


def test_a_cell_and_its_parameter():
    net = Decoder()
    for xv in ([0.3, -0.2, 0.9], [-0.5, -0.1, 0.4], [0.1, 0.1, -0.9]):
        x = np.array(xv)
        value, (gx, gw) = ops.value_and_grad(net, 0, net.trainable_params())(Tensor(x))
        assert_close(value, net(Tensor(x)), 1e-12, 1e-12)
        assert_close(gx, numerical_grad(lambda a: net(a), (x,), 0), 1e-6, 1e-7)
        w0 = net.w.asnumpy().copy()

        def of_w(w):
            net.w.set_data(Tensor(w))
            return net(Tensor(x))
        expected = numerical_grad(of_w, (w0,), 0)
        net.w.set_data(Tensor(w0))
        assert_close(gw[0], expected, 1e-6, 1e-7)


def test_higher_order_is_refused_at_the_users_line():
    with pytest.raises(UnsupportedSyntaxError) as info:
        ops.grad(ops.grad(if_then_read))(Tensor(INPUTS[0]))
    assert info.value.filename == __file__ and "hint:" in str(info.value)


def test_a_list_a_dict_holds_is_still_refused():
    def held(x):
        parts = {"ys": [x]}
        if x.sum() > 0.0:
            parts["ys"].append(x)
        return parts["ys"][0].sum()
    with pytest.raises(CompileError, match=r"the list parts\['ys'\] has 2 items"):
        ops.grad(held)(Tensor(INPUTS[0]))


# -- random programs of the class -------------------------------------------------------

from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_UPDATES = ["h = ops.tanh(h * {c} + {k})", "h = ops.sin(h) * {c} + h * 0.5",
            "h = h * {c} - ops.tanh(h)"]
_ITEMS = ["h * {c}", "ops.sin(h) + {k}", "h * h * {c}"]


@st.composite
def _programs(draw):
    """Source of ``f(x)``: a loop of a few trips whose body updates ``h``, and, under ifs on
    runtime values or the counter, breaks, continues and appends to ``outs``."""
    trips = draw(st.integers(1, 5))
    lines = ["def f(x):", "    h = x", "    outs = [x * 0.5]" if draw(st.booleans())
             else "    outs = []", "    for k in range(%d):" % trips]
    for _ in range(draw(st.integers(1, 4))):
        c = draw(st.sampled_from(["0.7", "1.3", "-0.8"]))
        kind = draw(st.sampled_from(["update", "append", "if_append", "if_break",
                                     "if_continue", "counter_continue"]))
        fmt = {"c": c, "k": "k"}
        threshold = draw(st.sampled_from(["0.5", "1.5", "-0.3"]))
        cond = "(h * %s).sum() > %s" % (c, threshold)
        if kind == "update":
            lines.append("        " + draw(st.sampled_from(_UPDATES)).format(**fmt))
        elif kind == "append":
            lines.append("        outs.append(%s)" % draw(st.sampled_from(_ITEMS)).format(**fmt))
        elif kind == "if_append":
            lines += ["        if %s:" % cond, "            outs.append(%s)"
                      % draw(st.sampled_from(_ITEMS)).format(**fmt)]
            if draw(st.booleans()):
                lines += ["        else:", "            h = h * 0.9"]
        elif kind == "if_break":
            lines += ["        if %s:" % cond, "            break"]
        elif kind == "if_continue":
            lines += ["        if %s:" % cond, "            continue"]
        else:
            lines += ["        if k %% 2 == %d:" % draw(st.integers(0, 1)), "            continue"]
    lines.append("    return (ops.stack(outs).sum() + outs[-1].sum() * len(outs)) "
                 "if len(outs) > 0 else h.sum() * 0.25")
    return "\n".join(lines) + "\n"


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(_programs(), st.integers(0, 3))
def test_random_loops_with_early_exits_and_appends(tmp_path_factory, source, k):
    import importlib.util
    import os
    path = os.path.join(str(tmp_path_factory.mktemp("prog")), "prog_branch_lists.py")
    with open(path, "w") as fh:
        fh.write("from autograd_st import ops\n\n\n" + source)
    spec = importlib.util.spec_from_file_location("prog_branch_lists_%d" % abs(hash(source)),
                                                  path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    x = INPUTS[k]
    # a branch threshold within a step of the input makes central differences meaningless:
    # two step sizes must agree
    coarse = numerical_grad(mod.f, (x,), 0, eps=1e-4)
    fine = numerical_grad(mod.f, (x,), 0, eps=1e-6)
    assume(np.allclose(coarse, fine, rtol=1e-4, atol=1e-5))
    value, grad = ops.value_and_grad(mod.f)(Tensor(x))
    assert_close(value, mod.f(Tensor(x)), 1e-12, 1e-12)
    assert_close(grad, fine, 1e-6, 1e-7)
