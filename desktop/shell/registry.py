"""The feature registry: how a feature adds itself to the window without patching it.

A feature (suggestion review, alignment, agreement, the dashboard, retrieval…) is installed by one
function ``install_<feature>(window)`` that builds its widgets and then *registers* what it adds:

* **its object** — ``window.features.add(panel)``; others find it by type,
  ``window.features.get(ReviewPanel)`` (typed: the result is a ``ReviewPanel``), or
  ``find(ReviewPanel)`` (None when the feature is not installed) — instead of ``window.review``;
* **key handlers** — ``add_keys(KeyHandler(...))``: a code-key press in a reading column goes to
  :meth:`FeatureRegistry.dispatch_key`, which asks the handlers in order of ``priority`` (highest
  first; equal priorities keep registration order, and a clash of two handlers claiming the same
  key at the same priority is refused at registration), and the first that returns True has
  handled it.  The coding controller is the fallback at priority 0.  The winner no longer
  depends on the order in which features were installed;
* **paint layers** — ``add_paint_layer(PaintLayer(...))``: every reader of the comparison paints
  the registered layers, in ascending ``z`` (negative: under the text, else over it);
* **docks** — ``add_dock(DockEntry(...))``: the dock, its View-menu action and whether it starts
  visible, so the window's layout code (reading mode, remembered layouts) can treat every dock the
  same way.

The registry is plain Python (it holds Qt objects but never creates one), so it is tested
without a window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional, TypeVar

T = TypeVar("T")


class RegistryError(ValueError):
    """A feature registered something that clashes with another feature."""


@dataclass(frozen=True)
class KeyHandler:
    """``handle(column, key) -> bool``: True when the key press was this feature's.

    ``keys`` lists the keys the handler may claim (for the help overlay and clash checks);
    empty means "decides at run time" (it never clashes, but is asked in priority order)."""
    feature: str
    handle: Callable[[Any, str], bool]
    priority: int = 50
    keys: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class PaintLayer:
    """``paint(reader, painter, clip_rect)`` draws on one reader's viewport; returns what it
    drew (tests read it).  A negative ``z`` paints under the code highlights and the text (the
    alignment's frames, the word diff's marks), ``z >= 0`` over the text; within each, ascending
    ``z``.  ``active(reader)`` says whether the layer has anything to draw on that reader (no
    painter is made otherwise: most repaints have no overlay)."""
    feature: str
    name: str
    paint: Callable[[Any, Any, Any], Any]
    z: int = 50
    active: Callable[[Any], bool] = lambda _reader: True


@dataclass
class DockEntry:
    feature: str
    name: str                 # object name, also the key of remembered layouts
    dock: Any                 # QDockWidget
    action: Any = None        # its View-menu toggle (QAction), if any
    visible_by_default: bool = False
    reading: bool = False     # stays visible in reading mode


@dataclass
class FeatureRegistry:
    _objects: dict[type, Any] = field(default_factory=dict)
    _keys: list[tuple[int, int, KeyHandler]] = field(default_factory=list)
    _layers: list[PaintLayer] = field(default_factory=list)
    _docks: dict[str, DockEntry] = field(default_factory=dict)
    _serial: int = 0

    # -- objects ---------------------------------------------------------------------------
    def add(self, obj: T) -> T:
        kind = type(obj)
        if kind in self._objects:
            raise RegistryError(f"a {kind.__name__} is already installed")
        self._objects[kind] = obj
        return obj

    def get(self, kind: type[T]) -> T:
        found = self.find(kind)
        if found is None:
            raise KeyError(f"feature {kind.__name__} is not installed")
        return found

    def find(self, kind: type[T]) -> Optional[T]:
        obj = self._objects.get(kind)
        if obj is None:                    # a subclass registered under its own type
            obj = next((o for k, o in self._objects.items() if issubclass(k, kind)), None)
        return obj

    # -- keys ------------------------------------------------------------------------------
    def add_keys(self, handler: KeyHandler) -> KeyHandler:
        for prio, _n, other in self._keys:
            shared = set(handler.keys) & set(other.keys)
            if prio == handler.priority and shared:
                raise RegistryError(
                    f"{handler.feature} and {other.feature} both claim {sorted(shared)} at "
                    f"priority {prio}")
        self._serial += 1
        self._keys.append((handler.priority, self._serial, handler))
        self._keys.sort(key=lambda t: (-t[0], t[1]))
        return handler

    def key_handlers(self) -> list[KeyHandler]:
        return [h for _p, _n, h in self._keys]

    def dispatch_key(self, column, key: str) -> bool:
        """Offer a key press to the handlers, highest priority first; True once one took it."""
        for handler in self.key_handlers():
            if handler.handle(column, key):
                return True
        return False

    # -- paint layers ----------------------------------------------------------------------
    def add_paint_layer(self, layer: PaintLayer) -> PaintLayer:
        if any(l.name == layer.name for l in self._layers):
            raise RegistryError(f"paint layer {layer.name!r} is already registered")
        self._layers.append(layer)
        self._layers.sort(key=lambda l: l.z)
        return layer

    def paint_layers(self) -> list[PaintLayer]:
        return list(self._layers)

    # -- docks -----------------------------------------------------------------------------
    def add_dock(self, entry: DockEntry) -> DockEntry:
        if entry.name in self._docks:
            raise RegistryError(f"dock {entry.name!r} is already registered")
        self._docks[entry.name] = entry
        return entry

    def dock(self, name: str) -> DockEntry:
        return self._docks[name]

    def docks(self) -> Iterable[DockEntry]:
        return list(self._docks.values())
