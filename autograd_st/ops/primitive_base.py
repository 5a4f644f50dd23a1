"""The base of MindSpore's primitive classes (``ops.MatMul()``, ``ops.Split(axis, n)``) and of
the user's own (``class MyOp(PrimitiveWithInfer)``, ``mindspore.ops.primitive``).

Takes: nothing from the package.  Gives: :class:`Primitive`, :class:`PrimitiveWithInfer`,
:class:`PrimitiveWithCheck`, ``prim_attr_register``, ``constexpr`` and ``bprop_getters``
(the registry ``mindspore.ops._grad_experimental.grad_base`` exposes).

A user's primitive class (one written outside autograd_st) with a Python ``__call__`` runs
that ``__call__`` on Tensors when called eagerly.  Inside differentiated code its forward is
its ``__call__``, compiled, and its backward is its bprop: ``get_bprop()`` of the class, or
a getter registered with ``@bprop_getters.register(MyOp)``; the bprop takes
``(*inputs, out, dout)`` and returns a tuple with one gradient per input (MindSpore's graph
mode does the same; its PyNative mode differentiates the Python ``__call__`` instead and
never calls the bprop, which gives the same numbers when the bprop is the derivative of
``__call__``).  A user primitive with no bprop has no gradient: differentiating through
one of its outputs raises ``MissingBpropError`` (a RuntimeError, as MindSpore's), while
outputs cut with ``stop_gradient`` need none.
"""
from __future__ import annotations

import functools
import inspect

__all__ = ["Primitive", "PrimitiveWithInfer", "PrimitiveWithCheck", "prim_attr_register",
           "constexpr", "bprop_getters", "BpropRegistry"]


class BpropRegistry:
    """MindSpore's ``bprop_getters``: ``@bprop_getters.register(MyOp)`` over a getter
    ``get(self) -> bprop`` (``bprop(*inputs, out, dout) -> tuple of gradients``)."""

    def __init__(self) -> None:
        self._getters: dict = {}

    def register(self, prim):
        """Register the decorated getter for ``prim`` (a primitive class, an instance, or
        a primitive's name)."""
        key = prim if isinstance(prim, (str, type)) else type(prim)

        def deco(getter):
            self._getters[key] = getter
            return getter
        return deco

    def get(self, key, default=None):
        return self._getters.get(key, default)

    def __contains__(self, key) -> bool:
        return key in self._getters


bprop_getters = BpropRegistry()


