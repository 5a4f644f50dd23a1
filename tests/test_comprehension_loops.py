"""Comprehensions that cannot be unrolled are bound as the loops they mean
(``compiler/normalize_comprehensions``), and ``max`` / ``min`` / ``sum`` where a runtime value
takes part.  Each program's value is the direct call's and its gradient central differences'
in float64, on inputs of several shapes (trip counts 0, 1 and more included)."""
import numpy as np
import pytest
from helpers import assert_close

from autograd_st import Parameter, Tensor, nn, numerical_grad, ops
from autograd_st.errors import CompileError

r = 10.0  # a global the comprehensions' variable of the same name must not change


def rows_listcomp(x):
    return ops.stack([ops.tanh(r) * r for r in x]).sum()


def range_of_shape(x):
    return ops.stack([x[i] * (i + 1) for i in range(x.shape[0])]).sum() + r


def genexp_sum(x):
    return sum(x[i].sum() * (i + 1) for i in range(x.shape[0]))


def genexp_sum_start(x):
    return sum((ops.sin(r) * r for r in x), x.sum() * 0.5)


def runtime_condition(x):
    return sum((ops.exp(r) for r in x if r.sum() > 0.2), x.sum() * 0)


def constant_range_runtime_condition(x):
    return ops.stack([x * k for k in range(4) if (x * k).sum() > 0.5] + [x]).sum()


def two_generators(x):
    return ops.stack([x[i] * j for i in range(x.shape[0]) for j in range(1, 3)]).sum()


def nested_comprehension(x):
    return ops.stack([sum((ops.tanh(r * k) for r in x), x[0] * 0) for k in range(1, 3)]).sum()


def shadowed_local(x):
    r = x * 2
    ys = [ops.tanh(r) for r in x]
    return r.sum() + sum(y.sum() for y in ys)


def in_a_loop(x):
    h = x.sum(axis=0)
    for t in range(2):
        h = h + sum(ops.tanh(row * h) for row in x)
    return h.sum()


def in_a_runtime_loop(x):
    h = x.sum(axis=0)
    for t in range(x.shape[0]):
        h = ops.tanh(h) + ops.stack([row * h for row in x]).mean(axis=0)
    return h.sum()


def parts_of_split(x):
    return sum((p ** 2).sum() for p in ops.split(x, 1))


def numpy_rows(x):
    return np.stack([np.sin(row) * row for row in x]).sum()


PROGRAMS = [rows_listcomp, range_of_shape, genexp_sum, genexp_sum_start, runtime_condition,
            constant_range_runtime_condition, two_generators, nested_comprehension,
            shadowed_local, in_a_loop, in_a_runtime_loop, parts_of_split, numpy_rows]
SHAPES = [(1, 3), (3, 3), (4, 2)]


def _input(shape, seed=0):
    return np.random.default_rng(seed).uniform(-1.2, 1.2, size=shape)


def _check(fn, *arrays, tensors=True):
    """``ops.value_and_grad(fn)``'s value is the direct call's and its gradient (w.r.t. the
    first argument) central differences' in float64; the arrays are given as Tensors
    (``tensors``) or as they are."""
    args = [Tensor(a) for a in arrays] if tensors else list(arrays)
    value, grad = ops.value_and_grad(fn)(*args)
    assert_close(value, fn(*args), 1e-12, 1e-12)
    assert_close(grad, numerical_grad(fn, arrays, 0), 1e-6, 1e-7)


@pytest.mark.parametrize("fn", PROGRAMS, ids=[f.__name__ for f in PROGRAMS])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_value_and_gradient(fn, shape):
    data = _input(shape)
    x = np.array(data) if fn is numpy_rows else Tensor(data)
    value, grad = ops.value_and_grad(fn)(x)
    assert_close(value, fn(x), 1e-12, 1e-12)
    assert_close(grad, numerical_grad(fn, (data,), 0), 1e-6, 1e-7)
    assert r == 10.0


