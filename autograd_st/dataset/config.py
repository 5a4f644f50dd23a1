"""``mindspore.dataset.config``: the dataset pipelines' seed, and MindSpore's shuffles.

Takes: nothing from the package (numpy only), so a global seed setter on any floor
(``mindspore.set_seed``) can call :func:`set_seed` here.
Gives: :func:`set_seed` / :func:`get_seed` (MindSpore's names); :func:`sampler_order` and
:class:`BufferShuffle`, the orders MindSpore 2.10's own generators give; and
:func:`generator`, a numpy Generator for the random choices that are not MindSpore's.

The order of a ``shuffle=True`` source (and of ``RandomSampler``, ``SubsetRandomSampler``,
``split(randomize=True)`` and, from the seed plus one, ``DistributedSampler``) is MindSpore's
RandomSampler's: the row ids shuffled by
libstdc++'s ``std::shuffle`` driven by ``std::mt19937`` seeded with the seed, then each
later epoch the previous order shuffled again with the seed plus the epoch.  Sampling with
replacement (``RandomSampler(replacement=True)``, and ``shuffle=True`` with ``num_samples``,
which MindSpore maps to it) draws ``uniform_int_distribution`` from that generator, seeded
with the seed plus the epoch (:func:`sampler_draws`).
``.shuffle(buffer_size)`` is MindSpore's ShuffleOp: a buffer of rows, each output row the
one at ``mt19937_64() % rows held``, its slot refilled; the generator is seeded once per
iterator and runs on through the epochs.  Measured against MindSpore 2.10 under several
seeds, sizes (to 70,000 rows) and epochs: the same orders
(tests/ms_cases/cases/data_shuffle_orders.py).  MindSpore's default seed is 5489 as here,
but unseeded MindSpore draws a new seed each run; here 5489 is used as a seed.  Other
random choices (the file sources' shuffles) draw from
``numpy.random.default_rng((seed, stage, epoch))``: reproducible, not MindSpore's.
"""
from __future__ import annotations

import os
import random

import numpy as np

from ..ms_random import StdMT19937

__all__ = ["set_seed", "get_seed", "generator", "seed_sets", "DEFAULT_SEED", "sampler_order",
           "sampler_draws", "weighted_draws", "pk_draws", "std_shuffle", "build_seed",
           "BufferShuffle", "set_num_parallel_workers", "get_num_parallel_workers",
           "set_numa_enable", "get_numa_enable"]

DEFAULT_SEED = 5489  # MindSpore's ds.config.get_seed() before any set_seed
_SEED = [DEFAULT_SEED]
_SETS = [0]  # how many times set_seed ran: random transforms restart their draws after it
_UNSEEDED: list = [None]  # the stream of seeds an op is built with while the seed is 5489


def set_seed(seed) -> None:
    """MindSpore's ``ds.config.set_seed(seed)``: the seed of the iterators created after it.

    A global seed setter (``mindspore.set_seed``, which sets this seed too in MindSpore)
    calls this function."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or \
            not 0 <= int(seed) <= 2 ** 32 - 1:
        raise ValueError("Input seed is not within the required interval of [0, 4294967295]; "
                         "got %r." % (seed,))
    _SEED[0] = int(seed)
    _SETS[0] += 1
    _UNSEEDED[0] = None  # (the stream of seeds of unseeded ops starts again)
    random.seed(int(seed))
    np.random.seed(int(seed))


def get_seed() -> int:
    """MindSpore's ``ds.config.get_seed()``."""
    return _SEED[0]


def build_seed() -> int:
    """MindSpore's ``GetSeed()``, the seed a random op is built with: the dataset seed, or,
    while it is the default 5489 (set or not), a new seed for each op (MindSpore draws one
    from /dev/urandom; here the next output of ``std::mt19937(5489)``, started again by
    ``set_seed``: augmentations vary from op to op, and a run repeats)."""
    if _SEED[0] != DEFAULT_SEED:
        return _SEED[0]
    if _UNSEEDED[0] is None:
        _UNSEEDED[0] = StdMT19937(DEFAULT_SEED)
    return _UNSEEDED[0]()


def seed_sets() -> int:
    """How many times :func:`set_seed` has run (a random transform restarts its stream of
    draws when this changes, so ``set_seed(s)`` makes its next draws the same again)."""
    return _SETS[0]


_CPUS = os.cpu_count() or 1
_WORKERS = [min(8, _CPUS)]  # MindSpore's default: 8, at most the machine's cores


