"""Golden files of generated gradient code: read them, they are what users see.

Run with AUTOGRAD_ST_UPDATE_GOLDEN=1 to rewrite them after an intended change (then read
the diff)."""
import os
import pathlib

import models
import numpy as np
import pytest

import autograd_st
from autograd_st import ParameterTuple, Tensor, ops

GOLDEN = pathlib.Path(__file__).parent / "golden"
UPDATE = os.environ.get("AUTOGRAD_ST_UPDATE_GOLDEN") == "1"


def check(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.write_text(text)
    assert text == path.read_text(), "generated code changed: %s (diff it, then update)" % name


def test_matmul_net_get_all_get_by_list():
    check("matmul_net_get_all_get_by_list.py.txt",
          autograd_st.dump(models.MatMulNet(), get_all=True, get_by_list=True))


def test_loop_net_weights():
    net = models.LoopNet()
    check("loop_net_grad.py.txt",
          autograd_st.dump(net, grad_position=0, weights=net.trainable_params()))


def test_classifier_with_sub_cells_and_a_fused_loss():
    net = models.Classifier()
    x = Tensor(np.ones((2, 4), np.float32))
    labels = Tensor(np.array([0, 1], np.int32))
    text = ops.value_and_grad(net, None, net.trainable_params()).source(x, labels)
    check("classifier_value_and_grad.py.txt", text)
    # every function the dump calls is defined in it, under the name it is called by
    import ast
    tree = ast.parse(text)
    defined = {f.name for f in tree.body if isinstance(f, ast.FunctionDef)}
    called = {n.func.id for n in ast.walk(tree)
              if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
              and n.func.id.endswith(("_fwd", "_bwd") + tuple("_fwd_%d" % i for i in range(4))
                                     + tuple("_bwd_%d" % i for i in range(4)))}
    called -= {"sparse_softmax_xent_fwd", "sparse_softmax_xent_bwd"}  # kernels
    assert called and called <= defined, sorted(called - defined)
    assert {"Dense_construct_fwd_1", "Dense_construct_bwd_1"} <= defined


def test_golden_code_runs_and_matches_the_tutorial():
    net = models.MatMulNet()
    x = Tensor([[0.8, 0.6, 0.2], [1.8, 1.3, 1.1]], dtype=autograd_st.float32)
    y = Tensor([[0.11, 3.3, 1.1], [1.1, 0.2, 1.4], [1.1, 2.2, 0.3]], dtype=autograd_st.float32)
    (dx, dy), (dz,) = ops.GradOperation(get_all=True, get_by_list=True)(
        net, ParameterTuple(net.trainable_params()))(x, y)
    # hand-derived: d/dx sum(x z y) = ones @ y.T * z ; d/dz = sum(x * (ones @ y.T))
    ones = np.ones((2, 3), np.float64)
    xf, yf = x.asnumpy().astype(np.float64), y.asnumpy().astype(np.float64)
    np.testing.assert_allclose(dx.asnumpy(), ones @ yf.T, rtol=1e-6)
    np.testing.assert_allclose(dy.asnumpy(), xf.T @ ones, rtol=1e-6)
    np.testing.assert_allclose(dz.asnumpy(), [np.sum(xf * (ones @ yf.T))], rtol=1e-6)
    assert dz.asnumpy()[0] == pytest.approx(21.536, rel=1e-5)


def test_second_derivative_dump():
    x = Tensor(np.array([0.5, -1.0]))
    d2 = ops.grad(ops.grad(models.cube_sin))
    check("cube_sin_second_derivative.py.txt", d2.source(x))
    # 6x + 2 cos x - x sin x
    xs = x.asnumpy()
    np.testing.assert_allclose(d2(x).asnumpy(), 6 * xs + 2 * np.cos(xs) - xs * np.sin(xs))


def test_jvp_dump():
    from autograd_st.boundary import compile_jvp as _compiled_jvp
    x = Tensor(np.array([0.5, -1.0]))
    _, compiled, _ = _compiled_jvp(models.cube_sin, (x,))
    check("cube_sin_jvp.py.txt", compiled.source)


def _sum_of_square_of_tanh(x, w):
    h = np.tanh(x @ w)
    return np.sum(h * h)


def test_each_source_line_is_named_once_per_adjoint_block():
    """The full sum's gradient (expanded from the seed) and the product under it come from
    one source line: one "grad of" comment names it (it was said twice in a row)."""
    x, w = np.ones((2, 3)), np.full((3, 2), 0.1)
    text = ops.grad(_sum_of_square_of_tanh, grad_position=(0, 1)).source(x, w)
    assert text.count("# grad of: return np.sum(h * h)") == 1
    lines = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("# grad of")]
    assert all(a != b for a, b in zip(lines, lines[1:]))
