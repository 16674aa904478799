"""Chain documents: the JSON form of a chain, and its validation.

A chain document is what a chain exports to and imports from, and what every bundled
template of :mod:`chains.catalog` is written in::

    {
      "format": "chaincrm-chain/1",          # optional
      "name": "新能源汽车",
      "description": "……",                    # optional
      "segments": [
        {"name": "锂矿", "stage": "upstream", "importance": "key",
         "parent": null, "order": 1}
      ],
      "links": [["锂矿", "正极材料"]],         # supplier → consumer, by segment name
      "firms": [                              # optional
        {"segment": "动力电池", "company": "某某电池有限公司",
         "uscc": "91…", "role": "leader", "presence": "target", "note": ""}
      ]
    }

``stage``, ``importance``, ``role`` and ``presence`` take the codes of
:mod:`chains.vocabulary`; ``importance`` defaults to ``general``. ``parent`` names another
segment of the same document (a sub-segment); ``order`` sorts segments inside their
column. Segment names are unique inside a document; links form no cycle.

Pure functions, no request and no database. Each validation message is a :class:`Problem`:
the 简体中文 text itself (what the command line prints and a log keeps), which also knows
its msgid and values, so that a page in English says it in English (``translated``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import networkx as nx

from chains.vocabulary import (
    IMPORTANCE_LABELS,
    IMPORTANCES,
    PRESENCE_LABELS,
    PRESENCES,
    ROLE_LABELS,
    ROLES,
    STAGE_LABELS,
    STAGES,
)
from crm.core.i18n import N_

__all__ = [
    "FORMAT",
    "ChainDocumentError",
    "Problem",
    "dump_chain_document",
    "normalize_chain_document",
    "parse_chain_document",
    "validate_chain_document",
]

FORMAT = "chaincrm-chain/1"
_USCC_CHARS = set("0123456789ABCDEFGHJKLMNPQRTUWXY")


class Problem(str):
    """One thing wrong with a document: the 简体中文 message (``msgid % values``), with its
    msgid and values kept for :meth:`translated`. A value may itself be a ``Problem`` (where
    in the document: 环节“A”).

    >>> problem = Problem(N_("环节名称重复：“%(name)s”"), name="A")
    >>> problem
    '环节名称重复：“A”'
    >>> problem.translated(lambda msgid: {"环节名称重复：“%(name)s”": "Segment name repeated: “%(name)s”"}[msgid])
    'Segment name repeated: “A”'
    """

    def __new__(cls, msgid: str, **values):
        problem = super().__new__(cls, msgid % values if values else msgid)
        problem.msgid, problem.values = msgid, values
        return problem

    def translated(self, gettext) -> str:
        """The message in the language of ``gettext`` (a ``msgid -> text`` function)."""
        values = {
            key: value.translated(gettext) if isinstance(value, Problem) else value
            for key, value in self.values.items()
        }
        return gettext(self.msgid) % values if values else gettext(self.msgid)


class _Choices(Problem):
    """The codes a field takes, each with its label: upstream（上游）、… 或 downstream（下游）."""

    def __new__(cls, values: tuple[str, ...], labels: dict[str, str]):
        problem = super().__new__(cls, N_("%(some)s或 %(last)s"), **cls._parts(values, labels, str))
        problem.codes, problem.labels = values, labels
        return problem

    @staticmethod
    def _parts(values, labels, gettext) -> dict:
        named = [
            gettext(N_("%(code)s（%(label)s）")) % {"code": v, "label": gettext(labels[v])} for v in values
        ]
        return {"some": gettext(N_("、")).join(named[:-1]), "last": named[-1]}

    def translated(self, gettext) -> str:
        return gettext(self.msgid) % self._parts(self.codes, self.labels, gettext)


class ChainDocumentError(ValueError):
    """A chain document that does not validate; ``errors`` holds every message."""

    def __init__(self, errors: list[str]):
        super().__init__("；".join(errors))
        self.errors = errors


def _check_choice(errors: list[str], where: Problem, what: str, value, choices, labels) -> None:
    """Report ``value`` of ``where``'s ``what`` when it is none of ``choices``, naming them."""
    if value not in choices:
        errors.append(
            Problem(
                N_("%(where)s的%(what)s“%(value)s”无效，应为 %(choices)s"),
                where=where,
                what=Problem(what),
                value=value,
                choices=_Choices(choices, labels),
            )
        )


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _objects(items: list, numbered: str, errors: list[str]) -> Iterator[tuple[Problem, dict]]:
    """Each item that is an object, with where it stands (``numbered``: "第 %(index)s 个环节");
    each other item refused as not an object."""
    for index, item in enumerate(items, start=1):
        where = Problem(numbered, index=index)
        if isinstance(item, dict):
            yield where, item
        else:
            errors.append(Problem(N_("%(where)s不是对象"), where=where))


