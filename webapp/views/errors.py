"""Danish error pages; JSON for the API."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..i18n import gettext as _
from .common import rollback


def _titles() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Forkert forespørgsel"), _("Forespørgslen kunne ikke forstås.")),
        401: (_("Log ind"), _("Du skal være logget ind.")),
        403: (_("Ingen adgang"),
              _("Du har ikke adgang til denne side. Kontakt sekretariatet, hvis du mener, "
                "at du burde have adgang.")),
        404: (_("Siden findes ikke"),
              _("Vi kan ikke finde siden. Tjek adressen, eller gå til forsiden.")),
        405: (_("Metoden er ikke tilladt"), _("Siden kan ikke bruges på denne måde.")),
        410: (_("Linket virker ikke længere"), _("Linket er udløbet eller allerede brugt.")),
        413: (_("Filen er for stor"),
              _("Det, du sendte, fylder for meget. Gå tilbage, vælg en mindre fil (grænsen står "
                "ved feltet), og prøv igen.")),
        500: (_("Der skete en fejl"),
              _("Der skete en fejl hos os. Prøv igen om lidt. Fejlen er registreret.")),
    }


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        title = _("Formularen er udløbet")
        text = _("Siden har været åben for længe, eller formularen blev sendt to gange. "
                 "Gå tilbage, genindlæs siden, og prøv igen.")
        return render_template("errors/error.html", code=400, title=title, text=text), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        title, text = _titles().get(code, (error.name, error.description or ""))
        if _wants_json():
            return jsonify(error=title, status=code), code
        return render_template("errors/error.html", code=code, title=title, text=text), code

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> ResponseReturnValue:
        app.logger.exception("unhandled error on %s", request.path)
        try:
            rollback()
        except Exception:  # the database itself may be what failed
            app.logger.warning("rollback after an error failed", exc_info=True)
        title, text = _titles()[500]
        if _wants_json():
            return jsonify(error=title, status=500), 500
        return render_template("errors/error.html", code=500, title=title, text=text), 500
