"""``hashinsight-desktop``: start the console on the configured database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hashinsight_desktop import __version__


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="hashinsight-desktop",
                                description="HashInsight Desktop operations console")
    p.add_argument("--version", action="version", version=f"hashinsight-desktop {__version__}")
    p.add_argument("--db", metavar="URL", help="database URL (overrides the configured one)")
    p.add_argument("--demo", action="store_true",
                   help="open the demo farm (6,000 simulated miners) in its own database "
                        "(demo.db in the data folder unless --db is given)")
    p.add_argument("--demo-miners", type=int, default=6000, metavar="N",
                   help="size of the demo farm (default 6,000)")
    p.add_argument("--screenshot", type=Path, metavar="PATH",
                   help="save a screenshot of the main window (with --quit-after)")
    p.add_argument("--quit-after", type=float, metavar="SECONDS",
                   help="quit after this many seconds (smoke tests)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # Qt is imported only now so that --version and --help work without a display.
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from hashinsight_desktop.config.registry import SettingsError, load_settings
    from hashinsight_desktop.store.admin import open_for_use
    from hashinsight_desktop.store.database import resolve
    from hashinsight_desktop.store.errors import DatabaseError
    from hashinsight_desktop.ui.main_window import MainWindow
    from hashinsight_desktop.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("HashInsight Desktop")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("HashInsight")
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[2]))
    icon = base / "resources" / "icons" / "hashinsight.svg"
    if icon.exists():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(icon)))
    try:
        settings = load_settings()
        apply_theme(app, settings.get("ui.theme"))
        if args.demo and args.db is None:
            from hashinsight_desktop.config import paths

            args.db = f"sqlite:///{paths.data_dir() / 'demo.db'}"
        target = resolve(args.db if args.db is not None else settings.get("database.url"))
        engine = open_for_use(target)
    except (SettingsError, DatabaseError) as exc:
        print(f"hashinsight-desktop: {exc}", file=sys.stderr)
        if args.quit_after is None:
            QMessageBox.critical(None, "HashInsight Desktop", str(exc))
        return 1
    session = None
    if args.demo:
        from hashinsight_desktop.services.accounts import demo_session

        session = demo_session(engine)
    elif args.quit_after is None:
        from hashinsight_desktop.ui.login_dialog import LoginDialog

        dialog = LoginDialog(engine, target.describe())
        if dialog.exec() != LoginDialog.DialogCode.Accepted or dialog.session is None:
            engine.dispose()
            return 0
        session = dialog.session
    window = MainWindow(engine, target, session=session)
    window.show()
    if args.demo:
        window.start_demo(miners=args.demo_miners)
    if args.quit_after is not None:
        def finish() -> None:
            if args.screenshot:
                args.screenshot.parent.mkdir(parents=True, exist_ok=True)
                window.grab().save(str(args.screenshot))
            window.close()
            app.quit()

        QTimer.singleShot(int(args.quit_after * 1000), finish)
    code = app.exec()
    engine.dispose()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
