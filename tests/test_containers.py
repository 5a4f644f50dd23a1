"""Containers, loops that change a value's structure, local functions, f-strings and names
left unassigned by a runtime if (issue 12): each program gives what calling it gives (value)
and what central differences give (gradient, float64), or is refused at the user's line.
"""
from __future__ import annotations

import inspect

import numpy as np
import pytest

from autograd_st import ParameterTuple, Tensor, check_grads, nn, numerical_grad, ops
from autograd_st.errors import CompileError, RecursionNotSupportedError

try:
    from .helpers import T, assert_close
    from .helpers import float_param as Pm
except ImportError:  # run with tests/ on sys.path
    from helpers import T, assert_close
    from helpers import float_param as Pm

RTOL, ATOL = 1e-6, 1e-7


def check(fn, *args, weights=None):
    """value_and_grad against the direct call and central differences (float64): every
    argument, and ``weights`` when given.  Returns (value, gradients)."""
    direct = fn(*args)
    pos = 0 if len(args) == 1 else tuple(range(len(args)))
    value, grads = ops.value_and_grad(fn, pos, weights)(*args)
    numeric = numerical_grad(fn, args, pos, weights=weights)
    assert_close(value, direct)

    def flat(g):
        if weights is None:
            return [g] if pos == 0 else list(g)
        return ([g[0]] if pos == 0 else list(g[0])) + list(g[1])
    got, want = flat(grads), flat(numeric)
    assert len(got) == len(want)
    for g, n in zip(got, want):
        assert_close(g, n, RTOL, ATOL)
    return value, grads


def dense(n_in, n_out, seed):
    """An nn.Dense with float64 weights (finite differences in float64)."""
    rng = np.random.default_rng(seed)
    return nn.Dense(n_in, n_out, weight_init=Tensor(rng.normal(size=(n_out, n_in))),
                    bias_init=Tensor(rng.normal(size=(n_out,))))


def line_of(fn, text):
    """The file line of ``fn``'s source line containing ``text``."""
    lines, start = inspect.getsourcelines(fn)
    (i,) = [k for k, ln in enumerate(lines) if text in ln]
    return start + i


# ---------------------------------------------------------------------------------------
# item 1: a loop whose body changes a value's structure is unrolled (constant trip count)
# ---------------------------------------------------------------------------------------

def tuple_grown(x):
    ys = ()
    for i in range(3):
        ys = ys + (x * i,)
    return len(ys) * x.sum()


def test_tuple_grown_in_a_loop_matches_mindspore():
    x = Tensor(np.array([1.0, 2.0]))
    assert float(tuple_grown(x).asnumpy()) == 9.0
    value, grad = ops.value_and_grad(tuple_grown)(x)
    assert float(value.asnumpy()) == 9.0  # MindSpore 2.10: 9.0 and [3, 3]
    assert_close(grad, np.array([3.0, 3.0]))
    check(tuple_grown, T(2))


def tuple_grown_indexed(x):
    ys = ()
    for i in range(3):
        ys = ys + (x * i,)
    return (ys[2] * ys[1]).sum()


def test_tuple_grown_in_a_loop_then_indexed():
    x = Tensor(np.array([1.0, 2.0]))
    assert float(ops.value_and_grad(tuple_grown_indexed)(x)[0].asnumpy()) == 10.0
    check(tuple_grown_indexed, T(3))


def shape_grown(x):
    s = ()
    for i in range(2):
        s = s + (2,)
    return (ops.reshape(x, s) * ops.reshape(x, s)[0]).sum()


def test_shape_tuple_built_in_a_loop():
    value, _ = check(shape_grown, T(4))
    assert_close(value, shape_grown(T(4)))


def list_appended(x):
    ys = []
    for i in range(3):
        ys.append(ops.sin(x) * i)
    ys.extend([x, x * x])
    last = ys.pop()
    return ops.stack(ys).sum() * len(ys) + last.sum()


def test_list_appended_in_a_loop():
    check(list_appended, T(3))


