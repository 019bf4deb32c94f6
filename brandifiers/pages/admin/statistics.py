"""Admin: platform statistics (/admin/statistics) by category and by month, the anomaly list and
"Refresh now"."""

import reflex as rx

from brandifiers.components.cards import form_error
from brandifiers.components.charts import COLORS, VIEWS_AND_ENGAGEMENTS, lines
from brandifiers.components.layout import template
from brandifiers.components.stats import card_grid, flag_list, section, stats_header
from brandifiers.components.tables import responsive_table
from brandifiers.services.metrics.metric_defs import DEFINITIONS
from brandifiers.state.platform_stats import PlatformStatsState as S


def refresh_button() -> rx.Component:
    return rx.button(rx.icon("refresh-cw", size=14), "Refresh now", size="2", variant="soft", on_click=S.refresh,
                     id="refresh-stats")


@template(route="/admin/statistics", title="Statistics", access="admin", on_load=[S.load])
def admin_statistics() -> rx.Component:
    two = rx.breakpoints(initial="1", md="2")
    return rx.vstack(
        stats_header("Platform statistics", S, refresh_button()),
        rx.text("Figures are summed by a job every few minutes; Refresh now runs it at once.", size="1",
                color_scheme="gray"),
        form_error(),
        card_grid("All time", S.total_cards, md="4", id="total-cards"),
        section("Reach and engagements per day", DEFINITIONS["engagements"],
                lines(S.days, "day", VIEWS_AND_ENGAGEMENTS),
                "chart-days"),
        rx.grid(
            section("By category", "All time. " + DEFINITIONS["spend"],
                    lines(S.categories, "category", VIEWS_AND_ENGAGEMENTS, kind="bar"),
                    "chart-categories"),
            section("By month", "Spend counts in the month its request was accepted.",
                    lines(S.months, "month", [("spend", "Spend", COLORS["c"])], kind="bar",
                          empty="No figures yet."), "chart-months"),
            columns=two, spacing="4", width="100%"),
        section("Categories", DEFINITIONS["roi"],
                responsive_table(["Category", "Views", "Engagements", "Followers", "Spend", "Revenue", "ROI"],
                                 S.categories,
                                 lambda r: [r["category"], r["views_text"], r["engagements_text"], r["followers"],
                                            r["spend_text"], r["revenue_text"], r["roi_text"]], "category-table",
                                 "No figures yet."), "categories"),
        section("Months", DEFINITIONS["er_views"] + " " + DEFINITIONS["roi"],
                responsive_table(["Month", "Views", "Engagements", "Engagement rate", "Spend", "Revenue", "ROI"],
                                 S.months,
                                 lambda r: [r["month"], r["views_text"], r["engagements_text"], r["er_text"],
                                            r["spend_text"], r["revenue_text"], r["roi_text"]], "month-table",
                                 "No figures yet."), "months"),
        flag_list(S.flags, "request", hint=S.flags_note),
        spacing="4", width="100%",
    )
