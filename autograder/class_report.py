"""What the class got wrong: for each question (test cell) of each assignment, how many students
lost points on it and why: the catalogue's named mistakes with their counts and shares, most
common first, each with the lecture and slide its hint cites, and the other causes (no answer, a
wrong answer the catalogue does not know, ...). Read from the gradebook: nbgrader's scores and
our table lstm_mistakes, which the grader writes with them (autograder/gradebook.py).

    found = gather(db_url, ["forget_gate", ...])      # names=True: students named (off by default)
    print(text(found))                                 # the terminal's summary
    write(found, course / "report")                    # mistakes.csv, <assignment>.png, index.html

index.html is one file that loads nothing: inline CSS, figures as data: URIs, no script (its
Content-Security-Policy forbids both). It shows up to three examples per question of wrong
answers the catalogue does not know, so that the instructor can add entries: the student's
function without comments or docstrings (ast.unparse), escaped, then cleaned by nh3 like every
student output the grader shows (autograder/sanitize.py), and named by no student.
"""

import ast
import base64
import csv
import hashlib
import html
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from assignments.lectures import lecture_title

from . import sanitize
from .course import mistakes
from .gradebook import MISTAKES, open_gradebook
from .intake import csv_cell, shown
from .report import question_points

# What the report calls each cause of lost points that is not a mistake the catalogue names.
KINDS = {
    "unanswered": "not answered (the stub raises NotImplementedError)",
    "wrong": "a wrong result the catalogue does not know",
    "raised": "an error the catalogue does not know",
    "incomplete": "the test stopped before its checks gave a result (an error in the cell)",
    "timeout": "ran past the time limit",
    "died": "the kernel died (out of memory, or a crash)",
    "missing-file": "the file the test reads was not handed in",
    "hidden-failed": "its checks passed, but the function failed its hidden tests, which these points also need "
    "(see the hidden question's causes)",
    "model": "the handed-in model did not pass",
    "unknown": "no record of why (graded by nbgrader itself, or before the grader kept mistakes)",
}
UNRECOGNISED = ("wrong", "raised")  # the kinds whose code the report shows as examples
EXAMPLES = 3  # per question


@dataclass
class Cause:
    key: str  # the catalogue's key, or a kind of KINDS
    says: str
    lecture: str = ""  # 'lecture 002 (“its title”), STEP 1 ...' for a named mistake
    where: str = ""  # 'lecture 002, STEP 1 ...': the same, short
    students: list = field(default_factory=list)

    @property
    def named(self):
        return self.key not in KINDS


@dataclass
class Example:
    code: str  # the function as the report shows it (anonymised)
    students: list


@dataclass
class Question:
    assignment: str
    grade_id: str
    points: float
    graded: int  # students graded in the assignment
    lost: list  # the students who lost points on it
    causes: list  # [Cause], most common first
    examples: list  # [Example]: wrong answers the catalogue does not know


@dataclass
class ClassReport:
    questions: list  # [Question], in the assignments' and notebooks' order
    graded: dict  # {assignment: students graded}
    names: bool  # students named (report --names)
    made: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))

    def of(self, assignment_id):
        return [question for question in self.questions if question.assignment == assignment_id]


def gather(db_url, assignment_ids, names=False):
    """The ClassReport of the released assignments among `assignment_ids`."""
    points = question_points(db_url, assignment_ids)
    scores, graded, recorded = {}, {}, {}
    with open_gradebook(db_url) as gradebook:
        for assignment_id in dict.fromkeys(a for a, _ in points):
            submissions = gradebook.find_assignment(assignment_id).submissions
            graded[assignment_id] = len(submissions)
            for submission in submissions:
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        scores.setdefault((assignment_id, grade.name), {})[submission.student.id] = grade.score
        rows = gradebook.db.execute(
            select(
                MISTAKES.c.assignment,
                MISTAKES.c.question,
                MISTAKES.c.student,
                MISTAKES.c.kind,
                MISTAKES.c.mistake,
                MISTAKES.c.code,
            )
        ).all()
    for assignment_id, question, student, kind, key, code in rows:
        recorded.setdefault((assignment_id, question, student), []).append((kind, key, code))
    questions = []
    for (assignment_id, grade_id), full in points.items():
        lost = sorted(
            student
            for student, score in scores.get((assignment_id, grade_id), {}).items()
            if score is not None and score < full
        )
        causes, unrecognised = {}, {}
        for student in lost:
            for kind, key, code in recorded.get((assignment_id, grade_id, student), [("unknown", "", None)]):
                cause = causes.setdefault(key or kind, _cause(key or kind))
                cause.students.append(student)
                shown_code = anonymised(code) if kind in UNRECOGNISED and code else None
                if shown_code:
                    unrecognised.setdefault(shown_code, []).append(student)
        examples = sorted(
            unrecognised.items(), key=lambda item: (-len(item[1]), hashlib.sha256(item[0].encode()).hexdigest())
        )
        questions.append(
            Question(
                assignment_id,
                grade_id,
                full,
                graded[assignment_id],
                lost,
                sorted(causes.values(), key=lambda cause: (-len(cause.students), not cause.named, cause.key)),
                [Example(code, students) for code, students in examples[:EXAMPLES]],
            )
        )
    return ClassReport(questions, graded, names)


