"""Arguments and results that are tuples, lists and dicts (pytrees, as in JAX).

A deliberate extension of MindSpore 2.10, which returns ``()`` for a tuple, list or dict
argument (measured): the gradient of such an argument comes back in the argument's structure,
tuples as tuples, lists as lists, dicts as dicts with their keys in order, nested, with None
for a leaf that is not a Tensor (an int, None, a string: no gradient).  Outputs that are
dicts come back as dicts; the output's gradient (``sens``, a vjp cotangent) and ``has_aux``
outputs may have any such structure.  Every gradient is checked against central finite
differences in float64 (``autograd_st.numerical_grad``) of the same function called
directly; values against the direct call.
"""
from __future__ import annotations

import numpy as np
import pytest

import autograd_st.compiler as compiler_pkg
from autograd_st import Tensor, nn, numerical_grad, numerical_jvp, ops
from autograd_st.errors import CompileError, GradientAPIError, UnsupportedSyntaxError

try:
    from .helpers import CallCounter, assert_close
except ImportError:  # run with tests/ on sys.path
    from helpers import CallCounter, assert_close

XA = np.array([0.5, -1.0, 2.0])
YA = np.array([1.5, 0.25, -0.5])
ZA = np.array([2.0, -0.3, 0.7])


def T(a):
    return Tensor(np.array(a, np.float64))


def leaves(tree) -> list:
    """The Tensor leaves of a structure, in order (a dict's in key order)."""
    if isinstance(tree, (tuple, list)):
        return [leaf for t in tree for leaf in leaves(t)]
    if isinstance(tree, dict):
        return [leaf for t in tree.values() for leaf in leaves(t)]
    return [tree] if isinstance(tree, (Tensor, np.ndarray)) else []


def total(out) -> Tensor:
    """The sum of every entry of every output leaf (what a gradient differentiates)."""
    return sum(ops.sum(leaf) for leaf in leaves(out))


def assert_tree(got, want, rtol=1e-7, atol=1e-9):
    """``got`` has exactly ``want``'s containers (type, length, keys in order), None where
    ``want`` has None, and Tensors close to ``want``'s arrays elsewhere."""
    if isinstance(want, (tuple, list)):
        assert type(got) is type(want), "expected a %s, got %r" % (type(want).__name__, got)
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert_tree(g, w, rtol, atol)
    elif isinstance(want, dict):
        assert type(got) is dict, "expected a dict, got %r" % (got,)
        assert list(got) == list(want), "keys %s, expected %s" % (list(got), list(want))
        for k in want:
            assert_tree(got[k], want[k], rtol, atol)
    elif want is None:
        assert got is None, "expected None (no gradient), got %r" % (got,)
    else:
        assert isinstance(got, Tensor), "expected a Tensor, got %r" % (got,)
        assert_close(got, want, rtol=rtol, atol=atol)


def fd(f, *args):
    """Finite differences of ``f``'s total output with respect to every argument."""
    out = numerical_grad(lambda *a: total(f(*a)), args, tuple(range(len(args))))
    return list(out)


# =========================================================================================
# arguments: tuple, list, dict, nested, None leaves
# =========================================================================================

def f_seq(xs):
    return ops.sin(xs[0]) * xs[1] + xs[2] * xs[2]


def test_grad_of_a_list_argument_is_a_list_with_every_leaf():
    g = ops.grad(f_seq)([T(XA), T(YA), T(ZA)])
    ga, gb, gc = fd(lambda a, b, c: f_seq([a, b, c]), T(XA), T(YA), T(ZA))
    assert_tree(g, [ga, gb, gc])
    assert_close(g[0], np.cos(XA) * YA, rtol=1e-12)  # closed form too
    assert_close(g[2], 2 * ZA, rtol=1e-12)


def test_grad_of_a_tuple_argument_is_a_tuple():
    g = ops.grad(f_seq)((T(XA), T(YA), T(ZA)))
    assert_tree(g, tuple(fd(lambda a, b, c: f_seq((a, b, c)), T(XA), T(YA), T(ZA))))


def f_dict(d, scale):
    return d["w"] * d["x"] * scale + ops.exp(d["b"])


