"""MindSpore's draws for its random transforms: the generator each op holds, and how an eager
call and a ``map`` pipeline seed it.

Takes: :mod:`.config` (the seed, the worker count, libstdc++'s ``std::shuffle``) and
:class:`autograd_st.ms_random.StdMT19937`.  Gives: :class:`OpGenerator` (the distributions
the C++ kernels draw), :class:`SeededOp` (the base of the transforms whose draws are
MindSpore's), :class:`DrawScope` (which generator an op in a given place draws from),
:func:`map_draws` and the per-iterator :class:`Run` that holds a ``map``'s generators.

What MindSpore 2.10 does (its ``RandomTensorOp``, ``MapOp`` and ``util/random.h``; each point
measured against it, tests/ms_cases/cases/rv_*.py):

- a random op holds one ``std::mt19937``, seeded when the op is built with the dataset seed
  (``ds.config.set_seed``, or ``mindspore.set_seed``); while the seed is the default 5489
  MindSpore seeds each op it builds from ``/dev/urandom`` instead (not reproducible); here
  each gets the next of a stream of seeds (:func:`config.build_seed`: the ops still differ
  from build to build, and a run repeats);
- an eager call (``vision.RandomCrop(8)(img)``) builds the op again, so every eager call
  draws the generator's first numbers: the same crop each call under one seed;
- ``map`` builds its ops once per iterator and per worker: worker ``w`` of
  ``num_parallel_workers`` (default ``ds.config.get_num_parallel_workers()``, at most 8 and
  the machine's cores) seeds its copy with the seed (read when the iterator is created) plus
  ``w``; the rows go to the workers in turn, and each end of an epoch (or of a ``repeat``
  pass) takes one turn too; the generators run on through the iterator's epochs, and a new
  iterator starts them again.  Every op of a map (a ``Compose`` is flattened into its
  transforms) draws from its own generator, so two of them draw the same numbers;
- the transforms inside ``RandomApply`` / ``RandomChoice`` are built with their parent,
  seeded with the seed (not plus the worker).
"""
from __future__ import annotations

import math
from typing import Optional, Tuple

import numpy as np

from ..ms_random import StdMT19937
from . import config

__all__ = ["OpGenerator", "SeededOp", "DrawScope", "eager_scope", "Run", "current_run",
           "map_draws", "flatten", "Composed", "std_round"]

_U32 = 0xFFFFFFFF
_F32 = np.float32


def std_round(x) -> int:
    """C's ``std::round``: halves away from zero (Python's ``round`` takes them to even)."""
    x = float(x)
    r = math.floor(abs(x))
    if abs(x) - r >= 0.5:
        r += 1
    return int(math.copysign(r, x))


class OpGenerator:
    """The ``std::mt19937`` a MindSpore random op holds, and the libstdc++ distributions
    (GCC 7's, as MindSpore 2.10 is built) its kernels draw from it."""

    def __init__(self, seed: int) -> None:
        self.mt = StdMT19937(seed & _U32)

    def canonical(self) -> float:
        """``generate_canonical<double, 53>``: two outputs, the low one first."""
        mt = self.mt
        low = mt()
        v = (low + mt() * 4294967296.0) / 18446744073709551616.0
        return v if v < 1.0 else math.nextafter(1.0, 0.0)

    def bernoulli(self, p: float) -> bool:
        """``std::bernoulli_distribution(p)``: a canonical double below ``p``."""
        return self.canonical() < p

    def uniform_double(self, a: float, b: float) -> float:
        """``std::uniform_real_distribution<double>(a, b)``."""
        return self.canonical() * (b - a) + a

    def uniform_float(self, a, b) -> np.float32:
        """``std::uniform_real_distribution<float>(a, b)``: one output as a float in [0, 1)
        (rounded to 24 bits), times ``b - a`` plus ``a``, in float32."""
        a, b = _F32(a), _F32(b)
        u = _F32(self.mt()) / _F32(4294967296.0)
        if u >= 1:
            u = np.nextafter(_F32(1), _F32(0))
        return _F32(u * (b - a)) + a

    def uniform_int(self, a: int, b: int) -> int:
        """``std::uniform_int_distribution(a, b)`` (``b >= a``; one output even when a == b)."""
        return a + self.mt.below(b - a + 1)

    def shuffle(self, items: list) -> None:
        """``std::shuffle(items.begin(), items.end(), mt)``, in place."""
        config.std_shuffle(items, self.mt)


