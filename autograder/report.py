"""Grades out of nbgrader's gradebook: grades.csv and a table for the terminal."""
import csv
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry


def grade_rows(gradebook_path, assignment_ids):
    """One dict per (student, assignment): score, max_score and the score of each test cell.

    A student with no autograded submission of an assignment gets score None, so that a
    notebook nbgrader could not grade shows up as missing, not as zero.
    """
    rows = []
    with Gradebook(f"sqlite:///{gradebook_path}") as gradebook:
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