def _validate_segments(segments: list, errors: list[str]) -> dict[str, dict]:
    by_name: dict[str, dict] = {}
    for where, segment in _objects(segments, N_("第 %(index)s 个环节"), errors):
        name = segment.get("name")
        if not _is_text(name):
            errors.append(Problem(N_("%(where)s缺少名称"), where=where))
            continue
        name = name.strip()
        where = Problem(N_("环节“%(name)s”"), name=name)
        if name in by_name:
            errors.append(Problem(N_("环节名称重复：“%(name)s”"), name=name))
            continue
        by_name[name] = segment
        _check_choice(errors, where, N_("阶段"), segment.get("stage"), STAGES, STAGE_LABELS)
        _check_choice(
            errors, where, N_("重要度"), segment.get("importance", "general"), IMPORTANCES, IMPORTANCE_LABELS
        )
        order = segment.get("order", 0)
        if isinstance(order, bool) or not isinstance(order, int):
            errors.append(Problem(N_("%(where)s的排序“%(order)s”应为整数"), where=where, order=order))
    for name, segment in by_name.items():
        parent = segment.get("parent")
        if parent is None or parent == "":
            continue
        if not isinstance(parent, str) or parent.strip() not in by_name:
            errors.append(Problem(N_("环节“%(name)s”的上级环节“%(parent)s”不存在"), name=name, parent=parent))
        elif parent.strip() == name:
            errors.append(Problem(N_("环节“%(name)s”不能以自身为上级环节"), name=name))
    _check_parent_loops(by_name, errors)
    return by_name


def _check_parent_loops(by_name: dict[str, dict], errors: list[str]) -> None:
    reported: set[str] = set()
    for start in by_name:
        seen = [start]
        current = start
        while True:
            parent = by_name[current].get("parent")
            if not isinstance(parent, str) or parent.strip() not in by_name:
                break
            parent = parent.strip()
            if parent == current:
                break  # already reported as self-parent
            if parent in seen:
                loop = seen[seen.index(parent) :] + [parent]
                if not reported.intersection(loop):
                    errors.append(Problem(N_("上级环节形成循环：%(loop)s"), loop=" → ".join(loop)))
                    reported.update(loop)
                break
            seen.append(parent)
            current = parent


