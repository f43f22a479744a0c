"""autograder/sanitize.py: student outputs become data, within one byte budget per notebook.

Fast tests on output dicts as a kernel sends them. The same payloads, produced by real kernels,
graded by the real grader and opened in Chromium, are in tests/test_xss.py.
"""

import base64
import io
import json
from html.parser import HTMLParser

import nbformat
import pytest
from hostile import xss
from hypothesis import given, settings
from hypothesis import strategies as st
from nbconvert import HTMLExporter

from autograder import sanitize

BUDGET = 1_000_000
EXECUTABLE = (
    "<script",
    "javascript:",
    "onerror",
    "onload",
    "onfocus",
    "srcdoc",
    "<iframe",
    "<svg",
    "<style",
    "<form",
    "<input",
    "<object",
    "@import",
    "url(",
    "pwned.invalid",
)


def display(data, metadata=None, kind="display_data"):
    output = {"output_type": kind, "data": data, "metadata": metadata or {}}
    if kind == "execute_result":
        output["execution_count"] = 3
    return output


def png(width=2, height=2):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(width, height), dpi=10)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode()


def kept(outputs):
    return sanitize.notebook_outputs([outputs], BUDGET)[0][0]


def one(output):
    [safe] = kept([output])
    return safe


@pytest.mark.parametrize("tag", sorted(xss.HTML_PAYLOADS))
def test_html_keeps_its_text_and_loses_everything_that_runs_or_loads(tag):
    html = xss.kept(tag) + xss.HTML_PAYLOADS[tag]
    [output] = kept([display({"text/html": html, "text/plain": "<HTML object>"})])
    clean = output["data"]["text/html"]
    assert f"<b>kept-{tag}</b>" in clean
    assert not [word for word in EXECUTABLE if word in clean.lower()], clean
    assert output["data"]["text/plain"] == "<HTML object>"


def test_html_keeps_tables_and_text_formatting_without_classes_ids_or_loading_styles():
    html = (
        '<table border="1" class="dataframe" id="statusmessage"><thead><tr style="text-align: right;">'
        '<th colspan="2">h_t</th></tr></thead><tbody><tr><td style="color: red; background: url(x)">0.5</td>'
        '<td><a href="https://pytorch.org/docs">docs</a> <a href="/api/contents">server</a></td></tr>'
        "</tbody></table><p><em>f_t</em> <code>sigma</code></p>"
    )
    [output] = kept([display({"text/html": html})])
    clean = output["data"]["text/html"]
    for part in (
        '<th colspan="2">h_t</th>',
        '<tr style="text-align:right">',
        '<td style="color:red">0.5</td>',
        '<a href="https://pytorch.org/docs" rel="noopener noreferrer">docs</a>',
        "<em>f_t</em>",
        "<code>sigma</code>",
    ):
        assert part in clean
    assert "class=" not in clean.replace('class="tex2jax_ignore"', "") and "id=" not in clean
    assert "/api/contents" not in clean and "url(" not in clean
    assert clean.startswith('<div class="tex2jax_ignore">')  # MathJax leaves student HTML alone


@pytest.mark.parametrize(
    "mime",
    [
        "application/javascript",
        "application/vnd.jupyter.widget-view+json",
        "text/html+x",
        "Text/HTML",
        "application/vnd.evil+html",
        "application/pdf",
    ],
)
def test_javascript_widgets_and_unknown_types_are_dropped_keeping_the_text(mime):
    [output] = kept([display({mime: xss.script("x"), "text/plain": "kept-text"})])
    assert output["data"] == {"text/plain": "kept-text"}
    [alone] = kept([display({mime: xss.script("x")})])
    assert list(alone["data"]) == ["text/plain"]
    assert alone["data"]["text/plain"].startswith(f"[not shown: {mime}")
    assert "<script" not in alone["data"]["text/plain"]


@pytest.mark.parametrize("mime", ["text/latex", "image/svg+xml"])
def test_latex_and_svg_are_shown_as_their_source_text(mime):
    source = "kept-source " + xss.script("x")
    [output] = kept([display({mime: source, "text/plain": "<IPython.core.display.SVG object>"}, kind="execute_result")])
    assert output["data"] == {"text/plain": source}
    assert output["execution_count"] == 3


