"""Consultations under load: gunicorn serving the app on this machine, wrk driving it over loopback, on SQLite and
(when BENCH_DATABASE_URL is set) PostgreSQL. A benchmark, not a test: it prints figures and verdicts, exit status 0.

For each database it builds a fresh database (SQLite: a file in a temporary folder; PostgreSQL: the public schema of
BENCH_DATABASE_URL is dropped and re-created, so give it a database of its own), migrates it, loads the demo data,
adds young residents of Murcia to answer, and starts gunicorn on 127.0.0.1 (a free port) serving bench_wsgi.py: the
app, and a bare Flask "hello" app beside it. Then wrk runs, each for a fixed time with 32 connections:

  (a) GET  /bench-hello/                                   the ceiling, measured in the same run
  (b) GET  /cities/murcia/consultations/<id>               an open consultation's page, as a visitor
  (c) POST /cities/murcia/consultations/<id>/respond       "Submit" with every question answered, each request
                                                           as another signed-in young person (sessions and CSRF
                                                           tokens made beforehand with the app's own session
                                                           interface); every 4th person submits twice at once
                                                           (a double click), which must still give one response.
  (d) POST /bench-floor/                                   the floor: the same body written as one row and
                                                           committed, nothing else (floor.py), measured in the
                                                           same run: no submission that saves can be faster.

and after (c) the database must hold exactly one complete, submitted response per person whose submission was sent.

Targets: (b) >= 40 % of (a)'s requests/s with p95 <= 100 ms; (c) >= 25 % of (a)'s requests/s, zero errors, and
no lost or duplicated response.

    .venv/bin/python bench/consultations.py
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/consult_bench .venv/bin/python bench/consultations.py
    options: --duration 10 --connections 32 --workers 2 --threads 4 --submitters 6000 --only sqlite|postgresql

Needs wrk (Debian: apt-get install -y wrk) and gunicorn (pip extra "bench"); it installs nothing.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, g, session
from flask_migrate import upgrade
from flask_wtf.csrf import generate_csrf
from floor import metadata as floor_metadata

from youth_portal import create_app
from youth_portal.accounts.models import User
from youth_portal.accounts.passwords import hash_password
from youth_portal.accounts.sessions import start_session
from youth_portal.cities.models import City
from youth_portal.consultations.models import Answer, Consultation, QuestionKind, Response, ResponseStatus
from youth_portal.demo import load_demo_data
from youth_portal.demo.consultations import MARKER_TITLE
from youth_portal.extensions import db
from youth_portal.pages.terms import TERMS_VERSION
from youth_portal.timeutil import utcnow

BENCH_FOLDER = Path(__file__).resolve().parent
#: Signs the sessions made here and in the served app; benchmark only.
SECRET_KEY = "bench-only-not-a-secret-3b1f0c"
USER_AGENT = "youth-portal-bench"
SUBMITTERS = 6000
#: Submissions made in this process to count their SQL statements and CPU time.
PROFILE_SUBMISSIONS = 10
#: Every n-th person submits twice at the same moment.
DOUBLE_EVERY = 4
WRK_THREADS = 1
#: wrk counts a request slower than this as a timeout error; slow ones stay in the latency figures below it.
WRK_TIMEOUT = "10s"
WARM_UP_SECONDS = 2
PAGE_SHARE, PAGE_P95_MS, SUBMIT_SHARE = 0.40, 100.0, 0.25
BENCH_EMAIL = "bench-{number:05d}@bench.youth-portal.invalid"


@dataclass
class Setup:
    """A database ready for load: the open consultation and the people who will answer it."""

    label: str
    url: str
    consultation_id: int
    page_path: str
    respond_path: str
    form_body: str
    users_file: Path
    submitter_ids: list[int]
    queries: dict[str, int] = field(default_factory=dict)
    cpu_ms: dict[str, float] = field(default_factory=dict)


@dataclass
class Run:
    """One wrk run's figures."""

    name: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: dict[str, int]
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


# The database ------------------------------------------------------------------------------------------------------


