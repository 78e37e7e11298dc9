"""Quiz widgets shared by the module page: take an attempt, then show its graded result."""

from __future__ import annotations

import streamlit as st

from app_pages import common
from db.engine import read_session, write_session
from training.content import Catalog
from training.errors import TrainingError
from training.identity.principal import Principal
from training.quizzes import (
    OpenAttempt,
    ShownQuestion,
    quiz_state,
    save_answer,
    set_option,
    start_or_resume_attempt,
    submit_attempt,
    unanswered,
)
from training.review import AttemptReview, ReviewQuestion, attempt_review

RESULT = "quiz.result.{}"
ERROR = "quiz.error"
# A save found the session ended or the attempt closed: the question's fragment reruns the whole
# app, so the router shows the sign-in form or the page shows the error. Full runs clear it.
RERUN_APP = "quiz.rerun_app"


def _save(who: Principal, attempt_id: int, position: int, keys: list[tuple[str, str]], multi: bool) -> None:
    acting = common.acting_principal(who)  # callbacks run before the router: check the session first
    if acting is None:
        st.session_state[RERUN_APP] = True
        return
    try:
        with write_session(common.engine()) as s:
            if multi:  # one box changed: the server keeps the others as saved (see set_option)
                oid, key = keys[0]
                picked = bool(st.session_state.get(key))
                set_option(session=s, actor=acting, attempt_id=attempt_id, position=position, option_id=oid,
                           picked=picked)
                known = _known(key.rsplit(".", 1)[0])
                have = set(st.session_state.get(known, set()))
                st.session_state[known] = have | {oid} if picked else have - {oid}
            else:
                choice = st.session_state.get(keys[0][1])
                save_answer(session=s, actor=acting, attempt_id=attempt_id, position=position,
                            chosen=[choice] if choice else [])
                st.session_state[_known(keys[0][1])] = {choice} if choice else set()
    except TrainingError as exc:
        st.session_state[ERROR] = str(exc)
        st.session_state[RERUN_APP] = True


def _known(base: str) -> str:
    """Where a session keeps the choices it knows the server has saved for one question."""
    return f"{base}.known"


def _save_what_is_shown(who: Principal, attempt_id: int, position: int, shown: set[str], multi: bool,
                        base: str) -> None:
    """Save a choice the page shows but the server never saved; normally there is none.

    When a replica dies, Streamlit's page reconnects to another one and reruns with the widget
    values it holds. A choice whose page run the dead replica never finished arrives there as a
    plain value: the new session has no callbacks registered yet, so nothing saves it, yet the
    trainee sees it chosen. Saving it here keeps "what the trainee sees is what is graded".
    Only choices this session has not seen saved are written, option by option for a
    multi-select question, so a choice saved from another tab is never undone."""
    known: set[str] = st.session_state[_known(base)]
    if shown == known:
        return
    acting = common.acting_principal(who)
    if acting is None:
        return
    try:
        with write_session(common.engine()) as s:
            if multi:
                for oid in sorted(shown ^ known):
                    set_option(session=s, actor=acting, attempt_id=attempt_id, position=position, option_id=oid,
                               picked=oid in shown)
            else:
                save_answer(session=s, actor=acting, attempt_id=attempt_id, position=position, chosen=sorted(shown))
    except TrainingError as exc:
        st.session_state[ERROR] = str(exc)  # shown on the next full run; not retried
    st.session_state[_known(base)] = set(shown)


def begin_full_run() -> None:
    """Called by a page's full run before its questions: a pending whole-app rerun has happened."""
    st.session_state.pop(RERUN_APP, None)


def show_error() -> None:
    error = st.session_state.pop(ERROR, None)
    if error:
        st.error(error)


