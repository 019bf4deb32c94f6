"""An influencer's public profile page (services/discovery/public_profile.py): past collaborations and
their completion record, other sponsors' private campaigns masked, and who may open it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from brandifiers.models import AdRequest
from brandifiers.services.common.errors import NotFound, PermissionDenied
from brandifiers.services.discovery import public_profile
from tests.unit.test_search import add_campaign, add_sponsor, people, pw  # noqa: F401  (fixtures)


def test_influencer_profile(session, people, pw):
    sponsor, carla = people["sponsor"], people["carla"]
    rival = add_sponsor(session, pw, "Rival Co")
    mine = add_campaign(session, sponsor, "Mine")
    secret = add_campaign(session, rival, "Secret Launch", visibility="private")
    statuses = ["completed"] * 3 + ["accepted", "in_progress", "submitted"] * 6 + ["pending", "rejected", "withdrawn"]
    for i, st in enumerate(statuses):
        session.add(AdRequest(campaign_id=(secret if i == 0 else mine).id, influencer_id=carla.id,
                              sponsor_id=rival.id if i == 0 else sponsor.id, initiated_by="sponsor",
                              payment_cents=1000 + i, status=st,
                              accepted_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=i)))
    session.commit()

    p = public_profile.influencer_profile(session, sponsor.id, carla.id)
    assert (p["display_name"], p["bio"], p["category"], p["niche"], p["asking_price_cents"]) == (
        "Carla Vegan", "Plant based baking.", "Food", "Vegan recipes", 90_000)
    assert [x["handle"] for x in p["platforms"]] == ["carlacooks", "carla_yt", "carla"]
    assert all(x["self_reported"] for x in p["platforms"]) and "self-reported" in p["self_reported_note"]
    assert p["completion"] == {"accepted": 21, "completed": 3, "rate": pytest.approx(3 / 21)}
    hist = p["collaborations"]
    assert len(hist) == public_profile.COLLABORATIONS and hist[0]["amount_cents"] == 1020  # latest first
    assert {h["status"] for h in hist} <= {"accepted", "in_progress", "submitted", "completed"}
    assert hist[0]["sponsor_name"] == "Acme Foods" and hist[0]["campaign_name"] == "Mine"

    every = public_profile.influencer_profile(session, people["admin"].id, carla.id)["collaborations"]
    assert len(every) == 20  # the 21st (oldest, the rival's private one) is past the latest 20
    assert public_profile.influencer_profile(session, carla.id, carla.id)["display_name"] == "Carla Vegan"


def test_private_campaigns_of_others_are_masked(session, people, pw):
    rival = add_sponsor(session, pw, "Rival Co")
    secret = add_campaign(session, rival, "Secret Launch", visibility="private")
    session.add(AdRequest(campaign_id=secret.id, influencer_id=people["anna"].id, sponsor_id=rival.id,
                          initiated_by="sponsor", payment_cents=5000, status="completed"))
    session.commit()
    seen = public_profile.influencer_profile(session, people["sponsor"].id, people["anna"].id)["collaborations"][0]
    assert seen["campaign_name"] == "Private campaign" and seen["sponsor_name"] == "Rival Co"
    assert seen["amount_cents"] is None  # what the rival pays is the rival's business
    for actor in (rival.id, people["admin"].id, people["anna"].id):
        row = public_profile.influencer_profile(session, actor, people["anna"].id)["collaborations"][0]
        assert row["campaign_name"] == "Secret Launch" and row["amount_cents"] == 5000


def test_profile_access(session, people):
    with pytest.raises(NotFound):
        public_profile.influencer_profile(session, people["sponsor"].id, people["dora"].id)  # flagged
    with pytest.raises(NotFound):
        public_profile.influencer_profile(session, people["sponsor"].id, 987_654)
    with pytest.raises(NotFound):
        public_profile.influencer_profile(session, people["sponsor"].id, people["sponsor"].id)  # not an influencer
    assert public_profile.influencer_profile(session, people["admin"].id, people["dora"].id)["status"] == "flagged"
    with pytest.raises(PermissionDenied):
        public_profile.influencer_profile(session, people["anna"].id, people["carla"].id)  # another influencer


# ---- against seeded data: the service agrees with a brute-force filter ------------------------------
