"""The CSV files of a person's data export ("Your data"): name -> (SQL with :user, money columns in cents).
Every query is scoped to that one person; the other party of a deal appears by its public name only."""

from __future__ import annotations

from brandifiers.services.common.channels import REMINDER

# A request the person is a party of (as sponsor or as influencer).
_PARTY = "(a.sponsor_id = :user OR a.influencer_id = :user)"

PERSONAL_PARTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "profile": ("""
        SELECT u.id, u.email, u.email_verified, u.role, u.status, u.time_zone, u.created_at, u.last_seen_at,
               s.company_name, s.industry, s.website, s.yearly_budget_cents, s.description,
               i.display_name, i.category, i.niche, i.bio, i.location, i.asking_price_cents, i.avatar_path,
               i.total_followers, i.avg_engagement_rate,
               p.email_opt_out, p.chat_opt_out, p.chat_webhook_url
        FROM "user" u LEFT JOIN sponsorprofile s ON s.user_id = u.id
        LEFT JOIN influencerprofile i ON i.user_id = u.id LEFT JOIN userpreference p ON p.user_id = u.id
        WHERE u.id = :user""", ("yearly_budget_cents", "asking_price_cents")),
    "sessions": ("""
        SELECT s.created_at, s.last_seen_at, s.device, s.expires_at, s.revoked_at
        FROM usersession s WHERE s.user_id = :user ORDER BY s.id""", ()),
    "social_accounts": ("""
        SELECT sa.platform, sa.handle, sa.followers, sa.avg_engagement_rate
        FROM socialaccount sa JOIN influencerprofile i ON i.id = sa.influencer_id
        WHERE i.user_id = :user ORDER BY sa.platform""", ()),
    "campaigns": ("""
        SELECT c.id, c.name, c.description, c.category, c.niche, c.goals, c.start_date, c.end_date, c.budget_cents,
               c.visibility, c.status, c.created_at
        FROM campaign c WHERE c.sponsor_id = :user ORDER BY c.id""", ("budget_cents",)),
    "requests": (f"""
        SELECT a.id, a.campaign_id, c.name AS campaign,
               CASE WHEN a.sponsor_id = :user THEN 'sponsor' ELSE 'influencer' END AS your_side,
               sp.company_name AS sponsor, ip.display_name AS influencer, a.status, a.payment_cents, a.due_date,
               a.requirements, a.deliverables, a.message, a.created_at, a.accepted_at, a.completed_at
        FROM adrequest a JOIN campaign c ON c.id = a.campaign_id
        LEFT JOIN sponsorprofile sp ON sp.user_id = a.sponsor_id
        LEFT JOIN influencerprofile ip ON ip.user_id = a.influencer_id
        WHERE {_PARTY} ORDER BY a.id""", ("payment_cents",)),
    "offers": (f"""
        SELECT o.id, o.ad_request_id, CASE WHEN o.author_id = :user THEN 'you' ELSE 'other party' END AS author,
               o.author_role, o.amount_cents, o.terms, o.message, o.created_at
        FROM offer o JOIN adrequest a ON a.id = o.ad_request_id
        WHERE {_PARTY} ORDER BY o.ad_request_id, o.id""", ("amount_cents",)),
    "payments": (f"""
        SELECT p.id, p.ad_request_id, p.amount_cents, p.paid_on, p.reference, p.created_at, p.state,
               p.dispute_reason, p.answered_at, p.resolution, p.resolution_reason, p.resolved_at
        FROM payment p JOIN adrequest a ON a.id = p.ad_request_id
        WHERE {_PARTY} ORDER BY p.ad_request_id, p.id""", ("amount_cents",)),
    "fundings": (f"""
        SELECT f.id, f.ad_request_id, f.amount_cents, f.currency, f.status, f.failure,
               CASE WHEN f.funded_by_id = :user THEN 'you' WHEN f.funded_by_id = a.sponsor_id THEN 'sponsor'
                    WHEN f.funded_by_id IS NULL THEN '' ELSE 'admin' END AS funded_by,
               f.gateway, f.payment_id AS gateway_reference, f.created_at, f.held_at, f.released_at, f.refunded_at
        FROM funding f JOIN adrequest a ON a.id = f.ad_request_id
        WHERE {_PARTY} ORDER BY f.ad_request_id, f.id""", ("amount_cents",)),
    "figures": (f"""
        SELECT m.deliverable_id, d.ad_request_id, d.platform, d.post_url, m.day, m.provenance, m.views,
               m.likes, m.comments, m.shares, m.saves, m.clicks, m.conversions, m.revenue_cents
        FROM metricsnapshot m JOIN deliverable d ON d.id = m.deliverable_id
        JOIN adrequest a ON a.id = d.ad_request_id
        WHERE {_PARTY} ORDER BY m.deliverable_id, m.day, m.provenance""", ("revenue_cents",)),
    "notifications": ("""
        SELECT n.id, n.kind, n.title, n.body, n.link, n.created_at, n.read_at
        FROM notification n WHERE n.user_id = :user ORDER BY n.id""", ()),
    "notification_choices": (f"""
        SELECT n.kind, CASE WHEN n.email THEN 'on' ELSE 'off' END AS email,
               CASE WHEN n.chat THEN 'on' ELSE 'off' END AS chat,
               CASE WHEN n.kind = '{REMINDER}' THEN 'daily' WHEN n.digest THEN 'daily digest' ELSE 'at once' END
                   AS timing, n.updated_at
        FROM notificationchoice n WHERE n.user_id = :user ORDER BY n.kind""", ()),
    "audit_entries": ("""
        SELECT e.id, e.created_at, CASE WHEN e.actor_id = :user THEN 'you' ELSE e.actor_role END AS done_by,
               e.action, e.target_type, e.target_id, e.summary
        FROM auditevent e
        WHERE e.actor_id = :user OR e.on_behalf_of_id = :user OR (e.target_type = 'user' AND e.target_id = :user)
        ORDER BY e.id""", ()),
}
