"""The marker attributes that layers above the compiler set on the objects user code calls.

The compiler never imports ``ops`` (arrows point down), so the API marks its objects with an
``_autograd_st_*`` attribute and the compiler reads the mark.  Every reading of a marker in
the compiler goes through one of these predicates; each says who sets its marker.
"""
from __future__ import annotations

__all__ = ["is_primitive_instance", "is_user_primitive", "custom_bprop",
           "is_compile_time_api", "is_gradient_function",
           "is_bindable", "kernel_primitive", "takes_sens"]


def is_primitive_instance(obj) -> bool:
    """A MindSpore-style primitive instance such as ``ops.MatMul()``.

    Marker ``_autograd_st_primitive``: a class attribute of ``ops.operations.Primitive``."""
    return bool(getattr(obj, "_autograd_st_primitive", False))


def is_user_primitive(obj) -> bool:
    """An instance of a primitive class of the user's own (``class MyOp(PrimitiveWithInfer)``
    written outside autograd_st): its ``__call__`` is compiled as its forward and its bprop
    gives its backward.

    Marker ``_autograd_st_user_primitive``: a class attribute set by
    ``ops.primitive_base.Primitive.__init_subclass__``."""
    return is_primitive_instance(obj) and not isinstance(obj, type) \
        and bool(getattr(type(obj), "_autograd_st_user_primitive", False))


def custom_bprop(obj):
    """A user primitive's bprop ``(*inputs, out, dout) -> gradients``, or None (it has none).

    Read through ``_autograd_st_bprop()``, a method of ``ops.primitive_base.Primitive``
    (the class's ``get_bprop()``, else a getter of ``bprop_getters``)."""
    return obj._autograd_st_bprop()


def is_compile_time_api(obj) -> bool:
    """An API that only makes sense at compile time: ``ops.grad(f)``, ``ops.value_and_grad``,
    ``GradOperation(...)``, ``ops.ones`` / ``ops.zeros`` (called with constants, evaluated).

    Marker ``_autograd_st_static``: set by ``_static`` in ``ops/grad_api.py`` and
    ``ops/functional.py``, and a class attribute of ``ops.grad_api.GradOperation``."""
    return bool(getattr(obj, "_autograd_st_static", False))


def run_time_form(obj):
    """For a compile-time API that also has a form for runtime arguments (``ops.zeros(
    (x.shape[0], 4))``: a shape known only at run time), that form (written over the
    primitives), else None.

    Marker ``_autograd_st_at_run_time``: set by ``ops/functional.py`` and ``numpy.py``."""
    return getattr(obj, "_autograd_st_at_run_time", None)


def is_gradient_function(obj) -> bool:
    """A gradient function (what ``grad`` / ``value_and_grad`` / ``GradOperation`` give);
    a call to one inside user code is a call to its generated code.

    Marker ``_autograd_st_grad_function``: a class attribute of
    ``boundary.function.GradFunction``."""
    return bool(getattr(obj, "_autograd_st_grad_function", False))


def takes_sens(gfn) -> bool:
    """Whether a gradient function's last argument is the output's gradient (``sens``).

    Read from ``gfn.request.sens`` (``boundary.request.GradRequest``)."""
    return bool(gfn.request.sens)


def is_bindable(obj) -> bool:
    """A library function written over ``P`` (an ``ops.*`` function): its own composite.

    Marker ``_autograd_st_bindable``: set by :func:`autograd_st.prims.bindable`."""
    return bool(getattr(obj, "_autograd_st_bindable", False))


def kernel_primitive(obj) -> str | None:
    """The name of the primitive whose body the kernel ``obj`` is, or None.

    Marker ``_autograd_st_prim``: set by ``_tag`` in :mod:`autograd_st.kernels`."""
    tag = getattr(obj, "_autograd_st_prim", None)
    return tag if isinstance(tag, str) else None
