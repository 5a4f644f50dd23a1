"""``import autograd_st`` loads the data model and the primitives only: the compiler's passes,
astor, ``nn``, ``ops``, ``train`` load on first use (issue 14: import cost).  Checked by what
a fresh interpreter has in ``sys.modules``, not by timing."""
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

_PROBE = r'''
import sys
import autograd_st
loaded = set(sys.modules)
# (autograd_st._aliases' stand-ins for MindSpore's deeper paths load nothing)
heavy = sorted(m for m in loaded if m.startswith(("autograd_st.compiler.", "autograd_st.nn",
                                                  "autograd_st.ops", "autograd_st.train",
                                                  "autograd_st.boundary", "astor"))
               and type(sys.modules[m]).__name__ != "_Alias")
print("HEAVY", heavy)
# every public name still resolves, and a tensor has its methods at once
t = autograd_st.Tensor([1.0, 2.0])
print("SUM", float(t.sum()), float(t.exp().sum()))
missing = [n for n in autograd_st.__all__ if not hasattr(autograd_st, n)]
print("MISSING", missing)
print("DIR", set(autograd_st.__all__) <= set(dir(autograd_st)))
from autograd_st import nn, ops
def f(x):
    return ops.sum(x * x)
print("GRAD", ops.grad(f)(autograd_st.Tensor([1.0, 3.0])).asnumpy().tolist())
print("COMPILER", "autograd_st.compiler.normalize" in sys.modules, "astor" in sys.modules)
'''


def _probe(tmp_path):
    script = tmp_path / "probe.py"
    script.write_text(_PROBE)
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    return dict(line.split(" ", 1) for line in r.stdout.splitlines())


def test_import_loads_no_compiler_pass_and_no_submodule_until_used(tmp_path):
    out = _probe(tmp_path)
    assert out["HEAVY"] == "[]", out["HEAVY"]
    np = __import__("numpy")
    assert out["SUM"] == "3.0 %r" % float(np.exp(np.float32([1.0, 2.0])).sum())  # float32
    assert out["MISSING"] == "[]"
    assert out["DIR"] == "True"
    assert out["GRAD"] == "[2.0, 6.0]"
    assert out["COMPILER"] == "True True"  # loaded by the first compile


def test_lazy_names_are_the_objects_of_their_modules():
    import autograd_st
    import autograd_st.nn.metrics as metrics
    import autograd_st.ops as ops
    import autograd_st.train.callback as callback
    assert autograd_st.grad is ops.grad and autograd_st.GradOperation is ops.GradOperation
    assert autograd_st.Accuracy is metrics.Accuracy
    assert autograd_st.LossMonitor is callback.LossMonitor
    assert autograd_st.nn is __import__("autograd_st.nn").nn
    try:
        autograd_st.no_such_name
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("a missing name must raise AttributeError")
