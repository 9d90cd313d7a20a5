"""Queue metrics, computed in the database from the kiosk's append-only ``ticket_events`` log.

This module is where "what median wait means" lives. Definitions (also in reports/README.md):

- A ticket belongs to the period of the local business date of its ``issued`` event (Asia/Bangkok by
  default): a ticket taken at 23:50 on 31 Dec and served at 00:10 belongs to 31 Dec. All of its later
  events (calls, completion, a rating given days later) count with it.
- **wait** = first ``called`` − ``issued`` (a recall, a park/unpark or a transfer does not restart it).
- **service time** = ``completed`` − first ``called`` (for a transferred ticket it spans the transfer).
- issued = tickets issued; served = tickets with a ``completed`` event; no-show / cancelled = tickets with
  that event; transferred = tickets transferred at least once (they may also be served); open = none of
  completed / no-show / cancelled yet.
- mean, median, p90, max over the tickets that have the duration. Median and p90 are *continuous*
  percentiles (linear interpolation between ranks, PostgreSQL's ``percentile_cont``), computed the same
  way on both databases (below).
- served within target = served tickets whose wait ≤ the target (``REPORT_TARGET_WAIT_MINUTES``, default
  15); the share divides by served tickets.
- by counter / by staff member = the counter and user of the ticket's *first* call (who took the citizen
  from the queue); by service = the service the ticket was issued for; hour of day = local hour of issue;
  weekday = ISO weekday of the business date (1 = Monday).
- priority share = priority tickets ÷ issued; the priority lane's waits are in ``by_priority``.
- satisfaction = the ``rated`` events' scores (1–5) of the period's tickets.

How (measured in reports/README.md "Benchmark"):
- A ticket's facts (one row: day, hour, service, first call's counter and user, wait, service time, outcome
  flags, score) come from one ``INSERT … SELECT`` that aggregates its events. For closed business days they
  are kept in ``report_ticket_facts`` by :mod:`reports.rollup` (brought up to date from the event log before
  each computation, so late events — a completion after midnight, a rating days later — are in); the days
  not rolled up yet (today) are aggregated from the log into a temporary table.
- Counts, sums and maxima: one ``GROUP BY`` of the period's facts into a small temporary cube (day × hour ×
  service × counter × staff × priority); every grouping is then a ``GROUP BY`` over the cube.
- Median and p90, exact: the per-day one-minute histograms (``report_duration_hist``) say in which bucket the
  two ranks around each percentile fall; only the tickets of those few buckets are read (by index), one
  bucket at a time in order of duration, and counted per grouping key as they stream past until the last
  rank wanted. The longest waits are read the same way: from the highest buckets only.
Memory does not grow with the number of tickets: the only rows Python sees are those streamed buckets'.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Float,
    Integer,
    MetaData,
    Table,
    and_,
    case,
    func,
    insert,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session

from kiosk.models import Counter, EventType, Service, TicketEvent
from reports.facts import (  # noqa: F401 (FACT_COLUMNS … are part of this module's public names)
    BUCKET_S,
    DIMS,
    FACT_COLUMNS,
    MEASURES,
    bucket_of,
    facts_select,
    fixed_offset_seconds,
    histogram_selects,
    iso_weekday,
    local_hour,
    seconds_between,
)
from reports.facts import is_postgresql as _is_pg
from reports.models import DurationHistogram, TicketFact
from tambon.auth.models import User

DEFAULT_TARGET_WAIT_MINUTES = 15
NO_KEY = -1  # a NULL key (not called: no counter, no user) in the percentile work tables

_meta = MetaData()
OPEN = Table(   # facts of the period's days that are not rolled up (today), from the event log
    "rpt_open_facts", _meta,
    *[Column(name, Date if name == "day" else Float if name in ("wait_s", "service_s") else Integer)
      for name in FACT_COLUMNS],
    prefixes=["TEMPORARY"],
)
CUBE_KEYS = ("day", "weekday", "hour", "service_id", "counter_id", "user_id", "priority")
CUBE_SUMS = ("issued", "served", "no_show", "transferred", "cancelled", "open", "prio", "within", "rated",
             "score_sum", "s1", "s2", "s3", "s4", "s5", "wait_n", "wait_sum", "wait_max", "service_n",
             "service_sum", "service_max")
CUBE = Table(
    "rpt_cube", _meta,
    *[Column(name, Date if name == "day" else Integer) for name in CUBE_KEYS],
    *[Column(name, Float if name.endswith(("_sum", "_max")) else Integer) for name in CUBE_SUMS],
    prefixes=["TEMPORARY"],
)
WORK_TABLES = (OPEN, CUBE)


def _recreate(session: Session, *tables: Table) -> None:
    conn = session.connection()
    for table in tables:
        conn.execute(text(f"DROP TABLE IF EXISTS {table.name}"))
        table.create(conn)


def _drop_work_tables(session: Session) -> None:
    conn = session.connection()
    for table in WORK_TABLES:
        conn.execute(text(f"DROP TABLE IF EXISTS {table.name}"))


def _tables(rolled: tuple[date, date] | None) -> list[tuple[Table, Any]]:
    """Where the period's facts are: (table, condition) — the rolled-up days in report_ticket_facts, the
    others in OPEN (the two never share a day)."""
    fact = typing.cast(Table, TicketFact.__table__)
    return ([(fact, fact.c.day.between(*rolled))] if rolled else []) + [(OPEN, None)]


def _sources(rolled: tuple[date, date] | None, extra: Callable[[Any], Any] | None = None,
             columns: Iterable[str] = FACT_COLUMNS) -> list:
    """SELECTs of the period's facts, one per table of _tables."""
    names = list(columns)
    parts = []
    for table, cond in _tables(rolled):
        stmt = select(*[table.c[n] for n in names])
        if cond is not None:
            stmt = stmt.where(cond)
        if extra is not None:
            stmt = stmt.where(extra(table))
        parts.append(stmt)
    return parts


