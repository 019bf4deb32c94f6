"""Sponsor: one campaign's performance (/sponsor/campaigns/[id]/stats) and the portfolio across
its campaigns with the CSV import (/sponsor/performance)."""

import reflex as rx

from brandifiers.components.cards import form_error
from brandifiers.components.layout import template
from brandifiers.pages.stats.common import COLORS, card_grid, csv_card, flag_list, header, lines, section, table
from brandifiers.services.metrics.metric_defs import DEFINITIONS
from brandifiers.state.csv_import import CsvImportState
from brandifiers.state.sponsor_stats import CampaignStatsState as C, PortfolioState as P

VIEWS_AND_ENGAGEMENTS = [("views", "Views", COLORS["a"]), ("engagements", "Engagements", COLORS["b"])]


def influencer_table() -> rx.Component:
    return section(
        "Influencers ranked by ROI", DEFINITIONS["roi"] + " All time; requests without spend (ROI \"-\") last.",
        table(["#", "Influencer", "Status", "Views", "Engagements", "Spend", "Revenue", "ROI", "CPE"], C.influencers,
              lambda r: [r["rank"], r["influencer"], r["status"], r["views"], r["engagements"], r["spend"],
                         r["revenue"], r["roi"], r["cpe"]], "influencer-ranking", "No ad request yet.",
              title_cells=2, card_title=lambda r: rx.fragment("#", r["rank"], " ", r["influencer"])),
        "ranking")


@template(route="/sponsor/campaigns/[campaign_id]/stats", title="Campaign performance", access="sponsor",
          on_load=[C.load])
def campaign_stats_page() -> rx.Component:
    return rx.cond(
        C.campaign_id > 0,
        rx.vstack(
            rx.link("← Back to the campaign", href="/sponsor/campaigns/" + C.campaign_id.to_string(), size="2"),
            header(C.name, C),
            card_grid("In the chosen period", C.period_cards, md="5", id="period-cards"),
            card_grid("All time (spend has no day: it is the agreed payment of a request)", C.total_cards, md="6",
                      id="total-cards"),
            rx.grid(
                section("Views and engagements per day", DEFINITIONS["engagements"],
                        lines(C.days, "day", VIEWS_AND_ENGAGEMENTS), "chart-days"),
                section("Cumulative spend against the budget (" + C.budget + ")",
                        "Each request's agreed payment counts from the day it was accepted.",
                        lines(C.spend, "day", [("spend", "Spend", COLORS["a"]), ("budget", "Budget", COLORS["d"])],
                              empty="Nothing committed in this period.", curve="stepAfter"), "chart-spend"),
                columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%"),
            influencer_table(),
            flag_list(C.flags, "influencer"),
            spacing="4", width="100%"),
        rx.vstack(rx.heading("Campaign performance", size="7"), form_error(),
                  rx.link("Back to your campaigns", href="/sponsor/campaigns"), spacing="3"),
    )


@template(route="/sponsor/performance", title="Performance", access="sponsor", on_load=[P.load, CsvImportState.clear])
def sponsor_performance() -> rx.Component:
    return rx.vstack(
        header("Performance of your campaigns", P),
        card_grid("In the chosen period", P.period_cards, md="5", id="period-cards"),
        card_grid("All time", P.total_cards, md="6", id="total-cards"),
        section("Views and engagements per day", DEFINITIONS["engagements"],
                lines(P.days, "day", VIEWS_AND_ENGAGEMENTS), "chart-days"),
        section("Campaigns", "All time, highest spend first (up to 50).",
                table(["Campaign", "Views", "Engagements", "Spend", "Revenue", "ROI", "CPM"], P.campaigns,
                      lambda r: [rx.link(r["name"], href="/sponsor/campaigns/" + r["id"] + "/stats"), r["views"],
                                 r["engagements"], r["spend"], r["revenue"], r["roi"], r["cpm"]],
                      "portfolio-campaigns", "No campaign yet."), "campaigns"),
        csv_card(P.deliverables),
        spacing="4", width="100%",
    )
