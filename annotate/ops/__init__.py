"""Operations on a project: use cases that read a project, call the analysis and write the
result through ``framelens.store`` (import, exchange formats, datasets, comparison, the demo,
alignment of a story, suggestion passes) and the helper process that runs the models
(``suggest_worker``).  The command line (``framelens.annotate.cli``) and the window call these."""
