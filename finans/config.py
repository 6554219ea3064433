"""Settings from the environment and an optional ``finans.toml`` in the instance folder.

The environment wins over the file. Nothing is read at import time: the CLI and the web app call
:meth:`Settings.from_env` when they start and pass the result down.

- ``FINANS_INSTANCE``: the instance folder (default ``./instance``); it holds the SQLite database,
  the generated development secret key and the optional ``finans.toml``.
- ``FINANS_DATABASE_URL``: ``sqlite:////path/finans.db`` or ``postgresql+psycopg://…``; default a
  SQLite file ``finans.db`` in the instance folder.
- ``FINANS_SECRET_KEY``: required when ``FINANS_ENV=production``; in development one is generated
  once and kept in the instance folder.
- ``FINANS_ENV``: ``development`` (default) or ``production``.
- ``FINANS_RATELIMIT_STORAGE_URL``: where the log-in limits count, shared by every server process
  (``redis://host:6379/0``); default ``memory://``, one count per process.
- ``FINANS_TRUSTED_PROXIES``: how many reverse proxies stand in front of the app (default 0); their
  ``X-Forwarded-For`` and ``X-Forwarded-Proto`` headers are then believed.
- ``FINANS_SMTP_URL``: the SMTP server notifications go through (``smtp://host:port``,
  ``smtp+starttls://user:password@host:port`` or ``smtps://user:password@host:port``); without it
  (or without ``FINANS_MAIL_FROM``) nothing is sent and mails stay in the outbox.
- ``FINANS_MAIL_FROM``: the sender address of notifications.
- ``FINANS_BASE_URL``: the app's public address (``https://finans.kommune.dk``), which links in
  mails start with; default ``http://127.0.0.1:5000``.
- ``FINANS_G69_MACHINE_NUMBER``: the machine number finance assigned to finans' G69 posting files
  (1 to 99999, default 1); ``FINANS_G69_MUNICIPALITY``: the municipality number in their headers
  (0 to 9999, default 0). See docs/postings.md.

See docs/notifications.md for what is sent when.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from finans.ledger import G69Settings

ENVIRONMENTS = ("development", "production")
CONFIG_FILE = "finans.toml"
SECRET_KEY_FILE = "secret_key"
_FILE_KEYS = {"database_url", "secret_key", "env", "ratelimit_storage_url", "trusted_proxies",
              "smtp_url", "mail_from", "base_url", "g69_machine_number", "g69_municipality"}
MAX_PROXIES = 10
G69_LIMITS = {"g69_machine_number": 99_999, "g69_municipality": 9_999}
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


class ConfigError(Exception):
    """The configuration cannot be used; ``args[0]`` is a Danish message for the operator."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Where finans keeps its data and how it runs.

    Attributes:
      instance: the instance folder (absolute).
      database_url: SQLAlchemy URL of the database.
      env: ``development`` or ``production``.
      secret_key: the configured secret key, if any (see :meth:`load_secret_key`).
      ratelimit_storage_url: the storage of the log-in limits.
      trusted_proxies: the number of reverse proxies in front of the app.
      smtp_url: the SMTP server for notifications, if any.
      mail_from: the sender address of notifications, if any.
      base_url: the app's public address, without a trailing slash.
      g69_machine_number: the machine number of G69 posting files.
      g69_municipality: the municipality number in G69 headers.
    """

    instance: Path
    database_url: str
    env: str = "development"
    secret_key: str | None = None
    ratelimit_storage_url: str = "memory://"
    trusted_proxies: int = 0
    smtp_url: str | None = None
    mail_from: str | None = None
    base_url: str = DEFAULT_BASE_URL
    g69_machine_number: int = 1
    g69_municipality: int = 0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings; a production setup without a secret key is refused."""
        environ = os.environ if environ is None else environ
        instance = Path(environ.get("FINANS_INSTANCE") or "instance").resolve()
        file_values = _read_config_file(instance / CONFIG_FILE)

        def value(key: str) -> str | None:
            return environ.get(f"FINANS_{key.upper()}") or file_values.get(key)

        env = value("env") or "development"
        if env not in ENVIRONMENTS:
            raise ConfigError(f"FINANS_ENV skal være development eller production, ikke {env!r}")
        secret_key = value("secret_key")
        if env == "production" and not secret_key:
            raise ConfigError("FINANS_SECRET_KEY skal være sat, når FINANS_ENV=production")
        database_url = value("database_url") or f"sqlite:///{instance / 'finans.db'}"
        proxies = value("trusted_proxies") or "0"
        if not (proxies.isascii() and proxies.isdigit() and int(proxies) <= MAX_PROXIES):
            raise ConfigError(
                f"FINANS_TRUSTED_PROXIES skal være et helt tal fra 0 til {MAX_PROXIES}, "
                f"ikke {proxies!r}"
            )
        base_url = (value("base_url") or DEFAULT_BASE_URL).rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise ConfigError(f"FINANS_BASE_URL skal begynde med http:// eller https://, ikke "
                              f"{base_url!r}")
        return cls(
            instance=instance, database_url=database_url, env=env, secret_key=secret_key,
            ratelimit_storage_url=value("ratelimit_storage_url") or "memory://",
            trusted_proxies=int(proxies),
            smtp_url=value("smtp_url"), mail_from=value("mail_from"), base_url=base_url,
            g69_machine_number=_number("g69_machine_number", value("g69_machine_number"), 1),
            g69_municipality=_number("g69_municipality", value("g69_municipality"), 0),
        )

    @property
    def g69(self) -> G69Settings:
        """The numbers G69 posting files carry."""
        return G69Settings(self.g69_machine_number, self.g69_municipality)

    def load_secret_key(self) -> str:
        """The configured secret key, or in development one generated once into the instance."""
        if self.secret_key:
            return self.secret_key
        if self.env == "production":
            raise ConfigError("FINANS_SECRET_KEY skal være sat, når FINANS_ENV=production")
        path = self.instance / SECRET_KEY_FILE
        if not path.exists():
            self.instance.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32), encoding="ascii")
            path.chmod(0o600)
        return path.read_text(encoding="ascii").strip()


def _number(key: str, text: str | None, default: int) -> int:
    """A whole number setting within its field's size."""
    if text is None or not text.strip():
        return default
    high = G69_LIMITS[key]
    if not (text.strip().isascii() and text.strip().isdigit()) or int(text) > high:
        raise ConfigError(f"FINANS_{key.upper()} skal være et helt tal fra 0 til {high}")
    return int(text)


def _read_config_file(path: Path) -> dict[str, str]:
    """The known keys of ``finans.toml``; a broken file is an error, not silently ignored."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path} kan ikke læses: {error}") from None
    unknown = sorted(set(data) - _FILE_KEYS)
    if unknown:
        raise ConfigError(f"{path} har ukendte nøgler: {', '.join(unknown)}")
    wrong = sorted(key for key, item in data.items() if not isinstance(item, str))
    if wrong:
        raise ConfigError(f"{path}: {', '.join(wrong)} skal være tekst")
    return data
