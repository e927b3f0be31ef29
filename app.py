"""tinynet's dashboard: watch a one-weight network learn, and see why alpha matters."""

from __future__ import annotations

import dataclasses
import functools
import math
import string
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

import tinynet
from tinynet import figures
from tinynet.analysis import stability, up_and_down_limit, verdict
from tinynet.explain import (
    REGIME_NAMES,
    bounce_sentence,
    method_text,
    regime_sentence,
    worked_step,
)
from tinynet.presets import PRESETS, label
from tinynet.sharing import (
    CONTROLS,
    FIELDS,
    VIEWS,
    parse_query,
    python_code,
    settings_from,
    to_query,
)
from tinynet.sweep import alpha_grid, sweep

METHOD_NAMES = {"up_and_down": "Up and down", "gradient_descent": "Gradient descent"}
REGIME_COLOURS = {
    "stalls": ("gray", ":material/pause_circle:"),
    "converges": ("green", ":material/check_circle:"),
    "one_step": ("green", ":material/target:"),
    "oscillates_converges": ("orange", ":material/swap_horiz:"),
    "oscillates_forever": ("orange", ":material/sync:"),
    "diverges": ("red", ":material/warning:"),
}
PRESET_OF = {preset.key: preset for preset in PRESETS}
NUMBERS = {  # the sidebar's number controls, in order: label, help, step of the +/- buttons
    "step": ("Step size", "How far each move of up and down goes.", 0.01),
    "alpha": (
        "Alpha (learning rate)",
        "Scales every gradient step. alpha = 1 is the article's run without a learning rate.",
        0.01,
    ),
    "weight": ("Initial weight", "The weight the network starts from.", 0.1),
    "data": ("Data (today's count)", "The input: today's number of patients.", 1.0),
    "target": ("Target (tomorrow's count)", "The true answer the prediction should hit.", 1.0),
    "iterations": ("Iterations", "How many times to predict, measure and update.", 1),
}
VERDICT_BOXES = {
    "converged": st.success,
    "bouncing": st.info,
    "still_moving": st.info,
    "stalled": st.warning,
    "diverged": st.error,
}
GUESSES = {
    "converges": "It settles on the answer",
    "bounces": "It hops around the answer for ever",
    "diverges": "It blows up",
    "stalls": "It does not get anywhere",
}
MAX_PINS = 6
MAX_PROBLEMS = 12  # parts of a bad link named in its notice: one per setting, and one more
PRESENTER_STYLE = "<style>html { font-size: 22px; }</style>"  # Streamlit sizes text in rem
LEARNING_CAPTION = (
    "Top: the error the network made at each iteration. Bottom: what it predicted, against the "
    "target it should hit. Pin a run to keep it on the chart while you change the settings."
)
COMPARISON_CAPTION = (
    "The article's three experiments on the same axes: up and down creeps in and then hops "
    "around the answer, gradient descent without alpha explodes, and with alpha 0.1 it homes in "
    "within a few iterations."
)
CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


# Cached work. The charts and tables of a view are drawn inside one cached function, keyed
# by plain values (a run's settings as a tuple: cheap to hash), so a rerun with the same
# settings replays the finished elements instead of training, building figures and
# serialising them again.
def plain(settings: tinynet.Settings) -> tuple:
    return dataclasses.astuple(settings)


def train(values: tuple) -> tinynet.Run:
    return tinynet.train(**dataclasses.asdict(tinynet.Settings(*values)))


@st.cache_data(max_entries=128)
def draw(view: str, runs: tuple[tuple, ...], labels: tuple[str, ...], at: int, font: int) -> None:
    """The charts and tables of one view: drawn once for each input, replayed after that."""
    DRAWINGS[view]([train(values) for values in runs], labels, at, font)


def chart(figure: object, key: str) -> None:
    st.plotly_chart(figure, width="stretch", key=key, config=CHART_CONFIG)


def draw_learning(
    runs: list[tinynet.Run],
    labels: tuple[str, ...],
    at: int,
    font: int,
    key: str = "learning",
    caption: str = LEARNING_CAPTION,
) -> None:
    """The error and the prediction of several runs per iteration, and what they show."""
    chart(figures.learning_figure(runs, labels, font, clip=len(runs) > 1), key)
    st.caption(caption)


