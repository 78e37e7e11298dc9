import shutil
import sys

from tests.conftest import FIXTURE_CONTENT
from training.cli import main


def test_validate_passes_on_the_real_content_and_prints_the_guesser_table(capsys, monkeypatch):
    monkeypatch.setattr("training.content.readability.grade_report", lambda catalog: {})  # slow; tested in content/
    monkeypatch.setattr("training.commands.validate.VALIDATE_DRAWS", 5)  # tests/content/test_guessers.py draws more
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "quiz as drawn (5 draws)" in out and "(bank)" in out


def test_validate_prints_readability(capsys):
    main(["validate", "--root", str(FIXTURE_CONTENT)])
    assert "lesson grade level (mean):" in capsys.readouterr().out


def test_validate_fails_on_an_item_writing_rule(capsys):
    # The fixture bank is well formed but its quiz draws all 4 questions of its pool.
    assert main(["validate", "--root", str(FIXTURE_CONTENT)]) == 1
    assert "question_bank/sample.yaml:2: quiz 'sample-quiz' draws 4 from pool 'sample', which holds 4" in \
        capsys.readouterr().err


def test_validate_exits_non_zero_listing_each_problem_with_file_and_line(tmp_path, capsys):
    root = tmp_path / "c"
    shutil.copytree(FIXTURE_CONTENT, root)
    (root / "question_bank" / "bad.yaml").write_text("questions:\n  - id: x\n    pool: yes\n", encoding="utf-8")
    assert main(["validate", "--root", str(root)]) == 1
    assert "question_bank/bad.yaml:3: 'yes' is ambiguous" in capsys.readouterr().err


def test_validate_without_the_content_extra_says_in_one_line_what_to_install(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "textstat", None)  # as if not installed: importing it raises ImportError
    assert main(["validate", "--root", str(FIXTURE_CONTENT)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "textstat is not installed" in err and "pip install -e '.[content]'" in err
