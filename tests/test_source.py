"""Where the compiler reads a function's source, and that what it reads is what runs.

- Interactive code: an IPython / Jupyter cell (its text is in ``linecache``, each top-level
  statement compiled by itself), Python 3.13's prompt (the same), ``exec`` of a string
  (no text anywhere: ``autograd_st.exec_source`` keeps it; otherwise refused saying so) and
  the plain prompt (``<stdin>``: refused saying what to do).
- A file edited after its module was imported: the text now at the function's line is
  another function, or the same function changed, or nothing: refused with
  ``SourceChangedError`` at file:line, never differentiated as if it were the code that runs;
  after ``importlib.reload`` the new code is differentiated.
- No false refusal: closures, methods, ``super()``, private (mangled) names, decorators,
  lambdas, ``from __future__ import annotations`` and module-level imports all compile back
  to the code that runs.
"""
from __future__ import annotations
import __future__

import ast
import hashlib
import importlib
import importlib.util
import inspect
import linecache
import os
import sys
import textwrap

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Tensor, numerical_grad, ops
from autograd_st.compiler.parse import parse_function
from autograd_st.errors import (
    SourceChangedError,
    SourceNotFoundError,
)

X = np.array([0.3, -1.2, 2.0])


def _x():
    return Tensor(X.copy())


def _assert_grad(fn, *args):
    """ops.grad(fn) at ``args`` equals central differences of calling ``fn`` directly."""
    got = ops.grad(fn)(*args)
    want = numerical_grad(fn, args)
    np.testing.assert_allclose(got.asnumpy(), want, rtol=1e-7, atol=1e-9)
    return got


# ------------------------------------------------------------------------------------------
# interactive code
# ------------------------------------------------------------------------------------------

CELL = '''\
import numpy as np
from autograd_st import ops, nn, Parameter, Tensor

scale = 1.5

def f(x):
    return ops.sum(ops.sin(x) * x * scale)

def outer(k):
    def inner(x):
        return ops.sum(ops.exp(x * k) + np.float64(k) * x)
    return inner

class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([0.5, -2.0, 1.25])), name="w")

    def construct(self, x):
        return ops.sum(ops.tanh(x * self.w))

g = lambda x: ops.sum(x * x * x)  # noqa: E731
'''


def _run_cell(text: str, filename: str, per_statement: bool) -> dict:
    """What IPython does with a cell: the text goes into linecache (mtime None: never
    checked against a file), then each top-level statement is compiled by itself (IPython's
    run_ast_nodes, Python 3.13's prompt) or the whole text at once."""
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    ns = {"__name__": "__main__"}
    if per_statement:
        for node in ast.parse(text, filename).body:
            exec(compile(ast.Module([node], []), filename, "exec"), ns)  # noqa: S102
    else:
        exec(compile(text, filename, "exec"), ns)  # noqa: S102
    return ns


