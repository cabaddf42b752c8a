"""Small widgets and styling shared by every part of the window (theme, charts, inert labels)."""
