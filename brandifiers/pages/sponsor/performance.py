"""Sponsor: the performance of all its campaigns (/sponsor/performance) over a date window, with the
CSV import of figures."""

import reflex as rx

from brandifiers.components.charts import VIEWS_AND_ENGAGEMENTS, lines
from brandifiers.components.csv_import import csv_card
from brandifiers.components.layout import template
from brandifiers.components.stats import card_grid, day_table_section, section, stats_header
from brandifiers.components.tables import responsive_table
from brandifiers.services.metrics.metric_defs import DEFINITIONS
from brandifiers.state.csv_import import CsvImportState
from brandifiers.state.sponsor_stats import PortfolioState as P


@template(route="/sponsor/performance", title="Performance", access="sponsor", on_load=[P.load, CsvImportState.clear])
def sponsor_performance() -> rx.Component:
    return rx.vstack(
        stats_header("Performance of your campaigns", P),
        card_grid("In the chosen period", P.period_cards, md="6", id="period-cards"),
        card_grid("All time", P.total_cards, md="6", id="total-cards"),
        section("Views and engagements per day", DEFINITIONS["engagements"],
                lines(P.days, "day", VIEWS_AND_ENGAGEMENTS), "chart-days"),
        day_table_section(P.day_table),
        section("Campaigns", "All time, highest spend first (up to 50).",
                responsive_table(["Campaign", "Views", "Engagements", "Spend", "Revenue", "ROI", "CPM"], P.campaigns,
                                 lambda r: [rx.link(r["name"], href="/sponsor/campaigns/" + r["id"] + "/stats"),
                                            r["views"], r["engagements"], r["spend"], r["revenue"], r["roi"],
                                            r["cpm"]],
                                 "portfolio-campaigns", "No campaign yet."), "campaigns"),
        csv_card(P.deliverables),
        spacing="4", width="100%",
    )
