"""The spec table for the reverse rules in :mod:`autograd_st.rules` (and ``rules_nn``).

Each row of :data:`SPECS` names one primitive and the arguments to call it with, one entry
per parameter of the primitive, in order:

- an :class:`A` is an array argument, drawn at random from a *domain* chosen for the
  primitive (positive for ``log``/``sqrt``/the base of ``pow``, away from the kink for
  ``abs``/``relu``, on disjoint lattices for ``maximum``/``minimum`` so there are no ties,
  distinct values for ``max``/``min`` reductions; ties are tested by hand in
  ``tests/test_numerics.py``);
- anything else (``axis``, ``keepdims``, a shape, an index, a dtype) is passed as it is.

Trailing parameters with defaults may be left out; the primitive's defaults fill them.
``tests/test_rules.py`` checks every row against central finite differences, and checks
that every primitive with a gradient has at least one row here and that every primitive
without one is listed in :data:`ZERO_GRADIENT_PRIMITIVES`.

Adding a primitive?  Add a row (or several: shape ``()``, broadcasting pairs, every
``axis``/``keepdims`` form) with :func:`row`.  A row whose rule is known to be wrong is kept
and marked with ``xfail=<reason>`` (a strict xfail), never deleted.
"""
from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from autograd_st import rules  # noqa: F401  (registers the core primitives)

# Primitives for neural networks live in a separate module that registers into the same
# REGISTRY.  Import it when it exists, so its primitives are demanded rows too; an import
# error is kept and reported by a test instead of breaking collection of the whole suite.
NN_MODULE = "autograd_st.rules_nn"
NN_IMPORT_ERROR: BaseException | None = None
NN_LOADED = False
if importlib.util.find_spec(NN_MODULE) is not None:
    try:
        importlib.import_module(NN_MODULE)
        NN_LOADED = True
    except Exception as exc:  # pragma: no cover - only while rules_nn is broken
        NN_IMPORT_ERROR = exc

__all__ = ["A", "Spec", "row", "SPECS", "ZERO_GRADIENT_PRIMITIVES", "DOMAINS",
           "NN_MODULE", "NN_LOADED", "NN_IMPORT_ERROR", "make_value"]


# ---------------------------------------------------------------------------------------
# input domains
# ---------------------------------------------------------------------------------------

def _real(rng, shape):
    return rng.standard_normal(shape)


def _wide(rng, shape):
    return 3.0 * rng.standard_normal(shape)


def _pos(rng, shape):
    return rng.uniform(0.5, 2.0, shape)


def _nonzero(rng, shape):
    # |x| >= 0.25: far from the kink of abs/relu (finite differences use steps ~1e-6).
    return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.25, 2.0, shape)


def _even(rng, shape):
    # Multiples of 0.2; never closer than 0.1 to a value of the "odd" lattice.
    return 0.2 * rng.integers(-8, 9, shape).astype(np.float64)


def _odd(rng, shape):
    return 0.2 * rng.integers(-8, 9, shape).astype(np.float64) + 0.1


def _distinct(rng, shape):
    # Pairwise distinct values, at least 4/23 apart for up to 24 elements: no ties in max/min.
    n = int(np.prod(shape, dtype=int))
    return rng.permutation(np.linspace(-2.0, 2.0, max(n, 2))[:n]).reshape(shape)


def _bool(rng, shape):
    return rng.random(shape) < 0.5


DOMAINS = {
    "real": _real,
    "wide": _wide,
    "pos": _pos,
    "nonzero": _nonzero,
    "even": _even,
    "odd": _odd,
    "distinct": _distinct,
    "bool": _bool,
}


@dataclass(frozen=True)
class A:
    """An array argument: ``shape`` (``None``: a Python float), value domain and dtype."""

    shape: tuple | None
    domain: str = "real"
    dtype: str = "float64"

    def __post_init__(self):
        if self.domain not in DOMAINS:
            raise ValueError("unknown domain %r (one of %s)" % (self.domain, sorted(DOMAINS)))


