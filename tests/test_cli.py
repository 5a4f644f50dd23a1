"""The command line (autograd_st/__main__.py), run as a subprocess as a user runs it:
``dump`` (from a file path and from a module name, each stage, forward mode, order 2,
``--standalone`` output executed), ``check`` (a correct and a deliberately wrong
``register_vjp`` rule: exit 0 and 1), ``explain``, clean errors, and colour only on a
terminal without ``NO_COLOR``."""
import os
import pathlib
import pty
import re
import subprocess
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
TARGETS = ROOT / "tests" / "cli_targets"
MODEL = str(TARGETS / "model.py")
RULES = str(TARGETS / "rules.py")


def _env(**extra):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


def cli(*args, cwd=None, **env):
    return subprocess.run([sys.executable, "-m", "autograd_st", *args], capture_output=True,
                          text=True, cwd=cwd or str(ROOT), env=_env(**env), timeout=120)


def test_version_and_help_carry_examples_on_every_command():
    r = cli("--version")
    assert r.returncode == 0 and re.fullmatch(r"autograd_st \d+\.\d+\.\d+\s*", r.stdout)
    r = cli("--help")
    assert r.returncode == 0
    assert r.stdout.startswith("usage: autograd-st")
    for cmd in ("dump", "check", "explain", "demo"):
        assert cmd in r.stdout
        h = cli(cmd, "--help")
        assert h.returncode == 0, h.stderr
        assert "example" in h.stdout and "autograd-st %s" % cmd in h.stdout, cmd
        assert "`" not in h.stdout, cmd  # no raw backticks
    d = cli("dump", "--help").stdout
    for option in ("--args", "--example-inputs", "--grad-position", "--weights", "--get-all",
                   "--get-by-list", "--sens-param", "--has-aux", "--mode", "--order",
                   "--stage", "--standalone", "--traceback"):
        assert option in d, option


def test_dump_from_a_file_path_keeps_the_modules_prints_out_of_the_dump():
    r = cli("dump", MODEL + ":Net", "--weights")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("def Net_construct_grad(x, mask, ")
    assert "model.py imported" not in r.stdout and "model.py imported" in r.stderr
    # the comments name the user's lines
    line = _line_of(MODEL, "h = ops.tanh(self.dense(x)) * self.scale")
    assert "(model.py:%d)" % line in r.stdout
    assert "def Dense_construct_fwd(" in r.stdout  # the sub-Cell's code follows
    assert "\x1b[" not in r.stdout  # piped: no colour


def test_dump_from_a_module_name_with_constructor_arguments_and_a_factory():
    a = cli("dump", "cli_targets.model:Net", "--args", "n=4", cwd=str(ROOT / "tests"))
    b = cli("dump", MODEL + ":make_net")
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    assert a.stdout == b.stdout  # Net(4) either way
    c = cli("dump", MODEL + ":f", "--grad-position", "0,1")
    assert c.returncode == 0 and "return d_x, d_y" in c.stdout


def _line_of(path, text):
    for k, line in enumerate(pathlib.Path(path).read_text().splitlines(), 1):
        if text in line:
            return k
    raise AssertionError(text)


def test_dump_each_stage():
    seen = {}
    for stage in ("parse", "normalize", "adjoint", "lowered"):
        r = cli("dump", MODEL + ":Net", "--weights", "--stage", stage)
        assert r.returncode == 0, r.stderr
        seen[stage] = r.stdout
    assert "def construct(self, x, mask):" in seen["parse"]
    assert "h = ops.tanh(self.dense(x)) * self.scale" in seen["parse"]
    # A-normal form: one primitive per line, the Parameters as parameters
    assert "def Net_construct_normalized(x, mask, self_dense_weight" in seen["normalize"]
    assert "np.tanh(" in seen["normalize"] and "ops." not in seen["normalize"].replace(
        "# ", "#").split("#")[0]
    # the adjoint before lowering computes the loss for its seed's shape; lowered makes the
    # seed without it (compiler/lower_seed.py), and frees dead values
    assert "def Net_construct_grad(" in seen["adjoint"]
    assert "d_sum = ones_like(_sum)" in seen["adjoint"] and "sum_ones(" not in seen["adjoint"]
    assert "d_sum = sum_ones(h_1)" in seen["lowered"] and "_sum = np.sum(" not in seen["lowered"]
    assert "del _dense" in seen["lowered"] and "del _dense" not in seen["adjoint"]
    assert seen["lowered"] != seen["adjoint"]


def test_dump_forward_mode_order_2_and_gradoperation_options():
    r = cli("dump", MODEL + ":f", "--mode", "forward")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("def f_jvp(x, y, x_dot, y_dot):")
    r = cli("dump", MODEL + ":f", "--order", "2")
    assert r.returncode == 0, r.stderr
    assert "def f_grad_grad(" in r.stdout
    r = cli("dump", MODEL + ":f", "--get-all", "--sens-param")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("def f_grad(x, y, sens):")
    r = cli("dump", MODEL + ":f", "--get-all", "--grad-position", "0")
    assert r.returncode == 2 and "use one set" in r.stderr


