"""Opening the page in ``AppTest`` the way a browser opens it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def settled(at: AppTest) -> AppTest:
    """Run ``at`` twice: the session's first run, then the rerun that the map's first view report
    starts in a browser."""
    at.run()
    return at.run()
