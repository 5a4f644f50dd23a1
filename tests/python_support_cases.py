"""One function per supported row of docs/python_support.md (tests/test_fence.py runs each:
its value against the direct call, its gradient against central differences).

Each takes one float64 Tensor of shape (2, 3) with entries in (0.1, 1).
"""
import collections

import numpy as np

from autograd_st import Tensor, nn, ops
from autograd_st import dtype as mstype

DEBUG = False
SCALES = (0.5, 2.0, -1.0)


def _helper(a, b=2.0):
    return ops.tanh(a) * b


def _star(a, *rest, scale=1.0, **named):
    return a * rest[0] * scale + named["shift"] * rest[1]


def varargs_and_kwargs(x):
    return _star(x, ops.sin(x), x * x, scale=3.0, shift=x).sum()


def _three(a, b, c):
    return a * b + c


def _pass_through(*args):
    return _three(*args)


def starred_call_args(x):
    pair = (x * 2.0, ops.sin(x))
    return (_pass_through(x, *pair) + ops.add(*[x, x * x])).sum()


def _scaled(x, scale=1.0, power=1):
    return scale * x ** power


def _forward_kwargs(x, **kwargs):
    return _scaled(x, **kwargs) + x


def kwargs_unpacking_call(x):
    opts = {"power": 3}
    return (_forward_kwargs(x, **opts) * _forward_kwargs(x, **{"scale": 0.5})).sum()


def shape_check_raise(x):
    # a check on shapes and settings known when the code compiles (mindcv's PatchEmbed)
    if x.shape[-1] != 3 or x.ndim > 4:
        raise ValueError("expected 3 columns, got %d" % x.shape[-1])
    assert x.ndim == 2, "a matrix"
    return (x * x).sum()


def loop_else(x):
    y = x
    for i in range(3):
        if ops.sum(y) > 40.0:  # (on a runtime value)
            break
        y = y * 1.5
    else:
        y = y + 1.0  # (no break: runs)
    n = 0
    while n < 2:
        n += 1
        y = ops.sin(y) + x
    else:
        y = y * 2.0
    for row in (x[0], x[1]):
        for k in range(2):
            if k == 5:
                break
        else:
            continue  # (the outer loop's)
        y = y * 100.0
    return (y * y).sum()


def assign(x):
    y = x * 2.0
    a = b = y
    return (a + b).sum()


def unpack(x):
    a, (b, c) = x, (x * 2.0, 3.0)
    return (a * b * c).sum()


def unpack_runtime(x):
    n, m = x.shape
    r0, r1 = x
    return (r0 * r1).sum() * n + m


def augassign(x):
    y = x
    y += 1.0
    y *= x
    return y.sum()


def annassign(x):
    y: float = x * 3.0
    return y.sum()


def if_constant(x):
    if DEBUG:
        x = x * 100.0
    return x.sum()


def if_runtime(x):
    if x.sum() > 1.0:
        y = ops.sin(x)
    elif x.sum() > 0.0:
        y = x * 2.0
    else:
        y = x
    return y.sum()


def name_in_one_branch(x):
    c = x.sum() > 0.0
    if c:
        y = ops.exp(x)
    if c:
        return (y * x).sum()
    return x.sum()


def conditional_expression(x):
    return (x * 2.0 if x.sum() > 0.0 else x).sum()


def bool_ops(x):
    s = x.sum()
    if s > 0.0 and not s > 100.0 or s < -100.0:
        return (x * x).sum()
    return x.sum()


def chained_compare(x):
    return (x * 3.0).sum() if 0.0 < x.sum() < 100.0 else x.sum()


def for_range(x):
    y = x
    for i in range(len(x)):
        y = ops.sin(y) + x * i
    return y.sum()


def for_range_unrolled(x):
    ys = ()
    for i in range(3):
        ys = ys + (x * i,)
        last = ops.sin(x) * i  # (first bound here, read after the loop)
    return len(ys) * ops.stack(ys).sum() + last.sum()


def for_sequence(x):
    y = x
    for s in SCALES:
        y = y * s + x
    return y.sum()


