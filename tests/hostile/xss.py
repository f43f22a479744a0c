"""Forget-gate submissions whose outputs attack the browser that shows them, and the honest ones.

    for case in cases(release_directory): case.student, case.notebook, case.zero, case.reason

Every payload has a tag. If it ran in a browser it would leave marks (js(tag)): the page title
says `pwned-<tag>`, a <pwned-mark> element holds the tag, and it writes the file `pwned-<tag>.txt`
through the Jupyter server's /api/contents with the logged-in user's cookies.
Payloads that load instead of run ask for http://pwned.invalid/<tag>. What must still be shown of
the same output (its harmless text) is in KEPT. tests/test_xss.py grades these with the real
grader and opens the results in Chromium as feedback pages and in nbgrader's formgrader.
"""

import base64

from autograder import samples
from hostile.corpus import ASSIGNMENT, FORGET_GATE, Case, _with_cell

LOADS = "http://pwned.invalid"


def js(tag):
    """What a payload runs: it marks the page (its title and a <pwned-mark> element), then writes a
    file through the Jupyter server's API with the logged-in user's cookies."""
    return (
        f"top.document.title='pwned-{tag}';var mark=top.document.createElement('pwned-mark');"
        f"mark.textContent='{tag}';top.document.body.appendChild(mark);"
        f"fetch('/api/contents/pwned-{tag}.txt',{{method:'PUT',headers:{{'X-XSRFToken':"
        "(document.cookie.match(/_xsrf=([^;]*)/)||[])[1]||''},body:JSON.stringify({type:'file',"
        f"format:'text',content:'{tag}'}})}});void 0"
    )


def on(event, tag):
    """An HTML attribute that runs the payload on `event`."""
    return f'{event}="{js(tag)}"'


def script(tag):
    return f"<script>{js(tag)}</script>"


def kept(tag):
    """The harmless text beside a payload, which must still be shown."""
    return f"<b>kept-{tag}</b>"


HTML_PAYLOADS = {
    "html-script": script("html-script"),
    "html-img": f"<img src=x {on('onerror', 'html-img')}>",
    "html-svg": f"<svg {on('onload', 'html-svg')}></svg>",
    "html-iframe": f'<iframe srcdoc="{script("html-iframe")}"></iframe>',
    "html-link": f'<a href="javascript:{js("html-link")}">a link</a>',
    "html-style": (
        f"<style>@import url({LOADS}/html-style.css);</style>"
        f'<div style="background-image:url({LOADS}/html-style-attr.png)">styled</div>'
    ),
    "html-form": (
        f"<form action=/api/contents method=post><input name=x autofocus {on('onfocus', 'html-form')}>"
        f"</form><object data={LOADS}/html-form.swf></object>"
    ),
}

# tag -> the code of one cell a student adds after the setup cell: every channel an output has.
PAYLOADS = {tag: f"display(HTML({kept(tag) + html!r}))" for tag, html in HTML_PAYLOADS.items()} | {
    "repr-html": (
        "class Table:\n    def _repr_html_(self):\n"
        f"        return {kept('repr-html') + '<img src=x ' + on('onerror', 'repr-html') + '>'!r}\n"
        "Table()"
    ),
    "print-html": f"print({kept('print-html') + script('print-html')!r})",
    "js-display": f"display(Javascript({js('js-display')!r}))",
    "js-bundle": f"display({{'application/javascript': {js('js-bundle')!r}, 'text/plain': 'kept-js-bundle'}}, "
    "raw=True)",
    "markdown": "display(Markdown("
    f"{kept('markdown') + script('markdown') + '<img src=x ' + on('onerror', 'markdown') + '>'!r}))",
    "latex": f"display(Latex({kept('latex') + '<img src=x ' + on('onerror', 'latex') + '>'!r}))",
    "svg": (
        "display({'image/svg+xml': "
        + repr(f'<svg xmlns="http://www.w3.org/2000/svg" {on("onload", "svg")}><text>kept-svg</text></svg>')
        + "}, raw=True)"
    ),
    "widget": "import ipywidgets\ndisplay(ipywidgets.IntSlider(description='kept-widget'))",
    "metadata": (
        f"display({{'text/plain': 'kept-metadata'}}, metadata={{'text/html': {script('metadata')!r}, "
        f"'filenames': {{'image/png': {LOADS + '/metadata.png'!r}}}}}, raw=True)"
    ),
    "isolated": (
        f"display({{'text/html': {kept('isolated') + script('isolated')!r}}}, "
        "metadata={'text/html': {'isolated': True}}, raw=True)"
    ),
    "odd-mime": (
        f"display({{'text/html+x': {script('odd-mime')!r}, "
        f"'Text/HTML': {'<img src=x ' + on('onerror', 'odd-mime') + '>'!r}, "
        f"'application/vnd.evil+html': {script('odd-mime')!r}, 'text/plain': 'kept-odd-mime'}}, raw=True)"
    ),
    "fake-png": (
        f"display({{'image/png': {base64.b64encode(script('fake-png').encode()).decode()!r}, "
        "'text/plain': 'kept-fake-png'}, raw=True)"
    ),
    "error-html": f"raise ValueError({kept('error-html') + '<img src=x ' + on('onerror', 'error-html') + '>'!r})",
}
IMPORTS = "from IPython.display import HTML, Javascript, Latex, Markdown, display\n"

