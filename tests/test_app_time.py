"""AppTest of the time controls: every preset date, the compare mode and the progress headline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.timeline import PRESETS
from tests.apptest_page import settled

APP = Path(__file__).resolve().parents[1] / "app.py"


@pytest.fixture
def app() -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["date"] = "2021-10-15"
    settled(at)
    assert not at.exception
    return at


def test_every_preset_moves_the_date_and_the_page_runs(app: AppTest):
    for label, day in PRESETS:
        app.selectbox(key="fa_preset").select(label).run()
        assert not app.exception, label
        expected = day or dt.date.today()
        assert app.date_input(key="fa_date").value == expected
        assert app.slider(key="fa_date_slider").value == expected
        assert app.query_params["date"] == expected.isoformat()


def test_headline_reports_computed_km_on_the_chosen_date(app: AppTest):
    text = " ".join(m.value for m in app.markdown)
    assert "km delimited" in text and "2021-10-15" in text


def test_compare_mode_lists_the_status_changes(app: AppTest):
    app.toggle(key="fa_compare_on").set_value(True).run()
    app.date_input(key="fa_compare").set_value(dt.date(2025, 6, 1)).run()
    assert not app.exception
    assert app.query_params["compare"] == "2025-06-01"
    table = app.dataframe[0].value
    statuses = table[(table["layer"] == "borders") & (table["change"] == "status")]
    assert len(statuses) > 0
    assert set(statuses["from"]) <= {"delimited", "disputed", "undetermined", ""}
    assert (statuses["km"] > 0).all()
