"""The documentation: every relative link in docs/*.md and README.md resolves (a file, and
a heading when it names one), and every ```python block runs.

Blocks of one page run in order in one fresh Python process, sharing one namespace (a page
reads like a notebook: a later block may use an earlier one's imports); each block is saved
as a file first, so the compiler can read the functions it defines.  Conventions, visible in
the page:

- a block whose first line is ``# raises: Name`` must raise that error (``Name`` or a
  subclass): the failing examples of the error catalogue;
- a block whose first line is ``# not run: reason`` is not run (kept few: see
  ``MAX_NOT_RUN``).

The error catalogue, docs/errors.md, is generated: ``tests/test_errors_doc.py`` checks it is
up to date.
"""
import json
import os
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
MAX_NOT_RUN = 3

_FENCE = re.compile(r"^```python[^\n]*\n(.*?)^```", re.S | re.M)
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def blocks(page: pathlib.Path) -> list:
    return _FENCE.findall(page.read_text())


def _slug(heading: str) -> str:
    """The anchor mkdocs (and GitHub) give a heading."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(page: pathlib.Path) -> set:
    text = re.sub(r"^```.*?^```", "", page.read_text(), flags=re.S | re.M)
    return {_slug(m.group(1)) for m in re.finditer(r"^#+\s+(.*)$", text, re.M)}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_relative_links_resolve(page):
    text = re.sub(r"^```.*?^```", "", page.read_text(), flags=re.S | re.M)
    bad = []
    for target in _LINK.findall(text):
        if re.match(r"^[a-z]+:", target):  # http:, https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            bad.append("%s: no such file" % target)
        elif page.parent.name == "docs" and (ROOT / "docs") not in dest.parents:
            # mkdocs renders docs/ only: a link out of it is broken on the site
            bad.append("%s: outside docs/ (mkdocs build --strict refuses it)" % target)
        elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest):
            bad.append("%s: no heading #%s in %s" % (target, anchor, dest.name))
    assert not bad, "%s: %s" % (page.name, bad)


def test_the_docs_pages_exist_and_the_readme_links_them():
    names = {p.name for p in (ROOT / "docs").glob("*.md")}
    for name in ("index.md", "quickstart.md", "tour.md", "api.md", "cli.md", "compiler.md",
                 "errors.md", "python_support.md", "architecture.md"):
        assert name in names, name
    readme = (ROOT / "README.md").read_text()
    for name in ("quickstart.md", "tour.md", "api.md", "cli.md", "compiler.md", "errors.md"):
        assert "docs/%s" % name in readme, name
    nav = (ROOT / "mkdocs.yml").read_text()
    for name in names:
        assert name in nav, "mkdocs.yml's nav misses %s" % name


def test_few_blocks_are_marked_not_run():
    marked = [(p.name, b.splitlines()[0]) for p in PAGES for b in blocks(p)
              if b.startswith("# not run:")]
    assert len(marked) <= MAX_NOT_RUN, marked


_DRIVER = r"""
import json, sys, traceback, types
main = types.ModuleType("__main__")  # the page's namespace is __main__, as in a script
sys.modules["__main__"] = main
ns = main.__dict__
results = []
for path in sys.argv[1:]:
    text = open(path).read()
    first = text.splitlines()[0] if text else ""
    want = first[len("# raises:"):].strip() if first.startswith("# raises:") else None
    if first.startswith("# not run:"):
        results.append({"path": path, "ok": True, "skipped": True})
        continue
    try:
        exec(compile(text, path, "exec"), ns)
    except BaseException as exc:
        names = [c.__name__ for c in type(exc).__mro__]
        ok = want is not None and want in names
        results.append({"path": path, "ok": ok, "error": "%s: %s" % (type(exc).__name__, exc),
                        "trace": "" if ok else traceback.format_exc()[-3000:]})
        continue
    results.append({"path": path, "ok": want is None,
                    "error": None if want is None else "did not raise " + want})
print("RESULTS " + json.dumps(results))
"""


@pytest.mark.parametrize("page", [p for p in PAGES if blocks(p)], ids=lambda p: p.name)
def test_python_blocks_run(page, tmp_path):
    paths = []
    for k, code in enumerate(blocks(page), 1):
        path = tmp_path / ("%s_block%02d.py" % (page.stem, k))
        path.write_text(code)
        paths.append(str(path))
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["MPLBACKEND"] = "Agg"
    r = subprocess.run([sys.executable, "-c", _DRIVER, *paths], capture_output=True,
                       text=True, cwd=str(ROOT), env=env, timeout=600)
    line = [ln for ln in r.stdout.splitlines() if ln.startswith("RESULTS ")]
    assert line, r.stdout[-2000:] + r.stderr[-3000:]
    results = json.loads(line[-1][len("RESULTS "):])
    assert len(results) == len(paths)
    bad = ["%s: %s\n%s" % (os.path.basename(x["path"]), x.get("error"), x.get("trace", ""))
           for x in results if not x["ok"]]
    assert not bad, "%s: blocks that failed:\n%s" % (page.name, "\n".join(bad))
