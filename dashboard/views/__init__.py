"""The dashboard's views: one module each, reached by name through ``SHOW``.

Only these modules and ``app.py`` talk to Streamlit; the maths in ``tinynet`` never does.
"""

import gc

from dashboard.views import (
    compare,
    curve,
    learning,
    lesson,
    line_bridge,
    line_code,
    line_lesson,
    line_log,
    line_points,
    line_quiz,
    line_surface,
    log,
    quiz,
    snippet,
    sweep,
    teach,
)

SHOW = {
    "Lesson": lesson.show,
    "Learning": learning.show,
    "Error curve": curve.show,
    "Every alpha": sweep.show,
    "Compare methods": compare.show,
    "Iteration log": log.show,
    "Quiz": quiz.show,
    "Code": snippet.show,
    "Teach": teach.show,
}
"""Each view by the name the view selector and the link give it."""

LINE_SHOW = {
    "Lesson": line_lesson.show,
    "Bridge to lesson 1": line_bridge.show,
    "Surface in 3-D": line_surface.show,
    "Points": line_points.show,
    "Iteration log": line_log.show,
    "Quiz": line_quiz.show,
    "Code": line_code.show,
    "Teach": teach.show_line,
}
"""Lesson 2's views, by the name its view selector and the link give them."""

# Everything imported by now (Streamlit, Plotly, numpy, pandas, the app's own modules) lives
# as long as the server does. Frozen, it is left out of the garbage collector's full passes,
# which otherwise walk all of it every few thousand allocations of a rerun: a third of a
# rerun with new settings, as the benchmark measured it. This runs once per process.
gc.collect()
gc.freeze()