def draw_error_curve(runs: list[tinynet.Run], labels: tuple[str, ...], at: int, font: int) -> None:
    st.markdown("**The error for every weight, and the tangent where the run stands**")
    chart(figures.error_curve_figure(runs[0], at, font), "curve")


def draw_sweep(runs: list[tinynet.Run], labels: tuple[str, ...], at: int, font: int) -> None:
    settings = runs[0].settings
    alphas = alpha_grid(settings.data, settings.alpha, settings.exact_derivative)
    fixed = {name: getattr(settings, name) for name in ("weight", "data", "target", "iterations")}
    result = sweep(alphas, **fixed, exact_derivative=settings.exact_derivative)
    analysis = stability(settings.data, settings.alpha, settings.exact_derivative)
    st.markdown(f"**{len(alphas)} alphas, {settings.iterations} iterations each**")
    chart(figures.sweep_figure(result, settings.alpha, analysis, font), "sweep")


def draw_log(runs: list[tinynet.Run], labels: tuple[str, ...], at: int, font: int) -> None:
    """The history as a table, every number as JavaScript prints it (exact, as in the
    console), and the console lines; for a very long run their middle is left to the CSV."""
    run, shown = runs[0], 500
    table: dict[str, object] = {"iteration": run.iterations}
    for name in ("weights", "predictions", "errors", "updates"):
        numbers = getattr(run, name).tolist()
        table[name.removesuffix("s")] = [tinynet.js_number(number) for number in numbers]
    st.dataframe(
        pd.DataFrame(table),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(run.iterations), 420),
        column_config={"iteration": st.column_config.NumberColumn(format="plain")},
    )
    st.caption(
        "The article prints its progress with JavaScript's console.log; these are the same lines, "
        "number for number, to lay beside it."
    )
    lines = run.log_lines()
    if len(lines) > 2 * shown:
        skipped = f"… {len(lines) - 2 * shown:,} more lines: the CSV has every iteration …"
        lines = [*lines[:shown], skipped, *lines[-shown:]]
    st.code("\n".join(lines), language=None)


DRAWINGS = {
    "Learning": draw_learning,
    "Compare methods": functools.partial(draw_learning, key="compare", caption=COMPARISON_CAPTION),
    "Error curve": draw_error_curve,
    "Every alpha": draw_sweep,
    "Iteration log": draw_log,
}


# Settings: read from the link once per session, held in the widgets' session state,
# written back to the link at the end of every run.
def read_link() -> None:
    """On a session's first run, take the settings from the URL and note what was ignored."""
    if "link_read" in st.session_state:
        return
    values, problems = parse_query({key: st.query_params.get_all(key) for key in st.query_params})
    for key, field in FIELDS.items():
        st.session_state[key] = values.get(key, field.default)
    st.session_state.link_problems = problems
    st.session_state.pins = ()
    st.session_state.link_read = True


def apply(settings: tinynet.Settings) -> None:
    """Load ``settings`` into the controls (a callback: it runs before the widgets)."""
    for key in CONTROLS:
        st.session_state[key] = getattr(settings, "exact_derivative" if key == "exact" else key)
    st.session_state.at = 1


def current_values() -> dict[str, object]:
    return {key: st.session_state[key] for key in FIELDS}


def share_link(values: dict[str, object]) -> str:
    base = (st.context.url or "").split("?")[0]
    query = urlencode(to_query(values))
    return f"{base}?{query}" if query else base


def escape_markdown(text: str) -> str:
    """``text`` shown literally: every ASCII punctuation mark escaped for Markdown."""
    return "".join(f"\\{char}" if char in string.punctuation else char for char in text)


def number_setting(key: str, name: str, help_text: str, step: float, **options: object) -> None:
    """A number input for one of ``FIELDS``, within its allowed range."""
    field = FIELDS[key]
    options = {"min_value": field.low, "max_value": field.high, **options}
    if field.kind is float:  # plain numbers, as typed: 0.05, not 0.05000
        options.setdefault("format", "%g")
    st.number_input(name, step=step, key=key, help=help_text, **options)


def gradient_descent() -> bool:
    return st.session_state.method == "gradient_descent"


def applies(key: str) -> bool:
    """Whether a control applies to the chosen method (the others are not drawn)."""
    if key == "step":
        return not gradient_descent()
    return key not in {"alpha", "exact"} or gradient_descent()


