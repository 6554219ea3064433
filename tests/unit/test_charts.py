"""Charts: valid, reproducible images whose geometry and labels come exactly from the input."""

import hashlib
import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction

import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle, Wedge
from matplotlib.text import Text

from finans import charts
from finans.palette import department_colour

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

SHARES = (("BFH", Fraction(3, 5)), ("JOB", Fraction(1, 3)), ("SKO", Fraction(1, 15)))
TOTALS = (("BFH", 8194839), ("JOB", 5663226), ("SUN", 0), ("HJM", 90000))
MONTHS = ("2026-01", "2026-02", "2026-03")
SERIES = (
    ("BFH", (394839, 404839, 0)),
    ("JOB", (263226, 263226, 263227)),
    ("SKO", (0, 0, 0)),
)
ROWS = (
    ("BFH", 100000000, 61234550, 95000001),
    ("JOB", None, 20000000, 38000000),
    ("SKO", 30000000, 0, 41000000),
)

CHARTS = {
    "lagkage": (charts.lagkage_chart, (SHARES, "Aflastning")),
    "department_pie": (charts.department_pie, (TOTALS, "Forbrug 2026")),
    "monthly_bars": (charts.monthly_bars, (MONTHS, SERIES, "Forbrug pr. måned")),
    "budget": (charts.budget_chart, (ROWS, "Budget 2026")),
}


def svg_texts(svg: bytes) -> list[str]:
    """Every text element of an SVG file, as the words a reader sees."""
    root = ET.fromstring(svg)
    return ["".join(node.itertext()) for node in root.iter("{http://www.w3.org/2000/svg}text")]


def figure_texts(figure: Figure) -> list[Text]:
    figure.draw_without_rendering()
    return [text for text in figure.findobj(Text) if text.get_visible() and text.get_text()]


def wedges(figure: Figure) -> list[Wedge]:
    return [patch for patch in figure.axes[0].patches if isinstance(patch, Wedge)]


def bars(figure: Figure, label: str) -> list[Rectangle]:
    (container,) = [c for c in figure.axes[0].containers if c.get_label() == label]
    return list(container)


def kroner(value: float) -> Decimal:
    """A drawn value as the decimal it came from: the shortest repr of a correctly rounded float."""
    return Decimal(repr(float(value)))


def bar_heights(figure: Figure, label: str) -> list[Decimal]:
    return [kroner(bar.get_height()) for bar in bars(figure, label)]


def hex_colour(rgba: tuple[float, ...]) -> str:
    return to_hex(rgba).upper()


@pytest.mark.parametrize("name", CHARTS)
def test_each_chart_renders_a_png_file(name):
    function, arguments = CHARTS[name]
    assert function(*arguments, "png").startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("name", CHARTS)
