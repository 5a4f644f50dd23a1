"""The loader runs only what the compiler generated: the check refuses identifiers,
statements and constants codegen never produces (and makes the rest plain literals and
one-line comments), ``load`` refuses text that was not checked, and no string from user data
(constants, names, file names, source lines) or from tensor values reaches code.

The check is made two ways, each tested here: by the printer as it prints (the compile's
path, ``printer.checked_lines``) and by ``validate``'s walk (a tree the printer does not
take, and the callers that do not print); ``load.checked_source`` uses the first and falls
back to the second."""
import builtins
import enum
import linecache
import re

import gast
import numpy as np
import pytest

from autograd_st import Parameter, Tensor, nn, numerical_grad, ops
from autograd_st.compiler import codegen, printer
from autograd_st.compiler.load import checked_source, load, validate

X = np.array([0.5, -1.5, 2.0])


def _printer_check(fdef):
    """The printer's own check (no fallback to validate): the function's globals."""
    return printer.checked_lines(fdef)[1]


@pytest.fixture(params=["validate", "printer"])
def check(request):
    return validate if request.param == "validate" else _printer_check


def _fdef(src: str) -> gast.FunctionDef:
    return gast.parse(src).body[0]


def _code_lines(source: str) -> list:
    return [line for line in source.splitlines() if not line.lstrip().startswith("#")]


# ---------------------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------------------

def _set_name(fdef, old, new):
    for node in gast.walk(fdef):
        if isinstance(node, gast.Name) and node.id == old:
            node.id = new
    return fdef


def _set_attr(fdef, new):
    for node in gast.walk(fdef):
        if isinstance(node, gast.Attribute):
            node.attr = new
    return fdef


def _set_keyword(fdef, new):
    for node in gast.walk(fdef):
        if isinstance(node, gast.keyword):
            node.arg = new
    return fdef


def _set_fname(fdef, new):
    fdef.name = new
    return fdef


GOOD = "def f_grad(x, y):\n    t = np.sum(x * y, axis=0)\n    return t\n"


@pytest.mark.parametrize("change, what", [
    (lambda f: _set_name(f, "t", "t; import os"), "invalid identifier"),
    (lambda f: _set_name(f, "x", "1x"), "invalid identifier"),
    (lambda f: _set_name(f, "t", "class"), "invalid identifier"),  # a keyword
    (lambda f: _set_name(f, "t", "x²"), "invalid identifier"),
    (lambda f: _set_name(f, "t", 7), "invalid identifier"),
    (lambda f: _set_attr(f, "sum(0) or __import__('os').system"), "invalid identifier"),
    (lambda f: _set_keyword(f, "axis=0), print(1), (a"), "invalid identifier"),
    (lambda f: _set_fname(f, "f(); import os; def g"), "invalid identifier"),
])
def test_validate_refuses_an_invalid_identifier(change, what, check):
    fdef = _fdef(GOOD)
    assert check(fdef) == {"np"}  # the unchanged function is fine
    with pytest.raises(ValueError, match=what):
        check(change(_fdef(GOOD)))


@pytest.mark.parametrize("body", [
    "import os", "from os import system", "global np", "class C:\n        pass",
    "def inner():\n        pass", "g = lambda: 0", "t = [a for a in x]",
    "with x:\n        pass", "del x[0]", "del x.a", "try:\n        pass\n    except E:\n        pass",
])
@pytest.mark.parametrize("checker", [validate, checked_source])
def test_validate_refuses_statements_codegen_never_generates(body, checker):
    with pytest.raises(ValueError, match="never generates"):
        checker(_fdef("def f_grad(x):\n    %s\n    return x\n" % body))


class Shown(float):
    def __repr__(self):
        return "__import__('builtins').__dict__.__setitem__('PWNED', 1) or 2.0"


class Mode(enum.IntEnum):
    A = 2


class Text(str):
    def __repr__(self):
        return "__import__('os')"


def _constant(fdef) -> gast.Constant:
    return [n for n in gast.walk(fdef) if isinstance(n, gast.Constant)][0]


@pytest.mark.parametrize("value, plain", [(Shown(2.0), 2.0), (Mode.A, 2), (Text("ab"), "ab"),
                                          (True, True), (2.5, 2.5), (None, None)])
def test_validate_makes_constants_plain_literals(value, plain, check):
    fdef = _fdef("def f_grad(x):\n    return x * 1.0\n")
    _constant(fdef).value = value
    check(fdef)
    got = _constant(fdef).value
    assert type(got) is type(plain) and got == plain
    assert "__import__" not in codegen.to_source(fdef)


@pytest.mark.parametrize("value", [object(), np.array([1.0, 2.0]), float("nan"),
                                   float("-inf"), [1, 2], Tensor(np.ones(2))])
