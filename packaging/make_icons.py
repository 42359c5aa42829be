"""Render the app icon SVG to the PNG, ICO and ICNS files a build needs.

Binaries are generated at build time rather than committed, so the SVG stays the
one source. Qt's ``QSvgRenderer`` draws each size; the ICO and ICNS containers
are written here (both just wrap PNG images) so no Qt image plugin or Pillow is
needed. Usage: ``python packaging/make_icons.py [SVG] OUT_DIR``.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SVG = REPO / "resources" / "icons" / "ftstudio.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS entry types holding PNG data, by pixel size (Apple's "icns" format).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),  # 16 pt @2x
    (b"icp6", 64),
    (b"ic12", 64),  # 32 pt @2x
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),  # 128 pt @2x
    (b"ic09", 512),
    (b"ic14", 512),  # 256 pt @2x
    (b"ic10", 1024),  # 512 pt @2x
)


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """Return the SVG drawn at ``size``×``size`` pixels as PNG bytes."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 6.12 accepts only a str format here at run time; its stubs say bytes.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        msg = f"could not encode a {size}px PNG"
        raise RuntimeError(msg)
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """Return a Windows .ico holding the PNG images (supported since Vista)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """Return a macOS .icns holding the PNG images."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
        for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def make_icons(svg: Path, out_dir: Path) -> list[Path]:
    """Write ``ftstudio-<size>.png``, ``ftstudio.png``, ``.ico`` and ``.icns``."""
    app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        msg = f"{svg} is not a valid SVG"
        raise RuntimeError(msg)
    sizes = sorted({*PNG_SIZES, *ICO_SIZES, *(s for _, s in ICNS_TYPES)})
    pngs = {size: render_png(renderer, size) for size in sizes}
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for size in PNG_SIZES:
        written.append(out_dir / f"ftstudio-{size}.png")
        written[-1].write_bytes(pngs[size])
    files = {
        "ftstudio.png": pngs[256],
        "ftstudio.ico": ico_bytes({s: pngs[s] for s in ICO_SIZES}),
        "ftstudio.icns": icns_bytes(pngs),
    }
    for name, data in files.items():
        written.append(out_dir / name)
        written[-1].write_bytes(data)
    del app
    return written


def main(argv: list[str]) -> int:
    """Run from the command line; return the exit code."""
    if len(argv) not in (1, 2):
        sys.stderr.write("usage: make_icons.py [SVG] OUT_DIR\n")
        return 2
    svg = Path(argv[0]) if len(argv) == 2 else DEFAULT_SVG
    for path in make_icons(svg, Path(argv[-1])):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
