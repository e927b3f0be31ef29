"""Tools for a teacher: presenter mode, controls out of students' reach, the link to share,
and class mode."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

import tinynet
from dashboard.link import CONTROLS, FIELDS, LINE_CONTROLS, Points, to_query
from dashboard.views import common, line_class, teacher
from tinynet.line import LineSettings


def share_link(values: dict[str, object]) -> str:
    query = urlencode(to_query(values))
    return f"{common.address()}/?{query}" if query else f"{common.address()}/"


def tools() -> None:
    st.markdown(
        "Every setting lives in the link, so a link opens exactly the set-up it was copied from. "
        "Set things up, pick what students may change, then share the link below (or the "
        "address bar: it always holds the same)."
    )
    st.toggle(FIELDS["presenter"].label, key="presenter", help=FIELDS["presenter"].help)
    lesson = CONTROLS if st.session_state.lesson == "1" else LINE_CONTROLS
    others = tuple(key for key in st.session_state.hide if key not in lesson)
    st.multiselect(
        "Hide controls from students",
        lesson + others,  # the other lesson's hidden controls stay hidden, and can be shown
        format_func=lambda key: FIELDS[key].label + (" (other lesson)" if key in others else ""),
        key="hide",
        help="Hidden controls keep their values; the link carries both.",
    )
    st.text_input(  # not disabled: a keyboard reaches it, to select and copy it
        "Link to this set-up",
        share_link({key: st.session_state[key] for key in FIELDS}),
        help="Select it and copy it; students who open it see this view too, so send them to "
        "another one first if you like.",
    )
    if st.session_state.lesson == "2" and st.session_state.line_data == "own":
        st.caption(
            "Your own points stay in this session: the link cannot carry them, so it opens on "
            "the patients' points. Share the CSV file with the link."
        )


def show(settings: tinynet.Settings, page: common.Page) -> None:
    """The tools, then class mode; while a class runs it comes first, for the projector."""
    if teacher.current() is None:
        tools()
        teacher.show(settings, page)
        return
    teacher.show(settings, page)
    with st.expander("Presenter mode, hidden controls and the link to this set-up"):
        tools()


def show_line(points: Points, settings: LineSettings, page: common.Page) -> None:
    """The same tools in lesson 2, where class mode asks lesson 2's questions."""
    show(line_class.Setup(points, settings), page)
