"""Error pages in the visitor's language, with the right status code."""

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from .mail import MailServerDown

MESSAGES = {
    400: (_l("Something was wrong with that request"), _l("Please go back and try again.")),
    403: (_l("Not allowed"), _l("You are not allowed to do that.")),
    404: (
        _l("Page not found"),
        _l("We could not find that page. Check the address, or start again from the home page."),
    ),
    405: (_l("Not allowed"), _l("That page cannot be used this way.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    429: (_l("Please slow down"), _l("Too many attempts in a short time. Wait a minute, then try again.")),
    500: (_l("Something went wrong"), _l("Something went wrong on our side. Please try again later.")),
}


def init_app(app: Flask) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, _render)
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(MailServerDown, _mail_server_down)


def _render(error):
    code = getattr(error, "code", 500) or 500
    title, message = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", title=title, message=message), code


def _csrf(_error):
    title = _l("This form has expired")
    message = _l("For your safety, forms expire. Please go back, reload the page and try again.")
    return render_template("errors/error.html", title=title, message=message), 400


def _mail_server_down(_error):
    title = _l("Email is not working right now")
    message = _l(
        "We could not send an email just now, so nothing was saved. Please go back and try again in a few minutes."
    )
    return render_template("errors/error.html", title=title, message=message), 503
