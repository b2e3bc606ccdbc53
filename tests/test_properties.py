"""Random sequences of commands against the lifecycle, with its invariants checked after each.

- a stage moves only through a met gate or a recorded override;
- the history explains the current state (replaying it gives the stored rows);
- every hash chain verifies.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from genai_pilots import advance, import_paths, load_playbook, open_store, set_paused
from genai_pilots.domain.stages import STAGE_KEYS
from genai_pilots.errors import PilotsError
from genai_pilots.services.audit import verify
from genai_pilots.services.governance import approve, revoke
from genai_pilots.services.lifecycle import decide
from genai_pilots.services.measuring import measure
from genai_pilots.services.portfolio import history, portfolio
from genai_pilots.store.engine import dispose_engines
from tests.conftest import EXAMPLES, PostgresServer

pytestmark = pytest.mark.slow  # hypothesis state machines: tens of seconds

PILOTS = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
ROLES = ["privacy_officer", "information_security_officer", "cmio"]
PEOPLE = ["M. de Vries", "R. Bakker", "Dr. A. Jansen", "Dr. B. Hoekstra", "Dr. S. El Amrani"]
KPIS = ["documentatietijd", "ondertriage", "schrijftijd", "overdrachtstijd", "correcties"]


def machine(
    make_url: Callable[[], str], drop: Callable[[str], None]
) -> type[RuleBasedStateMachine]:
    class Lifecycle(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.url = make_url()
            self.store = open_store(self.url, create=True)
            self.playbook = load_playbook()
            import_paths(self.store, [EXAMPLES], by="setup")
            self.stage = {p.id: p.stage for p in portfolio(self.store, self.playbook).pilots}

        def teardown(self) -> None:
            dispose_engines()
            drop(self.url)

        def attempt(self, action: Callable[[], object]) -> bool:
            try:
                action()
            except PilotsError:
                return False
            return True

        @rule(pilot=st.sampled_from(PILOTS), force=st.booleans())
        def advance(self, pilot: str, force: bool) -> None:
            reason = "property test" if force else None
            if self.attempt(
                lambda: advance(
                    self.store, pilot, self.playbook, force=force, reason=reason, by="prop"
                )  # fmt: skip
            ):
                current = self.stage[pilot]
                self.stage[pilot] = STAGE_KEYS[STAGE_KEYS.index(current) + 1]

        @rule(pilot=st.sampled_from(PILOTS), paused=st.booleans())
        def pause(self, pilot: str, paused: bool) -> None:
            self.attempt(lambda: set_paused(self.store, pilot, paused, reason="prop", by="prop"))

        @rule(
            pilot=st.sampled_from(PILOTS), role=st.sampled_from(ROLES), who=st.sampled_from(PEOPLE)
        )
        def approve(self, pilot: str, role: str, who: str) -> None:
            self.attempt(lambda: approve(self.store, pilot, role, self.playbook, by=who))

        @rule(pilot=st.sampled_from(PILOTS), role=st.sampled_from(ROLES))
        def revoke(self, pilot: str, role: str) -> None:
            self.attempt(lambda: revoke(self.store, pilot, role, reason="prop", by="prop"))

        @rule(pilot=st.sampled_from(PILOTS), kpi=st.sampled_from(KPIS),
              value=st.floats(-1e6, 1e6, allow_nan=False))  # fmt: skip
        def measure(self, pilot: str, kpi: str, value: float) -> None:
            self.attempt(lambda: measure(self.store, pilot, kpi, value, by="prop"))

        @rule(pilot=st.sampled_from(PILOTS), decision=st.sampled_from(["scale", "adjust", "stop"]))
        def decide(self, pilot: str, decision: str) -> None:
            self.attempt(
                lambda: decide(self.store, pilot, decision, self.playbook, reason="prop", by="prop")  # type: ignore[arg-type]
            )

        @invariant()
        def chains_verify_and_history_explains_state(self) -> None:
            assert verify(self.store).broken == []

        @invariant()
        def stages_move_only_through_met_gates_or_overrides(self) -> None:
            pilots = {p.id: p for p in portfolio(self.store, self.playbook).pilots}
            for pilot, expected in self.stage.items():
                assert pilots[pilot].stage == expected
            for pilot in PILOTS:
                for event in history(self.store, pilot):
                    if event.kind == "advanced":
                        met, total = event.payload["gate"].split("/")
                        assert met == total, (pilot, event.payload)
                    if event.kind == "override":
                        assert event.reason and event.payload["failing"], event.payload

    return Lifecycle


def test_random_command_sequences_keep_the_invariants_on_sqlite() -> None:
    folders: list[str] = []

    def make_url() -> str:
        folders.append(tempfile.mkdtemp(prefix="pilots-prop-"))
        return f"sqlite:///{Path(folders[-1]) / 'p.db'}"

    def drop(url: str) -> None:
        shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)

    run_state_machine_as_test(
        machine(make_url, drop),
        settings=settings(max_examples=25, stateful_step_count=30, deadline=None),
    )


@pytest.mark.store(engines=("postgresql",))
def test_random_command_sequences_keep_the_invariants_on_postgresql(
    postgres: PostgresServer,
) -> None:
    run_state_machine_as_test(
        machine(postgres.create, postgres.drop),
        settings=settings(max_examples=8, stateful_step_count=25, deadline=None),
    )
