"""Finite-difference checks of the derivatives autograd_st computes (after JAX's
``jax.test_util.check_grads``).

Takes a function ``f`` (a plain function or a Cell, as ``ops.jvp`` / ``ops.vjp`` take it) and
the point to check it at: a tuple of arguments, each a Tensor, a numpy array or a Python
float.  Gives nothing when the derivatives agree with central finite differences, and raises
:class:`GradientCheckError` (an ``AssertionError``) naming the order, the mode and the argument
(and in forward mode the output) that disagree, both values and the tolerance when they do
not.

Public:

- :func:`check_grads` ``(f, args, order=1, modes=("fwd", "rev"))``: forward mode (``ops.jvp``)
  and reverse mode (``ops.vjp``) against central differences along random directions, up to
  order 2;
- :func:`check_jvp` / :func:`check_vjp`: the same checks of a jvp / vjp function you give;
- :func:`numerical_jvp`, :func:`numerical_grad`, :func:`numerical_jacobian`: the central
  differences themselves, for tests that compare with them directly;
- :class:`GradientCheckError`.

Differences are central, ``(f(x + eps v) - f(x - eps v)) / 2 eps``, taken in float64.  The
moved arguments keep their kind and dtype (a Tensor stays a Tensor, a float32 array stays
float32, a Python float stays a Python float), so ``f`` runs as it would; ``eps`` and the
tolerances default by the lowest precision among the arguments and outputs (float64: step
1e-6, tolerance 1e-5; float32: step 1e-3, tolerance 2e-3).
"""
from __future__ import annotations

import dataclasses
from typing import Callable, Sequence

import numpy as np

from .boundary import GradFunction, GradRequest
from .errors import GradientCheckError
from .ops import jvp, vjp
from .tensor import Tensor

__all__ = ["check_grads", "check_jvp", "check_vjp", "numerical_jvp", "numerical_grad",
           "numerical_jacobian", "GradientCheckError"]

# lowest precision present -> (central-difference step, atol and rtol)
_DEFAULTS = {np.dtype(np.float64): (1e-6, 1e-5), np.dtype(np.float32): (1e-3, 2e-3)}
_MODES = ("fwd", "rev")


# ---------------------------------------------------------------------------------------
# values: kinds, leaves, float64 views
# ---------------------------------------------------------------------------------------

def _array(value) -> np.ndarray:
    """The numpy array of a Tensor / array / number (a Tensor's own storage)."""
    return value.asnumpy() if isinstance(value, Tensor) else np.asarray(value)


def _as64(value):
    """A result in float64: arrays for leaves, tuples kept (a list reads as a tuple)."""
    if isinstance(value, (tuple, list)):
        return tuple(_as64(v) for v in value)
    return np.array(_array(value), dtype=np.float64)


def _leaves(value) -> list:
    if isinstance(value, (tuple, list)):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def _is_float(value) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, (Tensor, np.ndarray, np.generic)):
        return _array(value).dtype.kind == "f"
    return False


def _dtype(value) -> np.dtype:
    return np.dtype(np.float64) if isinstance(value, float) else _array(value).dtype


def _like(original, values: np.ndarray):
    """``values`` (float64) as a value of ``original``'s kind and dtype."""
    if isinstance(original, float):
        return float(values)
    if isinstance(original, np.generic):
        return type(original)(values)
    arr = np.asarray(values).astype(_array(original).dtype)
    return Tensor(arr) if isinstance(original, Tensor) else arr