def test_validate_refuses_constants_with_no_literal_form(value, check):
    fdef = _fdef("def f_grad(x):\n    return x * 1.0\n")
    _constant(fdef).value = value
    with pytest.raises(ValueError, match="constant"):
        check(fdef)


@pytest.mark.parametrize("text", ["a\n    __import__('os')", "a\r    b = 1", "a\u2028b",
                                  "a\x0cb\x00c", "a\x1e\x85\u2029b"])
def test_comment_text_becomes_one_printable_line(text, check):
    fdef = _fdef("def f_grad(x):\n    return x\n")
    fdef.body.insert(0, codegen.comment(text))
    check(fdef)
    source = codegen.to_source(fdef)
    lines = source.splitlines()
    assert len(lines) == 3 and lines[1].lstrip().startswith("# ")
    assert all(c.isprintable() for c in lines[1])
    assert _code_lines(source) == ["def f_grad(x):", "    return x"]


# ---------------------------------------------------------------------------------------
# load
# ---------------------------------------------------------------------------------------

def test_load_runs_validated_text(check):
    fdef = _fdef("def lf_ok(x, y):\n    return np.sum(x * y)\n")
    check(fdef)
    ns = load(codegen.to_source(fdef), "lf_ok", {"np": np})
    assert ns["lf_ok"](np.array([1.0, 2.0]), np.array([3.0, 4.0])) == 11.0


def test_checked_source_prints_what_to_source_prints_and_gives_the_globals():
    fdef = _fdef("def lf_cs(x, y):\n    t = np.sum(x * y, axis=0)\n    return t + math.pi\n")
    fdef.body.insert(0, codegen.comment("a\u2028b"))
    text, names = checked_source(fdef)
    assert names == {"np", "math"} and text == codegen.to_source(fdef)
    assert text.splitlines()[1] == "    # a b"
    ns = load(text, "lf_cs", {"np": np, "math": __import__("math")})
    assert ns["lf_cs"](np.array([1.0]), np.array([2.0])) == pytest.approx(2.0 + np.pi)


@pytest.mark.parametrize("tamper", [
    lambda s: s.replace("    return", "    __import__('os')\n    return"),  # a line gained
    lambda s: s.replace("x * y", "x * y + len(x)"),  # a builtin the function did not read
    lambda s: s + "\nimport os\n",  # module-level code
    lambda s: s + "\nprint('hi')\n",
    lambda s: s.replace("lf_t", "lf_other"),  # a function that was never validated
    lambda s: s.replace("    return", "    def g():\n        pass\n    return"),
])
def test_load_refuses_text_that_is_not_what_validate_checked(tamper, check):
    fdef = _fdef("def lf_t(x, y):\n    return np.sum(x * y)\n")
    check(fdef)
    text = codegen.to_source(fdef)
    load(text, "lf_t", {"np": np})  # as printed: runs
    ran = []
    with pytest.raises(ValueError, match="load runs only"):
        load(tamper(text), "lf_t", {"np": np, "print": ran.append})
    assert not ran


def test_load_refuses_text_never_validated_on_this_thread():
    with pytest.raises(ValueError, match="load runs only"):
        load("def never_validated_xyz(x):\n    return x\n", "never", {})


def test_the_linecache_entry_lives_as_long_as_the_generated_functions():
    import gc
    fdef = _fdef("def lf_lc(x):\n    return x * 3.5\n")
    validate(fdef)
    ns = load(codegen.to_source(fdef), "lf_lc", {})
    filename = ns["__autograd_st_filename__"]
    assert linecache.getline(filename, 2).strip() == "return x * 3.5"
    del ns
    gc.collect()
    assert filename not in linecache.cache


def test_the_linecache_entry_is_numbered_as_python_numbers_lines():
    first = _fdef("def lf_first(x):\n    return x * 2.0\n")
    second = _fdef("def lf_second(x):\n    return x * 3.0\n")
    validate(first)
    validate(second)
    # comments may hold characters str.splitlines breaks at (form feed, U+2028): Python
    # does not, and tracebacks, pdb and second derivatives read lines by Python's numbers
    text = "# a\x0cb\u2028c\x1cd\n" + codegen.to_source(first) + "\n# e\u2029f\x85g\n" \
        + codegen.to_source(second)
    ns = load(text, "lf_lines", {})
    filename = ns["__autograd_st_filename__"]
    for name, body in (("lf_first", "return x * 2.0"), ("lf_second", "return x * 3.0")):
        line = ns[name].__code__.co_firstlineno
        assert linecache.getline(filename, line).startswith("def %s(" % name)
        assert linecache.getline(filename, line + 1).strip() == body


# ---------------------------------------------------------------------------------------
# end to end: user data never becomes code
# ---------------------------------------------------------------------------------------

