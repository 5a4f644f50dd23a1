"""Plain-numpy functions, written the way people write them, for tests/test_numpy_suite.py.

Nothing here knows about autograd_st: each function is ordinary Python over numpy (a few are
called with Tensors or Python floats by the test).  They live in their own module because the
compiler reads their source, and errors it raises cite this file's lines (``line_of`` finds a
line by a ``# tag: NAME`` comment).
"""
from __future__ import annotations

import numpy as np

__all__ = ["line_of"]

SCALE = 1.5          # module constants read at compile time
MODE = "square"
USE_TANH = True
DEBUG = False


def line_of(tag: str) -> int:
    """The 1-based line of this file carrying ``# tag: <tag>``."""
    with open(__file__) as fh:
        for number, line in enumerate(fh, 1):
            if line.rstrip().endswith("# tag: " + tag):
                return number
    raise LookupError(tag)


# =========================================================================================
# item 4: numpy functions -- elementwise
# =========================================================================================

def exp_sum(x):
    return np.sum(np.exp(x))


def tanh_square(x):
    return np.sum(np.square(np.tanh(x)))


def sin_times_cos(x, y):
    return np.sum(np.sin(x) * np.cos(y))


def sqrt_plus_log(x):                       # x > 0
    return np.sum(np.sqrt(x) + np.log(x))


def abs_weighted(x):                        # x away from 0
    return np.sum(np.abs(x) * x)


def absolute_and_builtin_abs(x):            # x away from 0
    return np.sum(np.absolute(x)) + abs(x[0]) * 2.0


def power_and_pow_operator(x):
    return np.sum(np.power(x, 3) + x ** 2 - 2.0 ** x)


def power_array_exponent(x, y):             # x > 0
    return np.sum(np.power(x, y))


def divide_variants(x, y):                  # x, y away from 0
    return np.sum(np.divide(x, y) - np.true_divide(y, x) + 1.0 / x)


def named_arithmetic(x, y):
    return np.sum(np.add(x, y) * np.subtract(x, y) * np.negative(np.multiply(x, y)))


def unary_minus_and_rsub(x, y):
    return np.sum(-x * (2.0 - y) + (1.0 - x) / (3.0 + y * y))


def maximum_relu(x):                        # x away from 0
    return np.sum(np.maximum(x, 0.0) * x)


def minimum_pair(x, y):                     # x, y not tied
    return np.sum(np.square(np.minimum(x, y)) + np.maximum(x, y))


def clip_both(x):                           # x away from +-0.5
    return np.sum(np.clip(x, -0.5, 0.5) * x)


def clip_lower_only(x):                     # x away from 0
    return np.sum(np.clip(x, 0.0, None) ** 2)


def logaddexp_pair(x, y):
    return np.sum(np.logaddexp(x, y) * np.logaddexp(0.0, x))


def where_on_sign(x):                       # x away from 0
    return np.sum(np.where(x > 0, x * x, -np.sin(x)))


def where_two_inputs(x, y):                 # x, y not tied
    return np.sum(np.where(x > y, np.exp(x), np.cos(y) * x))


def sign_and_likes(x):                      # x away from 0
    return np.sum(np.sign(x) * x * x + x * np.ones_like(x) + np.zeros_like(x))


# =========================================================================================
# item 4: reductions
# =========================================================================================

def sum_axis0(x):
    return np.sum(np.sum(x, axis=0) ** 2)


def sum_keepdims_normalize(x):
    return np.sum(x * x / np.sum(np.exp(x), axis=-1, keepdims=True))


def sum_axis_tuple(x):                      # 3-d x
    return np.sum(np.sum(x, axis=(0, 2)) ** 2)


def mean_axis1(x):
    return np.sum(np.mean(x, axis=1) ** 3)


def variance(x):
    mu = np.mean(x)
    return np.mean(np.square(x - mu))


def max_and_min_all(x):                     # distinct entries
    return np.max(x) * 2.0 + np.min(x) * np.max(x)


def max_axis(x):                            # distinct entries
    return np.sum(np.max(x, axis=1) ** 2) + np.sum(np.min(x, axis=0))


def amax_amin(x):                           # distinct entries
    return np.sum(np.amax(x, axis=0) * np.amin(x, axis=0))


def stable_softmax_dot(x, w):
    m = np.max(x, axis=-1, keepdims=True)
    e = np.exp(x - m)
    p = e / np.sum(e, axis=-1, keepdims=True)
    return np.sum(p * w)


