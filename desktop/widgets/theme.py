"""Look and feel: light/dark palettes, reading fonts, colour chips and small drawn icons.

Everything is local: Fusion style, system fonts (DejaVu on a bare Linux), Qt's standard icons.
"""

from __future__ import annotations

import hashlib
import re

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QColor, QFont, QFontDatabase, QGuiApplication, QIcon, QPainter, QPalette, QPixmap,
)
from PySide6.QtWidgets import QApplication

LIGHT, DARK, SYSTEM = "light", "dark", "system"

#: fixed colours for the countries of the demo and frequent comparison partners
COUNTRY_COLORS = {
    "RU": "#C0392B", "JP": "#B0417A", "CN": "#D4A017", "US": "#2E5AAC", "GB": "#1B7F79",
    "DE": "#4D4D4D", "FR": "#3867D6", "UA": "#E1B12C", "KR": "#16A085", "IN": "#E67E22",
}

_SERIF_CANDIDATES = ("Source Serif 4", "Charter", "Georgia", "Noto Serif", "DejaVu Serif", "Serif")
_SANS_CANDIDATES = ("Inter", "Noto Sans", "Segoe UI", "Cantarell", "DejaVu Sans", "Sans Serif")


def country_color(country: str | None) -> QColor:
    """A stable colour for an ISO country code (grey when unknown)."""
    if not country:
        return QColor("#9AA0A6")
    if country in COUNTRY_COLORS:
        return QColor(COUNTRY_COLORS[country])
    hue = int(hashlib.md5(country.encode()).hexdigest()[:4], 16) % 360
    return QColor.fromHsl(hue, 120, 110)


def chip_icon(color: QColor | str, *, size: int = 12, radius: float = 3.0) -> QIcon:
    """A small rounded colour swatch (country chips, code colours)."""
    pm = QPixmap(size, size)
    pm.fill(Qt.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.Antialiasing)
    c = QColor(color)
    p.setPen(c.darker(130))
    p.setBrush(c)
    p.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), radius, radius)
    p.end()
    return QIcon(pm)


def _first_family(candidates: tuple[str, ...]) -> str:
    families = set(QFontDatabase.families())
    for name in candidates:
        if name in families:
            return name
    return candidates[-1]


#: writing systems of scripts a researcher of this field reads, with the characters that show a
#: text needs them (a character of the script) and what to install when no font covers them
_SCRIPTS = (
    ("Chinese", "[\u4e00-\u9fff\u3400-\u4dbf]",
     (QFontDatabase.WritingSystem.SimplifiedChinese, QFontDatabase.WritingSystem.TraditionalChinese,
      QFontDatabase.WritingSystem.Japanese)),
    ("Japanese", "[\u3040-\u30ff]", (QFontDatabase.WritingSystem.Japanese,)),
    ("Korean", "[\uac00-\ud7af]", (QFontDatabase.WritingSystem.Korean,)),
    ("Arabic", "[\u0600-\u06ff]", (QFontDatabase.WritingSystem.Arabic,)),
    ("Hebrew", "[\u0590-\u05ff]", (QFontDatabase.WritingSystem.Hebrew,)),
)


def scripts_without_font(text: str) -> list[str]:
    """The scripts of ``text`` (Chinese, Japanese, Korean, Arabic, Hebrew) that no installed font
    can show: their characters would be drawn as empty boxes.  Fonts are never downloaded."""
    missing = []
    for name, chars, systems in _SCRIPTS:
        if re.search(chars, text) and not any(QFontDatabase.families(ws) for ws in systems):
            missing.append(name)
    return missing


def reading_font(point_size: float = 11.0, *, serif: bool = True) -> QFont:
    """The font articles are read in: a calm serif (or sans) available offline."""
    font = QFont(_first_family(_SERIF_CANDIDATES if serif else _SANS_CANDIDATES))
    font.setPointSizeF(point_size)
    font.setStyleHint(QFont.Serif if serif else QFont.SansSerif)
    return font


