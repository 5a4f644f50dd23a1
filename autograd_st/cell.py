"""``nn.Cell``: the base class of every network, as in MindSpore.

Attribute assignment registers Parameters, sub-Cells and primitive instances, so that
``trainable_params()`` and the compiler can find them, with names that carry their attribute
path (``fc1.weight``).  Calling a Cell runs ``construct`` eagerly on Tensors.

It lives beside :class:`~autograd_st.tensor.Tensor`, below the compiler, because the compiler
reads a Cell's structure (its ``construct``, Parameters and sub-Cells); ``autograd_st.nn.Cell``
is this class.
"""
from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Mapping
from typing import Iterator

import numpy as np

from . import dtype as mstype
from .errors import CheckpointMismatchError as _MismatchError
from .errors import ConstructNotDefinedError as _NoConstructError
from .tensor import Parameter, ParameterTuple, Tensor, bump_structure_epoch
from .validate_inputs import check_input_count, check_inputs, graph_mode

_MP_STACK: list = []  # the float dtypes of the to_float Cells whose construct is running


def _cast_out(value, dtype):
    """A ``to_float`` Cell's output given back to a Cell of another float dtype: its float
    Tensors (in tuples and lists too) in that dtype."""
    if isinstance(value, (tuple, list)):
        items = [_cast_out(v, dtype) for v in value]
        if hasattr(value, "_fields"):  # a namedtuple
            return type(value)(*items)
        return type(value)(items)
    return _cast_arg(value, dtype)


def _cast_arg(value, dtype):
    """An argument of a Cell after ``to_float``: a float Tensor in ``dtype``."""
    if isinstance(value, Tensor) and value._data.dtype.kind == "f" \
            and value._data.dtype != dtype:
        return Tensor(value._data.astype(dtype))
    return value


__all__ = ["Cell", "recompute", "is_recomputed"]


class HookHandle:
    """What ``register_forward_hook`` returns: ``remove()`` takes the hook off its Cell."""

    def __init__(self, cell, where: str, key) -> None:
        self._cell, self._where, self._key = cell, where, key

    def remove(self) -> None:
        hooks = getattr(self._cell, self._where)
        object.__setattr__(self._cell, self._where,
                           tuple(h for h in hooks if h[0] is not self._key))
        self._cell._plain_call_again()
        bump_structure_epoch()