def number_and_tuple(x):
    n = 0
    ys = (x,)
    for i in range(4):
        n = n + 2
        ys = ys + (ys[-1] * 0.5,)
    return ys[n // 2].sum() * n


def test_python_number_and_tuple_accumulated_together():
    check(number_and_tuple, T(3))


def grows_with_runtime_trips(x, n):
    ys = ()
    for i in range(len(x)):
        ys = ys + (x * i,)
    return len(ys) * x.sum() + ops.stack(ys).sum() * n


def grows_in_while(x):
    ys = ()
    while x.sum() < 10.0:
        x = x * 2.0
        ys = ys + (x,)
    return len(ys) * x.sum() + ops.stack(ys + (x,)).sum()


@pytest.mark.parametrize("fn", [grows_with_runtime_trips, grows_in_while])
def test_tuple_grown_without_constant_trip_count_is_a_runtime_list(fn):
    """ys = ys + (v,) in a loop that stays a loop: ys is kept as a run-time list (more in
    tests/test_runtime_tuples.py)."""
    x = np.array([1.0, 2.0])
    args = (Tensor(x), 3.0) if fn is grows_with_runtime_trips else (Tensor(x),)
    value, g = ops.value_and_grad(fn)(*args)
    assert float(value.asnumpy()) == pytest.approx(float(fn(*args).asnumpy()), rel=1e-12)
    np.testing.assert_allclose(g.asnumpy(), numerical_grad(fn, args), rtol=1e-6)


def prepends_with_runtime_trips(x, n):
    ys = ()
    for i in range(len(x)):  # LINE grows-runtime
        ys = (x * i,) + ys
    return len(ys) * x.sum()


def prepends_in_while(x):
    ys = ()
    while x.sum() < 10.0:  # LINE grows-while
        x = x * 2.0
        ys = (x,) + ys
    return len(ys) * x.sum()


@pytest.mark.parametrize("fn, tag", [(prepends_with_runtime_trips, "grows-runtime"),
                                     (prepends_in_while, "grows-while")])
def test_structure_change_without_constant_trip_count_is_refused(fn, tag):
    x = Tensor(np.array([1.0, 2.0]))
    args = (x, 3.0) if fn is prepends_with_runtime_trips else (x,)
    with pytest.raises(CompileError) as info:
        ops.grad(fn)(*args)
    err = info.value
    assert err.filename == __file__
    assert err.lineno == line_of(fn, "LINE " + tag)
    assert "'ys'" in str(err) and "tuple" in str(err) and "hint:" in str(err)


def carried_pair(x):
    state = (x, x * 0.5)
    for i in range(len(x)):  # a runtime trip count: stays a loop
        h, c = state
        state = (ops.tanh(h + c), c * 0.9 + h * 0.1)
    return (state[0] * state[1]).sum()


def test_tuple_of_fixed_structure_is_carried_by_a_loop_that_stays_a_loop():
    check(carried_pair, T(3))
    assert "for " in ops.grad(carried_pair).source(T(3))


def nested_index_outer(x):
    ws = (x, x * 2.0, x * 3.0)
    y = x * 0.0
    for i in range(3):
        for j in range(2):
            y = y + ws[i] * j
    return (y * y).sum()


def test_inner_loop_indexing_with_the_outer_counter_unrolls_the_outer_loop():
    check(nested_index_outer, T(2))


def too_many(x):
    ys = ()
    for i in range(5000):  # LINE too-many
        ys = (x,) + ys  # (grown at its end it would be a run-time list: no unrolling)
    return len(ys) * x.sum()


def test_long_loop_growing_a_tuple_at_its_end_stays_a_loop():
    def f(x):
        ys = ()
        for i in range(1500):
            ys = ys + (x * 0.001,)
        return len(ys) * ops.stack(ys).sum()
    x = T(2)
    g = ops.grad(f)
    assert "list_append(" in g.source(x)
    np.testing.assert_allclose(g(x).asnumpy(), np.full(x.shape, 1500 * 1500 * 0.001))


def test_unrolling_is_bounded():
    with pytest.raises(CompileError) as info:
        ops.grad(too_many)(T(2))
    assert info.value.lineno == line_of(too_many, "LINE too-many")


def list_in_branches(x):
    ys = [x, x]
    if x.sum() > 0.0:
        ys.pop()
        ys.append(x * 3.0)
    else:
        ys.append(ops.sin(x))
        ys.pop(0)
    zs = ys[1:] + [x] * 2
    zs.append(ys[0])
    return (ys[0] * ys[1]).sum() + ops.stack(zs).sum() * len(zs)


def test_list_changed_in_both_branches_of_a_runtime_if():
    check(list_in_branches, T(3, low=0.1, high=1.0))
    check(list_in_branches, T(3, low=-1.0, high=-0.1))


def list_grows_in_one_branch(x):
    ys = [x]
    if x.sum() > 0.0:
        ys.append(x * 2.0)
    return ops.stack(ys).sum()


def test_list_of_another_length_after_each_branch_is_built_at_run_time():
    """(Refused before: the list is a list built at run time from the if on; see
    tests/test_branch_lists.py for the class.)"""
    check(list_grows_in_one_branch, T(2, low=0.1, high=1.0))
    check(list_grows_in_one_branch, T(2, low=-1.0, high=-0.1))


def list_in_a_dict_grows_in_one_branch(x):
    d = {"ys": [x]}
    if x.sum() > 0.0:  # LINE one-branch-list
        d["ys"].append(x * 2.0)
    return ops.stack(d["ys"]).sum()


def test_a_dicts_list_of_another_length_after_each_branch_is_refused():
    with pytest.raises(CompileError) as info:
        ops.grad(list_in_a_dict_grows_in_one_branch)(T(2))
    assert info.value.lineno == line_of(list_in_a_dict_grows_in_one_branch,
                                        "LINE one-branch-list")
    assert "d['ys']" in str(info.value)


def sequences_into_primitives(x):
    return np.sum([x, x * 2.0]) + ops.sum((x, ops.sin(x))) + (ops.mul(x, (x, x * x))).sum()


def test_a_sequence_of_runtime_values_where_a_primitive_takes_an_array_is_stacked():
    # these lost the items' gradients (zero) before
    check(sequences_into_primitives, T(3))


def sequence_plus_value(x):
    return (x + [x, x]).sum()  # LINE seq-plus


def test_arithmetic_between_a_value_and_a_list_of_values_is_refused():
    with pytest.raises(CompileError) as info:
        ops.grad(sequence_plus_value)(T(2))
    assert info.value.lineno == line_of(sequence_plus_value, "LINE seq-plus")


def returns_a_pair_inside_a_loop(x):
    for i in range(3):
        if (x * i).sum() > 2.0:
            return x * i, ops.sin(x)
    return x, x * 2.0


def test_a_tuple_returned_inside_a_loop():
    # (the loop's return value starts shaped like the tuple it returns: it was refused)
    check(returns_a_pair_inside_a_loop, T(3, low=0.5, high=1.0))
    check(returns_a_pair_inside_a_loop, T(3, low=-1.0, high=-0.5))


# ---------------------------------------------------------------------------------------
# item 2: Parameters reached through a list, tuple or dict keep their gradients
# ---------------------------------------------------------------------------------------

class _Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = dense(3, 2, seed=1)

    def construct(self, x):
        return self.fc(x)


NET = _Net()
DECAY = [p for p in NET.trainable_params() if "bias" not in p.name]


def l2_global(x):
    loss = ops.sum(NET(x) ** 2)
    l2 = 0.0
    for w in DECAY:
        l2 = l2 + ops.sum(w ** 2)
    return loss + 0.1 * l2


def make_l2_closure(net):
    decay = [p for p in net.trainable_params() if "bias" not in p.name]

    def l2_closure(x):
        l2 = 0.0
        for w in decay:
            l2 = l2 + ops.sum(w ** 2)
        return ops.sum(net(x) ** 2) + 0.1 * l2
    return l2_closure


def test_loop_over_a_captured_list_of_parameters_keeps_their_gradients():
    x = T(4, 3, seed=2)
    params = NET.trainable_params()
    _, (_, gw) = check(l2_global, x, weights=params)
    # the L2 term's share: 0.2 * w, there besides the loss's
    without = ops.grad(lambda_free_loss, None, params)(x)
    assert_close(gw[0] - without[0], 0.2 * NET.fc.weight.asnumpy())
    net = _Net()
    check(make_l2_closure(net), x, weights=net.trainable_params())


def lambda_free_loss(x):
    return ops.sum(NET(x) ** 2)


class _L2(nn.Cell):
    """A loss Cell holding a plain list of another Cell's Parameters."""

    def __init__(self, net):
        super().__init__()
        self.net = net
        self.decay = [p for p in net.trainable_params() if "bias" not in p.name]

    def construct(self, x):
        l2 = 0.0
        for w in self.decay:
            l2 = l2 + ops.sum(w ** 2)
        return ops.sum(self.net(x) ** 2) + 0.1 * l2 + ops.sum(self.decay[0])


class _Outer(nn.Cell):
    def __init__(self):
        super().__init__()
        self.loss = _L2(_Net())

    def construct(self, x):
        return self.loss(x) * 2.0


def test_a_list_attribute_of_parameters_in_a_cell_and_in_a_sub_cell():
    x = T(4, 3, seed=2)
    net = _L2(_Net())
    check(net, x, weights=net.trainable_params())
    outer = _Outer()
    check(outer, x, weights=outer.trainable_params())


W1 = Pm([1.0, 2.0], "w1")
W2 = Pm([3.0, -1.0], "w2")
WS = [W1, W2]
WD = {"a": W1, "b": W2}


def through_containers(x):
    s = (ops.stack(WS) * x).sum()
    for i, w in enumerate(WS):
        s = s + (w * x * (i + 1)).sum()
    a, b = WS
    s = s + (WD["a"] * WD["b"] * x).sum() + sum(w.sum() for w in WS) + (a * b).sum()
    for k in WD:
        s = s + (WD[k] ** 2).sum()
    return s


def test_parameters_through_iteration_index_unpacking_dicts_and_whole_lists():
    check(through_containers, T(2), weights=[W1, W2])


def test_a_replaced_list_item_is_found_again():
    def f(x):
        return (WS[0] * x).sum()
    g1 = ops.grad(f, None, [W1])(T(2))
    assert_close(g1[0], T(2))
    new = Pm([5.0, 5.0], "w_new")
    WS[0] = new
    try:
        value = ops.value_and_grad(f, None, [new])(T(2))
        assert_close(value[0], (new.asnumpy() * T(2).asnumpy()).sum())
        assert_close(value[1][0], T(2))
    finally:
        WS[0] = W1


class _GradInside(nn.Cell):
    def __init__(self, net):
        super().__init__()
        self.net = net
        self.params = ParameterTuple(net.trainable_params())
        self.grad_op = ops.GradOperation(get_by_list=True)

    def construct(self, x):
        grads = self.grad_op(self.net, self.params)(x)
        scale = 2.0 if isinstance(self.params, ParameterTuple) else 1.0
        return (grads[0] * x).sum() * scale + (grads[1] * grads[1]).sum()


def test_a_parameter_tuple_given_to_grad_operation_inside_construct_stays_itself():
    # (the container of Parameters becomes inputs for the code, but GradOperation and
    # isinstance get the ParameterTuple itself)
    net = _GradInside(_Net())
    check(net, T(2, 3, seed=5))


# ---------------------------------------------------------------------------------------
# item 5: what MindSpore runs and the compiler now supports
# ---------------------------------------------------------------------------------------

class Coefs(nn.Cell):
    def __init__(self):
        super().__init__()
        self.coefs = (0.5, -1.0, 2.0)
        self.decay = [0.9, 0.8, 0.7]
        self.w = Pm([1.0, -2.0], "w")

    def construct(self, x):
        y = x * 0.0
        for k in range(3):
            y = y + self.coefs[k] * ops.sin(x * self.w) * self.decay[k]
        for t in range(len(x)):  # a runtime trip count: indexed at run time, still a loop
            y = y * self.decay[t]
        return (y * y).sum()


def test_constant_sequence_attribute_indexed_by_a_loop_counter():
    net = Coefs()
    check(net, T(2), weights=net.trainable_params())
    assert "for " in ops.grad(net).source(T(2))
    net.decay[1] = 0.25  # a list attribute changed in place: read as it is at each call
    check(net, T(2), weights=net.trainable_params())
    assert net(Tensor(np.ones(2, np.float32))).dtype == ops.value_and_grad(net)(
        Tensor(np.ones(2, np.float32)))[0].dtype


class Layers(nn.Cell):
    def __init__(self):
        super().__init__()
        self.layers = nn.CellList([dense(3, 3, 0), dense(3, 3, 1), dense(3, 2, 2)])

    def construct(self, x):
        for i in range(len(self.layers) - 1):
            x = ops.tanh(self.layers[i](x))
        outs = [layer(x) for layer in self.layers[:1]]
        return (self.layers[2](x) + self.layers[0](x)[:, :2]).sum() + ops.stack(outs).sum()


def test_cell_list_indexed_by_a_loop_counter_and_by_constants():
    net = Layers()
    check(net, T(4, 3), weights=net.trainable_params())
    src = ops.grad(net, None, net.trainable_params()).source(T(4, 3))
    assert "self_layers_0_weight" in src


def shapes(x):
    b, s, d = x.shape
    r0, r1 = x[:, 0, 1:3]
    return (x * b * s + d).sum() + (r0 * r1).sum()


def test_shape_unpacking_and_unpacking_a_runtime_value():
    check(shapes, T(2, 3, 4))


def test_unpacking_a_runtime_value_of_another_length_raises_as_python_does():
    def two(x):
        a, b = x.shape
        return x.sum() * a
    g = ops.grad(two)
    g(T(2, 3))
    with pytest.raises(ValueError, match="too many values to unpack"):
        two(T(2, 3, 4))
    with pytest.raises(ValueError, match="too many values to unpack"):
        g(T(2, 3, 4))


def comprehensions(x):
    ys = [x * i for i in range(4) if i != 2]
    total = sum((y * y).sum() for y in ys)
    d = {k: ops.sin(x) * k for k in range(2)}
    pairs = list(zip(ys, ys[1:]))
    return total + ops.stack(ys).sum() + d[1].sum() + len(pairs) * pairs[0][1].sum() \
        + tuple(ys)[-1].sum()


def test_list_comprehension_generator_and_dict_comprehension():
    check(comprehensions, T(3))


def closures(x):
    k = 3.0
    act = lambda t, s=2.0: ops.relu(t) * k * s  # noqa: E731
    k = 4.0  # a closure reads the variable when it is called, as Python's do

    def helper(t):
        if t.sum() > 100.0:
            return t * 2.0
        u = ops.sin(t) * k
        return u + x
    return act(x).sum() + helper(x).sum() + helper(x * 2.0).sum()


def test_lambda_and_nested_def_called_inside():
    check(closures, T(3, seed=4))


def recursive_local(x):
    def go(t):
        return go(t * 0.5)  # LINE local-recursion
    return go(x).sum()


def test_a_recursive_nested_def_is_refused():
    with pytest.raises(RecursionNotSupportedError) as info:
        ops.grad(recursive_local)(T(2))
    assert info.value.lineno == line_of(recursive_local, "LINE local-recursion")


def _apply(f, x):
    return f(x)


def lambda_passed(x):
    return _apply(lambda t: t * 2.0, x).sum()  # LINE lambda-passed


def test_a_lambda_passed_to_another_function_is_refused():
    with pytest.raises(CompileError) as info:
        ops.grad(lambda_passed)(T(2))
    assert info.value.lineno == line_of(lambda_passed, "LINE lambda-passed")


def fstrings(x):
    name = f"layer{1:02d}{'x'!r}"
    print(f"x = {x.sum()} {name}")
    return x.sum() * (2.0 if name == "layer01'x'" else 1.0)


def test_fstrings_constant_and_printed(capsys):
    check(fstrings, T(2))
    out = capsys.readouterr().out
    assert "layer01'x'" in out


class TwoLayers(nn.Cell):
    def __init__(self, f64=False):
        super().__init__()
        self.layers = nn.CellList([dense(2, 2, 0), dense(2, 2, 1)] if f64 else
                                  [nn.Dense(2, 2), nn.Dense(2, 2)])

    def construct(self, x):
        return (self.layers[0](x) + self.layers[1](x)).sum()


def test_sub_cells_indexed_by_constants_name_their_inputs_by_path():
    net = TwoLayers()
    x = Tensor(np.array([[1.0, 2.0], [3.0, -4.0]], np.float32))
    grads = ops.grad(net, None, net.trainable_params())(x)
    assert len(grads) == 4
    src = ops.grad(net, None, net.trainable_params()).source(x)
    assert "self_layers_0_weight" in src and "self_layers_1_bias" in src
    net64 = TwoLayers(f64=True)
    check(net64, T(2, 2), weights=net64.trainable_params())


# ---------------------------------------------------------------------------------------
# item 11: a name one branch of a runtime if leaves unassigned raises UnboundLocalError
# ---------------------------------------------------------------------------------------

def one_branch(x):
    if x.sum() > 0.0:
        y = x * 2.0
        k = 3
    return y.sum() * k  # LINE one-branch


def test_name_assigned_in_one_branch_works_where_it_is_assigned():
    check(one_branch, T(3, low=0.1, high=1.0))


def test_name_assigned_in_one_branch_raises_unbound_local_error_where_it_is_not():
    x = T(3, low=-1.0, high=-0.1)
    with pytest.raises(UnboundLocalError):
        one_branch(x)
    for api in (ops.grad(one_branch), ops.value_and_grad(one_branch)):
        with pytest.raises(UnboundLocalError) as info:
            api(x)
        text = str(info.value)
        assert "'y'" in text
        assert "%s:%d" % (__file__, line_of(one_branch, "LINE one-branch")) in text


def read_where_defined(x):
    c = x.sum() > 0.0
    if c:
        y = ops.sin(x)
    if c:
        return (y * x).sum()
    return x.sum()


def test_name_read_only_where_it_is_assigned():
    check(read_where_defined, T(3, low=0.1, high=1.0))
    check(read_where_defined, T(3, low=-1.0, high=-0.1))


def test_a_replaced_dict_item_is_found_again():
    def f(x):
        return (WD["a"] * x).sum()
    assert_close(ops.grad(f, None, [W1])(T(2))[0], T(2))
    new = Pm([5.0, 5.0], "w_new")
    WD["a"] = new
    try:
        value, grads = ops.value_and_grad(f, None, [new])(T(2))
        assert_close(value, (new.asnumpy() * T(2).asnumpy()).sum())
        assert_close(grads[0], T(2))
    finally:
        WD["a"] = W1


# ---------------------------------------------------------------------------------------
# forward mode and second order over all of the above (generated code read again)
# ---------------------------------------------------------------------------------------

SECOND_ORDER = [tuple_grown, tuple_grown_indexed, list_appended, number_and_tuple,
                carried_pair, nested_index_outer, comprehensions, closures, list_in_branches,
                sequences_into_primitives, one_branch, read_where_defined, shapes, fstrings,
                returns_a_pair_inside_a_loop]


@pytest.mark.parametrize("fn", SECOND_ORDER, ids=[f.__name__ for f in SECOND_ORDER])
def test_jvp_and_second_order(fn):
    x = T(2, 3, 4, seed=3, low=0.1, high=1.0) if fn is shapes else T(3, seed=3, low=0.1,
                                                                      high=1.0)
    check_grads(fn, (x,), order=2)


def _early_nested(x):
    if ops.sum(x) > 0:
        return (x * 2.0, (x * 3.0, ops.sin(x)))
    return (x, (x * x, x))


@pytest.mark.parametrize("values", [[1.0, 2.0], [-1.0, -2.0]])
def test_a_nested_tuple_returned_early_keeps_every_items_gradient(values):
    """Both branches' nested tuples merge item by item (a nested tuple copied whole lost
    the inner items' gradients: 2 instead of 5 + cos(x))."""
    x = Tensor(np.array(values))
    value, grad = ops.value_and_grad(_early_nested)(x)
    direct = _early_nested(x)
    np.testing.assert_allclose(value[1][1].asnumpy(), direct[1][1].asnumpy(), rtol=1e-15)
    np.testing.assert_allclose(grad.asnumpy(), numerical_grad(_early_nested, (x,)), rtol=1e-7)
