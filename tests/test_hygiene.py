"""Name hygiene: user variables named like the generated code's names (temporaries,
adjoints, tapes, flags, inputs, generated function names, np, the runtime helpers, the
template globals, codegen's comment marker), user code that shadows np or ops, and unicode
identifiers compile and differentiate correctly (checked against central differences in
float64)."""
import builtins
import hashlib
import importlib.util
import inspect
import keyword
import pathlib
import re
import sys
import textwrap
import unicodedata

import hygiene_funcs as hf
import numpy as np
import pytest

from autograd_st import Parameter, Tensor, nn, numerical_grad, ops, rules
from autograd_st.compiler.names import RESERVED, NameAllocator, identifier
from autograd_st.runtime import RUNTIME_NAMES

PRIMS = sorted(rules.REGISTRY)
BUILT_IN_GLOBALS = set(rules.template_globals())  # before any test registers rules of its own
# the naming scheme of compiler/names.py, form by form
SCHEME = {
    "globals of generated modules": sorted((set(RESERVED) - set(keyword.kwlist))
                                           | BUILT_IN_GLOBALS),
    "builtins generated code calls": ["range", "reversed", "float", "slice", "len", "tuple",
                                      "zip", "list", "isinstance", "int", "min", "max", "abs",
                                      "sum", "sorted", "enumerate", "getattr"],
    "soft keywords": sorted(set(keyword.softkwlist) - {"_"}) + ["_"],
    "temporaries _<primitive>": ["_" + p for p in PRIMS],
    "temporaries with a counter": ["_" + p + "_1" for p in ("add", "mul", "sum", "tanh")],
    "adjoints d_<name>": ["d_" + p for p in PRIMS] + ["d_x", "d_y", "d_s", "d_t", "d_NAME",
                                                      "d_d_x", "d_x_1", "d_self_w"],
    "later values x_1": ["x_1", "x_2", "y_1", "s_1", "t_1", "k_1", "i_1", "NAME_1"],
    "inputs (attribute paths)": ["self_w", "self_sub_v", "d_self_sub_v", "self"],
    "tapes, trip counters, loop indices": ["_tape", "_tape_1", "_trips", "_i_next", "_j",
                                           "_k", "_i"],
    "calls and residuals": ["_res", "_helper", "_helper_1", "_helper_res", "_helper_fwd",
                            "_helper_bwd", "_sub", "_sub_res", "_g_x", "_g_NAME", "_g_self_w",
                            "_SubCell_construct_fwd", "_SubCell_construct_bwd"],
    "generated function names": ["multi_grad", "multi_grad_grad", "multi_jvp",
                                 "template_ops_grad", "TemplateCell_construct_grad"],
    "early exits and flags": ["_broke", "_skip", "_returned", "_return_value", "_result",
                              "_cond", "_done"],
    "the API's own words": ["out", "dout", "sens", "grads", "_grads", "weights", "inputs",
                            "x_dot", "NAME_dot", "ones_like", "unused_w"],
    "codegen's comment marker": ["__comment__"],
    "modules user code shadows": ["np", "ops", "nn", "numpy", "math"],
}
FORMS = sorted({f for forms in SCHEME.values() for f in forms} - set(keyword.kwlist))
# names the templates themselves read: a user variable with that name would break the
# user's own code, not the generated code
PLAIN_FORMS = [f for f in FORMS if f != "range"]
OPS_EXCLUDED = {"ops", "_helper", "self"}
CELL_EXCLUDED = {"ops", "self", "range"}

X = np.array([0.3, -0.7])
Y = np.array([1.2, 0.4])
CHUNK = 12  # forms tried together in one function (all of them user variables at once)


def _chunks(forms):
    return [forms[i:i + CHUNK] for i in range(0, len(forms), CHUNK)]


def _ids(chunks):
    return ["%s..%s" % (c[0], c[-1]) for c in chunks]


def _extra(forms, indent, seed) -> tuple:
    """Lines binding each form to a value computed from ``seed``, then to a later value,
    and an expression that reads them all."""
    lines, prev = [], seed
    for j, f in enumerate(forms):
        lines.append("%s%s = %s * %.1f + x" % (indent, f, prev, 0.5 + 0.1 * j))
        prev = f
    for j, f in enumerate(forms):
        lines.append("%s%s = %s * 0.3 + %s * x * 0.5 - %.1f" % (indent, f, f, forms[j - 1],
                                                              0.2 + 0.1 * j))
    return "\n".join(lines), " + ".join("%s * %s" % (f, f) for f in forms) or "x * 0.0"


_DIR = []


@pytest.fixture(scope="module", autouse=True)
def _module_dir(tmp_path_factory):
    _DIR.append(tmp_path_factory.mktemp("hygiene"))
    yield
    _DIR.pop()


