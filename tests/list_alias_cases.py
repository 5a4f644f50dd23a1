"""Functions that build a list and append to it other than by its name (a bound method
kept in a name, getattr, a default argument, a nested function, functools.partial,
list.append(outs, v), outs += [v], a tuple, dict or list holding it), each in straight-line
code, in a loop that is unrolled (range(2)), and in loops whose trip count is not a constant
(range(x.shape[0]), while).  The list has an item before the loop.  Written by a script
(the forms times the loops); tests/test_list_aliases.py runs them.

``NAME_LOOP``; ``REFUSED``: those refused (a list a tuple, dict or list holds, in a loop that
stays a loop), with the line the refusal names (``# REFUSED`` marks it).
"""
# ruff: noqa: E731
import functools

from autograd_st import ops


def method_straight(x):
    outs = [x[0] * 2.0]
    push = outs.append
    push(x[0] * x[1])
    push(x[1] * 3.0)
    return ops.sum(ops.stack(outs, 0) * x[0])


def method_const(x):
    outs = [x[0] * 2.0]
    push = outs.append
    for t in range(2):
        push(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def method_shape(x):
    outs = [x[0] * 2.0]
    push = outs.append
    for t in range(x.shape[0]):
        push(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def method_while(x):
    outs = [x[0] * 2.0]
    push = outs.append
    t = 0
    while t < x.shape[0]:
        push(x[t] * x[t])
        t += 1
    return ops.sum(ops.stack(outs, 0) * x[0])


def method_in_body_straight(x):
    outs = [x[0] * 2.0]
    push = outs.append
    push(x[0] * x[1])
    push = outs.append
    push(x[1] * 3.0)
    return ops.sum(ops.stack(outs, 0) * x[0])


def method_in_body_const(x):
    outs = [x[0] * 2.0]
    for t in range(2):
        push = outs.append
        push(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def method_in_body_shape(x):
    outs = [x[0] * 2.0]
    for t in range(x.shape[0]):
        push = outs.append
        push(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def method_in_body_while(x):
    outs = [x[0] * 2.0]
    t = 0
    while t < x.shape[0]:
        push = outs.append
        push(x[t] * x[t])
        t += 1
    return ops.sum(ops.stack(outs, 0) * x[0])


def getattr_straight(x):
    outs = [x[0] * 2.0]
    getattr(outs, "append")(x[0] * x[1])
    getattr(outs, "append")(x[1] * 3.0)
    return ops.sum(ops.stack(outs, 0) * x[0])


def getattr_const(x):
    outs = [x[0] * 2.0]
    for t in range(2):
        getattr(outs, "append")(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def getattr_shape(x):
    outs = [x[0] * 2.0]
    for t in range(x.shape[0]):
        getattr(outs, "append")(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def getattr_while(x):
    outs = [x[0] * 2.0]
    t = 0
    while t < x.shape[0]:
        getattr(outs, "append")(x[t] * x[t])
        t += 1
    return ops.sum(ops.stack(outs, 0) * x[0])


def getattr_kept_straight(x):
    outs = [x[0] * 2.0]
    push = getattr(outs, "append")
    push(x[0] * x[1])
    push(x[1] * 3.0)
    return ops.sum(ops.stack(outs, 0) * x[0])


def getattr_kept_const(x):
    outs = [x[0] * 2.0]
    push = getattr(outs, "append")
    for t in range(2):
        push(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def getattr_kept_shape(x):
    outs = [x[0] * 2.0]
    push = getattr(outs, "append")
    for t in range(x.shape[0]):
        push(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def getattr_kept_while(x):
    outs = [x[0] * 2.0]
    push = getattr(outs, "append")
    t = 0
    while t < x.shape[0]:
        push(x[t] * x[t])
        t += 1
    return ops.sum(ops.stack(outs, 0) * x[0])


def default_def_straight(x):
    outs = [x[0] * 2.0]
    def add(v, store=outs):
        store.append(v)
    add(x[0] * x[1])
    add(x[1] * 3.0)
    return ops.sum(ops.stack(outs, 0) * x[0])


def default_def_const(x):
    outs = [x[0] * 2.0]
    def add(v, store=outs):
        store.append(v)
    for t in range(2):
        add(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def default_def_shape(x):
    outs = [x[0] * 2.0]
    def add(v, store=outs):
        store.append(v)
    for t in range(x.shape[0]):
        add(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def default_def_while(x):
    outs = [x[0] * 2.0]
    def add(v, store=outs):
        store.append(v)
    t = 0
    while t < x.shape[0]:
        add(x[t] * x[t])
        t += 1
    return ops.sum(ops.stack(outs, 0) * x[0])


def default_lambda_straight(x):
    outs = [x[0] * 2.0]
    add = lambda v, store=outs: store.append(v)
    add(x[0] * x[1])
    add(x[1] * 3.0)
    return ops.sum(ops.stack(outs, 0) * x[0])


def default_lambda_const(x):
    outs = [x[0] * 2.0]
    add = lambda v, store=outs: store.append(v)
    for t in range(2):
        add(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def default_lambda_shape(x):
    outs = [x[0] * 2.0]
    add = lambda v, store=outs: store.append(v)
    for t in range(x.shape[0]):
        add(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def default_lambda_while(x):
    outs = [x[0] * 2.0]
    add = lambda v, store=outs: store.append(v)
    t = 0
    while t < x.shape[0]:
        add(x[t] * x[t])
        t += 1
    return ops.sum(ops.stack(outs, 0) * x[0])


def free_name_straight(x):
    outs = [x[0] * 2.0]
    def add(v):
        outs.append(v)
    add(x[0] * x[1])
    add(x[1] * 3.0)
    return ops.sum(ops.stack(outs, 0) * x[0])


def free_name_const(x):
    outs = [x[0] * 2.0]
    def add(v):
        outs.append(v)
    for t in range(2):
        add(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def free_name_shape(x):
    outs = [x[0] * 2.0]
    def add(v):
        outs.append(v)
    for t in range(x.shape[0]):
        add(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def free_name_while(x):
    outs = [x[0] * 2.0]
    def add(v):
        outs.append(v)
    t = 0
    while t < x.shape[0]:
        add(x[t] * x[t])
        t += 1
    return ops.sum(ops.stack(outs, 0) * x[0])


def partial_straight(x):
    outs = [x[0] * 2.0]
    push = functools.partial(outs.append)
    push(x[0] * x[1])
    push(x[1] * 3.0)
    return ops.sum(ops.stack(outs, 0) * x[0])


def partial_const(x):
    outs = [x[0] * 2.0]
    push = functools.partial(outs.append)
    for t in range(2):
        push(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def partial_shape(x):
    outs = [x[0] * 2.0]
    push = functools.partial(outs.append)
    for t in range(x.shape[0]):
        push(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def partial_while(x):
    outs = [x[0] * 2.0]
    push = functools.partial(outs.append)
    t = 0
    while t < x.shape[0]:
        push(x[t] * x[t])
        t += 1
    return ops.sum(ops.stack(outs, 0) * x[0])


def partial_def_straight(x):
    outs = [x[0] * 2.0]
    def add(store, v):
        store.append(v)
    push = functools.partial(add, outs)
    push(x[0] * x[1])
    push(x[1] * 3.0)
    return ops.sum(ops.stack(outs, 0) * x[0])


def partial_def_const(x):
    outs = [x[0] * 2.0]
    def add(store, v):
        store.append(v)
    push = functools.partial(add, outs)
    for t in range(2):
        push(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def partial_def_shape(x):
    outs = [x[0] * 2.0]
    def add(store, v):
        store.append(v)
    push = functools.partial(add, outs)
    for t in range(x.shape[0]):
        push(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def partial_def_while(x):
    outs = [x[0] * 2.0]
    def add(store, v):
        store.append(v)
    push = functools.partial(add, outs)
    t = 0
    while t < x.shape[0]:
        push(x[t] * x[t])
        t += 1
    return ops.sum(ops.stack(outs, 0) * x[0])


def unbound_straight(x):
    outs = [x[0] * 2.0]
    list.append(outs, x[0] * x[1])
    list.append(outs, x[1] * 3.0)
    return ops.sum(ops.stack(outs, 0) * x[0])


def unbound_const(x):
    outs = [x[0] * 2.0]
    for t in range(2):
        list.append(outs, x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def unbound_shape(x):
    outs = [x[0] * 2.0]
    for t in range(x.shape[0]):
        list.append(outs, x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def unbound_while(x):
    outs = [x[0] * 2.0]
    t = 0
    while t < x.shape[0]:
        list.append(outs, x[t] * x[t])
        t += 1
    return ops.sum(ops.stack(outs, 0) * x[0])


def iadd_straight(x):
    outs = [x[0] * 2.0]
    outs += [x[0] * x[1]]
    outs += [x[1] * 3.0]
    return ops.sum(ops.stack(outs, 0) * x[0])


def iadd_const(x):
    outs = [x[0] * 2.0]
    for t in range(2):
        outs += [x[t] * x[t]]
    return ops.sum(ops.stack(outs, 0) * x[0])


def iadd_shape(x):
    outs = [x[0] * 2.0]
    for t in range(x.shape[0]):
        outs += [x[t] * x[t]]
    return ops.sum(ops.stack(outs, 0) * x[0])


def iadd_while(x):
    outs = [x[0] * 2.0]
    t = 0
    while t < x.shape[0]:
        outs += [x[t] * x[t]]
        t += 1
    return ops.sum(ops.stack(outs, 0) * x[0])


def iadd_alias_straight(x):
    outs = [x[0] * 2.0]
    push = outs.append
    outs += [x[0] * x[1]]
    push((x[0] * x[1]) * 0.5)
    outs += [x[1] * 3.0]
    push((x[1] * 3.0) * 0.5)
    return ops.sum(ops.stack(outs, 0) * x[0])


def iadd_alias_const(x):
    outs = [x[0] * 2.0]
    push = outs.append
    for t in range(2):
        outs += [x[t] * x[t]]
        push((x[t] * x[t]) * 0.5)
    return ops.sum(ops.stack(outs, 0) * x[0])


def iadd_alias_shape(x):
    outs = [x[0] * 2.0]
    push = outs.append
    for t in range(x.shape[0]):
        outs += [x[t] * x[t]]
        push((x[t] * x[t]) * 0.5)
    return ops.sum(ops.stack(outs, 0) * x[0])


def iadd_alias_while(x):
    outs = [x[0] * 2.0]
    push = outs.append
    t = 0
    while t < x.shape[0]:
        outs += [x[t] * x[t]]
        push((x[t] * x[t]) * 0.5)
        t += 1
    return ops.sum(ops.stack(outs, 0) * x[0])


def extend_alias_straight(x):
    outs = [x[0] * 2.0]
    ext = outs.extend
    ext((x[0] * x[1], (x[0] * x[1]) * 0.5))
    ext((x[1] * 3.0, (x[1] * 3.0) * 0.5))
    return ops.sum(ops.stack(outs, 0) * x[0])


def extend_alias_const(x):
    outs = [x[0] * 2.0]
    ext = outs.extend
    for t in range(2):
        ext((x[t] * x[t], (x[t] * x[t]) * 0.5))
    return ops.sum(ops.stack(outs, 0) * x[0])


def extend_alias_shape(x):
    outs = [x[0] * 2.0]
    ext = outs.extend
    for t in range(x.shape[0]):
        ext((x[t] * x[t], (x[t] * x[t]) * 0.5))
    return ops.sum(ops.stack(outs, 0) * x[0])


def extend_alias_while(x):
    outs = [x[0] * 2.0]
    ext = outs.extend
    t = 0
    while t < x.shape[0]:
        ext((x[t] * x[t], (x[t] * x[t]) * 0.5))
        t += 1
    return ops.sum(ops.stack(outs, 0) * x[0])


def in_tuple_straight(x):
    outs = [x[0] * 2.0]
    box = (outs, 1)
    box[0].append(x[0] * x[1])
    box[0].append(x[1] * 3.0)
    return ops.sum(ops.stack(outs, 0) * x[0])


def in_tuple_const(x):
    outs = [x[0] * 2.0]
    box = (outs, 1)
    for t in range(2):
        box[0].append(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def in_tuple_shape(x):
    outs = [x[0] * 2.0]
    box = (outs, 1)
    for t in range(x.shape[0]):  # REFUSED
        box[0].append(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def in_tuple_while(x):
    outs = [x[0] * 2.0]
    box = (outs, 1)
    t = 0
    while t < x.shape[0]:  # REFUSED
        box[0].append(x[t] * x[t])
        t += 1
    return ops.sum(ops.stack(outs, 0) * x[0])


def in_dict_straight(x):
    outs = [x[0] * 2.0]
    box = {"o": outs}
    box["o"].append(x[0] * x[1])
    box["o"].append(x[1] * 3.0)
    return ops.sum(ops.stack(outs, 0) * x[0])


def in_dict_const(x):
    outs = [x[0] * 2.0]
    box = {"o": outs}
    for t in range(2):
        box["o"].append(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def in_dict_shape(x):
    outs = [x[0] * 2.0]
    box = {"o": outs}
    for t in range(x.shape[0]):  # REFUSED
        box["o"].append(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def in_dict_while(x):
    outs = [x[0] * 2.0]
    box = {"o": outs}
    t = 0
    while t < x.shape[0]:  # REFUSED
        box["o"].append(x[t] * x[t])
        t += 1
    return ops.sum(ops.stack(outs, 0) * x[0])


def in_list_straight(x):
    outs = [x[0] * 2.0]
    box = [outs]
    box[0].append(x[0] * x[1])
    box[0].append(x[1] * 3.0)
    return ops.sum(ops.stack(outs, 0) * x[0])


def in_list_const(x):
    outs = [x[0] * 2.0]
    box = [outs]
    for t in range(2):
        box[0].append(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def in_list_shape(x):
    outs = [x[0] * 2.0]
    box = [outs]
    for t in range(x.shape[0]):  # REFUSED
        box[0].append(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * x[0])


def in_list_while(x):
    outs = [x[0] * 2.0]
    box = [outs]
    t = 0
    while t < x.shape[0]:  # REFUSED
        box[0].append(x[t] * x[t])
        t += 1
    return ops.sum(ops.stack(outs, 0) * x[0])


CASES = [
    method_straight, method_const, method_shape, method_while, method_in_body_straight,
    method_in_body_const, method_in_body_shape, method_in_body_while, getattr_straight,
    getattr_const, getattr_shape, getattr_while, getattr_kept_straight,
    getattr_kept_const, getattr_kept_shape, getattr_kept_while, default_def_straight,
    default_def_const, default_def_shape, default_def_while, default_lambda_straight,
    default_lambda_const, default_lambda_shape, default_lambda_while,
    free_name_straight, free_name_const, free_name_shape, free_name_while,
    partial_straight, partial_const, partial_shape, partial_while, partial_def_straight,
    partial_def_const, partial_def_shape, partial_def_while, unbound_straight,
    unbound_const, unbound_shape, unbound_while, iadd_straight, iadd_const, iadd_shape,
    iadd_while, iadd_alias_straight, iadd_alias_const, iadd_alias_shape,
    iadd_alias_while, extend_alias_straight, extend_alias_const, extend_alias_shape,
    extend_alias_while, in_tuple_straight, in_tuple_const, in_dict_straight,
    in_dict_const, in_list_straight, in_list_const,
]
REFUSED = [
    in_tuple_shape, in_tuple_while, in_dict_shape, in_dict_while, in_list_shape,
    in_list_while,
]
