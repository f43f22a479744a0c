"""nbgrader configuration of the course.

The instructor's sources live in ../assignments/<assignment>/; `python -m autograder release`
builds nbgrader's source from them into source/ (numbers rendered, the student kit and data
added) and nbgrader releases that into ../notebooks (built, never committed). The runtime
folders (source, submitted, autograded, feedback) and the gradebook live beside this file and
are git-ignored.
The autograder (python -m autograder) loads this file; `nbgrader` run from this folder does too.
"""

import os

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

here = os.path.dirname(os.path.abspath(__file__))
repository = os.path.dirname(here)

c.CourseDirectory.course_id = "lstm-course"
c.CourseDirectory.root = here
c.CourseDirectory.source_directory = os.path.join(here, "source")
c.CourseDirectory.release_directory = os.path.join(repository, "notebooks")

# A cell that runs longer than this is interrupted and scores zero; the rest still runs.
c.Execute.timeout = 30

# Never show hidden tests to students in their feedback (nbgrader shows them by default):
# ClearHiddenTests removes them from the cells, ShortTestTracebacks from the error outputs.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "autograder.feedback.QuestionNames",  # the score list names what each test cell checks
    "nbgrader.preprocessors.ClearHiddenTests",
    "autograder.feedback.ShortTestTracebacks",
    "autograder.feedback.CutLongCode",  # a page shows at most 64,000 characters of the student's code
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
# Formulas typeset as MathML when the feedback is written: math with no network (no MathJax CDN).
c.GenerateFeedback.exporter_class = "autograder.feedback.FeedbackExporter"

# The gradebook is course/gradebook.db (nbgrader's default). To keep it in PostgreSQL (several
# graders), set its URL here: `python -m autograder`, nbgrader and formgrader all read it.
# c.CourseDirectory.db_url = "postgresql://grader@dbhost/lstm"

# Student outputs reach the feedback (and the formgrader) already made data by the grader
# (autograder/sanitize.py; tests/test_xss.py opens both in Chromium). nbconvert's own
# HTMLExporter.sanitize_html stays off: it would escape the headings, paragraphs and images of
# the assignments' own markdown cells.

# The student notebook keeps the stub's signature and docstring; the body becomes this.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