def test_grad_of_a_dict_argument_is_a_dict_in_its_key_order():
    gfn = ops.grad(f_dict, (0, 1))
    d = {"x": T(XA), "w": T(YA), "b": T(ZA)}
    got, gscale = gfn(d, T(2.0))
    gx, gw, gb, gs = fd(lambda x, w, b, s: f_dict({"x": x, "w": w, "b": b}, s),
                        T(XA), T(YA), T(ZA), T(2.0))
    assert_tree(got, {"x": gx, "w": gw, "b": gb})
    assert_close(gscale, gs)
    # the same keys in another order: another structure, the gradient in that order
    got2, _ = gfn({"b": T(ZA), "w": T(YA), "x": T(XA)}, T(2.0))
    assert_tree(got2, {"b": gb, "w": gw, "x": gx})


def f_nested(p, q):
    (a, (b, flag)), rest = p["pair"], p["rest"]
    out = a * b * q
    if flag is None:
        out = out + rest[0] * rest[1]
    return out * p["n"]


def test_nested_structures_with_none_int_and_string_leaves():
    p = {"pair": [T(XA), (T(YA), None)], "rest": (T(ZA), T(XA + 1)), "n": 3, "tag": "s"}
    got = ops.grad(f_nested, (0, 1))(p, T(0.5))

    def direct(a, b, c, d, q):
        return f_nested({"pair": [a, (b, None)], "rest": (c, d), "n": 3, "tag": "s"}, q)
    ga, gb, gc, gd, gq = fd(direct, T(XA), T(YA), T(ZA), T(XA + 1), T(0.5))
    assert_tree(got, ({"pair": [ga, (gb, None)], "rest": (gc, gd), "n": None, "tag": None},
                      gq))


def nest(value, depth):
    for _ in range(depth):
        value = (value,)
    return value


def test_deeply_nested_argument():
    def deep(x):
        return x[0][0][0][0][0][0] * x[1]
    gfn = ops.grad(deep)
    got = gfn((nest(T(XA), 5), T(YA)))
    assert_tree(got, (nest(YA, 5), XA))
    # another structure as deep (another compile, never the first one's code)
    got = gfn((nest((T(YA), T(ZA)), 4), T(XA)))
    assert_tree(got, (nest((XA, np.zeros(3)), 4), YA))


class PairNet(nn.Cell):
    def construct(self, ab, c):
        return ops.tanh(ab[0]) * ab[1] * c


def test_gradoperation_get_all_keeps_a_tuple_argument_as_a_tuple():
    net = PairNet()
    got = ops.GradOperation(get_all=True)(net)((T(XA), T(YA)), T(ZA))
    ga, gb, gc = fd(lambda a, b, c: net((a, b), c), T(XA), T(YA), T(ZA))
    assert_tree(got, ((ga, gb), gc))


def test_grad_positions_in_the_order_asked_with_structures():
    def f(a, xs):
        return a * xs[0] + xs[1]
    got = ops.grad(f, (1, 0))(T(XA), [T(YA), T(ZA)])
    assert_tree(got, ([XA, np.ones(3)], YA))


def test_a_position_whose_argument_holds_no_tensor_is_refused():
    def f(a, n):
        return a * n[0]
    with pytest.raises(GradientAPIError, match=r"argument 1 of \S*f is a constant \('tuple'\)"):
        ops.grad(f, (0, 1))(T(XA), (2, None))


def test_numpy_arrays_in_a_dict_give_arrays_in_a_dict():
    got = ops.grad(f_dict)({"x": XA.copy(), "w": YA.copy(), "b": ZA.copy()}, 2.0)
    assert type(got) is dict and list(got) == ["x", "w", "b"]
    assert all(type(v) is np.ndarray for v in got.values())
    np.testing.assert_allclose(got["x"], 2.0 * YA, rtol=1e-12)
    np.testing.assert_allclose(got["b"], np.exp(ZA), rtol=1e-12)


def f_cfg(x, cfg):
    return x * cfg["s"] + cfg["t"]


def test_a_constant_dict_argument_changed_in_place_is_compiled_again():
    gfn = ops.value_and_grad(f_cfg)
    cfg = {"s": 2, "t": 1}
    v, g = gfn(T(XA), cfg)
    assert_close(v, XA * 2 + 1)
    assert_close(g, np.full(3, 2.0))
    cfg["s"] = 3  # the constant compiled in has changed
    v, g = gfn(T(XA), cfg)
    assert_close(v, XA * 3 + 1)
    assert_close(g, np.full(3, 3.0))
    for s in range(4, 8):  # new dicts (their ids may be reused): each its own constants
        v, g = gfn(T(XA), {"s": s, "t": -1})
        assert_close(v, XA * s - 1)
        assert_close(g, np.full(3, float(s)))


