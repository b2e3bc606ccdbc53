"""The SDMetrics adapter: quality and privacy scores of a synthetic dataset against its real one.

SDMetrics (MIT) and the pandas, numpy and scipy it brings are an optional extra
(``genai-pilots[synthetic]``), imported only here and only when ``synth evaluate`` runs, so no
other command pays their import time. Everything SDMetrics returns is untyped; it stays ``Any``
inside this module, and leaves it as plain floats.

Where the library's cost grows with the square of the rows, or with rows times pairs of
columns, it sees a fixed-seed sample (``QUALITY_ROWS``, ``DCR_REAL_ROWS``, ``DCR_SYNTHETIC_ROWS``,
``DISCLOSURE_ROWS``), so a 100,000-row file is scored in seconds; the sample sizes are recorded
with the scores. Exact copies and identifiers are counted over every row (``domain.synthetic``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from genai_pilots.domain.synthetic import Dataset
from genai_pilots.errors import UsageError
from genai_pilots.i18n import _

INSTALL = "pip install 'genai-pilots[synthetic]'"
QUALITY_ROWS = 20_000
"""Rows of each file the quality report sees (column shapes, pair trends over every pair)."""
DCR_REAL_ROWS = 10_000
"""Real rows each synthetic row is measured against (distance to closest record)."""
DCR_SYNTHETIC_ROWS = 1_000
"""Synthetic rows whose distance to the closest real record is measured."""
DISCLOSURE_ROWS = 5_000
"""Above this many rows, disclosure protection is estimated on samples of 1,000 rows."""
WORST = 3
SEED = 17


@dataclass(frozen=True, slots=True)
class Scores:
    """What SDMetrics says of a synthetic dataset, as plain values."""

    quality: float
    column_shapes: float | None
    column_pairs: float | None
    worst_columns: list[tuple[str, float]]
    dcr: float
    disclosure: float | None
    known: list[str]
    library: str
    subsampled: dict[str, int] = field(default_factory=dict)
    dcr_as_read: float | None = None  # DCR with the columns typed as their values read

    @property
    def privacy(self) -> float:
        """The lowest privacy score: DCR protection (on either typing), and disclosure."""
        found = [s for s in (self.dcr, self.dcr_as_read, self.disclosure) if s is not None]
        return min(found)


def library() -> str:
    """``sdmetrics 0.32.0``; a usage error saying how to install the extra when it is missing."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import sdmetrics
    except ImportError:
        raise UsageError(
            _("synth evaluate needs SDMetrics, which is not installed"),
            hint=_("install the extra: {command}").format(command=INSTALL),
        ) from None
    return f"sdmetrics {sdmetrics.__version__}"


def _frame(dataset: Dataset) -> Any:
    import pandas as pd

    data: dict[str, Any] = {}
    for name, kind, values in zip(dataset.names, dataset.kinds, dataset.columns, strict=True):
        if kind == "numerical":
            data[name] = pd.Series([math.nan if v is None else v for v in values], dtype="float64")
        elif kind == "datetime":
            data[name] = pd.to_datetime(pd.Series(values, dtype="object"))
        else:
            data[name] = pd.Series(values, dtype="object")
    return pd.DataFrame(data)


def _metadata(dataset: Dataset) -> dict[str, Any]:
    return {
        "columns": {n: {"sdtype": k} for n, k in zip(dataset.names, dataset.kinds, strict=True)}
    }


def _sample(frame: Any, rows: int) -> Any:
    return frame if len(frame) <= rows else frame.sample(n=rows, random_state=SEED)


def _score(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) else round(number, 4)


def _quality(real: Any, synthetic: Any, metadata: dict[str, Any]) -> tuple[Any, ...]:
    from sdmetrics.reports.single_table import QualityReport

    report = QualityReport()
    # every pair counts, not only those strongly associated in the real data (the default
    # leaves a table of independent columns without a pair score)
    report.real_correlation_threshold = 0
    report.real_association_threshold = 0
    report.generate(real, synthetic, metadata, verbose=False)
    properties = report.get_properties()
    by_name = dict(zip(properties["Property"], properties["Score"], strict=True))
    shapes = report.get_details("Column Shapes")
    worst = sorted(
        ((str(c), float(s)) for c, s in zip(shapes["Column"], shapes["Score"], strict=True)
         if not math.isnan(float(s))),
        key=lambda item: item[1],
    )[:WORST]  # fmt: skip
    return (
        _score(report.get_score()),
        _score(by_name.get("Column Shapes", math.nan)),
        _score(by_name.get("Column Pair Trends", math.nan)),
        [(c, round(s, 4)) for c, s in worst],
    )


