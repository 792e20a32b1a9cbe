"""Render resources/icons/regstudio.svg as the PNG sizes desktops ask for (regstudio-<size>.png).

    python tools/render_icons.py

Run it after editing the SVG and commit the PNGs: Qt's SVG module draws them here, offscreen, so the
installed package needs no SVG support to show its icon at any size.
"""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "resources", "icons")
SIZES = (16, 32, 48, 64, 128, 256)


def render(svg_path: str, size: int) -> QImage:
    renderer = QSvgRenderer(svg_path)
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {svg_path} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    svg = os.path.normpath(os.path.join(ICONS, "regstudio.svg"))
    for size in SIZES:
        path = os.path.normpath(os.path.join(ICONS, f"regstudio-{size}.png"))
        if not render(svg, size).save(path, "PNG"):
            raise SystemExit(f"render_icons: cannot write {path}")
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
