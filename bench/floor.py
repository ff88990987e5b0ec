"""The floor of a submission in the consultations benchmark: a bare Flask view that writes what was posted as one
row, with SQLAlchemy Core on the app's own engine (its connection pool and SQLite settings), and commits. No session,
no CSRF token, no person, no validation, no receipt: no submission that saves anything can cost less. It measures
what the database and a commit cost this machine, beside the hello app's ceiling. Benchmark-only: never in the
product.
"""

import sqlalchemy as sa
from flask import Flask, request

metadata = sa.MetaData()
floor_rows = sa.Table(
    "bench_floor_rows",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("body", sa.Text, nullable=False),
)


def floor_app(engine: sa.Engine) -> Flask:
    app = Flask("floor")

    @app.post("/")
    def write_one_row():
        """One INSERT in one transaction, then the redirect a submission answers with."""
        with engine.begin() as connection:
            connection.execute(floor_rows.insert().values(body=request.get_data(as_text=True)))
        return "", 302, {"Location": "/"}

    return app
