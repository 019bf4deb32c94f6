"""Influencer: Performance (/influencer/performance): enter a day's figures, import a CSV, charts of
views, engagement rate and earnings over a date window."""

import reflex as rx

from brandifiers.components.cards import field, field_error, form_error
from brandifiers.components.charts import COLORS, lines
from brandifiers.components.csv_import import csv_card
from brandifiers.components.layout import template
from brandifiers.components.stats import card_grid, day_table_section, section, stats_header
from brandifiers.services.metrics.metrics import LABELS
from brandifiers.state.csv_import import CsvImportState
from brandifiers.state.influencer_stats import InfluencerStatsState as S


def deliverable_select() -> rx.Component:
    return rx.vstack(
        rx.text("Post (campaign · URL)", as_="label", html_for="deliverable_id", size="2", weight="medium"),
        rx.select.root(
            rx.select.trigger(placeholder="Choose one of your posts", width="100%", id="deliverable_id"),
            rx.select.content(rx.foreach(S.deliverables, lambda d: rx.select.item(d["label"], value=d["id"]))),
            name="deliverable_id", size="3", default_value=S.last_deliverable),
        field_error("deliverable_id"),
        spacing="1", width="100%")


def day_form() -> rx.Component:
    return section(
        "Enter one day's figures", "Figures for the same post and day replace the earlier ones (kept in the "
        "audit log). Revenue in currency units.",
        rx.form(rx.vstack(
            form_error(),
            rx.grid(deliverable_select(), field("Day", "day", type="date", default=S.today),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="3", width="100%"),
            rx.grid(*[field(label, name, placeholder="0") for name, label in LABELS.items()],
                    columns=rx.breakpoints(initial="2", sm="4"), spacing="3", width="100%"),
            rx.button("Save figures", type="submit", id="day-submit"),
            spacing="3", width="100%"),
            on_submit=S.save_day, no_validate=True, width="100%", key=S.form_version),
        "day-form")


def saved_notice() -> rx.Component:
    return rx.vstack(
        rx.cond(S.saved != "", rx.callout(S.saved, icon="circle_check", color_scheme="green", id="day-saved",
                                          width="100%")),
        rx.foreach(S.warnings, lambda w: rx.callout(w, icon="triangle_alert", color_scheme="amber",
                                                    class_name="day-warning", width="100%")),
        spacing="2", width="100%")


@template(route="/influencer/performance", title="Performance", access="influencer",
          on_load=[S.load, CsvImportState.clear])
def influencer_performance() -> rx.Component:
    two = rx.breakpoints(initial="1", md="2")
    return rx.vstack(
        stats_header("Performance", S),
        card_grid("In the chosen period", S.period_cards, md="5", id="period-cards"),
        card_grid("All time", S.total_cards, md="5", id="total-cards"),
        rx.grid(
            section("Views per day", "", lines(S.days, "day", [("views", "Views", COLORS["a"])]), "chart-views"),
            section("Engagement rate per day (%)", "Engagement rate (by views) = engagements / views; days "
                    "without views have no rate.", lines(S.days, "day", [("er", "Engagement rate (%)", COLORS["b"])]),
                    "chart-er"),
            section("Earnings (cumulative)", "Agreed payment of your requests, counted on the day each was "
                    "accepted.", lines(S.earnings, "day", [("earned", "Earned", COLORS["c"])],
                                       empty="Nothing earned by the end of this period.", curve="stepAfter"),
                    "chart-earnings"),
            columns=two, spacing="4", width="100%"),
        day_table_section(S.day_table, rx.link("See and correct every day you entered", href="/influencer/figures",
                                               size="2", id="figures-link")),
        saved_notice(),
        day_form(),
        csv_card(S.deliverables),
        spacing="4", width="100%",
    )