def test_same_structure_compiles_once(monkeypatch):
    build = _Counter(compiler_pkg.build_gradient)
    monkeypatch.setattr(compiler_pkg, "build_gradient", build)
    gfn = ops.grad(f_dict)
    rng = np.random.default_rng(0)
    for i in range(10):
        d = {k: T(rng.standard_normal(i % 3 + 1)) for k in ("x", "w", "b")}
        got = gfn(d, 2.0)
        assert_tree(got, {"x": 2.0 * d["w"].asnumpy(), "w": 2.0 * d["x"].asnumpy(),
                          "b": np.exp(d["b"].asnumpy())}, rtol=1e-12)
    assert build.calls == 1


_Counter = CallCounter


# =========================================================================================
# outputs: dicts and structures in the value, has_aux, sens, vjp
# =========================================================================================

def f_out(d):
    return {"p": d["x"] * d["y"], "q": (ops.sin(d["x"]), d["y"] * 2.0)}


def test_value_and_grad_of_a_dict_output_gives_the_dict_and_the_gradient_of_its_sum():
    d = {"x": T(XA), "y": T(YA)}
    value, got = ops.value_and_grad(f_out)(d)
    want = f_out(d)
    assert_tree(value, {"p": want["p"].asnumpy(), "q": tuple(v.asnumpy() for v in want["q"])},
                rtol=0, atol=0)
    gx, gy = fd(lambda x, y: f_out({"x": x, "y": y}), T(XA), T(YA))
    assert_tree(got, {"x": gx, "y": gy})


def test_sens_param_with_a_dict_output_takes_a_dict_of_sens():
    d = {"x": T(XA), "y": T(YA)}
    sens = {"q": (T(ZA), T(XA)), "p": T(YA)}  # the keys in any order
    got = ops.GradOperation(get_all=True, sens_param=True)(f_out)(d, sens)

    def weighted(x, y):
        out = f_out({"x": x, "y": y})
        return (out["p"] * sens["p"], out["q"][0] * sens["q"][0], out["q"][1] * sens["q"][1])
    gx, gy = fd(weighted, T(XA), T(YA))
    assert_tree(got, ({"x": gx, "y": gy},))


def test_sens_of_a_tuple_output_may_be_a_list():
    def f(x):
        return x * 2.0, ops.sin(x)
    got = ops.GradOperation(sens_param=True)(f)(T(XA), [T(YA), T(ZA)])
    assert_close(got, 2.0 * YA + np.cos(XA) * ZA, rtol=1e-12)


@pytest.mark.parametrize("sens, message", [
    ({"p": T(YA), "r": (T(ZA), T(XA))}, "should be a dict with keys 'p', 'q' but it is a dict "
                                        "with keys 'p', 'r'"),
    ((T(YA), (T(ZA), T(XA))), "should be a dict with keys 'p', 'q' but it is a tuple of 2"),
    ({"p": T(YA), "q": T(ZA)}, r"sens\['q'\] should be a tuple of 2 but it is one value"),
    ({"p": (T(YA),), "q": (T(ZA), T(XA))}, r"sens\['p'\] should be one value but it is a tuple"),
])
def test_sens_of_another_structure_is_refused(sens, message):
    with pytest.raises(GradientAPIError, match=message):
        ops.GradOperation(sens_param=True)(f_out)({"x": T(XA), "y": T(YA)}, sens)


def test_a_bare_sens_for_a_one_tuple_output_is_refused():
    # before: sens[0] (the sens's first entry) was taken as the output's gradient
    def f(x):
        return (x * 2.0,)
    with pytest.raises(GradientAPIError, match="should be a tuple of 1 but it is one value"):
        ops.GradOperation(sens_param=True)(f)(T(XA), T(YA))
    assert_close(ops.GradOperation(sens_param=True)(f)(T(XA), (T(YA),)), 2.0 * YA)


def f_aux(xs):
    main = (xs[0] * xs[1], ops.sum(xs[1]))
    return main, {"n": ops.sum(xs[0]), "c": xs[1] * 3.0}


