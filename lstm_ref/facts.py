"""Numbers the notebooks' text states, computed here, never typed.

A markdown cell of solutions/ writes {{ name }}; `autograder release` puts FACTS[name]() there
(autograder/release/render.py). Each fact is a function returning the text to insert.

    @fact
    def sigma_of_minus_6():
        return f"{sigmoid(-6.0):.6f}"
"""
FACTS = {}


def fact(function):
    """Register `function` as the fact {{ function.__name__ }}."""
    FACTS[function.__name__] = function
    return function
