"""The application shell: the QApplication, the main window, the session (the one place that
performs operations and announces what changed), background tasks and the helper process,
docks, the feature registry and project-level actions."""
