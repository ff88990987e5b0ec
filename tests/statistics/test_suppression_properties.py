"""What an attacker relies on, checked against everything a page publishes: the overall counts (some hidden), the
number of people who answered, the group sizes and the breakdown. For small random tables every table consistent
with what is published is enumerated; no hidden count of 1..k-1 (nor a protected zero) may take a single value."""

import random

import pytest

from youth_portal.statistics.suppression import (
    Breakdown,
    Cell,
    suppress_breakdown,
    suppress_counts,
    suppress_group_sizes,
    unanimous,
)


def bounds(cell: Cell, k: int, most: int) -> range:
    """The values a published number can stand for: itself when shown, 0..k-1 for "fewer than k", k.. for "hidden"."""
    if not cell.hidden:
        return range(cell.value, cell.value + 1)
    return range(k) if cell.below_k else range(k, most + 1)


def consistent_totals(cells: list[Cell], k: int, answered: int | None, most: int) -> list[tuple[int, ...]]:
    """Every list of numbers the published `cells` can stand for, adding up to `answered` when it is known."""
    found: list[tuple[int, ...]] = [()]
    for cell in cells:
        found = [(*done, value) for done in found for value in bounds(cell, k, most) if sum(done) + value <= most]
    return [done for done in found if answered is None or sum(done) == answered]


def possible_tables(published, k: int, answered: int | None, most: int):
    """Every table of counts (with its row totals and group sizes) consistent with what is published."""
    totals_cells, size_cells, breakdown = published
    columns = len(size_cells)
    for totals in consistent_totals(totals_cells, k, answered, most):
        for sizes in consistent_totals(size_cells, k, None, most):
            if answered is not None and sum(sizes) != answered:
                continue
            yield from _fill(breakdown.rows, totals, sizes, k, [], [0] * columns)


def _fill(rows, totals, sizes, k, table, used):
    """Rows filled one by one, each adding up to its total, no column going past its group's size."""
    if len(table) == len(rows):
        if used == list(sizes):
            yield [row[:] for row in table], totals, sizes
        return
    row = rows[len(table)]
    for filling in consistent_totals(row, k, totals[len(table)], totals[len(table)]):
        now = [u + v for u, v in zip(used, filling, strict=True)]
        if all(u <= s for u, s in zip(now, sizes, strict=True)):
            yield from _fill(rows, totals, sizes, k, [*table, list(filling)], now)


def publish(counts: list[list[int]], k: int, *, one_answer_each: bool = True, texts_row: int | None = None):
    """What the results page publishes for this question and dimension, or None when it is withheld."""
    totals = [sum(row) for row in counts]
    sizes = [sum(column) for column in zip(*counts, strict=True)]
    answered = sum(totals)
    totals_cells = suppress_counts(totals, answered, k, add_up=one_answer_each)
    size_cells = suppress_group_sizes(sizes, k)
    if totals_cells is None or size_cells is None:
        return None
    breakdown = suppress_breakdown(
        counts,
        sizes,
        size_cells,
        k,
        total_cells=totals_cells,
        answered=answered if one_answer_each else None,
        texts_row=texts_row,
    )
    if breakdown is None:
        return None
    return totals_cells, size_cells, breakdown


def pinned(
    counts: list[list[int]], k: int, *, one_answer_each: bool = True, texts_row: int | None = None, published=None
) -> list:
    """The protected numbers an attacker can work out exactly from the published page (or from `published`)."""
    published = published or publish(counts, k, one_answer_each=one_answer_each, texts_row=texts_row)
    if published is None:
        return []
    totals_cells, size_cells, breakdown = published
    totals = [sum(row) for row in counts]
    sizes = [sum(column) for column in zip(*counts, strict=True)]
    answered = sum(totals) if one_answer_each else None
    seen: dict[tuple, set[int]] = {}
    for table, guessed_totals, guessed_sizes in possible_tables(published, k, answered, sum(totals)):
        for r, row in enumerate(table):
            for g, value in enumerate(row):
                seen.setdefault(("cell", r, g), set()).add(value)
            seen.setdefault(("total", r), set()).add(guessed_totals[r])
        for g, size in enumerate(guessed_sizes):
            seen.setdefault(("size", g), set()).add(size)
    assert seen, "the true table itself is always consistent with what is published"
    protected = []
    for r, row in enumerate(counts):
        for g, value in enumerate(row):
            kept_zero = r == texts_row and value == 0 and sizes[g] > 0
            if (0 < value < k or kept_zero or unanimous(value, sizes[g], k)) and breakdown.rows[r][g].hidden:
                protected.append((("cell", r, g), value))
        if (0 < totals[r] < k or unanimous(totals[r], sum(totals), k)) and totals_cells[r].hidden:
            protected.append((("total", r), totals[r]))
    protected += [(("size", g), size) for g, size in enumerate(sizes) if 0 < size < k and size_cells[g].hidden]
    for key, value in protected:
        assert value in seen[key]
    return [key for key, _value in protected if len(seen[key]) < 2]


