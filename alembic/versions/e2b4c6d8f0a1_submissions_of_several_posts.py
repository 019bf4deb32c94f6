"""submissions: one submission lists several posts (each with platform, address and note) and carries
the revision note that answered it

Data: each existing (ad request, submitted_at) group of deliverables becomes one submission listing
those posts. A request back in progress with a revision note: the note goes to its latest submission
(the one sent back); the notes of earlier, finished rounds were never tied to a submission and stay
on the request only.
The SQL is copied on purpose (a migration is frozen): brandifiers/services/deals/submissions.py.

Revision ID: e2b4c6d8f0a1
Revises: d9e1f3a5b7c9
Create Date: 2026-12-06 02:50:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

# revision identifiers, used by Alembic.
revision: str = 'e2b4c6d8f0a1'
down_revision: Union[str, Sequence[str], None] = 'd9e1f3a5b7c9'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BACKFILL = (
    "INSERT INTO submission (ad_request_id, submitted_at) "
    "SELECT DISTINCT ad_request_id, submitted_at FROM deliverable",
    "INSERT INTO submissionpost (submission_id, deliverable_id, position, platform, post_url, note) "
    "SELECT s.id, d.id, 0, d.platform, d.post_url, d.note FROM deliverable d JOIN submission s "
    "ON s.ad_request_id = d.ad_request_id AND s.submitted_at = d.submitted_at",
    # a request back in progress with a revision note: its latest submission was sent back
    # (one set-based UPDATE ... FROM, not a per-row max() subquery: bench/README.md, 2026-12-06)
    "UPDATE submission SET revision_note = a.revision_note, revision_requested_at = a.updated_at "
    "FROM adrequest a, (SELECT ad_request_id, max(submitted_at) AS latest FROM submission "
    "GROUP BY ad_request_id) m "
    "WHERE a.id = submission.ad_request_id AND a.status = 'in_progress' AND a.revision_note IS NOT NULL "
    "AND m.ad_request_id = submission.ad_request_id AND submission.submitted_at = m.latest",
)


def upgrade() -> None:
    op.create_table('submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ad_request_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('revision_note', sa.String(length=2000), nullable=True),
    sa.Column('revision_requested_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['ad_request_id'], ['adrequest.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_ad_request_id'), ['ad_request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_submitted_at'), ['submitted_at'], unique=False)
    op.create_table('submissionpost',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('deliverable_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('post_url', sa.String(length=500), nullable=False),
    sa.Column('note', sa.String(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['deliverable_id'], ['deliverable.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('submissionpost', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissionpost_deliverable_id'), ['deliverable_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissionpost_submission_id'), ['submission_id'], unique=False)
    for statement in BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table('submissionpost', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submissionpost_submission_id'))
        batch_op.drop_index(batch_op.f('ix_submissionpost_deliverable_id'))
    op.drop_table('submissionpost')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_submission_ad_request_id'))
    op.drop_table('submission')