def control(key: str) -> None:
    """The widget of one setting of a run."""
    if key == "method":
        st.radio(
            "Method",
            tuple(METHOD_NAMES),
            format_func=METHOD_NAMES.get,
            key="method",
            help="Up and down tries a fixed step both ways; gradient descent follows the slope.",
        )
    elif key == "exact":
        st.toggle(
            "Exact derivative",
            key="exact",
            help="Use the true slope 2·data·(prediction − target), not the article's half.",
        )
    else:
        number_setting(key, *NUMBERS[key])


def controls(settings: tinynet.Settings, hidden: set[str]) -> None:
    """The sidebar: the article's experiments, then every setting that applies to the method,
    with the forecast after the method's own settings."""
    st.header("Settings")
    st.pills(
        "The article's experiments, in one click",
        tuple(PRESET_OF),
        format_func=title,
        key="preset",
        on_change=load_preset,
        help="Each loads one experiment of the article, as it ran there.",
    )
    for key in CONTROLS:
        if key not in hidden and applies(key):
            control(key)
        if key == ("exact" if gradient_descent() else "step"):
            forecast(settings)
    if hidden:
        st.caption("Some controls are hidden for this lesson.")


def forecast(settings: tinynet.Settings) -> None:
    """What the method will do with these settings, said before anything runs."""
    if settings.method == "gradient_descent":
        analysis = stability(settings.data, settings.alpha, settings.exact_derivative)
        colour, icon = REGIME_COLOURS[analysis.regime]
        badge = f":{colour}-badge[{icon} This alpha {REGIME_NAMES[analysis.regime]}]"
        st.caption(f"{badge} {regime_sentence(analysis)}")
    else:
        bounce = up_and_down_limit(settings.weight, settings.data, settings.target, settings.step)
        st.caption(bounce_sentence(bounce, settings.data))


def title(preset_key: str) -> str:
    return PRESET_OF[preset_key].title


def load_preset() -> None:
    """Load the chosen experiment, then clear the choice so that it can be chosen again."""
    if st.session_state.preset:
        apply(PRESET_OF[st.session_state.preset].settings)
    st.session_state.preset = None


def headline_numbers(settings: tinynet.Settings, run: tinynet.Run) -> None:
    """The final weight, the last prediction and error, and the best weight: short enough
    for a phone, each with its exact value in its help."""
    count = len(run.errors)
    numbers = [("Final weight", run.final_weight, f"The weight after the last of {count} updates.")]
    if count:
        numbers.append(("Prediction", run.predictions[-1], f"Logged at iteration {count}."))
        numbers.append(("Error", run.errors[-1], f"Logged at iteration {count}."))
    for name, value, when in numbers:
        st.metric(name, f"{value:.4g}", help=f"{when} Exactly {tinynet.js_number(value)}.")
    answer = settings.target / settings.data if settings.data else math.nan
    st.metric(
        "Best weight",
        f"{answer:.4g}" if math.isfinite(answer) else "none",
        help="target ÷ data: the weight whose prediction hits the target exactly "
        "(none when data is 0 or the answer is too large for a number).",
    )


def pin() -> None:
    current = settings_from(current_values())
    pins = [pinned for pinned in st.session_state.pins if pinned != current]
    st.session_state.pins = (*pins[-(MAX_PINS - 1) :], current)


def clear_pins() -> None:
    st.session_state.pins = ()


def reveal(preset_key: str) -> None:
    """Keep the student's guess, then load the experiment so its run is on screen."""
    st.session_state.quiz_answer = {
        "preset": preset_key,
        "guess": st.session_state.quiz_guess,
        "weight": st.session_state.quiz_weight,
    }
    apply(PRESET_OF[preset_key].settings)


def show_answer(answer: dict[str, object]) -> None:
    preset = PRESET_OF[answer["preset"]]
    run = train(plain(preset.settings))
    truth = GUESSES[preset.outcome].lower()
    if answer["guess"] == preset.outcome:
        st.success(f"**Right: {truth}.** {preset.lesson}")
    else:
        st.error(
            f"**Not quite: {truth}**, rather than {GUESSES[answer['guess']].lower()}. "
            + preset.lesson
        )
    st.caption(f"{verdict(run).reason} The charts now show this experiment.")
    guess, actual = answer["weight"], float(run.weights[1])
    if guess is not None:
        close = abs(guess - actual) <= 1e-6 * max(1.0, abs(actual))
        st.markdown(
            f"**{'Spot on' if close else 'Not this time'}:** after one update the weight is "
            f"{actual:.10g} (you said {guess:g})."
        )


