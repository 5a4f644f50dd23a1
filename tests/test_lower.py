"""The final lowering (compiler/lower.py): same values as the pure code, never a write into a
user's array or a Parameter, and never in code that is differentiated again."""
import numpy as np

from autograd_st import Parameter, Tensor, nn, numerical_grad, ops


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
