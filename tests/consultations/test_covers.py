"""Cover images through the staff form: accepted by content only, re-encoded without metadata, stored under a
name the server chooses, served to the public once the consultation is published."""

import os
import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from consultation_factory import make_consultation
from support import csrf_token, login, make_city, make_user, submit
from youth_portal.audit.models import AuditEvent
from youth_portal.cities.models import City
from youth_portal.consultations.models import Consultation, Question, QuestionKind
from youth_portal.extensions import db
from youth_portal.timeutil import utcnow

MANAGE = "/cities/murcia/manage/consultations"
FORM = {
    "title_es": "Parques",
    "title_en": "",
    "summary_es": "",
    "summary_en": "",
    "body_es": "",
    "body_en": "",
    "cover_alt_es": "Un parque con árboles",
    "cover_alt_en": "",
    "topic": "environment",
    "min_age": "13",
    "max_age": "30",
    "audience": "residents",
    "mode": "anonymous",
    "opens_at": "",
    "closes_at": "",
}


@pytest.fixture(autouse=True)
def folder(app, tmp_path) -> Path:
    app.config["COVER_FOLDER"] = str(tmp_path / "covers")
    return tmp_path / "covers"


def image(fmt: str, size=(40, 30), mode="RGB", **save) -> bytes:
    colour = {"RGB": (200, 30, 30), "RGBA": (200, 30, 30, 128), "1": 0}.get(mode, 0)
    out = BytesIO()
    Image.new(mode, size, colour).save(out, fmt, **save)
    return out.getvalue()


def noise_png(width: int, height: int) -> bytes:
    out = BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, "PNG")
    return out.getvalue()


def upload(client, data: bytes, name: str, url: str = f"{MANAGE}/new", **fields):
    """Send the form with a file, as a browser does (encoded in memory: the test client's own temporary file for
    large bodies is never closed)."""
    values = (
        FORM
        | fields
        | {
            "csrf_token": csrf_token(client, url),
            "cover": FileStorage(BytesIO(data), filename=name, content_type="image/png"),
        }
    )
    boundary, body = encode_multipart(values)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def error_beside(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def the_consultation() -> Consultation:
    return db.session.scalars(sa.select(Consultation)).one()


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "park.png"), ("JPEG", "park.jpg"), ("WEBP", "park.webp")])
def test_png_jpeg_and_webp_are_stored_re_encoded_under_a_new_name(app, staff, folder, fmt, name):
    response = upload(staff, image(fmt), name)
    assert response.status_code == 302
    with app.app_context():
        stored = the_consultation().cover_image
        consultation_id = the_consultation().id
    assert stored != name and "park" not in stored
    assert re.fullmatch(r"[A-Za-z0-9_-]{24}\.webp", stored)
    assert [p.name for p in folder.iterdir()] == [stored]
    with Image.open(folder / stored) as saved:
        assert saved.format == "WEBP" and saved.size == (40, 30)
    page = staff.get(f"{MANAGE}/{consultation_id}/edit").get_data(as_text=True)
    assert f'src="/cities/murcia/consultations/{consultation_id}/cover" alt="Un parque con árboles"' in page
    assert "park" not in page.lower().replace("parque", "")  # the uploaded name is never shown


def test_metadata_is_removed_and_wide_images_are_shrunk(app, staff, folder):
    exif = Image.Exif()
    exif[0x013B] = "Secret Artist"  # Artist
    exif[0x010F] = "SpyCam"  # Make
    original = image("JPEG", size=(2400, 1200), exif=exif.tobytes())
    assert b"Secret Artist" in original
    assert upload(staff, original, "holiday.jpg").status_code == 302
    with app.app_context():
        stored = folder / the_consultation().cover_image
    data = stored.read_bytes()
    assert b"Secret Artist" not in data and b"SpyCam" not in data and b"Exif" not in data
    with Image.open(stored) as saved:
        assert saved.size == (1600, 800)
        assert not saved.getexif() and "exif" not in saved.info and "icc_profile" not in saved.info