def app_for(url: str, folder: Path):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": SECRET_KEY,
            "MAIL_SERVER": "",
            "MAIL_OUTBOX": str(folder / "outbox"),
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )


def sqlalchemy_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def prepare(label: str, url: str, folder: Path, submitters: int) -> Setup:
    """A fresh, migrated database with the demo data and `submitters` young residents of Murcia signed in."""
    if url.startswith("postgresql"):
        if sa.engine.make_url(url).database in ("postgres", "template0", "template1", None):
            raise SystemExit("BENCH_DATABASE_URL must name a database of its own: its public schema is dropped.")
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    app = app_for(url, folder)
    with app.app_context():
        upgrade()
        floor_metadata.create_all(db.engine)
        started = time.perf_counter()
        added = load_demo_data()[2]
        db.session.commit()
        print(f"  demo data loaded in {time.perf_counter() - started:.1f} s: {added}")
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        consultation = next(
            c
            for c in db.session.scalars(sa.select(Consultation).filter_by(city_id=murcia.id))
            if c.title.get("es") == MARKER_TITLE["es"]
        )
        users = add_submitters(murcia, submitters + 2 + PROFILE_SUBMISSIONS)
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE"))  # as autovacuum would after a bulk load
            db.session.commit()
        cookies = sessions_for(app, users)
        body = form_body(consultation)
        page = f"/cities/murcia/consultations/{consultation.id}"
        setup = Setup(
            label,
            url,
            consultation.id,
            page,
            page + "/respond",
            body,
            folder / f"{label}-users.tsv",
            [user.id for user in users[2 + PROFILE_SUBMISSIONS :]],
        )
        with setup.users_file.open("w") as out:
            for cookie, token in cookies[2 + PROFILE_SUBMISSIONS :]:
                out.write(f"{cookie}\t{urllib.parse.quote(token, safe='')}\n")
        db.session.remove()
    profile(app, setup, cookies[: 2 + PROFILE_SUBMISSIONS])
    with app.app_context():
        db.engine.dispose()
    return setup


def add_submitters(city: City, count: int) -> list[User]:
    """Verified young residents of the city, aged 21 (no guardian consent needed), inserted in bulk."""
    now = utcnow()
    hashed = hash_password("bench-password-never-used")
    db.session.execute(
        sa.insert(User.__table__),
        [
            {
                "email": BENCH_EMAIL.format(number=n),
                "password_hash": hashed,
                "display_name": f"Bench {n:05d}",
                "home_city_id": city.id,
                "birth_year": now.year - 21,
                "birth_month": 1,
                "language": "es",
                "email_verified_at": now - timedelta(days=30),
                "terms_version": TERMS_VERSION,
                "created_at": now,
                "session_version": 1,
            }
            for n in range(1, count + 1)
        ],
    )
    db.session.commit()
    return list(db.session.scalars(sa.select(User).where(User.email.like("bench-%")).order_by(User.email)))


def sessions_for(app, users: list[User]) -> list[tuple[str, str]]:
    """(session cookie, CSRF token) of a fresh sign-in for each person, made with the app's session interface as
    the sign-in page would (one request context each, from 127.0.0.1 with the benchmark's user agent)."""
    serializer = app.session_interface.get_signing_serializer(app)
    pairs = []
    for user in users:
        with app.test_request_context(
            "/", environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers={"User-Agent": USER_AGENT}
        ):
            start_session(user)
            g.pop(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)  # g outlives this request context
            token = generate_csrf()
            pairs.append((serializer.dumps(dict(session)), token))
    return pairs


