"""A plain verdict on a finished run, in words that are true of the run played on, and the
number words that the verdicts and forecasts share."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

import numpy as np

from tinynet.analysis import HUGE, TOLERANCE, Stability, stability
from tinynet.long_run import Fate, fate
from tinynet.network import best_weight, error_at, gradient
from tinynet.number_words import bound_text, number_text, numbers_apart
from tinynet.training import Run, Settings, gradient_descent_update, up_and_down_update

# Verdicts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """A plain-words summary of a finished run: what it does if played on (one of
    ``OUTCOMES``), whether it ``settled`` there within its iterations, and why."""

    outcome: str
    settled: bool
    headline: str
    reason: str


def verdict(run: Run) -> Verdict:
    """What the run does, decided by the run itself played on, and why, in words."""
    future = fate(run.settings)
    if run.settings.method == "up_and_down":
        return _walk_verdict(run, future)
    return _descent_verdict(run, future)


def count_text(count: int, exact: bool = True) -> str:
    """An iteration count for people: in full up to a trillion, then as a power of ten."""
    if count <= 10**12:
        return f"{count:,}" if exact else f"about {count:,}"
    return f"about {number_text(count, 2)}"


ABOUT = 0.03
"""How far apart the bounds of an estimated count may be for it to be called "about" one."""


def count_words(future: Fate, done: int = 0) -> str | None:
    """How many iterations after ``done`` until ``future.at``: exactly, "about" (when its
    bounds lie within ``ABOUT`` of each other), "at least", or None when no one can tell."""
    if future.exact and future.at is not None:
        return count_text(future.at - done)
    low, high = future.low, future.high
    if high is not None and low is not None and high - done <= (1 + ABOUT) * (low - done):
        middle = future.at if future.at is not None else (low + high) // 2
        return count_text(max(middle - done, 1), exact=False)
    if low is not None and low > done:
        fewest = low - done
        return f"at least {fewest:,}" if fewest <= 10**12 else f"at least {bound_text(fewest, 2)}"
    return None


def from_iteration(future: Fate, iteration: int | None = None) -> str:
    """ "from iteration N" for ``future.at`` (or ``iteration``), as sure as it is known."""
    if iteration is None or not future.exact:
        iteration = future.at if future.exact else None
    if iteration is not None:
        return f"from iteration {count_text(iteration)}"
    said = count_words(future)
    if said is None:
        return "some day"
    if said.startswith("at least"):
        return f"from iteration {said.removeprefix('at least ')} or later"
    return f"from iteration {said}"


def likely(future: Fate) -> str:
    """ "most likely " for an outcome that is only the likely one, else nothing."""
    return "" if future.sure else "most likely "


def factor_words(analysis: Stability, settings: Settings | None = None) -> str:
    """What one gradient-descent step does to the distance to the best weight; with the
    settings, what the first step of that run does when the factor rounds to 0 or -1."""
    shrink, factor = analysis.shrink, analysis.factor
    if analysis.outcome == "stalls":
        return "no step moves the weight"
    if shrink == 0:
        return "each step closes a share of the distance to the best weight too small to write"
    if shrink < 1e-3:
        return f"each step closes only {number_text(shrink)} of the distance to the best weight"
    if shrink < 1:
        kept = numbers_apart(factor, 0.0, 1.0)[0]
        return f"each step keeps {kept} of the distance to the best weight"
    if shrink == 1:
        return _one_step(settings)
    if shrink == 2:
        rounded = settings is not None and _exact_shrink(settings) != 2
        return (
            "each step jumps to the mirror image across the best weight, as far on the other "
            f"side{', give or take rounding' if rounded else ''}"
        )
    if abs(factor) >= HUGE:
        return "each step jumps past the best weight and lands vastly further on the other side"
    times = numbers_apart(-factor, 1.0)[0]
    return f"each step jumps past the best weight and lands {times} times as far on the other side"


def _exact_shrink(settings: Settings) -> Fraction:
    scale = 2 if settings.exact_derivative else 1
    return Fraction(settings.alpha) * Fraction(settings.data) ** 2 * scale


def _one_step(settings: Settings | None) -> str:
    """What the step does when the factor rounds to 0: it lands on the best weight, unless
    rounding leaves this run's first step beside it."""
    if settings is None:
        return "one step lands on the best weight, give or take rounding"
    best = best_weight(settings.data, settings.target)
    after = settings.weight + gradient_descent_update(settings)(settings.weight)
    if after == best:
        return "one step lands on the best weight"
    if after == settings.weight:
        return "one step would land on the best weight, but rounding cancels it"
    best_text, after_text = numbers_apart(best, after) if best is not None else ("", "")
    return (
        f"one step lands next to the best weight: rounding leaves it at {after_text}, not "
        f"{best_text}"
    )