def ui_font() -> QFont:
    font = QFont(_first_family(_SANS_CANDIDATES))
    font.setPointSizeF(9.5)
    return font


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def _palette(dark: bool) -> QPalette:
    pal = QPalette()
    if dark:
        colors = {
            QPalette.Window: "#23262B", QPalette.WindowText: "#E3E5E8", QPalette.Base: "#1B1D21",
            QPalette.AlternateBase: "#25282D", QPalette.Text: "#E6E6E3", QPalette.Button: "#2C3036",
            QPalette.ButtonText: "#E3E5E8", QPalette.Highlight: "#3D6FB6",
            QPalette.HighlightedText: "#FFFFFF", QPalette.ToolTipBase: "#2C3036",
            QPalette.ToolTipText: "#E3E5E8", QPalette.PlaceholderText: "#8A8F98",
            QPalette.Link: "#7EA7E8", QPalette.Mid: "#3A3F46", QPalette.Midlight: "#33373D",
            QPalette.Dark: "#15171A", QPalette.Light: "#3A3F46", QPalette.Shadow: "#000000",
            QPalette.BrightText: "#FF6B6B",
        }
    else:
        colors = {
            QPalette.Window: "#F3F2EF", QPalette.WindowText: "#202124", QPalette.Base: "#FFFFFF",
            QPalette.AlternateBase: "#F7F6F3", QPalette.Text: "#1F1F1C", QPalette.Button: "#ECEAE6",
            QPalette.ButtonText: "#202124", QPalette.Highlight: "#B9D3F3",
            QPalette.HighlightedText: "#111111", QPalette.ToolTipBase: "#FFFDF5",
            QPalette.ToolTipText: "#202124", QPalette.PlaceholderText: "#8A8F98",
            QPalette.Link: "#2A5DB0", QPalette.Mid: "#C9C6C0", QPalette.Midlight: "#E2E0DB",
            QPalette.Dark: "#A8A5A0", QPalette.Light: "#FFFFFF", QPalette.Shadow: "#6B6B6B",
            QPalette.BrightText: "#B00020",
        }
    for role, value in colors.items():
        pal.setColor(role, QColor(value))
    disabled = QColor("#6F737A") if dark else QColor("#A0A0A0")
    for role in (QPalette.Text, QPalette.WindowText, QPalette.ButtonText):
        pal.setColor(QPalette.Disabled, role, disabled)
    return pal


def is_dark(app: QApplication | None = None) -> bool:
    app = app or QApplication.instance()
    return app.palette().color(QPalette.Base).lightness() < 128


def apply_theme(app: QApplication, mode: str = SYSTEM) -> bool:
    """Set Fusion with a light or dark palette; ``mode`` is light, dark or system.

    Returns whether the dark palette is now in use.
    """
    dark = system_prefers_dark() if mode == SYSTEM else mode == DARK
    app.setStyle("Fusion")
    app.setPalette(_palette(dark))
    app.setFont(ui_font())
    mid = "#3A3F46" if dark else "#D6D3CD"
    app.setStyleSheet(
        f"QDockWidget::title {{ padding: 4px 6px; }}"
        f"QToolTip {{ padding: 4px; border: 1px solid {mid}; }}"
        f"QSplitter::handle {{ background: {mid}; }}"
        f"QSplitter::handle:horizontal {{ width: 1px; }}"
        f"QToolButton#answer {{ padding: 1px 6px; border: 1px solid {mid}; border-radius: 3px; }}"
        f"QToolButton#answer:checked {{ background: palette(highlight); color: palette(highlighted-text);"
        f" font-weight: 600; }}")
    return dark


def muted(color: QColor, factor: float = 0.55) -> QColor:
    """``color`` blended towards grey (for secondary text)."""
    grey = QColor("#888888")
    return QColor(int(color.red() * factor + grey.red() * (1 - factor)),
                  int(color.green() * factor + grey.green() * (1 - factor)),
                  int(color.blue() * factor + grey.blue() * (1 - factor)))
