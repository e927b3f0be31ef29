"""Class mode on the projector: start a class, ask, show the class's votes, reveal the run."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import segno
import streamlit as st

from dashboard import class_charts
from dashboard.class_store import ClassError, ClassState, StoreUnavailableError, UnknownClassError
from dashboard.views import classes, common
from tinynet.explain import ANSWERS
from tinynet.number_words import number_text

# Seconds between the live count's refreshes: a vote shows within about this, and one
# projector asking twice a second costs the server about 1 % of a core.
EVERY = 0.5
# Seconds between the page's heartbeats, in every phase: the class stays open while a page
# shows it (the store writes once a minute at most), and a lost database shows within this.
HEARTBEAT = 5.0
# Until a reveal no run's ending shows: while the class waits, the teacher picks the next
# question, maybe the sidebar's own set-up, on the projector in front of the class.
OPEN = ("waiting", "voting", "closed")


@dataclass(frozen=True)
class Running:
    """The class this page runs: its join code, and the teacher's key, which lives in the
    server's memory and in this browser's cookie, never on the page or in the address."""

    code: str
    key: str


def current() -> Running | None:
    """This page's class. On a page's first run, the open class that the key its browser
    kept runs, if any: a reloaded projector finds its way back without showing the key."""
    if "class_running" not in st.session_state:
        key = classes.remembered_key(classes.TEACHER)
        code = None
        if key:
            try:
                code = classes.store().resume(key)
            except ClassError:  # a cookie that holds no key
                code = None
            except StoreUnavailableError:
                return None  # unknown for now: the next run asks again
        st.session_state.class_running = Running(code, key) if code else None
    return st.session_state.class_running


def keeps_answer() -> bool:
    """Whether this page's class is between questions or has one open: no run's ending may
    show until the reveal."""
    running = current()
    if running is None:
        return False
    try:
        st.session_state.class_phase = classes.store().state(running.code).phase
    except ClassError:
        return False  # the class is over; its panel says so
    except StoreUnavailableError:
        pass  # what was last seen stands until the database answers again
    return st.session_state.get("class_phase") in OPEN


# -------------------------------------------------------------- the teacher's steps
def _step(action: Callable[..., None], *more: object) -> None:
    """A teacher's button: run ``action`` on this page's class, keeping a refusal to show."""
    running = st.session_state.get("class_running")
    if running is None:  # a button of a page drawn before its class ended elsewhere
        return
    st.session_state.class_focus = True  # the next step's button takes the keyboard's focus
    try:
        action(running, *more)
    except (ClassError, StoreUnavailableError) as error:
        st.session_state.class_notice = str(error)


def start() -> None:
    st.session_state.class_focus = True
    try:
        code, key = classes.store().start(classes.client())
    except (ClassError, StoreUnavailableError) as error:
        st.session_state.class_notice = str(error)
        return
    st.session_state.class_running = Running(code, key)


def ask(running: Running, settings: classes.SetUp, source_key: str) -> None:
    asked = classes.question(st.session_state[source_key], settings)
    question = classes.settings_of(asked)
    answer, weight = classes.truth(question)
    if st.session_state.class_bonus and weight is None:
        raise ClassError(
            "This question's first update is too big to guess, or it has none: ask without "
            "the bonus."
        )
    bonus = weight if st.session_state.class_bonus else None
    choices = classes.choices(question)
    classes.store().ask(running.code, running.key, asked, choices, answer, bonus)


def close(running: Running) -> None:
    classes.store().close_voting(running.code, running.key)


def again(running: Running) -> None:
    classes.store().vote_again(running.code, running.key)


def next_question(running: Running) -> None:
    classes.store().next_question(running.code, running.key)


def reveal(running: Running) -> None:
    """Reveal, then load the question's set-up: the header and sidebar show its run too."""
    store = classes.store()
    store.reveal(running.code, running.key)
    classes.load(classes.settings_of(store.state(running.code).question))


def ask_to_end(running: Running) -> None:
    """Ask before ending: a class is every student's too, and an ended one is gone."""
    st.session_state.class_confirming_end = True


def end(running: Running) -> None:
    st.session_state.class_confirming_end = False
    classes.store().end(running.code, running.key)
    st.session_state.class_running = None
    st.session_state.class_forget = True


def cancel_end() -> None:
    st.session_state.class_confirming_end = False
    st.session_state.class_focus = True


def confirm_end() -> None:
    """The question before a class ends, with the two ways out."""
    st.warning("End the class for everyone? Every phone will say it is over.")
    with st.container(horizontal=True):
        button("Yes, end the class", end, primary=True)
        with common.focus_here(focusing()):  # the way out that loses nothing
            st.button("Keep the class", on_click=cancel_end, key="class_keep")


