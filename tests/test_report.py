"""The report: per-question statistics (the mean as a share of the question's points, the questions
the class struggles with first), grades.png laid out for any number of assignments, and how the
class report shows a student's code."""

import itertools

import matplotlib
import pytest

from autograder import class_report, report
from autograder.course import assignments

matplotlib.use("Agg")


def rows():
    """Four students of two assignments; q_hard: one of four got it, q_easy: all, q_mid: two."""
    table = []
    for student, hard, mid in (("a", 1, 2), ("b", 0, 2), ("c", 0, 0), ("d", 0, 0)):
        table.append(
            {
                "student": student,
                "assignment": "forget_gate",
                "score": hard + mid + 1,
                "max_score": 4,
                "q_hard": hard,
                "q_mid": mid,
                "q_easy": 1,
            }
        )
        table.append({"student": student, "assignment": "gru", "score": None, "max_score": 10})
    return table


POINTS = {("forget_gate", "q_hard"): 1, ("forget_gate", "q_mid"): 2, ("forget_gate", "q_easy"): 1}


def test_questions_the_fewest_got_come_first():
    stats = report.question_stats(rows(), POINTS)
    assert [(grade_id, full, count) for _, grade_id, _, full, count in stats] == [
        ("q_hard", 1, 4),
        ("q_mid", 2, 4),
        ("q_easy", 4, 4),
    ]
    assert [mean for _, _, mean, _, _ in stats] == [0.25, 0.5, 1.0]  # shares of each question's points
    assert report.stats_table(stats).splitlines()[1].split()[:3] == ["forget_gate", "q_hard", "25%"]


def test_the_mean_is_a_share_of_the_question_s_points():
    """A 1-point and a 2-point question both averaging 0.75 points: 75 % and 38 %, not 0.75 twice."""
    table = [
        {"student": s, "assignment": "a", "score": one + two, "max_score": 3, "one": one, "two": two}
        for s, one, two in (("p", 1, 0), ("q", 1, 0), ("r", 1, 1), ("s", 0, 2))
    ]
    text = report.stats_table(report.question_stats(table, {("a", "one"): 1, ("a", "two"): 2}))
    shown = {line.split()[1]: line.split()[2] for line in text.splitlines()[1:]}
    assert shown == {"one": "75%", "two": "38%"}


def test_the_figure_is_a_png_that_grows_with_the_questions(tmp_path):
    import matplotlib.image

    few = matplotlib.image.imread(report.figure(rows(), POINTS, tmp_path / "few.png"))
    many_rows = [dict(row, **{f"q{n}": 1 for n in range(30)}) if row["score"] is not None else row for row in rows()]
    many_points = POINTS | {("forget_gate", f"q{n}"): 1 for n in range(30)}
    many = matplotlib.image.imread(report.figure(many_rows, many_points, tmp_path / "many.png"))
    assert few.shape[0] > 200 and many.shape[0] > few.shape[0] + 30 * 20  # a readable row per question


def course_rows(count):
    """A class of five in the first `count` assignments of the course, each with its own questions."""
    table, points = [], {}
    for course_assignment in assignments()[:count]:
        questions = [f"{course_assignment.id}_question_{n}" for n in range(6)]
        points |= {(course_assignment.id, q): 2 for q in questions}
        for student in range(5):
            scores = {q: 2 * ((student + n) % 2) for n, q in enumerate(questions)}
            table.append(
                {
                    "student": f"s{student}",
                    "assignment": course_assignment.id,
                    "score": sum(scores.values()),
                    "max_score": 12,
                    **scores,
                }
            )
    return table, points


def drawn_texts(figure):
    """The texts matplotlib draws: titles, axis labels, annotations, and the tick labels of ticks
    inside the axes' view (a tick outside it keeps a label that is never drawn)."""
    found = list(figure.texts)
    for axes in figure.axes:
        found += [axes.title, axes._left_title, axes._right_title, *axes.texts]
        for axis in (axes.xaxis, axes.yaxis):
            found.append(axis.label)
            low, high = sorted(axis.get_view_interval())
            found += [
                tick.label1
                for tick in axis.get_major_ticks()
                if low - 1e-9 <= tick.get_loc() <= high + 1e-9 and tick.label1.get_visible()
            ]
    return found


@pytest.mark.parametrize("count", [1, 2, 6])
def test_no_two_texts_of_grades_png_overlap(count):
    """Titles, tick labels and annotations of grades.png, with 1, 2 and 6 assignments: each inside
    the figure, no two overlapping (their boxes as matplotlib's renderer draws them)."""
    table, points = course_rows(count)
    figure = report.grades_figure(table, points)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    texts = [text for text in drawn_texts(figure) if text.get_visible() and text.get_text().strip()]
    boxes = [(text.get_text(), text.get_window_extent(renderer)) for text in texts]
    page = figure.bbox
    outside = [label for label, box in boxes if box.x0 < page.x0 - 1 or box.x1 > page.x1 + 1 or box.y0 < -1]
    assert not outside, f"texts outside the figure: {outside}"
    overlapping = [
        (a, b)
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
        if min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0) > 1
        and min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0) > 1
    ]
    assert not overlapping, f"{len(overlapping)} overlapping texts, e.g. {overlapping[:3]}"
    titles = [
        text.get_text() for text in texts if text.get_text().startswith(tuple(a.id + "\n" for a in assignments()))
    ]
    assert len(titles) == count


def test_the_class_report_shows_code_without_comments_docstrings_or_its_layout():
    code = (
        "def forget_gate(W_f, h_prev, x_t, b_f):\n"
        '    """Written by Jane Doe, s123."""\n'
        "    # my own way, Jane\n"
        "    z = W_f @ np.concatenate([h_prev, x_t])   +   b_f\n"
        "    return np.round(sigmoid(z))\n"
    )
    shown = class_report.anonymised(code)
    assert "Jane" not in shown and "s123" not in shown
    assert shown == (
        "def forget_gate(W_f, h_prev, x_t, b_f):\n"
        "    z = W_f @ np.concatenate([h_prev, x_t]) + b_f\n"
        "    return np.round(sigmoid(z))"
    )
    assert class_report.anonymised("def f(:\n") is None
    assert class_report.anonymised('def f():\n    """only a docstring"""') == "def f():\n    pass"
