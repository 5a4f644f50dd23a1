"""mint's random samplers: ``rand``, ``randn``, ``randint``, ``randperm``, ``normal``,
``multinomial``, ``bernoulli`` and ``rand_like``, ``randn_like``, ``randint_like``.

Takes: :mod:`autograd_st.generator` (``Generator``, ``default_generator``) and numpy.
Gives: the sampler functions :mod:`autograd_st.mint` exports.

Each draw comes from ``(generator or default_generator).numpy_generator()`` (a numpy
Philox generator keyed by the generator's seed at its offset, which moves on by one per
draw), so ``ms.manual_seed(s)`` / ``Generator.manual_seed(s)`` / ``set_state`` replay the
same numbers.  The op-table random kernels (``ops.rand`` ...) draw from the program's
generator and take no ``generator``, so the draws are made here, in :data:`_DRAW`: a callable
object that is not a Python function, so that in differentiated code the compiler runs it
as it is, at run time, on every call (an opaque call, no gradient: the draws are not folded
into the generated code).  The public functions are plain functions (compiled as callees)
whose one statement gives it their arguments as they are (``ops.stop_gradient`` of a
Tensor one) and wraps its array in a Tensor (in differentiated code ``Tensor(x)`` of a
runtime value is ``x``); every check is made by the draw (code that raises is not compiled).

MindSpore 2.10's CPU build has no kernel for any of mint's random functions (measured:
``InplaceUniform``, ``RandpermExt``, ``NormalFloatFloat``, ``MultinomialExt`` ... fail), so
their documentation and PyTorch's rules are followed: ``rand``/``randn`` float32 unless
``dtype``; ``randint`` int64 unless ``dtype``; the ``*_like`` forms ``input``'s dtype;
``randperm`` int64; ``multinomial`` int64; ``bernoulli`` ``input``'s dtype; ``normal``
float32 for two numbers (then ``size`` is required), else the Tensor's dtype and the
broadcast shape of ``mean`` and ``std``.  The numbers cannot be MindSpore's.
"""
from __future__ import annotations

import numpy as np

from .. import dtype as mstype
from .. import ops
from ..generator import Generator, default_generator
from ..tensor import Tensor, unwrap

__all__ = ["rand", "randn", "randint", "rand_like", "randn_like", "randint_like", "randperm",
           "normal", "multinomial", "bernoulli"]


def _np(dtype, default):
    if dtype is None:
        return None if default is None else np.dtype(default)
    out = mstype.to_numpy(dtype)
    if out is None:
        raise TypeError("mint: dtype must be a mindspore dtype (mindspore.float32 ...), got %r"
                        % (dtype,))
    return np.dtype(out)


def _size(size, op):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    out = tuple(int(s) for s in size)
    if any(s < 0 for s in out):
        raise ValueError("For '%s', size must not contain negative numbers, but got %s"
                         % (op, out))
    return out


def _generator(generator, op):
    if generator is None:
        return default_generator
    if not isinstance(generator, Generator):
        raise TypeError("For '%s', generator must be a mindspore.Generator or None, got %s"
                        % (op, type(generator).__name__))
    return generator


def _array(x):
    return np.asarray(unwrap(x))


def _like(rng, like, dtype, draw):
    like = _array(like)
    dtype = _np(dtype, None)
    return draw(like.shape).astype(like.dtype if dtype is None else dtype)


def _low_high(args, op, first):
    if len(args) == 1:
        args = (0,) + tuple(args)
    if len(args) != 2:
        raise TypeError("mint.%s(%slow=0, high, ...) takes high, or low and high; got %d "
                        "arguments" % (op, first, len(args) + (1 if first else 0)))
    low, high = (int(v) for v in args)
    if low >= high:
        raise ValueError("For '%s', low (%d) must be less than high (%d)" % (op, low, high))
    return low, high


