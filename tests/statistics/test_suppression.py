"""Breakdowns never expose anyone: counts of 1..k-1 are hidden, and enough others that no hidden count can be
worked out from totals, other cells, the "fewer than k" words or percentages (the functions themselves; the pages
that publish them are tested in tests/consultations/test_results_suppression.py)."""

import itertools
import random

import pytest

from youth_portal.statistics.suppression import suppress_breakdown, suppress_counts, suppress_group_sizes


def published(counts: list[list[int]], k: int):
    """The breakdown as published when each column's total is its group's size (everyone answered)."""
    sizes = [sum(column) for column in zip(*counts, strict=True)]
    size_cells = suppress_group_sizes(sizes, k)
    if size_cells is None:
        return None
    return suppress_breakdown(counts, sizes, size_cells, k)


def words(breakdown, k: int) -> list[list[str]]:
    """The table as a reader sees it: sizes first, then the rows."""

    def shown(cell):
        if cell.hidden:
            return f"<{k}" if cell.below_k else "hidden"
        return str(cell.value)

    return [[shown(c) for c in breakdown.sizes]] + [[shown(c) for c in row] for row in breakdown.rows]


def what_an_attacker_can_pin(counts: list[list[int]], k: int) -> list:
    """Every hidden count of 1..k-1 that exactly one table is consistent with, given everything published: shown
    cells and sizes, the row totals (the overall counts), the number of responses, the columns adding up to their
    group size, and the words ("fewer than k" is 0..k-1, "hidden" is k or more)."""
    breakdown = published(counts, k)
    if breakdown is None:
        return []
    rows, columns = len(counts), len(counts[0])
    row_totals = [sum(row) for row in counts]
    sizes = [sum(column) for column in zip(*counts, strict=True)]
    hidden = [(r, g) for r in range(rows) for g in range(columns) if breakdown.rows[r][g].hidden]
    possible = {cell: set() for cell in hidden}
    possible_sizes = {g: set() for g in range(columns) if breakdown.sizes[g].hidden}

    def bounds(r, g):
        cell = breakdown.rows[r][g]
        return (0, k - 1) if cell.below_k else (k, row_totals[r])

    def fillings(r):
        """Every way to fill row r's hidden cells that adds up to the row's total."""
        cells = [g for g in range(columns) if breakdown.rows[r][g].hidden]
        left = row_totals[r] - sum(counts[r][g] for g in range(columns) if not breakdown.rows[r][g].hidden)

        def fill(i, left):
            if i == len(cells):
                if left == 0:
                    yield ()
                return
            low, high = bounds(r, cells[i])
            for value in range(low, min(high, left) + 1):
                for rest in fill(i + 1, left - value):
                    yield ((cells[i], value), *rest)

        return list(fill(0, left))

    for choice in itertools.product(*(fillings(r) for r in range(rows))):
        table = [row[:] for row in counts]
        for r, filling in enumerate(choice):
            for g, value in filling:
                table[r][g] = value
        guessed_sizes = [sum(column) for column in zip(*table, strict=True)]
        if not all(
            size == cell.value if not cell.hidden else (size < k) == cell.below_k
            for size, cell in zip(guessed_sizes, breakdown.sizes, strict=True)
        ):
            continue
        for r, g in hidden:
            possible[(r, g)].add(table[r][g])
        for g in possible_sizes:
            possible_sizes[g].add(guessed_sizes[g])
    pinned = [cell for cell in hidden if 0 < counts[cell[0]][cell[1]] < k and len(possible[cell]) < 2]
    return pinned + [("size", g) for g, values in possible_sizes.items() if 0 < sizes[g] < k and len(values) < 2]


# The rules, on tables -------------------------------------------------------------------------------------------


def test_counts_of_1_to_k_minus_1_are_hidden_zero_and_k_or_more_are_shown():
    table = words(published([[0, 9, 10, 30], [20, 1, 10, 30]], 10), 10)
    assert table[0] == ["20", "10", "20", "60"]
    assert table[1][0] == "0" and table[1][1] == "<10"
    assert table[2][1] == "<10"
    assert all(
        cell == "0" or cell.startswith("<") or cell == "hidden" or int(cell) >= 10 for row in table for cell in row
    )


def test_a_row_with_one_small_count_hides_the_next_smallest_so_total_minus_visible_gives_nothing():
    # Row 1 has one small count (3): shown alone, 43 - 40 would give it. The next smallest (12) is hidden too, and
    # then the columns need the same, and so on until nothing can be worked out.
    breakdown = published([[3, 12, 40], [20, 20, 20]], 10)
    table = words(breakdown, 10)
    assert table[1][0] == "<10" and table[1][1] == "hidden"
    for line in table[1:] + [list(column) for column in zip(*table, strict=True)]:
        assert sum(1 for cell in line if cell.startswith("<") or cell == "hidden") != 1
    assert what_an_attacker_can_pin([[3, 12, 40], [20, 20, 20]], 10) == []


