"""Primitives over lists built at run time, and their reverse rules.

Takes: nothing (importing this module registers the primitives in :mod:`autograd_st.rules`).
Gives: the primitives that the compiler (:mod:`autograd_st.compiler.runtime_lists`) emits for a
list appended to inside a loop whose trip count is not a constant, which it keeps a Python list
at run time (``outs = []`` then ``outs.append(h)`` each iteration, as hand-written code does):

- ``list_new()``: ``[]``; ``list_push(lst, x)``: ``lst.append(x)``, giving ``lst`` itself;
  ``list_front(lst, x)``: ``lst.insert(0, x)``, giving ``lst`` (``[h, *outs]``, on a copy);
- ``list_len(lst)``, ``list_sizes(lst, axis)``: its length, its items' lengths along ``axis``
  (no gradient);
- ``list_getitem(lst, index, n)``: ``lst[index]`` (``n``: the length when it is read);
- ``list_slice(lst, index, n)``: ``lst[a:b:c]``, a new list (``n`` as for ``list_getitem``);
  ``list_slice_between(lst, start, stop, step, n)`` the same with bounds known at run time;
- ``list_stack(lst, axis)``, ``list_concat(lst, axis, sizes)``: ``np.stack`` / ``np.concatenate``;
- ``list_copy(lst)``, ``list_tuple(lst)``: ``list(lst)`` / ``tuple(lst)``;
- ``list_split(x, size, axis)``, ``list_unstack(x, axis)`` (:data:`LIST_MAKERS`): a new list,
  the parts of ``ops.split(x, size, axis)`` with an int size / the slices of ``ops.unstack``
  (how many depends on ``x``'s shape); their rules join the parts' gradients (zeros for a
  part without one) with ``np.concatenate`` / ``np.stack``;
- ``list_take(lst, order)``: ``[lst[i] for i in order]``, a new list (``sorted``), its rule
  putting each gradient back at its item;
- ``list_range(start, stop, step)`` (:data:`LIST_MAKERS` too): ``list(range(n))`` with bounds
  known only at run time, a new list of Python ints (no gradient);
- ``list_unpack(lst, n, where, starred)``: ``lst`` after checking it has ``n`` items (``a,
  b, c = parts``), or at least ``n`` with ``starred`` (``a, *rest = parts``); a ValueError
  naming the user's line ``where`` if not.

The gradient of a run-time list is a :class:`~autograd_st.runtime.GradList`: one gradient per
item, ``None`` where an item has none.  ``list_push``'s rule pops the last item's gradient off
the list's gradient (``d_x = d_lst.pop()``) and hands the rest to the list it appended to, so
a loop's backward walks the list back to front in the same number of steps as the forward;
``list_stack``'s rule splits the incoming gradient along ``axis`` into a GradList.  A rule
never reads the list itself (which later appends change in place): only the gradient, the
pushed item, and lengths taken when the list was read.  These primitives have no forward
(jvp) rule and are not differentiated twice: the compiler refuses both at the user's line.
"""
from __future__ import annotations

import numpy as np

from .rules import primitive, vjp
from .runtime import GradList, zeros_like

__all__ = ["LIST_PRIMITIVES", "LIST_MAKERS", "list_append", "list_prepend", "grad_pop", "grad_item",
           "grad_slice", "grad_unstack", "grad_split", "item_sizes", "split_parts", "unstack_parts",
           "grad_join", "grad_stack", "unpack_checked", "range_list", "take_items",
           "grad_take"]


# ---------------------------------------------------------------------------------------
# the run-time helpers the templates call
# ---------------------------------------------------------------------------------------

def list_append(lst, x):
    """``lst.append(x)``, giving ``lst``."""
    lst.append(x)
    return lst


def range_list(start, stop, step):
    """``list(range(start, stop, step))`` (Python's TypeError for bounds that are not
    ints)."""
    return list(range(start, stop, step))


def take_items(lst, order):
    """``[lst[i] for i in order]``: a new list (``sorted`` of a run-time list)."""
    return [lst[i] for i in order]