def _moved(value, tangent, scale: float):
    """``value + scale * tangent`` in ``value``'s kind and dtype (``None``: not moved)."""
    if tangent is None:
        return value
    if isinstance(value, (tuple, list)):
        if not isinstance(tangent, (tuple, list)) or len(tangent) != len(value):
            raise TypeError("a tuple argument of %d needs a tuple tangent of %d, not %r"
                            % (len(value), len(value), type(tangent).__name__))
        return type(value)(_moved(v, t, scale) for v, t in zip(value, tangent))
    if not _is_float(value):
        raise TypeError("cannot move a %s argument along a tangent: only floats (Tensors, "
                        "arrays, Python floats) are moved; give None as its tangent"
                        % type(value).__name__)
    base = np.asarray(_array(value), dtype=np.float64)
    step = np.asarray(_array(tangent), dtype=np.float64)
    if step.shape != base.shape:
        raise ValueError("a tangent has shape %s but its argument has shape %s"
                         % (step.shape, base.shape))
    return _like(value, base + scale * step)


def tolerances(values, eps, atol=None, rtol=None):
    """``eps``, ``atol``, ``rtol``, the unset ones by the lowest float precision in values."""
    dtypes = [_dtype(v) for v in _leaves(values) if _is_float(v)] or [np.dtype(np.float64)]
    low = min(dtypes, key=lambda d: d.itemsize)
    if low not in _DEFAULTS:
        raise TypeError("finite differences in %s are too coarse to check derivatives with; "
                        "check in float32 or float64" % low)
    step, tol = _DEFAULTS[low]
    return (step if eps is None else eps, tol if atol is None else atol,
            tol if rtol is None else rtol)


def _args_tuple(args) -> tuple:
    if isinstance(args, (tuple, list)):
        return tuple(args)
    return (args,)


# ---------------------------------------------------------------------------------------
# central differences
# ---------------------------------------------------------------------------------------

def numerical_jvp(f: Callable, args: Sequence, tangents: Sequence,
                  eps: float | None = None):
    """``(f(*(args + eps * tangents)) - f(*(args - eps * tangents))) / (2 eps)`` in float64.

    ``tangents`` holds one entry per argument: ``None`` leaves that argument where it is
    (use it for integers, labels, axes...), anything else is shaped like the argument (a
    tuple for a tuple argument).  The moved arguments keep their kind and dtype.  Returns a
    float64 array, or a tuple of them when ``f`` returns a tuple or list.

    >>> numerical_jvp(lambda x, y: x * y, (np.array([1.0, 2.0]), 3.0), (np.ones(2), None))
    array([3., 3.])
    """
    args = _args_tuple(args)
    tangents = _args_tuple(tangents)
    if len(tangents) != len(args):
        raise ValueError("numerical_jvp: %d arguments but %d tangents; give one per argument "
                         "(None for one that stays)" % (len(args), len(tangents)))
    if eps is None:
        eps = tolerances([a for a, t in zip(args, tangents) if t is not None], None)[0]
    hi = _as64(f(*[_moved(a, t, eps) for a, t in zip(args, tangents)]))
    lo = _as64(f(*[_moved(a, t, -eps) for a, t in zip(args, tangents)]))
    return _difference(hi, lo, 2.0 * eps)


def _difference(hi, lo, width: float):
    if isinstance(hi, tuple):
        return tuple(_difference(h, low, width) for h, low in zip(hi, lo))
    return (hi - lo) / width


def _total(value) -> float:
    """The sum of every entry of every output (MindSpore's gradient of a tuple output)."""
    return float(sum(np.sum(leaf) for leaf in _leaves(_as64(value))))


def _entrywise(evaluate, storage: np.ndarray, eps: float) -> np.ndarray:
    """d evaluate() / d storage[idx] for every idx, moving ``storage`` in place (restored).
    The step is the one stored, so a float32 entry's rounding does not bias it."""
    grad = np.zeros(storage.shape, np.float64)
    for idx in np.ndindex(storage.shape):
        old = storage[idx]
        try:
            storage[idx] = old + eps
            up = float(storage[idx])
            hi = evaluate()
            storage[idx] = old - eps
            down = float(storage[idx])
            lo = evaluate()
        finally:
            storage[idx] = old
        grad[idx] = (hi - lo) / (up - down)
    return grad


