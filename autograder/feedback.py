"""The students' feedback HTML: an nbgrader preprocessor and the exporter (course/nbgrader_config.py).

nbgrader's ClearHiddenTests removes hidden tests from a test cell's source, but the
traceback in the cell's output still prints the failing lines, hidden ones included.
The course's checks raise messages that stand on their own (call, inputs, expected,
received), so in test cells we keep only that message (ShortTestTracebacks).

The formulas are typeset when the page is written (FeedbackExporter), so that they show as
math wherever the student opens the page: from disk, after `nbgrader release_feedback`,
offline.
"""

from jinja2 import pass_context
from math_core import LatexError, LatexToMathML
from nbconvert.exporters import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

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


class FeedbackExporter(HTMLExporter):
    """nbgrader's feedback HTML (its `feedback` template), with markdown rendered by MathMLRenderer."""

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
