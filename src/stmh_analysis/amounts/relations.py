"""Several amounts in one text: which to count, which explain or replace another."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from stmh_analysis.amounts.mentions import _Money
from stmh_analysis.amounts.model import _kind, _Part, _Reader
from stmh_analysis.amounts.tokens import _PERIOD_KINDS, _Token

# --- relations between mentions ------------------------------------------------------------------


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(1.0, 0.01 * max(abs(a), abs(b)))


def _between(tokens: list[_Token], a: _Money, b: _Money, kinds: set[str]) -> bool:
    return any(t.kind in kinds for t in tokens[a.last + 1 : b.first])


def _before(tokens: list[_Token], m: _Money, kinds: set[str], reach: int = 4) -> bool:
    """A word of `kinds` shortly before the amount, with no other figure in between."""
    window = tokens[max(0, m.first - reach) : m.first]
    for t in reversed(window):
        if t.kind in ("NUM", "CUR", "MAG", "JOIN"):
            return False
        if t.kind in kinds:
            return True
    return False


def _after(tokens: list[_Token], m: _Money, kinds: set[str], reach: int = 4) -> bool:
    """A word of `kinds` shortly after the amount, in its clause, with no other figure between."""
    for t in tokens[m.last + 1 : m.last + 1 + reach]:
        if t.kind in ("NUM", "CUR", "MAG") or (t.kind == "JOIN" and t.clause != m.clause):
            return False
        if t.kind in kinds:
            return True
    return False


_BASIS_LABELS = set(_PERIOD_KINDS) - {"TOTAL"}


def _basis_colon(tokens: list[_Token], colon: int) -> bool:
    """'structureel:': a basis word right before this colon names the amount after it."""
    return (
        1 <= colon < len(tokens)
        and tokens[colon].kind == "COLON"
        and (tokens[colon - 1].kind in _BASIS_LABELS)
    )


def _next_label(tokens: list[_Token], outer: _Money, k: int) -> bool:
    """'Incidenteel: € 120.000, structureel: € 30.000': both amounts carry a basis label of
    their own, so the second colon opens the next item of a list, not a breakdown of the first.
    ('Totaal: € 150.000, structureel: …' stays a total with its breakdown.)"""
    return _basis_colon(tokens, k) and _basis_colon(tokens, outer.first - 1)


def _inner_of(outer: _Money, money: list[_Money], tokens: list[_Token]) -> list[_Money]:
    """The amounts that explain `outer`: its parentheses right after it, or a clause opened by
    'waarvan', 'oftewel' or a colon, up to the next ';' or 'daarna'."""
    k = outer.last + 1
    skippable = set(_PERIOD_KINDS) | {
        "YEAR",
        "YEARSPAN",
        "FROMYEAR",
        "UNTILYEAR",
        "DURATION",
        "PERIODTOTAL",
        "WORD",
        "OTHER",
        "PRICELEVEL",
        "PERCENT",
    }
    while (
        k < len(tokens)
        and tokens[k].depth == outer.depth
        and (
            tokens[k].kind in skippable
            or (tokens[k].kind == "JOIN" and tokens[k].text.strip() == ",")
        )
    ):
        k += 1
    if k >= len(tokens):
        return []
    if tokens[k].depth > outer.depth:
        end = k
        while end < len(tokens) and tokens[end].depth > outer.depth:
            end += 1
        return [m for m in money if not m.dropped and m is not outer and k <= m.first < end]
    if tokens[k].kind in ("BREAKDOWN", "RESTATE", "COLON") and not _next_label(tokens, outer, k):
        end = k + 1
        while end < len(tokens) and not (
            tokens[end].kind == "THEN"
            or (tokens[end].kind == "JOIN" and tokens[end].text.strip() == ";")
        ):
            end += 1
        return [m for m in money if not m.dropped and m is not outer and k < m.first < end]
    return []


@dataclass
class _Context:
    """What every step of the resolution sees: the tokens, the relation words, the flags."""

    tokens: list[_Token]
    relations: list[str]
    r: _Reader
    read: Callable[[_Money], _Part]
    reading: str = "parts added"


def _resolve(
    money: list[_Money], tokens: list[_Token], relations: list[str], r: _Reader, read
) -> str:
    """Decide how the amounts relate: mark the mentions not to count (`dropped`), raise the
    relation's flags, and return the name of the relation. Each step looks for one relation."""
    live = [m for m in money if not m.dropped]
    if len(live) == 1:
        m = live[0]
        if "RAMP" in relations:
            r.used.add("RAMP")
            r.flag("amount_ambiguous", "een oplopend bedrag: alleen het genoemde niveau is geteld")
        return (
            "count x unit price"
            if m.computed
            else ("range" if m.low != m.high else "single amount")
        )
    ctx = _Context(tokens, relations, r, read)
    for step in _STEPS:
        live = [m for m in money if not m.dropped]
        if len(live) < 2:
            break
        reading = step(live, ctx)
        if reading:
            ctx.reading = reading
    return ctx.reading