def test_one_compile_serves_every_trip_count():
    g = ops.grad(genexp_sum)
    for shape in SHAPES + [(6, 2)]:
        data = _input(shape, 1)
        assert_close(g(Tensor(data)), numerical_grad(genexp_sum, (data,), 0), 1e-6, 1e-7)


def test_no_rows():
    x = Tensor(np.zeros((0, 3)))
    value, grad = ops.value_and_grad(lambda a: sum((ops.exp(v).sum() for v in a), a.sum()))(x)
    assert float(value) == 0.0
    assert grad.shape == (0, 3)


def test_the_conditions_choose_differently():
    """The inputs keep different numbers of rows (else the condition's test shows little)."""
    kept = {sum(1 for row in _input(s) if row.sum() > 0.2) for s in SHAPES}
    assert len(kept) >= 2


class Rows(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.linspace(-0.5, 0.7, 6).reshape(3, 2)), name="w")

    def construct(self, x):
        return ops.stack([ops.tanh(ops.matmul(row, self.w)) for row in x]).sum()


def test_a_cell_and_its_parameter():
    net = Rows()
    data = _input((4, 3), 2)
    gx, (gw,) = ops.grad(net, grad_position=0, weights=net.trainable_params())(Tensor(data))
    assert_close(gx, numerical_grad(lambda a: net(Tensor(a)), (data,), 0), 1e-6, 1e-7)
    w0 = net.w.asnumpy().copy()

    def of_w(w):
        net.w.set_data(Tensor(w))
        return net(Tensor(data))
    expected = numerical_grad(of_w, (w0,), 0)
    net.w.set_data(Tensor(w0))
    assert_close(gw, expected, 1e-6, 1e-7)


def test_the_dump_reads_as_the_loop():
    source = ops.grad(rows_listcomp).source(Tensor(_input((3, 3))))
    assert "for r in range(" in source or "for _x_index in range(" in source
    assert "# return ops.stack([ops.tanh(r) * r for r in x]).sum()" in source


def test_a_dict_comprehension_over_a_runtime_value_is_refused():
    def f(x):
        d = {i: x[i] for i in range(x.shape[0])}
        return d[0].sum()
    with pytest.raises(CompileError, match="range whose bounds are runtime"):
        ops.grad(f)(Tensor(_input((2, 2))))


# -- max / min ---------------------------------------------------------------------------

def max_of_two(x):
    return max(x.sum(), (x * x).sum())


def min_with_a_number(x):
    return min(x.sum(), 0.25) * 3.0


def max_of_three(x):
    return max((x[0] * 2).sum(), x[1].sum(), ops.tanh(x).sum())


def max_of_a_tuple(x):
    return max(((x * 2).sum(), x.mean()))


def min_of_arrays_elementwise_is_a_loop(x):
    total = 0
    for row in [x[0], x[1]]:
        total = total + min(row.sum(), row.max())
    return total


MINMAX = [max_of_two, min_with_a_number, max_of_three, max_of_a_tuple,
          min_of_arrays_elementwise_is_a_loop]


@pytest.mark.parametrize("fn", MINMAX, ids=[f.__name__ for f in MINMAX])
@pytest.mark.parametrize("seed", range(4))
def test_max_min(fn, seed):
    data = _input((2, 3), seed)
    _check(fn, data)


def test_max_of_equal_items_takes_the_first_as_python_does():
    def f(x):
        a = x.sum()
        return max(a, a * 1.0 + 0.0 * x[0, 0])  # equal values: CPython keeps the first
    grad = ops.grad(f)(Tensor(_input((2, 2))))
    assert_close(grad, np.ones((2, 2)))


def test_max_with_a_key_takes_the_item_its_key_chooses():
    """``key=float``: the keys are only compared (no gradient through them, as in MindSpore's
    PyNative mode, tests/test_idioms_runtime.py), the gradient flows to the item chosen."""
    def f(x):
        return max([x.sum(), x.mean() * 8.0], key=float)
    for data in (_input((2, 2)), -np.abs(_input((2, 2))) - 0.1):  # (each item chosen)
        want = np.ones((2, 2)) if data.sum() > data.mean() * 8.0 else np.full((2, 2), 2.0)
        assert_close(ops.grad(f)(Tensor(data)), want)