def grad_take(dout, order):
    """The gradient of the list that ``take_items(lst, order)`` read: item ``order[j]``'s is
    ``dout[j]`` (``order`` a permutation, so each item has one)."""
    out = GradList([None] * len(order))
    for j, i in enumerate(order):
        out[i] = dout[j]
    return out


def item_sizes(lst, axis):
    """The length of each item of ``lst`` along ``axis``."""
    return [np.shape(v)[axis] for v in lst]


def grad_pop(dlst, like, index=-1):
    """The last item's gradient (the first's with ``index`` 0), taken off ``dlst`` (zeros
    shaped like ``like`` if none)."""
    g = dlst.pop(index)
    return zeros_like(like) if g is None else g


def list_prepend(lst, x):
    """``lst.insert(0, x)``, giving ``lst``."""
    lst.insert(0, x)
    return lst


def grad_item(dout, n, index):
    """The gradient of a list of ``n`` items whose item ``index`` has gradient ``dout``."""
    out = GradList([None] * n)
    out[index] = dout
    return out


def grad_slice(dout, n, index):
    """The gradient of a list of ``n`` items whose slice ``index`` has gradients ``dout``
    (one per item of the slice; ``None`` elsewhere)."""
    out = GradList([None] * n)
    out[index] = list(dout)
    return out


def grad_unstack(dout, axis):
    """``dout`` split along ``axis`` into one gradient per stacked item."""
    return GradList(np.moveaxis(dout, axis, 0))


def grad_split(dout, sizes, axis):
    """``dout`` split along ``axis`` into pieces of ``sizes``."""
    return GradList(np.split(dout, np.cumsum(sizes)[:-1], axis=axis))


def split_parts(x, size, axis):
    """``x`` split along ``axis`` into parts ``size`` long (the last shorter), as a list:
    MindSpore's ``ops.split(x, size, axis)`` with an int size (one empty part when the axis
    is empty)."""
    n = np.shape(x)[axis]
    if size <= 0:
        raise ValueError("ops.split: the size of each part must be positive, got %d" % size)
    return np.split(x, range(size, n, size), axis=axis)


def unstack_parts(x, axis):
    """The slices of ``x`` along ``axis``, as a list (``ops.unstack``)."""
    return list(np.moveaxis(x, axis, 0))


def unpack_checked(lst, n, where, starred=False):
    """``lst`` when it has ``n`` items (``a, b, c = parts``; at least ``n`` with ``starred``:
    ``a, *rest = parts``); else the ValueError Python raises, naming the user's line
    ``where``."""
    if len(lst) < n if starred else len(lst) != n:
        raise ValueError("%s: %s values to unpack: expected %d, the run-time list has %d"
                         % (where, "too many" if len(lst) > n else "not enough", n, len(lst)))
    return lst


def grad_join(dout, out, axis):
    """The gradient of ``x`` split into the parts ``out``: the parts' gradients ``dout`` (a
    GradList, None: zeros) joined along ``axis``."""
    return np.concatenate([zeros_like(o) if g is None else g for g, o in zip(dout, out)],
                          axis=axis)


def grad_stack(dout, out, axis, x=None):
    """The gradient of ``x`` unstacked into ``out``: the slices' gradients stacked (zeros
    shaped like ``x`` when it has no slice: an empty axis)."""
    if not out and x is not None:
        return zeros_like(x)
    return np.stack([zeros_like(o) if g is None else g for g, o in zip(dout, out)],
                    axis=axis)


def grad_copy(dout):
    """The gradient of a copy of a list: a list of the same gradients."""
    return GradList(dout)


# ---------------------------------------------------------------------------------------
# the primitives
# ---------------------------------------------------------------------------------------

@primitive(name="list_new", diff=())
def list_new_():
    return []


@primitive(name="list_push", diff=("lst", "x"))
def list_push_(lst, x):
    return list_append(lst, x)


@vjp(list_push_)
def _(dout, out, lst, x):
    item = grad_pop(dout, x)
    return dout, item


