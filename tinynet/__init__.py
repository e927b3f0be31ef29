"""tinynet: a one-weight neural network that learns by gradient descent."""

from tinynet.analysis import OUTCOMES, Stability, stability
from tinynet.long_run import Bounce, Fate, fate, up_and_down_limit
from tinynet.network import best_weight, gradient, predict, slope, squared_error
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
