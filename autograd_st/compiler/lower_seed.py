"""A seed without the value it is shaped like: an output computed only to make its ones.

Takes: a lowered generated function (gast ``FunctionDef``, before ``lower._free_dead``).
Gives: the same function, in place, where an output whose value nothing returns or reads is
no longer computed just to be the ``like`` of its seed.  ``GradOperation()(net)`` returns
the gradients only, so the gradient of a net that ends in ``out = x @ y`` read
``out = np.matmul(x, y)`` then ``d_out = ones_like(out)``: a whole product for its shape and
dtype.  Here the pair is one statement, ``d_out = matmul_ones(x, y)`` (``np.sum(v)``:
``sum_ones(v)``), which makes the ones from the operands' shapes and dtypes
(:mod:`autograd_st.runtime`; anything they do not cover computes the value as before, its
errors included, so the values and the errors are the code's before).  Where the ones of
a product are read only by the product's own gradients, ``matmul_nt_to(d_out, y, x)`` and
``matmul_tn_to(x, d_out, y)``, those are ``ones_matmul_nt(x, y)`` (every row ``y``'s row
sums) and ``ones_matmul_tn(x, y)``, and the ones are not made at all: the tutorials'
``GradOperation()(net)`` of a net ending in a MatMul.

Applies where, at the function's top level: the seed is the call ``Reverse.seed_ones``
tagged ``seed``, the value it is shaped like is bound by the nearest statement before it
that binds that name, a primitive's forward statement (tag ``forward_prim``) of the forms
below, whose operands are names no statement in between rebinds, and that value is read
nowhere else in the function.
"""
from __future__ import annotations

import gast

from .anno import facts_of
from .codegen import name
from .lower_facts import names_of
from .trees import walk

__all__ = ["seed_without_value"]

# primitive -> (the numpy call its forward statement is, operands it has, the helper)
_FORMS = {"matmul": ("matmul", 2, "matmul_ones"), "sum": ("sum", 1, "sum_ones")}


def _operands(stmt, prim):
    """The operand names of ``t = np.<fn>(a, ...)`` in the form ``_FORMS[prim]`` says
    (positional names only, no keywords: ``np.sum(v)`` is the full sum), or None."""
    fn, n, _ = _FORMS[prim]
    call = stmt.value
    if not (isinstance(call, gast.Call) and isinstance(call.func, gast.Attribute)
            and isinstance(call.func.value, gast.Name) and call.func.value.id == "np"
            and call.func.attr == fn and not call.keywords and len(call.args) == n
            and all(isinstance(a, gast.Name) for a in call.args)):
        return None
    return [a.id for a in call.args]


def seed_without_value(fdef, found=None) -> tuple:
    """Rewrite ``fdef``'s seeds whose value is read for nothing else (see the module
    docstring).  ``found``: ``(loads, stores)``, the sets of names each top-level statement
    reads and binds, when the caller has them (else they are gathered here, once, if the
    function has a seed).  Returns whether it rewrote one, and those sets for the body it
    leaves (None where it had none and gathered none)."""
    body = fdef.body
    dropped = set()
    for k, st in enumerate(body):
        if not (isinstance(st, gast.Assign) and isinstance(st.value, gast.Call)):
            continue
        facts = facts_of(st.value, "seed")
        if facts is None:
            continue
        if found is None:  # (one walk of each statement, for every seed)
            found = ([], [])
            for s in body:
                ld, sd = names_of(s)
                found[0].append(ld)
                found[1].append(sd)
        loads, stores = found
        t = facts["of"]
        j = k - 1
        while j >= 0 and t not in stores[j]:
            j -= 1
        if j < 0:
            continue
        fwd = body[j]
        prim = facts_of(fwd, "forward_prim")
        if prim is None or prim["prim"] not in _FORMS or len(fwd.targets) != 1 \
                or not isinstance(fwd.targets[0], gast.Name) or fwd.targets[0].id != t:
            continue
        operands = _operands(fwd, prim["prim"])
        if operands is None:
            continue
        if any(not stores[i].isdisjoint(operands) for i in range(j + 1, k)):
            continue
        # read once in the whole function: by the seed itself (no other statement reads it)
        if any(t in ld for i, ld in enumerate(loads) if i != k):
            continue
        reads = sum(1 for n in walk(st) if isinstance(n, gast.Name) and n.id == t
                    and isinstance(n.ctx, gast.Load))
        if reads != 1:  # the seed's own read only
            continue
        st.value = gast.Call(func=name(_FORMS[prim["prim"]][2]),
                             args=[name(a) for a in operands], keywords=[])
        loads[k], stores[k] = names_of(st)
        dropped.add(j)
        if prim["prim"] == "matmul" \
                and _ones_read_by_gradients(body, k, operands, loads, stores):
            dropped.add(k)
    if dropped:
        fdef.body = [s for i, s in enumerate(body) if i not in dropped]
        found = tuple([f for i, f in enumerate(facts) if i not in dropped] for facts in found)
    return bool(dropped), found


# the product's gradients that read its ones: helper -> (where the ones are among its three
# name arguments, the helper that needs no ones, the operands' places)
_ONES_READERS = {"matmul_nt_to": (0, "ones_matmul_nt", (2, 1)),
                 "matmul_tn_to": (1, "ones_matmul_tn", (0, 2))}


def _ones_read_by_gradients(body, k, operands, loads, stores) -> bool:
    """Whether every read of the ones ``body[k]`` binds (``d = matmul_ones(x, y)``) is
    ``matmul_nt_to(d, y, x)`` or ``matmul_tn_to(x, d, y)`` as a whole top-level statement
    ``g = ...``, with ``x``, ``y`` and ``d`` bound nowhere after ``body[k]``; if so, those
    are rewritten to ``ones_matmul_nt(x, y)`` / ``ones_matmul_tn(x, y)`` (and their sets in
    ``loads`` / ``stores`` updated)."""
    target = body[k].targets[0]
    if not isinstance(target, gast.Name):
        return False
    d = target.id
    watched = {d, *operands}
    readers = []
    for i in range(k + 1, len(body)):
        if not watched.isdisjoint(stores[i]):
            return False
        if d not in loads[i]:
            continue
        st = body[i]
        call = st.value if isinstance(st, gast.Assign) and len(st.targets) == 1 else None
        form = _ONES_READERS.get(call.func.id) if isinstance(call, gast.Call) \
            and isinstance(call.func, gast.Name) and not call.keywords else None
        if form is None or len(call.args) != 3 \
                or not all(isinstance(a, gast.Name) for a in call.args):
            return False
        args = [a.id for a in call.args]
        at, _, (ix, iy) = form
        if args[at] != d or [args[ix], args[iy]] != list(operands):
            return False
        readers.append((i, call, form[1]))
    if not readers:
        return False
    for i, call, helper in readers:
        call.func, call.args = name(helper), [name(a) for a in operands]
        loads[i], stores[i] = names_of(body[i])
    return True
