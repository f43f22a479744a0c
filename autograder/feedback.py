"""The students' feedback HTML: an nbgrader preprocessor and the exporter (course/nbgrader_config.py).

nbgrader's ClearHiddenTests removes hidden tests from a test cell's source, but the
traceback in the cell's output still prints the failing lines, hidden ones included.
The course's checks raise messages that stand on their own (call, inputs, expected,
received), so in test cells we keep only that message (ShortTestTracebacks).

A student's own code is shown up to SHOWN_CODE characters a page (CutLongCode): nbconvert
renders long code slowly, and one page must not hold up the class's.

The formulas are typeset when the page is written (FeedbackExporter), so that they show as
math wherever the student opens the page: from disk, after `nbgrader release_feedback`,
offline.
"""

from pathlib import Path

import nbgrader
from jinja2 import pass_context
from math_core import LatexError, LatexToMathML
from nbconvert.exporters import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets.config import Config

from .cells import checks, grade_id, is_answer, split_hidden

TIMED_OUT = "This cell ran past the time limit and was stopped, so it scores zero. Does a loop in your code never end?"


def short_message(output):
    if output.ename in ("KeyboardInterrupt", "CellTimeoutError"):
        return TIMED_OUT
    return f"{output.ename}: {output.evalue}"


class ShortTestTracebacks(NbGraderPreprocessor):
    """In every test cell, replace an error's traceback by its last line: 'Error: message'."""

    def preprocess_cell(self, cell, resources, index):
        if utils.is_grade(cell) and not utils.is_solution(cell):
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [short_message(output)]
        return cell, resources


# Characters of a student's own code (answer cells and cells they added) one feedback page shows;
# each cell past them shows one line that says it was cut.
# nbconvert highlights code token by token, slowly: 32 kB of `1,` took 15 s, 128 kB 73 s, and one
# process renders the class's pages one after another. The course's answers are a few kB.
SHOWN_CODE = 64_000
# Characters of one line of it: where a notebook says its lexer is IPython's (JupyterLab writes
# that when it saves one), highlighting costs the square of a line's length (32,000 characters on
# one line took 77 s, the same in lines of 200 took 2 s).
LINE_CHARS = 1_000


class CutLongCode(NbGraderPreprocessor):
    """A student's code beyond SHOWN_CODE characters in one notebook, or LINE_CHARS in one line, is
    cut from the page (the graded and submitted notebooks keep it all), with words that say so."""

    def preprocess(self, nb, resources):
        room = SHOWN_CODE
        for cell in nb.cells:
            if cell.cell_type != "code" or not (is_answer(cell) or not grade_id(cell)):
                continue  # the course's own cells: tests, given code, demonstrations
            cell.source = "\n".join(map(_short_line, cell.source.split("\n")))
            if room == 0 and cell.source:
                cell.source = f"# ... cut: this page shows at most {SHOWN_CODE:,} characters of your code per notebook"
            elif len(cell.source) > room:
                cut = len(cell.source) - room
                cell.source = cell.source[:room] + (
                    f"\n# ... {cut:,} more characters of your code are cut here: this page shows at most "
                    f"{SHOWN_CODE:,} characters of your code per notebook (all of it was graded, and your "
                    "notebook keeps it)"
                )
                room = 0
            else:
                room -= len(cell.source)
        return nb, resources


def _short_line(line):
    if len(line) <= LINE_CHARS:
        return line
    return line[:LINE_CHARS] + f"  # ... {len(line) - LINE_CHARS:,} more characters of this line are cut here"


class QuestionNames(NbGraderPreprocessor):
    """Each test cell says what it checks, for the page's score list (where nbgrader writes "Test
    cell" for every one): "checks forget_gate()", "hidden tests of forget_gate()". Runs before
    ClearHiddenTests, which takes the hidden checks out of the cell."""

    def preprocess_cell(self, cell, resources, index):
        if utils.is_grade(cell) and not utils.is_solution(cell):
            cell.metadata["lstm_question"] = question_name(cell.source)
        return cell, resources


def question_name(source):
    """What a test cell checks, in a few words ("" if it calls no check the course knows)."""
    visible, hidden = split_hidden(source)
    parts = []
    for label, part in (("checks", visible), ("hidden tests of", hidden)):
        names = list(dict.fromkeys(_checked(check) for check in checks(part) if check.recomputable))
        if names:
            parts.append(f"{label} {', '.join(names)}")
    return "; ".join(parts)


def _checked(check):
    return f"the handed-in {check.key}" if check.kind == "model" else f"{check.name}()"


class MathMLRenderer(IPythonRenderer):
    """nbconvert's markdown renderer, with every formula typeset as MathML as the page is
    written: the feedback shows f_t, C~_t, h_t as math with no script and no network (nbconvert
    leaves `$...$` for MathJax, loaded from a CDN). A formula math_core cannot read stays as
    nbconvert writes it, for MathJax where it loads."""

    converter = LatexToMathML()

    def _mathml(self, latex, display, fallback):
        try:
            return self.converter.convert_with_local_state(latex, displaystyle=display)
        except LatexError:
            return fallback

    def block_math(self, body):
        return self._mathml(body, True, super().block_math(body))

    def inline_math(self, body):
        return self._mathml(body, False, super().inline_math(body))

    def latex_environment(self, name, body):
        return self._mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", True, super().latex_environment(name, body))


TEMPLATES = Path(__file__).parent / "templates"
NBGRADER_TEMPLATES = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"


class FeedbackExporter(HTMLExporter):
    """nbgrader's feedback HTML, with the course's changes to its template (templates/lstm_feedback:
    question names in the score list, long lines wrapped) and markdown rendered by MathMLRenderer."""

    def __init__(self, *args, config=None, **kwargs):
        # nbgrader's generate_feedback names its own template in the config; ours extends it
        # ('feedback/index.html.j2', found in nbgrader's template folder).
        config = Config(config) if config is not None else Config()
        ours = Config()
        ours.FeedbackExporter.template_name = "lstm_feedback"
        ours.FeedbackExporter.extra_template_basedirs = [str(TEMPLATES)]
        ours.FeedbackExporter.extra_template_paths = [
            *config.HTMLExporter.get("extra_template_paths", []),
            str(NBGRADER_TEMPLATES),
        ]
        config.merge(ours)
        super().__init__(*args, config=config, **kwargs)

    @pass_context
    def markdown2html(self, context, source):
        # HTMLExporter.markdown2html, with our renderer in place of IPythonRenderer.
        cell = context.get("cell", {})
        renderer = MathMLRenderer(
            escape=False,
            attachments=cell.get("attachments", {}),
            embed_images=self.embed_images,
            path=context.get("resources", {}).get("metadata", {}).get("path", ""),
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links,
            **self.lexer_options,
        )
        return MarkdownWithMath(renderer=renderer).render(source)