def _source(rolled, extra=None, columns: Iterable[str] = FACT_COLUMNS):
    parts = _sources(rolled, extra, columns)
    if len(parts) == 1:
        return parts[0].subquery("facts")
    return union_all(*parts).subquery("facts")


# --- counts, sums, maxima: the cube ---------------------------------------------------------------------

def _build_cube(session: Session, rolled, target_s: float) -> None:
    """One GROUP BY per source (the rolled-up days stream in order from report_ticket_facts' covering index;
    the days are disjoint, so are the cube's rows)."""
    def count_if(cond):
        return func.sum(case((cond, 1), else_=0))

    for table, cond in _tables(rolled):
        c = table.c
        stmt = select(
            *[c[k] for k in CUBE_KEYS],
            func.count(), func.sum(c.served), func.sum(c.no_show), func.sum(c.transferred), func.sum(c.cancelled),
            count_if(and_(c.served == 0, c.no_show == 0, c.cancelled == 0)), func.sum(c.priority),
            count_if(and_(c.served == 1, c.wait_s <= target_s)), func.count(c.score), func.sum(c.score),
            *[count_if(c.score == s) for s in range(1, 6)],
            func.count(c.wait_s), func.sum(c.wait_s), func.max(c.wait_s),
            func.count(c.service_s), func.sum(c.service_s), func.max(c.service_s),
        ).group_by(*[c[k] for k in CUBE_KEYS])
        if cond is not None:
            stmt = stmt.where(cond)
        session.execute(insert(CUBE).from_select(list(CUBE_KEYS + CUBE_SUMS), stmt))


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _round(value, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)


def _counts(session: Session, dim: str | None, target_s: float, pct: dict) -> dict[tuple, dict]:
    """Every count and duration figure per key of one grouping (None: all tickets), from the cube."""
    c = CUBE.c
    keys = [c[dim]] if dim else []
    d = DIMS.index(dim)
    stmt = select(*keys, *[func.sum(c[n]) for n in CUBE_SUMS if not n.endswith("_max")],
                  func.max(c.wait_max), func.max(c.service_max)).group_by(*keys)
    out = {}
    sums = [n for n in CUBE_SUMS if not n.endswith("_max")]
    for row in session.execute(stmt):
        key = tuple(row[: len(keys)])
        values = dict(zip(sums + ["wait_max", "service_max"], row[len(keys):], strict=True))
        if not values["issued"]:
            continue  # an aggregate over no rows (no grouping keys) still returns one row of NULLs
        issued, served, within = int(values["issued"]), int(values["served"]), int(values["within"])
        rated, prio = int(values["rated"]), int(values["prio"])
        row_out: dict[str, Any] = {
            "issued": issued, "served": served, "no_show": int(values["no_show"]),
            "transferred": int(values["transferred"]), "cancelled": int(values["cancelled"]),
            "open": int(values["open"]), "priority": prio, "priority_share": _share(prio, issued),
            "served_within_target": within, "served_within_target_share": _share(within, served),
            "rated": rated, "rating_mean": _round(values["score_sum"] / rated, 2) if rated else None,
        }
        for m, name in enumerate(("wait", "service")):
            n = int(values[f"{name}_n"] or 0)
            if not n:
                row_out[name] = dict(EMPTY_DURATION)
                continue
            median, p90 = pct.get((m, d, key[0] if key else 0), (None, None))
            row_out[name] = {"n": n, "mean": _round(values[f"{name}_sum"] / n), "median": _round(median),
                             "p90": _round(p90), "max": _round(values[f"{name}_max"])}
        out[key] = row_out
    return out


