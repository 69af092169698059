"""The statistics charts: labels that neither overlap nor leave the drawing."""

from __future__ import annotations

import re
from itertools import pairwise

from api.outputs.charts import column_chart, heatmap

_WIDTH = re.compile(r'<svg[^>]* width="(\d+(?:\.\d+)?)"')
_TICK = re.compile(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle" class="tick">([^<]+)<')


def test_columns_share_one_width_whatever_their_number() -> None:
    few = column_chart([(str(i), i) for i in range(4)], title="few")
    many = column_chart([(str(i), i) for i in range(30)], title="many")
    assert _WIDTH.search(few).group(1) == _WIDTH.search(many).group(1)  # type: ignore[union-attr]


def test_column_labels_do_not_overlap() -> None:
    labels = [f"Wed {h:02d}:{m:02d}" for h in range(9, 18) for m in (0, 20, 40)]
    svg = column_chart([(label, 1) for label in labels], title="slots", plot_width=560)
    ticks = [(float(x), text) for x, _y, text in _TICK.findall(svg)]
    assert len(ticks) >= 4
    for (x1, text1), (x2, text2) in pairwise(ticks):
        # 10 px text is at most ~6 px a character: half of each label on either side.
        assert x2 - x1 >= 3 * (len(text1) + len(text2)), (text1, text2)


def test_the_y_axis_name_stays_clear_of_the_top_tick() -> None:
    svg = column_chart([("0", 16), ("1", 14)], title="breaks", y_label="participants")
    axis_y = float(re.search(r'<text x="[\d.]+" y="([\d.]+)" class="axis">participants', svg)[1])  # type: ignore[index]
    top_tick_y = min(
        float(y) for y in re.findall(r'y="([\d.]+)" text-anchor="end" class="tick"', svg)
    )
    assert top_tick_y - axis_y >= 10


def test_heatmap_leaves_room_for_the_last_rotated_column_label() -> None:
    columns = [f"Thu {h:02d}:00" for h in range(8, 20)]
    svg = heatmap([("Table 1", [True] * len(columns))], columns, title="tables")
    width = float(_WIDTH.search(svg).group(1))  # type: ignore[union-attr]
    last_x = max(float(x) for x in re.findall(r'<text x="([\d.]+)" y="[\d.]+" transform', svg))
    # A label rotated by 45 degrees reaches about 0.71 x its length to the right.
    assert last_x + 0.71 * 6 * len(columns[-1]) <= width