def test_sum_of_a_comprehension_is_differentiated_again():
    """sum(<generator>) over rows is one loop adding to a total (no list is made), so a
    second derivative goes through: d2/dx2 of sum(sin(x) * x) is 2 cos(x) - x sin(x)."""
    def f(x):
        return sum((ops.sin(row) * row).sum() for row in x)
    data = _input((3, 2), 3)
    assert_close(ops.grad(ops.grad(f))(Tensor(data)),
                 2 * np.cos(data) - data * np.sin(data), 1e-10, 1e-12)


def test_a_list_comprehensions_second_derivative_is_refused_at_the_users_line():
    def f(x):
        return ops.stack([ops.sin(row) for row in x]).sum()
    with pytest.raises(CompileError, match="derivative of a derivative") as info:
        ops.grad(ops.grad(f))(Tensor(_input((2, 2))))
    assert "test_comprehension_loops.py" in str(info.value)


# -- *-unpacking and map ---------------------------------------------------------------

def star_target(x):
    a, *rest = [x, x * 2, ops.tanh(x)]
    return (a * sum(rest)).sum()


def star_in_the_middle(x):
    first, *middle, last = (x, x * 2, x * 3, ops.sin(x))
    return (ops.stack(middle).sum(axis=0) * first + last).sum()


def star_display(x):
    ys = [x, x * 2]
    return ops.stack([*ys, ops.exp(x)]).sum() + ops.stack((*ys,)).sum()


def mapped(x):
    ys = list(map(ops.tanh, [x, x * 2]))
    zs = tuple(map(lambda a, b: a * b, ys, (1.5, -0.5)))
    return sum(z.sum() for z in zs)


UNPACKING = [star_target, star_in_the_middle, star_display, mapped]


@pytest.mark.parametrize("fn", UNPACKING, ids=[f.__name__ for f in UNPACKING])
@pytest.mark.parametrize("shape", [(3,), (2, 3)], ids=str)
def test_unpacking_and_map(fn, shape):
    data = _input(shape, 4)
    _check(fn, data)


def test_star_unpacking_a_runtime_value_is_refused():
    def f(x):
        a, *rest = x
        return a.sum()
    with pytest.raises(CompileError, match="length is known only when the code runs"):
        ops.grad(f)(Tensor(_input((3, 2))))


def split_unpacked(x):
    first, *middle, last = ops.split(x, 1)
    return (first * last).sum() + ops.concat(middle).sum() * 2.0


@pytest.mark.parametrize("rows", [3, 4, 6])
def test_star_unpacking_a_run_time_list(rows):
    data = _input((rows, 3), 5)
    value, grad = ops.value_and_grad(split_unpacked)(Tensor(data))
    assert_close(value, split_unpacked(Tensor(data)), 1e-12, 1e-12)
    assert_close(grad, numerical_grad(split_unpacked, (data,), 0), 1e-6, 1e-7)


def test_star_unpacking_a_short_run_time_list_raises_as_python_does():
    g = ops.grad(split_unpacked)
    g(Tensor(_input((3, 3))))
    with pytest.raises(ValueError, match="not enough values to unpack"):
        g(Tensor(_input((1, 3))))


def test_star_unpacking_too_few_values():
    def f(x):
        a, b, *rest = [x]
        return (a * b).sum() + len(rest)
    with pytest.raises(CompileError, match="not enough values to unpack"):
        ops.grad(f)(Tensor(_input((3, 2))))


# -- loops over enumerate / zip / reversed of runtime values, builtins of run-time lists ---

def enumerate_rows(x):
    total = 0.0
    for i, row in enumerate(x):
        total = total + ops.sin(row).sum() * (i + 1)
    return total


def zip_rows(x):
    return sum((a * b).sum() for a, b in zip(x, x[::-1] * 2.0))


def zip_parts(x):
    parts = ops.split(x, 1)
    return sum(a.sum() * ops.exp(b).sum() for a, b in zip(parts, reversed(parts)))


