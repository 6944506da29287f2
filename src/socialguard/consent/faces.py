"""Counting faces in a photo with OpenCV's bundled Haar cascade (`opencv-python-headless`), so
that the author accounts for everyone a photo shows (policy 5.2). Counting only: no face is
recognised, compared, cropped or kept; the count is the only thing stored."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

from PIL import Image, UnidentifiedImageError

MAX_SIDE = 1600  # larger photos are scaled down first: faster, and faces stay well above minSize
ANSWERS = {"none": "No identifiable people", "crowd": "A crowd at a public event"}


@lru_cache(maxsize=1)
def _cascade() -> Any:
    import cv2

    folder = cv2.data.haarcascades  # type: ignore[attr-defined]  # the wheel's bundled cascades
    cascade = cv2.CascadeClassifier(folder + "haarcascade_frontalface_default.xml")
    if cascade.empty():
        raise RuntimeError("OpenCV's bundled face cascade could not be loaded")
    return cascade


def count_faces(data: bytes, content_type: str) -> int | None:
    """How many faces the detector finds in a photo; None for a video or an unreadable image."""
    if not content_type.startswith("image/"):
        return None
    import numpy as np

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.seek(0)  # an animated GIF: its first frame
            grey = image.convert("L")
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    if max(grey.size) > MAX_SIDE:
        grey.thumbnail((MAX_SIDE, MAX_SIDE))
    pixels = np.asarray(grey, dtype=np.uint8)
    found = _cascade().detectMultiScale(pixels, scaleFactor=1.1, minNeighbors=5, minSize=(24, 24))
    return len(found)
