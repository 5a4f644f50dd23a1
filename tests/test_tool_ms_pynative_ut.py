"""tools/ms_pynative_ut.py: the import rewriting, the JUnit parsing and the comparison (no
MindSpore needed, no pytest run)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tools"))
import ms_pynative_ut as ut  # noqa: E402


@pytest.mark.parametrize("line, expected", [
    ("import mindspore", "import autograd_st as mindspore"),
    ("import mindspore as ms", "import autograd_st as ms"),
    ("import mindspore.nn as nn", "import autograd_st.nn as nn"),
    ("import mindspore.common.dtype as mstype", "import autograd_st.common.dtype as mstype"),
    ("import mindspore.ops.composite as C", "import autograd_st.ops.composite as C"),
    ("import mindspore.context as context", "import autograd_st.context as context"),
    ("import mindspore.nn", "import autograd_st as mindspore, autograd_st.nn"),
    ("import numpy as np, mindspore.nn as nn", "import numpy as np, autograd_st.nn as nn"),
    ("from mindspore import Tensor", "from autograd_st import Tensor"),
    ("from mindspore import Parameter, ParameterTuple",
     "from autograd_st import Parameter, ParameterTuple"),
    ("from mindspore.ops import composite as C", "from autograd_st.ops import composite as C"),
    ("from mindspore.common.api import jit", "from autograd_st.common.api import jit"),
    ("    from mindspore.ops import functional as F",
     "    from autograd_st.ops import functional as F"),
    ("import mindspore.nn as nn  # comment", "import autograd_st.nn as nn  # comment"),
    ("from mindspore.ops.composite import (GradOperation,",
     "from autograd_st.ops.composite import (GradOperation,"),
    ("import mindspore as ms; ms.set_seed(0)  # seed",
     "import autograd_st as ms; ms.set_seed(0)  # seed"),
    ("import mindspore;import mindspore.dataset as ds; ds.config.set_seed(1)",
     "import autograd_st as mindspore;import autograd_st.dataset as ds; ds.config.set_seed(1)"),
])
def test_import_lines_point_at_autograd_st(line, expected):
    assert ut.rewrite_line(line) == expected


@pytest.mark.parametrize("line", [
    "from ....mindspore_test_framework.utils.bprop_util import bprop",
    "from ..ut_filter import non_graph_engine",
    "import numpy as np",
    "import mindspore_test_framework",
    "x = mindspore.float32",
    "    self.matrix_w = mindspore.Parameter(Tensor(np.ones([2, 2])), name='w')",
    "# import mindspore",
    "s = 'from mindspore import Tensor'",
])
def test_other_lines_are_unchanged(line):
    assert ut.rewrite_line(line) == line


def test_rewrite_source_keeps_lines_and_endings():
    src = ("import numpy as np\nimport mindspore\r\nfrom mindspore import nn\n"
           "x = mindspore.float32\nimport mindspore.nn as nn")
    out = ut.rewrite_source(src)
    assert out == ("import numpy as np\nimport autograd_st as mindspore\r\n"
                   "from autograd_st import nn\nx = mindspore.float32\n"
                   "import autograd_st.nn as nn")
    assert out.count("\n") == src.count("\n")


def test_prepare_tree_rewrites_copies_and_stubs(tmp_path):
    src = tmp_path / "src"
    (src / "tests" / "vm_impl").mkdir(parents=True)
    (src / "tests" / "vm_impl" / "__init__.py").write_text("from mindspore.ops import x\n")
    (src / "tests" / "security_utils.py").write_text("from mindspore._c_expression import s\n")
    mode = src / ut.UT_DIR
    mode.mkdir(parents=True)
    (mode / "test_a.py").write_text("import mindspore.nn as nn\nfrom mindspore import Tensor\n")
    dest = tmp_path / "dest"
    ut.prepare_tree(str(src), str(dest))
    assert (dest / ut.UT_DIR / "test_a.py").read_text() == \
        "import autograd_st.nn as nn\nfrom autograd_st import Tensor\n"
    assert (dest / "tests" / "vm_impl" / "__init__.py").read_text() == \
        ut.STUBS["tests/vm_impl/__init__.py"]
    namespace = {}
    exec((dest / "tests" / "security_utils.py").read_text(), namespace)
    assert namespace["security_off_wrap"](len) is len
    assert (src / ut.UT_DIR / "test_a.py").read_text().startswith("import mindspore.nn")
    ut.prepare_tree(str(src), str(tmp_path / "kept"), stubs=False)
    assert (tmp_path / "kept" / "tests" / "vm_impl" / "__init__.py").read_text() == \
        "from autograd_st.ops import x\n"


JUNIT_MS = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite>
<testcase classname="tests.ut.python.pynative_mode.test_partial" name="test_a"/>
<testcase classname="tests.ut.python.pynative_mode.test_partial" name="test_b"/>
<testcase classname="tests.ut.python.pynative_mode.test_partial" name="test_c">
 <failure message="assert 1 == 2">E   assert 1 == 2</failure></testcase>
<testcase classname="tests.ut.python.pynative_mode.nn.test_container.TestCellList" name="test_d"/>
</testsuite></testsuites>"""

