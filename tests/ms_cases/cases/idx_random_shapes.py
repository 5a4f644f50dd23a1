"""Random ops: shapes, dtypes (as their names' lengths would be fragile: the itemsize and
kind), ranges and seeding behaviour, not the numbers (those cannot be MindSpore's)."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def _facts(t):
    a = t.asnumpy()
    return np.array(list(a.shape) + [a.dtype.itemsize, float(a.dtype.kind == "f")], np.float64)


def run():
    ms.set_seed(5)
    x64 = Tensor(np.ones((2, 3), np.float64))
    draws = {"rand": ops.rand(2, 3), "rand64": ops.rand((4,), dtype=ms.float64),
             "randn": ops.randn(3, 2), "randint": ops.randint(0, 5, (2, 2)),
             "rand_like": ops.rand_like(x64), "randn_like": ops.randn_like(x64),
             "randint_like": ops.randint_like(Tensor(np.ones(3, np.int32)), 0, 4),
             "uniform": ops.uniform((2, 2), Tensor(1.0), Tensor(2.0)),
             "normal": ops.normal((3,), Tensor(0.0), Tensor(1.0)),
             "standard_normal": ops.standard_normal((2, 1)),
             "bernoulli": ops.bernoulli(Tensor(np.zeros((2, 3), np.int32)), 0.5),
             "multinomial": ops.multinomial(Tensor(np.array([[0.1, 0.9], [0.5, 0.5]],
                                                            np.float32)), 3),
             "randperm": ops.randperm(5), "laplace": ops.laplace((2,), Tensor(0.0), Tensor(1.0)),
             "random_categorical": ops.random_categorical(Tensor(np.zeros((2, 3), np.float32)),
                                                          4),
             "shuffle": ops.shuffle(Tensor(np.arange(6, dtype=np.float32)))}
    out = {k: _facts(v) for k, v in draws.items()}
    r = draws["rand"].asnumpy()
    out["rand_in_range"] = float((r >= 0).all() and (r < 1).all())
    out["randint_in_range"] = float(((draws["randint"].asnumpy() >= 0)
                                     & (draws["randint"].asnumpy() < 5)).all())
    out["randperm_sorted"] = np.sort(draws["randperm"].asnumpy()).astype(np.float64)
    out["shuffle_sorted"] = np.sort(draws["shuffle"].asnumpy()).astype(np.float64)
    ms.set_seed(7)
    a, b = ops.rand(4, seed=3).asnumpy(), ops.rand(4, seed=3).asnumpy()
    ms.set_seed(7)
    c = ops.rand(4, seed=3).asnumpy()
    out["seeded_repeat_after_set_seed"] = float((a == c).all())
    out["seeded_calls_differ"] = float(not (a == b).all())
    return out
