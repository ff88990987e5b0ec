"""Page weight: the first load of each main page (HTML + its stylesheets and scripts), gzip-compressed.

Builds the app on a temporary SQLite database with the demo data, fetches each page and every stylesheet and
script it references, and prints the compressed sizes against the budget of 60 KB per first load.
It reports; it does not gate (exit status 0).

    .venv/bin/python bench/page_weight.py      (or: make bench)
"""

import gzip
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from youth_portal import create_app
from youth_portal.cities.models import City, Region
from youth_portal.extensions import db

#: First load of a page, compressed, HTML + CSS + JS.
BUDGET_BYTES = 60 * 1024
GZIP_LEVEL = 6


class AssetLinks(HTMLParser):
    """Collects the stylesheets (<link rel=stylesheet href>) and scripts (<script src>) of a page."""

    def __init__(self):
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").split() and attributes.get("href"):
            self.assets.append(attributes["href"])
        elif tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"])


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL))


def fetch(client, url: str) -> bytes:
    """The body of a page or asset; anything but 200 is an error in the benchmark."""
    response = client.get(url)
    try:
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return response.get_data()
    finally:
        response.close()


def build_app(folder: Path):
    """The app on a fresh, migrated SQLite database with the demo data (or one city without it)."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "MAIL_SERVER": "",
            "MAIL_OUTBOX": str(folder / "outbox"),
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with app.app_context():
        upgrade()
        if "demo" in app.cli.commands:
            result = app.test_cli_runner().invoke(args=["demo"])
            if result.exit_code != 0:
                raise SystemExit(f"flask demo failed:\n{result.output}")
        if db.session.scalar(sa.select(sa.func.count(City.id))) == 0:
            db.session.add(
                City(
                    slug="murcia",
                    name="Murcia",
                    country="ES",
                    region=Region.EUROPE,
                    timezone="Europe/Madrid",
                    default_language="es",
                    languages=["es", "en"],
                )
            )
            db.session.commit()
    return app


def pages_to_weigh(app) -> list[str]:
    with app.app_context():
        city_slug = db.session.scalar(sa.select(City.slug).order_by(City.name).limit(1))
        db.session.remove()
    return ["/", f"/cities/{city_slug}/", "/login", "/register", "/privacy", "/terms"]


def weigh(client, path: str) -> dict:
    """Raw and compressed sizes of a page's HTML and of the assets a first load fetches."""
    html = fetch(client, path)
    links = AssetLinks()
    links.feed(html.decode("utf-8"))
    assets = {url: gzipped_size(fetch(client, url)) for url in dict.fromkeys(links.assets)}
    html_gzip = gzipped_size(html)
    return {
        "page": path,
        "html_raw": len(html),
        "html_gzip": html_gzip,
        "assets_gzip": sum(assets.values()),
        "assets": assets,
        "total_gzip": html_gzip + sum(assets.values()),
    }


def print_table(rows: list[dict]) -> None:
    header = f"{'page':<22} {'HTML raw':>9} {'HTML gz':>8} {'assets gz':>10} {'total gz':>9}  budget {BUDGET_BYTES:,} B"
    print(header)
    print("-" * len(header))
    for row in rows:
        verdict = "PASS" if row["total_gzip"] <= BUDGET_BYTES else "FAIL"
        print(
            f"{row['page']:<22} {row['html_raw']:>9,} {row['html_gzip']:>8,} {row['assets_gzip']:>10,} "
            f"{row['total_gzip']:>9,}  {verdict}"
        )
    print()
    print(f"Assets (gzip level {GZIP_LEVEL}), counted in full on every page as on a first visit:")
    for url, size in sorted({u: s for row in rows for u, s in row["assets"].items()}.items()):
        print(f"  {url:<40} {size:>8,} B")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="page-weight-") as folder:
        app = build_app(Path(folder))
        client = app.test_client()
        rows = [weigh(client, path) for path in pages_to_weigh(app)]
        with app.app_context():
            db.engine.dispose()
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