def make_value(arg: Any, rng: np.random.Generator) -> Any:
    """Draw the value of one argument: arrays from their domain, constants as they are."""
    if not isinstance(arg, A):
        return arg
    if arg.shape is None:
        return float(DOMAINS[arg.domain](rng, ()))
    return np.asarray(DOMAINS[arg.domain](rng, arg.shape)).astype(arg.dtype)


@dataclass(frozen=True)
class Spec:
    """One test case: a primitive, its arguments, and the finite-difference settings."""

    name: str
    args: tuple
    eps: float = 1e-6           # central-difference step
    rtol: float = 1e-5
    atol: float = 1e-6
    second_order: bool = False  # also finite-difference the rule itself (smooth rules only)


def _describe(value: Any) -> str:
    if isinstance(value, A):
        if value.shape is None:
            s = "float"
        else:
            s = "x".join(map(str, value.shape)) if value.shape else "()"
        return s if value.dtype == "float64" else "%s:%s" % (s, value.dtype)
    if value is Ellipsis:
        return "..."
    if value is None:
        return "None"
    if isinstance(value, slice):
        parts = ["" if p is None else str(p) for p in (value.start, value.stop, value.step)]
        return ":".join(parts[:2] if value.step is None else parts)
    if isinstance(value, np.ndarray):
        if value.dtype == bool:
            return "mask%s" % (value.shape,)
        return "arr%s" % value.tolist()
    if isinstance(value, tuple):
        return "(" + ",".join(_describe(v) for v in value) + ")"
    if isinstance(value, list):
        return "[" + ",".join(_describe(v) for v in value) + "]"
    return str(value)


def row(name: str, *args: Any, id: str | None = None, xfail: str | None = None, **opts):
    """A row of :data:`SPECS` as a ``pytest.param``; ``xfail``: why the rule is wrong here."""
    spec = Spec(name, tuple(args), **opts)
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(spec, id=id or "%s-%s" % (name, "-".join(_describe(a) for a in args)),
                        marks=marks)


def _reduced_shape(shape, axis, keepdims):
    return np.shape(np.sum(np.zeros(shape), axis=axis, keepdims=keepdims))


def _indexed_shape(shape, index):
    return np.shape(np.zeros(shape)[index])


# ---------------------------------------------------------------------------------------
# primitives without a gradient: listed so that none is added silently
# ---------------------------------------------------------------------------------------

ZERO_GRADIENT_PRIMITIVES = frozenset({
    "stop_gradient", "first_order", "ones_like", "zeros_like", "sign", "shape", "size", "ndim", "dtype", "isinstance",
    "less", "less_equal", "greater", "greater_equal", "equal", "not_equal",
    "floordiv", "axis_slice", "reduction_share",
} | ({"one_hot", "one_hot_like", "assign", "dropout_mask"} if NN_LOADED else set()))


# ---------------------------------------------------------------------------------------
# the table
# ---------------------------------------------------------------------------------------

SPECS: list = []

# element-wise binary: equal shapes, every broadcasting direction, shape ()
BINARY_SHAPES = [
    ((2, 3), (2, 3)),
    ((3,), (2, 3)),
    ((2, 3), (3,)),
    ((2, 3), (1, 3)),
    ((2, 1), (1, 3)),
    ((), (2, 3)),
    ((2, 3), ()),
    ((), ()),
    ((2, 1, 3), (4, 3)),
]
BINARY_DOMAINS = {
    "add": ("real", "real"),
    "sub": ("real", "real"),
    "mul": ("real", "real"),
    "div": ("real", "nonzero"),
    "pow": ("pos", "real"),
    "maximum": ("even", "odd"),
    "minimum": ("odd", "even"),
    "logaddexp": ("wide", "wide"),
}
SMOOTH_BINARY = {"mul", "div", "pow", "logaddexp"}
for _name, (_dx, _dy) in BINARY_DOMAINS.items():
    for _sx, _sy in BINARY_SHAPES:
        SPECS.append(row(_name, A(_sx, _dx), A(_sy, _dy),
                         second_order=_name in SMOOTH_BINARY and _sx != _sy))
    # Python floats mixed with arrays, the way literals reach primitives.
    SPECS.append(row(_name, A(None, _dx), A((2, 3), _dy)))
    SPECS.append(row(_name, A((3,), _dx), A(None, _dy)))
