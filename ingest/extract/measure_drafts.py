"""Stage 4, measure drafts: measure mentions folded into one draft per real-world act.

Mentions fold into measures: the same imposer country and type, no conflicting dates or rates,
and overlapping goods (through the lexicon taxonomy) make one measure that carries every
mention's evidence. A mention with no imposer of its own joins the latest measure of its type;
generic wording ("the tariffs") joins the safeguard or anti-dumping measure it stands for; a
mention written as a new act ("hit back with", "a further", 剩余) never joins an earlier one.
Finding the mentions is ``measure_mentions.py``; this module decides which belong together,
and what a draft is called: its id and its names.
"""

from __future__ import annotations

import re
from datetime import date

from graph.model.enums import EntityType
from graph.model.ids import slugify
from ingest.extract.types import MeasureDraft, MeasureMention
from ingest.extract.values import DateMention
from ingest.lexicon import Lexicon

__all__ = ["fold_mentions", "measure_id", "head_good", "TYPE_NAMES"]

_INVESTIGATED = frozenset({"anti_dumping", "countervailing_duty", "safeguard"})
_CONTINUE = re.compile(r"\b(?:a second|another|a further|also|again)\b|又|再|还", re.I)
TYPE_NAMES = {
    "tariff": ("tariffs", "关税"),
    "export_control": ("export controls", "出口管制"),
    "import_ban": ("import ban", "进口禁令"),
    "purchase_suspension": ("purchase suspension", "暂停采购"),
    "port_fee": ("port fees", "港口费"),
    "sanction": ("sanctions", "制裁"),
    "entity_list": ("entity list", "实体清单"),
    "supply_cutoff": ("supply cutoff", "断供"),
    "anti_dumping": ("anti-dumping duties", "反倾销税"),
    "countervailing_duty": ("countervailing duties", "反补贴税"),
    "safeguard": ("safeguard measures", "保障措施"),
    "investment_restriction": ("investment restrictions", "投资限制"),
    "other": ("trade measure", "贸易措施"),
}


def _related(lexicon: Lexicon, a: str, b: str) -> bool:
    """Whether two goods are the same or one is a kind of the other (via IS_A, any depth)."""
    if a == b:
        return True
    return b in _ancestors(lexicon, a) or a in _ancestors(lexicon, b)


def _ancestors(lexicon: Lexicon, entity_id: str) -> frozenset[str]:
    return lexicon.ancestors(entity_id)


def _mention_date(mm: MeasureMention, role: str) -> DateMention | None:
    for d, r in mm.dates:
        if r == role:
            return d
    return None


def _compatible(lexicon: Lexicon, draft: MeasureDraft, mm: MeasureMention, country: str | None) -> bool:
    if draft.measure_type != mm.measure_type:
        # "Both tariffs take effect on February 7": generic wording for safeguard or anti-dumping duties
        if not (country is None and mm.measure_type == "tariff" and draft.measure_type in _INVESTIGATED and not mm.fresh):
            return False
    if country is not None and draft.country != country:
        return False
    if mm.fresh and draft.mentions and all(x.sentence is not mm.sentence for x in draft.mentions):
        return False  # "China hit back with tariffs", "a further $200 billion": a new act
    # an investigation, its preliminary and its final ruling are one measure: named with the same
    # goods, or with none ("今年3月22日，商务部作出肯定性初裁")
    lifecycle = mm.measure_type in _INVESTIGATED and (not mm.goods or _goods_overlap(lexicon, mm, draft))
    if mm.status not in {"lifted", "suspended"} and not lifecycle:
        for role in ("announced", "effective"):
            d = _mention_date(mm, role)
            known = getattr(draft, role)
            if d is not None and known is not None and abs((d.value - known).days) > 31:
                return False
            if d is not None and known is None:  # a month-only date far from the measure's own is another act too
                other = draft.announced or draft.effective
                if other is not None and abs((d.value - other).days) > 200:
                    return False
    if _threat_of_another_day(mm, draft):
        return False
    if mm.rate is not None and draft.rate is not None and mm.rate != draft.rate and mm.previous_rate is None:
        if not any(x.sentence is mm.sentence for x in draft.mentions):
            return False  # "分别实施25%、20%或10%加征关税": rates of one measure in one sentence
    if mm.goods and draft.goods:
        return any(_related(lexicon, g.entity_id, known) for g in mm.goods for known in draft.goods)
    return True