def test_standalone_dump_runs_on_its_own_and_gives_the_gradient(tmp_path):
    r = cli("dump", MODEL + ":Net", "--weights", "--example-inputs", "(2,3),(3,)",
            "--args", "3", "--standalone")
    assert r.returncode == 0, r.stderr
    path = tmp_path / "net_grad.py"
    path.write_text(r.stdout)
    assert "from autograd_st.runtime import" in r.stdout
    # it runs as a script (its __main__ block calls it on ones)
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                         env=_env(), cwd=str(tmp_path), timeout=120)
    assert run.returncode == 0, run.stderr
    assert "array(" in run.stdout
    # and, imported, gives the numbers ops.grad gives
    script = tmp_path / "compare.py"
    script.write_text("""
import importlib.util, sys
import numpy as np
sys.path.insert(0, %r)
import model
from autograd_st import ops, Tensor
spec = importlib.util.spec_from_file_location("net_grad", %r)
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
net = model.Net(3)
rng = np.random.default_rng(0)
x, mask = rng.standard_normal((2, 3)), rng.standard_normal((3,))
gx, (gw, gb, gs, gsp) = ops.grad(net, 0, net.trainable_params())(Tensor(x), Tensor(mask))
out = mod.Net_construct_grad(x, mask, net.dense.weight.asnumpy(), net.dense.bias.asnumpy(),
                             net.scale.asnumpy(), net.spare.asnumpy())
got_x, (got_w, got_b, got_s, got_sp) = out
for a, b in [(got_x, gx), (got_w, gw), (got_b, gb), (got_s, gs), (got_sp, gsp)]:
    np.testing.assert_allclose(a, b.asnumpy(), rtol=1e-6, atol=1e-7)
print("same", float(np.abs(got_x).sum()))
""" % (str(TARGETS), str(path)))
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         env=_env(), cwd=str(tmp_path), timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    last = run.stdout.splitlines()[-1]
    assert last.startswith("same ") and float(last.split()[1]) > 0


def test_check_passes_a_correct_rule_and_fails_a_wrong_one():
    ok = cli("check", RULES + ":f_ok")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert re.search(r"input 0 \(x\)\s+shape \(2, 3\)\s+worst relative error \d\.\d\de-\d\d",
                     ok.stdout)
    assert ok.stdout.rstrip().endswith("OK")
    assert "rules.py imported" not in ok.stdout
    bad = cli("check", RULES + ":f_wrong")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    line = [ln for ln in bad.stdout.splitlines() if ln.strip().startswith("input 0 (x)")][0]
    assert "FAILED at index" in line
    rel = float(re.search(r"worst relative error (\S+)", line).group(1))
    assert rel > 0.1  # 1/(1+|x|) against 1/(1+|x|)**2
    y_line = [ln for ln in bad.stdout.splitlines() if ln.strip().startswith("input 1 (y)")][0]
    assert "FAILED" not in y_line  # the other input's gradient is right
    assert bad.stdout.rstrip().endswith("FAILED")


def test_check_a_cell_reports_each_parameter_and_takes_shapes():
    r = cli("check", MODEL + ":Net", "--example-inputs", "(2,3),(3,)", "--order", "2",
            "--mode", "both")
    assert r.returncode == 0, r.stdout + r.stderr
    for name in ("input 0 (x)", "input 1 (mask)", "parameter dense.weight",
                 "parameter dense.bias", "parameter scale", "parameter spare"):
        assert name in r.stdout, name
    loose = cli("check", RULES + ":f_wrong", "--rtol", "10", "--atol", "10")
    assert loose.returncode == 0, loose.stdout
    missing = cli("check", str(TARGETS / "bare.py") + ":g")
    assert missing.returncode == 2 and "--example-inputs" in missing.stderr
    bad = cli("check", str(TARGETS / "bare.py") + ":g", "--example-inputs", "(2,x)")
    assert bad.returncode == 2 and "one shape per input" in bad.stderr
    # the module's example_inputs(name); an integer input is not differentiated
    labels = cli("check", MODEL + ":weighted")
    assert labels.returncode == 0, labels.stdout + labels.stderr
    assert "input 0 (x)" in labels.stdout and "input 1" not in labels.stdout.split(
        "check_grads")[0]
    assert "check_grads: not run" in labels.stdout