def array_methods(x):
    return x.sum(axis=0).max() + x.mean() * x.sum() + np.sum(x.reshape(-1) ** 2)


# =========================================================================================
# item 4: linear algebra and shapes
# =========================================================================================

def dot_vectors(x, y):
    return np.dot(x, y) * np.dot(x, x)


def dot_matrices(a, b):
    return np.sum(np.dot(a, b) ** 2)


def matmul_operator_chain(a, b, c):
    return np.sum(np.tanh(a @ b) @ c)


def matrix_vector(w, x):
    return np.sum(np.tanh(w @ x))


def np_matmul(a, b):
    return np.sum(np.sin(np.matmul(a, b)))


def transpose_gram(a):
    return np.sum(np.transpose(a) @ a * a[0, 0])


def t_attribute(a):
    return np.sum((a.T @ a) ** 2) + np.sum(a.T[0])


def transpose_axes(x, w):                   # 3-d x
    return np.sum(np.transpose(x, (2, 0, 1)) * w)


def reshape_both_ways(x):                   # 12 entries
    return np.sum(np.reshape(x, (3, 4)) @ np.reshape(x, (4, 3)))


def expand_squeeze(x):                      # 1-d x
    outer = np.expand_dims(x, 0) * np.expand_dims(x, 1)
    return np.sum(np.squeeze(np.expand_dims(x, 0), axis=0) * np.sum(outer, axis=0))


def broadcast_to_weighted(x, w):            # x (4,), w (3, 4)
    return np.sum(np.broadcast_to(x, (3, 4)) * w)


def implicit_broadcast(x, y):               # x (3, 1), y (4,)
    return np.sum(x * y + x - y * y / (x * x + 1.0))


def concatenate_axis0(x, y, w):
    return np.sum(np.concatenate((x, y)) ** 2 * w)


def concatenate_axis1_list(x, y):           # (2, 3) and (2, 2)
    z = np.concatenate([x, np.tanh(y), x * y[:, :1]], axis=1)
    return np.sum(z * z[::-1])


def stack_axis0(x, y, w):
    return np.sum(np.stack((x, y)) * w)


def stack_axis1_list(x, y, z):
    s = np.stack([x, y * z, z], axis=1)
    return np.sum(np.sin(s) * s)


def mlp_loss(w1, b1, w2, x):
    h = np.tanh(x @ w1 + b1)
    out = h @ w2
    return np.mean(np.square(out - 1.0))


def logistic_loss(w, x, y):                 # y in {-1, +1}
    z = x @ w
    return np.mean(np.logaddexp(0.0, -y * z))


# =========================================================================================
# item 5: tuple packing / unpacking, reassignment, augmented assignment
# =========================================================================================

def tuple_unpack(x, y):
    a, b = x * y, x + y
    return np.sum(a * b)


def tuple_return(x, y):                     # differentiated as the sum of its outputs
    return np.sum(x * y), np.sum(np.exp(x))


def _stats(x):
    return np.mean(x), np.max(x)


def helper_tuple_unpack(x):                 # distinct entries
    m, mx = _stats(x)
    return m * mx


def swap(x, y):
    x, y = y, x
    return np.sum(x * np.exp(y))


def nested_unpack(x):
    (a, b), c = (x[0], x[1]), x[2]
    return a * b * c


def tuple_variable_unpack(x, y):
    pair = (np.sin(x), y * 2.0)
    u, v = pair
    return np.sum(u * v) + np.sum(pair[0])


def reassign(x):
    x = x * 2.0
    x = np.tanh(x)
    x = x + 1.0
    return np.sum(x * x)


def augassign_scalars(x, y):
    s = 0.0
    s += np.sum(x)
    s -= np.sum(y * y)
    s *= 2.0
    s /= 3.0
    return s * np.sum(x * y)


def augassign_arrays(x):
    y = x * 1.0
    y *= x
    y += np.sin(x)
    y -= x / 3.0
    y **= 2
    return np.sum(y)


# =========================================================================================
# item 5: subscripts and slices as differentiable reads
# =========================================================================================

def index_ints(x):                          # 1-d
    return x[0] * x[1] + x[-1] * x[-2]


def slices(x):                              # 1-d, length 5
    return np.sum(x[1:3] * x[2:4]) + np.sum(x[:2] ** 2) + np.sum(x[3:])


