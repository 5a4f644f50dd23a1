"""The project's MindSpore cases (``tests/ms_cases``): each gives, with its imports pointed at
autograd_st, what real MindSpore 2.10 recorded (``tools/ms_cases.py`` records and compares)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tools"))
import ms_cases  # noqa: E402


@pytest.mark.parametrize("name", ms_cases.names())
def test_case_gives_mindspores_numbers(name):
    assert os.path.exists(os.path.join(ms_cases.REFERENCE, name + ".json")), \
        "record it: ../ms-venv/bin/python tools/ms_cases.py record %s" % name
    diff = ms_cases.differences(ms_cases.reference(name), ms_cases.run_case(name, "autograd_st"))
    assert not diff, "\n".join(diff)


def test_every_reference_has_its_case():
    recorded = {f[:-5] for f in os.listdir(ms_cases.REFERENCE) if f.endswith(".json")}
    assert recorded <= set(ms_cases.names()), sorted(recorded - set(ms_cases.names()))
