"""Numbers as text: the article's console lines, printed the way JavaScript prints
them, and numbers for people to read."""

from __future__ import annotations

import decimal
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


def shortest_text(value: float) -> str:
    """``value`` with every digit it needs to read back as the same 64-bit float, laid out
    as ``number_text`` lays out numbers (``1.3333333333333333``, ``2.2250738585072014e-308``):
    different doubles never read alike."""
    value = float(value)
    if not math.isfinite(value) or value == 0:
        return number_text(value)
    mantissa, _, power = repr(value).partition("e")
    mantissa = mantissa.removesuffix(".0")
    return f"{mantissa}e{int(power)}" if power else mantissa


def exact_decimal(value: float) -> str:
    """The exact decimal value of a 64-bit float, every digit of it: ``0.1`` is
    ``0.1000000000000000055511151231257827021181583404541015625``. Plain decimals from 1e-6
    to 1e21, a power of ten outside."""
    value = float(value)
    if not math.isfinite(value) or value == 0:
        return number_text(value)
    exact = decimal.Decimal(value)
    if 1e-6 <= abs(value) < 1e21:
        return f"{exact:f}"
    sign, digits, exponent = exact.as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    power = exponent + len(digits) - 1
    mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
    return f"{'-' if sign else ''}{mantissa}e{power}"


EXACT_DIGITS = 80
"""Significant digits of an exact decimal written out in full; longer ones are cut short."""


def exact_words(value: float) -> str:
    """What a 64-bit float is, exactly, in a sentence: "Exactly 4." when JavaScript's print
    is its exact value, else JavaScript's print and the exact decimal (cut short, and said
    to be, past ``EXACT_DIGITS`` digits): "JavaScript prints it as 0.1; exactly, it is
    0.1000000000000000055511151231257827021181583404541015625."."""
    value = float(value)
    printed = js_number(value)
    if not math.isfinite(value) or decimal.Decimal(value) == decimal.Decimal(repr(value)):
        return f"Exactly {printed}."
    exact = exact_decimal(value)
    mantissa, _, power = exact.partition("e")
    digits = mantissa.lstrip("-").replace(".", "").lstrip("0")
    if len(digits) <= EXACT_DIGITS:
        return f"JavaScript prints it as {printed}; exactly, it is {exact}."
    cut = mantissa[: mantissa.index(digits[0]) + EXACT_DIGITS + (1 if "." in mantissa else 0)]
    return (
        f"JavaScript prints it as {printed}; its exact decimal has {len(digits)} significant "
        f"digits and begins {cut}…{f' (times 10 to the power {power})' if power else ''}."
    )


def bound_text(value: float, digits: int = 4, *, up: bool = False) -> str:
    """``value`` to ``digits`` significant digits, rounded down (or up) rather than to the
    nearest, for a bound that must stay true: "never below 0.0025" of 0.0025000000000002486
    but not of 0.0024999. Written as ``number_text`` writes numbers."""
    value = float(value)
    if not math.isfinite(value) or value == 0:
        return number_text(value)
    exact = decimal.Decimal(value)
    power = exact.adjusted() - digits + 1
    rounding = decimal.ROUND_CEILING if up else decimal.ROUND_FLOOR
    rounded = exact.quantize(decimal.Decimal(1).scaleb(power), rounding=rounding)
    if rounded.adjusted() != exact.adjusted():  # 9.9999 up to 10: one digit fewer after it
        rounded = rounded.quantize(decimal.Decimal(1).scaleb(power + 1), rounding=rounding)
    mantissa, _, exponent = f"{rounded.normalize():e}".partition("e")
    places = int(exponent)
    if -4 <= places < digits:  # as the "g" format lays it out
        text = f"{rounded:f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
        return text
    return f"{mantissa}e{places}"


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
