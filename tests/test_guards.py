"""Compiled code is never reused after a value it folded in has changed (issue 12, item 9).

Each test compiles a gradient, changes something the code read at compile time (a module's
attribute, also under ``mock.patch``; a global list, in place; a list, dict or plain object
held by a Cell; a class attribute; an object or dict passed as an argument; a global
helper rebound; a closure variable's contents; a function's default; a Cell reached through
a global), and checks that the same gradient function *and* a fresh ``ops.grad`` give the
direct call's value and the central differences of the direct call.  Then: nothing is
compiled again while nothing changed, code compiled for one Cell still serves another of the
same structure, and the per-call guards stay few and cheap.
"""
import types
from unittest import mock

import numpy as np
import pytest

from autograd_st import Parameter, Tensor, nn, ops
from autograd_st.check import numerical_grad

try:
    from .helpers import count_compiles
except ImportError:  # run with tests/ on sys.path
    from helpers import count_compiles

X = np.array([0.5, -1.5, 2.0])


def _agrees(g, f, *args):
    """``g`` (``ops.grad(f)``) gives the central differences of the direct call of ``f``."""
    got = g(Tensor(X), *args)
    want = numerical_grad(lambda x: f(x, *args), (Tensor(X),), 0)
    np.testing.assert_allclose(got.asnumpy(), want, rtol=1e-6, atol=1e-8)
    return got.asnumpy()


def _agrees_both(f, g, *args):
    """The gradient function compiled before the change, and a fresh one."""
    a = _agrees(g, f, *args)
    b = _agrees(ops.grad(f), f, *args)
    np.testing.assert_array_equal(a, b)
    return a


# ---------------------------------------------------------------------------------------
# module attributes
# ---------------------------------------------------------------------------------------

cfgmod = types.ModuleType("cfgmod")
cfgmod.SCALE = 2.0


def _module_attr(x):
    return ops.sum(x * x * cfgmod.SCALE)


def test_a_module_attribute_assigned_after_the_compile():
    cfgmod.SCALE = 2.0
    g = ops.grad(_module_attr)
    np.testing.assert_allclose(_agrees(g, _module_attr), 4 * X)
    cfgmod.SCALE = 3.0
    np.testing.assert_allclose(_agrees_both(_module_attr, g), 6 * X)


def test_a_module_attribute_under_mock_patch_and_after_it():
    cfgmod.SCALE = 2.0
    g = ops.grad(_module_attr)
    np.testing.assert_allclose(_agrees(g, _module_attr), 4 * X)
    with mock.patch.object(cfgmod, "SCALE", 5.0):
        np.testing.assert_allclose(_agrees_both(_module_attr, g), 10 * X)
    np.testing.assert_allclose(_agrees_both(_module_attr, g), 4 * X)


helpers = types.ModuleType("helpers")


def _square(x):
    return x * x


def _sine(x):
    return np.sin(x)


helpers.act = _square


def _through_helper(x):
    return ops.sum(helpers.act(x))


def test_a_global_helper_rebound_to_another_function():
    helpers.act = _square
    g = ops.grad(_through_helper)
    np.testing.assert_allclose(_agrees(g, _through_helper), 2 * X)
    helpers.act = _sine
    try:
        np.testing.assert_allclose(_agrees_both(_through_helper, g), np.cos(X))
    finally:
        helpers.act = _square
    np.testing.assert_allclose(_agrees(g, _through_helper), 2 * X)
    with mock.patch.object(helpers, "act", _sine):
        np.testing.assert_allclose(_agrees_both(_through_helper, g), np.cos(X))
    np.testing.assert_allclose(_agrees(g, _through_helper), 2 * X)


# ---------------------------------------------------------------------------------------
# a global list changed in place: values and the loop's trip count
# ---------------------------------------------------------------------------------------

COEFS = [1.0, 2.0]


def _over_coefs(x):
    s = x * 0.0
    for c in COEFS:
        s = s + c * x * x
    return ops.sum(s)


def _first_coef(x):
    return ops.sum(x * COEFS[0])


def test_a_global_list_appended_to_and_assigned_into():
    COEFS[:] = [1.0, 2.0]
    g = ops.grad(_over_coefs)
    g0 = ops.grad(_first_coef)
    np.testing.assert_allclose(_agrees(g, _over_coefs), 6 * X)
    COEFS.append(10.0)  # one more trip of the loop
    np.testing.assert_allclose(_agrees_both(_over_coefs, g), 26 * X)
    COEFS[0] = 5.0
    np.testing.assert_allclose(_agrees_both(_over_coefs, g), 34 * X)
    np.testing.assert_allclose(_agrees_both(_first_coef, g0), 5.0)
    COEFS[0] = 5  # the same value, another type: the code folded a float
    _agrees(g0, _first_coef)