def form_body(consultation: Consultation) -> str:
    """The answer form as a browser sends it on "Submit", every question answered (without the CSRF token)."""
    fields = []
    for question in consultation.questions:
        name, options = f"q{question.id}", [option["id"] for option in question.options]
        kind = question.kind
        if kind == QuestionKind.SINGLE_CHOICE:
            fields.append((name, options[0]))
        elif kind == QuestionKind.YES_NO:
            fields.append((name, "no"))
        elif kind == QuestionKind.MULTIPLE_CHOICE:
            fields += [(name, option) for option in options[: min(2, question.max_choices or 2)]]
        elif kind == QuestionKind.RATING:
            fields.append((name, str(((question.scale_min or 1) + (question.scale_max or 5)) // 2)))
        elif kind == QuestionKind.RANKING:
            places = min(question.max_choices or len(options), len(options))
            fields += [(name, f"{option}:{n}") for n, option in enumerate(options[:places], 1)]
        else:
            fields.append((name, "Más luz en el camino del parque, por favor."[: question.max_length or 200]))
    if consultation.ask_gender:
        fields.append(("gender", "woman"))
    if consultation.ask_district and consultation.city.districts:
        fields.append(("district", consultation.city.districts[0]))
    fields.append(("action", "submit"))
    return urllib.parse.urlencode(fields) + "&csrf_token="


def profile(app, setup: Setup, cookies: list[tuple[str, str]]) -> None:
    """Where the time goes, without load or network: SQL statements and CPU milliseconds (process time, which other
    programs on the machine disturb less than elapsed time) of one request of each kind, in this process."""
    statements = []

    def count(*_args) -> None:
        statements.append(1)

    def measure(name: str, requests, expected: int = 200) -> None:
        statements.clear()
        requests[0]()
        setup.queries[name] = len(statements)
        started = time.process_time()
        for send in requests[1:]:
            response = send()
            if response.status_code != expected:
                raise SystemExit(
                    f"{name}: the app answered {response.status_code}:\n{response.get_data(as_text=True)[:3000]}"
                )
        setup.cpu_ms[name] = (time.process_time() - started) * 1000 / (len(requests) - 1)

    def submission(cookie: str, token: str):
        client = app.test_client()
        client.set_cookie("session", cookie)
        return lambda: client.post(
            setup.respond_path,
            data=setup.form_body + urllib.parse.quote(token, safe=""),
            content_type="application/x-www-form-urlencoded",
            headers={"User-Agent": USER_AGENT},
        )

    hello = Flask("hello")
    hello.get("/")(lambda: "hello")
    hello_client, visitor, signed_in = hello.test_client(), app.test_client(), app.test_client()
    signed_in.set_cookie("session", cookies[0][0])
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        measure("hello", [lambda: hello_client.get("/")] * 500)
        measure("page", [lambda: visitor.get(setup.page_path)] * 50)
        measure("page signed in", [lambda: signed_in.get(setup.page_path, headers={"User-Agent": USER_AGENT})] * 50)
        measure("submit", [submission(*pair) for pair in cookies[1:]], expected=302)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    setup.queries.pop("hello", None)
    with app.app_context():
        db.session.remove()


# The server and the load ------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(url: str, folder: Path, workers: int, threads: int):
    """gunicorn serving bench_wsgi.py on a free loopback port; stopped gracefully (in-flight requests finish)."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET_KEY,
        "MAIL_SERVER": "",
        "MAIL_OUTBOX": str(folder / "outbox"),
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    env.pop("YOUTH_PORTAL_ENV", None)
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--threads",
        str(threads),
        "--chdir",
        str(BENCH_FOLDER),
        "--log-level",
        "warning",
        "--graceful-timeout",
        "30",
        "bench_wsgi:application",
    ]
    log = open(folder / "gunicorn.log", "ab")  # noqa: SIM115 (the server writes to it until it is stopped, below)
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base + "/bench-hello/", server)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_ready(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped while starting; see gunicorn.log")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


REPORT_LUA = r"""
threads = {}
function setup(thread) table.insert(threads, thread) end
function extra() return "" end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"extra": {%s}}\n', summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout, extra()))
end
"""

GET_LUA = (
    REPORT_LUA
    + r"""
wrk.headers["User-Agent"] = "{{user_agent}}"
"""
)

FLOOR_LUA = (
    REPORT_LUA
    + r"""
wrk.method = "POST"
wrk.body = "{{body}}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["User-Agent"] = "{{user_agent}}"
"""
)

SUBMIT_LUA = r"""
-- Each request is another person's "Submit"; a person is sent once, or twice in a row (two connections at once).
local users_file, path, body_prefix = "{{users_file}}", "{{path}}", "{{body}}"
local thread_count, double_every = {{threads}}, {{double_every}}
local counter = 0
threads = {}
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  users, sequence, position, sent, rejected, wrapped, checked = {}, {}, 0, 0, 0, 0, false
  for line in io.lines(users_file) do
    local cookie, token = line:match("([^\t]+)\t([^\t]+)")
    table.insert(users, {cookie, token})
  end
  for i = id + 1, #users, thread_count do
    table.insert(sequence, i)
    if i % double_every == 0 then table.insert(sequence, i) end
  end
end
function request()
  -- wrk calls request() once in thread 0 to check the script before the run, and never sends that request.
  if not checked then
    checked = true
    if id == 0 then return submission(users[sequence[1]]) end
  end
  position = position + 1
  local index = (position - 1) % #sequence + 1
  local i = sequence[index]
  if position > #sequence then
    wrapped = wrapped + 1
  elseif index == 1 or sequence[index - 1] ~= i then
    sent = sent + 1
  end
  return submission(users[i])
end
function submission(user)
  return wrk.format("POST", path, {
    ["Host"] = wrk.headers["Host"], ["User-Agent"] = "{{user_agent}}",
    ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "session=" .. user[1],
  }, body_prefix .. user[2])
end
function response(status, headers, body)
  if status ~= 302 then rejected = rejected + 1 end
end
function extra()
  local s, r, w, n = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    s = s + thread:get("sent"); r = r + thread:get("rejected"); w = w + thread:get("wrapped")
    n = n + thread:get("position")
  end
  return string.format('"people_sent": %d, "not_302": %d, "resent_after_wrap": %d, "generated": %d', s, r, w, n)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d}, "extra": {%s}}\n', summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout,
    extra()))
