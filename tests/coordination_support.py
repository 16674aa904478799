"""Names shared by the coordination tests (tests/coordination)."""

REAL_NAME = "岐山钛合金精密锻件项目"
CODE_NAME = "QS-2026-机密一号"