class Scaled(nn.Cell):
    def __init__(self, k):
        super().__init__()
        self.k = k
        self.w = Parameter(Tensor(np.array([1.25, -0.75, 2.5])), name="w")

    def construct(self, x):
        return ops.sum(x * self.k * self.w)


@pytest.mark.parametrize("k", [Mode.A, Shown(2.0), 2, 2.0])
def test_constants_of_a_cell_are_compiled_as_plain_values(k):
    builtins.__dict__.pop("PWNED", None)
    net = Scaled(k)
    g = ops.grad(net, 0, net.trainable_params())
    gx, (gw,) = g(Tensor(X))
    np.testing.assert_allclose(gx.asnumpy(), 2.0 * net.w.asnumpy())
    np.testing.assert_allclose(gw.asnumpy(), 2.0 * X)
    assert "PWNED" not in builtins.__dict__
    assert "__import__" not in g.source(Tensor(X))


class Inner(nn.Cell):
    def __init__(self):
        super().__init__()
        self.v = Parameter(Tensor(np.array([0.5, -0.25, 1.0])), name="v")

    def construct(self, x):
        return ops.tanh(x * self.v)


EVIL = "w; import os\n    __import__('os').system('false')"


class Named(nn.Cell):
    def __init__(self):
        super().__init__()
        self.mode = EVIL  # a string attribute, decided at compile time
        setattr(self, EVIL, Parameter(Tensor(np.array([1.5, 2.5, -3.5])), name=EVIL))
        self.sub = Inner()
        self.sub.v.name = EVIL + " v"

    def construct(self, x):
        if self.mode == "w; import os\n    __import__('os').system('false')":
            x = x * getattr(self, self.mode)
        return ops.sum(self.sub(x) * 2.0)


def test_user_strings_never_appear_as_code():
    net = Named()
    x = Tensor(np.array([[0.5, -1.5, 2.0]]))
    gx, grads = ops.grad(net, 0, net.trainable_params())(x)
    want = numerical_grad(net, (x,), None, weights=[x] + list(net.trainable_params()))
    for got, w in zip([gx] + list(grads), want):
        np.testing.assert_allclose(got.asnumpy(), w, rtol=1e-6, atol=1e-8)
    source = ops.grad(net, 0, net.trainable_params()).source(x)
    for line in _code_lines(source):
        assert "import" not in line and "os" not in re.findall(r"\w+", line), line
    for line in source.splitlines():
        assert "system" not in line or line.lstrip().startswith("#"), line


def test_a_file_name_and_source_lines_are_never_code():
    """A function whose file name carries a newline and code: the comments the generated
    code has for each line name the file, and stay comments."""
    filename = "evil\n    __import__('builtins').__dict__.__setitem__('PWNED', 1)\n#.py"
    text = ("def lined(x):\n"
            "    y = x * 3.0  # \u2028    __import__('builtins').PWNED2 = 1 \x0c\n"
            "    return ops.sum(y * x)\n")
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    ns = {"ops": ops}
    exec(compile(text, filename, "exec"), ns)  # noqa: S102 - the test's own function
    builtins.__dict__.pop("PWNED", None)
    g = ops.grad(ns["lined"])
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(), 6.0 * X)
    second = ops.grad(g)(Tensor(X))  # the generated text is read back and compiled again
    np.testing.assert_allclose(second.asnumpy(), [6.0, 6.0, 6.0])
    assert "PWNED" not in builtins.__dict__ and "PWNED2" not in builtins.__dict__
    for line in _code_lines(g.source(Tensor(X))):
        assert "PWNED" not in line and "import" not in line, line


SECRET = 1234.56789
FREE = Tensor(np.array([SECRET + 1.0, 7.25e-3]))


class Valued(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([SECRET, 0.5])), name="w")
        self.mask = Tensor(np.array([SECRET + 2.0, 1.0]))
        self.pair = (Tensor(np.array(SECRET + 3.0)), Tensor(np.array([0.25, SECRET + 4.0])))
        self.table = np.array([SECRET + 5.0, 2.0])

    def construct(self, x):
        return ops.sum(x * self.w * self.mask + self.pair[0] * x * self.pair[1]
                       + x * self.table + x * FREE)


def test_tensor_values_never_appear_in_generated_source():
    net = Valued()
    x = Tensor(np.array([SECRET + 6.0, -0.5]))
    g = ops.grad(net, 0, net.trainable_params())
    gx, (gw,) = g(x)
    w, mask, table = net.w.asnumpy(), net.mask.asnumpy(), net.table  # by hand:
    p0, p1 = net.pair[0].asnumpy(), net.pair[1].asnumpy()
    np.testing.assert_allclose(gx.asnumpy(), w * mask + p0 * p1 + table + FREE.asnumpy(),
                               rtol=1e-12)
    np.testing.assert_allclose(gw.asnumpy(), x.asnumpy() * mask, rtol=1e-12)
    source = g.source(x) + ops.grad(ops.grad(net)).source(x)
    for digits in ("1234", "123456789", "7.25", "0.00725", "0.25", "1235", "1240"):
        assert digits not in source, digits