def focusing() -> bool:
    """Whether a step just took the keyboard's focus away: asked once, by the first place
    that can take it (the confirmation's way out, else the phase's steps)."""
    return st.session_state.pop("class_focus", False)


def button(label: str, action: Callable[..., None], *more: object, primary: bool = False) -> None:
    """The button of a teacher's step: ``action(running, *more)`` when pressed."""
    st.button(
        label,
        on_click=_step,
        args=(action, *more),
        type="primary" if primary else "secondary",
        key="class_" + "_".join(re.findall(r"\w+", label.lower())),
    )


# -------------------------------------------------------------- what the projector shows
def join_link(code: str) -> str:
    return f"{common.address()}/?join={code}"


@st.cache_data(max_entries=32, show_spinner=False)
def qr_code(link: str) -> bytes:
    """The link as a QR code, in PNG (segno: pure Python)."""
    image = io.BytesIO()
    segno.make(link, error="m").save(image, kind="png", scale=12, border=4)
    return image.getvalue()


@st.fragment(run_every=HEARTBEAT)
def heartbeat(running: Running) -> None:
    """The page's sign of life in every phase, which keeps its class open however long the
    talk between questions; it says when the database cannot be reached, and the page is
    drawn again once it answers."""
    try:
        classes.store().seen(running.code, running.key)
    except StoreUnavailableError:
        st.session_state.class_unreachable = True
        st.error(classes.UNREACHABLE)
        return
    except UnknownClassError:
        st.rerun()  # ended elsewhere, or idle for long: the page says so
    except ClassError:
        return  # not this page's class to keep: its next full run says what it is
    if st.session_state.pop("class_unreachable", False):
        st.rerun()


@st.fragment(run_every=EVERY)
def live(code: str, phase: str) -> None:
    """The count that changes while the class waits or votes, redrawn on its own: how many
    have joined, or how many have voted (never what: that would sway the rest)."""
    try:
        state = classes.store().state(code)
    except ClassError as error:
        st.warning(str(error))
        return
    except StoreUnavailableError:
        return  # the heartbeat says so, at the top of the page
    if state.phase != phase:  # changed from another tab of this class
        st.rerun()
    with st.container(key="class_live"):
        if phase == "voting":
            st.metric("Votes in", f"{state.votes} of {state.students}")
        else:
            st.metric("Students joined", state.students)


def joining(code: str, phase: str) -> None:
    """How to join: large while the class waits, one line once a question is open."""
    link = join_link(code)
    if phase != "waiting":
        st.markdown(f"Join with the code **{code}** at")
        st.code(link, language=None, wrap_lines=True)
        return
    words, picture = st.columns([3, 2], vertical_alignment="center")
    with words:
        st.markdown("Join on your phone with this code:")
        with st.container(key="class_code"):
            st.markdown(code)
        st.markdown("Scan the QR code, or open:")
        st.code(link, language=None, wrap_lines=True)
        live(code, phase)
    with picture:
        # PNG, not the JPEG Streamlit picks for bytes: blurred edges scan badly.
        st.image(
            qr_code(link), width=300, output_format="PNG", alt=f"QR code of the join link, {link}"
        )


def asked(state: ClassState) -> classes.Question | None:
    """The question as the class sees it: its set-up and the four answers, not the truth."""
    settings = classes.show_question(state, st.subheader)
    if settings is None:
        return None
    if state.phase == "voting" and state.round_number > 1:
        st.markdown(f"**Round {state.round_number}**: vote again after talking it over.")
    words = classes.answers(settings)
    answers = "\n".join(f"- {words[choice]}" for choice in state.choices if choice in words)
    bonus = "\n\nBonus: the weight after the first update." if state.asks_bonus else ""
    st.markdown(f"**{classes.prompt(settings)}**\n\n{answers}{bonus}")
    return settings


def votes(state: ClassState, page: common.Page) -> None:
    """The answers' bars, the rounds side by side, beside the histogram of the bonus guesses;
    the right answer and the true weight marked once revealed."""
    tally = classes.store().tally(state.code)
    try:
        words = classes.answers(classes.settings_of(state.question))
    except ValueError:
        words = ANSWERS
    labels = [words.get(choice, choice) for choice in tally.choices]
    counts = [[round_counts[choice] for choice in tally.choices] for round_counts in tally.counts]
    right = tally.choices.index(state.answer) if state.answer in tally.choices else None
    answers, guesses = st.columns(2) if state.asks_bonus else (st.container(), None)
    with answers:
        figure = class_charts.votes_figure(labels, counts, right, page.look)
        common.chart(figure, "class_votes", class_charts.votes_words(labels, counts, right))
    if guesses is None:
        return
    with guesses:
        if not any(tally.bonuses):
            st.caption("Nobody has guessed the bonus.")
            return
        figure = class_charts.bonus_figure(tally.bonuses, state.next_weight, page.look)
        words = class_charts.bonus_words(tally.bonuses, state.next_weight)
        common.chart(figure, "class_bonus", words)


