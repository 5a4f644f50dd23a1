"""The final lowering (compiler/lower.py): same values as the pure code, never a write into a
user's array or a Parameter, and never in code that is differentiated again."""
import importlib
import textwrap

import astor
import gast
import numpy as np
import pytest

from autograd_st import Parameter, Tensor, nn, numerical_grad, ops
from autograd_st.compiler.anno import facts_of, tag, tag_of, untag
from autograd_st.compiler.codegen import name, substitute, to_source
from autograd_st.compiler.lower import lower
from autograd_st.compiler.names import NameAllocator


def carried_from_a_constant(x):
    s = 0.0
    for i in range(3):
        m = s * 2.0
        s = m + x  # m is a Python float on the first trip: its taped shape is ()
    return np.sum(s * s)


def straight(x, y):
    a = np.sin(x) * y
    b = np.tanh(a) + x
    return np.sum(b * b)


class Acc(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.linspace(-0.5, 0.5, 12).reshape(3, 4)), name="w")
        self.b = Parameter(Tensor(np.linspace(0.1, 0.4, 4)), name="b")

    def construct(self, x):
        h = x
        for i in range(3):
            h = ops.tanh(ops.matmul(h, self.w) + self.b)[:, :3]
        return ops.sum(h)


def test_a_shape_taped_from_a_python_number():
    x = np.array([0.3, -0.2, 0.5])
    got = ops.grad(carried_from_a_constant)(x)
    np.testing.assert_allclose(got, numerical_grad(carried_from_a_constant, (x,)), rtol=1e-6)
    assert "sum_to(" in ops.grad(carried_from_a_constant).source(x)


def test_inputs_and_parameters_are_never_written():
    x, y = np.array([0.3, -0.7, 0.2]), np.array([1.2, 0.4, -0.5])
    x0, y0 = x.copy(), y.copy()
    g = ops.grad(straight, (0, 1))(x, y)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)
    for got, want in zip(g, numerical_grad(straight, (x, y), (0, 1))):
        np.testing.assert_allclose(got, want, rtol=1e-6)
    net = Acc()
    w0, b0 = net.w.asnumpy().copy(), net.b.asnumpy().copy()
    xs = Tensor(np.linspace(-1, 1, 6).reshape(2, 3))
    gfn = ops.grad(net, None, net.trainable_params())
    first = [t.asnumpy().copy() for t in gfn(xs)]
    second = [t.asnumpy() for t in gfn(xs)]  # accumulators are fresh on every call
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(net.w.asnumpy(), w0)
    np.testing.assert_array_equal(net.b.asnumpy(), b0)
    src = gfn.source(xs)
    assert "accumulate" in src and "del " in src


def test_code_differentiated_again_is_not_lowered():
    x = np.array([0.3, -0.2, 0.5])
    gg = ops.grad(ops.grad(carried_from_a_constant))
    np.testing.assert_allclose(gg(x), numerical_grad(ops.grad(carried_from_a_constant), (x,)),
                               rtol=1e-5, atol=1e-7)
    _, names, _ = ops.grad(carried_from_a_constant)._autograd_st_generated([x])
    fn = ops.grad(carried_from_a_constant)._autograd_st_generated([x])[0]
    import inspect
    text = inspect.getsource(fn)
    for lowered in ("accumulate", "sum_to", "del ", "matmul_nt_to", "matmul_tn_to"):
        assert lowered not in text


# ---------------------------------------------------------------------------------------
# a forward kernel that saves what its gradient reads (sparse softmax cross-entropy)
# ---------------------------------------------------------------------------------------

class Classifier(nn.Cell):
    def __init__(self):
        super().__init__()
        w = np.linspace(-1.0, 1.0, 20).reshape(4, 5)
        self.fc = nn.Dense(5, 4, weight_init=Tensor(w), bias_init=Tensor(np.zeros(4) + 0.1))
        self.loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")

    def construct(self, x, labels):
        return self.loss(self.fc(x), labels)


def xent_twice(logits, labels):
    # two losses on the same logits: each gradient reads its own saved values
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="sum")
    return loss(logits, labels) + 0.5 * loss(logits * 2.0, labels)