@st.fragment
def question(who: Principal, attempt_id: int, q: ShownQuestion, saved: tuple[str, ...], total: int,
             prefix: str) -> None:
    """One question of an open attempt. Choosing an answer saves it (_save, which re-checks the
    session on the server) and reruns only this fragment, not the router and the whole page."""
    if st.session_state.pop(RERUN_APP, False):
        st.rerun(scope="app")
    with st.container(border=True):
        st.markdown(f"**Question {q.position} of {total}**")
        if q.scenario:
            st.info(q.scenario)
        base = f"{prefix}.{attempt_id}.{q.position}"
        st.session_state.setdefault(_known(base), set(saved))
        labels = {o.id: o.text for o in q.options}
        if q.type == "multi":
            st.markdown(f"{q.stem}  \n*Select all that apply.*")
            shown = set()
            for o in q.options:
                key = f"{base}.{o.id}"
                if st.checkbox(labels[o.id], key=key, value=o.id in saved,
                               on_change=_save, args=(who, attempt_id, q.position, [(o.id, key)], True)):
                    shown.add(o.id)
        else:
            ids = [o.id for o in q.options]
            index = ids.index(saved[0]) if saved and saved[0] in ids else None
            choice = st.radio(q.stem, ids, key=base, index=index, format_func=labels.__getitem__,
                              on_change=_save, args=(who, attempt_id, q.position, [("", base)], False))
            shown = {choice} if choice else set()
    _save_what_is_shown(who, attempt_id, q.position, shown, q.type == "multi", base)


def show_questions(who: Principal, attempt: OpenAttempt, prefix: str) -> None:
    """Every question of an open attempt, each its own fragment (shared with Re-certify)."""
    begin_full_run()
    for q in attempt.questions:
        question(who, attempt.attempt_id, q, attempt.chosen.get(q.position, ()), len(attempt.questions), prefix)


def _submit(who: Principal, cat: Catalog, attempt_id: int, quiz_id: str) -> None:
    acting = common.acting_principal(who)  # callbacks run before the router: check the session first
    if acting is None:
        return
    try:
        if not st.session_state.get(f"quiz.confirm.{attempt_id}"):
            # Answers were saved by question fragments since this button was drawn, so what is
            # unanswered is counted now, on the server; unanswered ones need a confirmation.
            with read_session(common.engine()) as s:
                missing = unanswered(session=s, actor=acting, attempt_id=attempt_id)
            if missing:
                st.session_state[f"quiz.asked.{attempt_id}"] = True
                return
        with write_session(common.engine()) as s:
            result = submit_attempt(session=s, actor=acting, catalog=cat, attempt_id=attempt_id)
        st.session_state[RESULT.format(quiz_id)] = result.attempt_id
        st.session_state.pop(f"quiz.open.{quiz_id}", None)  # a retake starts only when asked for
    except TrainingError as exc:
        st.session_state[ERROR] = str(exc)


def show_quiz(who: Principal, cat: Catalog, quiz_id: str, *, unread: int) -> None:
    quiz = cat.quizzes.get(quiz_id)
    st.header(quiz.title if quiz else "Quiz")
    show_error()
    shown = st.session_state.get(RESULT.format(quiz_id))
    if shown:
        with read_session(common.engine()) as s:
            review = attempt_review(session=s, actor=who, catalog=cat, attempt_id=shown)
        show_review(review)
        if st.button("Back to the quiz", key=f"quiz.back.{quiz_id}"):
            st.session_state.pop(RESULT.format(quiz_id), None)
            st.rerun()
        return
    if quiz is None or not cat.quiz_available(quiz_id):
        st.warning("This quiz is not available right now; the training office has been told.")
        return
    if unread:
        st.info(f"Read the remaining {unread} lesson{'' if unread == 1 else 's'} first; "
                "the quiz opens when every lesson is read.")
        return
    st.caption(f"Pass mark {quiz.pass_mark}%. "
               + (f"Up to {quiz.attempt_limit} attempts. " if quiz.attempt_limit else "")
               + (f"After a failed attempt, wait {quiz.retake_wait_minutes} minutes before a retake. "
                  if quiz.retake_wait_minutes else "")
               + "Your answers are saved as you go; you can close the page and resume later.")
    open_key, start_key = f"quiz.open.{quiz_id}", f"quiz.start.{quiz_id}"
    # Starting in this run: the Start button was pressed (its value is readable before it is drawn)
    # or this session started the quiz before. Then the read below also draws the questions, so
    # the write transaction only re-checks and writes (training/quizzes.py, quiz_state).
    pressed = st.session_state.get(start_key) is True
    starting = pressed or bool(st.session_state.get(open_key))
    with read_session(common.engine()) as s:  # resuming and answering never take the write lock
        state = quiz_state(session=s, actor=who, catalog=cat, quiz_id=quiz_id, starting=starting)
    if state.blocked:
        st.info(state.blocked)
        return
    attempt = state.attempt
    if attempt is None and pressed:
        st.session_state[open_key] = True  # pressed: no button to draw and clear in this run
    if attempt is None and not st.session_state.get(open_key):
        slot = st.empty()
        if not slot.button("Start the quiz", key=start_key, type="primary"):
            return
        slot.empty()  # started in this same run: no second page run just to draw the questions
        st.session_state[open_key] = True
    if attempt is None:
        try:
            with write_session(common.engine()) as s:
                attempt = start_or_resume_attempt(session=s, actor=who, catalog=cat, quiz_id=quiz_id,
                                                  prepared=state.prepared)
        except TrainingError as exc:
            st.error(str(exc))
            return
    _show_questions(who, cat, attempt)