# the other lattice order checks the y side (ties, where finite differences say nothing, are
# tested with values derived by hand in tests/test_numerics.py)
SPECS += [
    row("maximum", A((2, 3), "odd"), A((2, 1), "even")),
    row("minimum", A((3,), "even"), A((2, 3), "odd")),
]

# where: the condition broadcasts too
for _sc, _sx, _sy in [((2, 3), (2, 3), (2, 3)), ((2, 3), (3,), (2, 1)), ((3,), (2, 3), ()),
                      ((), (2, 3), (2, 3)), ((2, 1), (1, 3), (2, 3)), ((2, 3), (), ()),
                      ((), (), ())]:
    SPECS.append(row("where", A(_sc, "bool"), A(_sx), A(_sy)))

# element-wise unary
UNARY_DOMAINS = {
    "neg": "real", "exp": "real", "log": "pos", "sin": "wide", "cos": "wide",
    "tanh": "wide", "sigmoid": "wide", "relu": "nonzero", "sqrt": "pos", "square": "real",
    "abs": "nonzero", "copy": "real",
}
SMOOTH_UNARY = {"exp", "log", "sin", "cos", "tanh", "sigmoid", "sqrt", "square"}
for _name, _dom in UNARY_DOMAINS.items():
    for _shape in [(), (4,), (2, 3)]:
        SPECS.append(row(_name, A(_shape, _dom),
                         second_order=_name in SMOOTH_UNARY and _shape == (2, 3)))
    SPECS.append(row(_name, A(None, _dom)))

# reductions: axis None / int / negative / tuple, keepdims both ways
REDUCTION_AXES = [
    (None, False), (None, True), (0, False), (1, True), (-1, False), (-2, True),
    ((0, 2), False), ((0, 2), True), ((-1, 0), False), ((2, -3), True),
]
REDUCTION_DOMAINS = {"sum": "real", "mean": "real", "max": "distinct", "min": "distinct",
                     "logsumexp": "real"}
for _name, _dom in REDUCTION_DOMAINS.items():
    for _axis, _kd in REDUCTION_AXES:
        SPECS.append(row(_name, A((2, 3, 4), _dom), _axis, _kd,
                         second_order=_name == "logsumexp" and _axis == (0, 2)))
    SPECS += [
        row(_name, A((), _dom)),                       # defaults: axis=None, keepdims=False
        row(_name, A((), _dom), None, True),
        row(_name, A((5,), _dom), 0, False),
        row(_name, A((5,), _dom), -1, True),
        row(_name, A((2, 3), _dom), (), False),        # axis=(): reduces nothing
    ]

# int_like: the identity for a float ``x`` (an integer x has no gradient to check)
SPECS += [row("int_like", A((2, 3)), A((2, 3))), row("int_like", A(()), A((4,)))]

# ms_promote: the identity for a float ``x``, with a float other operand, a Python float,
# in a true division (an integer x's gradient is the cast one: tests/test_dtype_promotion.py)
SPECS += [row("ms_promote", A((2, 3)), A((2, 3))), row("ms_promote", A(()), 1.5),
          row("ms_promote", A((3,)), A((2, 3)), True)]

for _name in ("softmax", "log_softmax"):
    for _shape, _axis in [((5,), -1), ((2, 3), -1), ((2, 3), 0), ((2, 3, 4), 1),
                          ((2, 3, 4), (0, 2)), ((2, 3), None), ((), None)]:
        SPECS.append(row(_name, A(_shape, "wide"), _axis,
                         second_order=_shape == (2, 3) and _axis == -1))
    SPECS.append(row(_name, A((2, 3), "wide")))        # default axis

