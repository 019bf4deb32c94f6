"""Sponsor: create or edit a campaign (one form for both)."""

import reflex as rx

from brandifiers.components.cards import field, field_error, form_error, select_field, textarea_field
from brandifiers.components.layout import template
from brandifiers.models import CATEGORIES
from brandifiers.state.auth import AuthState
from brandifiers.state.campaigns import CampaignState


def dates_warning() -> rx.Component:
    """New dates that leave figures or accepted deals outside: the warning and its confirmation."""
    return rx.cond(
        CampaignState.dates_warned != "",
        rx.callout(rx.vstack(
            field_error("dates"),
            # no id: a Radix checkbox with one is submitted as True/False (its ref), not as its value
            rx.checkbox("Save with these dates", name="confirm_dates", value=CampaignState.dates_warned),
            spacing="2"), icon="triangle_alert", color_scheme="amber", width="100%", id="dates-warning"),
    )


def campaign_form() -> rx.Component:
    c = CampaignState.campaign
    grid = {"columns": rx.breakpoints(initial="1", sm="2"), "spacing": "3", "width": "100%"}
    return rx.form(
        rx.vstack(
            form_error(),
            rx.cond((CampaignState.campaign_id == 0) & (AuthState.user_role == "admin"),
                    field("Sponsor e-mail", "sponsor_email", hint="The sponsor this campaign is created for; "
                          "it is told, and the audit log names you both.")),
            field("Name", "name", default=c["name"]),
            textarea_field("Description", "description", default=c["description"]),
            rx.grid(select_field("Category", "category", list(CATEGORIES), default=c["category"]),
                    field("Niche", "niche", hint="Optional.", default=c["niche"]), **grid),
            textarea_field("Goals", "goals", default=c["goals"], rows="2"),
            rx.grid(field("Target views", "target_views", hint="Optional.", default=c["target_views"]),
                    field("Target engagements", "target_engagements", hint="Optional.",
                          default=c["target_engagements"]),
                    field("Target conversions", "target_conversions", hint="Optional.",
                          default=c["target_conversions"]),
                    columns=rx.breakpoints(initial="1", sm="3"), spacing="3", width="100%"),
            rx.grid(field("Start date", "start_date", type="date", default=c["start_date"]),
                    field("End date", "end_date", type="date", default=c["end_date"]), **grid),
            dates_warning(),
            rx.grid(field("Budget", "budget", placeholder="10000", hint="In the platform currency.",
                          default=c["budget_amount"]),
                    select_field("Visibility", "visibility", ["public", "private"], default=c["visibility"]), **grid),
            rx.cond(CampaignState.campaign_id == 0,
                    select_field("Start as", "status", ["draft", "active"], default="draft")),
            rx.button("Save campaign", type="submit", size="3", id="campaign-submit"),
            spacing="3", width="100%",
        ),
        on_submit=CampaignState.save, no_validate=True, width="100%",
        key=CampaignState.campaign_id,  # re-mount with the loaded values
    )


def form_page(*title) -> rx.Component:
    return rx.vstack(rx.heading(*title, size="7"), rx.card(campaign_form(), width="100%"),
                     spacing="4", width="100%", max_width="760px")


@template(route="/sponsor/campaigns/new", title="New campaign", access="sponsor", on_load=[CampaignState.load_new])
def new_campaign() -> rx.Component:
    return form_page("New campaign")


@template(route="/sponsor/campaigns/[campaign_id]/edit", title="Edit campaign", access="sponsor",
          on_load=[CampaignState.load_detail])
def edit_campaign() -> rx.Component:
    return form_page("Edit ", CampaignState.campaign["name"])


# The admin acting for a sponsor uses the same form (plus the sponsor's e-mail on a new one).
@template(route="/admin/campaigns/new", title="New campaign for a sponsor", access="admin",
          on_load=[CampaignState.load_new])
def admin_new_campaign() -> rx.Component:
    return form_page("New campaign for a sponsor")


@template(route="/admin/campaigns/[campaign_id]/edit", title="Edit campaign", access="admin",
          on_load=[CampaignState.load_detail])
def admin_edit_campaign() -> rx.Component:
    return form_page("Edit ", CampaignState.campaign["name"], " for its sponsor")
