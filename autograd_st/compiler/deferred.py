"""The reverse code of a gradient built at its first call, when a cheaper branch runs instead.

Takes: a function that builds a :class:`~autograd_st.compiler.gradient.GradientArtifact`
(the reverse code of the same FuncIR, plan and objects as the top-level gradient function
calling it), and, once that function is loaded, the namespace it is loaded into and the name
it calls the reverse code by.
Gives: :class:`DeferredReverse`, the callable that generated code calls in place of the
reverse code: its first call builds the artifact, binds the name to the built function in
the caller's namespace (later calls go straight there, with no indirection) and runs it.

Why: a gradient accumulated forward (:mod:`.lower_fwdacc`) runs when ``fwdacc_ok`` holds for
the call's arrays, and the reverse code only where it does not (a float16 or 0-d input, an
array that enlarges the chain by broadcasting).  Building, printing and loading the reverse
code too is about half of such a compile (a 1000-line elementwise function), for code that
most programs never run.  The built code is the one the compile would have built: the same
FuncIR, whose constants were folded under the guards the caller's artifact checks before
every call, so it is built only while they hold.

It stands for a compiled callee in the tools that read every generated function
(``full_source``, ``export``, ``fuse``): reading ``fn``, ``texts``, ``source`` or
``callees`` builds it, so a dump shows the reverse code as before, after the branch.
"""
from __future__ import annotations

import threading

__all__ = ["DeferredReverse"]


class DeferredReverse:
    """The reverse code of a gradient function, built when first called or read."""

    __slots__ = ("_build", "_art", "_lock", "_where", "__weakref__")

    def __init__(self, build) -> None:
        self._build = build
        self._art = None
        self._lock = threading.Lock()
        self._where = None  # (namespace, name): where the caller reads it

    def bind(self, namespace: dict, name: str) -> None:
        """The caller's globals and the name it reads this by (rebound when built)."""
        self._where = (namespace, name)

    def force(self):
        """The built artifact (built once, under a lock)."""
        art = self._art
        if art is None:
            with self._lock:
                art = self._art
                if art is None:
                    art = self._build()
                    self._build = None  # (and what it held)
                    if self._where is not None:
                        namespace, name = self._where
                        namespace[name] = art.fn
                    self._art = art
        return art

    def __call__(self, *args):
        return self.force().fn(*args)

    # -- read as a compiled callee --------------------------------------------------------
    @property
    def fn(self):
        return self.force().fn

    @property
    def source(self) -> str:
        return self.force().source

    @property
    def texts(self) -> list:
        art = self.force()
        return [(art.fn.__name__, art.source)]

    @property
    def callees(self) -> tuple:
        return self.force().callees

    @property
    def built(self) -> bool:
        return self._art is not None