def for_tensor_rows(x):
    total = x[0] * 0.0
    for row in x:
        total = total + ops.tanh(row)
    return total.sum()


def while_loop(x):
    y = x
    while y.sum() < 20.0:
        y = y * 2.0
    return y.sum()


def break_continue(x):
    y = x
    for i in range(5):
        if i == 1:
            continue
        y = y * 1.5
        if y.sum() > 10.0:
            break
    return y.sum()


def early_return(x):
    if x.sum() > 100.0:
        return x.sum()
    for i in range(3):
        if (x * i).sum() > 2.0:
            return (x * i).sum()
    return (x * x).sum()


def helper_call(x):
    return _helper(x).sum() + _helper(x, b=3.0).sum()


def keyword_calls(x):
    scale = lambda a, b=2.0: a * b  # noqa: E731
    return _helper(b=0.5, a=x).sum() + scale(b=x, a=x).sum() + _helper(x, 1.5).sum()


def nested_def(x):
    def scale(t, k=2.0):
        if t.sum() > 100.0:
            return t
        return t * k
    return scale(x).sum() + scale(x, 3.0).sum()


def lambda_(x):
    act = lambda t: ops.sigmoid(t) * 2.0  # noqa: E731
    return act(x).sum()


def list_append(x):
    ys = []
    for i in range(3):
        ys.append(x * i)
    ys.extend([x])
    return ops.stack(ys).sum()


def list_aliases(x):
    outs = [x[0]]
    push = outs.append

    def add(v, store=outs):
        store.append(v)
    for i in range(2):
        push(x[i] * 2.0)
        add(ops.sin(x[i]))
        getattr(outs, "append")(x[1] * i)
    outs += [x[0] * x[1]]
    list.append(outs, x[1] * 3.0)
    return ops.stack(outs).sum() * len(outs)


def list_aliases_collect(x):
    outs = [x[0]]
    push = outs.append

    def add(v, store=outs):
        store.append(v)
    t = 0
    while t < x.shape[0]:
        push(x[t] * 2.0)
        add(ops.sin(x[t]))
        t += 1
    return ops.stack(outs, 0).sum() * len(outs)


def dict_method_alias(x):
    d = {"a": x}
    put = d.__setitem__
    put("b", x * 2.0)
    d.update(c=ops.sin(x))
    return (d["a"] * d["b"] + d["c"]).sum()


SEEN = []


def outside_append_runtime(x):
    n = x.shape[0]
    i = 0
    while ops.sum(x) * i < 100.0 and i < n:
        SEEN.append(("step", i, n))
        i += 1
    SEEN.append(("kept", ops.stop_gradient(x.sum())))
    return x.sum() * i


def for_range_collect(x):
    h = x[0] * 0.0
    outs = []
    for t in range(x.shape[0]):  # a runtime trip count: a loop, the list a run-time list
        h = ops.tanh(h * 0.5 + x[t])
        outs.append(h)
    return ops.stack(outs, 1).sum() + outs[-1].sum() * len(outs)


def for_range_accumulators(x):
    acc = [x[0] * 0.0, 1.0]
    d = {"h": x[0], "steps": 0}
    for t in range(x.shape[0]):  # a runtime trip count: each item carried by the loop
        acc[0] = acc[0] + x[t] * d["h"]
        acc[1] = acc[1] * ops.sum(ops.cos(x[t]))
        d["h"] = ops.tanh(d["h"] + x[t])
        d["steps"] = d["steps"] + 1
    return ops.sum(acc[0]) * acc[1] + ops.sum(d["h"]) * d["steps"]


def runtime_list_after_items(x):
    outs = []
    for t in range(x.shape[0]):  # a run-time list
        outs.append(ops.sin(x[t]) * 2.0)
    seq = [x[0] * 0.5, *outs, x[-1]]
    both = (x[1], *outs)
    return ops.stack(seq).sum() * len(seq) + ops.stack(both).sum()


_State = collections.namedtuple("_State", ["h", "c"])


