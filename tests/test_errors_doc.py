"""docs/errors.md is generated from autograd_st/errors.py (tools/errors_doc.py), and every
error class documents a failing example and its fix; the NoDerivativeError hint leads to code
that works (run in a fresh process: it registers a rule)."""
import inspect
import os
import pathlib
import subprocess
import sys

import autograd_st.errors as errors

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import errors_doc  # noqa: E402


def test_errors_md_is_up_to_date():
    assert (ROOT / "docs" / "errors.md").read_text() == errors_doc.page(), (
        "docs/errors.md is out of date; regenerate it: python tools/errors_doc.py --write")


def test_every_error_class_has_a_failing_example_and_a_fix():
    for name in errors.__all__:
        doc = inspect.cleandoc(getattr(errors, name).__doc__ or "")  # (3.13 dedents itself)
        assert "Example (raises %s)::" % name in doc, name
        assert "\nFix" in doc and doc.count("::") >= 2, name
    # and every error class of the module is listed
    classes = {n for n, v in vars(errors).items()
               if isinstance(v, type) and issubclass(v, errors.AutogradError)}
    assert classes == set(errors.__all__)


_HINT = r'''
import re
import numpy as np
import autograd_st
from autograd_st import Tensor, ops
from autograd_st.errors import NoDerivativeError

# a numpy ufunc that has no rule (the first of these that has none)
CANDIDATES = [np.logaddexp2, np.arctan, np.cbrt, np.arcsinh, np.copysign, np.spacing]
DERIVATIVES = {
    "logaddexp2": ("x1, x2", "(dout * 2.0 ** (x1 - out), dout * 2.0 ** (x2 - out))"),
    "arctan": ("x", "(dout / (1 + x * x),)"),
    "cbrt": ("x", "(dout / (3 * out * out),)"),
    "arcsinh": ("x", "(dout / np.sqrt(1 + x * x),)"),
    "copysign": ("x1, x2", "(dout * np.sign(x1) * np.sign(out), dout * 0.0)"),
}
x = Tensor(np.array([0.5, 2.0]))
for ufunc in CANDIDATES:
    call = "np.%s(x)" % ufunc.__name__ if ufunc.nin == 1 else "np.%s(x, 1.0)" % ufunc.__name__
    ns = autograd_st.exec_source("def f(x):\n    return ops.sum(%s * x)\n" % call,
                                 {"np": np, "ops": ops})
    f = ns["f"]
    try:
        ops.grad(f)(x)
    except NoDerivativeError as exc:
        err = exc
        break
else:
    raise AssertionError("every candidate has a rule now: add one without")
hint = err.hint
decorator = re.search(r"@autograd_st\.register_vjp\((np\.\w+)\)", hint).group(1)
params, body = DERIVATIVES[ufunc.__name__]
assert "rule(dout, out, %s)" % params in hint, hint  # the rule's parameters, named
code = "@autograd_st.register_vjp(%s)\ndef _(dout, out, %s):\n    return %s\n" % (
    decorator, params, body)
namespace = {"autograd_st": autograd_st, "np": np}
autograd_st.exec_source(code, namespace)  # the hint's code, as a user writes it
g = ops.grad(f)(x)
autograd_st.check_grads(f, (x,), modes=("rev",))
print("HINT OK", ufunc.__name__, np.asarray(g).tolist())
'''


def test_the_no_derivative_hint_leads_to_code_that_works(tmp_path):
    script = tmp_path / "hint.py"
    script.write_text(_HINT)
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env,
                       timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "HINT OK" in r.stdout


def test_register_vjp_takes_a_ufunc_without_numpys_keywords(tmp_path):
    # before: the rule had to take numpy's (where, casting, order, dtype, subok, signature)
    script = tmp_path / "ufunc.py"
    script.write_text(
        "import numpy as np\nimport autograd_st\nfrom autograd_st import Tensor, ops\n"
        "@autograd_st.register_vjp(np.hypot)\n"
        "def _(dout, out, x1, x2):\n    return (dout * x1 / out, dout * x2 / out)\n"
        "def f(a, b):\n    return ops.sum(np.hypot(a, b))\n"
        "a, b = Tensor(np.array([3.0, 1.0])), Tensor(np.array([4.0, 1.0]))\n"
        "ga, gb = ops.grad(f, (0, 1))(a, b)\n"
        "print(ga.asnumpy().tolist(), gb.asnumpy().tolist())\n")
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    ga, gb = eval(r.stdout.strip().splitlines()[-1].replace("] [", "], ["))
    assert abs(ga[0] - 0.6) < 1e-12 and abs(gb[0] - 0.8) < 1e-12
    assert abs(ga[1] - 2 ** -0.5) < 1e-12