def set_num_parallel_workers(num) -> None:
    """MindSpore's ``ds.config.set_num_parallel_workers(num)``: the default number of workers
    of ``map`` (its random transforms seed one copy per worker: see :mod:`.op_draws`)."""
    if isinstance(num, bool) or not isinstance(num, (int, np.integer)):
        raise TypeError("num isn't of type int.")
    if not 1 <= int(num) <= _CPUS:
        raise ValueError("Invalid Parameter, num_parallel_workers exceeds the boundary between "
                         "1 and %d, as got %d." % (_CPUS, int(num)))
    _WORKERS[0] = int(num)


def get_num_parallel_workers() -> int:
    """MindSpore's ``ds.config.get_num_parallel_workers()``: 8 or the machine's cores if fewer,
    until ``set_num_parallel_workers``."""
    return _WORKERS[0]


_NUMA = [False]


def set_numa_enable(numa_enable) -> None:
    """MindSpore's ``ds.config.set_numa_enable(numa_enable)`` (cv/fcn8s calls it): binds
    MindSpore's dataset threads to NUMA nodes, a speed setting; here one process computes the
    rows, so it is recorded (``get_numa_enable``) and changes nothing else."""
    if not isinstance(numa_enable, bool):
        raise TypeError("numa_enable must be a boolean dtype.")
    _NUMA[0] = numa_enable


def get_numa_enable() -> bool:
    """MindSpore's ``ds.config.get_numa_enable()``: False until ``set_numa_enable(True)``."""
    return _NUMA[0]


def generator(stage: int, epoch: int) -> np.random.Generator:
    """A fresh numpy Generator for one stage of a pipeline in one epoch."""
    return np.random.default_rng((_SEED[0], stage, epoch))


# ---------------------------------------------------------------------------------------
# MindSpore's generators: std::mt19937 (32 bits) through libstdc++'s std::shuffle, and
# std::mt19937_64
# ---------------------------------------------------------------------------------------

_U32 = 0xFFFFFFFF


def std_shuffle(ids: list, g: StdMT19937) -> None:
    """libstdc++'s ``std::shuffle(ids.begin(), ids.end(), g)``, in place: two swaps per draw
    while the generator's range allows it (up to 65,535 ids), else one."""
    n = len(ids)
    if n < 2:
        return
    if getattr(g, "urange", _U32) // n >= n:
        i = 1
        if n % 2 == 0:
            j = g.below(2)
            ids[1], ids[j] = ids[j], ids[1]
            i = 2
        while i != n:
            r = i + 1
            x = g.below(r * (r + 1))
            j, k = divmod(x, r + 1)
            ids[i], ids[j] = ids[j], ids[i]
            ids[i + 1], ids[k] = ids[k], ids[i + 1]
            i += 2
        return
    for i in range(1, n):
        j = g.below(i + 1)
        ids[i], ids[j] = ids[j], ids[i]


class MinstdRand0:
    """libstdc++'s ``std::default_random_engine`` (``minstd_rand0``: x = x * 16807 mod
    2**31 - 1, seed 0 taken as 1) with ``below`` as ``uniform_int_distribution`` draws from
    it (its range is 2**31 - 3 wide)."""

    urange = 2147483645

    def __init__(self, seed: int) -> None:
        seed %= 2147483647
        self._x = seed or 1

    def below(self, bound: int) -> int:
        scaling = self.urange // bound
        past = bound * scaling
        while True:
            self._x = self._x * 16807 % 2147483647
            r = self._x - 1
            if r < past:
                return r // scaling


def minstd_order(n: int, seed: int) -> list:
    """``range(n)`` shuffled by ``std::shuffle`` with ``std::default_random_engine(seed)``
    (MindSpore 2.10's MindDataset shuffles: seed = the dataset seed + 1 + the epoch)."""
    ids = list(range(n))
    std_shuffle(ids, MinstdRand0(seed & _U32))
    return ids


_ORDERS: dict = {}  # (seed, n) -> [the order of epoch 0, of epoch 1, ...]


def sampler_order(n: int, epoch: int, offset: int = 0) -> np.ndarray:
    """The row ids MindSpore's RandomSampler reads in ``epoch`` (0 the first) for ``n`` rows
    under the current seed (plus ``offset``: 1 for its DistributedSampler, whose first
    shuffle draws from the seed plus one)."""
    seed = _SEED[0] + offset
    key = (seed, n)
    orders = _ORDERS.get(key)
    if orders is None:
        if len(_ORDERS) > 64:
            _ORDERS.clear()
        orders = _ORDERS[key] = []
    while len(orders) <= epoch:
        ids = list(orders[-1]) if orders else list(range(n))
        std_shuffle(ids, StdMT19937((seed + len(orders)) & _U32))
        orders.append(np.array(ids, dtype=np.int64))
    return orders[epoch]