def _float_storage(value, what: str) -> np.ndarray:
    arr = _array(value)
    if not isinstance(value, (Tensor, np.ndarray)) or arr.dtype.kind != "f":
        raise TypeError("%s (%s): finite differences move Tensors or numpy arrays of floats "
                        "in place" % (what, _kind(value)))
    if not arr.flags.writeable:
        raise TypeError("%s is read-only; finite differences move its entries in place"
                        % what)
    return arr


def _positions(grad_position, n: int):
    single = isinstance(grad_position, int)
    positions = (grad_position,) if single else tuple(grad_position)
    for p in positions:
        if not isinstance(p, int) or not -n <= p < n:
            raise ValueError("grad_position %r: f has %d arguments" % (p, n))
    return positions, single


def numerical_grad(f: Callable, args: Sequence = (), grad_position=0, weights=None,
                   eps: float | None = None):
    """The gradient of ``f(*args)`` by central differences, every entry, in float64.

    Differentiates the sum of every entry of every output (MindSpore's rule: a tuple output
    counts as the sum of its outputs; multiply by a cotangent inside ``f`` for another
    weighting).  Like ``ops.grad``: ``grad_position`` (an int, a tuple, or None) picks the
    arguments, rebuilt moved in their kind and dtype (a Python float may be one);
    ``weights`` lists Parameters, Tensors or numpy arrays that ``f`` reads, moved in place
    (and restored).  Returns an array for an int position, a tuple for a tuple, the weights'
    tuple when ``grad_position`` is None, and ``(positions' result, weights' tuple)`` with
    both.

    >>> numerical_grad(lambda x, y: x * x * y, (np.array([1.0, 2.0]), 3.0), (0, 1))
    (array([ 6., 12.]), array(5.))
    """
    args = _args_tuple(args)
    weights = list(weights) if weights is not None else None
    if grad_position is None and weights is None:
        raise ValueError("numerical_grad: grad_position is None and there are no weights; "
                         "nothing to differentiate")
    pos_result = None
    if grad_position is not None:
        positions, single = _positions(grad_position, len(args))
        grads = []
        for p in positions:
            a = args[p]
            if not _is_float(a):
                raise TypeError("numerical_grad: argument %d (%s) is not a float Tensor, "
                                "array or Python float" % (p, _kind(a)))
            step = tolerances([a], eps)[0]
            storage = np.array(_array(a), dtype=_dtype(a), copy=True)
            rest = list(args)

            def evaluate(p=p, a=a, storage=storage, rest=rest):
                rest[p] = _like(a, storage)
                return _total(f(*rest))
            grads.append(_entrywise(evaluate, storage, step))
        pos_result = grads[0] if single else tuple(grads)
    if weights is None:
        return pos_result
    stores = [_float_storage(w, "weight %d" % i) for i, w in enumerate(weights)]
    w_result = tuple(_entrywise(lambda: _total(f(*args)), s, tolerances([s], eps)[0])
                     for s in stores)
    return w_result if grad_position is None else (pos_result, w_result)


def numerical_jacobian(f: Callable, args: Sequence, grad_position=0, eps: float | None = None):
    """The Jacobian of ``f`` by central differences, shaped ``output.shape + input.shape``
    as ``ops.jacfwd`` / ``ops.jacrev`` give it: a tuple per position for a tuple
    ``grad_position``, inside a tuple per output when ``f`` returns a tuple.

    >>> numerical_jacobian(lambda x: x * x, (np.array([1.0, 2.0]),))
    array([[2., 0.],
           [0., 4.]])
    """
    args = _args_tuple(args)
    positions, single = _positions(grad_position, len(args))
    per_position = []
    for p in positions:
        base = _array(args[p])
        columns = []
        for idx in np.ndindex(base.shape):
            unit = np.zeros(base.shape, np.float64)
            unit[idx] = 1.0
            tangents = [None] * len(args)
            tangents[p] = unit
            columns.append(numerical_jvp(f, args, tangents, eps))
        per_position.append((base.shape, columns))
    sample = per_position[0][1][0] if per_position[0][1] else _as64(f(*args))
    outputs = len(sample) if isinstance(sample, tuple) else None

    def stacked(k):
        blocks = []
        for shape, columns in per_position:
            parts = [c if k is None else c[k] for c in columns]
            out_shape = np.shape(sample if k is None else sample[k])
            arr = np.stack(parts, axis=-1) if parts else np.zeros(out_shape + (0,))
            blocks.append(arr.reshape(out_shape + shape))
        return blocks[0] if single else tuple(blocks)
    return stacked(None) if outputs is None else tuple(stacked(k) for k in range(outputs))


