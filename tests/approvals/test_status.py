"""The agreement's status is computed from the councils' decisions."""

from __future__ import annotations

from webapp.models import ApprovalState as S
from webapp.workflows.approvals.status import agreement_status


def test_in_force_when_every_council_approved_with_or_without_remarks(app):
    with app.app_context():
        status = agreement_status([S.APPROVED, S.APPROVED_WITH_REMARKS], 2018)
        assert status.in_force and status.label == "I kraft fra 1. januar 2018"


def test_one_rejection_rejects_the_agreement(app):
    with app.app_context():
        status = agreement_status([S.APPROVED, S.REJECTED, S.PENDING], 2018)
        assert status.kind == "rejected" and status.label == "Ikke godkendt"


def test_otherwise_counts_the_approvals(app):
    with app.app_context():
        status = agreement_status([S.APPROVED, S.SCHEDULED, S.POSTPONED, S.PENDING], 2018)
        assert status.kind == "in_progress" and status.label == "1 af 4 godkendt"
        assert agreement_status([], 2018).kind == "in_progress"
