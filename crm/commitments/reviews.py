"""Review records of a commitment (issue 14 item 9): 公平竞争审查 and 合法性审核（司法局）.

Each review is what the reviewing body gave: who (机构及审查人), when, under which document
number (审查意见书文号), the conclusion and where the signed opinion is filed. Staff and
managers enter them on a draft; a manager approves only when the current record of both
kinds concludes 通过 (``approval_problems``). Changing a draft's terms supersedes its
records: what was reviewed is no longer what would be promised.

Records made by migration 0015 from the old drop-downs stay readable but count for
nothing: they have no reviewer or document behind them.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from crm.commitments.models import REVIEW_CONCLUSIONS, REVIEW_KINDS, Commitment, CommitmentReview
from crm.core import clock
from crm.core.db import db, utcnow
from crm.core.errors import ServiceError

__all__ = ["approval_problems", "record_review", "supersede_reviews"]

MAX_REVIEWER, MAX_DOCUMENT, MAX_ATTACHMENT = 100, 100, 200


def _text(value: str | None) -> str:
    return (value or "").strip()


def record_review(
    commitment: Commitment,
    actor,
    *,
    kind: str | None,
    reviewer: str | None,
    reviewed_on: date | None,
    document_no: str | None,
    conclusion: str | None,
    attachment_ref: str | None = None,
    note: str | None = None,
    today: date | None = None,
) -> CommitmentReview:
    """Add one review record to a draft; the caller has checked role and version."""
    today = today or clock.today()
    if commitment.status != "draft":
        raise ServiceError(
            _("只有草稿状态的承诺可以登记审查；已批准的承诺以批准时的审查为准"),
            {"status": [_("当前状态不允许此操作")]},
        )
    errors: dict[str, list[str]] = {}
    reviewer, document_no, attachment_ref = _text(reviewer), _text(document_no), _text(attachment_ref)
    if kind not in REVIEW_KINDS:
        errors["kind"] = [_("请选择审查类型")]
    if not reviewer:
        errors["reviewer"] = [_("请填写审查机构及审查人")]
    elif len(reviewer) > MAX_REVIEWER:
        errors["reviewer"] = [_("不能超过 %(n)d 个字", n=MAX_REVIEWER)]
    if reviewed_on is None:
        errors["reviewed_on"] = [_("请填写审查日期")]
    elif reviewed_on > today:
        errors["reviewed_on"] = [_("审查日期不能晚于今天")]
    if not document_no:
        errors["document_no"] = [_("请填写审查意见书文号")]
    elif len(document_no) > MAX_DOCUMENT:
        errors["document_no"] = [_("不能超过 %(n)d 个字", n=MAX_DOCUMENT)]
    if conclusion not in REVIEW_CONCLUSIONS:
        errors["conclusion"] = [_("请选择审查结论")]
    if len(attachment_ref) > MAX_ATTACHMENT:
        errors["attachment_ref"] = [_("不能超过 %(n)d 个字", n=MAX_ATTACHMENT)]
    if errors:
        raise ServiceError(_("审查记录有误，未保存"), errors)
    review = CommitmentReview(
        commitment=commitment,
        commitment_id=commitment.id,
        county_id=commitment.county_id,
        kind=kind,
        reviewer=reviewer,
        reviewed_on=reviewed_on,
        document_no=document_no,
        conclusion=conclusion,
        attachment_ref=attachment_ref or None,
        note=_text(note) or None,
        migrated=False,
        recorded_by_id=actor.id,
        recorded_at=utcnow(),
    )
    # The commitment's version stays: approval reads the records as they are when given.
    db.session.add(review)
    db.session.flush()
    return review


def supersede_reviews(commitment: Commitment) -> None:
    """The terms changed: the records reviewed the old ones and no longer count."""
    now = utcnow()
    for review in commitment.reviews:
        if review.superseded_at is None:
            review.superseded_at = now


def approval_problems(commitment: Commitment, day: date | None = None) -> dict[str, list[str]]:
    """Why the reviews do not allow approval (on ``day``, default today) yet, per review
    kind (empty: they do)."""
    day = day or clock.today()
    problems: dict[str, list[str]] = {}
    for kind, label in REVIEW_KINDS.items():
        review = commitment.current_review(kind)
        if review is None:
            problems[kind] = [_("尚无%(kind)s记录", kind=_(label))]
        elif review.migrated:
            problems[kind] = [_("%(kind)s只有升级前的下拉选项，须登记审查记录", kind=_(label))]
        elif review.conclusion != "passed":
            problems[kind] = [_("%(kind)s结论为不通过（%(doc)s）", kind=_(label), doc=review.document_no)]
        elif review.reviewed_on > day:
            problems[kind] = [
                _("%(kind)s日期 %(when)s 晚于批准日期", kind=_(label), when=review.reviewed_on.isoformat())
            ]
    return problems
