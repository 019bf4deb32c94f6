"""Pieces of the statistics pages: the date window form and "Figures last refreshed" (for a state
with WindowState), card grids, titled sections and the anomaly flag list."""

from __future__ import annotations

import reflex as rx

from brandifiers.components.cards import field_error
from brandifiers.components.charts import figure_card
from brandifiers.components.tables import responsive_table
from brandifiers.services.metrics.metric_defs import DEFINITIONS


def range_form(state) -> rx.Component:
    """Two date inputs (empty = open) and Apply; "All time" clears them."""
    return rx.form(rx.flex(
        rx.vstack(rx.text("From", as_="label", html_for="start", size="1"),
                  rx.input(type="date", name="start", id="start", default_value=state.start, size="2"),
                  field_error("start"), spacing="1"),
        rx.vstack(rx.text("To", as_="label", html_for="end", size="1"),
                  rx.input(type="date", name="end", id="end", default_value=state.end, size="2"),
                  field_error("end"), spacing="1"),
        rx.button("Apply", type="submit", size="2", id="range-apply"),
        rx.button("All time", type="button", size="2", variant="soft", on_click=state.all_time, id="range-all"),
        spacing="2", align="end", wrap="wrap"),
        on_submit=state.apply_range, no_validate=True, key=state.window_version)


def refreshed_line(state) -> rx.Component:
    return rx.text("Figures last refreshed ", state.refreshed, size="1", color_scheme="gray", id="last-refreshed")


def stats_header(title, state, *extra) -> rx.Component:
    """The heading (with `extra` buttons), the date window form and the last refresh, above the figures."""
    return rx.vstack(
        rx.flex(rx.heading(title, size="7", id="stats-heading"), rx.spacer(), *extra, width="100%", align="center",
                wrap="wrap", spacing="3"),
        rx.flex(range_form(state), rx.spacer(), refreshed_line(state), width="100%", align="end", wrap="wrap",
                spacing="3"),
        rx.text(DEFINITIONS["undefined"] + " Hover the info icon of a figure for its definition.", size="1",
                color_scheme="gray"),
        spacing="2", width="100%")


def card_grid(title: str, cards, md: str = "4", id: str = "") -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="3", as_="h2"),
        rx.grid(rx.foreach(cards, figure_card), columns=rx.breakpoints(initial="2", md=md), spacing="3",
                width="100%"),
        spacing="2", width="100%", id=id)


def section(title: str, hint, body: rx.Component, id: str) -> rx.Component:
    """hint: a text, "" for none, or a state var."""
    return rx.card(rx.vstack(
        rx.heading(title, size="3", as_="h2"),
        rx.text(hint, size="1", color_scheme="gray", id=f"{id}-hint") if not isinstance(hint, str) or hint
        else rx.fragment(),
        body, spacing="2", width="100%"), width="100%", id=id)


def flag_list(flags, who: str, id: str = "anomalies",
              hint="Flags never change a figure; they point at rows to check.") -> rx.Component:
    return section(
        "Figures worth a look", hint,
        rx.cond(flags.length() > 0,
                rx.vstack(rx.foreach(flags, lambda f: rx.hstack(
                    rx.badge(f["rule"], color_scheme="amber"), rx.text(f[who], weight="medium", size="2"),
                    rx.text(f["reason"], size="2"),
                    rx.text(f["rule_text"], size="1", color_scheme="gray", width="100%", class_name="flag-rule"),
                    width="100%", wrap="wrap", align="center", class_name="flag-row")),
                    spacing="2", width="100%"),
                rx.text("No anomaly found.", size="2", color_scheme="gray")), id)


def goal_row(g, with_campaign: bool = False) -> rx.Component:
    """One goal (a GoalBar): its label (with the campaign on the dashboard), "450 of 1,000 (45%)" and a
    progress bar whose value is the percent reached (capped at 100)."""
    label = rx.link(g.campaign, " · ", g.label, href=g.href, weight="medium", size="2") if with_campaign \
        else rx.text(g.label, weight="medium", size="2")
    return rx.vstack(
        rx.hstack(label, rx.spacer(), rx.text(g.text, size="2", class_name="goal-text"), width="100%", wrap="wrap"),
        rx.progress(value=g.bar, max=100, aria_label=g.campaign + " · " + g.label if with_campaign else g.label),
        spacing="1", width="100%", class_name="goal-row", id="goal-" + g.key if not with_campaign else None)


def goal_section(goals) -> rx.Component:
    """The campaign's goals against its all-time figures; nothing at all when it has none."""
    return rx.cond(goals.length() > 0, section(
        "Goals", "Each target set on the campaign against its all-time figure (the totals of this page); "
        "the percent is rounded down.",
        rx.vstack(rx.foreach(goals, lambda g: goal_row(g)), spacing="3", width="100%"),
        "goals"))


DAY_COLUMNS = {"day": "Day", "views": "Views", "engagements": "Engagements", "clicks": "Clicks",
               "conversions": "Conversions", "revenue": "Revenue", "source": "Source"}


def day_table_section(rows, link=None) -> rx.Component:
    """The rows behind the day charts (display.day_table): each day's figures and their source."""
    return section(
        "Figures by day", "The rows behind the charts, newest first (the latest 50 days of the period). Source: "
        "where the figures came from (platform API, CSV import, reported by the creator); where a post has "
        "several for a day, the platform's count, then the CSV's.",
        rx.vstack(responsive_table(list(DAY_COLUMNS.values()), rows, lambda r: [r[k] for k in DAY_COLUMNS],
                                   "day-table", "No figures in this period yet."),
                  link if link is not None else rx.fragment(), spacing="2", width="100%"),
        "day-rows")
