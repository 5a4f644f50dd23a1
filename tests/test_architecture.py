"""The package's layers, read from its source: arrows point one way, no import cycles.

Floors, from the bottom (a module may import from its own floor and the floors below it,
never from one above, not even inside a function):

0. ``errors``, ``dtype``, ``_printing``, ``tensor``, ``cell``, ``runtime``, ``kernels``,
   ``context``: the data model, the numpy helpers generated code calls, the run context;
1. ``rules``, ``rules_nn``, ``prims``, ``op_table``: primitives and their derivative rules;
2. ``compiler``: the passes and the modules that run them;
3. ``boundary``: Tensors <-> arrays, argument and result structure, gradient requests;
4. ``ops``: MindSpore's functional ops and differentiation API;
5. ``nn``: layers, losses, optimizers, training wrappers;
6. ``check``, ``train``, ``__main__`` and the package's ``__init__``: what users import.

Every module must be on a floor (a new module is placed here, on purpose).
"""
from __future__ import annotations

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "autograd_st"

FLOORS = {
    "autograd_st.errors": 0, "autograd_st.dtype": 0, "autograd_st._printing": 0,
    "autograd_st.tensor": 0, "autograd_st.cell": 0, "autograd_st.runtime": 0,
    "autograd_st.validate_inputs": 0,  # Cell.set_inputs' checks (GRAPH_MODE calls)
    "autograd_st._c_expression": 0,  # mindspore._c_expression's name: empty, as its import
    "autograd_st.promotion": 0,  # MindSpore's result dtype of a binary operator (one rule)
    "autograd_st.runtime_loops": 0,  # the helpers of batched loops (compiler/lower_loops.py)
    "autograd_st.compiler.lower_step": 2,  # a stacked forward loop's step into its tape rows
    "autograd_st.kernels": 0, "autograd_st.kernels_conv": 0, "autograd_st.kernels_rnn": 0,
    "autograd_st.kernels_special": 0,  # lgamma, digamma, zeta, erfinv ... in numpy
    "autograd_st.ms_random": 0,  # MindSpore's initializer draws (Philox from numpy.random's seeds)
    "autograd_st.context": 0,
    "autograd_st.generator": 0,  # mindspore.Generator: seeds and states of random draws
    "autograd_st.sparse": 0,  # CSRTensor / COOTensor over numpy (eager)
    "autograd_st.graph": 0,  # mindspore.mutable / jit_class / lazy_inline: markers
    "autograd_st.kernels_3d": 0,  # the 3-D layers' kernels (conv3d, max pooling indices)
    "autograd_st.kernels_detect": 0,  # IOU, NMS, box coding, ROIAlign as MindSpore's CPU
    "autograd_st.kernels_grid": 0,  # affine_grid, grid sampling and its adjoint
    "autograd_st.user_grads": 0,  # the one check of gradients a user's bprop or rule returns
    "autograd_st.mpi_backend": 0,  # the one module that touches MPI (mpi4py, optional)
    "autograd_st.jit_numba": 0,  # the one module that touches numba (optional, ms.jit)
    "autograd_st.parallel_context": 0,  # set_auto_parallel_context: run context, like context
    "autograd_st.parallel": 0,  # mindspore.parallel._utils: readers of parallel_context
    "autograd_st.mindrecord": 0,  # MindRecord files: FileWriter, FileReader (numpy, sqlite3)
    "autograd_st.log": 0,  # mindspore.log: logger functions over logging, GLOG_v's level
    "autograd_st.serialization": 1,
    "autograd_st.mindir": 1,  # ms.export / ms.load: a network in a file (reads Cells)  # checkpoints: reads Cells and Parameters only
    "autograd_st.dataset.config": 0,  # the dataset seed: a seed setter on any floor calls it
    "autograd_st.dataset": 1,  # data pipelines over numpy: Tensor and dtype only
    "autograd_st.dataset.sources2": 1,  # Cifar, ImageFolder, CSV, TextFile, ... sources
    "autograd_st.dataset.transforms2": 1,  # Duplicate, Fill, Mask, PadEnd, Slice, ...
    "autograd_st.dataset.vision2": 1,  # deterministic colour / geometry vision transforms
    "autograd_st.dataset.vision_random": 1,  # random and PIL-image vision transforms
    "autograd_st.dataset.op_draws": 1,  # MindSpore's draws: each random op's mt19937, seeded
    "autograd_st.dataset.text": 1,  # mindspore.dataset.text: Vocab, Lookup, tokenizers
    "autograd_st.dataset.audio": 1,  # mindspore.dataset.audio: LFilter, Biquad, BassBiquad
    "autograd_st.rules": 1, "autograd_st.rules_nn": 1, "autograd_st.prims": 1,
    "autograd_st.op_table": 1, "autograd_st.op_row": 1,
    "autograd_st.rules_array": 1, "autograd_st.rules_math": 1,
    "autograd_st.rules_index": 1, "autograd_st.table_index": 1,  # indexing, scatter, random
    "autograd_st.rules_vmap": 1,  # ops.vmap's batch-size check in compiled code
    "autograd_st.rules_lists": 1,
    "autograd_st.rules_comm": 1, "autograd_st.table_comm": 1,  # the collectives' rules
    "autograd_st.communication": 1,  # mindspore.communication: groups over mpi_backend
    "autograd_st.launch": 6,  # python -m autograd_st.launch: runs mpiexec
    "autograd_st.table_array": 1, "autograd_st.table_math": 1,
    "autograd_st.table_more": 1, "autograd_st.table_nn": 1,
    "autograd_st.rules_nn3d": 1, "autograd_st.table_nn3d": 1,  # the 3-D and structural layers
    "autograd_st.rules_detect": 1, "autograd_st.table_detect": 1,  # detection ops, ROIAlign
    "autograd_st.rules_grid": 1, "autograd_st.table_grid": 1,  # affine_grid, grid_sample
    "autograd_st.table_gaps": 1,  # aminmax, cartesian_prod, renorm, intopk
    "autograd_st.rules_linalg": 1, "autograd_st.table_linalg": 1,
    "autograd_st.rules_numpy": 1, "autograd_st.table_numpy": 1,  # numpy's own functions
    "autograd_st.kernels_loss": 0,  # the CTC forward-backward, RReLU's noise
    "autograd_st.rules_loss": 1, "autograd_st.table_loss": 1,  # nn losses/activations
    "autograd_st.compiler": 2,
    "autograd_st.compiler.lower_facts": 2,
    "autograd_st.compiler.loads": 2,  # reads of an assigned variable made snapshots (load)  # what the lowering reads of each statement
    "autograd_st.compiler.hooks": 2,  # y.register_hook(fn) placed at y's definition
    "autograd_st.compiler.checkpoint": 2,  # Cell.recompute(): recompute pairs, checkpointed loops
    "autograd_st.compiler.lower_fwdacc": 2,  # an elementwise chain's gradient carried forward
    "autograd_st.compiler.lower_fwdacc_emit": 2,  # its operations written in place
    "autograd_st.boundary": 3,
    "autograd_st.ops": 4, "autograd_st.numpy": 4,
    "autograd_st.ops.vmap": 4,  # ops.vmap: the reference loop, and its binding in compiled code
    "autograd_st.nn": 5,
    "autograd_st.parallel.auto_parallel": 5,  # AutoParallel: a Cell over communication
    "autograd_st.common": 5,  # mindspore.common: initializers draw from nn.layers' generator
    "autograd_st.check": 6, "autograd_st.train": 6,
    "autograd_st.__main__": 6, "autograd_st": 6,
    "autograd_st._aliases": 6,  # MindSpore's deeper module paths (stand-ins, read lazily)
    "autograd_st.amp": 6,  # mindspore.amp: loss scalers over nn and train's managers
    "autograd_st.mint": 6,  # mindspore.mint: PyTorch-style names over ops and nn
}

