"""tinynet's dashboard: the Streamlit app on top of the ``tinynet`` model.

``views`` holds one module per view (with ``app.py``, the only code that talks to
Streamlit), ``charts`` and ``class_charts`` turn runs and votes into Plotly specs,
``class_store`` keeps class mode's classes in a database, ``link`` reads and writes the
settings in the page's address, and ``harness`` runs the app for real for the tests,
the benchmark and the screenshots.
"""
