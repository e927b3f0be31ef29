"""Class mode on a student's phone: join with a code, vote, then see the answer and the run."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard import class_store
from dashboard.class_store import (
    ClassError,
    ClassState,
    LateVoteError,
    StoreUnavailableError,
    UnknownClassError,
    Vote,
)
from dashboard.views import classes, common
from tinynet.explain import bonus_graded
from tinynet.number_words import number_text

# Seconds between a phone's looks at the class. Each look is a fragment run of a few
# milliseconds of server time: 200 phones cost about a quarter of a core (measured by
# benchmarks.class_sessions), and a question or the reveal reaches them within about this
# and SHARED (p95 under 3 s, benchmarks.class_servers).
EVERY = 2.0
SHARED = 0.5  # seconds that the phones of one server share one read of the class


@dataclass(frozen=True)
class Seat:
    """A student's place in a class: its code, and the key that is their only identity."""

    code: str
    key: str


def requested() -> bool:
    """Whether the address asks for the student's page (``?join=CODE``, or ``?join`` alone)."""
    return "join" in st.query_params


@st.cache_data(ttl=SHARED, max_entries=256, show_spinner=False)
def shared_state(code: str) -> ClassState:
    """The class as every phone sees it (nothing of any one student), read from the
    database at most once per SHARED seconds for all of them."""
    return classes.store().state(code)


# -------------------------------------------------------------- joining
def join(code: str) -> None:
    """Take a seat in the class; the key this browser kept, if any, keeps its old seat."""
    key = classes.store().join(code, classes.remembered_key(classes.STUDENT), classes.client())
    st.session_state.class_seat = Seat(code.strip().upper(), key)


def seat() -> Seat | None:
    """This page's seat: the link's class, joined on the page's first run with it."""
    code = st.query_params.get("join", "")
    held = st.session_state.get("class_seat")
    if held is not None and held.code == code.strip().upper():
        return held
    st.session_state.class_seat = None
    if code:
        join(code)  # ClassError, StoreUnavailableError: the caller says why
    return st.session_state.class_seat


def join_typed() -> None:
    """The code field's button: join, and put the code in the address, for reloads (or
    take the link's bad code out of it: one message, about the code just typed)."""
    try:
        join(st.session_state.class_typed)
    except (ClassError, StoreUnavailableError) as error:
        st.session_state.class_notice = str(error)
        st.query_params["join"] = ""
        return
    st.query_params["join"] = st.session_state.class_seat.code


def ask_code() -> None:
    with st.form("class_join", border=False, enter_to_submit=True):
        st.text_input("Class code", max_chars=16, placeholder="K7XQ2M", key="class_typed")
        st.form_submit_button("Join", type="primary", on_click=join_typed)


def notice() -> None:
    """Once, why the last step could not be taken."""
    if "class_notice" in st.session_state:
        st.error(st.session_state.pop("class_notice"))


# -------------------------------------------------------------- voting
def vote(choice: str) -> None:
    """An answer's button, or a changed bonus guess: this student's vote in the round the
    page showed. Refused because another round is open: the page shows that one, to vote again."""
    held = st.session_state.class_seat
    bonus = st.session_state.get("class_guess")
    shown = st.session_state.get("class_question_shown"), st.session_state.get("class_round_shown")
    st.session_state.pop("class_mine", None)  # read again after this
    try:
        classes.store().vote(held.code, held.key, choice, bonus, *shown)
    except (ClassError, StoreUnavailableError) as error:
        st.session_state.class_notice = str(error)
        st.session_state.class_fresh = isinstance(error, LateVoteError)
        return
    st.session_state.class_mine = shown, Vote(choice, bonus, shown[1])  # the store took it
    st.session_state.class_last_guess = bonus  # offered again in round 2
    st.session_state.class_focus = choice  # the answer keeps the keyboard's focus


def guessed() -> None:
    """A new bonus guess replaces the last one, with the same answer, if there is one."""
    if st.session_state.get("class_choice"):
        vote(st.session_state.class_choice)


def mine(state: ClassState, held: Seat) -> Vote | None:
    """This student's vote in this round, asked of the database once a round (and after each
    vote), not at every look."""
    this_round = (state.question_number, state.round_number)
    kept = st.session_state.get("class_mine")
    if kept is None or kept[0] != this_round:
        kept = this_round, classes.store().my_vote(held.code, held.key)
        st.session_state.class_mine = kept
    return kept[1]


