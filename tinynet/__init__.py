"""tinynet: a one-weight neural network that learns by gradient descent."""

from tinynet.analysis import Bounce, Stability, Verdict, stability, up_and_down_limit, verdict
from tinynet.console import js_number, log_line
from tinynet.network import best_weight, gradient, predict, slope, squared_error
from tinynet.training import MAX_ITERATIONS, METHODS, Run, Settings, train

__all__ = [
    "MAX_ITERATIONS",
    "METHODS",
    "Bounce",
    "Run",
    "Settings",
    "Stability",
    "Verdict",
    "best_weight",
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
