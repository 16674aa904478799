"""Commitment reviews (评审意见) and fulfilments (拨付凭证) take evidence files, under their
project's rule (crm/projects/attachments.py)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from crm.commitments.models import CommitmentReview, Fulfillment
from crm.core.i18n import N_
from crm.files.registry import register_owner
from crm.projects.attachments import project_file_owner
from crm.projects.confidential import name_for

__all__ = ["init_app"]


def _review_title(review: CommitmentReview, user) -> str:
    number = f" {review.document_no}" if review.document_no else ""
    return f"{name_for(review.commitment.project, user)} · {_('审查记录')}{number} {review.reviewed_on}"


def _fulfillment_title(fulfillment: Fulfillment, user) -> str:
    return f"{name_for(fulfillment.commitment.project, user)} · {_('兑现记录')} {fulfillment.fulfilled_on}"


def init_app(app) -> None:
    register_owner(
        app,
        project_file_owner(
            "commitment_review",
            N_("承诺审查记录"),
            CommitmentReview,
            project_of=lambda review: review.commitment.project,
            title=_review_title,
            url=lambda review: url_for("commitments.detail", commitment_id=review.commitment_id),
            suggested_kinds=("review_opinion",),
        ),
    )
    register_owner(
        app,
        project_file_owner(
            "fulfillment",
            N_("承诺兑现记录"),
            Fulfillment,
            project_of=lambda fulfillment: fulfillment.commitment.project,
            title=_fulfillment_title,
            url=lambda fulfillment: url_for("commitments.detail", commitment_id=fulfillment.commitment_id),
            suggested_kinds=("payment_voucher",),
        ),
    )