def texts_apart(settings: Settings, *weights: float) -> tuple[str, list[str]]:
    """The best weight and ``weights`` (sorted), printed so that different ones differ."""
    best = best_weight(settings.data, settings.target)
    weights = tuple(sorted(weights))
    if best is None:
        return "too large for a 64-bit float", list(numbers_apart(*weights))
    best_text, *texts = numbers_apart(best, *weights)
    return best_text, texts


def _more(future: Fate, done: int) -> str:
    """How many iterations after the ``done`` ones it takes to get there."""
    said = count_words(future, done)
    if said is None:
        return "no one can tell how many more iterations"
    return f"{said} more iterations"


def _would(future: Fate, done: int, what: str) -> str:
    """ "N more iterations would <what>", or, when no one can tell how many, that it will."""
    said = count_words(future, done)
    if said is None:
        return f"it will {likely(future)}{what} in the end, though no one can tell when"
    return f"{said} more iterations would {likely(future)}{what}"


def _settled(run: Run, future: Fate) -> bool:
    """Whether the run already got where it ends up, read from the run where it can be,
    else from where the run goes on from its final weight."""
    done, settings = len(run.weights), run.settings
    error = error_at(settings.data, run.final_weight, settings.target)
    if future.outcome == "diverges":
        return run.diverged
    if future.outcome == "stalls" and done and run.final_weight == run.weights[-1]:
        return True
    if future.exact and future.at is not None:
        if future.outcome == "converges" and error > TOLERANCE:
            return False
        return future.at <= done + 1
    later = fate(replace(settings, weight=run.final_weight))
    return later.outcome == future.outcome and later.exact and later.at == 1


def _arrived(run: Run) -> int:
    """The first iteration from which every logged error is at most ``TOLERANCE``
    (one past the run when only its final weight is there)."""
    far = np.flatnonzero(run.errors > TOLERANCE)
    return int(far[-1]) + 2 if far.size else 1


def _stopped(run: Run) -> int:
    """The first iteration from which the weight no longer changes."""
    moved = np.flatnonzero(run.weights != run.final_weight)
    return int(moved[-1]) + 2 if moved.size else 1


def _descent_verdict(run: Run, future: Fate) -> Verdict:
    settings, done = run.settings, len(run.weights)
    analysis = stability(settings.data, settings.alpha, settings.exact_derivative)
    settled = _settled(run, future)
    words = factor_words(analysis, settings)
    step = words[0].upper() + words[1:]
    outcome = future.outcome
    if outcome == "diverges" and settled:
        if analysis.shrink > 2 and done > 1:
            why = f"{step}, so the error grew until it no longer fit in a 64-bit float."
        elif done == 0:
            why = "The numbers of the very first iteration are too large for a 64-bit float."
        else:
            why = "The numbers grew larger than a 64-bit float can hold, so the run stopped."
        return Verdict(outcome, True, f"Diverged at iteration {run.diverged_at}", why)
    if outcome == "diverges":
        growth = analysis.factor * analysis.factor
        if analysis.shrink <= 2:
            how = "It keeps moving towards a best weight too large for a 64-bit float"
        elif growth < HUGE:
            times = numbers_apart(growth, 1.0, digits=3)[0]
            how = f"{step}, so the error grows {times}-fold per iteration"
        else:
            how = f"{step}, so the error grows beyond measure at each iteration"
        headline = "Diverging" if future.sure else "Most likely diverging"
        why = f"{how}; {_would(future, done, 'overflow it')}."
        return Verdict(outcome, False, headline, why)
    if outcome == "bounces":
        return _descent_bounces(run, future, settled, words)
    if outcome == "converges":
        return _descent_converges(run, future, settled, step)
    return _descent_stalls(run, future, settled, words)


