import pytest

from crm.util.names import normalise_company_name, similar_names


@pytest.mark.parametrize(
    "name, expected",
    [
        ("宁德时代新能源科技股份有限公司", "宁德时代新能源科技"),
        ("宁德时代新能源科技有限责任公司", "宁德时代新能源科技"),
        ("宁德时代新能源科技有限公司", "宁德时代新能源科技"),
        ("福建三钢集团股份有限公司", "福建三钢"),
        ("福建三钢集团有限公司", "福建三钢"),
        ("福建三钢集团", "福建三钢"),
        ("福建三钢公司", "福建三钢"),
        ("福建三钢股份", "福建三钢"),
        ("中国建筑集团总公司", "中国建筑"),
    ],
)
def test_legal_form_suffixes_are_stripped(name, expected):
    assert normalise_company_name(name) == expected


@pytest.mark.parametrize(
    "name",
    [
        "华为技术（深圳）有限公司",
        "华为技术(深圳)有限公司",
        "华为技术【深圳】有限公司",
        "华为技术[深圳]有限公司",
        " 华为技术 （深圳） 有限公司 ",
        "华为技术\u3000（深圳）有限公司",
    ],
)
def test_brackets_and_spaces_are_removed_keeping_content(name):
    assert normalise_company_name(name) == "华为技术深圳"


def test_full_width_latin_and_digits_become_half_width_lower_case():
    assert normalise_company_name("ＡＢＣ１２３科技有限公司") == "abc123科技"
    assert normalise_company_name("ABC123科技有限公司") == "abc123科技"


def test_suffix_inside_a_name_is_kept():
    assert normalise_company_name("集团财务有限公司") == "集团财务"
    assert normalise_company_name("股份制改革研究所") == "股份制改革研究所"


def test_name_made_only_of_a_suffix_is_not_emptied():
    assert normalise_company_name("有限公司") == "有限公司"
    assert normalise_company_name("集团") == "集团"


def test_empty_name():
    assert normalise_company_name("") == ""
    assert normalise_company_name(None) == ""


EXISTING = [
    (10, "宁德时代新能源科技股份有限公司"),
    (11, "宁德时代新能源科技（福鼎）有限公司"),
    (12, "福建三钢闽光股份有限公司"),
    (13, "华为技术有限公司"),
    (14, "华为终端有限公司"),
    (15, "宁德时代新能源科技有限公司"),
]


def test_exact_normalised_matches_come_first():
    found = similar_names("宁德时代新能源科技有限责任公司", EXISTING)
    assert {row[0] for row in found[:2]} == {10, 15}
    assert all(row[2] == 1.0 for row in found[:2])
    assert found[2][0] == 11
    assert found[2][2] < 1.0


def test_containment_counts_as_similar():
    found = similar_names("三钢闽光", EXISTING)
    assert [row[0] for row in found] == [12]


def test_unrelated_names_are_not_offered():
    assert similar_names("厦门钨业股份有限公司", EXISTING) == []


def test_near_spelling_scores_above_threshold():
    # One character different in a ten-character core.
    found = similar_names("宁德时代新能原科技", [(1, "宁德时代新能源科技有限公司")])
    assert found == [(1, "宁德时代新能源科技有限公司", 0.889)]


def test_limit_and_order_by_score():
    candidates = [(n, f"星火新材料{n}号有限公司") for n in range(10)]
    found = similar_names("星火新材料有限公司", candidates, limit=3)
    assert len(found) == 3
    scores = [row[2] for row in found]
    assert scores == sorted(scores, reverse=True)


def test_single_character_containment_is_ignored():
    assert similar_names("华", EXISTING) == []


def test_empty_inputs():
    assert similar_names("", EXISTING) == []
    assert similar_names("华为技术", []) == []
    assert similar_names("华为技术", EXISTING, limit=0) == []
