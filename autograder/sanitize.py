"""Student outputs as data: what the graded notebook may show of what student code printed or
displayed.

    kept, cut = notebook_outputs([outputs of cell 1, outputs of cell 2, ...], budget=1_000_000)

Every output of student code is untrusted. nbgrader's formgrader shows the graded notebook inside
the instructor's logged-in Jupyter server, where a script can use the server's API (write files,
start kernels), and the feedback HTML shows it to the student. So each output is rebuilt from an
allow-list, never copied:

- output types: stream, display_data, execute_result, error; any other is dropped;
- text/plain, stream text, error name, value and traceback: kept as text (nbconvert escapes text);
- image/png, image/jpeg: kept if they are base64 of an image of that type;
- text/html: cleaned by nh3 (the Rust sanitizer ammonia): text, lists and tables; no scripts,
  event handlers, javascript: URLs, iframes, objects, forms, images, classes or ids, and no
  style that can load anything; wrapped so that MathJax leaves it alone;
- text/markdown (the course's examples and errata are markdown): rendered to HTML by nbconvert's
  own markdown renderer (up to MARKDOWN_RENDERED characters), then cleaned as above; its source
  is kept as the text;
- text/latex and image/svg+xml can carry script: shown as their source text;
- anything else (application/javascript, widget views, unknown types): dropped, with a note
  when nothing of the output is left;
- metadata: only the width and height of an image.

One byte budget covers the whole notebook and counts every kind: the size of each output as
JSON (text, images, HTML, errors and metadata alike). The output that passes it is cut (stream
text shortened, anything else dropped), a note says so, and no later output is kept. The check
records that decide the grade travel apart from these outputs, so cutting costs no points.
"""

import base64
import binascii
import json

import nh3
from nbconvert.filters import markdown2html

TEXT = "text/plain"
HTML = "text/html"
IMAGE_SIGNATURES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
MARKDOWN = "text/markdown"
SHOWN_AS_SOURCE = (MARKDOWN, "text/latex", "image/svg+xml")  # source text instead of the repr
# Markdown rendered to HTML in the grader's own process, outside the student's limits: 940 kB of
# `*a` took grading from 4 s to 19 s. The course's markdown outputs are under 2 kB; longer markdown
# is kept as its source text.
MARKDOWN_RENDERED = 20_000
LARGEST_IMAGE_SIDE = 10_000  # pixels, for width/height metadata

_HTML_CLEANER = nh3.Cleaner(
    tags={
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
        "var",
    },
    clean_content_tags={"script", "style"},  # removed with their content
    attributes={
        "*": {"title", "style"},
        "a": {"href"},
        "th": {"colspan", "rowspan"},
        "td": {"colspan", "rowspan"},
        "col": {"span"},
        "colgroup": {"span"},
    },
    url_schemes={"http", "https"},
    url_relative="deny",  # no link into the instructor's Jupyter server
    filter_style_properties={
        "color",
        "background-color",
        "text-align",
        "vertical-align",
        "font-weight",
        "font-style",
    },  # none of these can load a URL
    strip_comments=True,
)


def notebook_outputs(cells, budget):
    """The outputs of each code cell, in order -> (their safe versions, whether the budget cut any)."""
    kept, left, cut = [], budget, False
    for outputs in cells:
        cell = []
        for output in outputs if not cut else ():
            output = safe_output(output)
            if output is None:
                continue
            size = _size(output)
            if size > left:
                cut = True
                short = _shortened(output, left)
                cell += [short] if short else []
                cell.append(
                    _stream(
                        "stderr",
                        f"\n[the rest of this notebook's output is not shown: it "
                        f"passed the grader's limit of {budget // 1000} kB]\n",
                    )
                )
                break
            left -= size
            cell.append(output)
        kept.append(cell)
    return kept, cut