def rnn_outputs(x):
    hs = []
    h = x[0] * 0.0
    for t in range(x.shape[0]):
        h = ops.tanh(x[t] + h * 0.5)
        hs.append(h)
    return sum(hs).sum() + max(h.sum() for h in hs) - min(hs[i].mean() for i in range(len(hs)))


def reversed_loop(x):
    hs = [ops.sin(r) for r in x]
    h = hs[0] * 0.0
    for v in reversed(hs):
        h = ops.tanh(v + h)
    return h.sum()


def any_all(x):
    big = any(r.sum() > 0.5 for r in x)
    small = all(r.sum() < 1.5 for r in x)
    return (x * x).sum() * (2.0 if big else 1.0) + (x.sum() if small else 0.0)


def reversed_rows(x):
    """reversed(x) of a runtime value: its rows last first (the order matters here)."""
    h = x[0] * 0.0
    for r in reversed(x):
        h = ops.tanh(r + h * 0.5)
    return h.sum()


def reversed_rows_comprehensions(x):
    firsts = ops.stack([ops.sin(r) * (k + 1) for k, r in enumerate(reversed(x))]).sum()
    return firsts + sum((r * w).sum() for r, w in zip(reversed(x), (0.5, -2.0, 1.5)))


def zip_reversed_rows(x):
    total = 0.0
    for a, b in zip(x, reversed(x * 0.5)):
        total = total * 0.5 + (ops.exp(a * 0.3) * b).sum()
    return total


def enumerate_zip_rows(x):
    """for i, (a, b) in enumerate(zip(..)): zip's loop counted by i (was refused: "zip has
    no derivative rule")."""
    total = 0.0
    for i, (a, b) in enumerate(zip(x, x * 0.5)):
        total = total * 0.5 + (a * b).sum() * (i + 1)
    for i, (a, c) in enumerate(zip(x, (0.5, 2.0, -1.0))):
        total = total + ops.sin(a).sum() * c * (i + 1)
    return total


def enumerate_zip_comprehensions(x):
    hs = [ops.tanh(r) for r in x]
    firsts = ops.stack([a * b.sum() * (i + 1) for i, (a, b) in enumerate(zip(x, reversed(x)))])
    return firsts.sum() + sum((h * r).sum() * k for k, (h, r) in enumerate(zip(hs, x)))


RUNTIME_SEQUENCES = [enumerate_rows, zip_rows, zip_parts, rnn_outputs, reversed_loop, any_all,
                     reversed_rows, reversed_rows_comprehensions, zip_reversed_rows,
                     enumerate_zip_rows, enumerate_zip_comprehensions]


@pytest.mark.parametrize("fn", RUNTIME_SEQUENCES, ids=[f.__name__ for f in RUNTIME_SEQUENCES])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("seed", [0, 7])
def test_runtime_sequences(fn, shape, seed):
    data = _input(shape, seed)
    _check(fn, data)


def test_any_and_all_take_both_ways():
    seen = set()
    for shape in SHAPES:
        for seed in (0, 7):
            rows = _input(shape, seed)
            seen.add((any(r.sum() > 0.5 for r in rows), all(r.sum() < 1.5 for r in rows)))
    assert len(seen) >= 2


def zip_with_numbers(x):
    total = 0.0
    for row, w in zip(x, [1.0, -2.0, 0.5]):
        total = total + ops.sin(row).sum() * w
    return total + sum(w * r.sum() for w, r in zip((0.5, 1.5), x))


@pytest.mark.parametrize("shape", [(1, 2), (2, 2), (5, 2)], ids=str)
def test_zip_of_rows_and_numbers_reads_the_numbers_by_the_counter(shape):
    data = _input(shape, 4)
    value, grad = ops.value_and_grad(zip_with_numbers)(Tensor(data))
    assert_close(value, zip_with_numbers(Tensor(data)), 1e-12, 1e-12)
    assert_close(grad, numerical_grad(zip_with_numbers, (data,), 0), 1e-6, 1e-7)


