"""Which questions an attempt draws, and in which option order: a pure rule, no database.

Rules a supervisor may ask about:
- A quiz draws `count` questions at random from each pool it names, never the same question
  twice in one attempt.
- Retakes test anew: questions the trainee has not seen in an earlier attempt of the same quiz
  come first; only when the pool has too few unseen ones are seen ones drawn, the least
  recently seen first.
- Options are shuffled per attempt when the quiz says so; true/false keeps the order of its file.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from training.content import Catalog
from training.schema import Question, Quiz


def draw_questions(catalog: Catalog, quiz: Quiz, rng: random.Random,
                   last_seen: Mapping[str, int] | None = None) -> list[tuple[Question, tuple[str, ...]]]:
    """The questions of a new attempt, shuffled, each with its option order.

    last_seen maps a question id to when the trainee last saw it (any increasing number, such
    as the attempt number); questions missing from it have never been seen.
    """
    seen = last_seen or {}
    drawn: list[Question] = []
    taken: set[str] = set()
    for d in quiz.draw:
        pool = sorted((q for q in catalog.pool(d.pool) if q.id not in taken), key=lambda q: q.id)
        fresh = [q for q in pool if q.id not in seen]
        if len(fresh) >= d.count:
            picked = rng.sample(fresh, d.count)
        else:
            # Least recently seen first; among questions seen equally long ago, chance decides.
            older = sorted((q for q in pool if q.id in seen), key=lambda q: (seen[q.id], rng.random()))
            picked = fresh + older[:d.count - len(fresh)]
        drawn.extend(picked)
        taken.update(q.id for q in picked)
    rng.shuffle(drawn)
    out = []
    for q in drawn:
        ids = [o.id for o in q.options]
        if quiz.shuffle_options and q.type != "true_false":
            rng.shuffle(ids)
        out.append((q, tuple(ids)))
    return out
