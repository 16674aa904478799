"""数据导入 pages: upload, mapping with the dry-run report, confirm, batches, undo, isolation."""

from __future__ import annotations

import io
import re

from ledgers import messy_projects_xlsx, xlsx
from record_support import count_of

from crm.imports.models import ImportBatch
from crm.projects.models import Project

BAD = xlsx(
    [("项目名称", "投资方", "计划投资（万元）"), ("甲项目", "甲公司", "很多"), ("乙项目", "乙公司", "200")]
)


def _upload(client, data, name="台账.xlsx", kind="projects"):
    return client.post(
        "/imports/",
        data={"kind": kind, "file": (io.BytesIO(data), name), "mapping": ""},
        content_type="multipart/form-data",
    )


def _review_page(client, data) -> tuple[str, str]:
    """The review page of a projects upload of ``data``, and the upload's sha on it."""
    page = client.get(_upload(client, data).headers["Location"]).get_data(as_text=True)
    return page, re.search(r'name="sha" value="(\w+)"', page)[1]


def _post_review(client, sha: str, **fields):
    """Post the review form of the projects upload ``sha`` with ``fields`` (columns, action…)."""
    return client.post("/imports/review", data={"kind": "projects", "sha": sha, **fields})


def test_upload_review_confirm_and_undo(app, world, client, auth):
    auth.login("a_staff")
    response = _upload(client, messy_projects_xlsx())
    assert response.status_code == 302
    review = client.get(response.headers["Location"])
    page = review.get_data(as_text=True)
    assert review.status_code == 200
    assert "共 2 行：将新建 2" in page and "没有发现问题" in page
    assert 'value="planned_investment_wan" selected' in page  # 计划投资（万元） recognised
    assert count_of(app, Project) == 0  # the dry run wrote nothing
    form = {"kind": "projects", "sha": re.search(r'name="sha" value="(\w+)"', page)[1], "name": "台账.xlsx"}
    form.update(dict(re.findall(r'name="(col_\d+)">.*?value="(\w+)" selected', page, re.S)))
    done = client.post("/imports/review", data={**form, "action": "commit"})
    assert done.status_code == 302, done.get_data(as_text=True)
    assert count_of(app, Project) == 2
    batch_page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "新建 2" in batch_page and "撤销本批次" not in batch_page  # staff may not undo
    batch_id = int(done.headers["Location"].rstrip("/").split("/")[-1])
    assert "台账.xlsx" in client.get("/imports/batches").get_data(as_text=True)
    auth.logout()
    auth.login("a_manager")
    assert "撤销本批次" in client.get(f"/imports/batches/{batch_id}").get_data(as_text=True)
    client.post(f"/imports/batches/{batch_id}/undo")
    assert count_of(app, Project) == 0
    assert "批次已撤销" in client.get("/imports/batches").get_data(as_text=True)


def test_problems_are_shown_per_row_and_nothing_commits(app, world, client, auth):
    auth.login("a_staff")
    page, sha = _review_page(client, BAD)
    assert re.search(r"<td>2</td><td>计划投资\(万元\)</td><td>很多</td><td>无法识别的金额", page)
    assert "确认导入" not in page
    refused = _post_review(client, sha, col_0="name", col_2="planned_investment_wan", action="commit")
    assert refused.status_code == 422
    assert re.search(
        r"<td>2</td><td>计划投资\(万元\)</td><td>很多</td><td>无法识别的金额", refused.get_data(as_text=True)
    )
    assert count_of(app, Project) == 0 and count_of(app, ImportBatch) == 0
    workbook = client.get(
        re.search(r'href="([^"]+)" data-testid="import-report-xlsx"', page)[1].replace("&amp;", "&")
    )
    assert workbook.status_code == 200
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(workbook.data)).active
    marked = [c for row in sheet.iter_rows() for c in row if c.comment]
    assert [(c.value, c.fill.fgColor.rgb[-6:]) for c in marked] == [("很多", "FFC7CE")]