def _show_questions(who: Principal, cat: Catalog, attempt: OpenAttempt) -> None:
    st.caption(f"Attempt {attempt.attempt_number} · {len(attempt.questions)} questions")
    show_questions(who, attempt, "quiz")
    missing = len(attempt.questions) - len([p for p, c in attempt.chosen.items() if c])
    confirmed = True
    if missing and st.session_state.get(f"quiz.asked.{attempt.attempt_id}"):
        st.warning(f"{missing} question(s) not answered yet; unanswered questions score zero.")
        confirmed = st.checkbox(f"Submit with {missing} unanswered question(s)", key=f"quiz.confirm.{attempt.attempt_id}")
    st.button("Submit answers", key=f"quiz.submit.{attempt.attempt_id}", type="primary", on_click=_submit,
              args=(who, cat, attempt.attempt_id, attempt.quiz_id), disabled=not confirmed)


def show_review(review: AttemptReview) -> None:
    """A submitted attempt as the server allows this viewer to see it (training/review.py)."""
    verdict = "Passed" if review.passed else "Not passed"
    (st.success if review.passed else st.error)(
        f"{verdict}: you scored {review.score:.0f}% (pass mark {review.pass_mark}%).")
    if review.completion_id:
        st.caption("This module is now complete. Your certificate is under My records.")
    if review.mode == "chosen":
        wrong = [q.position for q in review.questions if not q.correct]
        st.info("Questions to work on: " + (", ".join(map(str, wrong)) or "none") + ". "
                + ("Below is why each choice you made was right or not, and what to reread. The answers "
                   "are not shown: a retake draws questions you have not seen yet." if review.retakes_left
                   else "Below is why each choice you made was right or not, and what to reread."))
    for qr in review.questions:
        mark = (":green[:material/check_circle:]" if qr.correct else
                (":orange[:material/contrast:]" if qr.credit > 0 else ":red[:material/cancel:]"))
        with st.container(border=True):
            st.markdown(f"{mark} **Question {qr.position}** · credit {qr.credit:.2f}")
            if qr.type is None:
                st.caption("You did not answer this question.")
                continue
            _show_reviewed_question(qr, full=review.mode == "full")


def _show_reviewed_question(qr: ReviewQuestion, *, full: bool) -> None:
    if qr.scenario:
        st.caption(qr.scenario)
    st.markdown(qr.stem or "")
    for o in qr.options:
        tag = "" if o.correct is None else (" — *correct answer*" if o.correct else " — *not correct*")
        st.markdown(f"- {'**Your choice:** ' if o.chosen else ''}{o.text}{tag}")
        if o.chosen:
            st.caption(f"Feedback: {o.feedback}")
    if full and not qr.answered:
        st.caption("You did not answer this question.")
    if qr.explanation:
        st.markdown(f"**Why:** {qr.explanation}")
    st.caption("Policy points: " + "; ".join(f"{p.title} ({p.source})" if p.source else p.title for p in qr.points))
    lessons = sorted({lesson for p in qr.points for lesson in p.lessons})
    if lessons and not qr.correct:
        st.caption("Reread: " + "; ".join(lessons))