def _xent_reference(logits, labels):
    z = logits - logits.max(axis=-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    return -logp[np.arange(len(labels)), labels]


def test_the_loss_forward_saves_what_its_gradient_reads():
    rng = np.random.default_rng(3)
    x = Tensor(rng.standard_normal((6, 5)))
    labels = Tensor(np.array([0, 3, 1, 1, 2, 3], np.int32))
    net = Classifier()
    params = net.trainable_params()
    gfn = ops.value_and_grad(net, None, params)
    src = gfn.source(x, labels)
    assert "sparse_softmax_xent_fwd(logits, labels)" in src
    assert "sparse_softmax_xent_bwd(sparse_softmax_xent_saved, " in src
    assert "sparse_softmax_xent_grad" not in src
    # the pair's residuals no longer hold the logits and labels, only what was saved
    assert "return _mean, (_sparse_softmax_xent, _mean, sparse_softmax_xent_saved)" in src
    value, grads = gfn(x, labels)
    w, b = (p.asnumpy() for p in params)
    logits = x.asnumpy() @ w.T + b
    np.testing.assert_allclose(value.asnumpy(), _xent_reference(logits, labels.asnumpy()).mean(),
                               rtol=1e-12)
    for got, want in zip(grads, numerical_grad(net, (x, labels), None, weights=params)):
        np.testing.assert_allclose(got.asnumpy(), want, rtol=1e-6, atol=1e-9)
    # the second call reads fresh saved values (nothing of the first call's is reused)
    again = gfn(x, labels)[1]
    for a, c in zip(grads, again):
        np.testing.assert_array_equal(a.asnumpy(), c.asnumpy())


def test_two_losses_on_the_same_logits_and_a_gradient_of_the_gradient():
    rng = np.random.default_rng(4)
    logits = rng.standard_normal((3, 4))
    labels = np.array([2, 0, 3], np.int32)
    g = ops.grad(xent_twice)
    src = g.source(logits, labels)  # one pair, called twice, each call with its own saved
    assert src.count("= SoftmaxCrossEntropyWithLogits_construct_fwd(") == 2
    assert src.count("= sparse_softmax_xent_fwd(") == 1
    # the loss Cell's own gradient: forward and backward in one function
    direct = ops.value_and_grad(nn.SoftmaxCrossEntropyWithLogits(sparse=True))
    src = direct.source(Tensor(logits), Tensor(labels))
    assert "_sparse_softmax_xent, sparse_softmax_xent_saved = sparse_softmax_xent_fwd(" in src
    assert "= sparse_softmax_xent_bwd(sparse_softmax_xent_saved, " in src
    value, glogits = direct(Tensor(logits), Tensor(labels))
    np.testing.assert_allclose(value.asnumpy(), _xent_reference(logits, labels), rtol=1e-12)
    np.testing.assert_allclose(
        glogits.asnumpy(), numerical_grad(_xent_reference, (logits, labels)),
        rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(g(logits, labels), numerical_grad(xent_twice, (logits, labels)),
                               rtol=1e-6, atol=1e-9)
    # code differentiated again keeps the primitive pair (no saved values)
    hv = ops.grad(lambda z: np.sum(ops.grad(xent_twice)(z, labels) * np.arange(12.0).reshape(3, 4)))
    want = numerical_grad(lambda z: g(z, labels) * np.arange(12.0).reshape(3, 4), (logits,))
    np.testing.assert_allclose(hv(logits), want, rtol=1e-5, atol=1e-7)
    # vjp: the function it returns is called twice with different cotangents
    _, vjp_fn = ops.vjp(xent_twice, Tensor(logits), Tensor(labels))
    first = vjp_fn(Tensor(np.array(1.0)))[0].asnumpy()
    second = vjp_fn(Tensor(np.array(-2.0)))[0].asnumpy()
    np.testing.assert_allclose(second, -2.0 * first, rtol=1e-12)


# ---------------------------------------------------------------------------------------
# the lowering rewrites what its emitters tagged (compiler/anno.py), never a spelling
# ---------------------------------------------------------------------------------------

# spelled exactly as the reverse pass and the templates spell what the lowering rewrites
_SPELLED = '''
def f_grad(x, w, labels):
    _tape = []
    for i in range(3):
        h = x * w
        a = h + x
        _tape.append((h, a))
    d_w = zeros_like(w)
    d_b = zeros_like(w)
    for h, a in reversed(_tape):
        d_w = d_w + unbroadcast(matmul_tn(a, a, like=w), w)
        d_b = d_b + unbroadcast(a, h)
    g = unbroadcast(matmul_nt(x, w), x)
    t = sparse_softmax_xent(x, labels)
    k = sparse_softmax_xent_grad(x, labels, g)
    return d_w, d_b, k, t
'''
_LOWERED_WORDS = ("sum_to(", "accumulate", "_to(", "_fwd(", "_bwd(", "getattr(", "_shape",
                  "_saved")


def _lowered(fdef):
    lower([fdef], NameAllocator())
    return to_source(fdef)


def _tag_as_emitters_do(fdef):
    """The tags reverse.py and codegen.substitute put on these nodes."""
    loop_fwd, zeros_w, zeros_b, walk, g, t, k = fdef.body[1:8]
    tag(loop_fwd.body[-1], "tape_append", tape="_tape")
    tag(walk, "tape_walk", tape="_tape")
    tag(zeros_w, "adjoint_zeros", adjoint="d_w")
    tag(zeros_b, "adjoint_zeros", adjoint="d_b")
    acc_w, acc_b = walk.body
    tag(acc_w, "accumulate", adjoint="d_w")
    tag(acc_b, "accumulate", adjoint="d_b")
    tag(acc_w.value.right, "unbroadcast", like="w", matmul="tn")
    tag(acc_b.value.right, "unbroadcast", like="h", matmul=None)
    tag(g.value, "unbroadcast", like="x", matmul="nt")
    tag(t.value, "kernel_forward", prim="sparse_softmax_xent")
    tag(k.value, "kernel_gradient", prim="sparse_softmax_xent")
    return fdef


def test_code_spelled_like_the_targets_but_untagged_is_left_as_it_is():
    plain = gast.parse(textwrap.dedent(_SPELLED)).body[0]
    before = to_source(plain)
    after = _lowered(plain)
    for word in _LOWERED_WORDS:
        assert word not in after, word
    # only the dead values' del statements (which need no tag) were added
    kept = "\n".join(line for line in after.splitlines() if not line.strip().startswith("del "))
    assert kept + "\n" == before


def test_the_same_code_tagged_as_the_emitters_tag_it_is_lowered():
    got = _lowered(_tag_as_emitters_do(gast.parse(textwrap.dedent(_SPELLED)).body[0]))
    assert "_tape.append((getattr(h, 'shape', ()), a))" in got
    assert "for h_shape, a in reversed(_tape):" in got
    assert "d_w = accumulate_tn(d_w, a, a, w)" in got
    assert "d_b = accumulate(d_b, sum_to(a, h_shape))" in got
    assert "g = matmul_nt_to(x, w, x)" in got
    assert "t, t_saved = sparse_softmax_xent_fwd(x, labels)" in got
    assert "k = sparse_softmax_xent_bwd(t_saved, g)" in got


def _template(text):
    return gast.parse(text).body[0].value


def test_substitute_tags_the_helper_calls_a_template_makes():
    got = substitute(_template("unbroadcast(matmul_tn(x, dout, like=y), y)"),
                     {"x": name("h"), "dout": name("d_t"), "y": name("w")})
    assert facts_of(got, "unbroadcast") == {"like": "w", "matmul": "tn"}
    got = substitute(_template("unbroadcast(matmul_nt(dout, y), x)"),
                     {"x": name("h"), "dout": name("d_t"), "y": name("w")})
    assert facts_of(got, "unbroadcast") == {"like": "h", "matmul": "nt"}
    got = substitute(_template("unbroadcast(dout * y, x)"),
                     {"x": name("h"), "dout": name("d_t"), "y": name("w")})
    assert facts_of(got, "unbroadcast") == {"like": "h", "matmul": None}
    got = substitute(_template("sparse_softmax_xent_grad(logits, labels, dout)"),
                     {"logits": name("z"), "labels": name("k"), "dout": name("d_t")})
    assert facts_of(got, "kernel_gradient") == {"prim": "sparse_softmax_xent"}
    # a name the call site substitutes is the call site's value, whatever it is called
    got = substitute(_template("f(dout, x)"), {"f": name("unbroadcast"), "dout": name("d_t"),
                                               "x": name("h")})
    assert to_source_expr(got) == "unbroadcast(d_t, h)" and tag_of(got) is None


def to_source_expr(expr):
    return astor.to_source(gast.gast_to_ast(gast.Expression(body=expr))).strip()


def test_a_tag_has_its_kind_s_facts():
    node = gast.Pass()
    with pytest.raises(ValueError, match="unknown tag kind"):
        tag(node, "unbroadcastt", like="x", matmul=None)
    with pytest.raises(ValueError, match="has the facts like, matmul"):
        tag(node, "unbroadcast", like="x")
    assert tag_of(node) is None
    tag(node, "tape_walk", tape="_tape")
    assert tag_of(node).kind == "tape_walk" and facts_of(node, "tape_walk") == {"tape": "_tape"}
    assert facts_of(node, "tape_append") is None
    untag(node)
    assert tag_of(node) is None


_USER_HELPERS = '''
import numpy as np
from autograd_st import ops


def unbroadcast(g, like):
    # the runtime helper's name, a different function: it scales, it never sums
    return g * 2.0


def matmul_tn(a, b, like=None):
    return np.matmul(a, b)


def users_names(x, w):
    _tape = [x, w]
    s = x * 0.0
    for i in range(3):
        for v in reversed(_tape):
            s = s + unbroadcast(matmul_tn(v, w), s) * 0.1
    return ops.sum(s * s)
'''


def test_a_user_s_unbroadcast_matmul_tn_and_tape_are_the_user_s(tmp_path, monkeypatch):
    path = tmp_path / "lower_user_names.py"
    path.write_text(_USER_HELPERS, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    mod = importlib.import_module("lower_user_names")
    x = np.array([[0.3, 0.4], [0.1, -0.2]])
    w = np.array([[0.5, 0.2], [0.3, -0.1]])
    g = ops.grad(mod.users_names, (0, 1))
    for got, want in zip(g(x, w), numerical_grad(mod.users_names, (x, w), grad_position=(0, 1))):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-9)
    src = g.source(x, w)
    # the user's functions are compiled as the user wrote them, called by their own pairs
    assert "= unbroadcast_fwd(" in src and "= unbroadcast_bwd(" in src
    assert "= matmul_tn_fwd(" in src and "= matmul_tn_bwd(" in src
    assert "\n    _tape = " not in src  # the user's list is not the loop's tape
    assert "def unbroadcast_fwd(g, like):\n    # return g * 2.0" in src