def test_markdown_is_rendered_then_cleaned_and_its_source_is_the_text():
    source = (
        "**Lecture 004:** f_t\n\n- z = `[1, 2]`\n\n> erratum "
        + xss.script("x")
        + f"<img src=x {xss.on('onerror', 'y')}> [link](javascript:alert(1))"
    )
    [output] = kept([display({"text/markdown": source, "text/plain": "<IPython.core.display.Markdown object>"})])
    assert output["data"]["text/plain"] == source
    html = output["data"]["text/html"]
    assert "<strong>Lecture 004:</strong>" in html and "<li>z = <code>[1, 2]</code></li>" in html
    assert "<blockquote>" in html and "erratum" in html
    assert not [word for word in EXECUTABLE if word in html.lower()], html


def test_long_markdown_is_kept_as_its_source_not_rendered_by_the_grader():
    """Rendering markdown costs the grader's own CPU (940 kB of `*a` took 15 s): past
    MARKDOWN_RENDERED characters it is shown as its source text; short markdown is still rendered."""
    long = "*a" * (sanitize.MARKDOWN_RENDERED // 2 + 1)
    [output] = kept([display({"text/markdown": long})])
    assert output["data"] == {"text/plain": long}
    [short] = kept([display({"text/markdown": "*a*"})])
    assert "<em>a</em>" in short["data"]["text/html"]


def test_images_are_kept_only_when_they_are_images_of_their_type():
    image = png()
    assert one(display({"image/png": image}))["data"] == {"image/png": image}
    jpeg = base64.b64encode(b"\xff\xd8\xff\xe0" + bytes(20)).decode()
    assert one(display({"image/jpeg": jpeg[:20] + "\n" + jpeg[20:]}))["data"] == {"image/jpeg": jpeg}
    html_as_png = base64.b64encode(xss.script("x").encode()).decode()
    for fake in (
        html_as_png,
        xss.script("x"),
        "iVBORw0KGgo" + "<img src=x onerror=alert(1)>",
        image[:8] + "*" + image[8:],
    ):
        output = one(display({"image/png": fake, "text/plain": "kept"}))
        assert output["data"] == {"text/plain": "kept"}
    assert one(display({"image/png": image}, {"image/jpeg": {"width": 3}}))["metadata"] == {}


def test_metadata_keeps_only_the_size_of_images():
    image = png()
    metadata = {
        "image/png": {"width": 120, "height": "<img src=x onerror=alert(1)>", "unconfined": True},
        "text/html": {"isolated": True},
        "filenames": {"image/png": "http://pwned.invalid/x.png"},
        "junk": "x" * 10_000,
        "needs_background": "light",
    }
    output = one(display({"image/png": image, "text/html": "<b>x</b>"}, metadata))
    assert output["metadata"] == {"image/png": {"width": 120}}
    for bad in (0, -5, 10**9, True, 2.5, "100"):
        assert one(display({"image/png": image}, {"image/png": {"height": bad}}))["metadata"] == {}


def test_output_types_and_fields_come_from_the_allow_list():
    outputs = [
        {"output_type": "stream", "name": "<script>", "text": ["line 1\n", "<b>line 2</b>\n"]},
        {
            "output_type": "error",
            "ename": "ValueError",
            "evalue": xss.script("x"),
            "traceback": ["a", 3, None],
            "extra": "dropped",
        },
        {"output_type": "update_display_data", "data": {"text/plain": "x"}},
        {"output_type": "execute_result", "data": {"text/plain": "4"}, "execution_count": "<b>", "transient": {}},
        {"output_type": "display_data", "data": {"text/plain": 42, "text/html": {"nested": "<script>"}}},
        {"output_type": "display_data", "data": {}},
        {"output_type": "display_data", "data": "<script>"},
    ]
    safe = sanitize.notebook_outputs([outputs], BUDGET)[0][0]
    assert safe[0] == {"output_type": "stream", "name": "stdout", "text": "line 1\n<b>line 2</b>\n"}
    assert safe[1] == {
        "output_type": "error",
        "ename": "ValueError",
        "evalue": xss.script("x"),
        "traceback": ["a", "", ""],
    }  # text: nbconvert escapes it
    assert safe[2] == {
        "output_type": "execute_result",
        "data": {"text/plain": "4"},
        "metadata": {},
        "execution_count": None,
    }
    assert safe[3]["data"]["text/plain"].startswith("[not shown: text/plain, text/html")
    assert safe[4]["data"]["text/plain"].startswith("[not shown: a malformed output")
    assert len(safe) == 5


# -- the budget ----------------------------------------------------------------------------------
BIG = 5000
KINDS = {
    "stream": {"output_type": "stream", "name": "stdout", "text": "x" * BIG},
    "html": display({"text/html": "<b>" + "x" * BIG + "</b>"}),
    "error value": {"output_type": "error", "ename": "E", "evalue": "x" * BIG, "traceback": []},
    "error name": {"output_type": "error", "ename": "E" * BIG, "evalue": "", "traceback": []},
    "traceback": {"output_type": "error", "ename": "E", "evalue": "", "traceback": ["x"] * (BIG // 4)},
    "image": display({"image/png": png(40, 40)}),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_of_output_counts_against_the_budget(kind):
    budget = 2000
    [cell, later], cut = sanitize.notebook_outputs([[KINDS[kind]], [KINDS["stream"]]], budget)
    assert cut
    assert later == []
    note = cell[-1]
    assert note["name"] == "stderr" and "limit of 2 kB" in note["text"]
    assert sum(sanitize._size(o) for o in cell[:-1]) <= budget
    if kind == "stream":  # text is shortened, not dropped
        assert cell[0]["text"] == "x" * len(cell[0]["text"]) and 1500 < len(cell[0]["text"]) < budget
    else:
        assert len(cell) == 1


def test_the_budget_is_one_for_the_whole_notebook_in_order():
    line = {"output_type": "stream", "name": "stdout", "text": "y" * 900}
    cells, cut = sanitize.notebook_outputs([[line], [line, line], [line]], 2500)
    assert cut
    assert [len(c) for c in cells] == [1, 3, 0]  # kept, kept + shortened + note, nothing
    assert sum(sanitize._size(o) for c in cells for o in c if o is not cells[1][-1]) <= 2500
    assert sanitize.notebook_outputs([[line], [line, line], [line]], 10_000) == ([[line], [line, line], [line]], False)


def test_metadata_cannot_bypass_the_budget():
    huge = display({"text/plain": "kept"}, {"junk": "x" * 5_000_000, "image/png": {"width": "y" * 10**6}})
    cells, cut = sanitize.notebook_outputs([[huge]], 1000)
    assert not cut and cells == [[display({"text/plain": "kept"})]]


def test_unicode_and_escapes_are_counted_as_the_bytes_they_take():
    heavy = {"output_type": "stream", "name": "stdout", "text": "\x01\u2603" * 1000}  # 6 + 3 bytes each in JSON
    [[short, note]], cut = sanitize.notebook_outputs([[heavy]], 3000)
    assert cut and sanitize._size(short) <= 3000 < sanitize._size(heavy)


# -- rendered by nbconvert as nbgrader does (no sanitizing of its own) ----------------------------
def payload_outputs():
    """The payloads of tests/hostile/xss.py as a kernel sends them (HTML ones and the others)."""
    outputs = [
        display({"text/html": xss.kept(tag) + html, "text/plain": "<HTML>"}) for tag, html in xss.HTML_PAYLOADS.items()
    ]
    outputs += [
        display({"application/javascript": xss.js("js"), "text/plain": "kept-js"}),
        display({"text/markdown": xss.script("md")}),
        display({"image/svg+xml": '<svg onload="x"/>'}),
        display({"text/plain": "kept-md"}, {"text/html": xss.script("metadata")}),
        display({"text/html": xss.script("iso")}, {"text/html": {"isolated": True}}),
        {
            "output_type": "error",
            "ename": "ValueError",
            "evalue": xss.script("error"),
            "traceback": [xss.script("error")],
        },
        {"output_type": "stream", "name": "stdout", "text": xss.script("stream")},
    ]
    return outputs


class Parsed(HTMLParser):
    """Elements, attributes and script text of an HTML page, as a browser's parser sees them."""

    def __init__(self, html):
        super().__init__()
        self.elements, self.scripts, self._tag = [], [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._tag = tag

    def handle_endtag(self, tag):
        self._tag = None

    def handle_data(self, data):
        if self._tag == "script":
            self.scripts.append(data)


def test_the_html_nbconvert_makes_of_the_sanitized_outputs_has_no_student_code():
    notebook = nbformat.v4.new_notebook()
    for outputs in sanitize.notebook_outputs([[o] for o in payload_outputs()], BUDGET)[0]:
        notebook.cells.append(nbformat.v4.new_code_cell("x", outputs=[nbformat.from_dict(o) for o in outputs]))
    nbformat.validate(notebook)
    html, _ = HTMLExporter(template_name="classic").from_notebook_node(notebook)
    page = Parsed(html)
    assert "pwned" in html  # the payloads are there, as text
    assert not [s for s in page.scripts if "pwned" in s]
    assert {tag for tag, _ in page.elements}.isdisjoint({"iframe", "svg", "object", "form", "input"})
    for tag, attrs in page.elements:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert not any("javascript:" in (v or "") or "pwned" in (v or "") for v in attrs.values()), (tag, attrs)
    unsafe = Parsed(
        HTMLExporter(template_name="classic").from_notebook_node(
            nbformat.from_dict(
                {
                    **notebook,
                    "cells": [
                        nbformat.v4.new_code_cell("x", outputs=[nbformat.from_dict(o) for o in payload_outputs()])
                    ],
                }
            )
        )[0]
    )
    assert [s for s in unsafe.scripts if "pwned" in s]  # the check above can fail


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(
                ["output_type", "name", "text", "data", "metadata", "ename", "evalue", "traceback", "execution_count"]
            ),
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.text(max_size=30),
                lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3),
                max_leaves=10,
            ),
        )
        | st.sampled_from([{"output_type": k} for k in ("stream", "error", "display_data", "execute_result")]),
        max_size=6,
    )
)
def test_any_output_a_kernel_could_send_becomes_a_valid_notebook_output(outputs):
    [cell], _ = sanitize.notebook_outputs([outputs], 500)
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("x", outputs=[nbformat.from_dict(o) for o in cell])]
    )
    nbformat.validate(notebook)
    json.dumps(notebook)