def _check_cell_namespace(ns):
    _assert_grad(ns["f"], _x())
    _assert_grad(ns["outer"](0.7), _x())
    _assert_grad(ns["g"], _x())
    net = ns["Net"]()
    x = _x()
    gx, (gw,) = ops.grad(net, 0, net.trainable_params())(x)
    np.testing.assert_allclose(gx.asnumpy(), numerical_grad(net, (x,)), rtol=1e-7, atol=1e-9)
    (want_w,) = numerical_grad(net, (x,), None, weights=net.trainable_params())
    np.testing.assert_allclose(gw.asnumpy(), want_w, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("filename, per_statement", [
    ("<ipython-input-3-5f1e2d3c4b5a>", True),   # IPython terminal
    ("/tmp/ipykernel_4242/1234567890.py", True),  # Jupyter: a path no file stands behind
    ("<python-input-0>", True),  # Python 3.13's prompt (linecache._register_code)
    ("<cell-as-one-text>", False),
])
def test_a_cell_whose_text_is_in_linecache_is_differentiated(filename, per_statement):
    """(Worked before; kept working by the check that the text is the code: a statement
    compiled by itself does not know the cell's imports, which on 3.11+ changes the
    bytecode of ``ops.sum(...)``.)"""
    _check_cell_namespace(_run_cell(CELL, filename, per_statement))


def test_exec_source_keeps_the_text_so_its_functions_are_differentiated():
    ns = ms.exec_source(CELL)
    _check_cell_namespace(ns)
    assert inspect.getsource(ns["f"]).startswith("def f(x):")
    filename = ns["f"].__code__.co_filename
    assert filename.startswith("<exec_source-") and filename in linecache.cache
    # the same text again: the same name, the same lines; still differentiated
    again = ms.exec_source(CELL, {})
    assert again["f"].__code__.co_filename == filename
    _assert_grad(again["f"], _x())


def test_exec_source_into_a_namespace_with_a_filename_of_ones_own():
    namespace = {"ops": ops, "k": 3.0}
    out = ms.exec_source("def h(x):\n    return ops.sum(x * x * k)\n", namespace,
                         filename="<my generated code>")
    assert out is namespace and namespace["h"].__code__.co_filename == "<my generated code>"
    got = _assert_grad(namespace["h"], _x())
    np.testing.assert_allclose(got.asnumpy(), 6.0 * X)


def test_exec_source_text_survives_linecache_clearcache():
    ns = ms.exec_source("def f2(x):\n    return ops.sum(ops.cos(x) * x)\n", {"ops": ops})
    linecache.clearcache()
    _assert_grad(ns["f2"], _x())


def test_exec_source_takes_text_only():
    with pytest.raises(TypeError, match="takes the source text as a str"):
        ms.exec_source(compile("x = 1", "<s>", "exec"))


def test_exec_of_a_string_is_refused_saying_to_use_exec_source():
    ns = {"ops": ops}
    exec(compile("def f(x):\n    return ops.sum(x * x)\n", "<string>", "exec"), ns)  # noqa: S102
    with pytest.raises(SourceNotFoundError) as info:
        ops.grad(ns["f"])(_x())
    message = str(info.value)
    assert message.startswith("<string>:1: cannot read the source of f")
    assert "autograd_st.exec_source(text, namespace)" in message
    assert "linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)" \
        in message
    assert not isinstance(info.value, SourceChangedError)


def test_the_linecache_registration_the_message_gives_works():
    text = "def f(x):\n    return ops.sum(x * x * x)\n"
    filename = "<registered by hand>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    ns = {"ops": ops}
    exec(compile(text, filename, "exec"), ns)  # noqa: S102
    _assert_grad(ns["f"], _x())


def test_a_function_typed_at_the_plain_prompt_is_refused_saying_what_to_do():
    ns = {"ops": ops}
    exec(compile("def f(x):\n    return ops.sum(x * x)\n", "<stdin>", "exec"), ns)  # noqa: S102
    with pytest.raises(SourceNotFoundError) as info:
        ops.grad(ns["f"])(_x())
    message = str(info.value)
    assert message.startswith("<stdin>:1: cannot read the source of f")
    assert "interactive prompt keeps none" in message
    assert "Put the function in a .py file and import it" in message
    assert "IPython, Jupyter or Python 3.13's prompt" in message
    assert "autograd_st.exec_source(text, globals())" in message


def test_a_text_registered_under_a_reused_name_is_checked():
    """Two texts under one name (here ``<cell>``): the function compiled from the first is
    not differentiated as the second."""
    first = "def f(x):\n    return ops.sum(x * x * 2.0)\n"
    second = "def f(x):\n    return ops.sum(x * x * 5.0)\n"
    ns = _run_cell(first, "<cell>", per_statement=False)
    ns["ops"] = ops
    linecache.cache["<cell>"] = (len(second), None, second.splitlines(True), "<cell>")
    with pytest.raises(SourceChangedError, match=r"^<cell>:1: the text of f is not the code "
                       r"that runs: .* Give each text its own filename"):
        ops.grad(ns["f"])(_x())


# ------------------------------------------------------------------------------------------
# a file edited after its module was imported
# ------------------------------------------------------------------------------------------

MODULE = '''\
import numpy as np
from autograd_st import nn, ops, Parameter, Tensor


def f(x):
    return ops.sum(ops.sin(x) * x)


def g(x):
    return ops.sum(x * x * x)


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([0.5, -2.0, 1.25])), name="w")

    def construct(self, x):
        return ops.sum(ops.tanh(x * self.w))


pair = (lambda x: ops.sum(x * 2.0 * x), lambda x: ops.sum(x * 3.0 * x))
'''


@pytest.fixture
def module_file(tmp_path, monkeypatch):
    """``(import_, rewrite, filename)``: import MODULE from a file under ``tmp_path`` (on
    sys.path, so ``importlib.reload`` finds it; its module name is this test's own);
    ``import_(twin=True)`` imports the same file as another module; ``rewrite`` rewrites the
    file (its mtime moved on, so linecache sees the change)."""
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # no stale .pyc on reload
    monkeypatch.syspath_prepend(str(tmp_path))
    name = "source_edit_%s" % hashlib.sha1(str(tmp_path).encode()).hexdigest()[:12]
    path = tmp_path / (name + ".py")
    path.write_text(MODULE)
    names = []

    def import_(twin=False):
        mod_name = name + ("_twin" if twin else "")
        names.append(mod_name)
        sys.modules.pop(mod_name, None)
        if not twin:
            return importlib.import_module(mod_name)
        spec = importlib.util.spec_from_file_location(mod_name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[mod_name] = mod
        spec.loader.exec_module(mod)
        return mod

    def rewrite(text):
        stat = path.stat()
        path.write_text(text)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))

    yield import_, rewrite, str(path)
    for mod_name in names:
        sys.modules.pop(mod_name, None)


