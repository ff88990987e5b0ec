"""Releases read together (statistics.releases): an adversary who keeps every release of a consultation. The
public saw the overall counts; then some people's answers left the counts (a withdrawn consent, a deleted
account); a breakdown asked for afterwards is released only when `disclosed` finds nothing. Every world consistent
with both releases is enumerated: when `disclosed` lets the second one through, no count of 1..k-1 people who left
with one answer, and no number hidden, may take a single value in all of them."""

import itertools
import random

from youth_portal.statistics.releases import Numbers, disclosed
from youth_portal.statistics.suppression import (
    Cell,
    suppress_breakdown,
    suppress_counts,
    suppress_group_sizes,
)

K = 3
ANSWERS = ("yes", "no")


def overall_release(counts: list[list[int]]) -> tuple[Numbers, list[Cell]] | None:
    """What the public saw first: how many answered and the overall counts (each person gave one answer)."""
    totals = [sum(row) for row in counts]
    answered = sum(totals)
    cells = suppress_counts(totals, answered, K, add_up=True)
    if cells is None:
        return None
    responses = Cell(answered) if answered >= K else Cell(None, below_k=True)
    numbers = Numbers({"responses": responses, "q:answered": responses})
    numbers.cells.update({f"q:{answer}": cell for answer, cell in zip(ANSWERS, cells, strict=True)})
    numbers.lines.append((*((f"q:{answer}", 1) for answer in ANSWERS), ("q:answered", -1)))
    numbers.lines.append((("q:answered", 1), ("responses", -1)))
    return numbers, cells


def breakdown_release(counts: list[list[int]]) -> tuple[Numbers, list[Cell], list[list[Cell]]] | None:
    """A breakdown of the answers as they are now, as the app releases it (publication.numbers)."""
    totals = [sum(row) for row in counts]
    sizes = [sum(column) for column in zip(*counts, strict=True)]
    total_cells = suppress_counts(totals, sum(totals), K, add_up=True)
    size_cells = suppress_group_sizes(sizes, K)
    if total_cells is None or size_cells is None:
        return None
    breakdown = suppress_breakdown(counts, sizes, size_cells, K, total_cells=total_cells, answered=sum(totals))
    if breakdown is None:
        return None
    groups = range(len(sizes))
    numbers = Numbers({"responses": None, "q:answered": None})
    size_names = [f"age:size:{g}" for g in groups]
    numbers.cells.update(dict(zip(size_names, size_cells, strict=True)))
    numbers.lines.append((*((name, 1) for name in size_names), ("responses", -1)))
    for answer, row in zip(ANSWERS, breakdown.rows, strict=True):
        names = [f"age:q:{answer}:{g}" for g in groups]
        numbers.cells.update(dict(zip(names, row, strict=True)))
        numbers.cells[f"q:{answer}"] = None
        numbers.lines.append((*((name, 1) for name in names), (f"q:{answer}", -1)))
    numbers.lines.append((*((f"q:{answer}", 1) for answer in ANSWERS), ("q:answered", -1)))
    for g in groups:
        numbers.cells[f"age:q:unanswered:{g}"] = None
        column = ((f"age:q:{answer}:{g}", 1) for answer in ANSWERS)
        numbers.lines.append((*column, (f"age:q:unanswered:{g}", 1), (size_names[g], -1)))
    return numbers, size_cells, breakdown.rows


def values(cell: Cell, most: int) -> range:
    if not cell.hidden:
        return range(cell.value, cell.value + 1)
    return range(K) if cell.below_k else range(K, most + 1)


def worlds(first: list[Cell], answered: Cell, sizes: list[Cell], rows: list[list[Cell]], most: int):
    """Every (answers now, people who left by answer) consistent with both releases."""
    cells = [cell for row in rows for cell in row]
    for flat in itertools.product(*(values(cell, most) for cell in cells)):
        table = [list(flat[r * len(sizes) : (r + 1) * len(sizes)]) for r in range(len(rows))]
        columns = [sum(column) for column in zip(*table, strict=True)]
        if any(size not in values(cell, most) for size, cell in zip(columns, sizes, strict=True)):
            continue
        totals = [sum(row) for row in table]
        for before in itertools.product(*(values(cell, most) for cell in first)):
            if sum(before) not in values(answered, most):
                continue
            left = [b - t for b, t in zip(before, totals, strict=True)]
            if all(n >= 0 for n in left):
                yield table, before, left


def test_a_breakdown_released_after_answers_left_gives_nothing_away_beside_the_first_release():
    chance = random.Random(2026)
    allowed = refused = 0
    for _ in range(400):
        before = [[chance.choice([0, 1, 2, 3, 4, 5]) for _g in range(2)] for _answer in ANSWERS]
        now = [row[:] for row in before]
        for _person in range(chance.choice([0, 1, 1, 2])):  # people whose answers leave the counts
            cells = [(r, g) for r in range(2) for g in range(2) if now[r][g]]
            if cells:
                r, g = chance.choice(cells)
                now[r][g] -= 1
        first, second = overall_release(before), breakdown_release(now)
        if first is None or second is None:
            continue
        if disclosed([first[0], second[0]], K):
            refused += 1
            continue
        allowed += 1
        most = sum(map(sum, before))
        seen_left: list[set[int]] = [set(), set()]
        seen_cells: dict[tuple[int, int], set[int]] = {}
        answered = first[0].cells["responses"]
        for table, _first_counts, left in worlds(first[1], answered, second[1], second[2], most):
            for i, n in enumerate(left):
                seen_left[i].add(n)
            for r, row in enumerate(table):
                for g, value in enumerate(row):
                    seen_cells.setdefault((r, g), set()).add(value)
        truly_left = [sum(b) - sum(n) for b, n in zip(before, now, strict=True)]
        for i, n in enumerate(truly_left):
            assert n in seen_left[i], (before, now)
            assert not (len(seen_left[i]) == 1 and 1 <= n < K), (before, now)
        alone = breakdown_alone(second[1], second[2], most)
        for (r, g), found in seen_cells.items():
            if second[2][r][g].hidden and len(found) == 1:
                assert len(alone[(r, g)]) == 1, (before, now)  # already pinned by the breakdown alone
    assert allowed > 100 and refused > 20, (allowed, refused)


def breakdown_alone(sizes: list[Cell], rows: list[list[Cell]], most: int) -> dict[tuple[int, int], set[int]]:
    """The values each cell of the breakdown can take, read alone."""
    seen: dict[tuple[int, int], set[int]] = {}
    cells = [cell for row in rows for cell in row]
    for flat in itertools.product(*(values(cell, most) for cell in cells)):
        table = [list(flat[r * len(sizes) : (r + 1) * len(sizes)]) for r in range(len(rows))]
        columns = [sum(column) for column in zip(*table, strict=True)]
        if all(size in values(cell, most) for size, cell in zip(columns, sizes, strict=True)):
            for r, row in enumerate(table):
                for g, value in enumerate(row):
                    seen.setdefault((r, g), set()).add(value)
    return seen


def test_a_breakdown_of_the_answers_first_released_is_allowed_and_one_person_leaving_is_caught():
    counts = [[6, 7], [5, 8]]
    first = overall_release(counts)[0]
    assert disclosed([first, breakdown_release(counts)[0]], K) == []
    assert disclosed([first, breakdown_release([[5, 7], [5, 8]])[0]], K) == ["left:0:1:q:yes"]
