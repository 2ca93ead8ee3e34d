"""Data problems and URL notices shown above the map: one escaped sentence each, capped."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from layers.text import plain_notice


def show_problems(lines: Sequence[str], *, limit: int, what: str = "the data files") -> None:
    """The first ``limit`` problem sentences as errors, then how many more there are."""
    for line in lines[:limit]:
        st.error(plain_notice(line))
    if len(lines) > limit:
        st.error(f"… and {len(lines) - limit} more problems in {what}.")


def show_notices(lines: Sequence[str]) -> None:
    """Each notice (a URL value that fell back to its default) as a warning."""
    for line in lines:
        st.warning(plain_notice(line))
