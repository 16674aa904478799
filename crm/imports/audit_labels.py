"""How the audit log names import batches, their records and saved column mappings
(crm.audit.labels)."""

from __future__ import annotations

from crm.audit.labels import domain_kinds
from crm.core.i18n import N_
from crm.imports.headers import KINDS

__all__ = ["register_audit_labels"]

# The import tables' columns, each named once (where a table names a common column its own
# way, it says so below).
IMPORT_FIELDS = {
    "kind": N_("导入类别"),
    # batches
    "file_name": N_("文件名"),
    "file_sha256": N_("SHA-256"),
    "rows_total": N_("行数"),
    "created_count": N_("新建数"),
    "updated_count": N_("更新数"),
    "skipped_count": N_("跳过数"),
    "audit_from": N_("审计起始号"),
    "audit_to": N_("审计截止号"),
    "undone_at": N_("撤销时间"),
    "undone_by_id": N_("撤销人"),
    # the records a batch wrote
    "batch_id": N_("导入批次"),
    "table_name": N_("数据表"),
    "record_id": N_("记录编号"),
    "action": N_("操作"),
    "row_number": N_("行号"),
    # saved column mappings
    "name": N_("名称"),
    "columns": N_("列对应"),
}
IMPORT_VALUES = {"kind": KINDS, "action": {"created": N_("新建"), "updated": N_("更新")}}


def register_audit_labels(app) -> None:
    kind = domain_kinds(app, IMPORT_FIELDS, IMPORT_VALUES)
    kind(
        "import_batches",
        N_("导入批次"),
        fields={"created_by_id": N_("导入人"), "created_at": N_("导入时间")},
        endpoint="imports.batch",
        id_arg="batch_id",
    )
    kind("import_batch_records", N_("导入记录"))
    kind("import_mappings", N_("导入列对应"), fields={"updated_at": N_("更新时间")})
