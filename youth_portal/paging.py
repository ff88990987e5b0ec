"""The page of a list that was asked for."""

from flask import request

#: Far beyond any list's last page; larger numbers would overflow the database's OFFSET.
LAST_PAGE = 100_000


def requested_page() -> int:
    """The `page` query argument, from 1 to LAST_PAGE (1 when it is missing or not a number)."""
    return min(max(request.args.get("page", 1, type=int), 1), LAST_PAGE)
