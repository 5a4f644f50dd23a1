"""mindspore.mint functions with dim/keepdim and their other forms (those MindSpore 2.10's
CPU build has kernels for): max/min's three forms, add/sub with alpha, mean, sum, prod,
amax, split, chunk, gather, select, narrow, the shape ops, clamp, where, div rounding,
remainder, any/all, cat, nansum, xlogy, lerp, softmax, bmm, cdist, meshgrid, diff,
index_add, cross, hstack, dstack, eye, zeros, ones."""
import numpy as np
import mindspore as ms
from mindspore import mint, Tensor


def run():
    x = Tensor(np.array([[0.5, -1.0, 2.0, 3.5], [0.1, 0.2, -0.3, 1.5], [2.5, -2.0, 0.7, -0.4]],
                        np.float32))
    y = Tensor(np.array([[1.5, 2.0, 0.5, 1.0], [0.3, 1.2, 2.3, 0.5], [0.5, 1.0, 1.7, 2.4]],
                        np.float32))
    out = {}
    out["max"] = mint.max(x)
    out["max_dim_v"], out["max_dim_i"] = mint.max(x, 1)
    out["max_keep_v"], out["max_keep_i"] = mint.max(x, dim=0, keepdim=True)
    out["max_pair"] = mint.max(x, y)
    out["min_dim_v"], out["min_dim_i"] = mint.min(x, 0)
    out["min"] = mint.min(x)
    out["add_alpha"] = mint.add(x, y, alpha=2.5)
    out["sub_alpha"] = mint.sub(x, y, alpha=0.5)
    out["mean_dim"] = mint.mean(x, 1, True)
    out["mean_all"] = mint.mean(x)
    out["mean_int"] = mint.mean(Tensor(np.array([1, 2, 4], np.int32)))
    out["sum_dims"] = mint.sum(x, (0, 1), keepdim=True)
    out["sum_dim"] = mint.sum(x, dim=1)
    out["sum_int"] = mint.sum(Tensor(np.array([1, 2, 4], np.int32)))
    out["prod"] = mint.prod(x, 1)
    out["amax"] = mint.amax(x, 1, True)
    out["amin_all"] = mint.amin(x)
    a, b = mint.split(x, 3, 1)
    out["split_a"], out["split_b"] = a, b
    a, b = mint.split(x, [1, 3], 1)
    out["splitl_a"], out["splitl_b"] = a, b
    a, b = mint.chunk(x, 2, 1)
    out["chunk_a"], out["chunk_b"] = a, b
    out["gather"] = mint.gather(x, 1, Tensor(np.array([[0, 1], [1, 2], [3, 3]], np.int64)))
    out["select"] = mint.select(x, 1, 2)
    out["narrow"] = mint.narrow(x, 1, 1, 2)
    out["unsqueeze"] = mint.unsqueeze(x, 1)
    out["permute"] = mint.permute(mint.unsqueeze(x, 0), (2, 0, 1))
    out["transpose"] = mint.transpose(x, 0, 1)
    out["flatten"] = mint.flatten(mint.reshape(x, (3, 2, 2)))
    out["flatten1"] = mint.flatten(mint.reshape(x, (3, 2, 2)), 1)
    out["squeeze"] = mint.squeeze(mint.reshape(x, (3, 1, 4)), 1)
    out["clamp"] = mint.clamp(x, -0.5, 1.0)
    out["clamp_t"] = mint.clamp(x, min=y * -1)
    out["where"] = mint.where(x > y, x, y)
    out["div_floor"] = mint.div(x, 0.7, rounding_mode="floor")
    out["div_trunc"] = mint.div(x, 0.7, rounding_mode="trunc")
    out["div"] = mint.div(x, y)
    out["remainder"] = mint.remainder(x, 0.7)
    out["any"] = mint.any(x > 2, 1)
    out["all"] = mint.all(x > -3)
    out["cat"] = mint.cat([x, y], 1)
    out["concat"] = mint.concat([x, y], dim=0)
    out["nansum"] = mint.nansum(x, 1)
    out["xlogy"] = mint.xlogy(y, y)
    out["lerp"] = mint.lerp(x, y, 0.3)
    out["softmax"] = mint.softmax(x, 1)
    out["bmm"] = mint.bmm(mint.reshape(x, (1, 3, 4)), mint.reshape(y, (1, 4, 3)))
    out["cdist"] = mint.cdist(x, y)
    g0, g1 = mint.meshgrid(Tensor(np.arange(2.0, dtype=np.float32)),
                           Tensor(np.arange(3.0, dtype=np.float32)))
    out["mesh0"], out["mesh1"] = g0, g1
    out["diff"] = mint.diff(x)
    # (MindSpore 2.10's CPU index_add also writes into its input: a fresh one here)
    z = Tensor(np.arange(12, dtype=np.float32).reshape(3, 4))
    out["index_add"] = mint.index_add(z, 1, Tensor(np.array([0, 2], np.int32)),
                                      Tensor(np.ones((3, 2), np.float32)), alpha=2)
    out["cross"] = mint.cross(x[:, :3], y[:, :3])
    out["hstack"] = mint.hstack([x, y])
    out["dstack"] = mint.dstack([x, y])
    out["eye"] = mint.eye(3)
    out["zeros"] = mint.zeros((2, 3), dtype=ms.int32)
    out["ones"] = mint.ones((2, 3))
    return out
