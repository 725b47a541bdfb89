"""``hashinsight config show|set KEY VALUE``: the typed user settings."""

from __future__ import annotations

import argparse

from hashinsight_desktop.cli.context import settings_or_fail
from hashinsight_desktop.cli.errors import CliError
from hashinsight_desktop.cli.output import emit
from hashinsight_desktop.config import paths
from hashinsight_desktop.config.registry import SETTINGS, SettingsError


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("config", parents=[common], help="show or change settings")
    actions = p.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    show = actions.add_parser("show", parents=[common], help="list every setting and its value")
    show.set_defaults(handler=_show)
    set_ = actions.add_parser("set", parents=[common], help="change one setting")
    set_.add_argument("key")
    set_.add_argument("value")
    set_.set_defaults(handler=_set)
    unset = actions.add_parser("unset", parents=[common], help="return a setting to its default")
    unset.add_argument("key")
    unset.set_defaults(handler=_unset)


def _show(args: argparse.Namespace) -> int:
    settings = settings_or_fail()
    stored = settings.stored()
    rows = [
        {"key": s.key, "value": settings.get(s.key), "default": s.default,
         "changed": s.key in stored, "type": s.type.__name__, "help": s.help}
        for s in SETTINGS
    ]

    def text() -> str:
        width = max(len(r["key"]) for r in rows)
        lines = [f"Settings file: {paths.settings_file()}"]
        for r in rows:
            mark = "*" if r["changed"] else " "
            lines.append(f"{mark} {r['key']:<{width}}  {r['value']!r}")
        lines.append("(* = changed from the default)")
        return "\n".join(lines)

    emit(args, {"file": str(paths.settings_file()), "settings": rows}, text)
    return 0


def _set(args: argparse.Namespace) -> int:
    settings = settings_or_fail()
    try:
        old = settings.get(args.key)
        value = settings.set(args.key, args.value)
        path = settings.save()
    except SettingsError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot write the settings file: {exc}") from None
    emit(args, {"key": args.key, "old": old, "value": value, "file": str(path)},
         f"{args.key} = {value!r} (was {old!r})")
    return 0


def _unset(args: argparse.Namespace) -> int:
    settings = settings_or_fail()
    try:
        from hashinsight_desktop.config.registry import setting

        default = setting(args.key).default
    except SettingsError as exc:
        raise CliError(str(exc)) from None
    values = settings.stored()
    values.pop(args.key, None)
    from hashinsight_desktop.config.registry import Settings

    Settings(values, path=settings.path).save()
    emit(args, {"key": args.key, "value": default}, f"{args.key} reset to {default!r}")
    return 0
