"""An error on its way out of a gradient function names the user's line (issue 14):
raised inside generated code, the traceback text carries the user's file:line and source
line; refused by the compiler, the traceback ends at the user's call."""
import os
import subprocess
import sys
import textwrap
import traceback

import numpy as np
import pytest

from autograd_st import Tensor, ops
from autograd_st.boundary.tracebacks import user_location
from autograd_st.errors import UnsupportedSyntaxError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.abspath(__file__)


def _shape_bug(x, y):
    z = x * 2.0
    w = z @ y  # the line the note must name
    return w.sum()


_BUG_LINE = _shape_bug.__code__.co_firstlineno + 2


def test_a_runtime_error_in_generated_code_names_the_users_line():
    g = ops.grad(_shape_bug)
    with pytest.raises(ValueError) as info:
        g(Tensor(np.ones((2, 3))), Tensor(np.ones((4, 2))))
    text = "".join(traceback.format_exception(info.type, info.value, info.tb))
    assert "%s:%d" % (HERE, _BUG_LINE) in text
    assert "w = z @ y" in text
    assert "matmul" in text  # numpy's own message is kept
    # the same function still works on good shapes, and its error is the same type
    assert np.allclose(g(Tensor(np.ones((2, 3))), Tensor(np.ones((3, 2)))).asnumpy(), 4.0)


def test_a_runtime_error_in_forward_mode_names_the_users_line():
    with pytest.raises(ValueError) as info:
        ops.jvp(lambda x: _shape_bug(x, Tensor(np.ones((4, 2)))), (Tensor(np.ones((2, 3))),),
                (Tensor(np.ones((2, 3))),))
    text = "".join(traceback.format_exception(info.type, info.value, info.tb))
    assert "%s:%d" % (HERE, _BUG_LINE) in text


def test_user_location_reads_the_comment_above_a_generated_line():
    g = ops.grad(_shape_bug)
    x, y = Tensor(np.ones((2, 3))), Tensor(np.ones((3, 2)))
    g(x, y)
    src = g.source(x, y)
    lines = src.splitlines()
    row = next(i for i, line in enumerate(lines) if "np.matmul(z, y)" in line) + 1
    filename = next(f for f in __import__("linecache").cache
                    if f.startswith("<autograd_st _shape_bug grad"))
    where = user_location(filename, row)
    assert where == (HERE, _BUG_LINE, "w = z @ y  # the line the note must name")


def _refused(x):
    s = {v for v in (1, 2)}
    return x.sum() * len(s)


def test_a_compile_error_ends_at_the_users_call():
    with pytest.raises(UnsupportedSyntaxError) as info:
        ops.grad(_refused)(Tensor(np.ones(2)))
    frames = traceback.extract_tb(info.tb)
    assert not [f for f in frames if os.sep + "compiler" + os.sep in f.filename]
    assert info.value.filename == HERE
    assert info.value.lineno == _refused.__code__.co_firstlineno + 1


def test_filtering_can_be_turned_off(tmp_path):
    script = tmp_path / "refused.py"
    script.write_text(textwrap.dedent("""
        import sys, traceback
        import numpy as np
        from autograd_st import ops, Tensor
        def f(x):
            s = {v for v in (1, 2)}
            return x.sum()
        try:
            ops.grad(f)(Tensor(np.ones(2)))
        except SyntaxError:
            print(len(traceback.extract_tb(sys.exc_info()[2])))
    """))
    counts = {}
    for value in ("on", "off"):
        env = dict(os.environ, AUTOGRAD_ST_TRACEBACK_FILTERING=value,
                   PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
        out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                             env=env, cwd=str(tmp_path), timeout=120)
        assert out.returncode == 0, out.stderr
        counts[value] = int(out.stdout.split()[-1])
    assert counts["on"] <= 2  # the user's call and the API's entry
    assert counts["off"] > counts["on"] + 3  # every compiler frame
