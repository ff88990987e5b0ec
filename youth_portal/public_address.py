"""The site's public address (PUBLIC_URL): every emailed link is built from it, never from the host a request
names, and a request naming a host that is not the site's (TRUSTED_HOSTS) is refused with 400. Behind a reverse
proxy, ProxyFix takes the client's address (which rate limits count) from the proxy's X-Forwarded-For, as many
proxies deep as configured (PROXY_FIX_X_FOR), and from nobody else."""

from flask import Flask, current_app, request, url_for
from flask.globals import request_ctx
from werkzeug.exceptions import BadHost, SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as settings


def init_app(app: Flask) -> None:
    settings.apply_public_url(app.config)
    if app.config["PROXY_FIX_X_FOR"]:
        # Flask's documented way to add a middleware, which type checkers take for replacing a method. Only the
        # client's address is taken from the proxy: never the host (the public address says it), nor the scheme
        # (Talisman reads X-Forwarded-Proto for the HTTPS redirect and HSTS itself).
        proxied = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=0, x_host=0, x_port=0, x_prefix=0)
        app.wsgi_app = proxied  # type: ignore[method-assign]
    app.before_request(_refuse_other_hosts)  # first of all: before CSRF, rate limits and the HTTPS redirect


def public_url_for(endpoint: str, **values) -> str:
    """The absolute address of a page, for an email: on the site's public address, whatever the request's host."""
    return url_for(endpoint, _external=True, _scheme=current_app.config["PREFERRED_URL_SCHEME"], **values)


def _refuse_other_hosts() -> None:
    """A request whose Host is not trusted (or not a valid name, e.g. a label longer than 63 characters) gets the
    400 page, its links built on the public address, as Flask could not make any for that host."""
    error = request.routing_exception
    if isinstance(error, BadHost | SecurityError):
        request_ctx.url_adapter = current_app.create_url_adapter(None)
        raise error
