"""Several amounts in one text: which to count, which explain or replace another."""

from __future__ import annotations

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
    if tokens[k].kind in ("BREAKDOWN", "RESTATE", "COLON"):
        end = k + 1
        while end < len(tokens) and not (
            tokens[end].kind == "THEN"
            or (tokens[end].kind == "JOIN" and tokens[end].text.strip() == ";")
        ):
            end += 1
        return [m for m in money if not m.dropped and m is not outer and k < m.first < end]
    return []


def _resolve(
    money: list[_Money], tokens: list[_Token], relations: list[str], r: _Reader, read
) -> str:
    """Decide how the amounts relate: mark the mentions not to count (`dropped`), raise the
    relation's flags, and return the name of the relation."""
    live = [m for m in money if not m.dropped]
    if len(live) == 1:
        m = live[0]
        if "RAMP" in relations:
            r.flag("amount_ambiguous", "een oplopend bedrag: alleen het genoemde niveau is geteld")
        return (
            "count x unit price"
            if m.computed
            else ("range" if m.low != m.high else "single amount")
        )

    reading = "parts added"
    # 0. money that exists already ('bovenop de huidige € 200.000') is context, not the ask
    existing = [m for m in live if _before(tokens, m, {"EXISTING"}, 4)]
    if existing and len(existing) < len(live):
        for m in existing:
            m.dropped = "existing budget"
        reading = "extra on top of an existing budget"
        live = [m for m in live if not m.dropped]
    # 1. an old and a new estimate: keep the new one
    olds = (
        []
        if "RAMP" in relations
        else [
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
    )
    for a, b in zip(live, live[1:], strict=False):
        if "RAMP" in relations:
            break
        if _between(tokens, a, b, {"NEW"}) and not _between(tokens, a, b, {"JOIN"}):
            olds.append(a)
    if olds and len(olds) < len(live):
        for m in olds:
            m.dropped = "old estimate"
        reading = "old and new estimate"
        live = [m for m in live if not m.dropped]

    # 2. a total followed by its breakdown or restatement (in parentheses, after 'waarvan', ':')
    for outer in list(live):
        if outer.dropped:
            continue
        inner = _inner_of(outer, live, tokens)
        if not inner:
            continue
        outer_part = read(outer)
        inner_parts = [read(m) for m in inner]
        same_money = _same_money(outer, outer_part, inner, inner_parts)
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
            reading = "capacity with its cost"
        elif not outer.is_fte and all(m.is_fte for m in inner):
            outer.fte_count = sum(m.low for m in inner)
            if _kind(outer.keywords) == "none":
                outer.keywords.add("PERYEAR")  # capacity is yearly, so is its cost
            reading = "cost with its capacity"
        elif same_money is None and _partial_breakdown(outer, inner, tokens):
            reading = "total with a part named"
        elif same_money is None:
            r.flag(
                "amount_ambiguous",
                "de uitsplitsing telt niet op tot het genoemde bedrag: alleen het hoofdbedrag is geteld",
            )
            reading = "total with breakdown that does not add up"
        else:
            if same_money:
                _inherit(outer, inner)
            reading = "total with breakdown" if len(inner) > 1 else "total with restatement"
        live = [m for m in live if not m.dropped]

    # 3. a total among parts: the total wins when the parts add up to it
    if len(live) > 1:
        totals = [m for m in live if "TOTAL" in m.keywords]
        others = [m for m in live if "TOTAL" not in m.keywords]
        if len(totals) == 1 and others:
            total = totals[0]
            total_part = read(total)
            parts = [read(m) for m in others]
            yearly = [p for p in parts if p.kind == "structural"]
            if _close(sum(p.low for p in parts), total_part.low) and all(
                p.kind == "incidental" for p in parts
            ):
                for m in others:
                    m.dropped = "breakdown"
                _inherit(total, others)
                yearly_parts = any("PERYEAR" in m.keywords for m in others)
                reading = (
                    "yearly amount and its period total" if yearly_parts else "total with breakdown"
                )
            elif len(parts) == 1 and (yearly or others[0].duration or others[0].span):
                per_year = others[0]
                ratio = total_part.low / per_year.low if per_year.low else 0
                if parts[0].kind == "incidental" and _close(parts[0].low, total_part.low):
                    total.dropped = (
                        "restatement"  # the yearly amount with its period is the same money
                    )
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
                reading = "yearly amount and its period total"
            else:
                for m in others:
                    m.dropped = "breakdown"
                r.flag(
                    "amount_ambiguous",
                    "de delen tellen niet op tot het genoemde totaal: het totaal is geteld",
                )
                reading = "total with breakdown that does not add up"
            live = [m for m in live if not m.dropped]

    # 4. restatement without a marker: a yearly amount with a period and its own total
    if len(live) == 2:
        a, b = live
        pa, pb = read(a), read(b)
        one_limited = (
            pa.kind == "incidental" and (a.duration or a.span) and "PERYEAR" in a.keywords
        ) or (pb.kind == "incidental" and (b.duration or b.span) and "PERYEAR" in b.keywords)
        if (
            one_limited
            and not _between(tokens, a, b, {"JOIN"})
            and _close(pa.low, pb.low)
            and _close(pa.high, pb.high)
        ):
            (b if "PERYEAR" in a.keywords else a).dropped = "restatement"
            reading = "yearly amount and its period total"
            live = [m for m in live if not m.dropped]

    # 4b. the same figure twice with nothing joining them ('12 fte à € 110.000 = € 1,32 mln')
    if len(live) == 2 and not _between(tokens, live[0], live[1], {"JOIN", "THEN"}):
        a, b = live
        pa, pb = read(a), read(b)
        if pa.kind == pb.kind and _close(pa.low, pb.low) and _close(pa.high, pb.high):
            (b if a.computed or a.span or a.fte_count else a).dropped = "restatement"
            reading = "total with restatement"
            live = [m for m in live if not m.dropped]

    # 5. a one-off, then a yearly amount ('in 2025 € 300.000, daarna € 150.000 per jaar')
    if "THEN" in relations and len(live) >= 2:
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
        reading = "one-off then yearly"

    # 6. a rising path: the last level is the structural amount
    if "RAMP" in relations and len(live) >= 2:
        final = live[-1]
        for m in live[:-1]:
            m.dropped = "step on the way"
        if _kind(final.keywords) == "none":
            final.keywords.add("STRUCTURAL")
        r.flag(
            "amount_ambiguous",
            "een oplopend bedrag: het eindniveau is als structureel bedrag geteld, de tussenjaren niet",
        )
        reading = "rising to a structural level"
        live = [final]

    # 7. what is left is added; say so when nothing in the text says they add up
    if len(live) > 1 and reading == "parts added":
        for a, b in zip(live, live[1:], strict=False):
            pa, pb = read(a), read(b)
            joined = _between(tokens, a, b, {"JOIN", "THEN"}) or a.clause != b.clause
            distinct = pa.kind != pb.kind or (pa.start != pb.start and pa.start and pb.start)
            if not joined and not distinct:
                r.flag(
                    "amount_ambiguous",
                    "meerdere bedragen zonder dat de tekst zegt hoe ze samenhangen: ze zijn opgeteld",
                )
                break
    return reading


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