def _threat_of_another_day(mm: MeasureMention, draft: MeasureDraft) -> bool:
    """"Trump last Thursday threatened secondary sanctions" beside sanctions imposed this Thursday:
    a threat made on another day than an act in force is an act of its own (either way round)."""
    other = {"threatened": "in_force", "in_force": "threatened"}.get(mm.status or "")
    if other is None or other not in draft.statuses or draft.measure_type in _INVESTIGATED:  # a case's steps are one measure
        return False
    day = next((d.value for d, role in mm.dates if role == "announced" and d.precision == "day"), None)
    return day is not None and draft.announced is not None and "announced" not in draft.precision and day != draft.announced


def _goods_overlap(lexicon: Lexicon, mm: MeasureMention, draft: MeasureDraft) -> bool:
    return bool(mm.goods and draft.goods) and any(_related(lexicon, g.entity_id, known) for g in mm.goods for known in draft.goods)


def fold_mentions(lexicon: Lexicon, mentions: list[MeasureMention]) -> list[MeasureDraft]:
    """One draft per measure; each mention joins a compatible draft or starts one.

    Among compatible drafts one sharing goods wins, then the latest. A mention with no imposer
    joins the latest compatible draft of its type; when it names several ("both duties took
    effect", "the tariffs applied to EU steel and aluminium") it joins each of them."""
    drafts: list[MeasureDraft] = []
    for mm in mentions:
        countries = [lexicon.home(m.entity_id) for m in mm.imposers]
        country = next((c for c in countries if c), None)
        if country is None and mm.imposers:
            # an agency the lexicon does not place ("the Authority for ... (ARECOMS) first halted
            # exports"): it acts for the country of the latest measure of its type, if any;
            # otherwise no id can be formed
            introduced = all(
                m.type is EntityType.ORGANIZATION and (entry := lexicon.entry(m.entity_id)) is not None and entry.file == "<text>"
                for m in mm.imposers
            )
            acting_for = [d for d in drafts if d.measure_type == mm.measure_type and d.country and _compatible(lexicon, d, mm, d.country)]
            if introduced and acting_for:
                _attach(acting_for[-1], mm)
            continue
        candidates = [d for d in drafts if _compatible(lexicon, d, mm, country)]
        if country is None:
            same_type = [d for d in drafts if d.measure_type == mm.measure_type and d.country]
            by_goods = [d for d in same_type if _goods_overlap(lexicon, mm, d)]
            if len(by_goods) > 1 and len({d.country for d in by_goods}) == 1:
                for d in by_goods:  # goods of several measures named at once
                    mm.inferred_imposer = True
                    _attach(d, mm, goods=False, dates=False)
                continue
            if mm.plural and not mm.goods and len(same_type) > 1:
                latest = same_type[-1].country
                group = [d for d in same_type if d.country == latest][-2:]
                mm.inferred_imposer = True
                for d in group:
                    _attach(d, mm, goods=False)
                continue
        if country is None and not candidates:
            same_type = [d for d in drafts if d.measure_type == mm.measure_type and d.country]
            if not same_type and mm.goods and _one_government(mm, drafts):
                # "A day earlier the finance ministry cut the export duty on rice": a ministry named
                # without its country, in a text whose measures are all of one country, is of it
                source = drafts[-1]
                draft = MeasureDraft(country=source.country, measure_type=mm.measure_type, context_year=mm.context_year)
                drafts.append(draft)
                mm.inferred_imposer = True
                mm.imposers = [m for k, m in source.imposers.items() if k == source.country]
                _attach(draft, mm)
                continue
            if not same_type or not mm.goods:
                continue
            if not _CONTINUE.search(text_before(mm)) and not _own_past_act(mm, same_type):
                continue
            source = same_type[-1]  # "a second proclamation imposed…": the same actor acts again
            draft = MeasureDraft(country=source.country, measure_type=mm.measure_type, context_year=mm.context_year)
            drafts.append(draft)
            mm.inferred_imposer = True
            mm.imposers = list(source.imposers.values())
            _attach(draft, mm)
            continue
        if country is None:
            with_goods = [d for d in candidates if _goods_overlap(lexicon, mm, d)]
            draft = (with_goods or candidates)[-1]
            mm.inferred_imposer = True
            _attach(draft, mm)
            drafts.remove(draft)
            drafts.append(draft)
            continue
        if len(mm.goods) > 1 and candidates:
            matching = [d for d in candidates if d.goods and any(g.entity_id in d.goods for g in mm.goods)]
            if len(matching) > 1:  # "both duties": one mention naming two measures
                for d in matching:
                    _attach(d, mm, goods=False)
                continue
        if not candidates and mm.measure_type == "tariff" and not mm.fresh:
            duties = [d for d in drafts if d.country == country and d.measure_type in _INVESTIGATED and (not mm.goods or _goods_overlap(lexicon, mm, d))]
            if duties:  # "临时关税" for the countervailing duties already named: generic wording
                _attach(duties[-1], mm)
                continue
        if candidates:
            with_goods = [d for d in candidates if _goods_overlap(lexicon, mm, d)]
            draft = (with_goods or candidates)[-1]
        else:
            draft = MeasureDraft(country=country, measure_type=mm.measure_type, context_year=mm.context_year)
            drafts.append(draft)
        _attach(draft, mm)
    return [d for d in drafts if d.country]