class Primitive:
    """Base of primitive classes: constants to the compiler, callable on Tensors.

    Follows ``mindspore.ops.Primitive(name)``: ``name`` (the class name unless given),
    ``attrs`` (what ``prim_attr_register`` and ``add_prim_attr`` record), ``init_attrs``,
    ``add_prim_attr`` / ``del_prim_attr`` / ``init_prim_io_names`` and a ``Prim[Name]<...>``
    repr for the user's classes.  Execution-placement settings (``set_device``, ``shard``
    ...) are accepted and do nothing."""

    _autograd_st_primitive = True
    _autograd_st_user_primitive = False

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        # a class written outside the package is the user's own primitive
        # (with a Python __call__ written outside the package too: one without is a kernel
        # MindSpore looks up; a subclass of ops.MatMul keeps MatMul's call and gradient)
        call_module = getattr(cls.__call__, "__module__", None) or "autograd_st."
        cls._autograd_st_user_primitive = not cls.__module__.startswith("autograd_st.") \
            and not call_module.startswith("autograd_st.")

    def __init__(self, name: str | None = None) -> None:
        # (as MindSpore's: attrs start again empty; init_attrs holds the name given)
        self.__dict__.pop("_prim_attrs", None)
        self.__dict__.pop("_prim_init_attrs", None)
        if name is not None:
            self._prim_name = str(name)
            self.init_attrs["name"] = self._prim_name

    # -- MindSpore's attributes ---------------------------------------------------------
    @property
    def name(self) -> str:
        return self.__dict__.get("_prim_name", type(self).__name__)

    @name.setter
    def name(self, value) -> None:
        self._prim_name = str(value)

    @property
    def attrs(self) -> dict:
        return self.__dict__.setdefault("_prim_attrs", {})

    @property
    def init_attrs(self) -> dict:
        return self.__dict__.setdefault("_prim_init_attrs", {})

    @property
    def instance_name(self) -> str:
        return self.__dict__.get("_prim_instance_name", "")

    def add_prim_attr(self, name: str, value):
        """Record ``name=value`` in ``attrs`` and as an attribute (as MindSpore)."""
        self.attrs[name] = value
        object.__setattr__(self, name, value)
        return self

    add_attr = add_prim_attr

    def del_prim_attr(self, name: str):
        self.attrs.pop(name, None)
        self.__dict__.pop(name, None)
        return self

    def init_prim_io_names(self, inputs, outputs) -> None:
        self.add_prim_attr("input_names", list(inputs))
        self.add_prim_attr("output_names", list(outputs))

    def set_prim_instance_name(self, instance_name: str):
        self._prim_instance_name = instance_name
        return self

    def get_attr_dict(self) -> dict:
        return self.attrs

    def _accept(self, *args, **kwargs):
        return self

    set_device = set_stage = shard = recompute = place = set_const_prim = _accept
    set_const_input_indexes = add_prim_attr_to_all = _accept

    def get_bprop(self):
        """The user's bprop: override it to return ``bprop(*inputs, out, dout)``."""
        return None

    def _autograd_st_bprop(self):
        """The bprop of a user primitive (its class's ``get_bprop()``, else a getter from
        ``bprop_getters`` for its class or name), or None.  Read by the compiler
        (``compiler.markers.custom_bprop``)."""
        if type(self).get_bprop is not Primitive.get_bprop:
            found = self.get_bprop()
            if found is not None:
                return found
        for key in type(self).__mro__:
            if key is Primitive:
                break
            getter = bprop_getters.get(key)
            if getter is not None:
                return getter(self)
        getter = bprop_getters.get(self.name)
        return getter(self) if getter is not None else None

    def __call__(self, *args, **kwargs):
        raise RuntimeError(
            "Primitive %s has no Python __call__: autograd_st runs a primitive of your own "
            "through the __call__ its class defines (MindSpore looks for a kernel named %r); "
            "define __call__(self, ...) on Tensors" % (self.name, self.name))

    def __repr__(self) -> str:
        if not type(self).__module__.startswith("autograd_st.") \
                or "_prim_name" in self.__dict__ or "_prim_attrs" in self.__dict__:
            attrs = ", ".join("%s=%s" % kv for kv in self.attrs.items()
                              if kv[0] not in ("input_names", "output_names"))
            return "Prim[%s]%s" % (self.name, "<%s>" % attrs if attrs else "")
        attrs = ", ".join("%s=%r" % kv for kv in sorted(vars(self).items()))
        return "%s(%s)" % (type(self).__name__, attrs)


class PrimitiveWithInfer(Primitive):
    """MindSpore's ``PrimitiveWithInfer``: a primitive with ``infer_shape`` /
    ``infer_dtype`` / ``infer_value``.  autograd_st runs the Python ``__call__`` and never
    needs the infer methods (MindSpore's PyNative mode does not call them either)."""

    def infer_shape(self, *args):
        return None

    def infer_dtype(self, *args):
        return None

    def infer_value(self, *args):
        return None


class PrimitiveWithCheck(Primitive):
    """MindSpore's ``PrimitiveWithCheck`` (``check_shape`` / ``check_dtype``): as
    :class:`PrimitiveWithInfer`."""

    def check_shape(self, *args):
        return None

    def check_dtype(self, *args):
        return None


def prim_attr_register(fn):
    """MindSpore's ``@prim_attr_register`` over a primitive's ``__init__``: each argument
    (defaults filled in) becomes an attribute and an entry of ``attrs`` and ``init_attrs``,
    then ``__init__`` runs."""
    sig = inspect.signature(fn)

    @functools.wraps(fn)
    def init(self, *args, **kwargs):
        self.__dict__.pop("_prim_attrs", None)
        self.__dict__.pop("_prim_init_attrs", None)
        bound = sig.bind(self, *args, **kwargs)
        bound.apply_defaults()
        for k, v in list(bound.arguments.items())[1:]:
            if sig.parameters[k].kind in (inspect.Parameter.VAR_POSITIONAL,
                                          inspect.Parameter.VAR_KEYWORD):
                continue
            self.add_prim_attr(k, v)
            self.init_attrs[k] = v
        return fn(self, *args, **kwargs)
    return init


def constexpr(fn=None, *, get_instance=True, reuse_result=True, check=True):
    """MindSpore's ``@constexpr``: a function evaluated on constants at compile time.
    autograd_st folds calls on constants already, so it is the function itself."""
    if fn is None:
        return lambda f: f
    return fn
