"""The project file's schema, as numbered migrations on ``PRAGMA user_version``.

Each entry of :data:`MIGRATIONS` moves a project from version ``n - 1`` to ``n``.  Migrations are
append-only: a released migration is never edited, a change is a new number.  ``store.project``
runs the missing ones in one transaction each, after writing a backup copy of the file.

Design choices written down here because the whole product rests on them:

* Article text is immutable (a trigger refuses any UPDATE of ``text`` / ``text_sha256``); a
  corrected text is a new article row whose ``supersedes_id`` names the old one.
* Span offsets are code points into ``articles.text``, end exclusive.  SQLite's ``substr`` and
  ``length`` count characters (code points) of TEXT values, so triggers can check that an
  annotation's ``quote`` equals ``text[start:end]`` and refuse anything else.
* ``actions`` + ``changes`` form an append-only log: every user action is one transaction that
  writes one ``actions`` row and one ``changes`` row per row it touched, with before/after images
  as JSON.  Undo and redo are new actions that apply the inverse; nothing is ever lost.
* ``articles.raw_text`` holds the capture as imported when it differs from ``text`` (page
  furniture removed, line ends normalised); NULL means the capture is identical to ``text``.
* Table and column names are plain words so the file is browsable with ``sqlite-utils`` and
  Datasette; the ``*_view`` views join ids to names.
"""

from __future__ import annotations

APPLICATION_ID = 0x464C4E53  # "FLNS": marks a SQLite file as a FrameLens project

