"""Student outputs cannot script the instructor's browser (tests/hostile/xss.py, graded in ONE batch).

The real grader grades the cases and nbgrader writes their feedback. Then Debian's Chromium opens
every feedback page from disk, and every graded submission in nbgrader's formgrader inside a real
JupyterLab server, logged in with its token. Nothing of the payloads may run or load, no file may
appear through the server's API, and the harmless text of the same outputs must still be shown.

The positive control: student `xss_unsanitized_control` is graded like the others, then its graded
notebook is replaced by the same cells' outputs from a plain kernel, unsanitized. The same pages
then show the marks, and the formgrader writes the files (HTTP 201): the checks can fail.
"""

import re

import nbformat
import pytest
from browser_support import chromium, jupyterlab, require_chromium
from conftest import release
from hostile import corpus, xss
from nbclient import NotebookClient
from nbgrader.api import Gradebook

from autograder import gradebook, report
from autograder.__main__ import main
from autograder.pipeline import CourseRun
from autograder.sandbox import Limits

pytestmark = pytest.mark.slow

CONTROL = "xss_unsanitized_control"
NOTEBOOK = f"{xss.ASSIGNMENT}.ipynb"
BUDGET = Limits().output_bytes  # the grader's default output budget for one notebook


def _raw_outputs():
    """{source: outputs} of the payload cells run in a plain kernel, as nbgrader would keep them."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in xss.payload_cells()])
    NotebookClient(notebook, timeout=60, allow_errors=True, kernel_name="python3").execute()
    return {cell.source: cell.outputs for cell in notebook.cells}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("xss")
    # The Jupyter server serves root/notebooks; the course lives inside it, as formgrader needs.
    course = CourseRun(
        root=root / "notebooks" / "course", release_directory=root / "release", timeout=30, workers=2, memory_mb=1024
    )  # 30 s: the default, never reached here
    release(course, xss.ASSIGNMENT)
    inbox = tmp_path_factory.mktemp("xss-inbox")
    cases = xss.cases(course.release_directory)
    for case in cases:
        corpus.write(case, inbox)
    course.collect(inbox)
    course.autograde()

    control = course.root / "autograded" / CONTROL / xss.ASSIGNMENT / NOTEBOOK
    notebook = nbformat.read(control, as_version=4)
    raw = _raw_outputs()
    for cell in notebook.cells:
        if cell.source in raw:
            cell.outputs = raw[cell.source]
    nbformat.write(notebook, control)

    result = course.feedback(xss.ASSIGNMENT)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = {row["student"]: row for row in report.grade_rows(course.db_url, [xss.ASSIGNMENT])}
    return root, course, cases, rows


def summary_of(course, student):
    """The lines of `autograde`'s summary about one student."""
    block = []
    for line in gradebook.summary(course):
        if line.startswith(f"{student} / "):
            block = [line]
        elif block and line.startswith("  - "):
            block.append(line)
        elif block:
            break
    return "\n".join(block)


def graded_notebook(course, student):
    return course.root / "autograded" / student / xss.ASSIGNMENT / NOTEBOOK


def feedback_page(course, student):
    return course.root / "feedback" / student / xss.ASSIGNMENT / NOTEBOOK.replace(".ipynb", ".html")


def sanitized_students(cases):
    return [case.student for case in cases if case.student != CONTROL]


# -- the grades and the graded notebooks -----------------------------------------------------------
@pytest.mark.parametrize("student", [c.student for c in xss.cases(None)])
def test_outputs_cost_no_points_and_the_summary_says_what_was_cut(graded, student):
    _, course, cases, rows = graded
    case = next(c for c in cases if c.student == student)
    for grade_id in case.zero:
        assert rows[student][grade_id] == 0, f"{student} ({case.what}) got credit on {grade_id}"
    for grade_id in case.full:
        assert rows[student][grade_id] == rows["right"][grade_id] > 0, f"{student} ({case.what}) lost {grade_id}"
    if case.reason:
        assert case.reason in summary_of(course, student)