def test_has_aux_with_a_structured_first_output_and_a_dict_aux():
    xs = [T(XA), T(YA)]
    grads, (aux,) = ops.grad(f_aux, has_aux=True)(xs)
    ga, gb = fd(lambda a, b: f_aux([a, b])[0], T(XA), T(YA))
    assert_tree(grads, [ga, gb])
    want = f_aux(xs)[1]
    assert_tree(aux, {"n": want["n"].asnumpy(), "c": want["c"].asnumpy()}, rtol=0, atol=0)
    (value, aux2), grads2 = ops.value_and_grad(f_aux, has_aux=True)(xs)
    assert_tree(grads2, [ga, gb])
    assert_tree(aux2, {"n": want["n"].asnumpy(), "c": want["c"].asnumpy()}, rtol=0, atol=0)
    assert_tree(value, tuple(v.asnumpy() for v in f_aux(xs)[0]), rtol=0, atol=0)


def test_vjp_with_dict_inputs_and_outputs():
    d = {"x": T(XA), "y": T(YA)}
    out, vjp_fn = ops.vjp(f_out, d)
    assert_tree(out, {"p": XA * YA, "q": (np.sin(XA), YA * 2.0)}, rtol=1e-15)
    v = {"p": T(ZA), "q": (T(XA), T(YA))}
    (got,) = vjp_fn(v)

    def weighted(x, y):
        o = f_out({"x": x, "y": y})
        return (o["p"] * v["p"], o["q"][0] * v["q"][0], o["q"][1] * v["q"][1])
    gx, gy = fd(weighted, T(XA), T(YA))
    assert_tree(got, {"x": gx, "y": gy})


def test_vjp_with_has_aux_and_a_list_input():
    xs = [T(XA), T(YA)]
    out, vjp_fn, aux = ops.vjp(f_aux, xs, has_aux=True)
    v = (T(ZA), T(2.0))
    (got,) = vjp_fn(v)

    def weighted(a, b):
        main = f_aux([a, b])[0]
        return (main[0] * v[0], main[1] * v[1])
    ga, gb = fd(weighted, T(XA), T(YA))
    assert_tree(got, [ga, gb])


def test_jvp_with_list_and_dict_inputs():
    def f(xs, d):
        return xs[0] * d["k"] + ops.sin(xs[1])
    inputs = ([T(XA), T(YA)], {"k": T(ZA)})
    tangents = ([T(YA), T(ZA)], {"k": T(XA)})
    out, tan = ops.jvp(f, inputs, tangents)
    assert_close(out, XA * ZA + np.sin(YA), rtol=1e-15)
    want = numerical_jvp(lambda a, b, k: f([a, b], {"k": k}), (T(XA), T(YA), T(ZA)),
                         (YA, ZA, XA))
    assert_close(tan, want, rtol=1e-7)
    with pytest.raises(GradientAPIError, match="structure of the inputs"):
        ops.jvp(f, inputs, ([T(YA)], {"k": T(XA)}))


def test_second_derivative_of_a_function_of_a_list():
    inner = ops.grad(f_seq)
    value, got = ops.value_and_grad(inner)([T(XA), T(YA), T(ZA)])
    # the value: the inner gradient, as calling it gives (a list; the compiler reads lists
    # with runtime items as tuples, so only its leaves are compared here)
    direct = inner([T(XA), T(YA), T(ZA)])
    for v, d in zip(leaves(value), direct):
        assert_close(v, d.asnumpy(), rtol=0, atol=0)
    ga, gb, gc = fd(lambda a, b, c: inner([a, b, c]), T(XA), T(YA), T(ZA))
    assert_tree(got, [ga, gb, gc], rtol=1e-6, atol=1e-8)


def helper_dict(x, y):
    return {"s": x * y, "t": x + y}


def f_calls_helper(x, y):
    d = helper_dict(x, y)
    return d["s"] * d["t"]


def test_a_helper_returning_a_dict():
    # before: "internal error: generated code reads an unknown global"
    got = ops.grad(f_calls_helper, (0, 1))(T(XA), T(YA))
    assert_tree(got, tuple(fd(f_calls_helper, T(XA), T(YA))))


class DictNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = nn.Dense(3, 2)

    def construct(self, batch):
        return self.w(batch["x"]) * batch["y"]


