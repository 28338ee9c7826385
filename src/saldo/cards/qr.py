"""The QR code of a card payload, for screens (PNG data URI) and print (SVG)."""

import segno


def qr_png_data_uri(payload: str, *, scale: int = 4) -> str:
    # Level M: survives a scratched phone screen or a glare, and still fits ~330 bytes in version 13.
    return segno.make(payload, error="m", micro=False).png_data_uri(scale=scale)


def qr_svg(payload: str, *, scale: int = 4) -> str:
    return segno.make(payload, error="m", micro=False).svg_inline(scale=scale)
