"""Item-writing rules: a question bank must not give its key away to someone who never read
the lessons. question_bank/README.md gives each rule with its reason; this applies them.

Rules a supervisor may ask about (per pool unless said otherwise):
- Single choice: the keyed option is a longest option (ties count) in at most a third of the
  questions, and is never more than 25% longer than the longest distractor.
- Select all that apply: the mean length of correct options is within 20% of the mean length
  of the wrong ones.
- True/false: between 40% and 60% keyed True.
- No "all of the above" / "none of the above".
- An absolute ("always", "never", "any", "only") may not appear only in distractors.
- A phrase of three or more words found in two or more keys and in no distractor is a tell.
- Answer positions stay spread: no position holds more than half of a pool's single-choice keys.
- Bank: a module quiz's pool holds at least 2.5 times its draw; the exam (a quiz with no
  module) draws only from pools no module quiz draws from, and those hold 45 or more.

Shares are judged on whole questions: with n questions, "at most a third" allows round(n/3)
(and at least 1), "40% to 60%" allows floor(0.4n) to ceil(0.6n), so a small pool is never
asked for a share it cannot have.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from training.content import Catalog
from training.schema import Option, Question
from training.yamlsafe import Problem

KEY_LONGEST_SHARE = 1 / 3
KEY_MARGIN = 1.25
MULTI_LENGTH_TOLERANCE = 0.20
TRUE_SHARE = (0.40, 0.60)
ABSOLUTES = ("always", "never", "any", "only")
PHRASE_WORDS = 3
PHRASE_MIN_KEYS = 2
POSITION_MAX_SHARE = 0.5
POOL_TO_DRAW = 2.5
EXAM_POOL_MIN = 45

_ABOVE = re.compile(r"\b(all|none|both|neither) of the (above|options|answers)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9§']+")


def key_options(q: Question) -> list[Option]:
    return [o for o in q.options if o.correct]


def distractors(q: Question) -> list[Option]:
    return [o for o in q.options if not o.correct]


def key_is_longest(q: Question) -> bool:
    keys, wrong = key_options(q), distractors(q)
    return bool(keys and wrong) and len(keys[0].text) >= max(len(o.text) for o in wrong)


def allowed_at_most(n: int, share: float) -> int:
    return max(1, round(n * share))


def true_range(n: int) -> tuple[int, int]:
    return math.floor(n * TRUE_SHARE[0]), math.ceil(n * TRUE_SHARE[1])


def _ids(questions: Iterable[Question], limit: int = 12) -> str:
    ids = [q.id for q in questions]
    return ", ".join(ids[:limit]) + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


class _Report:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.problems: list[Problem] = []

    def at(self, q: Question, message: str) -> None:
        file, line = self.catalog.question_where.get(q.id, ("question_bank", None))
        self.problems.append(Problem(file, line, message))

    def at_quiz(self, quiz_id: str, message: str) -> None:
        file, line = self.catalog.quiz_where.get(quiz_id, ("question_bank", None))
        self.problems.append(Problem(file, line, message))


def check_item_rules(catalog: Catalog, pool: str | None = None) -> list[Problem]:
    """Every item-writing problem, each located at the question (or quiz) to change."""
    report = _Report(catalog)
    pools: dict[str, list[Question]] = defaultdict(list)
    for q in sorted(catalog.questions.values(), key=lambda q: q.id):
        pools[q.pool].append(q)
    for pool_id in sorted(pools):
        if pool is None or pool_id == pool:
            check_pool(report, pool_id, pools[pool_id])
    check_bank(report, catalog, pools, pool)
    return report.problems


def check_pool(report: _Report, pool_id: str, questions: list[Question]) -> None:
    singles = [q for q in questions if q.type == "single"]
    _single_lengths(report, pool_id, singles)
    _multi_lengths(report, pool_id, [q for q in questions if q.type == "multi"])
    _true_share(report, pool_id, [q for q in questions if q.type == "true_false"])
    _above(report, questions)
    _absolutes(report, pool_id, questions)
    _key_phrases(report, pool_id, questions)
    _positions(report, pool_id, singles)


def _single_lengths(report: _Report, pool_id: str, singles: list[Question]) -> None:
    longest = [q for q in singles if key_is_longest(q)]
    allowed = allowed_at_most(len(singles), KEY_LONGEST_SHARE)
    if singles and len(longest) > allowed:
        report.at(longest[0], f"pool '{pool_id}': the key is the longest option in {len(longest)} of "
                              f"{len(singles)} single-choice questions (at most {allowed}): {_ids(longest)}")
    for q in singles:
        keys, wrong = key_options(q), distractors(q)
        if keys and wrong:
            key_len, top = len(keys[0].text), max(len(o.text) for o in wrong)
            if key_len > KEY_MARGIN * top:
                report.at(q, f"question '{q.id}': the key ({key_len} characters) is {key_len / top - 1:.0%} longer "
                             f"than the longest distractor ({top}); at most 25%")


def _multi_lengths(report: _Report, pool_id: str, multis: list[Question]) -> None:
    for q in multis:
        if not distractors(q):
            report.at(q, f"question '{q.id}': a select-all question where every option is right rewards picking all")
    right = [len(o.text) for q in multis for o in key_options(q)]
    wrong = [len(o.text) for q in multis for o in distractors(q)]
    if not right or not wrong:
        return
    mean_right, mean_wrong = sum(right) / len(right), sum(wrong) / len(wrong)
    if abs(mean_right - mean_wrong) > MULTI_LENGTH_TOLERANCE * mean_wrong:
        report.at(multis[0], f"pool '{pool_id}': in select-all questions correct options average "
                             f"{mean_right:.0f} characters and wrong ones {mean_wrong:.0f}; "
                             f"keep them within 20% of each other")


def _true_share(report: _Report, pool_id: str, tfs: list[Question]) -> None:
    if not tfs:
        return
    keyed_true = [q for q in tfs if any(o.correct and o.id == "true" for o in q.options)]
    low, high = true_range(len(tfs))
    if not low <= len(keyed_true) <= high:
        heavy = keyed_true if len(keyed_true) > high else [q for q in tfs if q not in keyed_true]
        report.at(heavy[0], f"pool '{pool_id}': {len(keyed_true)} of {len(tfs)} true/false questions are keyed "
                            f"True; keep between {low} and {high} (40% to 60%). Keyed "
                            f"{'True' if heavy is keyed_true else 'False'}: {_ids(heavy)}")


def _above(report: _Report, questions: list[Question]) -> None:
    for q in questions:
        for o in q.options:
            if _ABOVE.search(o.text):
                report.at(q, f"question '{q.id}': option '{o.id}' says '{_ABOVE.search(o.text).group(0)}'"  # type: ignore[union-attr]
                             f"; write each option so it stands alone")


def keyed_and_wrong_texts(q: Question) -> tuple[list[str], list[str]]:
    """The texts that assert the key and those that assert a wrong answer. A true/false
    question's statement is a key when keyed True and a distractor when keyed False."""
    if q.type == "true_false":
        keyed_true = any(o.correct and o.id == "true" for o in q.options)
        return ([q.stem], []) if keyed_true else ([], [q.stem])
    return [o.text for o in key_options(q)], [o.text for o in distractors(q)]


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def _absolutes(report: _Report, pool_id: str, questions: list[Question]) -> None:
    in_keys: dict[str, int] = defaultdict(int)
    in_wrong: dict[str, list[Question]] = defaultdict(list)
    for q in questions:
        keys, wrong = keyed_and_wrong_texts(q)
        for word in ABSOLUTES:
            in_keys[word] += sum(word in words(t) for t in keys)
            if any(word in words(t) for t in wrong):
                in_wrong[word].append(q)
    for word in ABSOLUTES:
        if in_wrong[word] and not in_keys[word]:
            report.at(in_wrong[word][0], f"pool '{pool_id}': '{word}' appears only in distractors (or in "
                                         f"statements keyed False), in {_ids(in_wrong[word])}; use it in a key too, "
                                         f"or reword")


