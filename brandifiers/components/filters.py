"""The filter bar of the admin list pages (labelled controls with their errors, Apply and Clear), and
the discovery pages' filters, behind a "Filters" button on a phone."""

import reflex as rx
from reflex.experimental import ClientStateVar

from brandifiers.components.cards import field_error


def filter_box(label: str, control: rx.Component, name: str, width: str = "11em") -> rx.Component:
    """One labelled filter control with its error under it (shared by the admin list pages)."""
    return rx.vstack(rx.text(label, as_="label", html_for=name, size="1", weight="medium"), control,
                     field_error(name), spacing="1", min_width=width, flex="1",
                     max_width=rx.breakpoints(initial="100%", sm="18em"))


def filter_bar(*boxes: rx.Component, on_submit, on_clear, extra: rx.Component | None = None) -> rx.Component:
    return rx.card(rx.form(
        rx.flex(*boxes, rx.hstack(
            rx.button("Apply", type="submit", id="apply-filters"),
            rx.button("Clear", type="reset", variant="soft", color_scheme="gray", on_click=on_clear),
            *([extra] if extra is not None else []), spacing="2", wrap="wrap", padding_top="22px"),
            spacing="3", wrap="wrap", align="start", width="100%"),
        on_submit=on_submit, no_validate=True, width="100%"), width="100%")


def text_filter(label: str, name: str, type: str = "text", placeholder: str = "") -> rx.Component:
    return filter_box(label, rx.input(name=name, id=name, type=type, placeholder=placeholder, width="100%"), name)


def choice_filter(label: str, name: str, items: list[str]) -> rx.Component:
    return filter_box(label, rx.select(["all", *items], name=name, id=name, default_value="all", width="100%"),
                      name, width="9em")


SHOW_FILTERS = ClientStateVar.create("show_filters", False)  # in the browser only: no server round trip
FOLDING = "@media (max-width: 47.99em) { .folding-filters:not(.open) { display: none; } }"


def folding_filters(panel: rx.Component) -> rx.Component:
    """From 768 px up the panel as is; narrower, a "Filters" button that shows or hides it, so the
    results come first on a phone."""
    return rx.vstack(
        rx.el.style(FOLDING),
        rx.button(rx.icon("sliders-horizontal", size=16), rx.cond(SHOW_FILTERS.value, "Hide filters", "Filters"),
                  variant="soft", on_click=SHOW_FILTERS.set_value(~SHOW_FILTERS.value), id="show-filters",
                  display=rx.breakpoints(initial="flex", md="none")),
        rx.box(panel, class_name=rx.cond(SHOW_FILTERS.value, "folding-filters open", "folding-filters"),
               width="100%", id="filters-panel"),
        spacing="3", width="100%",
    )
