"""Plotly figures of a class's votes, and their words: answers round by round, bonus guesses.

Like ``dashboard.charts``, whose look they share, each function returns Plotly's own JSON
structure (a dict of ``data`` and ``layout``) and imports neither Plotly nor Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from dashboard.charts import BLUE, ORANGE, PLAIN, TEXT, VERMILLION, Look, base_layout, note
from tinynet.number_words import number_text

ROUNDS = (  # a round's colour and fill pattern: the pattern tells the rounds apart without colour
    (ORANGE, ""),
    (BLUE, "/"),
)
MAX_BINS = 20  # of the bonus histogram
FLOOR = 10  # the least spread counted, in typical guesses: only a guess ~30 times off is far out


def _layout(x_title: str, y_title: str, look: Look) -> dict:
    """The charts' shared look, with the rounds' bars side by side."""
    return {**base_layout(x_title, y_title, look), "height": look.height, "barmode": "group"}


def _marker(number: int) -> dict:
    colour, shape = ROUNDS[(number - 1) % len(ROUNDS)]
    return {"color": colour, "line": {"color": colour, "width": 1}, "pattern": {"shape": shape}}


def _wrapped(label: str, width: int = 18) -> str:
    """A label in lines of about ``width`` characters, so that the bars keep their room."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _share(count: int, total: int) -> str:
    return f"{count} ({count / total:.0%})" if total else str(count)


def votes_figure(
    labels: Sequence[str],
    rounds: Sequence[Sequence[int]],
    right: int | None = None,
    look: Look = PLAIN,
) -> dict:
    """A bar per answer and round, the rounds side by side: ``rounds[r][i]`` is the votes for
    ``labels[i]`` in round ``r + 1``. Once revealed, ``right`` (an index) marks the answer."""
    names = [_wrapped(label) for label in labels]
    if right is not None:
        names[right] = f"<b>✓ {names[right]}</b>"
    data = []
    for number, counts in enumerate(rounds, start=1):
        total = sum(counts)
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": f"Round {number}",
                "y": names,
                "x": list(counts),
                "text": [_share(count, total) for count in counts],
                "textposition": "outside",
                "textfont": {"size": look.font, "color": TEXT},
                "cliponaxis": False,
                "marker": _marker(number),
                "hovertemplate": f"Round {number}: %{{x}} votes<extra></extra>",
            }
        )
    layout = _layout("votes", "", look)
    most = max((max(counts, default=0) for counts in rounds), default=0)
    layout["xaxis"].update(range=[0, max(1, most) * 1.3], rangemode="tozero", zeroline=False)
    layout["yaxis"].update(autorange="reversed", categoryorder="array", categoryarray=names)
    return {"data": data, "layout": layout}


def votes_words(
    labels: Sequence[str], rounds: Sequence[Sequence[int]], right: int | None = None
) -> str:
    """The votes chart in words, for screen readers."""
    parts = ["Votes per answer"]
    for number, counts in enumerate(rounds, start=1):
        each = ", ".join(f"{label}: {count}" for label, count in zip(labels, counts, strict=True))
        parts.append(f"round {number}, {sum(counts)} votes: {each}")
    text = "; ".join(parts) + "."
    return text if right is None else f"{text} The right answer: {labels[right]}."


def _bins(guesses: np.ndarray, truth: float | None) -> np.ndarray:
    """Histogram edges over the guesses, leaving off only those far out (beyond three
    interquartile ranges, Tukey's "far out"), so that one joke guess cannot squash the rest
    into a single bar; the truth, when given, always fits."""
    first, middle, third = (float(value) for value in np.quantile(guesses, [0.25, 0.5, 0.75]))
    fence = 3 * max(third - first, FLOOR * max(1.0, abs(middle)))
    near = guesses[(guesses >= first - fence) & (guesses <= third + fence)]
    low, high = float(near.min()), float(near.max())
    if truth is not None:
        low, high = min(low, truth), max(high, truth)
    if high - low <= 1e-9 * max(1.0, abs(low)):
        half = 0.1 * max(1.0, abs(low))
        low, high = low - half, high + half
    count = min(MAX_BINS, max(5, math.ceil(math.sqrt(len(guesses)))))
    return np.linspace(low, high, count + 1)


def bonus_figure(
    rounds: Sequence[Sequence[float]], truth: float | None = None, look: Look = PLAIN
) -> dict:
    """A histogram of the bonus guesses, the rounds side by side; once revealed, ``truth``
    (the weight after the first update) is a dashed line. Needs one guess or more."""
    guesses = np.asarray([guess for one in rounds for guess in one], dtype=float)
    edges = _bins(guesses, truth)
    centres = (edges[:-1] + edges[1:]) / 2
    data, most = [], 0
    for number, one in enumerate(rounds, start=1):
        counts, _ = np.histogram(one, bins=edges)
        most = max(most, int(counts.max()))
        data.append(
            {
                "type": "bar",
                "name": f"Round {number}",
                "x": centres.tolist(),
                "y": counts.tolist(),
                "customdata": np.column_stack([edges[:-1], edges[1:]]).tolist(),
                "marker": _marker(number),
                "hovertemplate": f"Round {number}: %{{y}} guesses from %{{customdata[0]:.4g}} "
                "to %{customdata[1]:.4g}<extra></extra>",
            }
        )
    layout = _layout("guessed weight after the first update", "guesses", look)
    layout["bargap"] = 0.1
    layout["yaxis"].update(rangemode="tozero", tickformat="d", dtick=max(1, math.ceil(most / 5)))
    notes, shapes = [], []
    outside = int(np.sum((guesses < edges[0]) | (guesses > edges[-1])))
    if outside:
        notes.append(
            _top_note(f"{outside} {_guesses(outside)} beyond this range", look, 1, "right")
        )
    if truth is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": truth,
                "x1": truth,
                "y0": 0,
                "y1": 1,
                "line": {"color": VERMILLION, "width": look.line, "dash": "dash"},
            }
        )
        side = "left" if truth <= (edges[0] + edges[-1]) / 2 else "right"  # the side with room
        notes.append(_top_note(f"true weight: {number_text(truth)}", look, truth, side, "x"))
    layout.update(annotations=notes, shapes=shapes)
    return {"data": data, "layout": layout}


def _guesses(count: int) -> str:
    return "guess lies" if count == 1 else "guesses lie"


def _top_note(text: str, look: Look, x: float, side: str, x_ref: str = "paper") -> dict:
    """A note along the chart's top edge, on the ``side`` of ``x`` that has room."""
    top = {"y": 1, "yref": "paper", "yanchor": "top", "xanchor": side}
    return note(text, look, x=x, xref=x_ref, xshift=6 if side == "left" else -6, **top)


def bonus_words(rounds: Sequence[Sequence[float]], truth: float | None = None) -> str:
    """The bonus histogram in words, for screen readers."""
    parts = ["Bonus guesses of the weight after the first update"]
    for number, one in enumerate(rounds, start=1):
        if not len(one):
            parts.append(f"round {number}: none")
            continue
        low, middle, high = (number_text(float(value)) for value in np.quantile(one, [0, 0.5, 1]))
        parts.append(f"round {number}: {len(one)} from {low} to {high}, median {middle}")
    text = "; ".join(parts) + "."
    return text if truth is None else f"{text} The true weight: {number_text(truth)}."
