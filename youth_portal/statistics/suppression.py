"""Breakdowns without exposing anyone: counts of 1 to k-1 people are hidden, and so are enough other numbers that
no hidden count can be worked out from the totals, the other cells or the percentages.

A breakdown is a cross table (rows = answers, columns = groups such as age bands) with a header row of group sizes
("n = ..."). Everyone can read, or work out, the sum of each row (the overall count of an answer, as the main
results show it: a hidden one stays an unknown that the table must not give away), the sum of the header row (the
number of responses) and, conservatively, the sum of each column (the group's size). Hiding works in three steps:

1. primary suppression: every count from 1 to k-1 is hidden (zero may be shown, except in the row of an answer
   whose texts the reader sees); a group of fewer than k people is hidden entirely, its size included; in a group
   of fewer than 2k people (UNANIMITY_FACTOR), a zero and a count holding all, or all but fewer than k, of the
   group are hidden too (see `unanimous`);
2. complementary suppression: a line (row, column or header row) with exactly one hidden number gives it away
   (total minus the visible cells), so the next smallest number of that line is hidden too (zeros last, and
   preferably one whose other line already hides a number, so the hiding does not spread); then an audit looks
   for any hidden count of 1 to k-1 that the published sums still pin down (by combining lines, or through the
   "fewer than k" / "hidden" words that bound each hidden number) and hides the next smallest number of one of
   its lines;
3. repeat until nothing changes.

The public's overall counts of a question (`suppress_counts`) follow the same rules, with the number of people
who answered it as their one public sum.

Hidden numbers are published as "fewer than k" when they are below k (the words are true, zero included) and as
"hidden" otherwise; the audit below takes what those words reveal into account. Percentages are computed only
for shown cells over a shown group size of at least k. Only one dimension is ever broken down at a time: two
overlapping breakdowns (age x gender) would give away the people in their small intersections.
"""

import math
from collections.abc import Mapping, Set
from dataclasses import dataclass

#: A line: the cells it adds up (index, +1 or -1); its total is public.
Line = tuple[tuple[int, int], ...]

#: Groups of fewer than this many times k people show no zero and no (near) unanimity. In such a group, for every
#: answer either the people who gave it or those who did not are fewer than k: "0 of 11" or "11 of 11" tells each
#: member's answer (group disclosure, which statistical disclosure control treats like a small count), and
#: "9 of 11" tells that 2 did otherwise. Ten accounts that join a person's group and all answer "no" would
#: otherwise read that person's answer in whether the group shows "hidden" or "0". From 2k up, both sides of every
#: answer can be k or more.
UNANIMITY_FACTOR = 2