# ---------------------------------------------------------------------------------------
# comparisons
# ---------------------------------------------------------------------------------------

def _describe(value) -> str:
    if isinstance(value, float):
        return "a Python float"
    arr = _array(value)
    return "shape %s, %s" % (arr.shape, arr.dtype)


def _kind(value) -> str:
    """``int``, ``int64 ndarray``, ``float32 Tensor``: what a value is, for messages."""
    if isinstance(value, (Tensor, np.ndarray, np.generic)):
        return "%s %s" % (_array(value).dtype, type(value).__name__)
    return type(value).__name__


def _show(arr) -> str:
    return np.array2string(np.asarray(arr), precision=8, threshold=20, edgeitems=3)


def _close(check: str, where: str, got, expected, atol: float, rtol: float,
           argument=None, output=None, against: str = "central differences") -> None:
    got64, want64 = np.asarray(got, np.float64), np.asarray(expected, np.float64)
    if got64.shape != want64.shape:
        raise GradientCheckError("%s: %s has shape %s, expected %s" % (
            check, where, got64.shape, want64.shape), check, argument, output, got, expected,
            atol, rtol)
    bound = atol + rtol * np.abs(want64)
    err = np.abs(got64 - want64)
    bad = ~(err <= bound)  # NaN counts as a disagreement
    if not bad.any():
        return
    excess = np.where(bad, np.nan_to_num(err - bound, nan=np.inf), -np.inf)
    idx = tuple(int(i) for i in np.unravel_index(int(np.argmax(excess)), got64.shape))
    raise GradientCheckError(
        "%s: %s disagrees with %s.\n  worst at index %s: got %r, "
        "expected %r (|difference| %.3g > atol %.3g + rtol %.3g * |expected|)\n"
        "  got:      %s\n  expected: %s" % (
            check, where, against, idx, float(got64[idx]), float(want64[idx]), float(err[idx]),
            atol, rtol, _show(got64), _show(want64)),
        check, argument, output, got, expected, atol, rtol)


def _flat_outputs(check: str, what: str, got, want) -> list:
    """Pairs (got, expected) of the leaves of two results of the same structure."""
    g, w = _leaves(got), _leaves(want)
    if len(g) != len(w) or isinstance(got, (tuple, list)) != isinstance(want, (tuple, list)):
        raise GradientCheckError("%s: %s has %d outputs (%s), f has %d (%s)" % (
            check, what, len(g), type(got).__name__, len(w), type(want).__name__), check)
    return list(zip(g, w))


def _random_like(value, rng: np.random.Generator):
    """A standard normal value of ``value``'s kind, shape and dtype."""
    if isinstance(value, (tuple, list)):
        return type(value)(_random_like(v, rng) for v in value)
    return _like(value, rng.standard_normal(np.shape(_array(value))))


def _cotangent(output, rng: np.random.Generator) -> Tensor:
    """A standard normal Tensor shaped and typed like one output (float64 if not float)."""
    dtype = _dtype(output) if _is_float(output) else np.dtype(np.float64)
    return Tensor(rng.standard_normal(np.shape(_array(output))).astype(dtype))


def _zeros_like(value):
    if isinstance(value, (tuple, list)):
        return type(value)(_zeros_like(v) for v in value)
    return _like(value, np.zeros(np.shape(_array(value))))


