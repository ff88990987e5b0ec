"""Demo data, `flask demo`: cities, an account of every role, and consultations answered by synthetic respondents.

Every seed lives here, not in the features: the demo package imports the features' models and services, and no
feature imports the demo, so there is no loop and no demo content in a feature's folder. The seeds run in the order
of `load_demo_data` (cities and accounts first: the consultations need them). A new feature adds its module here and
one line there. Idempotent: what exists already is left as it is.
"""

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from ..accounts.models import User
from ..cities.models import City
from ..extensions import db
from .accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, HashOnce, demo_logins_table, load_cities_and_accounts
from .consultations import DEFAULT_RESPONDENTS, ConsultationDemoAdded, load_consultation_demo

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "demo_command", "load_demo_data"]


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Load only when there is no city yet (used by `make run`).")
@click.option(
    "--respondents",
    type=click.IntRange(0, 9999),
    default=DEFAULT_RESPONDENTS,
    show_default=True,
    help="Synthetic young respondents answering the demo consultations (fewer load faster).",
)
@with_appcontext
def demo_command(if_empty: bool, respondents: int) -> None:
    """Load the demo cities, accounts and consultations (idempotent) and print the demo logins."""
    if if_empty and db.session.scalar(sa.select(City.id).limit(1)) is not None:
        click.echo("The database already has cities: demo data not loaded.")
    else:
        added_cities, added_accounts, consultations = load_demo_data(respondents)
        db.session.commit()
        click.echo(f"Demo data: {added_cities} cities and {added_accounts} accounts added.")
        click.echo(str(consultations))
    if db.session.scalar(sa.select(User.id).where(User.email == DEMO_ACCOUNTS[0].email)) is not None:
        click.echo(demo_logins_table())


def load_demo_data(respondents: int = DEFAULT_RESPONDENTS) -> tuple[int, int, ConsultationDemoAdded]:
    """Run every seed in order: the demo cities, accounts, roles and pending guardian consent, then the demo
    consultations answered by `respondents` synthetic young people; only what is missing is added. The caller
    commits."""
    password_hash = HashOnce()  # the demo password is hashed once for every seed
    added_cities, added_accounts = load_cities_and_accounts(password_hash)
    consultations = load_consultation_demo(respondents, password_hash=password_hash)
    return added_cities, added_accounts, consultations