def test_zip_of_a_runtime_value_and_a_compile_time_list_of_tensors_is_refused():
    def f(x):
        total = 0.0
        for row, w in zip(x, [x[0], x[1] * 2.0]):
            total = total + (row * w).sum()
        return total
    with pytest.raises(CompileError, match="zip of a runtime value and a sequence known"):
        ops.grad(f)(Tensor(_input((2, 2))))


class Stacked(nn.Cell):
    def __init__(self):
        super().__init__()
        for i in range(3):
            setattr(self, "fc%d" % i, nn.Dense(3, 3))

    def construct(self, x):
        for i in range(3):
            x = ops.tanh(getattr(self, "fc%d" % i)(x))
        return x.sum()


def test_getattr_by_a_name_the_loop_counter_makes():
    net = Stacked()
    data = _input((2, 3), 8)
    value, (gx, gws) = ops.value_and_grad(net, grad_position=0,
                                          weights=net.trainable_params())(Tensor(data))
    assert_close(value, net(Tensor(data)), 1e-6, 1e-6)
    assert len(gws) == 6
    assert_close(gx, numerical_grad(lambda a: net(Tensor(a)), (data,), 0), 1e-4, 1e-5)


# -- numpy functions given a list built at run time: numpy's conversion (stacked) --------

NUMPY_OF_LISTS = {
    "array": lambda x: (np.array([np.sin(r) for r in x]) * x).sum(),
    "sum": lambda x: np.sum([r @ r for r in x]),
    "max": lambda x: np.max([np.tanh(r).sum() * (i + 1) for i, r in enumerate(x)]),
    "mean_axis": lambda x: np.mean([np.exp(r) for r in x], axis=0).sum(),
    "ufunc": lambda x: np.sin([r * 2.0 for r in x]).sum(),
    "concatenate": lambda x: np.concatenate([r * i for i, r in enumerate(x)]).sum(),
}


@pytest.mark.parametrize("name", sorted(NUMPY_OF_LISTS))
@pytest.mark.parametrize("shape", [(1, 3), (4, 2)], ids=str)
def test_numpy_of_a_run_time_list(name, shape):
    fn = NUMPY_OF_LISTS[name]
    data = _input(shape, 9)
    _check(fn, data, tensors=False)


COEFS = [1.0, 2.0]


def enumerate_global(x):
    total = 0.0
    for k, c in enumerate(COEFS):
        total = total + (x * c).sum() * (k + 1)
    for c, d in zip(COEFS, COEFS[::-1]):
        total = total + (x * c * d).sum()
    return total + sum(c * x.sum() for k, c in enumerate(COEFS))


def test_a_global_list_enumerate_and_zip_read_is_guarded():
    g = ops.grad(enumerate_global)
    data = _input((2, 2), 3)
    first = g(Tensor(data))
    assert_close(first, numerical_grad(enumerate_global, (data,), 0), 1e-6, 1e-7)
    COEFS.append(3.0)
    try:
        assert_close(g(Tensor(data)), numerical_grad(enumerate_global, (data,), 0), 1e-6, 1e-7)
    finally:
        COEFS.pop()


# -- reverse() and pop() of a run-time list -----------------------------------------------

def reversed_in_place(x):
    ys = [ops.sin(r) for r in x]
    ys.reverse()
    return (ys[0] * 2.0 + ys[-1]).sum()


def popped(x):
    stack = [r * 2.0 for r in x]
    top = stack.pop()
    return (top * ops.stack(stack).sum(axis=0)).sum() + len(stack)


def reduced_by_pops(x):
    hs = []
    for r in x:
        hs.append(ops.tanh(r))
    while len(hs) > 1:
        a = hs.pop()
        b = hs.pop()
        hs.append(a * b + a)
    return hs[0].sum()


