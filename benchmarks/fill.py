"""Fill a store with N pilots and about M events (with measurements), for benchmarks.

    python benchmarks/fill.py URL PILOTS EVENTS

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
from genai_pilots.domain.measurements import MeasurementInput  # noqa: E402
from genai_pilots.domain.register import stored_definition  # noqa: E402
from genai_pilots.services.measuring import store_rows  # noqa: E402
from genai_pilots.services.store import transaction  # noqa: E402
from genai_pilots.store.models import PilotRow  # noqa: E402


def fill(url: str, pilots: int, events: int) -> None:
    """Import ``pilots`` definitions, then add measurement events up to ``events`` in total."""
    store = open_store(url)
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
            row = MeasurementInput(kpis[0].id, day, float(number % 97))
            store_rows(session, pilot, [row], source="cli", actor="benchmark", now=now)


if __name__ == "__main__":
    fill(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
