"""The funds form's month field: the browser's month picker and a format hint (issue 15
item 9); "2026年3月" still saves."""

import re


def test_month_field_has_picker_marker_and_hint(client, auth, signed_project_ids):
    auth.login("a_staff")
    page = client.get(f"/projects/{signed_project_ids['a']}/funds/new").get_data(as_text=True)
    tag = re.search(r'<input[^>]*\bname="month"[^>]*>', page).group(0)
    assert 'type="text"' in tag and 'data-datepicker="month"' in tag and 'placeholder="YYYY-MM"' in tag
    assert "2026年3月" in re.search(r'data-testid="hint-month">([^<]*)<', page).group(1)
    # the form's other descriptions are shown too now
    assert "银行贷款、政府资金和本地资金不计入招商引资到位资金" in page
