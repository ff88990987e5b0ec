"""Whether the time of POST /password/forgot tells if an address has an account: paired requests, in process, for an
address with an account and one without (in turn first), on a fresh SQLite database with emails to the outbox (or
queued, with --worker). Prints the median of each and of their ratio, and how often the known address was slower.
Benchmark-only: it always exits 0.

    PYTHONPATH=$PWD .venv/bin/python bench/reset_timing.py [--pairs 100] [--worker] [--floor 0]
"""

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from youth_portal import PROJECT_ROOT, create_app

sys.path.insert(0, str(PROJECT_ROOT / "tests"))  # the tests' helpers of the project that is imported

from support import TEST_SETTINGS, make_user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--floor", type=float, default=0.25, help="PASSWORD_RESET_MIN_SECONDS (the app's default)")
    parser.add_argument("--worker", action="store_true", help="queue the emails (MAIL_WORKER) instead of writing them")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="reset-timing-"))
    app = create_app(
        TEST_SETTINGS
        | {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "MAIL_OUTBOX": str(folder / "outbox"),
            "MAIL_WORKER": options.worker,
            "RATELIMIT_ENABLED": False,
            "MAIL_PER_RECIPIENT_PER_HOUR": 10**9,
        }
        | {"PASSWORD_RESET_MIN_SECONDS": options.floor}
    )
    with app.app_context():
        upgrade()
        for number in range(options.pairs):
            make_user(f"sky{number}@example.org")
    browser = app.test_client()
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', browser.get("/password/forgot").text)
    assert token is not None

    def ask(email: str) -> float:
        started = time.perf_counter()
        response = browser.post("/password/forgot", data={"csrf_token": token.group(1), "email": email})
        elapsed = time.perf_counter() - started
        assert response.status_code == 302, response.status_code
        return elapsed * 1000

    for number in range(20):  # warm up: templates compiled, connections made
        ask(f"warm{number}@example.org")
    known, unknown = [], []
    for number in range(options.pairs):
        if number % 2:
            unknown.append(ask(f"nobody{number}@example.org"))
            known.append(ask(f"sky{number}@example.org"))
        else:
            known.append(ask(f"sky{number}@example.org"))
            unknown.append(ask(f"nobody{number}@example.org"))
    ratios = [k / u for k, u in zip(known, unknown, strict=True)]
    slower = sum(k > u for k, u in zip(known, unknown, strict=True)) / options.pairs
    print(
        f"{options.pairs} pairs, emails {'queued' if options.worker else 'to the outbox'}, "
        f"floor {options.floor} s: "
        f"with an account {statistics.median(known):.2f} ms, without {statistics.median(unknown):.2f} ms (medians); "
        f"median ratio {statistics.median(ratios):.3f}; the address with an account slower in {slower:.0%} of pairs"
    )


if __name__ == "__main__":
    main()
