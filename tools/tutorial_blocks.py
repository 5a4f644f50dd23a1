"""Run a MindSpore tutorial's code blocks under MindSpore and under autograd_st, block by block.

Used for docs/tutorials_static_graph.md.  Each ```python block of a tutorial page (indented
ones too, as in lists) becomes its own file, run in one process, each in a fresh namespace,
``numpy.random`` seeded with 0 before it; an exception prints one line (``EXC type: message``)
and the next block runs.  The docs repository is read from its bare mirror.

    python tools/tutorial_blocks.py extract compile/static_graph.md DIR   # DIR/b00.py ...
    python tools/tutorial_blocks.py pynative DIR      # DIR_pn/: @jit lines dropped, PYNATIVE_MODE
    python tools/tutorial_blocks.py rewrite DIR       # DIR/bNN_st.py: imports -> autograd_st
    ../ms-venv/bin/python tools/tutorial_blocks.py run DIR > DIR.ms.out
    python tools/tutorial_blocks.py run DIR _st > DIR.st.out
"""
from __future__ import annotations

import glob
import os
import re
import runpy
import subprocess
import sys

DOCS = os.environ.get("MS_DOCS_MIRROR", "/work/.mirror/mindspore-ai+docs/repo")


def blocks(path: str) -> list:
    """(line, source) of each python block of ``tutorials/source_en/<path>``, dedented."""
    text = subprocess.run(["git", "-C", DOCS, "show", "HEAD:tutorials/source_en/" + path],
                          capture_output=True, text=True, check=True).stdout
    lines, out, i = text.splitlines(), [], 0
    while i < len(lines):
        m = re.match(r"^(\s*)```\s*python\s*$", lines[i])
        if m:
            ind, j, body = len(m.group(1)), i + 1, []
            while j < len(lines) and not re.match(r"^\s*```\s*$", lines[j]):
                body.append(lines[j][ind:] if not lines[j][:ind].strip() else lines[j])
                j += 1
            body = [b for b in body if not b.lstrip().startswith(("!", "%"))]
            out.append((i + 1, "\n".join(body) + "\n"))
            i = j
        i += 1
    return out


def main(argv: list) -> None:
    cmd, args = argv[0], argv[1:]
    if cmd == "extract":
        path, d = args
        os.makedirs(d, exist_ok=True)
        for k, (line, src) in enumerate(blocks(path)):
            with open("%s/b%02d.py" % (d, k), "w") as fh:
                fh.write("# %s line %d\n%s" % (path, line, src))
    elif cmd == "pynative":
        d = args[0].rstrip("/")
        os.makedirs(d + "_pn", exist_ok=True)
        for f in sorted(glob.glob(d + "/b[0-9][0-9].py")):
            with open(f) as fh:
                src = fh.read()
            src = re.sub(r"(?m)^(\s*)@(mindspore|ms)\.jit(\(.*\))?\s*$", r"\1# (jit removed)", src)
            with open(d + "_pn/" + os.path.basename(f), "w") as fh:
                fh.write(src.replace("GRAPH_MODE", "PYNATIVE_MODE"))
    elif cmd == "rewrite":
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from ms_pynative_ut import rewrite_source
        for f in sorted(glob.glob(args[0].rstrip("/") + "/b[0-9][0-9].py")):
            with open(f) as fh, open(f[:-3] + "_st.py", "w") as out:
                out.write(rewrite_source(fh.read()))
    elif cmd == "run":
        import numpy as np
        d, suffix = args[0].rstrip("/"), (args[1] if len(args) > 1 else "")
        for f in sorted(glob.glob(d + "/b[0-9][0-9]%s.py" % suffix)):
            print("==== " + os.path.basename(f).replace("_st", ""), flush=True)
            np.random.seed(0)
            try:
                runpy.run_path(f, run_name="__main__")
            except BaseException as e:  # noqa: BLE001 (a block's failure is its output)
                msg = str(e).strip().splitlines()
                print("EXC %s: %s" % (type(e).__name__, msg[0][:200] if msg else ""))
            sys.stdout.flush()
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
