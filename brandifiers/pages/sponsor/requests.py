"""Sponsor: ad requests (list and one request)."""

import reflex as rx

from brandifiers.components.layout import template
from brandifiers.components.request_view import request_list, request_view
from brandifiers.state.requests import RequestState


@template(route="/sponsor/requests", title="Ad requests", access="sponsor", on_load=[RequestState.load_list])
def sponsor_requests() -> rx.Component:
    return request_list("Ad requests")


@template(route="/sponsor/requests/[request_id]", title="Ad request", access="sponsor",
          on_load=[RequestState.load_detail])
def sponsor_request() -> rx.Component:
    return request_view()