class DrawScope:
    """The generators of one built copy of a map's ops (or of one eager call): the op at
    ``path`` (its place: ``(i,)`` the i-th op of the map, ``(i, j)`` the j-th transform
    inside it) draws from ``generator(path)``, made on first use, seeded with ``top`` for
    the map's own ops and ``inner`` for the transforms inside them (None: each with the
    seed it is built with, :func:`config.build_seed`)."""

    def __init__(self, top: Optional[int], inner: Optional[int]) -> None:
        self.top, self.inner = top, inner
        self._gens: dict = {}

    def generator(self, path: tuple) -> OpGenerator:
        g = self._gens.get(path)
        if g is None:
            seed = self.top if len(path) == 1 else self.inner
            g = self._gens[path] = OpGenerator(config.build_seed() if seed is None else seed)
        return g


def eager_scope() -> DrawScope:
    """The generators of an eager call: each op built now, with its seed."""
    return DrawScope(None, None)


class SeededOp:
    """A transform whose draws are MindSpore's: ``_run(scope, path, *args)`` computes it
    with the generator ``scope.generator(path)``; calling it eagerly uses a fresh scope."""

    def __call__(self, *args):
        return self._run(eager_scope(), (0,), *args)

    def _run(self, scope: DrawScope, path: tuple, *args):
        raise NotImplementedError


def run_op(op, scope: DrawScope, path: tuple, args: tuple):
    """``op`` on ``args`` at ``path`` of ``scope`` (a plain callable: called as it is)."""
    if isinstance(op, SeededOp):
        return op._run(scope, path, *args)
    return op(*args)


class Composed:
    """A sequence of transforms that ``map`` flattens into its own list (``Compose``)."""

    transforms: list = []


def flatten(operations: list) -> list:
    """``operations`` with every :class:`Composed` replaced by its transforms, as MindSpore's
    ``map`` does (so each of them is seeded as an op of the map)."""
    out: list = []
    for op in operations:
        out.extend(flatten(list(op.transforms)) if isinstance(op, Composed) else [op])
    return out


class MapDraws:
    """One ``map``'s generators in one iterator: a :class:`DrawScope` per worker, and the
    turn of the next row."""

    def __init__(self, seed: int, inner: Optional[int], workers: int) -> None:
        self.scopes = [DrawScope(seed + w, inner) for w in range(workers)]
        self.turn = 0

    def next_scope(self) -> DrawScope:
        scope = self.scopes[self.turn % len(self.scopes)]
        self.turn += 1
        return scope

    def end_pass(self) -> None:
        """The end of an epoch (or of a repeat's pass) takes a worker's turn, as MindSpore
        sends it to the next worker."""
        self.turn += 1


class Run:
    """What one iterator holds while it runs: the seed it was created under and the state of
    its stages (a map's generators), so a second iterator, or a look at the dataset's
    shapes, starts its own."""

    def __init__(self) -> None:
        self._seed: Optional[int] = config.get_seed()  # (read as the iterator is created)
        self.states: dict = {}

    @property
    def seed(self) -> Optional[int]:
        """The dataset seed as the iterator was created."""
        return self._seed

    def map_seeds(self) -> Tuple[int, Optional[int]]:
        """The seeds a map this run builds takes: its base seed (the workers add theirs)
        and its inner transforms' (None: one each), MindSpore's ``GetSeed()`` as the
        iterator was created (a new one for each while the seed is 5489)."""
        if self._seed == config.DEFAULT_SEED:
            return config.build_seed(), None
        return self._seed, self._seed  # type: ignore[return-value]


_CURRENT: list = [None]


def current_run() -> Optional[Run]:
    """The run whose rows are being computed (None outside any iterator)."""
    return _CURRENT[0]


def enter(run: Optional[Run]) -> Optional[Run]:
    """Make ``run`` current; returns the one it replaces (give it to :func:`enter` after)."""
    previous, _CURRENT[0] = _CURRENT[0], run
    return previous


def map_draws(stage, workers: Optional[int]) -> MapDraws:
    """The generators of ``stage`` (a map) in the current run; made when the run first
    reaches it (outside a run: fresh ones, for a single look)."""
    run = current_run()
    if run is None:
        run = Run()
    draws = run.states.get(id(stage))
    if draws is None:
        n = config.get_num_parallel_workers() if workers is None else int(workers)
        base, inner = run.map_seeds()
        draws = run.states[id(stage)] = MapDraws(base, inner, max(1, n))
    return draws
