"""Python dict columns through a pipeline: a generator's dict kept as a dict (its numbers
given back as arrays), a map returning a dict and receiving one, batching a dict column
key by key, per_batch_map returning dicts for more output columns than inputs, and a map
flattening a dict into two columns: the values, flattened into arrays."""
import numpy as np
import mindspore.dataset as ds


def _gen():
    for i in range(6):
        yield {"n": i, "nested": {"p": np.power(i, [1, 2, 3]), "h": i * 0.5}}, i


def _square(col):
    assert isinstance(col, dict)
    return {"n2": col["n"] ** 2, "p": col["nested"]["p"]}


def _per_batch(col, info):
    return {"orig": np.stack(col), "idx": np.arange(len(col))}, {"copy": np.stack(col) * 10}


def _to_tuple(d):
    return tuple(d.values())


def _data():
    return ds.GeneratorDataset(_gen, ["a", "b"], shuffle=False)


def run():
    out = {}
    data = _data()
    rows = list(data.create_dict_iterator(output_numpy=True))
    out["n"] = np.array([r["a"]["n"] for r in rows], np.float64)
    out["h"] = np.array([r["a"]["nested"]["h"] for r in rows], np.float64)
    out["p"] = np.stack([r["a"]["nested"]["p"] for r in rows]).astype(np.float64)
    mapped = _data().map(_square, input_columns=["a"])
    batched = list(mapped.batch(4).create_dict_iterator(output_numpy=True))
    out["batched_n2"] = np.concatenate([b["a"]["n2"] for b in batched]).astype(np.float64)
    out["batched_p"] = np.concatenate([b["a"]["p"] for b in batched]).astype(np.float64)
    out["batched_b"] = np.concatenate([b["b"] for b in batched]).astype(np.float64)
    per = _data().project(["b"]).batch(3, per_batch_map=_per_batch, output_columns=["x", "y"])
    got = list(per.create_dict_iterator(output_numpy=True))
    out["per_cols"] = np.array([len(g) for g in got], np.float64)
    out["per_orig"] = np.concatenate([g["x"]["orig"] for g in got]).astype(np.float64)
    out["per_idx"] = np.concatenate([g["x"]["idx"] for g in got]).astype(np.float64)
    out["per_copy"] = np.concatenate([g["y"]["copy"] for g in got]).astype(np.float64)
    flat = _data().map(_square, input_columns=["a"]).map(_to_tuple, input_columns=["a"],
                                                       output_columns=["n2", "p"])
    got = list(flat.create_tuple_iterator(output_numpy=True))
    out["flat_n2"] = np.array([g[0] for g in got], np.float64)
    out["flat_p"] = np.stack([g[1] for g in got]).astype(np.float64)
    out["flat_b"] = np.array([g[2] for g in got], np.float64)
    tensors = list(_data().create_dict_iterator())
    out["tensor_leaf"] = np.array([t["a"]["nested"]["p"].asnumpy() for t in tensors], np.float64)
    return out