def _phrases(text: str) -> set[str]:
    w = words(text)
    return {" ".join(w[i:i + PHRASE_WORDS]) for i in range(len(w) - PHRASE_WORDS + 1)}


def _key_phrases(report: _Report, pool_id: str, questions: list[Question]) -> None:
    keyed: dict[str, list[Question]] = defaultdict(list)
    wrong: set[str] = set()
    for q in questions:
        keys, bad = keyed_and_wrong_texts(q)
        for phrase in set().union(*(_phrases(t) for t in keys)) if keys else set():
            keyed[phrase].append(q)
        for t in bad:
            wrong |= _phrases(t)
    tells = {p: qs for p, qs in keyed.items() if len(qs) >= PHRASE_MIN_KEYS and p not in wrong}
    # Overlapping three-word windows of one longer phrase name the same questions: report each
    # set of questions once, with the phrases it shares.
    by_questions: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for phrase, qs in sorted(tells.items()):
        by_questions[tuple(q.id for q in qs)].append(phrase)
    for ids, phrases in sorted(by_questions.items()):
        first = next(q for q in questions if q.id == ids[0])
        shown = "', '".join(phrases[:4]) + ("'..." if len(phrases) > 4 else "'")
        report.at(first, f"pool '{pool_id}': '{shown} appear(s) in the keys of {', '.join(ids)} and in no "
                         f"distractor; a phrase only keys use is a cue")