TABLE = {"scale": 2.0, "sizes": [1.0, 2.0]}


def _from_table(x):
    return ops.sum(x * TABLE["scale"] * TABLE.get("sizes")[1])


def test_a_global_dict_and_the_list_in_it():
    TABLE.update(scale=2.0, sizes=[1.0, 2.0])
    g = ops.grad(_from_table)
    np.testing.assert_allclose(_agrees(g, _from_table), 4.0)
    TABLE["scale"] = 3.0
    np.testing.assert_allclose(_agrees_both(_from_table, g), 6.0)
    TABLE["sizes"][1] = 4.0
    np.testing.assert_allclose(_agrees_both(_from_table, g), 12.0)


def _closure(scales):
    def f(x):
        return ops.sum(x * scales[0])
    return f


def test_a_closure_list_changed_in_place():
    scales = [2.0]
    f = _closure(scales)
    g = ops.grad(f)
    np.testing.assert_allclose(_agrees(g, f), 2.0)
    scales[0] = 7.0
    np.testing.assert_allclose(_agrees_both(f, g), 7.0)


def _with_default(x, cfg=TABLE):
    return ops.sum(x * cfg["scale"])


def test_a_mutable_default_changed_in_place():
    TABLE["scale"] = 2.0
    g = ops.grad(_with_default)
    np.testing.assert_allclose(_agrees(g, _with_default), 2.0)
    TABLE["scale"] = 9.0
    np.testing.assert_allclose(_agrees_both(_with_default, g), 9.0)
    TABLE["scale"] = 2.0


# ---------------------------------------------------------------------------------------
# what a Cell holds: a list, a dict, a plain object
# ---------------------------------------------------------------------------------------

class Cfg:
    scale = 2.0  # a class attribute until an instance sets its own

    def __init__(self, scale=None):
        if scale is not None:
            self.scale = scale


class Holder(nn.Cell):
    def __init__(self, cfg):
        super().__init__()
        self.w = Parameter(Tensor(np.array([1.0, 2.0, 3.0])), name="w")
        self.s = [2.0]
        self.d = {"k": 1.0}
        self.cfg = cfg

    def construct(self, x):
        return ops.sum(x * self.w * self.s[0] * self.d["k"] * self.cfg.scale)


def _cell_grad(net):
    g = ops.grad(net, 0, net.trainable_params())
    gx, (gw,) = g(Tensor(X))
    want_x, (want_w,) = numerical_grad(net, (Tensor(X),), 0, weights=net.trainable_params())
    np.testing.assert_allclose(gx.asnumpy(), want_x, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(gw.asnumpy(), want_w, rtol=1e-6, atol=1e-8)
    return g, gx.asnumpy()


def test_a_list_a_dict_and_an_object_held_by_a_cell_changed_in_place():
    net = Holder(Cfg(2.0))
    g, gx = _cell_grad(net)
    w = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(gx, w * 4.0)
    for change, factor in ((lambda: net.s.__setitem__(0, 5.0), 10.0),
                           (lambda: net.d.__setitem__("k", 3.0), 30.0),
                           (lambda: setattr(net.cfg, "scale", 7.0), 105.0)):
        change()
        gx, (gw,) = g(Tensor(X))
        np.testing.assert_allclose(gx.asnumpy(), w * factor)
        np.testing.assert_allclose(_cell_grad(net)[1], w * factor)


def test_a_class_attribute_changed_after_the_compile():
    net = Holder(Cfg())  # reads Cfg.scale through the instance
    g, gx = _cell_grad(net)
    try:
        Cfg.scale = 4.0
        gx, _ = g(Tensor(X))
        np.testing.assert_allclose(gx.asnumpy(), np.array([1.0, 2.0, 3.0]) * 8.0)
        _cell_grad(net)
    finally:
        Cfg.scale = 2.0


class Flag(nn.Cell):
    def __init__(self):
        super().__init__()
        self.square = True

    def construct(self, x):
        return x * x if self.square else x


GLOBAL_NET = Flag()


def _calls_a_global_cell(x):
    return ops.sum(GLOBAL_NET(x) * 3.0)


def test_an_attribute_of_a_cell_found_in_a_global_changed_after_the_compile():
    GLOBAL_NET.square = True
    g = ops.grad(_calls_a_global_cell)
    np.testing.assert_allclose(_agrees(g, _calls_a_global_cell), 6 * X)
    GLOBAL_NET.square = False
    np.testing.assert_allclose(_agrees_both(_calls_a_global_cell, g), 3.0)
    GLOBAL_NET.square = True


class ListOfCells(nn.Cell):
    def __init__(self):
        super().__init__()
        self.blocks = [Flag(), Flag()]  # a plain list: not registered sub-Cells

    def construct(self, x):
        for b in self.blocks:
            x = b(x) * 0.5
        return ops.sum(x)


def test_a_cell_in_a_plain_list_changed_after_the_compile():
    net = ListOfCells()
    g = ops.grad(net)
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(),
                               numerical_grad(net, (Tensor(X),), 0), rtol=1e-6)
    net.blocks[1].square = False
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(),
                               numerical_grad(net, (Tensor(X),), 0), rtol=1e-6)
    net.blocks.append(Flag())
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(),
                               numerical_grad(net, (Tensor(X),), 0), rtol=1e-6)