def test_transparency_is_kept(app, staff, folder):
    assert upload(staff, image("PNG", mode="RGBA"), "logo.png").status_code == 302
    with app.app_context():
        stored = folder / the_consultation().cover_image
    with Image.open(stored) as saved:
        assert saved.mode == "RGBA"


REFUSED = [
    ("a text file named .png", b"just some text, not a picture\n" * 10, "cover.png", "not a PNG, JPEG or WebP image"),
    ("HTML named .jpg", b"<html><script>alert(1)</script></html>", "cover.jpg", "not a PNG, JPEG or WebP image"),
    ("a real GIF", image("GIF"), "cover.gif", "not a PNG, JPEG or WebP image"),
    ("a BMP named .png", image("BMP"), "cover.png", "not a PNG, JPEG or WebP image"),
    ("a cut-off PNG", noise_png(200, 200)[:60000], "cover.png", "not a PNG, JPEG or WebP image"),
    ("more than 2 MB", noise_png(1000, 1000), "big.png", "larger than 2 MB"),
    ("more than 40 million pixels", image("PNG", size=(8000, 6000), mode="1"), "huge.png", "too large"),
    ("a decompression bomb", image("PNG", size=(20000, 20000), mode="1"), "bomb.png", "too large"),
]


@pytest.mark.parametrize(("what", "data", "name", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_anything_else_is_refused_beside_the_field_and_nothing_is_stored(app, staff, folder, what, data, name, message):
    assert len(data) < 4 * 1024 * 1024  # within the request size limit: the form itself must refuse it
    response = upload(staff, data, name)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in error_beside(html, "cover")
    assert 'value="Parques"' in html
    with app.app_context():
        assert db.session.scalars(sa.select(Consultation)).all() == []
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_cover_needs_a_description_in_the_default_language(app, staff, folder):
    response = upload(staff, image("PNG"), "park.png", cover_alt_es="", cover_alt_en="A park")
    assert response.status_code == 422
    assert "Describe the image" in error_beside(response.get_data(as_text=True), "cover_alt_es")
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_good_image_is_not_kept_when_other_fields_are_wrong(app, staff, folder):
    response = upload(staff, image("PNG"), "park.png", title_es="")
    assert response.status_code == 422
    assert "choose it again" in response.get_data(as_text=True)
    assert not folder.exists() or list(folder.iterdir()) == []


def test_replacing_and_removing_the_cover_deletes_the_old_file(app, staff, folder):
    assert upload(staff, image("PNG"), "one.png").status_code == 302
    with app.app_context():
        consultation_id, first = the_consultation().id, the_consultation().cover_image
    edit = f"{MANAGE}/{consultation_id}/edit"
    assert upload(staff, image("JPEG"), "two.jpg", url=edit).status_code == 302
    with app.app_context():
        second = the_consultation().cover_image
    assert second != first and [p.name for p in folder.iterdir()] == [second]

    assert submit(staff, edit, FORM | {"remove_cover": "y"}).status_code == 302
    with app.app_context():
        assert the_consultation().cover_image is None
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.action.like("consultation.cover%")).order_by(AuditEvent.id)
        ).all()
    assert actions == ["consultation.cover_changed", "consultation.cover_changed", "consultation.cover_removed"]
    assert list(folder.iterdir()) == []
    # Without an image, its description is optional again.
    assert submit(staff, edit, FORM | {"cover_alt_es": ""}).status_code == 302


