"""Charts and figure cards of the statistics and admin pages: the series colours, a stat card whose
definition is its tooltip, and line (or bar) charts of numbers with an empty-state text."""

from __future__ import annotations

import reflex as rx

COLORS = {"a": "var(--accent-9)", "b": "var(--amber-9)", "c": "var(--crimson-9)", "d": "var(--gray-9)"}


def figure_card(c) -> rx.Component:
    """A card {label, value, hint, id}: the hint (the figure's definition) is the info icon's tooltip."""
    return rx.card(rx.vstack(
        rx.hstack(rx.text(c["label"], size="2", color_scheme="gray"), rx.spacer(),
                  rx.tooltip(rx.icon("info", size=14, color="var(--gray-9)"), content=c["hint"]), width="100%"),
        rx.text(c["value"], size="6", weight="bold", id=c["id"]),
        spacing="1"), width="100%")


# Numbers on the charts as on the cards: thousands separated on bar labels and in the tooltip, the
# y axis compact (12K, 1.5M). recharts takes JS formatter functions; Reflex has no prop for them.
_GROUPED = rx.Var("(v) => typeof v === 'number' ? v.toLocaleString('en-US') : v")
_COMPACT = rx.Var("(v) => typeof v === 'number' ? new Intl.NumberFormat('en-US', {notation: 'compact'}).format(v) : v")


def _chart(data, x_key: str, series: list[tuple[str, str, str]], kind: str, curve: str) -> rx.Component:
    """kind: line | bar | single (the bars of one x value, each labelled with its value)."""
    if kind == "line":
        make, marks = rx.recharts.line_chart, [
            rx.recharts.line(data_key=k, name=n, stroke=c, stroke_width=2, type_=curve, dot={"r": 4})
            for k, n, c in series]
    else:
        make, marks = rx.recharts.bar_chart, [
            rx.recharts.bar(*([rx.recharts.label_list(data_key=k, position="top", custom_attrs={"formatter": _GROUPED})]
                              if kind == "single" else []),
                            data_key=k, name=n, fill=c, max_bar_size=56)
            for k, n, c in series]
    # Lines keep their first and last dots clear of the plot's edges (a rate of one day is a dot).
    pad = {"left": 12, "right": 12} if kind == "line" else {"left": 0, "right": 0}
    return make(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False), *marks,
        rx.recharts.x_axis(data_key=x_key, padding=pad),
        rx.recharts.y_axis(width=56, custom_attrs={"tickFormatter": _COMPACT}),
        rx.recharts.graphing_tooltip(custom_attrs={"formatter": _GROUPED}), rx.recharts.legend(),
        data=data, width="100%", height=250, margin={"left": 4, "right": 12, "top": 16, "bottom": 4})


def lines(data, x_key: str, series: list[tuple[str, str, str]], *, empty: str = "No figures in this period yet.",
          kind: str = "line", curve: str = "monotone") -> rx.Component:
    """A line (or bar) chart of numbers: series = [(data key, legend name, colour)]. A line chart of
    a single point would be a lone dot in an empty plot: that one day is drawn as labelled bars.
    `curve` is the lines' interpolation ("stepAfter" for running totals, which jump on a day)."""
    chart = _chart(data, x_key, series, kind, curve)
    if kind == "line":
        chart = rx.cond(data.length() == 1, _chart(data, x_key, series, "single", curve), chart)
    return rx.cond(data.length() > 0, rx.box(chart, width="100%", height="260px"),
                   rx.text(empty, size="2", color_scheme="gray"))


VIEWS_AND_ENGAGEMENTS = [("views", "Views", COLORS["a"]), ("engagements", "Engagements", COLORS["b"])]
