"""Commitment reviews (评审意见) and fulfilments (拨付凭证) take evidence files, under their
project's rule (crm/projects/attachments.py)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from crm.commitments.models import CommitmentReview, Fulfillment
from crm.core.i18n import N_
from crm.projects.attachments import register_project_file_owner

__all__ = ["init_app"]


def _review(review: CommitmentReview) -> str:
    number = f" {review.document_no}" if review.document_no else ""
    return f"{_('审查记录')}{number} {review.reviewed_on}"


def _fulfillment(fulfillment: Fulfillment) -> str:
    return f"{_('兑现记录')} {fulfillment.fulfilled_on}"


def init_app(app) -> None:
    # Both are records of a commitment, shown on its page, under its project's rule.
    for key, label, model, detail, suggested in (
        ("commitment_review", N_("承诺审查记录"), CommitmentReview, _review, "review_opinion"),
        ("fulfillment", N_("承诺兑现记录"), Fulfillment, _fulfillment, "payment_voucher"),
    ):
        register_project_file_owner(
            app,
            key=key,
            label=label,
            model=model,
            project_of=lambda record: record.commitment.project,
            detail=detail,
            url=lambda record: url_for("commitments.detail", commitment_id=record.commitment_id),
            suggested_kinds=(suggested,),
        )