class _Draw:
    """The draws: ``_DRAW(kind, generator, *args)``, a numpy array.  Not a function, so
    that the compiler runs it at run time (see the module docstring)."""

    def __call__(self, kind, generator, *args):
        rng = _generator(generator, kind).numpy_generator()
        return getattr(self, "_" + kind)(rng, *args)

    @staticmethod
    def _rand(rng, size, dtype):
        return rng.random(_size(size, "rand")).astype(_np(dtype, np.float32))

    @staticmethod
    def _randn(rng, size, dtype):
        return rng.standard_normal(_size(size, "randn")).astype(_np(dtype, np.float32))

    @staticmethod
    def _randint(rng, args, dtype):
        if len(args) not in (2, 3):
            raise TypeError("mint.randint(low=0, high, size, *, generator=None, dtype=None) "
                            "takes high and size, or low, high and size; got %d arguments"
                            % len(args))
        low, high = _low_high(args[:-1], "randint", "")
        if not isinstance(args[-1], (tuple, list)):
            raise TypeError("For 'randint', size must be a tuple or a list, got %s"
                            % type(args[-1]).__name__)
        return rng.integers(low, high, _size((args[-1],), "randint")).astype(
            _np(dtype, np.int64))

    @staticmethod
    def _rand_like(rng, like, dtype):
        return _like(rng, like, dtype, rng.random)

    @staticmethod
    def _randn_like(rng, like, dtype):
        return _like(rng, like, dtype, rng.standard_normal)

    @staticmethod
    def _randint_like(rng, args, dtype):
        if not args:
            raise TypeError("mint.randint_like(input, low=0, high, *, dtype=None) takes input "
                            "and high, or input, low and high")
        low, high = _low_high(args[1:], "randint_like", "input, ")
        return _like(rng, args[0], dtype, lambda shape: rng.integers(low, high, shape))

    @staticmethod
    def _randperm(rng, n, dtype):
        n = int(_array(n))
        if n < 0:
            raise ValueError("For 'randperm', n must be non-negative, but got %d" % n)
        return rng.permutation(n).astype(_np(dtype, np.int64))

    @staticmethod
    def _normal(rng, mean, std, size):
        m, s = _array(mean), _array(std)
        numbers = isinstance(mean, (int, float)) and isinstance(std, (int, float))
        if numbers and size is None:
            raise TypeError("For 'normal', size must be given when mean and std are numbers")
        if np.any(s < 0):
            raise ValueError("For 'normal', std must be non-negative, but got %s" % (s,))
        tensors = [a for v, a in ((mean, m), (std, s)) if not isinstance(v, (int, float))]
        dtype = np.result_type(*tensors) if tensors else np.dtype(np.float32)
        shape = np.broadcast_shapes(m.shape, s.shape) if size is None \
            else _size((size,), "normal")
        return (rng.standard_normal(shape) * s + m).astype(dtype)

    @staticmethod
    def _multinomial(rng, probs, num_samples, replacement):
        p, num_samples, replacement = _array(probs).astype(np.float64), int(num_samples), \
            bool(replacement)
        if p.ndim not in (1, 2):
            raise ValueError("For 'multinomial', input must be 1-D or 2-D, but got %d-D"
                             % p.ndim)
        rows = p.reshape(-1, p.shape[-1])
        if np.any(rows < 0) or not np.all(np.isfinite(rows)) or np.any(rows.sum(1) <= 0):
            raise ValueError("For 'multinomial', each row of input must be non-negative, "
                             "finite and have a positive sum")
        if not replacement and num_samples > int(np.min(np.count_nonzero(rows, 1))):
            raise ValueError("For 'multinomial', without replacement num_samples (%d) must "
                             "not exceed the number of non-zero categories of each row"
                             % num_samples)
        out = np.stack([rng.choice(r.size, num_samples, replace=replacement, p=r / r.sum())
                        for r in rows])
        return out.reshape(p.shape[:-1] + (num_samples,)).astype(np.int64)

    @staticmethod
    def _bernoulli(rng, probs):
        p = _array(probs)
        if np.any((p < 0) | (p > 1)):
            raise ValueError("For 'bernoulli', input (the probabilities) must be in [0, 1]")
        return (rng.random(p.shape) < p).astype(p.dtype)


_DRAW = _Draw()


def rand(*size, generator=None, dtype=None, device=None):
    """``mint.rand(*size, generator=None, dtype=None, device=None)``: uniform in [0, 1),
    float32 unless ``dtype``; ``size`` ints or one tuple/list."""
    return Tensor(_DRAW("rand", generator, size, dtype))


def randn(*size, generator=None, dtype=None, device=None):
    """``mint.randn(*size, generator=None, dtype=None, device=None)``: standard normal,
    float32 unless ``dtype``."""
    return Tensor(_DRAW("randn", generator, size, dtype))


def randint(*args, generator=None, dtype=None, device=None):
    """``mint.randint(low=0, high, size, *, generator=None, dtype=None, device=None)``:
    integers in ``[low, high)``, int64 unless ``dtype`` (``randint(high, size)`` or
    ``randint(low, high, size)``)."""
    return Tensor(_DRAW("randint", generator, args, dtype))


def rand_like(input, *, dtype=None, device=None):
    """``mint.rand_like(input, *, dtype=None, device=None)``: uniform in [0, 1) shaped as
    ``input``, its dtype unless ``dtype`` (from ``default_generator``)."""
    return Tensor(_DRAW("rand_like", None, ops.stop_gradient(input), dtype))


def randn_like(input, *, dtype=None, device=None):
    """``mint.randn_like(input, *, dtype=None, device=None)``: standard normal shaped as
    ``input``, its dtype unless ``dtype``."""
    return Tensor(_DRAW("randn_like", None, ops.stop_gradient(input), dtype))


def randint_like(*args, dtype=None, device=None):
    """``mint.randint_like(input, low=0, high, *, dtype=None, device=None)``: integers in
    ``[low, high)`` shaped as ``input``, its dtype unless ``dtype``."""
    return Tensor(_DRAW("randint_like", None, ops.stop_gradient(args), dtype))


def randperm(n, *, generator=None, dtype=mstype.int64):
    """``mint.randperm(n, *, generator=None, dtype=int64)``: a random permutation of
    ``range(n)``."""
    return Tensor(_DRAW("randperm", generator, ops.stop_gradient(n), dtype))


def normal(mean=0.0, std=1.0, size=None, generator=None):
    """``mint.normal(mean=0.0, std=1.0, size=None, generator=None)``: normal draws of mean
    ``mean`` and standard deviation ``std`` (numbers or Tensors, broadcast together; the
    Tensor's dtype); two numbers need ``size`` (then float32).  No gradient flows to
    ``mean`` or ``std`` (PyTorch's rule)."""
    return Tensor(_DRAW("normal", generator, ops.stop_gradient(mean),
                        ops.stop_gradient(std), size))


def multinomial(input, num_samples, replacement=False, *, generator=None):
    """``mint.multinomial(input, num_samples, replacement=False, *, generator=None)``:
    ``num_samples`` category indices per row of the 1-D or 2-D weights ``input`` (not
    normalized), int64; without ``replacement`` each category at most once per row."""
    return Tensor(_DRAW("multinomial", generator, ops.stop_gradient(input), num_samples,
                        replacement))


def bernoulli(input, *, generator=None):
    """``mint.bernoulli(input, *, generator=None)``: 1 with probability ``input``, else 0,
    in ``input``'s dtype."""
    return Tensor(_DRAW("bernoulli", generator, ops.stop_gradient(input)))
