"""How a record's stored values are written in the conflict box of every edit form (the
pages' own tests check the box on a refused save)."""

from __future__ import annotations

from crm.core.forms import stored_value


def test_stored_values_are_written_for_the_user():
    class Choice:
        choices = [("a", "甲"), ("b", "乙")]

    assert stored_value(None) == "—"
    assert stored_value(["a", "b"], Choice()) == "甲、乙"
    assert stored_value("c", Choice()) == "c"  # a code the form no longer offers is shown as stored
