"""The ASIC model catalog in the database: the built-in models plus the users' own."""

from __future__ import annotations

import dataclasses

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine

from hashinsight_desktop.store.schema.fleet import asic_models

COOLING = ("air", "hydro", "immersion")


class CatalogError(ValueError):
    pass


@dataclasses.dataclass(frozen=True)
class CatalogEntry:
    id: int
    make: str
    model: str
    hashrate_ths: float
    power_w: float
    cooling: str
    release_year: int | None
    source: str
    builtin: bool

    @property
    def efficiency_j_th(self) -> float:
        return self.power_w / self.hashrate_ths


def list_models(engine: Engine) -> list[CatalogEntry]:
    with engine.connect() as conn:
        rows = conn.execute(select(
            asic_models.c.id, asic_models.c.make, asic_models.c.model,
            asic_models.c.hashrate_ths, asic_models.c.power_w, asic_models.c.cooling,
            asic_models.c.release_year, asic_models.c.source, asic_models.c.builtin,
        ).order_by(asic_models.c.make, asic_models.c.hashrate_ths)).all()
    return [CatalogEntry(*r) for r in rows]


def add_model(engine: Engine, *, make: str, model: str, hashrate_ths: float, power_w: float,
              cooling: str = "air", release_year: int | None = None, hashboards: int = 3,
              fans: int | None = None, source: str = "added by a user") -> int:
    """Add a user's model; the checks name the field that is wrong."""
    make, model = make.strip(), model.strip()
    if not make or not model:
        raise CatalogError("make and model must not be empty")
    if not 0 < hashrate_ths <= 10_000:
        raise CatalogError(f"hashrate_ths {hashrate_ths} must be between 0 and 10,000 TH/s")
    if not 0 < power_w <= 50_000:
        raise CatalogError(f"power_w {power_w} must be between 0 and 50,000 W")
    if power_w / hashrate_ths > 1000:
        raise CatalogError(f"efficiency {power_w / hashrate_ths:.0f} J/TH is absurd (over 1,000)")
    if cooling not in COOLING:
        raise CatalogError(f"cooling {cooling!r} must be one of {', '.join(COOLING)}")
    with engine.begin() as conn:
        if conn.execute(select(asic_models.c.id).where(
                func.lower(asic_models.c.model) == model.lower())).first():
            raise CatalogError(f"the catalog already has a model named {model!r}")
        return int(conn.execute(insert(asic_models).values(
            make=make, model=model, hashrate_ths=hashrate_ths, power_w=power_w,
            cooling=cooling, release_year=release_year, hashboards=hashboards,
            fans=(0 if cooling != "air" else 4) if fans is None else fans,
            source=source, builtin=False)).inserted_primary_key[0])
