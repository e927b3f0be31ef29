"""The dashboard's views: one module each, reached by name through ``SHOW``.

Only these modules and ``app.py`` talk to Streamlit; the maths in ``tinynet`` never does.
"""

from views import compare, curve, learning, lesson, log, quiz, snippet, sweep, teach

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
