"""Writing a scorecard to a file in any of its formats, each file whole or not at all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from forecastapp.core.errors import ValidationError
from forecastapp.core.files import is_stream, write_output
from forecastapp.core.report.chart import calibration_svg
from forecastapp.core.report.markup import to_html, to_markdown
from forecastapp.core.report.tabular import to_csv, to_json
from forecastapp.core.scorecard_types import Scorecard


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write a whole file or nothing (`files.write_output`, which every output of the app goes through)."""
    write_output(path, data)


def chart_path_for(output: Path) -> Path:
    """Where a Markdown report's chart goes: `<name>-calibration.svg` beside the report."""
    return output.with_name(f"{output.stem}-calibration.svg")


#: The file formats `write_scorecard` writes (the CLI's --format choices and the GUI's save filters).
SCORECARD_FORMATS = ("json", "csv", "md", "html", "pdf")


def scorecard_text(card: Scorecard, fmt: str, *, chart_src: str | None = None) -> str:
    """The scorecard as json, csv, md or html text (md: the chart inline unless `chart_src` names a file)."""
    if fmt == "json":
        return to_json(card)
    if fmt == "csv":
        return to_csv(card)
    if fmt == "html":
        return to_html(card)
    if fmt == "md":
        return to_markdown(card, chart_src=chart_src)
    raise ValidationError(f"'{fmt}' is not a text scorecard format; choose json, csv, md or html")


def write_scorecard(
    card: Scorecard, path: Path | str, fmt: str, *, render_pdf: Callable[[Scorecard], bytes] | None = None
) -> list[Path]:
    """Write the scorecard to `path` in `fmt` (one of SCORECARD_FORMATS), each file whole or not at all.

    Returns the files written: md also writes its chart beside the report (`chart_path_for`). A PDF
    needs `render_pdf` (`forecastapp.render.pdf.render_pdf`): the core never imports Qt, so the
    caller, which knows whether Qt is there and on which thread it may paint, passes it in.
    """
    if fmt not in SCORECARD_FORMATS:
        raise ValidationError(f"'{fmt}' is not a scorecard format; choose one of {', '.join(SCORECARD_FORMATS)}")
    if fmt == "pdf":
        if render_pdf is None:
            raise ValidationError("a PDF scorecard needs Qt to lay it out; choose html, or install PySide6")
        write_atomic(path, render_pdf(card))
        return [Path(path)]
    if fmt == "md" and is_stream(path):
        # Standard output, a pipe or a device has no folder to put a chart file in: the chart goes inline.
        write_atomic(path, scorecard_text(card, "md"))
        return [Path(path)]
    if fmt == "md":
        chart = chart_path_for(Path(path))
        write_atomic(chart, calibration_svg(card.overall))
        write_atomic(path, scorecard_text(card, "md", chart_src=chart.name))
        return [Path(path), chart]
    write_atomic(path, scorecard_text(card, fmt))
    return [Path(path)]