EMPTY_DURATION = {"n": 0, "mean": None, "median": None, "p90": None, "max": None}


# --- median and p90: histogram, then only the buckets that hold the ranks -------------------------------

PERCENTILES = (0.5, 0.9)


def _histogram(session: Session, rolled, has_open: bool, dims: list[int]) -> list[tuple]:
    """(measure, dim, key, bucket, n) over the period for the groupings numbered dims (DIMS' positions),
    ordered by bucket within each (measure, dim, key)."""
    parts = []
    h = typing.cast(Table, DurationHistogram.__table__)
    if rolled:
        parts.append(select(h.c.measure, h.c.dim, h.c.key, h.c.bucket, h.c.n)
                     .where(h.c.day.between(*rolled), h.c.dim.in_(dims)))
    if has_open:
        parts += histogram_selects(OPEN, dims=dims)
    if not parts:
        return []
    u = parts[0].subquery("h") if len(parts) == 1 else union_all(*parts).subquery("h")
    stmt = (select(u.c.measure, u.c.dim, u.c.key, u.c.bucket, func.sum(u.c.n))
            .group_by(u.c.measure, u.c.dim, u.c.key, u.c.bucket)
            .order_by(u.c.measure, u.c.dim, u.c.key, u.c.bucket))
    return [tuple(r) for r in session.execute(stmt)]


def _targets(hist: list[tuple]) -> tuple[list[dict], dict]:
    """From the histogram: which (bucket, rank in bucket) each percentile needs, and how to combine them."""
    targets: dict[tuple, dict] = {}
    plan: dict[tuple, list] = {}
    group: list[tuple] = []

    def flush():
        if not group:
            return
        m, d, key = group[0][:3]
        total = sum(int(r[4]) for r in group)
        edges = []   # (bucket, rank of its first ticket)
        seen = 0
        for r in group:
            edges.append((r[3], seen + 1, int(r[4])))
            seen += int(r[4])

        def locate(rank: int) -> tuple:
            for bucket, first, n in edges:
                if first <= rank < first + n:
                    return bucket, rank - first + 1
            raise AssertionError("rank outside the histogram")

        for p in PERCENTILES:
            x = p * (total - 1)
            low = math.floor(x)
            frac = x - low
            ranks = [low + 1] + ([low + 2] if frac > 0 else [])
            picks = []
            for rank in ranks:
                bucket, rn = locate(rank)
                k = (m, d, NO_KEY if key is None else key, bucket, rn)
                targets[k] = {"measure": m, "dim": d, "key": k[2], "bucket": bucket, "rn": rn}
                picks.append(k)
            plan.setdefault((m, d, key), []).append((picks, frac))

    for row in hist:
        if group and tuple(row[:3]) != tuple(group[0][:3]):
            flush()
            group = []
        group.append(row)
    flush()
    return list(targets.values()), plan


def _percentiles(session: Session, rolled, hist: list[tuple]) -> dict[tuple, tuple]:
    """{(measure, dim, key): (median, p90)} — exact continuous percentiles (percentile_cont)."""
    targets, plan = _targets(hist)
    sizes = {(m, b, d, NO_KEY if key is None else key): int(n) for m, d, key, b, n in hist}
    values: dict[tuple, Any] = {}
    for m, (value, bucket) in enumerate(MEASURES):
        wanted: dict[int, dict[tuple[int, Any], set[int]]] = {}   # bucket → (dim, key) → ranks in the bucket
        for t in targets:
            if t["measure"] == m:
                wanted.setdefault(t["bucket"], {}).setdefault((t["dim"], t["key"]), set()).add(t["rn"])
        for b, ranks in sorted(wanted.items()):
            counts = {k: sizes[(m, b, *k)] for k in ranks}
            for (d, key, rn), v in _ranks_in_bucket(session, rolled, value, bucket, b, ranks, counts).items():
                values[(m, d, key, b, rn)] = v
    out = {}
    for (m, d, key), picks in plan.items():
        result = []
        for keys, frac in picks:
            low = values[keys[0]]
            result.append(low if len(keys) == 1 else low + (values[keys[1]] - low) * frac)
        out[(m, d, key)] = tuple(result)
    return out