def _with_separator(x):
    y = x * x  # a line separator   and a form feed  in a comment
    return ops.sum(_helper_with_separator(y) * x)


def _helper_with_separator(y):
    z = y * 2.0  #   here too
    return ops.sin(z)


def test_second_derivatives_through_code_whose_comments_had_line_separators():
    first = ops.grad(_with_separator)
    got = ops.grad(first)(Tensor(X)).asnumpy()
    want = numerical_grad(first, (Tensor(X),))
    np.testing.assert_allclose(got, want, rtol=1e-6)


@pytest.mark.parametrize("text", ["", "a", "a\n", "a\nb", "a\n\nb\n", "\n", "\n\n",
                                  "x\x0cy\n\u2028z\x85\n", "a\rb\r\nc\n", "a\r"])
def test_the_linecache_lines_are_pythons_physical_lines(text):
    from autograd_st.compiler import load as load_module
    from autograd_st.compiler.parse import physical_lines
    assert load_module._lines(text) == physical_lines(text)


def _shared(src: str, copies: int = 2) -> gast.FunctionDef:
    """``src``'s function with its body's statements (one object each) in it ``copies``
    times: the in-place branch shares the statements it does not rewrite this way."""
    fdef = _fdef(src)
    body = fdef.body[:-1]
    fdef.body = [gast.If(test=gast.Name(id="flag", ctx=gast.Load(), annotation=None,
                                        type_comment=None), body=list(body), orelse=[])] \
        * (copies - 1) + body + fdef.body[-1:]
    return fdef


def test_validate_checks_a_statement_the_function_holds_twice_once_with_the_same_answer(
        check):
    src = ("def sh_f(x, flag):\n    # c\n    y = np.sin(x) * 2.5\n    z = y + x\n    del y\n"
           "    return z\n")
    one, two = _fdef(src), _shared(src)
    two.body[0].body.insert(0, codegen.comment("a\nb"))
    two.body.insert(1, two.body[0].body[0])  # (a comment marker shared too)
    assert check(two) == check(one) == {"np"}  # (its globals; flag is a parameter)
    assert two.body[1].value.args[0].value == "a b"
    text = codegen.to_source(two)
    assert text.count("y = np.sin(x) * 2.5") == 2 and text.count("# a b") == 2


@pytest.mark.parametrize("bad", [
    lambda st: setattr(st.value.func, "attr", "sin(1) or os"),
    lambda st: setattr(st.targets[0], "id", "a b"),
    lambda st: setattr(st.value.args[0], "id", "import"),
])
def test_validate_refuses_what_a_shared_statement_holds(bad, check):
    fdef = _shared("def sh_g(x, flag):\n    y = np.sin(x)\n    return y\n")
    bad(fdef.body[1])  # the statement both copies are
    with pytest.raises(ValueError, match="invalid identifier"):
        check(fdef)


def test_validate_refuses_a_constant_in_a_shared_statement(check):
    fdef = _shared("def sh_h(x, flag):\n    y = x * 2.0\n    return y\n")
    fdef.body[1].value.right.value = object()
    with pytest.raises(ValueError, match="no literal form"):
        check(fdef)


@pytest.mark.parametrize("marker", [
    lambda c: c.value.args.append(gast.Constant(value="b", kind=None)),  # two texts
    lambda c: setattr(c.value.args[0], "value", 3),  # not a text
    lambda c: c.value.keywords.append(gast.keyword(arg="k", value=gast.Constant(
        value=1, kind=None))),
])
def test_a_malformed_comment_marker_is_refused(marker, check):
    fdef = _fdef("def mc_f(x):\n    return x\n")
    fdef.body.insert(0, codegen.comment("a"))
    marker(fdef.body[0])
    with pytest.raises(ValueError, match="malformed comment marker"):
        check(fdef)


def test_the_compile_checks_by_printing_and_never_walks_the_tree_again(monkeypatch):
    """What the compile loads was checked by the printer: validate's walk is not run."""
    from autograd_st.compiler import load as load_module

    def walked(fdef):
        raise AssertionError("validate walked %s" % fdef.name)
    monkeypatch.setattr(load_module, "validate", walked)
    x = Tensor(np.array([0.5, -1.0, 2.0]))
    got = ops.grad(lambda v: ops.sum(ops.tanh(v) * v if True else v))(x)
    t = np.tanh(x.asnumpy())
    np.testing.assert_allclose(got.asnumpy(), (1 - t * t) * x.asnumpy() + t)