def sampler_draws(n: int, count: int, epoch: int) -> np.ndarray:
    """The row ids MindSpore's RandomSampler(replacement=True) reads in ``epoch`` for ``n``
    rows: ``count`` draws of ``std::uniform_int_distribution(0, n - 1)`` from
    ``std::mt19937`` seeded with the seed plus the epoch (measured in MindSpore 2.10)."""
    if not n:
        return np.arange(0)
    g = StdMT19937((_SEED[0] + epoch) & _U32)
    return np.array([g.below(n) for _ in range(count)], dtype=np.int64)


def _canonical(g: StdMT19937) -> float:
    """libstdc++'s ``generate_canonical<double, 53>(g)`` for ``std::mt19937``: two draws."""
    low = g()
    return (low + g() * 4294967296.0) / 18446744073709551616.0


def weighted_draws(weights, count: int, replacement: bool) -> np.ndarray:
    """MindSpore's WeightedRandomSampler (the same ids every epoch, measured in MindSpore
    2.10): with replacement ``std::discrete_distribution`` (the cumulative probabilities,
    the last set to one, searched with a canonical double); without, each row keyed by
    ``std::exponential_distribution(1)`` over its weight, the smallest keys first."""
    g = StdMT19937(_SEED[0] & _U32)
    w = np.asarray(weights, np.float64)
    if replacement:
        cp = np.cumsum(w / w.sum())
        cp[-1] = 1.0
        return np.array([int(np.searchsorted(cp, _canonical(g), "left"))
                         for _ in range(count)], dtype=np.int64)
    keys = []
    for x in w:
        e = -np.log(1.0 - _canonical(g))
        keys.append(e / x if x > 0 else np.inf)
    return np.argsort(np.array(keys), kind="stable")[:count].astype(np.int64)


def pk_draws(groups: list, per_class: int, count: int, shuffle: bool, epoch: int):
    """MindSpore's PKSampler: the classes (``groups``: each class's row ids, classes in
    sorted order) shuffled once by ``std::mt19937`` seeded with the seed when ``shuffle``,
    then ``per_class`` rows of each class, each drawn uniformly (with replacement) from a
    generator seeded with the seed plus the epoch (measured in MindSpore 2.10)."""
    g = StdMT19937(_SEED[0] & _U32)
    order = list(range(len(groups)))
    if shuffle:
        std_shuffle(order, g)
    if epoch:
        g = StdMT19937((_SEED[0] + epoch) & _U32)
    out = []
    for k in range(count):
        ids = groups[order[k // per_class]]
        out.append(ids[g.below(len(ids))])
    return np.array(out, dtype=np.int64)


_M64 = (1 << 64) - 1


class _MT64:
    """``std::mt19937_64(seed)``."""

    def __init__(self, seed: int) -> None:
        mt = [seed & _M64]
        for i in range(1, 312):
            mt.append((6364136223846793005 * (mt[-1] ^ (mt[-1] >> 62)) + i) & _M64)
        self._mt, self._i = mt, 312

    def _twist(self) -> None:
        mt = self._mt
        for i in range(312):
            x = (mt[i] & 0xFFFFFFFF80000000) | (mt[(i + 1) % 312] & 0x7FFFFFFF)
            mt[i] = mt[(i + 156) % 312] ^ (x >> 1) ^ (0xB5026F5AA96619E9 if x & 1 else 0)
        self._i = 0

    def __call__(self) -> int:
        if self._i == 312:
            self._twist()
        x = self._mt[self._i]
        self._i += 1
        x ^= (x >> 29) & 0x5555555555555555
        x ^= (x << 17) & 0x71D67FFFEDA60000
        x ^= (x << 37) & 0xFFF7EEE000000000
        return (x ^ (x >> 43)) & _M64


class BufferShuffle:
    """MindSpore's ShuffleOp (``dataset.shuffle(buffer_size)``) for one iterator: its
    generator is seeded when the iterator starts and runs on through the epochs."""

    def __init__(self, buffer_size: int) -> None:
        self.size = buffer_size
        self._rng = _MT64(_SEED[0])

    def rows(self, rows):
        """``rows`` (one epoch's) in the shuffled order."""
        size, rng = self.size, self._rng
        it = iter(rows)
        buf = []
        for row in it:
            buf.append(row)
            if len(buf) == size:
                break
        active = len(buf) == size
        last = len(buf) - 1
        while last >= 0:
            k = rng() % (last + 1)
            yield buf[k]
            if k != last:
                buf[k] = buf[last]
            if active:
                row = next(it, None)
                if row is None:
                    active = False
                else:
                    buf[last] = row
            if not active:
                last -= 1
