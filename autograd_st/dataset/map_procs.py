"""MindSpore's ``map(..., python_multiprocessing=True)``: the Python functions of the map run
in worker processes, so what they draw from ``numpy.random`` and ``random`` is the workers'.

Measured on MindSpore 2.10 (case ``tr3_map_process_draws``): each iterator starts its own
worker processes; worker ``w`` calls ``ds.config.set_seed(seed + w)`` when it starts (the
dataset seed read as the iterator is created), unless the seed is the default 5489, when it
keeps numpy's state as it was forked (the main process's; Python reseeds ``random`` from
the OS in a forked child, so there MindSpore's unseeded draws differ from run to run, and here
they continue the main process's); rows go to the workers in turn, the
end of each epoch taking a turn (as for the C++ ops' generators, :mod:`.op_draws`); a
worker's state runs on through the iterator's epochs; the main process's state does not move.
Here one process computes the rows: each row's functions run with their worker's states
swapped in."""
from __future__ import annotations

import random
from typing import Any, Callable, List, Optional, Tuple

import numpy as np

from . import config, op_draws


def runs_python(operations: list) -> bool:
    """Whether a map's operations include a Python function of the user's (autograd_st's
    own transforms stand for MindSpore's C++ ones, which do not run in the workers)."""
    return any(not type(op).__module__.startswith("autograd_st.") for op in operations)


class ProcessWorkers:
    """The ``numpy.random`` and ``random`` states of one map's worker processes in one
    iterator, and the turn of the next row."""

    def __init__(self, workers: int, seed: Optional[int]) -> None:
        self.states: List[Tuple[Any, Any]] = []
        for w in range(workers):
            if seed is None or seed == config.DEFAULT_SEED:
                self.states.append((np.random.get_state(), random.getstate()))
            else:
                s = (seed + w) & 0xFFFFFFFF
                self.states.append((np.random.RandomState(s).get_state(),
                                    random.Random(s).getstate()))
        self.turn = 0

    def call(self, fn: Callable[[], Any]) -> Any:
        """``fn()`` with the next worker's states in place of the main process's."""
        w = self.turn % len(self.states)
        self.turn += 1
        main = (np.random.get_state(), random.getstate())
        np.random.set_state(self.states[w][0])
        random.setstate(self.states[w][1])
        try:
            return fn()
        finally:
            self.states[w] = (np.random.get_state(), random.getstate())
            np.random.set_state(main[0])
            random.setstate(main[1])

    def end_pass(self) -> None:
        """The end of an epoch takes a worker's turn."""
        self.turn += 1


def workers_of(stage, workers: Optional[int]) -> ProcessWorkers:
    """The worker processes of ``stage`` (a map) in the current iterator (started when the
    iterator first reaches it; outside an iterator: fresh ones, for a single look)."""
    run = op_draws.current_run()
    if run is None:
        run = op_draws.Run()
    key = (id(stage), "processes")
    procs = run.states.get(key)
    if procs is None:
        n = config.get_num_parallel_workers() if workers is None else int(workers)
        procs = run.states[key] = ProcessWorkers(max(1, n), run.seed)
    return procs
