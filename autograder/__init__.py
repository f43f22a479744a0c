"""The instructor's side of the course: release, autograde, feedback and reports, through nbgrader."""