# linear algebra
_MATMUL_1D = ("the rule calls matmul_nt/matmul_tn, which swapaxes(-1, -2): AxisError "
              "for a 1-D operand")
SPECS += [
    row("matmul", A((2, 3)), A((3, 4)), second_order=True),
    row("matmul", A((1, 1)), A((1, 1))),
    row("matmul", A((2, 3, 4)), A((4, 5))),
    row("matmul", A((5, 2, 3)), A((3, 4))),
    row("matmul", A((3, 4)), A((2, 4, 5))),
    row("matmul", A((2, 1, 3, 4)), A((3, 4, 2))),
    row("matmul", A((3,)), A((3, 4))),
    row("matmul", A((2, 3)), A((3,))),
    row("matmul", A((3,)), A((3,))),
    row("matmul", A((2, 3, 4)), A((4,))),
    row("matmul_nt", A((2, 3)), A((4, 3)), second_order=True),
    row("matmul_nt", A((2, 3, 4)), A((5, 4))),
    row("matmul_nt", A((3, 4)), A((2, 5, 4))),
    row("matmul_tn", A((3, 2)), A((3, 4)), second_order=True),
    row("matmul_tn", A((2, 4, 3)), A((4, 5))),
    row("matmul_tn", A((4, 3)), A((2, 4, 5))),
    # nn.Dense's product (rows of x's leading axes, the bias added in place) and its adjoints
    row("linear", A((2, 3)), A((4, 3)), A((4,)), second_order=True),
    row("linear", A((2, 5, 3)), A((4, 3)), A((4,))),
    row("linear", A((3,)), A((4, 3)), A((4,))),
    row("linear", A((2, 3)), A((4, 3)), A(())),
    row("linear", A((2, 3)), A((4, 3)), A((1, 4))),
    row("linear", A((2, 3)), A((4, 3)), A((2, 4))),
    row("linear_dx", A((2, 4)), A((4, 3)), A((2, 3)), second_order=True),
    row("linear_dx", A((2, 5, 4)), A((4, 3)), A((2, 5, 3))),
    row("linear_dx", A((4,)), A((4, 3)), A((3,))),
    row("linear_dw", A((2, 4)), A((2, 3)), second_order=True),
    row("linear_dw", A((2, 5, 4)), A((2, 5, 3))),
]

# shapes
_TRANSPOSE_NEG = ("the rule inverts axes with np.argsort(axes), which is wrong for negative "
                  "axes: x (2,3,4), axes (-1,0,1) gives a gradient of shape (4,2,3)")
SPECS += [
    row("reshape", A((2, 3)), (3, 2)),
    row("reshape", A((2, 3)), (-1,)),
    row("reshape", A((6,)), (2, 3)),
    row("reshape", A(()), (1, 1)),
    row("reshape", A((2, 3, 4)), (4, -1)),
    row("transpose", A((2, 3))),
    row("transpose", A((2, 3, 4)), None),
    row("transpose", A((2, 3, 4)), (2, 0, 1)),
    row("transpose", A((2, 3, 4)), (1, 2, 0)),
    row("transpose", A(())),
    row("transpose", A((2, 3, 4)), (-1, 0, 1)),
    row("expand_dims", A((2, 3)), 0),
    row("expand_dims", A((2, 3)), -1),
    row("expand_dims", A((2, 3)), (0, 2)),
    row("expand_dims", A(()), 0),
    row("squeeze", A((1, 3, 1))),
    row("squeeze", A((1, 3, 1)), 0),
    row("squeeze", A((1, 3, 1)), -1),
    row("squeeze", A((1, 3, 1)), (0, 2)),
    row("squeeze", A((1, 1))),
    row("concat2", A((2, 3)), A((1, 3)), 0),
    row("concat2", A((2, 3)), A((2, 2)), 1),
    row("concat2", A((2, 3)), A((2, 1)), -1),
    row("concat2", A((3,)), A((2,)), 0),
    row("broadcast_to", A((3,)), (2, 3)),
    row("broadcast_to", A((2, 1)), (2, 3)),
    row("broadcast_to", A(()), (2, 3)),
    row("broadcast_to", A((1, 3)), (4, 2, 3)),
    row("broadcast_to", A((2, 3)), (2, 3)),
]

