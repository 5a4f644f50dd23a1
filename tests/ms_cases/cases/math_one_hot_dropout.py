"""MindSpore 2.x's one_hot(indices, depth, on_value=1, off_value=0, axis=-1) and ops.OneHot,
and dropout(input, p=0.5, training=True, seed=None) where p is the probability to DROP:
values, dtypes and the deterministic cases of dropout (p=0, training=False), the scale of the
kept elements, and ops.Dropout(keep_prob)'s mask."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    idx = Tensor(np.array([[0, 2], [1, 3]], np.int32))
    out = {}
    hot = ops.one_hot(idx, 4)
    out["default"] = hot
    out["default_is_int64"] = np.array(float(hot.dtype == ms.int64))
    f = ops.one_hot(idx, 4, Tensor(2.0, ms.float32), Tensor(-1.0, ms.float32))
    out["on_off"] = f
    out["on_off_is_float32"] = np.array(float(f.dtype == ms.float32))
    out["axis0"] = ops.one_hot(idx, 4, 1.0, 0.0, axis=0)
    out["axis1"] = ops.one_hot(idx, 4, 1.0, 0.0, 1)
    out["out_of_range"] = ops.one_hot(Tensor(np.array([5, -1, 1], np.int32)), 3, 1.0, 0.0)
    out["OneHot"] = ops.OneHot()(idx, 4, Tensor(1.0, ms.float32), Tensor(0.0, ms.float32))
    out["OneHot_axis0"] = ops.OneHot(axis=0)(Tensor(np.array([0, 2], np.int32)), 3,
                                             Tensor(5.0, ms.float32), Tensor(0.0, ms.float32))
    x = Tensor(np.ones((40, 50), np.float32))
    small = Tensor(np.arange(12, dtype=np.float32).reshape(3, 4))
    out["p0"] = ops.dropout(small, p=0.0)
    out["eval"] = ops.dropout(small, p=0.9, training=False)
    y = ops.dropout(x, p=0.25).asnumpy()
    out["kept_values_scale"] = np.array(float(np.max(y)))
    out["kept_fraction_near_0.75"] = np.array(float(abs((y > 0).mean() - 0.75) < 0.05))
    out["dropped_are_zero"] = np.array(float(set(np.unique(y).tolist()) <= {0.0, float(np.max(y))}))
    y2 = ops.dropout(x, 0.8).asnumpy()  # positional p: drop 80%
    out["positional_p_drops_80"] = np.array(float(abs((y2 > 0).mean() - 0.2) < 0.05))
    o, m = ops.Dropout(keep_prob=0.6)(x)
    o, m = o.asnumpy(), m.asnumpy()
    out["Dropout_mask_is_01"] = np.array(float(set(np.unique(m).tolist()) <= {0.0, 1.0}))
    out["Dropout_output_is_mask_over_keep"] = np.array(float(np.allclose(o, m / 0.6)))
    out["Dropout_kept_near_0.6"] = np.array(float(abs(m.mean() - 0.6) < 0.05))
    g = ops.grad(lambda t: ops.sum(ops.dropout(t, p=0.0) * 3.0))(small)
    out["grad_p0"] = g
    return out