def voting(state: ClassState, held: Seat, words: dict[str, str]) -> None:
    chosen = mine(state, held)
    st.session_state.class_choice = chosen.choice if chosen else None
    focused = st.session_state.pop("class_focus", None)
    with st.container(key="class_answers"):
        for choice in state.choices:
            picked = chosen is not None and chosen.choice == choice
            with common.focus_here(focused == choice):
                st.button(
                    words.get(choice, choice),
                    on_click=vote,
                    args=(choice,),
                    key=f"class_vote_{choice}",
                    type="primary" if picked else "secondary",
                    icon=":material/check_circle:" if picked else None,
                    width="stretch",
                )
    if state.asks_bonus:
        st.number_input(
            "Bonus: the weight after the first update (optional)",
            min_value=-class_store.MAX_NUMBER,
            max_value=class_store.MAX_NUMBER,
            value=st.session_state.get("class_last_guess"),
            format="%g",
            key="class_guess",
            on_change=guessed,
        )
    if chosen is None:
        classes.news(
            f"Question {state.question_number}, round {state.round_number}: vote now. Tap the "
            "answer you think is right. You can change it until voting closes."
        )
        return
    bonus = "" if chosen.bonus is None else f", with the bonus {number_text(chosen.bonus, 10)}"
    said = f"**Your vote is in:** {words.get(chosen.choice, chosen.choice).lower()}{bonus}."
    classes.news(f"{said} You can change it until voting closes.", st.success)


def closed(state: ClassState, held: Seat, words: dict[str, str]) -> None:
    chosen = mine(state, held)
    if chosen is None:
        said = "Voting is closed, and you did not vote in this round."
    else:
        said = f"Voting is closed. Your vote: {words.get(chosen.choice, chosen.choice).lower()}."
    classes.news(said)
    st.markdown("Talk it over with your neighbours while you wait for your teacher.")


def asked(state: ClassState) -> classes.Question | None:
    """The question's title and set-up (nothing about how it ends); None if unreadable."""
    return classes.show_question(state, st.header)


@st.fragment(run_every=EVERY)
def panel(held: Seat) -> None:
    """The phone's screen until the reveal, redrawn from the class at every look and after
    every tap: waiting, the question and its answers, then voting closed. The reveal and the
    end of the class redraw the whole page instead (it shows the run)."""
    try:
        fresh = st.session_state.pop("class_fresh", False)  # not the phones' shared look
        state = classes.store().state(held.code) if fresh else shared_state(held.code)
    except UnknownClassError:
        st.rerun()
    except StoreUnavailableError:
        st.error(classes.UNREACHABLE)
        return
    except ClassError as error:
        st.error(f"{error} This page keeps trying.")
        return
    if state.phase == "revealed":
        st.rerun()
    notice()
    if state.phase == "waiting":
        classes.news("You are in. Your teacher's question will appear here.")
        return
    if st.session_state.get("class_question_shown") != state.question_number:
        for key in ("class_guess", "class_last_guess"):  # a new question: no guess carried over
            st.session_state.pop(key, None)
        st.session_state.class_question_shown = state.question_number
    st.session_state.class_round_shown = state.round_number
    question = asked(state)
    if question is None:
        return
    if state.phase == "voting" and state.round_number > 1:
        st.markdown("**Round 2:** after talking it over, vote again (or keep your answer).")
    st.markdown(f"**{classes.prompt(question)}**")
    try:
        if state.phase == "voting":
            voting(state, held, classes.answers(question))
        else:
            closed(state, held, classes.answers(question))
    except StoreUnavailableError:
        st.error(classes.UNREACHABLE)


# -------------------------------------------------------------- the reveal
@st.fragment(run_every=EVERY)
def watch(code: str, question_number: int) -> None:
    """After the reveal: redraw the page when the class moves on (the next question, the
    end). Until then it draws nothing, so that the run's charts are sent only once."""
    try:
        state = shared_state(code)
    except UnknownClassError:
        st.rerun()
    except (ClassError, StoreUnavailableError):
        return
    if (state.phase, state.question_number) != ("revealed", question_number):
        st.rerun()


def result(state: ClassState, held: Seat, question: classes.Question) -> None:
    """Right or wrong on this student's last vote, and the bonus against the true weight."""
    last = classes.store().my_vote(held.code, held.key)
    right, said = classes.graded_vote(question, last and last.choice, state.answer)
    if right is None:
        classes.news(f"{said} You did not vote on this question.")
    else:
        classes.news(said, st.success if right else st.error)
    if state.next_weight is not None:
        st.markdown(bonus_graded(last and last.bonus, state.next_weight))


def revealed(state: ClassState, held: Seat, page: common.Page) -> None:
    settings = asked(state)
    if settings is None:
        return
    result(state, held, settings)
    st.markdown(classes.reason(settings))
    st.subheader("The run")
    classes.show_run(settings, page)


def show() -> None:
    """The student's page: only the class's question, never the answer before the reveal."""
    st.title("Class vote")
    had = st.session_state.get("class_seat")
    try:
        held = seat()
        state = shared_state(held.code) if held else None
    except UnknownClassError as error:
        st.error("This class is over." if had and held and had == held else str(error))
        held = None
    except StoreUnavailableError:  # the link's class is joined once the database answers
        classes.unreachable()
        held = None
    except ClassError as error:
        st.error(str(error))
        held = None
    if held is None:
        notice()
        ask_code()
        return
    classes.remember_key(classes.STUDENT, held.key)
    if state.phase != "revealed":
        panel(held)
        return
    page = common.Page(phone=common.is_phone())
    try:
        revealed(state, held, page)
    except StoreUnavailableError:
        classes.unreachable()
        return
    watch(held.code, state.question_number)
