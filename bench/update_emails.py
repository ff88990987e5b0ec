"""Telling every respondent: how long publishing an outcome takes when a consultation has thousands of respondents,
sent to a real SMTP server on loopback (aiosmtpd, which accepts everything and keeps nothing). A benchmark, not a
test: it prints figures, exit status 0.

On a fresh SQLite database (or the database of BENCH_DATABASE_URL, whose public schema is dropped and re-created), it
adds a city, a staff member and --respondents people who answered three closed consultations, then publishes each
consultation's outcome:

  1. one SMTP connection per email, as each email had before 2026-11-26 (update_emails.BATCH = 1);
  2. batches of 50 emails per connection, sent by the page itself (MAIL_WORKER unset);
  3. with MAIL_WORKER: the time the page spends on emailing (none), then the worker's (email_pending_updates).

"page" is the time the staff page spends on emailing after saving the update (update_emails.notify_respondents).

    .venv/bin/python bench/update_emails.py [--respondents 2000]
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/consult_bench .venv/bin/python bench/update_emails.py
"""

import argparse
import logging
import os
import socket
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask_migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent))
from consultations import app_for, sqlalchemy_url
from youth_portal.accounts.models import User
from youth_portal.cities.models import City, Region
from youth_portal.consultations.models import (
    Consultation,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
    Topic,
)
from youth_portal.consultations.outcome import update_emails
from youth_portal.consultations.outcome.services import publish_outcome
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow


class Accept:
    """An SMTP server's handler that accepts every email and counts them."""

    def __init__(self):
        self.received = 0

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(respondents: int) -> tuple[list[int], int]:
    """Three closed consultations answered by `respondents` people; their ids, and the staff member's."""
    now = utcnow()
    city = City(
        slug="bench",
        name="Bench",
        country="ES",
        region=Region.EUROPE,
        timezone="Europe/Madrid",
        default_language="es",
        languages=["es", "en"],
    )
    db.session.add(city)
    db.session.flush()
    staff = User(
        email="staff@bench.invalid",
        password_hash="-",
        display_name="Staff",
        home_city_id=city.id,
        birth_year=1990,
        birth_month=1,
        language="es",
        email_verified_at=now,
        created_at=now,
    )
    db.session.add(staff)
    consultations = []
    for n in range(3):
        consultation = Consultation(
            city=city,
            title={"es": f"Consulta {n}", "en": f"Consultation {n}"},
            summary={"es": "Resumen"},
            body={"es": "Texto"},
            topic=Topic.SAFETY,
            min_age=city.min_age,
            max_age=city.max_age,
            opens_at=now - timedelta(days=30),
            closes_at=now - timedelta(days=1),
            published_at=now - timedelta(days=31),
            outcome={"es": "Abriremos dos parques.", "en": "We will open two parks."},
            questions=[Question(position=1, kind=QuestionKind.YES_NO, prompt={"es": "¿Sí?"})],
        )
        db.session.add(consultation)
        consultations.append(consultation)
    db.session.flush()
    db.session.execute(
        sa.insert(User.__table__),
        [
            {
                "email": f"r{n:05d}@bench.invalid",
                "password_hash": "-",
                "display_name": f"R{n:05d}",
                "home_city_id": city.id,
                "birth_year": now.year - 20,
                "birth_month": 1,
                "language": "es" if n % 2 else "en",
                "email_verified_at": now,
                "created_at": now,
                "session_version": 1,
                "terms_version": "2026-11",
            }
            for n in range(respondents)
        ],
    )
    people = db.session.scalars(sa.select(User.id).where(User.email.like("r%@bench.invalid"))).all()
    db.session.execute(
        sa.insert(Response.__table__),
        [
            {
                "consultation_id": consultation.id,
                "user_id": person,
                "status": ResponseStatus.SUBMITTED,
                "submitted_at": now,
                "created_at": now,
                "updated_at": now,
                "age_band": "18-24",
            }
            for consultation in consultations
            for person in people
        ],
    )
    db.session.commit()
    return [c.id for c in consultations], staff.id


def publish(app, consultation_id: int, staff_id: int, *, batch: int, worker: bool) -> tuple[float, float, int]:
    """Seconds the page's part takes, seconds the worker's part takes (0 without one), emails sent."""
    update_emails.BATCH = batch
    app.config["MAIL_WORKER"] = worker
    with app.test_request_context("/", base_url="http://bench.invalid/"):
        consultation = db.session.get(Consultation, consultation_id)
        update = publish_outcome(consultation, by=db.session.get(User, staff_id))
        db.session.commit()
        started = time.perf_counter()
        sent = update_emails.notify_respondents(update)
        page = time.perf_counter() - started
    worker_seconds = 0.0
    if worker:
        with app.app_context():
            started = time.perf_counter()
            sent = update_emails.email_pending_updates()
            worker_seconds = time.perf_counter() - started
    return page, worker_seconds, sent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=2000)
    options = parser.parse_args()
    logging.disable(logging.INFO)
    folder = Path(tempfile.mkdtemp(prefix="bench-update-emails-"))
    url = sqlalchemy_url(os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder / 'bench.db'}")
    if url.startswith("postgresql"):
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    port, server = free_port(), Accept()
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    app = app_for(url, folder)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    try:
        with app.app_context():
            upgrade()
            consultation_ids, staff_id = prepare(options.respondents)
        print(
            f"{sa.engine.make_url(url).get_backend_name()}, {options.respondents} respondents per consultation, "
            f"SMTP on loopback:"
        )
        for label, batch, worker, consultation_id in (
            ("one connection per email, by the page", 1, False, consultation_ids[0]),
            ("50 emails per connection, by the page", 50, False, consultation_ids[1]),
            ("MAIL_WORKER: the page, then the worker", 50, True, consultation_ids[2]),
        ):
            page, worker_seconds, sent = publish(app, consultation_id, staff_id, batch=batch, worker=worker)
            total = page + worker_seconds
            print(
                f"  {label:40} page {page * 1000:8.1f} ms   worker {worker_seconds:6.2f} s   "
                f"{sent} emails, {sent / total:6.0f} emails/s"
            )
        print(f"  the SMTP server received {server.received} emails")
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
