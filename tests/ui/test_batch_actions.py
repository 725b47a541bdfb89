from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy import insert, select

from hashinsight_desktop.services import accounts
from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import resolve
from hashinsight_desktop.store.schema.fleet import miner_tags, miners
from hashinsight_desktop.ui.batch_actions import BatchActions


def test_tag_batch_runs_in_a_worker_and_reports(qtbot, sqlite_url, monkeypatch) -> None:
    target = resolve(sqlite_url)
    admin.upgrade(target)
    engine = admin.open_for_use(target)
    session = accounts.create_user(engine, "op", "operator-pass", "operator")
    with engine.begin() as conn:
        conn.execute(insert(miners), [{"id": i, "ip": f"10.0.0.{i}"} for i in (1, 2, 3)])
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    parent = QWidget()
    qtbot.addWidget(parent)
    actions = BatchActions(engine, session, parent)
    with qtbot.waitSignal(actions.finished, timeout=10_000):
        actions._start("tag", [1, 2], {"tag": "hot-aisle"})
    assert shown and shown[0].startswith("2 done, 0 failed")
    with engine.connect() as conn:
        assert sorted(conn.scalars(select(miner_tags.c.miner_id))) == [1, 2]
    engine.dispose()


def test_sales_role_cannot_run_operations(qtbot, sqlite_url) -> None:
    from PySide6.QtWidgets import QMenu

    target = resolve(sqlite_url)
    admin.upgrade(target)
    engine = admin.open_for_use(target)
    parent = QWidget()
    qtbot.addWidget(parent)
    actions = BatchActions(engine, accounts.Session(1, "s", "sales"), parent)
    menu = QMenu(parent)
    actions.build_menu(menu, lambda: [1])
    assert menu.actions() and not any(a.isEnabled() for a in menu.actions() if a.text())
    engine.dispose()
