"""Admin home: platform analytics with charts, each with its definition."""

import reflex as rx

from brandifiers.components.cards import form_error
from brandifiers.components.charts import COLORS, figure_card
from brandifiers.components.layout import template
from brandifiers.state.analytics import DEFINITIONS, AnalyticsState


def chart_card(title: str, key: str, chart: rx.Component, id: str) -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(title, size="3", as_="h2"),
        rx.text(DEFINITIONS[key], size="1", color_scheme="gray"),
        rx.box(chart, width="100%", height="260px"),
        spacing="2", width="100%"), width="100%", id=id)


def _axes(x_key: str, *, vertical: bool = False) -> list[rx.Component]:
    if vertical:
        return [rx.recharts.x_axis(type_="number", allow_decimals=False),
                rx.recharts.y_axis(data_key=x_key, type_="category", width=110, interval=0)]
    return [rx.recharts.x_axis(data_key=x_key), rx.recharts.y_axis(allow_decimals=False, width=70)]


def bars(data, x_key: str, series: list[tuple[str, str, str]], *, stacked: bool = False,
         vertical: bool = False) -> rx.Component:
    """A bar chart: series = [(data key, legend name, colour)]."""
    return rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
        *[rx.recharts.bar(data_key=k, name=name, fill=color, **({"stack_id": "s"} if stacked else {}))
          for k, name, color in series],
        *_axes(x_key, vertical=vertical),
        rx.recharts.graphing_tooltip(),
        *([rx.recharts.legend()] if len(series) > 1 else []),
        data=data, layout="vertical" if vertical else "horizontal", width="100%", height=250,
        margin={"left": 4, "right": 12, "top": 8, "bottom": 4},
    )


def money_chart() -> rx.Component:
    return rx.recharts.line_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
        rx.recharts.line(data_key="agreed", name="Agreed ($)", stroke=COLORS["a"], stroke_width=2, type_="monotone"),
        rx.recharts.line(data_key="paid", name="Paid ($)", stroke=COLORS["b"], stroke_width=2, type_="monotone"),
        rx.recharts.x_axis(data_key="month"), rx.recharts.y_axis(width=80),
        rx.recharts.graphing_tooltip(), rx.recharts.legend(),
        data=AnalyticsState.money, width="100%", height=250, margin={"left": 4, "right": 12, "top": 8, "bottom": 4},
    )


@template(route="/admin", title="Admin", access="admin", on_load=[AnalyticsState.load])
def admin_dashboard() -> rx.Component:
    two = rx.breakpoints(initial="1", md="2")
    return rx.vstack(
        rx.flex(
            rx.heading("Platform overview", size="7", id="dashboard-heading"),
            rx.spacer(),
            rx.hstack(
                rx.text("Computed ", AnalyticsState.computed_at, " in ", AnalyticsState.took, size="1",
                        color_scheme="gray", id="computed-at"),
                rx.cond(AnalyticsState.stale, rx.badge("refreshing in the background", color_scheme="amber")),
                rx.button(rx.icon("refresh-cw", size=14), "Refresh now", size="1", variant="soft",
                          on_click=AnalyticsState.refresh, id="refresh-analytics"),
                align="center", wrap="wrap"),
            width="100%", align="center", wrap="wrap", spacing="3",
        ),
        rx.text("Figures are kept for 60 seconds and recomputed at once after any administrator action.",
                size="1", color_scheme="gray"),
        form_error(),
        rx.grid(rx.foreach(AnalyticsState.cards, figure_card), columns=rx.breakpoints(initial="1", sm="2", md="4"),
                spacing="3", width="100%"),
        rx.grid(
            chart_card("Ad request funnel", "funnel",
                       bars(AnalyticsState.funnel, "stage", [("count", "Requests", COLORS["a"])], vertical=True),
                       "chart-funnel"),
            chart_card("Ad requests by status", "requests",
                       bars(AnalyticsState.statuses, "status", [("count", "Requests", COLORS["a"])], vertical=True),
                       "chart-statuses"),
            chart_card("Campaigns by status and visibility", "campaigns",
                       bars(AnalyticsState.campaigns, "status", [("public", "Public", COLORS["a"]),
                                                                 ("private", "Private", COLORS["b"])], stacked=True),
                       "chart-campaigns"),
            chart_card("Flagged items", "flags",
                       bars(AnalyticsState.flags, "type", [("count", "Flagged", COLORS["c"])]), "chart-flags"),
            chart_card("Sign-ups per week", "signups",
                       bars(AnalyticsState.signups, "week", [("sponsor", "Sponsors", COLORS["b"]),
                                                             ("influencer", "Influencers", COLORS["a"])],
                            stacked=True), "chart-signups"),
            chart_card("Agreed and paid per month", "money", money_chart(), "chart-money"),
            chart_card("Top categories by spend", "categories",
                       rx.cond(AnalyticsState.categories.length() > 0,
                               bars(AnalyticsState.categories, "category", [("spend", "Spend ($)", COLORS["a"])],
                                    vertical=True),
                               rx.center(rx.text("No spend yet: no request has been accepted.", size="2",
                                                 color_scheme="gray", id="chart-categories-empty"), height="100%")),
                       "chart-categories"),
            columns=two, spacing="4", width="100%",
        ),
        spacing="4", width="100%",
    )
