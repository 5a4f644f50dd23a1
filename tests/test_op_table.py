"""The op table (``autograd_st/op_table.py``) against what it gives.

Every row names a registered primitive; every ``ops`` function that binds to primitives
comes from the table; every Tensor method of the table is installed on Tensor and gives the
values and gradients of the functional op it stands for, eagerly and inside compiled code,
on several shapes (broadcasting ones included); the numpy bindings and primitive classes are
the table's functions; the generated functions' source can be read back.
"""
import ast
import importlib.util
import inspect
import linecache
import math
import pathlib

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Tensor, numerical_grad, op_table, ops, rules, table_index
from autograd_st.compiler import bindings
from autograd_st.ops import nn_func
from autograd_st.ops.operations import Primitive

ROWS = op_table.OPS + op_table.NN_OPS


def _label(row):
    return (row.ops or row.methods or tuple(f.__name__ for f in row.numpy) or row.classes)[0]


@pytest.mark.parametrize("row", ROWS, ids=_label)
def test_every_row_names_a_registered_primitive(row):
    assert row.prim in rules.REGISTRY


def test_ops_functions_that_bind_to_primitives_all_come_from_the_table():
    from_table = 0
    for name in ops.__all__:
        obj = getattr(ops, name)
        if getattr(obj, "_autograd_st_bindable", False):
            row = op_table.row_of(obj)
            assert row is not None, "ops.%s binds to primitives but is not in the op table" % name
            assert name in row.ops
            assert obj is op_table.FUNCTIONS.get(name, op_table.NN_FUNCTIONS.get(name))
            from_table += 1
    assert from_table == len(op_table.FUNCTIONS) + len(nn_func.PUBLIC)
    # and the other way: each of the table's names is published
    for name, fn in op_table.FUNCTIONS.items():
        assert name in ops.__all__ and getattr(ops, name) is fn
    for name, fn in op_table.NN_FUNCTIONS.items():
        assert getattr(nn_func, name) is fn
    assert ops.subtract is ops.sub and ops.reduce_mean is ops.mean and ops.cat is ops.concat
    assert ops.conv2d is nn_func.conv2d and ops.flatten is not nn_func.flatten


def test_the_nn_layers_and_losses_call_the_ops_functional_forms():
    from autograd_st.nn import layers, loss
    for name in ("conv2d", "dense", "var", "erf", "one_hot", "assign", "depend"):
        assert getattr(layers, name) is getattr(nn_func, name)
    for name in ("one_hot_like", "reshape_along", "softplus"):
        assert getattr(loss, name) is getattr(nn_func, name)


def test_tensor_methods_are_the_tables_functions():
    for name, fn in op_table.METHODS.items():
        assert vars(Tensor)[name] is fn, name
        assert bindings.method(name) is fn, name
        assert name in op_table.row_of(fn).methods


def test_numpy_bindings_are_the_tables_functions():
    for f, fn in op_table.NUMPY.items():
        assert bindings.lookup(f) is fn
        assert f in op_table.row_of(fn).numpy
    assert bindings.lookup(abs) is op_table.NUMPY[np.abs]
    assert set(bindings.SUPPORTED_NUMPY) == {f.__name__ for f in op_table.NUMPY}
    assert set(bindings.ZERO_GRAD_NUMPY) == {
        "sign", "shape", "size", "ndim", "ones_like", "zeros_like", "argmax", "argmin",
        # autograd_st/table_math.py: rounding, predicates and comparisons
        "floor", "ceil", "trunc", "isnan", "isinf", "isfinite", "logical_and", "logical_or",
        "logical_xor", "logical_not", "equal", "not_equal", "greater", "greater_equal", "less",
        "less_equal", "floor_divide",
        # autograd_st/table_linalg.py: integers and bits
        "gcd", "lcm", "bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift",
        "invert", "nextafter",
        # autograd_st/table_numpy.py: integer results and masks
        "argsort", "searchsorted", "digitize", "histogram", "isclose"}


def test_primitive_classes_call_the_tables_functions():
    x = Tensor(np.array([[0.5, -1.5, 2.0]]))
    for name, fn in op_table.CLASSES.items():
        cls = getattr(ops, name)
        assert issubclass(cls, Primitive) and name in ops.__all__
        assert inspect.getattr_static(cls, "__call__").__func__ is fn
    np.testing.assert_allclose(ops.Exp()(x).asnumpy(), np.exp(x.asnumpy()))
    np.testing.assert_allclose(ops.RealDiv()(x, 2.0).asnumpy(), x.asnumpy() / 2.0)
    np.testing.assert_allclose(ops.Transpose()(x, (1, 0)).asnumpy(), x.asnumpy().T)
    np.testing.assert_allclose(ops.ReduceSum(keep_dims=True)(x, [1]).asnumpy(), [[1.0]])

    add = ops.Add()

    def f(a, b):
        return ops.sum(add(a, b) * a)
    ga, gb = ops.grad(f, (0, 1))(x, Tensor(np.array([2.0])))
    np.testing.assert_allclose(ga.asnumpy(), 2 * x.asnumpy() + 2.0)
    np.testing.assert_allclose(gb.asnumpy(), [np.sum(x.asnumpy())])


def test_generated_functions_read_back_and_differentiate():
    assert inspect.getsource(ops.exp) == \
        'def exp(input):\n    """The ``exp`` primitive (see autograd_st.rules)."""\n' \
        '    return P.exp(input)\n'
    assert inspect.signature(ops.where).parameters.keys() == {"condition", "input", "other"}
    assert ops.conv2d.__doc__.startswith("2-D cross-correlation")
    x = Tensor(np.array([0.3, -1.2, 2.0]))
    np.testing.assert_allclose(ops.grad(ops.sin)(x).asnumpy(), np.cos(x.asnumpy()))
    # linecache loses the entry (clearcache): the functions' globals give the source back
    saved = linecache.cache.pop(op_table.SOURCE_FILE)
    try:
        lines = linecache.getlines(op_table.SOURCE_FILE, ops.exp.__globals__)
        assert lines == saved[2]
    finally:
        linecache.cache[op_table.SOURCE_FILE] = saved


def test_keyword_calls_use_mindspores_parameter_names():
    x = Tensor(np.array([[1.0, -2.0], [3.0, 4.0]]))
    np.testing.assert_allclose(ops.add(input=x, other=1.0).asnumpy(), x.asnumpy() + 1)
    np.testing.assert_allclose(ops.expand_dims(input_x=x, axis=0).asnumpy(), x.asnumpy()[None])
    np.testing.assert_allclose(ops.sum(x, dim=1, keepdim=True).asnumpy(), [[-1.0], [7.0]])
    np.testing.assert_allclose(ops.log_softmax(logits=x, axis=0).asnumpy(),
                               x.asnumpy() - np.log(np.exp(x.asnumpy()).sum(0)))


def test_bad_rows_are_refused_naming_the_row():
    with pytest.raises(LookupError, match="'frobnicate'.*register it"):
        op_table._check(op_table.Op("frobnicate", "input", ops=("frobnicate",)))
    with pytest.raises(ValueError, match="either params.*or fn"):
        op_table._check(op_table.Op("exp", ops=("exp2",)))
    with pytest.raises(ValueError, match="publishes nothing"):
        op_table._check(op_table.Op("exp", "input"))
    with pytest.raises(ValueError, match="plain parameters.*fn="):
        op_table._parameter_names(op_table.Op("softmax", "input, *, axis=-1", ops=("s",)))
    with pytest.raises(ValueError, match="more than the primitive's"):
        op_table._parameter_names(op_table.Op("exp", "input, other", ops=("e",)))


def test_a_method_written_in_tensor_py_as_well_is_refused(monkeypatch):
    def exp(self):
        return Tensor(np.exp(self.asnumpy()))
    monkeypatch.setattr(Tensor, "exp", exp)
    with pytest.raises(TypeError, match="Tensor.exp is written in tensor.py.*delete"):
        op_table._install_methods()


