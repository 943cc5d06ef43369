"""The bar chart's geometry: heights in proportion, every bar in its place, nothing drawn for nothing."""

import pytest

from dashboard.chart import ABOVE, BAR_WIDTH, SIDE, SLOT, TALLEST, bar_chart


def test_heights_are_in_proportion_to_the_counts():
    chart = bar_chart([("a", 2), ("b", 8), ("c", 0), ("d", 5)])
    assert [bar.height for bar in chart.bars] == [25.0, 100.0, 0.0, 62.5]
    for bar in chart.bars:  # every bar stands on the baseline
        assert bar.y + bar.height == pytest.approx(chart.baseline)
    assert chart.baseline == ABOVE + TALLEST
    assert (chart.total, chart.highest) == (15, 8)


def test_bars_sit_side_by_side_within_the_picture():
    chart = bar_chart([(str(week), week) for week in range(12)])
    assert chart.width == 12 * SLOT + 2 * SIDE
    xs = [bar.x for bar in chart.bars]
    assert all(later - earlier == SLOT for earlier, later in zip(xs, xs[1:], strict=False))
    assert xs[0] >= SIDE and xs[-1] + BAR_WIDTH <= chart.width - SIDE
    assert chart.bars[-1].centre + SLOT / 2 + SIDE == chart.width  # room for the last date's second half
    assert all(bar.number_y < bar.y for bar in chart.bars)  # each number above its bar
    assert all(bar.number_y > 0 for bar in chart.bars)  # ...and inside the picture
    assert chart.baseline < chart.label_y < chart.height


def test_an_empty_chart_draws_flat_bars():
    chart = bar_chart([("a", 0), ("b", 0)])
    assert [bar.height for bar in chart.bars] == [0.0, 0.0]
    assert chart.total == 0


def test_the_newest_bar_and_every_fourth_before_it_are_named():
    chart = bar_chart([(f"w{week}", 1) for week in range(12)])
    assert [bar.label for bar in chart.bars if bar.label] == ["w3", "w7", "w11"]
