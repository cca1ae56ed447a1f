"""Coverage-guided fuzzing of the parsers and importers with atheris (libFuzzer for Python). Not run in CI.

    pip install atheris
    python bench/fuzz_parsers.py --target probability -- -runs=200000
    python bench/fuzz_parsers.py --target export -- -max_total_time=600 corpus/export/

tests/core/test_fuzz.py throws hypothesis's generated inputs at the same readers on every CI run; this
harness lets libFuzzer grow inputs towards new branches for as long as one cares to run it. The contract
is the test's: each input ends in a result or a one-line `ForecastError`, and a refused import leaves
the ledger as it was. Anything else is a crash: libFuzzer stops, prints the traceback and writes the
input to `crash-<hash>` in the current folder (replay it with `python bench/fuzz_parsers.py --target T
crash-<hash>`). Arguments after `--` go to libFuzzer (`-help=1` lists them).

Targets: probability, day, deadline, term, sentences, detect, decode, export, fatebook, predictionbook,
metaculus.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path

try:
    import atheris
except ImportError:  # pragma: no cover - a developer tool
    sys.exit("atheris is not installed: pip install atheris (Linux or macOS, CPython 3.8-3.12)")

with atheris.instrument_imports(include=["forecastapp"]):
    from forecastapp.core.dates import parse_day, parse_deadline
    from forecastapp.core.detect import detect_candidates
    from forecastapp.core.documents import decode_text
    from forecastapp.core.errors import ForecastError
    from forecastapp.core.estimative import match_term
    from forecastapp.core.formats import apply_plan, read_plan
    from forecastapp.core.merge import Origin
    from forecastapp.core.probability import MAX_P, MIN_P, parse_probability
    from forecastapp.core.sentences import split_sentences
    from forecastapp.core.store import open_ledger
    from forecastapp.core.transfer import import_ledger, read_export

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
WORK = Path(tempfile.mkdtemp(prefix="forecastapp-fuzz-"))
_LEDGER = None


def _ledger():
    """One ledger per run, opened on first use (only the import targets need it)."""
    global _LEDGER
    if _LEDGER is None:
        _LEDGER = open_ledger(WORK / "ledger.db", seed=True)
    return _LEDGER


def _state(db) -> tuple:
    """What a refused import must leave unchanged: history counts and the chain head."""
    return tuple(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("questions", "forecasts", "resolutions", "analysts", "chain"))


def _refused(exc: ForecastError) -> None:
    message = str(exc)
    if not message.strip() or len(message.splitlines()) != 1:
        raise AssertionError(f"a ForecastError that is not one line: {message!r}")


def _text(data: bytes) -> str:
    # Any code point, lone surrogates included (what a terminal hands Python for undecodable bytes).
    return atheris.FuzzedDataProvider(data).ConsumeUnicode(len(data))


def _probability(data: bytes) -> None:
    p = parse_probability(_text(data))
    assert MIN_P <= p.value <= MAX_P


def _day(data: bytes) -> None:
    parse_day(_text(data), today=TODAY)


def _deadline(data: bytes) -> None:
    window = parse_deadline(_text(data), made_on=TODAY)
    assert window.start is None or window.start <= window.end


def _term(data: bytes) -> None:
    match_term(_text(data))


def _sentences(data: bytes) -> None:
    text = _text(data)
    end = 0
    for start, stop in split_sentences(text):
        assert end <= start < stop <= len(text), (start, stop)
        end = stop


def _detect(data: bytes) -> None:
    text = _text(data)
    for c in detect_candidates(text, published_on=None, today=TODAY):
        assert text[c.start:c.end] == c.sentence


def _decode(data: bytes) -> None:
    text, _encoding = decode_text(data, name="'fuzz.txt'")
    text.encode("utf-8")


def _import_file(name: str, fmt: str) -> Callable[[bytes], None]:
    def run(data: bytes) -> None:
        path = WORK / name
        path.write_bytes(data)
        db = _ledger()
        before = _state(db)
        try:
            if fmt == "ledger":
                import_ledger(db, read_export(path))
            else:
                plan = read_plan(path, fmt=fmt, today=TODAY)
                apply_plan(db, plan, origin=Origin(action="import", format=fmt, source=name), now=NOW)
        except ForecastError:
            if _state(db) != before:
                raise AssertionError("a refused import changed the ledger") from None
            raise

    return run


def _metaculus(data: bytes) -> None:
    # The first half of the input is question_data.csv, the rest forecast_data.csv.
    folder = WORK / "metaculus"
    folder.mkdir(exist_ok=True)
    half = len(data) // 2
    (folder / "question_data.csv").write_bytes(data[:half])
    (folder / "forecast_data.csv").write_bytes(data[half:])
    db = _ledger()
    before = _state(db)
    try:
        plan = read_plan(folder, fmt="metaculus", today=TODAY)
        apply_plan(db, plan, origin=Origin(action="import", format="metaculus", source="fuzz"), now=NOW)
    except ForecastError:
        if _state(db) != before:
            raise AssertionError("a refused import changed the ledger") from None
        raise


TARGETS: dict[str, Callable[[bytes], None]] = {
    "probability": _probability,
    "day": _day,
    "deadline": _deadline,
    "term": _term,
    "sentences": _sentences,
    "detect": _detect,
    "decode": _decode,
    "export": _import_file("export.json", "ledger"),
    "fatebook": _import_file("fatebook-forecasts.csv", "fatebook"),
    "predictionbook": _import_file("my_predictions.csv", "predictionbook"),
    "metaculus": _metaculus,
}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: pick a target, hand the rest of the arguments to libFuzzer."""
    args = sys.argv[1:] if argv is None else argv
    ours, theirs = (args[: args.index("--")], args[args.index("--") + 1:]) if "--" in args else (args[:2], args[2:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=sorted(TARGETS), required=True)
    target = TARGETS[parser.parse_args(ours).target]

    def one_input(data: bytes) -> None:
        try:
            target(data)
        except ForecastError as exc:
            _refused(exc)

    atheris.Setup([sys.argv[0], *theirs], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
