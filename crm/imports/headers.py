"""What can be imported: the kinds, their fields, and the usual Chinese headers of each field.

A ledger's header is matched against ``HEADERS`` (spaces, line breaks and bracket widths do
not matter); the user maps the columns left over on the mapping page.

>>> guess_mapping("projects", ["序号", "项目名称", "投资主体", "计划投资（万元）", "项目进展"])
{'项目名称': 'name', '投资主体': 'investor_name', '计划投资(万元)': 'planned_investment_wan', '项目进展': 'stage'}
"""

from __future__ import annotations

from crm.core.i18n import N_

__all__ = ["FIELDS", "HEADERS", "KINDS", "REQUIRED", "guess_mapping", "header_key", "known_headers"]

KINDS = {
    "projects": N_("招商项目"),
    "companies": N_("企业"),
    "contacts": N_("联系人"),
    "funds": N_("到位资金"),
    "activities": N_("跟进记录"),
}

#: kind -> field -> (label, usual headers). The label is also the template's header.
FIELDS: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "projects": {
        "name": ("项目名称", ("项目", "项目名")),
        "investor_name": (
            "投资方",
            ("投资主体", "投资企业", "投资单位", "签约企业", "投资方名称", "企业名称"),
        ),
        "investor_uscc": ("统一社会信用代码", ("信用代码", "社会信用代码", "投资方统一社会信用代码")),
        "planned_investment_wan": (
            "计划投资(万元)",
            (
                "计划投资",
                "总投资(万元)",
                "总投资",
                "计划总投资(万元)",
                "计划总投资",
                "投资额(万元)",
                "投资额",
            ),
        ),
        "stage": ("阶段", ("项目进展", "项目阶段", "进展情况", "进展阶段", "当前阶段", "推进阶段")),
        "signed_on": ("签约日期", ("签约时间",)),
        "contract_no": ("合同编号", ("签约合同编号", "协议编号")),
        "construction_started_on": ("开工日期", ("开工时间",)),
        "production_started_on": ("投产日期", ("投产时间",)),
        "industry": ("所属产业", ("产业类别", "所属行业", "行业", "产业", "产业链")),
        "owner": ("责任人", ("负责人", "招商责任人", "项目负责人", "经办人")),
        "responsible_unit": ("责任单位", ("承办单位", "牵头单位")),
        "leader_in_charge": ("包抓领导", ("包联领导", "分管领导")),
        "description": ("备注", ("项目简介", "项目概况", "建设内容", "说明")),
        # The rest of the project export's columns (crm/projects/exports.py), so that an
        # exported ledger imports back whole.
        "code_name": ("项目代号", ("代号",)),
        "kind": ("项目类型", ("建设性质",)),
        "source_channel": ("招商方式", ("引进方式",)),
        "fixed_asset_investment_wan": ("固定资产投资(万元)", ("固定资产投资",)),
        "foreign_investment_wan": ("利用外资(万元)", ("利用外资",)),
        "expected_annual_output_wan": ("预计年产值(万元)", ("预计年产值", "达产后年产值")),
        "expected_annual_tax_wan": ("预计年税收(万元)", ("预计年税收", "达产后年税收")),
        "expected_jobs": ("预计就业(人)", ("预计就业", "带动就业")),
        "land_mu": ("用地(亩)", ("用地面积(亩)", "用地面积", "占地(亩)")),
        "capital_origin": ("资金来源", ()),
        "next_follow_up_on": ("下次跟进日期", ("下次跟进",)),
        # 注册落地's evidence: the local company (found or created like the investor) and the
        # date; and 终止's reason — so a project past 签约, or 终止, imports at its stage.
        "local_company_name": ("本地企业", ("本地注册企业", "落地企业", "本地公司")),
        "local_company_uscc": ("本地企业统一社会信用代码", ("本地企业信用代码",)),
        "registered_on": ("注册日期", ("注册时间", "注册落地日期")),
        "lost_reason": ("终止原因", ("流失原因",)),
    },
    "companies": {
        "name": ("企业名称", ("公司名称", "单位名称", "企业")),
        "uscc": ("统一社会信用代码", ("信用代码", "社会信用代码")),
        "industry_code": ("行业代码", ("国民经济行业代码",)),
        "headquarters": ("总部所在地", ("注册地", "所在地", "地址", "总部")),
        "website": ("网址", ("网站", "官网")),
        "description": ("备注", ("企业简介", "简介", "说明")),
    },
    "contacts": {
        "company_name": ("企业名称", ("公司名称", "单位名称", "所在企业")),
        "company_uscc": ("统一社会信用代码", ("信用代码",)),
        "name": ("联系人", ("姓名", "联系人姓名")),
        "title": ("职务", ("职位",)),
        "phone": ("电话", ("联系电话", "手机", "手机号", "联系方式")),
        "email": ("邮箱", ("电子邮箱", "Email")),
        "wechat": ("微信", ("微信号",)),
        "note": ("备注", ("说明",)),
    },
    "funds": {
        "project_name": ("项目名称", ("项目",)),
        "month": ("月份", ("到位月份", "到位时间", "统计月份")),
        "amount_wan": ("到位资金(万元)", ("到位资金", "到位金额(万元)", "到位金额", "金额(万元)", "金额")),
        # 境外 money in dollars, as the funds export writes it beside its 万元 (crm/funds/exports.py).
        "amount_usd_wan": ("到位金额(万美元)", ("到位资金(万美元)", "金额(万美元)")),
        "origin": ("资金来源", ("来源", "资金性质")),
        # Money that does not count (银行贷款, 政府资金, 本地资金; empty: 计入), as the export writes it.
        "exclusion": ("资金类别", ("资金类型",)),
        "evidence_ref": ("凭证编号", ("凭证号", "拨付凭证")),
        "note": ("备注", ("说明",)),
    },
    "activities": {
        "project_name": ("项目名称", ("项目",)),
        "occurred_on": ("跟进日期", ("日期", "跟进时间", "时间")),
        "kind": ("跟进方式", ("方式", "类型")),
        "subject": ("主题", ("跟进事项", "事项", "标题")),
        "summary": ("跟进内容", ("内容", "情况", "跟进情况")),
        "participants": ("参加人员", ("参与人员", "参加人")),
        "next_step": ("下一步", ("下步工作", "下一步计划")),
        "next_follow_up_on": ("下次跟进日期", ("下次跟进",)),
    },
}

