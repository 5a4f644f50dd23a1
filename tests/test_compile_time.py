"""Compile time (issue 15, section 6): what makes compiling fast, checked as structure, never
as an absolute time.

- The fast tree helpers give what the slow ones they replace give: ``trees.walk`` is
  ``gast.walk`` (same nodes, same order), ``parse.to_gast`` is ``gast.ast_to_gast`` and
  ``trees.to_ast`` is ``gast.gast_to_ast`` (same trees, locations included), the names
  ``trees.load_store_names`` and ``trees.stored_names`` find are those a walk finds, and the
  printer (``compiler/printer.py``) prints what astor prints, on every function compiled for
  random programs.
- A file's defs are parsed together and each handed out once (no tree kept for the process;
  one asked for again, a decorated one included, is parsed again), and activity's one pass
  over straight code is the fixpoint the iteration finds (a name assigned twice iterates).
- Compiling is linear in the length of the function: a function twice as long (the same
  mix of lines, ifs and loops) costs about twice the work, counted as Python function calls
  (deterministic; a pass that walks the rest of the function for each loop, as the lowering
  did, is quadratic and fails this).
- The per-call path of ``GradOperation`` inside a Cell's ``construct`` (the tutorials'
  ``GradNetWrtX``) runs a bounded number of Python functions of the API per call.
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import linecache
import os
import pathlib
import sys
import textwrap
import types

import gast
import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings

import autograd_st.compiler as driver
from autograd_st import Parameter, Tensor, nn, ops
from autograd_st.compiler import (
    anno,
    codegen,
    hooks,
    lower,
    lower_facts,
    lower_fwdacc_emit,
    parse,
    printer,
    trees,
)
from autograd_st.compiler import load as load_module

try:
    from . import program_gen as pg
    from .helpers import fd
except ImportError:  # run with tests/ on sys.path
    import program_gen as pg
    from helpers import fd

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "autograd_st").rglob("*.py")) + sorted((ROOT / "tests").glob("*.py"))


# ---------------------------------------------------------------------------------------
# the fast helpers give what gast gives
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", SOURCES[::3], ids=lambda p: p.name)
def test_tree_helpers_match_gast(path):
    text = path.read_text()
    tree = ast.parse(text)
    theirs = gast.ast_to_gast(tree)
    mine = parse.to_gast(tree)  # (in place)
    assert mine is tree
    assert gast.dump(mine, include_attributes=True) == gast.dump(theirs, include_attributes=True)
    assert [id(n) for n in trees.walk(mine)] == [id(n) for n in gast.walk(mine)]
    assert ast.dump(trees.to_ast(mine)) == ast.dump(gast.gast_to_ast(mine))
    loads, stores = set(), set()
    trees.load_store_names(mine, loads, stores)
    names = [n for n in gast.walk(mine) if isinstance(n, gast.Name)]
    assert loads == {n.id for n in names if isinstance(n.ctx, gast.Load)}
    assert stores == {n.id for n in names if isinstance(n.ctx, gast.Store)}
    assert sorted(trees.name_ids(mine)) == sorted(n.id for n in names)
    assert hooks.needed(mine) == any(hooks._hook_of(n) is not None for n in gast.walk(mine))
    for fdef in [n for n in gast.walk(mine) if isinstance(n, gast.FunctionDef)]:
        assert lower_fwdacc_emit.operations(fdef.body) == _operations_by_recursion(fdef.body)
    # stored_names reads assignment and loop targets only: what binds names in the
    # statements generated code is made of (compared on the functions made of them only)
    generated = (gast.Assign, gast.AugAssign, gast.Expr, gast.If, gast.For, gast.While,
                 gast.Return, gast.Delete, gast.Pass, gast.Break, gast.Continue)
    other = (gast.stmt, gast.comprehension, gast.NamedExpr, gast.Lambda)
    for fdef in [n for n in mine.body if isinstance(n, gast.FunctionDef)]:
        if not any(isinstance(n, other) and not isinstance(n, generated)
                   for st in fdef.body for n in gast.walk(st)):
            assert trees.stored_names(fdef.body) == set(codegen.names_written(fdef.body))


_FREE = lower_fwdacc_emit._FREE


def _operations_by_recursion(stmts) -> int:
    """``lower_fwdacc_emit.operations`` as it was written first: a call per node."""
    def ops(node):
        cls = node.__class__
        if cls is gast.BinOp:
            return 1 + ops(node.left) + ops(node.right)
        if cls is gast.UnaryOp:
            return (node.operand.__class__ is not gast.Constant) + ops(node.operand)
        if cls is gast.Call:
            f = node.func
            return (not (f.__class__ is gast.Name and f.id in _FREE)) \
                + sum(ops(a) for a in node.args) + sum(ops(k.value) for k in node.keywords)
        if cls is gast.Tuple or cls is gast.List:
            return sum(ops(e) for e in node.elts)
        if cls is gast.Compare:
            return 1 + ops(node.left) + sum(ops(c) for c in node.comparators)
        return 0

    def stmt_ops(st):
        cls = st.__class__
        if cls is gast.Assign or cls is gast.Expr or cls is gast.Return:
            return ops(st.value)
        if cls is gast.AugAssign:
            return 1 + ops(st.value)
        if cls is gast.If:
            return ops(st.test) + _operations_by_recursion(st.body) \
                + _operations_by_recursion(st.orelse)
        return 0
    return sum(stmt_ops(st) for st in stmts)


def test_hooks_needed_finds_a_hook_in_any_block():
    """``hooks.needed`` looks into statement blocks only: a hook in a nested block, a
    handler, a loop's else, a nested function is found; a hook-like expression that is not a
    statement is not (as gast's walk with ``_hook_of`` finds them)."""
    cases = {
        "def f(x):\n    if x:\n        for i in y:\n            pass\n        else:\n"
        "            x.register_hook(g)\n    return x\n": True,
        "def f(x):\n    try:\n        pass\n    except E:\n        x.register_hook(g)\n": True,
        "def f(x):\n    def h():\n        while 1:\n            x.register_hook(g)\n": True,
        "def f(x):\n    y = x.register_hook(g)\n    return [x.register_hook(g)]\n": False,
        "def f(x):\n    x.register_hook(g, 1)\n    x.hook(g)\n": False,
    }
    for src, want in cases.items():
        tree = parse.to_gast(ast.parse(src))
        assert hooks.needed(tree) is want, src
        assert any(hooks._hook_of(n) is not None for n in gast.walk(tree)) is want


def test_source_comment_follows_the_file(tmp_path):
    """A line's comment is kept while linecache holds the same text of its file, and made
    again when the file changed and linecache read it again."""
    path = tmp_path / "ct_comment_src.py"
    path.write_text("a = 1\nb = np.sin(a)\n")
    loc = (str(path), 2, 0)
    assert codegen.source_comment(loc) == "b = np.sin(a)  (ct_comment_src.py:2)"
    assert codegen.source_comment(loc) == "b = np.sin(a)  (ct_comment_src.py:2)"
    path.write_text("a = 1\nb = np.cos(a) * 2\n")
    st = os.stat(path)
    os.utime(path, (st.st_atime, st.st_mtime + 5))
    linecache.checkcache(str(path))
    assert codegen.source_comment(loc) == "b = np.cos(a) * 2  (ct_comment_src.py:2)"
    assert codegen.source_comment((str(path), 7, 0)) == "ct_comment_src.py:7"


def test_a_files_defs_are_handed_out_once(tmp_path):
    """The file's text is parsed once for all its defs; each def is handed out once (the
    cache keeps no tree a compile took), and one asked for again is parsed again: the same
    tree, a decorated def included (its decorators dropped from the copy handed out only)."""
    src = ("import numpy as np\n\n\ndef deco(f):\n    return f\n\n\n@deco\n"
           "def f(x):\n    return np.sin(x) * x\n\n\ndef g(x):\n    return np.cos(x)\n")
    mod = _import(src, "ct_defs_once", tmp_path)
    code = mod.f.__code__
    first = parse._parse_code(mod.f, code, code.co_filename)
    entry = parse._TEXT_CODES[code.co_filename]
    assert ("f", code.co_firstlineno) not in entry[3] and ("g", 13) in entry[3]
    again = parse._parse_code(mod.f, code, code.co_filename)  # (no SourceChangedError)
    assert again is not first
    assert gast.dump(again, include_attributes=True) == gast.dump(first, include_attributes=True)
    assert ("g", 13) in parse._TEXT_CODES[code.co_filename][3]
    x = np.linspace(-1, 1, 5)
    driver.clear_caches()
    np.testing.assert_allclose(np.asarray(ops.grad(mod.f)(x)),
                               fd(lambda v: float(np.sum(mod.f(v))), x), rtol=1e-6, atol=1e-8)


def test_a_nested_def_and_its_enclosing_def_share_no_node(tmp_path):
    """The parse is converted to gast in place: a def handed out takes the defs it holds
    and those holding it out of the file's entry, so a nested def (a closure the outer
    one returns; both nested, so compiled with the same flags and found in one entry) is
    parsed again, into a tree of its own, whichever comes first; both differentiate to
    their finite differences."""
    src = ("import numpy as np\n\n\ndef make(a):\n    def outer(x):\n"
           "        def inner(y):\n            return np.sin(y) * x\n"
           "        return np.sum(np.cos(x) * a) + np.sum(inner(x))\n    return outer\n")
    x = np.linspace(-1, 1, 5)
    for first in ("outer", "inner"):
        mod = _import(src, "ct_nested_%s" % first, tmp_path)
        outer = mod.make(3.0)
        inner = types.FunctionType(
            next(c for c in outer.__code__.co_consts if isinstance(c, types.CodeType)),
            mod.__dict__, "inner", None, (types.CellType(2.0),))
        fns = [outer, inner] if first == "outer" else [inner, outer]
        trees_ = [parse._parse_code(f, f.__code__, f.__code__.co_filename) for f in fns]
        ids = [{id(n) for n in gast.walk(t) if not isinstance(
            n, (gast.expr_context, gast.operator, gast.unaryop, gast.cmpop, gast.boolop))}
            for t in trees_]
        assert not ids[0] & ids[1]
        assert [t.name for t in trees_] == [f.__name__ for f in fns]
        driver.clear_caches()
        np.testing.assert_allclose(np.asarray(ops.grad(inner)(x)), 2.0 * np.cos(x),
                                   rtol=1e-12)
        np.testing.assert_allclose(np.asarray(ops.grad(outer)(x)),
                                   fd(lambda v: float(outer(v)), x), rtol=1e-6, atol=1e-8)


def _active_by_fixpoint(fir, wrt) -> set:
    """The active variables, by iterating the whole body until nothing changes (what
    ``analyze`` did for every function)."""
    from autograd_st.compiler.analyze import _arg_vars, is_display
    from autograd_st.compiler.ir import Opaque, Prim, walk
    active, changed = set(wrt), True
    while changed:
        changed = False
        for st in walk(fir.body):
            if isinstance(st, Prim) and any(v in active for p in st.prim.diff
                                            for v in _arg_vars(st.args[p])):
                new = set(st.targets) - active
            elif isinstance(st, Opaque) and is_display(st) and any(u in active for u in st.uses):
                new = set(st.targets) - active
            else:
                continue
            changed = changed or bool(new)
            active |= new
    return active


def test_activity_in_one_pass_is_the_fixpoint(tmp_path):
    """Activity takes one pass over straight code whose names are assigned once; a loop or
    a name assigned twice (the merge of an if) iterates: both give the fixpoint."""
    from autograd_st.compiler import analyze
    from autograd_st.compiler.ir import RUNTIME, leaves
    src = ("import numpy as np\n\n\ndef straight(x, w):\n    a = np.sin(x) * w\n"
           "    b = a + 1.0\n    c = np.tanh(b) * a\n    return np.sum(c)\n\n\n"
           "def merged(x, w):\n    y = w * 2.0\n    z = y * 3.0\n    if w.sum() > 0:\n"
           "        y = x * 3.0\n    return np.sum(z + y)\n\n\n"
           "def looped(x, w):\n    h = w\n    g = h * 2.0\n    for i in range(3):\n"
           "        g = g * h\n        h = np.sin(x) + h\n    return np.sum(g)\n")
    mod = _import(src, "ct_activity", tmp_path)
    x, w = np.linspace(-1, 1, 4), np.linspace(0.5, 1, 4)
    for fn in (mod.straight, mod.merged, mod.looped):
        driver.clear_caches()
        fir = driver.normalize_function(fn, None, [RUNTIME] * 2)
        for wrt in ([leaves(fir.args)[0].var.name], [leaves(fir.args)[1].var.name]):
            assert analyze.activity(fir, wrt) == _active_by_fixpoint(fir, wrt), fn.__name__
        if fn is mod.straight:  # a name read, then assigned again from x: active after all
            import dataclasses

            from autograd_st import rules
            from autograd_st.compiler.ir import Const, Prim, Var
            mul = rules.REGISTRY["mul"]
            xn, wn = [leaf.var.name for leaf in leaves(fir.args)]
            body = [Prim(["p"], mul, {"x": Var(wn), "y": Const(2.0)}),
                    Prim(["q"], mul, {"x": Var("p"), "y": Const(3.0)}),
                    Prim(["p"], mul, {"x": Var(xn), "y": Const(3.0)})]
            again = dataclasses.replace(fir, body=body)
            found = analyze.activity(again, [xn])
            assert "q" in found and found == _active_by_fixpoint(again, [xn])
        for pos in (0, 1):  # the gradients themselves, against finite differences
            def f64(v, pos=pos, fn=fn):
                return float(fn(*[v if i == pos else a for i, a in enumerate((x, w))]))
            np.testing.assert_allclose(np.asarray(ops.grad(fn, pos)(x, w)),
                                       fd(f64, (x, w)[pos]), rtol=1e-6, atol=1e-8)


def _facts_by_separate_walks(stmt):
    """What ``lower``'s one walk of a top-level statement gives, found with gast's walk."""
    nodes = list(gast.walk(stmt))
    names = [n for n in nodes if isinstance(n, gast.Name)]
    tagged = [n for n in nodes if not isinstance(n, gast.Name) and anno.tag_of(n) is not None]
    reads = []
    for n in tagged:
        t = anno.tag_of(n)
        if t.kind == "unbroadcast" and t.facts["like"] is not None \
                and t.facts["matmul"] is None:
            reads.append((id(n), None, t.facts["like"]))
        elif t.kind == "shape_use":
            reads.append((id(n), t.facts["form"], t.facts["like"]))
    return ([id(n) for n in tagged], sorted(n.id for n in names if isinstance(n.ctx, gast.Load)),
            [n.id for n in names if isinstance(n.ctx, gast.Store)], sorted(reads, key=repr))


def test_the_lowerings_one_walk_gives_what_separate_walks_give(monkeypatch, tmp_path):
    """``lower_facts.walk_top`` (the tagged nodes in walk order, the names read and bound, the
    calls reading a name for its shape) and ``lower_facts.statement_facts`` on every top-level
    statement of the functions the lowering gets: a straight function (broadcasting, matmul
    gradients), a loop, a Cell's pairs."""
    seen = []
    real = lower.lower

    def check(fdefs, names, **options):
        for fdef in fdefs:
            for stmt in fdef.body:
                tagged, ids, stores, reads = _facts_by_separate_walks(stmt)
                counts, counts2, want = {}, {}, {}
                for n in stores:
                    want[n] = want.get(n, 0) + 1
                t, ld, st, rd = lower_facts.walk_top(stmt, counts)
                ld2, st2, rd2 = lower_facts.statement_facts(stmt, counts2)
                assert [id(n) for n in t] == tagged
                assert sorted(ld) == sorted(ld2) == ids
                assert st == st2 == set(stores) and counts == counts2 == want
                assert sorted(((id(c), f, v) for c, f, v in rd), key=repr) == reads
                assert sorted(((id(c), f, v) for c, f, v in rd2), key=repr) == reads
            seen.append(fdef.name)
        return real(fdefs, names, **options)
    monkeypatch.setattr(lower, "lower", check)
    for mod in ("gradient", "build"):  # (each imported the function by name)
        monkeypatch.setattr(importlib.import_module("autograd_st.compiler." + mod), "lower",
                            check)
    src = ("import numpy as np\n\n\ndef f(x, w, b):\n    h = np.tanh(np.matmul(x, w) + b)\n"
           "    for _ in range(3):\n        h = np.sin(h) * 0.5 + h\n"
           "    return np.sum(h * np.exp(h) - np.mean(h, axis=0))\n")
    f = _import(src, "ct_facts_f", tmp_path).f
    x = Tensor(np.linspace(-1, 1, 12).reshape(3, 4).astype(np.float32))
    w = Tensor((np.eye(4) * 0.5).astype(np.float32))
    b = Tensor(np.ones(4, np.float32))
    driver.clear_caches()
    ops.grad(f, (0, 1, 2))(x, w, b)

    class Tiny(nn.Cell):
        def __init__(self):
            super().__init__()
            self.dense = nn.Dense(4, 4)

        def construct(self, x):
            return ops.sum(ops.tanh(self.dense(x)) * x)
    net = Tiny()
    ops.value_and_grad(net, None, net.trainable_params())(x)
    assert len(seen) >= 3


def test_printer_matches_astor_on_constructs():
    """Every expression and statement kind the printer takes, in the positions where
    astor's precedence puts parentheses (or leaves them out)."""
    src = textwrap.dedent('''
        def f(a, b, c):
            x = -a ** 2 + (-a) ** 2 - a ** -b ** c
            y = (a + b) * c - a * (b - c) / (a / b) // 2 % 3 @ c
            z = not a and (b or c) or not (a and b)
            w = a if b else c if a else (b if c else a)
            v = (a if b else c) + 1
            u = a < b <= c != a and (a is None) is not (b in c) or a not in b
            t = a[1:2, ::3, 4:, :5, ...][(1, 2)][:, None][-1][a:b:c]
            s = (1).real + 1.5.imag + (-2) + -3.0 + 1e300 * 1j + (2 + 3j) + 0j + True + (None,)
            r = f(*a, b, c=1, **b)(a)((a, b))[a, b].x.y(z=(1,), w=[])
            q = [a, (b,), [c], {}, {a: b, **c}, {(1, 2): 3}], ()
            p = ~a, +b, -c, a << 2 >> 1 | b & c ^ a
            a, (b, c) = c, (a, b)
            a += b * c
            a -= b
            a **= 2
            del a, b
            __comment__('a comment "with" quotes')
            __comment__("it's")
            for i, j in zip(a, b):
                if i:
                    pass
                elif j:
                    continue
                elif a:
                    break
                else:
                    x = 'str' + "s'" + '"' + 'a\\\\b' + b'bytes'
            else:
                y = 1
            for k in a + b:
                x = (yield_ := 1) if False else 2
            while a > 0 and b:
                a = a - 1
            if a:
                x = 1
            else:
                if b:
                    x = 2
                x = 3
            return
            return a, b
            return (a, b)[0]
    ''')
    src = src.replace("(yield_ := 1)", "1")  # (a walrus is refused by validate anyway)
    fdef = parse.to_gast(ast.parse(src)).body[0]
    assert codegen.to_source(fdef) == codegen._astor_source(fdef)
    assert printer.function_lines(fdef)  # printed by the printer, not by the fallback


@pytest.mark.parametrize("src", [
    "def f(a=1):\n    return a\n",
    "def f(*a):\n    return a\n",
    "@dec\ndef f(a):\n    return a\n",
    "def f(a):\n    'a docstring'\n    return a\n",
    "def f(a):\n    return 'two\\nlines'\n",
    "def f(a):\n    with a:\n        pass\n",
])
def test_printer_leaves_what_it_does_not_take_to_astor(src):
    fdef = parse.to_gast(ast.parse(src)).body[0]
    with pytest.raises(printer.Unprintable):
        printer.function_lines(fdef)
    assert codegen.to_source(fdef) == codegen._astor_source(fdef)


@pytest.fixture(scope="module")
def program_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("printer_programs"))