def _refused(fn, filename, line, *fragments):
    with pytest.raises(SourceChangedError) as info:
        ops.grad(fn)(_x())
    message = str(info.value)
    assert message.startswith("%s:%d: the text of " % (filename, line)), message
    assert "the file changed since it was imported" in message
    assert "importlib.reload(module)" in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_lines_moved_another_function_now_at_the_line_is_refused(module_file):
    import_, rewrite, filename = module_file
    mod = import_()
    # four lines inserted above f: f's line (5) now holds a comment, g's (9) f's ``def``
    rewrite(MODULE.replace("\n\n\ndef f(x):", "\n\n# a comment\n# another\n# more\n\n\ndef f(x):"))
    _refused(mod.f, filename, 5, "line 5 reads '# another', not the definition of f")
    _refused(mod.g, filename, 9, "line 9 reads 'def f(x):', not the definition of g")


def test_the_function_changed_in_place_is_refused(module_file):
    import_, rewrite, filename = module_file
    mod = import_()
    rewrite(MODULE.replace("ops.sum(x * x * x)", "ops.sum(x * x * 4.0)"))
    _refused(mod.g, filename, 9, "the definition of g there does not compile to the code "
                                 "that runs")
    # f did not change: still differentiated (it is the code that runs)
    _assert_grad(mod.f, _x())


def test_renamed_parameters_are_refused(module_file):
    import_, rewrite, filename = module_file
    mod = import_()
    rewrite(MODULE.replace("def g(x):\n    return ops.sum(x * x * x)",
                           "def g(y):\n    return ops.sum(y * y * y)"))
    _refused(mod.g, filename, 9, "does not compile to the code that runs")


