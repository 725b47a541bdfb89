"""One vectorised condition per rule kind: does it hold for each miner of a cycle?

Each returns a :class:`Condition`: ``holds`` and ``known`` (bool arrays) and ``value``
(the number shown in the alert).  Miners whose condition is unknown keep their state.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from hashinsight_desktop.core.alerts.anomaly import PeerLimits, peer_group_keys, peer_outliers
from hashinsight_desktop.core.alerts.events import AlertRule
from hashinsight_desktop.core.alerts.frame import CycleFrame

HASHING = ("ok", "degraded")  # statuses in which the miner reports live values
UNREACHABLE = ("offline", "error")  # no valid answer: the offline rule's business


@dataclasses.dataclass(frozen=True)
class Condition:
    holds: np.ndarray
    known: np.ndarray
    value: np.ndarray


def _hashing(frame: CycleFrame) -> np.ndarray:
    return np.isin(frame.status, HASHING)


def temp_high(frame: CycleFrame, rule: AlertRule) -> Condition:
    limit = 80.0 if rule.threshold is None else rule.threshold
    known = ~np.isnan(frame.temp_max) & ~np.isin(frame.status, UNREACHABLE)
    with np.errstate(invalid="ignore"):
        holds = frame.temp_max > limit
    return Condition(holds & known, known, frame.temp_max)


def hashrate_low(frame: CycleFrame, rule: AlertRule) -> Condition:
    """Hashrate under threshold % of nominal.  A curtailed miner is slow on purpose."""
    pct_limit = 80.0 if rule.threshold is None else rule.threshold
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = frame.hashrate / frame.nominal * 100.0
    measurable = _hashing(frame) & ~np.isnan(pct) & (frame.nominal > 0)
    curtailed = frame.status == "curtailed"
    with np.errstate(invalid="ignore"):
        holds = measurable & (pct < pct_limit)
    return Condition(holds, measurable | curtailed, pct)


def offline(frame: CycleFrame, rule: AlertRule) -> Condition:
    holds = np.isin(frame.status, UNREACHABLE)
    return Condition(holds, np.ones(len(frame), bool), np.full(len(frame), np.nan))


def fan_failure(frame: CycleFrame, rule: AlertRule) -> Condition:
    """Slowest fan under threshold rpm, on air-cooled miners only.

    Hydro and immersion models have no fans: 0 rpm there is normal.  For a model the
    catalog does not know, all fans at 0 is ambiguous (likely liquid-cooled) and stays
    unknown; some spinning and one stopped is a failure.
    """
    limit = 500.0 if rule.threshold is None else rule.threshold
    has_fans = ~np.isnan(frame.fan_min) & _hashing(frame)
    air = frame.cooling == "air"
    liquid = np.isin(frame.cooling, ("hydro", "immersion"))
    unknown_cooling = ~air & ~liquid
    with np.errstate(invalid="ignore"):
        slow = frame.fan_min < limit
        all_stopped = frame.fan_min <= 0
    known = has_fans & (air | (unknown_cooling & ~all_stopped)) | liquid
    holds = has_fans & slow & (air | unknown_cooling) & known & ~liquid
    return Condition(holds, known, frame.fan_min)


def hashboard_missing(frame: CycleFrame, rule: AlertRule) -> Condition:
    known = (_hashing(frame) & ~np.isnan(frame.boards_present)
             & ~np.isnan(frame.boards_expected))
    with np.errstate(invalid="ignore"):
        holds = known & (frame.boards_present < frame.boards_expected)
    return Condition(holds, known, frame.boards_present)


def _norm_url(url: object) -> str:
    text = str(url).strip().lower().rstrip("/")
    for prefix in ("stratum+tcp://", "stratum+ssl://", "stratum2+tcp://", "stratum://"):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def _user_matches(actual: object, expected: object) -> bool:
    """'acct' expects 'acct' or 'acct.<worker>': the worker suffix is the miner's own."""
    a, e = str(actual).strip(), str(expected).strip()
    return a == e or a.startswith(e + ".") or a.startswith(e + "_")


def wrong_pool(frame: CycleFrame, rule: AlertRule) -> Condition:
    """Pool or user differs from the expected one (a URL scheme or case does not count).

    A farm has a handful of distinct (actual, expected) combinations: each is judged
    once and remembered for the rest of the cycle.
    """
    expects = (frame.expected_pool_url != None) | (frame.expected_pool_user != None)  # noqa: E711
    reports = frame.pool_url != None  # noqa: E711
    known = expects & reports & _hashing(frame)
    holds = np.zeros(len(frame), bool)
    idx = np.flatnonzero(known)
    verdicts: dict[tuple, bool] = {}
    for i, combo in zip(idx, zip(frame.pool_url[idx], frame.pool_user[idx],
                                 frame.expected_pool_url[idx], frame.expected_pool_user[idx],
                                 strict=True), strict=True):
        verdict = verdicts.get(combo)
        if verdict is None:
            verdict = verdicts[combo] = _pool_differs(*combo)
        holds[i] = verdict
    return Condition(holds, known, np.full(len(frame), np.nan))


def _pool_differs(url: str, user: str | None, expected_url: str | None,
                  expected_user: str | None) -> bool:
    bad_url = expected_url is not None and _norm_url(url) != _norm_url(expected_url)
    bad_user = expected_user is not None and not _user_matches(user or "", expected_user)
    return bad_url or bad_user


def peer_outlier(frame: CycleFrame, rule: AlertRule) -> Condition:
    limits = PeerLimits(
        z=3.5 if rule.threshold is None else rule.threshold,
        min_peers=int(rule.param("min_peers", PeerLimits.min_peers)),
        min_temp_diff_c=rule.param("min_temp_diff_c", PeerLimits.min_temp_diff_c),
        min_hashrate_diff_pct=rule.param("min_hashrate_diff_pct",
                                         PeerLimits.min_hashrate_diff_pct),
    )
    hashing = _hashing(frame)
    temp = np.where(hashing, frame.temp_max, np.nan)
    hashrate = np.where(hashing, frame.hashrate, np.nan)
    groups = peer_group_keys(frame.model, frame.rack)
    found = peer_outliers(temp, hashrate, groups, limits)
    # the z-score shown is the more extreme of the two, signed
    value = np.where(found.hot, found.temp_z, np.where(found.slow, found.hashrate_z, np.nan))
    return Condition(found.hot | found.slow, found.known, value)


CONDITIONS = {
    "temp_high": temp_high,
    "hashrate_low": hashrate_low,
    "offline": offline,
    "fan_failure": fan_failure,
    "hashboard_missing": hashboard_missing,
    "wrong_pool": wrong_pool,
    "peer_outlier": peer_outlier,
}
