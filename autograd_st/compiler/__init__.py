"""The compiler: parse -> fence -> normalize -> analyze -> reverse -> codegen -> load.

One module per pass (each docstring says what it takes and gives); ``driver`` runs them and
holds the caches.  The public entry points are re-exported lazily so that the light modules
(``ir``) can be imported by the runtime layer without pulling the whole compiler in.
"""

_DRIVER_NAMES = ("normalize_function", "build_pair", "build_gradient", "structure_signature",
                 "Compiled", "clear_caches")

__all__ = list(_DRIVER_NAMES)


def __getattr__(name):
    if name in _DRIVER_NAMES:
        from . import driver
        return getattr(driver, name)
    raise AttributeError(name)
