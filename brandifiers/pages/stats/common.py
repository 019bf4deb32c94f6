"""Pieces shared by the statistics pages: date window, last-refreshed line, stat cards with
their definitions as tooltips, line charts, tables, anomaly flags and the CSV import card."""

from __future__ import annotations

import reflex as rx

from brandifiers.components.cards import field_error, refused_files
from brandifiers.pages.admin.dashboard import COLORS, card
from brandifiers.services.metrics.metric_defs import DEFINITIONS
from brandifiers.state.csv_import import CsvImportState as CSV

UPLOAD_ID = "figures-upload"


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


def header(title, state, *extra) -> rx.Component:
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
        rx.grid(rx.foreach(cards, card), columns=rx.breakpoints(initial="2", md=md), spacing="3", width="100%"),
        spacing="2", width="100%", id=id)


def section(title: str, hint, body: rx.Component, id: str) -> rx.Component:
    """hint: a text, "" for none, or a state var."""
    return rx.card(rx.vstack(
        rx.heading(title, size="3", as_="h2"),
        rx.text(hint, size="1", color_scheme="gray", id=f"{id}-hint") if not isinstance(hint, str) or hint
        else rx.fragment(),
        body, spacing="2", width="100%"), width="100%", id=id)


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


def table(headers: list[str], rows, cells, id: str, empty: str, *, title_cells: int = 1, card_title=None,
          card_columns: str = "3") -> rx.Component:
    """Pre-formatted rows; cells(row) -> the row's cells. From 48em (768 px) up a table; narrower
    (a phone) one card per row, so nothing scrolls sideways and nothing is left out: the card's
    title is card_title(row) (default: the first cell), the cells after the first `title_cells`
    stand under their headers in a grid of `card_columns`. The table keeps `id`, the cards are
    `id`-cards."""
    def card(r) -> rx.Component:
        values = cells(r)
        return rx.card(rx.vstack(
            rx.text(card_title(r) if card_title else values[0], size="2", weight="bold"),
            rx.grid(*[rx.vstack(rx.text(h, size="1", color_scheme="gray"), rx.text(c, size="2"), spacing="0",
                                min_width="0", overflow_wrap="anywhere")
                      for h, c in zip(headers[title_cells:], values[title_cells:])],
                    columns=card_columns, spacing_x="3", spacing_y="2", width="100%"),
            spacing="2", width="100%"), size="1", width="100%")

    return rx.cond(
        rows.length() > 0,
        rx.fragment(
            rx.box(rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
                rx.table.body(rx.foreach(rows, lambda r: rx.table.row(*[rx.table.cell(c) for c in cells(r)]))),
                width="100%", size="1"), overflow_x="auto", width="100%", id=id,
                display=rx.breakpoints(initial="none", md="block")),
            rx.vstack(rx.foreach(rows, card), spacing="2", width="100%", id=id + "-cards",
                      display=rx.breakpoints(initial="flex", md="none"))),
        rx.text(empty, size="2", color_scheme="gray", id=id + "-empty"))


def flag_list(flags, who: str, id: str = "anomalies",
              hint="Flags never change a figure; they point at rows to check.") -> rx.Component:
    return section(
        "Figures worth a look", hint,
        rx.cond(flags.length() > 0,
                rx.vstack(rx.foreach(flags, lambda f: rx.hstack(
                    rx.badge(f["rule"], color_scheme="amber"), rx.text(f[who], weight="medium", size="2"),
                    rx.text(f["reason"], size="2"), width="100%", wrap="wrap", align="center")),
                    spacing="2", width="100%"),
                rx.text("No anomaly found.", size="2", color_scheme="gray")), id)


def deliverable_table(rows) -> rx.Component:
    return table(["ID", "Campaign", "Post", "Influencer"], rows,
                 lambda d: [d["id"], d["campaign"], rx.link(d["post_url"], href=d["post_url"], is_external=True,
                                                            size="1", word_break="break-all"), d["influencer"]],
                 "deliverable-ids", "No submitted post yet: figures can be entered once a post is submitted.",
                 card_title=lambda d: rx.fragment("Deliverable ID ", d["id"]), card_columns="1")


def _result_list(title: str, rows, text_key: str, color: str, id: str) -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="2", as_="h3"),
        rx.cond(rows.length() > 0,
                rx.foreach(rows, lambda r: rx.hstack(rx.badge("Row " + r["row"], color_scheme=color),
                                                     rx.text(r[text_key], size="2"), align="start", width="100%")),
                rx.text("None.", size="2", color_scheme="gray")),
        spacing="1", width="100%", id=id)


def csv_card(deliverables) -> rx.Component:
    return section("Import figures from a CSV file",
                   "One row per post and day. Revenue in currency units (e.g. 120.50); empty counts mean 0. "
                   "Use the deliverable IDs listed below.",
                   rx.vstack(
                       rx.button(rx.icon("download", size=14), "Download the template", variant="soft", size="2",
                                 on_click=CSV.download_template, id="csv-template"),
                       rx.upload(rx.text("Drop a .csv file here, or click to choose", size="2"), id=UPLOAD_ID,
                                 accept={"text/csv": [".csv"]}, max_files=1,
                                 on_drop_rejected=lambda rejected: CSV.file_refused(refused_files(rejected)),
                                 border="1px dashed var(--gray-a7)", padding="1em", width="100%"),
                       rx.hstack(rx.foreach(rx.selected_files(UPLOAD_ID), lambda f: rx.text(f, size="1"))),
                       rx.radio_group.root(rx.flex(
                           rx.radio_group.item("Apply the valid rows only", value="valid_only", id="mode-valid"),
                           rx.radio_group.item("All or nothing: write nothing if any row is rejected",
                                               value="all_or_nothing", id="mode-all"),
                           spacing="4", align="center", wrap="wrap"),
                           value=CSV.mode, on_change=CSV.set_mode),
                       rx.button("Import", on_click=CSV.upload(rx.upload_files(upload_id=UPLOAD_ID)),
                                 id="csv-submit"),
                       field_error("file"), field_error("mode"),
                       rx.cond(CSV.has_result, rx.vstack(
                           rx.callout(CSV.summary, icon="info", id="csv-summary", width="100%"),
                           rx.cond(CSV.more != "", rx.text(CSV.more, size="1", color_scheme="gray")),
                           _result_list("Accepted rows", CSV.accepted, "text", "green", "csv-accepted"),
                           _result_list("Rejected rows", CSV.rejected, "reason", "red", "csv-rejected"),
                           rx.cond(CSV.rejected.length() > 0,
                                   rx.button("Download the rejected rows", size="1", variant="soft",
                                             on_click=CSV.download_rejected, id="csv-rejected-download")),
                           spacing="3", width="100%")),
                       rx.heading("Your posts (deliverable IDs)", size="2", as_="h3"),
                       deliverable_table(deliverables),
                       spacing="3", width="100%"), "csv-import")


__all__ = ["COLORS", "card_grid", "csv_card", "flag_list", "header", "lines", "section", "table"]
