"""Every hint the compiler gives leads to code that works (issue 14).

For each case of tests/hint_cases.py: the refused code raises the expected error at the
user's file:line with exactly that hint (and the compiler module named by the case is where
it comes from); the rewrite a user writes by following the hint compiles, gives the direct
call's value, and its gradient matches float64 central differences
(``autograd_st.numerical_grad``, and ``check_grads`` in the mode the case is about).  And
every hint in the compiler's source (each ``hint=`` / ``error(node, msg, hint)`` /
``refuse(node, what, hint)`` / ``needs_constant(node, what, hint)`` text, each entry of the
fence's REFUSED table) has a case: a new hint without a working rewrite fails here.
"""
import ast
import pathlib
import re
import sys
import traceback

import hint_cases as hc
import numpy as np
import pytest

import autograd_st
from autograd_st import check_grads, numerical_grad, ops, rules
from autograd_st.compiler.fence import REFUSED
from autograd_st.tensor import bump_structure_epoch

try:
    from .helpers import assert_close
except ImportError:
    from helpers import assert_close

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "autograd_st"
SOURCES = sorted([*(PACKAGE / "compiler").glob("*.py"), *(PACKAGE / "boundary").glob("*.py"),
                  *(PACKAGE / "ops").glob("*.py")])
_LINES = pathlib.Path(hc.__file__).read_text().splitlines()
CASES = {c.name: c for c in hc.CASES}


def line_of(tag: str) -> int:
    """The line of hint_cases.py carrying the marker ``# HINT tag``."""
    found = [i + 1 for i, text in enumerate(_LINES) if re.search(r"# HINT %s\b" % tag, text)]
    assert len(found) == 1, "one line carries the marker # HINT %s: %s" % (tag, found)
    return found[0]


def _args(case, which):
    args = case.refused_args if which == "refused" and case.refused_args is not None \
        else case.args
    return tuple(args) if args is not None else (hc.X,)


def _callable(obj):
    return obj() if isinstance(obj, type) else obj  # a Cell class: an instance of it


def _transform(fn, mode, args):
    """Run ``fn`` the way the case's hint is about: its gradient (``grad``), the gradient
    of its gradient (``grad2``), or forward mode (``jvp``)."""
    if mode == "grad":
        return ops.grad(fn)(*args)
    if mode == "grad2":
        return ops.grad(ops.grad(fn))(*args)
    if mode == "jvp":
        return ops.jvp(fn, args, tuple(ops.ones_like(a) for a in args))
    raise AssertionError(mode)


# -----------------------------------------------------------------------------------------
# the pairs
# -----------------------------------------------------------------------------------------

def test_the_case_names_are_distinct():
    assert len(CASES) == len(hc.CASES)


@pytest.fixture
def restored_registry():
    """A case's setup may register a rule: put the global tables back after the test."""
    saved = dict(rules.REGISTRY), dict(rules.USER_FUNCTIONS)
    yield
    rules.REGISTRY.clear()
    rules.REGISTRY.update(saved[0])
    rules.USER_FUNCTIONS.clear()
    rules.USER_FUNCTIONS.update(saved[1])
    bump_structure_epoch()  # code compiled with the rule is compiled again without it


@pytest.mark.parametrize("name", list(CASES))
def test_refused(name, monkeypatch, restored_registry):
    case = CASES[name]
    if case.python and sys.version_info < case.python:
        # the construct is not Python before that version: no user can reach this hint
        with pytest.raises(SyntaxError):
            compile(case.refused, "<%s>" % name, "exec")
        return
    monkeypatch.setenv("AUTOGRAD_ST_TRACEBACK_FILTERING", "off")
    fn = case.refused
    if isinstance(fn, str):  # source text (syntax newer than some supported Pythons)
        fn = autograd_st.exec_source(fn, vars(hc))[name + "_refused"]
    fn = _callable(fn)
    if case.refused_setup is not None:
        case.refused_setup()
    with pytest.raises(case.error) as info:
        _transform(fn, case.mode, _args(case, "refused"))
    err = info.value
    assert type(err) is case.error, (type(err), str(err))
    assert err.hint == case.hint, str(err)
    text = str(err)
    assert "hint: " + case.hint in text
    if isinstance(case.refused, str):
        lines = case.refused.splitlines()
        assert err.filename.startswith("<exec_source"), text
        assert "# HINT %s" % name in lines[err.lineno - 1], text
    else:
        assert err.filename == hc.__file__, text
        assert err.lineno == line_of(case.line or name), text
    assert "%s:%d" % (err.filename, err.lineno) in text
    # the compiler module that raised it (for a value needed as a constant: the caller of
    # needs_constant, which raises for it)
    frames = traceback.extract_tb(info.tb)
    raiser = frames[-2] if frames[-1].name == "needs_constant" else frames[-1]
    assert pathlib.Path(raiser.filename).stem == case.site, (case.site, raiser)