def _numeric(frame: Any, dataset: Dataset) -> Any:
    """Dates as day numbers: the disclosure metrics take numbers and categories only."""
    copy = frame.copy()
    for name, kind in zip(dataset.names, dataset.kinds, strict=True):
        if kind == "datetime":
            copy[name] = copy[name].map(
                lambda d: math.nan if d is None or d != d else d.toordinal()
            )
    return copy


def _dcr(
    real: Dataset,
    synthetic: Dataset,
    subsampled: dict[str, int],
    frames: tuple[Any, Any] | None = None,
) -> float:
    """DCR baseline protection, on samples where the cost grows with rows times rows.

    ``frames`` are both datasets as pandas frames where the caller built them already.
    """
    import numpy as np
    from sdmetrics.single_table import DCRBaselineProtection

    class Seeded(DCRBaselineProtection):  # type: ignore[misc]
        """Its random baseline drawn from a fixed seed: the same files give the same score."""

        _seed = SEED

    np.random.seed(SEED)  # its subsamples draw from numpy's global RNG
    real_frame, synthetic_frame = frames or (_frame(real), _frame(synthetic))
    if len(real_frame) > DCR_REAL_ROWS:
        subsampled["dcr_real_rows"] = DCR_REAL_ROWS
    rows = min(DCR_SYNTHETIC_ROWS, len(synthetic_frame), len(real_frame))
    if len(synthetic_frame) > rows:
        subsampled["dcr_synthetic_rows"] = rows
    found = Seeded.compute_breakdown(
        _sample(real_frame, DCR_REAL_ROWS), synthetic_frame, _metadata(real), None,
        num_rows_subsample=rows,
    )["score"]  # fmt: skip
    return _score(found) or 0.0


def score(
    real: Dataset,
    synthetic: Dataset,
    sensitive: Sequence[str],
    step: Callable[[str], None] = lambda _: None,
    *,
    strict: tuple[Dataset, Dataset] | None = None,
) -> Scores:
    """Quality, DCR protection and (with ``sensitive`` columns) disclosure protection.

    Known columns for disclosure are all the others: an attacker who knows everything about a
    person but the sensitive values is the strictest case SDMetrics measures. ``strict`` is
    both files typed as their values read, where a metadata file typed them otherwise: DCR is
    measured on it too, and the lower score counts.
    """
    name = library()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import numpy as np
        from sdmetrics.single_table import DisclosureProtection, DisclosureProtectionEstimate

        np.random.seed(SEED)  # the DCR baseline and the estimates draw from numpy's global RNG
        real_frame, synthetic_frame = _frame(real), _frame(synthetic)
        metadata = _metadata(real)
        subsampled: dict[str, int] = {}
        step("quality report")
        if max(len(real_frame), len(synthetic_frame)) > QUALITY_ROWS:
            subsampled["quality_rows"] = QUALITY_ROWS
        quality, shapes, pairs, worst = _quality(
            _sample(real_frame, QUALITY_ROWS), _sample(synthetic_frame, QUALITY_ROWS), metadata
        )
        step("distance to closest record")
        dcr = _dcr(real, synthetic, subsampled, (real_frame, synthetic_frame))
        dcr_as_read = _dcr(*strict, subsampled) if strict is not None else None
        disclosure: float | None = None
        known = [n for n in real.names if n not in sensitive]
        if sensitive:
            step("disclosure protection")
            continuous = [
                n for n, k in zip(real.names, real.kinds, strict=True) if k != "categorical"
            ]
            arguments: dict[str, Any] = {
                "known_column_names": known,
                "sensitive_column_names": list(sensitive),
                "continuous_column_names": continuous or None,
            }
            real_numbers, synthetic_numbers = (
                _numeric(real_frame, real),
                _numeric(synthetic_frame, synthetic),
            )
            if max(len(real_frame), len(synthetic_frame)) > DISCLOSURE_ROWS:
                subsampled["disclosure_rows"] = 1_000
                found = DisclosureProtectionEstimate.compute_breakdown(
                    real_numbers, synthetic_numbers, num_rows_subsample=1_000,
                    num_iterations=5, verbose=False, **arguments,
                )  # fmt: skip
            else:
                found = DisclosureProtection.compute_breakdown(
                    real_numbers, synthetic_numbers, **arguments
                )
            disclosure = _score(found["score"])
    return Scores(
        quality=quality if quality is not None else 0.0,
        column_shapes=shapes,
        column_pairs=pairs,
        worst_columns=worst,
        dcr=dcr,
        disclosure=disclosure,
        known=known if sensitive else [],
        library=name,
        subsampled=subsampled,
        dcr_as_read=dcr_as_read,
    )