def test_a_cell_taking_a_dict_with_weights():
    net = DictNet()
    batch = {"x": T(np.array([XA, YA])), "y": T(np.array([[1.0, 2.0], [0.5, -1.0]]))}
    (gin,), gw = ops.GradOperation(get_all=True, get_by_list=True)(
        net, net.trainable_params())(batch)
    x, y = batch["x"], batch["y"]
    nx, ny = fd(lambda a, b: net({"x": a, "y": b}), x, y)
    assert_tree(gin, {"x": nx, "y": ny}, rtol=1e-5, atol=1e-6)
    nw = numerical_grad(lambda a: total(net({"x": a, "y": y})), (x,), None,
                        weights=net.trainable_params())
    for g, n in zip(gw, nw):
        assert_close(g, n, rtol=1e-5, atol=1e-6)


def test_a_sens_of_another_shape_is_refused_unless_the_output_is_a_scalar():
    # before: numpy broadcast it, and the gradient came back shaped like the sens, (1,)
    def f(x):
        return x * 2.0, ops.sum(x)
    gfn = ops.GradOperation(sens_param=True)(f)
    with pytest.raises(GradientAPIError, match=r"sens\[0\] of \S*f\) has shape \(1,\) but "
                                               r"the output .* has shape \(3,\)"):
        gfn(T(XA), (T([1.0]), T(1.0)))
    # a scalar output takes a sens of any shape, summed (measured in MindSpore 2.10: the
    # BERT zoo passes a (1,) sens for its scalar loss)
    assert_close(gfn(T(XA), (T(YA), T(YA))), 2.0 * YA + np.sum(YA), rtol=1e-15)
    assert_close(gfn(T(XA), (T(YA), T(0.5))), 2.0 * YA + 0.5, rtol=1e-15)
    _, vjp_scalar = ops.vjp(lambda x: ops.sum(x * 2.0), T(XA))
    assert_close(vjp_scalar(T([1.0, 2.0]))[0], np.full(3, 6.0), rtol=1e-15)
    _, vjp_fn = ops.vjp(lambda x: x * 2.0, T(XA))
    with pytest.raises(GradientAPIError, match=r"has shape \(1,\)"):
        vjp_fn(T([1.0]))


def _list_out(x):
    return [x * 2.0, ops.sin(x)]


def _list_from_helper(x):
    a, b = _two_as_a_list(x)
    ys = _two_as_a_list(x)
    return ops.sum(a * b) + ops.sum(ys[0])


def _two_as_a_list(x):
    return [x * 2.0, x * 3.0]


def _tuple_key(x):
    d = {(1, 2): x, "w": 3.0}
    return ops.sum(d[(1, 2)] * d["w"])


def test_a_list_output_comes_back_as_a_list():
    x = Tensor(np.array([1.0, -2.0, 0.5]))
    value, grad = ops.value_and_grad(_list_out)(x)
    direct = _list_out(x)
    assert type(value) is list and type(direct) is list and len(value) == 2
    for got, want in zip(value, direct):
        np.testing.assert_allclose(got.asnumpy(), want.asnumpy(), rtol=1e-15)
    np.testing.assert_allclose(grad.asnumpy(), numerical_grad(_list_out, (x,)), rtol=1e-7)


def test_a_helper_returning_a_list_gives_its_caller_a_list():
    x = Tensor(np.array([1.0, 2.0]))
    value, grad = ops.value_and_grad(_list_from_helper)(x)
    np.testing.assert_allclose(value.asnumpy(), _list_from_helper(x).asnumpy(), rtol=1e-15)
    np.testing.assert_allclose(grad.asnumpy(), numerical_grad(_list_from_helper, (x,)),
                               rtol=1e-7)


def test_a_dict_with_a_tuple_key():
    x = Tensor(np.array([1.0, 2.0]))
    np.testing.assert_allclose(ops.grad(_tuple_key)(x).asnumpy(), [3.0, 3.0], rtol=1e-15)


def _pair_product(xs):
    a, b = xs
    return ops.sum(a * b * a)


_PAIR_GRAD = ops.grad(_pair_product)


def _calls_a_gradient_with_a_tuple(x):
    ga, gb = _PAIR_GRAD((x, x * 2.0))
    return ops.sum(ga + gb)


