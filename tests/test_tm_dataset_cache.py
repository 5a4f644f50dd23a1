"""ds.DatasetCache: MindSpore 2.10's argument checks (measured) and a pipeline with a cache
giving the rows it gives without one (measured: a deterministic map under a cache repeats its
rows each epoch)."""
import numpy as np
import pytest

import autograd_st.dataset as ds


@pytest.mark.parametrize("kwargs, exc, text", [
    (dict(session_id=0), ValueError, "session_id is not within the required interval"),
    (dict(session_id=1, size=-1), ValueError, "size must be greater than 0"),
    (dict(session_id=1, spilling=1), TypeError, "Argument spilling with value 1"),
    (dict(session_id=1.5), TypeError, "Argument session_id with value 1.5"),
    (dict(session_id=1, port=80), ValueError, "port is not within"),
])
def test_arguments_are_checked(kwargs, exc, text):
    with pytest.raises(exc, match=text):
        ds.DatasetCache(**kwargs)


def test_map_under_a_cache_gives_the_rows_without_one():
    data = {"image": np.arange(24, dtype=np.uint8).reshape(3, 2, 4)}
    cache = ds.DatasetCache(session_id=7, size=0, spilling=False)
    rescale = ds.vision.Rescale(1.0 / 255.0, -1.0)
    cached = ds.NumpySlicesDataset(data, shuffle=False).map(rescale, ["image"], cache=cache)
    plain = ds.NumpySlicesDataset(data, shuffle=False).map(rescale, ["image"])
    it = cached.create_tuple_iterator(num_epochs=2, output_numpy=True)
    want = [r[0] for r in plain.create_tuple_iterator(num_epochs=1, output_numpy=True)]
    for _ in range(2):
        got = [r[0] for r in it]
        assert len(got) == 3
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g, w)
    np.testing.assert_allclose(want[1], np.arange(8, 16).reshape(2, 4) / 255.0 - 1.0,
                               rtol=1e-6)
    assert tuple(cache.get_stat()) == (0, 0, 0)
    with pytest.raises(TypeError, match="DatasetCache"):
        plain.map(rescale, ["image"], cache="yes")
