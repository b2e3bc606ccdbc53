"""Where the tool keeps its files: the user data directory, or ``GENAI_PILOTS_HOME``."""

from __future__ import annotations

from pathlib import Path

from genai_pilots import settings


def data_dir() -> Path:
    """The directory for the default store and logs; created on first use by the caller."""
    override = settings.HOME.value()
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path("genai-pilots", appauthor=False)


def log_dir() -> Path:
    """Where unexpected errors leave their traceback."""
    return data_dir() / "logs"