def _positions(report: _Report, pool_id: str, singles: list[Question]) -> None:
    if len(singles) < 4:
        return
    at: dict[int, list[Question]] = defaultdict(list)
    for q in singles:
        at[next(i for i, o in enumerate(q.options) if o.correct)].append(q)
    pos, qs = max(at.items(), key=lambda kv: len(kv[1]))
    if len(qs) > POSITION_MAX_SHARE * len(singles):
        report.at(qs[0], f"pool '{pool_id}': {len(qs)} of {len(singles)} single-choice keys sit at position "
                         f"{'ABCDEF'[pos]}; spread them: {_ids(qs)}")


def check_bank(report: _Report, catalog: Catalog, pools: Mapping[str, list[Question]], only: str | None) -> None:
    module_pools: dict[str, list[str]] = defaultdict(list)
    for quiz in sorted(catalog.quizzes.values(), key=lambda q: q.id):
        if quiz.module is None:
            continue
        drawn: dict[str, int] = defaultdict(int)
        for d in quiz.draw:
            drawn[d.pool] += d.count
            module_pools[d.pool].append(quiz.id)
        for pool_id, count in drawn.items():
            have = len(pools.get(pool_id, []))
            if (only is None or only == pool_id) and have < POOL_TO_DRAW * count:
                report.at_quiz(quiz.id, f"quiz '{quiz.id}' draws {count} from pool '{pool_id}', which holds {have}; "
                                        f"it needs at least {math.ceil(POOL_TO_DRAW * count)} (2.5 times) so "
                                        f"retakes see new questions")
    for quiz in sorted(catalog.quizzes.values(), key=lambda q: q.id):
        if quiz.module is not None:
            continue
        exam_pools = sorted({d.pool for d in quiz.draw})
        for pool_id in exam_pools:
            if pool_id in module_pools and (only is None or only == pool_id):
                report.at_quiz(quiz.id, f"exam '{quiz.id}' draws from pool '{pool_id}', which module quiz(zes) "
                                        f"{', '.join(module_pools[pool_id])} also draw from; the exam needs its own "
                                        f"pools")
        total = sum(len(pools.get(p, [])) for p in exam_pools)
        if only is None and total < EXAM_POOL_MIN:
            report.at_quiz(quiz.id, f"exam '{quiz.id}': its pools hold {total} questions; at least "
                                    f"{EXAM_POOL_MIN} are needed")