def _assert_same(value, direct):
    """The compiled function's value is the direct call's (tuples and lists item by item)."""
    if isinstance(direct, (tuple, list, dict)):
        assert type(value) is type(direct) and len(value) == len(direct), (value, direct)
        if isinstance(direct, dict):
            assert list(value) == list(direct)
            value, direct = list(value.values()), list(direct.values())
        for v, d in zip(value, direct):
            _assert_same(v, d)
    else:
        assert_close(value, direct, 1e-12, 1e-12)


def _leaves(value) -> tuple:
    """The Tensors and numbers of a (nested) output, for central differences of its sum."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (tuple, list)):
        return tuple(leaf for v in value for leaf in _leaves(v))
    return (value,)


@pytest.mark.parametrize("name", list(CASES))
def test_rewritten(name, restored_registry):
    case = CASES[name]
    if case.setup is not None:
        case.setup()
    for rewritten in case.rewrites():
        fn = _callable(rewritten)
        args = _args(case, "rewritten")
        direct = fn(*args)
        value, grad = ops.value_and_grad(fn)(*args)
        _assert_same(value, direct)
        if rewritten in case.expected:
            expected = case.expected[rewritten](*args)
        else:
            expected = numerical_grad(lambda *a: _leaves(fn(*a)), args) * case.grad_factor
        assert_close(grad, expected, 1e-6, 1e-7)
        if case.mode == "grad2":
            check_grads(fn, args, order=2, modes=("rev",))
        elif case.mode == "jvp":
            check_grads(fn, args, order=1, modes=("fwd",))


def test_the_callers_of_rewrites_that_move_code_out_run():
    assert_close(hc.with_rewritten_caller(hc.X), 1.0 / hc.X.asnumpy())
    assert_close(hc.raise_rewritten_caller(hc.X), np.full((2, 3), hc.G))


# -----------------------------------------------------------------------------------------
# every hint of the compiler's source has a case
# -----------------------------------------------------------------------------------------

_HINT_SLOT = {"error": 2, "refuse": 2, "needs_constant": 2}  # (node, message, hint)
_ERROR_SLOT = 4  # SomeError(message, filename, lineno, col, hint)


def _text_patterns(node, constants) -> list:
    """Regexes of the hint texts ``node`` can give (``%s`` and friends: any text; each
    branch of a conditional expression), none for no hint or a hint passed through from a
    parameter (its callers give the text)."""
    if isinstance(node, ast.Constant):
        return [] if node.value is None else [re.escape(node.value)]
    if isinstance(node, ast.IfExp):
        return _text_patterns(node.body, constants) + _text_patterns(node.orelse, constants)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) \
            and isinstance(node.left, ast.Constant):
        parts = re.split(r"%[sdr]", node.left.value)
        return ["(.+)".join(re.escape(p.replace("%%", "%")) for p in parts)]
    if isinstance(node, ast.Name):
        return [re.escape(constants[node.id])] if node.id in constants else []
    raise AssertionError("a hint the coverage test cannot read: %s" % ast.unparse(node))


def _callee(node):
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def source_hints():
    """``(module, pattern, where)`` for every hint text in the compiler's source."""
    out = []
    for path in SOURCES:
        tree = ast.parse(path.read_text())
        constants = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
                     for t in n.targets if isinstance(t, ast.Name)
                     and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _callee(node)
            slot = _HINT_SLOT.get(name, _ERROR_SLOT if name.endswith("Error") else None)
            if slot is None:
                continue
            hint = next((k.value for k in node.keywords if k.arg == "hint"), None)
            if hint is None and len(node.args) > slot \
                    and not any(isinstance(a, ast.Starred) for a in node.args[:slot + 1]):
                hint = node.args[slot]
            for pattern in [] if hint is None else _text_patterns(hint, constants):
                out.append((path.stem, pattern, "%s:%d" % (path.name, node.lineno)))
    return out