def _existing_budget(live: list[_Money], ctx: _Context) -> str | None:
    """Money that exists already ('bovenop de huidige € 200.000') is context, not the ask."""
    existing = [m for m in live if _before(ctx.tokens, m, {"EXISTING"}, 4)]
    if not existing or len(existing) == len(live):
        return None
    for m in existing:
        m.dropped = "existing budget"
    ctx.r.used.add("EXISTING")
    return "extra on top of an existing budget"


def _fte_with_its_cost(live: list[_Money], ctx: _Context) -> str | None:
    """'€ 65.000 voor 0,6 fte': an fte count in the clause of its own euros is that money's
    capacity, counted once (the euros), never again at the fte rate."""
    paired = False
    for f in [m for m in live if m.is_fte]:
        own = [
            m
            for m in live
            if not m.is_fte
            and not m.dropped
            and not _between(ctx.tokens, *sorted((m, f), key=lambda x: x.first), {"JOIN"})
            and not _between(ctx.tokens, *sorted((m, f), key=lambda x: x.first), {"THEN"})
            and m.depth <= f.depth  # '2 fte (€ 200.000)' is a total with its restatement
        ]
        if len(own) != 1:
            continue
        money = own[0]
        f.dropped = "fte with its cost"
        money.fte_count = (money.fte_count or 0.0) + f.low
        if _kind(money.keywords) == "none":
            money.keywords |= (f.keywords & set(_PERIOD_KINDS)) or {"PERYEAR"}
        if money.span is None and f.span is not None:
            money.span, money.duration = f.span, f.duration
        paired = True
    return "cost with its capacity" if paired else None


def _part_available(live: list[_Money], ctx: _Context) -> str | None:
    """'€ 90.000 nodig, waarvan € 10.000 al beschikbaar': the ask is the rest, € 80.000."""
    covered = [m for m in live if _after(ctx.tokens, m, {"AVAILABLE"}, 5)]
    if len(covered) != 1:
        return None
    part = covered[0]
    totals = [m for m in live if m is not part and m.low > part.high]
    if len(totals) != 1:
        return None
    total = totals[0]
    if ctx.read(total).kind != ctx.read(part).kind and _kind(part.keywords) != "none":
        ctx.r.flag(
            "amount_ambiguous",
            "het deel dat al gedekt is heeft een andere looptijd dan het totaal: afgetrokken",
        )
    total.low, total.high = total.low - part.high, total.high - part.low
    total.low, total.high = min(total.low, total.high), max(total.low, total.high)
    part.dropped = "part already covered"
    ctx.r.used |= {"AVAILABLE", "BREAKDOWN"}
    return "total less the part already covered"


_VAT_RATES = (1.21, 1.09)