def learning_view(settings: tinynet.Settings, run: tinynet.Run, font: int) -> None:
    """The error and prediction charts, pins, and how the method learns."""
    pins = tuple(pinned for pinned in st.session_state.pins if pinned != settings)
    runs = tuple(plain(each) for each in (settings, *pins))
    labels = ("this run", *(label(pinned) for pinned in pins))
    draw("Learning", runs, labels, 0, font)
    with st.container(horizontal=True):
        st.button("Pin this run", icon=":material/push_pin:", on_click=pin)
        st.button("Clear pinned runs", on_click=clear_pins, disabled=not st.session_state.pins)
    with st.expander("How this method learns", expanded=True):
        st.markdown(method_text(settings.method, settings.exact_derivative))


def curve_view(settings: tinynet.Settings, run: tinynet.Run, font: int) -> None:
    """The error curve with its tangent, and one iteration worked out."""
    count = len(run.errors)
    if count == 0:
        st.info("The very first error overflowed, so there is no iteration to show.")
        return
    st.session_state.at = min(st.session_state.at, count)
    if count > 1:
        number_setting(
            "at",
            "Iteration to inspect",
            "The iteration drawn on the curve and worked out below; ▶ on the chart plays all.",
            1,
            max_value=count,
        )
    at = st.session_state.at
    draw("Error curve", (plain(settings),), (), at, font)
    st.caption(
        "The grey parabola is the error for every possible weight; its lowest point (the star) "
        "is the answer, target ÷ data. Blue dots are the weights the run visited. The orange "
        "tangent touches the curve at the current weight with the true slope "
        "2·data·(prediction − target); the green arrow is the step to the next weight. Press ▶ "
        "or drag the slider under the chart to move through the iterations."
    )
    st.subheader(f"Iteration {at}, worked out")
    st.latex(worked_step(run, at))
    if settings.method == "up_and_down":
        return
    tangent = tinynet.slope(settings.data, float(run.weights[at - 1]), settings.target)
    if settings.exact_derivative:
        st.caption(
            f"The exact derivative is the tangent's own slope ({tangent:.6g}). With the "
            f"article's half-size gradient the same alpha moves half as far: alpha "
            f"{settings.alpha:g} here does what alpha {2 * settings.alpha:g} does there."
        )
    else:
        st.caption(
            f"The tangent's slope here is {tangent:.6g}, twice the gradient above. Switch on the "
            f"exact derivative and the same alpha moves twice as far, as if alpha were "
            f"{2 * settings.alpha:g} here."
        )


def sweep_view(settings: tinynet.Settings, run: tinynet.Run, font: int) -> None:
    """Every alpha at once."""
    if settings.data == 0:
        st.info("With data 0 the error does not depend on the weight, so every alpha stalls.")
    else:
        draw("Every alpha", (plain(settings),), (), 0, font)
        st.caption(
            f"Each point is a whole gradient-descent run of {settings.iterations} iterations from "
            "this weight, data and target, with its own alpha. Top: the error at the last "
            "iteration. Bottom: how many iterations it took to bring the error under the "
            "tolerance. Small alphas crawl, alphas past the limit blow up; the sweet spot is "
            "between."
        )


def compare_view(settings: tinynet.Settings, run: tinynet.Run, font: int) -> None:
    """The article's three experiments on the same axes."""
    runs = tuple(plain(preset.settings) for preset in PRESETS)
    draw("Compare methods", runs, tuple(preset.title for preset in PRESETS), 0, font)