def _inner(a, b) -> tuple:
    """``(sum a * b, sum |a * b|)`` over the leaves of two values of one structure."""
    products = [np.asarray(_array(x), np.float64) * np.asarray(_array(y), np.float64)
                for x, y in zip(_leaves(a), _leaves(b))]
    return (float(sum(np.sum(p) for p in products)),
            float(sum(np.sum(np.abs(p)) for p in products)))


def _check_args(check: str, args: tuple) -> None:
    for i, a in enumerate(args):
        for leaf in _leaves(a):
            if not _is_float(leaf):
                raise TypeError(
                    "%s: argument %d (%s) is not a float; every argument is differentiated, "
                    "so each must be a float Tensor, numpy array or Python float (close "
                    "over the others: def g(x): return f(x, labels))" % (check, i, _kind(leaf)))


def _argument_name(i: int, names) -> str:
    return names[i] if names is not None and i < len(names) else "argument %d" % i


def _check_jvp(check, f, f_jvp, args, atol, rtol, eps, rng, names=None) -> None:
    expected_out = f(*args)
    eps, atol, rtol = tolerances([args, expected_out], eps, atol, rtol)
    for i, a in enumerate(args):
        tangents = [_zeros_like(b) for b in args]
        tangents[i] = _random_like(a, rng)
        out, tangent_out = f_jvp(args, tuple(tangents))
        for k, (g, w) in enumerate(_flat_outputs(check, "the jvp's primal output", out,
                                                 expected_out)):
            _close(check, "primal output %d" % k, g, _as64(w), atol, rtol, None, k,
                   "f(*args)")
        numeric = numerical_jvp(f, args, [None if j != i else t for j, t in
                                          enumerate(tangents)], eps)
        for k, (g, w) in enumerate(_flat_outputs(check, "the jvp's tangent", tangent_out,
                                                 numeric)):
            _close(check, "the tangent of output %d along a random direction in %s (%s)"
                   % (k, _argument_name(i, names), _describe(a)), g, w, atol, rtol, i, k,
                   "central differences (eps=%g)" % eps)


def _regroup(check: str, grads, args: tuple) -> list:
    """The vjp's gradients, one per argument (a tuple argument's may come flattened)."""
    grads = list(grads) if isinstance(grads, (tuple, list)) else [grads]
    if len(grads) == len(args):
        return grads
    counts = [len(_leaves(a)) for a in args]
    if len(grads) != sum(counts):
        raise GradientCheckError("%s: the vjp returned %d gradients for %d arguments"
                                 % (check, len(grads), len(args)), check)
    out, at = [], 0
    for a, n in zip(args, counts):
        out.append(tuple(grads[at:at + n]) if isinstance(a, (tuple, list)) else grads[at])
        at += n
    return out


def _check_vjp(check, f, f_vjp, args, atol, rtol, eps, rng, names=None) -> None:
    expected_out = f(*args)
    eps, atol, rtol = tolerances([args, expected_out], eps, atol, rtol)
    out, vjp_fn = f_vjp(*args)
    pairs = _flat_outputs(check, "the vjp's primal output", out, expected_out)
    for k, (g, w) in enumerate(pairs):
        _close(check, "primal output %d" % k, g, _as64(w), atol, rtol, None, k, "f(*args)")
    cotangents = [_cotangent(w, rng) for _, w in pairs]
    # one cotangent per output, a tuple output's as one tuple (a 1-tuple's too)
    sens = (tuple(cotangents),) if isinstance(out, (tuple, list)) else cotangents
    grads = _regroup(check, vjp_fn(*sens), args)
    for i, (a, g) in enumerate(zip(args, grads)):
        for gl, al in zip(_leaves(g), _leaves(a)):
            if np.shape(_array(gl)) != np.shape(_array(al)):
                raise GradientCheckError(
                    "%s: the gradient of %s has shape %s, the argument %s" % (
                        check, _argument_name(i, names), np.shape(_array(gl)),
                        np.shape(_array(al))), check, i, None, gl, al, atol, rtol)
        v = _random_like(a, rng)
        tangents = [None] * len(args)
        tangents[i] = v
        numeric = numerical_jvp(f, args, tangents, eps)
        got, scale_got = _inner(g, v)
        want, scale_want = _inner(cotangents, numeric)
        scale = max(scale_got, scale_want)
        if not abs(got - want) <= atol + rtol * scale:
            raise GradientCheckError(
                "%s: the gradient of %s (%s) disagrees with central differences (eps=%g): "
                "along a random direction v and random output cotangents u, <J^T u, v> = %r "
                "but <u, J v> = %r (|difference| %.3g > atol %.3g + rtol %.3g * %.3g, the "
                "sum of |terms|)\n  gradient: %s" % (
                    check, _argument_name(i, names), _describe(a), eps, got, want,
                    abs(got - want), atol, rtol, scale,
                    _show(np.concatenate([np.ravel(_as64(x)) for x in _leaves(g)]))),
                check, i, None, got, want, atol, rtol)


