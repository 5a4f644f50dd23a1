"""User code whose names look like the generated code's own (see compiler/names.py)."""
import numpy as np

from autograd_st import ops


def template(x, y):
    NAME = x * y
    s = NAME + 1.0
    for i in range(2):
        s = s * 0.5 + NAME * x
    if np.sum(s) > -1e9:
        s = s + x
    return np.sum(s * s)


def shadows_np_and_ops(np, ops):
    return np * ops * 3.0 + ops


def unicode_names(α, β):
    γ = α * β
    return γ * γ + α


def early_exit_names(x, _broke, _skip):
    _returned = x * _broke
    _return_value = _returned + _skip
    for i in range(3):
        if i == 2:
            break
        _return_value = _return_value * x
    return np.sum(_return_value)


# -- templates for every reserved form (tests/test_hygiene.py renames NAME and puts more
# user variables with reserved names where EXTRA is) -----------------------------------
# template_ops uses operations whose generated code reads the runtime helpers and template
# globals (sigmoid, softmax, logsumexp, concat2, ungetitem, matmul_nt, ...), so a user name
# that shadowed one of them would break it; NAME is its parameter, reassigned in a loop.

def _helper(a, b):
    return a * b + a


def template_ops(x, NAME):
    EXTRA = x * 0.0
    NAME = ops.tanh(NAME) * x
    t = ops.exp(NAME * 0.5) + ops.sin(x) * ops.cos(NAME)
    m = ops.maximum(t, x) + ops.minimum(t, NAME) + ops.sigmoid(NAME) + ops.relu(x)
    r = ops.reshape(m, (2, 1))
    q = ops.matmul(ops.transpose(r, (1, 0)), r) + ops.matmul(r, ops.transpose(r, (1, 0)))
    c = ops.concat((NAME, t), 0)
    k = 0
    while k < 2:
        NAME = NAME * 0.5 + _helper(x, NAME)
        k = k + 1
    z = NAME[0] * t[1] + c[1:3] * 2.0
    z = z + ops.where(x > 0.0, NAME, t) + ops.softmax(NAME * t, -1) + ops.log_softmax(c, -1)[:2]
    u = ops.square(ops.stop_gradient(t * 0.0) + NAME)
    return ops.sum(q) + ops.sum(z * z) + ops.logsumexp(NAME, 0) + ops.sum(EXTRA) \
        + ops.mean(ops.sqrt(NAME * NAME + 1.0)) + ops.sum(u)
