"""Influencer: find public campaigns, open one and apply."""

import reflex as rx

from brandifiers.components.cards import all_errors, field, pager, result_count, select_field, textarea_field
from brandifiers.components.filters import folding_filters
from brandifiers.components.layout import template
from brandifiers.components.request_view import hold_notices
from brandifiers.models import CATEGORIES
from brandifiers.state.discovery import DiscoveryState


def campaign_card(c) -> rx.Component:
    return rx.card(rx.vstack(
        rx.link(c["name"], href="/influencer/campaigns/" + c["id"], weight="bold", size="4"),
        rx.text(c["sponsor"], " · ", c["category"], rx.cond(c["niche"] != "", " · " + c["niche"], ""), size="2",
                color_scheme="gray"),
        rx.text(c["snippet"], size="2"),
        rx.hstack(rx.badge("budget ", c["budget"]), rx.text(c["dates"], size="1", color_scheme="gray"), wrap="wrap"),
        spacing="1", width="100%"), width="100%")


@template(route="/influencer/campaigns", title="Find campaigns", access="influencer",
          on_load=[DiscoveryState.load_campaigns])
def find_campaigns() -> rx.Component:
    grid = {"columns": rx.breakpoints(initial="1", sm="2", md="3"), "spacing": "3", "width": "100%"}
    return rx.vstack(
        rx.heading("Find campaigns", size="7"),
        folding_filters(rx.card(rx.form(rx.vstack(
            rx.grid(field("Search", "text"), select_field("Category", "category", list(CATEGORIES),
                                                          placeholder="Any category"),
                    field("Niche", "niche"), **grid),
            rx.grid(field("Budget from", "min_budget"), field("Budget to", "max_budget"),
                    field("Starts after", "starts_after", type="date"),
                    field("Ends before", "ends_before", type="date"),
                    columns=rx.breakpoints(initial="1", sm="2", md="4"), spacing="3", width="100%"),
            rx.button("Search", type="submit", id="search-submit"), spacing="3", width="100%"),
            on_submit=DiscoveryState.search_campaigns, no_validate=True, width="100%"), width="100%")),
        all_errors(),
        result_count(DiscoveryState),
        rx.cond(DiscoveryState.rows.length() > 0,
                rx.grid(rx.foreach(DiscoveryState.rows, campaign_card), **grid),
                rx.text("No public campaign matches.", color_scheme="gray")),
        pager(DiscoveryState, DiscoveryState.campaign_page(-1), DiscoveryState.campaign_page(1)),
        spacing="4", width="100%",
    )


def _apply_form() -> rx.Component:
    return rx.card(rx.form(rx.vstack(
        rx.heading("Apply", size="4", as_="h2"), all_errors(),
        field("Your price", "payment", placeholder="1200"), field("Terms", "terms", hint="Optional."),
        textarea_field("Message", "message", rows="3"),
        rx.button("Send application", type="submit", id="apply-submit"), spacing="3", width="100%"),
        on_submit=DiscoveryState.apply, no_validate=True, width="100%"), width="100%")


@template(route="/influencer/campaigns/[campaign_id]", title="Campaign", access="influencer",
          on_load=[DiscoveryState.load_campaign])
def campaign_page() -> rx.Component:
    p, mine = DiscoveryState.profile, DiscoveryState.my_request
    return rx.cond(
        p.contains("name"),
        rx.vstack(
            rx.heading(p["name"], size="7"),
            rx.text("by ", rx.text.strong(p["sponsor"]), id="campaign-brand"),
            rx.text(p["category"], rx.cond(p["niche"] != "", " · " + p["niche"], ""), " · ", p["dates"],
                    color_scheme="gray"),
            hold_notices(DiscoveryState.campaign_holds),
            rx.badge("budget ", p["budget"]),
            rx.text(p["description"]),
            rx.cond(p["goals"] != "", rx.text("Goals: ", p["goals"], size="2", id="campaign-goals")),
            rx.cond(mine.contains("href"), rx.callout(
                rx.vstack(rx.text(mine["summary"], weight="medium"),
                          rx.link("Open your request (", mine["payment"], ")", href=mine["href"]), spacing="1"),
                icon="info", id="my-request", width="100%")),
            rx.cond(DiscoveryState.can_apply, _apply_form(),
                    rx.cond(mine.contains("href"), rx.fragment(),
                            rx.text("This campaign is not taking applications right now.", color_scheme="gray"))),
            spacing="4", width="100%", max_width="800px"),
        rx.vstack(all_errors(), rx.cond(DiscoveryState.form_error == "", rx.text("Loading…", color_scheme="gray"))),
    )
