"""``mindspore.dataset.DatasetCache``: the handle of a session of MindSpore's cache server
(``dataset-cache``), given as ``cache=`` to a source dataset or to ``map``.

Takes: nothing.  Gives: ``DatasetCache``.  autograd_st has no cache server: a pipeline with a
cache computes its rows as without one, which gives the values MindSpore gives (its cache
only saves the work of reading and decoding; measured on 2.10: a deterministic map under a
cache gives the same rows each epoch, and a Python function under a cache is called again
each epoch).
"""
from __future__ import annotations

from collections import namedtuple

__all__ = ["DatasetCache"]

CacheStat = namedtuple("CacheStat", ["avg_cache_sz", "num_mem_cached", "num_disk_cached"])


def _check_type(value, types, name):
    if not isinstance(value, types) or isinstance(value, bool) and bool not in types:
        raise TypeError("Argument %s with value %s is not of type %s, but got %s."
                        % (name, value, list(types), type(value)))


class DatasetCache:
    """MindSpore's ``DatasetCache(session_id, size=0, spilling=False, hostname=None,
    port=None, num_connections=None, prefetch_size=None)``: the arguments are checked as
    MindSpore checks them.  Differs: no server is contacted (no rows are kept); the
    pipeline's values are those it has without a cache; ``get_stat()`` reports nothing
    cached."""

    def __init__(self, session_id, size=0, spilling=False, hostname=None, port=None,
                 num_connections=None, prefetch_size=None) -> None:
        _check_type(session_id, (int,), "session_id")
        if not 1 <= session_id <= 4294967295:
            raise ValueError("Input session_id is not within the required interval of "
                             "[1, 4294967295].")
        _check_type(size, (int,), "size")
        if size < 0:
            raise ValueError("Input size must be greater than 0.")
        _check_type(spilling, (bool,), "spilling")
        if hostname is not None:
            _check_type(hostname, (str,), "hostname")
        if port is not None:
            _check_type(port, (int,), "port")
            if not 1025 <= port <= 65535:
                raise ValueError("Input port is not within the required interval of "
                                 "[1025, 65535].")
        for name, value in (("num_connections", num_connections),
                            ("prefetch_size", prefetch_size)):
            if value is not None:
                _check_type(value, (int,), name)
                if not 1 <= value <= 2147483647:
                    raise ValueError("Input %s is not within the required interval of "
                                     "[1, 2147483647]." % name)
        self.session_id = session_id
        self.size = size
        self.spilling = spilling
        self.hostname = hostname
        self.port = port
        self.num_connections = num_connections
        self.prefetch_size = prefetch_size

    def get_stat(self):
        """MindSpore's ``get_stat()``: (avg_cache_sz, num_mem_cached, num_disk_cached); all 0
        here (nothing is cached)."""
        return CacheStat(0, 0, 0)
