"""Tables of the list pages and the statistics tables: a header row, one row per item, a message
when there is none; below 768 px (a phone) both become one card per row."""

import hashlib
import json
from collections.abc import Callable

import reflex as rx


def data_table(headers: list[str], rows, row: Callable, empty: str, *, empty_id: str | None = None,
               size: str = "2") -> rx.Component:
    """`row(item)` renders one rx.table.row. From 48em (768 px) up a table; narrower (a phone) the
    same rows are drawn as cards by CSS (card_rows_css): one DOM, so row and button ids stay unique."""
    cls = _card_class(headers)
    return rx.cond(
        rows.length() > 0,
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(rx.foreach(rows, row)), width="100%", size=size, class_name="card-rows " + cls),
            card_rows_css(headers, cls), overflow_x="auto", width="100%"),
        rx.card(rx.text(empty, size="2", color_scheme="gray", id=empty_id), width="100%"),
    )


PHONE = "@media (max-width: 47.99em)"  # below rx.breakpoints' md (48em = 768 px)
# once per page, in layout.page_shell
CARD_ROWS = PHONE + """ {
.card-rows thead { display: none; }
.card-rows table, .card-rows tbody, .card-rows .rt-ScrollAreaViewport > div { display: block !important;
  height: auto !important; }
.card-rows tr { display: grid; grid-template-columns: 1fr 1fr; gap: 0.5em 0.75em; padding: 0.75em;
  margin-bottom: 0.5em; border: 1px solid var(--gray-a5); border-radius: var(--radius-3);
  background-color: var(--color-panel-solid); }
.card-rows td { display: block; padding: 0 !important; box-shadow: none !important; height: auto !important;
  min-width: 0; overflow-wrap: anywhere; white-space: normal !important; }
.card-rows td:first-child { grid-column: 1 / -1; font-weight: 500; }
.card-rows td::before { display: block; font-size: var(--font-size-1); color: var(--gray-11); font-weight: 400; }
}"""


def _card_class(headers: list[str]) -> str:
    return "cr-" + hashlib.sha1("|".join(headers).encode()).hexdigest()[:8]


def card_rows_css(headers: list[str], cls: str) -> rx.Component:
    """On a phone each cell shows its column's header above it; a cell without a header (the
    actions) takes the card's whole width."""
    rules = []
    for n, h in enumerate(headers[1:], start=2):
        if h:
            rules.append(f'.{cls} td:nth-child({n})::before {{ content: {json.dumps(h)}; }}')
        else:
            rules.append(f".{cls} td:nth-child({n}) {{ grid-column: 1 / -1; }}")
    return rx.el.style(PHONE + " {\n" + "\n".join(rules) + "\n}")


def cells_row(*cells: Callable) -> Callable:
    """A row renderer from one function per cell."""
    return lambda item: rx.table.row(*[rx.table.cell(c(item)) for c in cells])


def responsive_table(headers: list[str], rows, cells, id: str, empty: str, *, title_cells: int = 1,
                     card_title=None, card_columns: str = "3") -> rx.Component:
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
