"""国民经济行业分类 (GB/T 4754-2017): the 20 sections, the 97 divisions and a few classes
that county bureaus chase, for the industry field's suggestions and its format check.

A code is a section letter (``C``), or a division (2 digits), group (3) or class (4);
digits may follow their section letter (``C3612``). Sections own contiguous ranges of
divisions, so the letter of any numeric code is known from its first two digits.

>>> check_industry_code('c3612')
('3612', None)
>>> check_industry_code('A36')[1]
'行业代码 36 属于门类 C（制造业），不属于 A'
>>> section_of('3841')
'C'
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

SECTIONS = {
    "A": "农、林、牧、渔业",
    "B": "采矿业",
    "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业",
    "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业",
    "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业",
    "J": "金融业",
    "K": "房地产业",
    "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业",
    "O": "居民服务、修理和其他服务业",
    "P": "教育",
    "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业",
    "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}

# First and last division of each section.
SECTION_RANGES = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}

DIVISIONS = {
    "01": "农业",
    "02": "林业",
    "03": "畜牧业",
    "04": "渔业",
    "05": "农、林、牧、渔专业及辅助性活动",
    "06": "煤炭开采和洗选业",
    "07": "石油和天然气开采业",
    "08": "黑色金属矿采选业",
    "09": "有色金属矿采选业",
    "10": "非金属矿采选业",
    "11": "开采专业及辅助性活动",
    "12": "其他采矿业",
    "13": "农副食品加工业",
    "14": "食品制造业",
    "15": "酒、饮料和精制茶制造业",
    "16": "烟草制品业",
    "17": "纺织业",
    "18": "纺织服装、服饰业",
    "19": "皮革、毛皮、羽毛及其制品和制鞋业",
    "20": "木材加工和木、竹、藤、棕、草制品业",
    "21": "家具制造业",
    "22": "造纸和纸制品业",
    "23": "印刷和记录媒介复制业",
    "24": "文教、工美、体育和娱乐用品制造业",
    "25": "石油、煤炭及其他燃料加工业",
    "26": "化学原料和化学制品制造业",
    "27": "医药制造业",
    "28": "化学纤维制造业",
    "29": "橡胶和塑料制品业",
    "30": "非金属矿物制品业",
    "31": "黑色金属冶炼和压延加工业",
    "32": "有色金属冶炼和压延加工业",
    "33": "金属制品业",
    "34": "通用设备制造业",
    "35": "专用设备制造业",
    "36": "汽车制造业",
    "37": "铁路、船舶、航空航天和其他运输设备制造业",
    "38": "电气机械和器材制造业",
    "39": "计算机、通信和其他电子设备制造业",
    "40": "仪器仪表制造业",
    "41": "其他制造业",
    "42": "废弃资源综合利用业",
    "43": "金属制品、机械和设备修理业",
    "44": "电力、热力生产和供应业",
    "45": "燃气生产和供应业",
    "46": "水的生产和供应业",
    "47": "房屋建筑业",
    "48": "土木工程建筑业",
    "49": "建筑安装业",
    "50": "建筑装饰、装修和其他建筑业",
    "51": "批发业",
    "52": "零售业",
    "53": "铁路运输业",
    "54": "道路运输业",
    "55": "水上运输业",
    "56": "航空运输业",
    "57": "管道运输业",
    "58": "多式联运和运输代理业",
    "59": "装卸搬运和仓储业",
    "60": "邮政业",
    "61": "住宿业",
    "62": "餐饮业",
    "63": "电信、广播电视和卫星传输服务",
    "64": "互联网和相关服务",
    "65": "软件和信息技术服务业",
    "66": "货币金融服务",
    "67": "资本市场服务",
    "68": "保险业",
    "69": "其他金融业",
    "70": "房地产业",
    "71": "租赁业",
    "72": "商务服务业",
    "73": "研究和试验发展",
    "74": "专业技术服务业",
    "75": "科技推广和应用服务业",
    "76": "水利管理业",
    "77": "生态保护和环境治理业",
    "78": "公共设施管理业",
    "79": "土地管理业",
    "80": "居民服务业",
    "81": "机动车、电子产品和日用产品修理业",
    "82": "其他服务业",
    "83": "教育",
    "84": "卫生",
    "85": "社会工作",
    "86": "新闻和出版业",
    "87": "广播、电视、电影和录音制作业",
    "88": "文化艺术业",
    "89": "体育",
    "90": "娱乐业",
    "91": "中国共产党机关",
    "92": "国家机构",
    "93": "人民政协、民主党派",
    "94": "社会保障",
    "95": "群众团体、社会团体和其他成员组织",
    "96": "基层群众自治组织及其他组织",
    "97": "国际组织",
}

# Classes that the bureaus' leading chains (新能源汽车、光伏、生物医药 …) are made of.
COMMON_CLASSES = {
    "1391": "淀粉及淀粉制品制造",
    "1461": "味精制造",
    "1511": "酒精制造",
    "2710": "化学药品原料药制造",
    "2720": "化学药品制剂制造",
    "2740": "中成药生产",
    "2761": "生物药品制造",
    "2762": "基因工程药物和疫苗制造",
    "3581": "医疗诊断、监护及治疗设备制造",
    "3611": "汽柴油车整车制造",
    "3612": "新能源车整车制造",
    "3670": "汽车零部件及配件制造",
    "3825": "光伏设备及元器件制造",
    "3841": "锂离子电池制造",
    "3973": "集成电路制造",
    "3985": "电子专用材料制造",
}

CODE_PATTERN = re.compile(r"^([A-T])?(\d{2,4})?$")


def section_of(code: str) -> str | None:
    """The section letter of a numeric code, or None if its division does not exist."""
    if not code[:2].isdigit():
        return None
    division = int(code[:2])
    for letter, (first, last) in SECTION_RANGES.items():
        if first <= division <= last:
            return letter
    return None


def check_industry_code(text: str | None) -> tuple[str | None, str | None]:
    """Return ``(normalised code, error message)``; an empty input is ``(None, None)``.

    A section letter alone stays a letter; a letter before digits is dropped after
    checking that it is the digits' section.

    >>> check_industry_code(' C ')
    ('C', None)
    >>> check_industry_code('99')[1]
    '大类代码 99 不存在（大类为 01–97）'
    >>> check_industry_code('U')[1]
    '行业代码格式应为门类字母 A–T，或 2–4 位数字（如 36、3612）'
    """
    code = (text or "").strip().upper()
    if not code:
        return None, None
    match = CODE_PATTERN.match(code)
    if not match or not any(match.groups()):
        return None, _("行业代码格式应为门类字母 A–T，或 2–4 位数字（如 36、3612）")
    letter, digits = match.groups()
    if digits is None:
        return letter, None
    section = section_of(digits)
    if section is None:
        return None, _("大类代码 %(code)s 不存在（大类为 01–97）", code=digits[:2])
    if letter and letter != section:
        return None, _(
            "行业代码 %(code)s 属于门类 %(section)s（%(name)s），不属于 %(letter)s",
            code=digits,
            section=section,
            name=SECTIONS[section],
            letter=letter,
        )
    return digits, None


def industry_label(code: str | None) -> str:
    """``'3612 新能源车整车制造'`` for a known code, the code alone otherwise.

    >>> industry_label('36')
    '36 汽车制造业'
    >>> industry_label('3699')
    '3699（汽车制造业）'
    """
    if not code:
        return ""
    name = SECTIONS.get(code) or DIVISIONS.get(code) or COMMON_CLASSES.get(code)
    if name:
        return f"{code} {name}"
    division = DIVISIONS.get(code[:2])
    return f"{code}（{division}）" if division else code


def industry_options() -> list[tuple[str, str]]:
    """(code, label) for every section, division and common class, in code order."""
    options = [(letter, f"{letter} {name}") for letter, name in SECTIONS.items()]
    numeric = {**DIVISIONS, **COMMON_CLASSES}
    options += [(code, f"{code} {numeric[code]}") for code in sorted(numeric)]
    return options
