"""Writing a set of files so that an interruption leaves none of them half-written."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def staged(out_dir: str | Path, prefix: str = ".talentwar-") -> Iterator[Path]:
    """A temporary folder inside `out_dir` to write into; once the block ends without error, each
    file in it (sub-folders included) is moved into `out_dir` by an atomic rename. On an error
    nothing moves, and the temporary folder is removed either way."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=out))
    try:
        yield staging
        for item in sorted(staging.rglob("*")):
            if item.is_file():
                target = out / item.relative_to(staging)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(item, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
