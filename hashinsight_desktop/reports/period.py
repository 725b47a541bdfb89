"""The time range a report covers: half-open ``[start, end)`` in Unix seconds, UTC."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hashinsight_desktop.reports.errors import ReportError


@dataclasses.dataclass(frozen=True)
class Period:
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ReportError(f"report period is empty: end {self.end_date_label} is not after "
                              f"start {self.start_label}")

    @property
    def seconds(self) -> int:
        return self.end - self.start

    @property
    def start_label(self) -> str:
        return _label(self.start)

    @property
    def end_date_label(self) -> str:
        return _label(self.end)

    @property
    def last_day_label(self) -> str:
        """The last day included (``end`` is exclusive), for "1 Mar - 31 Mar" captions."""
        return _label(self.end - 1)

    def caption(self) -> str:
        return f"{self.start_label} – {self.last_day_label} (UTC)"


def _label(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d")


def _date(text: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ReportError(f"{field} {text!r} is not a date; use YYYY-MM-DD") from None


def _ts(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def month_period(text: str) -> Period:
    """``"2026-03"`` -> the whole of March 2026 (UTC)."""
    try:
        first = dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        raise ReportError(f"--month {text!r} is not a month; use YYYY-MM, e.g. 2026-03") from None
    after = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return Period(_ts(first), _ts(after))


def date_period(start: str, end: str) -> Period:
    """``--from`` and ``--to`` days, both included."""
    first, last = _date(start, "--from"), _date(end, "--to")
    if last < first:
        raise ReportError(f"--to {end} is before --from {start}")
    return Period(_ts(first), _ts(last + dt.timedelta(days=1)))


def last_days(days: int, now: int | None = None) -> Period:
    """The ``days`` days up to now (the default when no period is given)."""
    now = int(dt.datetime.now(dt.UTC).timestamp()) if now is None else int(now)
    return Period(now - days * 86400, now)
