import json

import pytest

from hashinsight_desktop.config import paths
from hashinsight_desktop.config.registry import (
    SCHEMA_VERSION,
    Settings,
    SettingsError,
    load_settings,
)


def test_defaults_when_no_file() -> None:
    s = load_settings()
    assert s.get("collector.telemetry_interval_s") == 60
    assert s.get("collector.market_interval_s") == 900
    assert s.get("ui.theme") == "dark"
    assert s.get("alerts.temp_max_c") == 80.0


def test_set_save_and_reload_round_trip() -> None:
    s = load_settings()
    s.set("electricity.price_per_kwh", "0.045")
    s.set("ui.language", "zh_CN")
    path = s.save()
    assert path == paths.settings_file()
    document = json.loads(path.read_text())
    assert document["schema_version"] == SCHEMA_VERSION
    again = load_settings()
    assert again.get("electricity.price_per_kwh") == pytest.approx(0.045)
    assert again.get("ui.language") == "zh_CN"


@pytest.mark.parametrize(("key", "value", "fragment"), [
    ("collector.telemetry_interval_s", "fast", "must be int"),
    ("collector.telemetry_interval_s", "1", ">= 5"),
    ("ui.theme", "pink", "one of dark, light"),
    ("electricity.price_per_kwh", "nan", "finite"),
    ("database.url", "mysql://x/y", "postgresql"),
    ("database.url", "postgresql+psycopg://u:secret@h/db", "keyring"),
])
def test_bad_values_are_refused_naming_the_key(key: str, value: str, fragment: str) -> None:
    s = Settings()
    with pytest.raises(SettingsError) as info:
        s.set(key, value)
    assert key in str(info.value) and fragment in str(info.value)


def test_unknown_key_suggests_close_names() -> None:
    with pytest.raises(SettingsError, match=r"unknown setting 'theme'.*ui\.theme"):
        Settings().set("theme", "dark")


def test_corrupt_file_is_reported_and_left_untouched() -> None:
    path = paths.settings_file()
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    with pytest.raises(SettingsError, match="unreadable"):
        load_settings()
    assert path.read_text() == "{not json"


def test_newer_schema_is_refused() -> None:
    path = paths.settings_file()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION + 1, "values": {}}))
    with pytest.raises(SettingsError, match=r"newer"):
        load_settings()


def test_stored_value_of_wrong_type_is_refused() -> None:
    path = paths.settings_file()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"schema_version": 1, "values": {"ui.theme": 3}}))
    with pytest.raises(SettingsError, match=r"ui\.theme"):
        load_settings()
