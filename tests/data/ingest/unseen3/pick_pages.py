"""Select and trim batch 3 of the unseen pages from trafilatura's evaluation set (issue 14).

Rule, written before any page's content was read (only URLs and file names were looked at):
an entry of adbar/trafilatura ``tests/evaldata.json`` is taken when its URL's host (``www.``
removed) is in NEWS below (general news outlets: newspapers, broadcasters, news agencies,
news sites; magazines, blogs, party, ministry and company sites left out), its file is not
already in tests/data/ingest/real or unseen, its file is in the snapshot's tests/eval/, and the page's declared language (``<html
lang>``, else ``content-language`` meta, else the TLD in TLD_LANG) is not English.  Pages
are then taken in sorted file-name order, at most PER_LANGUAGE per language (the set is
mostly German), at most CAP in all.  Expectations are trafilatura's own ``with`` and
``without`` snippets, copied verbatim.

Trimming (as for batch 1 and 2): <script> other than JSON-LD, <style>, <svg>, <noscript>
elements and non-conditional HTML comments removed, trailing spaces and blank lines removed,
bytes otherwise untouched (no decoding).

    python tests/data/ingest/unseen3/pick_pages.py /path/to/trafilatura.git
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
CAP = 40
PER_LANGUAGE = 8
NEWS = set("""
badische-zeitung.de deutschlandfunk.de express.de faz.net focus.de fr.de freitag.de
handelsblatt.com hessenschau.de mdr.de mopo.de mz-web.de ndr.de neues-deutschland.de nzz.ch
rnz.de rundschau-online.de spiegel.de stern.de sueddeutsche.de swr.de tagblatt.ch
tagesanzeiger.ch tagesschau.de tagesspiegel.de taz.de tdg.ch watson.ch welt.de www1.wdr.de
zdf.de zeit.de nachrichten.at wien.orf.at volksblatt.at
24horas.cl ambito.com biobiochile.cl clarin.com cooperativa.cl elcolombiano.com elcomercio.pe
eldeber.com.bo elespectador.com elmostrador.cl elnacional.com elnuevodia.com elpais.com
elpais.com.uy eltiempo.com eluniversal.com hoy.com.py infobae.com lacuarta.com ladiaria.com.uy
lanacion.com.ar larepublica.pe latercera.com libero.pe losandes.com.ar lostiempos.com
pagina12.com.ar paginasiete.bo publimetro.cl trome.pe ultimahora.com ultimasnoticias.com.ve
minuto30.com
brasil247.com campograndenews.com.br correio24horas.com.br correiobraziliense.com.br
gazetadopovo.com.br
ledevoir.com lopinion.fr franceculture.fr lapresse.tn francais.radio.cz
dorzeczy.pl forsal.pl polityka.pl rp.pl wiadomosci.dziennik.pl wiadomosci.gazeta.pl
wpolityce.pl radiomaryja.pl
lastampa.it yle.fi uusisuomi.fi assabah.com.tn xinhuanet.com banyuetan.org www3.nhk.or.jp
world.kbs.co.kr football.ua
""".split())
TLD_LANG = {"de": "de", "at": "de", "ch": "de", "cl": "es", "pe": "es", "bo": "es", "uy": "es",
            "ar": "es", "py": "es", "ve": "es", "br": "pt", "fr": "fr", "pl": "pl", "it": "it",
            "fi": "fi", "tn": "ar", "cz": "fr", "ua": "ru", "jp": "ja", "kr": "ko"}
_LANG = re.compile(rb"<html[^>]*?\slang=[\"']?([A-Za-z]{2,3})", re.I)
_META = re.compile(rb"http-equiv=[\"']?content-language[\"']?\s+content=[\"']?([A-Za-z]{2})",
                   re.I)
_DROP = re.compile(
    rb"<script\b[^>]*>.*?</script\s*>|<style[^>]*>.*?</style\s*>"
    rb"|<svg[^>]*>.*?</svg\s*>|<noscript[^>]*>.*?</noscript\s*>"
    rb"|<!--(?!\[if|>|\s*\[if)(?!-?>).*?(?<!\[endif\])-->", re.I | re.S)


def language(raw: bytes, host: str) -> str:
    found = _LANG.search(raw[:20000]) or _META.search(raw[:20000])
    if found:
        return found.group(1).decode().lower()[:2]
    return TLD_LANG.get(host.rsplit(".", 1)[-1], "en")


def _drop(match: re.Match) -> bytes:
    """A whole element or comment goes, except a JSON-LD script: matching whole <script>
    elements (not only the non-JSON-LD ones) keeps a ``<script>`` written inside a JSON-LD
    string from being taken for an element and cutting the JSON-LD's end off."""
    piece = match.group()
    head = piece[:piece.find(b">") + 1]
    return piece if head[:7].lower() == b"<script" and b"ld+json" in head.lower() else b""


def trim(raw: bytes) -> bytes:
    raw = _DROP.sub(_drop, raw)
    lines = (line.rstrip() for line in raw.split(b"\n"))
    return b"\n".join(line for line in lines if line) + b"\n"


def main(git_dir: str) -> None:
    def show(path: str) -> bytes:
        return subprocess.run(["git", f"--git-dir={git_dir}", "show", f"HEAD:{path}"],
                              capture_output=True, check=True).stdout

    head = subprocess.run(["git", f"--git-dir={git_dir}", "rev-parse", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()
    data = json.loads(show("tests/evaldata.json"))
    held = set()
    for readme in ("real/README.md", "unseen/README.md"):
        held |= set(re.findall(r"tests/eval/([^\s|]+)", (HERE.parent / readme).read_text("utf-8")))
    pages, per_lang = {}, {}
    for url, entry in sorted(data.items(), key=lambda item: item[1]["file"]):
        host = urlparse(url).netloc.removeprefix("www.") if not urlparse(url).netloc.startswith(
            ("www1.", "www3.")) else urlparse(url).netloc
        if host not in NEWS or entry["file"] in held:
            continue
        try:
            raw = show(f"tests/eval/{entry['file']}")
        except subprocess.CalledProcessError:  # listed in evaldata.json, absent from the tree
            continue
        lang = language(raw, host)
        if lang == "en" or per_lang.get(lang, 0) >= PER_LANGUAGE or len(pages) >= CAP:
            continue
        per_lang[lang] = per_lang.get(lang, 0) + 1
        commit = subprocess.run(["git", f"--git-dir={git_dir}", "log", "-1", "--format=%H", "HEAD",
                                 "--", f"tests/eval/{entry['file']}"],
                                capture_output=True, text=True, check=True).stdout.strip()
        (HERE / entry["file"]).write_bytes(trim(raw))
        pages[entry["file"]] = {"url": url, "language": lang, "with": entry["with"],
                                "without": entry["without"], "source_commit": commit}
    header = {"source": "adbar/trafilatura tests/evaldata.json and tests/eval/",
              "snapshot_head": head, "licence": "Apache-2.0 (repository LICENSE)",
              "selection_rule": (__doc__ or "").split("\n\n")[1].replace("\n", " ")}
    (HERE / "expected.json").write_text(json.dumps({"header": header, "pages": pages},
                                                   ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(len(pages), per_lang)


if __name__ == "__main__":
    main(sys.argv[1])