MIGRATION_1 = r"""
CREATE TABLE outlets (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    country  TEXT CHECK (country IS NULL OR (length(country) = 2 AND country = upper(country))),
    language TEXT,
    url      TEXT,
    notes    TEXT
);

CREATE TABLE articles (
    id             INTEGER PRIMARY KEY,
    outlet_id      INTEGER REFERENCES outlets(id),
    title          TEXT,
    author         TEXT,
    published      TEXT CHECK (published IS NULL OR published GLOB '[0-9][0-9][0-9][0-9]*'),
    url            TEXT,
    language       TEXT,
    text           TEXT NOT NULL,
    n_chars        INTEGER NOT NULL,
    text_sha256    TEXT NOT NULL UNIQUE,
    raw_text       TEXT,
    removed_json   TEXT NOT NULL DEFAULT '[]',
    encoding       TEXT,
    import_source  TEXT,
    imported_at    TEXT NOT NULL,
    supersedes_id  INTEGER REFERENCES articles(id),
    meta_json      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX articles_outlet ON articles(outlet_id);
CREATE INDEX articles_published ON articles(published);

CREATE TRIGGER articles_text_immutable BEFORE UPDATE OF text, text_sha256, n_chars ON articles
WHEN NEW.text IS NOT OLD.text OR NEW.text_sha256 IS NOT OLD.text_sha256
     OR NEW.n_chars IS NOT OLD.n_chars
BEGIN
    SELECT RAISE(ABORT, 'article text is immutable: import the corrected text as a new version');
END;

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (NEW.id, NEW.title, NEW.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', OLD.id, OLD.title, OLD.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', OLD.id, OLD.title, OLD.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (NEW.id, NEW.title, NEW.text);
END;

CREATE TABLE stories (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT,
    event_date  TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE story_articles (
    story_id   INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (story_id, article_id)
);
CREATE INDEX story_articles_article ON story_articles(article_id);

CREATE TABLE codebooks (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    version     TEXT,
    description TEXT,
    citation    TEXT,
    applies_to  TEXT NOT NULL DEFAULT 'both' CHECK (applies_to IN ('span', 'article', 'both')),
    position    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE codes (
    id          INTEGER PRIMARY KEY,
    codebook_id INTEGER NOT NULL REFERENCES codebooks(id),
    parent_id   INTEGER REFERENCES codes(id),
    name        TEXT NOT NULL,
    number      INTEGER,
    description TEXT,
    color       TEXT NOT NULL DEFAULT '#888888' CHECK (color GLOB '#[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]'),
    shortcut    TEXT,
    position    INTEGER NOT NULL DEFAULT 0,
    merged_into INTEGER REFERENCES codes(id),
    UNIQUE (codebook_id, name)
);
CREATE INDEX codes_codebook ON codes(codebook_id);

CREATE TABLE questions (
    id          INTEGER PRIMARY KEY,
    codebook_id INTEGER NOT NULL REFERENCES codebooks(id),
    key         TEXT NOT NULL,
    text        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('yesno', 'choice', 'text')),
    choices_json TEXT NOT NULL DEFAULT '[]',
    code_id     INTEGER REFERENCES codes(id),
    help        TEXT,
    position    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (codebook_id, key)
);

CREATE TABLE coders (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE annotations (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL REFERENCES articles(id),
    start         INTEGER NOT NULL CHECK (start >= 0),
    "end"         INTEGER NOT NULL,
    code_id       INTEGER NOT NULL REFERENCES codes(id),
    coder_id      INTEGER NOT NULL REFERENCES coders(id),
    quote         TEXT NOT NULL,
    memo          TEXT,
    origin        TEXT NOT NULL DEFAULT 'manual',
    suggestion_id INTEGER REFERENCES suggestions(id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CHECK ("end" > start)
);
CREATE INDEX annotations_article ON annotations(article_id, coder_id);
CREATE INDEX annotations_code ON annotations(code_id);

CREATE TRIGGER annotations_check_insert BEFORE INSERT ON annotations BEGIN
    SELECT RAISE(ABORT, 'annotation offsets fall outside the article text')
    WHERE NEW."end" > (SELECT length(text) FROM articles WHERE id = NEW.article_id);
    SELECT RAISE(ABORT, 'annotation quote does not match the article text at its offsets')
    WHERE NEW.quote IS NOT (SELECT substr(text, NEW.start + 1, NEW."end" - NEW.start)
                            FROM articles WHERE id = NEW.article_id);
END;
CREATE TRIGGER annotations_check_update BEFORE UPDATE OF start, "end", quote, article_id ON annotations BEGIN
    SELECT RAISE(ABORT, 'annotation offsets fall outside the article text')
    WHERE NEW."end" > (SELECT length(text) FROM articles WHERE id = NEW.article_id);
    SELECT RAISE(ABORT, 'annotation quote does not match the article text at its offsets')
    WHERE NEW.quote IS NOT (SELECT substr(text, NEW.start + 1, NEW."end" - NEW.start)
                            FROM articles WHERE id = NEW.article_id);
END;

CREATE TABLE article_labels (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id),
    coder_id    INTEGER NOT NULL REFERENCES coders(id),
    code_id     INTEGER REFERENCES codes(id),
    question_id INTEGER REFERENCES questions(id),
    value       TEXT NOT NULL,
    memo        TEXT,
    origin      TEXT NOT NULL DEFAULT 'manual',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK ((code_id IS NULL) <> (question_id IS NULL))
);
CREATE UNIQUE INDEX article_labels_code ON article_labels(article_id, coder_id, code_id)
    WHERE code_id IS NOT NULL;
CREATE UNIQUE INDEX article_labels_question ON article_labels(article_id, coder_id, question_id)
    WHERE question_id IS NOT NULL;

CREATE TABLE article_memos (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    coder_id   INTEGER NOT NULL REFERENCES coders(id),
    memo       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (article_id, coder_id)
);

CREATE TABLE suggestions (
    id                INTEGER PRIMARY KEY,
    article_id        INTEGER NOT NULL REFERENCES articles(id),
    start             INTEGER NOT NULL CHECK (start >= 0),
    "end"             INTEGER NOT NULL,
    codebook          TEXT NOT NULL,
    label             TEXT NOT NULL,
    code_id           INTEGER REFERENCES codes(id),
    score             REAL NOT NULL DEFAULT 0,
    suggester         TEXT NOT NULL,
    suggester_version TEXT NOT NULL,
    rationale         TEXT,
    data_json         TEXT NOT NULL DEFAULT '{}',
    created_at        TEXT NOT NULL,
    CHECK ("end" > start),
    UNIQUE (article_id, start, "end", codebook, label, suggester, suggester_version)
);
CREATE INDEX suggestions_article ON suggestions(article_id);

CREATE TABLE suggestion_decisions (
    id            INTEGER PRIMARY KEY,
    suggestion_id INTEGER NOT NULL REFERENCES suggestions(id),
    coder_id      INTEGER NOT NULL REFERENCES coders(id),
    decision      TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected', 'skipped')),
    annotation_id INTEGER REFERENCES annotations(id) ON DELETE SET NULL,
    decided_at    TEXT NOT NULL
);
CREATE INDEX suggestion_decisions_suggestion ON suggestion_decisions(suggestion_id, coder_id);

CREATE TABLE actions (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    description TEXT,
    coder_id    INTEGER REFERENCES coders(id),
    undoes_id   INTEGER REFERENCES actions(id),
    created_at  TEXT NOT NULL
);

CREATE TABLE changes (
    id          INTEGER PRIMARY KEY,
    action_id   INTEGER NOT NULL REFERENCES actions(id),
    table_name  TEXT NOT NULL,
    row_id      INTEGER NOT NULL,
    op          TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX changes_action ON changes(action_id);

CREATE TRIGGER changes_append_only_update BEFORE UPDATE ON changes BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only');
END;
CREATE TRIGGER changes_append_only_delete BEFORE DELETE ON changes BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only');
END;
CREATE TRIGGER actions_append_only_delete BEFORE DELETE ON actions BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only');
END;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT
);

CREATE TABLE blobs (
    key        TEXT PRIMARY KEY,
    data       BLOB NOT NULL,
    meta_json  TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
);

CREATE VIEW articles_view AS
SELECT a.id, a.title, o.name AS outlet, o.country, a.published, a.language, a.author, a.url,
       a.n_chars, a.text_sha256, a.import_source, a.imported_at
FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id;

CREATE VIEW annotations_view AS
SELECT an.id, an.article_id, a.title AS article_title, o.name AS outlet, o.country,
       a.published, cb.name AS codebook, c.name AS code, cd.name AS coder,
       an.start, an."end", an.quote, an.memo, an.origin, an.suggestion_id,
       an.created_at, an.updated_at
FROM annotations an
JOIN articles a ON a.id = an.article_id
LEFT JOIN outlets o ON o.id = a.outlet_id
JOIN codes c ON c.id = an.code_id
JOIN codebooks cb ON cb.id = c.codebook_id
JOIN coders cd ON cd.id = an.coder_id;

CREATE VIEW article_labels_view AS
SELECT l.id, l.article_id, a.title AS article_title, o.name AS outlet, o.country,
       cb.name AS codebook, c.name AS code, q.key AS question, l.value, cd.name AS coder,
       l.memo, l.origin, l.updated_at
FROM article_labels l
JOIN articles a ON a.id = l.article_id
LEFT JOIN outlets o ON o.id = a.outlet_id
LEFT JOIN codes c ON c.id = l.code_id
LEFT JOIN questions q ON q.id = l.question_id
JOIN codebooks cb ON cb.id = coalesce(c.codebook_id, q.codebook_id)
JOIN coders cd ON cd.id = l.coder_id;

CREATE VIEW story_articles_view AS
SELECT s.name AS story, sa.position, a.id AS article_id, a.title, o.name AS outlet, o.country,
       a.published
FROM story_articles sa
JOIN stories s ON s.id = sa.story_id
JOIN articles a ON a.id = sa.article_id
LEFT JOIN outlets o ON o.id = a.outlet_id;
"""

