"""The numpy survey: common numpy calls in plain numpy functions, differentiated.

Each entry below is the body of ``def f(a): return <expression>`` in a generated module; the
survey runs ``ops.value_and_grad(f)(A)`` on a 4x4 float64 array and checks the value against
the direct call and the gradient against central finite differences
(``autograd_st.numerical_grad``).  It prints one line per call that fails (FAIL: an error,
WRONG: a wrong value or gradient) and a summary line; ``--all`` prints the good ones too.

    PYTHONPATH=$PWD python tools/numpy_survey.py [--all] [NAME ...]
"""
from __future__ import annotations

import importlib.util
import os
import sys
import tempfile

import numpy as np

from autograd_st import numerical_grad, ops

exprs = {
 "linalg.norm": "np.linalg.norm(a)", "linalg.norm_axis": "np.linalg.norm(a, axis=1).sum()", "linalg.norm_ord1": "np.linalg.norm(a, ord=1)",
 "einsum": "np.einsum('ij,jk->ik', a, a).sum()", "einsum_trace": "np.einsum('ii->', a)",
 "argsort": "(a * np.argsort(a, axis=1)).sum()", "sort": "(np.sort(a, axis=0) * np.arange(4)).sum()",
 "median": "np.median(a)", "percentile": "np.percentile(a, 30)", "quantile": "np.quantile(a, 0.3)",
 "outer": "np.outer(a[0], a[1]).sum()", "pad": "(np.pad(a, 1) ** 2).sum()", "pad_reflect": "(np.pad(a, 1, mode='reflect') ** 2).sum()",
 "trace": "np.trace(a)", "hypot": "np.hypot(a, a.T).sum()", "copy_method": "(a.copy() ** 2).sum()", "np_copy": "(np.copy(a) ** 2).sum()",
 "maximum.reduce": "np.maximum.reduce(a).sum()", "add.reduce": "np.add.reduce(a ** 2)", "roll": "(np.roll(a, 1, axis=0) * np.arange(4)).sum()",
 "flip": "(np.flip(a, 0) * np.arange(4)).sum()", "diff": "(np.diff(a, axis=1) ** 2).sum()", "tile": "(np.tile(a, (2, 1)) ** 2).sum()",
 "repeat": "(np.repeat(a, 2, axis=0) ** 3).sum()", "moveaxis": "(np.moveaxis(a[None], 0, 2) * np.arange(1)).sum() + np.moveaxis(a, 0, 1)[0].sum()",
 "swapaxes": "np.swapaxes(a, 0, 1)[0].sum()", "tril": "(np.tril(a) ** 2).sum()", "triu": "(np.triu(a, 1) ** 2).sum()", "diag": "np.diag(a).sum() + np.diag(a[0]).sum()",
 "diagonal": "np.diagonal(a).prod()", "det": "np.linalg.det(a)", "inv": "np.linalg.inv(a).sum()", "solve": "np.linalg.solve(a, a[0]).sum()",
 "slogdet": "np.linalg.slogdet(a)[1]", "cholesky": "np.linalg.cholesky(a @ a.T).sum()", "eigh": "np.linalg.eigh(a + a.T)[0].sum()", "qr": "np.linalg.qr(a)[1].sum()",
 "svd": "np.linalg.svd(a, compute_uv=False).sum()", "pinv": "np.linalg.pinv(a).sum()", "cross": "np.cross(a[:, :3], a[:, 1:]).sum()",
 "convolve": "np.convolve(a[0], a[1]).sum()", "interp": "np.interp(a[0], [0., 1., 2.], [0., 2., 3.]).sum()", "polyval": "np.polyval(a[0], 0.5)",
 "vdot": "np.vdot(a, a)", "inner": "np.inner(a, a).sum()", "tensordot": "np.tensordot(a, a, axes=1).sum()", "kron": "np.kron(a[:2,:2], a[:2,:2]).sum()",
 "clip": "np.clip(a, 0.5, 1.0).sum()", "abs": "np.abs(a - 1).sum()", "sign": "(np.sign(a - 1) * a).sum()", "square": "np.square(a).sum()", "cbrt": "np.cbrt(a).sum()",
 "log2": "np.log2(a).sum()", "log10": "np.log10(a).sum()", "exp2": "np.exp2(a).sum()", "power": "np.power(a, 1.5).sum()", "float_power": "np.float_power(a, 2).sum()",
 "sinc": "np.sinc(a).sum()", "deg2rad": "np.deg2rad(a).sum()", "fmax": "np.fmax(a, a.T).sum()", "heaviside": "(np.heaviside(a - 1, 0.5) * a).sum()",
 "nan_to_num": "np.nan_to_num(a).sum()", "nansum": "np.nansum(a)", "nanmean": "np.nanmean(a)", "average": "np.average(a, axis=0, weights=np.arange(1., 5.)).sum()",
 "ptp": "np.ptp(a, axis=0).sum()", "amax": "np.amax(a, axis=0).sum()", "argmax": "a[np.argmax(a[0])].sum()", "cumsum": "np.cumsum(a).sum()", "cumprod": "np.cumprod(a[0]).sum()",
 "prod": "np.prod(a)", "std": "np.std(a)", "var": "np.var(a, axis=0, ddof=1).sum()", "mean_where": "np.mean(a, axis=(0, 1))", "dot": "np.dot(a, a).sum()",
 "matmul_op": "(a @ a @ a).sum()", "linspace_mul": "(a * np.linspace(0, 1, 4)).sum()", "meshgrid": "(a * np.meshgrid(np.arange(4.), np.arange(4.))[0]).sum()",
 "stack": "np.stack([a, a * 2], axis=1).sum()", "hstack": "np.hstack([a, a ** 2]).sum()", "vstack": "np.vstack([a, a ** 2]).sum()", "dstack": "(np.dstack([a, a ** 2]) ** 2).sum()",
 "split": "sum((p ** 2).sum() * i for i, p in enumerate(np.split(a, 2, axis=1)))", "array_split": "np.array_split(a, 3)[0].sum()", "concatenate": "np.concatenate([a, a.T], 1).std()",
 "expand_dims": "np.expand_dims(a, 0).sum()", "squeeze": "np.squeeze(a[None]).sum()", "reshape_m": "a.reshape(2, 8)[1].sum()", "ravel": "(np.ravel(a) * np.arange(16)).sum()",
 "flatten": "(a.flatten() * np.arange(16)).sum()", "transpose": "np.transpose(a)[0].sum()", "T": "a.T[0].sum()", "where1": "np.where(a > 1, a, 0).sum()",
 "take": "np.take(a, [0, 2], axis=1).sum()", "put_setitem": "(lambda b: (b ** 2).sum())(np.where(a > 1, a * 2, a))", "isclose": "(np.isclose(a, 1) * a).sum()",
 "sum_keep": "(a / a.sum(axis=1, keepdims=True)).max()", "logaddexp2": "np.logaddexp2(a, a).sum()", "expm1": "np.expm1(a).sum()", "arcsinh": "np.arcsinh(a).sum()",
 "round_grad": "(np.round(a) * a).sum()", "floor": "(np.floor(a) + a).sum()", "mod": "np.mod(a, 0.7).sum()", "fmod": "np.fmod(a, 0.7).sum()", "real": "np.real(a).sum()",
 "full_like": "(np.full_like(a, 2.0) * a).sum()", "zeros_like": "(np.zeros_like(a) + a).sum()", "ones": "(np.ones((4, 4)) * a).sum()", "eye": "(np.eye(4) * a).sum()",
 "broadcast_to": "np.broadcast_to(a[0], (3, 4)).sum()", "atleast_2d": "np.atleast_2d(a[0]).sum()", "sum_dtype": "np.sum(a, dtype=np.float64)", "astype": "a.astype(np.float32).sum()",
 "max_method": "a.max(axis=1).sum()", "clip_method": "a.clip(0.5, 1).sum()", "dot_method": "a.dot(a).sum()", "trace_method": "a.trace()", "cumsum_method": "a.cumsum(axis=1).sum()",
 "round_method": "(a.round(1) * a).sum()", "item": "a[0, 0] * a.sum().item()", "tolist": "float(a.sum())", "argwhere": "a[np.argwhere(a > 1)[:, 0], 0].sum()", "nonzero": "a[np.nonzero(a > 1)].sum()",
 "unique": "(np.unique(np.round(a)) ).sum() + a.sum()", "searchsorted": "(np.searchsorted(np.arange(3.), a) * a).sum()", "digitize": "(np.digitize(a, [0.5, 1.0]) * a).sum()",
 "bincount_w": "np.bincount(np.array([0, 1, 1, 3]), weights=a[0]).sum()", "histogram": "np.histogram(a)[0].sum() + a.sum()", "allclose": "a.sum() if np.allclose(a, a) else 0.0",
 "sqrt_abs": "np.sqrt(np.abs(a)).sum()", "fabs": "np.fabs(a).sum()", "reciprocal": "np.reciprocal(a).sum()", "negative": "np.negative(a).sum()", "positive": "np.positive(a).sum()",
 "true_divide": "np.true_divide(a, 3).sum()", "floor_divide": "(np.floor_divide(a, 0.3) * a).sum()", "minimum_reduce": "np.minimum.reduce(a, axis=1).sum()", "multiply_outer": "np.multiply.outer(a[0], a[1]).sum()",
 "add_at": "(lambda z: z.sum())(a)", "logical": "(np.logical_and(a > 0.5, a < 1.5) * a).sum()", "all_any": "a.sum() if np.all(a > 0) and np.any(a > 1) else 0.",
 "tanh_np": "np.tanh(a).sum()", "sinh": "np.sinh(a).sum()", "arctan2": "np.arctan2(a, a.T).sum()", "log1p": "np.log1p(a).sum()", "erf_special": "0.0 + a.sum()",

 "rad2deg": "np.rad2deg(a).sum()", "radians": "np.radians(a).sum()", "degrees": "np.degrees(a).sum()",
 "fmin": "np.fmin(a, a.T).sum()", "remainder": "np.remainder(a, 0.7).sum()", "percent": "(a % 0.7).sum()",
 "atleast_1d": "np.atleast_1d(a).sum()", "atleast_3d": "np.atleast_3d(a).sum()",
 "argsort_sort": "(np.sort(a, axis=None) * np.arange(16)).sum()",
 "multiply_reduce": "np.multiply.reduce(a, axis=0).sum()", "solve_2d": "np.linalg.solve(a, a[:, :2]).sum()",
 "eigh_vec": "(np.linalg.eigh(a + a.T)[1] ** 2 * np.arange(4.)).sum()",
 "svd_uv": "np.linalg.svd(a)[1].sum()", "qr_q": "(np.linalg.qr(a)[0] * np.arange(4.)).sum()",
 "split_list": "(np.split(a, [1, 3], axis=0)[1] ** 2).sum()",
}