def test_each_chart_renders_an_svg_document(name):
    function, arguments = CHARTS[name]
    root = ET.fromstring(function(*arguments, "svg"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


@pytest.mark.parametrize("fmt", ["png", "svg"])
@pytest.mark.parametrize("name", CHARTS)
def test_identical_input_gives_identical_bytes(name, fmt):
    function, arguments = CHARTS[name]
    uncached = function.__wrapped__
    assert uncached(*arguments, fmt) == uncached(*arguments, fmt)


def test_a_repeated_request_is_served_from_the_cache():
    first = charts.department_pie(TOTALS, "Forbrug 2026", "svg")
    assert charts.department_pie(TOTALS, "Forbrug 2026", "svg") is first


def test_an_unknown_image_format_is_refused():
    with pytest.raises(ValueError, match="gif"):
        charts.lagkage_chart(SHARES, "Aflastning", "gif")  # type: ignore[arg-type]


def test_lagkage_slices_are_proportional_to_the_shares():
    figure = charts.build_lagkage_chart(SHARES, "Aflastning")
    angles = [Fraction(w.theta2 - w.theta1) for w in wedges(figure)]
    expected = [360 * share for _, share in SHARES]
    assert len(angles) == len(expected)
    assert all(
        abs(angle - want) < Fraction(1, 10**9) for angle, want in zip(angles, expected, strict=True)
    )


def test_lagkage_slices_have_the_department_colours():
    figure = charts.build_lagkage_chart(SHARES, "Aflastning")
    colours = [hex_colour(w.get_facecolor()) for w in wedges(figure)]
    assert colours == [department_colour(code) for code, _ in SHARES]


def test_lagkage_slices_are_labelled_with_code_and_danish_percent():
    texts = svg_texts(charts.lagkage_chart(SHARES, "Aflastning", "svg"))
    assert {"BFH 60 %", "JOB 33,3 %", "SKO 6,7 %", "Aflastning"} <= set(texts)


def test_lagkage_leaves_out_departments_with_a_zero_share():
    shares = (("BFH", Fraction(1)), ("JOB", Fraction(0)))
    figure = charts.build_lagkage_chart(shares, "Aflastning")
    assert [hex_colour(w.get_facecolor()) for w in wedges(figure)] == [department_colour("BFH")]


def test_department_pie_slices_are_proportional_to_the_amounts():
    figure = charts.build_department_pie(TOTALS, "Forbrug 2026")
    spent = [(code, amount) for code, amount in TOTALS if amount > 0]
    total = sum(amount for _, amount in spent)
    angles = [Fraction(w.theta2 - w.theta1) for w in wedges(figure)]
    expected = [360 * Fraction(amount, total) for _, amount in spent]
    assert len(angles) == len(expected)
    assert all(
        abs(angle - want) < Fraction(1, 10**9) for angle, want in zip(angles, expected, strict=True)
    )


def test_department_pie_slices_have_the_department_colours_and_skip_zero_spend():
    figure = charts.build_department_pie(TOTALS, "Forbrug 2026")
    colours = [hex_colour(w.get_facecolor()) for w in wedges(figure)]
    assert colours == [department_colour(code) for code in ("BFH", "JOB", "HJM")]


def test_department_pie_shows_danish_money_and_percent():
    texts = svg_texts(charts.department_pie(TOTALS, "Forbrug 2026", "svg"))
    assert "BFH: 81.948,39 kr. (58,8 %)" in texts
    assert "HJM: 900,00 kr. (0,6 %)" in texts
    assert "I alt: 139.480,65 kr." in texts


def test_monthly_bars_have_heights_equal_to_the_amounts_in_kroner():
    figure = charts.build_monthly_bars(MONTHS, SERIES, "Forbrug pr. måned")
    for code, amounts in SERIES[:2]:
        assert bar_heights(figure, code) == [Decimal(amount).scaleb(-2) for amount in amounts]


def test_monthly_bars_stack_each_department_on_the_ones_before():
    figure = charts.build_monthly_bars(MONTHS, SERIES, "Forbrug pr. måned")
    bottoms = [kroner(bar.get_y()) for bar in bars(figure, "JOB")]
    assert bottoms == [Decimal(amount).scaleb(-2) for amount in SERIES[0][1]]


def test_monthly_bars_use_department_colours_and_leave_out_idle_departments():
    figure = charts.build_monthly_bars(MONTHS, SERIES, "Forbrug pr. måned")
    legend = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert legend == ["JOB", "BFH"]
    assert {hex_colour(bar.get_facecolor()) for bar in bars(figure, "JOB")} == {
        department_colour("JOB")
    }


def test_monthly_bars_name_the_months_in_danish():
    texts = svg_texts(charts.monthly_bars(MONTHS, SERIES, "Forbrug pr. måned", "svg"))
    assert {"jan. 2026", "feb. 2026", "mar. 2026"} <= set(texts)


def test_monthly_bars_refuse_a_series_that_does_not_match_the_months():
    with pytest.raises(ValueError, match="BFH"):
        charts.build_monthly_bars(MONTHS, (("BFH", (1, 2)),), "Forbrug")


def test_budget_chart_bars_equal_budget_spend_and_forecast_in_kroner():
    figure = charts.build_budget_chart(ROWS, "Budget 2026")
    assert bar_heights(figure, "Budget") == [Decimal("1000000.00"), Decimal("300000.00")]
    assert bar_heights(figure, "Forbrug") == [
        Decimal("612345.50"),
        Decimal("200000.00"),
        Decimal("0.00"),
    ]
    assert bar_heights(figure, "Prognose") == [
        Decimal("950000.01"),
        Decimal("380000.00"),
        Decimal("410000.00"),
    ]


def test_budget_chart_spend_bars_have_the_department_colours():
    figure = charts.build_budget_chart(ROWS, "Budget 2026")
    colours = [hex_colour(bar.get_facecolor()) for bar in bars(figure, "Forbrug")]
    assert colours == [department_colour(code) for code, *_ in ROWS]


def test_budget_chart_has_danish_labels_and_says_when_a_budget_is_missing():
    texts = svg_texts(charts.budget_chart(ROWS, "Budget 2026", "svg"))
    assert {"Budget", "Forbrug", "Prognose", "intet budget", "BFH", "JOB", "SKO"} <= set(texts)
    assert any(text.endswith(" kr.") for text in texts)


@pytest.mark.parametrize(
    ("build", "arguments"),
    [
        (charts.build_lagkage_chart, ((), "Aflastning")),
        (charts.build_department_pie, ((("BFH", 0),), "Forbrug")),
        (charts.build_monthly_bars, ((), (), "Forbrug pr. måned")),
        (charts.build_monthly_bars, (MONTHS, (("BFH", (0, 0, 0)),), "Forbrug pr. måned")),
        (charts.build_budget_chart, ((), "Budget")),
        (charts.build_budget_chart, ((("BFH", None, 0, 0),), "Budget")),
    ],
)
def test_empty_input_gives_a_chart_that_says_there_is_no_data(build, arguments):
    figure = build(*arguments)
    assert "Ingen data" in [text.get_text() for text in figure_texts(figure)]
    assert not figure.axes[0].patches


def test_empty_input_still_renders_an_image():
    assert "Ingen data" in svg_texts(charts.department_pie((), "Forbrug", "svg"))


@pytest.mark.parametrize(
    ("build", "arguments"),
    [
        (charts.build_lagkage_chart, ((("BFH", Fraction(-1, 2)),), "Aflastning")),
        (charts.build_department_pie, ((("BFH", -1),), "Forbrug")),
        (charts.build_monthly_bars, (("2026-01",), (("BFH", (-1,)),), "Forbrug")),
        (charts.build_budget_chart, ((("BFH", -1, 0, 0),), "Budget")),
    ],
)
def test_negative_amounts_are_refused(build, arguments):
    with pytest.raises(ValueError, match="BFH"):
        build(*arguments)


@pytest.mark.parametrize(
    ("build", "arguments"),
    [
        (charts.build_lagkage_chart, (SHARES, "Aflastning")),
        (charts.build_department_pie, (TOTALS, "Forbrug 2026")),
        (charts.build_monthly_bars, (MONTHS, SERIES, "Forbrug pr. måned")),
        (charts.build_budget_chart, (ROWS, "Budget 2026")),
    ],
)
def test_charts_are_sized_and_lettered_for_a_projector(build, arguments):
    figure = build(*arguments)
    assert tuple(figure.get_size_inches()) == (8, 5)
    assert figure.dpi == 100
    sizes = [text.get_fontsize() for text in figure_texts(figure)]
    assert sizes and min(sizes) >= 12


def test_charts_never_load_pyplot_and_render_the_same_bytes_in_a_new_process():
    script = (
        "import hashlib, sys\n"
        "from finans.charts import budget_chart\n"
        f"svg = budget_chart({ROWS!r}, 'Budget 2026', 'svg')\n"
        "print('matplotlib.pyplot' in sys.modules, hashlib.sha256(svg).hexdigest())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    here = hashlib.sha256(charts.budget_chart(ROWS, "Budget 2026", "svg")).hexdigest()
    assert result.stdout.split() == ["False", here]