def test_a_gradient_function_called_with_a_tuple_inside_differentiated_code():
    """d/dx sum(ga + gb) where (ga, gb) = grad of sum(a^2 b) at (x, 2x): 5x^2 summed."""
    x = Tensor(np.array([1.0, 2.0, -0.5]))
    value, grad = ops.value_and_grad(_calls_a_gradient_with_a_tuple)(x)
    np.testing.assert_allclose(value.asnumpy(), np.sum(5 * x.asnumpy() ** 2), rtol=1e-15)
    np.testing.assert_allclose(grad.asnumpy(), 10 * x.asnumpy(), rtol=1e-12)
    np.testing.assert_allclose(grad.asnumpy(),
                               numerical_grad(_calls_a_gradient_with_a_tuple, (x,)), rtol=1e-6)


# =========================================================================================
# outputs returned early (a return inside an if on a runtime value): the structure of every
# path, nested tuples, lists and dicts merged item by item
# =========================================================================================

def _early_dict(x):
    if ops.sum(x) > 0.0:
        return {"u": x * 2.0, "v": ops.sin(x)}
    return {"u": x, "v": x * x}


def _early_tuple_with_a_list(x):
    if ops.sum(x) > 0.0:
        return x * 2.0, [x, ops.sin(x)]
    return x, [x * 3.0, ops.cos(x)]


def _early_dict_with_a_list_and_a_tuple(x):
    if ops.sum(x) > 0.0:
        return {"a": [x * 2.0, x], "b": (ops.exp(x),), "n": 3}
    v = ops.tanh(x)
    return {"a": [v, x * 3.0], "b": (ops.cos(x),), "n": 3}


def _early_list_with_a_dict(x):
    if ops.sum(x) > 0.0:
        return [x * 2.0, {"k": (x, x * x)}]
    return [x, {"k": (ops.sin(x), x)}]


def _dict_from_a_helper_returning_early(x):
    d = _early_dict(x * 0.5)
    return ops.sum(d["u"] * d["v"])


def _arrays(tree):
    """The direct call's output with every Tensor an array (ints and strings as they are)."""
    if isinstance(tree, (tuple, list)):
        return type(tree)(_arrays(t) for t in tree)
    if isinstance(tree, dict):
        return {k: _arrays(v) for k, v in tree.items()}
    return tree.asnumpy() if isinstance(tree, Tensor) else tree


def _assert_same(got, want):
    """``got`` (Tensors) has exactly ``want``'s containers (type, length, keys in order) and
    constants, and its Tensors equal ``want``'s arrays to the last bit."""
    if isinstance(want, (tuple, list)):
        assert type(got) is type(want), "expected a %s, got %r" % (type(want).__name__, got)
        assert len(got) == len(want)
        for g, w in zip(got, want):
            _assert_same(g, w)
    elif isinstance(want, dict):
        assert type(got) is dict and list(got) == list(want), (got, want)
        for k in want:
            _assert_same(got[k], want[k])
    elif isinstance(want, np.ndarray):
        assert isinstance(got, Tensor), "expected a Tensor, got %r" % (got,)
        np.testing.assert_array_equal(got.asnumpy(), want)
    else:
        assert type(got) is type(want) and got == want, (got, want)


EARLY = [_early_dict, _early_tuple_with_a_list, _early_dict_with_a_list_and_a_tuple,
         _early_list_with_a_dict]


@pytest.mark.parametrize("fn", EARLY)
@pytest.mark.parametrize("x", [XA, -XA], ids=["returns-early", "falls-through"])
def test_an_output_returned_early_keeps_its_structure_on_every_path(fn, x):
    value, got = ops.value_and_grad(fn)(T(x))
    want = _arrays(fn(T(x)))
    _assert_same(value, want)
    (gx,) = fd(fn, T(x))
    assert_close(got, gx, rtol=1e-7, atol=1e-9)
    # each leaf weighted by its own sens: the gradient of every leaf on its own
    out, vjp_fn = ops.vjp(fn, T(x))
    _assert_same(out, want)
    sens = _arrays(out)
    weights = iter([YA, ZA, XA, YA * ZA, ZA - XA])

    def weigh(tree):
        if isinstance(tree, (tuple, list)):
            return type(tree)(weigh(t) for t in tree)
        if isinstance(tree, dict):
            return {k: weigh(v) for k, v in tree.items()}
        return T(next(weights)) if isinstance(tree, np.ndarray) else tree
    sens = weigh(sens)
    (g,) = vjp_fn(sens)

    def weighted(a):
        flat = [leaf for leaf in leaves(fn(a))]
        return tuple(leaf * s for leaf, s in zip(flat, leaves(sens)))
    assert_close(g, numerical_grad(weighted, (T(x),)), rtol=1e-7, atol=1e-9)


