"""Cover images: checked by their content, re-encoded without metadata, stored under a server-chosen name."""

import re
import secrets
from io import BytesIO
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
#: The largest request the pages with a cover field accept (MAX_CONTENT_LENGTH is smaller): a phone photo of
#: 4-10 MB still reaches the form, which refuses it beside the field and keeps what was typed.
MAX_REQUEST_BYTES = 20 * 1024 * 1024
#: Formats accepted, whatever the file is called; the decision is made on the bytes.
ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP")
#: Larger pictures are refused before they are decoded (a small file can unpack to gigabytes).
MAX_PIXELS = 40_000_000
MAX_WIDTH = 1600
TOO_MANY_PIXELS = _l("The picture is too large (more than 40 million pixels). Make it smaller.")
STORED_NAME = re.compile(r"^[A-Za-z0-9_-]{20,40}\.webp$")


class CoverRejected(ValueError):
    """The upload is not an image we accept; the message says why, in words for the person."""


def covers_folder() -> Path:
    """Where cover images are kept: COVER_FOLDER, or instance/uploads/covers."""
    folder = current_app.config.get("COVER_FOLDER") or Path(current_app.instance_path) / "uploads" / "covers"
    return Path(folder)


def prepare(data: bytes) -> bytes:
    """The upload re-encoded as WebP at most MAX_WIDTH wide, without metadata; CoverRejected if unacceptable."""
    if len(data) > MAX_BYTES:
        raise CoverRejected(_l("The image is larger than 2 MB. Choose a smaller file."))
    try:
        with Image.open(BytesIO(data), formats=ACCEPTED_FORMATS) as probe:
            _check_size(probe)
            probe.verify()
        with Image.open(BytesIO(data), formats=ACCEPTED_FORMATS) as image:
            _check_size(image)
            image.load()
            return _reencode(image)
    except CoverRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise CoverRejected(TOO_MANY_PIXELS) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as problem:
        current_app.logger.info("Cover image refused: %s", type(problem).__name__)
        raise CoverRejected(_l("This file is not a PNG, JPEG or WebP image we can read.")) from None


def _check_size(image: Image.Image) -> None:
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise CoverRejected(TOO_MANY_PIXELS)


def _reencode(image: Image.Image) -> bytes:
    """Turned upright as the camera meant it, converted to RGB(A), shrunk to MAX_WIDTH, saved as WebP."""
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    if image.width > MAX_WIDTH:
        height = max(1, round(image.height * MAX_WIDTH / image.width))
        image = image.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
    out = BytesIO()
    # A new image carries no EXIF, XMP or ICC data unless asked: none is passed on.
    image.save(out, "WEBP", quality=85, method=4)
    return out.getvalue()


def store(prepared: bytes) -> str:
    """Write a prepared image under a new random name and return the name."""
    folder = covers_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_urlsafe(18)}.webp"
    (folder / name).write_bytes(prepared)
    return name


def remove(name: str | None) -> None:
    """Delete a stored cover (after the change that dropped it is committed)."""
    if name and STORED_NAME.match(name):
        (covers_folder() / name).unlink(missing_ok=True)


def path_of(name: str | None) -> Path | None:
    """The file of a stored cover, if the name is one we made and the file exists."""
    if not name or not STORED_NAME.match(name):
        return None
    path = covers_folder() / name
    return path if path.is_file() else None
