"""The command line: ``autograd-st`` (or ``python -m autograd_st``).

Commands:

- ``dump TARGET``: the generated gradient (or, ``--mode forward``, tangent) code of a
  function or a Cell, after the last pass or any ``--stage``, or ``--standalone`` as a module
  that runs on its own;
- ``check TARGET``: the generated gradient against float64 central differences at random
  inputs (``autograd_st.check_grads``), the worst error per input and Parameter; exits 1
  past ``--rtol`` / ``--atol``;
- ``explain TARGET``: the primal, the adjoint, which user line each adjoint line comes from,
  and the inputs and Parameters whose gradient is structurally zero;
- ``demo``: the MindSpore tutorial's MatMul network, its gradients and their code.

TARGET is ``path/to/file.py:Name`` or ``package.module:Name``; Name is a function, a Cell
class (built with ``--args``), a Cell instance, or a factory (a function called with
``--args``, or one without required parameters, returning a Cell or a function).  The target
module's own output goes to stderr.  Errors print one message (file:line, the line, a caret,
a hint) and exit 1 (2 for a wrong command line); ``--traceback`` adds Python's traceback.
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import importlib
import importlib.util
import inspect
import linecache
import os
import re
import sys
import traceback
import types

import numpy as np

from . import Parameter, ParameterTuple, Tensor, __version__, check_grads, dump, nn, ops
from . import dtype as mstype
from .boundary import GradFunction, compile_jvp
from .cell import Cell
from .check import numerical_grad, tolerances
from .compiler import STAGES, capture, clear_caches, full_source, source_files, standalone_source
from .compiler.analyze import activity
from .compiler.ir import leaves
from .errors import CompileError, GradientCheckError

__all__ = ["main"]

PROG = "autograd-st"
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


class UsageError(Exception):
    """A command line that cannot be run (exit status 2)."""


# ---------------------------------------------------------------------------------------
# the target
# ---------------------------------------------------------------------------------------

class Target:
    """What TARGET names: ``obj`` (a function or a Cell instance to differentiate), its
    module, and the text it was named by."""

    def __init__(self, text: str, obj, module) -> None:
        self.text, self.obj, self.module = text, obj, module
        self.name = text.rpartition(":")[2]
        self.is_cell = isinstance(obj, Cell)

    def function(self):
        """The Python function whose source is differentiated (a Cell's ``construct``)."""
        if self.is_cell:
            return type(self.obj).construct
        if isinstance(self.obj, GradFunction):
            return self.obj.fn
        return self.obj

    def n_params(self) -> int:
        fn = self.function()
        params = [p for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                  and p.default is p.empty]
        return len(params) - (1 if self.is_cell else 0)


def _import_module(where: str):
    if where.endswith(".py") or "/" in where or os.sep in where:
        path = os.path.abspath(where)
        if not os.path.isfile(path):
            raise UsageError("%s: no such file (TARGET is path/to/file.py:Name or "
                             "package.module:Name)" % where)
        name = os.path.splitext(os.path.basename(path))[0]
        if not name.isidentifier():
            raise UsageError("%s: the file's name is not a Python module name" % where)
        sys.path.insert(0, os.path.dirname(path))
        if name in sys.modules:  # (a file named like a module already imported: ast.py)
            name = "_autograd_st_target_" + name
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # (pickle and the compiler find it by name)
        spec.loader.exec_module(module)
        return module
    sys.path.insert(0, os.getcwd())
    try:
        return importlib.import_module(where)
    except ModuleNotFoundError as exc:
        if exc.name and where.startswith(exc.name):
            raise UsageError("no module named %r here (%s); name a file as path/to/file.py:Name"
                             % (where, os.getcwd())) from None
        raise


def _call_args(text: str | None) -> tuple:
    """``--args '3, hidden=4'`` -> ``((3,), {'hidden': 4})`` (Python literals)."""
    if text is None or not text.strip():
        return (), {}
    try:
        call = ast.parse("f(%s)" % text, mode="eval").body
        args = tuple(ast.literal_eval(a) for a in call.args)
        kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    except (SyntaxError, ValueError) as exc:
        raise UsageError("--args %r: not Python literals separated by commas (e.g. "
                         "--args '3, hidden=4'): %s" % (text, exc)) from None
    return args, kwargs


def _candidates(module) -> str:
    names = [n for n, v in vars(module).items() if not n.startswith("_")
             and getattr(v, "__module__", None) == module.__name__
             and (isinstance(v, (types.FunctionType, Cell))
                  or (isinstance(v, type) and issubclass(v, Cell)))]
    return ", ".join(sorted(names)) or "none"


def load_target(text: str, args_text: str | None = None) -> Target:
    where, sep, attr = text.rpartition(":")
    if not sep or not where or not attr:
        raise UsageError("TARGET %r: write path/to/file.py:Name or package.module:Name" % text)
    module = _import_module(where)
    obj = module
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise UsageError("%s has no %r; functions and Cells there: %s"
                             % (where, attr, _candidates(module)))
        obj = getattr(obj, part)
    args, kwargs = _call_args(args_text)
    if isinstance(obj, type) and issubclass(obj, Cell):
        obj = obj(*args, **kwargs)
    elif isinstance(obj, Cell) or isinstance(obj, GradFunction):
        if args_text is not None:
            raise UsageError("--args: %s is already built (an instance); drop --args" % attr)
    elif isinstance(obj, type):
        raise UsageError("%s is a class but not a Cell" % attr)
    elif callable(obj):
        required = [p for p in inspect.signature(obj).parameters.values()
                    if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        if args_text is not None or not required:  # a factory
            made = obj(*args, **kwargs)
            if isinstance(made, type) and issubclass(made, Cell):
                made = made()
            if not callable(made):
                raise UsageError("%s(...) returned %r, not a Cell or a function"
                                 % (attr, made))
            obj = made
    else:
        raise UsageError("%s is %r, not a function or a Cell" % (attr, obj))
    return Target(text, obj, module)


def _shapes(text: str) -> list:
    try:
        value = ast.literal_eval("(%s,)" % text)
    except (SyntaxError, ValueError):
        value = None
    ok = isinstance(value, tuple) and all(
        isinstance(s, int) or (isinstance(s, tuple) and all(isinstance(d, int) for d in s))
        for s in value)
    if not ok:
        raise UsageError("--example-inputs %r: give one shape per input, e.g. '(2,3),(3,)' "
                         "('()' for a scalar)" % text)
    return [s if isinstance(s, tuple) else (s,) for s in value]


def example_inputs(target: Target, text: str | None, seed: int, required: bool) -> tuple:
    """The inputs: random float64 Tensors of the shapes ``text`` gives, else what the
    module's ``example_inputs()`` (or ``example_inputs(name)``, given TARGET's name) returns,
    else (``required`` False) one float32 Tensor of
    shape (1,) per parameter (the code does not depend on shapes)."""
    if text is not None:
        rng = np.random.default_rng(seed)
        return tuple(Tensor(rng.standard_normal(s)) for s in _shapes(text))
    make = getattr(target.module, "example_inputs", None)
    if callable(make):
        # example_inputs() or example_inputs(name): the inputs of the target named
        value = make(target.name) if inspect.signature(make).parameters else make()
        if value is not None:  # (None: no example for this target)
            return tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if required:
        raise UsageError("give the input shapes (--example-inputs '(2,3),(3,)') or define "
                         "example_inputs() (or example_inputs(name)) in %s"
                         % target.module.__name__)
    return tuple(Tensor(np.ones((1,), np.float32)) for _ in range(target.n_params()))


# ---------------------------------------------------------------------------------------
# the gradient function the options ask for
# ---------------------------------------------------------------------------------------

def _positions(text: str):
    if text.strip().lower() == "none":
        return None
    try:
        ps = tuple(int(p) for p in text.split(",") if p.strip())
    except ValueError:
        raise UsageError("--grad-position %r: integers separated by commas (0,1) or none"
                         % text) from None
    if not ps:
        raise UsageError("--grad-position: give at least one position")
    return ps[0] if len(ps) == 1 else ps


def _weights_of(target: Target):
    if not target.is_cell:
        raise UsageError("--weights / --get-by-list: %s is a function, not a Cell with "
                         "Parameters" % target.text)
    return ParameterTuple(target.obj.trainable_params())


def gradient_function(target: Target, opts, default_all: bool = False):
    """The gradient function the API options ask for (the first order)."""
    gradop = opts.get_all or opts.get_by_list or opts.sens_param
    style_grad = opts.grad_position is not None or opts.weights or opts.has_aux
    if gradop and style_grad:
        raise UsageError("--get-all/--get-by-list/--sens-param are GradOperation's options and "
                         "--grad-position/--weights/--has-aux are ops.grad's: use one set")
    if gradop:
        weights = _weights_of(target) if opts.get_by_list else None
        return ops.GradOperation(opts.get_all, opts.get_by_list, opts.sens_param)(
            target.obj, weights)
    if style_grad or not default_all:
        pos = _positions(opts.grad_position) if opts.grad_position is not None else 0
        weights = _weights_of(target) if opts.weights else None
        return ops.grad(target.obj, pos, weights, opts.has_aux)
    # explain's default: every input, and every Parameter of a Cell
    weights = ParameterTuple(target.obj.trainable_params()) if target.is_cell else None
    return ops.GradOperation(get_all=True, get_by_list=bool(weights))(target.obj, weights)


def _sens_for(fn, args):
    out = fn(*args)
    if isinstance(out, (tuple, list)):
        return type(out)(Tensor(np.ones(np.shape(o._data if isinstance(o, Tensor) else o)))
                         for o in out)
    return Tensor(np.ones(np.shape(out._data if isinstance(out, Tensor) else out)))


def higher(gfn, opts):
    """``gfn`` differentiated again up to ``--order``, each time with respect to the same
    positions (their gradients summed)."""
    if opts.order < 1:
        raise UsageError("--order %d: orders start at 1" % opts.order)
    if opts.order > 1 and (opts.sens_param or opts.has_aux or opts.get_by_list or opts.weights
                           or opts.grad_position == "none"):
        raise UsageError("--order > 1 differentiates with respect to inputs only: drop "
                         "--sens-param, --has-aux, --weights and --get-by-list")
    for _ in range(opts.order - 1):
        if opts.get_all:
            gfn = ops.GradOperation(get_all=True)(gfn)
        else:
            pos = _positions(opts.grad_position) if opts.grad_position is not None else 0
            gfn = ops.grad(gfn, pos)
    return gfn


def call_args(gfn, target: Target, inputs: tuple, opts) -> tuple:
    if opts.sens_param:
        return inputs + (_sens_for(target.obj, inputs),)
    return inputs


def _flat_arrays(values) -> list:
    out = []
    for v in values:
        if isinstance(v, (tuple, list)):
            out.extend(_flat_arrays(v))
        elif isinstance(v, dict):
            out.extend(_flat_arrays(list(v.values())))
        elif isinstance(v, Tensor):
            out.append(v._data)
        elif isinstance(v, (np.ndarray, float, np.generic)):
            out.append(np.asarray(v))
    return out


def generated(target: Target, opts, inputs: tuple, default_all: bool = False):
    """``(text, compiled top, example arrays)``: the generated code the options ask for."""
    if opts.mode == "forward":
        if opts.grad_position is not None or opts.weights or opts.get_by_list \
                or opts.sens_param or opts.has_aux or opts.get_all:
            raise UsageError("--mode forward differentiates every input (ops.jvp): drop the "
                             "gradient options")
        if opts.order > 2:
            raise UsageError("--mode forward: --order 1 (jvp) or 2 (jvp of the gradient)")
        fn = target.obj if opts.order == 1 else ops.GradOperation(get_all=True)(target.obj)
        _, compiled, objects = compile_jvp(fn, inputs)
        arrays = _flat_arrays(inputs)
        example = arrays + _flat_arrays(objects) + arrays
        return full_source(compiled), compiled, example
    gfn = higher(gradient_function(target, opts, default_all), opts)
    args = call_args(gfn, target, inputs, opts)
    text = gfn.source(*args)
    art = gfn._last_art
    example = _flat_arrays(args) + _flat_arrays(art.gradient.inputs)
    return text, art.gradient, example


# ---------------------------------------------------------------------------------------
# output
# ---------------------------------------------------------------------------------------

def _use_colour(stream, choice: str) -> bool:
    if choice == "never":
        return False
    if choice == "always":
        return True
    if os.environ.get("NO_COLOR", "") != "":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _highlight(text: str, stream, choice: str) -> str:
    """``text`` (Python) coloured for a terminal with pygments (the optional extra
    ``colour``), or as it is: piped output, ``NO_COLOR``, ``--colour never``, or no
    pygments."""
    if not _use_colour(stream, choice):
        return text
    try:  # optional: pip install autograd_st[colour]
        lexers = importlib.import_module("pygments.lexers")
        formatters = importlib.import_module("pygments.formatters")
        pygments = importlib.import_module("pygments")
    except ImportError:
        return text
    return pygments.highlight(text, lexers.PythonLexer(), formatters.TerminalFormatter())


# ---------------------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------------------

def cmd_dump(opts, out) -> int:
    target = load_target(opts.target, opts.args)
    inputs = example_inputs(target, opts.example_inputs, opts.seed, required=False)
    if opts.stage is not None:
        if opts.standalone:
            raise UsageError("--standalone prints the final code: drop --stage")
        clear_caches()
        with capture() as log:
            generated(target, opts, inputs)
        texts = log[opts.stage]
        if not texts:
            raise UsageError("the compile wrote nothing at stage %r" % opts.stage)
        text = "\n\n".join(t.rstrip("\n") + "\n" for t in texts)
    else:
        text, compiled, example = generated(target, opts, inputs)
        if opts.standalone:
            text = standalone_source(compiled, example)
    out.append(("code", text))
    return 0


def _worst(got, want, atol, rtol) -> tuple:
    got = np.asarray(got, np.float64)
    want = np.asarray(want, np.float64)
    diff = np.abs(got - want)
    rel = diff / np.maximum(np.abs(want), 1e-300)
    rel = np.where(diff == 0, 0.0, rel)
    bad = diff > atol + rtol * np.abs(want)
    k = int(np.argmax(np.where(bad, diff, -1.0))) if bad.any() else int(np.argmax(rel)) \
        if rel.size else 0
    index = np.unravel_index(k, want.shape) if want.ndim else ()
    return (float(rel.max()) if rel.size else 0.0,
            float(diff.max()) if diff.size else 0.0, bool(bad.any()), tuple(int(i) for i in index))


def cmd_check(opts, out) -> int:
    target = load_target(opts.target, opts.args)
    inputs = example_inputs(target, opts.example_inputs, opts.seed, required=True)
    f = target.obj
    weights = tuple(f.trainable_params()) if target.is_cell else ()
    floats = tuple(i for i, a in enumerate(inputs) if _is_float(a))  # (labels are not)
    n = len(floats)
    gfn = ops.grad(f, floats if n else None, weights or None)
    got = gfn(*inputs)
    num = numerical_grad(f, inputs, floats if n else None, weights or None)
    if n and weights:
        (g_in, g_w), (n_in, n_w) = got, num
    elif n:
        g_in, n_in, g_w, n_w = got, num, (), ()
    else:
        g_in, n_in, g_w, n_w = (), (), got, num
    # (ops.grad gives one position's gradient bare, as MindSpore does, even for (0,))
    g_in = g_in if isinstance(g_in, (tuple, list)) else (g_in,)
    n_in = n_in if isinstance(n_in, (tuple, list)) else (n_in,)
    # unset tolerances by the lowest float precision among the inputs and Parameters (a
    # float32 model is computed in float32: its gradient is checked to float32's accuracy)
    _, opts.atol, opts.rtol = tolerances(tuple(inputs) + tuple(weights), None, opts.atol,
                                         opts.rtol)
    params = list(inspect.signature(target.function()).parameters)[1 if target.is_cell else 0:]
    rows = []
    for i, g, w in zip(floats, g_in, n_in):
        name = params[i] if i < len(params) else "input %d" % i
        rows.append(("input %d (%s)" % (i, name), np.shape(w)) + _worst(
            g._data if isinstance(g, Tensor) else g, w, opts.atol, opts.rtol))
    for p, g, w in zip(weights, g_w, n_w):
        rows.append(("parameter %s" % p.name, np.shape(w)) + _worst(
            g._data if isinstance(g, Tensor) else g, w, opts.atol, opts.rtol))
    lines = ["gradient of %s against float64 central differences (rtol %g, atol %g):"
             % (target.text, opts.rtol, opts.atol)]
    width = max([len(r[0]) for r in rows] + [5])
    failed = False
    for what, shape, rel, diff, bad, index in rows:
        failed |= bad
        lines.append("  %-*s  shape %-10s worst relative error %.2e  (absolute %.2e)%s"
                     % (width, what, str(tuple(shape)), rel, diff,
                        "  FAILED at index %s" % (index,) if bad else ""))
    modes = {"both": ("fwd", "rev"), "forward": ("fwd",), "reverse": ("rev",)}[opts.mode]
    try:
        if n < len(inputs):
            lines.append("check_grads: not run (it differentiates every input; inputs %s are "
                         "not floating-point)" % ", ".join(
                             str(i) for i in range(len(inputs)) if i not in floats))
        else:
            check_grads(f, inputs, order=opts.order, modes=modes, atol=opts.atol,
                        rtol=opts.rtol, seed=opts.seed)
            lines.append("check_grads(order=%d, modes=%s): passed" % (opts.order, modes))
    except GradientCheckError as exc:
        failed = True
        lines.append("check_grads(order=%d, modes=%s): FAILED\n  %s"
                     % (opts.order, modes, str(exc).replace("\n", "\n  ")))
    lines.append("FAILED" if failed else "OK")
    out.append(("text", "\n".join(lines) + "\n"))
    return 1 if failed else 0


def _is_float(value) -> bool:
    data = value._data if isinstance(value, Tensor) else value
    if isinstance(data, float):
        return True
    return isinstance(data, (np.ndarray, np.generic)) and data.dtype.kind == "f"


_WHERE = re.compile(r"\(([^()\s]+\.py):(\d+)\)\s*$")


def source_map(text: str) -> list:
    """``(adjoint line number, adjoint line, user file, user line)`` for each code line of
    ``text``, from the ``# ... (file.py:12)`` comment above it (file: its full path when the
    compiler knows one file of that name)."""
    rows = []
    where = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("def "):
            where = None
        if stripped.startswith("#"):
            m = _WHERE.search(stripped)
            if m:
                paths = sorted(source_files(m.group(1)))
                where = (paths[0] if len(paths) == 1 else m.group(1), int(m.group(2)))
            continue
        if stripped and where is not None:
            rows.append((number, line, where[0], where[1]))
    return rows


def structurally_zero(art) -> list:
    """The inputs and Parameters of the gradient's function that no output depends on."""
    fir = art.fir
    outs = {s.var.name for s in leaves(fir.result)}
    zero = []
    for i, (name, arg) in enumerate(zip(fir.arg_names, fir.args)):
        names = [s.var.name for s in leaves(arg)]
        if names and not outs & activity(fir, names):
            zero.append("input %d (%s)" % (i, name))
    for inp in fir.inputs:
        if not outs & activity(fir, [inp.name]):
            label = getattr(inp.obj, "name", inp.name)
            zero.append("parameter %s" % label)
    # weights asked for that the code never reads
    read = {id(inp.obj) for inp in fir.inputs}
    for obj, name in zip(art.inputs, art.input_names):
        if id(obj) not in read:
            zero.append("parameter %s (never read)" % getattr(obj, "name", name))
    return zero


def cmd_explain(opts, out) -> int:
    target = load_target(opts.target, opts.args)
    inputs = example_inputs(target, opts.example_inputs, opts.seed, required=False)
    fn = target.function()
    lines, start = inspect.getsourcelines(fn)
    filename = inspect.getsourcefile(fn)
    primal = "".join("%4d  %s" % (start + k, line) for k, line in enumerate(lines))
    out.append(("text", "== primal: %s (%s:%d)\n" % (fn.__qualname__, filename, start)))
    out.append(("text", primal + "\n"))
    text, compiled, _ = generated(target, opts, inputs, default_all=True)
    out.append(("text", "== adjoint (generated)\n"))
    out.append(("code", "".join("%4d  %s\n" % (k, line)
                                for k, line in enumerate(text.splitlines(), 1))))
    out.append(("text", "\n== source map: adjoint line -> your line\n"))
    rows = source_map(text)
    groups = []
    for number, _, path, line in rows:
        if groups and groups[-1][2:] == [path, line]:
            groups[-1][1] = number
        else:
            groups.append([number, number, path, line])
    for first, last, path, line in groups:
        span = "%d" % first if first == last else "%d-%d" % (first, last)
        user = _source_line(path, line)
        out.append(("text", "  %-9s -> %s:%d   %s\n" % (span, path, line, user)))
    if opts.mode != "forward":
        zero = structurally_zero(compiled)
        out.append(("text", "\n== gradients that are structurally zero (never reach the "
                            "output)\n"))
        out.append(("text", "".join("  %s\n" % z for z in zero) if zero else "  none\n"))
    return 0


def _source_line(path: str, line: int) -> str:
    return linecache.getline(path, line).strip()


def _demo(out) -> int:

    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.matmul = ops.MatMul()
            self.z = Parameter(Tensor(np.array([1.0], np.float32)), name="z")

        def construct(self, x, y):
            x = x * self.z
            out = self.matmul(x, y)
            return out

    x = Tensor([[0.8, 0.6, 0.2], [1.8, 1.3, 1.1]], dtype=mstype.float32)
    y = Tensor([[0.11, 3.3, 1.1], [1.1, 0.2, 1.4], [1.1, 2.2, 0.3]], dtype=mstype.float32)
    net = Net()
    grad_fn = ops.GradOperation(get_all=True, get_by_list=True)
    (dx, dy), (dz,) = grad_fn(net, ParameterTuple(net.trainable_params()))(x, y)
    out.append(("text", "f(x, y) = matmul(x * z, y);  GradOperation(get_all=True, "
                        "get_by_list=True)\n\n"))
    out.append(("text", "dx =\n%s\n\ndy =\n%s\n\ndz = %r\n\n" % (dx, dy, dz)))
    out.append(("text", "The generated gradient code (autograd_st.dump(net, get_all=True, "
                        "get_by_list=True)):\n\n"))
    out.append(("code", dump(net, get_all=True, get_by_list=True)))
    return 0


# ---------------------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------------------

def _user_frame(exc):
    """The innermost frame of the traceback outside autograd_st and importlib."""
    frames = traceback.extract_tb(exc.__traceback__)
    for fr in reversed(frames):
        f = os.path.abspath(fr.filename)
        if not f.startswith(_PACKAGE_DIR) and "importlib" not in f and not \
                fr.filename.startswith("<"):
            return fr
    return None


def format_error(exc) -> str:
    """One message: where (file:line, the line, a caret), what, and the hint."""
    if isinstance(exc, UsageError):
        return "%s: error: %s" % (PROG, exc)
    if isinstance(exc, CompileError):
        return "%s: error: %s" % (PROG, exc)
    if isinstance(exc, SyntaxError):  # the target's own file does not parse
        where = "%s:%s: " % (exc.filename, exc.lineno) if exc.filename else ""
        text = (exc.text or "").rstrip("\n")
        stripped = text.lstrip()
        caret = " " * max(0, (exc.offset or 1) - 1 - (len(text) - len(stripped))) + "^"
        body = "\n    %s\n    %s" % (stripped, caret) if stripped else ""
        return "%s: error: %sSyntaxError: %s%s" % (PROG, where, exc.msg, body)
    what = "%s: %s" % (type(exc).__name__, exc)
    fr = _user_frame(exc)
    lines = []
    if fr is not None:
        lines.append("%s:%d: %s" % (fr.filename, fr.lineno, what))
        if fr.line:
            stripped = fr.line.strip()
            lines.append("    " + stripped)
            col, end = getattr(fr, "colno", None), getattr(fr, "end_colno", None)
            raw = linecache.getline(fr.filename, fr.lineno)
            indent = len(raw) - len(raw.lstrip())
            if col is not None and end is not None and fr.end_lineno == fr.lineno \
                    and end > col:
                lines.append("    " + " " * max(0, col - indent) + "^" * (end - col))
    else:
        lines.append(what)
    for note in getattr(exc, "__notes__", ()) or ():
        lines.append(note)
    hint = getattr(exc, "hint", None)
    if hint and "hint:" not in str(exc):
        lines.append("  hint: %s" % hint)
    return "%s: error: %s" % (PROG, "\n".join(lines))


# ---------------------------------------------------------------------------------------
# the parser
# ---------------------------------------------------------------------------------------

_EXAMPLES = {
    "dump": """examples:
  autograd-st dump examples/mymodel.py:Net
  autograd-st dump mypackage.models:Net --args '16, hidden=32' --weights
  autograd-st dump model.py:f --grad-position 0,1 --example-inputs '(2,3),(3,)'
  autograd-st dump model.py:f --mode forward
  autograd-st dump model.py:Net --get-all --get-by-list --stage normalize
  autograd-st dump model.py:f --order 2
  autograd-st dump model.py:f --standalone > f_grad.py && python f_grad.py""",
    "check": """examples:
  autograd-st check model.py:f --example-inputs '(2,3),(3,)'
  autograd-st check model.py:Net --args 4 --example-inputs '(8,4)' --rtol 1e-6
  autograd-st check model.py:f --order 2 --mode both
  (with no --example-inputs the module's example_inputs() gives the inputs)
exit status: 0 when every gradient agrees, 1 when one does not, 2 for a wrong command""",
    "explain": """examples:
  autograd-st explain model.py:Net
  autograd-st explain model.py:f --grad-position 1""",
    "demo": """example:
  autograd-st demo""",
}

_MAIN_EXAMPLES = """examples:
  autograd-st dump model.py:Net --weights        the generated gradient code
  autograd-st check model.py:f --example-inputs '(3,)'
  autograd-st explain model.py:Net               which user line each adjoint line comes from
  autograd-st demo
  autograd-st COMMAND --help                     the options of a command

TARGET is path/to/file.py:Name or package.module:Name: a function, a Cell class (built with
--args), a Cell instance, or a factory returning one."""


def _target_options(p, inputs_help: str) -> None:
    p.add_argument("target", metavar="TARGET",
                   help="path/to/file.py:Name or package.module:Name (a function, a Cell "
                        "class, a Cell instance, or a factory)")
    p.add_argument("--args", metavar="ARGS", default=None,
                   help="arguments of the Cell class or factory, as Python literals: "
                        "'3, hidden=4'")
    p.add_argument("--example-inputs", metavar="SHAPES", default=None, help=inputs_help)
    p.add_argument("--seed", type=int, default=0, help="seed of the random inputs (default 0)")
    p.add_argument("--traceback", action="store_true",
                   help="on an error, also print Python's traceback")
    p.add_argument("--colour", "--color", choices=("auto", "always", "never"), default="auto",
                   help="highlight code (pygments) on a terminal; auto: not when piped or "
                        "under NO_COLOR")


def _api_options(p) -> None:
    g = p.add_argument_group("what to differentiate (ops.grad's options, or GradOperation's)")
    g.add_argument("--grad-position", metavar="P", default=None,
                   help="input positions, e.g. 0 or 0,1 or none (ops.grad's grad_position; "
                        "default 0)")
    g.add_argument("--weights", action="store_true",
                   help="also the Cell's trainable Parameters (ops.grad's weights)")
    g.add_argument("--has-aux", action="store_true",
                   help="the first output is differentiated, the others returned (has_aux)")
    g.add_argument("--get-all", action="store_true", help="GradOperation(get_all=True)")
    g.add_argument("--get-by-list", action="store_true",
                   help="GradOperation(get_by_list=True) over the trainable Parameters")
    g.add_argument("--sens-param", action="store_true",
                   help="GradOperation(sens_param=True): the output's gradient is passed "
                        "(ones of the output's shape)")
    g.add_argument("--mode", choices=("reverse", "forward"), default="reverse",
                   help="reverse: the gradient (default); forward: the jvp's tangent code")
    g.add_argument("--order", type=int, default=1, metavar="N",
                   help="differentiate N times (forward mode: 1 or 2)")


def build_parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    ap = argparse.ArgumentParser(
        prog=PROG, formatter_class=fmt, epilog=_MAIN_EXAMPLES,
        description="autograd_st %s: read, check and explain the gradient code that "
                    "autograd_st generates" % __version__)
    ap.add_argument("--version", action="version", version="autograd_st %s" % __version__)
    sub = ap.add_subparsers(dest="cmd", metavar="COMMAND")
    d = sub.add_parser("dump", formatter_class=fmt, epilog=_EXAMPLES["dump"],
                       help="print the generated gradient code",
                       description="Print the generated gradient (or tangent) code of TARGET.")
    _target_options(d, "input shapes, e.g. '(2,3),(3,)' (default: the module's "
                       "example_inputs(), else one (1,) float32 Tensor per parameter)")
    _api_options(d)
    d.add_argument("--stage", choices=STAGES, default=None,
                   help="the code after this pass instead of the final code")
    d.add_argument("--standalone", action="store_true",
                   help="a module that runs on its own: the imports of its helpers included")
    c = sub.add_parser("check", formatter_class=fmt, epilog=_EXAMPLES["check"],
                       help="compare the gradient with finite differences",
                       description="Compare the generated gradient of TARGET (every input, "
                                   "every trainable Parameter) with float64 central "
                                   "differences at random inputs, then run "
                                   "autograd_st.check_grads.")
    _target_options(c, "input shapes, e.g. '(2,3),(3,)' (random float64); default: the "
                       "module's example_inputs()")
    c.add_argument("--rtol", type=float, default=None,
                   help="relative tolerance (default by the lowest float precision among the "
                        "inputs and Parameters, as check_grads: float64 1e-5, float32 2e-3)")
    c.add_argument("--atol", type=float, default=None,
                   help="absolute tolerance (default as --rtol: float64 1e-5, float32 2e-3)")
    c.add_argument("--order", type=int, default=1, choices=(1, 2),
                   help="check_grads order (1 or 2)")
    c.add_argument("--mode", choices=("reverse", "forward", "both"), default="reverse",
                   help="check_grads modes: reverse (ops.vjp, default), forward (ops.jvp: "
                        "rules registered with register_vjp have none) or both")
    e = sub.add_parser("explain", formatter_class=fmt, epilog=_EXAMPLES["explain"],
                       help="primal, adjoint, source map, structurally zero gradients",
                       description="Show TARGET's source, its adjoint, the user line each "
                                   "adjoint line comes from, and the inputs and Parameters "
                                   "whose gradient is structurally zero (by default every "
                                   "input and Parameter is differentiated).")
    _target_options(e, "input shapes (default: the module's example_inputs(), else (1,) "
                       "float32 Tensors)")
    _api_options(e)
    sub.add_parser("demo", formatter_class=fmt, epilog=_EXAMPLES["demo"],
                   help="the tutorial's MatMul network: its gradients and their code",
                   description="Differentiate the MindSpore tutorial's MatMul network and "
                               "print its gradients and the code they came from.")
    return ap


_COMMANDS = {"dump": cmd_dump, "check": cmd_check, "explain": cmd_explain}


def main(argv=None) -> int:
    """The ``autograd-st`` command; returns the exit status."""
    ap = build_parser()
    opts = ap.parse_args(argv)
    stdout = sys.stdout
    out: list = []
    show_tb = getattr(opts, "traceback", False)
    try:
        # the target's own output (prints at import, in construct) goes to stderr
        with contextlib.redirect_stdout(sys.stderr):
            if opts.cmd is None or opts.cmd == "demo":
                status = _demo(out)
            else:
                status = _COMMANDS[opts.cmd](opts, out)
    except KeyboardInterrupt:
        return 130
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - one message, then exit 1
        if isinstance(exc, SystemExit):
            raise
        if show_tb:
            traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
        sys.stderr.write(format_error(exc) + "\n")
        if not show_tb and not isinstance(exc, UsageError):
            sys.stderr.write("(add --traceback to see Python's traceback)\n")
        return 2 if isinstance(exc, UsageError) else 1
    choice = getattr(opts, "colour", "auto")
    for kind, text in out:
        stdout.write(_highlight(text, stdout, choice) if kind == "code" else text)
    stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