def test_a_draft_cover_is_served_to_staff_only_then_to_everyone_once_published(app, client, staff, folder):
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        consultation_id = make_consultation(murcia, "draft").id
        other = make_city("lyon", languages=["fr"], default_language="fr")
        lyon_id = make_consultation(other, "open").id
        make_user("resident@example.org", city=murcia)
    edit = f"{MANAGE}/{consultation_id}/edit"
    assert upload(staff, image("PNG"), "park.png", url=edit).status_code == 302
    cover = f"/cities/murcia/consultations/{consultation_id}/cover"

    with staff.get(cover) as response:  # closing the response closes the file it streams
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "image/webp"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.data.startswith(b"RIFF") and response.data[8:12] == b"WEBP"

    visitor = app.test_client()
    assert visitor.get(cover).status_code == 404
    resident = app.test_client()
    login(resident, "resident@example.org")
    assert resident.get(cover).status_code == 404
    assert visitor.get(f"/cities/lyon/consultations/{consultation_id}/cover").status_code == 404
    assert visitor.get(f"/cities/murcia/consultations/{lyon_id}/cover").status_code == 404  # no image, other city

    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        consultation.opens_at, consultation.closes_at = utcnow(), utcnow() + timedelta(days=7)
        consultation.questions = [Question(kind=QuestionKind.YES_NO, prompt={"es": "¿Sí?"})]
        db.session.commit()
    assert submit(staff, f"{MANAGE}/{consultation_id}/publish", page=edit).status_code == 302
    with visitor.get(cover) as response:
        assert response.status_code == 200 and response.headers["Content-Type"] == "image/webp"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def phone_photo() -> bytes:
    """A picture as a phone takes it: over the 4 MB every other page accepts (random pixels do not compress)."""
    data = noise_png(1500, 1400)
    assert 4 * 1024 * 1024 < len(data) < 8 * 1024 * 1024
    return data


def test_a_phone_photo_is_refused_beside_the_field_keeping_what_was_typed(app, staff, folder):
    response = upload(staff, phone_photo(), "IMG_2024.png", summary_es="Queremos más sombra en los parques")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "larger than 2 MB" in error_beside(html, "cover")
    assert 'value="Parques"' in html and "Queremos más sombra en los parques" in html
    with app.app_context():
        assert db.session.scalars(sa.select(Consultation)).all() == []
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_phone_photo_on_the_edit_page_changes_nothing(app, staff, folder):
    with app.app_context():
        murcia = db.session.scalar(sa.select(City).where(City.slug == "murcia"))
        consultation_id = make_consultation(murcia, "draft").id
    edit = f"{MANAGE}/{consultation_id}/edit"
    with app.app_context():
        title_before = the_consultation().title
    response = upload(staff, phone_photo(), "IMG_2024.png", url=edit, title_es="Parques y plazas")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "larger than 2 MB" in error_beside(html, "cover")
    assert 'value="Parques y plazas"' in html
    with app.app_context():
        assert the_consultation().title == title_before and the_consultation().cover_image is None
    assert not folder.exists() or list(folder.iterdir()) == []


def test_the_longest_texts_fit_beside_a_phone_photo(app, staff, folder):
    """Each text field is well within Werkzeug's limit on a form field held in memory (MAX_FORM_MEMORY_SIZE)."""
    body = "🌳\n" * 10000  # 20,000 characters, the longest allowed; 60 KB in UTF-8, more with CRLF line ends
    response = upload(staff, phone_photo(), "IMG_2024.png", body_es=body, body_en=body)
    assert response.status_code == 422
    assert "larger than 2 MB" in error_beside(response.get_data(as_text=True), "cover")
    assert upload(staff, image("PNG"), "park.png", body_es=body, body_en=body).status_code == 302


def test_a_body_beyond_the_cover_pages_limit_gets_the_too_large_page(app, staff, folder):
    response = upload(staff, b"\0" * (21 * 1024 * 1024), "huge.png")
    assert response.status_code == 413
    assert "What you sent is too large." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(sa.select(Consultation)).all() == []


@pytest.mark.parametrize("url", ["/login", "/register"])
def test_other_forms_keep_the_small_limit(client, url):
    token = csrf_token(client, url)
    boundary, body = encode_multipart(
        {
            "csrf_token": token,
            "email": "someone@example.org",
            "file": FileStorage(BytesIO(b"\0" * (5 * 1024 * 1024)), filename="big.png"),
        }
    )
    response = client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert "What you sent is too large." in response.get_data(as_text=True)
