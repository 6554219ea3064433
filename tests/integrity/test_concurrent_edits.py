"""Two people saving the same split version at the same moment, both having read the same
``version``: one save goes through and the other is refused with 409 and what changed — through
the split form, through the API — never a 500, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import Flask
from sqlalchemy import Engine
from sqlmodel import Session

from finans.services.splits import get_split, propose_split
from tests.integrity.town import ANNA, ROOT
from tests.web.webclient import Client

SAVES = 6


def _proposal(engine: Engine) -> dict[str, object]:
    with Session(engine) as session:
        return propose_split(session, actor=ANNA.actor, intervention="I-1", data={
            "effective_from": "2027-01-01", "method": "fixed",
            "shares": {"BFH": "60", "JOB": "40"}})


def _at_once(calls: list[Callable[[], int]]) -> list[int]:
    barrier = threading.Barrier(len(calls))
    statuses = [0] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        statuses[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


def _stored(engine: Engine, split_id: object) -> dict[str, object]:
    with Session(engine) as session:
        return get_split(session, actor=ROOT, split_id=int(str(split_id)))


def test_two_saves_of_the_split_form_with_one_version_give_one_save_and_one_409(
    app: Flask, engine: Engine, login: Callable[[str], Client]
) -> None:
    split = _proposal(engine)
    clients = [login("anna") for _ in range(SAVES)]
    for client in clients:
        client.get(f"/fordelinger/{split['id']}/rediger")

    def save(client: Client, share: int) -> Callable[[], int]:
        return lambda: client.post(f"/fordelinger/{split['id']}/rediger", {
            "action": "propose", "version": str(split["version"]),
            "effective_from": "01-01-2027", "method": "fixed",
            "shares.BFH": str(share), "shares.JOB": str(100 - share),
        }).status_code

    statuses = _at_once([save(client, 50 + i) for i, client in enumerate(clients)])
    assert statuses == [302] + [409] * (SAVES - 1)
    assert _stored(engine, split["id"])["version"] == int(str(split["version"])) + 1


def test_two_saves_through_the_api_with_one_version_give_one_200_and_one_409(
    app: Flask, engine: Engine, bearer: Callable[[str], dict[str, str]]
) -> None:
    split = _proposal(engine)

    def save(share: int) -> Callable[[], int]:
        client = app.test_client()
        return lambda: client.patch(
            f"/api/v1/splits/{split['id']}", headers=bearer("anna"),
            json={"version": split["version"],
                  "shares": {"BFH": str(share), "JOB": str(100 - share)}},
        ).status_code

    statuses = _at_once([save(50 + i) for i in range(SAVES)])
    assert statuses == [200] + [409] * (SAVES - 1)
    stored = _stored(engine, split["id"])
    assert stored["version"] == int(str(split["version"])) + 1