def test_a_helper_returning_a_dict_early_gives_its_caller_the_dict():
    for x in (XA, -XA):
        value, got = ops.value_and_grad(_dict_from_a_helper_returning_early)(T(x))
        assert_close(value, _dict_from_a_helper_returning_early(T(x)), rtol=0, atol=0)
        assert_close(got, numerical_grad(_dict_from_a_helper_returning_early, (T(x),)),
                     rtol=1e-7, atol=1e-9)


def _list_in_one_branch(x):
    if ops.sum(x) > 0.0:
        r = {"a": [x * 2.0, x]}
    return ops.sum(r["a"][0])


def test_a_list_or_dict_assigned_in_one_branch_only_raises_unbound_on_the_other_path():
    value, got = ops.value_and_grad(_list_in_one_branch)(T(XA))
    assert_close(value, np.sum(2.0 * XA), rtol=1e-15)
    assert_close(got, np.full(3, 2.0), rtol=0, atol=0)
    with pytest.raises(UnboundLocalError, match="'r'"):
        _list_in_one_branch(T(-XA))
    with pytest.raises(UnboundLocalError, match="'r' where it is not associated"):
        ops.value_and_grad(_list_in_one_branch)(T(-XA))


def _keys_differ(x):
    if ops.sum(x) > 0.0:
        return {"u": x, "v": x * 2.0}
    return {"v": x * 2.0, "u": x}


def _list_or_tuple(x):
    if ops.sum(x) > 0.0:
        return x, [x, x * 2.0]
    return x, (x, x * 2.0)


@pytest.mark.parametrize("fn, message", [
    (_keys_differ, r"the value returned is a dict with the keys \['u', 'v'\] in one branch "
                   r"of an if on a runtime value and \['v', 'u'\] in the other"),
    (_list_or_tuple, "item 1 of the value returned is a list of 2 items in one branch of an "
                     "if on a runtime value and a tuple of 2 items in the other"),
])
def test_an_output_of_another_structure_on_each_path_is_refused(fn, message):
    with pytest.raises(CompileError, match=message):
        ops.grad(fn)(T(XA))


def _conditional_structures(x):
    pair = (x * 2.0, [x]) if ops.sum(x) > 0.0 else (x, [x * 3.0])
    d = {"a": ops.sin(x)} if ops.sum(x) > 0.0 else {"a": x}
    mode = "double" if ops.sum(x) > 0.0 else "same"
    scale = 2.0 if mode == "double" else 1.0
    return {"pair": pair, "d": d, "s": ops.sum(x * scale)}


@pytest.mark.parametrize("x", [XA, -XA], ids=["true", "false"])
def test_a_conditional_expression_keeps_the_structure_of_its_value(x):
    # before: the dict came back holding a Sym (and no gradient), the tuple with a list
    # failed with numpy's "inhomogeneous shape"
    value, got = ops.value_and_grad(_conditional_structures)(T(x))
    _assert_same(value, _arrays(_conditional_structures(T(x))))
    (gx,) = fd(_conditional_structures, T(x))
    assert_close(got, gx, rtol=1e-7, atol=1e-9)


def _changes_a_list_merged_from_two(x):
    ys = [x]
    if ops.sum(x) > 0.0:
        r = ys
    else:
        r = [x * 2.0]
    r.append(x * 3.0)  # Python: ys changes too on the first path
    return ops.sum(ys[-1])


def test_changing_a_list_that_is_a_different_list_on_each_path_is_refused():
    # before: generated code kept a copy of the list, so ys did not change: a silent wrong
    # value (x, not 3x) and gradient
    assert_close(_changes_a_list_merged_from_two(T(XA)), np.sum(3.0 * XA), rtol=1e-15)
    with pytest.raises(UnsupportedSyntaxError, match="list.append changes a list that is a "
                       "different list on each path of the if on a runtime value at line"):
        ops.grad(_changes_a_list_merged_from_two)(T(XA))
