"""Numbers as text: the article's console lines, printed the way JavaScript prints
them, and numbers for people to read."""

from __future__ import annotations

import math


def js_number(value: float) -> str:
    """``value`` as JavaScript's ``String(value)`` writes it.

    JavaScript and Python pick the same digits (the shortest that read back as
    the same double); they only lay them out differently. JavaScript writes plain
    decimals from 1e-7 up to 1e21 (``0.0000062499999999997335``,
    ``360287970189639700``), exponents outside that range without padding
    (``6.249999999993073e-8``), integers without ``.0``, and -0 as ``0``.
    """
    value = float(value)  # numpy's floats print their type in repr
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    # repr gives the shortest digits that read back as the same double, as JavaScript does.
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    written = whole + fraction
    digits = written.lstrip("0")
    # The value is 0.<digits> times 10 ** point.
    point = len(whole) + int(exponent or 0) - (len(written) - len(digits))
    digits = digits.rstrip("0")
    if len(digits) <= point <= 21:
        return sign + digits + "0" * (point - len(digits))
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * -point + digits
    power = point - 1
    mantissa = digits if len(digits) == 1 else digits[0] + "." + digits[1:]
    return f"{sign}{mantissa}e{'+' if power >= 0 else '-'}{abs(power)}"


def log_line(iteration: int, error: float, prediction: float) -> str:
    """One line of the article's log, e.g. ``iteration 2 error: 400 prediction: 24``."""
    return f"iteration {iteration} error: {js_number(error)} prediction: {js_number(prediction)}"


def number_text(value: float, digits: int = 4) -> str:
    """``value`` for people: ``digits`` significant digits and no trailing zeros.

    Powers of ten are short (``1.5e-7``, ``2e12``), zero is ``0`` whatever its
    sign (never ``-0``), and numbers beyond the doubles are ``∞`` or ``-∞``.
    """
    value = float(value)
    if math.isnan(value):
        return "undefined"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value == 0:
        return "0"
    mantissa, _, power = f"{value:.{digits}g}".partition("e")
    return f"{mantissa}e{int(power)}" if power else mantissa


def numbers_apart(*values: float, digits: int = 4) -> tuple[str, ...]:
    """Each value as ``number_text`` writes it, with the fewest significant digits (at
    least ``digits``) that keep it apart from every different value; equal values may
    print alike. Seventeen digits tell any two doubles apart."""
    chosen = [_digits_apart(value, values, digits) for value in values]
    texts = [number_text(value, count) for value, count in zip(values, chosen, strict=True)]
    if len({text for text in texts}) < len({_key(value) for value in values}):
        return tuple(number_text(value, max(chosen)) for value in values)  # a rounding carry
    return tuple(texts)


def number_apart(value: float, *others: float, digits: int = 4) -> str:
    """``value`` as ``numbers_apart`` writes it beside ``others``, when only it is shown."""
    return number_text(value, _digits_apart(value, others, digits))


def _digits_apart(value: float, others: tuple[float, ...], digits: int) -> int:
    """The fewest significant digits, at least ``digits``, that print ``value`` unlike every
    different one of ``others``."""

    def apart(first: float, second: float) -> int:
        # number_text writes what format(value, ".{count}g") writes, laid out: comparing the
        # formats is the same test, and several times faster.
        first, second, count = float(first), float(second), digits
        while count < 17 and format(first, f".{count}g") == format(second, f".{count}g"):
            count += 1
        return count

    return max([digits] + [apart(value, other) for other in others if not _alike(value, other)])


def _alike(first: float, second: float) -> bool:
    return first == second or (math.isnan(first) and math.isnan(second))


def _key(value: float) -> float | str:
    return "nan" if math.isnan(value) else value + 0.0  # -0.0 and 0.0 alike