def _module(text: str):
    """A real module holding ``text`` (the compiler reads source from files)."""
    text = "import numpy as np\nfrom autograd_st import Parameter, Tensor, nn, ops\n\n\n" + text
    path = pathlib.Path(_DIR[-1]) / ("hyg_%s.py" % hashlib.sha1(text.encode()).hexdigest()[:16])
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = mod
    spec.loader.exec_module(mod)
    return mod


def _with_forms(obj, name, extra_forms, indent) -> str:
    """``obj``'s source with NAME renamed and more user variables where EXTRA is."""
    text = textwrap.dedent(inspect.getsource(obj)).replace("NAME", name)
    lines, total = _extra(extra_forms, indent, name)
    return text.replace(indent + "EXTRA = x * 0.0", lines).replace("ops.sum(EXTRA)",
                                                                    "ops.sum(%s)" % total)


def _check(got, want, forms):
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.asarray(g), w, rtol=1e-6, atol=1e-8,
                                   err_msg="user variables named %s" % (forms,))


def _plain(forms, as_parameters: bool) -> str:
    """A function reading no module (np and ops are ordinary names in it) whose user
    variables (or parameters) are ``forms``, each assigned twice, read in a loop and an if."""
    body, total = _extra(forms, "    ", "x * y")
    params = ", ".join(["x", "y"] + (list(forms) if as_parameters else []))
    return "def multi(%s):\n%s\n" % (params, body) + """    s = x * 0.5
    for i in range(2):
        s = s * 0.5 + (%s) * 0.1
    if (s * s).sum() > -1e9:
        s = s + x
    return (s * s + %s).sum()
""" % (" + ".join(forms), total)


def test_the_enumeration_covers_every_reserved_form():
    forms = set(FORMS)
    assert {"np", "ops", "out", "dout", "__comment__", "_tape", "self_w", "x_1"} <= forms
    assert set(RUNTIME_NAMES) <= forms
    assert BUILT_IN_GLOBALS <= forms
    assert {"_" + p for p in PRIMS} | {"d_" + p for p in PRIMS} <= forms
    assert set(RESERVED) - set(keyword.kwlist) <= forms
    for chosen in (PLAIN_FORMS, OPS_FORMS, CELL_FORMS):  # np as a user name, everywhere
        assert {"np", "out", "dout", "unbroadcast", "__comment__"} <= set(chosen)
    assert set(OPS_FORMS) >= {"sigmoid", "softmax", "logsumexp", "concat2", "ungetitem",
                              "matmul_nt_to", "_tape", "_helper_res", "d_tanh"}


PLAIN_CHUNKS = _chunks(PLAIN_FORMS)


@pytest.mark.parametrize("forms", PLAIN_CHUNKS, ids=_ids(PLAIN_CHUNKS))
def test_reserved_forms_as_user_variables(forms):
    fn = _module(_plain(forms, False)).multi
    _check(ops.grad(fn, grad_position=(0, 1))(X, Y), numerical_grad(fn, (X, Y), (0, 1)), forms)


@pytest.mark.parametrize("forms", PLAIN_CHUNKS, ids=_ids(PLAIN_CHUNKS))
def test_reserved_forms_as_parameters(forms):
    fn = _module(_plain(forms, True)).multi
    args = [X, Y] + [X * (0.5 + 0.1 * j) for j in range(len(forms))]
    wrt = tuple(range(len(args)))
    _check(ops.grad(fn, grad_position=wrt)(*args), numerical_grad(fn, args, wrt), forms)


def _forms_near(source: str, excluded) -> list:
    """The forms a template's generated code (for a neutral name) spells, plus the module,
    marker and API names: the names a user variable there could collide with (every form
    is tried in the plain functions above)."""
    used = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", source))
    always = set().union(*(SCHEME[k] for k in ("modules user code shadows",
                                               "the API's own words",
                                               "codegen's comment marker")))
    return sorted((set(FORMS) & (used | always)) - set(excluded))


OPS_FORMS = _forms_near(ops.grad(hf.template_ops, (0, 1)).source(X, Y), OPS_EXCLUDED)
OPS_CHUNKS = _chunks(OPS_FORMS)


@pytest.mark.parametrize("forms", OPS_CHUNKS, ids=_ids(OPS_CHUNKS))
def test_reserved_forms_beside_runtime_helpers(forms):
    """The first form is the parameter the operations read, the others user variables."""
    text = "\n\n".join([inspect.getsource(hf._helper),
                         _with_forms(hf.template_ops, forms[0], forms[1:], "    ")])
    fn = _module(text).template_ops
    _check(ops.grad(fn, grad_position=(0, 1))(X, Y), numerical_grad(fn, (X, Y), (0, 1)), forms)


