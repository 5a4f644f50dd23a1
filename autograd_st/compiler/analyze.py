"""Analyze: activity of every IR variable.

Takes: a :class:`~autograd_st.compiler.ir.FuncIR` and the names of its inputs being
differentiated.
Gives: the set of *active* variables (those that depend on a differentiated input through
differentiable arguments).  ``stop_gradient``, zero-gradient primitives, non-differentiable
parameters (a ``where``'s condition, an ``axis``) and Parameters that are not differentiated
cut the flow here.  Raises :class:`~autograd_st.errors.NoDerivativeError` where an active value
flows through a call with no derivative rule into something that is used.  Also
``written_inputs``: which inputs the code writes in place (what a failed call restores).
"""
from __future__ import annotations

import gast

from ..errors import NoDerivativeError, UnsupportedSyntaxError
from ..rules import rule_parameters
from .ir import Call, For, If, Opaque, Prim, Var, While, atom_names, leaves, uses_of, walk

__all__ = ["activity", "is_display", "written_inputs", "ZERO_GRAD_OPAQUE"]

#: Python calls and attributes whose result has no gradient, so using them on a
#: differentiated value loses nothing: sizes, dtypes, truth values, printing.
ZERO_GRAD_OPAQUE = frozenset(("len", "int", "bool", "isinstance", "hasattr", "print", "type",
                              "round", "str", ".ndim", ".dtype", ".size", ".shape", "not", "and", "or",
                              ".any", ".all", ".argmax", ".argmin", "range"))


def _arg_vars(atom):
    if isinstance(atom, Var):
        return [atom.name]
    if isinstance(atom, (tuple, list)):
        out = []
        for a in atom:
            out.extend(_arg_vars(a))
        return out
    return []


def activity(fir, active_inputs) -> set:
    active = _propagate(fir, active_inputs, {})
    _check_opaque(fir, active)
    return active


def _propagate(fir, active_inputs, memo: dict) -> set:
    """The active variables of ``fir`` (no check).  A call's result is active where the
    callee's is, for the arguments active at the call: a sub-Cell returning ``(x, (H, W))``
    with ``H, W = x.shape`` gives its caller sizes that have no gradient (``memo``: the
    callees' active results per activity of their arguments)."""
    active = set(active_inputs)
    changed, first = True, True
    again = False  # a loop, or a name assigned twice: activity may flow back, iterate
    assigned: set = set()
    while changed:  # loops carry activity around their back edges: iterate to a fixpoint
        changed = False
        for stmt in walk(fir.body):
            if first and not again:
                if isinstance(stmt, (For, While)):
                    again = True
                for t in getattr(stmt, "targets", ()):
                    if t in assigned:
                        again = True
                    assigned.add(t)
            if isinstance(stmt, Prim):
                hit = False
                for p in stmt.prim.diff:
                    a = stmt.args[p]
                    if (a.name in active) if a.__class__ is Var \
                            else any(v in active for v in _arg_vars(a)):
                        hit = True
                        break
                targets = stmt.targets if hit else ()
            elif isinstance(stmt, Call):
                targets = _active_results(stmt, active, memo)
            elif isinstance(stmt, Opaque) and is_display(stmt):
                targets = stmt.targets if any(u in active for u in stmt.uses) else ()
            else:
                continue
            for t in targets:
                if t not in active:
                    active.add(t)
                    changed = True
        # straight code whose every name is assigned once: each value is made after what
        # it reads, so the first pass reached the fixpoint
        changed = changed and again
        first = False
    return active


def is_display(stmt) -> bool:
    """Opaque ``stmt`` builds a tuple, list, dict or set of its uses at run time (a container
    the compile built, given to code that may change it): what it holds is active where an
    item is, and the code it is given answers for the gradient (:func:`_check_opaque`)."""
    return stmt.callee_name is None and isinstance(
        stmt.expr, (gast.Tuple, gast.List, gast.Dict, gast.Set))