def _descent_bounces(run: Run, future: Fate, settled: bool, words: str) -> Verdict:
    settings = run.settings
    exact_shrink = _exact_shrink(settings)
    if len(future.cycle) > 1:
        best, hops = texts_apart(settings, *future.cycle)
        where = f"it hops between {' and '.join(hops)} for ever, across the best weight {best}"
        if not settled:
            where = f"{from_iteration(future, future.cycle_from)} {where}"
    else:
        where = f"it {likely(future)}keeps hopping across the best weight for ever"
    if exact_shrink == 2:
        why = f"With alpha exactly at the stability limit {words}, so {where}."
    elif stability(settings.data, settings.alpha, settings.exact_derivative).shrink == 2:
        why = f"With alpha within rounding of the stability limit {words}, so {where}."
    else:
        change = "shrinking" if exact_shrink < 2 else "growing"
        stops = "stops" if future.sure else "most likely stops"
        why = (
            f"{words[0].upper() + words[1:]}, but rounding {stops} the hops from {change}: {where}."
        )
    headline = "Bouncing around the answer" if future.sure else "Most likely bouncing for ever"
    return Verdict("bounces", settled, headline, why)


def _descent_converges(run: Run, future: Fate, settled: bool, step: str) -> Verdict:
    settings, done = run.settings, len(run.weights)
    tolerance = number_text(TOLERANCE)
    if not settled:
        why = f"{step}; {_would(future, done, f'bring the error to {tolerance} or below')}."
        headline = "Converging" if future.sure else "Most likely converging"
        return Verdict("converges", False, headline, why)
    arrived = _arrived(run)
    if arrived == 1:
        first = float(run.errors[0])
        slope = gradient(settings.data, settings.weight, settings.target)
        if first == 0 and slope == 0:
            why = "It started on the answer: the error is 0, so is the gradient: the weight stays."
        elif first == 0:
            miss = number_text(float(run.predictions[0]) - settings.target) if done else "tiny"
            why = (
                f"It started with an error of 0: its miss, {miss}, is too small for its square "
                f"to fit in a 64-bit float. The weight still moves, and the error stays at "
                f"most {tolerance}."
            )
        else:
            why = (
                f"It started close enough: the error was {number_text(first)} at iteration 1, "
                f"at most {tolerance}, and it stays that small."
            )
    elif arrived <= done:
        last = number_text(float(run.errors[-1]))
        why = (
            f"{step}, so the error was at most {tolerance} from iteration {arrived:,} on; "
            f"at iteration {done:,} it is {last}."
        )
    else:
        error = error_at(settings.data, run.final_weight, settings.target)
        best, (weight,) = texts_apart(settings, run.final_weight)
        where = "the best weight" if weight == best else f"{weight}, beside the best weight {best}"
        why = (
            f"{step}: the last update took the weight to {where}, where the error is "
            f"{number_text(error)} (the error shown, {number_text(float(run.errors[-1]))}, is "
            "from before that update)."
        )
    return Verdict("converges", True, "Converged", why)


_LOST = (
    "each update is at most half the gap between neighbouring 64-bit floats, so rounding cancels it"
)


def _descent_stalls(run: Run, future: Fate, settled: bool, words: str) -> Verdict:
    settings, done = run.settings, len(run.weights)
    if settings.alpha == 0:
        return Verdict(
            "stalls", True, "Stalled", "With alpha 0 every update is 0, so the weight never moves."
        )
    if settings.data == 0:
        why = "With data 0 the gradient is 0 whatever the weight, so no update moves it."
        return Verdict("stalls", True, "Stalled", why)
    if settled and len(future.cycle) > 1:
        best, hops = texts_apart(settings, *future.cycle)
        since = future.at if future.exact else _since(run, future.cycle)
        why = (
            f"From iteration {since:,} it hops between {' and '.join(hops)} without getting "
            f"nearer the best weight {best}: rounding cancels the rest of each update."
        )
        return Verdict("stalls", True, "Stalled", why)
    if settled:
        best, (weight,) = texts_apart(settings, run.final_weight)
        why = (
            f"The weight stopped changing at {weight} from iteration {_stopped(run):,}: there "
            f"{_LOST}, short of the best weight {best}."
        )
        return Verdict("stalls", True, "Stalled", why)
    if len(future.cycle) > 1:
        best, hops = texts_apart(settings, *future.cycle)
        why = (
            f"{from_iteration(future, future.cycle_from).capitalize()} it will hop between "
            f"{' and '.join(hops)} without getting nearer the best weight {best}: rounding "
            "cancels the rest of each update."
        )
        return Verdict("stalls", False, "Slowing to a stop", why)
    where = ""
    stop = future.cycle[0] if future.cycle else future.near
    if stop is not None:
        best, (weight,) = texts_apart(settings, stop)
        where = f" {'at' if future.cycle else 'near'} {weight}, short of the best weight {best}"
    why = (
        f"It is still moving, but {words}; in {_more(future, done)} {_LOST}, and the weight "
        f"will {likely(future)}stop{where}."
    )
    headline = "Slowing to a stop" if future.sure else "Most likely slowing to a stop"
    return Verdict("stalls", False, headline, why)