@primitive(name="list_front", diff=("lst", "x"))
def list_front_(lst, x):
    return list_prepend(lst, x)


@vjp(list_front_)
def _(dout, out, lst, x):
    item = grad_pop(dout, x, 0)
    return dout, item


@primitive(name="list_len", diff=())
def list_len_(lst):
    return len(lst)


@primitive(name="list_sizes", diff=())
def list_sizes_(lst, axis):
    return item_sizes(lst, axis)


@primitive(name="list_getitem", diff=("lst",))
def list_getitem_(lst, index, n):
    return lst[index]


@vjp(list_getitem_)
def _(dout, out, lst, index, n):
    return (grad_item(dout, n, index),)


@primitive(name="list_slice", diff=("lst",))
def list_slice_(lst, index, n):
    return lst[index]


@vjp(list_slice_)
def _(dout, out, lst, index, n):
    return (grad_slice(dout, n, index),)


@primitive(name="list_slice_between", diff=("lst",))
def list_slice_between_(lst, start, stop, step, n):
    return lst[start:stop:step]


@vjp(list_slice_between_)
def _(dout, out, lst, start, stop, step, n):
    return (grad_slice(dout, n, slice(start, stop, step)),)


@primitive(name="list_stack", diff=("lst",))
def list_stack_(lst, axis=0):
    return np.stack(lst, axis=axis)


@vjp(list_stack_)
def _(dout, out, lst, axis):
    return (grad_unstack(dout, axis),)


@primitive(name="list_concat", diff=("lst",))
def list_concat_(lst, axis, sizes):
    return np.concatenate(lst, axis=axis)


@vjp(list_concat_)
def _(dout, out, lst, axis, sizes):
    return (grad_split(dout, sizes, axis),)


@primitive(name="list_copy", diff=("lst",))
def list_copy_(lst):
    return list(lst)


@vjp(list_copy_)
def _(dout, out, lst):
    return (grad_copy(dout),)


@primitive(name="list_tuple", diff=("lst",))
def list_tuple_(lst):
    return tuple(lst)


@vjp(list_tuple_)
def _(dout, out, lst):
    return (grad_copy(dout),)


@primitive(name="list_split", diff=("x",))
def list_split_(x, size, axis=0):
    return split_parts(x, size, axis)


@vjp(list_split_)
def _(dout, out, x, size, axis):
    return (grad_join(dout, out, axis),)


@primitive(name="list_unstack", diff=("x",))
def list_unstack_(x, axis=0):
    return unstack_parts(x, axis)


@vjp(list_unstack_)
def _(dout, out, x, axis):
    return (grad_stack(dout, out, axis, x),)


@primitive(name="list_unpack", diff=("lst",))
def list_unpack_(lst, n, where, starred):
    return unpack_checked(lst, n, where, starred)


@vjp(list_unpack_)
def _(dout, out, lst, n, where, starred):
    return (dout,)


@primitive(name="list_take", diff=("lst",))
def list_take_(lst, order):
    return take_items(lst, order)


@vjp(list_take_)
def _(dout, out, lst, order):
    return (grad_take(dout, order),)


@primitive(name="list_range", diff=())
def list_range_(start, stop, step=1):
    return range_list(start, stop, step)


#: the primitives that make a new run-time list from an array (``ops.split`` with an int
#: size, ``ops.unstack``: how many parts depends on the array's shape) or from bounds known
#: only at run time (``list(range(n))``: Python ints, no gradient)
LIST_MAKERS = frozenset(("list_split", "list_unstack", "list_range"))

#: every primitive of this module (their arguments are lists: the program-level gradient
#: checks of tests/test_runtime_lists.py cover their rules, not tests/rule_specs rows)
LIST_PRIMITIVES = frozenset(("list_new", "list_push", "list_front", "list_len", "list_sizes",
                             "list_getitem", "list_slice", "list_slice_between",
                             "list_stack", "list_concat",
                             "list_copy",
                             "list_tuple", "list_unpack", "list_take")) | LIST_MAKERS
