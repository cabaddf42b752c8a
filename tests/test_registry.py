"""The feature registry (desktop/shell/registry.py): typed lookup, key dispatch by priority
whatever the install order, clash refusal, paint layers by z, docks by name."""

import pytest

from framelens.desktop.shell.registry import (DockEntry, FeatureRegistry, KeyHandler, PaintLayer,
                                              RegistryError)


class Review:
    pass


class Retrieval:
    pass


def test_objects_are_found_by_type():
    reg = FeatureRegistry()
    panel = reg.add(Review())
    assert reg.get(Review) is panel
    assert reg.find(Retrieval) is None
    with pytest.raises(KeyError, match="Retrieval"):
        reg.get(Retrieval)
    with pytest.raises(RegistryError):
        reg.add(Review())


@pytest.mark.parametrize("order", [("low", "high"), ("high", "low")])
def test_the_highest_priority_handler_wins_whatever_the_install_order(order):
    reg, seen = FeatureRegistry(), []
    handlers = {
        "high": KeyHandler("review", lambda c, k: seen.append(("review", k)) or k == "a", 100, ("a",)),
        "low": KeyHandler("coding", lambda c, k: seen.append(("coding", k)) or True, 0),
    }
    for name in order:
        reg.add_keys(handlers[name])
    assert reg.dispatch_key(None, "a") is True
    assert seen == [("review", "a")]
    seen.clear()
    assert reg.dispatch_key(None, "b") is True
    assert seen == [("review", "b"), ("coding", "b")]


def test_two_features_claiming_one_key_at_one_priority_are_refused():
    reg = FeatureRegistry()
    reg.add_keys(KeyHandler("review", lambda c, k: True, 100, ("a", "r")))
    with pytest.raises(RegistryError, match="'r'"):
        reg.add_keys(KeyHandler("retrieval", lambda c, k: True, 100, ("r",)))
    reg.add_keys(KeyHandler("retrieval", lambda c, k: True, 90, ("r",)))   # another priority: fine
    assert [h.feature for h in reg.key_handlers()] == ["review", "retrieval"]


def test_nothing_handles_a_key_without_handlers():
    assert FeatureRegistry().dispatch_key(None, "x") is False


def test_paint_layers_come_in_z_order_and_docks_by_name():
    reg = FeatureRegistry()
    reg.add_paint_layer(PaintLayer("review", "suggestions", lambda *a: None, z=60))
    reg.add_paint_layer(PaintLayer("alignment", "omissions", lambda *a: None, z=10))
    assert [l.name for l in reg.paint_layers()] == ["omissions", "suggestions"]
    with pytest.raises(RegistryError):
        reg.add_paint_layer(PaintLayer("x", "omissions", lambda *a: None))
    entry = reg.add_dock(DockEntry("review", "reviewDock", dock=object()))
    assert reg.dock("reviewDock") is entry and list(reg.docks()) == [entry]
