"""Admin: every campaign (search and flags), and one campaign (status, flags, requests, assigning)."""

import reflex as rx

from brandifiers.components.cards import all_errors, field, field_error, pager, stat_grid, status_badge
from brandifiers.components.layout import template
from brandifiers.components.reason_dialog import reason_button, reason_dialog
from brandifiers.components.tables import data_table
from brandifiers.models import CampaignStatus
from brandifiers.state.admin_campaigns import AdminCampaignState as S


def flag_controls(kind: str, row, title, size: str = "1") -> rx.Component:
    """Flag (or lift the flag of) a campaign or a request: always through the reason dialog."""
    return rx.cond(
        row["flagged"] != "",
        reason_button("Lift flag", f"unflag_{kind}", row["id"], "Lift the flag on " + title, color="green",
                      id=f"unflag-{kind}-" + row["id"], size=size),
        reason_button("Flag", f"flag_{kind}", row["id"], "Flag " + title, id=f"flag-{kind}-" + row["id"],
                      size=size),
    )


def campaign_row(r) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.vstack(rx.link(r["name"], href="/admin/campaigns/" + r["id"], weight="medium"),
                                rx.text(r["category"], size="1", color_scheme="gray"), spacing="0")),
        rx.table.cell(rx.vstack(rx.text(r["company"]), rx.text(r["email"], size="1", color_scheme="gray"),
                                spacing="0")),
        rx.table.cell(rx.hstack(status_badge(r["status"]), rx.badge(r["visibility"], variant="outline"),
                                rx.cond(r["flagged"] != "", rx.badge("flagged", color_scheme="red")),
                                rx.cond(r["held"] != "", rx.badge("held", color_scheme="amber")), wrap="wrap")),
        rx.table.cell(r["budget"]),
        rx.table.cell(flag_controls("campaign", r, r["name"])),
        id="admin-campaign-" + r["id"],
    )


def filters() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.box(rx.input(name="text", id="text", placeholder="Campaign or company", default_value=S.filters["text"]),
                   field_error("text"), flex="2", min_width="200px"),
            rx.select(["any"] + [s.value for s in CampaignStatus], name="status", default_value="any", id="status"),
            rx.select(["any", "flagged", "held"], name="review", default_value="any", id="review"),
            rx.button("Search", type="submit", id="campaign-search"),
            spacing="2", wrap="wrap", width="100%", align="start",
        ),
        on_submit=S.search, no_validate=True, width="100%",
    )


@template(route="/admin/campaigns", title="Campaigns", access="admin", on_load=[S.load_list])
def admin_campaigns() -> rx.Component:
    return rx.vstack(
        rx.flex(rx.heading("Campaigns", size="7"), rx.spacer(),
                rx.link(rx.button("New campaign for a sponsor", id="new-for-sponsor"), href="/admin/campaigns/new"),
                width="100%", align="center", wrap="wrap", spacing="3"),
        filters(),
        all_errors(),
        rx.text(S.total, " campaigns", size="2", color_scheme="gray", id="campaign-total"),
        data_table(["Campaign", "Sponsor", "Status", "Budget", ""], S.rows, campaign_row,
                   "No campaign matches.", empty_id="campaigns-empty"),
        pager(S),
        reason_dialog(),
        spacing="4", width="100%",
    )


def request_row(r) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.vstack(rx.text("#", r["id"], " ", r["influencer"], weight="medium"),
                                rx.text(r["email"], size="1", color_scheme="gray"), spacing="0")),
        rx.table.cell(rx.hstack(status_badge(r["status"]),
                                rx.cond(r["flagged"] != "", rx.badge("frozen", color_scheme="red")), wrap="wrap")),
        rx.table.cell(r["payment"]),
        rx.table.cell(r["by"]),
        rx.table.cell(flag_controls("request", r, "request #" + r["id"])),
        id="admin-request-" + r["id"],
    )


def assign_form() -> rx.Component:
    grid = {"columns": rx.breakpoints(initial="1", sm="2"), "spacing": "3", "width": "100%"}
    return rx.card(rx.form(
        rx.vstack(
            rx.heading("Assign an influencer", size="4", as_="h2"),
            rx.text("Sends the influencer an ad request marked “sent by admin for ", S.campaign["company"], "”.",
                    size="2", color_scheme="gray"),
            rx.grid(field("Influencer e-mail", "influencer_email"), field("Payment", "payment", placeholder="500"),
                    **grid),
            rx.grid(field("Due date", "due_date", type="date", hint="Optional."),
                    field("Deliverables", "deliverables", placeholder="1 reel"), **grid),
            field("Message", "message"),
            rx.button("Send request", type="submit", id="assign-submit"),
            spacing="3", width="100%",
        ),
        on_submit=S.assign, no_validate=True, reset_on_submit=False, key=S.assign_key, width="100%",
    ), width="100%")


@template(route="/admin/campaigns/[campaign_id]", title="Campaign", access="admin", on_load=[S.load_detail])
def admin_campaign_detail() -> rx.Component:
    c = S.campaign
    return rx.cond(
        c.contains("id"),
        rx.vstack(
            rx.hstack(rx.heading(c["name"], size="7", id="campaign-heading"), status_badge(c["status"]),
                      rx.badge(c["visibility"], variant="outline"), align="center", wrap="wrap"),
            rx.text("Sponsor: ", c["company"], " (", c["sponsor_email"], ") · ", c["category"], " · ", c["dates"],
                    color_scheme="gray"),
            rx.cond(c["flagged"] != "", rx.callout("Flagged: " + c["flag_reason"], color_scheme="red", icon="flag",
                                                   id="flag-callout")),
            rx.cond(c["held"] != "", rx.callout("Held for approval: influencers cannot find it yet.",
                                                color_scheme="amber", icon="clock")),
            all_errors(),
            rx.flex(
                rx.foreach(S.actions, lambda a: rx.button(a[1], variant="soft", on_click=S.set_status(a[0]),
                                                          id="status-" + a[0])),
                rx.link(rx.button("Edit for sponsor", variant="soft"), href="/admin/campaigns/" + c["id"] + "/edit"),
                flag_controls("campaign", c, c["name"], size="2"),
                spacing="2", wrap="wrap", align="center",
            ),
            stat_grid(S.panel, wide="4"),
            rx.card(rx.vstack(
                rx.heading("Ad requests (latest 100)", size="4", as_="h2"),
                data_table(["Request", "Status", "Payment", "Sent by", ""], S.requests, request_row,
                           "No request yet."),
                spacing="2", width="100%"), width="100%"),
            assign_form(),
            reason_dialog(),
            spacing="4", width="100%",
        ),
        rx.vstack(all_errors(), rx.text("Loading…", color_scheme="gray")),
    )
