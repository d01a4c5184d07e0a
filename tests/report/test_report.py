"""The HTML report: every section present, one offline file, and every chart drawn by a real browser."""

from __future__ import annotations

import base64
import dataclasses
import re
import sys
from pathlib import Path

import plotly.offline
import pytest

import talentwar
from talentwar.report import figures, write_report

ROOT = Path(__file__).parents[2]
MINI = Path(__file__).parents[1] / "scenarios" / "mini.yaml"
SECTIONS = ["capability", "headcount", "core_retention", "moves", "poaching", "knowledge_leaked", "pay", "retention_spend", "bus_factor"]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def result():
    return talentwar.simulate(talentwar.load_scenario(MINI), replications=4, months=6, seed=3)


@pytest.fixture(scope="module")
def report(result, tmp_path_factory) -> Path:
    return write_report(result, tmp_path_factory.mktemp("report") / "report.html")


def test_figures_has_every_section_with_titles_and_axis_labels(result):
    figs = figures(result)
    assert list(figs) == SECTIONS
    for key, fig in figs.items():
        assert fig.layout.title.text, key
        if key != "moves":  # a Sankey diagram has no axes
            assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text, key


def test_band_traces_come_from_the_result(result):
    capability = result.metrics[(result.metrics["metric"] == "capability") & (result.metrics["firm"] == "lab")]
    by_month = capability.groupby("month")["value"]
    line = next(t for t in figures(result)["capability"].data if t.name == "lab")
    assert list(line.y) == pytest.approx(by_month.mean().tolist())
    assert [low for low, _ in line.customdata] == pytest.approx(by_month.quantile(0.05).tolist())


def test_report_is_one_self_contained_file(report):
    html = report.read_text(encoding="utf-8")
    plotlyjs = plotly.offline.get_plotlyjs()
    assert html.count(plotlyjs) == 1
    assert '<script src="http' not in html
    # plotly.js itself names its CDN (for map data this report never draws); the page around it must not.
    assert "cdn.plot.ly" not in html.replace(plotlyjs, "")
    assert html.count('class="plotly-graph-div"') == len(SECTIONS)
    assert "90% intervals" in html and "mini" in html
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", html)
    assert len(captions) == len(SECTIONS)
    assert not [c for c in captions if "{" in c], "a caption shows a placeholder instead of a number"
    assert list(report.parent.iterdir()) == [report]


def test_poaching_flows_have_their_own_chart_and_a_flat_bus_factor_is_folded(result):
    from talentwar.report.charts import bus_factor, poaching

    bars = {t.name: t for t in poaching(result).figure.data}
    taken = result.metrics[(result.metrics["metric"] == "departures_to:poacher") & (result.metrics["firm"] == "lab")]
    assert list(bars) == ["to poacher"] and bars["to poacher"].y[0] == pytest.approx(taken["value"].sum() / result.replications)
    assert bus_factor(result).figure is not None  # the mini lab's stages can be halved by a few departures
    safe = dataclasses.replace(result, metrics=result.metrics.assign(value=result.metrics["value"].where(~result.metrics["metric"].astype(str).str.startswith("bus_factor:"), 9.0)))
    folded = bus_factor(safe)
    assert folded.figure is None and "stayed above 8" in folded.caption


def test_the_report_opens_with_a_headline_per_firm(result, report):
    html = report.read_text(encoding="utf-8")
    assert html.index('id="headline"') < html.index('id="scenario"')
    summary = result.summary().set_index(["firm", "metric"])
    for firm in ("lab", "poacher"):
        kept = summary.loc[(firm, "core_retention"), "mean"]
        assert f"{firm} kept {kept:.0%} of its month-0 core team at month 6" in html
        cost = summary.loc[(firm, "lever_cost"), "mean"] / 1000
        assert f"its levers cost {cost:,.0f} M$ over the run" in html
    assert "<th>cost of levers, M$</th>" in html and "outside kept" not in html


def test_two_runs_side_by_side_show_their_differences_and_draw_in_a_browser(result, browser, tmp_path):
    from talentwar.report.comparison import PAIRED, write_comparison
    from talentwar.results.compare import compare

    data = result.scenario.model_dump()
    next(f for f in data["firms"] if f["name"] == "lab")["separation_rate"] = 0.2
    lever = talentwar.simulate(type(result.scenario).model_validate(data), replications=4, months=6, seed=3)
    page = write_comparison(result, lever, tmp_path / "compare.html", ("base", "leaky"))
    html = page.read_text(encoding="utf-8")
    assert "talentwar report: base vs leaky" in html and "paired by replication" in html
    assert html.count('class="plotly-graph-div"') == len(PAIRED) and html.count(plotly.offline.get_plotlyjs()) == 1
    row = compare(result, lever, ("departures_separated", "core_retention")).set_index(["firm", "metric"]).loc[("lab", "core_retention")]
    assert f"<td>lab</td><td>core team kept</td><td class=number>{row.mean_a:.3g}</td><td class=number>{row.mean_b:.3g}</td>" in html
    assert draw(browser, page, len(PAIRED)) == []