def _ranks_in_bucket(session: Session, rolled, value: str, bucket: str, b: int,
                     ranks: dict[tuple[int, Any], set[int]], counts: dict[tuple[int, Any], int]) -> dict[tuple, float]:
    """The wanted ranks of one bucket: its tickets in order of duration (read through the (bucket, day, …)
    index and sorted, one bucket at a time), counted per grouping key as they stream past; the read stops
    at the last rank wanted. This work is here rather than in a database sort per rank: in the report
    worker it runs at the worker's low priority, while a PostgreSQL backend's work does not.
    ranks: (dim, key) → ranks wanted; counts: (dim, key) → its tickets in this bucket (the histogram's)."""
    # Read from the end of the bucket nearer to the ranks wanted: the read stops at the last of them.
    upward = max(max(r) / counts[k] for k, r in ranks.items())
    downward = max((counts[k] - min(r) + 1) / counts[k] for k, r in ranks.items())
    descending = downward < upward
    if descending:
        ranks = {k: {counts[k] - rank + 1 for rank in r} for k, r in ranks.items()}
    parts = _sources(rolled, lambda tbl: tbl.c[bucket] == b, columns=[value, *(d for d in DIMS if d)])
    u = parts[0].subquery("b") if len(parts) == 1 else union_all(*parts).subquery("b")
    # Per grouping that wants a rank here: {its key as the row holds it: the ranks wanted}; the row's
    # column d is DIMS[d] (column 0, the duration, stands for "all tickets", whose key is 0).
    by_dim: dict[int, dict[Any, set[int]]] = {}
    for (d, key), rank_set in ranks.items():
        by_dim.setdefault(d, {})[None if key == NO_KEY else key] = rank_set
    checks = list(by_dim.items())
    left = sum(len(r) for r in ranks.values())
    seen: dict[tuple[int, Any], int] = {}
    found: dict[tuple, float] = {}
    order = u.c[value].desc() if descending else u.c[value]
    rows = session.execute(select(u).order_by(order), execution_options={"yield_per": 2000})
    try:
        for row in rows:
            for d, keys in checks:
                key = 0 if d == 0 else row[d]
                wanted = keys.get(key)
                if wanted is None:
                    continue
                n = seen[d, key] = seen.get((d, key), 0) + 1
                if n in wanted:
                    k = (d, NO_KEY if key is None else key)
                    found[(*k, counts[k] - n + 1 if descending else n)] = row[0]
                    left -= 1
            if not left:
                break
    finally:
        rows.close()
    return found


def _worst_waits(session: Session, rolled, hist: list[tuple], worst: int) -> list:
    """The `worst` longest waits. They lie in the highest wait buckets that hold `worst` tickets between
    them (the histogram says which), so only those tickets are read, by the (bucket, day, …) index."""
    if worst <= 0:
        return []
    count, floor = 0, None
    for m, d, _key, b, n in reversed(hist):
        if (m, d) != (0, 0):
            continue
        count, floor = count + int(n), b
        if count >= worst:
            break
    if floor is None:
        return []
    src = _source(rolled, lambda tbl: tbl.c.wait_b >= floor,
                  columns=["ticket_id", "day", "hour", "wait_s", "service_id", "priority"])
    return list(session.execute(select(src).order_by(src.c.wait_s.desc(), src.c.ticket_id).limit(worst)).all())


# --- the public function ------------------------------------------------------------------------------

# The figures' groupings: the result's key → the facts' column (DIMS).
GROUPINGS = {"by_service": "service_id", "by_counter": "counter_id", "by_staff": "user_id",
             "by_weekday": "weekday", "by_hour": "hour", "by_priority": "priority"}