def safe_output(output):
    """One output rebuilt from the allow-list, or None to drop it."""
    kind = output.get("output_type")
    if kind == "stream":
        return _stream("stderr" if output.get("name") == "stderr" else "stdout", _text(output.get("text")) or "")
    if kind == "error":
        return {
            "output_type": "error",
            "ename": _text(output.get("ename")) or "Error",
            "evalue": _text(output.get("evalue")) or "",
            "traceback": [_text(line) or "" for line in _list(output.get("traceback"))],
        }
    if kind not in ("display_data", "execute_result"):
        return None
    data, dropped = _safe_data(output.get("data"))
    if not data and not dropped:
        return None
    if not data:
        names = ", ".join(name[:60] for name in dropped[:3])
        data = {TEXT: f"[not shown: {names} (the graded notebook keeps text, images and plain HTML)]"}
    safe = {"output_type": kind, "data": data, "metadata": _safe_metadata(output.get("metadata"), data)}
    if kind == "execute_result":
        count = output.get("execution_count")
        safe["execution_count"] = count if type(count) is int else None
    return safe


def _safe_data(data):
    """A MIME bundle -> (the kept MIME types, the names of those dropped)."""
    if not isinstance(data, dict):
        return {}, ["a malformed output"]
    kept, dropped, source = {}, [], None
    for mime, value in data.items():
        text = _text(value)
        if text is None:
            dropped.append(str(mime))
        elif mime == TEXT:
            kept[TEXT] = text
        elif mime == HTML:
            kept[HTML] = _clean_html(text)
        elif mime in IMAGE_SIGNATURES and _is_image(text, mime):
            kept[mime] = "".join(text.split())
        elif mime in SHOWN_AS_SOURCE:
            source = text
            if mime == MARKDOWN and len(text) <= MARKDOWN_RENDERED:
                kept.setdefault(HTML, _clean_html(markdown2html(text)))
        else:
            dropped.append(str(mime))
    if source is not None:  # more telling than its repr ("<IPython.core.display.Markdown object>")
        kept[TEXT] = source
    return kept, dropped


def _clean_html(html):
    """HTML without anything that runs or loads; MathJax leaves it alone (tex2jax_ignore)."""
    return f'<div class="tex2jax_ignore">{clean_html(html)}</div>'


def clean_html(html):
    """HTML with only the allow-list's text, lists and tables: nothing that runs or loads."""
    return _HTML_CLEANER.clean(html)


def _is_image(text, mime):
    try:
        image = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return False
    return image.startswith(IMAGE_SIGNATURES[mime])


def _safe_metadata(metadata, data):
    """Only an image's width and height (positive whole numbers of pixels)."""
    safe = {}
    for mime in IMAGE_SIGNATURES.keys() & data.keys():
        given = metadata.get(mime) if isinstance(metadata, dict) else None
        sizes = {
            key: value
            for key, value in (given.items() if isinstance(given, dict) else ())
            if key in ("width", "height") and type(value) is int and 0 < value <= LARGEST_IMAGE_SIDE
        }
        if sizes:
            safe[mime] = sizes
    return safe


def _shortened(output, room):
    """A stream output with its text cut to fit in `room` bytes; None for other outputs or no room."""
    if output["output_type"] != "stream":
        return None
    text = output["text"][: max(room - _size(_stream(output["name"], "")), 0)]
    while text and _size(_stream(output["name"], text)) > room:  # escapes and UTF-8 take more bytes
        text = text[: len(text) // 2]
    return _stream(output["name"], text) if text else None


def _stream(name, text):
    return {"output_type": "stream", "name": name, "text": text}


def _text(value):
    """A string, or nbformat's list of strings joined; None for anything else. Lone surrogates
    (JSON may escape one, "\\ud800") become U+FFFD: no UTF-8 writer of the grader takes them."""
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        value = "".join(value)
    if not isinstance(value, str):
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return value


def _list(value):
    return value if isinstance(value, list) else []


def _size(output):
    """Bytes the output takes in the notebook file."""
    return len(json.dumps(output, ensure_ascii=False).encode())
