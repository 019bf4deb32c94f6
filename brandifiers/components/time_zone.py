"""The time-zone card of both profile pages (TimeZoneState): a select of the zoneinfo names."""

from __future__ import annotations

import reflex as rx

from brandifiers.components.cards import field_error
from brandifiers.services.common import zones
from brandifiers.state.time_zone import TimeZoneState

# A native select (about 420 names: typing a letter jumps), drawn like the other fields.
SELECT_STYLE = {"width": "100%", "height": "var(--space-7)", "padding": "0 var(--space-3)",
                "border": "1px solid var(--gray-a7)", "border_radius": "var(--radius-2)",
                "background": "var(--color-surface)", "color": "var(--gray-12)", "font_size": "var(--font-size-3)"}


def time_zone_card() -> rx.Component:
    return rx.card(rx.form(rx.vstack(
        rx.heading("Time zone", size="4", as_="h2"),
        rx.text("Times, days and the daily reminder follow this zone.", size="2"),
        rx.text("Time zone", as_="label", html_for=zones.FIELD, size="2", weight="medium"),
        rx.el.select(*[rx.el.option(name, value=name) for name in zones.zone_names()],
                     name=zones.FIELD, id=zones.FIELD, default_value=TimeZoneState.zone,
                     style=SELECT_STYLE),
        field_error(zones.FIELD),
        rx.button("Save time zone", type="submit", id="time-zone-submit"),
        spacing="2", width="100%"),
        on_submit=TimeZoneState.save, no_validate=True, width="100%", key=TimeZoneState.zone), width="100%")
