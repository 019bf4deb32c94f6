"""Sponsor: the list of own campaigns."""

import reflex as rx

from brandifiers.components.cards import form_error, pager, status_badge
from brandifiers.components.layout import template
from brandifiers.components.tables import data_table
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
        data_table(["Name", "Category", "Status", "Visibility", "Budget", "Dates"], CampaignState.rows, campaign_row,
                   "No campaigns yet. Create one to start finding influencers.", empty_id="campaigns-empty"),
        pager(CampaignState),
        spacing="4", width="100%",
    )
