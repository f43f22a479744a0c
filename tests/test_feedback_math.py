"""A student's feedback page shows its formulas as typeset math with the network off: opened
from disk in Debian's Chromium (playwright), offline, every formula is a laid-out MathML element
and no `$...$` source is left as text. Saves a screenshot to tests/artifacts/.
"""

from pathlib import Path

import pytest
from browser_support import chromium, require_chromium
from conftest import release

from autograder import samples
from autograder.course import assignment
from autograder.pipeline import CourseRun

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ASSIGNMENT = "forget_gate"
FULL = assignment(ASSIGNMENT).points  # the manifest's total

# Where a formula is: a subscript drawn below its base proves MathML layout, not plain text.
LAYOUT = """() => Array.from(document.querySelectorAll('msub')).slice(0, 20).map(sub => {
  const [base, script] = Array.from(sub.children).map(e => e.getBoundingClientRect());
  return {text: sub.textContent, lower: script.bottom > base.bottom, smaller: script.height < base.height};
})"""


@pytest.mark.slow
@pytest.mark.browser
def test_the_feedback_formulas_are_typeset_offline(tmp_path):
    require_chromium()
    # No student here loops: the course's own cell limit (30 s), so a busy machine cannot fail right code.
    course = CourseRun(root=tmp_path / "course", release_directory=tmp_path / "release")
    release(course, ASSIGNMENT)
    samples.write_submission(
        samples.solved(ASSIGNMENT, course.release_directory), tmp_path / "inbox", "ada", ASSIGNMENT
    )
    course.collect(tmp_path / "inbox")
    course.autograde()
    result = course.feedback(ASSIGNMENT)
    assert result.returncode == 0, result.stderr[-3000:]
    page_path = course.root / "feedback" / "ada" / ASSIGNMENT / f"{ASSIGNMENT}.html"

    with chromium(tmp_path / "chromium") as browser:
        browser.set_offline(True)
        page = browser.new_page()
        page.goto(page_path.as_uri(), wait_until="load")
        text = page.inner_text("body")
        formulas = page.evaluate(
            "() => Array.from(document.querySelectorAll('math')).map("
            "m => [m instanceof MathMLElement, m.getBoundingClientRect().width])"
        )
        layout = page.evaluate(LAYOUT)
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator("math[display=block]").first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "feedback-math.png"))

    assert len(formulas) >= 30, f"only {len(formulas)} formulas on the page"
    assert all(is_mathml and width > 0 for is_mathml, width in formulas), formulas
    assert layout and all(f["lower"] and f["smaller"] for f in layout), layout
    for source in ("$f_t", "f_t$", "$$", "\\sigma", "\\odot", "\\tilde"):
        assert source not in text, f"raw TeX {source!r} shown as text"
    assert f"Score: {FULL:.1f} / {FULL:.1f}" in text
