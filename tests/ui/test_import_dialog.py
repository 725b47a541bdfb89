from sqlalchemy import func, select

from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import resolve
from hashinsight_desktop.store.schema.fleet import miners
from hashinsight_desktop.ui.import_dialog import ImportDialog


def test_preview_lists_errors_and_imports_valid_rows(qtbot, sqlite_url, tmp_path) -> None:
    target = resolve(sqlite_url)
    admin.upgrade(target)
    engine = admin.open_for_use(target)
    f = tmp_path / "m.csv"
    f.write_text("ip,model\n10.0.0.1,S19 Pro\nnot-an-ip,S19 Pro\n10.0.0.2,S21\n")
    dialog = ImportDialog(engine)
    qtbot.addWidget(dialog)
    dialog.load(f)
    assert dialog.errors.rowCount() == 1
    assert dialog.errors.item(0, 0).text() == "3"
    assert "2 valid" in dialog.summary.text()
    assert dialog.import_button.text() == "Import the 2 valid rows only"
    dialog.do_import()
    assert dialog.imported == 2
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(miners)) == 2
    engine.dispose()
