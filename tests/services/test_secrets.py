import keyring
import keyring.backends.fail

from hashinsight_desktop.services import secrets


def test_secret_goes_to_the_keyring(memory_keyring) -> None:
    status = secrets.set_secret("postgresql://db:5432/farm", "ops", "s3cret-A")
    assert status.persistent
    assert "s3cret-A" in memory_keyring.store.values()
    assert secrets.get_secret("postgresql://db:5432/farm", "ops") == "s3cret-A"
    secrets.delete_secret("postgresql://db:5432/farm", "ops")
    assert secrets.get_secret("postgresql://db:5432/farm", "ops") is None


def test_without_a_keyring_the_secret_is_kept_for_the_session_only() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    status = secrets.backend_status()
    assert not status.persistent and "session only" in status.message
    result = secrets.set_secret("api", "coingecko", "k-123")
    assert not result.persistent
    assert secrets.get_secret("api", "coingecko") == "k-123"
    secrets.clear_session_secrets()
    assert secrets.get_secret("api", "coingecko") is None