class Cell:
    """Base class of networks: subclasses define ``__init__`` and ``construct``."""

    _params: "OrderedDict[str, Parameter]"  # set in __init__ (past __setattr__)
    _cells: "OrderedDict[str, Cell]"
    _func_graph_flags: dict  # add_flags(...)
    training: bool
    _mp_dtype: "np.dtype | None"  # to_float's dtype (None: as the values are)
    _plain_call: bool  # __call__ is construct (no forward hooks, no to_float)

    def __init__(self, auto_prefix: bool = True, flags=None) -> None:
        object.__setattr__(self, "_params", OrderedDict())
        object.__setattr__(self, "_cells", OrderedDict())
        object.__setattr__(self, "training", False)
        object.__setattr__(self, "_bprop_cache", None)
        object.__setattr__(self, "_param_lists", OrderedDict())
        # the hooks live on the instance, so compiled code that read them is covered by the
        # Cell's structure (its signature), not by a guard checked on every call
        object.__setattr__(self, "_forward_pre_hooks", ())
        object.__setattr__(self, "_forward_hooks", ())
        object.__setattr__(self, "_backward_hooks", ())
        object.__setattr__(self, "_backward_pre_hooks", ())
        # Cell.to_float: the float dtype its inputs and Parameters are cast to (None: as they
        # are); _plain_call: no forward hooks and no cast, so __call__ is construct
        object.__setattr__(self, "_mp_dtype", None)
        object.__setattr__(self, "_plain_call", True)
        # Cell.recompute(): whether the backward recomputes this Cell's forward (part of the
        # Cell's structure, so compiled code that read it is made again when it changes)
        object.__setattr__(self, "_recompute_config", None)
        # Cell(auto_prefix=False): the Parameters of sub-Cells assigned here keep their names
        object.__setattr__(self, "_auto_prefix", bool(auto_prefix))
        object.__setattr__(self, "_func_graph_flags", {})
        if flags:
            self.add_flags(**flags)

    # -- registration ------------------------------------------------------------------
    def __setattr__(self, name: str, value) -> None:
        if "_params" not in self.__dict__:
            # MindSpore 2.10 (measured): a plain value or a Tensor may be set before
            # Cell.__init__ (it stays); a Cell or a Parameter may not
            if isinstance(value, Parameter):
                raise AttributeError("For 'insert_param_to_cell', please call Cell.__init__() "
                                     "firstly (call super().__init__() in %s.__init__ before "
                                     "assigning Parameters)" % type(self).__name__)
            if isinstance(value, Cell):
                raise AttributeError("The '%s' object has no attribute '_auto_prefix' (call "
                                     "super().__init__() in its __init__ before assigning "
                                     "Cells)" % type(self).__name__)
            object.__setattr__(self, name, value)
            return
        params, cells = self.__dict__["_params"], self.__dict__["_cells"]
        lists = self.__dict__["_param_lists"]
        if name in params and value is not None and not isinstance(value, Parameter):
            # MindSpore: a Tensor assigned over a Parameter sets its data (it stays the same
            # trainable Parameter, in its dtype); anything else there is refused
            if isinstance(value, Tensor) and params[name] is not None:
                params[name].set_data(value)
                return
            raise TypeError("Parameter '%s' already exists in %s, can not assign this type: "
                            "'%s' as a parameter. Assign a Parameter, a Tensor (its data is "
                            "set) or None." % (name, type(self).__name__,
                                               type(value).__name__))
        if name in cells and value is not None and not isinstance(value, Cell):
            # MindSpore: a sub-Cell's slot takes a Cell or None, nothing else (the slot
            # stays after ``self.mod = None``, so a later Tensor there is refused too)
            raise TypeError("Sub cell '%s' already exists in %s, can not assign this type: "
                            "'%s' as a cell. Assign a Cell or None, or use another attribute "
                            "name." % (name, type(self).__name__, type(value).__name__))
        # A Parameter, Cell or ParameterTuple assigned over one of its kind keeps its place
        # (an OrderedDict keeps a replaced key where it was), as in MindSpore: the order of
        # trainable_params() and of the gradients by weights does not change; anything else
        # under that name is unregistered.
        if value is None and params.get(name) is not None:
            params[name] = None  # the slot stays (MindSpore): a Parameter put back there
            # later takes its old place; it is skipped when walking
        elif not isinstance(value, Parameter):
            params.pop(name, None)
        if value is None and cells.get(name) is not None:
            cells[name] = None  # the slot stays (MindSpore): it is skipped when walking
        elif not isinstance(value, Cell):
            cells.pop(name, None)
        if not isinstance(value, (Parameter, ParameterTuple)) and not (
                value is None and name in params):
            lists.pop(name, None)  # MindSpore registers these, not lists
        if isinstance(value, Parameter):
            if not value._name_given or value.name == "Parameter":
                value.name = name
                value._name_given = True
            params[name] = value
            if isinstance(lists.get(name), tuple):
                del lists[name]
            lists.setdefault(name, None)  # its place among Parameters and tuples
        elif isinstance(value, Cell):
            cells[name] = value
            if self.__dict__.get("_auto_prefix", True):
                for sub_name, p in value.parameters_and_names():
                    p.name = name + "." + sub_name
        elif isinstance(value, ParameterTuple):
            lists[name] = tuple(value)
        object.__setattr__(self, name, value)
        # anything assigned may be compiled in (a flag, a size, a mode): the gradient
        # functions look again (they keep their code if the structure did not change)
        bump_structure_epoch()

    def __delattr__(self, name: str) -> None:
        self.__dict__["_params"].pop(name, None)
        self.__dict__["_cells"].pop(name, None)
        self.__dict__["_param_lists"].pop(name, None)
        object.__delattr__(self, name)
        bump_structure_epoch()

    def insert_param_to_cell(self, name: str, param: Parameter, check_name_contain_dot=True
                             ) -> None:
        """MindSpore's ``Cell.insert_param_to_cell``: registers ``param`` under ``name``.
        Raises MindSpore's errors: ``KeyError`` for an empty name or one with a dot,
        ``TypeError`` when ``param`` is not a Parameter (or None)."""
        if "_params" not in self.__dict__:
            raise AttributeError("For 'insert_param_to_cell', please call Cell.__init__() "
                                 "firstly.")
        _check_child_name("insert_param_to_cell", name, check_name_contain_dot)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError("For 'insert_param_to_cell', the argument 'param' must be "
                            "'Parameter' if not None, but got %s." % type(param).__name__)
        setattr(self, name, param)

    def insert_child_to_cell(self, child_name: str, child_cell: "Cell") -> None:
        """MindSpore's ``Cell.insert_child_to_cell``: registers ``child_cell`` (a Cell or
        None) under ``child_name``; ``KeyError`` for an empty or dotted name, ``TypeError``
        for anything that is not a Cell."""
        _check_child_name("insert_child_to_cell", child_name, True)
        if child_cell is not None and not isinstance(child_cell, Cell):
            raise TypeError("For 'insert_child_to_cell', the argument 'child_cell' must be "
                            "'Cell' if not None, but got %s." % type(child_cell).__name__)
        if child_cell is None:
            self._cells[child_name] = None
            object.__setattr__(self, child_name, None)
            bump_structure_epoch()
            return
        setattr(self, child_name, child_cell)

    def apply(self, fn) -> "Cell":
        """MindSpore's ``Cell.apply``: calls ``fn(cell)`` on every sub-Cell, then on this
        Cell, and returns this Cell."""
        for cell in self.cells():
            cell.apply(fn)
        fn(self)
        return self

    # -- calling -------------------------------------------------------------------------
    def construct(self, *inputs):
        raise _NoConstructError("For '%s', the method 'construct' is not defined. Define "
                                "construct(self, ...) in the Cell subclass."
                                % type(self).__name__)

    _forward_pre_hooks: tuple = ()  # ((key, hook_fn), ...): replaced, never changed in place
    _forward_hooks: tuple = ()
    _backward_hooks: tuple = ()
    _backward_pre_hooks: tuple = ()
    _input_specs = None  # what set_inputs declared (a tuple), or None

    def __call__(self, *args, **kwargs):
        if self._input_specs is not None and graph_mode():
            check_inputs(self, args)
        if self._plain_call:
            if kwargs:
                return self.construct(*args, **kwargs)
            return self.construct(*args)
        for _, hook in self._forward_pre_hooks:
            new = hook(self, args)
            if new is not None:
                args = new if isinstance(new, tuple) else (new,)
        if self._mp_dtype is None:
            out = self.construct(*args, **kwargs)
        else:
            out = self._construct_cast(args, kwargs)
        for _, hook in self._forward_hooks:
            new = hook(self, args, out)
            if new is not None:
                out = new
        return out

    # -- hooks ---------------------------------------------------------------------------
    def register_forward_pre_hook(self, hook_fn) -> "HookHandle":
        """MindSpore's ``Cell.register_forward_pre_hook(hook_fn)``: ``hook_fn(cell, inputs)``
        runs before ``construct`` (``inputs`` a tuple); a tuple (or one value) it returns
        replaces the inputs.  In differentiated code the hook is compiled like a helper (its
        effects run, gradients flow through what it returns).  Returns a handle whose
        ``remove()`` takes the hook off."""
        return self._add_hook("_forward_pre_hooks", hook_fn)

    def register_forward_hook(self, hook_fn, with_kwargs: bool = False) -> "HookHandle":
        """MindSpore's ``Cell.register_forward_hook(hook_fn)``: ``hook_fn(cell, inputs,
        output)`` runs after ``construct`` (``inputs`` as the pre-hooks left them); a value it
        returns replaces the output.  Returns a handle whose ``remove()`` takes it off."""
        if with_kwargs:
            raise NotImplementedError("register_forward_hook(with_kwargs=True) is not supported")
        return self._add_hook("_forward_hooks", hook_fn)

    def register_backward_hook(self, hook_fn) -> "HookHandle":
        """MindSpore's ``Cell.register_backward_hook(hook_fn)``: when the gradient reaches
        the Cell's input, ``hook_fn(cell, grad_input, grad_output)`` runs (each a tuple:
        the gradient of the input, of the output); a tuple it returns replaces the input's
        gradient.  For a Cell called from differentiated code with one Tensor input and one
        Tensor output (others are refused); the generated code shows where it runs.  Unlike
        MindSpore, which calls it with ``(None,)`` when the input carries no gradient (only
        weights differentiated), it is not called then (the gradients are the same)."""
        return self._add_hook("_backward_hooks", hook_fn)

    def register_backward_pre_hook(self, hook_fn) -> "HookHandle":
        """MindSpore's ``Cell.register_backward_pre_hook(hook_fn)``: when the gradient of the
        Cell's output arrives, before the Cell's own backward, ``hook_fn(cell, grad_output)``
        runs (a tuple: the gradient of the output); a tuple (or one value) it returns
        replaces that gradient, None keeps it.  Several run in the order registered.  For a
        Cell called from differentiated code with one Tensor output (others are refused);
        the generated code shows where it runs (``call_backward_pre_hook``)."""
        return self._add_hook("_backward_pre_hooks", hook_fn)

    def _add_hook(self, where: str, hook_fn) -> "HookHandle":
        if not callable(hook_fn):
            raise TypeError("the hook must be callable, got %r" % (hook_fn,))
        key = object()
        # a new tuple: compiled code that read the hooks sees the change (a guarded attribute)
        object.__setattr__(self, where, getattr(self, where) + ((key, hook_fn),))
        self._plain_call_again()
        bump_structure_epoch()
        return HookHandle(self, where, key)

    def _plain_call_again(self) -> None:
        object.__setattr__(self, "_plain_call", not (self._forward_pre_hooks
                                                     or self._forward_hooks
                                                     or self._mp_dtype is not None))

    def _construct_cast(self, args, kwargs):
        """``construct`` after ``to_float``, run eagerly as MindSpore runs it: float Tensor
        arguments cast to the Cell's float dtype, and the Cell's own float Parameters read in
        it (their data is that dtype while ``construct`` runs: a cast copy, written back, in
        the Parameter's dtype, if ``construct`` changed it, as BatchNorm's moving statistics).
        Sub-Cells cast their own when they are called."""
        dt = self._mp_dtype
        args = tuple(_cast_arg(a, dt) for a in args)
        kwargs = {k: _cast_arg(v, dt) for k, v in kwargs.items()}
        outer = _MP_STACK[-1] if _MP_STACK else None
        swapped = []
        for p in self._params.values():
            data = None if p is None else p._data
            if data is not None and data.dtype.kind == "f" and data.dtype != dt:
                low = data.astype(dt)
                swapped.append((p, data, low, low.copy()))
                object.__setattr__(p, "_data", low)
        _MP_STACK.append(dt)
        try:
            out = self.construct(*args, **kwargs)
        finally:
            _MP_STACK.pop()
            for p, data, low, seen in swapped:
                now = p._data
                if now is not low or not np.array_equal(now, seen, equal_nan=True):
                    if now.shape == data.shape:
                        data[...] = now.astype(data.dtype)
                    else:
                        data = now.astype(data.dtype)
                object.__setattr__(p, "_data", data)
        if outer is not None and outer != dt:  # (called by a Cell of another float dtype:
            out = _cast_out(out, outer)        # BatchNorm kept float32 in a float16 network)
        return out

    # -- memory --------------------------------------------------------------------------
    def recompute(self, *, use_reentrant=True, output_recompute=False, early_stop=True,
                  context_fn=None, **kwargs) -> None:
        """MindSpore's ``Cell.recompute(*, use_reentrant=True, output_recompute=False,
        early_stop=True, context_fn=None, **kwargs)``: the backward recomputes this Cell's
        forward instead of keeping its residuals.  Where differentiated code calls the Cell,
        its forward keeps only the Cell's inputs; its backward runs the forward again (with
        residuals) and then its backward (the generated code says so in a comment).  Loops
        in the Cell's ``construct`` keep their tape only every ceil(sqrt(T)) iterations and
        recompute the segments between in the backward (loop checkpointing).  Gradients are
        the same as without it.

        Validated as MindSpore 2.10 does: keyword-only; ``mp_comm_recompute`` and
        ``parallel_optimizer_comm_recompute`` must be bools (TypeError); ``context_fn`` only
        with ``use_reentrant=False`` (ValueError; ``output_recompute=True`` implies it);
        ``output_recompute`` must be a bool (TypeError); another keyword is a ValueError.
        Configured once: a second call, or a call on a sub-Cell of a configured Cell, is
        ignored.  Differences: the keywords about parallel communication
        (``mp_comm_recompute``, ``parallel_optimizer_comm_recompute``,
        ``recompute_slice_activation``), ``early_stop``, ``context_fn`` and
        ``output_recompute`` change nothing here (one process; the Cell's whole forward is
        recomputed); an unknown keyword is refused before the Cell is configured (MindSpore
        configures it, then raises).  On the Cell that is differentiated itself, forward and
        backward are one call, so only its loops' checkpointing saves memory.  A forward that
        draws random numbers (dropout) draws again when recomputed, as in MindSpore."""
        for key in ("mp_comm_recompute", "parallel_optimizer_comm_recompute"):
            if key in kwargs and type(kwargs[key]) is not bool:
                raise TypeError("The parameter '%s' must be <class 'bool'>, but got %s"
                                % (key, type(kwargs[key])))
        if output_recompute:
            use_reentrant = False
        if use_reentrant and context_fn is not None:
            raise ValueError("context_fn is only supported when use_reentrant=False.")
        if type(output_recompute) is not bool:
            raise TypeError("The input value must be a bool, but got %s."
                            % type(output_recompute).__name__)
        for key in kwargs:
            if key not in ("mp_comm_recompute", "parallel_optimizer_comm_recompute",
                           "recompute_slice_activation"):
                raise ValueError("For 'recompute', keyword '%s' is not recognized! the key "
                                 "kwargs must be 'mp_comm_recompute', "
                                 "'parallel_optimizer_comm_recompute', "
                                 "'recompute_slice_activation'" % key)
        if self.__dict__.get("_recompute_config") is not None:
            return  # (MindSpore: "can be configured only once", logged, ignored)
        object.__setattr__(self, "_recompute_config", "on")
        for _, cell in self._walk():  # its sub-Cells are inside its recomputation
            if cell is not self and cell.__dict__.get("_recompute_config") is None:
                object.__setattr__(cell, "_recompute_config", "inside")
        bump_structure_epoch()

    # -- declared inputs and flags -------------------------------------------------------
    def set_inputs(self, *inputs, **kwargs) -> None:
        """MindSpore's ``Cell.set_inputs(*inputs)``: declares the inputs, Tensors whose
        unknown dimensions are None (``Tensor(shape=[None, 3], dtype=ms.float32)``;
        ``shape=None``: any rank), tuples of them, or values.  As in MindSpore 2.10, in
        PyNative mode (the default) calls are not checked against them; in GRAPH_MODE a
        call of this Cell whose Tensor has another dtype raises ``TypeError``, another rank
        or a fixed dimension of another size ``ValueError`` (MindSpore's words).  Gradients
        are computed for the shapes each call has (generated code does not depend on
        shapes)."""
        if kwargs:
            raise ValueError("For 'set_inputs', keyword inputs are not supported here: "
                             "declare the inputs positionally, in construct's order.")
        if graph_mode():
            check_input_count(self, len(inputs))
        object.__setattr__(self, "_input_specs", tuple(inputs))

    def get_inputs(self):
        """What :meth:`set_inputs` declared (a tuple), or None."""
        return self._input_specs

    def add_flags(self, **flags) -> "Cell":
        """MindSpore's ``Cell.add_flags(**flags)``: records the flags (``get_flags()``) and
        sets each as an attribute of this Cell, as MindSpore does; returns the Cell.
        MindSpore's graph compiler reads some (``defer_inline``...): here they change
        nothing but the attributes."""
        self._func_graph_flags.update(flags)
        for key, value in flags.items():
            object.__setattr__(self, key, value)
        bump_structure_epoch()
        return self

    def add_flags_recursive(self, **flags) -> "Cell":
        """``add_flags(**flags)`` on this Cell and every sub-Cell; returns the Cell."""
        for _, cell in self._walk():
            cell.add_flags(**flags)
        return self

    def get_flags(self) -> dict:
        """The flags :meth:`add_flags` recorded (a dict)."""
        return self._func_graph_flags

    # -- parameters ----------------------------------------------------------------------
    def cells_and_names(self, cells=None, name_prefix: str = "") -> Iterator[tuple[str, "Cell"]]:
        """MindSpore's ``cells_and_names(cells=None, name_prefix='')``: this Cell and every
        Cell under it, depth-first in attribute order (MindSpore 2.10's order: a loop that
        re-initializes weights in this order draws its seeded numbers into the same
        Parameters), each once; ``cells`` a set of Cells whose subtrees are skipped (filled
        as it goes), as MindSpore's."""
        if isinstance(cells, str):  # the prefix given first (autograd_st's earlier form)
            cells, name_prefix = None, cells
        seen = cells if cells else set()
        if self in seen:
            return
        seen.add(self)
        yield name_prefix, self
        for name, cell in self._cells.items():
            if cell:
                yield from cell.cells_and_names(
                    seen, name_prefix + "." + name if name_prefix else name)

    def parameters_and_names(self, name_prefix: str = "", expand: bool = True):
        seen = set()
        for cell_name, cell in self._walk(name_prefix):
            # MindSpore registers a ParameterTuple's members among the Cell's Parameters,
            # where it was assigned: one walk over both, in assignment order
            slots = cell.__dict__.get("_param_lists", {})
            own = [(pname, (cell._params.get(pname),)) if plist is None else (None, plist)
                   for pname, plist in slots.items()]
            own += [(pname, (p,)) for pname, p in cell._params.items() if pname not in slots]
            for pname, plist in own:
                for p in plist:
                    if p is None or id(p) in seen:
                        continue
                    seen.add(id(p))
                    if pname is None:
                        yield p.name, p
                    else:
                        yield (cell_name + "." if cell_name else "") + pname, p

    def _walk(self, prefix=""):
        """Depth-first, in attribute order (MindSpore's parameter order)."""
        seen = set()

        def rec(name, cell):
            if id(cell) in seen:
                return
            seen.add(id(cell))
            yield name, cell
            for child_name, child in cell._cells.items():
                if child is not None:
                    yield from rec((name + "." if name else "") + child_name, child)
        yield from rec(prefix, self)

    def get_parameters(self, expand: bool = True) -> Iterator[Parameter]:
        for _, p in self.parameters_and_names():
            yield p

    def trainable_params(self, recurse: bool = True) -> list:
        """The Parameters with ``requires_grad=True``, in definition order."""
        return [p for p in self.get_parameters() if p.requires_grad]

    def untrainable_params(self, recurse: bool = True) -> list:
        return [p for p in self.get_parameters() if not p.requires_grad]

    def init_parameters_data(self, auto_parallel_mode: bool = False) -> dict:
        """MindSpore's ``Cell.init_parameters_data``: initialize every Parameter and return
        ``{original: replacement}``. Parameters here hold their values from construction, so
        each maps to itself (as MindSpore's PyNative answer on an initialized Cell)."""
        return {p: p for p in self.get_parameters()}

    def parameters_dict(self) -> "OrderedDict[str, Parameter]":
        """The Parameters by their names (``p.name``, as MindSpore: under
        ``auto_prefix=False`` two may share one; the later one is kept, at the place of the
        first)."""
        out: OrderedDict = OrderedDict()
        for p in self.get_parameters():
            out[p.name] = p
        return out

    def name_cells(self) -> "OrderedDict[str, Cell]":
        return OrderedDict((k, c) for k, c in self._cells.items() if c is not None)

    def cells(self):
        return [c for c in self._cells.values() if c is not None]

    def update_parameters_name(self, prefix: str = "", recurse: bool = True) -> None:
        for name, p in self.parameters_and_names():
            p.name = prefix + name

    # -- state_dict (MindSpore 2.10's torch-like pair) -------------------------------------
    def state_dict(self, *args, destination=None, prefix: str = "", keep_vars: bool = False):
        """MindSpore's ``Cell.state_dict(destination=None, prefix='', keep_vars=False)``: an
        OrderedDict of this Cell's Parameters and those of its sub-Cells (references, not
        copies), keyed by attribute path (``net.weight``), not by ``Parameter.name``.
        Differs: Cells here hold no buffers and no extra state, so only Parameters appear."""
        if args:
            destination = args[0] if destination is None else destination
            prefix = args[1] if len(args) > 1 and prefix == "" else prefix
        if destination is not None and not isinstance(destination, dict):
            raise TypeError("The type of destination must be OrderedDict, but got %s"
                            % type(destination))
        if not isinstance(prefix, str):
            raise TypeError("The type of prefix must be string, but got %s" % type(prefix))
        if not isinstance(keep_vars, bool):
            raise TypeError("The type of keep_vars must be bool, but got %s" % type(keep_vars))
        if destination is None:
            destination = OrderedDict()
        for name, param in _own_params(self):
            destination[prefix + name] = param
        for name, cell in self._cells.items():
            if cell is not None:
                cell.state_dict(destination=destination, prefix=prefix + name + ".")
        return destination

    def load_state_dict(self, state_dict, strict: bool = True):
        """MindSpore's ``Cell.load_state_dict(state_dict, strict=True)``: copy the values of
        ``state_dict`` (keys as :meth:`state_dict` makes them, e.g. from ``load_checkpoint``)
        into this Cell's Parameters, cast to each Parameter's dtype.  Returns
        ``(missing_keys, unexpected_keys)``, printed ``<All keys matched successfully>`` when
        both are empty.  A value of another shape, or (``strict``) a missing or unexpected key,
        raises CheckpointMismatchError (a RuntimeError, as MindSpore's) naming every key; the
        Parameters that did fit are copied all the same, as in MindSpore."""
        if not isinstance(state_dict, Mapping):
            raise TypeError("Expected state_dict to be dict-like, got %s." % type(state_dict))
        missing: list = []
        unexpected: list = []
        errors: list = []
        _load_cell_state(self, dict(state_dict), "", missing, unexpected, errors)
        if strict:
            if unexpected:
                errors.insert(0, "Unexpected key(s) in state_dict: %s. "
                              % ", ".join('"%s"' % k for k in unexpected))
            if missing:
                errors.insert(0, "Missing key(s) in state_dict: %s. "
                              % ", ".join('"%s"' % k for k in missing))
        if errors:
            raise _MismatchError("Error(s) in loading state_dict for %s:\n\t%s\nLoad the "
                                 "state_dict of this network's own structure (or pass "
                                 "strict=False to skip missing and unexpected keys)."
                                 % (type(self).__name__, "\n\t".join(errors)))
        return IncompatibleKeys(missing, unexpected)

    # -- modes ---------------------------------------------------------------------------
    def set_train(self, mode: bool = True) -> "Cell":
        for _, cell in self._walk():
            if cell.training != mode:
                object.__setattr__(cell, "training", mode)
                bump_structure_epoch()
        return self

    def set_grad(self, requires_grad: bool = True) -> "Cell":
        return self

    def to_float(self, dst_type) -> "Cell":
        """MindSpore's ``Cell.to_float(dst_type)`` (float32 or float16; anything else is
        MindSpore's ValueError), on this Cell and every Cell in it: when one is called, its
        float Tensor arguments (not those inside tuples or lists) are cast to ``dst_type`` and
        so are its float Parameters where its code reads them, as MindSpore does (measured on
        2.10: a Dense after ``to_float(float16)`` computes and returns float16, its weight
        stays float32, and the gradients keep the dtypes of the inputs and Parameters they
        are for).  Eagerly and in differentiated code alike (the generated code shows each
        ``mp_cast``).  Returns the Cell."""
        if dst_type is not mstype.float32 and dst_type is not mstype.float16:
            raise ValueError("For 'to_float', the argument 'dst_type' must be mstype.float32 "
                             "or mstype.float16, but got type: %s and value: %s."
                             % (type(dst_type), dst_type))
        dt = np.dtype(mstype.to_numpy(dst_type))
        for _, cell in self.cells_and_names():
            object.__setattr__(cell, "_mp_dtype", dt)
            cell._plain_call_again()
        bump_structure_epoch()
        return self

    def extend_repr(self) -> str:
        """MindSpore's ``Cell.extend_repr()``: the Cell's own settings in its printed form
        (empty here; layers say theirs)."""
        return ""

    def __repr__(self) -> str:
        """As MindSpore 2.10 prints a Cell: ``Name(settings)``, or its settings and each
        sub-Cell ``(name): ...`` on lines of their own, indented."""
        extra = self.extend_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = ["(%s): %s" % (key, repr(cell).replace("\n", "\n  "))
                       for key, cell in self._cells.items()]
        lines = extra_lines + child_lines
        text = type(self).__name__ + "("
        if len(extra_lines) == 1 and not child_lines:
            text += extra_lines[0]
        elif lines:
            text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"



class IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``Cell.load_state_dict`` returns (MindSpore's ``_IncompatibleKeys``)."""

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def _own_params(cell):
    """A Cell's own Parameters as ``state_dict`` names them, in registration order: by
    attribute name, and a ParameterTuple's members by their own names (MindSpore registers
    them so, measured)."""
    out = []
    slots = cell.__dict__.get("_param_lists", {})
    for name, plist in slots.items():
        if plist is None:
            if cell._params.get(name) is not None:
                out.append((name, cell._params[name]))
        else:
            out.extend((p.name, p) for p in plist)
    out += [(name, p) for name, p in cell._params.items() if name not in slots and p is not None]
    return out


def _load_cell_state(cell, state, prefix, missing, unexpected, errors) -> None:
    """One Cell's part of ``load_state_dict`` (MindSpore's ``_load_from_state_dict``), then
    its sub-Cells' with the keys under their prefixes."""
    own = dict(_own_params(cell))
    for name, param in own.items():
        key = prefix + name
        if key not in state:
            missing.append(key)  # reported with strict=False too (MindSpore)
            continue
        value = state[key]
        if not isinstance(value, Tensor):
            errors.append('While copying the parameter named "%s", expected Tensor or '
                          'Tensor-like object from checkpoint but received %s'
                          % (key, type(value)))
            continue
        if tuple(value.shape) != tuple(param.shape):
            errors.append("size mismatch for %s: copying a param with shape %s from "
                          "checkpoint, the shape in current model is %s."
                          % (key, tuple(value.shape), tuple(param.shape)))
            continue
        param.set_data(Tensor(value.asnumpy(), dtype=param.dtype))
    for key in state:
        if key.startswith(prefix):
            head = key[len(prefix):].split(".", 1)
            if len(head) > 1:
                if head[0] not in cell._cells:
                    unexpected.append(key)
            elif head[0] not in own:
                unexpected.append(key)
    for name, child in cell._cells.items():
        if child is not None:
            sub = prefix + name + "."
            _load_cell_state(child, {k: v for k, v in state.items() if k.startswith(sub)},
                             sub, missing, unexpected, errors)


def _check_child_name(method: str, name, check_dot: bool) -> None:
    """MindSpore's checks of a child's name: a non-empty str without a dot."""
    if not isinstance(name, str):
        raise KeyError("For '%s', the type of parameter 'name' must be str, but got %s."
                       % (method, type(name).__name__))
    if not name:
        raise KeyError("For '%s', the parameter 'name' can not be an empty string." % method)
    if check_dot and "." in name:
        raise KeyError("For '%s', the parameter 'name' can not contain '.', but got '%s'."
                       % (method, name))


def is_recomputed(cell) -> bool:
    """Whether ``cell.recompute()`` was called on ``cell`` itself (its sub-Cells are
    recomputed as part of it)."""
    return isinstance(cell, Cell) and cell.__dict__.get("_recompute_config") == "on"


def recompute(block, *args, use_reentrant=True, output_recompute=False, early_stop=True,
              context_fn=None, **kwargs):
    """MindSpore's ``mindspore.recompute(block, *args, use_reentrant=True,
    output_recompute=False, early_stop=True, context_fn=None, **kwargs)``: ``block(*args,
    **kwargs)``, whose forward differentiated code recomputes in the backward instead of
    keeping its residuals (this call only; see :meth:`Cell.recompute`).  ``block`` must be a
    Cell (TypeError, as MindSpore with ``use_reentrant=True``); ``context_fn`` needs
    ``use_reentrant=False`` (ValueError).  Run eagerly, it is ``block(*args, **kwargs)``."""
    if output_recompute:
        use_reentrant = False
    if use_reentrant and not isinstance(block, Cell):
        raise TypeError("Recompute function now only support block which inherited from Cell "
                        "when use_reentrant=True!")
    if use_reentrant and context_fn is not None:
        raise ValueError("context_fn is only supported when use_reentrant=False.")
    if not isinstance(block, Cell):
        raise TypeError("recompute: block must be a Cell here, got %s (autograd_st recomputes "
                        "Cells only)" % type(block).__name__)
    return block(*args, **kwargs)