def negative_slices(x):                     # 1-d, length 5
    return np.sum(x[-3:] * x[:-2]) + np.sum(x[-4:-1])


def step_slices(x):                         # 1-d, length 6
    return np.sum(x[::2]) * np.sum(x[1::2]) + np.sum(x[::-1] * x)


def columns_and_rows(x):                    # 2-d
    return np.sum(x[:, 0] * x[:, 1]) + np.sum(x[1, :] ** 2) + np.sum(x[-1])


def row_dot(x):                             # 2-d
    return x[-1] @ x[0]


def none_index(x):                          # 1-d
    return np.sum(x[..., None] * x[None, :] * x[:, np.newaxis])


def ellipsis_index(x):                      # 3-d
    return np.sum(x[..., 0] * x[..., -1]) + np.sum(x[0, ...])


def scalar_index_2d(x):
    return x[1, 2] * x[0, 0] + np.exp(x[0, 1])


def subscript_of_result(x):
    y = np.exp(x)
    z = y[1:] - y[:-1]
    return y[0] * y[-1] + np.sum(z * z)


def integer_list_index(x):                  # 1-d
    return np.sum(x[[0, 2, 2]] * x[[1, 3, 0]])


# =========================================================================================
# item 5: conditional expressions
# =========================================================================================

def ifexp_constant(x):
    y = x * x if MODE == "square" else x
    s = 2.0 if USE_TANH else 3.0
    return np.sum(y * s)


def ifexp_on_array_value(x):                # sum(x) away from 0
    y = x * 2.0 if np.sum(x) > 0 else x * x
    return np.sum(np.exp(y))


def ifexp_on_elements(x):                   # x[0], x[1] not tied
    y = np.exp(x[0]) if x[0] > x[1] else np.sin(x[1]) * x[0]
    return y * x[2]


def ifexp_nested(x):                        # x[0] away from +-0.5
    k = x[0] * 3.0 if x[0] > 0.5 else (x[0] * x[1] if x[0] > -0.5 else -x[1])
    return k + np.sum(x)


def ifexp_argument_flag(x, flag):           # flag a Python bool
    return np.sum(np.tanh(x) if flag else np.sin(x))


# =========================================================================================
# item 5: if / elif / else, nested
# =========================================================================================

def if_constant(x):
    if DEBUG:
        y = x * 0.0
    elif USE_TANH:
        y = np.tanh(x)
    else:
        y = x
    return np.sum(y * y)


def elif_chain(x):                          # sum(x) away from -1 and 1
    s = np.sum(x)
    if s > 1.0:
        y = x * x
    elif s > -1.0:
        y = np.sin(x)
    else:
        y = np.exp(x)
    return np.sum(y)


def nested_if(x):                           # x[0], x[1] away from 0
    if x[0] > 0:
        if x[1] > 0:
            y = x * x[0]
        else:
            y = np.exp(x)
    else:
        if x[1] > 0:
            y = np.sin(x) * x[1]
        elif x[1] > -10.0:
            y = x ** 3
        else:
            y = x
    return np.sum(y)


def if_without_else(x):                     # max(x) away from 0.5
    y = x * 2.0
    if np.max(x) > 0.5:
        y = y * np.tanh(x)
    return np.sum(y)


def elif_on_int_argument(x, k):             # k a Python int
    if k == 0:
        y = np.exp(x)
    elif k == 1:
        y = np.sin(x)
    else:
        y = x * x
    return np.sum(y)


# =========================================================================================
# item 5: loops, break / continue
# =========================================================================================

def for_range(x):
    for _ in range(3):
        x = np.tanh(x) * SCALE
    return np.sum(x)


def for_range_index(x):                     # 1-d
    s = 0.0
    for i in range(x.shape[0]):
        s = s + x[i] * (i + 1)
    return s * np.sum(x)


def nested_loops_index(x):                  # square 2-d
    s = 0.0
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            s += x[i, j] * x[j, i] * (i - j + 0.5)
    return s


def nested_loops_state(x):
    y = x
    for i in range(2):
        for j in range(3):
            y = np.sin(y) + x * (i + j)
    return np.sum(y)


def break_data_dependent(x):                # sum(x*x) so no partial sum sits at 3
    s = 0.0
    y = x
    for i in range(10):
        y = y * 1.3 + 0.1
        s = s + np.sum(y * y)
        if s > 3.0:
            break
    return s


def break_constant(x):
    s = 0.0
    for i in range(10):
        if i == 3:
            break
        s = s + np.sum(np.exp(x * i))
    return s


