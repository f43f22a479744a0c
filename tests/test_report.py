"""The report: per-question statistics, the questions the class struggles with first, and grades.png."""

from autograder import report


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


def test_questions_the_fewest_got_come_first():
    stats = report.question_stats(rows())
    assert [(grade_id, full, count) for _, grade_id, _, full, count in stats] == [
        ("q_hard", 1, 4),
        ("q_mid", 2, 4),
        ("q_easy", 4, 4),
    ]
    assert stats[0][2] == 0.25  # mean score of q_hard
    assert report.stats_table(stats).splitlines()[1].split()[:2] == ["forget_gate", "q_hard"]


def test_the_figure_is_a_png_that_grows_with_the_questions(tmp_path):
    import matplotlib.image

    few = matplotlib.image.imread(report.figure(rows(), tmp_path / "few.png"))
    many_rows = [dict(row, **{f"q{n}": 1 for n in range(30)}) if row["score"] is not None else row for row in rows()]
    many = matplotlib.image.imread(report.figure(many_rows, tmp_path / "many.png"))
    assert few.shape[0] > 200 and many.shape[0] > few.shape[0] + 30 * 20  # a readable row per question