class _Checked(list):
    """The names of the functions printed, and the ones astor printed otherwise."""

    mismatches: list


@pytest.fixture
def checked_printer(monkeypatch):
    """Every function the compiler prints is printed by astor too, and must read the same."""
    seen = _Checked()
    seen.mismatches = []
    real, real_checked = codegen.function_lines, load_module.checked_lines

    def compared(fdef, lines):
        mine, theirs = codegen.lines_text(lines), codegen._astor_source(fdef)
        if mine != theirs:
            seen.mismatches.append((mine, theirs))
        seen.append(fdef.name)

    def function_lines(fdef):
        lines = real(fdef)
        compared(fdef, lines)
        return lines

    def checked_lines(fdef):  # (the compile's path: printed and checked in one pass)
        lines, names = real_checked(fdef)
        compared(fdef, lines)
        return lines, names
    monkeypatch.setattr(codegen, "function_lines", function_lines)
    monkeypatch.setattr(load_module, "checked_lines", checked_lines)
    return seen


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          phases=(Phase.explicit, Phase.generate), suppress_health_check=list(HealthCheck))
@given(program=pg.programs())
def test_printer_matches_astor_on_random_programs(program, program_dir, checked_printer):
    module = pg.load_module(program.source, program_dir, prefix="ct")
    try:
        target = pg._entry(module, program.kind)
        args = [pg._tensors(a, []) for a in program.inputs]
        for second in (False, True):  # (the code built to be differentiated again, too)
            driver.clear_caches()
            try:
                g = ops.grad(target, tuple(range(len(args))))
                (ops.grad(lambda *a: ops.sum(g(*a)[0])) if second else g)(*args)
            except Exception:  # noqa: BLE001 - the random tests judge the program itself
                pass
    finally:
        pg.unload_module(module)
    assert not checked_printer.mismatches, checked_printer.mismatches[0]


