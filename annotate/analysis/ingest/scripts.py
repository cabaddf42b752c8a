"""Writing-system statistics of a text: how coherent it looks, and which language it is likely in.

Both are cheap heuristics over a sample of the text, used (1) to choose between candidate
decodings of a legacy-encoded file and (2) to fill ``Document.language`` when a file does not
say.  Neither needs a model or the network.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

SAMPLE_CHARS = 20_000            # characters looked at to score a decoding
LANGUAGE_SAMPLE_CHARS = 3_000    # characters looked at to guess a language

LATIN, LATIN_EXT, CYRILLIC, GREEK, HAN, KANA, HANGUL = (
    "latin", "latin_ext", "cyrillic", "greek", "han", "kana", "hangul")
ARABIC, HEBREW, THAI, OTHER = "arabic", "hebrew", "thai", "other"

# The most frequent Han characters of modern Chinese (simplified and traditional) and Japanese
# news text.  Real text draws a large share of its Han characters from this set; a wrong
# multi-byte decoding produces mostly rare characters.
COMMON_HAN = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
    "过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两"
    "体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线"
    "内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并"
    "提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见"
    "计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七"
    "海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场"
    "身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广"
    "石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办"
    "青省列习响约支般史感劳便团往历市克何除消构府称太准精值号率族维划选标写存候亲快效斯院查江型眼"
    "王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞会谈俄罗朝鲜岛"
    "领域署防务相官首席方面问题经济合作双边关系安全国际地区会议表示认为指出举行访问领导总统总理外"
    "國會這說們來為對時與於個學過後開發關長內區員經濟當實現將無從應問題還機動點議進選戰軍話領導聯"
    "島臺灣協議務則據稱總統邊歷義構際體覽獲條約權認識場東視觀談韓國"
    "日本人国年大中会出首相外務省防衛閣僚協議東京北方領土島両国関係経済協力安全保障米露朝鮮核開発"
    "政府問題記者発表首脳会談方針確認意見交換懸念表明今回予定来月共同活動具体化専門家指摘一歩象徴"
    "的改善示再開地域展開批判配備含千列軍向急致氏述語語続強調必要重要可能性提案合意署名訪問来日"
)

# Frequent Hangul syllables of Korean text (same purpose as COMMON_HAN).
COMMON_HANGUL = frozenset(
    "이의다는에을하고를가서지로한기도리사자대어인일전정시우수있것들니되나보아국게요주해만부위장으로"
    "과와은적상관회담외교통령무부장관한국일본러시아중국미군안보협력발표밝혔다며고했습니다에서까지"
)

# Han text without kana: the character forms that tell Japanese from Chinese (issue 14 (d)).
# Written from the orthographies, not learned: Japanese shinjitai forms and kokuji (国字) that
# neither Simplified nor Traditional Chinese writes (円 駅 売 読 経 関 対 発 込 働 様 …), and
# Simplified (们 这 说 对 经 关 发 …) and Traditional (們 這 說 對 經 關 發 會 國 …) forms that
# modern Japanese does not write.  Checked against real text: no JAPANESE_ONLY_HAN character
# occurs in the WMT22 Chinese source and reference (3,912 lines) or in seven Taiwanese news
# pages, and no CHINESE_ONLY_HAN character in the WMT22 Japanese source and reference (4,045
# lines); the characters that did were struck from the lists (践 誉 随 翻 鎮… shared; 体 号
# 画 学 党 問 時 間 題… written by both).
JAPANESE_ONLY_HAN = frozenset(
    "円駅売読続経関対発県権気図実歳戦変労営価浜辺込働峠畑畠枠栃匂笹榊辻凪躾鰯糀籾麿凧"
    "様広黒転軽鉄銭桜沢駆験険検剣挙覚単巣獣悩脳猟増徳聴庁恵渋歩歯弾満斉済剤摂択訳釈"
    "蔵臓姫戻涙隠穏縄拡鉱粋砕雑衆暁焼亜悪圧囲栄塩応殴仮絵殻岳楽巻陥勧寛歓観帰犠拠"
    "渓蛍継鶏撃倹圏厳効斎桟賛児収従縦粛処奨証乗剰浄畳穣譲醸酔髄枢瀬"
    "繊禅荘捜挿騒遅痴鋳逓伝稲闘覇廃拝髪抜晩払仏舗穂豊黙薬揺謡頼覧竜両緑"
    "塁霊齢暦歴録弐絶産隣嬢専"
    "々"                        # the iteration mark: Japanese writes 各々, 人々; Chinese 各各
    "・")                       # the katakana middle dot (U+30FB): 390 in the WMT22 Japanese
                                # text, 0 in the Chinese and Taiwanese text (Chinese writes ·)
CHINESE_ONLY_HAN = frozenset(
    # Simplified
    "们这说对经关发时长问为个过还进动种样现实无开车东边门见间听话语让认议记论设许该谈请读"
    "谁调员产业亚书买卖华总战报岁乐习乡飞马鸟鱼龙头农军网给约级线组结统续络绝维综练"
    "从钱欢观变图击价应联处广黑举权气县验险检剑齐济剂杂证传团单戏据"
    "吗呢吧则试选队际陆运达远钟铁银错闻闭阳阴陈预领频题风饭馆"
    "贸资赛赵轮软输辆适邮释针钢铜锁阅陕难雾须顾颁额鲜鸡齿龄"
    # Traditional
    "們這說對經關發會國來樣實點邊聽讓讀產與亞賣總戰歲樂鄉續絕區臺灣當從學體"
    "號錢歡觀變圖擊價黨將應聯處廣黑隨舉權氣縣驗險檢劍齊濟劑雜證傳團單戲據擔斷畫麥嗎"
    "麼裡兩豐賽鐵釋鋼閱陝雞齒齡"
    "，")                       # the full-width comma: Chinese prose; Japanese writes 、
# Japanese also writes some characters the Simplified way (会 国 学 数 万 当 写 …, Traditional
# 會 國 學 數 萬 當 寫) and others the Traditional way (費 記 語 問 時 題 報 東 長 …, Simplified
# 费 记 语 问 时 题 报 东 长): a text holding both kinds is neither Simplified nor Traditional
# Chinese (年会費, 会員規約).  Checked like the lists above: no SIMPLIFIED_SHAPE character in the
# Taiwanese pages, no TRADITIONAL_SHAPE character in the WMT22 Chinese text.
SIMPLIFIED_SHAPE = frozenset("会国学号数万当党断担双礼乱来与旧区医欧声虫灯宝弥予余写辞湿状触寝尽"
                             "壮争装属滞胆昼点独届瓶没恋炉楼励参蚕残献径峡狭条")
TRADITIONAL_SHAPE = frozenset("費記語問時間題資報規約車種過進個為難飯適鮮頻遠軟輸針領鎖頒風輪銀預"
                              "顧額聞銅錯霧須郵館貿議論設許該談請誰調員書買華飛馬頭農軍給級線組"
                              "結統絡維練東開見話認無現動長習場勢韓機財務販計並際")
_SIMPLIFIED_SHAPE = re.compile("[" + "".join(sorted(SIMPLIFIED_SHAPE)) + "]")
_TRADITIONAL_SHAPE = re.compile("[" + "".join(sorted(TRADITIONAL_SHAPE)) + "]")
_JAPANESE_ONLY = re.compile("[" + "".join(sorted(JAPANESE_ONLY_HAN)) + "]")
_CHINESE_ONLY = re.compile("[" + "".join(sorted(CHINESE_ONLY_HAN)) + "]")


def han_language(text: str) -> str:
    """``"ja"`` or ``"zh"`` for Han text without kana (a kanji-only Japanese headline, menu
    line or caption; any Chinese text): Japanese when it holds more Japanese-only character
    forms (:data:`JAPANESE_ONLY_HAN`) than Chinese-only ones (:data:`CHINESE_ONLY_HAN`), else
    Chinese; a text mixing characters Japanese shares with Simplified Chinese
    (:data:`SIMPLIFIED_SHAPE`) with characters it shares with Traditional Chinese
    (:data:`TRADITIONAL_SHAPE`) counts as Japanese evidence too (the smaller of the two counts).
    Text with no telling form (北方領土問題, 習近平, 外国人) stays Chinese, as before: the
    writing systems share those strings.
    """
    japanese = len(_JAPANESE_ONLY.findall(text))
    simplified = _SIMPLIFIED_SHAPE.search(text)
    if simplified and _TRADITIONAL_SHAPE.search(text):
        japanese += min(len(_SIMPLIFIED_SHAPE.findall(text)),
                        len(_TRADITIONAL_SHAPE.findall(text)))
    if not japanese:
        return "zh"
    return "ja" if japanese > len(_CHINESE_ONLY.findall(text)) else "zh"


_OPEN_QUOTES = "“\"«„「『‘'‹"

_ENGLISH = frozenset(
    "the and of to in is that for on with as was by at from it are be has have said its an this "
    "which were not but will would their they he his also after".split())
_STOPWORDS = {
    "en": _ENGLISH,
    "fr": frozenset("le la les des du de et est une un que qui dans pour sur pas par au avec "
                    "ce il elle sont ont aux".split()),
    "de": frozenset("der die das und ist nicht ein eine zu den von mit sich des auf für im dem "
                    "auch es an wird".split()),
    "es": frozenset("el la los las de y que en un una por con para es del se al lo como su "
                    "más pero".split()),
    "it": frozenset("il la di e che un una per non con del della le dei gli è sono nel alla "
                    "anche".split()),
    "pt": frozenset("o a os as de e que em um uma do da no na para com não por se dos das "
                    "mais".split()),
    "nl": frozenset("de het een en van is dat op te in niet met voor zijn er aan ook als".split()),
    "pl": frozenset("i w na z się nie do że to jest o jak po dla przez od ale".split()),
}

#: stop word -> the languages (of ``_STOPWORDS``) it belongs to
_STOP_CODES: dict[str, tuple[str, ...]] = {}
for _code, _words in _STOPWORDS.items():
    for _word in _words:
        _STOP_CODES[_word] = (*_STOP_CODES.get(_word, ()), _code)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Letters of each script (the ranges mirror script_of), inclusive code point ranges.
_SCRIPT_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    LATIN: ((0x41, 0x5A), (0x61, 0x7A)),
    LATIN_EXT: ((0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x24F), (0x1E00, 0x1EFF)),
    CYRILLIC: ((0x400, 0x52F),),
    GREEK: ((0x370, 0x3FF),),
    HEBREW: ((0x5D0, 0x5EA),),
    ARABIC: ((0x620, 0x64A), (0x66E, 0x6D3)),
    THAI: ((0xE01, 0xE30), (0xE32, 0xE33), (0xE40, 0xE46)),
    KANA: ((0x3041, 0x3096), (0x30A1, 0x30FA), (0x31F0, 0x31FF)),
    HAN: ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)),
    HANGUL: ((0xAC00, 0xD7AF), (0x1100, 0x11FF), (0x3131, 0x318E)),
}
#: the same letters as one character class per script
_SCRIPT_PATTERNS = {
    script: re.compile("[" + "".join(f"\\U{a:08X}-\\U{b:08X}" for a, b in ranges) + "]")
    for script, ranges in _SCRIPT_RANGES.items()}
#: range edges for one sorted search: (start, end + 1) of every range in code point order, and
#: the script of each range (ranges never overlap)
_EDGES, _EDGE_SCRIPTS = (), ()
_ordered = sorted((a, b + 1, script) for script, ranges in _SCRIPT_RANGES.items()
                  for a, b in ranges)
if all(prev[1] <= nxt[0] for prev, nxt in zip(_ordered, _ordered[1:])):
    _EDGES = tuple(edge for a, end, _ in _ordered for edge in (a, end))
    _EDGE_SCRIPTS = tuple(script for _, _, script in _ordered)


def script_counts(sample: str) -> Counter:
    """Letters of each script (of ``_SCRIPT_RANGES``) in ``sample``, every script present as
    a key (0 when absent).

    One pass in numpy (code points located among the sorted range edges, then counted per
    range) instead of one regular-expression scan per script: the same counts, 6x faster on
    the 3,000-character samples :func:`guess_language` looks at.  Without numpy, or with
    overlapping ranges, the scans are used.
    """
    np = _numpy()
    if np is None or not _EDGES:
        return Counter({script: len(pattern.findall(sample))
                        for script, pattern in _SCRIPT_PATTERNS.items()})
    points = np.frombuffer(sample.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    where = np.searchsorted(np.asarray(_EDGES, dtype=np.uint32), points, side="right")
    per_range = np.bincount(where, minlength=len(_EDGES) + 1)[1::2]
    counts = Counter(dict.fromkeys(_SCRIPT_RANGES, 0))
    for script, count in zip(_EDGE_SCRIPTS, per_range.tolist()):
        counts[script] += count
    return counts


_NUMPY: list = []


def _numpy():
    """numpy (installed with py3langid), imported on first use; ``None`` without it."""
    if not _NUMPY:
        try:
            import numpy
        except ImportError:
            numpy = None
        _NUMPY.append(numpy)
    return _NUMPY[0]


def script_of(ch: str) -> str:
    """The writing system of one letter (one of the module's script constants)."""
    code = ord(ch)
    if code < 0x80:
        return LATIN
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
        return KANA
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return HAN
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return HANGUL
    if 0x0400 <= code <= 0x052F:
        return CYRILLIC
    if 0x0370 <= code <= 0x03FF:
        return GREEK
    if 0x0590 <= code <= 0x05FF:
        return HEBREW
    if 0x0600 <= code <= 0x06FF:
        return ARABIC
    if 0x0E00 <= code <= 0x0E7F:
        return THAI
    if 0x00C0 <= code <= 0x024F or 0x1E00 <= code <= 0x1EFF:
        return LATIN_EXT
    return OTHER


def _is_suspect(ch: str, category: str) -> bool:
    """Characters that real prose almost never contains but wrong decodings produce."""
    if category in ("Cc", "Co", "Cn", "Cs"):
        return ch not in "\t\n\r"
    code = ord(ch)
    return (ch == "\ufffd" or 0xFF61 <= code <= 0xFF9F      # replacement, half-width katakana
            or 0x2500 <= code <= 0x259F                     # box drawing and block elements
            or 0xE000 <= code <= 0xF8FF)


_ALPHABETS = frozenset({LATIN, LATIN_EXT, CYRILLIC, GREEK})


def _mixed(a: str, b: str) -> bool:
    """Two adjacent letters of different alphabets (Latin, Cyrillic, Greek) inside one word."""
    return a != b and a in _ALPHABETS and b in _ALPHABETS and {a, b} != {LATIN, LATIN_EXT}


def _profile(text: str) -> tuple[Counter, int, int, int, int]:
    """Script counts of letters, and counts of suspect characters, visible characters,
    oddities inside words (lowercase-to-uppercase flips, alphabet changes), and letter pairs
    inside words."""
    scripts: Counter = Counter()
    suspects = visible = flips = pairs = 0
    previous = previous_script = ""
    for ch in text[:SAMPLE_CHARS]:
        if ch.isspace():
            previous = ""
            continue
        visible += 1
        category = unicodedata.category(ch)
        if _is_suspect(ch, category):
            suspects += 1
        if category[0] == "L":
            script = script_of(ch)
            scripts[script] += 1
            if previous:
                pairs += 1
                if (category == "Lu" and previous.islower()) or _mixed(previous_script, script):
                    flips += 1
            previous, previous_script = ch, script
        else:
            previous = ""
    return scripts, suspects, visible, flips, pairs


def _share(count: int, total: int, expected: float) -> float:
    return min(1.0, count / (total * expected)) if total else 1.0


def _system_scores(text: str, scripts: Counter) -> dict[str, float]:
    """Share of letters belonging to each writing system, weighted by plausibility."""
    letters = sum(scripts.values())
    ascii_letters = scripts[LATIN]
    scores: dict[str, float] = {}
    latin_total = ascii_letters + scripts[LATIN_EXT]
    if latin_total:
        accented = scripts[LATIN_EXT] / latin_total
        scores["latin"] = latin_total / letters * (1.0 if accented <= 0.35 else 1.35 - accented)
    for name, script in (("cyrillic", CYRILLIC), ("greek", GREEK), ("arabic", ARABIC),
                         ("hebrew", HEBREW), ("thai", THAI)):
        if scripts[script]:
            scores[name] = (scripts[script] + ascii_letters) / letters
    han, kana, hangul = scripts[HAN], scripts[KANA], scripts[HANGUL]
    if han or kana or hangul:
        sample = text[:SAMPLE_CHARS]
        common_han = sum(1 for ch in sample if ch in COMMON_HAN)
        if han:
            scores["zh"] = (han + ascii_letters) / letters * _share(common_han, han, 0.3)
        if kana:
            scores["ja"] = ((han + kana + ascii_letters) / letters
                            * _share(common_han + kana, han + kana, 0.4))
        if hangul:
            common = sum(1 for ch in sample if ch in COMMON_HANGUL)
            scores["ko"] = (hangul + han + ascii_letters) / letters * _share(common, hangul, 0.25)
    return scores


def coherence(text: str) -> float:
    """How much ``text`` looks like real writing, from 0.0 (noise) to 1.0.

    The score is the share of letters belonging to the best-fitting writing system (Latin,
    Cyrillic, Greek, Chinese, Japanese, Korean, ...; ASCII letters fit every system), lowered
    for characters wrong decodings produce (controls, private-use, half-width katakana, box
    drawing, U+FFFD), for an unusual share of accented Latin letters, for uppercase letters
    inside lowercase words, and, for Chinese, Japanese and Korean, for a low share of frequent
    characters.  A text without letters scores by its suspect characters alone.
    """
    scripts, suspects, visible, flips, pairs = _profile(text)
    if not visible:
        return 1.0
    penalty = max(0.0, 1.0 - 4.0 * suspects / visible)
    if not scripts:
        return penalty
    best = max(_system_scores(text, scripts).values(), default=0.0)
    case_penalty = max(0.0, 1.0 - 5.0 * flips / pairs) if pairs else 1.0
    return max(0.0, best) * penalty * case_penalty


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or ``None`` when unsure.

    The writing system decides where it is unambiguous: kana means Japanese, Hangul Korean;
    Han without kana is Chinese unless its character forms say Japanese (:func:`han_language`:
    円 駅 売 経 関 込 様 … outnumber 们 这 說 國 … and the full-width comma); Greek, Hebrew,
    Arabic and Thai map directly.  Latin and Cyrillic
    text goes to the language identifier py3langid (:func:`identify`; chosen over
    lingua-language-detector by measurement, see ``docs/ingest.md``), on the first
    ``LANGUAGE_SAMPLE_CHARS`` characters - except Latin text whose stop words leave no doubt
    (:func:`_latin_language` at least 20 % of the words and 4x the runner-up), the bulk of
    English imports, which skips the model.  Only the first 3,000 characters are looked at.
    """
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    # Fast path, in C: text that is almost all ASCII (typographic quotes and dashes aside) is
    # Latin-script; only text with a real share of other characters is counted script by script.
    if len(sample) - len(sample.encode("ascii", "ignore")) <= 0.02 * len(sample):
        return _latin_language(sample)
    scripts = script_counts(sample)
    letters = sum(scripts.values())
    if not letters:
        return None
    if scripts[KANA] and scripts[KANA] >= 0.05 * letters:
        return "ja"
    if scripts[HANGUL] >= 0.3 * letters:
        return "ko"
    if scripts[HAN] >= 0.3 * letters:
        return han_language(sample)
    if scripts[CYRILLIC] >= 0.5 * letters:
        if plainly_russian(sample):
            return "ru"
        found = identify(sample)
        return found if found in _CYRILLIC_LANGUAGES else "ru"
    for script, code in ((GREEK, "el"), (HEBREW, "he"), (ARABIC, "ar"), (THAI, "th")):
        if scripts[script] >= 0.5 * letters:
            return code
    if scripts[LATIN] + scripts[LATIN_EXT] >= 0.5 * letters:
        return _latin_language(sample)
    return None


#: languages written in Cyrillic that py3langid knows
_CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "mn"})
#: Cyrillic letters outside the Russian alphabet (А-я, Ё, ё): Ukrainian і ї є ґ, Belarusian
#: і ў, Serbian and Macedonian ђ ј љ њ ћ џ ѓ ќ ѕ, Kazakh, Kyrgyz, Mongolian, Tatar, Bashkir,
#: Tajik, Uzbek… ә ғ қ ң ө ұ ү һ ҳ ҷ, and the historical and extended letters
_NOT_RUSSIAN_CYRILLIC = re.compile("[\u0400\u0402-\u040f\u0450\u0452-\u045f\u0460-\u052f]")

#: the Russian function words that make up about a fifth of running Russian text; none of
#: them is a word of Kyrgyz or Mongolian, whose loanwords (country names…) can be spelt with
#: the Russian alphabet alone
_RUSSIAN_FUNCTION_WORDS = frozenset(
    "и в во не на что с со по к ко о об от из за для это как а но же он она они его ее её их "
    "был была были было то так у до при после также который которые".split())
_RUSSIAN_WORD = re.compile("[а-яё]+")


def plainly_russian(text: str) -> bool:
    """True when the window py3langid would be shown (the first ``IDENTIFY_CHARS``
    characters) settles Russian among the Cyrillic languages by the alphabets alone, so
    :func:`guess_language` skips the identifier (issue 14: it was 0.4–0.6 s of every 10,000
    mixed articles, a third of identification): the window holds ``ы``, no Cyrillic letter
    outside the Russian alphabet, and reads as Russian prose (Russian function words at least
    15 % of its words, and at least 3).

    Why that is certain: of the Cyrillic languages py3langid knows (``_CYRILLIC_LANGUAGES``),
    Ukrainian, Bulgarian, Serbian and Macedonian do not write ``ы``; Belarusian, Kazakh,
    Kyrgyz and Mongolian do, but always beside their own letters (і ў; ә қ ұ і; ң ө ү; ө ү),
    and every other answer of the identifier is read as ``ru`` anyway.  Any other window
    (no ``ы``, or one such letter, e.g. a Ukrainian name in a Russian text) goes to the
    identifier as before.  The function words are there for lists of names: Kyrgyz and
    Mongolian country and language names (Babel's locale data) are often spelt with the
    Russian alphabet and ``ы`` alone, and without them the rule fired on 63 of 228 Kyrgyz and
    14 of 219 Mongolian 400-character windows of such names.  Checked: the same answers as the
    identifier on every text of the test corpora, and the rule fires on no window of the
    Babel names of 16 other Cyrillic languages (``tests/test_import_langid_shortcut.py``).
    Measured: 1,233 of the 1,500 identifier calls of ``bench_store``'s 10,000 mixed articles
    skipped, reading 3.58 s CPU against 4.06 s without it (medians of 7 interleaved runs).
    """
    window = text[:IDENTIFY_CHARS]
    if "ы" not in window and "Ы" not in window or _NOT_RUSSIAN_CYRILLIC.search(window):
        return False
    words = _RUSSIAN_WORD.findall(window.lower())
    return sum(map(_RUSSIAN_FUNCTION_WORDS.__contains__, words)) >= max(3.0, 0.15 * len(words))


#: characters given to the identifier: measured 100 % on the WMT22 news documents at 400
IDENTIFY_CHARS = 400
_IDENTIFIER = None


def identify(text: str) -> str | None:
    """py3langid's ISO 639-1 code for the first ``IDENTIFY_CHARS`` characters of ``text``
    (its 97-language model, loaded once per process on first use: 0.7 s, ~90 MB)."""
    global _IDENTIFIER
    sample = " ".join(text[:IDENTIFY_CHARS].split())
    if len(sample) < 3:
        return None
    if _IDENTIFIER is None:
        import py3langid.langid as langid

        langid.classify("")             # builds the module's shared identifier
        _IDENTIFIER = langid.IDENTIFIER
    return _IDENTIFIER.classify(sample)[0]


LATIN_SAMPLE_CHARS = 1200  # ~200 words: plenty for stop-word counts


def _latin_language(text: str) -> str | None:
    """Stop words when they leave no doubt, else the identifier (``None`` for fewer than 5
    words)."""
    words = _WORD.findall(text[:LATIN_SAMPLE_CHARS].lower())
    total = len(words)
    if total < 5:
        return None
    hits = dict.fromkeys(_STOPWORDS, 0)
    for word in filter(_STOP_CODES.__contains__, words):    # the stop words only
        for code in _STOP_CODES[word]:
            hits[code] += 1
    ranked = sorted(hits.items(), key=lambda item: item[1], reverse=True)
    (code, best), (_, second) = ranked[0], ranked[1]
    if best >= 0.2 * total and best >= 4 * max(1, second):
        return code
    return identify(text)


def starts_with_quote(line: str) -> bool:
    """True when the (stripped) line opens with a quotation mark, i.e. is quoted speech."""
    stripped = line.lstrip()
    return bool(stripped) and stripped[0] in _OPEN_QUOTES
