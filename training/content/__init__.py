"""modules/ + question_bank/ YAML -> one validated, frozen Catalog.

Loading never stops at the first problem: every file is read, every problem is collected
with its file and line, and a quiz that could draw a broken or missing question is marked
blocked. Trainees are kept out of blocked quizzes; administrators see the problem list.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from pydantic import BaseModel, ValidationError

from training.schema import BankFile, ModuleFile, PolicyPoint, PolicyPointFile, Question, Quiz, Scenario
from training.yamlsafe import Problem, YamlDoc, YamlError, read_yaml

ROOT = Path(__file__).resolve().parents[2]
POLICY_POINTS_FILE = "policy_points.yaml"
POINT_MARKER = re.compile(r"\{pp:([a-z0-9-]+)\}")  # "{pp:id}" in a lesson: show that point's source here


def content_hash(model: BaseModel, *extra: str) -> str:
    """Stable sha256 of a model's content: the same text gives the same hash on any machine."""
    payload = json.dumps(model.model_dump(mode="json"), sort_keys=True, ensure_ascii=False,
                         separators=(",", ":"))
    digest = hashlib.sha256(payload.encode("utf-8"))
    for part in extra:
        digest.update(b"\x00" + part.encode("utf-8"))
    return digest.hexdigest()


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    body: str
    policy_points: tuple[str, ...]


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    order: int
    summary: str
    estimated_minutes: int
    lessons: tuple[Lesson, ...]
    quiz_id: str | None
    key_takeaways: tuple[str, ...]
    version_hash: str


@dataclass(frozen=True)
class Catalog:
    policy_points: Mapping[str, PolicyPoint]
    modules: Mapping[str, Module]
    quizzes: Mapping[str, Quiz]
    questions: Mapping[str, Question]
    scenarios: Mapping[str, Scenario]
    question_hashes: Mapping[str, str]
    quiz_hashes: Mapping[str, str]
    problems: tuple[Problem, ...]
    blocked_quizzes: frozenset[str] = field(default_factory=frozenset)
    # Where each question and quiz was read (file relative to the root, line), so later checks
    # such as the item-writing rules can point an editor at it.
    question_where: Mapping[str, tuple[str, int | None]] = field(default_factory=dict)
    quiz_where: Mapping[str, tuple[str, int | None]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def modules_in_order(self) -> list[Module]:
        return sorted(self.modules.values(), key=lambda m: (m.order, m.id))

    def pool(self, pool_id: str) -> list[Question]:
        return [q for q in self.questions.values() if q.pool == pool_id]

    def quiz_available(self, quiz_id: str) -> bool:
        return quiz_id in self.quizzes and quiz_id not in self.blocked_quizzes


class _Collector:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.bad_pools: set[str] = set()
        self.all_blocked = False
        self.where: dict[str, tuple[Path, int | None]] = {}  # quiz id -> file, line
        self.question_where: dict[str, tuple[str, int | None]] = {}  # question id -> file, line

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def read(self, path: Path) -> YamlDoc | None:
        try:
            return read_yaml(path, display=self.rel(path))
        except YamlError as exc:
            self.problems.append(exc.problem)
            return None

    def validate(self, doc: YamlDoc, model: type[BaseModel]) -> BaseModel | None:
        if doc.value is None:
            self.problems.append(Problem(self.rel(doc.path), None, "the file is empty"))
            return None
        try:
            return model.model_validate(doc.value)
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                where = ".".join(str(p) for p in loc) or "(top level)"
                self.problems.append(Problem(self.rel(doc.path), doc.line_of(loc), f"{where}: {err['msg']}"))
            return None

    def add(self, path: Path, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.rel(path), line, message))


def load_catalog(root: Path = ROOT) -> Catalog:
    """Read and check all content under root; never raises for bad content."""
    col = _Collector(root)
    points = _load_points(col, root / "modules" / POLICY_POINTS_FILE)
    modules = _load_modules(col, root / "modules", points)
    quizzes, questions, scenarios, q_hashes = _load_bank(col, root / "question_bank", points)
    _check_links(col, root, modules, quizzes, questions)
    blocked = {quiz.id for quiz in quizzes.values()
               if col.all_blocked or any(d.pool in col.bad_pools for d in quiz.draw)}
    quiz_hashes = {qid: content_hash(q) for qid, q in quizzes.items()}
    return Catalog(
        policy_points=MappingProxyType(points), modules=MappingProxyType(modules),
        quizzes=MappingProxyType(quizzes), questions=MappingProxyType(questions),
        scenarios=MappingProxyType(scenarios), question_hashes=MappingProxyType(q_hashes),
        quiz_hashes=MappingProxyType(quiz_hashes), problems=tuple(col.problems),
        blocked_quizzes=frozenset(blocked),
        question_where=MappingProxyType(col.question_where),
        quiz_where=MappingProxyType({qid: (col.rel(p), line) for qid, (p, line) in col.where.items()}),
    )