def test_confirming_reads_the_ledger_once(app, world, client, auth, monkeypatch):
    # A county's ledger of thousands of rows: confirming it took two full runs, a dry run
    # for a page a clean ledger never shows, then the import.
    from crm.imports import services

    runs = []
    real_run = services.run_import
    monkeypatch.setattr(
        services, "run_import", lambda *a, **kw: runs.append(kw["commit"]) or real_run(*a, **kw)
    )
    auth.login("a_staff")
    _page, sha = _review_page(client, messy_projects_xlsx())
    runs.clear()
    done = _post_review(client, sha, col_0="name", col_2="planned_investment_wan", action="commit")
    assert done.status_code == 302 and count_of(app, Project) == 2
    assert runs == [True]


def test_bad_file_is_refused_on_the_upload_page(app, world, client, auth):
    auth.login("a_staff")
    response = _upload(client, b"%PDF-1.7", name="ledger.xlsx")
    assert response.status_code == 422
    assert "文件类型不支持" in response.get_data(as_text=True)
    client.get("/lang/en")  # the reader's message follows the user's language
    english = _upload(client, b"", name="ledger.xlsx").get_data(as_text=True)
    assert "The file is empty" in english and "文件是空的" not in english


def test_templates_download(app, world, client, auth):
    auth.login("a_staff")
    response = client.get("/imports/template/funds.xlsx")
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[1]][:3] == ["项目名称", "月份", "到位资金(万元)"]


def test_another_countys_batch_and_upload_are_404(app, world, client, auth):
    auth.login("a_staff")
    _page, sha = _review_page(client, messy_projects_xlsx())
    done = _post_review(client, sha, col_0="name", action="commit")
    batch_id = int(done.headers["Location"].rstrip("/").split("/")[-1])
    auth.logout()
    auth.login("b_manager")
    assert client.get(f"/imports/batches/{batch_id}").status_code == 404
    assert client.post(f"/imports/batches/{batch_id}/undo").status_code == 404
    assert client.get(f"/imports/review?kind=projects&sha={sha}").status_code == 404
    assert "台账.xlsx" not in client.get("/imports/batches").get_data(as_text=True)
    assert count_of(app, ImportBatch) == 1


def test_leaders_and_coordinators_cannot_import(app, world, client, auth):
    auth.login("a_leader")
    assert client.get("/imports/").status_code == 403


def test_the_upload_limit_is_the_smaller_of_the_import_and_request_limits(app, world, client, auth):
    from crm.imports.views import upload_limit

    with app.test_request_context():
        assert app.config["IMPORT_MAX_BYTES"] == 20 * 1024 * 1024
        assert upload_limit() == 16 * 1024 * 1024 - 64 * 1024  # MAX_CONTENT_LENGTH wins on the web
    auth.login("a_staff")
    assert "最大 15 MB" in client.get("/imports/").get_data(as_text=True)
    app.config["IMPORT_MAX_BYTES"] = 1024
    response = _upload(client, b"a,b\n" * 1000, name="big.csv")
    assert response.status_code == 422 and "文件太大" in response.get_data(as_text=True)


def test_a_saved_mapping_prefills_the_next_upload(app, world, client, auth):
    auth.login("a_staff")
    odd = xlsx([("项目", "老板的公司"), ("甲项目", "甲公司")])
    _page, sha = _review_page(client, odd)
    saved = _post_review(client, sha, col_0="name", col_1="investor_name", mapping_name="市里的表")
    assert saved.status_code == 200 and "列映射已保存" in saved.get_data(as_text=True)
    assert "市里的表" in client.get("/imports/").get_data(as_text=True)
    response = client.post(
        "/imports/",
        data={"kind": "projects", "file": (io.BytesIO(odd), "b.xlsx"), "mapping": "市里的表"},
        content_type="multipart/form-data",
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="investor_name" selected' in page and "将新建投资方企业 1 家" in page