def test_check_takes_a_float32_models_tolerances_unless_told():
    # float32 computations are checked to float32's accuracy (check_grads' defaults), a
    # float64 function to float64's; --rtol/--atol override both
    r = cli("check", MODEL + ":Tanh32")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "(rtol 0.002, atol 0.002)" in r.stdout
    errors = [float(e) for e in re.findall(r"\(absolute (\S+)\)", r.stdout)]
    assert len(errors) == 3 and 0 < max(errors) < 2e-3  # float32 rounding, not zero
    strict = cli("check", MODEL + ":Tanh32", "--rtol", "1e-9", "--atol", "1e-12")
    assert strict.returncode == 1 and "FAILED at index" in strict.stdout
    f64 = cli("check", MODEL + ":f")
    assert f64.returncode == 0 and "(rtol 1e-05, atol 1e-05)" in f64.stdout, f64.stdout


def test_explain_maps_adjoint_lines_to_the_users_and_finds_structural_zeros():
    r = cli("explain", MODEL + ":Net")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    for head in ("== primal: Net.construct", "== adjoint", "== source map",
                 "== gradients that are structurally zero"):
        assert head in out, head
    line = _line_of(MODEL, "h = h * x")
    assert re.search(r"\d+(-\d+)?\s+-> %s:%d   h = h \* x" % (re.escape(MODEL), line), out)
    zero = out.split("structurally zero")[1]
    assert "input 1 (mask)" in zero and "parameter spare" in zero
    assert "input 0 (x)" not in zero and "scale" not in zero
    assert "model.py imported" not in out


def test_errors_are_one_clean_message_at_the_users_line():
    r = cli("dump", MODEL + ":refused")
    assert r.returncode == 1
    line = _line_of(MODEL, "    try:")
    assert "%s:%d" % (MODEL, line) in r.stderr
    assert "^" in r.stderr and "hint:" in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    r = cli("dump", MODEL + ":refused", "--traceback")
    assert r.returncode == 1 and "Traceback" in r.stderr
    r = cli("check", MODEL + ":fails_at_run_time", "--example-inputs", "(2,)")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "IndexError" in r.stderr
    assert "%s:%d" % (MODEL, _line_of(MODEL, "x[[0, 1, 2, 3, 4]]")) in r.stderr
    r = cli("dump", "no_such_file.py:Net")
    assert r.returncode == 2 and "no such file" in r.stderr and "Traceback" not in r.stderr
    r = cli("dump", MODEL + ":Nope")
    assert r.returncode == 2 and "functions and Cells there:" in r.stderr
    assert "Net" in r.stderr and "make_net" in r.stderr
    r = cli("dump", MODEL)
    assert r.returncode == 2 and "path/to/file.py:Name" in r.stderr


def _on_terminal(*args, **env):
    """Runs the CLI with its stdout on a pseudo-terminal; returns what it wrote."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "autograd_st", *args], stdout=slave,
                            stderr=subprocess.PIPE, cwd=str(ROOT), env=_env(**env))
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    assert proc.returncode == 0, proc.stderr.read()
    return b"".join(chunks).decode()


def test_colour_on_a_terminal_only_without_no_color():
    import pygments  # noqa: F401  (in the test extra: its absence fails this test)
    coloured = _on_terminal("dump", MODEL + ":f")
    assert "\x1b[" in coloured and "f_grad" in coloured
    plain = _on_terminal("dump", MODEL + ":f", NO_COLOR="1")
    assert "\x1b[" not in plain and plain.replace("\r\n", "\n").startswith("def f_grad(")
    never = _on_terminal("dump", MODEL + ":f", "--colour", "never")
    assert "\x1b[" not in never


def test_stage_capture_is_public_and_records_nothing_outside_it():
    from autograd_st import compiler, ops
    from autograd_st.compiler import stages

    def g(x):
        return ops.sum(ops.sin(x) * x)

    assert getattr(stages._active, "log", None) is None
    compiler.clear_caches()
    with compiler.capture() as log:
        ops.grad(g)(np.array([1.0, 2.0]))
    assert [len(log[s]) >= 1 for s in compiler.STAGES] == [True] * 4
    assert "def g(x):" in log["parse"][0]
    assert getattr(stages._active, "log", None) is None


def test_higher_order_code_comments_name_the_users_lines():
    sys.path.insert(0, str(TARGETS))
    import model

    from autograd_st import Tensor, ops
    x = Tensor(np.array([0.5, 1.0]))
    text = ops.grad(ops.grad(model.f)).source(x, x)
    line = _line_of(MODEL, "return ops.sum(ops.exp(x) * ops.sin(y))")
    assert "<autograd_st" not in text
    assert "# return ops.sum(ops.exp(x) * ops.sin(y))  (model.py:%d)" % line in text
    assert "# grad of: return ops.sum(ops.exp(x) * ops.sin(y))  (model.py:%d)" % line in text
    # said once per run of statements, not before each generated line
    assert text.count("(model.py:%d)" % line) <= 4
    third = ops.grad(ops.grad(ops.grad(model.f))).source(x, x)
    assert "<autograd_st" not in third and "(model.py:%d)" % line in third