def _cause(key):
    if key in KINDS:
        return Cause(key, KINDS[key])
    entry = mistakes().get(key)
    if entry is None:
        return Cause(key, "(no longer in the catalogue)")
    return Cause(
        key,
        entry.says,
        f"lecture {entry.lecture} (“{lecture_title(entry.lecture)}”), {entry.where}",
        f"lecture {entry.lecture}, {entry.where}",
    )


def anonymised(code):
    """A student's function as the report shows it: no comments, no docstrings, one layout (ast);
    None if it is not Python this process can read."""
    try:
        tree = ast.parse(code)
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if (
                isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                and body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                node.body = body[1:] or [ast.Pass()]
        return ast.unparse(tree)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _points(points):
    return f"{points:g} point{'' if points == 1 else 's'}"


def _share(count, of):
    return f"{count / of:.0%}" if of else "-"


# -- the terminal ------------------------------------------------------------------------------------


def text(found):
    """What the class got wrong, per question that cost anyone points (no student named)."""
    lines = ["What the class got wrong (per question; the share is of the students graded):"]
    if not any(question.lost for question in found.questions):
        return lines[0] + "\n  nothing yet: no graded student lost points."
    for assignment_id, graded in found.graded.items():
        hard = [question for question in found.of(assignment_id) if question.lost]
        if not hard:
            continue
        lines.append(f"\n{assignment_id} ({graded} graded)")
        for question in hard:
            lines.append(
                f"  {shown(question.grade_id)} ({_points(question.points)}): {len(question.lost)} of {graded} "
                f"lost points ({_share(len(question.lost), graded)})"
            )
            for cause in question.causes:
                where = f" [{cause.where}]" if cause.where else ""
                label = f"{cause.key}: {cause.says}" if cause.named else cause.says
                lines.append(f"    {len(cause.students):>4} {_share(len(cause.students), graded):>5}  {label}{where}")
            if question.examples:
                lines.append(
                    f"          ({len(question.examples)} example{'s' if len(question.examples) > 1 else ''} "
                    "of what the catalogue does not know in report/index.html)"
                )
    return "\n".join(lines)


# -- the files ------------------------------------------------------------------------------------------


def write(found, folder, grades_png=None):
    """mistakes.csv, one figure per assignment and index.html in `folder`; returns their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = [write_csv(found, folder / "mistakes.csv")]
    figures = {}
    for assignment_id in found.graded:
        if found.of(assignment_id):
            figures[assignment_id] = folder / f"{assignment_id}.png"
            figures[assignment_id].write_bytes(figure_png(found, assignment_id))
            written.append(figures[assignment_id])
    page = folder / "index.html"
    page.write_text(page_html(found, figures, grades_png), encoding="utf-8")
    written.append(page)
    return written


def write_csv(found, path):
    """One row per question and cause: counts and shares of the students graded."""
    header = [
        "assignment",
        "question",
        "points",
        "graded",
        "lost points",
        "cause",
        "named mistake",
        "students",
        "share",
        "what",
        "lecture",
    ] + (["who"] if found.names else [])
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for question in found.questions:
            for cause in question.causes:
                row = [
                    question.assignment,
                    question.grade_id,
                    f"{question.points:g}",
                    question.graded,
                    len(question.lost),
                    cause.key,
                    "yes" if cause.named else "no",
                    len(cause.students),
                    _share(len(cause.students), question.graded),
                    cause.says,
                    cause.lecture,
                ]
                if found.names:
                    row.append(" ".join(cause.students))
                writer.writerow([csv_cell(value) for value in row])
    return path


COLOURS = ["#c0392b", "#e67e22", "#8e44ad", "#2980b9", "#16a085", "#d35400", "#7f8c8d", "#27ae60", "#f1c40f", "#34495e"]
OTHER_COLOURS = {"unanswered": "#d5d8dc", "wrong": "#95a5a6", "raised": "#7b8a8b", "unknown": "#eeeeee"}


def figure_png(found, assignment_id):
    """The assignment's questions, each a bar of the share of students who lost points on it, in
    parts by cause (named mistakes in colour, the rest in greys), as PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    questions = found.of(assignment_id)
    graded = found.graded[assignment_id] or 1
    keys = list(dict.fromkeys(cause.key for question in questions for cause in question.causes))
    colours, named = {}, 0
    for key in keys:
        if key in KINDS:
            colours[key] = OTHER_COLOURS.get(key, "#bdc3c7")
        else:
            colours[key] = COLOURS[named % len(COLOURS)]
            named += 1
    fig = plt.figure(figsize=(9, 1.2 + 0.32 * len(questions) + 0.22 * len(keys)), layout="constrained")
    axes = fig.add_subplot()
    for position, question in enumerate(questions):
        left = 0.0
        causes_of = {student: sum(student in cause.students for cause in question.causes) for student in question.lost}
        for cause in question.causes:
            # A student with two causes counts half for each: the bar is the share who lost points.
            width = sum(1 / causes_of[student] for student in cause.students) / graded
            axes.barh(
                position,
                width,
                left=left,
                color=colours[cause.key],
                edgecolor="white",
                label=cause.key if cause.named else KINDS[cause.key],
            )
            left += width
        axes.text(left + 0.01, position, f"{len(question.lost)}/{found.graded[assignment_id]}", va="center", fontsize=7)
    handles, labels = axes.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    if unique:
        fig.legend(unique.values(), unique.keys(), loc="outside lower center", ncols=2, fontsize=7, frameon=False)
    axes.set_yticks(range(len(questions)), [question.grade_id for question in questions], fontsize=7)
    axes.set_ylim(len(questions) - 0.5, -0.5)
    axes.set_xlim(0, 1.1)
    axes.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    axes.tick_params(axis="x", labelsize=7)
    axes.set_title(
        f"{assignment_id}: who lost points on each question, and why (of {found.graded[assignment_id]} graded)",
        fontsize=9,
    )
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)
    return buffer.getvalue()


