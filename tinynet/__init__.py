"""tinynet: a one-weight neural network that learns by gradient descent (lesson 1), and a
line through many points, trained by batch or stochastic steps, with momentum or Adam
(lesson 2)."""

from tinynet.analysis import OUTCOMES, Stability, stability
from tinynet.long_run import Bounce, Fate, fate, up_and_down_limit
from tinynet.network import best_weight, error_at, gradient, predict, slope, squared_error
from tinynet.number_words import js_number, log_line
from tinynet.training import MAX_ITERATIONS, METHODS, Run, Settings, train
from tinynet.verdicts import Verdict, verdict

__all__ = [
    "MAX_ITERATIONS",
    "METHODS",
    "OUTCOMES",
    "Bounce",
    "Fate",
    "Run",
    "Settings",
    "Stability",
    "Verdict",
    "best_weight",
    "error_at",
    "fate",
    "gradient",
    "js_number",
    "log_line",
    "predict",
    "slope",
    "squared_error",
    "stability",
    "train",
    "up_and_down_limit",
    "verdict",
]

# Lesson 2, a line through many points.
from tinynet.line import (
    LINE_PRESETS,
    BestLine,
    LineData,
    LineFate,
    LineRun,
    LineSettings,
    LineStability,
    best_line,
    error_surface,
    fit_line,
    line_data,
    line_error,
    line_fate,
    line_gradient,
    line_stability,
    parse_points,
)
from tinynet.line_words import line_forecast, line_verdict

__all__ += [
    "LINE_PRESETS",
    "BestLine",
    "LineData",
    "LineFate",
    "LineRun",
    "LineSettings",
    "LineStability",
    "best_line",
    "error_surface",
    "fit_line",
    "line_data",
    "line_error",
    "line_fate",
    "line_forecast",
    "line_gradient",
    "line_stability",
    "line_verdict",
    "parse_points",
]