def _active_results(stmt, active, memo) -> list:
    """The targets of Call ``stmt`` that are active, given the caller's ``active``."""
    amask = tuple(any(v in active for v in _arg_vars(a)) for a in stmt.args)
    imask = tuple(v in active for v in stmt.extra_args)
    if not (any(amask) or any(imask)):
        return []
    callee = stmt.callee
    key = (id(callee), amask, imask)
    outs = memo.get(key)
    if outs is None:
        params = [s.var.name for s in leaves(callee.args)]
        inputs = [inp.name for inp in callee.inputs]
        if len(params) != len(amask) or len(inputs) != len(imask) or stmt.bprop_cell is not None:
            outs = memo[key] = (True,) * len(stmt.targets)  # (every result, as before)
        else:
            memo[key] = (True,) * len(stmt.targets)  # (a recursive call: every result)
            inner = _propagate(callee, [p for p, on in zip(params, amask) if on]
                               + [n for n, on in zip(inputs, imask) if on], memo)
            results = leaves(callee.result)
            outs = memo[key] = tuple(
                r.var.name in inner for r in results) if len(results) == len(
                    stmt.targets) else (True,) * len(stmt.targets)
    return [t for t, on in zip(stmt.targets, outs) if on]


#: conversions to a Python number: as in MindSpore and PyTorch their result has no gradient;
#: allowed on a differentiated value when the number only decides (an ``if``/``while``
#: test, a comparison, printing), refused when it is computed with (its gradient would be lost)
TO_NUMBER = frozenset(("float", ".item"))


def _values_used(fir) -> set:
    """The variables whose value reaches the result, a call or an opaque call that is not a
    test or printing through differentiable arguments: where a gradient could flow back (a
    value only tested in an ``if``, compared, or printed is not one)."""
    out = set(s.var.name for s in leaves(fir.result))
    prims, loops = [], []
    for stmt in walk(fir.body):
        if isinstance(stmt, Call):
            out.update(uses_of(stmt))
            out.update(stmt.extra_args)
        elif isinstance(stmt, Prim):
            prims.append(stmt)
        elif isinstance(stmt, (For, While)):
            loops.append(stmt)
        elif isinstance(stmt, Opaque):
            callee = getattr(stmt, "callee_name", None) or ""
            if not (callee in ZERO_GRAD_OPAQUE or callee.rsplit(".", 1)[-1] in ZERO_GRAD_OPAQUE):
                out.update(stmt.uses)
    changed = True
    while changed:  # backwards to a fixpoint: what a used value is computed from is used
        changed = False
        for stmt in prims:
            if any(t in out for t in stmt.targets):
                for n in atom_names(stmt.args[p] for p in stmt.prim.diff):
                    if n not in out:
                        out.add(n)
                        changed = True
        for loop in loops:
            for header, init in loop.inits.items():
                if header in out:
                    for n in atom_names([init]):
                        if n not in out:
                            out.add(n)
                            changed = True
    return out


