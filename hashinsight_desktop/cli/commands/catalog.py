"""``hashinsight catalog list|add``: the ASIC models the fleet and calculator know."""

from __future__ import annotations

import argparse
import dataclasses

from hashinsight_desktop.cli.context import open_engine
from hashinsight_desktop.cli.errors import CliError
from hashinsight_desktop.cli.output import emit


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("catalog", parents=[common], help="list or extend the ASIC model catalog")
    actions = p.add_subparsers(dest="catalog_action", metavar="ACTION", required=True)
    actions.add_parser("list", parents=[common], help="every model with its nameplate figures"
                       ).set_defaults(handler=_list)
    add = actions.add_parser("add", parents=[common], help="add your own model")
    add.add_argument("--make", required=True)
    add.add_argument("--model", required=True)
    add.add_argument("--hashrate-ths", type=float, required=True)
    add.add_argument("--power-w", type=float, required=True)
    add.add_argument("--cooling", default="air", choices=("air", "hydro", "immersion"))
    add.add_argument("--year", type=int)
    add.add_argument("--source", default="added by a user", help="where the figures come from")
    add.set_defaults(handler=_add)


def _list(args: argparse.Namespace) -> int:
    from hashinsight_desktop.services.catalog import list_models

    engine = open_engine(args)
    try:
        models = list_models(engine)
    finally:
        engine.dispose()
    rows = [{**dataclasses.asdict(m), "efficiency_j_th": round(m.efficiency_j_th, 2)}
            for m in models]
    emit(args, {"models": rows}, lambda: "\n".join(
        f"{m.make:<9} {m.model:<24} {m.hashrate_ths:>6.0f} TH/s {m.power_w:>6.0f} W "
        f"{m.efficiency_j_th:>5.1f} J/TH {m.cooling:<9} {'' if m.builtin else '(user)'}"
        for m in models))
    return 0


def _add(args: argparse.Namespace) -> int:
    from hashinsight_desktop.services.catalog import CatalogError, add_model

    engine = open_engine(args)
    try:
        model_id = add_model(engine, make=args.make, model=args.model,
                             hashrate_ths=args.hashrate_ths, power_w=args.power_w,
                             cooling=args.cooling, release_year=args.year, source=args.source)
    except CatalogError as exc:
        raise CliError(str(exc)) from None
    finally:
        engine.dispose()
    emit(args, {"id": model_id, "model": args.model}, f"added {args.model} (id {model_id})")
    return 0