def check_jvp(f: Callable, f_jvp: Callable, args: Sequence, atol: float | None = None,
              rtol: float | None = None, eps: float | None = None, seed: int = 0) -> None:
    """Check a forward-mode derivative ``f_jvp(primals, tangents) -> (out, tangent_out)``
    (``ops.jvp``'s signature with ``f`` bound) against central differences of ``f``, along a
    random direction in each argument in turn, and its ``out`` against ``f(*args)``.

    >>> def f(x):
    ...     return x * x
    >>> check_jvp(f, lambda p, t: (f(*p), 2 * p[0] * t[0]), (np.array([1.0, 2.0]),))
    """
    args = _args_tuple(args)
    _check_args("check_jvp", args)
    _check_jvp("check_jvp", f, f_jvp, args, atol, rtol, eps, np.random.default_rng(seed))


def check_vjp(f: Callable, f_vjp: Callable, args: Sequence, atol: float | None = None,
              rtol: float | None = None, eps: float | None = None, seed: int = 0) -> None:
    """Check a reverse-mode derivative ``f_vjp(*args) -> (out, vjp_fn)`` (``ops.vjp``'s
    signature with ``f`` bound; ``vjp_fn(*cotangents)`` gives one gradient per argument)
    by the inner-product identity ``<J^T u, v> == <u, J v>``, ``J v`` by central differences,
    for random ``u`` and a random ``v`` in each argument in turn; and ``out`` against
    ``f(*args)``.

    >>> def f(x):
    ...     return x * x
    >>> check_vjp(f, lambda x: (f(x), lambda u: (2 * x * u,)), (np.array([1.0, 2.0]),))
    """
    args = _args_tuple(args)
    _check_args("check_vjp", args)
    _check_vjp("check_vjp", f, f_vjp, args, atol, rtol, eps, np.random.default_rng(seed))


def _ops_jvp(f):
    return lambda primals, tangents: jvp(f, primals, tangents)


def _all_grads(f, sens):
    """``GradOperation(get_all=True, sens_param=sens)(f)``, Python floats differentiated too
    (MindSpore's style leaves them out: a check differentiates every argument)."""
    request = GradRequest.for_gradop(True, False, sens, f, None)
    return GradFunction(f, dataclasses.replace(request, float_grads=True))


def _ops_vjp(f):
    return lambda *primals: vjp(f, *primals)


