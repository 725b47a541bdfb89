"""The built-in ASIC catalog (SHA-256 miners): nameplate hashrate, power and layout.

Loaded from ``asic_models.csv`` beside this file; the database copy (which users can
extend) is seeded from it.  Values are manufacturers' nameplate figures; each row
names its source.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import re
from pathlib import Path

_CSV = Path(__file__).with_name("asic_models.csv")


@dataclasses.dataclass(frozen=True, slots=True)
class AsicModel:
    make: str
    model: str
    hashrate_ths: float
    power_w: float
    cooling: str  # "air", "hydro" or "immersion"
    release_year: int
    hashboards: int
    fans: int  # 0 for hydro/immersion: a reading of 0 rpm there is not a fan failure
    chips_per_board: int | None
    source: str

    @property
    def efficiency_j_th(self) -> float:
        return self.power_w / self.hashrate_ths


def normalise_name(name: str) -> str:
    """Lower case, no vendor prefix, single spaces: 'Antminer  S19 Pro ' -> 's19 pro'."""
    text = re.sub(r"[\s_]+", " ", name.strip().lower()).strip(" .")
    text = re.sub(r"^(bitmain|microbt|canaan|bitdeer|auradine) ", "", text)
    text = re.sub(r"^(antminer|whatsminer|avalonminer|avalon|sealminer|teraflux) ", "", text)
    text = re.sub(r"\bhydro?\b\.?", "hyd", text)
    text = re.sub(r"^a(\d{4})", r"\1", text)  # Canaan: 'A1566' and '1566' are one model
    return text.strip()


def _compact(key: str) -> str:
    return key.replace(" ", "")


@functools.cache
def builtin_models() -> tuple[AsicModel, ...]:
    with _CSV.open(newline="", encoding="utf-8") as fh:
        return tuple(
            AsicModel(
                make=row["make"],
                model=row["model"],
                hashrate_ths=float(row["hashrate_ths"]),
                power_w=float(row["power_w"]),
                cooling=row["cooling"],
                release_year=int(row["release_year"]),
                hashboards=int(row["hashboards"]),
                fans=int(row["fans"]),
                chips_per_board=int(row["chips_per_board"]) if row["chips_per_board"] else None,
                source=row["source"],
            )
            for row in csv.DictReader(fh)
        )


@functools.cache
def _index() -> dict[str, AsicModel]:
    return {_compact(normalise_name(m.model)): m for m in builtin_models()}


def lookup_model(name: str | None) -> AsicModel | None:
    """Find a catalog model by the name a firmware or a user gives ('S19 Pro', 'M30S++ VH40')."""
    if not name:
        return None
    return _lookup_cached(name)


# A fleet reports a handful of distinct model strings, each on every poll of every
# miner: caching the answer turns ~0.5 ms of regex work per poll into a dict hit.
@functools.lru_cache(maxsize=4096)
def _lookup_cached(name: str) -> AsicModel | None:
    key = normalise_name(name)
    index = _index()
    if _compact(key) in index:
        return index[_compact(key)]
    # Firmware names carry suffixes ('M30S++ VH40', 'S19j Pro (88 NoPIC)'): the longest
    # catalog name that is a whole-word prefix wins.
    best: AsicModel | None = None
    best_len = 0
    for pattern, length, model in _prefix_patterns():
        if length > best_len and pattern.match(key):
            best, best_len = model, length
    return best


@functools.cache
def _prefix_patterns() -> tuple[tuple[re.Pattern[str], int, AsicModel], ...]:
    """(whole-word prefix pattern, compact name length, model), in index order."""
    return tuple((re.compile(re.escape(normalise_name(model.model)) + r"(?![\w+])"),
                  len(candidate), model) for candidate, model in _index().items())