# "The government banned exports of raw ore in December 2022", "当局去年5月曾禁止…": the country's
# own government, told as an act of its own date
_OWN_GOVERNMENT = re.compile(
    r"^\s*(?:(?:the|its|that|this)\s+)?(?:government|authorities|cabinet|administration|country)\b|^\s*(?:该国|该国政府|政府|当局)", re.I
)


_MINISTRY_SUBJECT = re.compile(
    r"\b(?:the|its)\s+(?:government|authorities|cabinet|(?:[a-z]+\s+){1,2}ministry)\s+(?:[a-z]+\s+){0,2}$|(?:政府|当局|[\u4e00-\u9fff]{1,4}部)[^，。；,]{0,10}$",
    re.I,
)


def _one_government(mm: MeasureMention, drafts: list[MeasureDraft]) -> bool:
    """The mention's subject is a government or ministry named without its country (just before the
    trigger, no actor of its own), and every measure the text has named so far is one country's."""
    return (
        not mm.imposers and bool(drafts) and len({d.country for d in drafts}) == 1
        and _MINISTRY_SUBJECT.search(text_before(mm)[-60:]) is not None
    )


def _own_past_act(mm: MeasureMention, same_type: list[MeasureDraft]) -> bool:
    """A mention whose subject is the government of the country the text's measures of its type
    belong to (one country), dated more than a month from them: another act of that government."""
    if len({d.country for d in same_type}) != 1 or not _OWN_GOVERNMENT.match(text_before(mm)):
        return False
    own = [d for d, _role in mm.dates]
    known = [x for d in same_type for x in (d.announced, d.effective) if x is not None]
    return bool(own and known) and all(abs((o.value - k).days) > 31 for o in own for k in known)


def text_before(mm: MeasureMention) -> str:
    """The sentence up to a mention's trigger (the sentence keeps no text, so it is passed in)."""
    return mm.prefix