def _load_points(col: _Collector, path: Path) -> dict[str, PolicyPoint]:
    if not path.exists():
        col.add(path, None, "policy points file is missing")
        return {}
    doc = col.read(path)
    model = col.validate(doc, PolicyPointFile) if doc else None
    points: dict[str, PolicyPoint] = {}
    if isinstance(model, PolicyPointFile):
        for i, point in enumerate(model.policy_points):
            if point.id in points:
                col.add(path, doc.line_of(("policy_points", i)) if doc else None,
                        f"duplicate policy point id '{point.id}'")
            points[point.id] = point
    return points


def _load_modules(col: _Collector, folder: Path, points: Mapping[str, PolicyPoint]) -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for path in sorted(folder.glob("*/module.yaml")):
        doc = col.read(path)
        model = col.validate(doc, ModuleFile) if doc else None
        if not isinstance(model, ModuleFile) or doc is None:
            continue
        if model.id != path.parent.name:
            col.add(path, doc.line_of(("id",)), f"module id '{model.id}' must match its folder '{path.parent.name}'")
        lessons, bodies = [], []
        for i, ref in enumerate(model.lessons):
            lesson_path = path.parent / ref.file
            try:
                body = lesson_path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                col.add(path, doc.line_of(("lessons", i, "file")), f"lesson file {ref.file}: {exc}")
                body = ""
            for n, text in enumerate(body.splitlines(), start=1):
                for pp in POINT_MARKER.findall(text):
                    if pp not in points:
                        col.add(lesson_path, n, f"unknown policy point '{pp}' in {{pp:...}} marker")
            for pp in ref.policy_points:
                if pp not in points:
                    col.add(path, doc.line_of(("lessons", i, "policy_points")), f"unknown policy point '{pp}'")
            lessons.append(Lesson(ref.id, ref.title, body, ref.policy_points))
            bodies.append(body)
        dupes = [k for k, n in Counter(lesson.id for lesson in lessons).items() if n > 1]
        for d in dupes:
            col.add(path, doc.line_of(("lessons",)), f"duplicate lesson id '{d}'")
        if model.id in modules:
            col.add(path, 1, f"duplicate module id '{model.id}'")
        modules[model.id] = Module(model.id, model.title, model.order, model.summary, model.estimated_minutes,
                                   tuple(lessons), model.quiz, model.key_takeaways, content_hash(model, *bodies))
    return modules


def _load_bank(col: _Collector, folder: Path, points: Mapping[str, PolicyPoint]) -> tuple[
        dict[str, Quiz], dict[str, Question], dict[str, Scenario], dict[str, str]]:
    quizzes: dict[str, Quiz] = {}
    questions: dict[str, Question] = {}
    scenarios: dict[str, Scenario] = {}
    scenario_refs: list[tuple[Path, YamlDoc, int, Question]] = []
    for path in sorted(folder.glob("*.yaml")):
        doc = col.read(path)
        model = col.validate(doc, BankFile) if doc else None
        if not isinstance(model, BankFile) or doc is None:
            _block_for_broken_file(col, doc)
            continue
        for i, quiz in enumerate(model.quizzes):
            if quiz.id in quizzes:
                col.add(path, doc.line_of(("quizzes", i)), f"duplicate quiz id '{quiz.id}'")
            quizzes[quiz.id] = quiz
            col.where[quiz.id] = (path, doc.line_of(("quizzes", i)))
        for i, sc in enumerate(model.scenarios):
            if sc.id in scenarios:
                col.add(path, doc.line_of(("scenarios", i)), f"duplicate scenario id '{sc.id}'")
            scenarios[sc.id] = sc
        for i, q in enumerate(model.questions):
            loc = ("questions", i)
            for message in question_problems(q, points):
                col.add(path, doc.line_of(loc), f"question '{q.id}': {message}")
                col.bad_pools.add(q.pool)
            if q.id in questions:
                col.add(path, doc.line_of(loc), f"duplicate question id '{q.id}'")
                col.bad_pools.add(q.pool)
            questions[q.id] = q
            col.question_where.setdefault(q.id, (col.rel(path), doc.line_of(loc)))
            if q.scenario:
                scenario_refs.append((path, doc, i, q))
    for path, doc, i, q in scenario_refs:
        if q.scenario not in scenarios:
            col.add(path, doc.line_of(("questions", i, "scenario")), f"question '{q.id}': unknown scenario '{q.scenario}'")
            col.bad_pools.add(q.pool)
    hashes = {qid: content_hash(q, scenarios[q.scenario].text if q.scenario in scenarios else "")
              for qid, q in questions.items()}
    return quizzes, questions, scenarios, hashes


