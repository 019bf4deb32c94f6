"""Sponsor: an influencer's public profile, its fit for one of the sponsor's campaigns, send a request."""

import reflex as rx

from brandifiers.components.cards import all_errors, field, status_badge, textarea_field
from brandifiers.components.layout import template
from brandifiers.components.tables import data_table
from brandifiers.state.discovery import DiscoveryState


def fit_panel() -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(rx.heading("Fit score", size="4", as_="h2"),
                  rx.cond(DiscoveryState.fit_score != "", rx.badge(DiscoveryState.fit_score, " / 100", size="3",
                                                                   color_scheme="violet", id="fit-score")),
                  align="center"),
        rx.cond(DiscoveryState.my_campaigns.length() > 0,
                rx.vstack(
                    rx.text("Campaign", as_="label", html_for="fit-campaign", size="2", weight="medium"),
                    rx.select.root(
                        rx.select.trigger(placeholder="Choose a campaign", id="fit-campaign", width="100%",
                                          aria_label="Campaign"),
                        rx.select.content(rx.foreach(DiscoveryState.my_campaigns,
                                                     lambda c: rx.select.item(c[1], value=c[0]))),
                        value=DiscoveryState.campaign_id, on_change=DiscoveryState.choose_campaign),
                    rx.text("The fit score and the request below are for this campaign.", size="1",
                            color_scheme="gray"),
                    spacing="1", width="100%", max_width="28em"),
                rx.text("Create a campaign to see the fit and send a request.", size="2", color_scheme="gray")),
        rx.text("How the score is made: each part scores 0–1, times its weight (the weights add up to 100); "
                "the parts' whole points add up to the score.",
                size="1", color_scheme="gray"),
        rx.box(data_table(["Part", "Weight", "Points", "Why"], DiscoveryState.fit_parts, lambda p: rx.table.row(
            rx.table.cell(p["label"]), rx.table.cell(p["weight"]), rx.table.cell(p["points"]),
            rx.table.cell(p["explanation"], size="1")), "Choose a campaign to see the parts of the score.",
            empty_id="fit-parts-empty"), id="fit-parts", width="100%"),
        spacing="2", width="100%"), width="100%")


def send_form() -> rx.Component:
    return rx.card(rx.form(rx.vstack(
        rx.heading("Send an ad request", size="4", as_="h2"),
        rx.text("For the campaign: ", rx.foreach(DiscoveryState.my_campaigns, lambda c: rx.cond(
            c[0] == DiscoveryState.campaign_id, rx.text.strong(c[1]))),
            rx.cond(DiscoveryState.campaign_id == "", rx.text.em("none chosen (choose one above)")),
            size="2", id="send-campaign"),
        all_errors(),
        textarea_field("Requirements", "requirements", rows="2"),
        field("Deliverables", "deliverables", placeholder="e.g. 1 reel + 2 stories"),
        rx.grid(field("Payment", "payment", placeholder="1500"), field("Due date", "due_date", type="date"),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
        field("Terms", "terms", hint="Optional."),
        textarea_field("Message", "message", rows="2"),
        rx.button("Send request", type="submit", id="send-request"),
        spacing="3", width="100%"), on_submit=DiscoveryState.send_request, no_validate=True, width="100%"),
        width="100%")


@template(route="/sponsor/influencers/[influencer_id]", title="Influencer", access="sponsor",
          on_load=[DiscoveryState.load_profile])
def influencer_profile() -> rx.Component:
    p = DiscoveryState.profile
    return rx.cond(
        p.contains("name"),
        rx.vstack(
            rx.heading(p["name"], size="7", id="profile-heading"),
            rx.text(p["category"], rx.cond(p["niche"] != "", " · " + p["niche"], ""),
                    rx.cond(p["location"] != "", " · " + p["location"], ""),
                    color_scheme="gray"),
            rx.text(p["bio"]),
            rx.hstack(rx.cond(p["price"] != "-", rx.badge("asking ", p["price"], " per post")),
                      rx.badge("completed ", p["completed"], " of ", p["accepted"], " (", p["rate"], ")",
                               color_scheme="green"), wrap="wrap"),
            rx.card(rx.vstack(rx.heading("Platforms", size="4", as_="h2"),
                              rx.text("Self-reported by the influencer.", size="1", color_scheme="gray"),
                              rx.foreach(DiscoveryState.platforms, lambda x: rx.hstack(
                                  rx.badge(x["platform"]), rx.text(x["handle"]), rx.text(x["followers"]),
                                  rx.text("ER ", x["er"]), spacing="3", wrap="wrap")), spacing="2"), width="100%"),
            fit_panel(),
            send_form(),
            rx.card(rx.vstack(rx.heading("Past collaborations", size="4", as_="h2"),
                              rx.cond(DiscoveryState.history.length() > 0,
                                      rx.foreach(DiscoveryState.history, lambda h: rx.hstack(
                                          rx.text(h["campaign"]), rx.text(h["sponsor"], color_scheme="gray"),
                                          status_badge(h["status"]), rx.text(h["amount"]), rx.text(h["date"]),
                                          wrap="wrap")),
                                      rx.text("None yet.", color_scheme="gray")), spacing="2"), width="100%"),
            spacing="4", width="100%", max_width="900px"),
        rx.vstack(all_errors(), rx.text("Loading…", color_scheme="gray")),
    )
