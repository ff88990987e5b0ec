"""Youth Portal: young people's voice in the cities of the Strong Cities Network."""

import logging
from pathlib import Path

from flask import Flask

from . import config as settings
from .request_size import ViewSizedRequest

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None, instance_path: str | None = None) -> Flask:
    """Build the app: settings, extensions, security, languages, features, commands."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=instance_path or str(PROJECT_ROOT / "instance"),
    )
    app.request_class = ViewSizedRequest  # a few views accept more than MAX_CONTENT_LENGTH
    app.config.update(settings.from_environment(app.instance_path))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(PROJECT_ROOT / "translations")
    app.config.update(config or {})
    settings.check_production_safety(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = settings.development_secret_key(app.instance_path)
    app.logger.setLevel(logging.INFO)

    setup_public_address(app)
    setup_database(app)
    setup_security(app)
    setup_languages(app)
    setup_accounts(app)
    setup_features(app)
    setup_commands(app)
    return app


def setup_public_address(app: Flask) -> None:
    from . import public_address

    public_address.init_app(app)


def setup_database(app: Flask) -> None:
    from . import models  # noqa: F401  (every model, so Alembic sees them)
    from .extensions import cache, db, migrate

    db.init_app(app)
    cache.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)


def setup_security(app: Flask) -> None:
    from . import security

    security.init_app(app)


def setup_languages(app: Flask) -> None:
    from flask_babel import get_locale

    from .extensions import babel
    from .i18n import LANGUAGES, lang_attributes, select_locale, text_direction

    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["lang_attributes"] = lang_attributes

    @app.context_processor
    def language_context() -> dict:
        language = str(get_locale() or "en")
        return {"languages": LANGUAGES, "current_language": language, "text_direction": text_direction(language)}


def setup_accounts(app: Flask) -> None:
    from .access import manage_menu, may
    from .accounts import sessions
    from .permissions import Capability

    sessions.init_app(app)
    app.jinja_env.globals.update(may=may, Capability=Capability)  # templates ask for a capability, never a role
    app.context_processor(manage_menu)


def setup_features(app: Flask) -> None:
    from . import errors, features
    from .accounts.feature import feature as accounts
    from .admin.feature import feature as admin
    from .cities.feature import feature as cities
    from .consultations import page_cache
    from .consultations.feature import feature as consultations
    from .guardians.feature import feature as guardians
    from .my_account.feature import feature as my_account
    from .pages.feature import feature as pages
    from .richtext import markdown_to_text, render_markdown

    # In this order come the manage menu's entries and the sections of a person's data download.
    for feature in (pages, cities, accounts, my_account, guardians, consultations, admin):
        features.register(app, feature)
    errors.init_app(app)
    page_cache.init_app(app)
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(markdown_to_text, "markdown_text")


def setup_commands(app: Flask) -> None:
    from .accounts.two_step import two_step_off_command
    from .demo import demo_command
    from .mail_worker import send_emails_command
    from .retention import retention_command

    app.cli.add_command(demo_command)
    app.cli.add_command(send_emails_command)
    app.cli.add_command(retention_command)
    app.cli.add_command(two_step_off_command)
