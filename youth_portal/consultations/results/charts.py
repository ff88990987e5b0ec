"""Bar charts drawn on the server as inline SVG: no script, no inline style (colours come from classes in site.css
and presentation attributes). The accessible table beside each chart carries the same numbers."""

from dataclasses import dataclass

from flask_babel import format_decimal, format_percent, gettext as _
from markupsafe import Markup, escape

from .tallies import QuestionResult

WIDTH = 420
#: The longest bar, when its value is short; a longer value (e.g. "puesto medio 1,3") gets the room it needs.
BAR_SPACE = 290
#: The gap between a bar's track and its value, and a generous width per character of a value (15 px type).
VALUE_GAP, CHARACTER_WIDTH = 8, 8.5
ROW_HEIGHT = 46
LABEL_LENGTH = 50


@dataclass
class Bar:
    label: str
    #: Length from 0 to 1.
    fraction: float
    value: str


def bar_chart(chart_id: str, title: str, bars: list[Bar]) -> Markup:
    """An SVG bar chart (label above each bar, value after it), left to right whatever the page's direction."""
    height = max(len(bars), 1) * ROW_HEIGHT + 4
    longest_value = max((len(bar.value) for bar in bars), default=0)
    bar_space = min(BAR_SPACE, round(WIDTH - VALUE_GAP - longest_value * CHARACTER_WIDTH))
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{escape(chart_id)}-title" '
        f'direction="ltr" font-size="15">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
    ]
    for i, bar in enumerate(bars):
        top = i * ROW_HEIGHT
        length = round(max(0.0, min(bar.fraction, 1.0)) * bar_space, 1)
        parts.append(
            f'<text class="chart-label" x="0" y="{top + 16}" fill="#1b1f24">{escape(_shorten(bar.label))}</text>'
            f'<rect class="chart-track" x="0" y="{top + 22}" width="{bar_space}" height="16" fill="#f2f5f8"/>'
            f'<rect class="chart-bar" x="0" y="{top + 22}" width="{length}" height="16" fill="#0b5cad"/>'
            f'<text class="chart-value" x="{bar_space + VALUE_GAP}" y="{top + 35}" fill="#1b1f24">'
            f"{escape(bar.value)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text in it went through escape())


def question_chart(result: QuestionResult, k: int) -> Markup | None:
    """The chart of a question's results, or None for free text and for answers withheld from the public. A
    hidden number has no bar, only its words ("fewer than k")."""
    if not result.charted or result.withheld:
        return None
    chart_id = f"chart-{result.question.id}"
    if result.kind_type.ranks:
        places = max(len(result.ranking), 1)
        bars = [
            Bar(
                r.label, (places + 1 - r.average_position) / places if r.average_position else 0.0, _ranking_value(r, k)
            )
            for r in result.ranking
        ]
        title = _(
            "Bar chart of “%(question)s”: the longer the bar, the higher the option was ranked on average. "
            "The table gives the same numbers.",
            question=result.prompt,
        )
    else:
        bars = [
            Bar(
                o.label,
                (o.percent or 0) / 100,
                _hidden(o, k)
                if o.count is None
                else _("%(percent)s (%(count)s)", percent=format_percent((o.percent or 0) / 100), count=o.count),
            )
            for o in result.options
        ]
        title = _(
            "Bar chart of the answers to “%(question)s”. The table gives the same numbers.", question=result.prompt
        )
    return bar_chart(chart_id, title, bars)


def _ranking_value(option, k: int) -> str:
    if option.ranked_by is None:
        return _hidden(option, k)
    if option.average_position is None:
        return _("not ranked")
    return _("average position %(position)s", position=format_decimal(option.average_position, "0.0"))


def _hidden(number, k: int) -> str:
    """A number hidden from the public, in the words of the table beside the chart."""
    return _("fewer than %(k)d", k=k) if number.below_k else _("hidden")


def _shorten(label: str) -> str:
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1] + "…"