def test_graded_notebooks_hold_only_data(graded):
    _, course, cases, _ = graded
    for student in sanitized_students(cases):
        notebook = nbformat.read(graded_notebook(course, student), as_version=4)
        nbformat.validate(notebook)
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                assert set(data) <= {"text/plain", "text/html", "image/png", "image/jpeg"}, (student, data.keys())
                html = data.get("text/html", "")
                assert not re.search(r"<script|<iframe|<svg|<style|javascript:|\son\w+=|url\(", html), html
                assert set(output.get("metadata", {})) <= {"image/png", "image/jpeg"}


def test_huge_errors_and_metadata_stay_within_the_budget(graded):
    _, course, _, _ = graded
    right = graded_notebook(course, "right").stat().st_size
    for student in ("huge_error", "xss_outputs"):  # a 9 MB error; 5 MB of metadata
        assert graded_notebook(course, student).stat().st_size < right + BUDGET, student
    assert "passed the grader's limit" in graded_notebook(course, "huge_error").read_text()
    assert "kept-huge-metadata" in graded_notebook(course, "xss_outputs").read_text()


def test_the_control_notebook_really_holds_the_raw_payloads(graded):
    _, course, _, _ = graded
    text = graded_notebook(course, CONTROL).read_text()
    assert "application/javascript" in text and "onerror=" in text


# -- in a real browser -----------------------------------------------------------------------------
LOOK = """() => ({marks: Array.from(document.querySelectorAll('pwned-mark'), n => n.textContent),
                 title: document.title, text: document.body.innerText,
                 images: Array.from(document.querySelectorAll('.output_area img'), i => i.src.slice(0, 22)),
                 links: document.querySelectorAll('.output_area a[href^="javascript:"]').length})"""
SETTLE = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def block_the_network(context):
    """Only this machine: pages ask the internet for MathJax; payloads ask pwned.invalid."""

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("http://127.0.0.1", "file:")):
            request_route.continue_()
        else:
            request_route.abort()

    context.route("**/*", route)


def visit(context, url):
    """Open a page, let it settle, click its javascript: links; what ran, loaded and shows."""
    page = context.new_page()
    loads, dialogs = [], []
    page.on("request", lambda request: loads.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url, wait_until="load")
    page.evaluate(SETTLE)
    for link in page.locator('.output_area a[href^="javascript:"]').all():
        link.click()
    page.evaluate(SETTLE)
    page.wait_for_load_state("networkidle")  # what the payloads asked of the server is answered
    seen = page.evaluate(LOOK)
    page.close()
    seen["loads"] = [u for u in loads if "pwned" in u]
    seen["dialogs"] = dialogs
    seen["fired"] = set(seen["marks"]) | {
        tag for tag in xss.PAYLOADS for url in seen["loads"] if f"/{tag}" in url or f"pwned-{tag}." in url
    }
    return seen


def log_in(context, lab):
    """Log in as the instructor does: the token on the server's login page (a cookie from then on)."""
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{lab.port}/login")
    page.fill("input[name=password]", lab.token)
    with page.expect_navigation():
        page.click("button[type=submit], input[type=submit]")
    assert any(cookie["name"].startswith("username-") for cookie in context.cookies()), "not logged in"
    page.close()


def assert_nothing_ran_and_the_text_shows(seen, student):
    assert seen["marks"] == [] and "pwned" not in seen["title"], f"{student}: a payload ran: {seen['marks']}"
    assert seen["loads"] == [], f"{student}: a payload loaded {seen['loads']}"
    assert seen["dialogs"] == [] and seen["links"] == 0, student
    if student == "xss_outputs":
        missing = [tag for tag, text in xss.KEPT.items() if text not in seen["text"]]
        assert missing == [], f"the harmless text of {missing} is not shown"
    if student == "right":
        assert "data:image/png;base64," in seen["images"]
        assert "honest-table-cell" in seen["text"] and "f_t" in seen["text"]


