"""map(..., python_multiprocessing=True): a Python function's numpy.random / random draws are
those of MindSpore's worker processes (autograd_st/dataset/map_procs.py; MindSpore's values:
case tr3_map_process_draws). Found re-running the SSD tutorial (stop 19)."""
import random

import numpy as np

import autograd_st.dataset as ds


def _f(x):
    return (np.array(np.random.randint(0, 10 ** 6), np.int64),
            np.array(random.randint(0, 10 ** 6), np.int64))


def _epochs(d, k=2):
    it = d.create_tuple_iterator(num_epochs=k, output_numpy=True)
    return [[(int(r[0]), int(r[1])) for r in it] for _ in range(k)]


def _stream(seed, n):
    g, r = np.random.RandomState(seed), random.Random(seed)
    return [(int(g.randint(0, 10 ** 6)), r.randint(0, 10 ** 6)) for _ in range(n)]


def test_workers_are_seeded_with_the_seed_plus_their_index():
    ds.config.set_seed(21)
    d = ds.NumpySlicesDataset(np.arange(5), column_names=["x"], shuffle=False).map(
        _f, input_columns=["x"], output_columns=["a", "b"], python_multiprocessing=True,
        num_parallel_workers=2)
    main = np.random.get_state()[1].copy(), random.getstate()
    got = _epochs(d)
    w0, w1 = _stream(21, 6), _stream(22, 6)
    # rows in turn; the end of the epoch takes a turn (epoch 2 starts at worker 0 again
    # here: 5 rows + the end = 6 turns)
    assert got[0] == [w0[0], w1[0], w0[1], w1[1], w0[2]]
    assert got[1] == [w0[3], w1[2], w0[4], w1[3], w0[5]]
    # the main process's states did not move; a new iterator starts new workers
    assert (np.random.get_state()[1] == main[0]).all() and random.getstate() == main[1]
    assert _epochs(d) == got


def test_without_processes_the_main_state_draws():
    ds.config.set_seed(21)
    d = ds.NumpySlicesDataset(np.arange(3), column_names=["x"], shuffle=False).map(
        _f, input_columns=["x"], output_columns=["a", "b"], num_parallel_workers=1)
    first = _epochs(d, 1)[0]
    assert first == _stream(21, 3)
    assert _epochs(d, 1)[0] != first  # the main state ran on
