"""Samplers: sharding a source over the processes of a data-parallel job
(``DistributedSampler`` and the ``num_shards`` / ``shard_id`` arguments of the sources), and
``SequentialSampler``, ``SubsetSampler``, ``RandomSampler``, ``SubsetRandomSampler``,
``WeightedRandomSampler``, ``PKSampler``, the user's ``Sampler`` subclasses and iterables
(the rows they pick measured on MindSpore 2.10; the random ones draw as MindSpore's
generators do under the seed, see :mod:`.config`).

Takes: :mod:`.config` (the pipeline seed).  Gives: :class:`DistributedSampler` and
:func:`sharding` (what a source's ``sampler`` / ``num_shards`` / ``shard_id`` arguments make).

MindSpore 2.10's split rule, measured (``NumpySlicesDataset(range(10), num_shards=3,
shard_id=k, shuffle=False)``): shard ``k`` reads rows ``k, k + n, k + 2n, ...`` and every shard
reads ``ceil(N / n)`` rows: the shards that come short take rows from the start again
(shard 1 of 3 reads ``[1, 4, 7, 0]``, shard 2 ``[2, 5, 8, 1]``), so that every rank runs the
same number of steps.  With ``offset >= 0`` (DistributedSampler only) row ``i`` goes to shard
``(i + offset) % n`` and nothing is padded.  ``num_samples`` caps a shard's rows.  Shuffled,
the rows are first permuted by one permutation that every rank draws alike from the pipeline
seed (``ds.config.set_seed`` / ``ms.set_seed``, and the epoch), then split by the same rule:
the shards stay disjoint (but for the padding) and the run is reproducible; the permutation is
not MindSpore's (another generator).
"""
from __future__ import annotations

import numpy as np

from . import config

__all__ = ["DistributedSampler", "SequentialSampler", "SubsetSampler", "RandomSampler",
           "SubsetRandomSampler", "WeightedRandomSampler", "PKSampler", "Sampler", "sharding"]

_MAX = 2147483647


def _check(num_shards, shard_id) -> None:
    for value, what in ((num_shards, "num_shards"), (shard_id, "shard_id")):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError("Argument %s with value %r is not of type [<class 'int'>], but got "
                            "%s." % (what, value, type(value)))
    if not 1 <= num_shards <= _MAX:
        raise ValueError("Input num_shards is not within the required interval of "
                         "[1, 2147483647].")
    if not 0 <= shard_id < num_shards:
        if shard_id < 0:
            raise ValueError("Input shard_id is not within the required interval of "
                             "[0, 2147483647].")
        raise ValueError("shard_id should be less than num_shards.")