# the helpers the rules call are primitives too (so rules can be differentiated again)
SPECS += [
    row("unbroadcast", A((2, 3)), A((3,))),
    row("unbroadcast", A((2, 3)), A((1, 3))),
    row("unbroadcast", A((2, 3)), A((2, 1))),
    row("unbroadcast", A((4, 2, 3)), A((2, 1))),
    row("unbroadcast", A((2, 3)), A(())),
    row("unbroadcast", A((2, 3)), A(None)),
    row("unbroadcast", A((2, 3)), A((2, 3))),
    row("unbroadcast", A(()), A(())),
]
# runtime.unbroadcast also "broadcasts up" when g is smaller than like (its last branch);
# the rule of the unbroadcast primitive assumes it only ever sums down.
_UNBROADCAST_UP = ("unbroadcast broadcast g up to like's shape here, but its rule "
                   "np.broadcast_to(dout, np.shape(g)) cannot take dout back down: ValueError")
SPECS += [
    row("unbroadcast", A(()), A((2, 3))),
    row("unbroadcast", A((3,)), A((2, 3))),
    row("unbroadcast", A((1, 3)), A((2, 3))),
]
# broadcast_like: the forward-mode helper that brings a tangent up to the output's shape
SPECS += [
    row("broadcast_like", A((3,)), A((2, 3))),
    row("broadcast_like", A((2, 1)), A((2, 3))),
    row("broadcast_like", A((1, 3)), A((4, 2, 3))),
    row("broadcast_like", A(()), A((2, 3))),
    row("broadcast_like", A(None), A((2, 3))),
    row("broadcast_like", A((2, 3)), A((2, 3))),
    row("broadcast_like", A(()), A(())),
]
for _axis, _kd in REDUCTION_AXES + [((), False)]:
    SPECS.append(row("expand_to", A(_reduced_shape((2, 3, 4), _axis, _kd)), A((2, 3, 4)),
                     _axis, _kd))
SPECS.append(row("expand_to", A(()), A(())))

# indexing: int, negative, slices, tuples, None, Ellipsis, integer arrays with repeats, masks
_MASK = np.arange(20).reshape(4, 5) % 3 == 0
GETITEM_CASES = [
    ((4, 5), 1),
    ((4, 5), -1),
    ((4, 5), slice(1, 3)),
    ((4, 5), slice(None, None, -2)),
    ((4, 5), (slice(None), 2)),
    ((4, 5), (slice(1, None), slice(None, None, 2))),
    ((4, 5), (-1, slice(None, 3))),
    ((4, 5), (-2, -3)),
    ((4, 5), (None, 0)),
    ((4, 5), (0, None, slice(None))),
    ((2, 3, 4), (Ellipsis, 1)),
    ((2, 3, 4), (Ellipsis, None)),
    ((2, 3, 4), (0, Ellipsis, slice(1, 3))),
    ((4, 5), np.array([0, 2, 0, 3, 0])),
    ((4, 5), (np.array([0, 0, 1]), np.array([1, 1, -1]))),
    ((4, 5), [1, 1, 2]),
    ((2, 3, 4), (slice(None), np.array([[0, 0], [2, 1]]), 1)),
    ((4, 5), _MASK),
    ((), ()),
    ((3,), Ellipsis),
]
for _shape, _index in GETITEM_CASES:
    SPECS.append(row("getitem", A(_shape), _index))
    SPECS.append(row("ungetitem", A(_indexed_shape(_shape, _index)), A(_shape), _index))

