"""``mindspore.dataset.config``: the dataset pipelines' seed.

Takes: nothing from the package (numpy only), so a global seed setter on any floor
(``mindspore.set_seed``) can call :func:`set_seed` here.
Gives: :func:`set_seed` / :func:`get_seed` (MindSpore's names) and :func:`generator`, the
numpy Generator a shuffling stage draws from.

Every random choice of a pipeline (the order of ``shuffle=True`` sources, ``.shuffle``'s
buffer) comes from ``numpy.random.default_rng((seed, stage, epoch))``: the seed set here,
the stage's place in its pipeline and the epoch.  So a pipeline gives the same order in
every run and every new iterator, and ``set_seed`` changes the order of the iterators
created after it.  MindSpore's default seed is 5489 as here, but unseeded MindSpore shuffles
differently in each run; its orders under a seed are its own (a C++ generator), not these.
"""
from __future__ import annotations

import numpy as np

__all__ = ["set_seed", "get_seed", "generator", "seed_sets", "DEFAULT_SEED"]

DEFAULT_SEED = 5489  # MindSpore's ds.config.get_seed() before any set_seed
_SEED = [DEFAULT_SEED]
_SETS = [0]  # how many times set_seed ran: random transforms restart their draws after it


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


def get_seed() -> int:
    """MindSpore's ``ds.config.get_seed()``."""
    return _SEED[0]


def seed_sets() -> int:
    """How many times :func:`set_seed` has run (a random transform restarts its stream of
    draws when this changes, so ``set_seed(s)`` makes its next draws the same again)."""
    return _SETS[0]


def generator(stage: int, epoch: int) -> np.random.Generator:
    """A fresh numpy Generator for one stage of a pipeline in one epoch."""
    return np.random.default_rng((_SEED[0], stage, epoch))
