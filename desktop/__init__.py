"""FrameLens desktop application (PySide6): side-by-side reading and coding of news articles.

Entry point: :func:`desktop.app.run`.  Data access goes through :mod:`store` only.
"""