def _validate_links(links: list, names: set[str], errors: list[str]) -> nx.DiGraph:
    graph = nx.DiGraph()
    for index, link in enumerate(links, start=1):
        if (
            not isinstance(link, (list, tuple))
            or len(link) != 2
            or not all(isinstance(end, str) for end in link)
        ):
            errors.append(Problem(N_("第 %(index)s 条供应关系应为 [供应环节, 需求环节]"), index=index))
            continue
        supplier, consumer = (end.strip() for end in link)
        unknown = [end for end in (supplier, consumer) if end not in names]
        for end in unknown:
            errors.append(
                Problem(
                    N_("供应关系 %(supplier)s → %(consumer)s 指向不存在的环节“%(end)s”"),
                    supplier=supplier,
                    consumer=consumer,
                    end=end,
                )
            )
        if unknown:
            continue
        if supplier == consumer:
            errors.append(
                Problem(
                    N_("供应关系 %(supplier)s → %(consumer)s 不能指向自身"),
                    supplier=supplier,
                    consumer=consumer,
                )
            )
            continue
        if graph.has_edge(supplier, consumer):
            errors.append(
                Problem(N_("供应关系 %(supplier)s → %(consumer)s 重复"), supplier=supplier, consumer=consumer)
            )
            continue
        graph.add_edge(supplier, consumer)
    # Report each cycle once; removing one of its edges lets the next one surface.
    for _ in range(10):
        try:
            cycle = nx.find_cycle(graph)
        except nx.NetworkXNoCycle:
            break
        path = [edge[0] for edge in cycle] + [cycle[0][0]]
        errors.append(Problem(N_("供应关系形成循环：%(path)s"), path=" → ".join(path)))
        graph.remove_edge(*cycle[-1][:2])
    return graph


def _validate_firms(firms: list, names: set[str], errors: list[str]) -> None:
    for where, firm in _objects(firms, N_("第 %(index)s 家链上企业"), errors):
        company = firm.get("company")
        if not _is_text(company):
            errors.append(Problem(N_("%(where)s缺少企业名称"), where=where))
        else:
            where = Problem(N_("链上企业“%(company)s”"), company=company.strip())
        segment = firm.get("segment")
        if not isinstance(segment, str) or segment.strip() not in names:
            errors.append(Problem(N_("%(where)s所在环节“%(segment)s”不存在"), where=where, segment=segment))
        _check_choice(errors, where, N_("角色"), firm.get("role"), ROLES, ROLE_LABELS)
        _check_choice(errors, where, N_("分布"), firm.get("presence"), PRESENCES, PRESENCE_LABELS)
        uscc = firm.get("uscc")
        if uscc not in (None, "") and (
            not isinstance(uscc, str) or len(uscc) != 18 or not set(uscc) <= _USCC_CHARS
        ):
            errors.append(
                Problem(
                    N_("%(where)s的统一社会信用代码“%(uscc)s”格式不正确（应为 18 位数字或大写字母）"),
                    where=where,
                    uscc=uscc,
                )
            )
        note = firm.get("note", "")
        if note is not None and not isinstance(note, str):
            errors.append(Problem(N_("%(where)s的备注应为文本"), where=where))


def validate_chain_document(doc: Any) -> list[str]:
    """Return every problem of a chain document as a Chinese message; ``[]`` when valid.

    >>> validate_chain_document({"name": "示例", "segments": [
    ...     {"name": "电芯", "stage": "midstream"},
    ...     {"name": "整车", "stage": "downstream", "importance": "core"}],
    ...     "links": [["电芯", "整车"]]})
    []
    >>> for error in validate_chain_document({"name": "示例", "segments": [
    ...         {"name": "A", "stage": "upstream"}, {"name": "B", "stage": "sideways"},
    ...         {"name": "A", "stage": "upstream"}],
    ...         "links": [["A", "B"], ["B", "A"], ["A", "X"]]}):
    ...     print(error)
    环节“B”的阶段“sideways”无效，应为 upstream（上游）、midstream（中游）或 downstream（下游）
    环节名称重复：“A”
    供应关系 A → X 指向不存在的环节“X”
    供应关系形成循环：A → B → A
    """
    if not isinstance(doc, dict):
        return [Problem(N_("产业链文件应为 JSON 对象"))]
    errors: list[str] = []
    if doc.get("format", FORMAT) != FORMAT:
        errors.append(
            Problem(
                N_("不支持的文件格式“%(found)s”，应为 %(format)s"), found=doc.get("format"), format=FORMAT
            )
        )
    if not _is_text(doc.get("name")):
        errors.append(Problem(N_("产业链缺少名称")))
    description = doc.get("description", "")
    if description is not None and not isinstance(description, str):
        errors.append(Problem(N_("产业链简介应为文本")))
    segments = doc.get("segments")
    if not isinstance(segments, list) or not segments:
        errors.append(Problem(N_("产业链至少需要一个环节（segments）")))
        segments = []
    by_name = _validate_segments(segments, errors)
    links = doc.get("links", [])
    if not isinstance(links, list):
        errors.append(Problem(N_("供应关系（links）应为列表")))
        links = []
    _validate_links(links, set(by_name), errors)
    firms = doc.get("firms", [])
    if not isinstance(firms, list):
        errors.append(Problem(N_("链上企业（firms）应为列表")))
        firms = []
    _validate_firms(firms, set(by_name), errors)
    return errors