JUNIT_OURS = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite>
<testcase classname="tests.ut.python.pynative_mode.test_partial" name="test_a"/>
<testcase classname="tests.ut.python.pynative_mode.test_partial" name="test_b">
 <failure message="AttributeError: no">x = f()
E   AttributeError: module 'autograd_st' has no attribute 'q'

tests/x.py:3: AttributeError</failure></testcase>
<testcase classname="tests.ut.python.pynative_mode.test_partial" name="test_c"/>
<testcase classname="" name="tests.ut.python.pynative_mode.nn.test_container">
 <error message="collection failure">E   ModuleNotFoundError: No module named 'autograd_st.z'</error>
</testcase>
</testsuite></testsuites>"""


def test_parse_and_compare(tmp_path):
    (tmp_path / "ms.xml").write_text(JUNIT_MS)
    (tmp_path / "ours.xml").write_text(JUNIT_OURS)
    ms = ut.parse_junit(str(tmp_path / "ms.xml"))
    ours = ut.parse_junit(str(tmp_path / "ours.xml"))
    assert ms["tests"]["test_partial.py::test_c"] == ("failed", "assert 1 == 2")
    assert "nn/test_container.py::TestCellList::test_d" in ms["tests"]
    assert ours["collection"] == {
        "nn/test_container.py": "ModuleNotFoundError: No module named 'autograd_st.z'"}
    result = ut.compare(ms, ours, ["test_partial.py", "nn/test_container.py"])
    partial = result["files"]["test_partial.py"]
    assert (partial["ms_passed"], partial["ours_passed"], partial["both_passed"]) == (2, 2, 1)
    assert partial["failing"] == {"test_partial.py::test_b": {
        "status": "failed", "error": "AttributeError: module 'autograd_st' has no attribute 'q'"}}
    container = result["files"]["nn/test_container.py"]
    assert container["failing"]["nn/test_container.py::TestCellList::test_d"]["status"] == "not run"
    assert result["total"] == {"ms_passed": 3, "ours_passed": 2, "both_passed": 1}
    text = ut.report(result, True)
    assert "No module named 'autograd_st.z'" in text and "TOTAL" in text
    page = ut.markdown(result)
    assert page.startswith("Of the 3 tests that pass on MindSpore, 1 pass")
    assert "| `test_partial.py` | 2 | 1 |" in page
    assert "- `test_a`: passes" in page
    assert "- `test_b`: fails (failed): AttributeError: module 'autograd_st'" in page
    assert "- `TestCellList::test_d`: fails (not run): ModuleNotFoundError" in page


def test_merge_junit_and_parse_several(tmp_path):
    (tmp_path / "ms.xml").write_text(JUNIT_MS)
    (tmp_path / "ours.xml").write_text(JUNIT_OURS)
    paths = [str(tmp_path / "ms.xml"), str(tmp_path / "ours.xml"), str(tmp_path / "absent.xml")]
    ut.merge_junit(paths, str(tmp_path / "merged.xml"))
    merged = ut.parse_junit(str(tmp_path / "merged.xml"))
    both = ut.parse_junit(paths[:2])
    assert merged == both
    # the later file wins for a test in both: test_partial.py::test_c failed, then passed
    assert merged["tests"]["test_partial.py::test_c"] == ("passed", "")
    assert len(merged["tests"]) == 4 and list(merged["collection"]) == ["nn/test_container.py"]
