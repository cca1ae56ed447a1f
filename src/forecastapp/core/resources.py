"""Find packaged data files (seed ledger, documents, icons) in an installed wheel or a source checkout."""

from __future__ import annotations

from importlib import resources as _resources
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """Path of a file under `resources/`: inside the installed package, else the repository's folder."""
    packaged = _resources.files("forecastapp").joinpath("resources", *parts)
    if packaged.is_file() or packaged.is_dir():
        return Path(str(packaged))
    # An editable install or a plain checkout: resources/ sits at the repository root.
    checkout = Path(__file__).resolve().parents[3] / "resources"
    return checkout.joinpath(*parts)


def read_text(*parts: str) -> str:
    """The UTF-8 text of a packaged resource file."""
    return resource_path(*parts).read_text(encoding="utf-8")
