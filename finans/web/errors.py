"""One place that turns errors into friendly Danish pages, never a traceback.

Domain errors from the services map to HTTP statuses here (NotFound → 404, Forbidden → 403,
Conflict → 409 with what changed, ServiceError → 422 with every problem), so views only catch a
ServiceError where they want to show the problems next to the form instead.
"""

from __future__ import annotations

import logging
import math

from flask import Flask, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy import exc
from werkzeug.exceptions import HTTPException

from finans.services.errors import Conflict, Forbidden, NotFound, ServiceError

log = logging.getLogger(__name__)
Page = tuple[str, int, dict[str, str]]

PAGES: dict[int, tuple[str, str]] = {
    400: ("Forespørgslen kunne ikke behandles",
          "Siden fik data, den ikke kunne forstå. Gå tilbage og prøv igen."),
    403: ("Du har ikke adgang til denne side",
          "Din rolle giver ikke adgang her. Kontakt en administrator, hvis du mener, det er "
          "en fejl."),
    404: ("Siden findes ikke",
          "Siden eller sagen, du leder efter, findes ikke. Tjek adressen eller gå til forsiden."),
    405: ("Handlingen er ikke tilladt her",
          "Siden kan ikke bruges på den måde. Gå tilbage og brug knapperne på siden."),
    409: ("En anden har gemt først",
          "Nogen har ændret de samme oplysninger, mens du arbejdede. Intet af dit er gemt."),
    413: ("Filen er for stor",
          "Den valgte fil er større end tilladt. Vælg en mindre fil."),
    422: ("Oplysningerne kunne ikke gemmes",
          "Der er fejl i det indtastede. Gå tilbage, ret fejlene og prøv igen."),
    429: ("For mange forsøg",
          "Der har været for mange mislykkede forsøg på at logge ind. Vent lidt, og prøv igen."),
    500: ("Der opstod en fejl",
          "Noget gik galt hos os. Fejlen er logget. Prøv igen om lidt."),
}
PLAIN_PAGE = (
    '<!doctype html><html lang="da"><meta charset="utf-8"><title>{heading}</title>'
    "<h1>{heading}</h1><p>{explanation}</p></html>"
)
RETRY_AFTER_SECONDS = 30
"""How long a client is asked to wait when the database does not answer."""
DATABASE_DOWN = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError)
"""What SQLAlchemy raises when the database cannot be reached, is restarting or is busy."""
UNAVAILABLE_PAGE = (
    '<!doctype html><html lang="da"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    '<title>Prøv igen om lidt – finans</title><link rel="stylesheet" href="{css}"></head>'
    '<body><main id="indhold"><section class="error-page"><h1>Prøv igen om lidt</h1>'
    "<p>finans kan ikke få fat i sin database lige nu. Det er som regel overstået i løbet af "
    "kort tid, og intet af det, der allerede er gemt, er gået tabt.</p>"
    "<p>Vent et halvt minut, og prøv så igen. Var du ved at gemme noget, så tjek bagefter, om "
    "det kom med.</p>"
    '<p><a class="button" href="{again}">Prøv igen</a></p>'
    '<p class="code">Fejlkode 503</p></section></main></body></html>'
)
CSRF_PAGE = ("Formularen er udløbet",
             "Siden var åben for længe, eller formularen mangler sit sikkerhedsfelt. Gå tilbage, "
             "genindlæs siden og prøv igen.")


def error_page(
    status: int,
    *,
    page: tuple[str, str] | None = None,
    changes: list[str] | None = None,
    problems: list[object] | None = None,
    retry_after: int = 0,
) -> Page:
    """The Danish error page for ``status`` (with what changed for a 409)."""
    heading, explanation = page or PAGES.get(status, PAGES[500])
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    back = request.referrer if request.referrer and request.referrer != request.url else None
    try:
        body = render_template(
            "errors/error.html",
            status=status,
            heading=heading,
            explanation=explanation,
            changes=changes or [],
            problems=problems or [],
            retry_minutes=math.ceil(retry_after / 60) if retry_after else 0,
            back=back,
        )
    except Exception:  # the page itself failed (say, the database is gone): say it plainly
        log.exception("The error page for %s could not be rendered", status)
        body = PLAIN_PAGE.format(heading=escape(heading), explanation=escape(explanation))
    return body, status, headers


def note_outage(error: Exception) -> None:
    """One log line per failed request, without a traceback: an outage is not a bug."""
    cause = str(getattr(error, "orig", None) or error).strip().splitlines()
    log.warning("Database unavailable on %s %s: %s", request.method, request.path,
                cause[0] if cause else type(error).__name__)


def unavailable_page() -> Page:
    """503 and a Danish page built without templates: rendering one would look up the
    logged-in user, in the database that is not there."""
    again = request.full_path.rstrip("?") if request.method == "GET" else "/"
    page = UNAVAILABLE_PAGE.format(css=url_for("static", filename="finans.css"),
                                   again=escape(again))
    return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def register_error_pages(app: Flask) -> None:
    """Install the handlers; every page here renders without touching the database."""

    @app.errorhandler(CSRFError)
    def csrf_failed(_error: CSRFError) -> Page:
        return error_page(400, page=CSRF_PAGE)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Page | HTTPException:
        status = error.code or 500
        if status not in PAGES:
            return error
        return error_page(status)

    @app.errorhandler(NotFound)
    def not_found(error: NotFound) -> Page:
        return error_page(404, page=(PAGES[404][0], error.message))

    @app.errorhandler(Forbidden)
    def forbidden(error: Forbidden) -> Page:
        return error_page(403, page=(PAGES[403][0], error.message))

    @app.errorhandler(Conflict)
    def conflict(error: Conflict) -> Page:
        return error_page(409, page=(PAGES[409][0], error.message), changes=list(error.changes))

    @app.errorhandler(ServiceError)
    def invalid(error: ServiceError) -> Page:
        return error_page(422, problems=list(error.problems))

    @app.errorhandler(exc.OperationalError)
    @app.errorhandler(exc.InterfaceError)
    @app.errorhandler(exc.TimeoutError)
    def database_down(error: Exception) -> Page:
        note_outage(error)
        return unavailable_page()

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Page:
        log.exception("Unhandled error on %s %s", request.method, request.path, exc_info=error)
        return error_page(500)

