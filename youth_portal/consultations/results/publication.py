"""Public results stand once published. The first public release of a consultation's numbers, and of each of its
breakdowns, is recorded in the ledger and shown again afterwards, whatever happens to the answers since (a
withdrawn consent, a deleted account): comparing before and after would show what those people had said. A
breakdown released later is checked first against every earlier public release (statistics.releases); when the
two together would give something away, it is not shown and the page says why."""

from ...statistics.releases import Numbers, disclosed
from ...statistics.suppression import Breakdown, Cell
from ..models import ReleaseAudience, ReleaseChannel
from . import ledger
from .tallies import OptionResult, RankedOption, Results, ranking_order

PUBLIC, PAGE = ReleaseAudience.PUBLIC, ReleaseChannel.PAGE


def publish(results: Results) -> None:
    """Turn the results as they are now into what the public is shown: the released numbers, releasing the
    overall ones, or a breakdown, the first time they are asked for (when safe). Two queries, and two more each
    time another request released something meanwhile (then this one decides again, with it)."""
    consultation_id = results.consultation.id
    earlier = ledger.releases(consultation_id, PUBLIC, PAGE)
    released: dict[str, dict] = {}
    for release in earlier:
        released.setdefault(release.dimension, release.shown)
    new = {} if "" in released else {"": overall_shown(results)}
    overall = released.get("") or new[""]
    dimension = results.dimension
    if dimension is not None and results.group_sizes is not None and dimension not in released:
        candidate = breakdown_shown(results)
        shown = [numbers(numbers_shown, results.k) for numbers_shown in [*released.values(), *new.values()]]
        if disclosed([*shown, numbers(candidate, results.k)], results.k):
            results.breakdown_refused = True
        else:
            new[dimension] = candidate
    last = earlier[-1].number if earlier else 0
    if new and ledger.append(consultation_id, PUBLIC, PAGE, new, after=last) is None:
        # Another request released something meanwhile: decide again with it. Each retry follows a new release,
        # and a consultation has a few at most (the overall numbers and one per dimension).
        results.breakdown_refused = False
        publish(results)
        return
    _show_overall(results, overall)
    breakdown = released.get(dimension or "-") or new.get(dimension or "-")
    if breakdown is not None:
        _show_breakdown(results, breakdown)
    elif dimension is not None:
        results.group_sizes = None
        for result in results.questions:
            result.breakdown, result.breakdown_withheld = None, False


# What a release holds (JSON) ------------------------------------------------------------------------------------


def _cell(cell: Cell) -> list:
    return [cell.value, cell.below_k, cell.percent]


def _from_cell(data: list) -> Cell:
    return Cell(data[0], below_k=data[1], percent=data[2])


def overall_shown(results: Results) -> dict:
    """The overall numbers the public sees: how many answered, each answer's count (None when hidden, with its
    "fewer than k"), percentages, averages; nothing of a question withheld."""
    questions = []
    for result in results.questions:
        item = {
            "id": result.question.id,
            "answered": result.answered,
            "answered_below_k": result.answered_below_k,
            "withheld": result.withheld,
            "adds_up": result.one_answer_each,
            "options": [[o.key, o.count, o.below_k, o.percent] for o in result.options],
            "average": result.average,
            "ranking": [[r.key, r.average_position, r.ranked_by, r.below_k] for r in result.ranking],
        }
        questions.append(item)
    return {"responses": results.responses, "questions": questions}


def breakdown_shown(results: Results) -> dict:
    """One dimension's breakdowns as the public sees them: the group sizes and each question's table."""
    assert results.group_sizes is not None and results.dimension is not None
    questions = []
    for result in results.questions:
        if result.breakdown is None and not result.breakdown_withheld:
            continue
        rows = [[_cell(c) for c in row] for row in result.breakdown.rows] if result.breakdown else None
        questions.append(
            {
                "id": result.question.id,
                "keys": [o.key for o in result.options],
                "adds_up": result.one_answer_each,
                "rows": rows,
            }
        )
    return {
        "dimension": results.dimension,
        "groups": [g.key for g in results.groups],
        "sizes": [_cell(c) for c in results.group_sizes],
        "questions": questions,
    }