def normalize_chain_document(doc: dict) -> dict:
    """Return a copy of a *valid* document with every optional field filled in.

    Names are stripped, ``importance`` defaults to ``general``, ``parent`` to ``None``,
    ``order`` to the segment's position, ``firms`` to ``[]``.

    >>> normalize_chain_document({"name": " 示例 ", "segments": [{"name": "电芯 ", "stage": "midstream"}]})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'format': 'chaincrm-chain/1', 'name': '示例', 'description': '',
     'segments': [{'name': '电芯', 'stage': 'midstream', 'importance': 'general', 'parent': None, 'order': 1}],
     'links': [], 'firms': []}
    """
    errors = validate_chain_document(doc)
    if errors:
        raise ChainDocumentError(errors)
    segments = [
        {
            "name": s["name"].strip(),
            "stage": s["stage"],
            "importance": s.get("importance", "general"),
            "parent": s["parent"].strip() if s.get("parent") else None,
            "order": s.get("order", index),
        }
        for index, s in enumerate(doc["segments"], start=1)
    ]
    firms = [
        {
            "segment": f["segment"].strip(),
            "company": f["company"].strip(),
            "uscc": f.get("uscc") or None,
            "role": f["role"],
            "presence": f["presence"],
            "note": f.get("note") or "",
        }
        for f in doc.get("firms", [])
    ]
    return {
        "format": FORMAT,
        "name": doc["name"].strip(),
        "description": (doc.get("description") or "").strip(),
        "segments": segments,
        "links": [[a.strip(), b.strip()] for a, b in doc.get("links", [])],
        "firms": firms,
    }


def parse_chain_document(text: str | bytes) -> dict:
    """Parse and validate JSON text; return the normalized document.

    Raises :class:`ChainDocumentError` with every message when the text is not a
    valid chain document.

    >>> parse_chain_document('{"name": "示例", "segments": []}')
    Traceback (most recent call last):
    ...
    chains.documents.ChainDocumentError: 产业链至少需要一个环节（segments）
    >>> parse_chain_document('{')
    Traceback (most recent call last):
    ...
    chains.documents.ChainDocumentError: 文件不是有效的 JSON：第 1 行第 2 列附近有误
    """
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = (
            Problem(N_("第 %(line)s 行第 %(column)s 列附近有误"), line=exc.lineno, column=exc.colno)
            if isinstance(exc, json.JSONDecodeError)
            else Problem(N_("编码不是 UTF-8"))
        )
        raise ChainDocumentError([Problem(N_("文件不是有效的 JSON：%(where)s"), where=where)]) from None
    return normalize_chain_document(doc)


def dump_chain_document(doc: dict) -> str:
    """Serialize a chain document as readable UTF-8 JSON (Chinese kept as is).

    >>> print(dump_chain_document({"name": "示例", "segments": [], "links": []}))
    {
      "name": "示例",
      "segments": [],
      "links": []
    }
    """
    return json.dumps(doc, ensure_ascii=False, indent=2)