#: The fields a row must have (the rest may be empty).
REQUIRED = {
    "projects": ("name",),
    "companies": ("name",),
    "contacts": ("name",),
    "funds": ("project_name", "month", "amount_wan"),
    "activities": ("project_name", "occurred_on", "summary"),
}

#: kind -> header key -> field, filled below from FIELDS.
HEADERS: dict[str, dict[str, str]] = {}


def header_key(text) -> str:
    """A header as compared: no spaces, half-width brackets.

    >>> header_key(" 计划投资\\n（万元） ")
    '计划投资(万元)'
    """
    if text is None:
        return ""
    return "".join(str(text).split()).replace("（", "(").replace("）", ")")


for _kind, _fields in FIELDS.items():
    HEADERS[_kind] = {header_key(h): f for f, (label, more) in _fields.items() for h in (label, *more)}


def known_headers(kind: str) -> set[str]:
    return set(HEADERS[kind])


def guess_mapping(kind: str, headers: list[str], saved: dict | None = None) -> dict[str, str]:
    """Header → field for the headers recognised (a saved mapping first); each field once."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        key = header_key(header)
        field = (saved or {}).get(key) or HEADERS[kind].get(key)
        if key and field and field in FIELDS[kind] and field not in taken:
            mapping[key] = field
            taken.add(field)
    return mapping
