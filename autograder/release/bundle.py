"""A released assignment as one zip, for an LMS upload or e-mail: <assignment>.zip holding the
folder <assignment>/ exactly as released (notebook, course_data.json, student_kit/). It holds no
solutions and no hidden tests: nbgrader removed them when it released the folder."""

import zipfile
from pathlib import Path

SKIPPED = ("__pycache__", ".ipynb_checkpoints")


def bundle(release_folder, out_folder):
    """Zip `release_folder` (<release>/<assignment>) into <out_folder>/<assignment>.zip; return its path."""
    release_folder, out_folder = Path(release_folder), Path(out_folder)
    if not any(release_folder.glob("*.ipynb")):
        raise FileNotFoundError(f"{release_folder} holds no released notebook: run `autograder release` first")
    out_folder.mkdir(parents=True, exist_ok=True)
    path = out_folder / f"{release_folder.name}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(release_folder.rglob("*")):
            if file.is_file() and not set(file.relative_to(release_folder).parts) & set(SKIPPED):
                archive.write(file, Path(release_folder.name) / file.relative_to(release_folder))
    return path
