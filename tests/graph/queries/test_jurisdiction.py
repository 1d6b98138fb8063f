"""A jurisdiction's page (issue 22): measures both ways by type and year, counterparts, and a bloc
with its member states counted in, each measure once; on both stores."""

from __future__ import annotations

import datetime as dt

from graph.model.records import Batch, Document, Entity, Evidence, Relation
from graph.queries.jurisdiction import profile

TEXT = "欧盟对中国电动汽车加征关税。法国对中国白兰地采取措施。德国表示反对。欧盟成员国法国、德国。"
DOC = Document(text=TEXT, language="zh")


def _said(words: str) -> Evidence:
    start = TEXT.index(words)
    return Evidence(document_id=DOC.id, quote=words, start=start, end=start + len(words))


def _measure(measure_id: str, kind: str, day: dt.date, words: str) -> Entity:
    return Entity(id=measure_id, names={"en": measure_id}, measure={"measure_type": kind, "status": "in_force", "announced": day}, evidence=[_said(words)])


def _bloc_batch() -> Batch:
    return Batch(
        documents=[DOC],
        entities=[
            Entity(id="org:eu", names={"en": "European Union", "zh": "欧盟"}, evidence=[_said("欧盟")]),
            Entity(id="country:FR", names={"en": "France"}, evidence=[_said("法国")]),
            Entity(id="country:DE", names={"en": "Germany"}, evidence=[_said("德国")]),
            Entity(id="country:CN", names={"en": "China", "zh": "中国"}, evidence=[_said("中国")]),
            _measure("measure:eu-2024-ev-tariffs", "tariff", dt.date(2024, 7, 4), "欧盟对中国电动汽车加征关税"),
            _measure("measure:fr-2023-brandy-probe", "other", dt.date(2023, 10, 1), "法国对中国白兰地采取措施"),
        ],
        relations=[
            Relation(source="country:FR", type="MEMBER_OF", target="org:eu", evidence=[_said("欧盟成员国法国、德国")]),
            Relation(source="country:DE", type="MEMBER_OF", target="org:eu", evidence=[_said("欧盟成员国法国、德国")]),
            Relation(source="org:eu", type="IMPOSES", target="measure:eu-2024-ev-tariffs", evidence=[_said("欧盟对中国电动汽车加征关税")]),
            Relation(source="measure:eu-2024-ev-tariffs", type="TARGETS", target="country:CN", evidence=[_said("欧盟对中国电动汽车加征关税")]),
            Relation(source="country:FR", type="IMPOSES", target="measure:fr-2023-brandy-probe", evidence=[_said("法国对中国白兰地采取措施")]),
            Relation(source="measure:fr-2023-brandy-probe", type="TARGETS", target="country:CN", evidence=[_said("法国对中国白兰地采取措施")]),
        ],
    )


def test_a_bloc_alone_and_with_its_member_states(store):
    store.upsert(_bloc_batch())
    alone = profile(store, "欧盟")
    assert (alone.imposed_total, alone.members) == (1, [])
    assert [(r.year, r.measure_type.value, r.count) for r in alone.imposed] == [(2024, "tariff", 1)]
    assert alone.leverage is None  # a bloc supplies nothing by itself here
    with_members = profile(store, "org:eu", members=True)
    assert [m.id for m in with_members.members] == ["country:DE", "country:FR"]
    assert with_members.imposed_total == 2
    assert [(r.year, r.measure_type.value) for r in with_members.imposed] == [(2023, "other"), (2024, "tariff")]
    (china,) = with_members.counterparts
    assert (china.entity.id, china.imposed_on, china.received_from) == ("country:CN", 2, 0)


def test_a_country_receives_what_targets_it(store):
    store.upsert(_bloc_batch())
    china = profile(store, "中国")
    assert (china.imposed_total, china.received_total) == (0, 2)
    assert {c.entity.id: c.received_from for c in china.counterparts} == {"org:eu": 1, "country:FR": 1}
    assert china.leverage is not None
    window = profile(store, "中国", since=dt.date(2024, 1, 1))
    assert window.received_total == 1
