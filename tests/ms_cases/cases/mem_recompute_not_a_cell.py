"""mindspore.recompute on a function (not a Cell) with use_reentrant=True: TypeError."""
import numpy as np
import mindspore as ms
from mindspore import Tensor


def run():
    out = ms.recompute(lambda v: v * 2, Tensor(np.ones(2, np.float32)))
    return {"out": out}
