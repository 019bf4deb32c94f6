"""Admin: every account, filtered and paginated, each linking to its detail page; the log-in locks in force."""

import reflex as rx

from brandifiers.components.cards import form_error, pager, status_badge
from brandifiers.components.filters import choice_filter, filter_bar, text_filter
from brandifiers.components.layout import template
from brandifiers.components.tables import data_table
from brandifiers.state.admin_users import AdminUsersState


def user_row(u) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(u["email"], href="/admin/users/" + u["id"], weight="medium")),
        rx.table.cell(u["name"]),
        rx.table.cell(u["role"]),
        rx.table.cell(rx.hstack(status_badge(u["status"]), rx.cond(
            u["unverified"] != "", rx.badge("unverified", color_scheme="orange", variant="soft")), spacing="1")),
        rx.table.cell(u["signed_up"], white_space="nowrap"),
        rx.table.cell(u["last_seen"], white_space="nowrap"),
        id="user-" + u["id"],
    )


def lock_row(lk) -> rx.Component:
    return rx.table.row(
        rx.table.cell(lk["email"]), rx.table.cell(lk["client"]), rx.table.cell(lk["kind"]),
        rx.table.cell(lk["failures"]), rx.table.cell(lk["until"], white_space="nowrap"),
        rx.table.cell(rx.button("Lift", size="1", variant="soft", on_click=AdminUsersState.lift_lock(lk["key"]))),
    )


def login_locks() -> rx.Component:
    """Log-in locks in force (README, "Sessions"): who is locked out, from where, until when; lift one."""
    return rx.vstack(
        rx.heading("Log-in locks", size="4"),
        data_table(["E-mail", "Address", "Kind", "Failures", "Until", ""], AdminUsersState.locks, lock_row,
                   "No log-in is locked now.", empty_id="locks-empty"),
        spacing="2", width="100%", id="login-locks",
    )


@template(route="/admin/users", title="Users", access="admin", on_load=[AdminUsersState.load])
def users_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.heading("Users", size="7"), rx.badge(AdminUsersState.total, " found", id="users-total"),
                  align="center"),
        filter_bar(
            text_filter("E-mail or name", "text", placeholder="Search e-mail, company or creator"),
            choice_filter("Role", "role", ["admin", "sponsor", "influencer"]),
            choice_filter("Status", "status", ["pending", "active", "flagged", "deactivated", "closed"]),
            text_filter("Signed up from", "signed_up_from", type="date"),
            text_filter("Signed up to", "signed_up_to", type="date"),
            on_submit=AdminUsersState.apply_filters, on_clear=AdminUsersState.clear_filters,
        ),
        form_error(),
        data_table(["E-mail", "Name", "Role", "Status", "Signed up", "Last seen"], AdminUsersState.rows, user_row,
                   "No user matches these filters.", empty_id="users-empty"),
        pager(AdminUsersState),
        login_locks(),
        spacing="4", width="100%",
    )
