"""The names of services and counters, as every ticket answer and every display call shows them.

Every counter action's answer and every call on the TVs needs a service's code and names and a counter's
names. Reading them from the database each time cost a read transaction per request (about a sixth of a
counter action's CPU). They change a few times a year, from the admin pages, so each process keeps the
whole (small) directory for a few seconds:

- a change made through ``kiosk.setup`` is seen at once in the process that made it (``forget``);
- other processes see it within ``TTL_SECONDS``; only names can be stale that long — whether a service is
  open or a counter active is always read from the database by the queue itself.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kiosk.models import Counter, Service

TTL_SECONDS = 10.0


class ServiceNames(NamedTuple):
    code: str
    name_th: str
    name_en: str


class CounterNames(NamedTuple):
    name: str
    name_en: str
    spoken_name: str


@dataclass(frozen=True)
class _Directory:
    expires: float
    services: dict[int, ServiceNames]
    counters: dict[int, CounterNames]


# One directory per database (tests run many apps, each on its own database, in one process).
_directories: weakref.WeakKeyDictionary[Engine, _Directory] = weakref.WeakKeyDictionary()
_lock = threading.Lock()

_SERVICES = select(Service.id, Service.code, Service.name_th, Service.name_en)
_COUNTERS = select(Counter.id, Counter.name, Counter.name_en, Counter.spoken_name)


def _load(session: Session) -> _Directory:
    services = {row[0]: ServiceNames(*row[1:]) for row in session.execute(_SERVICES)}
    counters = {row[0]: CounterNames(*row[1:]) for row in session.execute(_COUNTERS)}
    return _Directory(time.monotonic() + TTL_SECONDS, services, counters)


def _directory(session: Session, service_id: int, counter_id: int | None) -> _Directory:
    engine = session.get_bind().engine
    found = _directories.get(engine)
    if (found is None or found.expires < time.monotonic() or service_id not in found.services
            or (counter_id is not None and counter_id not in found.counters)):
        found = _load(session)  # also when an id is new: a service or counter added in another process
        with _lock:
            _directories[engine] = found
    return found


def names(session: Session, service_id: int,
          counter_id: int | None) -> tuple[ServiceNames | None, CounterNames | None]:
    """A service's names and a counter's; None for an id that names nothing (or a None counter_id)."""
    directory = _directory(session, service_id, counter_id)
    return (directory.services.get(service_id),
            directory.counters.get(counter_id) if counter_id is not None else None)


def forget(session: Session) -> None:
    """Reload on next use: services or counters were just changed through this process."""
    with _lock:
        _directories.pop(session.get_bind().engine, None)