def test_a_group_below_k_is_hidden_entirely_and_so_is_another_group_size():
    sizes = suppress_group_sizes([3, 40, 25, 0], 10)
    # 25 is the next smallest size; an empty group stays 0.
    assert [c.value for c in sizes] == [None, 40, None, 0]
    assert sizes[0].below_k and not sizes[2].below_k
    breakdown = suppress_breakdown([[2, 30, 15, 0], [1, 10, 10, 0]], [3, 40, 25, 0], sizes, 10)
    assert all(row[0].hidden for row in breakdown.rows)


def test_percentages_only_for_shown_counts_over_a_shown_group_of_at_least_k():
    breakdown = published([[3, 12, 40], [20, 20, 20]], 10)
    for row in breakdown.rows:
        for cell, size in zip(row, breakdown.sizes, strict=True):
            if cell.percent is not None:
                assert not cell.hidden and not size.hidden and size.value >= 10
                assert cell.percent == pytest.approx(100 * cell.value / size.value)
            elif not cell.hidden and not size.hidden and size.value >= 10:
                raise AssertionError("a shown cell of a shown group lacks its percentage")
    assert breakdown.rows[1][2].percent == pytest.approx(100 * 20 / 60)


def test_groups_whose_sizes_the_words_would_give_away_are_not_broken_down_at_all():
    # Three groups "fewer than 3" adding up to 6 can only be 2 each.
    assert suppress_group_sizes([2, 2, 2], 3) is None
    assert published([[1, 1, 1], [1, 1, 1]], 3) is None


def test_when_everyone_is_in_one_group_the_table_is_withheld():
    # Group sizes 0, 0 and 3: every hidden count equals its answer's total, so nothing could protect it.
    assert published([[0, 0, 1], [0, 0, 2]], 3) is None


@pytest.mark.parametrize(("rows", "columns", "largest", "k"), [(2, 2, 4, 3), (2, 3, 2, 2)])
def test_no_small_count_can_be_pinned_in_any_small_table(rows, columns, largest, k):
    for flat in itertools.product(range(largest + 1), repeat=rows * columns):
        counts = [list(flat[r * columns : (r + 1) * columns]) for r in range(rows)]
        assert what_an_attacker_can_pin(counts, k) == [], counts


def test_no_small_count_can_be_pinned_in_random_tables():
    chance = random.Random(2026)
    for _ in range(150):
        rows, columns = chance.choice([(2, 3), (3, 3), (2, 4), (3, 2)])
        counts = [[chance.choice([0, 0, 1, 2, 3, 5, 8, 12]) for _ in range(columns)] for _ in range(rows)]
        assert what_an_attacker_can_pin(counts, 4) == [], counts


def test_overall_counts_hide_small_ones_and_their_complement_and_breakdowns_keep_them_hidden():
    assert [c.value for c in suppress_counts([30, 7, 3], 40, 10, add_up=True)] == [30, None, None]
    assert [c.value for c in suppress_counts([36, 4], 40, 10, add_up=True)] == [None, None]
    assert [c.value for c in suppress_counts([25, 5, 0], 30, 10, add_up=False)] == [25, None, 0]
    assert suppress_counts([5, 2], 7, 10, add_up=True) is None  # fewer than k answered: nothing shown
    chance = random.Random(2026)
    checked = 0
    for _ in range(3000):
        counts = [
            [0, 0] + [chance.choice([0, 0, 1, 2, 3, 5, 12, 15, 20, 30]) for _ in range(2)] + [0]
            for _ in range(chance.choice([2, 3]))
        ]
        sizes = [sum(column) for column in zip(*counts, strict=True)]
        totals = [sum(row) for row in counts]
        overall, size_cells = suppress_counts(totals, sum(totals), 10, add_up=True), suppress_group_sizes(sizes, 10)
        if overall is None or size_cells is None:
            continue
        breakdown = suppress_breakdown(counts, sizes, size_cells, 10, total_cells=overall, answered=sum(totals))
        if breakdown is None:  # withheld whole
            continue
        for total, row in zip(overall, breakdown.rows, strict=True):
            if total.hidden:
                checked += 1
                assert any(cell.hidden for cell in row), counts  # else the row adds up to the hidden total
    assert checked > 100