def namedtuple_state(x):
    st = _State(x[0] * 0.5, x[1])  # built when the code compiles: a tuple of runtime values
    for t in range(x.shape[0]):  # carried by a loop that stays a loop
        st = _State(ops.tanh(st.h + x[t]) * st.c, st.c * 0.9)
    st = st._replace(c=st.c + st.h)
    return ops.sum(st.h * st.c)


def if_appends_list(x):
    outs = [x * 2.0]
    if x.sum() > 1.0:  # a runtime if appends: the list is a run-time list from here
        outs.append(ops.sin(x))
    for t in range(4):  # a loop break leaves on a runtime value: the same
        h = ops.tanh(outs[-1] * 0.5 + t)
        if h.sum() > 2.5:
            break
        if t == 1:  # (the counter decides: no branch in the code)
            continue
        outs.append(h)
    return ops.stack(outs).sum() + outs[-1].sum() * len(outs)


def for_range_grown_tuple(x):
    h = x[0] * 0.0
    outs = ()
    for t in range(x.shape[0]):  # a runtime trip count: a loop, the tuple a run-time list
        h = ops.tanh(h * 0.5 + x[t])
        outs += (h,)
        outs = outs + (h * h,)
    return ops.stack(outs, 1).sum() + outs[-1].sum() * len(outs)


def subscript_assign(x):
    y = x * 2.0
    y[0] = ops.tanh(y[0]) * 3.0  # a Tensor: a new value, its gradient to both sides
    y[:, 1:2] += x[:, :1] * x[:, :1]
    d = {}
    d["a"] = y  # a dict and a list the function built change as in Python
    ys = [x, x * 3.0]
    ys[1] = ys[1] * 2.0
    return (d["a"] * ys[1]).sum()


def split_int_parts(x):
    q, k, v = ops.split(ops.concat((x, x * x), 1), 2, axis=-1)  # 6 columns: 3 parts of 2
    parts = x.split(2, 1)  # 3 columns: parts of 2 and 1
    s = len(parts) * parts[-1].sum() + ops.concat(parts, 1).sum()
    for p in ops.unstack(x):
        s = s + (p * p).sum()
    return (ops.sin(q) * k * v).sum() + s


def list_comprehension(x):
    ys = [x * i for i in range(4) if i != 2]
    return ops.stack(ys).sum()


def generator_expression(x):
    return sum((x * s).sum() for s in SCALES)


def comprehension_over_rows(x):
    kept = [ops.tanh(r) * r for r in x if r.sum() > 1.2]
    return ops.stack([ops.tanh(r) * r for r in x]).sum() + sum(kept, x[0] * 0.0).sum()


def sum_over_rows(x):
    return sum(r.sum() ** 2 for r in x) + sum(x[i].sum() * i for i in range(x.shape[0]))


def starred_unpacking(x):
    a, *rest, b = (x, x * 2.0, ops.sin(x), x * x)
    return (a * ops.stack([*rest, b]).sum(axis=0)).sum()


def max_min_builtins(x):
    return max(x.sum(), (x * x).sum(), 1.0) + min(x.mean(), 0.5)


def max_min_key_sorted(x):
    items = [x[0] * 2.0, x[1], ops.sin(x[0])]
    hi = max(items, key=ops.sum)
    s = sorted(items, key=lambda r: float(r.sum()), reverse=True)
    return (hi * s[1]).sum() + s[2].sum() + max(x, key=lambda r: r.mean()).sum()


def range_list_runtime(x):
    idx = list(range(x.shape[0]))  # (a run-time list of ints)
    total = x[0] * 0.0
    for i in idx[::-1]:
        total = total * 0.5 + ops.tanh(x[i])
    return total.sum() + len(idx) + sum(sorted(x.sum(1)))


def map_builtin(x):
    return sum(v.sum() for v in map(ops.tanh, (x, x * 2.0))) + sum(map(lambda a, b: a * b,
                                                                     (x, x), (2.0, 3.0))).sum()


def dict_comprehension(x):
    d = {k: x * k for k in range(3)}
    return d[2].sum() + len(d)


def dict_display(x):
    d = {"a": x, "b": x * 2.0}
    return (d["a"] * d["b"]).sum()


def set_of_constants(x):
    return x.sum() * (2.0 if 1 in {1, 2} else 1.0)