end
"""


def lua(template: str, **values) -> str:
    """A Lua script with its {{name}} placeholders filled in (URL-encoded or plain values only)."""
    for name, value in values.items():
        template = template.replace("{{" + name + "}}", str(value))
    return template


def wrk(name: str, url: str, script: Path, duration: int, connections: int) -> Run:
    """One bounded wrk run (it stops after `duration` seconds; the subprocess is killed if it does not)."""
    command = [
        "wrk",
        "--threads",
        str(WRK_THREADS),
        "--connections",
        str(connections),
        "--duration",
        f"{duration}s",
        "--timeout",
        WRK_TIMEOUT,
        "--script",
        str(script),
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60).stdout
    line = next((line for line in output.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no figures:\n{output}")
    figures = json.loads(line[len("BENCH ") :])
    return Run(
        name,
        figures["requests"],
        figures["duration_us"] / 1e6,
        figures["p50_us"] / 1000,
        figures["p95_us"] / 1000,
        figures["p99_us"] / 1000,
        figures["max_us"] / 1000,
        figures["errors"],
        figures["extra"],
    )


def load(setup: Setup, folder: Path, duration: int, connections: int, workers: int, threads: int) -> list[Run]:
    """(a), (b), (c) and (d) against one gunicorn, each after a short warm-up (not for (c): each person submits
    once)."""
    get_script = folder / "get.lua"
    get_script.write_text(lua(GET_LUA, user_agent=USER_AGENT))
    floor_script = folder / "floor.lua"
    floor_script.write_text(lua(FLOOR_LUA, body=setup.form_body, user_agent=USER_AGENT))
    submit_script = folder / f"{setup.label}-submit.lua"
    submit_script.write_text(
        lua(
            SUBMIT_LUA,
            users_file=setup.users_file,
            path=setup.respond_path,
            body=setup.form_body,
            threads=WRK_THREADS,
            double_every=DOUBLE_EVERY,
            user_agent=USER_AGENT,
        )
    )
    runs = []
    with gunicorn(setup.url, folder, workers, threads) as base:
        for name, path in (("(a) hello", "/bench-hello/"), ("(b) consultation page", setup.page_path)):
            wrk(name, base + path, get_script, WARM_UP_SECONDS, connections)
            runs.append(wrk(name, base + path, get_script, duration, connections))
        runs.append(wrk("(c) submit answers", base + setup.respond_path, submit_script, duration, connections))
        settle(setup)
        wrk("(d) floor: one row", base + "/bench-floor/", floor_script, WARM_UP_SECONDS, connections)
        runs.append(wrk("(d) floor: one row", base + "/bench-floor/", floor_script, duration, connections))
    return runs


def settle(setup: Setup, quiet_seconds: float = 2.0, limit_seconds: float = 60.0) -> None:
    """Wait until the server has answered what wrk sent before it stopped (requests still queued in the listen
    backlog are served after wrk has gone): the number of responses stays the same for `quiet_seconds`."""
    engine = sa.create_engine(setup.url)
    query = sa.select(sa.func.count()).select_from(Response).where(Response.consultation_id == setup.consultation_id)
    try:
        deadline, last, quiet_since = time.monotonic() + limit_seconds, -1, time.monotonic()
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                current = connection.scalar(query)
            if current != last:
                last, quiet_since = current, time.monotonic()
            elif time.monotonic() - quiet_since >= quiet_seconds:
                return
            time.sleep(0.25)
    finally:
        engine.dispose()


# Checking and reporting ------------------------------------------------------------------------------------------


def server_errors(log: Path) -> int:
    """Exceptions the app logged while serving (some may have answered requests wrk no longer waited for)."""
    text = log.read_text(errors="replace") if log.exists() else ""
    errors = text.count("Traceback (most recent call last)")
    if errors:
        first = text[text.index("Traceback (most recent call last)") :][:2500]
        print(f"  gunicorn.log has {errors} tracebacks; the first:\n{first}")
    return errors


def check_responses(setup: Setup, folder: Path) -> dict[str, int]:
    """What the database holds for the people of (c): one complete submitted response each, or not."""
    app = app_for(setup.url, folder)
    with app.app_context():
        answered = len(db.session.get(Consultation, setup.consultation_id).questions)
        people = sa.select(Response.id).where(
            Response.consultation_id == setup.consultation_id, Response.user_id.in_(setup.submitter_ids)
        )
        counts = {
            "responses": db.session.scalar(sa.select(sa.func.count()).select_from(people.subquery())),
            "people": db.session.scalar(
                sa.select(sa.func.count(sa.distinct(Response.user_id))).where(
                    Response.consultation_id == setup.consultation_id, Response.user_id.in_(setup.submitter_ids)
                )
            ),
            "submitted": db.session.scalar(
                sa.select(sa.func.count()).select_from(
                    people.where(Response.status == ResponseStatus.SUBMITTED).subquery()
                )
            ),
            "complete": db.session.scalar(
                sa.select(sa.func.count()).select_from(
                    sa.select(Answer.response_id)
                    .where(Answer.response_id.in_(people))
                    .group_by(Answer.response_id)
                    .having(sa.func.count() == answered)
                    .subquery()
                )
            ),
        }
        db.session.remove()
        db.engine.dispose()
    return counts


def report(setup: Setup, runs: list[Run], counts: dict[str, int], config: str) -> list[bool]:
    hello, page, submit, floor = runs
    print(f"\n{setup.label}: {config}")
    print(
        f"  {'':<24} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'requests':>9} "
        f"{'errors':>7}  of (a)"
    )
    for run in runs:
        print(
            f"  {run.name:<24} {run.rps:>9,.1f} {run.p50_ms:>8.1f} {run.p95_ms:>8.1f} {run.p99_ms:>8.1f} "
            f"{run.max_ms:>8.1f} {run.requests:>9,} {run.error_count:>7}  {run.rps / hello.rps:>6.1%}"
        )
        if run.error_count:
            print(f"  {'':<24} errors: {run.errors}")
    extra = submit.extra
    print(
        f"  (c) people whose submission was sent: {extra['people_sent']:,} "
        f"({submit.requests:,} requests completed, {extra['generated']:,} sent, every {DOUBLE_EVERY}th person "
        f"twice at once; {extra['not_302']} answers other than 302; {extra['resent_after_wrap']} re-sent after "
        f"running out of people)"
    )
    print(
        f"      database: {counts['responses']:,} responses from {counts['people']:,} distinct people, "
        f"{counts['submitted']:,} submitted, {counts['complete']:,} with every question answered; "
        f"{counts['server errors']} exceptions in the server's log"
    )
    lost = extra["people_sent"] - counts["people"]
    duplicated = counts["responses"] - counts["people"]
    intact = lost == 0 and duplicated == 0 and counts["submitted"] == counts["complete"] == counts["responses"]
    page_ok = page.rps >= PAGE_SHARE * hello.rps and page.p95_ms <= PAGE_P95_MS
    submit_ok = (
        submit.rps >= SUBMIT_SHARE * hello.rps
        and submit.error_count == 0
        and extra["not_302"] == 0
        and counts["server errors"] == 0
        and intact
    )
    print(
        f"  target (b) >= {PAGE_SHARE:.0%} of (a) and p95 <= {PAGE_P95_MS:.0f} ms: "
        f"{page.rps / hello.rps:.1%}, p95 {page.p95_ms:.1f} ms -> {'PASS' if page_ok else 'FAIL'}"
    )
    print(
        f"  target (c) >= {SUBMIT_SHARE:.0%} of (a), zero errors, no lost or duplicated response: "
        f"{submit.rps / hello.rps:.1%}, {submit.error_count + extra['not_302']} errors, {lost} lost, "
        f"{duplicated} duplicated -> {'PASS' if submit_ok else 'FAIL'}"
    )
    print(
        f"  (d) the floor, one row written and committed and nothing else: {floor.rps / hello.rps:.1%} of (a); "
        f"(c) is {submit.rps / floor.rps:.1%} of (d)"
    )
    cpu = ", ".join(f"{name} {ms:.2f}" for name, ms in setup.cpu_ms.items())
    queries = ", ".join(f"{name} {count}" for name, count in setup.queries.items())
    print(
        f"  profile, one request in this process without load: CPU ms {cpu}; SQL statements {queries}"
        " (a visitor's page: statements of its first rendering, CPU of the kept page served after)"
    )
    return [page_ok, submit_ok]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of each measured run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (one per CPU)")
    parser.add_argument(
        "--threads",
        type=int,
        default=4,
        help="threads per worker: more than 1 is gthread (overlaps database waits, keeps connections alive), 1 is sync",
    )
    parser.add_argument("--submitters", type=int, default=SUBMITTERS, help="people prepared for (c)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install -y wrk (Debian). Nothing was measured.")
        return 0
    databases = []
    if args.only != "postgresql":
        databases.append("sqlite")
    if args.only != "sqlite":
        if os.environ.get("BENCH_DATABASE_URL"):
            databases.append("postgresql")
        elif args.only == "postgresql":
            print("Set BENCH_DATABASE_URL=postgresql://... (a database of its own: its public schema is dropped).")
            return 0
    worker_kind = (
        f"gthread, {args.workers} workers x {args.threads} threads"
        if args.threads > 1
        else f"sync, {args.workers} workers"
    )
    config = (
        f"gunicorn {worker_kind}; wrk {WRK_THREADS} thread(s), {args.connections} connections, "
        f"{args.duration} s per run; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start"
    )
    for database in databases:
        with tempfile.TemporaryDirectory(prefix="bench-consultations-") as name:
            folder = Path(name)
            url = (
                f"sqlite:///{folder / 'bench.db'}"
                if database == "sqlite"
                else sqlalchemy_url(os.environ["BENCH_DATABASE_URL"])
            )
            label = "SQLite" if database == "sqlite" else "PostgreSQL"
            print(f"{label}: preparing the database ...")
            setup = prepare(label, url, folder, args.submitters)
            runs = load(setup, folder, args.duration, args.connections, args.workers, args.threads)
            counts = check_responses(setup, folder)
            counts["server errors"] = server_errors(folder / "gunicorn.log")
            report(setup, runs, counts, config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