def shown_small(published, counts, k, texts_row=None) -> list:
    """Protected numbers printed as they are (primary suppression missing): counts of 1..k-1, and zeros and (near)
    unanimous counts in groups of fewer than 2k."""
    totals_cells, size_cells, breakdown = published
    sizes = [sum(column) for column in zip(*counts, strict=True)]
    answered = sum(sum(row) for row in counts)
    found = [("size", g) for g, cell in enumerate(size_cells) if not cell.hidden and 0 < cell.value < k]
    found += [
        ("total", r)
        for r, cell in enumerate(totals_cells)
        if not cell.hidden and (0 < cell.value < k or unanimous(cell.value, answered, k))
    ]
    for r, row in enumerate(breakdown.rows):
        for g, cell in enumerate(row):
            zero_kept = r == texts_row and sizes[g] > 0
            small = 0 < cell.value < k if not cell.hidden else False
            if not cell.hidden and (small or (zero_kept and cell.value == 0) or unanimous(cell.value, sizes[g], k)):
                found.append(("cell", r, g))
    return found


def random_tables(seed: int, count: int):
    chance = random.Random(seed)
    for _ in range(count):
        rows, columns = chance.choice([(2, 2), (2, 3), (3, 2)])
        yield [[chance.choice([0, 0, 1, 1, 2, 3, 4, 5]) for _ in range(columns)] for _ in range(rows)]


@pytest.mark.parametrize("one_answer_each", [True, False])
def test_no_protected_number_can_be_worked_out_from_the_whole_page(one_answer_each):
    checked = 0
    for counts in random_tables(10, 250):
        published = publish(counts, 3, one_answer_each=one_answer_each)
        if published is None:
            continue
        checked += 1
        assert shown_small(published, counts, 3) == [], counts
        assert pinned(counts, 3, one_answer_each=one_answer_each) == [], counts
    assert checked > 60


def test_the_row_whose_texts_are_read_keeps_its_zeros_unknown_too():
    checked = 0
    for counts in random_tables(11, 250):
        published = publish(counts, 3, texts_row=0)
        if published is None:
            continue
        checked += 1
        assert shown_small(published, counts, 3, texts_row=0) == [], counts
        assert pinned(counts, 3, texts_row=0) == [], counts
    assert checked > 30


def test_a_hidden_overall_count_is_not_given_away_by_its_row_in_the_breakdown():
    counts = [[4, 5], [1, 1], [0, 1]]
    totals_cells, _sizes, breakdown = publish(counts, 3)
    assert [c.value for c in totals_cells] == [9, None, None]
    assert all(any(cell.hidden for cell in row) for row in breakdown.rows[1:])
    assert pinned(counts, 3) == []


def test_the_attacker_finds_a_count_left_alone_in_its_row():
    """The check above can fail: a page hiding one count of a row with a shown total gives it away."""
    counts = [[4, 5], [1, 4]]
    sizes = [Cell(5), Cell(9)]
    lone = Breakdown(sizes=sizes, rows=[[Cell(4), Cell(5)], [Cell(None, below_k=True), Cell(4)]])
    assert pinned(counts, 3, published=([Cell(9), Cell(5)], sizes, lone)) == [("cell", 1, 0)]


# Group sizes and overall counts alone ---------------------------------------------------------------------------


def test_group_sizes_below_k_are_hidden_and_cannot_be_worked_out_from_the_number_of_responses():
    chance = random.Random(12)
    for _ in range(300):
        sizes = [chance.choice([0, 1, 2, 3, 4, 6, 9]) for _ in range(chance.choice([2, 3, 4]))]
        cells = suppress_group_sizes(sizes, 4)
        if cells is None:
            continue
        assert all(cell.hidden for size, cell in zip(sizes, cells, strict=True) if 0 < size < 4), sizes
        assert all(not cell.hidden for size, cell in zip(sizes, cells, strict=True) if size == 0), sizes
        assert [c.value for c in cells if not c.hidden] == [
            s for s, c in zip(sizes, cells, strict=True) if not c.hidden
        ]
        assert all(c.below_k == (s < 4) for s, c in zip(sizes, cells, strict=True) if c.hidden), sizes
        possible = consistent_totals(cells, 4, sum(sizes), sum(sizes))
        for g, size in enumerate(sizes):
            if 0 < size < 4:
                assert len({p[g] for p in possible}) > 1, sizes


