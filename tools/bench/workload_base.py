"""The base of every benchmark workload (see ``workloads``): ``Workload`` with its competitor
builders (HIPS autograd, PyTorch, JAX), the seeded generator and the extraction of
autograd_st's results.  ``workloads`` (W1..W6) and ``workloads_nn`` (W7..W9) build on it."""
from __future__ import annotations

import types

import numpy as np

from autograd_st import Tensor

__all__ = ["Workload", "rebind"]


def _rng(seed):
    return np.random.default_rng(seed)


def rebind(fn, **names):
    """``fn`` with some of its globals replaced (e.g. ``np`` -> ``jax.numpy``)."""
    glb = dict(fn.__globals__)
    glb.update(names)
    return types.FunctionType(fn.__code__, glb, fn.__name__, fn.__defaults__, fn.__closure__)


class Workload:
    name = ""
    title = ""
    wrt: tuple = ()
    returns_value = True

    def make(self, small=False, dtype=np.float32):
        raise NotImplementedError

    def forward(self, *arrays):
        raise NotImplementedError

    def hand(self, *arrays):
        raise NotImplementedError

    def autograd_st(self, arrays):
        raise NotImplementedError

    # competitors ----------------------------------------------------------------------
    def competitors(self, arrays, threads=1):
        """``{name: builder}``; a builder returns ``(call, extract)`` or raises ImportError."""
        return {
            "autograd": lambda: self.hips(arrays),
            "torch": lambda: self.torch(arrays, threads),
            "jax": lambda: self.jax(arrays, jit=False),
            "jax_jit": lambda: self.jax(arrays, jit=True),
        }

    # the pure loss written over a numpy-like namespace ``np`` (None: write them by hand)
    pure = None

    def _pure_for(self, namespace):
        return rebind(type(self).pure, np=namespace)

    def hips(self, arrays):
        import autograd
        import autograd.numpy as anp
        f = self._pure_for(anp)
        argnum = self.wrt if len(self.wrt) > 1 else self.wrt[0]
        g = (autograd.value_and_grad if self.returns_value else autograd.grad)(f, argnum)

        def call():
            return g(*arrays)
        return call, self._extract_generic

    def jax(self, arrays, jit):
        import jax
        import jax.numpy as jnp
        f = self._pure_for(jnp)
        argnums = self.wrt if len(self.wrt) > 1 else self.wrt[0]
        g = (jax.value_and_grad if self.returns_value else jax.grad)(f, argnums)
        if jit:
            g = jax.jit(g)
        dev = [jnp.asarray(a) for a in arrays]

        def call():
            return jax.block_until_ready(g(*dev))
        return call, self._extract_generic

    def torch(self, arrays, threads=1):
        import torch
        torch.set_num_threads(threads)
        f = self._pure_for(torch)
        ts = [torch.from_numpy(np.ascontiguousarray(a)) for a in arrays]
        for i in self.wrt:
            ts[i].requires_grad_(True)
        wrt = [ts[i] for i in self.wrt]

        def call():
            loss = f(*ts)
            grads = torch.autograd.grad(loss, wrt)
            return (loss.detach() if self.returns_value else None), grads
        return call, self._extract_torch

    def _extract_generic(self, out):
        if self.returns_value:
            value, grads = out
        else:
            value, grads = None, out
        if len(self.wrt) == 1:
            grads = (grads,)
        return (None if value is None else np.asarray(value)), [np.asarray(g) for g in grads]

    @staticmethod
    def _extract_torch(out):
        value, grads = out
        return (None if value is None else value.numpy()), [g.numpy() for g in grads]


def _st_extract(returns_value, nested=False):
    def extract(out):
        if returns_value:
            value, grads = out
            value = value.asnumpy()
        else:
            value, grads = None, out
        if isinstance(grads, Tensor):
            grads = (grads,)
        if nested:  # (input grads, weight grads) -> flat
            flat = []
            for g in grads:
                flat.extend(g if isinstance(g, tuple) else (g,))
            grads = flat
        return value, [g.asnumpy() for g in grads]
    return extract