def test_a_shortened_file_is_refused_not_an_index_error(module_file):
    import_, rewrite, filename = module_file
    mod = import_()
    rewrite("import numpy as np\n")
    _refused(mod.g, filename, 9, "line 9 is past the end of the text")
    net = mod.Net()
    with pytest.raises(SourceChangedError, match="the file changed since it was imported"):
        ops.grad(net)(_x())


def test_the_line_now_inside_a_statement_is_refused(module_file):
    import_, rewrite, filename = module_file
    mod = import_()
    rewrite(MODULE.replace("\n\n\ndef f(x):\n    return ops.sum(ops.sin(x) * x)",
                           "\n\nF = [\n    1,\n    2]"))
    _refused(mod.f, filename, 5, "line 5 reads '1,', not the definition of f")


def test_an_edited_construct_is_refused(module_file):
    import_, rewrite, filename = module_file
    mod = import_()
    net = mod.Net()
    rewrite(MODULE.replace("ops.tanh(x * self.w)", "ops.sin(x * self.w)"))
    with pytest.raises(SourceChangedError, match=r":18: the text of Net.construct is not the "
                       r"code that runs"):
        ops.grad(net)(_x())


def test_each_lambda_on_a_line_is_its_own(module_file):
    import_, rewrite, filename = module_file
    a, b = import_().pair
    got_a = _assert_grad(a, _x())
    got_b = _assert_grad(b, _x())  # the second lambda on the line, not the first's gradient
    np.testing.assert_allclose(got_a.asnumpy(), 4.0 * X)
    np.testing.assert_allclose(got_b.asnumpy(), 6.0 * X)


def test_an_edited_lambda_is_refused(module_file):
    import_, rewrite, filename = module_file
    mod = import_()
    rewrite(MODULE.replace("x * 3.0 * x", "x * 7.0 * x"))
    with pytest.raises(SourceChangedError, match="no lambda on line 22 compiles to the code "
                                                 "that runs"):
        ops.grad(mod.pair[1])(_x())
    _assert_grad(mod.pair[0], _x())  # unchanged: still the code that runs


def test_a_function_parsed_before_the_edit_stays_what_was_parsed(module_file):
    """The parse of a code object is kept (it was checked against that code): another
    import of the same file, made before the edit, has equal code and is differentiated as
    it runs."""
    import_, rewrite, filename = module_file
    mod, twin = import_(), import_(twin=True)
    _assert_grad(mod.g, _x())
    rewrite(MODULE.replace("ops.sum(x * x * x)", "ops.sum(x * x * 4.0)"))
    got = _assert_grad(twin.g, _x())
    np.testing.assert_allclose(got.asnumpy(), 3.0 * X * X)


def test_after_reload_the_new_code_is_differentiated(module_file):
    import_, rewrite, filename = module_file
    mod = import_()
    edited = MODULE.replace("\n\ndef f(x):", "\n# moved\n\ndef f(x):").replace(
        "ops.sum(x * x * x)", "ops.sum(x * x * x * 2.0)")
    rewrite(edited)
    _refused(mod.g, filename, 9)
    mod = importlib.reload(mod)
    got = _assert_grad(mod.g, _x())
    np.testing.assert_allclose(got.asnumpy(), 6.0 * X * X)


def _with_assert(x):
    assert x.shape == (3,)
    return ops.sum(x * x)


def test_a_function_with_assert_in_a_test_module_is_refused_saying_why():
    """pytest rewrites this module's assert statements, so that function's code is not its
    text: refused, with the reason (under ``--assert=plain`` its assert runs as any)."""
    rewritten = "@py_builtins" in globals()  # not under ``--assert=plain``
    if not rewritten:
        np.testing.assert_allclose(ops.grad(_with_assert)(_x()).asnumpy(),
                                   2 * _x().asnumpy())
        return
    with pytest.raises(SourceNotFoundError) as info:
        ops.grad(_with_assert)(_x())
    assert "it has assert statements, which pytest rewrites in test modules" \
        in str(info.value)
    assert str(info.value).startswith("%s:%d: " % (
        __file__, _with_assert.__code__.co_firstlineno))