def _check_opaque(fir, active) -> None:
    stmts = list(walk(fir.body))
    opaque = [stmt for stmt in stmts if isinstance(stmt, Opaque)]
    if not opaque:  # (only code run as it is is checked here)
        return
    used = set()
    for stmt in stmts:
        used.update(uses_of(stmt))
        if isinstance(stmt, Call):
            used.update(stmt.extra_args)
    used.update(s.var.name for s in leaves(fir.result))
    # the values control flow reads (an opaque call's value tested by an if is not
    # computed with, but the call is not made for its effect either)
    tested = set(atom_names([getattr(s, "cond", None) for s in stmts
                             if isinstance(s, (If, While))]
                            + [a for s in stmts if isinstance(s, For) for a in s.iter_args]))
    # what reads a value other than code run as it is (which is checked itself)
    read_otherwise = {s.var.name for s in leaves(fir.result)}
    for stmt in stmts:
        if not isinstance(stmt, Opaque):
            read_otherwise.update(uses_of(stmt))
            if isinstance(stmt, Call):
                read_otherwise.update(stmt.extra_args)
    as_value = None  # (only when a value being differentiated is made a number)
    for stmt in opaque:
        callee = getattr(stmt, "callee_name", None) or ""
        if is_display(stmt) and not any(t in read_otherwise for t in stmt.targets):
            continue  # (given only to code run as it is: checked there, by its name)
        if stmt.stores and any(u in active for u in stmt.uses):
            loc = stmt.loc or (None, None, 0)
            raise UnsupportedSyntaxError(
                "%s keeps a value being differentiated in a list, dict or set the function "
                "did not build: its gradient would not follow it there (in %s)"
                % (callee or "this call", fir.qualname), loc[0], loc[1], loc[2],
                hint="keep its value with no gradient, %s(ops.stop_gradient(...)), or a "
                     "number, float(ops.stop_gradient(...)); or build a new list in the "
                     "function (ys = list(xs); ys.append(...)) and return it"
                     % (callee or "append"))
        if callee in ZERO_GRAD_OPAQUE or callee.rsplit(".", 1)[-1] in ZERO_GRAD_OPAQUE:
            continue
        if stmt.writes and any(u in active for u in stmt.uses) \
                and not any(t in used or t in tested for t in stmt.targets):
            _refuse_effect_on(fir, stmt, callee)
        number = callee in TO_NUMBER or "." + callee.rsplit(".", 1)[-1] in TO_NUMBER
        if number and any(u in active for u in stmt.uses) and as_value is None:
            as_value = _values_used(fir)
        if number and any(u in active for u in stmt.uses) \
                and any(t in as_value for t in stmt.targets):
            loc = stmt.loc or (None, None, 0)
            what, cut = ("float(...)", "float(ops.stop_gradient(...))") if callee == "float" \
                else ("x.item()", "ops.stop_gradient(x).item()")
            raise NoDerivativeError(
                "%s of a value being differentiated is a Python number, with no gradient, "
                "and it is computed with here: the gradient through it would be lost "
                "(in %s)" % (what, fir.qualname), loc[0], loc[1], loc[2],
                hint="keep it a Tensor to have its gradient; or, to leave this path out of the "
                     "gradient as MindSpore does, say so: %s (a number only tested in an if "
                     "or while, or printed, needs nothing)" % cut)
        if not number and any(u in active for u in stmt.uses) \
                and any(t in used for t in stmt.targets):
            loc = stmt.loc or (None, None, 0)
            _refuse_user_class(fir, stmt, callee, loc)
            rule = _rule_shape(fir, stmt) if callee.strip(".") else None
            raise NoDerivativeError(
                "%s has no derivative rule, and a value being differentiated flows through it "
                "(in %s)" % (callee or "this call", fir.qualname), loc[0], loc[1], loc[2],
                hint=("give it a rule: @autograd_st.register_vjp(%s) over a function "
                      "rule(dout, out, %s) returning (%s,) (a gradient per parameter without "
                      "a default); or use an ops.* or numpy function that has one "
                      "(docs/api_coverage.md); or wrap the argument in ops.stop_gradient(...) "
                      "if no gradient should flow" % (callee.lstrip("."), rule[0], rule[1]))
                if rule else
                "use an ops.* or numpy function that has a rule instead "
                "(docs/api_coverage.md), or a function of your own given one with "
                "@autograd_st.register_vjp; or wrap the argument in ops.stop_gradient(...) if "
                "no gradient should flow")


