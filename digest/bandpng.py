"""A palette PNG made of bands of rows compressed apart, for the social cards.

Ten thousand cards are mostly the same empty rows and the same few bands (the site's name, a
verdict's badge): compressing each band once and joining the compressed bytes makes a card cost
only its own text. Pillow cannot join compressed data, hence the few lines of the format here
(PNG; zlib, RFC 1950; deflate, RFC 1951).
"""

from __future__ import annotations

import struct
import zlib
from functools import cache

Band = tuple[bytes, int, int]
"""Rows of image data compressed on their own: the raw deflate bytes, ending on a byte boundary (a
sync flush) so that bands follow one another in one stream; the Adler-32 of the rows; their length."""

COMPRESSION = 1
"""zlib level, with the run-length strategy (``zlib.Z_RLE``: a card is runs of one index): on the
bench corpus about 25 kB a card, in a third of the time the default strategy takes at level 3
(23 kB); higher levels gain nothing with it."""
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ADLER_BASE = 65521


def compressed(data: bytes) -> Band:
    """Rows of image data (each its filter byte, then its pixels), compressed."""
    packer = zlib.compressobj(COMPRESSION, zlib.DEFLATED, -zlib.MAX_WBITS, 9, zlib.Z_RLE)
    return packer.compress(data) + packer.flush(zlib.Z_SYNC_FLUSH), zlib.adler32(data), len(data)


@cache
def empty(rows: int, width: int) -> Band:
    """So many rows of palette index 0, compressed once."""
    return compressed(bytes(rows * (width + 1)))


def png(width: int, height: int, bands: list[Band], palette: bytes) -> bytes:
    """An 8-bit palette PNG of these bands, top to bottom: one zlib stream made of the bands' deflate
    bytes, closed by an empty final block and the Adler-32 of all the rows (combined from each
    band's, as zlib's ``adler32_combine`` does)."""
    checksum = 1
    for _, adler, length in bands:
        rest = length % _ADLER_BASE
        low = (checksum & 0xFFFF) + (adler & 0xFFFF) - 1
        high = rest * (checksum & 0xFFFF) + (checksum >> 16) + (adler >> 16) - rest
        checksum = (low % _ADLER_BASE) | ((high % _ADLER_BASE) << 16)
    stream = b"".join((b"\x78\x01", *(band[0] for band in bands), b"\x03\x00", checksum.to_bytes(4, "big")))
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)  # 8 bits a pixel, palette, no interlace
    chunks = ((b"IHDR", header), (b"PLTE", palette), (b"IDAT", stream), (b"IEND", b""))
    return _SIGNATURE + b"".join(
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data)) for kind, data in chunks
    )
