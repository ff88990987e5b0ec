"""Every shipped catalogue is complete: nothing untranslated, nothing fuzzy, no broken placeholder."""

import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from youth_portal import PROJECT_ROOT
from youth_portal.i18n import LANGUAGES

TRANSLATED = [code for code in LANGUAGES if code != "en"]


def load(language: str):
    with (PROJECT_ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale=language)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages the code and templates use now (a fresh extraction)."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as pot_file:
        return read_po(pot_file)


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_covers_every_message_in_the_code(language, extracted):
    catalogue = load(language)
    missing = [m.id for m in extracted if m.id and m.id not in catalogue]
    assert missing == [], f"{language}: run `make extract` and translate {missing[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_is_complete_and_well_formed(language):
    catalogue = load(language)
    untranslated = [
        m.id for m in catalogue if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    broken = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check() if errors]
    assert untranslated == [], f"{language}: untranslated {untranslated[:5]}"
    assert fuzzy == [], f"{language}: fuzzy {fuzzy[:5]}"
    assert broken == [], f"{language}: broken placeholders {broken[:5]}"


def test_arabic_uses_the_standard_six_plural_forms():
    """zero, one, two, few (3-10), many (11-99), other (100+): Babel's generated rule swaps the last two."""
    import gettext

    plural = gettext.c2py(load("ar").plural_expr)
    assert [plural(n) for n in (0, 1, 2, 3, 10, 11, 99, 100, 102, 111)] == [0, 1, 2, 3, 3, 4, 4, 5, 5, 4]
