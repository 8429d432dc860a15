"""Folding of names and texts: spellings of one name meet, different names stay apart."""

import pytest

from core.text import fold_with_offsets, normalize, skeleton, transliterate, words

SAME_NAME = {
    "Lukashenka": ["Lukashenka", "Lukashenko", "Łukašenka", "Лукашэнка", "Лукашенко", "LUKASHENKA"],
    "Tsikhanouskaya": [
        "Tsikhanouskaya",
        "Tikhanovskaya",
        "Tsikhanovskaya",
        "Cichanoŭskaja",
        "Ціханоўская",
        "Тихановская",
    ],
    "Tsikhanouski": ["Tsikhanouski", "Tikhanovsky", "Tikhanovskiy", "Cichanoŭski", "Ціханоўскі"],
    "Zelenskyy": ["Zelenskyy", "Zelensky", "Zelenskiy", "Zelenskyi", "Зеленський", "Зеленский"],
    "Vilnius": ["Vilnius", "Вільнюс", "Вильнюс"],
    "Belarus": ["Belarus", "Беларусь", "Belarus'", "Belarus’"],
    "Siarhei": ["Siarhei", "Syarhey", "Siarhiej"],
    "Sviatlana": ["Sviatlana", "Святлана", "Svyatlana"],
}


@pytest.mark.parametrize("name", SAME_NAME)
def test_spellings_of_one_name_fold_to_one_key(name):
    """Latin, Łacinka and Cyrillic spellings of a name share a key."""
    keys = {normalize(spelling) for spelling in SAME_NAME[name]}
    assert keys == {normalize(name)}


@pytest.mark.parametrize(
    ("she", "he"),
    [
        ("Tsikhanouskaya", "Tsikhanouski"),
        ("Tikhanovskaya", "Tikhanovsky"),
        ("Ціханоўская", "Ціханоўскі"),
        ("Cichanoŭskaja", "Cichanoŭski"),
        ("Zelenska", "Zelensky"),
    ],
)
def test_gendered_surname_forms_stay_distinct(she, he):
    """A wife's and a husband's forms of one surname never fold together."""
    assert normalize(she) != normalize(he)


@pytest.mark.parametrize(
    ("demonym", "place"),
    [("Belarusians", "Belarus"), ("Russian", "Russia"), ("Lithuanian", "Lithuania")],
)
def test_demonyms_keep_their_own_key(demonym, place):
    assert normalize(demonym) != normalize(place)


def test_transliteration_follows_the_english_press_convention():
    assert transliterate("Ціханоўская") == "tsikhanouskaya"
    assert transliterate("Тихановская") == "tikhanovskaya"
    assert transliterate("Лукашэнка") == "lukashenka"
    assert transliterate("Łukašenka") == "lukashenka"


def test_lacinka_reads_c_and_ch_as_ts_and_kh_only_in_slavic_latin_words():
    """c and ch are ts and kh in a word with a Łacinka letter, as in English otherwise."""
    assert transliterate("Cichanoŭskaja") == "tsikhanouskaja"
    assert transliterate("Charlemagne") == "charlemagne"
    assert transliterate("Copenhagen") == "copenhagen"


def test_g_is_h_in_belarusian_and_ukrainian_words_only():
    assert transliterate("Сяргей") == "syargey"  # no Belarusian-only letter: read as g
    assert transliterate("Гомельскі") == "homelski"  # і marks it Belarusian
    assert transliterate("Сергей") == "sergey"


def test_skeleton_rules():
    assert skeleton("zelenskyy") == skeleton("zelenskiy") == "zelenski"
    assert skeleton("tsikhanouskaya") == skeleton("tikhanovskaya") == "tihanouska"
    assert skeleton("tsikhanouski") == skeleton("tikhanovsky") == "tihanouski"
    assert skeleton("lukashenka") == skeleton("lukashenko") == "lukashenko"
    assert skeleton("dzmitry") == skeleton("dmitry")
    assert skeleton("x") == "x"  # a lone letter keeps its identity


def test_case_diacritics_and_apostrophes_fold_away():
    assert normalize("ŠIMONYTĖ") == normalize("šimonytė")
    assert normalize("O’Brien") == normalize("O'Brien") == normalize("Oʼbrien")
    assert normalize("Łukas\u030cenka") == normalize("Łukašenka")  # decomposed input


def test_hyphens_and_dashes_separate_words():
    assert words("Polish-Lithuanian–Belarusian") == ["Polish", "Lithuanian", "Belarusian"]
    assert normalize("Polish-Lithuanian") == normalize("Polish Lithuanian")


def test_possessive_s_is_not_part_of_the_word():
    assert words("Zelenskyy's and Zelenskyy’s team") == ["Zelenskyy", "and", "Zelenskyy", "team"]
    assert words("O'Sullivan") == ["O'Sullivan"]


def test_normalize_never_returns_an_empty_key_for_a_non_empty_name():
    assert normalize("...") == "..."
    assert normalize("") == ""


def test_folded_text_separates_words_across_punctuation():
    """Spaces and hyphens join words of one name; other punctuation is a hard break."""
    folded = fold_with_offsets("Vilnius, Lithuania; Polish-Lithuanian (X) — Minsk\nMinsk")
    assert folded.folded == " vilnius | lithuania | polish lithuanian | x | | minsk | minsk "


def test_folded_offsets_map_back_to_original_words():
    text = "On 25 January, Łukašenka’s men met Ціханоўская in Vilnius—Lithuania."
    folded = fold_with_offsets(text)
    for key, original in [
        ("lukashenko", "Łukašenka"),
        ("tihanouska", "Ціханоўская"),
        ("lithuania", "Lithuania"),
    ]:
        key_start = folded.folded.index(f" {key} ") + 1
        key_end = key_start + len(key)
        assert folded.words_ending_at(key_end, 1) == (
            text.index(original),
            text.index(original) + len(original),
        )
        start, end = folded.original_span(key_start, key_end)
        assert text[start:end] == original


def test_words_ending_at_spans_several_chunks():
    text = "met  Sviatlana   Tsikhanouskaya-Lukashenka today"
    folded = fold_with_offsets(text)
    key_end = folded.folded.index(" lukashenko ") + len(" lukashenko")
    start, end = folded.words_ending_at(key_end, 3)
    assert text[start:end] == "Sviatlana   Tsikhanouskaya-Lukashenka"


def test_original_offset_at_the_ends():
    text = "  Vilnius "
    folded = fold_with_offsets(text)
    assert folded.original_offset(0) == 0
    assert folded.original_offset(len(folded.folded)) == len(text)