# The harmless text each payload's output must still show (shown as text where it was code).
KEPT = {tag: f"kept-{tag}" for tag in PAYLOADS} | {
    "js-display": "<IPython.core.display.Javascript object>",
    "test-error": "ValueError: <b>kept-test-error</b><img src=x onerror=",
    "huge-metadata": "kept-huge-metadata",
}

# What runs (or loads) when these outputs are rendered by nbgrader without sanitizing: the
# positive control of the browser tests. application/javascript needs the jQuery that the
# formgrader page has and the feedback page has not; a javascript: link runs when clicked.
FIRES_UNSANITIZED_FROM_DISK = {
    "html-script",
    "html-img",
    "html-svg",
    "html-iframe",
    "html-link",
    "html-style",
    "html-form",
    "repr-html",
    "markdown",
}
FIRES_UNSANITIZED = FIRES_UNSANITIZED_FROM_DISK | {"js-display", "js-bundle"}

# An honest cell: a figure and a table. `%matplotlib inline` because the grading kernel's default
# backend is Agg (autograder/sandbox.py), under which plt.show() shows nothing.
HONEST_FIGURE_AND_TABLE = """%matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

class Frame:  # what pandas.DataFrame._repr_html_ writes
    def _repr_html_(self):
        return '''<div>
<style scoped>
    .dataframe tbody tr th:only-of-type { vertical-align: middle; }
    .dataframe thead th { text-align: right; }
</style>
<table border="1" class="dataframe">
  <thead>
    <tr style="text-align: right;"><th></th><th>f_t</th><th>C_t</th></tr>
  </thead>
  <tbody>
    <tr><th>0</th><td>0.5</td><td>honest-table-cell</td></tr>
  </tbody>
</table>
</div>'''

plt.plot(np.linspace(0, 1, 20), np.linspace(0, 1, 20) ** 2)
plt.title("f_t over time")
plt.show()
Frame()"""


def payload_cells():
    """The payloads, one cell each, as a student adds them (IMPORTS first)."""
    return [IMPORTS] + list(PAYLOADS.values())


def _with_cells(nb, sources):
    for source in reversed(sources):
        nb = _with_cell(nb, "setup", source)
    return nb


HUGE_METADATA = (
    "display({'text/plain': 'kept-huge-metadata'}, metadata={'junk': 'x' * 5_000_000, "
    "'image/png': {'width': 'y' * 1_000_000}}, raw=True)"
)


def cases(release):
    right = samples.solved(ASSIGNMENT, release)
    error_in_answer = samples.set_cell(
        right,
        "forget_gate",
        "def forget_gate(W_f, h_prev, x_t, b_f):\n"
        f"    raise ValueError({kept('test-error') + '<img src=x ' + on('onerror', 'test-error') + '>'!r})\n",
    )
    return [
        Case(
            "right",
            "every answer right; shows a matplotlib figure and a pandas-style table",
            _with_cell(right, "setup", HONEST_FIGURE_AND_TABLE),
        ),
        Case(
            "xss_outputs",
            "every kind of output attacks the browser; forget_gate raises HTML; 5 MB of metadata",
            _with_cells(error_in_answer, payload_cells() + [HUGE_METADATA]),
            zero=FORGET_GATE,
        ),
        Case(
            "xss_unsanitized_control",
            "right answers and every payload; its graded notebook is then replaced by the raw outputs",
            _with_cells(right, payload_cells()),
        ),
        Case(
            "huge_error",
            "right answers; a cell raises a 9 MB error",
            _with_cell(right, "setup", "raise ValueError('<b>big</b>' * 1_000_000)"),
            reason="outputs passed",
        ),
    ]
