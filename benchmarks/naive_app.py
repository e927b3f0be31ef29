"""The naive reference for the benchmark: the design's three charts built the obvious way.

Python lists, one go.Figure per chart, no caching, no extras. It is what the dashboard
is measured against; it is not part of the product.
"""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="naive reference", layout="wide")
with st.sidebar:
    method = st.radio("Method", ["up_and_down", "gradient_descent"], index=1, key="method")
    step = st.number_input("Step", value=0.05, key="step")
    alpha = st.number_input("Alpha", value=0.1, key="alpha")
    weight = st.number_input("Initial weight", value=0.5, key="weight")
    data = st.number_input("Data", value=3.0, key="data")
    target = st.number_input("Target", value=4.0, key="target")
    iterations = st.number_input(
        "Iterations", min_value=1, max_value=10_000, value=20, key="iterations"
    )

weights, predictions, errors = [], [], []
w = weight
for _ in range(iterations):
    prediction = data * w
    error = (prediction - target) ** 2
    weights.append(w)
    predictions.append(prediction)
    errors.append(error)
    if method == "up_and_down":
        up = (data * (w + step) - target) ** 2
        down = (data * (w - step) - target) ** 2
        w = w + step if up < down else w - step
    else:
        w = w - alpha * (prediction - target) * data

st.title("Naive reference")
steps = list(range(1, iterations + 1))
st.plotly_chart(go.Figure(go.Scatter(x=steps, y=errors, name="error")), key="error")
st.plotly_chart(
    go.Figure(
        [
            go.Scatter(x=steps, y=predictions, name="prediction"),
            go.Scatter(x=[1, iterations], y=[target, target], name="target"),
        ]
    ),
    key="prediction",
)
low, high = min([*weights, target / data]) - 0.5, max([*weights, target / data]) + 0.5
curve_x = [low + (high - low) * i / 200 for i in range(201)]
curve = go.Figure(
    go.Scatter(x=curve_x, y=[(data * x - target) ** 2 for x in curve_x], name="error(weight)")
)
slope = 2 * data * (data * weights[-1] - target)
curve.add_trace(
    go.Scatter(
        x=[weights[-1] - 0.3, weights[-1] + 0.3],
        y=[errors[-1] - 0.3 * slope, errors[-1] + 0.3 * slope],
        name="tangent",
    )
)
curve.add_trace(go.Scatter(x=weights, y=errors, mode="markers", name="visited"))
st.plotly_chart(curve, key="curve")
