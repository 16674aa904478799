"""The chain vocabulary: the codes a chain is written in, their Chinese labels and weights.

This is the one home of every code of the chain domain: the models, the forms, the chain
documents (:mod:`chains.documents`), the gap analysis, the drawings, the exports and the
API all read them from here.

- ``stage`` of a segment: ``upstream`` 上游 / ``midstream`` 中游 / ``downstream`` 下游,
  drawn left to right in this order;
- ``importance`` of a segment: ``core`` 核心 / ``key`` 关键 / ``general`` 一般, weighing
  3 / 2 / 1 in the completeness and the ranking of critical gaps;
- ``role`` of a chain firm: ``leader`` 链主/龙头 / ``supporting`` 配套 / ``service`` 服务;
- ``presence`` of a chain firm: ``local`` 本地 / ``target`` 招商目标 / ``external`` 外地;
- ``status`` of a segment, the result of the gap analysis: ``gap`` 缺失 / ``targeted``
  招引中 / ``weak`` 薄弱 / ``strong`` 健全, from worst to best.

Labels are Chinese msgids, translated where they are shown (``_(STAGE_LABELS[code])``).
They are plain strings so that this module stays pure (the analysis imports it and knows
nothing of Flask); tests/foundation/test_i18n.py lists these tables so the catalog holds
them.

>>> STAGES
('upstream', 'midstream', 'downstream')
>>> [IMPORTANCE_LABELS[code] for code in IMPORTANCES], IMPORTANCE_WEIGHTS["core"]
(['核心', '关键', '一般'], 3)
"""

from __future__ import annotations

__all__ = [
    "IMPORTANCES",
    "IMPORTANCE_LABELS",
    "IMPORTANCE_WEIGHTS",
    "PRESENCES",
    "PRESENCE_LABELS",
    "ROLES",
    "ROLE_LABELS",
    "STAGES",
    "STAGE_LABELS",
    "STAGE_RANK",
    "STATUSES",
    "STATUS_LABELS",
]

STAGE_LABELS = {"upstream": "上游", "midstream": "中游", "downstream": "下游"}
STAGES = tuple(STAGE_LABELS)
STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGES)}

IMPORTANCE_LABELS = {"core": "核心", "key": "关键", "general": "一般"}
IMPORTANCES = tuple(IMPORTANCE_LABELS)
IMPORTANCE_WEIGHTS = {"core": 3, "key": 2, "general": 1}

ROLE_LABELS = {"leader": "链主/龙头", "supporting": "配套", "service": "服务"}
ROLES = tuple(ROLE_LABELS)

PRESENCE_LABELS = {"local": "本地", "target": "招商目标", "external": "外地"}
PRESENCES = tuple(PRESENCE_LABELS)

STATUS_LABELS = {"gap": "缺失", "targeted": "招引中", "weak": "薄弱", "strong": "健全"}
STATUSES = tuple(STATUS_LABELS)