# dtypes: float32 rounds at ~1e-7, so those rows take a large step (the maps are linear)
_F32 = dict(eps=1e-2, rtol=1e-4, atol=1e-4)
SPECS += [
    row("astype", A((2, 3)), "float64"),
    row("astype", A((2, 3)), np.float32, **_F32),
    row("astype", A((2, 3), dtype="float32"), "float64", **_F32),
    row("astype", A((), dtype="float32"), np.float64, **_F32),
    row("cast_like", A((2, 3)), A((2, 3))),
    row("cast_like", A((2, 3)), A((), dtype="float32"), **_F32),
    row("cast_like", A((2, 3), dtype="float32"), A((3,)), **_F32),
    row("cast_like", A(()), A(None)),
    # mp_cast (Cell.to_float): float arrays to the dtype, the rest as they are
    row("mp_cast", A((2, 3)), np.float32, **_F32),
    row("mp_cast", A((2, 3), dtype="float32"), np.float64, **_F32),
    row("mp_cast", A((2, 3)), np.float64),
    row("mp_cast", A(()), np.float32, **_F32),
    row("mp_cast", A(None), np.float16, **_F32),
]


# ---------------------------------------------------------------------------------------
# autograd_st.rules_nn (only when it is there)
# ---------------------------------------------------------------------------------------

if NN_LOADED:
    from autograd_st import kernels as _kernels

    # (x shape, w shape, stride, pad, dilation, group); pad is (top, bottom, left, right),
    # an int, or 'same' / 'valid'
    CONV_CASES = [
        ((2, 3, 5, 5), (4, 3, 3, 3), (1, 1), (0, 0, 0, 0), (1, 1), 1),
        ((1, 2, 5, 5), (3, 2, 3, 3), (2, 2), (1, 1, 1, 1), (1, 1), 1),
        ((1, 1, 6, 6), (2, 1, 3, 3), (2, 2), (0, 0, 0, 0), (1, 1), 1),  # last row unused
        ((1, 2, 5, 6), (2, 2, 2, 3), (1, 2), (0, 1, 2, 0), (1, 1), 1),  # asymmetric
        ((1, 2, 5, 5), (2, 2, 3, 3), (2, 2), "same", (1, 1), 1),        # odd padding
        ((1, 1, 6, 6), (2, 1, 2, 2), (1, 1), (0, 0, 0, 0), (2, 1), 1),  # dilation
        ((1, 4, 4, 4), (6, 2, 2, 2), (1, 1), 1, (1, 1), 2),             # groups, int pad
        ((1, 1, 1, 1), (1, 1, 1, 1), (1, 1), (0, 0, 0, 0), (1, 1), 1),
        # more output channels than output pixels: the weight gradient's one-matmul branch
        ((2, 2, 3, 3), (5, 2, 2, 2), (1, 1), (0, 0, 0, 0), (1, 1), 1),
        ((2, 4, 3, 3), (10, 2, 2, 2), (2, 2), (0, 0, 0, 0), (1, 1), 2),
    ]

    def _conv_out_shape(xs, ws, stride, pad, dilation, group):
        return _kernels.conv2d_forward(np.zeros(xs), np.zeros(ws), stride, pad, dilation,
                                       group).shape

    for _i, (_xs, _ws, *_geo) in enumerate(CONV_CASES):
        _ys = _conv_out_shape(_xs, _ws, *_geo)
        SPECS += [
            row("conv2d", A(_xs), A(_ws), *_geo, second_order=_i == 1),
            row("conv2d_grad_input", A(_ys), A(_ws), A(_xs), *_geo, second_order=_i == 4),
            row("conv2d_grad_weight", A(_xs), A(_ys), A(_ws), *_geo, second_order=_i == 6),
        ]
    SPECS.append(row("conv2d", A((1, 2, 4, 4)), A((3, 2, 3, 3))))  # all defaults

    for _name, _dom in [("erf", "real"), ("softplus", "wide")]:
        for _shape in [(), (4,), (2, 3)]:
            SPECS.append(row(_name, A(_shape, _dom), second_order=_shape == (2, 3)))
        SPECS.append(row(_name, A(None, _dom)))

    for _axis, _kd in REDUCTION_AXES:
        for _ddof in (0, 1):
            SPECS.append(row("var", A((2, 3, 4)), _axis, _ddof, _kd,
                             second_order=_ddof == 1 and _axis == (0, 2)))
    SPECS += [
        row("var", A((2, 3, 4)), (), 0, False),  # axis=(): a variance of 0 everywhere
        row("var", A((5,))),
        row("var", A(()), None, 0, False),
        row("var", A((3,)), 0, 1, True),
    ]

    SPECS += [
        row("flatten", A((2, 3, 4))),
        row("flatten", A((2, 3, 4)), 0, -1),
        row("flatten", A((2, 3, 4)), 1, 1),
        row("flatten", A((2, 3, 4, 2)), 1, 2),
        row("flatten", A((2, 3, 4)), -2, -1),
        row("flatten", A((5,))),
        row("flatten", A(())),
        row("reshape_along", A((3,)), A((2, 3, 4, 4))),
        row("reshape_along", A((4,)), A((2, 3, 4)), -1),
        row("reshape_along", A((2,)), A((2, 3)), 0),
        row("reshape_along", A((3,)), A((3,)), 0),
        row("depend", A((2, 3)), A((3,))),
        row("depend", A(()), None),
        row("depend", A((4,)), A((2, 2), "bool")),
    ]

    # softmax cross-entropy with class-index labels (labels: constants, no gradient); batch
    # shapes (), (4,), (2, 3); the incoming gradient per row, broadcast from () and a float
    _XENT_LABELS = [((), np.array(3)), ((4,), np.array([0, 2, 4, 2])),
                    ((2, 3), np.array([[1, 0, 4], [3, 3, 0]]))]
    for _batch, _labels in _XENT_LABELS:
        SPECS += [
            row("sparse_softmax_xent", A(_batch + (5,), "wide"), _labels,
                second_order=_batch == (4,)),
            row("sparse_softmax_xent_grad", A(_batch + (5,), "wide"), _labels, A(_batch),
                second_order=_batch == (2, 3)),
        ]
    SPECS += [
        row("sparse_softmax_xent_grad", A((4, 5), "wide"), _XENT_LABELS[1][1], A(())),
        row("sparse_softmax_xent_grad", A((4, 5), "wide"), _XENT_LABELS[1][1], A(None)),
    ]


