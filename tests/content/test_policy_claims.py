"""Trainee-facing text makes no claim of a kind a review against the brief found wrong.

Each row of CLAIMS is one kind of error from issue 8, section 6, that a pattern can catch: the
pattern, why it is wrong, and where the brief (shared/policy/FIPP_BRIEF.md) says so. A
sentence is flagged when it matches `pattern`, `needs` matches it or the two sentences before
it, and `unless` (a hedge or the exception) matches none of it and the `window` sentences
either side.
Each row carries a positive control: a sentence it must flag, so no row can pass by being
unable to fail.

Scanned: lessons, module summaries and key takeaways, policy point titles and statements,
scenarios, question stems, correct options, true/false statements keyed True, all feedback
and explanations. Distractors and statements keyed False are meant to be wrong and are not
scanned; neither is quoted speech of four words or more, nor a sentence of a scenario or stem
reporting what a character wants or says: those are the situation, not the course's claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from training.content import POINT_MARKER, ROOT, Catalog, load_catalog

I = re.IGNORECASE  # noqa: E741
AGREEMENT = r"287\(g\)|§\s*4652|1357\(g\)|1401\(i\)|agreement"


@dataclass(frozen=True)
class Claim:
    name: str
    pattern: str
    why: str
    ref: str
    control: str  # a passage the row must flag
    needs: str | None = None
    unless: str | None = None
    tiers_not: str | None = None  # flag only question text whose cited points include no point of this tier
    window: int = 2  # sentences either side searched for `unless`


CLAIMS = (
    Claim("4652-absolute",
          r"\bno exceptions?\b|\bwithout exception\b|\b(cannot|can't|can never|may never|may not|never)\s+(make|enter|sign)"
          r"(\s+into)?\s+(one|it|such|an?\s+(287|agreement|immigration agreement))\b"
          r"|\bno (chief|sheriff|officer|agency|local agency|town|county)\b[^.]{0,40}\bcan (make|enter|sign)\b",
          "§ 4652 has a narrow declared-emergency exception; no local agency enters one in ordinary times",
          "brief, Statute: 20 V.S.A. § 4652",
          "Only the Governor may enter a 287(g) agreement. A local agency or officer cannot make one.",
          needs=AGREEMENT, unless=r"emergenc|ordinary times|\bexcept\b"),
    Claim("course-is-council-approved",
          r"\bthis (course|app|module|training)\b[^.]{0,80}(council[- ]approved|approved by the council|2358"
          r"|part of that\W*$|\b(satisf|fulfil|meets?)\w*)",
          "the app supports an agency's training; it is not itself Council-approved and the agency decides what counts",
          "brief, Statute: § 2358(e)(3) and 'This app supports ...'",
          "Officers get Council-approved training in odd-numbered years. This course is part of that.",
          unless=r"\bnot\b|n't\b|\bsupports?\b|agency decides|ask your"),
    Claim("completing-satisfies-2358",
          r"\b(satisf|fulfil|meets?|count)\w*\b[^.]{0,60}§\s*2358\(e\)\(3\)",
          "content must not claim completing it satisfies § 2358(e)(3)",
          "brief, Statute: 'Content must not claim that completing it satisfies § 2358(e)(3)'",
          "Passing this quiz meets your § 2358(e)(3) requirement.",
          unless=r"\bnot\b|n't\b|agency decides|your agency"),
    Claim("category-b-settled",
          r"\bcategory b\b",
          "whether a willful FIPP breach is Category B is a reasonable reading, not a ruling: 'can be', confirm",
          "brief, Statute: § 2401 and the note after § 2351",
          "An officer's willful failure to follow the policy is Category B conduct.",
          needs=r"\bfipp\b|\bthe policy\b|\bthis policy\b|\bthe breach\b|\ba breach\b",
          unless=r"\b(can|could|may|might|whether|reading|confirm|check|ask)\b|\?"),
    Claim("repetition-makes-willful",
          r"\b(repeatedly|again and again|over and over|keeps? (doing|ignoring)|(five|three|several|many) or more"
          r"|more than once)\b[^.]{0,80}\b(willful|category b)\b",
          "willful means knowing the rule and choosing not to follow it, not a count of repeats",
          "brief, Statute: § 2401 ('willful failure')",
          "Ignoring the rule again and again is the kind of willful failure the statute calls Category B conduct.",
          unless=r"\bnot\b|n't\b"),
    Claim("course-counted-for-another-cycle",
          r"\b20\d\d\b[^.]{0,60}\b(could|can|may|might|would|will)\s+(be\s+)?count(ed)?\s+(for|toward|towards)"
          r"\s+the\s+20\d\d\s+cycle",
          "the brief says nothing about which cycle a late course counts for: the agency decides",
          "brief, Statute: § 2358(e)(3) (odd-numbered years only)",
          "A course finished in January 2026 could be counted for the 2025 cycle or for the next one."),
    Claim("no-federal-calls",
          r"\bno federal (immigration )?calls?\b|\bnever call (a |any )?federal\b",
          "calling any unit, federal ones included, for emergency help with a violent crime is not barred",
          "brief, 'What is not barred'",
          "5. No federal immigration calls, no waiting for agents, no hand-offs."),
    Claim("do-not-call-immigration-agency",
          r"\b(never|do not|don't) call (an? |any |the )?(federal|immigration|ice\b|border patrol)",
          "only calls for immigration purposes, as translators or as a hand-off are barred, not calls for help",
          "brief, 'What is not barred'",
          "Do not make help wait on ID. Do not call an immigration agency about an injured person.",
          unless=r"translat|interpret|to check|check (him|her|them) out|\bstatus\b|for immigration|hand[- ]?off"
                 r"|\bhold\b|\bwait|\bpick (him|her|them) up|to (come|take|collect)", window=0),
    Claim("translator-rule-as-policy-text",
          r"\b(the|your|our|model) (policy|fipp|rule|rules|summary)\b[^.]{0,20}\b(bans?|forbids?|prohibits?|names?|says?"
          r"|states?)\b[^.]{0,80}\b(translat|interpret)",
          "no retrieved text names translators; teach it as what the hand-off and sharing rules imply",
          "brief, 'What is not barred'",
          "The policy forbids calling Border Patrol to translate.",
          unless=r"\bnot\b|n't\b|\bimpl|\bpoint|\bno policy text", window=0),
    Claim("cell-door",
          r"\bno longer (starts?|begins?|stops?|ends?) at the (cell|jail|station|booking)",
          "implies the earlier model did not apply on the road; it did (its 2018 wording named treatment in custody)",
          "brief, The document: 2018 'treatment in custody' vs 2024 'interactions'",
          "The protection no longer starts at the cell door."),
    Claim("passenger-id-power",
          r"\b(allows?|lets?|gives?|grants?)\s+(you|officers|an officer)\b[^.]{0,30}\b(to )?(require|demand)\b[^.]{0,30}"
          r"\b(id|identification)\b|\b(you|officers) (may|can) (then |now )?(require|demand)\b[^.]{0,30}\b(id|identification)\b",
          "the brief only lifts the passenger limit for a suspected passenger; it grants no power to demand ID",
          "brief, 2024 update item 4",
          "Be careful. If you suspect a passenger, the rule allows you to require identification.",
          unless=r"\bnot\b|n't\b", window=0),
    Claim("release-date-settled",
          r"\brelease dates?\b",
          "whether § 1373 reaches release dates is not settled by the brief: say so the same hedged way everywhere",
          "brief, 2024 update item 5",
          "Section 1373 does not cover release dates.",
          needs=r"1373", unless=r"plainly|clearly|\bmay\b|might|unclear|not clear|likely|probably|ask|supervisor"
                                r"|agency|could|\bnot permission\b|automatically"),
    Claim("summary-label-on-policy-points",
          r"\bsummary of the 2024 update\b",
          "only summary-tier points come from the summary; policy and statute points must not be labelled so",
          "brief, Source tiers",
          "Per the summary of the 2024 update, police may not arrest for unlawful entry.",
          tiers_not="summary"),
)


@dataclass(frozen=True)
class Passage:
    where: str
    text: str
    tiers: frozenset[str] | None = None  # the tiers of the points a question cites
    situation: bool = False  # a scenario or stem: what a character wants or says is not a claim


def _quote(match: re.Match[str]) -> str:
    """Quoted speech (four words or more) is a character's words, not the course's claim; a
    short quoted term ("can be", "translate") is kept."""
    inner = match.group(1) if match.group(1) is not None else match.group(2)
    return '""' if len(inner.split()) >= 4 else inner


REPORTED = r"\b(wants?|plans?|proposes?|suggests?|says|claims?|thinks|believes|asks|tells)\b"


def sentences(text: str) -> list[str]:
    text = POINT_MARKER.sub("", text)
    text = re.sub(r"\"([^\"\n]{0,300})\"|“([^”]{0,300})”", _quote, text)
    text = re.sub(r"[*_`#>]+", "", text)
    blocks = re.split(r"\n\s*\n|\n\s*(?:[-+]|\d+\.)\s+", text)
    return [s.strip() for b in blocks for s in re.split(r"(?<=[.?!:;])\s+", " ".join(b.split())) if s.strip()]


def passages(catalog: Catalog) -> list[Passage]:
    out = [Passage(f"policy point {p.id}", f"{p.title}. {p.statement}") for p in catalog.policy_points.values()]
    for m in catalog.modules.values():
        out.append(Passage(f"modules/{m.id} summary", m.summary))
        out += [Passage(f"modules/{m.id} takeaway {i + 1}", t) for i, t in enumerate(m.key_takeaways)]
        out += [Passage(f"modules/{m.id} lesson {lesson.id}", lesson.body) for lesson in m.lessons]
    out += [Passage(f"scenario {s.id}", s.text, situation=True) for s in catalog.scenarios.values()]
    for q in catalog.questions.values():
        tiers = frozenset(catalog.policy_points[p].source for p in q.policy_points if p in catalog.policy_points)
        keyed_false = q.type == "true_false" and any(o.correct and o.id == "false" for o in q.options)
        texts = [("stem", q.stem)] if not keyed_false else []
        texts += [(f"option {o.id}", o.text) for o in q.options if o.correct and q.type != "true_false"]
        texts += [(f"feedback {o.id}", o.feedback) for o in q.options] + [("explanation", q.explanation)]
        out += [Passage(f"question {q.id} {part}", text, tiers, part == "stem") for part, text in texts]
    return out


def flagged(claim: Claim, passage: Passage) -> list[str]:
    if claim.tiers_not and (passage.tiers is None or claim.tiers_not in passage.tiers):
        return []
    found = []
    parts = sentences(passage.text)
    for i, sentence in enumerate(parts):
        if not re.search(claim.pattern, sentence, I) or (passage.situation and re.search(REPORTED, sentence, I)):
            continue
        if claim.needs and not re.search(claim.needs, " ".join(parts[max(0, i - 2):i + 1]), I):
            continue
        if claim.unless and re.search(claim.unless, " ".join(parts[max(0, i - claim.window):i + claim.window + 1]), I):
            continue
        found.append(f"{passage.where}: {sentence}")
    return found


@pytest.fixture(scope="module")
def texts() -> list[Passage]:
    return passages(load_catalog(ROOT))


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.name for c in CLAIMS])
def test_no_trainee_facing_text_makes_this_claim(claim, texts):
    assert [hit for p in texts for hit in flagged(claim, p)] == [], f"{claim.why} ({claim.ref})"


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.name for c in CLAIMS])
def test_each_row_flags_its_positive_control(claim):
    assert flagged(claim, Passage("control", claim.control, frozenset({"policy"})))


def test_the_scan_reaches_every_kind_of_trainee_facing_text(texts):
    wheres = [p.where for p in texts]
    for kind in (r"^policy point ", r" summary$", r" takeaway \d+$", r" lesson ", r"^scenario ", r" stem$",
                 r" option [a-e]$", r" feedback ", r" explanation$"):
        assert any(re.search(kind, w) for w in wheres), kind