def log_view(settings: tinynet.Settings, run: tinynet.Run, font: int) -> None:
    """Every iteration's numbers: a table, the CSV and the console lines."""
    st.download_button(
        "Download the log as CSV",
        data=run.to_csv,  # written only when asked for
        file_name=f"tinynet-{settings.method}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
    draw("Iteration log", (plain(settings),), (), 0, font)


def quiz_view(settings: tinynet.Settings, run: tinynet.Run, font: int) -> None:
    """Predict, then reveal."""
    st.markdown("**Predict, then reveal.** Pick an experiment, guess what it will do, then run it.")
    choice = st.selectbox("Experiment", tuple(PRESET_OF), format_func=title, key="quiz_preset")
    chosen = PRESET_OF[choice].settings
    st.caption(
        f"Starts at weight {chosen.weight:g} with data {chosen.data:g} and target "
        f"{chosen.target:g}; "
        f"{label(chosen)}; {chosen.iterations} iterations."
    )
    st.radio(
        "What will the weight do?",
        tuple(GUESSES),
        format_func=GUESSES.get,
        index=None,
        key="quiz_guess",
    )
    st.number_input(
        "Bonus: the weight after the first update (optional)",
        value=None,
        format="%g",
        key="quiz_weight",
    )
    st.button(
        "Reveal",
        on_click=reveal,
        args=(choice,),
        disabled=st.session_state.quiz_guess is None,
        type="primary",
    )
    if "quiz_answer" in st.session_state:
        show_answer(st.session_state.quiz_answer)


def teach_view(settings: tinynet.Settings, run: tinynet.Run, font: int) -> None:
    """Tools for a teacher: presenter mode, controls out of reach, and the link to share."""
    st.markdown(
        "Every setting lives in the link, so a link opens exactly the set-up it was copied from. "
        "Set things up, pick what students may change, then share the link below (or the "
        "address bar: it always holds the same)."
    )
    st.toggle("Presenter mode", key="presenter", help="Larger type and charts for a projector.")
    st.multiselect(
        "Hide controls from students",
        CONTROLS,
        key="hide",
        help="Hidden controls keep their values; the link carries both.",
    )
    st.text_input(
        "Link to this set-up",
        share_link(current_values()),
        disabled=True,
        help="Select it and copy it; students who open it see this tab too, so send them to "
        "another one first if you like.",
    )


def code_view(settings: tinynet.Settings, run: tinynet.Run, font: int) -> None:
    """The Python that reproduces the run."""
    st.markdown("These lines reproduce the current run with `tinynet`, in a notebook or a script:")
    st.code(python_code(settings), language="python")
    st.caption("Run them from the project folder, or anywhere after `pip install .` in it.")


read_link()
st.set_page_config(
    page_title="tinynet: gradient descent lab",
    page_icon="🎯",
    layout="wide",
    initial_sidebar_state="collapsed" if st.session_state.presenter else "auto",
)
if st.session_state.presenter:
    st.html(PRESENTER_STYLE)
for key in FIELDS:  # keeps a hidden control's value while its widget is not drawn
    st.session_state[key] = st.session_state[key]
hidden = set(st.session_state.hide)

settings = settings_from(current_values())  # the controls' latest values, in session state
run = train(plain(settings))
font = 20 if st.session_state.presenter else 14

st.title("How a one-weight network learns")
st.caption(
    "The network predicts tomorrow's patients as *data × weight* and scores itself with the "
    "squared error *(prediction − target)²*. Training means changing the weight until that "
    "error is small."
)
if st.session_state.link_problems:
    problems = st.session_state.link_problems
    if len(problems) > MAX_PROBLEMS:
        problems = [*problems[:MAX_PROBLEMS], f"and {len(problems) - MAX_PROBLEMS} more"]
    ignored = escape_markdown("; ".join(problems))
    st.warning(f"Part of the link was ignored, so defaults stand in for it: {ignored}.")
    st.session_state.link_problems = []

judgement = verdict(run)
VERDICT_BOXES[judgement.kind](f"**{judgement.headline}.** {judgement.reason}")
with st.container(horizontal=True, gap="medium"):
    headline_numbers(settings, run)

# One function per view, in the order of VIEWS. Only the chosen view runs: the others cost
# neither the server nor the browser anything until a student opens them.
views = (
    learning_view,
    curve_view,
    sweep_view,
    compare_view,
    log_view,
    quiz_view,
    code_view,
    teach_view,
)
st.segmented_control(
    "View", VIEWS, key="view", required=True, label_visibility="collapsed", width="stretch"
)
views[VIEWS.index(st.session_state.view)](settings, run, font)

# The controls come last: their values are already in session state, read above, and drawn
# last they reach the browser after the charts, which is what a student waits for.
with st.sidebar:
    controls(settings, hidden)

query = to_query(current_values())
if st.query_params.to_dict() != query:
    st.query_params.from_dict(query)