# ---------------------------------------------------------------------------------------
# objects and dicts passed as arguments
# ---------------------------------------------------------------------------------------

def _scaled_by_object(x, c):
    return ops.sum(x * c.scale)


def _scaled_by_dict(x, d):
    return ops.sum(x * d["k"] * len(d["ks"]))


def _helper_reads(x, c):
    return x * c.scale


def _passes_on(x, c):
    return ops.sum(_helper_reads(x, c) * 2.0)


def test_an_object_passed_as_an_argument_changed_between_calls():
    c = Cfg(2.0)
    for f, factor in ((_scaled_by_object, 1.0), (_passes_on, 2.0)):
        c.scale = 2.0
        g = ops.grad(f)
        np.testing.assert_allclose(_agrees(g, f, c), 2.0 * factor)
        c.scale = 6.0
        np.testing.assert_allclose(_agrees_both(f, g, c), 6.0 * factor)
        np.testing.assert_allclose(_agrees(g, f, Cfg(3.0)), 3.0 * factor)  # another object


def test_a_dict_passed_as_an_argument_changed_between_calls():
    d = {"k": 2.0, "ks": [1, 2]}
    g = ops.grad(_scaled_by_dict)
    np.testing.assert_allclose(_agrees(g, _scaled_by_dict, d), 4.0)
    d["k"] = 9.0
    np.testing.assert_allclose(_agrees_both(_scaled_by_dict, g, d), 18.0)
    d["ks"].append(3)
    np.testing.assert_allclose(_agrees_both(_scaled_by_dict, g, d), 27.0)


def _getattr_hasattr(x, c):
    if hasattr(c, "bias"):
        return ops.sum(x * getattr(c, "scale") + c.bias)
    return ops.sum(x * getattr(c, "scale", 1.0))


def test_getattr_and_hasattr_are_guarded_reads():
    c = Cfg(2.0)
    g = ops.grad(_getattr_hasattr)
    np.testing.assert_allclose(_agrees(g, _getattr_hasattr, c), 2.0)
    c.bias = 1.0  # hasattr turns True
    np.testing.assert_allclose(_agrees_both(_getattr_hasattr, g, c), 2.0)
    c.scale = 5.0
    np.testing.assert_allclose(_agrees_both(_getattr_hasattr, g, c), 5.0)


# ---------------------------------------------------------------------------------------
# nothing compiled again while nothing changed; the per-call guards
# ---------------------------------------------------------------------------------------

def _count_compiles(monkeypatch):
    return count_compiles(monkeypatch)


def test_nothing_is_compiled_again_while_nothing_changed(monkeypatch):
    COEFS[:] = [1.0, 2.0]
    cfgmod.SCALE = 2.0
    net = Holder(Cfg(2.0))
    compiles = _count_compiles(monkeypatch)
    grads = [(ops.grad(_over_coefs), ()), (ops.grad(_module_attr), ()),
             (ops.grad(_scaled_by_dict), ({"k": 2.0, "ks": [1]},)),
             (ops.grad(net), ())]
    for g, args in grads:
        g(Tensor(X), *args)
    first = len(compiles)
    for _ in range(3):
        for g, args in grads:
            g(Tensor(X), *args)
    assert len(compiles) == first
    COEFS.append(3.0)  # one change: one compile
    grads[0][0](Tensor(X))
    grads[0][0](Tensor(X))
    assert len(compiles) == first + 1
    COEFS[:] = [1.0, 2.0]


