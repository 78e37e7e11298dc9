"""The bad-input corpus (tests/fixtures/bad_inputs/yaml): each hostile or malformed content
file gets a clear problem naming the file and line, and no quiz it could feed is half-loaded.

Each file is dropped beside the valid fixture content; the sample quiz draws from pool
'sample', which the bad file also touches (or, unreadable, might touch), so it must close.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_CONTENT, ROOT
from training.content import load_catalog

CORPUS = ROOT / "tests" / "fixtures" / "bad_inputs" / "yaml"

# file -> (line the problem names, or None when the whole file is at fault; message fragment)
EXPECTED = {
    "alias_bomb.yaml": (1, "anchors and aliases"),
    "anchor_and_alias.yaml": (7, "anchors and aliases"),
    "bad_id_format.yaml": (2, "questions.0.id: String should match pattern"),
    "duplicate_key.yaml": (12, "duplicate key 'difficulty'"),
    "duplicate_option_id.yaml": (2, "duplicate option id 'b'"),
    "duplicate_question_id.yaml": (13, "duplicate question id 'bad-001'"),
    "empty_file.yaml": (None, "the file is empty"),
    "float_for_int.yaml": (4, "pass_mark: Input should be a valid integer"),
    "html_in_id.yaml": (2, "questions.0.id: String should match pattern"),
    "merge_key.yaml": (3, "merge keys (<<) are not allowed"),
    "missing_field.yaml": (2, "questions.0.explanation: Field required"),
    "multi_without_correct.yaml": (2, "needs at least one correct option"),
    "negative_count.yaml": (6, "count: Input should be greater than or equal to 1"),
    "no_as_text_value.yaml": (8, "'no' is ambiguous in YAML"),
    "not_utf8.yaml": (5, "not UTF-8 text (byte 0xe9)"),
    "nul_bytes.yaml": (13, "control character (code 0)"),
    "off_as_boolean.yaml": (5, "'off' is ambiguous in YAML"),
    "option_without_feedback.yaml": (8, "options.1.feedback: Field required"),
    "pool_too_small_for_draw.yaml": (2, "draws 50 from pool 'sample', which has 4 questions"),
    "python_object_tag.yaml": (1, "python/object/apply:os.system is not allowed"),
    "single_with_two_correct.yaml": (2, "needs exactly one correct option, has 2"),
    "string_for_list.yaml": (12, "policy_points: Input should be a valid tuple"),
    "syntax_bad_indent.yaml": (4, "YAML syntax"),
    "syntax_unclosed_quote.yaml": (13, "YAML syntax: found unexpected end of stream"),
    "tab_indentation.yaml": (4, "tab character"),
    "too_few_options.yaml": (7, "options: Tuple should have at least 2 items"),
    "top_level_list.yaml": (1, "Input should be a valid dictionary"),
    "true_false_wrong_ids.yaml": (2, "ids 'true' and 'false'"),
    "two_documents.yaml": (13, "but found another document"),
    "unknown_difficulty.yaml": (11, "Input should be 'easy', 'medium' or 'hard'"),
    "unknown_field.yaml": (10, "explaination: Extra inputs are not permitted"),
    "unknown_policy_point.yaml": (2, "unknown policy point 'no-such-point'"),
    "unknown_scenario.yaml": (5, "unknown scenario 'nowhere'"),
    "wrong_type_options_not_list.yaml": (6, "options: Input should be a valid tuple"),
    "wrong_type_pass_mark.yaml": (4, "pass_mark: Input should be a valid integer"),
    "yes_as_boolean.yaml": (7, "'yes' is ambiguous in YAML"),
}


def load_with(tmp_path: Path, name: str, data: bytes | None = None):  # type: ignore[no-untyped-def]
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    target = root / "question_bank" / name
    if data is None:
        shutil.copy(CORPUS / name, target)
    else:
        target.write_bytes(data)
    return load_catalog(root)


def test_the_corpus_and_the_table_list_the_same_files():
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_reported_with_file_line_and_reason(tmp_path, name):
    line, fragment = EXPECTED[name]
    catalog = load_with(tmp_path, name)
    mine = [p for p in catalog.problems if p.file == f"question_bank/{name}"]
    assert any(fragment in p.message and p.line == line for p in mine), [str(p) for p in catalog.problems]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_closes_the_quizzes_it_could_feed(tmp_path, name):
    catalog = load_with(tmp_path, name)
    assert not catalog.quiz_available("sample-quiz")


def test_a_twenty_megabyte_file_is_refused_without_being_parsed(tmp_path):
    big = b"questions:\n" + b"  # padding padding padding padding padding padding\n" * 400_000
    assert len(big) > 20_000_000
    catalog = load_with(tmp_path, "huge.yaml", big)
    assert [p.message for p in catalog.problems if p.file == "question_bank/huge.yaml"][0].startswith("file is 2")
    assert not catalog.quiz_available("sample-quiz")


def test_valid_fixture_content_loads_clean():
    assert load_catalog(FIXTURE_CONTENT).problems == ()
