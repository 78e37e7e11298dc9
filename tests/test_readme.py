"""The README stays true: its commands exist and CI runs the same test command."""

import re

from tests.conftest import ROOT
from training.cli import build_parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command():
    assert "bash scripts/test" in README
    assert "bash scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_run_command_names_files_that_exist():
    assert "streamlit run streamlit_app.py" in README and "pip install -r requirements.txt" in README
    assert (ROOT / "streamlit_app.py").exists() and (ROOT / "requirements.txt").exists()


def test_every_python_m_training_command_in_the_readme_exists():
    commands = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    named = set(re.findall(r"python -m training ([a-z-]+)", README))
    assert named and named <= commands


def test_every_fipp_setting_in_the_readme_is_read_by_the_code():
    code = "".join(p.read_text(encoding="utf-8") for p in [*ROOT.glob("training/**/*.py"), *ROOT.glob("app_pages/**/*.py")])
    for name in set(re.findall(r"`(FIPP_[A-Z_]+)`", README)):
        assert name in code, name
