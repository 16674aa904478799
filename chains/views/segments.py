"""A chain's segments (环节) and the supply links between them: add, edit, delete."""

from __future__ import annotations

from flask_babel import gettext as _

from chains import services
from chains.forms import LinkForm, SegmentForm
from chains.models import Chain, Segment, SegmentLink
from chains.views.common import bp, detail_url, form_page, part_button, segment_choices, writable_part
from crm.core.access import WRITE_ROLES, roles_required, writable
from crm.core.handlers import edit_form, form_post, go_to
from crm.core.parsing import int_or_none

__all__ = ["link_delete", "link_new", "segment_delete", "segment_edit", "segment_new"]


def _segment_fields(form: SegmentForm) -> dict:
    """What a new segment and an edited one both take from the segment form."""
    return {
        "name": form.name.data,
        "stage": form.stage.data,
        "importance": form.importance.data,
        "parent_id": form.parent_id.data,
    }


@bp.route("/<int:chain_id>/segments/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def segment_new(chain_id: int):
    """Add a segment to a chain."""
    chain = writable(Chain, chain_id)
    form = SegmentForm()
    form.parent_id.choices = segment_choices(chain, blank=_("（无）"))
    return form_post(
        form,
        save=lambda: services.add_segment(chain, **_segment_fields(form), sort_order=form.sort_order.data),
        page=form_page(form, chain, _("添加环节")),
        done=go_to(detail_url(chain, "segments")),
        saved=_("环节已添加"),
    )


@bp.route("/<int:chain_id>/segments/<int:segment_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def segment_edit(chain_id: int, segment_id: int):
    """Edit a segment (refused if someone saved it first)."""
    chain, segment = writable_part(Segment, segment_id, chain_id)
    form = edit_form(SegmentForm, segment)
    form.parent_id.choices = [c for c in segment_choices(chain, blank=_("（无）")) if c[0] != segment.id]
    return form_post(
        form,
        save=lambda: services.update_segment(
            segment,
            **_segment_fields(form),
            sort_order=form.sort_order.data or 0,
            version=int_or_none(form.version.data),
        ),
        page=form_page(form, chain, _("编辑环节")),
        done=go_to(detail_url(chain, "segments")),
        saved=_("环节已保存"),
    )


@bp.route("/<int:chain_id>/segments/<int:segment_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def segment_delete(chain_id: int, segment_id: int):
    """Delete a segment with its links, firms and project aims."""
    return part_button(Segment, segment_id, chain_id, services.delete_segment, "segments", _("环节已删除"))


@bp.route("/<int:chain_id>/links/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def link_new(chain_id: int):
    """Add a supply link; one that would close a cycle is refused naming the cycle."""
    chain = writable(Chain, chain_id)
    form = LinkForm()
    form.supplier_id.choices = form.consumer_id.choices = segment_choices(chain)
    return form_post(
        form,
        save=lambda: services.add_link(chain, form.supplier_id.data, form.consumer_id.data),
        page=form_page(form, chain, _("添加供应关系")),
        done=go_to(detail_url(chain, "links")),
        saved=_("供应关系已添加"),
    )


@bp.route("/<int:chain_id>/links/<int:link_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def link_delete(chain_id: int, link_id: int):
    """Delete a supply link."""
    return part_button(SegmentLink, link_id, chain_id, services.delete_link, "links", _("供应关系已删除"))
