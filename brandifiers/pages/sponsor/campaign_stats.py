"""Sponsor: one campaign's performance (/sponsor/campaigns/[campaign_id]/stats): figures over a date
window, spend against the budget, influencers ranked by ROI, anomaly flags."""

import reflex as rx

from brandifiers.components.cards import form_error, status_words
from brandifiers.components.charts import COLORS, VIEWS_AND_ENGAGEMENTS, lines
from brandifiers.components.layout import template
from brandifiers.components.stats import card_grid, day_table_section, flag_list, goal_section, section, stats_header
from brandifiers.components.tables import responsive_table
from brandifiers.services.metrics.metric_defs import DEFINITIONS
from brandifiers.state.sponsor_stats import CampaignStatsState as C


def influencer_table() -> rx.Component:
    return section(
        "Influencers ranked by ROI", DEFINITIONS["roi"] + " All time; requests without spend (ROI \"-\") last.",
        responsive_table(["#", "Influencer", "Status", "Views", "Engagements", "Spend", "Revenue", "ROI", "CPE"],
                         C.influencers,
                         lambda r: [r["rank"], r["influencer"], status_words(r["status"]), r["views"],
                                    r["engagements"], r["spend"], r["revenue"], r["roi"], r["cpe"]],
                         "influencer-ranking", "No ad request yet.",
                         title_cells=2, card_title=lambda r: rx.fragment("#", r["rank"], " ", r["influencer"])),
        "ranking")


@template(route="/sponsor/campaigns/[campaign_id]/stats", title="Campaign performance", access="sponsor",
          on_load=[C.load])
def campaign_stats_page() -> rx.Component:
    return rx.cond(
        C.campaign_id > 0,
        rx.vstack(
            rx.link("← Back to the campaign", href="/sponsor/campaigns/" + C.campaign_id.to_string(), size="2"),
            stats_header(C.name, C),
            card_grid("In the chosen period", C.period_cards, md="6", id="period-cards"),
            card_grid("All time (spend has no day: it is the agreed payment of a request)", C.total_cards, md="6",
                      id="total-cards"),
            goal_section(C.goals),
            rx.grid(
                section("Views and engagements per day", DEFINITIONS["engagements"],
                        lines(C.days, "day", VIEWS_AND_ENGAGEMENTS), "chart-days"),
                section("Cumulative spend against the budget (" + C.budget + ")",
                        "Each request's agreed payment counts from the day it was accepted.",
                        lines(C.spend, "day", [("spend", "Spend", COLORS["a"]), ("budget", "Budget", COLORS["d"])],
                              empty="Nothing committed in this period.", curve="stepAfter"), "chart-spend"),
                columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%"),
            day_table_section(C.day_table),
            influencer_table(),
            flag_list(C.flags, "influencer"),
            spacing="4", width="100%"),
        rx.vstack(rx.heading("Campaign performance", size="7"), form_error(),
                  rx.link("Back to your campaigns", href="/sponsor/campaigns"), spacing="3"),
    )
