"""FrameLens project file: schema, migrations and the operations that read and change it.

Plain data layer over SQLite (sqlite-utils, WAL, foreign keys, FTS5): no Qt, no spaCy.  Every
mutating function runs as one user action (one transaction, logged in ``actions``/``changes``)
and returns :class:`Changes`; :func:`undo` reverses any logged action as a new action.
"""

from .adjudication import (
    AdjudicationStatus, KeptNone, adjudicate_label, adjudicate_span, adjudication_status,
    kept_none, reject_in_adjudication,
)
from .annotations import (
    Annotation, ArticleLabel, add_annotation, delete_annotation, get_annotation,
    get_article_memo, list_annotations, list_article_labels, set_article_label,
    set_article_memo, update_annotation,
)
from .articles import (
    INSERT_CHUNK, AddResult, Article, ArticleSummary, Outlet, SearchHit, add_article, add_articles,
    count_articles, ensure_outlet, find_by_hash, get_article, get_outlet, get_text, list_articles,
    list_outlets, plain_query, search, text_sha256, update_article_metadata, uses_fts_syntax,
)
from .bulk import ANNOTATION_ROW, ArticleText, iter_annotation_rows, list_article_texts
from .blobs import Blob, delete_blob, get_blob, put_blob
from .codebooks import (
    Code, CodeCount, Codebook, Question, add_code, code_counts, code_tree, ensure_codebook, find_code, get_code,
    get_codebook, get_question, list_codebooks, list_codes, list_questions, load_codebook,
    merge_codes, update_code,
)
from .coders import ADJUDICATED, Coder, ensure_coder, find_coder, get_coder, list_coders
from .errors import (
    ConflictError, NewerVersionError, NotAProjectError, ProjectError, ReadOnlyError,
    SearchQueryError, ValidationError,
)
from .history import HistoryStep, NOT_UNDOABLE, next_redo, next_undo, redo_last, undo_last
from .memos import (
    Memo, add_memo, code_memo, delete_memo, get_memo, list_memos, set_code_memo, update_memo,
)
from .project import (
    PROJECT_SUFFIX, Changes, Project, backup_copy, create_project, integrity_check,
    is_open_project_file, now, open_project, undo,
)
from .retrieval import Segment, SegmentQuery, find_segments
from .stats import (
    EVIDENCE_COLUMNS, Coverage, article_totals, choice_counts, coded_evidence, coded_spans,
    label_evidence, outlet_lookup, outlet_names, span_coverage, span_evidence, suggestion_counts,
    suggester_versions, suggestion_evidence, yesno_scores,
)
from .stories import (
    Story, add_to_story, create_story, ensure_story, get_story, list_stories,
    remove_from_story, story_article_ids,
)
from .suggestions import (
    Suggestion, accept_suggestion, accept_suggestions, add_suggestions, decide_suggestion, decisions,
    get_suggestion, has_suggestions, open_suggestions,
)

__all__ = [name for name in dir() if not name.startswith("_")]
