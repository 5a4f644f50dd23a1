"""Name hygiene: user variables named like the generated code's names (temporaries,
adjoints, tapes, flags, np, the runtime helpers) compile and differentiate correctly."""
import inspect
import sys

import numpy as np
import pytest

import hygiene_funcs as hf
from autograd_st import ops, rules
from autograd_st.compiler.names import RESERVED

from helpers import numeric_grad  # noqa: E402  (tests/helpers.py)

# every reserved form of compiler/names.py, plus the globals generated modules read
FORMS = sorted(set(RESERVED) - {"None", "True", "False", "and", "or", "not", "if", "else",
                                "for", "while", "in", "is", "def", "return", "class", "import",
                                "from", "as", "with", "try", "except", "finally", "raise",
                                "global", "nonlocal", "del", "pass", "break", "continue",
                                "lambda", "yield", "assert", "elif", "async", "await"})
FORMS += sorted(rules.template_globals())
FORMS += ["d_x", "d_y", "d_NAME", "x_1", "_sum", "_mul", "_add", "_tape", "_res", "sens",
          "out", "dout", "_result", "_broke", "_skip", "_returned", "_return_value",
          "x_dot", "NAME_dot", "grads", "_grads", "_g_x", "unused_w", "self_w", "ones_like"]
# (a local named np would break the template's own np.sum; shadows_np_and_ops covers np)
FORMS = sorted(set(FORMS) - {"np"})


def _function_with_name(name: str):
    """hf.template with NAME renamed, compiled from a real file so its source can be read."""
    import importlib.util
    import pathlib
    import tempfile
    src = inspect.getsource(hf.template).replace("NAME", name).replace(
        "def template", "def template_" + name.replace("_", "u"))
    path = pathlib.Path(tempfile.mkdtemp()) / ("hyg_%d.py" % abs(hash(name)))
    path.write_text("import numpy as np\n\n\n" + src)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = mod
    spec.loader.exec_module(mod)
    return getattr(mod, "template_" + name.replace("_", "u"))


X = np.array([0.3, -0.7])
Y = np.array([1.2, 0.4])


@pytest.mark.parametrize("name", FORMS)
def test_reserved_form_as_a_user_variable(name):
    fn = _function_with_name(name)
    got = ops.grad(fn, grad_position=(0, 1))(X, Y)
    want = numeric_grad(fn, X, Y, wrt=(0, 1))
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("fn", [hf.shadows_np_and_ops, hf.unicode_names, hf.early_exit_names])
def test_shadowing_and_unicode(fn):
    n = len(inspect.signature(fn).parameters)
    args = [np.array([0.4, -0.8]) + 0.3 * i for i in range(n)]
    got = ops.grad(fn, grad_position=tuple(range(n)))(*args)
    want = numeric_grad(fn, *args, wrt=tuple(range(n)))
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.sum(g) if np.ndim(w) == 0 else g, w, rtol=1e-6,
                                   atol=1e-8)
