"""Read a PNG (a screenshot or a download) into grey pixels and decode its QR code."""

from __future__ import annotations

import struct
import zlib

import zxingcpp

_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # colour type → samples per pixel (8-bit, no palette)


def grey(png: bytes) -> tuple[bytes, int, int]:
    """(pixels, width, height) of an 8-bit non-interlaced PNG, one grey byte per pixel."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, data, header = 8, b"", b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, chunk = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            data += chunk
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth == 1 and colour == 0:
        return _unpack_bits(zlib.decompress(data), width, height)
    assert depth == 8 and colour in _CHANNELS and not interlace, (depth, colour, interlace)
    bpp = _CHANNELS[colour]
    rows = _unfilter(zlib.decompress(data), width * bpp, height, bpp)
    out = bytearray(width * height)
    for i in range(width * height):
        px = rows[i * bpp : i * bpp + bpp]
        out[i] = px[0] if bpp < 3 else (px[0] * 299 + px[1] * 587 + px[2] * 114) // 1000
    return bytes(out), width, height


def _unfilter(raw: bytes, stride: int, height: int, bpp: int) -> bytearray:
    out, prev = bytearray(), bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + pred) & 0xFF
        out += line
        prev = line
    return out


def _unpack_bits(raw: bytes, width: int, height: int) -> tuple[bytes, int, int]:
    stride = (width + 7) // 8
    rows = _unfilter(raw, stride, height, 1)
    out = bytearray(width * height)
    for y in range(height):
        for x in range(width):
            bit = rows[y * stride + x // 8] >> (7 - x % 8) & 1
            out[y * width + x] = 255 if bit else 0
    return bytes(out), width, height


def decode_qr(png: bytes) -> str:
    """The text of the one QR code in the image; fails if there is none."""
    pixels, width, height = grey(png)
    found = zxingcpp.read_barcodes(memoryview(pixels).cast("B", (height, width)))
    assert found, "no QR code found in the image"
    return found[0].text