#: Version 2: covering indexes for the comparison dashboard (``store.stats``).  The span-coverage
#: pass reads article, coder, code, start and end of every annotation in that order from the index
#: alone (never the rows, which carry the quotes), and the per-outlet article totals read outlet and
#: length from the index alone (never the rows, which carry the texts).  Each new index extends an
#: old one by trailing columns, so the old one is dropped: the number of indexes is unchanged.
MIGRATION_2 = r"""
CREATE INDEX annotations_coverage ON annotations(article_id, coder_id, code_id, start, "end");
DROP INDEX annotations_article;
CREATE INDEX articles_outlet_chars ON articles(outlet_id, n_chars);
DROP INDEX articles_outlet;
"""

#: Characters of the scripts written without spaces between words: kana, CJK ideographs (with
#: Extension A, compatibility ideographs and the supplementary planes' Extensions B-F) and Hangul
#: syllables - as a GLOB / regex character class.  Migration 3 is written with it: never change it
#: (a change needs a new migration).
CJK_CLASS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fffd"
CJK_GLOB = "*[" + CJK_CLASS + "]*"

#: Version 3: search in Chinese, Japanese and Korean text.  unicode61 (articles_fts) makes a whole
#: run of such characters one token, so no word inside a sentence could be found.  Articles whose
#: text has such characters (``has_cjk``, set by ``store.add_articles`` from the text, which never
#: changes) are also indexed by trigrams (``articles_cjk``), which finds any substring of 3
#: characters or more; ``store.search`` finds shorter ones by a scan.  A flag rather than a GLOB
#: in the triggers: GLOB over every English text made imports 1.7x slower.
MIGRATION_3 = f"""
ALTER TABLE articles ADD COLUMN has_cjk INTEGER NOT NULL DEFAULT 0;
UPDATE articles SET has_cjk = 1 WHERE text GLOB '{CJK_GLOB}';
CREATE VIRTUAL TABLE articles_cjk USING fts5(
    title, text, content='articles', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER articles_cjk_insert AFTER INSERT ON articles WHEN NEW.has_cjk BEGIN
    INSERT INTO articles_cjk(rowid, title, text) VALUES (NEW.id, NEW.title, NEW.text);
END;
CREATE TRIGGER articles_cjk_delete AFTER DELETE ON articles WHEN OLD.has_cjk BEGIN
    INSERT INTO articles_cjk(articles_cjk, rowid, title, text)
    VALUES ('delete', OLD.id, OLD.title, OLD.text);
END;
CREATE TRIGGER articles_cjk_update AFTER UPDATE OF title, has_cjk ON articles BEGIN
    INSERT INTO articles_cjk(articles_cjk, rowid, title, text)
    SELECT 'delete', OLD.id, OLD.title, OLD.text WHERE OLD.has_cjk;
    INSERT INTO articles_cjk(rowid, title, text) SELECT NEW.id, NEW.title, NEW.text WHERE NEW.has_cjk;
END;
INSERT INTO articles_cjk(rowid, title, text) SELECT id, title, text FROM articles WHERE has_cjk;
"""

