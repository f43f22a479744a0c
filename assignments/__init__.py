"""The course's assignments, one folder each: assignments/<id>/ holds the solution notebook
(nbgrader source) and what the assignment declares (declare.py says what each module is).
Shared by all of them: the lectures (lectures.py) and the random inputs several assignments
draw (inputs.py). The autograder finds the folders from course/assignments.toml
(autograder/course.py); nothing else lists them."""