def _vat_pair(live: list[_Money], ctx: _Context) -> str | None:
    """'€ 33.000 (€ 40.000 incl. btw)': one amount written without and with VAT; the amount
    the programme pays (incl. btw) is counted."""
    incl = [m for m in live if "_vatincl" in m.keywords]
    excl = [m for m in live if "_vatexcl" in m.keywords]
    if len(incl) != 1 or len(live) != 2:
        return None
    with_vat = incl[0]
    without = next(m for m in live if m is not with_vat)
    if excl and excl[0] is not without:
        return None
    ratio = with_vat.low / without.low if without.low else 0
    if not 1.0 < ratio <= 1.25:
        return None
    without.dropped = "the amount without VAT"
    if not any(abs(ratio - rate) <= 0.01 for rate in _VAT_RATES):
        ctx.r.flag(
            "amount_ambiguous",
            "de bedragen met en zonder btw verschillen niet met 21% of 9%: het bedrag met btw is geteld",
        )
    ctx.r.used |= {"VATINCL", "VATEXCL"}
    return "amount without and with VAT"


def _old_and_new(live: list[_Money], ctx: _Context) -> str | None:
    """An old and a new estimate ('was € 80.000, nu € 120.000'): keep the new one. 'Verhoogd
    met' is an increase, not a new level: added, and flagged."""
    if "RAMP" in ctx.relations:
        return None
    tokens = ctx.tokens
    olds = [
        m
        for m in live
        if _before(tokens, m, {"OLD"}, 4)
        or (
            m.depth > 0
            and any(
                t.kind == "OLD" and t.depth == m.depth
                for t in tokens[max(0, m.first - 3) : m.first]
            )
        )
    ]
    for a, b in zip(live, live[1:], strict=False):
        new_between = _between(tokens, a, b, {"NEW"}) and not _between(tokens, a, b, {"JOIN"})
        replaced = new_between or _before(tokens, b, {"NEW"}, 4)
        if replaced and not _increase(tokens, a, b) and all(a is not m for m in olds):
            olds.append(a)
    if not olds or len(olds) >= len(live):
        return None
    for m in olds:
        m.dropped = "old estimate"
    ctx.r.used |= {"OLD", "NEW"}
    return "old and new estimate"


def _increase(tokens: list[_Token], a: _Money, b: _Money) -> bool:
    """'verhoogd met € 20.000': the word before b is followed by 'met' (a change, not a level)."""
    window = tokens[a.last + 1 : b.first]
    return any(t.kind == "NEW" for t in window) and any(t.text == "met" for t in window)


def _total_with_breakdown(live: list[_Money], ctx: _Context) -> str | None:
    """A total followed by its breakdown or restatement (in parentheses, after 'waarvan', ':')."""
    reading = None
    for outer in list(live):
        if outer.dropped:
            continue
        inner = _inner_of(outer, [m for m in live if not m.dropped], ctx.tokens)
        if inner:
            reading = _explain(outer, inner, ctx)
            ctx.r.used |= {"BREAKDOWN", "RESTATE"}
    return reading


def _explain(outer: _Money, inner: list[_Money], ctx: _Context) -> str:
    """One total and the amounts that explain it: which to count, and the relation's name."""
    same_money = _same_money(outer, ctx.read(outer), inner, [ctx.read(m) for m in inner])
    for m in inner:
        m.dropped = "breakdown"
    if outer.is_fte and not any(m.is_fte for m in inner):
        # '2 fte (ca. € 200.000 per jaar)': the euros are the fte's cost, counted once
        outer.dropped = "fte with its cost"
        for m in inner:
            m.dropped = ""
            m.fte_count = outer.low
            if _kind(m.keywords) == "none":
                m.keywords |= (outer.keywords & set(_PERIOD_KINDS)) or {"PERYEAR"}
            if m.span is None and outer.span is not None:
                m.span, m.duration = outer.span, outer.duration
            m.from_year = m.from_year or outer.from_year
        return "capacity with its cost"
    if not outer.is_fte and all(m.is_fte for m in inner):
        outer.fte_count = sum(m.low for m in inner)
        if _kind(outer.keywords) == "none":
            outer.keywords.add("PERYEAR")  # capacity is yearly, so is its cost
        return "cost with its capacity"
    if same_money is None and _partial_breakdown(outer, inner, ctx.tokens):
        return "total with a part named"
    if same_money is None:
        ctx.r.flag(
            "amount_ambiguous",
            "de uitsplitsing telt niet op tot het genoemde bedrag: alleen het hoofdbedrag is geteld",
        )
        return "total with breakdown that does not add up"
    if same_money and len(inner) > 1 and _mixed_bases(inner):
        return _count_the_parts(outer, inner, ctx)
    if same_money:
        _inherit(outer, inner)
    return "total with breakdown" if len(inner) > 1 else "total with restatement"