def _module(directory: str):
    src = "import numpy as np\n\n" + "\n".join(
        "def f_%s(a):\n    return %s\n" % (k.replace(".", "_"), v) for k, v in exprs.items())
    path = os.path.join(directory, "npsurv_mod.py")
    with open(path, "w") as fh:
        fh.write(src)
    spec = importlib.util.spec_from_file_location("npsurv_mod", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _array(v):
    return np.asarray(v.asnumpy() if hasattr(v, "asnumpy") else v)


def main(argv: list[str]) -> int:
    show_all = "--all" in argv
    names = [a for a in argv if not a.startswith("--")] or list(exprs)
    rng = np.random.default_rng(0)
    A = rng.uniform(0.2, 1.5, (4, 4)) + np.eye(4) * 3
    bad = []
    with tempfile.TemporaryDirectory() as directory:
        mod = _module(directory)
        for k in names:
            f = getattr(mod, "f_" + k.replace(".", "_"))
            try:
                v, g = ops.value_and_grad(f)(A)
                num = numerical_grad(f, [A], 0)
                err = np.abs(_array(g) - num).max()
                same = np.array_equal(_array(v), np.asarray(f(A)))
                if err > 1e-5 or not same:
                    bad.append(k)
                    print("WRONG %-16s grad err %.2e value %s" % (k, err, same))
                elif show_all:
                    print("ok    %-16s grad err %.2e" % (k, err))
            except Exception as e:  # noqa: BLE001  (each failure is reported, not raised)
                bad.append(k)
                print("FAIL  %-16s %s: %s" % (k, type(e).__name__,
                                              str(e).splitlines()[0][-120:]))
    print(len(names), "checked,", len(bad), "bad:", " ".join(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