def numbers(shown: dict, k: int) -> Numbers:
    """A release as the linear system a reader can solve (statistics.releases): the overall counts are named
    "q<id>:<answer>", the same in every release, so that releases are linked through them."""
    found = Numbers()
    if "dimension" in shown:
        _breakdown_numbers(found, shown)
        return found
    responses = shown["responses"]
    found.cells["responses"] = Cell(responses) if not 0 < responses < k else Cell(None, below_k=True)
    for item in shown["questions"]:
        question = f"q{item['id']}"
        answered = item["answered"]
        found.cells[f"{question}:answered"] = Cell(None, below_k=True) if item["answered_below_k"] else Cell(answered)
        counts = [(key, count, below_k) for key, count, below_k, _percent in item["options"]]
        counts = counts or [(key, ranked_by, below_k) for key, _average, ranked_by, below_k in item["ranking"]]
        for key, count, below_k in counts:  # none of a question withheld
            found.cells[f"{question}:{key}"] = Cell(count) if count is not None else Cell(None, below_k=below_k)
        if item["adds_up"] and counts:
            found.lines.append((*((f"{question}:{key}", 1) for key, *_rest in counts), (f"{question}:answered", -1)))
    return found


def _breakdown_numbers(found: Numbers, shown: dict) -> None:
    dimension = shown["dimension"]
    groups = range(len(shown["groups"]))
    sizes = [f"{dimension}:size:{g}" for g in groups]
    found.cells.update({name: _from_cell(cell) for name, cell in zip(sizes, shown["sizes"], strict=True)})
    found.cells["responses"] = None
    found.lines.append((*((name, 1) for name in sizes), ("responses", -1)))
    for item in shown["questions"]:
        question = f"q{item['id']}"
        if item["rows"] is None:
            continue
        for key, row in zip(item["keys"], item["rows"], strict=True):
            cells = [f"{dimension}:{question}:{key}:{g}" for g in groups]
            found.cells.update({name: _from_cell(cell) for name, cell in zip(cells, row, strict=True)})
            found.cells[f"{question}:{key}"] = None
            found.lines.append((*((name, 1) for name in cells), (f"{question}:{key}", -1)))
        if item["adds_up"]:
            found.cells[f"{question}:answered"] = None
            found.lines.append((*((f"{question}:{key}", 1) for key in item["keys"]), (f"{question}:answered", -1)))
            for g in groups:  # the group's size: those who answered, and those who did not
                unanswered = f"{dimension}:{question}:unanswered:{g}"
                found.cells[unanswered] = None
                column = (f"{dimension}:{question}:{key}:{g}" for key in item["keys"])
                found.lines.append((*((name, 1) for name in column), (unanswered, 1), (sizes[g], -1)))


# Showing a release ----------------------------------------------------------------------------------------------


def _show_overall(results: Results, shown: dict) -> None:
    results.responses = shown["responses"]
    by_id = {item["id"]: item for item in shown["questions"]}
    for result in results.questions:
        item = by_id.get(result.question.id)
        if item is None:
            continue
        labels = {o.key: o.label for o in result.options} | {r.key: r.label for r in result.ranking}
        result.answered, result.answered_below_k, result.withheld = (
            item["answered"],
            item["answered_below_k"],
            item["withheld"],
        )
        result.options = [
            OptionResult(key, labels.get(key, key), count, percent, below_k)
            for key, count, below_k, percent in item["options"]
        ]
        result.average = item["average"]
        result.ranking = sorted(
            (
                RankedOption(key, labels.get(key, key), average, ranked_by, below_k)
                for key, average, ranked_by, below_k in item["ranking"]
            ),
            key=ranking_order,
        )
        if result.withheld:
            result.texts = []


def _show_breakdown(results: Results, shown: dict) -> None:
    results.group_sizes = [_from_cell(cell) for cell in shown["sizes"]]
    by_id = {item["id"]: item for item in shown["questions"]}
    for result in results.questions:
        item = by_id.get(result.question.id)
        rows = item["rows"] if item is not None else None
        result.breakdown = (
            Breakdown(results.group_sizes, [[_from_cell(c) for c in row] for row in rows]) if rows else None
        )
        result.breakdown_withheld = item is not None and rows is None