#: Version 4: sentence embeddings for semantic, cross-lingual alignment.  Keyed by the article
#: text's SHA-256 (texts are immutable, so a key never goes stale and two imports of one text
#: share their vectors), the sentence's code-point span and the model with its version (another
#: model or version is another key: nothing is ever silently mixed).  Vectors are float32 bytes,
#: L2-normalised.  A derived cache, not analyst work: written outside the action log.
MIGRATION_4 = r"""
CREATE TABLE sentence_embeddings (
    model       TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    start       INTEGER NOT NULL CHECK (start >= 0),
    "end"       INTEGER NOT NULL CHECK ("end" > start),
    dim         INTEGER NOT NULL CHECK (dim > 0),
    vector      BLOB NOT NULL CHECK (length(vector) = 4 * dim),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (model, text_sha256, start, "end")
) WITHOUT ROWID;
"""

#: Version 5: memos.  ``memos`` holds the analyst's written notes that are not about one span:
#: project memos (``code_id`` NULL) and code memos (``code_id`` set; a code may have several, as a
#: REFI-QDA code may carry several notes).  Each has a title (may be empty), its text, the coder
#: who wrote it (``created_by``; NULL only for notes imported without an author) and when it was
#: written and last changed (kept from an imported file, so a round trip gives the same dates).
#: Notes about other things already have a home and stay there, so nothing lives in two places:
#: a note on one article is a coder's ``article_memos`` row, a note on one coded span is
#: ``annotations.memo``.  Memos are analyst work: written through actions, logged and undoable.
MIGRATION_5 = r"""
CREATE TABLE memos (
    id         INTEGER PRIMARY KEY,
    code_id    INTEGER REFERENCES codes(id),
    title      TEXT NOT NULL DEFAULT '',
    text       TEXT NOT NULL,
    created_by INTEGER REFERENCES coders(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX memos_code ON memos(code_id);
"""

#: version n is reached by running MIGRATIONS[n - 1]
MIGRATIONS: list[str] = [MIGRATION_1, MIGRATION_2, MIGRATION_3, MIGRATION_4, MIGRATION_5]

LATEST_VERSION = len(MIGRATIONS)
