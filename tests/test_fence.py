"""Unsupported Python is refused before anything runs, at the user's file:line with a caret
and a way out."""
import fence_cases as fc
import numpy as np
import pytest

from autograd_st import Tensor, ops
from autograd_st.errors import (
    CompileError,
    NoDerivativeError,
    RecursionNotSupportedError,
    UnsupportedSyntaxError,
)

X = Tensor(np.array([1.0, 2.0], np.float32))

CASES = [
    (fc.uses_try, "try", "try/except"),
    (fc.uses_with, "with", "with"),
    (fc.uses_yield, "yield", "yield"),
    (fc.uses_global, "global", "global"),
    (fc.uses_nonlocal_outer(), "nonlocal", "nonlocal"),
    (fc.uses_del, "del", "del"),
]


@pytest.mark.parametrize("fn, tag, what", CASES, ids=[c[1] for c in CASES])
def test_refused_with_file_line_and_hint(fn, tag, what):
    with pytest.raises(UnsupportedSyntaxError) as info:
        ops.grad(fn)(X)
    err = info.value
    assert isinstance(err, SyntaxError)  # Python prints it with a caret
    assert err.filename == fc.__file__
    assert err.lineno == fc.line_of(tag)
    text = str(err)
    assert what in text and "hint:" in text
    assert "%s:%d" % (fc.__file__, fc.line_of(tag)) in text
    assert "^" in text  # the caret under the construct


def test_refused_inside_construct():
    with pytest.raises(UnsupportedSyntaxError) as info:
        ops.grad(fc.TryCell())(X)
    assert info.value.lineno == fc.line_of("cell-try")


def test_refused_before_anything_runs():
    calls = []

    def body(x):
        calls.append(1)
        return x

    def f(x):
        y = x * 2.0
        try:
            y = y + 1.0
        except ValueError:
            pass
        return y
    with pytest.raises(UnsupportedSyntaxError):
        ops.grad(f)(X)
    assert calls == []


def test_recursion_is_refused():
    with pytest.raises(RecursionNotSupportedError) as info:
        ops.grad(fc.recursive)(X)
    assert info.value.lineno == fc.line_of("recursion")
    assert "loop" in str(info.value)


def test_numpy_function_without_rule_is_named_at_its_call_site():
    with pytest.raises(NoDerivativeError) as info:
        ops.grad(fc.no_rule)(X)
    err = info.value
    assert isinstance(err, CompileError)
    assert err.lineno == fc.line_of("no-rule")
    assert "cumsum" in str(err) and "register" in str(err)


def _appends(x):
    parts = []
    parts.append(x * 2.0)
    return parts[0]


_OUTSIDE = []


def _appends_outside(x):
    _OUTSIDE.append(x * 2.0)
    return x


def test_a_list_the_function_builds_is_appended_to_and_one_from_outside_is_not():
    assert float(ops.grad(_appends)(Tensor(np.array(1.0))).asnumpy()) == 2.0
    with pytest.raises(UnsupportedSyntaxError) as info:
        ops.grad(_appends_outside)(X)
    assert "did not build" in str(info.value) and "list(" in str(info.value)
    assert _OUTSIDE == []
