"""Images in checks: found in the Markdown, checked and measured, then copied into the claim's folder.

Three steps, one per stage of the pipeline:

- loading (pure, per file): ``images_plugin`` notes each local image of a claim's analysis
  (``![alt](screenshot.png)``) with its line, points it at its copy (the file name alone) and
  marks it for the next step; ``missing_alt`` reports an image without alt text.
- ``attach_images`` (between loading and resolving): each image of each claim, in its analysis and
  in ``image:``, must be a PNG, JPEG, GIF or WebP file inside the content folder (beside the claim,
  or under ``content/static/`` from a path that starts with ``/``), of at most MAX_PIXELS. Its
  size goes into the claim's HTML (``width``, ``height``, ``srcset``, ``loading="lazy"``), and the
  hash of its bytes into the claim's version, so a changed image re-renders its page.
- ``outputs`` (rendering): every copy, the full size and the narrower ones, is decoded and encoded
  again by Pillow, so what is published is pixels only (no metadata, nothing a browser could run);
  each is made once per image content and kept in the build's image cache.

SVG is refused: it can carry script. Pillow is imported only when an image has to be read.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .errors import Diagnostic
from .model import Claim, ImageRef, Picture
from .urls import record_url

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore

MAX_PIXELS = 40_000_000
"""The largest image accepted, in pixels (a 8000 by 5000 photograph); a larger one is refused
before it is decoded (a decompression bomb is a small file that decodes to gigabytes)."""
MAX_BYTES = 20_000_000
WIDTHS = (480, 960, 1600)
"""Widths of the narrower copies offered in ``srcset``, each made when the image is wider."""
SIZES = "(min-width: 46rem) 44rem, 100vw"
"""The width an image of the analysis takes in the default theme's column."""
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
_TAKEN = frozenset({"index.html", "card.png"})
"""Names in a claim's folder the site itself uses."""
_MARK = re.compile(r' data-digest-image="(\d+)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")
LOCAL = "digest_image"
"""Token meta key of a claim's own image: the links rule leaves it to ``attach_images``."""
_VERSION = "1"
"""Changes when the copies are made differently: every copy is made again."""

Known = dict[str, tuple[int, int, str]]
"""Images already read, by the hash of their bytes: (width, height, Pillow's format name)."""


def _collect(scheme: Callable[[str], str | None], state: StateCore) -> None:
    found = state.env.get("images")
    if found is None:  # only a claim's analysis collects its images
        return
    offset = state.env.get("line", 0)
    for block in state.tokens:
        line = offset + (block.map[0] if block.map else 0)
        for token in block.children or ():
            if token.type in ("softbreak", "hardbreak"):
                line += 1
            if token.type != "image":
                continue
            src = str(token.attrGet("src") or "")
            if not src or src.startswith("//") or scheme(src) is not None:
                continue  # an image on another site, or a refused scheme: the links rule's business
            found.append(ImageRef(src, token.content, line))
            token.attrSet("src", _file_name(src))
            token.attrSet("data-digest-image", str(len(found) - 1))
            token.meta[LOCAL] = True


def images_plugin(md: MarkdownIt, scheme: Callable[[str], str | None]) -> None:
    """Note the local images of a claim's analysis in ``env["images"]`` (with ``env["line"]``, the
    file line the Markdown starts on), each pointed at its copy beside the page and marked, so that
    the links rule (which ``scheme`` is from) leaves it to ``attach_images``."""
    md.core.ruler.before("links", "images", partial(_collect, scheme))


def missing_alt(refs: Iterable[ImageRef]) -> Iterable[tuple[int, str]]:
    """(line, message) for each image of an analysis that has no alt text."""
    for ref in refs:
        if not ref.alt.strip():
            example = f"![The post as it appeared]({ref.src})"
            yield ref.line, f"image '{ref.src}' has no alt text: say what it shows, as in {example}"


def _file_name(src: str) -> str:
    return posixpath.basename(unquote(src.split("#")[0].split("?")[0])) or "image"


def attach_images(
    claims: Iterable[Claim], root: Path, content_shown: str, known: Known | None = None
) -> tuple[list[Claim], list[Diagnostic]]:
    """Check and measure every image of every claim → the claims with their pictures (a changed image
    changes its claim's version), and the problems, each at its line."""
    known = known if known is not None else {}
    problems: list[Diagnostic] = []
    result = []
    base = root.resolve()
    for claim in claims:
        if claim.image is None and not claim.images:
            result.append(claim)
            continue
        folder = base / Path(_inside(claim.path, content_shown)).parent
        names: dict[str, tuple[int, str]] = {}

        def picture(
            ref: ImageRef, claim: Claim = claim, folder: Path = folder, names: dict[str, tuple[int, str]] = names
        ) -> Picture | None:
            found = _picture(claim.slug, ref, folder, base, known, names)
            if isinstance(found, str):
                problems.append(Diagnostic(claim.path, ref.line, found))
                return None
            return found

        main = picture(claim.image) if claim.image is not None else None
        body = [picture(ref) for ref in claim.images]
        if any(p is None for p in (*body, main if claim.image is not None else 0)):
            result.append(claim)
            continue
        pictures = tuple(p for p in body if p is not None)
        digest = hashlib.blake2b(
            "\0".join([claim.digest, *(p.digest for p in (*pictures, *([main] if main else [])))]).encode(),
            digest_size=16,
        ).hexdigest()
        html = _MARK.sub(partial(_marked, pictures), claim.body_html)
        result.append(replace(claim, picture=main, pictures=pictures, body_html=html, digest=digest))
    return result, problems


def image_problems(
    failed: Iterable[tuple[str, str, Iterable[ImageRef]]], root: Path, content_shown: str, known: Known | None = None
) -> list[Diagnostic]:
    """The problems of the images of claims (slug, path, images) whose files have other problems too,
    so that one run tells every problem of a file."""
    known = known if known is not None else {}
    base = root.resolve()
    problems = []
    for slug, path, refs in failed:
        folder = base / Path(_inside(path, content_shown)).parent
        names: dict[str, tuple[int, str]] = {}
        for ref in refs:
            found = _picture(slug, ref, folder, base, known, names)
            if isinstance(found, str):
                problems.append(Diagnostic(path, ref.line, found))
    return problems


def mark_pictures(html: str, pictures: tuple[Picture, ...]) -> str:
    """An analysis's HTML with the attributes of each image it marked (a translation's: its original's pictures)."""
    return _MARK.sub(partial(_marked, pictures), html)


def _marked(pictures: tuple[Picture, ...], mark: re.Match[str]) -> str:
    """The attributes of the image an analysis marked."""
    return _attributes(pictures[int(mark.group(1))], lazy=True)


def _inside(path: str, content_shown: str) -> str:
    """A diagnostic's path → the path inside the content folder."""
    return os.path.relpath(path, content_shown) if content_shown not in ("", ".") else path


def _picture(
    slug: str, ref: ImageRef, folder: Path, root: Path, known: Known, names: dict[str, tuple[int, str]]
) -> Picture | str:
    """The picture of one image reference, or what is wrong with it."""
    src = unquote(ref.src)
    if _SCHEME.match(src) or "?" in src or "#" in src:
        return f"image '{ref.src}' must be a file beside the claim or under content/static/ (a path, not a URL)"
    where = (root / "static" / src.lstrip("/")) if src.startswith("/") else folder / src
    shown = ("content/static/" + src.lstrip("/")) if src.startswith("/") else src
    outside = f"image '{ref.src}' is outside the content folder"
    if not Path(os.path.normpath(where)).is_relative_to(root):
        return outside  # refused before anything outside is even looked at
    try:
        path = where.resolve(strict=True)
    except (OSError, RuntimeError):
        return f"image '{ref.src}' not found: put the file beside the claim, or under content/static/ and write '/name'"
    if not path.is_relative_to(root):
        return outside  # through a symbolic link
    if path.suffix.lower() == ".svg":
        return f"image '{ref.src}' is SVG, which can carry script: export it as PNG"
    if path.suffix.lower() not in _SUFFIXES:  # the copy keeps the name, and hosts serve a type by it
        return f"image '{ref.src}' must be named .png, .jpg, .jpeg, .gif or .webp"
    if not path.is_file():
        return f"image '{shown}' is not a file"
    try:
        if path.stat().st_size > MAX_BYTES:
            return f"image '{ref.src}' is larger than {MAX_BYTES // 1_000_000} MB: make it smaller"
        data = path.read_bytes()
    except OSError as error:
        return f"image '{ref.src}' cannot be read ({error.strerror or error})"
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    measured = known.get(digest)
    if measured is None:
        read = _measure(data, ref.src)
        if isinstance(read, str):
            return read
        measured = known[digest] = read
    width, height, kind = measured
    name = _file_name(ref.src)
    stem, extension = posixpath.splitext(name)
    extension = extension.lower() or ".png"
    page = record_url("claim", slug)
    variants = tuple(
        (f"{page}{stem}-{w}w{extension}", w, max(1, round(height * w / width)))
        for w in WIDTHS
        if w < width and kind != "GIF"  # an animation keeps its one size
    )
    for taken in (name, *(posixpath.basename(v[0]) for v in variants)):
        if taken in _TAKEN:
            return f"image name '{taken}' is taken by the claim's page or card: rename the file"
        line, first = names.setdefault(taken, (ref.line, digest))
        if first != digest:
            return f"image name '{taken}' is also used by another image at line {line}: rename one of the files"
    return Picture(ref, page + name, width, height, FORMATS[kind], variants, str(path), digest)


def _measure(data: bytes, src: str) -> tuple[int, int, str] | str:
    """(width, height, format) of an image file once fully decoded, or why it is refused."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = str(image.format)
                if kind not in FORMATS:
                    return f"image '{src}' is {kind}: use PNG, JPEG, GIF or WebP"
                if image.width * image.height > MAX_PIXELS:
                    return (
                        f"image '{src}' is {image.width} by {image.height} pixels, more than the "
                        f"{MAX_PIXELS // 1_000_000} million accepted: make it smaller"
                    )
                image.load()  # a truncated or corrupt file fails here, not in a reader's browser
                width, height = _upright(image)
    except UnidentifiedImageError:
        return f"image '{src}' is not an image Pillow can read: use PNG, JPEG, GIF or WebP"
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return f"image '{src}' is too many pixels (more than {MAX_PIXELS // 1_000_000} million): make it smaller"
    except (OSError, SyntaxError, ValueError) as error:
        return f"image '{src}' cannot be read: {error}"
    return width, height, kind


def _upright(image: Any) -> tuple[int, int]:
    """Its size as shown: a photograph turned by its EXIF orientation has width and height swapped."""
    orientation = image.getexif().get(0x0112, 1)
    return (image.height, image.width) if orientation in (5, 6, 7, 8) else (image.width, image.height)


def _attributes(picture: Picture, lazy: bool) -> str:
    """The attributes an ``<img>`` gets beside its src and alt."""
    return "".join(f' {name}="{value}"' for name, value in image_attributes(picture, lazy).items())


def image_attributes(picture: Picture, lazy: bool) -> dict[str, str]:
    """width, height, srcset and sizes (relative to the claim's page), and loading="lazy" when asked."""
    attributes = {"width": str(picture.width), "height": str(picture.height)}
    if picture.variants:
        candidates = [(posixpath.basename(path), width) for path, width, _ in picture.variants]
        candidates.append((posixpath.basename(picture.path), picture.width))
        attributes["srcset"] = ", ".join(f"{name} {width}w" for name, width in candidates)
        attributes["sizes"] = SIZES
    if lazy:
        attributes["loading"] = "lazy"
    attributes["decoding"] = "async"
    return attributes


def share_copy(picture: Picture) -> tuple[str, int, int]:
    """The copy a shared link shows: the widest of at most 1,600 pixels."""
    fitting = [v for v in picture.variants if v[1] <= 1600]
    if picture.width <= 1600 or not fitting:
        return picture.path, picture.width, picture.height
    return fitting[-1]


def image_paths(claim: Claim) -> Iterable[str]:
    """Site paths of every copy of a claim's pictures: links may lead to them too."""
    for picture in (*([claim.picture] if claim.picture else []), *claim.pictures):
        yield picture.path
        yield from (path for path, _, _ in picture.variants)


def outputs(claims: Iterable[Claim], folder: Path | None) -> Iterable[tuple[str, str, Callable[[], bytes]]]:
    """(site path, fingerprint, how to make it) for every copy of every claim's pictures. Copies are
    kept in ``folder`` (the build cache's), by the hash of the image and the width."""
    seen: set[str] = set()
    for claim in claims:
        for picture in (*([claim.picture] if claim.picture else []), *claim.pictures):
            sizes = [(picture.path, picture.width, picture.height), *picture.variants]
            for path, width, height in sizes:
                if path in seen:
                    continue
                seen.add(path)
                fingerprint = f"{_VERSION}-{picture.digest}-{width}"

                def make(picture: Picture = picture, width: int = width, height: int = height) -> bytes:
                    return _copy(picture, width, height, folder)

                yield path, fingerprint, make


def _copy(picture: Picture, width: int, height: int, folder: Path | None) -> bytes:
    """The image at a width, decoded and encoded again; from the cache folder when made before."""
    kept = folder / f"{picture.digest}-{width}-{_VERSION}" if folder is not None else None
    if kept is not None and kept.is_file():
        return kept.read_bytes()
    from PIL import Image, ImageOps

    with Image.open(picture.source) as image:
        kind = str(image.format)
        out = io.BytesIO()
        if kind == "GIF":
            image.save(out, "GIF", save_all=True)
        else:
            upright = ImageOps.exif_transpose(image)
            if (width, height) != upright.size:
                upright = upright.resize((width, height), Image.Resampling.LANCZOS)
            if kind == "JPEG":
                upright.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
            else:
                upright.save(out, kind)
    data = out.getvalue()
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        temporary = kept.with_suffix(".tmp")
        temporary.write_bytes(data)
        os.replace(temporary, kept)
    return data


def measured(claims: Iterable[Claim]) -> Mapping[str, tuple[int, int, str]]:
    """What ``attach_images`` learnt, to keep for the next build: each picture's size and format."""
    kinds = {mime: kind for kind, mime in FORMATS.items()}
    return {
        p.digest: (p.width, p.height, kinds[p.type])
        for claim in claims
        for p in (*([claim.picture] if claim.picture else []), *claim.pictures)
    }