def test_printer_checked_on_a_model(checked_printer):
    """A Cell with sub-Cells, a loop, a runtime if and slicing: pairs and a gradient."""
    class Block(nn.Cell):
        def __init__(self):
            super().__init__()
            self.dense = nn.Dense(4, 4)

        def construct(self, x):
            return ops.tanh(self.dense(x)) + x[:, ::-1] * 0.5

    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.a, self.b = Block(), Block()
            self.w = Parameter(Tensor(np.ones(4, np.float32)), name="w")

        def construct(self, x):
            h = x
            for _ in range(3):
                h = self.a(h) * self.w
            if ops.sum(h) > 0:
                h = self.b(h)
            return ops.sum(h ** 2)

    net = Net()
    x = Tensor(np.linspace(-1, 1, 8).reshape(2, 4).astype(np.float32))
    driver.clear_caches()
    ops.value_and_grad(net, None, net.trainable_params())(x)
    assert len(checked_printer) >= 3  # the gradient function and the sub-Cells' pairs
    assert not checked_printer.mismatches, checked_printer.mismatches[0]


# ---------------------------------------------------------------------------------------
# linear work
# ---------------------------------------------------------------------------------------

def _import(source, name, tmp_path):
    path = tmp_path / (name + ".py")
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def _calls_to_compile(n_lines, tmp_path, tag):
    """Python function calls made while compiling the gradient of a fresh ``n_lines``-line
    function (tools/bench/compile_1000.py's mix: lines, an if every 40, a loop every 100)."""
    sys.path.insert(0, str(ROOT / "tools" / "bench"))
    try:
        import compile_1000
    finally:
        sys.path.remove(str(ROOT / "tools" / "bench"))
    f = _import(compile_1000.long_source(n_lines), "ct_lin_%s_%d" % (tag, n_lines), tmp_path).f
    x = Tensor(np.linspace(-1, 1, 32).reshape(4, 8).astype(np.float32))
    w = Tensor((np.eye(8) * 0.5).astype(np.float32))
    driver.clear_caches()
    g = ops.grad(f, (0, 1))
    count = [0]

    def prof(frame, event, arg):
        if event == "call":
            count[0] += 1
    sys.setprofile(prof)
    try:
        g.source(x, w)
    finally:
        sys.setprofile(None)
    return count[0]


