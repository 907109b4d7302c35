"""The reports' bar charts (Pillow): axis ticks, size, legend placement, turned labels."""
import pytest
from PIL import Image

from salesbook.reports.render import plot
from salesbook.reports.render.plot import Series, nice_ticks, tick_text
from salesbook.reports.render.charts import BLUE, GREY

pytestmark = pytest.mark.filterwarnings("error:Glyph:UserWarning")


@pytest.mark.parametrize("lo, hi, ticks", [
    (0, 5116, [0, 2000, 4000, 6000]),
    (0, 449, [0, 100, 200, 300, 400, 500]),
    (0, 57.3, [0, 20, 40, 60]),
    (0, 12.4, [0, 2.5, 5, 7.5, 10, 12.5]),
    (0, 0.8, [0, 0.2, 0.4, 0.6, 0.8]),
    (-30, 90, [-50, -25, 0, 25, 50, 75, 100]),
    (0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1]),
])
def test_ticks_are_round_and_cover_the_values(lo, hi, ticks):
    assert nice_ticks(lo, hi) == ticks


def test_counts_get_whole_ticks():
    assert nice_ticks(0, 1, whole=True) == [0, 1]
    assert nice_ticks(0, 3, whole=True) == [0, 1, 2, 3]
    assert nice_ticks(0, 12, whole=True) == [0, 5, 10, 15]
    assert nice_ticks(0, 5116, whole=True) == [0, 2000, 4000, 6000]


def test_tick_text_has_thousands_and_only_the_decimals_the_step_needs():
    assert [tick_text(t, [0, 2000, 4000]) for t in (0, 2000, 4000)] == ["0", "2,000", "4,000"]
    assert [tick_text(t, [0, 2.5, 5]) for t in (0, 2.5, 5)] == ["0.0", "2.5", "5.0"]


def _chart(tmp_path, categories, values, name="c.png"):
    return plot.bars(tmp_path / name, size=(6.4, 3.0), title="拜访次数(按拜访方式)", categories=categories,
                         series=[Series("上期 2026-W44", [v // 2 for v in values], GREY),
                                 Series("本期 2026-W45", values, BLUE, [f"{v:,}" for v in values])])


def _rows_with(img, colour) -> list[int]:
    px = img.load()
    return [y for y in range(img.height) if any(px[x, y] == colour for x in range(img.width))]


def test_chart_is_an_rgb_png_of_the_given_size_and_the_same_bytes_each_time(tmp_path):
    a = _chart(tmp_path, ["陌生拜访", "意向拜访", "电话拜访", "来访接待"], [499, 2180, 5116, 2106], "a.png")
    b = _chart(tmp_path, ["陌生拜访", "意向拜访", "电话拜访", "来访接待"], [499, 2180, 5116, 2106], "b.png")
    img = Image.open(a)
    assert (img.size, img.mode) == ((704, 330), "RGB")
    assert a.read_bytes() == b.read_bytes()


def test_the_legend_is_above_the_tallest_bar(tmp_path):
    img = Image.open(_chart(tmp_path, ["陌生拜访", "意向拜访", "电话拜访", "来访接待"], [499, 2180, 6000, 2106]))
    blue = tuple(int(BLUE[i:i + 2], 16) for i in (1, 3, 5))
    rows = _rows_with(img, blue)
    # the rows holding blue: the legend swatch (a few rows), a gap, then the bars
    gaps = [b for a, b in zip(rows, rows[1:]) if b - a > 1]
    assert len(gaps) == 1
    swatch = [y for y in rows if y < gaps[0]]
    assert len(swatch) < 20 and max(swatch) + 10 < gaps[0]


def test_many_long_categories_are_turned_and_stay_inside_the_picture(tmp_path):
    teams = [f"华东大区第{i}销售组" for i in range(1, 22)]
    img = Image.open(_chart(tmp_path, teams, [100 * i for i in range(1, 22)]))
    assert img.size == (704, 330)
    px = img.load()
    # ink in the bottom strip (the turned labels) but the last row is margin
    assert any(px[x, img.height - 20] != (255, 255, 255) for x in range(img.width))
    assert all(px[x, img.height - 1] == (255, 255, 255) for x in range(img.width))


def test_a_character_the_font_lacks_warns(tmp_path):
    with pytest.raises(UserWarning, match="Glyph"):
        _chart(tmp_path, ["陌生拜访", "\U0001F600"], [1, 2])


def test_a_line_chart_draws_each_series_in_its_colour_inside_the_plot(tmp_path):
    from salesbook.reports.render.charts import ORANGE

    months = [f"26-{m:02d}" for m in range(1, 13)]
    path = plot.lines(tmp_path / "t.png", size=(7.0, 3.0), title="近 12 个月签约与回款", categories=months, unit="万元",
                      series=[Series("签约", [30 + 10 * i for i in range(12)], BLUE),
                              Series("回款", [20 + 5 * i for i in range(12)], ORANGE, marker="s")])
    img = Image.open(path)
    assert (img.size, img.mode) == ((770, 330), "RGB")
    blue, orange = (_mean_row(img, c, x) for c in (BLUE, ORANGE) for x in [img.width * 3 // 4])
    assert blue < orange           # higher values drawn higher: 签约 above 回款 late in the year
    early_blue = _mean_row(img, BLUE, img.width // 4)
    assert early_blue > blue + 20  # and rising


def _mean_row(img, colour: str, x: int) -> float:
    """The mean row of the pixels near `colour` in the columns around x (the line there)."""
    rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    px = img.load()
    found = [y for y in range(img.height) for xx in range(x - 2, x + 3)
             if sum(abs(p - q) for p, q in zip(px[xx, y], rgb)) < 60]
    assert found, f"no {colour} near x={x}"
    return sum(found) / len(found)
