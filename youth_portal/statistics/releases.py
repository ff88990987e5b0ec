"""Releases read together: every set of numbers shown about the same people stays public, so a new one is checked
against all of them before it is shown.

A release is a small linear system: its numbers (shown, or hidden with the bounds their words give: "fewer than k"
is 0..k-1, "hidden" is k or more, a number never shown is 0 or more), and lines that add up to zero (a row of a
breakdown minus its overall count, ...). Numbers with the same name in two releases are the same count of people
at two moments; between them people can only leave (a withdrawn consent, a deleted account), so the older minus
the newer is a count of people who left, at least 0 and at most as many as left in all. Read together, the
releases disclose something when they pin down exactly a number shown hidden (that no release pinned on its own),
or a count of 1 to k-1 people who left with one answer.
"""

import math
from dataclasses import dataclass, field

from .suppression import Cell, solved_rows

#: A line: (name, +1 or -1) terms adding up to zero.
Line = tuple[tuple[str, int], ...]

_TOLERANCE = 1e-9


@dataclass
class Numbers:
    """One release's numbers by name: Cells as published, None for a number the release implies but never showed."""

    cells: dict[str, Cell | None] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)


def disclosed(releases: list[Numbers], k: int, *, responses: str = "responses") -> list[str]:
    """What `releases` (oldest first) give away together and not one by one: names of hidden numbers pinned down,
    and of counts of 1 to k-1 people who left between two releases ("left:<a>:<b>:<name>")."""
    alone: set[str] = set()
    for index, release in enumerate(releases):
        bounds, lines = _system([release], k)
        alone |= {f"{index}:{name}" for name in _pinned(bounds, lines)}
    bounds, lines = _system(releases, k, responses=responses)
    pinned = _pinned(bounds, lines)
    found = []
    for index, release in enumerate(releases):
        for name, cell in release.cells.items():
            key = f"{index}:{name}"
            if cell is not None and cell.hidden and key in pinned and key not in alone:
                found.append(key)
    # How many left in all (or answered a question) tells no answer; how many left with one answer does.
    counts_only = (f":{responses}", ":answered", ":others")
    left = [name for name in pinned if name.startswith("left:") and not name.endswith(counts_only)]
    found += [name for name in left if 1 <= pinned[name] <= k - 1]
    return found


def _system(releases: list[Numbers], k: int, *, responses: str = "responses") -> tuple[dict, list]:
    """Bounds of every unknown (a shown number is its own bounds) and the lines of the releases, linked."""
    bounds: dict[str, tuple[float, float]] = {}
    lines: list[tuple[tuple[str, int], ...]] = []
    for index, release in enumerate(releases):
        for name, cell in release.cells.items():
            bounds[f"{index}:{name}"] = _bounds(cell, k)
        lines += [tuple((f"{index}:{name}", sign) for name, sign in line) for line in release.lines]
    for older in range(len(releases)):
        for newer in range(older + 1, len(releases)):
            shared = releases[older].cells.keys() & releases[newer].cells.keys()
            left_in_all = f"left:{older}:{newer}:{responses}" if responses in shared else None
            for name in sorted(shared):
                left = f"left:{older}:{newer}:{name}"
                bounds[left] = (0, math.inf)
                lines.append(((f"{older}:{name}", 1), (f"{newer}:{name}", -1), (left, -1)))
                if left_in_all is not None and left != left_in_all:  # nobody left twice
                    bounds[f"{left}:others"] = (0, math.inf)
                    lines.append(((left, 1), (f"{left}:others", 1), (left_in_all, -1)))
    return bounds, lines


def _bounds(cell: Cell | None, k: int) -> tuple[float, float]:
    if cell is None:
        return 0, math.inf
    if not cell.hidden:
        assert cell.value is not None
        return cell.value, cell.value
    return (0, k - 1) if cell.below_k else (k, math.inf)


def _pinned(bounds: dict[str, tuple[float, float]], lines: list) -> dict[str, float]:
    """Unknowns narrowed to one value: by their bounds along the lines, or by combining the lines exactly."""
    low = {name: value[0] for name, value in bounds.items()}
    high = {name: value[1] for name, value in bounds.items()}
    for _round in range(50):  # bounds narrow by whole people: a few rounds settle them
        changed = False
        for line in lines:
            for name, sign in line:
                rest = [(other, s) for other, s in line if other != name]
                rest_low = sum(min(s * low[o], s * high[o]) for o, s in rest)
                rest_high = sum(max(s * low[o], s * high[o]) for o, s in rest)
                # sign * x = -rest
                first, second = sorted((-rest_high * sign, -rest_low * sign))
                if first > low[name] + _TOLERANCE:
                    low[name], changed = math.ceil(first - _TOLERANCE), True
                if second < high[name] - _TOLERANCE:
                    high[name], changed = math.floor(second + _TOLERANCE), True
        if not changed:
            break
    pinned = {name: low[name] for name in bounds if low[name] == high[name]}
    pinned.update(_solved(bounds, lines, low, high))
    return pinned


def _solved(bounds: dict, lines: list, low: dict, high: dict) -> dict[str, float]:
    """Unknowns some combination of the lines gives exactly (reduced row echelon form, known numbers moved to the
    right-hand side)."""
    unknowns = sorted(name for name in bounds if low[name] != high[name])
    column_of = {name: c for c, name in enumerate(unknowns)}
    matrix = []
    for line in lines:
        row = [0.0] * (len(unknowns) + 1)
        for name, sign in line:
            if name in column_of:
                row[column_of[name]] += sign
            else:
                row[-1] -= sign * low[name]
        if any(abs(x) > _TOLERANCE for x in row[:-1]):
            matrix.append(row)
    return {unknowns[column]: round(matrix[r][-1]) for r, column in solved_rows(matrix, len(unknowns))}
