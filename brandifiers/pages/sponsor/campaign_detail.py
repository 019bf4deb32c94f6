"""Sponsor: one campaign with its budget panel and status actions."""

import reflex as rx

from brandifiers.components.cards import form_error, request_links, stat_grid, status_badge
from brandifiers.components.layout import template
from brandifiers.state.campaigns import CampaignState


def delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete this campaign?"),
            rx.alert_dialog.description("This removes the campaign and its open requests. A campaign with an "
                                        "accepted collaboration cannot be deleted: archive it instead."),
            rx.hstack(rx.button("Cancel", variant="soft", color_scheme="gray", on_click=CampaignState.cancel_delete),
                      rx.button("Delete", color_scheme="red", on_click=CampaignState.delete, id="confirm-delete"),
                      justify="end", spacing="3", margin_top="1em"),
        ),
        open=CampaignState.confirm_delete,
    )


@template(route="/sponsor/campaigns/[campaign_id]", title="Campaign", access="sponsor",
          on_load=[CampaignState.load_detail])
def campaign_detail() -> rx.Component:
    c = CampaignState.campaign
    return rx.cond(
        CampaignState.campaign_id > 0,
        rx.vstack(
            rx.hstack(rx.heading(c["name"], size="7", id="campaign-heading"), status_badge(c["status"]),
                      rx.badge(c["visibility"], variant="outline"), align="center", wrap="wrap"),
            rx.text(c["category"], rx.cond(c["niche"] != "", " · " + c["niche"], ""), " · ", c["dates"],
                    color_scheme="gray"),
            rx.cond(c["flagged"] != "", rx.callout("Flagged by an administrator, hidden from discovery: "
                                                   + c["flag_reason"], color_scheme="red", icon="flag",
                                                   id="flag-callout")),
            rx.cond(c["held"] != "", rx.callout("Waiting for an administrator's approval before influencers can "
                                                "find it.", color_scheme="amber", icon="clock", id="held-callout")),
            form_error(),
            rx.flex(
                rx.foreach(CampaignState.actions, lambda a: rx.button(
                    a[1], on_click=CampaignState.set_status(a[0]), id="status-" + a[0])),
                rx.link(rx.button("Performance", variant="soft"), href="/sponsor/campaigns/" + c["id"] + "/stats",
                        id="campaign-performance"),
                rx.link(rx.button("Edit", variant="soft"), href="/sponsor/campaigns/" + c["id"] + "/edit"),
                rx.link(rx.button("Find influencers", variant="soft"),
                        href="/sponsor/discover?campaign=" + c["id"]),
                rx.cond(c["status"] != "archived",
                        rx.button("Archive", variant="soft", color_scheme="gray",
                                  on_click=CampaignState.set_status("archived"), id="status-archived")),
                rx.button("Delete", variant="soft", color_scheme="red", on_click=CampaignState.ask_delete,
                          id="delete-campaign"),
                spacing="2", wrap="wrap",
            ),
            stat_grid(CampaignState.panel, wide="4"),
            request_links("Ad requests of this campaign (latest 50)", CampaignState.requests,
                          "No request yet: find influencers and send one.", "campaign-requests"),
            rx.card(rx.vstack(rx.heading("Description", size="4", as_="h2"), rx.text(c["description"]),
                              rx.cond(c["goals"] != "", rx.fragment(rx.heading("Goals", size="4", as_="h2"),
                                                                    rx.text(c["goals"]))), spacing="2"),
                    width="100%"),
            delete_dialog(),
            spacing="4", width="100%",
        ),
        rx.vstack(form_error(), rx.text("Loading…", color_scheme="gray")),
    )
