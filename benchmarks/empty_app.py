"""The empty reference for the benchmark: Streamlit alone, the floor of every measurement."""

import streamlit as st

st.empty()