def continue_constant(x):                   # 1-d, length >= 4
    s = 0.0
    for i in range(4):
        if i % 2 == 0:
            continue
        s += x[i] ** 2
    return s + x[0]


def continue_data_dependent(x):             # 1-d, away from 0
    s = 0.0
    for i in range(x.shape[0]):
        if x[i] < 0:
            continue
        s = s + np.exp(x[i])
    return s


def while_data_dependent(x):                # ends away from the threshold
    y = x
    while np.sum(y * y) < 10.0:
        y = y * 1.5
    return np.sum(y)


def while_with_break(x):
    y = x
    n = 0
    while True:
        y = np.tanh(y) + x
        n += 1
        if n >= 4:
            break
    return np.sum(y)


def loop_over_list(x, y, z):
    s = 0.0
    for a in [x, y, z]:
        s = s + np.sum(a * a * a)
    return s


def loop_over_tuple(x, y):
    acc = 1.0
    for a in (x, y, x * y):
        acc = acc * np.tanh(a)
    return np.sum(acc)


def loop_over_list_variable(x, y):
    arrays = [x, y, np.exp(x)]
    s = 0.0
    for a in arrays:
        s += np.sum(np.sin(a))
    return s


def loop_enumerate_tuple(x, y):
    s = 0.0
    for i, a in enumerate((x, y)):
        s = s + np.sum(a) * (i + 1.0)
    return s * s


def loop_over_array_rows(x):                # 2-d
    s = 0.0
    for row in x:
        s = s + np.sum(row ** 2) * row[0]
    return s


# =========================================================================================
# item 5: early and multiple returns
# =========================================================================================

def early_return(x):                        # sum(x) away from 0
    if np.sum(x) > 0:
        return np.sum(x ** 2)
    return np.sum(np.exp(x))


def multiple_returns(x):                    # x[0] away from 0 and 1
    if x[0] > 1.0:
        return np.sum(x * x)
    elif x[0] > 0.0:
        return np.sum(np.sin(x))
    else:
        return np.sum(np.exp(x)) * x[0]


def return_in_loop(x):                      # partial sums away from 5
    y = x
    for i in range(10):
        y = y * 1.4
        if np.sum(y) > 5.0:
            return np.sum(y * y)
    return np.sum(y)


def return_tuple_early(x, y):
    if np.sum(x) > np.sum(y):
        return np.sum(x * y), np.sum(x)
    return np.sum(y), np.sum(np.exp(x))


def return_constant_branch(x):
    if DEBUG:
        return np.sum(x)
    return np.sum(np.tanh(x) ** 2)


# =========================================================================================
# item 5: helpers calling helpers
# =========================================================================================

def _sq(v):
    return v * v


def _inner(v):
    return np.sum(_sq(np.tanh(v)))


def _outer(a, b):
    return _inner(a) * _inner(b) + _sq(np.sum(a * b))


def helpers_calling_helpers(x, y):
    return _outer(x, y)


def _layer(h, w, b, act=True):
    z = h @ w + b
    return np.tanh(z) if act else z


def helper_in_loop(x, w, b):
    h = x
    for _ in range(3):
        h = _layer(h, w, b)
    return np.sum(_layer(h, w, b, act=False))


def _scaled(v, factor=2.0):
    return v * factor


def helper_keyword_default(x):
    return np.sum(_scaled(x) * _scaled(x, factor=3.0) + _scaled(v=x, factor=0.5))


def _first_positive(v):                     # a helper with its own early return
    if np.sum(v) > 0:
        return v * 2.0
    return -v


def helper_with_early_return(x, y):         # sum(x), sum(y) away from 0
    return np.sum(_first_positive(x) * _first_positive(y))



# =========================================================================================
# more of the same, in combinations people write
# =========================================================================================

W_CONST = np.array([[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5]])


def module_constant_array(x):               # x (2, 3)
    return np.sum(np.tanh(x @ W_CONST))


def reshape_int_and_method(x):              # 12 entries, (3, 4)
    y = np.reshape(x, -1)
    z = x.reshape(2, -1)
    return np.sum(y * y) + np.sum(z[0] * z[1]) + np.sum(np.transpose(x.reshape(2, 3, 2)))


def where_scalar_branch_and_broadcast_maximum(x, y):   # x (2, 3), y (3,), no ties
    return np.sum(np.where(x > 0.0, x, 0.0) + np.maximum(x, y) * 2.0)


