"""``finans token create|list|revoke`` and ``finans user password``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from finans.cli.db import token, user
from finans.services.actor import Actor, Role
from finans.services.tokens import actor_for_token, list_tokens
from finans.services.users import authenticate
from finans.store.timestamps import local, now
from tests.integration.test_cli_db import demo_file, demo_url, query, runner_for

__all__ = ["demo_file", "demo_url"]
ADMIN = Actor("admin", Role.ADMIN)


def test_token_create_takes_an_expiry_and_a_label(demo_url: str, tmp_path: Path) -> None:
    run = runner_for(demo_url, tmp_path)
    result = run(token, "create", "leder", "--expires-in", "7", "--label", "Power BI")
    assert result.exit_code == 0
    assert "gælder i 7 dage" in result.stderr
    [item] = query(demo_url, lambda s: list_tokens(s, actor=ADMIN, username="leder"))
    assert item.label == "Power BI"
    assert local(item.expires_at).date() == local(now() + timedelta(days=7)).date()


def test_token_create_refuses_an_expiry_outside_its_range(demo_url: str, tmp_path: Path) -> None:
    result = runner_for(demo_url, tmp_path)(token, "create", "leder", "--expires-in", "0")
    assert result.exit_code == 2


def test_token_list_shows_every_token_but_never_the_secret(demo_url: str, tmp_path: Path) -> None:
    run = runner_for(demo_url, tmp_path)
    first = run(token, "create", "leder", "--label", "Rapporter").stdout.strip()
    second = run(token, "create", "admin").stdout.strip()
    everyone = run(token, "list")
    assert everyone.exit_code == 0
    lines = everyone.output.splitlines()
    assert lines[0].split() == ["ID", "Bruger", "Nøgle", "Betegnelse", "Oprettet", "Sidst",
                                "brugt", "Udløber", "Status"]
    assert len(lines) == 3
    assert first not in everyone.output and second not in everyone.output
    assert f"{first[:12]}…" in everyone.output and "Rapporter" in everyone.output
    only = run(token, "list", "leder").output.splitlines()
    assert len(only) == 2 and "leder" in only[1] and "gyldig" in only[1]


def test_token_revoke_stops_the_token_at_once(demo_url: str, tmp_path: Path) -> None:
    run = runner_for(demo_url, tmp_path)
    value = run(token, "create", "leder").stdout.strip()
    result = run(token, "revoke", "1")
    assert result.exit_code == 0
    assert result.output == f"API-nøgle 1 ({value[:12]}…, leder) er tilbagekaldt.\n"
    assert query(demo_url, lambda s: actor_for_token(s, token=value)) is None
    assert "tilbagekaldt" in run(token, "list").output


def test_token_revoke_of_an_unknown_id_fails(demo_url: str, tmp_path: Path) -> None:
    result = runner_for(demo_url, tmp_path)(token, "revoke", "42")
    assert result.exit_code == 1
    assert "API-nøgle 42 findes ikke." in result.output


def test_user_password_sets_a_new_password_and_revokes_the_users_tokens(
    demo_url: str, tmp_path: Path
) -> None:
    run = runner_for(demo_url, tmp_path)
    value = run(token, "create", "leder").stdout.strip()
    result = run(user, "password", "leder", "--password-stdin", stdin="en-ny-kode-her\n")
    assert result.exit_code == 0
    found = query(demo_url, lambda s: authenticate(s, username="leder", password="en-ny-kode-her"))
    assert found == Actor("leder", Role.MANAGER)
    assert query(demo_url, lambda s: actor_for_token(s, token=value)) is None