def test_overall_counts_below_k_are_hidden_and_cannot_be_worked_out_from_the_number_who_answered():
    chance = random.Random(13)
    checked = 0
    for _ in range(300):
        counts = [chance.choice([0, 1, 2, 3, 4, 6, 9]) for _ in range(chance.choice([2, 3, 4]))]
        cells = suppress_counts(counts, sum(counts), 4, add_up=True)
        if cells is None:  # withheld: fewer than k answered, or every hiding would still pin a count
            assert 0 < sum(counts) < 4 or all(n < 4 or unanimous(n, sum(counts), 4) for n in counts), counts
            continue
        checked += 1
        assert all(c.hidden for n, c in zip(counts, cells, strict=True) if 0 < n < 4), counts
        assert all(c.hidden for n, c in zip(counts, cells, strict=True) if unanimous(n, sum(counts), 4)), counts
        assert all(c.below_k == (n < 4) for n, c in zip(counts, cells, strict=True) if c.hidden), counts
        possible = consistent_totals(cells, 4, sum(counts), sum(counts))
        for i, count in enumerate(counts):
            if 0 < count < 4 or unanimous(count, sum(counts), 4):
                assert len({p[i] for p in possible}) > 1, counts
    assert checked > 100


def test_fewer_than_k_people_answering_withholds_the_counts():
    assert suppress_counts([1, 0], 1, 3, add_up=True) is None
    assert suppress_counts([2, 2], 2, 3, add_up=False) is None
    assert suppress_counts([0, 0], 0, 3, add_up=True) == [Cell(0), Cell(0)]
    # "3 of 3" and "0 of 3" tell what each of them said: no count is safe to show.
    assert suppress_counts([3, 0], 3, 3, add_up=True) is None
    assert suppress_counts([6, 0], 6, 3, add_up=True) == [Cell(6), Cell(0)]  # from 2k people up


# Which number the complement hides (least information lost) -----------------------------------------------------


def test_the_complement_is_the_next_smallest_count_not_a_zero_nor_a_larger_one():
    cells = suppress_counts([5, 1, 7, 0, 9], 22, 3, add_up=True)
    assert [c.value for c in cells] == [None, None, 7, 0, 9]
    assert [c.below_k for c in cells[:2]] == [False, True]


def test_multiple_choice_counts_hide_only_the_small_ones():
    cells = suppress_counts([5, 1, 7, 0], 9, 3, add_up=False)
    assert [c.value for c in cells] == [5, None, 7, 0]


def test_group_sizes_complement_is_the_next_smallest_size_not_an_empty_group():
    cells = suppress_group_sizes([8, 2, 0, 5, 12], 3)
    assert [c.value for c in cells] == [8, None, 0, None, 12]
    assert cells[1].below_k and not cells[3].below_k


def test_group_sizes_all_shown_when_none_is_small():
    assert suppress_group_sizes([0, 3, 7], 3) == [Cell(0), Cell(3), Cell(7)]


def test_the_complement_prefers_a_cell_whose_column_already_hides_one():
    # Row 1's complement is its 12, whose column already hides row 0's 10, rather than its smaller 9, whose column
    # hides nothing yet (hiding the 9 would need a third number hidden in that column).
    counts = [[10, 1, 10], [12, 2, 9], [10, 10, 10]]
    sizes = [32, 13, 29]
    size_cells = suppress_group_sizes(sizes, 3)
    assert [c.value for c in size_cells] == sizes
    breakdown = suppress_breakdown(counts, sizes, size_cells, 3)
    hidden = [(r, g) for r, row in enumerate(breakdown.rows) for g, cell in enumerate(row) if cell.hidden]
    assert hidden == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert breakdown.rows[0][1].percent is None
    assert breakdown.rows[2][1] == Cell(10, percent=100 * 10 / 13)


def test_a_group_below_k_is_hidden_entirely_an_empty_one_shown_and_one_of_k_not_hidden_for_its_size():
    checked = 0
    for counts in random_tables(14, 300):
        published = publish(counts, 3)
        if published is None:
            continue
        _totals, size_cells, breakdown = published
        sizes = [sum(column) for column in zip(*counts, strict=True)]
        for g, size in enumerate(sizes):
            column = [row[g] for row in breakdown.rows]
            if 0 < size < 3:
                checked += 1
                assert size_cells[g].hidden and all(cell.hidden and cell.below_k for cell in column), counts
            if size == 0:
                assert size_cells[g] == Cell(0) and all(cell == Cell(0) for cell in column), counts
    assert checked > 20
    breakdown = publish([[3, 5], [3, 5]], 3)[2]
    assert [[cell.value for cell in row] for row in breakdown.rows] == [[3, 5], [3, 5]]
    assert [[cell.percent for cell in row] for row in breakdown.rows] == [[50.0, 50.0], [50.0, 50.0]]
    # A group of 2k shows its zero and its unanimity; a group of k (or up to 2k-1) does not (the table is withheld,
    # as hiding its column would still leave "hidden" and "fewer than k" telling its 3 and its 0).
    breakdown = publish([[6, 5], [0, 5]], 3)[2]
    assert [[cell.value for cell in row] for row in breakdown.rows] == [[6, 5], [0, 5]]
    assert [[cell.percent for cell in row] for row in breakdown.rows] == [[100.0, 50.0], [0.0, 50.0]]
    assert publish([[3, 5], [0, 5]], 3) is None
