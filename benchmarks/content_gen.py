"""Generated training content for benchmarks: valid, realistic-sized, any number of questions."""

from __future__ import annotations

from pathlib import Path

POINTS = 12


def _question(n: int, pool: str) -> str:
    kind = ("single", "multi", "true_false")[n % 3]
    if kind == "true_false":
        options = ('      - {id: "true", text: "True", feedback: "Not so: the policy says otherwise here."}\n'
                   '      - {id: "false", text: "False", correct: true, feedback: "Right: the rule forbids it."}\n')
    else:
        options = "".join(
            f"      - id: {oid}\n        text: Option {oid} for question {n}, a plausible course of action\n"
            f"{'        correct: true' + chr(10) if oid == 'b' or (kind == 'multi' and oid == 'c') else ''}"
            f"        feedback: Feedback on option {oid}, explaining why it is or is not what the policy asks.\n"
            for oid in ("a", "b", "c", "d"))
    return (f"  - id: gen-{n:05d}\n    pool: {pool}\n    type: {kind}\n"
            f"    stem: >-\n      Question {n}: during a routine stop an officer has to decide what the\n"
            f"      policy allows. Which course of action is right in case {n}?\n"
            f"    options:\n{options}"
            f"    explanation: >-\n      The explanation for question {n} cites the rule and says why the other\n"
            f"      choices fall short of it.\n"
            f"    difficulty: {('easy', 'medium', 'hard')[n % 3]}\n"
            f"    policy_points: [gen-point-{n % POINTS}, gen-point-{(n + 1) % POINTS}]\n")


def write_content(root: Path, *, questions: int, per_file: int = 100, draw: int = 20) -> Path:
    """modules/ (policy points, one module of one lesson) and question_bank/ under root."""
    (root / "modules" / "gen-module").mkdir(parents=True, exist_ok=True)
    (root / "question_bank").mkdir(parents=True, exist_ok=True)
    (root / "modules" / "policy_points.yaml").write_text("policy_points:\n" + "".join(
        f"  - id: gen-point-{i}\n    title: Generated rule {i}\n    statement: The statement of generated rule {i}.\n"
        f"    source: policy\n" for i in range(POINTS)), encoding="utf-8")
    (root / "modules" / "gen-module" / "module.yaml").write_text(
        "id: gen-module\ntitle: Generated module\norder: 1\nsummary: A module for benchmarks.\n"
        "estimated_minutes: 10\nlessons:\n  - id: only-lesson\n    title: The only lesson\n    file: 01.md\n"
        "quiz: gen-quiz\n", encoding="utf-8")
    (root / "modules" / "gen-module" / "01.md").write_text("# The only lesson\n\nText.\n", encoding="utf-8")
    files = (questions + per_file - 1) // per_file
    for f in range(files):
        head = ""
        if f == 0:
            head = (f"quizzes:\n  - id: gen-quiz\n    title: Generated quiz\n    module: gen-module\n"
                    f"    pass_mark: 50\n    draw:\n      - pool: gen\n        count: {min(draw, questions)}\n")
        body = "".join(_question(n, "gen") for n in range(f * per_file, min(questions, (f + 1) * per_file)))
        (root / "question_bank" / f"bank-{f:03d}.yaml").write_text(f"{head}questions:\n{body}", encoding="utf-8")
    return root