def _mixed_bases(inner: list[_Money]) -> bool:
    """The parts of a breakdown differ in basis ('waarvan € 100.000 eenmalig en € 200.000
    structureel'): the total alone cannot say what the money is."""
    kinds = {_kind(m.keywords) for m in inner}
    return len(kinds) > 1 and kinds != {"none"}


def _count_the_parts(outer: _Money, inner: list[_Money], ctx: _Context) -> str:
    """The parts say what each is, so the parts are counted and the total is their sum; a
    total that names its own basis beside parts of other bases is flagged."""
    for m in inner:
        m.dropped = ""
    outer.dropped = "total of its parts"
    if _kind(outer.keywords - {"TOTAL"}) != "none":  # 'totaal' names no basis
        ctx.r.flag(
            "amount_ambiguous",
            "het totaal noemt een andere soort kosten dan zijn delen: de delen zijn geteld",
        )
    return "parts with their total"


def _total_among_parts(live: list[_Money], ctx: _Context) -> str | None:
    """A total among parts ('€ 50.000 + € 30.000, totaal € 80.000'): the total wins when the
    parts add up to it; otherwise flagged."""
    totals = [m for m in live if "TOTAL" in m.keywords]
    others = [m for m in live if "TOTAL" not in m.keywords]
    if len(totals) != 1 or not others:
        return None
    total, read, r = totals[0], ctx.read, ctx.r
    total_part = read(total)
    parts = [read(m) for m in others]
    if _close(sum(p.low for p in parts), total_part.low) and all(
        p.kind == "incidental" for p in parts
    ):
        for m in others:
            m.dropped = "breakdown"
        _inherit(total, others)
        yearly_parts = any("PERYEAR" in m.keywords for m in others)
        return "yearly amount and its period total" if yearly_parts else "total with breakdown"
    ctx.r.used |= {"BREAKDOWN", "RESTATE"}
    if len(parts) == 1 and (parts[0].kind == "structural" or others[0].duration or others[0].span):
        per_year = others[0]
        ratio = total_part.low / per_year.low if per_year.low else 0
        if parts[0].kind == "incidental" and _close(parts[0].low, total_part.low):
            total.dropped = "restatement"  # the yearly amount with its period is the same money
        elif ratio >= 2 and abs(ratio - round(ratio)) < 0.01:
            per_year.dropped = "yearly amount of the total"
            if per_year.from_year and not total.span:
                total.span = (per_year.from_year, per_year.from_year + round(ratio) - 1)
        else:
            per_year.dropped = "yearly amount of the total"
            r.flag(
                "amount_ambiguous",
                "het jaarbedrag en het totaal passen niet bij elkaar: het totaal is geteld",
            )
        return "yearly amount and its period total"
    for m in others:
        m.dropped = "breakdown"
    r.flag(
        "amount_ambiguous", "de delen tellen niet op tot het genoemde totaal: het totaal is geteld"
    )
    return "total with breakdown that does not add up"


def _restated_with_period(live: list[_Money], ctx: _Context) -> str | None:
    """A yearly amount with its period and its own total, without a marker."""
    if len(live) != 2:
        return None
    a, b = live
    pa, pb = ctx.read(a), ctx.read(b)
    one_limited = (
        pa.kind == "incidental" and (a.duration or a.span) and "PERYEAR" in a.keywords
    ) or (pb.kind == "incidental" and (b.duration or b.span) and "PERYEAR" in b.keywords)
    if (
        one_limited
        and not _between(ctx.tokens, a, b, {"JOIN"})
        and _close(pa.low, pb.low)
        and _close(pa.high, pb.high)
    ):
        (b if "PERYEAR" in a.keywords else a).dropped = "restatement"
        ctx.r.used.add("RESTATE")
        return "yearly amount and its period total"
    return None


