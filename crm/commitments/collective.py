"""Collective-decision records (集体决策: meeting, date, minute number).

What one person may not decide alone needs one: approving a commitment above its policy's
cap (issue 14 item 11), paying while the investor's linked obligations or the clause's
conditions are unmet (item 13), and continuing a promise whose policy was withdrawn or
failed its review (item 12). Forms and the API give the three values; a minute number
already on record in the county names that meeting again (one meeting decides many
matters), and must then come with the same meeting and date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from crm.commitments.models import CollectiveDecision
from crm.core.db import db

__all__ = ["DecisionInput", "decision_for"]

MAX_MEETING, MAX_MINUTE_NO = 200, 100


@dataclass(frozen=True)
class DecisionInput:
    """The three values a form or an API body gives for a collective decision."""

    meeting: str | None = None
    held_on: date | None = None
    minute_no: str | None = None

    @property
    def given(self) -> bool:
        return bool((self.meeting or "").strip() or self.held_on or (self.minute_no or "").strip())


def decision_for(
    county_id: int, given: DecisionInput | None, actor, *, not_after: date, errors: dict[str, list[str]]
) -> CollectiveDecision | None:
    """The record ``given`` names in the county (found, or new: the caller adds it to the
    session once the whole change is allowed), or None with the reasons in ``errors`` (keys
    ``decision_meeting``, ``decision_held_on``, ``decision_minute_no``) when it is
    incomplete, dated after ``not_after``, or contradicts the meeting on record under that
    minute number."""
    given = given or DecisionInput()
    meeting, minute_no = (given.meeting or "").strip(), (given.minute_no or "").strip()
    found: dict[str, list[str]] = {}
    if not meeting:
        found["decision_meeting"] = [_("请填写集体决策的会议名称")]
    elif len(meeting) > MAX_MEETING:
        found["decision_meeting"] = [_("不能超过 %(n)d 个字", n=MAX_MEETING)]
    if given.held_on is None:
        found["decision_held_on"] = [_("请填写会议日期")]
    elif given.held_on > not_after:
        found["decision_held_on"] = [
            _("会议日期 %(day)s 晚于 %(limit)s：决策须在前", day=given.held_on, limit=not_after)
        ]
    if not minute_no:
        found["decision_minute_no"] = [_("请填写会议纪要号")]
    elif len(minute_no) > MAX_MINUTE_NO:
        found["decision_minute_no"] = [_("不能超过 %(n)d 个字", n=MAX_MINUTE_NO)]
    record = None
    if minute_no and not found.get("decision_minute_no"):
        record = db.session.execute(
            select(CollectiveDecision).where(
                CollectiveDecision.county_id == county_id, CollectiveDecision.minute_no == minute_no
            )
        ).scalar_one_or_none()
        if record is not None and (record.meeting != meeting or record.held_on != given.held_on):
            found.setdefault("decision_minute_no", []).append(
                _("纪要号 %(no)s 已登记为 %(label)s，请核对", no=minute_no, label=record.label)
            )
    for key, messages in found.items():
        errors.setdefault(key, []).extend(messages)
    if found:
        return None
    return record or CollectiveDecision(
        county_id=county_id,
        meeting=meeting,
        held_on=given.held_on,
        minute_no=minute_no,
        recorded_by_id=actor.id if actor is not None else None,
    )