def test_student_markdown_never_reaches_the_graded_notebook():
    """The grader keeps outputs and the source of answer cells; nbgrader shows a code answer as
    escaped code but renders a markdown answer as HTML, unsanitized. So every answer is code."""
    from autograder.course import assignments

    notebooks = [path for assignment in assignments() for path in assignment.source_notebooks]
    assert notebooks
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                assert cell.cell_type == "code", (
                    f"{path.name}: answer cell {cell.metadata.nbgrader.grade_id} is markdown"
                )


# -- grading.py's _keep_outputs: one call, and a failed test cell still says why ----------------
def test_a_failed_test_cell_still_says_why_when_the_budget_cut_its_error():
    from autograder import grading
    from autograder.sandbox import CellRun

    test = nbformat.v4.new_code_cell(
        "check_example('forget_gate', forget_gate, '004-forget-gate')",
        metadata={"nbgrader": {"grade": True, "solution": False, "grade_id": "forget_gate_lecture", "points": 1}},
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('x' * 5000)"), test])
    message = "forget_gate(W_f, h_{t-1}, x_t, b_f) returned [0.5 0.5 0.5]; the lecture's f_t is [0.0025 1. 1.]"
    runs = [
        CellRun(outputs=[{"output_type": "stream", "name": "stdout", "text": "x" * 5000}]),
        CellRun(
            outputs=[
                {
                    "output_type": "error",
                    "ename": "CheckFailed",
                    "evalue": message,
                    "traceback": ["long traceback " * 100],
                }
            ],
            status="error",
            verdict=False,
        ),
    ]
    result = grading.Result("s", "forget_gate", "forget_gate", "digest", "graded")
    grading._keep_outputs(notebook, runs, 2000, result)
    printed, failed = (cell.outputs for cell in notebook.cells)
    assert "limit of 2 kB" in printed[-1].text
    assert [(o.ename, o.evalue, o.traceback) for o in failed] == [("CheckFailed", message, [f"CheckFailed: {message}"])]
    assert result.reasons == [
        "outputs passed 2 kB (text, images, errors and metadata count); the rest was cut from the graded notebook"
    ]
