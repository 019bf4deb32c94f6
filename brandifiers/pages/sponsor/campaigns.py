"""Sponsor: the list of own campaigns."""

import reflex as rx

from brandifiers.components.cards import form_error, pager, status_badge
from brandifiers.components.layout import template
from brandifiers.state.campaigns import CampaignState


def campaign_row(c) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(c["name"], href="/sponsor/campaigns/" + c["id"], weight="medium")),
        rx.table.cell(c["category"]),
        rx.table.cell(status_badge(c["status"])),
        rx.table.cell(c["visibility"]),
        rx.table.cell(c["budget"]),
        rx.table.cell(c["dates"]),
    )


@template(route="/sponsor/campaigns", title="Campaigns", access="sponsor", on_load=[CampaignState.load_list])
def campaigns_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.heading("Campaigns", size="7"), rx.spacer(),
                  rx.link(rx.button(rx.icon("plus"), "New campaign", id="new-campaign"),
                          href="/sponsor/campaigns/new"), width="100%", align="center"),
        form_error(),
        rx.cond(
            CampaignState.total > 0,
            rx.box(rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                               ("Name", "Category", "Status", "Visibility", "Budget", "Dates")])),
                rx.table.body(rx.foreach(CampaignState.rows, campaign_row)), width="100%"),
                overflow_x="auto", width="100%"),
            rx.card(rx.text("No campaigns yet. Create one to start finding influencers."), width="100%"),
        ),
        pager(CampaignState),
        spacing="4", width="100%",
    )
