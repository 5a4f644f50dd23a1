"""``mindspore.Generator``, ``default_generator``, ``manual_seed``, ``seed``, ``initial_seed``,
``get_rng_state`` and ``set_rng_state``.

Takes: seeds and states.  Gives: numpy generators for random operations that take a
``generator`` (``mint.rand(..., generator=g)``, MindSpore's generator-based ops).

A generator is a seed and an offset, as MindSpore's is: its state is a uint8 Tensor of 16
bytes, the seed then the offset, little-endian (MindSpore's layout, measured on 2.10).  Each
draw is made by a numpy Philox generator keyed by the seed whose counter starts at the
offset (in its top word, so no two draws overlap), and the offset moves on by one; so
``set_state(get_state())`` replays the same numbers.  The numbers are not MindSpore's (its
Philox kernels differ); shapes, dtypes, ranges and reproducibility are.  ``mindspore.set_seed``
does not reseed ``default_generator`` in MindSpore 2.10 (measured), nor here.
"""
from __future__ import annotations

import secrets

import numpy as np

from .tensor import Tensor

__all__ = ["Generator", "default_generator", "manual_seed", "seed", "initial_seed",
           "get_rng_state", "set_rng_state"]

_MASK = (1 << 64) - 1


class Generator:
    """MindSpore's ``mindspore.Generator()``: a seed (0 at first) and an offset."""

    def __init__(self) -> None:
        self._seed = 0
        self._offset = 0

    def manual_seed(self, seed: int) -> "Generator":
        """Sets the seed (an int; ``TypeError`` otherwise) and restarts the offset; returns the
        generator."""
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise TypeError("Seed must be an integer.")
        self._seed = seed & _MASK
        self._offset = 0
        return self

    def seed(self) -> int:
        """Seeds the generator from a random number and returns that seed."""
        value = secrets.randbits(31)
        self.manual_seed(value)
        return value

    def initial_seed(self) -> int:
        """The seed set last."""
        return self._seed

    def get_state(self) -> Tensor:
        """The state: a uint8 Tensor of 16 bytes, seed then offset (MindSpore's layout)."""
        raw = np.array([self._seed, self._offset], dtype="<u8").view(np.uint8)
        return Tensor(raw.copy())

    def set_state(self, state) -> "Generator":
        """Restores a state :meth:`get_state` gave (a uint8 Tensor of 16 bytes)."""
        if not isinstance(state, Tensor):
            raise TypeError("Generator.set_state: the state must be a uint8 Tensor of 16 "
                            "bytes (what get_state returns), got %s" % type(state).__name__)
        raw = np.ascontiguousarray(state.asnumpy())
        if raw.dtype != np.uint8 or raw.size != 16:
            raise ValueError("Generator.set_state: the state must be a uint8 Tensor of 16 "
                             "bytes (what get_state returns), got %s of shape %s"
                             % (raw.dtype, raw.shape))
        self._seed, self._offset = (int(v) for v in raw.reshape(16).view("<u8"))
        return self

    def numpy_generator(self) -> np.random.Generator:
        """A numpy generator for one draw; the offset moves on by one."""
        counter = [0, 0, 0, self._offset]
        self._offset = (self._offset + 1) & _MASK
        return np.random.Generator(np.random.Philox(key=self._seed, counter=counter))


default_generator = Generator()
"""The generator random operations use when they are given none."""


def manual_seed(seed: int) -> None:
    """``mindspore.manual_seed(seed)``: seeds :data:`default_generator`."""
    default_generator.manual_seed(seed)


def seed() -> int:
    """``mindspore.seed()``: seeds :data:`default_generator` from a random number, returned."""
    return default_generator.seed()


def initial_seed() -> int:
    """``mindspore.initial_seed()``: :data:`default_generator`'s seed."""
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    """``mindspore.get_rng_state()``: :data:`default_generator`'s state."""
    return default_generator.get_state()


def set_rng_state(state) -> None:
    """``mindspore.set_rng_state(state)``: restores :data:`default_generator`'s state."""
    default_generator.set_state(state)
