"""The one style table: the map, the legend and the exports all read these rows.

Status is encoded by dash pattern first (it survives greyscale print and colour blindness), colour
second, and always named in the legend. No red/green pair encodes status.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final


@dataclass(frozen=True)
class LineStyle:
    """How one kind of line or outline is drawn, in Leaflet and in matplotlib."""

    label: str
    color: str
    weight: float
    dash: tuple[float, ...] | None  # on/off lengths in line widths; None = solid
    opacity: float = 1.0
    fill: str | None = None
    fill_opacity: float = 0.0
    casing: bool = False  # a white line drawn under it keeps it legible over imagery

    def dash_array(self) -> str | None:
        """Leaflet ``dashArray`` in pixels."""
        if not self.dash:
            return None
        return ",".join(f"{d * self.weight:g}" for d in self.dash)


STATUS_STYLE: Final[dict[str, LineStyle]] = {
    "delimited": LineStyle("Delimited", "#1f3b73", 3.0, None, casing=True),
    "disputed": LineStyle("Disputed", "#c2410c", 3.5, (4.0, 2.0), casing=True),
    "undetermined": LineStyle("Undetermined", "#7c3aed", 3.0, (0.5, 2.0), casing=True),
}
"""Border-segment status -> style. Every status in ``geo.schema.STATUSES`` has a row."""

STATUS_CLASS_PREFIX: Final = "fa-status-"
"""The CSS class of a line drawn in one border status is this prefix and the status."""


def status_class(status: str) -> str:
    """The CSS class of the lines drawn in ``status`` (``fa-status-disputed``)."""
    return f"{STATUS_CLASS_PREFIX}{status}"


def casing_class(line_class: str) -> str:
    """The class the casing under a line of class ``line_class`` carries (``fa-status-disputed``
    -> ``fa-casing-status-disputed``): not the line's own, so counting ``.fa-status-*`` counts
    lines only, yet a hidden status can take both off the map (``layers.mapview.hidden_classes``)."""
    return "fa-casing-" + line_class.removeprefix("fa-")


CROSSING_STYLE: Final[dict[str, LineStyle]] = {
    "open": LineStyle("Crossing open", "#0f766e", 2.0, None, fill="#14b8a6", fill_opacity=0.9),
    "restricted": LineStyle(
        "Crossing restricted", "#a16207", 2.0, (2.0, 1.0), fill="#facc15", fill_opacity=0.9
    ),
    "closed": LineStyle("Crossing closed", "#111827", 2.0, None, fill="#ffffff", fill_opacity=0.9),
    # no report since the entry's date (data/README.md): dotted outline, pale grey fill
    "unknown": LineStyle(
        "Crossing status unknown",
        "#6b7280",
        2.0,
        (0.5, 1.5),
        fill="#e5e7eb",
        fill_opacity=0.6,
    ),
}
"""Crossing status -> style. Every status in ``geo.schema.CROSSING_STATUSES`` has a row."""

LAYER_STYLE: Final[dict[str, LineStyle]] = {
    "enclaves": LineStyle("Enclave", "#0e7490", 1.5, None, fill="#22d3ee", fill_opacity=0.35),
    "deployments": LineStyle(
        "Troop deployment", "#1f2937", 1.5, None, fill="#9ca3af", fill_opacity=0.85
    ),
    "deployments-area": LineStyle(
        "Deployment area", "#374151", 1.2, (2.0, 2.0), fill="#9ca3af", fill_opacity=0.18
    ),
    "exercises": LineStyle(
        "Exercise zone", "#9d174d", 1.5, (3.0, 2.0), fill="#f472b6", fill_opacity=0.25
    ),
    "events": LineStyle("Event", "#7f1d1d", 1.5, None, fill="#f59e0b", fill_opacity=0.9),
    "places": LineStyle("Place", "#374151", 1.0, None, fill="#ffffff", fill_opacity=1.0),
    "settlements-capital": LineStyle(
        "Capital (GeoNames)", "#111827", 1.5, None, fill="#ffffff", fill_opacity=1.0
    ),
    "settlements-city": LineStyle(
        "City (GeoNames)", "#374151", 1.2, None, fill="#ffffff", fill_opacity=1.0
    ),
    "settlements-town": LineStyle(
        "Town (GeoNames)", "#4b5563", 1.0, None, fill="#e5e7eb", fill_opacity=1.0
    ),
    "settlements-village": LineStyle(
        "Village (GeoNames)", "#6b7280", 0.8, None, fill="#f3f4f6", fill_opacity=1.0
    ),
    "rivers-border": LineStyle("Border river", "#7cb5f2", 8.0, None, opacity=0.9),
    "rivers-major": LineStyle("River", "#60a5fa", 2.2, None, opacity=0.9),
    "rivers-river": LineStyle("River", "#60a5fa", 1.5, None, opacity=0.85),
    "rivers-minor": LineStyle("Stream", "#93c5fd", 1.0, None, opacity=0.85),
    "rivers-lake": LineStyle(
        "Lake or reservoir", "#60a5fa", 0.8, None, fill="#bfdbfe", fill_opacity=0.9
    ),
    "base-country": LineStyle("Country", "#9ca3af", 0.8, None, fill="#f5f3ee", fill_opacity=1.0),
    "base-tjk": LineStyle("Tajikistan", "#9ca3af", 0.8, None, fill="#fdf6e3", fill_opacity=1.0),
    "base-line": LineStyle("Other international border", "#6b7280", 1.2, (3.0, 1.5, 0.5, 1.5)),
    "overlay": LineStyle(
        "Analyst overlay (uploaded)", "#0f172a", 2.0, (1.0, 1.0), fill="#38bdf8", fill_opacity=0.3
    ),
}
"""Layer kind -> style for everything that is not a border status."""

STALE_STYLE: Final = LineStyle(
    "Not confirmed for over a year (faded, dotted outline)",
    "#4b5563",
    1.5,
    (1.0, 1.5),
    opacity=0.45,
    fill="#9ca3af",
    fill_opacity=0.3,
)
"""The legend row for stale lasting features (geo.freshness); ``stale_style`` applies it."""


def stale_style(style: LineStyle) -> LineStyle:
    """How a stale feature of ``style`` is drawn: faded to ``STALE_STYLE.opacity``; areas and
    markers also get its dotted outline, while lines keep their own dash (a border's status
    stays readable)."""
    faded = replace(
        style,
        label=f"{style.label} — not confirmed for over a year",
        opacity=round(style.opacity * STALE_STYLE.opacity, 3),
        fill_opacity=round(style.fill_opacity * STALE_STYLE.opacity, 3),
    )
    return replace(faded, dash=STALE_STYLE.dash) if style.fill else faded


CONFIDENCE_LABEL: Final[dict[str, str]] = {
    "assessed": "Assessed (several independent sources)",
    "reported": "Reported (one credible source)",
    "claimed": "Claimed (a party's claim, or an approximate position)",
}

CASING: Final = LineStyle("casing", "#ffffff", 2.5, None, opacity=0.9)
"""Extra width and colour of the white casing under cased lines."""

ATTRIBUTION: Final = (
    "© OpenStreetMap contributors (ODbL); settlements © GeoNames (CC BY 4.0); rivers GSHHG (LGPL)"
)
DISCLAIMER: Final = "Boundaries shown are not authoritative."


def leaflet_style(style: LineStyle, *, class_name: str, opacity: float = 1.0) -> dict[str, object]:
    """The Leaflet path options for ``style``; ``class_name`` lands on the SVG path."""
    out: dict[str, object] = {
        "color": style.color,
        "weight": style.weight,
        "opacity": round(style.opacity * opacity, 3),
        "className": class_name,
        "lineCap": "butt" if style.dash else "round",
    }
    dash = style.dash_array()
    if dash:
        out["dashArray"] = dash
    if style.fill:
        out.update(
            fill=True, fillColor=style.fill, fillOpacity=round(style.fill_opacity * opacity, 3)
        )
    else:
        out["fill"] = False
    return out


CHANGE_STYLE: Final = LineStyle(
    "Changed between the two dates", "#facc15", 11.0, None, opacity=0.75
)
"""A wide yellow halo under segments and features that changed in the compare mode."""