# No script, nothing loaded: styles inline, images data: URIs only.
POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.25rem; margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1rem; margin-top: 1.5rem; } img { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 0.5rem 0; } td, th { padding: 0.2rem 0.6rem; text-align: left;
vertical-align: top; border-bottom: 1px solid #eee; } td.n { text-align: right; white-space: nowrap; }
pre { background: #f6f6f6; padding: 0.6rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.note { color: #666; font-size: 0.9rem; } .named { font-family: monospace; }
"""


def _e(value):
    return html.escape(str(value), quote=True)


def _png_uri(data):
    return "data:image/png;base64," + base64.b64encode(data).decode()


def page_html(found, figures, grades_png=None):
    """index.html: the same as the terminal's summary, with the figures and the examples."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
        "<title>What the class got wrong</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>What the class got wrong</h1>",
        f'<p class="note">Made {_e(found.made)} from the gradebook. Shares are of the students graded in '
        "each assignment. A wrong answer that matches two named mistakes counts for both. "
        + (
            "Students are named (report --names)."
            if found.names
            else "No student is named (report --names names them)."
        )
        + "</p>",
    ]
    if grades_png is not None and Path(grades_png).exists():
        parts.append(f'<img alt="grades per assignment and question" src="{_png_uri(Path(grades_png).read_bytes())}">')
    if not found.questions:
        parts.append("<p>Nothing graded yet.</p>")
    for assignment_id, graded in found.graded.items():
        questions = found.of(assignment_id)
        parts.append(
            f'<h2 id="{_e(assignment_id)}">{_e(assignment_id)} <span class="note">({graded} graded)</span></h2>'
        )
        if assignment_id in figures:
            figure = _png_uri(figures[assignment_id].read_bytes())
            parts.append(f'<img alt="why points were lost in {_e(assignment_id)}" src="{figure}">')
        parts.append("<table><tr><th>question</th><th>points</th><th>lost points</th></tr>")
        for question in questions:
            parts.append(
                f'<tr><td class="named">{_e(question.grade_id)}</td><td class="n">{question.points:g}</td>'
                f'<td class="n">{len(question.lost)} ({_share(len(question.lost), graded)})</td></tr>'
            )
        parts.append("</table>")
        for question in questions:
            if question.lost:
                parts += _question_html(question, found.names)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _question_html(question, names):
    parts = [
        f'<h3>{_e(question.assignment)}: <span class="named">{_e(question.grade_id)}</span> '
        f'<span class="note">{len(question.lost)} of {question.graded} lost points '
        f"({_share(len(question.lost), question.graded)})</span></h3>",
        "<table><tr><th>students</th><th>share</th><th>why</th><th>where to look</th>"
        + ("<th>who</th>" if names else "")
        + "</tr>",
    ]
    for cause in question.causes:
        what = f'<span class="named">{_e(cause.key)}</span>: {_e(cause.says)}' if cause.named else _e(cause.says)
        share = _share(len(cause.students), question.graded)
        parts.append(
            f'<tr><td class="n">{len(cause.students)}</td><td class="n">{share}</td>'
            f"<td>{what}</td><td>{_e(cause.lecture)}</td>"
            + (f"<td>{_e(' '.join(cause.students))}</td>" if names else "")
            + "</tr>"
        )
    parts.append("</table>")
    if question.examples:
        parts.append(
            f"<p>Wrong answers the catalogue does not know ({len(question.examples)} "
            f"example{'s' if len(question.examples) > 1 else ''}; add an entry to assignments/"
            f"{_e(question.assignment)}/mistakes.py to name one):</p>"
        )
        for example in question.examples:
            who = f"{len(example.students)} student{'s' if len(example.students) > 1 else ''}"
            if names:
                who += ": " + " ".join(example.students)
            # The student's code: escaped, then through the same cleaner as every student output.
            parts.append(f'<p class="note">{_e(who)}</p>')
            parts.append(sanitize.clean_html(f"<pre><code>{_e(example.code)}</code></pre>"))
    return parts
