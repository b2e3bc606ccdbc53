"""Fill a store with N pilots and about M events (with measurements), for benchmarks.

    python benchmarks/fill.py URL PILOTS EVENTS
    python benchmarks/fill.py --copy FROM_URL TO_URL

Pilots come from the definition generator and are imported the normal way; the other events
are measurements recorded through the service layer (one event each), in one transaction.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402
from sqlmodel import select  # noqa: E402

from genai_pilots import clock, import_paths, open_store  # noqa: E402
from genai_pilots.domain.measurements import Measurement  # noqa: E402
from genai_pilots.domain.stored_definitions import stored_definition  # noqa: E402
from genai_pilots.services.measuring import store_rows  # noqa: E402
from genai_pilots.services.transactions import transaction  # noqa: E402
from genai_pilots.store.models import PilotRow  # noqa: E402


def fill(url: str, pilots: int, events: int) -> None:
    """Import ``pilots`` definitions, then add measurement events up to ``events`` in total."""
    store = open_store(url, create=True)
    with tempfile.TemporaryDirectory() as folder:
        import_paths(store, generate(pilots, Path(folder)), by="benchmark")
    now = clock.now()
    with transaction(store) as session:
        rows = list(session.exec(select(PilotRow)))
        extra = max(0, events - len(rows))
        for number in range(extra):
            pilot = rows[number % len(rows)]
            kpis = stored_definition(pilot.definition).start_klein.kpis
            if not kpis:
                continue
            day = dt.date(2026, 1, 1) + dt.timedelta(days=number // len(rows))
            row = Measurement(kpis[0].id, day, float(number % 97))
            store_rows(session, pilot, [row], source="cli", actor="benchmark", now=now)


def copy(source: str, target: str) -> None:
    """Copy every row of a filled store into another (migrated, empty) one, on any engine.

    The state digests do not depend on the engine, so the copy verifies as the original does;
    filling PostgreSQL through the service layer would take half an hour.
    """
    from sqlalchemy import insert, select, text

    from genai_pilots.store.engine import make_engine
    from genai_pilots.store.models import metadata

    open_store(source)  # at HEAD, as the models read it
    open_store(target, create=True)
    src, dst = make_engine(source), make_engine(target)
    with src.connect() as reading, dst.begin() as writing:
        for table in metadata.sorted_tables:
            writing.execute(table.delete())
            rows = [dict(r) for r in reading.execute(select(table)).mappings()]
            for start in range(0, len(rows), 5000):
                writing.execute(insert(table), rows[start : start + 5000])
        if writing.dialect.name == "postgresql":
            for table in metadata.sorted_tables:
                if "id" in table.c and table.c.id.autoincrement is True:
                    writing.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"coalesce(max(id), 1)) FROM {table.name}"
                    ))  # fmt: skip


if __name__ == "__main__":
    if sys.argv[1] == "--copy":
        copy(sys.argv[2], sys.argv[3])
    else:
        fill(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