def test_compiling_is_linear_in_the_function_length(tmp_path):
    """Counted, not timed: 400 -> 800 lines is 2.0x the calls (it was 2.34x, and growing,
    while the lowering walked the rest of the function for each loop and the normalizer
    walked the statements after each loop again)."""
    _calls_to_compile(40, tmp_path, "warm")  # first-use work (rule tables) not counted
    small = _calls_to_compile(400, tmp_path, "a")
    large = _calls_to_compile(800, tmp_path, "b")
    assert large < 2.2 * small, (small, large)


# ---------------------------------------------------------------------------------------
# the per-call path of GradOperation inside construct
# ---------------------------------------------------------------------------------------

class _MatMulNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.matmul = ops.MatMul()
        self.z = Parameter(Tensor(np.array([1.0], np.float32)), name="z")

    def construct(self, x, y):
        return self.matmul(x * self.z, y)


class _GradNetWrtX(nn.Cell):
    def __init__(self, net):
        super().__init__()
        self.net = net
        self.grad_op = ops.GradOperation()

    def construct(self, x, y):
        gradient_function = self.grad_op(self.net)
        return gradient_function(x, y)


def test_gradoperation_inside_construct_per_call_path():
    """After the first call: Cell.__call__, construct, GradOperation.__call__ (the network
    it remembers), GradFunction.__call__ and the artifact's entry; nothing else of the API
    (no kinds() per Tensor argument, no to_tensors for one array, no artifact lookup)."""
    net = _GradNetWrtX(_MatMulNet())
    x = Tensor(np.array([[0.8, 0.6, 0.2], [1.8, 1.3, 1.1]], np.float32))
    y = Tensor(np.array([[0.11, 3.3, 1.1], [1.1, 0.2, 1.4], [1.1, 2.2, 0.3]], np.float32))
    first = net(x, y).asnumpy()
    np.testing.assert_allclose(first, [[4.51, 2.7, 3.6], [4.51, 2.7, 3.6]], rtol=1e-6)
    api = str(ROOT / "autograd_st")
    calls = []

    def prof(frame, event, arg):
        if event == "call":
            code = frame.f_code
            if code.co_filename.startswith(api) and not code.co_filename.endswith(
                    ("runtime.py", "kernels.py")):
                calls.append(code.co_name)
            elif code.co_filename == "<autograd_st entry>":
                calls.append(code.co_name)
    sys.setprofile(prof)
    try:
        again = net(x, y)
    finally:
        sys.setprofile(None)
    np.testing.assert_array_equal(again.asnumpy(), first)
    assert calls == ["__call__", "__call__", "__call__", "entry"], calls