@pytest.mark.parametrize("fn", [reversed_in_place, popped, reduced_by_pops],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("rows", [2, 3, 5])
def test_reverse_and_pop(fn, rows):
    data = _input((rows, 3), rows)
    _check(fn, data)


def test_pop_of_an_empty_run_time_list_raises():
    g = ops.grad(popped)
    with pytest.raises(IndexError):
        g(Tensor(np.zeros((0, 3))))


MAX_OF_ROWS = [lambda x: max(np.tanh(x)) * 2.0, lambda x: min(x * x) + max(x),
               lambda x: max(np.array([x[0] * 2.0, x[1], x[2] ** 2]))]


@pytest.mark.parametrize("k", range(len(MAX_OF_ROWS)))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_max_of_an_arrays_items_as_python_iterates_it(k, seed):
    fn = MAX_OF_ROWS[k]
    data = np.random.default_rng(seed).uniform(-1, 1, (4,))
    _check(fn, data, tensors=False)


def _f_max_min(x):
    return max(x.sum(), (x * x).sum()) + min(ops.tanh(x).sum(), 0.3)


def _f_sum_rows(x):
    return sum((ops.sin(r) * r).sum() for r in x)


@pytest.mark.parametrize("fn", [_f_max_min, enumerate_rows, _f_sum_rows],
                         ids=lambda f: f.__name__)
def test_forward_mode_and_second_order(fn):
    data = _input((3, 2), 6)
    out, tangent = ops.jvp(fn, (Tensor(data),), (Tensor(np.ones_like(data)),))
    expected = (fn(Tensor(data + 1e-6)).asnumpy() - fn(Tensor(data - 1e-6)).asnumpy()) / 2e-6
    assert_close(out, fn(Tensor(data)), 1e-12, 1e-12)
    assert_close(tangent, expected, 1e-6, 1e-7)
    hessian_rows = ops.grad(ops.grad(fn))(Tensor(data))
    assert_close(hessian_rows, numerical_grad(
        lambda a: ops.grad(fn)(Tensor(a)).asnumpy().sum(), (data,), 0), 1e-5, 1e-6)


def dict_call(x):
    d = dict(a=x, b=ops.sin(x))
    e = dict([("c", x * 2.0)], d=x ** 2)
    return sum(v.sum() for v in d.values()) + (e["c"] * e["d"]).sum()


def test_the_dict_builtin_builds_a_dict_of_values():
    data = _input((2, 3), 11)
    value, grad = ops.value_and_grad(dict_call)(Tensor(data))
    assert_close(value, dict_call(Tensor(data)), 1e-12, 1e-12)
    assert_close(grad, numerical_grad(dict_call, (data,), 0), 1e-6, 1e-7)


def test_reversed_rows_of_an_input_not_differentiated():
    """reversed(y) of an argument the gradient is not taken for (the soak found it compiled
    to ``len(reversed(y))``, a TypeError when the code ran)."""
    def fn(x, y):
        h = x
        for r in reversed(y):
            h = ops.tanh(h * r + h)
        return h.sum()

    x, y = _input((3,), 1), _input((4, 3), 2)
    _check(fn, x, y)


def extended_display(x):
    ys = ()
    for i in range(x.shape[0]):
        ys = ys + (ops.sin(x[i]) * (i + 1),)
    zs = [*ys, ys[0] * 2.0]  # (the soak's program: a run-time tuple unpacked first)
    return ops.sum(ops.stack(zs))


def extended_tuple_display(x):
    hs = []
    for r in x:
        hs.append(ops.tanh(r))
    zs = (*hs, x[0], x[-1] * 3.0)
    total = 0.0
    for k, z in enumerate(zs):
        total = total + ops.sum(z * z) * (k + 1)
    return total + len(zs)


def display_copy(x):
    hs = []
    for r in x:
        hs.append(r * 2.0)
    zs = [*hs]
    zs.append(x[0])  # (a copy: hs keeps its items)
    return ops.sum(ops.stack(zs) ** 2) + ops.sum(ops.stack(hs))


@pytest.mark.parametrize("fn", [extended_display, extended_tuple_display, display_copy],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_a_run_time_list_unpacked_first_in_a_display(fn, shape):
    data = _input(shape, 3)
    _check(fn, data)


def test_a_run_time_list_unpacked_after_an_item():
    def fn(x):
        hs = []
        for r in x:
            hs.append(r * 2.0)
        return ops.sum(ops.stack([x[0], *hs]) ** 2)
    for shape in ((3, 2), (1, 2)):
        _check(fn, _input(shape, 0))


# -- a name first bound in a loop with a constant trip count, read after it ---------------

def last_iteration(x):
    for k in range(3):
        y = ops.sin(x) * (k + 1)
    return (y * x).sum()


def last_of_nested(x):
    h = x
    for i in range(2):
        for j in range(2):
            z = ops.tanh(h * (i + j + 1))
        h = z + h
    return (z * h).sum()


def last_beside_a_carried_value(x):
    h = x
    for _ in range(2):
        out = ops.tanh(h) * 0.5
        h = out + x
    return (out * h).sum()


@pytest.mark.parametrize("fn", [last_iteration, last_of_nested, last_beside_a_carried_value],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("shape", [(3,), (2, 3)], ids=str)
def test_a_name_first_bound_in_a_loop_is_its_last_iterations_value(fn, shape):
    """Python keeps the last iteration's value; the loop (a constant trip count of at least
    one) is unrolled so that the name has it (was refused: "'y' is assigned inside a loop
    but not before it")."""
    data = _input(shape, 5)
    _check(fn, data)


def test_a_name_bound_only_in_a_loop_of_no_iteration_or_a_runtime_count_is_refused():
    def never(x):
        for k in range(0):
            y = x * k
        return y.sum()

    def rows(x):
        for r in x:
            last = r
        return last.sum()
    for fn, name in ((never, "y"), (rows, "last")):
        with pytest.raises(CompileError, match="'%s' is assigned inside a loop but not before"
                           % name):
            ops.grad(fn)(Tensor(_input((2, 3), 0)))


def last_before_a_runtime_break(x):
    total = x.sum() * 0.0
    for k in range(4):
        y = x * (k + 1)
        if (y * y).sum() > 6.0:
            break
        total = total + y.sum()
    return total + (y * 0.5).sum()


@pytest.mark.parametrize("scale", [0.1, 0.5, 1.0, 3.0])
def test_a_name_first_bound_in_a_loop_left_by_a_runtime_break(scale):
    """The break on a runtime value leaves the loop at different iterations for these
    inputs (at no iteration, the 4th, the 2nd, the 1st): the name holds the value of the
    iteration it left at."""
    data = _input((3,), 0) * scale
    fn = last_before_a_runtime_break
    _check(fn, data)


def test_a_loop_whose_local_is_assigned_again_after_it_stays_a_loop():
    """Only a name read after the loop before it is assigned again makes it unrolled."""
    def fn(x):
        acc = x * 0.0
        for k in range(50):
            t = ops.sin(x * (k + 1) * 0.01)
            acc = acc + t
        t = acc * 0.5
        return (t * x).sum()
    data = _input((3,), 2)
    src = ops.grad(fn).source(Tensor(data))
    assert "for k" in src and src.count("np.sin(") == 1
    assert_close(ops.grad(fn)(Tensor(data)), numerical_grad(fn, (data,), 0), 1e-6, 1e-7)


def test_a_list_item_set_in_a_runtime_loop_is_carried():
    """A list of fixed length whose items a loop that stays a loop sets: each item carried
    (tests/test_idioms_runtime.py has more)."""
    def fn(x):
        acc = [0.0, 0.0]
        for r in x:
            acc[0] = acc[0] + r.sum()
        return acc[0] * 2.0
    for shape in ((3, 2), (1, 2), (0, 2)):
        _check(fn, _input(shape, 0))


def test_a_list_item_set_to_something_a_loop_cannot_carry_is_refused_saying_so():
    def fn(x):
        acc = [0.0, x]
        for r in x:
            acc[0] = acc[0] + r.sum()
            acc[1] = None
        return acc[0] * 2.0
    with pytest.raises(CompileError, match=r"changes the list 'acc' \(sets an item: item 1 "
                       r"from a runtime value to None\)") as e:
        ops.grad(fn)(Tensor(_input((3, 2), 0)))
    assert "for r in x" in str(e.value)
