"""Tables of the list pages: a header row, one row per item, a message when there is none; and the
statistics tables, which become one card per row on a phone."""

from collections.abc import Callable

import reflex as rx


def data_table(headers: list[str], rows, row: Callable, empty: str, *, empty_id: str | None = None,
               size: str = "2") -> rx.Component:
    """`row(item)` renders one rx.table.row; scrolls sideways on narrow screens instead of squeezing."""
    return rx.cond(
        rows.length() > 0,
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(rx.foreach(rows, row)), width="100%", size=size),
            overflow_x="auto", width="100%"),
        rx.card(rx.text(empty, size="2", color_scheme="gray", id=empty_id), width="100%"),
    )


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
