"""Array manipulation in model code, with gradients (ops.einsum has no CPU kernel in
MindSpore 2.10, so it is left out, and so is ops.roll, unregistered there; a slice with a negative step gets a zero gradient there): ops.flip, ops.tile,
ops.repeat_interleave, ops.diagonal, ops.tril/triu, ops.movedim, ops.swapaxes,
ops.narrow, ops.chunk, ops.stack/ops.cat of the pieces."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    out = {}
    rng = np.random.default_rng(23)
    a = Tensor(rng.normal(size=(2, 3, 4)).astype(np.float32))
    b = Tensor(rng.normal(size=(2, 4, 5)).astype(np.float32))
    c = Tensor(rng.normal(size=(5, 3)).astype(np.float32))
    sq = Tensor(rng.normal(size=(4, 4)).astype(np.float32))

    wt = Tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7.0)

    def manip(a):
        r = ops.flip(a, dims=(1, 2))
        f = ops.flip(a, dims=(0, 2))
        t = ops.tile(a[:, :1], (1, 2, 1))
        ri = ops.repeat_interleave(a, 2, axis=2)
        d = ops.diagonal(a, offset=1, dim1=1, dim2=2)
        tl = ops.tril(a[0], -1) + ops.triu(a[1], 1)
        mv = ops.movedim(a, 0, 2)
        sw = ops.swapaxes(a, 0, 1)
        n = ops.narrow(a, 2, 1, 2)
        parts = ops.chunk(a, 2, axis=2)
        st = ops.stack(parts, axis=0)
        cat = ops.cat((n, parts[0]), axis=1)
        return ((r * wt).sum() + (f * wt).sum() + (t ** 2).sum() + ri.mean() + (d ** 3).sum()
                + (tl * sq[:3]).sum() + mv[0, 1, 1] + (sw[2] * sw[0]).sum()
                + (st * st).sum() * 0.1 + (cat * ops.sin(cat)).sum()), (r, ri, d, mv.shape)

    (v, (r, ri, d, shp)), g = ops.value_and_grad(manip, has_aux=True)(a)
    out["manip/value"] = v
    out["manip/flip_slice"] = r
    out["manip/repeat_interleave"] = ri
    out["manip/diagonal"] = d
    out["manip/movedim_shape"] = np.array(shp)
    out["manip/grad"] = g
    return out
