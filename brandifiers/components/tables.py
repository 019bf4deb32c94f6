"""Tables of the list pages: a header row, one row per item, a message when there is none."""

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