def concatenate_axis_none_and_stack_negative(x, y):    # (2, 2) and (2, 2)
    return np.sum(np.concatenate((x, y), axis=None) ** 2) + np.sum(np.stack((x, y), axis=-1)[..., 0])


def mean_axis_tuple_and_shape_arith(x):     # 3-d
    return np.sum(np.mean(x, axis=(0, 1)) ** 2) + np.sum(x) / x.shape[0] + np.sum(x) / np.size(x)


def chained_assignment(x):
    a = b = x * 2.0
    a = a + 1.0
    return np.sum(a * b)


def bool_ops_condition(x):                  # x entries away from 0
    if x[0] > 0 and x[1] > 0:
        y = x * x
    elif x[0] > 0 or not x[1] > 0:
        y = np.sin(x)
    else:
        y = np.exp(x)
    return np.sum(y)


def chained_comparison(x):                  # x[0] away from 0 and 1
    if 0.0 < x[0] < 1.0:
        return np.sum(x * 3.0)
    return np.sum(x ** 3)


def ifexp_on_floats(a, b):                  # Python floats, not tied
    m = a if a > b else b
    return m * a * b + (a * a if a > 0 else -a)


def ifexp_in_loop(x):                       # partial values away from 0
    s = 0.0
    for i in range(x.shape[0]):
        s = s + (np.exp(x[i]) if x[i] > 0 else x[i] * x[i])
    return s


def break_in_inner_loop(x):                 # 2-d, entries away from 0
    s = 0.0
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            if x[i, j] < 0:
                break
            s = s + x[i, j] * (j + 1.0)
    return s


def while_continue_break(x):                # 1-d, entries away from 0
    i = 0
    s = 0.0
    while i < 10:
        i += 1
        if i % 3 == 0:
            continue
        s = s + np.sum(np.sin(x * i))
        if i >= 7:
            break
    return s


def return_in_nested_loop(x):               # 2-d; partial sums away from 2
    s = 0.0
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            s = s + x[i, j] * x[i, j]
            if s > 2.0:
                return s * x[0, 0]
    return s


def loop_tuple_state(x, y):
    a, b = x, y
    for _ in range(3):
        a, b = np.tanh(a + b), a * 0.5
    return np.sum(a * b)


def _affine(v, w):
    return v @ w


def _block(v, w):
    h = v
    for _ in range(2):
        h = np.tanh(_affine(h, w)) + h
    return h


def helper_with_loop_in_helper(x, w):       # x (2, 3), w (3, 3)
    return np.sum(_block(x, w) ** 2)


def loop_list_of_pairs_helper(x, y, w):
    s = 0.0
    for a in [x, y]:
        s = s + np.sum(_affine(a, w))
    return s


def len_range_loop(x):                      # 1-d
    s = x[0] * 0.0
    for i in range(1, len(x)):
        s += x[i] * x[i - 1]
    return s

# =========================================================================================
# input kinds: Python floats, Tensors, mixed
# =========================================================================================

def scalar_floats(a, b):
    return a * np.exp(b) + np.sin(a * b) + a ** 2


def array_and_float(x, a):
    return np.sum(np.tanh(x * a)) + a * a


def on_tensors(x, y):
    return np.sum(np.exp(x) * y) + np.sum(np.tanh(x @ y.T))


# =========================================================================================
# refusals
# =========================================================================================

def recursive(x, n):
    if n == 0:
        return np.sum(x)
    return recursive(x * 2.0, n - 1)  # tag: recursion


def _ping(x, n):
    if n <= 0:
        return x
    return _pong(x, n - 1)


def _pong(x, n):
    return _ping(x * 1.5, n)


def mutually_recursive(x):
    return np.sum(_ping(x, 3))


def uses_cumsum(x):
    y = np.exp(x)
    return np.sum(np.nancumsum(y))  # tag: cumsum


def uses_sort(x):
    return np.sum(np.partition(x, 1) * np.arange(3.0))  # tag: sort


def flip_weighted(x):                       # np.flipud has no built-in rule; a test registers one
    return np.sum(np.flipud(x) * np.arange(3.0))


def flip_weighted_after_error(x):           # the same, differentiated once before registering
    return np.sum(np.flipud(x) * np.arange(3.0))


def sort_weighted(x):                       # np.sort: a rule registered for it (kw-only params)
    return np.sum(np.sort(x) * np.arange(3.0))