@pytest.mark.browser
def test_feedback_pages_opened_from_disk_run_nothing_of_the_students(graded, tmp_path):
    require_chromium()
    _, course, cases, _ = graded
    with chromium(tmp_path / "chromium-profile") as browser:
        block_the_network(browser)
        for student in sanitized_students(cases):
            assert_nothing_ran_and_the_text_shows(visit(browser, feedback_page(course, student).as_uri()), student)
        control = visit(browser, feedback_page(course, CONTROL).as_uri())
    assert control["fired"] >= xss.FIRES_UNSANITIZED_FROM_DISK, control["fired"]


@pytest.mark.browser
def test_formgrader_runs_nothing_of_the_students_and_no_file_is_written(graded, tmp_path):
    require_chromium()
    root, course, cases, _ = graded
    config = root / "state" / "jupyter_config_dir"
    config.mkdir(parents=True, exist_ok=True)
    (config / "nbgrader_config.py").write_text(f"c = get_config()\nc.CourseDirectory.root = {str(course.root)!r}\n")
    with Gradebook(course.db_url) as book:
        ids = {
            case.student: book.find_submission_notebook(
                NOTEBOOK.removesuffix(".ipynb"), xss.ASSIGNMENT, case.student
            ).id
            for case in cases
        }
    server_root = root / "notebooks"
    with jupyterlab(root, corpus.REPOSITORY) as lab, chromium(tmp_path / "chromium-profile") as browser:
        block_the_network(browser)
        log_in(browser, lab)
        formgrader = f"http://127.0.0.1:{lab.port}/formgrader/submissions"
        for student in sanitized_students(cases):
            seen = visit(browser, f"{formgrader}/{ids[student]}/")
            assert "Submission" in seen["text"], f"{student}: the formgrader did not show the submission"
            assert_nothing_ran_and_the_text_shows(seen, student)
        assert sorted(server_root.glob("pwned-*")) == []
        control = visit(browser, f"{formgrader}/{ids[CONTROL]}/")
    assert control["fired"] >= xss.FIRES_UNSANITIZED, control["fired"]
    written = {path.name for path in server_root.glob("pwned-*")}
    assert written >= {f"pwned-{tag}.txt" for tag in xss.FIRES_UNSANITIZED - {"html-style"}}, written


# -- the class report ------------------------------------------------------------------------------
@pytest.mark.browser
def test_the_class_report_shows_hostile_answers_as_text_and_loads_nothing(graded, tmp_path):
    """`report` on this class: xss_outputs' forget_gate raises an exception whose message is HTML
    with an onerror payload, a wrong answer the catalogue does not know, so its code is one of the
    report's examples. Opened from disk, nothing of it runs, nothing is requested but the page
    itself, and no student is named."""
    require_chromium()
    _, course, cases, _ = graded
    main(["--course-dir", str(course.root), "--release-dir", str(course.release_directory), "report"])
    page = course.root / "report" / "index.html"
    source = page.read_text()
    assert not re.search(r"<script|<[^>]*\son\w+=", source, re.I)  # the payloads are escaped: &lt;img ...
    assert 'http-equiv="Content-Security-Policy" content="default-src \'none\'' in source
    for case in cases:  # ("right" is a word of the page's own text)
        if case.student != "right":
            assert case.student not in source, f"{case.student} is named"
    with chromium(tmp_path / "chromium-profile") as browser:
        block_the_network(browser)
        tab = browser.new_page()
        requested, dialogs = [], []
        tab.on("request", lambda request: requested.append(request.url))
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        tab.goto(page.as_uri(), wait_until="load")
        tab.evaluate(SETTLE)
        seen = tab.evaluate(LOOK)
    assert seen["marks"] == [] and "pwned" not in seen["title"] and dialogs == [], seen["marks"]
    assert requested == [page.as_uri()], requested  # the figures are in the page
    assert "kept-test-error" in seen["text"] and "onerror=" in seen["text"]  # the student's code, as text
    assert "an error the catalogue does not know" in seen["text"]
