"""One edit of a segment through its form is one change of the record: one audit row, one
version step, whatever fields it touches."""

from __future__ import annotations

from record_support import audit_rows

from chains.models import Segment
from crm.core.db import db
from crm.core.tenancy import system_scope


def test_an_edit_that_moves_and_renames_a_segment_is_one_change(app, client, auth, battery_chains):
    sid = battery_chains.segments["隔膜"]
    with app.app_context(), system_scope():
        version = db.session.get(Segment, sid).version
        rows_before = len(audit_rows("chain_segments", sid))
    auth.login("a_manager")
    response = client.post(
        f"/chains/{battery_chains.chain}/segments/{sid}/edit",
        data={
            "name": "湿法隔膜",
            "stage": "upstream",
            "importance": "key",
            "parent_id": str(battery_chains.segments["正极材料"]),
            "sort_order": "3",
            "version": str(version),
        },
    )
    assert response.status_code == 302
    with app.app_context(), system_scope():
        segment = db.session.get(Segment, sid)
        assert (segment.name, segment.parent_id, segment.sort_order) == (
            "湿法隔膜",
            battery_chains.segments["正极材料"],
            3,
        )
        assert segment.version == version + 1
        new_rows = audit_rows("chain_segments", sid)[rows_before:]
    assert len(new_rows) == 1
    assert new_rows[0].action == "update"