class DistributedSampler:
    """MindSpore's ``ds.DistributedSampler(num_shards, shard_id, shuffle=True,
    num_samples=None, offset=-1)``: the rows of shard ``shard_id`` of ``num_shards`` (the rule
    is in the module docstring), passed to a source as ``sampler=``."""

    def __init__(self, num_shards, shard_id, shuffle=True, num_samples=None, offset=-1) -> None:
        _check(num_shards, shard_id)
        if not isinstance(shuffle, bool):
            raise TypeError("shuffle should be a boolean value, but got shuffle: %r."
                            % (shuffle,))
        if num_samples is not None and (isinstance(num_samples, bool) or num_samples < 0):
            raise ValueError("num_samples should be a positive integer value, but got "
                             "num_samples: %r." % (num_samples,))
        if offset != -1 and offset > num_shards:
            raise ValueError("offset should be no more than num_shards, but got offset: %r, "
                             "num_shards: %r." % (offset, num_shards))
        self.num_shards, self.shard_id = int(num_shards), int(shard_id)
        self.shuffle = shuffle
        self.num_samples = num_samples
        self.offset = int(offset)

    def indices(self, n: int, stage: int, epoch: int) -> np.ndarray:
        """The row indices (of ``n``) this shard reads in ``epoch``, in order."""
        # MindSpore's DistributedSampler: its RandomSampler's order from the seed plus one
        order = config.sampler_order(n, epoch, 1) if self.shuffle else np.arange(n)
        k, s = self.num_shards, self.shard_id
        if n == 0:
            return order
        if self.offset >= 0:
            picks = np.arange(n)[(np.arange(n) + self.offset) % k == s]
        else:
            count = -(-n // k)
            picks = (s + k * np.arange(count)) % n
        out = order[picks]
        if self.num_samples:
            out = out[:self.num_samples]
        return out

    def get_num_samples(self):
        """``num_samples`` as given (None: every row of the shard)."""
        return self.num_samples


def _num_samples(num_samples, cls: str):
    if num_samples is not None and (isinstance(num_samples, bool)
                                    or not isinstance(num_samples, (int, np.integer))
                                    or num_samples < 0):
        raise ValueError("For '%s', num_samples should be a non-negative integer value, but "
                         "got num_samples: %r." % (cls, num_samples))
    return None if not num_samples else int(num_samples)


class SequentialSampler:
    """MindSpore's ``ds.SequentialSampler(start_index=None, num_samples=None)``: rows
    ``start_index, start_index + 1, ...`` (at most ``num_samples``)."""

    def __init__(self, start_index=None, num_samples=None) -> None:
        if start_index is not None and (isinstance(start_index, bool) or start_index < 0):
            raise ValueError("For 'SequentialSampler', start_index should be a non-negative "
                             "integer, but got %r." % (start_index,))
        self.start_index = int(start_index or 0)
        self.num_samples = _num_samples(num_samples, "SequentialSampler")

    def indices(self, n: int, stage: int, epoch: int) -> np.ndarray:
        out = np.arange(min(self.start_index, n), n)
        return out[:self.num_samples] if self.num_samples else out

    def get_num_samples(self):
        return self.num_samples


class SubsetSampler:
    """MindSpore's ``ds.SubsetSampler(indices, num_samples=None)``: the rows ``indices``, in
    their order (repeats kept; at most ``num_samples``)."""

    def __init__(self, indices, num_samples=None) -> None:
        self.subset = [int(i) for i in indices]
        self.num_samples = _num_samples(num_samples, type(self).__name__)

    def _picked(self, n: int) -> np.ndarray:
        out = np.asarray(self.subset, np.int64)
        bad = [i for i in self.subset if not 0 <= i < n]
        if bad:
            raise RuntimeError("%s: Sample ID (%d) is out of bound, expected range [0, %d]"
                               % (type(self).__name__, bad[0], n - 1))
        return out

    def indices(self, n: int, stage: int, epoch: int) -> np.ndarray:
        out = self._picked(n)
        return out[:self.num_samples] if self.num_samples else out

    def get_num_samples(self):
        return self.num_samples


class SubsetRandomSampler(SubsetSampler):
    """MindSpore's ``ds.SubsetRandomSampler(indices, num_samples=None)``: the first
    ``num_samples`` of ``indices`` in a random order each epoch (MindSpore's order)."""

    def indices(self, n: int, stage: int, epoch: int) -> np.ndarray:
        # MindSpore 2.10 (measured): the first num_samples ids, shuffled by std::shuffle
        # with the seed; each later epoch the previous order shuffled again, same seed
        out = self._picked(n)
        if self.num_samples:
            out = out[:self.num_samples]
        perm = config.sampler_order(len(out), 0)
        for _ in range(epoch + 1):
            out = out[perm]
        return out


class RandomSampler:
    """MindSpore's ``ds.RandomSampler(replacement=False, num_samples=None)``: the rows in a
    random order each epoch (``replacement=True``: drawn with replacement), at most
    ``num_samples``; both as MindSpore 2.10 draws them under a seed."""

    def __init__(self, replacement=False, num_samples=None) -> None:
        if not isinstance(replacement, bool):
            raise TypeError("For 'RandomSampler', replacement should be a boolean value, but "
                            "got %r." % (replacement,))
        self.replacement = replacement
        self.num_samples = _num_samples(num_samples, "RandomSampler")

    def indices(self, n: int, stage: int, epoch: int) -> np.ndarray:
        count = self.num_samples or n
        if self.replacement:
            return config.sampler_draws(n, count, epoch)
        return config.sampler_order(n, epoch)[:count]

    def get_num_samples(self):
        return self.num_samples


class WeightedRandomSampler:
    """MindSpore's ``ds.WeightedRandomSampler(weights, num_samples=None, replacement=True)``:
    ``num_samples`` (default ``len(weights)``) row ids drawn by weight from the first
    ``len(weights)`` rows, as MindSpore 2.10 draws them under the seed (the same every
    epoch)."""

    def __init__(self, weights, num_samples=None, replacement=True) -> None:
        w = np.asarray(weights, np.float64)
        if w.ndim != 1 or not len(w) or np.any(w < 0) or not w.sum() > 0:
            raise ValueError("WeightedRandomSampler: weights must be a non-empty list of "
                             "non-negative numbers, not all zero; got %r" % (weights,))
        if not isinstance(replacement, bool):
            raise TypeError("WeightedRandomSampler: replacement should be a boolean value, "
                            "but got %r." % (replacement,))
        self.weights, self.replacement = w, replacement
        self.num_samples = _num_samples(num_samples, "WeightedRandomSampler")

    def indices(self, n: int, stage: int, epoch: int) -> np.ndarray:
        count = self.num_samples or len(self.weights)
        if not self.replacement:
            count = min(count, int(np.count_nonzero(self.weights)))
        return config.weighted_draws(self.weights, count, self.replacement)

    def get_num_samples(self):
        return self.num_samples


class PKSampler:
    """MindSpore's ``ds.PKSampler(num_val, num_class=None, shuffle=False,
    class_column='label', num_samples=None)``: ``num_val`` rows of each class (drawn
    uniformly, with replacement, as MindSpore 2.10 draws them under the seed), the classes
    in sorted order (shuffled with ``shuffle``), at most ``num_samples``.  ``num_class`` is
    refused (MindSpore does not support it either)."""

    def __init__(self, num_val, num_class=None, shuffle=False, class_column="label",
                 num_samples=None) -> None:
        if num_class is not None:
            raise NotImplementedError("PKSampler: num_class is not supported (nor by "
                                      "MindSpore 2.10); leave it None")
        if isinstance(num_val, bool) or not isinstance(num_val, (int, np.integer)) \
                or num_val <= 0:
            raise ValueError("PKSampler: num_val must be a positive int; got %r" % (num_val,))
        self.num_val, self.shuffle = int(num_val), bool(shuffle)
        self.class_column = class_column
        self.num_samples = _num_samples(num_samples, "PKSampler")
        self._labels = None

    def bind(self, labels) -> None:
        """The class of every row of the source (what the source reads for it)."""
        self._labels = np.asarray(labels).reshape(len(labels), -1)[:, 0]

    def indices(self, n: int, stage: int, epoch: int) -> np.ndarray:
        if self._labels is None:
            raise RuntimeError("PKSampler needs a source that reads its %r column "
                               "(MnistDataset, Cifar10Dataset, ImageFolderDataset ...)"
                               % (self.class_column,))
        classes = np.unique(self._labels)
        groups = [np.nonzero(self._labels == c)[0] for c in classes]
        count = self.num_val * len(groups)
        if self.num_samples:
            count = min(count, self.num_samples)
        return config.pk_draws(groups, self.num_val, count, self.shuffle, epoch)

    def get_num_samples(self):
        return self.num_samples


class Sampler:
    """MindSpore's ``ds.Sampler(num_samples=None)``, the base of a user's sampler: its
    ``__iter__`` gives the row ids of an epoch (called each epoch; ``self.dataset_size`` is
    the source's row count), at most ``num_samples``."""

    def __init__(self, num_samples=None) -> None:
        self.num_samples = _num_samples(num_samples, "Sampler")
        self.dataset_size = 0

    def __iter__(self):
        raise NotImplementedError("a Sampler subclass defines __iter__ (the row ids it gives)")

    def indices(self, n: int, stage: int, epoch: int) -> np.ndarray:
        self.dataset_size = n
        out = np.array([int(i) for i in iter(self)], dtype=np.int64)
        count = getattr(self, "num_samples", None)
        return out[:count] if count else out

    def get_num_samples(self):
        return getattr(self, "num_samples", None)


class _IterSampler(Sampler):
    """Any other iterable passed as ``sampler`` (an object with ``__getitem__`` and
    ``__len__``, a generator function's object ...): its ids, read afresh each epoch
    (MindSpore's IterSampler)."""

    def __init__(self, source, num_samples=None) -> None:
        super().__init__(num_samples)
        self.source = source

    def __iter__(self):
        return iter(self.source)


_SAMPLERS = (DistributedSampler, SequentialSampler, SubsetSampler, RandomSampler,
             WeightedRandomSampler, PKSampler, Sampler)


def sharding(name: str, sampler, num_shards, shard_id, shuffle):
    """The sampler a source's arguments ask for, or None: ``num_shards`` and ``shard_id``
    together (MindSpore's ``ValueError`` otherwise) make a :class:`DistributedSampler` with
    the source's ``shuffle``; ``sampler=`` one of this module's samplers; others are
    refused."""
    if (num_shards is None) != (shard_id is None):
        raise ValueError("num_shards and shard_id need to be passed in together.")
    if sampler is not None:
        if num_shards is not None:
            raise RuntimeError("sampler and num_shards/shard_id cannot be given together: "
                               "put the sharding in the sampler or leave sampler out")
        if isinstance(sampler, (list, tuple, np.ndarray)):
            sampler = SubsetSampler(sampler)  # (MindSpore's select_sampler)
        elif isinstance(sampler, (int, np.integer)) and not isinstance(sampler, bool):
            sampler = SubsetSampler([sampler])
        elif not isinstance(sampler, _SAMPLERS) and (hasattr(sampler, "__iter__")
                                                       or hasattr(sampler, "__getitem__")):
            sampler = _IterSampler(sampler)
        if isinstance(sampler, PKSampler) and name in ("GeneratorDataset",
                                                        "NumpySlicesDataset"):
            raise ValueError("GeneratorDataset doesn't support PKSampler.")  # (MindSpore's)
        if not isinstance(sampler, _SAMPLERS):
            raise NotImplementedError("%s: sampler %s is not supported by autograd_st; use "
                                      "ds.DistributedSampler, SequentialSampler, "
                                      "SubsetSampler, RandomSampler or SubsetRandomSampler, "
                                      "or shuffle= and num_samples="
                                      % (name, type(sampler).__name__))
        if shuffle is not None:
            raise RuntimeError("sampler and shuffle cannot be specified at the same time.")
        return sampler
    if num_shards is None:
        return None
    _check(num_shards, shard_id)
    return DistributedSampler(num_shards, shard_id, True if shuffle is None else bool(shuffle))