def _since(run: Run, cycle: tuple[float, ...]) -> int:
    """The first iteration of the run from which every weight is one of ``cycle``."""
    weights = np.append(run.weights, run.final_weight)
    outside = np.flatnonzero(~np.isin(weights, cycle))
    return int(outside[-1]) + 2 if outside.size else 1


def _walk_verdict(run: Run, future: Fate) -> Verdict:
    settings, done = run.settings, len(run.weights)
    settled = _settled(run, future)
    outcome = future.outcome
    step = number_text(settings.step)
    if settings.data == 0 and outcome != "diverges":
        why = (
            "With data 0 every weight gives the same error, so each comparison is a tie, "
            "and a tie steps down."
        )
        if outcome == "converges":
            error = number_text(float(run.errors[0]))
            return Verdict(
                outcome,
                True,
                "Converged",
                f"{why} That error is {error}: every weight is on the answer.",
            )
        return Verdict(outcome, True, "Stuck: the error ignores the weight", why)
    if outcome == "diverges":
        if settled:
            why = "The numbers grew larger than a 64-bit float can hold, so the run stopped."
            return Verdict(outcome, True, f"Diverged at iteration {run.diverged_at}", why)
        why = f"Its step is {step}; {_would(future, done, 'overflow it')}."
        return Verdict(outcome, False, "Diverging", why)
    if not future.exact:  # a walk too long to follow to its end
        ends = ANSWERS_ENDS[outcome]
        why = (
            "Its walk is too long and too tangled by rounding to follow to its end; it most "
            f"likely {ends}."
        )
        return Verdict(outcome, False, "Still walking", why)
    return _walk_known(run, future, settled)


ANSWERS_ENDS = {
    "converges": "ends within the answer",
    "bounces": "ends hopping around the answer",
    "stalls": "gets stuck short of the answer",
    "diverges": "overflows",
}
"""How a walk most likely ends, when it is too long to follow."""


def _walk_known(run: Run, future: Fate, settled: bool) -> Verdict:
    """Up and down's verdict when the end of its walk is known exactly."""
    settings, outcome = run.settings, future.outcome
    best, texts = texts_apart(settings, *future.cycle)
    pair = " and ".join(texts)
    since = f"from iteration {count_text(future.cycle_from)}"
    hops = "hops" if settled else "will hop"
    if outcome in ("bounces", "converges"):
        errors = [error_at(settings.data, each, settings.target) for each in future.cycle]
        if outcome == "converges":
            close = (
                f"every error is at most {number_text(TOLERANCE)} from iteration "
                f"{count_text(future.at)}, which counts as reaching the answer"
            )
        elif min(errors) == 0:
            close = "it lands exactly on the answer (error 0) and steps off it again, for ever"
        else:
            goes = "never goes" if settled else "will never go"
            close = f"its error {goes} below {bound_text(min(errors))}"
        across = f"between {pair}, across the best weight {best}"
        if settled:
            why = f"The step never shrinks, so {since} it {hops} {across}; {close}."
            headline = "Converged" if outcome == "converges" else "Bouncing around the answer"
            return Verdict(outcome, True, headline, why)
        why = (
            f"With a step of {number_text(settings.step)}, {since} it {hops} between {pair}, "
            f"across the best weight {best}, and {close}."
        )
        return Verdict(outcome, False, "Still walking", why)
    if len(future.cycle) > 1:
        what = (
            f"{since} it {hops} between {pair} for ever, short of the best weight {best}: at "
            "these numbers rounding hides how the step changes the error, so it gets no nearer"
        )
    else:
        sign = up_or_down(settings, future.cycle[0])
        what = (
            f"{since} its step is lost to rounding: weight {sign} step is the same 64-bit "
            f"float as the weight {pair}, short of the best weight {best}"
        )
    if settled:
        return Verdict("stalls", True, "Stalled", what[0].upper() + what[1:] + ".")
    return Verdict("stalls", False, "Still walking", f"It is still walking, but {what}.")


def up_or_down(settings: Settings, weight: float) -> str:
    """The way up and down steps from ``weight``: "+" when the error up is smaller, else "-"."""
    return "+" if up_and_down_update(settings)(weight) > 0 else "-"