def queue_figures(session: Session, start: date, end: date, *, tz: str = "Asia/Bangkok",
                  target_wait_minutes: float = DEFAULT_TARGET_WAIT_MINUTES, busiest: int = 5,
                  worst: int = 5, rollup: bool = True, today: date | None = None,
                  groupings: Iterable[str] = tuple(GROUPINGS)) -> dict[str, Any]:
    """Every queue figure for the local business dates start…end (inclusive). Plain JSON-ready dict;
    durations in seconds. ``rollup=False`` computes everything from the event log (the reference the
    rollup is tested against); ``today`` (default: the local date now) is the first day not rolled up;
    ``groupings``: which of GROUPINGS to compute (a comparison with the quarter before needs none of them:
    their lists come back empty)."""
    if end < start:
        raise ValueError("end before start")
    unknown = set(groupings) - set(GROUPINGS)
    if unknown:
        raise ValueError(f"unknown groupings {sorted(unknown)}")
    dims = [None, *(GROUPINGS[g] for g in GROUPINGS if g in set(groupings))]
    target_s = float(target_wait_minutes) * 60
    through = None
    if rollup:
        from reports.rollup import refresh

        through = refresh(session, tz=tz, today=today)
    rolled = (start, min(end, through)) if through is not None and through >= start else None
    open_from = start if rolled is None else rolled[1] + timedelta(days=1)
    c = CUBE.c
    try:
        if _is_pg(session):
            session.execute(text("SET LOCAL work_mem = '64MB'"))
        _recreate(session, *WORK_TABLES)
        has_open = open_from <= end
        if has_open:
            offset_s = fixed_offset_seconds(open_from, end, tz)
            session.execute(insert(OPEN).from_select(list(FACT_COLUMNS), facts_select(
                session, tz, offset_s, lambda i: i.c.business_date.between(open_from, end))))
        _build_cube(session, rolled, target_s)
        hist = _histogram(session, rolled, has_open, [DIMS.index(d) for d in dims])
        pct = _percentiles(session, rolled, hist)
        groups = {dim: _counts(session, dim, target_s, pct) if dim in dims else {} for dim in DIMS}
        totals = groups[None].get((), None) or _empty_row()
        daily = session.execute(select(c.day, func.sum(c.issued), func.sum(c.served), func.sum(c.wait_sum),
                                       func.sum(c.wait_n)).group_by(c.day).order_by(c.day)).all()
        heat = session.execute(select(c.weekday, c.hour, func.sum(c.issued)).group_by(c.weekday, c.hour)).all()
        busiest_rows = session.execute(select(c.day, func.sum(c.issued).label("n")).group_by(c.day)
                                       .order_by(func.sum(c.issued).desc(), c.day).limit(busiest)).all()
        ratings = session.execute(select(*[func.sum(c[f"s{s}"]) for s in range(1, 6)])).one()
        worst_rows = _worst_waits(session, rolled, hist, worst)
    finally:
        _drop_work_tables(session)

    names = _names(session)
    labels = _ticket_labels(session, [r.ticket_id for r in worst_rows])
    issued_at = _issued_at(session, [r.ticket_id for r in worst_rows])
    hours = sorted({h for _w, h, _n in heat})
    heat_rows = []
    heat_index = {(w, h): int(n) for w, h, n in heat}
    for weekday in range(1, 8):
        counts = [heat_index.get((weekday, h), 0) for h in hours]
        if any(counts):
            heat_rows.append({"weekday": weekday, "counts": counts})

    def keyed(groups: dict, kind: str) -> list[dict]:
        rows = []
        for (key,), row in sorted(groups.items(), key=lambda kv: (kv[0][0] is None, kv[0][0] or 0)):
            rows.append({"key": key, **names_for(kind, key, names), **row})
        return rows

    by_hour_rows = keyed(groups["hour"], "hour")
    worst_hours = sorted((r for r in by_hour_rows if r["wait"]["n"]),
                         key=lambda r: (-(r["wait"]["p90"] or 0), r["key"]))[:3]
    distribution = {str(s): int(n or 0) for s, n in zip(range(1, 6), ratings, strict=True)}
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat(), "tz": tz,
                   "target_wait_minutes": target_wait_minutes},
        "totals": totals,
        "by_service": keyed(groups["service_id"], "service"),
        "by_counter": keyed(groups["counter_id"], "counter"),
        "by_staff": keyed(groups["user_id"], "staff"),
        "by_weekday": keyed(groups["weekday"], "weekday"),
        "by_hour": by_hour_rows,
        "by_priority": [{"key": bool(k), **row} for (k,), row in sorted(groups["priority"].items())],
        "daily": [{"day": _as_date(day).isoformat(), "issued": int(issued), "served": int(served),
                   "mean_wait": _round(wait_sum / wait_n) if wait_n else None}
                  for day, issued, served, wait_sum, wait_n in sorted(daily, key=lambda r: _as_date(r[0]))],
        "heatmap": {"hours": hours, "rows": heat_rows},
        "busiest_days": [{"day": _as_date(day).isoformat(), "issued": int(n)} for day, n in busiest_rows],
        "worst_waits": [{"ticket": labels.get(r.ticket_id, str(r.ticket_id)), "day": _as_date(r.day).isoformat(),
                         "hour": r.hour, "issued_at": issued_at.get(r.ticket_id), "wait": _round(r.wait_s), "priority": bool(r.priority),
                         **names_for("service", r.service_id, names)} for r in worst_rows],
        "worst_hours": worst_hours,
        "ratings": {"count": sum(distribution.values()), "mean": totals["rating_mean"],
                    "distribution": distribution},
    }


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _empty_row() -> dict:
    return {"issued": 0, "served": 0, "no_show": 0, "transferred": 0, "cancelled": 0, "open": 0,
            "priority": 0, "priority_share": None, "served_within_target": 0,
            "served_within_target_share": None, "rated": 0, "rating_mean": None,
            "wait": dict(EMPTY_DURATION), "service": dict(EMPTY_DURATION)}


WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _names(session: Session) -> dict[str, dict]:
    """Display names of the (few) services, counters and staff: a dimension lookup, not a ticket read."""
    return {
        "service": {sid: (code, th, en) for sid, code, th, en in
                    session.execute(select(Service.id, Service.code, Service.name_th, Service.name_en))},
        "counter": {cid: (str(cid), th, en or th) for cid, th, en in
                    session.execute(select(Counter.id, Counter.name, Counter.name_en))},
        "staff": {uid: (name, disp, disp) for uid, name, disp in
                  session.execute(select(User.id, User.username, User.display_name))},
    }


def names_for(kind: str, key, names: dict) -> dict:
    from tambon.thaidate import WEEKDAYS_TH

    if kind == "weekday" and key:
        return {"code": str(key), "name_th": WEEKDAYS_TH[key - 1], "name_en": WEEKDAYS_EN[key - 1]}
    if kind == "hour" and key is not None:
        return {"code": f"{key:02d}", "name_th": f"{key:02d}:00–{key:02d}:59 น.", "name_en": f"{key:02d}:00–{key:02d}:59"}
    if key is None:
        return {"code": "", "name_th": "ยังไม่ได้เรียก", "name_en": "not called"}
    code, th, en = names.get(kind, {}).get(key, (str(key), str(key), str(key)))
    return {"code": code, "name_th": th, "name_en": en}


def _ticket_labels(session: Session, ticket_ids: list[int]) -> dict[int, str]:
    """Ticket numbers (immutable) of the few worst waits."""
    if not ticket_ids:
        return {}
    from kiosk.models import Ticket

    return dict(session.execute(select(Ticket.id, Ticket.label).where(Ticket.id.in_(ticket_ids))).all())


def _issued_at(session: Session, ticket_ids: list[int]) -> dict[int, str]:
    """When each of the few worst-wait tickets was issued (ISO, UTC): documents print the local time."""
    if not ticket_ids:
        return {}
    rows = session.execute(select(TicketEvent.ticket_id, func.min(TicketEvent.at))
                           .where(TicketEvent.ticket_id.in_(ticket_ids), TicketEvent.type == EventType.ISSUED.value)
                           .group_by(TicketEvent.ticket_id)).all()
    return {tid: (at if at.tzinfo else at.replace(tzinfo=UTC)).isoformat() for tid, at in rows if at is not None}


def first_ticket_at(session: Session) -> datetime | None:
    """When the electronic queue issued its first ticket (measure 4: the date the queue started)."""
    value = session.scalar(select(func.min(TicketEvent.at)).where(TicketEvent.type == EventType.ISSUED.value))
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def week_bounds(day: date) -> tuple[date, date]:
    """Monday–Sunday week containing day."""
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)