# ------------------------------------------------------------------------------------------
# no false refusal: the text compiles back to the code that runs
# ------------------------------------------------------------------------------------------

SHAPES = '''\
from __future__ import annotations
import functools
import numpy as np
from autograd_st import nn, ops, Parameter, Tensor
from autograd_st import ops as OPS_ALIAS


def deco(fn):
    return fn


@deco
@functools.lru_cache(maxsize=None)
def _unused():
    return 0


@deco
def decorated(x: Tensor) -> Tensor:
    return OPS_ALIAS.sum(ops.exp(x) * 0.5)


def make(k, m):
    c = k * m

    def closure(x, scale=2.0):
        return ops.sum(ops.sin(x * c) * scale + x * k)

    return closure


def make_lambda(k):
    return lambda x: ops.sum(x * x * k)


class Base(nn.Cell):
    def construct(self, x):
        return ops.sum(x * x)


class Child(Base):
    def __init__(self):
        super().__init__()
        self.__scale = 3.0

    def construct(self, x):
        return super().construct(x) * self.__scale + ops.sum(np.float64(2.0) * x)


class Outer:
    class Inner(nn.Cell):
        def construct(self, x):
            return ops.sum(ops.cos(x) * x)


def factory():
    class Local(nn.Cell):
        def construct(self, x):
            return ops.sum(ops.sigmoid(x) * x)
    return Local()


def    spaced  (x ,
                y=1.0):  # odd layout, a parameter on the next line
    return ops.sum(x * x * y)
'''


def _check_shapes(ns):
    for fn in (ns["decorated"], ns["make"](0.5, 1.5), ns["make_lambda"](3.0), ns["spaced"],
               ns["Outer"].Inner(), ns["factory"]()):
        _assert_grad(fn, _x())
    # zero-argument super() and a private (mangled) name: the text is the code that runs
    # (what the compiler then makes of them is normalize's matter)
    src = parse_function(ns["Child"]().construct)
    assert src.node.name == "construct" and src.node.lineno == \
        ns["Child"].construct.__code__.co_firstlineno


def test_every_shape_of_definition_in_a_file_compiles_back(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    path = tmp_path / "shapes_mod.py"
    path.write_text(SHAPES)
    spec = importlib.util.spec_from_file_location("shapes_mod", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["shapes_mod"] = mod
    try:
        spec.loader.exec_module(mod)
        _check_shapes(vars(mod))
    finally:
        sys.modules.pop("shapes_mod", None)


@pytest.mark.parametrize("per_statement", [True, False])
def test_every_shape_of_definition_in_a_cell_compiles_back(per_statement):
    _check_shapes(_run_cell(SHAPES, "<ipython-input-7-shapes%d>" % per_statement,
                            per_statement))


def test_an_indented_definition_with_an_unindented_string_inside():
    """A method whose multi-line string reaches column 0 (no common indent to remove)."""
    text = textwrap.dedent('''\
        class Holder:
            def method(self, x):
                note = """
        column zero
        """
                return ops.sum(x * x * len(note))
        ''')
    ns = ms.exec_source(text, {"ops": ops})
    got = _assert_grad(ns["Holder"]().method, _x())
    np.testing.assert_allclose(got.asnumpy(), 2 * X * len("\ncolumn zero\n"))


def test_a_cell_compiled_with_future_flags_from_the_caller():
    """``compile(..., flags=annotations)``: the function's co_flags carry the future flag,
    passed on when it is compiled again."""
    text = "def fa(x: Tensor) -> Tensor:\n    return ops.sum(x * x * 3.0)\n"
    filename = "<flags>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    ns = {"ops": ops}
    exec(compile(text, filename, "exec",  # noqa: S102
                 flags=__future__.annotations.compiler_flag, dont_inherit=True), ns)
    _assert_grad(ns["fa"], _x())