def _set_date(draft: MeasureDraft, role: str, d: DateMention) -> None:
    """A day-precision date wins over a month-only one; a month-only date fills an empty field."""
    known = getattr(draft, role)
    if known is None or (draft.precision.get(role) == "month" and d.precision == "day" and (known.year, known.month) == (d.value.year, d.value.month)):
        setattr(draft, role, d.value)
        if d.precision == "day":
            draft.precision.pop(role, None)
        else:
            draft.precision[role] = "month"


def _attach(draft: MeasureDraft, mm: MeasureMention, goods: bool = True, dates: bool = True) -> None:
    mm.measure = draft
    draft.mentions.append(mm)
    for m in mm.imposers:
        draft.imposers.setdefault(m.entity_id, m)
    mm.targets = [m for m in mm.targets if m.entity_id != draft.country]
    for m in mm.targets:
        draft.targets.setdefault(m.entity_id, m)
    if goods:
        for m in mm.goods:
            draft.goods.setdefault(m.entity_id, m)
    if mm.status:
        draft.statuses.append(mm.status)
    if draft.context_year is None:
        draft.context_year = mm.context_year
    lifted = mm.status in {"lifted", "suspended"}
    for d, role in mm.dates if dates else ():
        if lifted:
            if mm.status == "lifted" and role == "effective" or (mm.status == "lifted" and len(mm.dates) == 1):
                _set_date(draft, "ended", d)
            continue
        if role == "announced" and mm.status == "in_force" and draft.announced and (d.value - draft.announced).days > 31:
            role = "effective"  # the investigation was announced earlier; now the duties apply
        elif role == "announced" and draft.measure_type in _INVESTIGATED and draft.announced and (draft.announced - d.value).days > 31:
            draft.announced = None  # "本案于去年7月23日立案": a trade-remedy case is announced when it opens
        _set_date(draft, role, d)
    if mm.rate is not None and draft.rate is None:
        draft.rate = mm.rate
        draft.previous_rate = mm.previous_rate
    if mm.amount and draft.amount is None:
        draft.amount = mm.amount
    if mm.legal_reference and draft.legal_reference is None:
        draft.legal_reference = mm.legal_reference


def measure_id(lexicon: Lexicon, draft: MeasureDraft, reference: date | None) -> str:
    """A draft's id, readable and stable across documents: imposer's country, date (else year),
    the head good, the type (``measure:us-2018-03-23-steel-tariffs``); ``reference`` gives the
    year when the text dates the measure no other way."""
    iso = draft.country.split(":")[1].lower() if draft.country else "xx"
    when = draft.announced or draft.effective
    role = "announced" if draft.announced else "effective"
    if when is not None:
        stamp = when.isoformat()[:7] if draft.precision.get(role) == "month" else when.isoformat()
    elif draft.year:
        stamp = str(draft.year)
    elif reference is not None:
        stamp = str(reference.year)
    else:
        stamp = ""
    parts = [iso] + ([stamp] if stamp else [])
    head = head_good(lexicon, draft)
    type_en = TYPE_NAMES[draft.measure_type][0]
    if head:
        local = head.split(":", 1)[1]
        parts.append(local[:-1] if local.endswith("s") and not local.endswith("ss") else local)
    parts.append(slugify(type_en))
    if not head and draft.targets:
        parts.append("on-" + slugify(next(iter(draft.targets)).split(":", 1)[1]))
    return "measure:" + "-".join(p for p in parts if p)


def head_good(lexicon: Lexicon, draft: MeasureDraft) -> str | None:
    """The good a measure is named after: the one most of its other goods descend from, else the first."""
    goods = list(draft.goods)
    if not goods:
        return None

    def score(g: str) -> int:
        return sum(1 for other in goods if other != g and g in lexicon.ancestors(other))

    return max(goods, key=lambda g: (score(g), -goods.index(g)))
