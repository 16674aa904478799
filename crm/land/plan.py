"""The schematic park plan: parcels as a grid of rectangles coloured by status, each a link
to its parcel. Drawn here as SVG text; nothing is loaded from outside the server."""

from __future__ import annotations

from collections.abc import Collection

from flask import url_for
from flask_babel import gettext as _
from markupsafe import escape

from crm.land.models import PARCEL_STATUSES, Park

__all__ = ["STATUS_COLOURS", "park_plan_svg"]

STATUS_COLOURS = {"planned": "#cfe2ff", "supplied": "#d1e7dd", "idle": "#f8d7da"}
CELL_W, CELL_H, GAP, MARGIN, LEGEND_H, LEGEND_STEP = 120, 70, 8, 10, 30, 110
# The legend: one entry per status, and the mark of a parcel a project lands on.
LEGEND_W = MARGIN * 2 + (len(PARCEL_STATUSES) + 1) * LEGEND_STEP


def park_plan_svg(park: Park, matched: Collection[int] = ()) -> str:
    """An SVG of ``park``'s parcels at their grid positions (row, column), with a legend.
    A parcel whose id is in ``matched`` (a project lands on it) carries a dark dot and the
    words 已落地项目 in its title: matching is not supplying, so the status alone does not say
    the parcel is taken."""
    parcels = list(park.parcels)
    rows = max((p.grid_row for p in parcels), default=0) + 1
    cols = max((p.grid_col for p in parcels), default=0) + 1
    width = max(MARGIN * 2 + cols * (CELL_W + GAP), LEGEND_W)  # a small park shows the whole legend
    height = MARGIN * 2 + rows * (CELL_H + GAP) + LEGEND_H
    label = escape(_("%(park)s 规划示意图", park=park.name))  # a msgid outside the f-string (chains.render)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{label}" data-testid="park-plan">'
    ]
    for p in parcels:
        x = MARGIN + p.grid_col * (CELL_W + GAP)
        y = MARGIN + p.grid_row * (CELL_H + GAP)
        href = escape(url_for("land.parcel", parcel_id=p.id))
        status = _(PARCEL_STATUSES.get(p.status, p.status))
        used = p.id in matched
        used_title = escape(" · " + _("已落地项目")) if used else ""
        parts.append(
            f'<a href="{href}" xlink:href="{href}" data-parcel="{p.id}" data-status="{p.status}" '
            f'data-used="{"yes" if used else "no"}">'
            f"<title>{escape(p.code)} · {escape(status)}{used_title}</title>"
            f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" rx="4" '
            f'fill="{STATUS_COLOURS.get(p.status, "#eee")}" stroke="{"#b02a37" if p.standard else "#555"}" '
            f'stroke-width="{2 if p.standard else 1}"/>'
            f'<text x="{x + 6}" y="{y + 22}" font-size="14">{escape(p.code)}</text>'
            f'<text x="{x + 6}" y="{y + 42}" font-size="12">{escape(str(p.area_mu))} {escape(_("亩"))}</text>'
            f'<text x="{x + 6}" y="{y + 60}" font-size="12">{escape(status)}'
            f"{escape(' · ' + _('标准地')) if p.standard else ''}</text>"
            + (f'<circle cx="{x + CELL_W - 12}" cy="{y + 12}" r="6" fill="#212529"/>' if used else "")
            + "</a>"
        )
    legend_y = height - LEGEND_H + 10
    x = MARGIN
    for code, label in PARCEL_STATUSES.items():
        parts.append(
            f'<rect x="{x}" y="{legend_y}" width="14" height="14" fill="{STATUS_COLOURS[code]}" stroke="#555"/>'
            f'<text x="{x + 18}" y="{legend_y + 12}" font-size="12">{escape(_(label))}</text>'
        )
        x += LEGEND_STEP
    parts.append(
        f'<circle cx="{x + 7}" cy="{legend_y + 7}" r="6" fill="#212529"/>'
        f'<text x="{x + 18}" y="{legend_y + 12}" font-size="12">{escape(_("已落地项目"))}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