class Scaled(nn.Cell):
    def __init__(self, cfg):
        super().__init__()
        self.w = Parameter(Tensor(np.array([1.0, 2.0, 3.0])), name="w")
        self.cfg = cfg

    def construct(self, x):
        return ops.sum(x * self.w * self.cfg.scale)


def test_code_compiled_for_one_cell_serves_another_of_the_same_structure(monkeypatch):
    cfg = Cfg(2.0)
    a, b = Scaled(cfg), Scaled(cfg)  # the same structure: all but the Parameters shared
    b.w.set_data(Tensor(np.array([4.0, 5.0, 6.0])))
    compiles = _count_compiles(monkeypatch)
    np.testing.assert_allclose(_cell_grad(a)[1], [2.0, 4.0, 6.0])
    n = len(compiles)
    np.testing.assert_allclose(_cell_grad(b)[1], [8.0, 10.0, 12.0])
    assert len(compiles) == n
    cfg.scale = 3.0
    np.testing.assert_allclose(_cell_grad(a)[1], [3.0, 6.0, 9.0])
    np.testing.assert_allclose(_cell_grad(b)[1], [12.0, 15.0, 18.0])


def test_per_call_guards_are_few_and_read_no_cell_attribute():
    net = Holder(Cfg(2.0))
    g = ops.grad(net)
    g(Tensor(X))
    (art,) = g._fast.values()
    hot = [gd for gd in art.guards if gd.hot]
    # self.s's items, self.d's keys and value, self.cfg.scale, and ops.sum (the global ops
    # and its attribute): nothing about self.w
    assert len(hot) == 6, hot
    assert all(gd.steps[0][1] in ("s", "d", "cfg", "ops") for gd in hot), hot
    g5 = ops.grad(_through_helper)
    g5(Tensor(X))
    (art,) = g5._fast.values()
    # ops, ops.sum, helpers, helpers.act in the caller (the helper reads nothing)
    assert sum(gd.hot for gd in art.guards) == 4, art.guards


def test_a_guard_that_cannot_be_read_fails_instead_of_raising():
    c = Cfg(3.0)
    g = ops.grad(_scaled_by_object)
    np.testing.assert_allclose(_agrees(g, _scaled_by_object, c), 3.0)
    del c.scale  # now the class attribute
    np.testing.assert_allclose(_agrees(g, _scaled_by_object, c), Cfg.scale)


@pytest.mark.parametrize("value", [float("nan"), 0.0])
def test_a_nan_folded_in_does_not_recompile_every_call(monkeypatch, value):
    cfgmod.OFFSET = value
    f = _offset
    g = ops.grad(f)
    g(Tensor(X))
    compiles = _count_compiles(monkeypatch)
    for _ in range(3):
        g(Tensor(X))
    assert not compiles


def _offset(x):
    return ops.sum(x * 2.0 + cfgmod.OFFSET * 0.0)


# ---------------------------------------------------------------------------------------
# objects found another way: returned by a helper, type(self)
# ---------------------------------------------------------------------------------------

SHARED = Cfg(2.0)


def _get_shared():
    return SHARED


def _through_a_returned_object(x):
    return ops.sum(x * _get_shared().scale)


def test_an_object_a_helper_returns_is_guarded_where_it_is_read():
    SHARED.scale = 2.0
    g = ops.grad(_through_a_returned_object)
    np.testing.assert_allclose(_agrees(g, _through_a_returned_object), 2.0)
    SHARED.scale = 5.0
    np.testing.assert_allclose(_agrees_both(_through_a_returned_object, g), 5.0)


class ByClass(nn.Cell):
    FACTOR = 2.0

    def construct(self, x):
        return ops.sum(x * type(self).FACTOR)


def test_a_class_attribute_read_through_type_of_self():
    net = ByClass()
    g = ops.grad(net)
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(), 2.0)
    try:
        ByClass.FACTOR = 7.0
        np.testing.assert_allclose(g(Tensor(X)).asnumpy(), 7.0)
        np.testing.assert_allclose(ops.grad(net)(Tensor(X)).asnumpy(),
                                   numerical_grad(net, (Tensor(X),), 0), rtol=1e-6)
    finally:
        ByClass.FACTOR = 2.0


