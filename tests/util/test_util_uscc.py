import pytest

from crm.util.uscc import (
    USCC_CHARSET,
    make_uscc,
    normalise_uscc,
    org_code_check_char,
    uscc_check_char,
    validate_uscc,
)

PUBLISHED_CODES = ["91350100M000100Y43", "91110000600037341L"]


@pytest.mark.parametrize("code", PUBLISHED_CODES)
def test_published_codes_are_valid_without_warnings(code):
    result = validate_uscc(code)
    assert result.ok
    assert result.errors == []
    assert result.warnings == []


@pytest.mark.parametrize("code", PUBLISHED_CODES)
def test_every_single_character_change_is_caught(code):
    # A changed character anywhere either breaks the check or is illegal:
    # the weights are coprime with 31, so no single substitution goes unnoticed.
    for index in range(18):
        for replacement in USCC_CHARSET:
            if replacement == code[index]:
                continue
            mutated = code[:index] + replacement + code[index + 1 :]
            assert not validate_uscc(mutated).ok, mutated


def test_wrong_check_character_names_position_and_expected_value():
    result = validate_uscc("91110000600037341M")
    assert result.errors == ["第18位校验码应为 L"]


def test_changed_body_character_reports_expected_check():
    # 9th character changed 6 → 7: the final check no longer matches and the
    # embedded organisation code's check is now wrong too (only a warning):
    # 7·3 + 3·5 + 7·8 + 3·4 + 4·2 = 112, 112 mod 11 = 2, 11 - 2 = 9.
    result = validate_uscc("91110000700037341L")
    assert len(result.errors) == 1
    assert result.errors[0].startswith("第18位校验码应为 ")
    assert result.warnings == ["第17位（组织机构代码校验码）应为 9"]


@pytest.mark.parametrize("char, position", [("I", 5), ("O", 9), ("Z", 12), ("S", 1), ("V", 18)])
def test_illegal_character_names_its_position(char, position):
    code = list("91110000600037341L")
    code[position - 1] = char
    result = validate_uscc("".join(code))
    assert not result.ok
    assert any(f"第{position}位字符“{char}”不合法" in error for error in result.errors)


def test_punctuation_is_illegal():
    result = validate_uscc("9111000060003734-L")
    assert result.errors == ["第17位字符“-”不合法（统一社会信用代码不使用 I、O、Z、S、V）"]


@pytest.mark.parametrize("code, length", [("9111000060003734", 16), ("91110000600037341LL", 19)])
def test_wrong_length_says_the_length(code, length):
    assert validate_uscc(code).errors == [f"长度应为18位，实际为{length}位"]


def test_empty_code_is_an_error():
    assert validate_uscc("  ").errors == ["统一社会信用代码不能为空"]
    assert validate_uscc(None).errors == ["统一社会信用代码不能为空"]


def test_input_is_normalised_before_checking():
    typed = " ９１３５０１００ｍ０００１００ｙ４３ "
    assert normalise_uscc(typed) == "91350100M000100Y43"
    result = validate_uscc(typed)
    assert result.ok
    assert result.code == "91350100M000100Y43"


def test_lower_case_and_inner_spaces_are_accepted():
    assert validate_uscc("9111 0000 6000 3734 1l").ok


def test_org_code_mismatch_is_only_a_warning():
    # Same organisation body, wrong embedded check (should be 1), final check
    # recomputed so that the code as a whole is consistent.
    first17 = "9111000060003734" + "2"
    code = first17 + uscc_check_char(first17)
    result = validate_uscc(code)
    assert result.ok
    assert result.warnings == ["第17位（组织机构代码校验码）应为 1"]


@pytest.mark.parametrize("body, check", [("60003734", "1"), ("M000100Y", "4")])
def test_org_code_check_char_of_published_codes(body, check):
    assert org_code_check_char(body) == check


def test_org_code_check_maps_ten_to_x_and_eleven_to_zero():
    # The last body position has weight 2.
    assert org_code_check_char("00000000") == "0"  # sum 0: 11 - 0 = 11 → '0'
    assert org_code_check_char("00000006") == "X"  # sum 12: 11 - 1 = 10 → 'X'
    assert org_code_check_char("00000005") == "1"  # sum 10: 11 - 10 = 1


def test_uscc_check_char_rejects_bad_input():
    with pytest.raises(ValueError):
        uscc_check_char("123")
    with pytest.raises(ValueError):
        uscc_check_char("9111000060003734I")


@pytest.mark.parametrize("seed", range(50))
def test_make_uscc_gives_fully_valid_codes(seed):
    code = make_uscc("330782", seed)
    assert code.startswith("91330782")
    result = validate_uscc(code)
    assert result.ok, result.errors
    assert result.warnings == []


def test_make_uscc_is_stable_and_varies_with_seed():
    assert make_uscc("350100", 1) == make_uscc("350100", 1)
    assert len({make_uscc("350100", seed) for seed in range(100)}) == 100


@pytest.mark.parametrize("region", ["35010", "3501000", "35A100", ""])
def test_make_uscc_rejects_bad_region_code(region):
    with pytest.raises(ValueError, match="行政区划代码"):
        make_uscc(region, 1)