def steps(*buttons: tuple[str, Callable[..., None]]) -> None:
    """The teacher's buttons for this phase, in a row at the top, the first one primary."""
    with common.focus_here(focusing()), st.container(horizontal=True):
        for number, (label, action) in enumerate(buttons):
            button(label, action, primary=number == 0)


def question_and_join(running: Running, state: ClassState) -> classes.Question | None:
    """The question beside how to join (late comers still can) and, while voting, the count."""
    question, side = st.columns([3, 2])
    with question:
        settings = asked(state)
    with side:
        joining(running.code, state.phase)
        if state.phase == "voting":
            live(running.code, state.phase)
    return settings


def waiting(running: Running, state: ClassState, settings: classes.SetUp) -> None:
    joining(running.code, state.phase)
    st.subheader("Ask a question")
    offered = classes.questions(settings)
    lesson_one = offered is classes.QUESTIONS
    source_key = "class_source" if lesson_one else "class_line_source"  # their keys differ
    source = st.radio(
        "The question: what will the weight do in…" if lesson_one else "The question",
        tuple(offered),
        format_func=offered.get,
        key=source_key,
    )
    try:
        chosen = classes.settings_of(classes.question(source, settings))
    except ClassError as error:
        st.warning(str(error))
        return
    st.caption(classes.described(chosen))
    if (unsure := classes.unsure(chosen)) is not None:
        st.warning(unsure)
    st.toggle("Bonus: also ask for the weight after the first update", key="class_bonus")
    with common.focus_here(focusing()), st.container(horizontal=True):
        button("Open voting", ask, settings, source_key, primary=True)
        button("End class", ask_to_end)


def voting(running: Running, state: ClassState) -> None:
    steps(("Close voting", close), ("End class", ask_to_end))
    question_and_join(running, state)


def closed(running: Running, state: ClassState, page: common.Page) -> None:
    # Peer instruction's next step first: discuss and vote again, then reveal.
    first = (("Vote again", again), ("Reveal", reveal)) if state.round_number < 2 else ()
    steps(
        *(first or (("Reveal", reveal),)),
        ("Next question", next_question),
        ("End class", ask_to_end),
    )
    question_and_join(running, state)
    votes(state, page)


def revealed(running: Running, state: ClassState, page: common.Page) -> None:
    steps(("Next question", next_question), ("End class", ask_to_end))
    settings = question_and_join(running, state)
    if settings is None:
        votes(state, page)
        return
    answer = classes.answers(settings)[state.answer].lower()
    said = f"**The answer: {answer}.** {classes.reason(settings)}"
    if state.next_weight is not None:
        said += f" After the first update the weight is {number_text(state.next_weight, 10)}."
    st.success(said)
    votes(state, page)
    classes.show_run(settings, page)


def show(settings: classes.SetUp, page: common.Page) -> None:
    """Class mode: a button to start a class, or the class this page runs, as it stands."""
    st.header("Class mode")
    if "class_notice" in st.session_state:
        st.warning(st.session_state.pop("class_notice"))
    running = current()
    if "class_running" not in st.session_state:  # its class unknown until the database answers
        classes.unreachable()
        return
    state = None
    if running is not None:
        try:
            state = classes.store().state(running.code)
        except ClassError:
            st.info("This class is over: it was ended, or it sat idle for an hour.")
            st.session_state.class_running, running = None, None
            st.session_state.class_forget = True
        except StoreUnavailableError:
            classes.unreachable()
            return
    if running is None or state is None:
        if st.session_state.pop("class_forget", False):
            classes.remember_key(classes.TEACHER, None)
        st.markdown(
            "Every student votes from their phone on what a run will do, the projector shows "
            "how the class voted, you discuss, they vote again, and then the run reveals the "
            "answer. No accounts, and no names."
        )
        with common.focus_here(focusing()):
            st.button("Start a class", on_click=start, type="primary", key="class_start")
        return
    classes.remember_key(classes.TEACHER, running.key)
    heartbeat(running)
    st.session_state.class_phase = state.phase
    if st.session_state.get("class_confirming_end"):
        confirm_end()
    if state.phase == "waiting":
        waiting(running, state, settings)
    elif state.phase == "voting":
        voting(running, state)
    elif state.phase == "closed":
        closed(running, state, page)
    else:
        revealed(running, state, page)