def _block_for_broken_file(col: _Collector, doc: YamlDoc | None) -> None:
    """A file that did not validate may have held questions of any pool it names, or any at all."""
    value = doc.value if doc else None
    items = value.get("questions") if isinstance(value, dict) else None
    pools = {q.get("pool") for q in items if isinstance(q, dict)} if isinstance(items, tuple) else set()
    if pools and all(isinstance(p, str) for p in pools):
        col.bad_pools.update(p for p in pools if isinstance(p, str))
    else:
        col.all_blocked = True


def question_problems(q: Question, points: Mapping[str, PolicyPoint]) -> list[str]:
    """Rules a question must meet beyond its shape."""
    found = []
    correct = [o for o in q.options if o.correct]
    if q.type in ("single", "true_false") and len(correct) != 1:
        found.append(f"a {q.type} question needs exactly one correct option, has {len(correct)}")
    if q.type == "multi" and len(correct) < 1:
        found.append("a multi question needs at least one correct option")
    if q.type == "true_false" and sorted(o.id for o in q.options) != ["false", "true"]:
        found.append("a true_false question has exactly two options, with ids 'true' and 'false'")
    if q.type != "true_false" and len(q.options) < 3:
        found.append("a choice question needs 3 to 6 options")
    for opt_id, n in Counter(o.id for o in q.options).items():
        if n > 1:
            found.append(f"duplicate option id '{opt_id}'")
    for pp in q.policy_points:
        if pp not in points:
            found.append(f"unknown policy point '{pp}'")
    return found


def _check_links(col: _Collector, root: Path, modules: Mapping[str, Module], quizzes: Mapping[str, Quiz],
                 questions: Mapping[str, Question]) -> None:
    pool_sizes: dict[str, int] = defaultdict(int)
    for q in questions.values():
        pool_sizes[q.pool] += 1
    for module in modules.values():
        if module.quiz_id and module.quiz_id not in quizzes:
            col.add(root / "modules" / module.id / "module.yaml", None, f"quiz '{module.quiz_id}' does not exist")
    for quiz in quizzes.values():
        path, line = col.where[quiz.id]
        if quiz.module and quiz.module not in modules:
            col.add(path, line, f"quiz '{quiz.id}': module '{quiz.module}' does not exist")
        for d in quiz.draw:
            if pool_sizes[d.pool] < d.count:
                col.add(path, line, f"quiz '{quiz.id}' draws {d.count} from pool '{d.pool}', "
                                    f"which has {pool_sizes[d.pool]} questions")
                col.bad_pools.add(d.pool)


SOURCE_LABELS = {
    "policy": "Council's official policy text or statement",
    "statute": "Vermont statute",
    "summary": "Summary of the 2024 update; your agency's adopted policy governs",
    "context": "Background only, not a rule",
}


def source_label(point: PolicyPoint) -> str:
    """Where a rule comes from, in words a trainee understands."""
    label = SOURCE_LABELS[point.source]
    if point.source == "statute" and point.source_note:
        return f"{label}: {point.source_note}"
    if point.source == "policy" and point.source_note:
        return point.source_note
    return label


def render_markers(body: str, points: Mapping[str, PolicyPoint]) -> str:
    """Replace each {pp:id} marker in lesson Markdown with a short note of the rule's source."""
    def note(match: re.Match[str]) -> str:
        point = points.get(match.group(1))
        return f" *[Source: {source_label(point)}]*" if point else ""
    return POINT_MARKER.sub(note, body)