def test_the_coverage_test_reads_the_hints():
    found = source_hints()
    assert len(found) >= 50
    modules = {m for m, _, _ in found}
    assert {"fence", "frontend", "normalize_calls", "normalize_containers", "normalize_exprs",
            "normalize_loops", "normalize_stmts", "analyze", "bprop", "reverse",
            "runtime_lists"} <= modules


#: hints no user program has been found to reach, with what was tried; each must still be
#: in the source (a hint that goes, goes from here too), and a case found for one moves it
#: to tests/hint_cases.py
UNREACHED = {
    ("normalize_containers", "take the higher-order derivative of a loop-free function, or "
     "use finite differences of the gradient for now"):
        "raised for an append in code read from a generated file (<autograd_st ...>): code "
        "differentiated again is emitted in the recompute form, range loops and no list "
        "tape; tried grad(grad(f)), grad of a function calling a gradient function and jvp "
        "of a gradient, over for, while and collecting loops (the collecting ones are "
        "refused by runtime_lists first)",
    ("normalize_loops", "append to the list only (outs.append(h)), or loop a constant number "
     "of times so that the loop is unrolled"):
        "raised when a list made a run-time list still grows by the loop's end; "
        "make_runtime_lists rebinds every name holding it, and other holders are refused "
        "(_rt_held); tried appends through a lambda, a nested def, a bound method, getattr, "
        "a default argument, nested runtime loops and extend",
}


def test_every_hint_in_the_compiler_has_a_case():
    missing = []
    for module, pattern, where in source_hints():
        if not any(c.site == module and re.fullmatch(pattern, c.hint) for c in hc.CASES) \
                and not any(m == module and re.fullmatch(pattern, h) for m, h in UNREACHED):
            missing.append("%s: %s" % (where, pattern))
    assert not missing, "hints with no case in tests/hint_cases.py:\n" + "\n".join(missing)


def test_the_unreached_hints_are_still_in_the_source_and_have_no_case():
    found = source_hints()
    for module, hint in UNREACHED:
        assert any(m == module and re.fullmatch(p, hint) for m, p, _ in found), hint
        assert not any(c.hint == hint for c in hc.CASES), "a case reaches it: drop it here"


def test_every_construct_the_fence_refuses_has_a_case():
    for node_type, (what, hint) in REFUSED.items():
        cases = [c for c in hc.CASES if c.construct == node_type.__name__]
        assert cases, "no case for %s (%s)" % (node_type.__name__, what)
        assert all(c.hint == hint and c.site == "fence" for c in cases), node_type.__name__


def test_every_case_hint_is_one_the_compiler_gives():
    patterns = [(m, p) for m, p, _ in source_hints()] + [
        ("fence", re.escape(h)) for _, h in REFUSED.values()]
    for case in hc.CASES:
        assert any(m == case.site and re.fullmatch(p, case.hint) for m, p in patterns), \
            case.name


# -----------------------------------------------------------------------------------------
# what the compiler accepts now that a hint's rewrite needed it
# -----------------------------------------------------------------------------------------

def test_dict_unpacking_reads_the_dict_as_it_is_when_called(monkeypatch):
    x = hc.X
    assert_close(ops.grad(hc.dict_unpack_rewritten)(x), np.full((2, 3), 6.0))
    monkeypatch.setitem(hc.SCALES, "b", 5.0)  # a global's item changed: compiled again
    assert_close(ops.grad(hc.dict_unpack_rewritten)(x), np.full((2, 3), 15.0))


def _bits(x):
    return ops.sum(x * ((6 ^ 3) + (1 << 3) + (16 >> 2)))  # 5 + 8 + 4


def test_bit_operators_on_constants_are_evaluated():
    value, grad = ops.value_and_grad(_bits)(hc.X)
    assert_close(value, 17.0 * hc.X.asnumpy().sum())
    assert_close(grad, np.full((2, 3), 17.0))
