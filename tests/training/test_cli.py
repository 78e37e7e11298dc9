import shutil

from tests.conftest import FIXTURE_CONTENT
from training.cli import main


def test_validate_passes_on_good_content_and_prints_readability(capsys):
    assert main(["validate", "--root", str(FIXTURE_CONTENT)]) == 0
    assert "lesson grade level (mean):" in capsys.readouterr().out


def test_validate_exits_non_zero_listing_each_problem_with_file_and_line(tmp_path, capsys):
    root = tmp_path / "c"
    shutil.copytree(FIXTURE_CONTENT, root)
    (root / "question_bank" / "bad.yaml").write_text("questions:\n  - id: x\n    pool: yes\n", encoding="utf-8")
    assert main(["validate", "--root", str(root)]) == 1
    assert "question_bank/bad.yaml:3: 'yes' is ambiguous" in capsys.readouterr().err
