"""Modal dialogs: import, export, coder choice, backups."""
