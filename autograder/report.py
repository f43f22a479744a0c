"""Grades out of nbgrader's gradebook: grades.csv and a table for the terminal."""
import csv
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry


def grade_rows(gradebook_path, assignment_ids):
    """One dict per (student, assignment): score, max_score and the score of each test cell.

    A student with no autograded submission of an assignment gets score None, so that a
    notebook nbgrader could not grade shows up as missing, not as zero. Assignments not yet
    released (not in the gradebook) have no rows.
    """
    rows = []
    with Gradebook(f"sqlite:///{gradebook_path}") as gradebook:
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
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _score(value):
    return "not graded" if value is None else f"{value:g}"


def table(rows, notes=None):
    """A plain-text grade table; `notes` maps student -> a short description."""
    notes = notes or {}
    header = ["student", "assignment", "score", "of"] + (["what the submission does"] if notes else [])
    lines = [header] + [
        [row["student"], row["assignment"], _score(row["score"]), f"{row['max_score']:g}"]
        + ([notes.get(row["student"], "")] if notes else [])
        for row in rows
    ]
    widths = [max(len(line[k]) for line in lines) for k in range(len(header))]
    text = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in lines]
    text.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(text)


def question_stats(rows):
    """[(assignment, grade_id, mean score, how many got full marks, how many graded)] per test cell."""
    fixed = {"student", "assignment", "score", "max_score"}
    stats = {}
    for row in rows:
        if row["score"] is None:
            continue
        for grade_id, score in row.items():
            if grade_id not in fixed and score is not None:
                stats.setdefault((row["assignment"], grade_id), []).append(score)
    result = []
    for (assignment_id, grade_id), scores in stats.items():
        best = max(scores)
        result.append((assignment_id, grade_id, sum(scores) / len(scores),
                       sum(score == best and best > 0 for score in scores), len(scores)))
    return result


def stats_table(stats):
    lines = [f"{'assignment':<22} {'question':<30} {'mean':>6} {'got it':>8}"]
    for assignment_id, grade_id, mean, full, count in stats:
        lines.append(f"{assignment_id:<22} {grade_id:<30} {mean:6.2f} {full:>4}/{count:<3}")
    return "\n".join(lines)


def histogram(rows, path):
    """A PNG histogram of the total scores of each assignment."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    by_assignment = {}
    for row in rows:
        if row["score"] is not None:
            by_assignment.setdefault(row["assignment"], []).append(row["score"])
    figure, axes = plt.subplots(figsize=(7, 4))
    for assignment_id, scores in by_assignment.items():
        axes.hist(scores, bins=range(0, int(max(scores, default=0)) + 2), alpha=0.6, label=assignment_id, align="left")
    axes.set_xlabel("score")
    axes.set_ylabel("students")
    axes.legend()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(figure)
    return path