def test_png_without_kaleido_says_how_to_get_it(result, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "kaleido", None)  # makes `import kaleido` fail
    with pytest.raises(RuntimeError, match="pip install kaleido"):
        write_report(result, tmp_path / "report.html", png_dir=tmp_path / "png")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def browser():
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.skip(f"needs {' and '.join(missing)} for the browser test")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def full_page_screenshot(driver, path: Path) -> Path:
    # Chrome's own screenshot stops at the window; the DevTools protocol can capture the whole page.
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}},
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def draw(browser, report: Path, graphs: int = len(SECTIONS)) -> list[dict]:
    """Open `report`, wait until plotly has drawn its `graphs` graphs, and return the console's SEVERE entries."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get_log("browser")  # drop what an earlier page logged
    browser.get(report.as_uri())

    def drawn(driver) -> bool:
        return driver.execute_script(
            "const graphs = document.querySelectorAll('div.js-plotly-plot');"
            "return graphs.length === arguments[0] && [...graphs].every(g => g.querySelector('.main-svg'));",
            graphs,
        )

    WebDriverWait(browser, 30).until(drawn)
    assert len(browser.find_elements("css selector", "div.js-plotly-plot")) == graphs
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def test_report_draws_every_chart_in_a_browser(report, browser):
    assert draw(browser, report) == []
    shot = full_page_screenshot(browser, ROOT / "build" / "report-screenshot.png")
    assert shot.stat().st_size > 10_000


def test_a_run_without_moves_still_draws(result, browser, tmp_path):
    # plotly.js throws on a Sankey diagram without nodes; the report must not hand it one.
    quiet = dataclasses.replace(result, moves=result.moves.iloc[:0])
    assert draw(browser, write_report(quiet, tmp_path / "report.html")) == []


def test_the_levers_pages_draw_in_a_browser(browser, tmp_path):
    """The ranking's and the search's pages (talentwar levers --out, levers optimise --out), made
    from hand-built results: the pages, not the numbers, are under test here."""
    from talentwar.claims.base import Estimate
    from talentwar.levers import LeverResult, Ranking
    from talentwar.levers.document import optimisation_html, ranking_html
    from talentwar.levers.optimise import Optimisation, Point, Search, one_world, pareto_front
    from talentwar.levers.ranking import Question

    def estimate(mean: float) -> Estimate:
        return Estimate(mean, mean * 0.5, mean * 1.5, 4)

    context = {"command": "talentwar levers ...", "version": "test", "machine": "test"}
    ranked = [LeverResult("gpus", "25% more GPUs", "M4", estimate(0.02), estimate(500.0), estimate(0.04)),
              LeverResult("windows", "windows every 6 months", "M3", None, None, None, "already every month")]
    ranking = Ranking("mini", "lab", "core_retention", 4, 6, 0, False, 1.0, estimate(0.5), ranked)
    pages = {"levers.html": ranking_html(ranking, context)}
    question = Question(talentwar.load_scenario(MINI), "lab", "core_retention", 4, 0, False)
    search = Search(question, {"gpus": 1.0, "windows": 3.0}, 5000.0, 4, 1, one_world(question.base), {"gpus": [9000.0], "windows": [100.0, 250.0, 600.0]})
    points = [Point(0, -1, {"gpus": 0.0, "windows": 0}, Estimate(0, 0, 0, 4), Estimate(0, 0, 0, 4), True, [])]
    points += [Point(i, 0, {"gpus": 0.2 * i, "windows": i % 2}, estimate(0.01 * i), estimate(1500.0 * i), 1500.0 * i <= 5000, [f"<b>move</b> {i}"] * (1 + i % 2))
               for i in range(1, 5)]
    front = pareto_front(points)
    pages["optimise.html"] = optimisation_html(Optimisation("abc123", search, points, front, front[-1], 1, 2.0), context)
    for name, html in pages.items():
        assert "<b>move" not in html  # the moves are text, escaped
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        assert draw(browser, path, 1) == [], name
