"""Test-wise guessers: trainees who never read a lesson and answer from cues in the options.

Each guesser applies one cue. A question type it was not made for is handled like this:
- length, stem-word and position guessers read the options as shown whatever the type: on a
  true/false question the texts are "True" and "False", so "longest" answers False and
  "shortest" answers True; on select-all they pick their one option (partial credit as scored);
- "always True" / "always False" guess at random (one option, each equally likely) on a
  question that has no True/False options;
- "longer than mean" picks every option longer than the mean on select-all (none longer: no
  pick, which scores 0), and the longest option on single choice and true/false;
- "test-wise mix" is the guesser issue 8 measured: longest on single choice, False on
  true/false, longer than mean on select-all.
Ties are split evenly: the credit is the mean over the tied picks, which is what a guesser
facing shuffled options gets on average. Credit comes from training.scoring, so select-all
partial credit is what a trainee would get.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from training.content import Catalog
from training.content.item_rules import words
from training.schema import Question
from training.scoring import score_question

Picks = list[frozenset[str]]  # equally likely choices the guesser makes
STOPWORDS = frozenset("""a an the and or of to in on at for by with from as is are was were be been it its
this that these those you your he she they them his her their we our i not no do does did
what which who whom when where why how can may must should would could will shall if than then
so but about into out up""".split())


@dataclass(frozen=True)
class Guesser:
    key: str
    label: str
    picks: Callable[[Question, Sequence[str]], Picks]


def _texts(q: Question, order: Sequence[str]) -> list[tuple[str, str]]:
    by_id = {o.id: o.text for o in q.options}
    return [(oid, by_id[oid]) for oid in order]


def _best(q: Question, order: Sequence[str], measure: Callable[[str], float]) -> Picks:
    values = [(oid, measure(text)) for oid, text in _texts(q, order)]
    top = max(v for _, v in values)
    return [frozenset([oid]) for oid, v in values if v == top]


def _chance(q: Question, order: Sequence[str]) -> Picks:
    return [frozenset([oid]) for oid in order]


def longest(q: Question, order: Sequence[str]) -> Picks:
    return _best(q, order, len)


def shortest(q: Question, order: Sequence[str]) -> Picks:
    return _best(q, order, lambda t: -len(t))


def always(answer: str) -> Callable[[Question, Sequence[str]], Picks]:
    def pick(q: Question, order: Sequence[str]) -> Picks:
        return [frozenset([answer])] if q.type == "true_false" else _chance(q, order)
    return pick


def content_words(text: str) -> set[str]:
    return {w for w in words(text) if w not in STOPWORDS and len(w) > 2}


def stem_words(q: Question, order: Sequence[str]) -> Picks:
    stem = content_words(q.stem)
    return _best(q, order, lambda t: len(content_words(t) & stem))


def position(index: int) -> Callable[[Question, Sequence[str]], Picks]:
    def pick(q: Question, order: Sequence[str]) -> Picks:
        return [frozenset([order[min(index, len(order) - 1)]])]
    return pick


def longer_than_mean(q: Question, order: Sequence[str]) -> Picks:
    if q.type != "multi":
        return longest(q, order)
    texts = _texts(q, order)
    mean = sum(len(t) for _, t in texts) / len(texts)
    return [frozenset(oid for oid, t in texts if len(t) > mean)]


def test_wise_mix(q: Question, order: Sequence[str]) -> Picks:
    if q.type == "true_false":
        return [frozenset(["false"])]
    return longer_than_mean(q, order)


GUESSERS: tuple[Guesser, ...] = (
    Guesser("longest", "longest option", longest),
    Guesser("shortest", "shortest option", shortest),
    Guesser("true", "always True", always("true")),
    Guesser("false", "always False", always("false")),
    Guesser("stem", "most words shared with the stem", stem_words),
    *(Guesser(f"pos-{letter}", f"always position {letter.upper()}", position(i)) for i, letter in enumerate("abcde")),
    Guesser("mean", "select-all: every option longer than the mean", longer_than_mean),
    Guesser("mix", "test-wise mix (longest / False / longer than mean)", test_wise_mix),
)


def credit(guesser: Guesser, q: Question, order: Sequence[str] | None = None) -> float:
    """Expected credit of one guesser on one question shown with options in this order."""
    picks = guesser.picks(q, order or [o.id for o in q.options])
    return sum(score_question(q, chosen) for chosen in picks) / len(picks)


def pool_table(catalog: Catalog, pool: str | None = None) -> dict[str, dict[str, float]]:
    """pool id (and "(bank)") -> guesser key -> mean credit, options in file order."""
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    counts: dict[str, int] = defaultdict(int)
    for q in catalog.questions.values():
        if pool is not None and q.pool != pool:
            continue
        for row in (q.pool, "(bank)"):
            counts[row] += 1
            for g in GUESSERS:
                sums[row][g.key] += credit(g, q)
    return {row: {g.key: sums[row][g.key] / counts[row] for g in GUESSERS}
            for row in sorted(counts, key=lambda r: (r == "(bank)", r))}


@dataclass(frozen=True)
class QuizGuess:
    mean: dict[str, float]  # guesser key -> mean quiz score (0..1) over the draws
    passed: dict[str, float]  # guesser key -> share of draws the guesser would pass


def quiz_guesses(catalog: Catalog, quiz_id: str, draws: int = 200, seed: int = 8) -> QuizGuess:
    """Each guesser over many seeded draws of a quiz, options in the order the quiz shows them."""
    from training.drawing import draw_questions  # the quiz's own drawing rule

    quiz = catalog.quizzes[quiz_id]
    rng = random.Random(seed)
    totals: dict[str, float] = defaultdict(float)
    passes: dict[str, int] = defaultdict(int)
    for _ in range(draws):
        drawn = draw_questions(catalog, quiz, rng)
        for g in GUESSERS:
            score = sum(credit(g, q, order) for q, order in drawn) / len(drawn)
            totals[g.key] += score
            passes[g.key] += round(100 * score, 1) >= quiz.pass_mark
    return QuizGuess({k: totals[k] / draws for k in totals}, {k: passes[k] / draws for k in passes})


def format_table(rows: dict[str, dict[str, float]], title: str) -> list[str]:
    keys = [g.key for g in GUESSERS]
    width = max([len(title), *(len(r) for r in rows)])
    lines = [f"{title:<{width}} " + " ".join(f"{k:>7}" for k in keys)]
    for row, values in rows.items():
        lines.append(f"{row:<{width}} " + " ".join(f"{100 * values[k]:>6.0f}%" for k in keys))
    return lines


def legend() -> list[str]:
    return [f"  {g.key:>7}: {g.label}" for g in GUESSERS]
