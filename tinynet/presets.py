"""The article's three experiments, ready to run."""

from __future__ import annotations

from dataclasses import dataclass

from tinynet.number_words import number_text, shortest_text
from tinynet.training import Settings


@dataclass(frozen=True)
class Preset:
    """A named experiment and the behaviour it demonstrates."""

    key: str
    title: str
    settings: Settings
    outcome: str  # one of tinynet.analysis.OUTCOMES
    lesson: str


ARTICLE = {"weight": 0.5, "data": 3.0, "target": 4.0, "iterations": 20}

PRESETS = (
    Preset(
        key="up_and_down",
        title="1. Up and down",
        settings=Settings("up_and_down", **ARTICLE, step=0.05),
        outcome="bounces",
        lesson="A fixed step of 0.05 creeps towards the answer, then hops to and fro across it.",
    ),
    Preset(
        key="without_alpha",
        title="2. Gradient descent, no alpha",
        settings=Settings("gradient_descent", **ARTICLE, alpha=1.0),
        outcome="diverges",
        lesson="Each step subtracts the whole of the article's half gradient, and that "
        "overshoots: it lands 8 times as far on the other side of the answer, so the error "
        "explodes.",
    ),
    Preset(
        key="with_alpha",
        title="3. Gradient descent, alpha 0.1",
        settings=Settings("gradient_descent", **ARTICLE, alpha=0.1),
        outcome="converges",
        lesson="Scaling the step by 0.1 tames it: the error falls a hundredfold per step "
        "and reaches exactly 0.",
    ),
)

PRESET_OF = {preset.key: preset for preset in PRESETS}
"""The experiments by key, as links, the quiz and class mode name them."""


def label(settings: Settings, full: bool = False) -> str:
    """A short name for a run: its method and whatever differs from the article's start,
    with four significant digits, or with ``full`` every digit each number needs."""
    text = shortest_text if full else number_text
    if settings.method == "up_and_down":
        name = f"up and down, step {text(settings.step)}"
    else:
        name = f"gradient descent, alpha {text(settings.alpha)}"
        if settings.exact_derivative:
            name += ", exact derivative"
    changed = [
        f"{key} {text(getattr(settings, key))}"
        for key, value in ARTICLE.items()
        if getattr(settings, key) != value
    ]
    return ", ".join([name, *changed])


def labels(runs: list[Settings]) -> list[str]:
    """Short names for runs shown side by side: different runs never share one (a name
    that two different runs would share is written with every digit)."""
    short = [label(settings) for settings in runs]
    return [
        label(settings, full=True)
        if any(other != settings and short[j] == short[i] for j, other in enumerate(runs))
        else short[i]
        for i, settings in enumerate(runs)
    ]