MAX_LOCAL_IMPORTS = 15  # function-local imports in the whole package, each with a reason
MAX_LINES = 700  # a module under compiler/ or ops/ (normalize.py excepted)


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


MODULES = _modules()


def _floor(module: str) -> int:
    name = module
    while name:
        if name in FLOORS:
            return FLOORS[name]
        name = name.rpartition(".")[0]
    raise KeyError(module)


def _imports(module: str, path: pathlib.Path):
    """``(imported module, line, inside a function)`` for each import of the package."""
    tree = ast.parse(path.read_text(), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    local = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            local.update(id(n) for n in ast.walk(node) if isinstance(n, (ast.Import,
                                                                        ast.ImportFrom)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(base + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            # ``from pkg import sub`` imports the submodule when there is one
            targets = [base + "." + a.name if base + "." + a.name in MODULES else base
                       for a in node.names]
        else:
            continue
        for target in targets:
            yield target, node.lineno, id(node) in local


def _graph() -> dict:
    graph = {}
    for module, path in MODULES.items():
        graph[module] = sorted({t for t, _, _ in _imports(module, path)
                                if t.split(".")[0] == "autograd_st" and t != module})
    return graph


def test_every_module_is_on_a_floor():
    missing = []
    for module in MODULES:
        try:
            _floor(module)
        except KeyError:
            missing.append(module)
    assert not missing, "place these modules on a floor in FLOORS: %s" % missing


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_runs_up_the_layers(module):
    here = _floor(module)
    upward = ["%s (floor %d) at line %d" % (t, _floor(t), line)
              for t, line, _ in _imports(module, MODULES[module])
              if t.split(".")[0] == "autograd_st" and t in MODULES and _floor(t) > here]
    assert not upward, "%s (floor %d) imports from above: %s" % (module, here, upward)


def test_no_import_cycles():
    graph = _graph()
    state: dict = {}
    cycles = []

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in graph:
                continue
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = "done"
    for node in graph:
        if node not in state:
            visit(node, [])
    # a package's __init__ importing its own submodules, which import the package for a
    # name it re-exports, is how Python packages work: only cycles between modules count
    cycles = [c for c in cycles
              if not any(c[i + 1].startswith(c[i] + ".") for i in range(len(c) - 1))]
    assert not cycles, "import cycles: %s" % [" -> ".join(c) for c in cycles]


def test_function_local_imports_are_few_and_explained():
    local = []
    for module, path in MODULES.items():
        lines = path.read_text().splitlines()
        for _, line, inside in _imports(module, path):
            if inside:
                text = lines[line - 1] + (lines[line - 2] if line >= 2 else "")
                local.append((module, line, "#" in text))
    unique = sorted({(m, n) for m, n, _ in local})
    assert len(unique) <= MAX_LOCAL_IMPORTS, unique
    unexplained = sorted({(m, n) for m, n, why in local if not why})
    assert not unexplained, "say why each of these imports is inside a function: %s" \
        % unexplained


def test_compiler_and_ops_modules_stay_small():
    big = []
    for module, path in MODULES.items():
        if module.startswith(("autograd_st.compiler.", "autograd_st.ops.")) \
                and module != "autograd_st.compiler.normalize":
            n = len(path.read_text().splitlines())
            if n > MAX_LINES:
                big.append((module, n))
    assert not big, "split these modules by job: %s" % big


def test_the_checker_sees_an_upward_import(tmp_path):
    """The test above can fail: an import from the compiler into ops is seen."""
    src = "from ..ops import grad\n\ndef f():\n    from ..nn import Cell\n"
    path = PACKAGE / "compiler" / "_probe_not_a_module.py"
    found = list(_imports("autograd_st.compiler._probe_not_a_module", _Fake(path, src)))
    assert ("autograd_st.ops", 1, False) in found
    assert ("autograd_st.nn", 4, True) in found
    assert _floor("autograd_st.ops") > _floor("autograd_st.compiler.frontend")


class _Fake:
    """A path whose text is given (the probe above writes nothing into the package)."""

    def __init__(self, path, text) -> None:
        self.path, self.text = path, text
        self.name = path.name

    def read_text(self) -> str:
        return self.text

    def __str__(self) -> str:
        return str(self.path)
