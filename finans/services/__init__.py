"""Use cases shared by the web UI, the API, the CLI and the workbook import.

Plain functions taking a ``sqlmodel.Session`` and keyword arguments, named after what they do
(``propose_split``, ``decide``, ``load_scenario``). Changes check the actor's permissions, write an
audit entry and commit; reads return scenario-shaped dicts with each record's ``version``. Refusals
are the exceptions of :mod:`finans.services.errors`.
"""
