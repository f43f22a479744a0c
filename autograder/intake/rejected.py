"""The one answer of the intake to anything a student handed in that it will not read."""


class Rejected(Exception):
    """This student's submission (or this entry of the inbox) is not read: the message names the
    student's file, says what is wrong and what to do. It costs that student alone."""