# ---------------------------------------------------------------------------------------
# the family modules' rows (rules_array, rules_math; the nn forms of table_nn), each in a
# spec module of its own: ``SPECS`` and ``ZERO_GRADIENT`` (the primitives without gradient)
# ---------------------------------------------------------------------------------------

import rule_specs_array as _family_array  # noqa: E402
import rule_specs_comm as _family_comm  # noqa: E402
import rule_specs_detect as _family_detect  # noqa: E402
import rule_specs_grid as _family_grid  # noqa: E402
import rule_specs_index as _family_index  # noqa: E402
import rule_specs_linalg as _family_linalg  # noqa: E402
import rule_specs_loss as _family_loss  # noqa: E402
import rule_specs_math as _family_math  # noqa: E402
import rule_specs_nn as _family_nn  # noqa: E402
import rule_specs_nn3d as _family_nn3d  # noqa: E402
import rule_specs_numpy as _family_numpy  # noqa: E402
import rule_specs_vmap as _family_vmap  # noqa: E402

for _family in (_family_array, _family_math, _family_nn, _family_comm, _family_nn3d,
                _family_linalg, _family_loss, _family_index, _family_vmap, _family_numpy,
                _family_detect, _family_grid):
    SPECS += _family.SPECS
    ZERO_GRADIENT_PRIMITIVES = ZERO_GRADIENT_PRIMITIVES | frozenset(_family.ZERO_GRADIENT)