def check_grads(f: Callable, args: Sequence, order: int = 1, modes: Sequence[str] = _MODES,
                atol: float | None = None, rtol: float | None = None,
                eps: float | None = None, seed: int = 0) -> None:
    """Check autograd_st's derivatives of ``f`` at ``args`` against central differences.

    ``args`` is the tuple of arguments (a single Tensor, array or float is taken as a tuple
    of one); every one is differentiated, so each must be a float Tensor, numpy array or
    Python float (close over the others).  ``f`` is a function or a Cell returning a
    Tensor / array / scalar or a tuple of them; a tuple is checked output by output.

    Order 1: ``"fwd"`` compares ``ops.jvp``'s tangent with central differences along a random
    direction in each argument in turn; ``"rev"`` checks ``ops.vjp``'s gradients by the
    inner-product identity ``<J^T u, v> == <u, J v>`` (random cotangents ``u``, a random
    direction ``v`` in each argument, ``J v`` by central differences).  Both check the primal
    output against ``f(*args)``.

    Order 2 also checks the derivatives of the reverse-mode derivative
    ``g(*args, u) = GradOperation(get_all=True, sens_param=True)(f)(*args, u)`` at a random
    cotangent ``u``, the same way: ``"fwd"`` by ``ops.jvp`` of ``g`` (forward over reverse),
    ``"rev"`` by ``ops.vjp`` of ``g`` (reverse over reverse).  ``ops.jvp`` cannot
    differentiate code that calls ``ops.jvp``, so forward over forward is not checked; and as
    ``ops.jvp`` takes no tuple argument, when ``f`` returns a tuple the ``"fwd"`` check of
    order 2 differentiates ``GradOperation(get_all=True)(f)`` (cotangent one on every output).

    ``eps`` is the central-difference step and ``atol`` / ``rtol`` the tolerance (by default
    from the lowest float precision among the arguments and outputs: float64 1e-6 and 1e-5,
    float32 1e-3 and 2e-3); ``seed`` seeds the random directions.  Raises
    :class:`GradientCheckError` naming the order, mode and argument (and in forward mode the
    output) that disagree.

    Example (in a .py file: the compiler reads ``f``'s source)::

        import numpy as np
        import autograd_st
        from autograd_st import Tensor, ops

        def f(x, y):
            return ops.sin(x) * y

        autograd_st.check_grads(f, (Tensor(np.array([0.5, 1.0])), 2.0), order=2)
    """
    args = _args_tuple(args)
    if order not in (1, 2):
        raise ValueError("check_grads: order %r; orders 1 and 2 are checked" % (order,))
    modes = (modes,) if isinstance(modes, str) else tuple(modes)
    unknown = [m for m in modes if m not in _MODES]
    if unknown or not modes:
        raise ValueError("check_grads: modes %r; give a non-empty tuple of 'fwd' and 'rev'"
                         % (modes,))
    _check_args("check_grads", args)
    rng = np.random.default_rng(seed)
    for mode in modes:
        if mode == "fwd":
            _check_jvp("check_grads, order 1, mode 'fwd' (ops.jvp)", f, _ops_jvp(f), args,
                       atol, rtol, eps, rng)
        else:
            _check_vjp("check_grads, order 1, mode 'rev' (ops.vjp)", f, _ops_vjp(f), args,
                       atol, rtol, eps, rng)
    if order == 1:
        return
    out = f(*args)
    names = ["argument %d" % i for i in range(len(args))] + ["the cotangent u"]
    with_u = _all_grads(f, True)
    u_leaves = tuple(_cotangent(o, rng) for o in _leaves(out))
    u = u_leaves if isinstance(out, (tuple, list)) else u_leaves[0]
    for mode in modes:
        if mode == "fwd":
            if isinstance(out, (tuple, list)):
                g, g_args = _all_grads(f, False), args
                what = "GradOperation(get_all=True)(f)"
            else:
                g, g_args, what = with_u, args + (u,), "the gradient function"
            _check_jvp("check_grads, order 2, mode 'fwd' (ops.jvp of %s)" % what, g,
                       _ops_jvp(g), g_args, atol, rtol, eps, rng, names)
        else:
            _check_vjp("check_grads, order 2, mode 'rev' (ops.vjp of the gradient function)",
                       with_u, _ops_vjp(with_u), args + (u,), atol, rtol, eps, rng, names)
