"""Grades out of nbgrader's gradebook: grades.csv, tables for the terminal, and grades.png."""

import csv
import functools
from pathlib import Path

from nbgrader.api import MissingEntry

from . import cells
from .course import assignment
from .gradebook import open_gradebook
from .intake import csv_cell, shown


def grade_rows(db_url, assignment_ids):
    """One dict per (student, assignment): score, max_score and the score of each test cell.

    A student with no autograded submission of an assignment gets score None, so that a
    notebook nbgrader could not grade shows up as missing, not as zero. Assignments not yet
    released (not in the gradebook) have no rows.
    """
    rows = []
    with open_gradebook(db_url) as gradebook:
        released = {assignment.name for assignment in gradebook.assignments}
        assignment_ids = [a for a in assignment_ids if a in released]
        for student in sorted(s.id for s in gradebook.students):
            for assignment_id in assignment_ids:
                row = {"student": student, "assignment": assignment_id}
                try:
                    submission = gradebook.find_submission(assignment_id, student)
                except MissingEntry:
                    row.update(score=None, max_score=gradebook.find_assignment(assignment_id).max_score)
                    rows.append(row)
                    continue
                row.update(score=submission.score, max_score=submission.max_score)
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        row[grade.name] = grade.score
                rows.append(row)
    return rows


def write_csv(rows, path):
    columns = ["student", "assignment", "score", "max_score"]
    for row in rows:
        columns += [key for key in row if key not in columns]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        # Every cell as text a spreadsheet shows, never runs (OWASP's advice on CSV injection).
        writer.writerow([csv_cell(column) for column in columns])
        writer.writerows([csv_cell(row.get(column, "")) for column in columns] for row in rows)
    return path


def _score(value):
    return "not graded" if value is None else f"{value:g}"


def table(rows, notes=None):
    """A plain-text grade table; `notes` maps student -> a short description."""
    notes = notes or {}
    header = ["student", "assignment", "score", "of"] + (["what the submission does"] if notes else [])
    lines = [header] + [
        [shown(row["student"]), shown(row["assignment"]), _score(row["score"]), f"{row['max_score']:g}"]
        + ([notes.get(row["student"], "")] if notes else [])
        for row in rows
    ]
    widths = [max(len(line[k]) for line in lines) for k in range(len(header))]
    text = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in lines]
    text.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(text)


def question_points(db_url, assignment_ids):
    """{(assignment, grade_id): points} of every test cell of the released assignments, in the
    order of the assignment's notebook."""
    points = {}
    with open_gradebook(db_url) as gradebook:
        released = {assignment.name: assignment for assignment in gradebook.assignments}
        for assignment_id in assignment_ids:
            if assignment_id not in released:
                continue
            order = notebook_order(assignment_id)
            cells = [cell for notebook in released[assignment_id].notebooks for cell in notebook.grade_cells]
            for cell in sorted(cells, key=lambda cell: (order.get(cell.name, len(order)), cell.name)):
                points[(assignment_id, cell.name)] = cell.max_score
    return points


@functools.cache
def notebook_order(assignment_id):
    """{grade_id: its place} in the assignment's notebooks."""
    import nbformat

    ids = [
        cells.grade_id(cell)
        for path in assignment(assignment_id).source_notebooks
        for cell in nbformat.read(path, as_version=4).cells
    ]
    return {gid: place for place, gid in enumerate(gid for gid in ids if gid)}


def question_stats(rows, points):
    """[(assignment, grade_id, mean score as a fraction of the question's points, how many got
    full marks, how many graded)] per test cell, the questions the fewest students got first."""
    fixed = {"student", "assignment", "score", "max_score"}
    stats = {}
    for row in rows:
        if row["score"] is None:
            continue
        for grade_id, score in row.items():
            if grade_id not in fixed and score is not None and (row["assignment"], grade_id) in points:
                stats.setdefault((row["assignment"], grade_id), []).append(score)
    result = []
    for (assignment_id, grade_id), scores in stats.items():
        full = points[(assignment_id, grade_id)]
        result.append(
            (
                assignment_id,
                grade_id,
                sum(scores) / len(scores) / full if full else 1.0,
                sum(score >= full for score in scores),
                len(scores),
            )
        )
    return sorted(result, key=lambda stat: stat[3] / stat[4])


def stats_table(stats):
    """The per-question table: the mean as a share of the question's points, who got it all."""
    lines = [f"{'assignment':<22} {'question':<30} {'mean':>6} {'got it':>8}"]
    for assignment_id, grade_id, mean, full, count in stats:
        lines.append(f"{shown(assignment_id):<22} {shown(grade_id):<30} {mean:6.0%} {full:>4}/{count:<3}")
    return "\n".join(lines)


HISTOGRAMS_PER_ROW = 3


def figure(rows, points, path):
    """grades.png (grades_figure), written to `path`."""
    import matplotlib.pyplot as plt

    fig = grades_figure(rows, points)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def grades_figure(rows, points):
    """On top, one histogram of the total scores per assignment, at most three to a row; below,
    the share of students who got each question, the questions the class struggles with first."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    graded = [row for row in rows if row["score"] is not None]
    by_assignment = {}
    for row in graded:
        by_assignment.setdefault(row["assignment"], []).append(row)
    stats = question_stats(rows, points)
    columns = max(1, min(HISTOGRAMS_PER_ROW, len(by_assignment)))
    hist_rows = max(1, -(-len(by_assignment) // HISTOGRAMS_PER_ROW))
    bars_height = 0.24 * max(1, len(stats)) + 0.9
    fig = plt.figure(figsize=(10, 2.7 * hist_rows + bars_height), layout="constrained")
    # Two subfigures: the bar chart's long labels do not push the histograms aside.
    top, bottom = fig.subfigures(2, 1, height_ratios=[2.7 * hist_rows, bars_height])
    grid = top.add_gridspec(hist_rows, columns)

    for index, (assignment_id, assignment_rows) in enumerate(by_assignment.items()):
        axes = top.add_subplot(grid[index // columns, index % columns])
        scores = [row["score"] for row in assignment_rows]
        most = assignment_rows[0]["max_score"]
        axes.hist(scores, bins=[b - 0.5 for b in range(int(most) + 2)], color="#4878a8", edgecolor="white")
        mean = sum(scores) / len(scores)
        axes.axvline(mean, color="#333333", linestyle="--", linewidth=1.2)
        axes.set_title(f"{assignment_id}\n{len(scores)} graded, mean {mean:.1f} of {most:g} (dashed)", fontsize=9)
        axes.set_xlim(-0.5, most + 0.5)
        axes.set_xlabel("score", fontsize=8)
        axes.tick_params(labelsize=7)
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.yaxis.get_major_locator().set_params(integer=True)
        if index % columns == 0:
            axes.set_ylabel("students", fontsize=8)

    axes = bottom.add_subplot()
    labels = [f"{assignment_id}: {grade_id}" for assignment_id, grade_id, *_ in stats]
    shares = [full / count for *_, full, count in stats]
    positions = range(len(stats))
    axes.barh(positions, shares, color=["#c0392b" if share < 0.5 else "#4878a8" for share in shares])
    for position, (*_, full, count) in zip(positions, stats):
        axes.text(1.01, position, f"{full}/{count}", va="center", fontsize=7, transform=axes.get_yaxis_transform())
    axes.set_yticks(list(positions), labels, fontsize=7)
    axes.set_ylim(len(stats) - 0.5, -0.5)  # the hardest question on top
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    axes.tick_params(axis="x", labelsize=7)
    axes.set_title("who got each question (full marks), hardest first; red: fewer than half", fontsize=9)
    return fig
