"""The points lesson 2's line learns from: typed into a table or uploaded as a CSV file.

Points of one's own are this session's: a link cannot carry them. Bad data gets one message,
tinynet's own sentence on what is wrong and where, and the last good points stay in use.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.link import DATA_SETS, Points, own_points
from dashboard.views import common
from tinynet.line import MAX_BYTES, LineData, LineSettings, line_data, parse_points, read_table

MAX_TABLE = 1_000  # points the table edits; more (a file) are shown, not edited


def raw(points: Points) -> LineData:
    """The points as typed or named, before any centring."""
    return points.own if points.own is not None else line_data(*DATA_SETS[points.name])


def accept(data: LineData) -> None:
    """Use these points from now on, as the session's own, from the first iteration."""
    st.session_state.line_own = own_points(data)
    st.session_state.line_data = "own"
    st.session_state.line_at = 1


def table_base(points: Points) -> tuple[int, pd.DataFrame]:
    """The table's rows before this session's edits, and the number of its editor: a new
    editor, whenever the points change other than by the table itself."""
    data = raw(points)
    source = (points.name, points.digest)
    held = st.session_state.get("line_table")
    if held is None or held[0] != source:
        count = 0 if held is None else held[1] + 1
        rows = pd.DataFrame({"x": data.xs, "y": data.ys})
        st.session_state.line_table = held = (source, count, rows)
    return held[1], held[2]


def edit(points: Points) -> None:
    """The table of points; edits that make good points are used at once (a rerun shows
    them everywhere), and bad ones get one message while the last good points stay."""
    number, rows = table_base(points)
    edited = st.data_editor(
        rows,
        key=f"line_table_{number}",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * (len(rows) + 1), 320),
        column_config={
            "x": st.column_config.NumberColumn("x", help="Today's count, or any input"),
            "y": st.column_config.NumberColumn("y", help="Tomorrow's count: the target"),
        },
    )
    if edited.equals(rows):
        return
    try:
        data = read_table(edited["x"].tolist(), edited["y"].tolist())
    except ValueError as error:
        st.error(common.escape_markdown(str(error)) + " The last good points are still in use.")
        return
    if own_points(data).digest != points.digest:
        accept(data)
        st.rerun()


def upload() -> None:
    """A CSV file of points; each new file is read once, and a bad one gets one message."""
    file = st.file_uploader(
        "Upload a CSV file of points",
        type=["csv", "txt", "tsv"],
        key="line_upload",
        max_upload_size=MAX_BYTES // 1_000_000,
        help="A column x and a column y (or two columns with no header); commas, semicolons "
        "or tabs; up to 100,000 points.",
    )
    if file is None:
        return
    read = st.session_state.get("line_upload_read")
    if read is not None and read[0] == file.file_id:
        if read[1]:
            st.error(read[1])
        return
    try:
        data = parse_points(file.getvalue())
    except ValueError as error:
        problem = common.escape_markdown(str(error)) + " The last good points are still in use."
        st.session_state.line_upload_read = (file.file_id, problem)
        st.error(problem)
        return
    st.session_state.line_upload_read = (file.file_id, "")
    accept(data)
    st.rerun()


def show(points: Points, settings: LineSettings, page: common.Page) -> None:
    """The points in use, to edit or replace, unless a teacher has hidden the choice."""
    data = raw(points)
    st.markdown(
        f"**{data.count:,} points** ({'your own' if points.name == 'own' else points.name}). "
        "Type in the table (its last row adds one), or upload a CSV file."
    )
    if "line_data" in st.session_state.hide:
        st.dataframe(pd.DataFrame({"x": data.xs, "y": data.ys}), hide_index=True, height=320)
        st.caption("Your teacher has fixed the points for this lesson.")
        return
    table, files = st.columns([2, 3]) if not page.phone else (st.container(), st.container())
    with table:
        if data.count <= MAX_TABLE:
            edit(points)
        else:
            st.dataframe(pd.DataFrame({"x": data.xs, "y": data.ys}), hide_index=True, height=320)
            st.caption(f"More than {MAX_TABLE:,} points: edit the file, then upload it again.")
    with files:
        upload()
        st.caption(
            "Points you type or upload stay in this browser session: a link cannot carry them, "
            "so a link to this set-up opens on the patients' points. The sidebar centres and "
            "scales x."
        )
