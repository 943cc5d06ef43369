"""A small bar chart drawn on the server: where each bar of an inline SVG goes, and how tall it is.

Only numbers come out of here. templates/dashboard/_weekly_chart.html writes them as presentation
attributes (x, y, width, height) and static/css/admin.css colours the shapes by class, so the
chart needs no style attribute, no script and no chart library, and follows admin's dark mode.
"""

from dataclasses import dataclass

SLOT = 30  # viewBox units per bar, gap included
BAR_WIDTH = 20
TALLEST = 100  # height of the tallest bar
ABOVE = 16  # room above the tallest bar for its number
BELOW = 20  # room under the baseline for the dates
SIDE = 12  # room left and right, so the first and last dates fit


@dataclass(frozen=True)
class Bar:
    count: int
    x: float
    y: float
    height: float
    centre: float  # where the number above it and the date below it are centred
    number_y: float  # the baseline of the number above it
    label: str  # the date under it, or "" (there is room for every fourth)


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    baseline: int  # y of the axis line under the bars
    label_y: int  # the baseline of the dates
    bar_width: int = BAR_WIDTH

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)

    @property
    def highest(self) -> int:
        return max((bar.count for bar in self.bars), default=0)


def bar_chart(values: list[tuple[str, int]], *, label_every: int = 4) -> BarChart:
    """Bars for (label, count) pairs, oldest first; heights in proportion to the highest count.

    Labels go under the last bar and every `label_every`-th before it, so the newest is always named.
    """
    highest = max((count for _, count in values), default=0)
    baseline = ABOVE + TALLEST
    bars = []
    for index, (label, count) in enumerate(values):
        height = round(TALLEST * count / highest, 1) if highest else 0.0
        named = (len(values) - 1 - index) % label_every == 0
        bars.append(
            Bar(
                count=count,
                x=SIDE + index * SLOT + (SLOT - BAR_WIDTH) / 2,
                y=round(baseline - height, 1),
                height=height,
                centre=SIDE + index * SLOT + SLOT / 2,
                number_y=round(baseline - height - 4, 1),
                label=label if named else "",
            )
        )
    return BarChart(
        bars=bars,
        width=len(values) * SLOT + 2 * SIDE,
        height=baseline + BELOW,
        baseline=baseline,
        label_y=baseline + 16,
    )