def _same_figure_twice(live: list[_Money], ctx: _Context) -> str | None:
    """The same figure twice with nothing joining them ('12 fte à € 110.000 = € 1,32 mln')."""
    if len(live) != 2 or _between(ctx.tokens, live[0], live[1], {"JOIN", "THEN"}):
        return None
    a, b = live
    pa, pb = ctx.read(a), ctx.read(b)
    if pa.kind == pb.kind and _close(pa.low, pb.low) and _close(pa.high, pb.high):
        (b if a.computed or a.span or a.fte_count else a).dropped = "restatement"
        ctx.r.used.add("RESTATE")
        return "total with restatement"
    return None


def _then_yearly(live: list[_Money], ctx: _Context) -> str | None:
    """A one-off, then a yearly amount ('in 2025 € 300.000, daarna € 150.000 per jaar')."""
    if "THEN" not in ctx.relations:
        return None
    first, later = live[0], live[1:]
    if _kind(first.keywords) == "none":
        first.keywords.add("ONEOFF")
    last_year = (first.span or (None, first.from_year))[1]
    for m in later:
        if (
            _kind(m.keywords) == "structural"
            and not m.from_year
            and last_year
            and not m.span
            and not m.duration
        ):
            m.from_year = last_year + 1
    ctx.r.used |= {"THEN", "ONEYEAR"}
    return "one-off then yearly"


def _year_then_structural(live: list[_Money], ctx: _Context) -> str | None:
    """'in 2025 € 3 mln, vanaf 2026 structureel € 4 mln': the money of a year before a
    structural level starts is a one-off in that year."""
    starts = [ctx.read(m).start for m in live if ctx.read(m).kind == "structural"]
    starts = [s for s in starts if s]
    changed = False
    for m in live:
        if (
            m.single_year
            and m.span
            and _kind(m.keywords) == "none"
            and starts
            and m.span[0] < min(starts)
        ):
            m.keywords.add("ONEOFF")
            changed = True
    return "one-off then yearly" if changed else None


def _rising_path(live: list[_Money], ctx: _Context) -> str | None:
    """A rising path: its end level, the highest, is the structural amount (flagged), where it
    stands in the text ('oplopend tot € 1 mln' and '€ 1 mln, oplopend vanaf € 0,5 mln')."""
    if "RAMP" not in ctx.relations:
        return None
    final = max(live, key=lambda m: (m.high, m.low))
    for m in live:
        if m is not final:
            m.dropped = "step on the way"
    if _kind(final.keywords) == "none":
        final.keywords.add("STRUCTURAL")
    ctx.r.used.add("RAMP")
    ctx.r.flag(
        "amount_ambiguous",
        "een oplopend bedrag: het eindniveau is als structureel bedrag geteld, de tussenjaren niet",
    )
    return "rising to a structural level"


def _parts_added(live: list[_Money], ctx: _Context) -> str | None:
    """What is left is added; flagged when nothing in the text says they add up."""
    if ctx.reading != "parts added":
        return None
    tokens, read = ctx.tokens, ctx.read
    for a, b in zip(live, live[1:], strict=False):
        pa, pb = read(a), read(b)
        joined = _between(tokens, a, b, {"JOIN", "THEN"}) or a.clause != b.clause
        distinct = pa.kind != pb.kind or (pa.start != pb.start and pa.start and pb.start)
        labelled = _labelled(tokens, a, b)
        if (not joined and not distinct) or (not distinct and not labelled):
            ctx.r.flag(
                "amount_ambiguous",
                f"meerdere bedragen ({a.euros()}, {b.euros()}) zonder dat de tekst zegt hoe ze "
                "samenhangen: ze zijn opgeteld",
            )
            break
    ctx.r.used.add("JOIN")
    return None


