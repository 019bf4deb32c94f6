"""Admin: one user: account, profile, campaigns or collaborations, flags, recent activity, actions."""

import reflex as rx

from brandifiers.components.cards import field_error, form_error, status_badge
from brandifiers.components.dialogs import reason_dialog
from brandifiers.components.layout import template
from brandifiers.components.personal_data import close_dialog, download_form
from brandifiers.components.reason_dialog import reason_button
from brandifiers.components.reason_dialog import reason_dialog as moderation_dialog
from brandifiers.components.tables import cells_row, data_table
from brandifiers.state.admin_users import UserDetailState as S


def section(title: str, *children, id: str) -> rx.Component:
    return rx.card(rx.vstack(rx.heading(title, size="4", as_="h2"), *children, spacing="3", width="100%"),
                   width="100%", id=id)


def simple_table(headers: list[str], rows, cells, empty: str) -> rx.Component:
    return data_table(headers, rows, cells_row(*cells), empty, size="1")


def fact(label: str, value) -> rx.Component:
    return rx.hstack(rx.text(label, size="2", color_scheme="gray", min_width="7em"), rx.text(value, size="2"),
                     align="start", wrap="wrap")


def reset_code_panel() -> rx.Component:
    return rx.cond(
        S.reset_code != "",
        rx.callout(
            rx.vstack(
                rx.text("Give this one-time code to the user; it is shown only now."),
                rx.code(S.reset_code, size="6", id="reset-code"),
                rx.text("Valid until ", S.reset_expires, ". They enter it on /reset-password.", size="2"),
                rx.button("Done", size="1", variant="soft", on_click=S.forget_code),
                spacing="2",
            ),
            icon="key_round", color_scheme="blue", width="100%",
            on_unmount=S.forget_code,
        ),
    )


def account_card() -> rx.Component:
    return section(
        "Account",
        fact("E-mail", S.account["email"]),
        fact("Role", S.account["role"]),
        rx.hstack(rx.text("Status", size="2", color_scheme="gray", min_width="7em"),
                  status_badge(S.account["status"]), id="account-status", align="center"),
        rx.cond(S.account["reason"] != "", fact("Reason", S.account["reason"])),
        fact("Signed up", S.account["created"]),
        fact("Last seen", S.account["last_seen"]),
        form_error(),
        rx.cond(S.account["status"] != "closed", rx.flex(
            rx.cond(S.account["status"] == "deactivated",
                    rx.button("Reactivate", color_scheme="green", on_click=S.reactivate, id="reactivate"),
                    rx.button("Deactivate…", color_scheme="red", variant="soft", on_click=S.open_deactivate,
                              id="deactivate")),
            rx.button("Generate reset code", variant="outline", on_click=S.generate_reset_code, id="reset-code-button"),
            rx.match(S.account["status"],
                     ("active", rx.cond(S.account["role"] != "admin",
                                        reason_button("Flag…", "flag_user", S.account["id"],
                                                      "Flag " + S.account["email"],
                                                      size="2", id="flag-user"))),
                     ("flagged", reason_button("Lift flag…", "unflag_user", S.account["id"],
                                               "Lift the flag on " + S.account["email"], color="green", size="2",
                                               id="unflag-user")),
                     rx.fragment()),
            spacing="2", wrap="wrap",
        ), rx.text("Closed at the person's request: nothing more can be done with this account.", size="2",
                   color_scheme="gray", id="closed-note")),
        reset_code_panel(),
        rx.cond((S.account["role"] != "admin") & (S.account["status"] != "closed"), personal_data_actions()),
        id="account-card",
    )


def personal_data_actions() -> rx.Component:
    """On the person's request: their data as a ZIP, or their account closed (both audited)."""
    return rx.vstack(
        rx.text("On the person's request", size="2", weight="medium"),
        download_form("Download their data", rx.el.input(type="hidden", name="user_id", value=S.account["id"]),
                      id="admin-download-data"),
        rx.button("Close account on request…", color_scheme="red", variant="soft", on_click=S.open_close_account,
                  id="admin-close-account"),
        spacing="2", width="100%")


def close_account_dialog() -> rx.Component:
    note = rx.vstack(
        rx.text("How the person asked (date, channel)", as_="label", html_for="reason", size="2", weight="medium"),
        rx.text_area(name="reason", id="reason", rows="2", width="100%"),
        field_error("reason"), spacing="1", width="100%")
    return close_dialog("Close this account on request?", "When the account closes:", note,
                        open=S.close_open, on_close=S.cancel_close_account, on_submit=S.submit_close_account,
                        submit_label="Close account", id="admin-close-dialog")


def deactivate_dialog() -> rx.Component:
    return reason_dialog(("Deactivate ", S.account["email"]),
                         "They are logged out at once and cannot log in until an administrator reactivates the "
                         "account; they see this reason when they try.",
                         open=S.deactivate_open, on_close=S.close_deactivate, on_submit=S.submit_deactivate,
                         submit_label="Deactivate account", submit_id="deactivate-submit")


def work_section() -> rx.Component:
    return rx.match(
        S.account["role"],
        ("sponsor", section("Campaigns", simple_table(
            ["Campaign", "Status", "Budget", "Flag"], S.campaigns,
            [lambda r: r["name"], lambda r: status_badge(r["status"]), lambda r: r["budget"], lambda r: r["flagged"]],
            "No campaigns yet."),
            rx.link("Monthly reports (read-only) →", href="/admin/users/" + S.account["id"] + "/reports", size="2",
                    id="sponsor-reports-link"), id="campaigns")),
        ("influencer", section("Collaborations", simple_table(
            ["Campaign", "Status", "Amount", "Flag"], S.collaborations,
            [lambda r: r["campaign"], lambda r: status_badge(r["status"]), lambda r: r["amount"],
             lambda r: r["flagged"]],
            "No collaborations yet."), id="collaborations")),
        rx.fragment(),
    )


@template(route="/admin/users/[user_id]", title="User", access="admin", on_load=[S.load])
def user_detail_page() -> rx.Component:
    return rx.vstack(
        rx.link("← All users", href="/admin/users", size="2"),
        rx.cond(
            S.user_id > 0,
            rx.vstack(
                rx.heading(S.account["name"], size="7", id="user-heading"),
                rx.grid(
                    account_card(),
                    section("Profile", rx.cond(S.profile.length() > 0,
                                               rx.foreach(S.profile, lambda p: fact(p[0], p[1])),
                                               rx.text("Administrators have no profile.", size="2",
                                                       color_scheme="gray")), id="profile"),
                    columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%",
                ),
                work_section(),
                section("Flags", rx.cond(S.flags.length() > 0,
                                         rx.foreach(S.flags, lambda f: rx.text(f, size="2", color_scheme="orange")),
                                         rx.text("Nothing flagged.", size="2", color_scheme="gray")), id="flags"),
                section("Recent activity", simple_table(
                    ["When", "Action", "By", "Summary", "Change"], S.history,
                    [lambda e: rx.text(e["when"], white_space="nowrap"), lambda e: rx.code(e["action"]),
                     lambda e: e["actor"], lambda e: e["summary"], lambda e: e["change"]],
                    "No recorded activity."), id="activity"),
                deactivate_dialog(),
                close_account_dialog(),
                moderation_dialog(),
                spacing="4", width="100%",
            ),
            form_error(),
        ),
        spacing="4", width="100%",
    )
