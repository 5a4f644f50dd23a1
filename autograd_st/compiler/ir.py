"""The compiler's intermediate representation (A-normal form), as plain data.

Every class here declares all of its fields (slotted dataclasses: nothing is added to a node
after it is made) and holds no behaviour beyond small read-only helpers.  The passes build it
(``normalize``), read it (``analyze``, ``reverse``, ``forward``, ``codegen``) and never
attach state to it; what a later stage caches per function lives in :attr:`FuncIR.pairs`.

Statements (each keeps ``loc``, the user's ``(filename, line, col)``):

- ``Prim(targets, prim, args)``: ``target = prim(args)``; ``args`` maps each of the
  primitive's parameters to an atom (``Var`` or ``Const``).
- ``Call(targets, callee, args, res, extra_args=...)``: a call to another compiled function
  (a sub-Cell, a helper function, a gradient function); ``res`` names its residuals and
  ``extra_args`` the caller's variables passed to the callee's extra inputs.
- ``Opaque(targets, expr)``: Python evaluated as it is, with no gradient (``x.shape[0]``).
- ``If(cond, body, orelse)``, ``For(target, iter_args, body)``, ``While(cond, cond_body,
  body)``: control flow, whose bodies are lists of statements.

Atoms are ``Var(name)`` or ``Const(value)``.  A function is a :class:`FuncIR`; its
positional parameters and result are structures (tuples) of
:class:`~autograd_st.prims.Sym` leaves and constants, and its :class:`Input` list names the
Parameters and free arrays it reads.  :data:`RUNTIME` and :data:`ABSENT` are the markers the
API and the compiler exchange.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..prims import Sym

__all__ = ["runtime_tuples", "Var", "Const", "Prim", "Call", "Opaque", "If", "For", "While", "Comment", "Input",
           "FuncIR", "RUNTIME", "ABSENT", "leaves", "rebuild", "walk", "atom_names", "uses_of",
           "has_effects", "has_random", "resolve_input"]


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


RUNTIME = _Marker("RUNTIME")  # an argument that is a runtime value (not a constant)
ABSENT = _Marker("ABSENT")  # a guard's value: this name must not be defined in the namespace


@dataclass(frozen=True, slots=True)
class Var:
    name: str


@dataclass(frozen=True, slots=True)
class Const:
    value: Any


Loc = tuple  # (filename, lineno, col)


@dataclass(slots=True)
class Prim:
    targets: list
    prim: Any  # rules.Primitive
    args: dict
    loc: Loc = None


@dataclass(slots=True)
class Call:
    targets: list  # one per leaf of the callee's result
    callee: Any  # the callee's FuncIR
    args: list  # Vars: the runtime leaves of the positional arguments
    res: str  # the name of the callee's residuals
    loc: Loc = None
    extra_args: list = field(default_factory=list)  # caller names for callee.inputs, in order
    bprop_cell: Any = None  # a Cell whose own bprop is this call's backward
    recompute: bool = False  # Cell.recompute(): the backward recomputes the callee's forward


@dataclass(slots=True)
class Opaque:
    targets: list
    expr: Any  # gast expression; Var placeholders appear as gast.Name
    uses: list = field(default_factory=list)
    loc: Loc = None
    callee_name: str | None = None  # the function it calls, for error messages
    stores: bool = False  # it keeps what it is given in an object from outside (a list)
    effect: bool = False  # running it does more than compute its target (print, append)
    # it may write into the values it is given (a function with effects not known to leave
    # its arguments alone, a method of a run-time value the compiler has no binding for)
    writes: bool = False


@dataclass(slots=True)
class If:
    cond: Any
    body: list
    orelse: list
    loc: Loc = None


@dataclass(slots=True)
class For:
    target: str
    iter_args: list  # atoms of range(start, stop, step)
    body: list
    carried: list = field(default_factory=list)  # [(header, user name)]: values carried
    loc: Loc = None
    inits: dict = field(default_factory=dict)  # header -> the atom it starts from


@dataclass(slots=True)
class While:
    cond: Any  # atom evaluated before each iteration (its statements are cond_body)
    cond_body: list
    body: list
    carried: list = field(default_factory=list)  # [(header, user name)], as For's
    loc: Loc = None
    inits: dict = field(default_factory=dict)


@dataclass(slots=True)
class Comment:
    text: str


@dataclass(slots=True)
class Input:
    """An extra input of a function: a Parameter or free array its code reads."""

    name: str
    obj: object  # a Parameter, a Tensor or an ndarray
    path: tuple = None  # how to find it again: ('self', 'fc1', 'weight') / ('free', 'net', 'w')


@dataclass(slots=True, eq=False)
class FuncIR:
    """One function (or Cell construct) normalized for one set of constant arguments."""

    qualname: str
    src: object  # parse.Source
    args: list  # per positional parameter: Sym (runtime) or a constant
    arg_names: list  # user names of the positional parameters
    inputs: list  # extra Inputs (Parameters, free Tensors)
    body: list
    result: object  # structure of Syms and constants
    names: Any  # names.NameAllocator
    consts: dict = field(default_factory=dict)  # global name -> object, for Opaque code
    guards: list = field(default_factory=list)  # (namespace, name, object) read at compile time
    instance_specific: bool = False  # bound to one Cell instance (not to its structure)
    ir_vars: set = field(default_factory=set)  # every variable the body defines
    pairs: dict = field(default_factory=dict, repr=False)  # built code, by (kind, masks)


def leaves(structure) -> list:
    """The Syms in a structure (a Sym, or tuples, lists and dicts of them and constants), in
    order (a dict's in the order of its keys)."""
    if isinstance(structure, Sym):
        return [structure]
    if isinstance(structure, (tuple, list)):
        out = []
        for s in structure:
            out.extend(leaves(s))
        return out
    if type(structure) is dict:
        return leaves(tuple(structure.values()))
    return []


def rebuild(structure, values):
    """``structure`` with its Sym leaves replaced, in order, by ``values``."""
    it = iter(values)

    def rec(s):
        if isinstance(s, Sym):
            return next(it)
        if isinstance(s, tuple):
            return tuple(rec(e) for e in s)
        if type(s) is list and leaves(s):  # (a constant list or dict stays the object it is)
            return [rec(e) for e in s]
        if type(s) is dict and leaves(s):
            return {k: rec(e) for k, e in s.items()}
        return s
    return rec(structure)


def walk(stmts):
    """Every statement of ``stmts``, nested bodies included, in program order."""
    for stmt in stmts:
        yield stmt
        if isinstance(stmt, If):
            yield from walk(stmt.body)
            yield from walk(stmt.orelse)
        elif isinstance(stmt, For):
            yield from walk(stmt.body)
        elif isinstance(stmt, While):
            yield from walk(stmt.cond_body)
            yield from walk(stmt.body)


def runtime_tuples(fir) -> set:
    """The variables of ``fir`` that hold a run-time list returned as a tuple (``return
    ops.split(x, 3)``: ``list_tuple``), and their copies (a branch's merge): a result leaf
    that is one is a tuple whose length is known only at run time."""
    found = set()
    stmts = [s for s in walk(fir.body) if isinstance(s, Prim)]
    for s in stmts:
        if s.prim.name == "list_tuple":
            found.update(s.targets)
    grew = bool(found)
    while grew:
        grew = False
        for s in stmts:
            if s.prim.name == "copy" and isinstance(s.args.get("x"), Var) \
                    and s.args["x"].name in found and s.targets[0] not in found:
                found.add(s.targets[0])
                grew = True
    return found


def has_effects(stmts) -> bool:
    """Whether running ``stmts`` does more than compute values: an Opaque with an effect
    (``print``, ``CALLS.append``), there or in a function they call."""
    for stmt in walk(stmts):
        if (isinstance(stmt, Opaque) and stmt.effect) \
                or (isinstance(stmt, Call) and has_effects(stmt.callee.body)):
            return True
    return False


def has_random(stmts) -> bool:
    """Whether ``stmts`` draw random values (a primitive registered ``random=True``: dropout
    masks, ``ops.uniform``), there or in a function they call: running them again draws
    other values, so the backward never recomputes them."""
    for stmt in walk(stmts):
        if (isinstance(stmt, Prim) and stmt.prim.random) \
                or (isinstance(stmt, Call) and has_random(stmt.callee.body)):
            return True
    return False


def atom_names(atoms) -> list:
    return [a.name for a in atoms if isinstance(a, Var)]


def uses_of(stmt) -> list:
    """Variables read directly by a simple statement."""
    if isinstance(stmt, Prim):
        return atom_names(stmt.args.values())
    if isinstance(stmt, Call):
        return atom_names(stmt.args)
    if isinstance(stmt, Opaque):
        return list(stmt.uses)
    return []


def resolve_input(inp: "Input", self_obj, fn):
    """The object at ``inp``'s path now (on ``self_obj``, or in ``fn``'s closure/globals)."""
    path = inp.path
    if not path:
        return inp.obj
    if path[0] == "self":
        obj = self_obj
    else:
        closure = {}
        if fn.__closure__:
            for n, cell in zip(fn.__code__.co_freevars, fn.__closure__):
                try:
                    closure[n] = cell.cell_contents
                except ValueError:
                    pass
        obj = closure[path[1]] if path[1] in closure else fn.__globals__[path[1]]
        path = path[1:]
    for attr in path[1:]:  # an int is a sequence's item, a dict's key is its item
        obj = obj[attr] if isinstance(attr, int) or isinstance(obj, dict) else getattr(obj, attr)
    return obj