def _labelled(tokens: list[_Token], a: _Money, b: _Money) -> bool:
    """Two parts are named ('personeel € 50.000, materiaal € 20.000') or joined by a word that
    adds ('en', 'plus', '+'), not only by a comma or semicolon."""
    between = tokens[a.last + 1 : b.first]
    if any(t.kind == "JOIN" and t.text.strip() not in (",", ";") for t in between):
        return True
    return any(t.kind == "WORD" for t in between)


_STEPS = (
    _existing_budget,
    _fte_with_its_cost,
    _part_available,
    _vat_pair,
    _old_and_new,
    _total_with_breakdown,
    _total_among_parts,
    _restated_with_period,
    _same_figure_twice,
    _then_yearly,
    _year_then_structural,
    _rising_path,
    _parts_added,
)


def _partial_breakdown(outer: _Money, inner: list[_Money], tokens: list[_Token]) -> bool:
    """'€ 1,75 mln, waarvan € 0,25 mln voor monitoring': a part of the total, named."""
    words = {t.text for t in tokens[outer.last + 1 : inner[0].first]}
    named = words & {"waarvan", "waaronder", "inclusief", "incl", "inbegrepen", "onder andere"}
    return bool(named) and sum(m.high for m in inner) < outer.low


def _same_money(
    outer: _Money, outer_part: _Part, inner: list[_Money], inner_parts: list[_Part]
) -> bool | None:
    """True: the inner amounts restate the outer one; False: the outer has its own period; None: they disagree."""
    total_low = sum(p.low for p in inner_parts)
    total_high = sum(p.high for p in inner_parts)
    if _close(total_low, outer_part.low) and _close(total_high, outer_part.high):
        return True
    if _close(total_low, outer.low) or _close(total_high, outer.high):
        return True
    # '€ 100.000 (€ 50.000 per jaar, 2 jaar)' read per mention may differ in kind; compare raw sums
    if _close(sum(m.low for m in inner), outer.low):
        return True
    if all(m.is_fte for m in inner):
        return False
    years = outer.duration or (outer.span[1] - outer.span[0] + 1 if outer.span else None)
    yearly = all("PERYEAR" in m.keywords and not (m.duration or m.span) for m in inner)
    if years and yearly and _close(sum(m.low for m in inner) * years, outer.low):
        return True  # '€ 450.000 in drie jaar (€ 150.000 per jaar)'
    return None


def _inherit(outer: _Money, inner: list[_Money]) -> None:
    """The outer amount takes the period the breakdown states, when it states none itself."""
    if outer.span is None:
        spans = [m.span for m in inner if m.span]
        if spans and len(spans) == len(inner):
            outer.span = (min(a for a, _ in spans), max(b for _, b in spans))
    if _kind(outer.keywords) != "none":
        return
    if any("PERYEAR" in m.keywords for m in inner) and (outer.duration or outer.span):
        outer.keywords.add("TOTAL")  # a total over its years, restated per year
        return
    limited = [m for m in inner if m.duration or m.span]
    if limited and all("PERYEAR" in m.keywords for m in limited):
        # '€ 600.000 (3 jaar à € 200.000)': the outer amount is the total over that period
        outer.keywords.add("TOTAL")
        m = limited[0]
        if m.span:
            outer.span = m.span
        return
    dated = [m.span for m in inner if m.span]
    if dated and len(dated) == len(inner):
        # '€ 1,2 mln (2024: € 400.000; 2025: € 800.000)': a total over those years
        outer.keywords.add("TOTAL")
        outer.span = (min(a for a, _ in dated), max(b for _, b in dated))
        return
    kinds = {_kind(m.keywords) for m in inner}
    if len(kinds) == 1 and kinds != {"none"}:
        outer.keywords |= {k for m in inner for k in m.keywords if k in _PERIOD_KINDS}
