"""MindSpore 2.10's norm (ord, dim, keepdim), std/var (ddof, bool ddof, keepdims), logsumexp,
clip_by_value, clamp, clip_by_global_norm, bmm, baddbmm, addmm, mv, outer, cosine_similarity,
L2Normalize, LpNorm: values and gradients.  (MindSpore 2.10 has no CPU kernel for Einsum:
tests/test_ops_math.py checks einsum against numpy.)"""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    rng = np.random.default_rng(3)
    a = Tensor(rng.standard_normal((3, 4)).astype(np.float32))
    v = Tensor(rng.standard_normal((5,)).astype(np.float32))
    b3 = Tensor(rng.standard_normal((2, 3, 4)).astype(np.float32))
    c3 = Tensor(rng.standard_normal((2, 4, 2)).astype(np.float32))
    unary = {
        "norm": lambda t: ops.norm(t),
        "norm_dim1": lambda t: ops.norm(t, dim=1),
        "norm_dim0_keep": lambda t: ops.norm(t, dim=0, keepdim=True),
        "norm_ord3_dim1": lambda t: ops.norm(t, 3, dim=1),
        "norm_ord1_dim_neg1": lambda t: ops.norm(t, 1, -1),
        "norm_inf_dim1": lambda t: ops.norm(t, float("inf"), 1),
        "norm_fro": lambda t: ops.norm(t, "fro"),
        "norm_nuc": lambda t: ops.norm(t, "nuc"),
        "norm_matrix1": lambda t: ops.norm(t, 1),
        "norm_matrix_inf": lambda t: ops.norm(t, float("inf")),
        "norm_matrix2": lambda t: ops.norm(t, 2),
        "norm_matrix_neg1": lambda t: ops.norm(t, -1),
        "norm_fro_dims": lambda t: ops.norm(t, "fro", dim=(0, 1)),
        "var": lambda t: ops.var(t),
        "var_axis1_ddof1": lambda t: ops.var(t, 1, 1),
        "var_bool_ddof_keep": lambda t: ops.var(t, axis=0, ddof=True, keepdims=True),
        "std": lambda t: ops.std(t),
        "std_axis0_ddof1": lambda t: ops.std(t, axis=0, ddof=1),
        "std_keep": lambda t: ops.std(t, 1, keepdims=True),
        "logsumexp": lambda t: ops.logsumexp(t, 1),
        "logsumexp_keep": lambda t: ops.logsumexp(t, 0, True),
        "clip_by_value": lambda t: ops.clip_by_value(t, -0.5, 0.6),
        "clamp_min": lambda t: ops.clamp(t, min=-0.3),
        "L2Normalize": lambda t: ops.L2Normalize(axis=1)(t),
        "LpNorm": lambda t: ops.LpNorm(axis=1)(t),
        "LpNorm_p1_keep": lambda t: ops.LpNorm(axis=0, p=1, keep_dims=True)(t),
        "tensor_norm": lambda t: t.norm(),
        "tensor_std": lambda t: t.std(),
        "tensor_var": lambda t: t.var(axis=1, ddof=1),
    }
    out = {}
    for name, f in unary.items():
        out[name] = f(a)
        out[name + "_grad"] = ops.grad(lambda t, f=f: ops.sum(f(t) * ops.sin(f(t))))(a)
    out["norm_vec0"] = ops.norm(Tensor(np.array([3.0, 0.0, -4.0, 0.0], np.float32)), 0)
    out["norm_vec3"] = ops.norm(v, 3)
    out["norm_vec3_grad"] = ops.grad(lambda t: ops.norm(t, 3))(v)
    out["norm_vec_inf_grad"] = ops.grad(lambda t: ops.norm(t, float("inf")))(v)

    def gn(x, y):
        cx, cy = ops.clip_by_global_norm((x, y), 1.0)
        return ops.sum(cx * cx) + ops.sum(cy * ops.cos(cy))
    out["clip_by_global_norm_0"], out["clip_by_global_norm_1"] = ops.clip_by_global_norm(
        (a, v), 1.0)
    out["clip_by_global_norm_big"] = ops.clip_by_global_norm((a, v), 100.0)[0]
    out["clip_by_global_norm_grad_0"], out["clip_by_global_norm_grad_1"] = ops.grad(
        gn, (0, 1))(a, v)
    pairs = {
        "bmm": lambda x, y: ops.bmm(x, y),
        "baddbmm": lambda x, y: ops.baddbmm(ops.ones((2, 3, 2), ms.float32), x, y, beta=0.5,
                                            alpha=2.0),
    }
    for name, f in pairs.items():
        out[name] = f(b3, c3)
        gx, gy = ops.grad(lambda x, y, f=f: ops.sum(f(x, y) * f(x, y)), (0, 1))(b3, c3)
        out[name + "_grad_x"], out[name + "_grad_y"] = gx, gy
    m = Tensor(rng.standard_normal((4, 3)).astype(np.float32))
    out["addmm"] = ops.addmm(ops.ones((3, 3), ms.float32), a, m, beta=0.5, alpha=2.0)
    out["mv"] = ops.mv(a, Tensor(np.array([1.0, -1.0, 0.5, 2.0], np.float32)))
    out["outer"] = ops.outer(v, Tensor(np.array([1.0, -1.0, 0.5], np.float32)))
    out["outer_grad"] = ops.grad(lambda t: ops.sum(ops.outer(t, t) ** 2))(v)
    out["cosine_similarity"] = ops.cosine_similarity(a, m.T)
    out["cosine_similarity_dim0"] = ops.cosine_similarity(a, m.T, dim=0)
    out["cosine_similarity_grad"] = ops.grad(lambda t: ops.sum(ops.cosine_similarity(t, m.T)))(a)
    x1 = Tensor(rng.standard_normal((2, 3, 4)).astype(np.float32))
    x2 = Tensor(rng.standard_normal((2, 5, 4)).astype(np.float32))
    out["cdist"], out["cdist_p1"] = ops.cdist(x1, x2), ops.cdist(x1[0], x2[0], 1.0)
    out["cdist_p3"] = ops.cdist(x1, x2, 3.0)
    out["cdist_grad_self"] = ops.grad(lambda t: ops.sum(ops.cdist(t, t)))(x1[0])
    out["cdist_grad_x2"] = ops.grad(lambda t: ops.sum(ops.cdist(x1, t) ** 2))(x2)
    out["pdist"], out["pdist_p1"] = ops.pdist(x1[0]), ops.pdist(x1[1], 1.0)
    out["pdist_grad"] = ops.grad(lambda t: ops.sum(ops.pdist(t)))(x1[0])
    return out