def _refuse_effect_on(fir, stmt, callee) -> None:
    """A call made for what it does to its arguments (its value unused), one of them being
    differentiated, that the compiler has no rule for (``np.fill_diagonal(M, 0)``,
    ``M.fill(0)``, ``np.copyto(M, v)``): the change it makes in place is not seen by the
    gradient, so it is refused rather than differentiated as if ``M`` were unchanged."""
    loc = stmt.loc or (None, None, 0)
    what = "%s(...)" % callee if callee and not callee.startswith(".") else \
        "the method %s(...)" % (callee or "call")
    raise UnsupportedSyntaxError(
        "%s is called for what it does to the values it is given, one of them being "
        "differentiated: a change it makes in place is not seen by the gradient, which has "
        "no rule for it (in %s)" % (what, fir.qualname), loc[0], loc[1], loc[2],
        hint="compute a new value instead (M = M * (1 - np.eye(n)) for np.fill_diagonal, "
             "M = np.full_like(M, v) for M.fill(v), np.where(mask, v, M) for np.putmask), "
             "or, if the call leaves its arguments as they were, pass "
             "ops.stop_gradient(...) of them")


def _refuse_user_class(fir, stmt, callee, loc) -> None:
    """An object of the user's own class (a dataclass, a plain class) built from a value
    being differentiated: refused, saying what to use instead (a namedtuple is built when
    compiling, a tuple of its values)."""
    func = getattr(stmt.expr, "func", None)
    cls = fir.consts.get(func.id) if isinstance(func, gast.Name) else None
    if not isinstance(cls, type) or cls.__module__.split(".")[0] in (
            "builtins", "numpy", "autograd_st"):
        return
    raise UnsupportedSyntaxError(
        "%s(...) builds an object of your own class (%s) holding a value being "
        "differentiated, which compiled code keeps as it is: reading its attributes would "
        "give values with no gradient (in %s)" % (
            callee, "a dataclass" if hasattr(cls, "__dataclass_fields__") else "a class",
            fir.qualname), loc[0], loc[1], loc[2],
        hint="hold the values in a typing.NamedTuple (class %s(NamedTuple): h: Tensor; "
             "c: Tensor) or a collections.namedtuple, which compiled code builds and reads "
             "(st.h, st._replace(h=...)), or in a tuple or a dict" % cls.__name__)


def _rule_shape(fir, stmt):
    """``("a, axis", "gradient of a")``: the parameters and results of the rule
    ``register_vjp`` asks of the function ``stmt`` calls (None when it is not known)."""
    func = getattr(stmt.expr, "func", None)
    fn = fir.consts.get(func.id) if isinstance(func, gast.Name) else None
    if fn is None or not callable(fn):
        return None
    try:
        params, _, defaults = rule_parameters(fn)
    except (TypeError, ValueError):  # no signature (a builtin)
        return None
    diff = [p for p in params if p not in defaults]
    if not params or not diff:
        return None
    return ", ".join(params), ", ".join("gradient of %s" % p for p in diff)


def written_inputs(fir) -> set | None:
    """Names of ``fir``'s inputs that its code writes in place (``assign``: BatchNorm's
    moving statistics), through the sub-Cells and helpers it calls; None: some write does
    not go to an input (then every input is taken to be written)."""
    names = {inp.name for inp in fir.inputs}
    out: set = set()

    def block(stmts) -> bool:
        for stmt in stmts:
            if isinstance(stmt, Call):
                sub = written_inputs(stmt.callee)
                for inp, arg in zip(stmt.callee.inputs, stmt.extra_args):
                    if sub is None or inp.name in sub:
                        out.add(arg)
                if sub is None and not stmt.extra_args:
                    return False
            elif isinstance(stmt, If):
                if not (block(stmt.body) and block(stmt.orelse)):
                    return False
            elif isinstance(stmt, For):
                if not block(stmt.body):
                    return False
            elif isinstance(stmt, While):
                if not (block(stmt.cond_body) and block(stmt.body)):
                    return False
            elif isinstance(stmt, Prim) and stmt.prim.name == "assign":
                ref = stmt.args.get("ref")
                if not (isinstance(ref, Var) and ref.name in names):
                    return False
                out.add(ref.name)
        return True
    return out & names if block(fir.body) else None