def test_the_table_imports_nothing_above_its_floor():
    allowed = {"dtype", "rules", "rules_nn", "prims", "tensor", "op_row", "table_array",
               "table_math", "table_more", "table_nn", "table_comm", "table_nn3d",
               "table_linalg", "table_loss", "table_index", "table_numpy", "table_detect",
               "table_grid", "table_gaps"}
    tree = ast.parse(pathlib.Path(op_table.__file__).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            names = [node.module] if node.module else [a.name for a in node.names]
            assert set(names) <= allowed, names


# ---------------------------------------------------------------------------------------
# each Tensor method of the table against the functional op it stands for
# ---------------------------------------------------------------------------------------

# (method, as a method call, as an ops call, numpy's value, input shapes to try, domain)
METHOD_CASES = [
    ("add", "x.add(y)", "ops.add(x, y)", "x + y", "binary", "real"),
    ("sub", "x.sub(y)", "ops.sub(x, y)", "x - y", "binary", "real"),
    ("mul", "x.mul(y)", "ops.mul(x, y)", "x * y", "binary", "real"),
    ("div", "x.div(y)", "ops.div(x, y)", "x / y", "binary", "pos"),
    ("pow", "x.pow(y)", "ops.pow(x, y)", "x ** y", "binary", "pos"),
    ("maximum", "x.maximum(y)", "ops.maximum(x, y)", "np.maximum(x, y)", "binary", "real"),
    ("minimum", "x.minimum(y)", "ops.minimum(x, y)", "np.minimum(x, y)", "binary", "real"),
    ("matmul", "x.matmul(y)", "ops.matmul(x, y)", "x @ y", "matmul", "real"),
    ("neg", "x.neg()", "ops.neg(x)", "-x", "unary", "real"),
    ("exp", "x.exp()", "ops.exp(x)", "np.exp(x)", "unary", "real"),
    ("log", "x.log()", "ops.log(x)", "np.log(x)", "unary", "pos"),
    ("sin", "x.sin()", "ops.sin(x)", "np.sin(x)", "unary", "real"),
    ("cos", "x.cos()", "ops.cos(x)", "np.cos(x)", "unary", "real"),
    ("tanh", "x.tanh()", "ops.tanh(x)", "np.tanh(x)", "unary", "real"),
    ("sigmoid", "x.sigmoid()", "ops.sigmoid(x)", "1 / (1 + np.exp(-x))", "unary", "real"),
    ("sqrt", "x.sqrt()", "ops.sqrt(x)", "np.sqrt(x)", "unary", "pos"),
    ("square", "x.square()", "ops.square(x)", "x * x", "unary", "real"),
    ("abs", "x.abs()", "ops.abs(x)", "np.abs(x)", "unary", "real"),
    ("__abs__", "abs(x)", "ops.abs(x)", "np.abs(x)", "unary", "real"),
    # float64, so that finite differences of the reference are exact enough
    ("astype", "x.astype(ms.float64)", "ops.cast(x, ms.float64)", "x.astype(np.float64)",
     "unary", "real"),
    ("to", "x.to(np.float64)", "ops.cast(x, np.float64)", "x.astype(np.float64)", "unary",
     "real"),
    ("sum", "x.sum(-1, keepdims=True)", "ops.sum(x, -1, True)", "x.sum(-1, keepdims=True)",
     "rows", "real"),
    ("sum", "x.sum()", "ops.sum(x)", "x.sum()", "unary", "real"),
    ("mean", "x.mean(0, keep_dims=True)", "ops.mean(x, 0, True)", "x.mean(0, keepdims=True)",
     "rows", "real"),
    ("sum", "x.sum(initial=0.5)", "ops.sum(x) + 0.5", "x.sum(initial=0.5)", "rows", "real"),
    ("max", "x.max(axis=-1)", "ops.amax(x, -1)", "x.max(-1)", "rows", "real"),
    ("max", "x.max(initial=0.0)", "ops.maximum(ops.amax(x), 0.0)", "x.max(initial=0.0)",
     "rows", "real"),
    ("min", "x.min()", "ops.amin(x)", "x.min()", "unary", "real"),
    ("min", "x.min(0, keepdims=True)", "ops.amin(x, 0, True)", "x.min(0, keepdims=True)",
     "rows", "real"),
    ("reshape", "x.reshape(3, 2)", "ops.reshape(x, (3, 2))", "x.reshape(3, 2)", "six", "real"),
    ("view", "x.view((-1,))", "ops.reshape(x, (-1,))", "x.reshape(-1)", "six", "real"),
    ("flatten", "x.flatten()", "ops.flatten(x, start_dim=0)", "x.reshape(-1)", "six", "real"),
    ("transpose", "x.transpose(1, 0)", "ops.transpose(x, (1, 0))", "x.T", "matrix", "real"),
    ("transpose", "x.transpose()", "ops.t(x)", "x.T", "matrix", "real"),
    ("permute", "x.permute((1, 0))", "ops.permute(x, (1, 0))", "x.T", "matrix", "real"),
    ("expand_dims", "x.expand_dims(0)", "ops.expand_dims(x, 0)", "x[None]", "unary", "real"),
    ("squeeze", "x.squeeze(0)", "ops.squeeze(x, 0)", "x[0]", "leading1", "real"),
    # array manipulation (autograd_st/table_array.py), MindSpore 2.10's overloads
    ("argmax", "x.argmax(1)", "ops.argmax(x, 1)", "np.argmax(x, 1)", "grid", "real"),
    ("argmin", "x.argmin(axis=0)", "ops.argmin(x, 0)", "np.argmin(x, 0).astype(np.int32)",
     "grid", "real"),
    ("prod", "x.prod(1, True)", "ops.prod(x, 1, True)", "x.prod(1, keepdims=True)", "grid",
     "real"),
    ("cumsum", "x.cumsum(1)", "ops.cumsum(x, 1)", "np.cumsum(x, 1)", "grid", "real"),
    ("cumprod", "x.cumprod(0)", "ops.cumprod(x, 0)", "np.cumprod(x, 0)", "grid", "real"),
    ("tile", "x.tile((2, 1))", "ops.tile(x, (2, 1))", "np.tile(x, (2, 1))", "grid", "real"),
    ("repeat", "x.repeat(1, 2)", "ops.tile(x, (1, 2))", "np.tile(x, (1, 2))", "grid", "real"),
    ("flip", "x.flip((0,))", "ops.flip(x, (0,))", "x[::-1]", "grid", "real"),
    ("roll", "x.roll(1, 1)", "ops.roll(x, 1, 1)", "np.roll(x, 1, 1)", "grid", "real"),
    ("narrow", "x.narrow(1, 1, 2)", "ops.narrow(x, 1, 1, 2)", "x[:, 1:3]", "grid", "real"),
    ("swapaxes", "x.swapaxes(0, 1)", "ops.swapaxes(x, 0, 1)", "x.T", "grid", "real"),
    ("unsqueeze", "x.unsqueeze(1)", "ops.unsqueeze(x, 1)", "x[:, None]", "grid", "real"),
    ("gather", "x.gather(%(i)s, 1)", "ops.gather(x, %(i)s, 1)", "x[:, [2, 0, 2]]", "grid",
     "real"),
    ("gather", "x.gather(0, %(e)s)", "ops.gather_elements(x, 0, %(e)s)",
     "x[[[1, 0, 1]], [[0, 1, 2]]]", "grid", "real"),
    ("gather_elements", "x.gather_elements(1, %(f)s)", "ops.gather_elements(x, 1, %(f)s)",
     "x[[[0], [1]], [[2, 0], [1, 1]]]", "grid", "real"),
    ("index_select", "x.index_select(1, %(j)s)", "ops.index_select(x, 1, %(j)s)",
     "x[:, [0, 0]]", "grid", "real"),
    ("masked_fill", "x.masked_fill(%(m)s, 0.5)", "ops.masked_fill(x, %(m)s, 0.5)",
     "np.where([True, False, True], 0.5, x)", "grid", "real"),
    ("masked_select", "x.masked_select(%(m)s)", "ops.masked_select(x, %(m)s)",
     "x[:, [0, 2]].ravel()", "grid", "real"),
    ("expand_as", "x[0].expand_as(x)", "ops.broadcast_to(x[0], x.shape)",
     "np.broadcast_to(x[0], x.shape)", "grid", "real"),
    ("broadcast_to", "x[:1].broadcast_to((3, -1))", "ops.broadcast_to(x[:1], (3, -1))",
     "np.broadcast_to(x[:1], (3, x.shape[1]))", "grid", "real"),
    ("chunk", "x.chunk(2, 1)[0]", "ops.chunk(x, 2, 1)[0]", "x[:, :2]", "grid", "real"),
    ("split", "x.split([1, 2], 1)[1]", "ops.split(x, [1, 2], 1)[1]", "x[:, 1:]", "grid",
     "real"),
    ("sort", "x.sort(0)[0]", "ops.sort(x, 0)[0]", "np.sort(x, 0)", "grid", "real"),
    ("topk", "x.topk(2)[0]", "ops.topk(x, 2)[0]", "-np.sort(-x, -1)[:, :2]", "grid", "real"),
    ("fill", "x.fill(2.0)", "ops.ones_like(x) * 2.0", "np.full(x.shape, 2.0)", "grid",
     "real"),
    ("triu", "x.triu(1)", "ops.triu(x, 1)", "np.triu(x, 1)", "grid", "real"),
    ("tril", "x.tril()", "ops.tril(x)", "np.tril(x)", "grid", "real"),
    ("repeat_interleave", "x.repeat_interleave(2, 1)", "ops.repeat_interleave(x, 2, 1)",
     "np.repeat(x, 2, 1)", "grid", "real"),
    ("max", "x.max(1)[0]", "ops.max(x, 1)[0]", "x.max(1)", "grid", "real"),
    ("min", "x.min(dim=0)[0]", "ops.min(x, 0)[0]", "x.min(0)", "grid", "real"),
    ("flatten", "x.flatten(0, 1)", "ops.flatten(x, start_dim=0, end_dim=1)", "x.reshape(-1)",
     "grid", "real"),
] + [
    # autograd_st/table_math.py
    ("xlogy", "x.xlogy(y)", "ops.xlogy(x, y)", "x * np.log(y)", "binary", "pos"),
    ("lerp", "x.lerp(y, 0.3)", "ops.lerp(x, y, 0.3)", "x + 0.3 * (y - x)", "binary", "real"),
    ("hypot", "x.hypot(y)", "ops.hypot(x, y)", "np.hypot(x, y)", "binary", "real"),
    ("logit", "(x * 0.3).logit()", "ops.logit(x * 0.3)", "np.log(x * 0.3 / (1 - x * 0.3))",
     "unary", "pos"),
    ("deg2rad", "x.deg2rad()", "ops.deg2rad(x)", "np.deg2rad(x)", "unary", "real"),
    ("rad2deg", "x.rad2deg()", "ops.rad2deg(x)", "np.rad2deg(x)", "unary", "real"),
    ("trace", "x.trace()", "ops.trace(x)", "np.trace(x)", "square", "real"),
    ("tan", "(x * 0.5).tan()", "ops.tan(x * 0.5)", "np.tan(x * 0.5)", "unary", "real"),
    ("asin", "(x * 0.4).asin()", "ops.asin(x * 0.4)", "np.arcsin(x * 0.4)", "unary", "real"),
    ("arcsin", "(x * 0.4).arcsin()", "ops.arcsin(x * 0.4)", "np.arcsin(x * 0.4)", "unary",
     "real"),
    ("acos", "(x * 0.4).acos()", "ops.acos(x * 0.4)", "np.arccos(x * 0.4)", "unary", "real"),
    ("arccos", "(x * 0.4).arccos()", "ops.arccos(x * 0.4)", "np.arccos(x * 0.4)", "unary",
     "real"),
    ("atan", "x.atan()", "ops.atan(x)", "np.arctan(x)", "unary", "real"),
    ("arctan", "x.arctan()", "ops.arctan(x)", "np.arctan(x)", "unary", "real"),
    ("sinh", "x.sinh()", "ops.sinh(x)", "np.sinh(x)", "unary", "real"),
    ("cosh", "x.cosh()", "ops.cosh(x)", "np.cosh(x)", "unary", "real"),
    ("asinh", "x.asinh()", "ops.asinh(x)", "np.arcsinh(x)", "unary", "real"),
    ("arcsinh", "x.arcsinh()", "ops.arcsinh(x)", "np.arcsinh(x)", "unary", "real"),
    ("acosh", "(x + 1).acosh()", "ops.acosh(x + 1)", "np.arccosh(x + 1)", "unary", "pos"),
    ("arccosh", "(x + 1).arccosh()", "ops.arccosh(x + 1)", "np.arccosh(x + 1)", "unary",
     "pos"),
    ("atanh", "(x * 0.4).atanh()", "ops.atanh(x * 0.4)", "np.arctanh(x * 0.4)", "unary",
     "real"),
    ("arctanh", "(x * 0.4).arctanh()", "ops.arctanh(x * 0.4)", "np.arctanh(x * 0.4)",
     "unary", "real"),
    ("expm1", "x.expm1()", "ops.expm1(x)", "np.expm1(x)", "unary", "real"),
    ("log1p", "x.log1p()", "ops.log1p(x)", "np.log1p(x)", "unary", "pos"),
    ("log2", "x.log2()", "ops.log2(x)", "np.log2(x)", "unary", "pos"),
    ("log10", "x.log10()", "ops.log10(x)", "np.log10(x)", "unary", "pos"),
    ("atan2", "x.atan2(y)", "ops.atan2(x, y)", "np.arctan2(x, y)", "binary", "real"),
    ("erf", "x.erf()", "ops.erf(x)", "np.vectorize(math.erf)(x)", "unary", "real"),
    ("erfc", "x.erfc()", "ops.erfc(x)", "np.vectorize(math.erfc)(x)", "unary", "real"),
    ("rsqrt", "x.rsqrt()", "ops.rsqrt(x)", "1 / np.sqrt(x)", "unary", "pos"),
    ("reciprocal", "x.reciprocal()", "ops.reciprocal(x)", "1 / x", "unary", "real"),
    ("sign", "x.sign()", "ops.sign(x)", "np.sign(x)", "unary", "real"),
    ("softmax", "x.softmax(-1)", "ops.softmax(x, -1)",
     "np.exp(x) / np.exp(x).sum(-1, keepdims=True)", "rows", "real"),
    ("logsumexp", "x.logsumexp(-1)", "ops.logsumexp(x, -1)", "np.log(np.exp(x).sum(-1))",
     "rows", "real"),
    ("logsumexp", "x.logsumexp(0, True)", "ops.logsumexp(x, 0, True)",
     "np.log(np.exp(x).sum(0, keepdims=True))", "rows", "real"),
    ("log_softmax", "x.log_softmax()", "ops.log_softmax(x)",
     "x - np.log(np.exp(x).sum(-1, keepdims=True))", "rows", "real"),
    ("clamp", "x.clamp(-0.7, 0.9)", "ops.clamp(x, -0.7, 0.9)", "np.clip(x, -0.7, 0.9)",
     "unary", "real"),
    ("clip", "x.clip(None, 0.9)", "ops.clip(x, None, 0.9)", "np.minimum(x, 0.9)", "unary",
     "real"),
    ("floor", "x.floor()", "ops.floor(x)", "np.floor(x)", "unary", "real"),
    ("ceil", "x.ceil()", "ops.ceil(x)", "np.ceil(x)", "unary", "real"),
    ("trunc", "x.trunc()", "ops.trunc(x)", "np.trunc(x)", "unary", "real"),
    ("round", "(x * 3).round()", "ops.round(x * 3)", "np.round(x * 3)", "unary", "real"),
    ("isnan", "x.isnan()", "ops.isnan(x)", "np.isnan(x)", "unary", "real"),
    ("isinf", "(1 / (x - x)).isinf()", "ops.isinf(1 / (x - x))", "np.isinf(1 / (x - x))",
     "unary", "pos"),
    ("isfinite", "x.isfinite()", "ops.isfinite(x)", "np.isfinite(x)", "unary", "real"),
    ("isclose", "x.isclose(y)", "ops.isclose(x, y)", "np.isclose(x, y)", "binary", "real"),
    ("logical_and", "x.gt(0).logical_and(y.gt(0))", "ops.logical_and(x > 0, y > 0)",
     "(x > 0) & (y > 0)", "binary", "real"),
    ("logical_or", "x.gt(0).logical_or(y.gt(0))", "ops.logical_or(x > 0, y > 0)",
     "(x > 0) | (y > 0)", "binary", "real"),
    ("logical_xor", "x.gt(0).logical_xor(y.gt(0))", "ops.logical_xor(x > 0, y > 0)",
     "(x > 0) ^ (y > 0)", "binary", "real"),
    ("logical_not", "x.gt(0).logical_not()", "ops.logical_not(x > 0)", "~(x > 0)", "unary",
     "real"),
    ("all", "x.gt(0).all()", "ops.all(x > 0)", "np.all(x > 0)", "rows", "real"),
    ("any", "x.gt(0).any(-1, True)", "ops.any(x > 0, -1, True)",
     "np.any(x > 0, -1, keepdims=True)", "rows", "real"),
    ("eq", "x.eq(y)", "ops.equal(x, y)", "x == y", "binary", "real"),
    ("ne", "x.ne(y)", "ops.not_equal(x, y)", "x != y", "binary", "real"),
    ("gt", "x.gt(y)", "ops.greater(x, y)", "x > y", "binary", "real"),
    ("ge", "x.ge(y)", "ops.greater_equal(x, y)", "x >= y", "binary", "real"),
    ("lt", "x.lt(y)", "ops.less(x, y)", "x < y", "binary", "real"),
    ("le", "x.le(y)", "ops.less_equal(x, y)", "x <= y", "binary", "real"),
    ("remainder", "x.remainder(y)", "ops.remainder(x, y)", "np.mod(x, y)", "binary", "pos"),
    ("fmod", "(x - 1).fmod(y)", "ops.fmod(x - 1, y)", "np.fmod(x - 1, y)", "binary", "pos"),
    ("var", "x.var(-1, ddof=1)", "ops.var(x, -1, 1)", "np.var(x, -1, ddof=1)", "rows",
     "real"),
    ("var", "x.var(keepdims=True)", "ops.var(x, keepdims=True)", "np.var(x, keepdims=True)",
     "unary", "real"),
    ("std", "x.std()", "ops.std(x)", "np.std(x)", "rows", "real"),
    ("aminmax", "x.aminmax(axis=-1)[1] - x.aminmax(axis=-1)[0]",
     "ops.aminmax(x, axis=-1)[1] - ops.aminmax(x, axis=-1)[0]", "x.max(-1) - x.min(-1)",
     "rows", "real"),
    ("renorm", "x.renorm(2, 0, 1.0)", "ops.renorm(x, 2, 0, 1.0)",
     "x * np.where(np.linalg.norm(x, axis=1, keepdims=True) > 1.0, "
     "1.0 / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-7), 1.0)", "grid", "real"),
    ("std", "x.std(-1, True, True)", "ops.std(x, -1, True, True)",
     "np.std(x, -1, ddof=1, keepdims=True)", "matrix", "real"),
    ("norm", "x.norm()", "ops.norm(x)", "np.sqrt(np.sum(x * x))", "unary", "real"),
    ("norm", "x.norm(3, dim=-1)", "ops.norm(x, 3, -1)",
     "np.sum(np.abs(x) ** 3, -1) ** (1 / 3)", "rows", "real"),
    ("norm", "x.norm('fro', dim=(0, 1), keepdim=True)", "ops.norm(x, 'fro', (0, 1), True)",
     "np.linalg.norm(x, 'fro', keepdims=True)", "matrix", "real"),
    ("norm", "x.norm(1)", "ops.norm(x, 1)", "np.linalg.norm(x, 1)", "matrix", "real"),
    ("norm", "x.norm(float('inf'))", "ops.norm(x, float('inf'))",
     "np.linalg.norm(x, np.inf)", "matrix", "real"),
] + [
    # autograd_st/table_more.py
    ("logaddexp", "x.logaddexp(y)", "ops.logaddexp(x, y)", "np.logaddexp(x, y)", "binary",
     "real"),
    ("logaddexp2", "x.logaddexp2(y)", "ops.logaddexp2(x, y)", "np.logaddexp2(x, y)",
     "binary", "real"),
    ("mm", "x.mm(y)", "ops.mm(x, y)", "x @ y", "matmul", "real"),
    ("absolute", "x.absolute()", "ops.absolute(x)", "np.abs(x)", "unary", "real"),
    ("positive", "x.positive()", "ops.positive(x)", "+x", "unary", "real"),
    ("sgn", "x.sgn()", "ops.sgn(x)", "np.sign(x)", "unary", "real"),
    ("true_divide", "x.true_divide(y)", "ops.true_divide(x, y)", "x / y", "binary", "pos"),
    ("heaviside", "(x - 1).heaviside(y)", "ops.heaviside(x - 1, y)",
     "np.heaviside(x - 1, y)", "binary", "real"),
    ("fmax", "x.fmax(y)", "ops.fmax(x, y)", "np.fmax(x, y)", "binary", "real"),
    ("fmin", "x.fmin(y)", "ops.fmin(x, y)", "np.fmin(x, y)", "binary", "real"),
    ("float_power", "x.float_power(y)", "ops.float_power(x, y)", "np.float_power(x, y)",
     "binary", "pos"),
    ("frac", "(x * 3).frac()", "ops.frac(x * 3)", "np.modf(x * 3)[0]", "unary", "real"),
    ("xdivy", "x.xdivy(y)", "ops.xdivy(x, y)", "x / y", "binary", "pos"),
    ("sinc", "x.sinc()", "ops.sinc(x)", "np.sinc(x)", "unary", "real"),
    ("nansum", "x.nansum(-1, True)", "ops.nansum(x, -1, True)",
     "np.nansum(x, -1, keepdims=True)", "rows", "real"),
    ("nanmean", "x.nanmean()", "ops.nanmean(x)", "np.nanmean(x)", "rows", "real"),
    ("count_nonzero", "x.gt(1).count_nonzero()", "ops.count_nonzero(x.gt(1))",
     "np.int32(np.count_nonzero(x > 1))", "rows", "real"),
    ("nan_to_num", "x.nan_to_num(0.0, 1.0, -1.0)", "ops.nan_to_num(x, 0.0, 1.0, -1.0)",
     "np.nan_to_num(x, nan=0.0, posinf=1.0, neginf=-1.0)", "rows", "real"),
    ("flipud", "x.flipud()", "ops.flipud(x)", "np.flipud(x)", "grid", "real"),
    ("fliplr", "x.fliplr()", "ops.fliplr(x)", "np.fliplr(x)", "grid", "real"),
    ("ravel", "x.ravel()", "ops.ravel(x)", "x.ravel()", "grid", "real"),
    ("rot90", "x.rot90(1, (0, 1))", "ops.rot90(x, 1, (0, 1))", "np.rot90(x)", "grid", "real"),
    ("rot90", "x.rot90(-1, (0, 1))", "ops.rot90(x, 3, (0, 1))", "np.rot90(x, -1)", "grid",
     "real"),
    ("diff", "x.diff()", "ops.diff(x)", "np.diff(x)", "grid", "real"),
    ("diff", "x.diff(2, 0)", "ops.diff(x, 2, 0)", "np.diff(x, 2, 0)", "grid", "real"),
    ("cross", "x.cross(x * x, dim=-1)", "ops.cross(x, x * x, -1)", "np.cross(x, x * x)",
     "grid", "real"),
    ("take", "x.take(%(i)s)", "ops.take(x, %(i)s)", "np.take(x, [2, 0, 2])", "grid", "real"),
    ("tensor_split", "x.tensor_split([2], 1)[0]", "ops.tensor_split(x, [2], 1)[0]",
     "x[:, :2]", "grid", "real"),
    ("vsplit", "x.vsplit([1])[1]", "ops.vsplit(x, [1])[1]", "x[1:]", "grid", "real"),
    ("dsplit", "x.reshape(1, -1, 3).dsplit([1])[1]", "ops.dsplit(x.reshape(1, -1, 3), [1])[1]",
     "x.reshape(1, -1, 3)[:, :, 1:]", "grid", "real"),
    ("where", "x.where(x > 1, y)", "ops.where(x > 1, x, y)", "np.where(x > 1, x, y)",
     "binary", "real"),
    ("argsort", "x.argsort()", "ops.argsort(x)", "np.argsort(x, kind='stable').astype(np.int32)",
     "grid", "real"),
    ("dot", "x.dot(y)", "ops.dot(x, y)", "x @ y", "matmul", "real"),
    ("equal", "x.equal(y)", "ops.equal(x, y)", "x == y", "binary", "real"),
    ("not_equal", "x.not_equal(y)", "ops.not_equal(x, y)", "x != y", "binary", "real"),
    ("greater", "x.greater(y)", "ops.greater(x, y)", "x > y", "binary", "real"),
    ("greater_equal", "x.greater_equal(y)", "ops.greater_equal(x, y)", "x >= y", "binary",
     "real"),
    ("less", "x.less(y)", "ops.less(x, y)", "x < y", "binary", "real"),
    ("less_equal", "x.less_equal(y)", "ops.less_equal(x, y)", "x <= y", "binary", "real"),
    ("multiply", "x.multiply(y)", "ops.multiply(x, y)", "x * y", "binary", "real"),
    ("subtract", "x.subtract(y, alpha=2)", "ops.sub(x, y * 2)", "x - 2 * y", "binary",
     "real"),
    ("divide", "x.divide(y)", "ops.divide(x, y)", "x / y", "binary", "pos"),
    ("divide", "x.divide(y, rounding_mode='floor')", "ops.floor_divide(x, y)", "x // y",
     "binary", "pos"),
    ("floor_divide", "x.floor_divide(y)", "ops.floor_divide(x, y)", "x // y", "binary",
     "pos"),
    ("negative", "x.negative()", "ops.negative(x)", "-x", "unary", "real"),
    ("expand", "x[:1].expand(3, -1)", "ops.expand(x[:1], (3, -1))",
     "np.broadcast_to(x[:1], (3, x.shape[1]))", "grid", "real"),
    ("amax", "x.amax(1, True)", "ops.amax(x, 1, True)", "x.max(1, keepdims=True)", "grid",
     "real"),
    ("amin", "x.amin()", "ops.amin(x)", "x.min()", "grid", "real"),
    ("type_as", "x.type_as(y)", "ops.cast(x, ms.float64)", "x", "binary", "real"),
    # a cast to float32 / an int: the value and dtype (finite differences of float32 values
    # are too coarse for the gradient, which is the cast's, checked in test_ops_more.py)
    ("type_as", "ops.stop_gradient(x.type_as(y.int()))",
     "ops.stop_gradient(ops.cast(x, ms.int32))", "x.astype(np.int32)", "binary", "real"),
    ("view_as", "x.view_as(x.reshape(-1))", "ops.reshape(x, (-1,))", "x.reshape(-1)",
     "grid", "real"),
    ("reshape_as", "x.reshape_as(x.T)", "ops.reshape(x, (x.shape[1], x.shape[0]))",
     "x.reshape(x.shape[1], x.shape[0])", "grid", "real"),
    ("swapdims", "x.swapdims(0, 1)", "ops.swapdims(x, 0, 1)", "x.T", "grid", "real"),
    ("t", "x.t()", "ops.t(x)", "x.T", "grid", "real"),
    ("bmm", "x.bmm(y)", "ops.bmm(x, y)", "x @ y", "matmul", "real"),
    ("clone", "x.clone()", "ops.identity(x)", "x.copy()", "grid", "real"),
    ("contiguous", "x.contiguous()", "ops.identity(x)", "x.copy()", "grid", "real"),
    ("double", "x.double()", "ops.cast(x, ms.float64)", "x", "unary", "real"),
    ("float", "x.float().double()", "ops.cast(ops.cast(x, ms.float32), ms.float64)", "x",
     "unary", "real"),
    ("half", "(x * 4).round().half().double()",
     "ops.cast(ops.cast(ops.round(x * 4), ms.float16), ms.float64)", "np.round(x * 4)",
     "unary", "real"),
    ("int", "ops.stop_gradient((x * 3).int())", "ops.stop_gradient(ops.cast(x * 3, ms.int32))",
     "(x * 3).astype(np.int32)", "unary", "real"),
    ("long", "ops.stop_gradient((x * 3).long())",
     "ops.stop_gradient(ops.cast(x * 3, ms.int64))", "(x * 3).astype(np.int64)", "unary",
     "real"),
    ("bool", "x.gt(1).bool()", "ops.cast(x.gt(1), ms.bool_)", "x > 1", "unary", "real"),
    ("type", "x.type(ms.float64)", "ops.cast(x, ms.float64)", "x.astype(np.float64)", "unary",
     "real"),
    ("allclose", "x * x.allclose(y) + y * x.allclose(x)",
     "x * ops.all(ops.isclose(x, y)) + y", "x * np.allclose(x, y) + y", "binary", "real"),
    ("arctan2", "x.arctan2(y)", "ops.arctan2(x, y)", "np.arctan2(x, y)", "binary", "real"),
    ("addmm", "x.addmm(x, x.T, beta=2, alpha=0.5)", "ops.addmm(x, x, x.T, beta=2, alpha=0.5)",
     "2 * x + 0.5 * (x @ x.T)", "square", "real"),
    ("addcmul", "x.addcmul(y, x, 0.5)", "ops.addcmul(x, y, x, 0.5)", "x + 0.5 * y * x",
     "binary", "real"),
    ("addcdiv", "x.addcdiv(x, y)", "ops.addcdiv(x, x, y)", "x + x / y", "binary", "pos"),
    ("addmv", "x[:, 0].addmv(x, x[0], beta=2, alpha=0.5)",
     "ops.addmv(x[:, 0], x, x[0], beta=2, alpha=0.5)", "2 * x[:, 0] + 0.5 * (x @ x[0])",
     "square", "real"),
    ("ger", "x[0].ger(x[1])", "ops.ger(x[0], x[1])", "np.outer(x[0], x[1])", "grid", "real"),
    ("addr", "x[0].addr(x[0], x[1], alpha=2)", "ops.addr(x[0], x[0], x[1], alpha=2)",
     "x[0] + 2 * np.outer(x[0], x[1])", "grid", "real"),
    ("addbmm", "x.addbmm(ops.stack([x, x * x]), ops.stack([x.T, x]), beta=0.5)",
     "ops.addbmm(x, ops.stack([x, x * x]), ops.stack([x.T, x]), beta=0.5)",
     "0.5 * x + x @ x.T + (x * x) @ x", "square", "real"),
    ("ldexp", "x.ldexp(y)", "ops.ldexp(x, y)", "x * 2.0 ** y", "binary", "real"),
    ("isneginf", "(x / (y - y)).isneginf()", "ops.isneginf(x / (y - y))",
     "np.isneginf(x / (y - y))", "binary", "real"),
    ("isposinf", "(x / (y - y)).isposinf()", "ops.isposinf(x / (y - y))",
     "np.isposinf(x / (y - y))", "binary", "real"),
    ("msort", "x.msort()", "ops.msort(x)", "np.sort(x, 0)", "grid", "real"),
    ("select", "x.select(x > 0, x * 3.0)", "ops.where(x > 0, x, x * 3.0)",
     "np.where(x > 0, x, x * 3.0)", "grid", "real"),
    ("reverse", "x.reverse([0, 1])", "ops.flip(x, (0, 1))", "x[::-1, ::-1]", "grid", "real"),
    ("value", "x.value() * 2.0", "x * 2.0", "x * 2.0", "grid", "real"),
    ("argmax_with_value", "x.argmax_with_value(1)[0]", "ops.max(x, 1)[0]", "x.max(1)", "grid",
     "real"),
    ("argmin_with_value", "x.argmin_with_value(0, True)[0]", "ops.min(x, 0, True)[0]",
     "x.min(0, keepdims=True)", "grid", "real"),
    ("top_k", "x.top_k(2)[0]", "ops.topk(x, 2)[0]", "-np.sort(-x, -1)[:, :2]", "grid", "real"),
    ("gather_nd", "x.gather_nd(%(n)s)", "ops.gather_nd(x, %(n)s)", "x[[1, 0, 1], [2, 0, 2]]",
     "grid", "real"),
    # autograd_st/table_linalg.py ((x @ x.T + 1): a positive-definite matrix made of x)
    ("diag", "x.diag()", "ops.diag(x)", "np.reshape(np.diag(x.ravel()), x.shape * 2)", "rows",
     "real"),
    ("diagflat", "x.diagflat(1)", "ops.diagflat(x, 1)", "np.diagflat(x, 1)", "rows", "real"),
    ("diagonal", "x.diagonal(1)", "ops.diagonal(x, 1)", "np.diagonal(x, 1)", "grid", "real"),
    ("det", "(x @ x.T + 1).det()", "ops.det((x @ x.T + 1))", "np.linalg.det((x @ x.T + 1))", "square", "real"),
    ("matrix_determinant", "(x @ x.T + 1).matrix_determinant()", "ops.matrix_determinant((x @ x.T + 1))",
     "np.linalg.det((x @ x.T + 1))", "square", "real"),
    ("slogdet", "(x @ x.T + 1).slogdet()[1]", "ops.slogdet((x @ x.T + 1))[1]", "np.linalg.slogdet((x @ x.T + 1))[1]", "square",
     "real"),
    ("log_matrix_determinant", "(x @ x.T + 1).log_matrix_determinant()[1]",
     "ops.log_matrix_determinant((x @ x.T + 1))[1]", "np.linalg.slogdet((x @ x.T + 1))[1]", "square", "real"),
    ("logdet", "(x @ x.T + 1).logdet()", "ops.logdet((x @ x.T + 1))", "np.log(np.linalg.det((x @ x.T + 1)))", "square", "real"),
    ("inverse", "(x @ x.T + 1).inverse()", "ops.inverse((x @ x.T + 1))", "np.linalg.inv((x @ x.T + 1))", "square", "real"),
    ("inv", "x.inv()", "ops.inv(x)", "1 / x", "unary", "pos"),
    ("matrix_power", "x.matrix_power(3)", "ops.matrix_power(x, 3)",
     "np.linalg.matrix_power(x, 3)", "square", "real"),
    ("cholesky", "(x @ x.T + 1).cholesky()", "ops.cholesky((x @ x.T + 1))", "np.linalg.cholesky((x @ x.T + 1))", "square",
     "real"),
    ("cholesky_solve", "x.cholesky_solve(ops.cholesky((x @ x.T + 1)))",
     "ops.cholesky_solve(x, ops.cholesky((x @ x.T + 1)))", "np.linalg.solve((x @ x.T + 1), x)", "square", "real"),
    ("cholesky_inverse", "ops.cholesky((x @ x.T + 1)).cholesky_inverse()",
     "ops.cholesky_inverse(ops.cholesky((x @ x.T + 1)))", "np.linalg.inv((x @ x.T + 1))", "square", "real"),
    ("lu_solve", "x.lu_solve(ops.triu(x @ x.T + 1) + ops.tril(x, -1), ops.ones_like(x[0]).int())",
     "ops.lu_solve(x, ops.triu(x @ x.T + 1) + ops.tril(x, -1), ops.ones_like(x[0]).int())",
     "np.linalg.solve((np.tril(x, -1) + np.eye(len(x))) @ np.triu(x @ x.T + 1),"
     " x[np.roll(np.arange(len(x)), 1)])", "square", "real"),
    ("triangular_solve", "x.triangular_solve((x @ x.T + 1))[0]", "ops.matrix_solve(ops.triu((x @ x.T + 1)), x)",
     "np.linalg.solve(np.triu((x @ x.T + 1)), x)", "square", "real"),
    ("qr", "ops.sign(x.qr()[1])", "ops.sign(ops.qr(x)[1])", "np.sign(np.linalg.qr(x)[1])",
     "grid", "real"),
    ("svd", "x.svd()[0]", "ops.svd(x)[0]", "np.linalg.svd(x)[1]", "grid", "real"),
    ("lstsq", "x.lstsq(x)", "ops.lstsq(x, x)", "np.linalg.pinv(x) @ x", "grid", "real"),
    ("inner", "x.inner(y)", "ops.inner(x, y)", "np.inner(x, y)", "binary", "real"),
    ("outer", "x[0].outer(x[1])", "ops.outer(x[0], x[1])", "np.outer(x[0], x[1])", "grid",
     "real"),
    ("cov", "x.cov()", "ops.cov(x)", "np.cov(x)", "grid", "real"),
    ("lgamma", "x.lgamma()", "ops.lgamma(x)", "np.vectorize(math.lgamma)(x)", "unary", "pos"),
    ("digamma", "x.digamma()", "ops.digamma(x)",
     "np.log(x + 12) - 0.5 / (x + 12) - 1 / (12 * (x + 12) ** 2) + 1 / (120 * (x + 12) ** 4)"
     " - 1 / (252 * (x + 12) ** 6) - np.sum(1 / (x[..., None] + np.arange(12)), -1)", "unary",
     "pos"),
    ("mvlgamma", "(x + 1).mvlgamma(2)", "ops.mvlgamma(x + 1, 2)",
     "np.vectorize(math.lgamma)(x + 1) + np.vectorize(math.lgamma)(x + 0.5)"
     " + 0.5 * math.log(math.pi)", "unary", "pos"),
    ("erfinv", "(x * 0.4).erfinv().erf()", "ops.erf(ops.erfinv(x * 0.4))", "x * 0.4", "unary",
     "real"),
    ("i0", "x.i0()", "ops.i0(x)", "np.i0(x)", "unary", "real"),
    ("real", "x.real()", "ops.real(x)", "np.real(x)", "unary", "real"),
    ("imag", "x.imag()", "ops.imag(x)", "np.imag(x)", "unary", "real"),
    ("conj", "x.conj()", "ops.conj(x)", "np.conj(x)", "unary", "real"),
    ("igamma", "(x * 0 + 1).igamma(y)", "ops.igamma(x * 0 + 1, y)", "1 - np.exp(-y) + 0 * x",
     "binary", "pos"),
    ("igammac", "(x * 0 + 1).igammac(y)", "ops.igammac(x * 0 + 1, y)", "np.exp(-y) + 0 * x",
     "binary", "pos"),
    ("gcd", "ops.stop_gradient((x * 3).int().gcd((y * 5).int()))", "ops.stop_gradient(ops.gcd((x * 3).int(), (y * 5).int()))",
     "np.gcd((x * 3).astype(np.int32), (y * 5).astype(np.int32))", "binary", "real"),
    ("lcm", "ops.stop_gradient((x * 3).int().lcm((y * 5).int()))", "ops.stop_gradient(ops.lcm((x * 3).int(), (y * 5).int()))",
     "np.lcm((x * 3).astype(np.int32), (y * 5).astype(np.int32))", "binary", "real"),
    ("bitwise_and", "ops.stop_gradient((x * 3).int().bitwise_and((y * 5).int()))",
     "ops.stop_gradient(ops.bitwise_and((x * 3).int(), (y * 5).int()))", "(x * 3).astype(np.int32) & (y * 5).astype(np.int32)", "binary", "real"),
    ("bitwise_or", "ops.stop_gradient((x * 3).int().bitwise_or((y * 5).int()))",
     "ops.stop_gradient(ops.bitwise_or((x * 3).int(), (y * 5).int()))", "(x * 3).astype(np.int32) | (y * 5).astype(np.int32)", "binary", "real"),
    ("bitwise_xor", "ops.stop_gradient((x * 3).int().bitwise_xor((y * 5).int()))",
     "ops.stop_gradient(ops.bitwise_xor((x * 3).int(), (y * 5).int()))", "(x * 3).astype(np.int32) ^ (y * 5).astype(np.int32)", "binary", "real"),
    ("bitwise_left_shift", "ops.stop_gradient((x * 3).int().bitwise_left_shift(abs((y * 5).int())))",
     "ops.stop_gradient(ops.bitwise_left_shift((x * 3).int(), abs((y * 5).int())))", "(x * 3).astype(np.int32) << abs((y * 5).astype(np.int32))", "binary",
     "real"),
    ("bitwise_right_shift", "ops.stop_gradient((x * 3).int().bitwise_right_shift(abs((y * 5).int())))",
     "ops.stop_gradient(ops.bitwise_right_shift((x * 3).int(), abs((y * 5).int())))", "(x * 3).astype(np.int32) >> abs((y * 5).astype(np.int32))", "binary",
     "real"),
    ("invert", "ops.stop_gradient((x * 3).int().invert())", "ops.stop_gradient(ops.invert((x * 3).int()))", "~(x * 3).astype(np.int32)",
     "unary", "real"),
    ("nextafter", "ops.sign(x.nextafter(y))", "ops.sign(ops.nextafter(x, y))",
     "np.sign(np.nextafter(x, y))", "binary", "real"),
    ("copysign", "x.copysign(y)", "ops.copysign(x, y)", "np.copysign(x, y)", "binary", "real"),
    ("signbit", "x.signbit()", "ops.signbit(x)", "x < 0", "unary", "real"),
    ("logcumsumexp", "x.logcumsumexp(1)", "ops.logcumsumexp(x, 1)",
     "np.logaddexp.accumulate(x, 1)", "grid", "real"),
    ("cummax", "x.cummax(1)[0]", "ops.cummax(x, 1)[0]", "np.maximum.accumulate(x, 1)", "grid",
     "real"),
    ("cummin", "x.cummin(0)[0]", "ops.cummin(x, 0)[0]", "np.minimum.accumulate(x, 0)", "grid",
     "real"),
    ("histc", "ops.stop_gradient(x.histc(4, -2.0, 2.0))",
     "ops.stop_gradient(ops.histc(x, 4, -2.0, 2.0))",
     "np.histogram(x, 4, (-2.0, 2.0))[0].astype(np.float64)", "grid", "real"),
    ("bincount", "ops.stop_gradient((x * x * 2).int().bincount())",
     "ops.stop_gradient(ops.bincount((x * x * 2).int()))",
     "np.bincount((x * x * 2).astype(np.int32).ravel()).astype(np.float32)", "grid", "real"),
    ("median", "x.median(1)[0]", "ops.median(x, 1)[0]", "np.sort(x, 1)[:, (x.shape[1] - 1) // 2]",
     "grid", "real"),
    ("nanmedian", "x.nanmedian(1)[0]", "ops.nanmedian(x, 1)[0]",
     "np.sort(x, 1)[:, (x.shape[1] - 1) // 2]", "grid", "real"),
    ("kthvalue", "x.kthvalue(2, 1)[0]", "ops.sort(x, 1)[0][:, 1]", "np.sort(x, 1)[:, 1]", "grid",
     "real"),
    ("quantile", "x.quantile(0.3, 1)", "ops.quantile(x, 0.3, 1)", "np.quantile(x, 0.3, 1)",
     "grid", "real"),
    ("nanquantile", "x.nanquantile(0.3, 1)", "ops.nanquantile(x, 0.3, 1)",
     "np.quantile(x, 0.3, 1)", "grid", "real"),
    # autograd_st/table_index.py
    ("moveaxis", "x.moveaxis(0, 1)", "ops.moveaxis(x, 0, 1)", "np.moveaxis(x, 0, 1)", "grid",
     "real"),
    ("movedim", "x.movedim(1, 0)", "ops.movedim(x, 1, 0)", "x.T", "grid", "real"),
    ("nonzero", "x * x.gt(0).nonzero().sum()", "x * ops.nonzero(x.gt(0)).sum()",
     "x * np.argwhere(x > 0).sum()", "grid", "real"),
    ("argwhere", "x * x.gt(0).argwhere()[:, 1].sum()", "x * ops.argwhere(x.gt(0))[:, 1].sum()",
     "x * np.argwhere(x > 0)[:, 1].sum()", "grid", "real"),
    ("unique", "x * x.gt(0).long().unique().sum()",
     "x * ops.unique(ops.cast(x.gt(0), ms.int64))[0].sum()", "x * np.unique(x > 0).sum()",
     "grid", "real"),
    ("searchsorted", "x * ops.cast(%(s)s.searchsorted(x), ms.float64)",
     "x * ops.cast(ops.searchsorted(%(s)s, x), ms.float64)",
     "x * np.searchsorted([-0.5, 0.0, 0.5], x)", "grid", "real"),
    ("index_add", "x.index_add(1, %(j)s, x[:, :2])", "ops.index_add(x, %(j)s, x[:, :2], 1)",
     "x + np.stack([x[:, 0] + x[:, 1], 0 * x[:, 0], 0 * x[:, 0]], 1)", "grid", "real"),
    ("index_fill", "x.index_fill(1, %(j)s, 0.5)", "ops.index_fill(x, 1, %(j)s, 0.5)",
     "np.where(np.arange(3) == 0, 0.5, x)", "grid", "real"),
    ("index_put", "x.index_put((%(j)s,), x[1])", "ops.concat([x[1:2], x[1:]])",
     "np.concatenate([x[1:2], x[1:]])", "grid", "real"),
    ("masked_scatter", "x.masked_scatter(%(m)s, x * 2.0)",
     "x.masked_scatter(ops.broadcast_to(%(m)s, x.shape), x * 2.0)",
     "np.where([True, False, True], (2 * x).ravel()[np.cumsum(np.tile([1, 0, 1], len(x)))"
     ".reshape(x.shape) - 1], x)", "grid", "real"),
    ("diagonal", "x.diagonal()", "ops.diagonal(x)", "np.diagonal(x)", "grid", "real"),
    ("scatter", "x.scatter(0, %(e)s, x[:1] * 3.0)",
     "ops.tensor_scatter_elements(x, %(e)s, x[:1] * 3.0, 0)",
     "np.where(np.pad([[0, 1, 0], [1, 0, 1]], ((0, len(x) - 2), (0, 0))) > 0, 3 * x[0], x)",
     "grid", "real"),
    ("scatter_add", "x.scatter_add(0, %(e)s, x[:1] * 3.0)",
     "ops.tensor_scatter_elements(x, %(e)s, x[:1] * 3.0, 0, 'add')",
     "x + np.where(np.pad([[0, 1, 0], [1, 0, 1]], ((0, len(x) - 2), (0, 0))) > 0, 3 * x[0], 0)",
     "grid", "real"),
    ("unfold", "x.reshape(1, 1, -1, 3).unfold(2)", "ops.unfold(x.reshape(1, 1, -1, 3), 2)",
     "np.lib.stride_tricks.sliding_window_view(x, (2, 2)).transpose(2, 3, 0, 1)"
     ".reshape(1, 4, -1)", "grid", "real"),
    ("ptp", "x.ptp(1)", "ops.amax(x, 1) - ops.amin(x, 1)", "np.ptp(x, 1)", "grid", "real"),
    ("choose", "%(c)s.choose([x, x * 2.0])", "ops.where(%(b)s, x * 2.0, x)",
     "np.choose([0, 1, 1], [x, x * 2.0])", "grid", "real"),
    ("sum_to_size", "x.sum_to_size(1, 3)", "ops.sum(x, 0, True)", "x.sum(0, keepdims=True)",
     "grid", "real"),
    ("resize", "x[:2] * ms.Tensor(np.arange(5.0)).resize(2, 3)",
     "x[:2] * ms.Tensor(np.array([[0.0, 1, 2], [3, 4, 0]]))",
     "x[:2] * np.array([[0.0, 1, 2], [3, 4, 0]])", "grid", "real"),
    ("new_empty", "x[:2] + x.new_empty((2, 3))", "x[:2] + ops.zeros((2, 3), ms.float64)",
     "x[:2]", "grid", "real"),
    ("new_zeros", "x[:2] + x.new_zeros((2, 3))", "x[:2] + ops.zeros((2, 3), ms.float64)",
     "x[:2]", "grid", "real"),
    ("new_ones", "x[:2] * x.new_ones((2, 3))", "x[:2] * ops.ones((2, 3), ms.float64)",
     "x[:2]", "grid", "real"),
    ("new_full", "x[:2] * x.new_full(x[:2].shape, 3.0)", "x[:2] * 3.0", "x[:2] * 3.0", "grid",
     "real"),
    ("unbind", "x.unbind(1)[2]", "ops.unbind(x, 1)[2]", "x[:, 2]", "grid", "real"),
    ("bernoulli", "x * x.bernoulli(1.0)", "x * ops.bernoulli(x, 1.0)", "x", "grid", "real"),
    ("uniform", "x * x.uniform(2.0, 2.0)", "x * 2.0", "x * 2.0", "grid", "real"),
    ("reverse_sequence", "x[:2].reverse_sequence(%(r)s, 1)",
     "ops.reverse_sequence(x[:2], %(r)s, 1)", "np.stack([x[0, [1, 0, 2]], x[1, ::-1]])",
     "grid", "real"),
    ("multinomial", "x * ops.cast(%(o)s.multinomial(2).sum(), ms.float64)",
     "x * ops.cast(ops.multinomial(%(o)s, 2).sum(), ms.float64)", "x * 2.0", "grid", "real"),
    ("fold", "x.reshape(1, -1, 1).fold((1, 1), 1)", "ops.fold(x.reshape(1, -1, 1), (1, 1), 1)",
     "x.reshape(1, -1, 1, 1)", "grid", "real"),
    ("hsplit", "x.hsplit(3)[1]", "ops.hsplit(x, 3)[1]", "x[:, 1:2]", "grid", "real"),
    ("scatter_max", "x.scatter_max(%(j)s, x[:2] * 2.0)", "ops.scatter_max(x, %(j)s, x[:2] * 2.0)",
     "np.concatenate([np.maximum(x[:1], np.maximum(2 * x[0], 2 * x[1])), x[1:]])", "grid",
     "real"),
    ("scatter_min", "x.scatter_min(%(j)s, x[:2] * 2.0)", "ops.scatter_min(x, %(j)s, x[:2] * 2.0)",
     "np.concatenate([np.minimum(x[:1], np.minimum(2 * x[0], 2 * x[1])), x[1:]])", "grid",
     "real"),
    ("scatter_mul", "x.scatter_mul(%(j)s, x[:2])", "ops.scatter_mul(x, %(j)s, x[:2])",
     "np.concatenate([x[:1] * x[0] * x[1], x[1:]])", "grid", "real"),
    ("scatter_div", "x.scatter_div(%(j)s, x[:2] * 0.0 + 2.0)",
     "ops.scatter_div(x, %(j)s, x[:2] * 0.0 + 2.0)", "np.concatenate([x[:1] / 4, x[1:]])",
     "grid", "real"),
    ("scatter_sub", "x.scatter_sub(%(j)s, x[:2] * 3.0)", "ops.ScatterSub()(x, %(j)s, x[:2] * 3.0)",
     "np.concatenate([x[:1] - 3 * x[0] - 3 * x[1], x[1:]])", "grid", "real"),
    ("select_scatter", "x.select_scatter(x[:, 0] * 2.0, 1, 2)",
     "ops.select_scatter(x, x[:, 0] * 2.0, 1, 2)", "np.concatenate([x[:, :2], 2 * x[:, :1]], 1)",
     "grid", "real"),
    ("slice_scatter", "x.slice_scatter(x[:, :2] * 3.0, 1, 1, 3)",
     "ops.slice_scatter(x, x[:, :2] * 3.0, 1, 1, 3)",
     "np.concatenate([x[:, :1], 3 * x[:, :2]], 1)", "grid", "real"),
    ("diagonal_scatter", "x[:2].diagonal_scatter(x[:2, 0] * 0.5)",
     "ops.diagonal_scatter(x[:2], x[:2, 0] * 0.5)",
     "np.where(np.eye(2, 3) > 0, 0.5 * x[:2, :1], x[:2])", "grid", "real"),
    ("unique_consecutive", "x * x.gt(0).long().unique_consecutive().sum()",
     "x * ops.unique_consecutive(ops.cast(x.gt(0), ms.int64)).sum()",
     "x * (lambda f: f[np.r_[True, f[1:] != f[:-1]]].sum())((x > 0).ravel())", "grid", "real"),
    ("unsorted_segment_max", "x[:2].unsorted_segment_max(%(j)s, 1)",
     "ops.unsorted_segment_max(x[:2], %(j)s, 1)", "x[:2].max(0, keepdims=True)", "grid",
     "real"),
    ("unsorted_segment_min", "x[:2].unsorted_segment_min(%(j)s, 1)",
     "ops.unsorted_segment_min(x[:2], %(j)s, 1)", "x[:2].min(0, keepdims=True)", "grid",
     "real"),
    ("unsorted_segment_prod", "x[:2].unsorted_segment_prod(%(j)s, 1)",
     "ops.unsorted_segment_prod(x[:2], %(j)s, 1)", "x[:2].prod(0, keepdims=True)", "grid",
     "real"),
    ("inplace_update", "x.inplace_update(x[:1] * 2.0, (1,))",
     "ops.inplace_update(x, x[:1] * 2.0, (1,))", "np.concatenate([x[:1], 2 * x[:1], x[2:]])",
     "grid", "real"),
    ("fill_diagonal", "x.fill_diagonal(0.5)", "ops.diagonal_scatter(x, x.diagonal() * 0.0 + 0.5)",
     "np.where(np.eye(*x.shape) > 0, 0.5, x)", "grid", "real"),
    ("random_categorical", "x * %(g)s.random_categorical(3).sum()",
     "x * ops.random_categorical(%(g)s, 3).sum()", "x * 3.0", "grid", "real"),
]
_INDICES = {"i": "ms.Tensor(np.array([2, 0, 2]))", "e": "ms.Tensor(np.array([[1, 0, 1]]))",
            "f": "ms.Tensor(np.array([[2, 0], [1, 1]]))", "j": "ms.Tensor(np.array([0, 0]))",
            "m": "ms.Tensor(np.array([True, False, True]))",
            "n": "ms.Tensor(np.array([[1, 2], [0, 0], [1, 2]]))",
            "s": "ms.Tensor(np.array([-0.5, 0.0, 0.5]))", "c": "ms.Tensor(np.array([0, 1, 1]))",
            "b": "ms.Tensor(np.array([False, True, True]))",
            "r": "ms.Tensor(np.array([2, 3]))", "o": "ms.Tensor(np.array([[0.0, 1.0, 0.0]]))",
            "g": "ms.Tensor(np.array([[-1e9, 0.0, -1e9]]))"}
METHOD_CASES = [tuple(part % _INDICES if isinstance(part, str) and "%(" in part else part
                      for part in case) for case in METHOD_CASES]

SHAPES = {
    "unary": [((),), ((3,),), ((2, 3),)],
    "binary": [((2, 3), (2, 3)), ((2, 3), (1, 3)), ((), (3,))],
    "matmul": [((2, 3), (3, 4)), ((3,), (3, 2)), ((2, 2, 3), (3, 4))],
    "rows": [((3,),), ((2, 3),), ((1, 3),)],
    "six": [((2, 3),), ((6,),), ((1, 6),)],
    "matrix": [((2, 3),), ((1, 3),)],
    "square": [((3, 3),), ((1, 1),)],
    "leading1": [((1, 3),), ((1, 2, 3),)],
    "grid": [((2, 3),), ((4, 3),)],
}

CASES = [pytest.param(i, shapes, id="%s-%d-%s" % (case[0], i, "-".join(map(str, shapes))))
         for i, case in enumerate(METHOD_CASES) for shapes in SHAPES[case[4]]]


def test_every_tensor_method_of_the_table_has_a_case():
    # (the in-place methods write into their Tensor eagerly and are not formed in
    # differentiated code: tests/test_ops_index.py tests them)
    assert set(op_table.METHODS) - table_index.IN_PLACE_METHODS \
        <= {case[0] for case in METHOD_CASES}


@pytest.fixture(scope="module")
def case_module(tmp_path_factory):
    """The cases as functions in a real file, so that the compiler can read them."""
    lines = ["import math", "import numpy as np", "import autograd_st as ms",
             "from autograd_st import ops", ""]
    for i, (_, method, functional, _, kind, _) in enumerate(METHOD_CASES):
        args = "x, y, w" if len(SHAPES[kind][0]) == 2 else "x, w"
        lines += ["def method_%d(%s):" % (i, args), "    return ops.sum((%s) * w)" % method,
                  "def functional_%d(%s):" % (i, args),
                  "    return ops.sum((%s) * w)" % functional, ""]
    path = tmp_path_factory.mktemp("op_table_cases") / "op_table_cases.py"
    path.write_text("\n".join(lines))
    spec = importlib.util.spec_from_file_location("op_table_cases", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _inputs(shapes, domain, seed):
    rng = np.random.default_rng(seed)
    out = []
    for shape in shapes:
        size = rng.uniform(0.5, 2.0, shape)
        value = size if domain == "pos" else rng.choice([-1.0, 1.0], shape) * size
        out.append(np.array(value, np.float64))  # shape (): an array, not a numpy scalar
    return out


@pytest.mark.parametrize("i, shapes", CASES)
def test_method_equals_functional_op_eagerly_and_in_gradients(i, shapes, case_module):
    name, method, functional, reference, _, domain = METHOD_CASES[i]
    arrays = _inputs(shapes, domain, seed=i)
    tensors = [Tensor(a) for a in arrays]
    names = ["x", "y"][:len(arrays)]
    env = {"ops": ops, "ms": ms, "np": np, "math": math}
    by_method = eval(method, env, dict(zip(names, tensors)))
    by_op = eval(functional, env, dict(zip(names, tensors)))
    want = np.asarray(eval(reference, {"np": np, "math": math}, dict(zip(names, arrays))))
    assert isinstance(by_method, Tensor) and isinstance(by_op, Tensor)
    assert by_method.shape == by_op.shape == want.shape
    assert by_method.dtype == by_op.dtype == ms.dtype.from_numpy(want.dtype)
    np.testing.assert_allclose(by_method.asnumpy(), want, rtol=1e-6)
    np.testing.assert_allclose(by_op.asnumpy(), want, rtol=1e-6)

    w = np.random.default_rng(100 + i).standard_normal(want.shape)
    positions = tuple(range(len(arrays)))
    grads_m = ops.grad(getattr(case_module, "method_%d" % i), positions)(*tensors, Tensor(w))
    grads_f = ops.grad(getattr(case_module, "functional_%d" % i), positions)(*tensors, Tensor(w))
    if len(positions) == 1:  # grad_position=(0,) gives a bare Tensor, as in MindSpore
        grads_m, grads_f = (grads_m,), (grads_f,)

    def loss(*values):
        return np.sum(eval(reference, {"np": np, "math": math},
                           dict(zip(names, values[:-1]))) * values[-1])
    want_grads = numerical_grad(loss, (*arrays, w), grad_position=positions)
    for gm, gf, gw in zip(grads_m, grads_f, want_grads):
        np.testing.assert_allclose(gm.asnumpy(), gw, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(gf.asnumpy(), gw, rtol=1e-5, atol=1e-7)


def test_each_primitive_class_is_written_once():
    from autograd_st.ops import (
        classes_array,
        classes_detect,
        classes_linalg,
        classes_math,
        classes_nn,
        classes_nn3d,
        operations,
    )

    owners = {}
    for module in (classes_array, classes_math, classes_nn, classes_linalg, classes_detect,
                   classes_nn3d):
        for name in module.__all__:
            owners.setdefault(name, []).append(module.__name__)
    for name in op_table.CLASSES:
        owners.setdefault(name, []).append("op_table.CLASSES")
    for name in ("MatMul", "BatchMatMul", "ReduceSum", "ReduceMean", "ReduceMax", "Squeeze",
                 "Softmax", "LogSoftmax"):
        owners.setdefault(name, []).append("ops.operations")
    twice = {name: where for name, where in owners.items() if len(where) > 1}
    assert not twice, twice
    assert all(hasattr(operations, name) for name in owners)
