"""Verification: hand-written gradients against central finite differences (float64), and
any implementation's ``(value, grads)`` against the hand-written one."""
from __future__ import annotations

import numpy as np

from autograd_st import numerical_jvp

__all__ = ["fd_check", "compare", "VerificationError"]


class VerificationError(AssertionError):
    pass


def fd_check(workload, eps=1e-6, samples=12, rtol=1e-6, seed=0, method="hand"):
    """Check ``workload.hand`` (or ``workload.<method>``: ``hand_expert``) against central
    differences of ``workload.forward`` on the small float64 instance (``samples`` random
    entries of every differentiated array, all of them for arrays that small).  Returns the
    largest relative error seen."""
    arrays = [np.array(a) for a in workload.make(small=True, dtype=np.float64)]
    value, grads = getattr(workload, method)(*arrays)
    f0 = workload.forward(*arrays)
    if value is not None:
        _close("value", np.asarray(value), np.asarray(f0), 1e-12)
    if len(grads) != len(workload.wrt):
        raise VerificationError("%s: hand() returns %d gradients, expected %d"
                                % (workload.name, len(grads), len(workload.wrt)))
    rng = np.random.default_rng(seed)
    worst = 0.0
    for g, pos in zip(grads, workload.wrt):
        a = arrays[pos]
        g = np.asarray(g)
        if g.shape != a.shape or g.dtype != a.dtype:
            raise VerificationError("%s: gradient of argument %d has shape %s dtype %s, the "
                                    "argument %s %s" % (workload.name, pos, g.shape, g.dtype,
                                                        a.shape, a.dtype))
        n = a.size
        idx = np.arange(n) if n <= samples else rng.choice(n, samples, replace=False)
        scale = max(np.max(np.abs(g)), 1e-3)
        for i in idx:
            tangents = [None] * len(arrays)  # entry i of argument pos alone
            tangents[pos] = np.zeros(a.shape)
            tangents[pos].flat[i] = 1.0
            fd = float(numerical_jvp(workload.forward, arrays, tangents, eps))
            err = abs(fd - g.reshape(-1)[i]) / scale
            worst = max(worst, err)
            if err > rtol:
                raise VerificationError(
                    "%s: hand-written d/d(arg %d)[%d] = %r but finite differences give %r"
                    % (workload.name, pos, i, g.reshape(-1)[i], fd))
    return worst


def _close(what, got, want, rtol):
    got = np.asarray(got, np.float64)
    want = np.asarray(want, np.float64)
    if got.shape != want.shape:
        raise VerificationError("%s: shape %s, expected %s" % (what, got.shape, want.shape))
    scale = max(float(np.max(np.abs(want))) if want.size else 0.0, 1e-6)
    err = float(np.max(np.abs(got - want))) / scale if want.size else 0.0
    if not np.isfinite(err) or err > rtol:
        raise VerificationError("%s: max |difference| / max |expected| = %.3g > %.3g"
                                % (what, err, rtol))
    return err


def compare(name, got, want, rtol=2e-4):
    """``got`` and ``want`` are ``(value or None, [grads])``; raises VerificationError.
    Returns the largest normalized difference."""
    gv, gg = got
    wv, wg = want
    worst = 0.0
    if wv is not None and gv is not None:
        worst = max(worst, _close(name + " value", gv, wv, rtol))
    if len(gg) != len(wg):
        raise VerificationError("%s: %d gradients, expected %d" % (name, len(gg), len(wg)))
    for i, (a, b) in enumerate(zip(gg, wg)):
        worst = max(worst, _close("%s gradient %d" % (name, i), a, b, rtol))
    return worst
