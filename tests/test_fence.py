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


# ---------------------------------------------------------------------------------------
# docs/python_support.md: every construct, supported or refused, and the fence in step
# ---------------------------------------------------------------------------------------

import inspect  # noqa: E402
import pathlib  # noqa: E402
import re  # noqa: E402

import python_support_cases as sc  # noqa: E402

from autograd_st import check_grads, numerical_grad  # noqa: E402
from autograd_st.compiler.fence import REFUSED  # noqa: E402

try:
    from .helpers import assert_close  # noqa: E402
except ImportError:
    from helpers import assert_close  # noqa: E402

TABLE = pathlib.Path(__file__).resolve().parent.parent / "docs" / "python_support.md"


def _rows():
    """(construct, status, example, what happens) for every row of the doc's tables."""
    rows = []
    for line in TABLE.read_text().splitlines():
        if not line.startswith("| ") or line.startswith("| Python |"):
            continue
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        assert len(cells) == 4, line
        rows.append(tuple(cells))
    return rows


ROWS = _rows()
SUPPORTED = [r for r in ROWS if r[1] == "supported" and r[2]]
REFUSED_ROWS = [r for r in ROWS if r[1] == "refused"]


def _example(cell, module):
    return eval(cell.strip("`"), vars(module))  # noqa: S307 - a name or call from our table


def _message(row):
    found = re.match(r"`([^`]*)`", row[3])
    assert found, "a refused row gives its message: %s" % (row,)
    return found.group(1)


def test_the_table_has_only_supported_and_refused_rows():
    assert ROWS and all(r[1] in ("supported", "refused") for r in ROWS)


def test_every_construct_the_fence_refuses_has_a_row():
    messages = [_message(r) for r in REFUSED_ROWS]
    for what, _hint in REFUSED.values():
        assert "%s is not supported in differentiated code" % what in messages, what


def test_every_example_is_in_the_table():
    named = {r[2].strip("`").rstrip("()") for r in ROWS if r[2]}
    cases = {n for n, f in vars(sc).items() if inspect.isfunction(f) and not n.startswith("_")}
    assert cases <= named, cases - named
    refused = {n for n in vars(fc) if n.startswith("uses_")}
    assert refused <= named, refused - named


X64 = Tensor(np.random.default_rng(0).uniform(0.1, 1.0, (2, 3)))


@pytest.mark.parametrize("row", SUPPORTED, ids=[r[2].strip("`") for r in SUPPORTED])
def test_supported_row(row):
    fn = _example(row[2], sc)
    direct = fn(X64)
    value, grad = ops.value_and_grad(fn)(X64)
    assert_close(value, direct)
    assert_close(grad, numerical_grad(fn, (X64,)), 1e-6, 1e-7)
    if "First-order reverse mode only" in row[3]:  # the others refused, at the user's line
        check_grads(fn, (X64,), order=1, modes=("rev",))
        for mode, order in (("fwd", 1), ("rev", 2)):
            with pytest.raises(UnsupportedSyntaxError) as info:
                check_grads(fn, (X64,), order=order, modes=(mode,))
            assert info.value.filename == sc.__file__ and "hint:" in str(info.value)
        return
    check_grads(fn, (X64,), order=2)  # forward mode and second order too


@pytest.mark.parametrize("row", [r for r in REFUSED_ROWS if r[2]],
                         ids=[r[2].strip("`") for r in REFUSED_ROWS if r[2]])
def test_refused_row(row):
    fn = _example(row[2], fc)
    with pytest.raises(CompileError) as info:
        ops.grad(fn)(X)
    err = info.value
    assert _message(row) in str(err)
    assert "hint:" in str(err)
    assert err.filename == fc.__file__
    lines, start = inspect.getsourcelines(inspect.unwrap(fn))
    assert start <= err.lineno < start + len(lines)


def test_raise_and_assert_on_runtime_values_run_in_the_generated_code():
    net = sc._PatchCheck()  # (in a module pytest does not rewrite: it has asserts)
    x = Tensor(np.random.default_rng(1).uniform(-1.0, 1.0, (1, 2, 3)))
    grad = ops.grad(net)(x).asnumpy()
    xs = x.asnumpy()
    assert_close(grad, np.cos(xs) * xs + np.sin(xs), 1e-12, 1e-12)
    assert "raise_error(" in ops.grad(net).source(x)
    check_grads(lambda t: net(t), (x,), order=2)
    bad = Tensor(np.ones((1, 2, 4)))
    with pytest.raises(ValueError):  # as the direct call
        net(bad)
    with pytest.raises(ValueError, match="Input size"):
        ops.grad(net)(bad)
    with pytest.raises(AssertionError, match="two channels"):
        ops.grad(net)(Tensor(np.ones((1, 3, 3))))

    positive = sc._positive
    assert_close(ops.grad(positive)(Tensor(np.ones(3))), np.full(3, 2.0))
    with pytest.raises(AssertionError, match="positive"):
        ops.grad(positive)(Tensor(-np.ones(3)))