class _SubCell(nn.Cell):
    def __init__(self):
        super().__init__()
        self.v = Parameter(Tensor(np.array([0.7, -0.2])), name="v")

    def construct(self, a):
        return ops.tanh(a * self.v)


class TemplateCell(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([0.5, -1.5])), name="w")
        self.sub = _SubCell()

    def construct(self, x):
        NAME = x * self.w
        EXTRA = x * 0.0
        h = self.sub(NAME)
        for i in range(2):
            NAME = h * NAME + self.w
        return ops.sum(NAME * x) + ops.sum(EXTRA)


_cell = TemplateCell()
CELL_FORMS = _forms_near(ops.grad(_cell, 0, _cell.trainable_params()).source(Tensor(X)),
                         CELL_EXCLUDED)
CELL_CHUNKS = _chunks(CELL_FORMS)


@pytest.mark.parametrize("forms", CELL_CHUNKS, ids=_ids(CELL_CHUNKS))
def test_reserved_forms_in_a_cell_with_parameters_and_a_sub_cell(forms):
    text = "\n\n".join([textwrap.dedent(inspect.getsource(_SubCell)),
                         _with_forms(TemplateCell, forms[0], forms[1:], "        ")])
    net = _module(text).TemplateCell()
    x = Tensor(X.copy())
    gx, (gw, gv) = ops.grad(net, 0, net.trainable_params())(x)
    want = numerical_grad(net, (x,), None, weights=[x, net.w, net.sub.v])
    _check((gx.asnumpy(), gw.asnumpy(), gv.asnumpy()), want, forms)


SECOND = ["d_x", "d_d_x", "_g_x", "x_1", "_tape", "_trips", "multi_grad", "multi_grad_grad",
          "unbroadcast", "ones_like", "np", "out", "dout"]


def test_reserved_forms_under_a_second_derivative():
    fn = _module(_plain(SECOND, False)).multi
    first = ops.grad(fn, grad_position=0)
    got = ops.grad(first, grad_position=(0, 1))(X, Y)
    _check(got, numerical_grad(first, (X, Y), (0, 1)), SECOND)


@pytest.mark.parametrize("fn", [hf.shadows_np_and_ops, hf.unicode_names, hf.early_exit_names])
def test_shadowing_and_unicode(fn):
    n = len(inspect.signature(fn).parameters)
    args = [np.array([0.4, -0.8]) + 0.3 * i for i in range(n)]
    got = ops.grad(fn, grad_position=tuple(range(n)))(*args)
    want = numerical_grad(fn, args, tuple(range(n)))
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.sum(g) if np.ndim(w) == 0 else g, w, rtol=1e-6,
                                   atol=1e-8)


@pytest.mark.parametrize("base", ["x²", "ﬁ", "ℌ", "a b", "1x", "w; import os", "", "²",
                                  "class", "np", "__comment__", "range", "x\n    y", "٣x",
                                  "aⸯb", "ｉｆ"])
def test_names_made_from_strings_are_identifiers_python_reads_as_written(base):
    names = NameAllocator()
    got = names.fresh(base)
    assert got.isidentifier() and not keyword.iskeyword(got)
    # Python reads identifiers in NFKC form: a name must not differ from another only in
    # a spelling Python folds (ﬁ and fi are one variable)
    assert unicodedata.normalize("NFKC", got) == got and identifier(got) == got
    assert names.fresh(identifier(base or "t")) != got
    assert got not in RESERVED and not hasattr(builtins, got)


@pytest.mark.parametrize("pair", [("ﬁ", "fi"), ("ℌ", "H"), ("ⅰ", "i"), ("x²", "x2")])
def test_two_names_python_reads_as_one_are_kept_apart(pair):
    names = NameAllocator()
    a, b = names.fresh(pair[0]), names.fresh(pair[1])
    assert unicodedata.normalize("NFKC", a) != unicodedata.normalize("NFKC", b)


def test_a_cell_attribute_set_under_a_non_identifier_name():
    class Odd(nn.Cell):
        def __init__(self, names):
            super().__init__()
            self.names = tuple(names)
            for i, n in enumerate(names):
                setattr(self, n, Parameter(Tensor(np.array([1.0 + i, 2.0 + i])), name=n))

        def construct(self, x):
            s = x * 0.0
            for n in self.names:
                s = s + x * getattr(self, n)
            return ops.sum(s * x)
    net = Odd(["x²", "ﬁ", "fi", "w; import os", "class"])
    x = Tensor(X.copy())
    gx, gws = ops.grad(net, 0, net.trainable_params())(x)
    want = numerical_grad(net, (x,), None, weights=[x] + list(net.trainable_params()))
    _check([gx.asnumpy()] + [g.asnumpy() for g in gws], want, net.names)