class _Twice(nn.Cell):
    def construct(self, x):
        return ops.sum(x * 2.0)


class _Around(nn.Cell):
    def __init__(self):
        super().__init__()
        self.inner = _Twice()

    def construct(self, x):
        return self.inner(x) * 3.0


def _cubed(self, x):
    return ops.sum(x * x * x)


def test_a_construct_replaced_on_the_instance_is_what_is_differentiated():
    """``net.construct = fn`` after a compile: the Cell's call runs ``fn`` and so does its
    gradient (MindSpore 2.10 differentiates the instance's construct, measured), on the
    top-level Cell and on a sub-Cell, by the old gradient function and a fresh one; taking
    it away again brings the class's back."""
    net = _Twice()
    g = ops.grad(net)
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(), np.full(3, 2.0))
    net.construct = lambda x: ops.sum(ops.sin(x) * 7.0)
    for grad in (g, ops.grad(net)):
        np.testing.assert_allclose(grad(Tensor(X)).asnumpy(), 7.0 * np.cos(X), rtol=1e-12)
    net.construct = types.MethodType(_cubed, net)  # a method bound to the Cell
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(), 3.0 * X ** 2, rtol=1e-12)
    del net.construct
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(), np.full(3, 2.0))
    outer = _Around()
    go = ops.grad(outer)
    np.testing.assert_allclose(go(Tensor(X)).asnumpy(), np.full(3, 6.0))
    outer.inner.construct = types.MethodType(_cubed, outer.inner)
    want = numerical_grad(lambda x: outer(x), (Tensor(X),), 0)
    np.testing.assert_allclose(want, 9.0 * X ** 2, rtol=1e-6)
    for grad in (go, ops.grad(outer)):
        np.testing.assert_allclose(grad(Tensor(X)).asnumpy(), 9.0 * X ** 2, rtol=1e-12)


class _L2(nn.Cell):
    """A loss with its weight decay written in construct (model-zoo style)."""

    def __init__(self, how):
        super().__init__()
        self.fc = nn.Dense(3, 2)
        self.how = how
        rng = np.random.default_rng(7)  # (float64 Parameters: differences in float64)
        self.fc.weight = Parameter(Tensor(rng.standard_normal((2, 3))), name="weight")
        self.fc.bias = Parameter(Tensor(rng.standard_normal(2)), name="bias")

    def construct(self, x):
        loss = ops.sum(self.fc(x) ** 2)
        if self.how == "trainable":
            reg = 0.0
            for p in self.trainable_params():
                reg = reg + ops.sum(p ** 2)
        elif self.how == "generator":
            reg = sum(ops.sum(p * p) for p in self.get_parameters())
        else:
            reg = 0.0
            for name, p in self.parameters_and_names():
                if "weight" in name:
                    reg = reg + ops.sum(p * p)
        return loss + 0.1 * reg


@pytest.mark.parametrize("how", ["trainable", "generator", "named"])
def test_a_cells_parameters_read_in_construct_are_differentiated_and_guarded(how):
    """``self.trainable_params()``, ``self.get_parameters()`` (a generator) and
    ``self.parameters_and_names()`` in construct are read when compiling (they were refused:
    'yield is not supported'): the weights' gradients are the central differences', and a
    Parameter frozen afterwards leaves the sum (the code is compiled again)."""
    net = _L2(how)
    x = Tensor(np.random.default_rng(3).standard_normal((4, 3)))
    weights = net.fc.trainable_params()
    g = ops.GradOperation(get_by_list=True)(net, weights)

    def check(n):
        got = g(x)
        for w, gw in list(zip(weights, got))[:n]:
            old = w.asnumpy().copy()

            def at(v, w=w, old=old):
                w.set_data(Tensor(v))
                try:
                    return net(x)
                finally:
                    w.set_data(Tensor(old))
            want = numerical_grad(at, (Tensor(old.copy()),), 0)
            np.testing.assert_allclose(gw.asnumpy(), want, rtol=1e-6, atol=1e-8)
    vg = ops.value_and_grad(net, None, weights)
    check(2)
    np.testing.assert_allclose(vg(x)[0].asnumpy(), net(x).asnumpy(), rtol=1e-12)
    net.fc.bias.requires_grad = False  # (trainable_params() loses it; its gradient is 0)
    check(1)
    np.testing.assert_allclose(vg(x)[0].asnumpy(), net(x).asnumpy(), rtol=1e-12)
