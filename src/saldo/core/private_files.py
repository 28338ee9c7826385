"""Private files (claim documents, identity photos): kept outside the web root with owner-only
permissions and random names, read back only through code that checks who may see them."""

import os
import uuid
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ImageType:
    content_type: str
    magic: bytes
    extension: str


IMAGE_TYPES = (
    ImageType("image/jpeg", b"\xff\xd8\xff", ".jpg"),
    ImageType("image/png", b"\x89PNG\r\n\x1a\n", ".png"),
)


def image_type(content: bytes) -> ImageType | None:
    """The JPG or PNG `content` starts like, or None (a PDF, a renamed text file, nothing)."""
    return next((t for t in IMAGE_TYPES if content.startswith(t.magic)), None)


def private_store(*, root: Path, content: bytes, extension: str) -> str:
    """Write `content` to a new private file under `root`; its path relative to `root`."""
    folder = uuid.uuid4().hex[:2]
    (root / folder).mkdir(mode=0o700, parents=True, exist_ok=True)
    relative = f"{folder}/{uuid.uuid4().hex}{extension}"
    # O_EXCL: never overwrite; 0600: readable by the service's user only.
    fd = os.open(root / relative, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(content)
    return relative


def private_path(*, root: Path, relative: str) -> Path:
    """The file of a stored path; refuses one that would leave `root`."""
    base = root.resolve()
    path = (base / relative).resolve()
    if base not in path.parents:
        raise ValueError("path outside the private root")
    return path
