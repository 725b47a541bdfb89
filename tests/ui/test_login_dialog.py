import pytest

from hashinsight_desktop.services import accounts
from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import resolve
from hashinsight_desktop.ui.login_dialog import LoginDialog


@pytest.fixture
def engine(sqlite_url):
    target = resolve(sqlite_url)
    admin.upgrade(target)
    e = admin.open_for_use(target)
    yield e
    e.dispose()


def test_first_run_creates_the_owner(qtbot, engine, monkeypatch) -> None:
    dialog = LoginDialog(engine, "test db")
    qtbot.addWidget(dialog)
    assert dialog.first_run
    dialog.username.setText("owner1")
    dialog.password.setText("long-password")
    dialog.confirm.setText("different-one")
    dialog.submit()
    assert "differ" in dialog.error.text() and dialog.session is None
    dialog.password.setText("long-password")
    dialog.confirm.setText("long-password")
    dialog.submit()
    assert dialog.session is not None and dialog.session.role == "owner"


def test_wrong_password_is_refused(qtbot, engine, monkeypatch) -> None:
    monkeypatch.setattr(accounts, "FAILURE_DELAY_S", 0.0)
    accounts.create_first_owner(engine, "owner1", "long-password")
    dialog = LoginDialog(engine, "test db")
    qtbot.addWidget(dialog)
    assert not dialog.first_run
    dialog.username.setText("owner1")
    dialog.password.setText("nope-nope")
    dialog.submit()
    assert "wrong user name or password" in dialog.error.text()
    dialog.password.setText("long-password")
    dialog.submit()
    assert dialog.session is not None and dialog.result() == dialog.DialogCode.Accepted
