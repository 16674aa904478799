"""The review document (通报) as a worksheet: the ranking with each indicator's score."""

from __future__ import annotations

from flask_babel import gettext as _

from crm.review.indicators import COUNTY_CLASSES, INDICATORS
from crm.util.exports import Sheet

__all__ = ["report_sheet"]


def report_sheet(rows, names: dict[int, str], year: int, quarter: int) -> Sheet:
    """One row per ranked county: rank, county, class, score, 落地金额 (exact 万元), then
    each indicator's score, bonus and penalty."""
    headers = [_("排名"), _("县（区）"), _("县域类型"), _("综合得分"), _("招商引资落地金额（万元）")]
    headers += [_("%(indicator)s得分", indicator=_(label)) for label in INDICATORS.values()]
    headers += [_("加分"), _("减分")]
    body = [
        [
            r.rank,
            names.get(r.county_id, ""),
            _(COUNTY_CLASSES[r.county_class]),
            r.score,
            r.funds_ytd,
            *[r.scores.get(code) for code in INDICATORS],
            r.bonus,
            r.penalty,
        ]
        for r in rows
    ]
    return Sheet(_("%(year)s年第%(quarter)s季度推进点评", year=year, quarter=quarter), headers, body)
