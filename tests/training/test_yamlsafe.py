import pytest

from training.yamlsafe import YamlError, parse_yaml


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_yaml(text, "t.yaml").value


def test_sequences_become_tuples_and_scalars_keep_their_types():
    assert parse("a: [1, 2.5, true, null, text]") == {"a": (1, 2.5, True, None, "text")}


@pytest.mark.parametrize("word", ["yes", "No", "ON", "off", "Yes", "OFF"])
def test_yaml_11_booleans_are_refused(word):
    with pytest.raises(YamlError, match="ambiguous"):
        parse(f"flag: {word}")


@pytest.mark.parametrize("word", ["'yes'", '"no"'])
def test_quoted_yes_and_no_are_plain_text(word):
    assert parse(f"flag: {word}") == {"flag": word.strip("'\"")}


def test_a_repeated_key_is_an_error_with_its_line():
    with pytest.raises(YamlError) as err:
        parse("a: 1\nb: 2\na: 3\n")
    assert err.value.problem.line == 3


def test_dates_stay_text():
    assert parse("d: 2027-01-31") == {"d": "2027-01-31"}


def test_line_of_finds_nested_locations():
    doc = parse_yaml("top:\n  - x: 1\n  - x: 2\n    y: 3\n", "t.yaml")
    assert doc.line_of(("top", 1, "y")) == 4
    assert doc.line_of(("top", 1, "missing")) == 3


def test_finding_12_a_scalar_alias_is_refused():
    # Before the fix only collection aliases were caught: this read as {'a': 'foo', 'b': 'foo'}.
    with pytest.raises(YamlError, match="anchors and aliases"):
        parse_yaml("a: &x foo\nb: *x\n", "alias.yaml")


def test_finding_12_a_file_nested_3000_levels_deep_is_a_problem_not_a_crash():
    # Before the fix this raised RecursionError out of `validate`.
    with pytest.raises(YamlError, match="nested more than"):
        parse_yaml("a: " + "[" * 3000 + "]" * 3000 + "\n", "deep.yaml")
    assert parse_yaml("a: " + "[" * 20 + "]" * 20 + "\n", "ok.yaml").value  # positive control: shallow is fine