_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Cell:
    """A number as published: its value, or None when hidden; `below_k` says a hidden number is below k."""

    value: int | None
    below_k: bool = False
    percent: float | None = None

    @property
    def hidden(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Breakdown:
    """One question broken down by one dimension: rows of cells (one per answer) under the group sizes."""

    sizes: list[Cell]
    rows: list[list[Cell]]


def suppress_small_cells(
    values: list[int],
    lines: list[Line],
    k: int,
    *,
    hidden: Set[int] = frozenset(),
    frozen: Set[int] = frozenset(),
    zeros_kept: Set[int] = frozenset(),
    kept: Set[int] = frozenset(),
    most: Mapping[int, int] | None = None,
) -> set[int] | None:
    """The indexes of `values` to hide so that no count of 1..k-1 is shown or can be worked out; None when even
    hiding everything would not do (the table must then not be published at all).

    `hidden` are hidden from the start; `frozen` cells keep their state (shown or hidden) whatever happens, e.g.
    group sizes decided once for every table of a dimension; `zeros_kept` are cells whose zero, too, must be
    neither shown nor worked out; `kept` are cells that must be neither shown nor worked out whatever their value
    (see `unanimous`); `most` gives the public upper bound of some cells (a group's count is at most its size).
    """
    most = most or {}
    protected = {i for i, value in enumerate(values) if 0 < value < k} | {i for i in zeros_kept if values[i] == 0}
    protected |= set(kept)
    hiding = set(hidden) | (protected - set(frozen))
    while True:
        complement = _lone_line_complement(values, lines, hiding, frozen)
        if complement is None:
            exposed = _exposed_small_counts(values, lines, hiding, protected, k, most)
            if not exposed:
                return hiding
            complement = _complement(exposed, values, lines, hiding, frozen, k, most)
            if complement is None:
                return None
        hiding.add(complement)


def unanimous(count: int, group: int, k: int) -> bool:
    """Whether a count of a group of `group` people tells what each of them answered: in a group of k to 2k-1
    people (smaller ones are hidden whole), a zero, or everyone, or everyone but fewer than k."""
    return k <= group < UNANIMITY_FACTOR * k and (count == 0 or group - count < k)


def suppress_group_sizes(sizes: list[int], k: int) -> list[Cell] | None:
    """The group sizes ("n = ...") as published: below k hidden, and enough others that none can be worked out;
    None when the groups are too small to break anything down by them.

    An empty group stays shown as 0: its column of zeros would give its size away anyway.
    """
    line: Line = tuple((i, 1) for i in range(len(sizes)))
    empty = {i for i, size in enumerate(sizes) if size == 0}
    hidden = suppress_small_cells(sizes, [line], k, frozen=empty)
    if hidden is None:
        return None
    return [_published(value, i in hidden, k) for i, value in enumerate(sizes)]


def suppress_breakdown(
    counts: list[list[int]],
    sizes: list[int],
    size_cells: list[Cell],
    k: int,
    *,
    total_cells: list[Cell] | None = None,
    answered: int | None = None,
    texts_row: int | None = None,
) -> Breakdown | None:
    """A cross table as published, or None when it cannot be published without exposing someone;
    `size_cells` come from suppress_group_sizes (the same for every question of the dimension).

    The row totals are the question's overall counts: shown, or as `total_cells` says when the public sees some of
    them hidden (suppress_counts), so that no row of the table adds up to a hidden count. `answered`, when each
    person gave one answer, is the number of people the row totals add up to. `texts_row` is the answer whose
    texts the reader sees: its zeros are protected like small counts (in groups that are not empty), as they would
    tell which groups none of the writers is in.
    """
    rows, columns = len(counts), len(sizes)
    totals = [sum(row) for row in counts]
    values = [value for row in counts for value in row] + list(sizes) + totals + [answered or 0]
    size_index = rows * columns
    total_index = size_index + columns
    answered_index = total_index + rows
    lines: list[Line] = [
        (*tuple((r * columns + g, 1) for g in range(columns)), (total_index + r, -1)) for r in range(rows)
    ]
    lines.append(tuple((size_index + g, 1) for g in range(columns)))
    lines += [(*tuple((r * columns + g, 1) for r in range(rows)), (size_index + g, -1)) for g in range(columns)]
    if answered is not None:
        lines.append((*tuple((total_index + r, 1) for r in range(rows)), (answered_index, -1)))
    hidden = {size_index + g for g, cell in enumerate(size_cells) if cell.hidden}
    hidden |= {total_index + r for r, cell in enumerate(total_cells or []) if cell.hidden}
    # A whole group below k is hidden entirely.
    hidden |= {r * columns + g for g in range(columns) if 0 < sizes[g] < k for r in range(rows)}
    frozen = set(range(size_index, answered_index + 1))
    zeros_kept = set() if texts_row is None else {texts_row * columns + g for g in range(columns) if sizes[g]}
    kept = {r * columns + g for r in range(rows) for g in range(columns) if unanimous(counts[r][g], sizes[g], k)}
    most = {r * columns + g: sizes[g] for r in range(rows) for g in range(columns)}  # once per person at most
    suppressed = suppress_small_cells(
        values, lines, k, hidden=hidden, frozen=frozen, zeros_kept=zeros_kept, kept=kept, most=most
    )
    if suppressed is None:
        return None
    table = []
    for r in range(rows):
        row = []
        for g in range(columns):
            value = counts[r][g]
            cell = _published(value, r * columns + g in suppressed, k)
            size = size_cells[g]
            if not cell.hidden and size.value is not None and size.value >= k:
                cell = Cell(value, percent=100 * value / size.value)
            row.append(cell)
        table.append(row)
    return Breakdown(sizes=size_cells, rows=table)


def suppress_counts(counts: list[int], total: int, k: int, *, add_up: bool) -> list[Cell] | None:
    """One question's overall counts as the public sees them, or None when they cannot be shown at all: when 1 to
    k-1 people answered it (zeros would then tell what all of them said), or when no safe hiding exists. Fewer than
    2k people who answered are one group: its zeros and (near) unanimous counts are hidden (`unanimous`).

    `total` is the number of people who answered, which the page shows; `add_up` says that each of them gave one
    answer (single choice, yes/no, rating), so that the counts add up to it and one hidden count would be the total
    minus the others. Percentages are left to the caller, for shown counts only.
    """
    if 0 < total < k:
        return None
    lines: list[Line] = [(*tuple((i, 1) for i in range(len(counts))), (len(counts), -1))] if add_up else []
    kept = {i for i, count in enumerate(counts) if unanimous(count, total, k)}
    most = dict.fromkeys(range(len(counts)), total)  # each of them gave an answer at most once
    hidden = suppress_small_cells([*list(counts), total], lines, k, frozen={len(counts)}, kept=kept, most=most)
    if hidden is None:
        return None
    return [_published(value, i in hidden, k) for i, value in enumerate(counts)]


def _published(value: int, hidden: bool, k: int) -> Cell:
    return Cell(None, below_k=value < k) if hidden else Cell(value)


# The audit: which hidden counts of 1..k-1 could someone still work out? ------------------------------------------


def _exposed_small_counts(
    values: list[int], lines: list[Line], hidden: set[int], protected: set[int], k: int, most: Mapping[int, int]
) -> list[int]:
    """Hidden protected counts (1..k-1, and the zeros kept) that the public sums pin down, by bounds or by linear
    algebra."""
    exposed = _pinned_by_bounds(values, lines, hidden, k, most) & protected
    if not exposed:
        exposed = _determined_by_sums(lines, hidden) & protected
    return sorted(exposed)


def _pinned_by_bounds(
    values: list[int], lines: list[Line], hidden: set[int], k: int, most: Mapping[int, int] | None = None
) -> set[int]:
    """Hidden cells whose bounds ("fewer than k" is 0..k-1, "hidden" is k or more, and at most `most`) narrow to
    one value."""
    most = most or {}
    low: dict[int, float] = {i: 0 if values[i] < k else k for i in hidden}
    high = {i: min(k - 1 if values[i] < k else math.inf, most.get(i, math.inf)) for i in hidden}
    changed = True
    while changed:
        changed = False
        for line in lines:
            terms = [(i, sign) for i, sign in line if i in hidden]
            if not terms:
                continue
            total = sum(sign * values[i] for i, sign in terms)
            for i, sign in terms:
                rest = [(j, s) for j, s in terms if j != i]
                rest_low = sum(min(s * low[j], s * high[j]) for j, s in rest)
                rest_high = sum(max(s * low[j], s * high[j]) for j, s in rest)
                # sign * x_i = total - rest, with rest in [rest_low, rest_high]
                bounds = sorted(((total - rest_high) * sign, (total - rest_low) * sign))
                if bounds[0] > low[i]:
                    low[i], changed = bounds[0], True
                if bounds[1] < high[i]:
                    high[i], changed = bounds[1], True
    return {i for i in hidden if low[i] == high[i]}


def _determined_by_sums(lines: list[Line], hidden: set[int]) -> set[int]:
    """Hidden cells that some combination of the public sums gives exactly (reduced row echelon form)."""
    variables = sorted(hidden)
    column_of = {cell: c for c, cell in enumerate(variables)}
    matrix = []
    for line in lines:
        row = [0.0] * len(variables)
        for i, sign in line:
            if i in column_of:
                row[column_of[i]] = float(sign)
        if any(row):
            matrix.append(row)
    return {variables[column] for _row, column in solved_rows(matrix, len(variables))}


def solved_rows(matrix: list[list[float]], unknowns: int) -> list[tuple[int, int]]:
    """Bring `matrix` (rows of `unknowns` coefficients, then any right-hand side) to reduced row echelon form, in
    place, and return (row, column) of each row that gives its pivot's unknown exactly (no other unknown left)."""
    pivots = []
    top = 0
    for column in range(unknowns):
        best = max(range(top, len(matrix)), key=lambda r: abs(matrix[r][column]), default=None)
        if best is None or abs(matrix[best][column]) < _TOLERANCE:
            continue
        matrix[top], matrix[best] = matrix[best], matrix[top]
        pivot = matrix[top][column]
        matrix[top] = [x / pivot for x in matrix[top]]
        for r in range(len(matrix)):
            if r != top and abs(matrix[r][column]) > _TOLERANCE:
                factor = matrix[r][column]
                matrix[r] = [x - factor * y for x, y in zip(matrix[r], matrix[top], strict=True)]
        pivots.append((top, column))
        top += 1
    return [
        (r, column)
        for r, column in pivots
        if all(abs(x) < _TOLERANCE for c, x in enumerate(matrix[r][:unknowns]) if c != column)
    ]


def _count_hidden(line: Line, hidden: set[int]) -> int:
    return sum(1 for i, _sign in line if i in hidden)


def _candidates(lines: list[Line], hidden: set[int], frozen: Set[int]) -> set[int]:
    return {i for line in lines for i, _sign in line if i not in hidden and i not in frozen}


def _lone_line_complement(values: list[int], lines: list[Line], hidden: set[int], frozen: Set[int]) -> int | None:
    """In the first line hiding exactly one number (total minus visible gives it), the next number to hide."""
    for line in lines:
        if _count_hidden(line, hidden) == 1:
            choice = _choose(_candidates([line], hidden, frozen), values, lines, hidden)
            if choice is not None:
                return choice
    return None


def _complement(
    exposed: list[int],
    values: list[int],
    lines: list[Line],
    hidden: set[int],
    frozen: Set[int],
    k: int,
    most: Mapping[int, int],
) -> int | None:
    """The next number to hide when the audit still finds an exposed count: one sharing a line with it, else one
    sharing a line with another pinned hidden number (what gave it away), else any shown number."""
    pinned = _pinned_by_bounds(values, lines, hidden, k, most) | _determined_by_sums(lines, hidden)
    for cells in (exposed, sorted(pinned)):
        for cell in cells:
            around = [line for line in lines if any(i == cell for i, _sign in line)]
            choice = _choose(_candidates(around, hidden, frozen), values, lines, hidden)
            if choice is not None:
                return choice
    return _choose(set(range(len(values))) - hidden - frozen, values, lines, hidden)


def _choose(candidates: set[int], values: list[int], lines: list[Line], hidden: set[int]) -> int | None:
    """The next smallest number, zeros last (a hidden zero often stays recognisable and protects nothing),
    preferring one whose other lines already hide a number, so that hiding it does not spread further."""

    def lines_left_alone(i: int) -> int:
        return sum(1 for line in lines if any(j == i for j, _sign in line) and _count_hidden(line, hidden) == 0)

    return min(candidates, key=lambda i: (values[i] == 0, lines_left_alone(i) > 0, values[i], i), default=None)
