"""What every chain page shares: the blueprint, the labels templates read, the write check,
loading a record that must belong to the chain in the URL, the button on such a record, and
the shared form page."""

from __future__ import annotations

from flask import Blueprint, abort, url_for
from flask_babel import gettext as _

from chains import queries
from chains.models import Chain
from chains.vocabulary import (
    IMPORTANCE_LABELS,
    PRESENCE_LABELS,
    ROLE_LABELS,
    STAGE_LABELS,
    STAGES,
    STATUS_LABELS,
    STATUSES,
)
from crm.core.access import load_or_404, require_write
from crm.core.handlers import action_post
from crm.core.handlers import form_page as core_form_page
from crm.core.tenancy import current_scope
from crm.projects.models import STAGE_LABELS as PROJECT_STAGE_LABELS

__all__ = [
    "bp",
    "can_write",
    "detail_url",
    "form_page",
    "load_in_chain",
    "part_button",
    "segment_choices",
    "writable_part",
]

bp = Blueprint("chains", __name__, url_prefix="/chains")

LABELS = {
    "stage": STAGE_LABELS,
    "importance": IMPORTANCE_LABELS,
    "role": ROLE_LABELS,
    "presence": PRESENCE_LABELS,
    "status": STATUS_LABELS,
    "project_stage": PROJECT_STAGE_LABELS,
}


@bp.app_context_processor
def _chain_vocabulary() -> dict:
    return {"chain_labels": LABELS, "chain_stages": STAGES, "chain_statuses": STATUSES}


def can_write(chain: Chain | None = None) -> bool:
    """Whether the user may edit ``chain`` (or, without one, create chains): county
    officers of the chain's county only; pages use it to show or hide the edit buttons."""
    scope = current_scope()
    if scope is None or scope.write_county_id is None:
        return False
    return chain is None or scope.can_write(chain.county_id)


def load_in_chain(model, record_id: int, chain: Chain):
    """A segment, link or firm of ``chain``: 404 when it is another chain's (or county's)."""
    record = load_or_404(model, record_id)
    if record.chain_id != chain.id:
        abort(404)
    return record


def writable_part(model, record_id: int, chain_id: int) -> tuple[Chain, object]:
    """The chain in the URL and its segment, link or firm ``record_id``, for a user who may
    edit the chain: 404 for either not found (or another chain's), then 403 for a reader."""
    chain = load_or_404(Chain, chain_id)
    record = load_in_chain(model, record_id, chain)
    require_write(chain)
    return chain, record


def part_button(model, record_id: int, chain_id: int, act, anchor, saved: str):
    """A button on the chain's segment, link or firm ``record_id`` (``writable_part``): ``act(part)``
    under ``action_post``, back to the chain's page at ``anchor`` (or ``anchor(part)``)."""
    chain, part = writable_part(model, record_id, chain_id)
    back = detail_url(chain, anchor(part) if callable(anchor) else anchor)
    return action_post(lambda: act(part), back=back, saved=saved)


def form_page(form, chain: Chain, title: str):
    """The shared chain form page (``chains/form.html``), for ``form_post``."""
    return core_form_page("chains/form.html", form=form, chain=chain, title=title)


def segment_choices(chain: Chain, blank: str | None = None) -> list[tuple]:
    """``(id, "上游 · 名称")`` for a select of the chain's segments, upstream first."""
    choices = [
        (s.id, f"{_(STAGE_LABELS[s.stage])} · {s.name}") for s in queries.segments_for_choice(chain.id)
    ]
    return ([(0, blank)] if blank is not None else []) + choices


def detail_url(chain: Chain, anchor: str = "") -> str:
    """The chain's page, at ``#anchor`` when given (the section the user was editing)."""
    return url_for("chains.detail", chain_id=chain.id) + (f"#{anchor}" if anchor else "")
