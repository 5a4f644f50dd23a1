"""The initializers Identity, Sparse, Dirac, Orthogonal and VarianceScaling (each
distribution and mode; its default 'truncated_normal' draws MindSpore 2.10's uniform values)
under mindspore.set_seed: MindSpore's own values."""
import numpy as np
import mindspore as ms
from mindspore.common.initializer import (Dirac, Identity, Orthogonal, Sparse, VarianceScaling,
                                          initializer)


def run():
    ms.set_seed(13)
    out = {}
    for name, init, shape in [
            ("identity", Identity(), (3, 5)), ("sparse", Sparse(0.3, 0.5), (6, 4)),
            ("dirac", Dirac(2), (4, 3, 3, 3)), ("orthogonal", Orthogonal(1.5), (4, 6)),
            ("orthogonal_3d", Orthogonal(), (6, 2, 2)),
            ("variance_scaling_default", VarianceScaling(2.0), (5, 7)),
            ("variance_scaling_normal",
             VarianceScaling(mode="fan_avg", distribution="untruncated_normal"), (5, 7)),
            ("variance_scaling_uniform",
             VarianceScaling(distribution="uniform", mode="fan_out"), (3, 4, 2)),
            ("by_name_orthogonal", "orthogonal", (3, 3))]:
        out[name] = initializer(init, shape, ms.float32).asnumpy()
    return out
