"""Settings from the environment and the instance folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from finans.config import ConfigError, Settings


def test_the_default_database_is_a_sqlite_file_in_the_instance_folder(tmp_path: Path) -> None:
    settings = Settings.from_env({"FINANS_INSTANCE": str(tmp_path / "inst")})
    assert settings.database_url == f"sqlite:///{tmp_path / 'inst' / 'finans.db'}"
    assert (settings.env, settings.secret_key) == ("development", None)


def test_the_environment_wins_over_the_instance_config_file(tmp_path: Path) -> None:
    (tmp_path / "finans.toml").write_text(
        'database_url = "sqlite:////srv/fil.db"\nsecret_key = "fra-filen"\n', encoding="utf-8"
    )
    settings = Settings.from_env({
        "FINANS_INSTANCE": str(tmp_path),
        "FINANS_DATABASE_URL": "postgresql+psycopg://finans@db/finans",
    })
    assert settings.database_url == "postgresql+psycopg://finans@db/finans"
    assert settings.secret_key == "fra-filen"


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="FINANS_SECRET_KEY"):
        Settings.from_env({"FINANS_INSTANCE": str(tmp_path), "FINANS_ENV": "production"})


def test_development_generates_a_secret_key_once_and_keeps_it(tmp_path: Path) -> None:
    settings = Settings.from_env({"FINANS_INSTANCE": str(tmp_path / "inst")})
    key = settings.load_secret_key()
    assert len(key) == 64
    assert Settings.from_env({"FINANS_INSTANCE": str(tmp_path / "inst")}).load_secret_key() == key
    assert (tmp_path / "inst" / "secret_key").stat().st_mode & 0o777 == 0o600


def test_a_config_file_with_unknown_keys_is_refused(tmp_path: Path) -> None:
    (tmp_path / "finans.toml").write_text('databse_url = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="databse_url"):
        Settings.from_env({"FINANS_INSTANCE": str(tmp_path)})


def test_an_unknown_environment_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="FINANS_ENV"):
        Settings.from_env({"FINANS_INSTANCE": str(tmp_path), "FINANS_ENV": "staging"})
