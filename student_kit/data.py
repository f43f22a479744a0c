"""The assignment's data: course_data.json beside the notebook, written by `autograder release`.

It holds what the visible checks and the displays need, computed from the course's reference
implementation when the assignment was released: the lectures' worked examples, the errata,
the expected results of the visible checks and the results of known mistakes on the same
inputs. Hidden tests' results are not in it.

JSON keeps numbers exactly (Python writes floats with repr). Arrays and tuples are tagged, and
a numpy function (an input of grad_check) travels by its name:

    {"ndarray": [[1.0, 2.0]]}  -> np.array([[1., 2.]])      {"tuple": [3, 7]} -> (3, 7)
    {"numpy": "linalg.norm"}   -> np.linalg.norm
"""

import base64
import json
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

FILE_NAME = "course_data.json"


def encode(value: Any) -> Any:
    """`value` as JSON-ready data (numpy arrays, tuples, dicts, lists, numbers, strings, None)."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "iub":  # lengths, indices, masks: as the integers or booleans they are
            return {"ndarray": value.tolist(), "shape": list(value.shape), "dtype": value.dtype.str}
        return {"ndarray": value.astype(np.float64).tolist(), "shape": list(value.shape)}
    if isinstance(value, tuple):
        return {"tuple": [encode(item) for item in value]}
    if isinstance(value, dict):
        return {"dict": {str(key): encode(item) for key, item in value.items()}}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if callable(value):
        return {"numpy": numpy_name(value)}
    return value


def numpy_name(function: Callable) -> str:
    """'tanh' for np.tanh, 'linalg.norm' for np.linalg.norm: the only functions the data holds."""
    module = getattr(function, "__module__", None) or "numpy"  # ufuncs have no module
    path = ".".join(filter(None, [module.removeprefix("numpy").strip("."), function.__name__]))
    if not module.startswith("numpy") or numpy_function(path) is not function:
        raise TypeError(f"only numpy's own functions can be stored as data, not {function!r}")
    return path


def numpy_function(path: str) -> Callable:
    """np.<path>, a function of numpy's (the inverse of numpy_name)."""
    value = np
    for name in path.split("."):
        if not name.isidentifier() or name.startswith("_"):
            raise ValueError(f"not a numpy function: {path!r}")
        value = getattr(value, name)
    if not callable(value):
        raise ValueError(f"not a numpy function: {path!r}")
    return value


def decode(data: Any) -> Any:
    """The inverse of encode."""
    if isinstance(data, dict):
        if "ndarray" in data:
            return np.array(data["ndarray"], dtype=np.dtype(data.get("dtype", "<f8"))).reshape(data["shape"])
        if "tuple" in data:
            return tuple(decode(item) for item in data["tuple"])
        if "dict" in data:
            return {key: decode(item) for key, item in data["dict"].items()}
        if "numpy" in data:
            return numpy_function(data["numpy"])
        return {key: decode(item) for key, item in data.items()}
    if isinstance(data, list):
        return [decode(item) for item in data]
    return data


def pack(value: Any) -> str:
    """`value` as one short ASCII string (zlib-compressed JSON in base64), for a notebook cell."""
    return base64.b64encode(zlib.compress(json.dumps(encode(value)).encode(), 9)).decode("ascii")


def unpack(text: str) -> Any:
    """The inverse of pack."""
    return decode(json.loads(zlib.decompress(base64.b64decode(text))))


class MissingData(LookupError):
    """The notebook asks for data its folder does not have."""


def folder() -> Path:
    """The released assignment folder: the one holding this copy of student_kit, or else the
    working directory (a kernel started beside the notebook while another copy of the kit comes
    first on the path, as in the instructor's environment under plain nbgrader)."""
    beside = Path(__file__).resolve().parent.parent
    return beside if (beside / FILE_NAME).exists() else Path.cwd()


@cache
def course_data() -> dict:
    """The whole data file, decoded (read once per kernel)."""
    path = folder() / FILE_NAME
    if not path.exists():
        raise MissingData(
            f"{path} is missing. Keep {FILE_NAME} in the same folder as the notebook "
            "and student_kit/ (download the assignment folder again if you lost it)."
        )
    return decode(json.loads(path.read_text()))


def section(name: str) -> Any:
    """One part of the data file ({} if the assignment has none)."""
    return course_data().get(name, {})


def lookup(section_name: str, key: str, what: str) -> Any:
    """course_data()[section_name][key], or a message that says which data is missing."""
    entries = section(section_name)
    if key not in entries:
        known = ", ".join(sorted(map(str, entries))) or "none"
        raise MissingData(f"{FILE_NAME} has no {what} {key!r} (this assignment has: {known}).")
    return entries[key]
