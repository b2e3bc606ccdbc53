"""A commented definition skeleton for ``pilots new --scaffold``: fill in, validate, import."""

from __future__ import annotations

import json
from typing import get_args

from genai_pilots.domain.definition import Setting
from genai_pilots.i18n import _

# Where the comments on the keys start; a comment's further lines start there too.
_COMMENT = " " * 35 + "# "


def _scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly this text (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def scaffold(
    *,
    pilot_id: str,
    name: str,
    setting: str,
    department: str,
    owner_name: str,
    owner_email: str,
    schema_url: str = "https://genai-pilots.example/schema/pilot.schema.json",
) -> str:
    """The skeleton text; with real values filled in it validates as a start-klein pilot.

    Keys, values and examples stay as a definition has them; the comments are in the language
    of the moment.
    """
    settings = ", ".join(get_args(Setting))
    classify = _(
        "`pilots classify THIS-FILE` asks the questions and\n"
        "writes the answers here (role, Annex I/III, Art. 50, ...)"
    ).replace("\n", "\n" + _COMMENT)
    claims = _("the stage this file claims; every gate before it must pass")
    intro = _(
        "A GenAI pilot definition. Fill in each stage's section as the pilot gets there, then run"
    )
    ci = _("(CI does the same)")
    register = _("(to put it in the register)")
    never = _("lower-case letters, digits and hyphens; never change it")
    one_of = _("one of: {settings}").format(settings=settings)
    scope = _("where, for whom, which part of the work (bounded!)")
    hypothesis = _("what should improve, for whom, and why you expect it")
    vision = _("what practice looks like if it works")
    legal = _("e.g. AVG art. 6(1)(c) en 9(2)(h); WGBO")
    oversight = _("who checks the output before it is used, and how")
    transparency = _("how patients and staff learn that AI is used")
    location = _("e.g. EU (NL datacenter of the supplier)")
    skills = _("3. Investeer in vaardigheden (AI literacy, Art. 4)")
    synthetic = _("4. Verken synthetische data (data minimisation)")
    applicable = _("false needs a justification")
    cadence = _("weekly, biweekly, monthly or quarterly")
    decision = _("scale, adjust or stop")
    return f"""\
# yaml-language-server: $schema={schema_url}
# {intro}
#   pilots validate THIS_FILE      {ci}
#   pilots import THIS_FILE        {register}
id: {pilot_id}                     # {never}
name: {_scalar(name)}
setting: {setting}                 # {one_of}
department: {_scalar(department)}
owner: {{name: {_scalar(owner_name)}, email: {_scalar(owner_email)}}}
stage: start-klein                 # {claims}

start_klein:                       # 1. Start klein, denk groot
  scope: null                      # {scope}
  value_hypothesis: null           # {hypothesis}
  scale_vision: null               # {vision}
  period: null                     # {{start: 2026-03-01, end: 2026-09-01}}
  kpis: []                         # - {{id: documentatietijd, name: ..., unit: min,
                                   #    baseline: 12, target: 8, direction: lower}}

governance:                        # 2. Sterke governance
  ai_act: null                     # {classify}
  dpia: null                       # {{status: done, reference: DPIA-2026-001, date: 2026-02-01}}
  legal_basis: null                # {legal}
  human_oversight: null            # {oversight}
  transparency: null               # {transparency}
  vendor: null                     # {{name: ..., product: ..., model: ..., model_version: "1.0",
                                   #  certifications: [{{standard: NEN 7510:2017,
                                   #    certificate: ..., certified_by: ..., valid_until: ...}}]}}
  data_location: null              # {location}
  processor_agreement: null        # {{status: signed, reference: ...}}
  approvals: []                    # - {{role: privacy_officer, by: ..., date: 2026-02-01}}

skills:                            # {skills}
  training_plan: null
  target_users: null
  trained_users: null
  champions: []
  staff_involvement: null

synthetic_data:                    # {synthetic}
  applicable: true                 # {applicable}
  datasets: []                     # - {{name: ..., synthetic_counterpart: ..., method: ...,
                                   #    privacy_evaluation: ..., utility_evaluation: ...}}
  justification: null

bijsturen:                         # 5. Blijf bijsturen
  review_cadence: null             # {cadence}
  decision: null                   # {decision}
"""