def subscripts(x):
    return (x[0, 1:] * x[1, :2] + x[:, ::2].sum()).sum()


def constant_sequence_runtime_index(x):
    y = x
    for i in range(len(x)):
        y = y * SCALES[i]
    return y.sum()


def fstring(x):
    label = f"{'x'}_{2:02d}"
    print(f"value {x.sum()} ({label})")
    return x.sum() * len(label)


def numpy_and_methods(x):
    return np.sum(np.exp(x)) + x.mean() + ops.reduce_sum(x ** 2)


def stop_gradient(x):
    # (central differences see through stop_gradient: here it holds a constant)
    return (x * ops.stop_gradient(ops.ones_like(x) * 2.0)).sum()


def bool_ops_values(x):
    s = x.sum()
    t = (s * 2.0 > 100.0) or (s * 3.0)  # Python's or: the first true operand, else the last
    u = (s < 100.0) and (s * s) and x.mean()  # and: the first false operand, else the last
    return t + u


class _Base(nn.Cell):
    def __init__(self):
        super().__init__()
        self.__scale = 2.0  # private: Python stores it as _Base__scale

    def construct(self, x):
        return ops.sin(x) * self.__scale


class _Derived(_Base):
    def __init__(self):
        super().__init__()
        self.__scale = 3.0  # another attribute: _Derived__scale

    def construct(self, x):
        return super().construct(x) * self.__scale + super(_Derived, self).construct(x * x)


_DERIVED = _Derived()


def super_and_private_names(x):
    return _DERIVED(x).sum()


def _lstm_like(x, hx=None):
    if hx is None:  # a tuple of runtime values is never None: decided when compiling
        hx = (x * 0.0, x * 0.5)
    h, c = hx
    if isinstance(hx, tuple) and isinstance(h, Tensor) and not isinstance(h, (int, float)):
        c = c + h * 2.0
    return c


def is_none_and_isinstance(x):
    return (_lstm_like(x) * _lstm_like(x, (x, x * x))).sum()


def tensor_properties(x):
    y = ops.cast(x * 2.0, x.dtype)  # a dtype read from a runtime value
    if x.dtype == mstype.float64 and x.ndim == 2:
        y = y * x.size
    return (y * x).sum()


def number_tested(x):
    s = ops.sum(x * x)
    if s.item() > 100.0 or float(s) < -1.0:
        return s * 3.0
    print("loss", s.item())
    return s * 2.0


class _Scaler:
    """A plain Python object (not a Cell) with methods that compute."""

    def __init__(self, s):
        self.s = s

    def scale(self, x):
        return x * self.s

    def unscale(self, g):
        return g / self.s


_SCALER = _Scaler(4.0)


def object_method(x):
    return _SCALER.unscale(_SCALER.scale(ops.sin(x)) * x).sum()


class _PatchCheck(nn.Cell):
    """mindcv's PatchEmbed check: a raise on the input's shape, an assert on its channels
    (tests/test_fence.py)."""

    def __init__(self, size=3):
        super().__init__()
        self.size = size

    def construct(self, x):
        n, c, h = x.shape
        if h != self.size:
            raise ValueError("Input size (%d) doesn't match model (%d)." % (h, self.size))
        assert c == 2, "two channels"
        return ops.sum(ops.sin(x) * x)


def _positive(t):
    assert (t > 0).all(), "positive"
    return ops.sum(t * t)


def for_runtime_enumerate_zip(x):
    total = 0.0
    for i, row in enumerate(x):
        total = total + ops.sin(row).sum() * (i + 1)
    for a, b in zip(x, x * 2.0):
        total = total + (a * b).sum()
    for row in reversed(x):  # (the rows last first: the order matters)
        total = ops.tanh(total + row.sum())
    return total


class _ByName(nn.Cell):
    def __init__(self):
        super().__init__()
        self.scale0 = 0.5
        self.scale1 = 2.0

    def construct(self, x):
        for i in range(2):
            x = ops.tanh(x * getattr(self, "scale%d" % i))
        return x.sum()


_BY_NAME = _ByName()


def getattr_by_counter(x):
    return _BY_NAME(x)
