"""Sponsor: find influencers (filters, sort, fit score, recommended for a campaign) and open a profile."""

import reflex as rx

from brandifiers.components.cards import all_errors, field, field_error, pager, result_count, select_field
from brandifiers.components.filters import folding_filters
from brandifiers.components.layout import template
from brandifiers.models import CATEGORIES, Platform
from brandifiers.state.discovery import DiscoveryState

SORTS = ["reach", "engagement", "price", "fit", "recommended"]


def _prediction(r) -> rx.Component:
    """A Recommended card's learned figure, its range, the chance of completion and the top three reasons."""
    def reason(key: str):
        return rx.cond(r[key] != "", rx.el.li(r[key]))
    return rx.cond(r["prediction"] != "", rx.vstack(
        rx.text(r["prediction"], size="2", weight="medium", class_name="prediction"),
        rx.cond(r["completes"] != "", rx.text(r["completes"], size="2", class_name="completes")),
        rx.el.ul(reason("reason1"), reason("reason2"), reason("reason3"), class_name="reasons",
                 style={"margin": "0", "padding_left": "1.2em", "font_size": "var(--font-size-1)",
                        "color": "var(--gray-11)"}),
        spacing="1", width="100%"))


def influencer_card(r) -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(rx.link(r["name"], href=r["href"], weight="bold", size="4"),
                  rx.spacer(), rx.cond(r["fit"] != "", rx.badge("fit ", r["fit"], color_scheme="violet")),
                  width="100%"),
        rx.text(r["category"], rx.cond(r["niche"] != "", " · " + r["niche"], ""),
                rx.cond(r["location"] != "", " · " + r["location"], ""),
                size="2", color_scheme="gray"),
        rx.hstack(rx.text(r["followers"], " followers", size="2"), rx.text("ER ", r["er"], size="2"),
                  rx.text(r["price"], " / post", size="2"), wrap="wrap", spacing="3"),
        rx.text(r["platforms"], size="1", color_scheme="gray"),
        _prediction(r),
        spacing="1", width="100%"), width="100%", class_name="influencer-card")


def filters_form() -> rx.Component:
    grid = {"columns": rx.breakpoints(initial="1", sm="2", md="4"), "spacing": "3", "width": "100%"}
    return rx.form(rx.vstack(
        rx.grid(field("Search", "text", placeholder="name, bio or @handle"),
                select_field("Category", "category", list(CATEGORIES), placeholder="Any category"),
                select_field("Platform", "platform", [p.value for p in Platform], placeholder="Any platform"),
                select_field("Sort by", "sort", SORTS, default="reach"), **grid),
        rx.grid(field("Followers from", "min_followers"), field("Followers to", "max_followers"),
                field("Engagement from (%)", "min_er"), field("Engagement to (%)", "max_er"), **grid),
        rx.cond(DiscoveryState.my_campaigns.length() > 0,
                rx.vstack(rx.text("Campaign (for the fit score and the recommended sort)", as_="label",
                                  html_for="campaign_id", size="2", weight="medium"),
                          rx.el.select(rx.foreach(DiscoveryState.my_campaigns,
                                                  lambda c: rx.el.option(c[1], value=c[0])),
                                       name="campaign_id", id="campaign_id", default_value=DiscoveryState.campaign_id,
                                       style={"padding": "0.4em", "border_radius": "6px",
                                              "border": "1px solid var(--gray-a7)", "max_width": "100%"}),
                          field_error("campaign_id"),
                          spacing="1", width="100%")),
        rx.button("Search", type="submit", id="search-submit"),
        spacing="3", width="100%"), on_submit=DiscoveryState.search_influencers, no_validate=True, width="100%")


@template(route="/sponsor/discover", title="Find influencers", access="sponsor",
          on_load=[DiscoveryState.load_influencers])
def discover() -> rx.Component:
    return rx.vstack(
        rx.heading("Find influencers", size="7"),
        rx.text("Follower and engagement figures are self-reported by the influencers.", size="1",
                color_scheme="gray"),
        folding_filters(rx.card(filters_form(), width="100%")),
        all_errors(),
        rx.cond(DiscoveryState.result_banner != "",
                rx.callout(DiscoveryState.result_banner, icon="info", color_scheme="amber", id="result-banner",
                           width="100%")),
        result_count(DiscoveryState),
        rx.cond(DiscoveryState.rows.length() > 0,
                rx.grid(rx.foreach(DiscoveryState.rows, influencer_card),
                        columns=rx.breakpoints(initial="1", sm="2", md="3"), spacing="3", width="100%"),
                rx.text("No influencer matches these filters.", color_scheme="gray")),
        pager(DiscoveryState, DiscoveryState.influencer_page(-1), DiscoveryState.influencer_page(1)),
        spacing="4", width="100%",
    )
