"""Influencer: ad requests addressed to it (list and one request)."""

import reflex as rx

from brandifiers.components.layout import template
from brandifiers.components.request_view import request_list, request_view
from brandifiers.state.requests import RequestState


@template(route="/influencer/requests", title="My requests", access="influencer", on_load=[RequestState.load_list])
def influencer_requests() -> rx.Component:
    return request_list("Requests and offers")


@template(route="/influencer/requests/[request_id]", title="Ad request", access="influencer",
          on_load=[RequestState.load_detail])
def influencer_request() -> rx.Component:
    return request_view()
