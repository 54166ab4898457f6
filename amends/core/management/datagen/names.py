"""Multilingual names with diacritics, and note text from a large vocabulary.

Surnames are built from parts of several languages (a root, a middle part and an ending)
so a million-case dataset has well over 500,000 distinct family names; Spanish and
Portuguese speakers often carry two surnames and English speakers sometimes a
hyphenated one, which multiplies the distinct values again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    given_women: tuple[str, ...]
    given_men: tuple[str, ...]
    roots: tuple[str, ...]
    middles: tuple[str, ...]
    endings: tuple[str, ...]
    double_surname: float = 0.0
    hyphenated: float = 0.0


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


LANGUAGES: tuple[Language, ...] = (
    Language(
        "en",
        _split(
            "Olivia Amelia Isla Ava Mia Grace Freya Lily Sophie Chloe Ellie Evie Poppy Ruby "
            "Hannah Megan Siobhan Bethany Zoë Chloë Renée Aoife Niamh Eilidh"
        ),
        _split(
            "Oliver George Harry Noah Jack Leo Arthur Oscar Charlie Jacob Thomas James "
            "William Henry Alfie Joshua Callum Rhys Owen Declan Seán Ciarán Eoghan"
        ),
        _split(
            "Ash Brad Brook Carl Clif Craw Dal Dun Fair Fitz Gold Ham Hart Hol Kings Lang "
            "Mar Mer North Pem Red Ross South Stan Stock Thorn Wake West Whit Wood"
        ),
        ("", "", "ing", "ber", "ford", "ley", "wick", "more", "field", "bourne"),
        _split("ton son ley worth ham by well shaw wood dale man er field ridge"),
        hyphenated=0.12,
    ),
    Language(
        "es",
        _split(
            "María Lucía Sofía Martina Paula Valeria Julia Jimena Inés Begoña Nuria Maite "
            "Ángela Mónica Raquel Pilar Leire Ainhoa Iciar Rocío"
        ),
        _split(
            "José Hugo Martín Lucas Mateo Álvaro Adrián Íñigo Sergio Jesús Andrés Rubén "
            "Óscar Raúl Ramón Joaquín Tomás Nicolás Germán Iván"
        ),
        _split(
            "Gar Fer Rodr Mart Sánch Pér Góm Jimén Muñ Álvar Romer Alons Gutiérr Navarr "
            "Torr Domíng Vázqu Ramír Ser Blanc Suár Molin Castr Ortíz Rubi Marín Sanz "
            "Iglesi Núñ Medin Garr Cort Castill Lozan Guerr Cano Prieto Méndez Calv"
        ),
        ("", "", "ab", "ed", "ill", "orr", "eg", "and", "aren", "ust"),
        _split("ez ía ano ero ado illo uela ón ares iña és ido era"),
        double_surname=0.7,
    ),
    Language(
        "pt",
        _split(
            "Ana Beatriz Leonor Matilde Inês Carolina Mariana Joana Conceição Graça "
            "Luísa Margarida Rafaela Letícia Júlia"
        ),
        _split(
            "João Tomás Rodrigo Gonçalo Duarte Afonso Lourenço Simão Vicente Martim "
            "António Sebastião Estêvão Luís Fábio"
        ),
        _split(
            "Silv Sant Ferr Pereir Oliveir Cost Rodrigu Martin Jes Sous Fernand Gonçalv "
            "Gom Lop Marqu Alv Almeid Ribeir Pint Carvalh Teixeir Mour Cardos Magalh"
        ),
        ("", "", "ã", "eir", "ald", "ot", "inh", "eç"),
        _split("a o es ão inho eira ães ós ares ante"),
        double_surname=0.6,
    ),
    Language(
        "pl",
        _split(
            "Zofia Zuzanna Julia Lena Maja Hanna Alicja Małgorzata Agnieszka Józefa "
            "Katarzyna Bożena Grażyna Jadwiga Łucja"
        ),
        _split(
            "Antoni Jan Jakub Szymon Franciszek Filip Mikołaj Wojciech Łukasz Paweł "
            "Grzegorz Przemysław Zbigniew Jędrzej Bartłomiej"
        ),
        _split(
            "Kowal Nowak Wiśniew Wójc Kamiń Lewand Zieliń Szymań Woźni Dąbrow Kozłow "
            "Jankow Mazur Krawcz Piotrow Grabow Pawłow Michal Król Wieczor Jabłoń "
            "Wróbl Majew Olszew Stęp Dudz Górs Rutk Sikor Walcz Baran Laskow"
        ),
        ("", "", "ic", "ał", "ęb", "ów", "ąt", "ysz"),
        _split("ski ska czyk ak ewicz iak ek owski owska ńska ński ała"),
    ),
    Language(
        "de",
        _split(
            "Sophie Marie Emilia Hannah Mia Lea Charlotte Jürgen Käthe Lösa Anneliese "
            "Greta Maëlle Ilse Brünhild"
        ),
        _split(
            "Maximilian Paul Lukas Felix Jonas Elias Noah Jürgen Günther Björn Jörg "
            "Matthäus Sören Tobias Florian"
        ),
        _split(
            "Müll Schmi Schneid Fisch Web Meyer Wagn Beck Schulz Hoffm Schäf Koch Bau "
            "Rich Klein Wolf Schröd Neum Schwarz Zimm Braun Krüg Hofm Hartm Lang Werner "
            "Krause Lehm Schmitt Köhl Fuchs Vogel Jäg"
        ),
        ("", "", "en", "el", "ing", "ach", "stein", "berg"),
        _split("er mann rich ner hardt ke ler horst feld bach"),
    ),
    Language(
        "fr",
        _split(
            "Léa Chloé Manon Inès Jade Louise Zoé Camille Élodie Anaïs Gaëlle Héloïse "
            "Océane Maëva Noémie"
        ),
        _split(
            "Gabriel Louis Raphaël Jules Adam Lucas Léo Hugo Arthur Nathan Théo "
            "Timothée Benoît François Jérôme"
        ),
        _split(
            "Mart Bern Dub Thom Rob Rich Pet Dur Lero Moreau Simon Laur Lefèbv Mich "
            "Garn Dav Bertr Roux Vinc Four Morel Gir André Merc Blanch Guér Boyer"
        ),
        ("", "", "el", "ard", "ois", "ier", "onn", "ec"),
        _split("in ier eau et on ard ot ault ès elle ère"),
    ),
    Language(
        "tr",
        _split(
            "Zeynep Elif Ayşe Fatma Emine Hülya Gülşen Şule Özge Çiğdem Büşra Gökçe "
            "Işıl Sevgül Nazlı"
        ),
        _split(
            "Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim İsmail Ömer Yusuf Çağrı "
            "Gökhan Barış Oğuz Şükrü"
        ),
        _split(
            "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan "
            "Doğan Kılıç Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Korkmaz Erdoğ"
        ),
        ("", "", "oğ", "ay", "gül", "han", "er"),
        _split("lu oğlu er can soy kan taş demir"),
    ),
    Language(
        "cy",
        _split("Catrin Ffion Gwenllian Nia Siân Angharad Eluned Rhiannon Llinos Mererid"),
        _split("Dafydd Gruffudd Iolo Llŷr Rhodri Emyr Gwilym Tomos Ieuan Aled"),
        _split("Llew Gwyn Rhys Pryth Bowen Powel Pugh Gruff Cadw Morg Ifan Owain Bevan"),
        ("", "", "el", "ydd", "an", "wr"),
        _split("ellyn ydd ys en ant ws es"),
    ),
    Language(
        "vi",
        _split("Nguyệt Hương Lan Thảo Ngọc Phương Hạnh Trâm Diệp Quỳnh"),
        _split("Minh Đức Quang Tuấn Hùng Dũng Khoa Việt Phúc Thắng"),
        _split("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý"),
        ("", "", "-Thị ", "-Văn "),
        ("",),
        double_surname=0.3,
    ),
    Language(
        "ro",
        _split("Ioana Andreea Mădălina Ștefania Bianca Alexandra Irina Raluca Cătălina Oana"),
        _split("Andrei Ștefan Mihai Ionuț Răzvan Vlad Bogdan Cătălin Tudor Sorin"),
        _split(
            "Popesc Ionesc Constantin Stoic Gheorgh Dumitresc Marinesc Tănas Mihăil "
            "Stanc Rădulesc Munteanu Lungu Ciobanu Dobre Nistor"
        ),
        ("", "", "ăr", "iș", "ean", "ov"),
        _split("u escu eanu aru ache ici"),
    ),
    Language(
        "hu",
        _split("Zsófia Réka Eszter Anikó Ildikó Tünde Dóra Júlia Boglárka Lilla"),
        _split("Bálint Levente Máté Ádám Dániel Zoltán Gergő Tamás Péter Ákos"),
        _split(
            "Nagy Kovács Tóth Szab Horváth Varg Kiss Molnár Németh Farkas Balog Pap "
            "Takács Juhász Lakat Mészár Oláh Simon Rácz Fekete"
        ),
        ("", "", "ó", "ány", "ős", "ély"),
        _split("a i né ős ai"),
    ),
    Language(
        "sv",
        _split("Åsa Märta Björg Linnéa Ingrid Saga Maja Elsa Signe Tuva"),
        _split("Åke Örjan Björn Göran Lars Nils Sören Anders Olof Håkan"),
        _split("Lind Berg Ström Sjö Ek Dahl Holm Lund Nord Sand Fors Hag Gran Blom Ås Öst"),
        ("", "", "qvist", "gren", "ström", "berg", "mark"),
        _split("son sson qvist gren ström man ing"),
    ),
    Language(
        "ar",
        _split("Fatima Aisha Mariam Layla Noor Yasmin Zainab Huda Amira Salma"),
        _split("Mohammed Ahmad Omar Yusuf Khalid Hassan Ibrahim Tariq Karim Samir"),
        _split(
            "Al-Rash Al-Hash Haddad Khour Mans Nass Sabb Saleh Aziz Farah Hamd Jab "
            "Kass Mahf Qur Shaab Tahh Zaid"
        ),
        ("", "", "ar", "an", "ir"),
        _split("id i our ah eem ani oun"),
    ),
)

_WEIGHTS = (30, 10, 4, 8, 5, 5, 4, 3, 3, 4, 3, 2, 4)
_PRONOUNS = ("she/her", "he/him", "they/them", "she/they", "he/they")
_ACCESS_NEEDS = (
    "Step-free access needed",
    "Uses a hearing loop",
    "Needs large-print documents",
    "Prefers short sessions with breaks",
    "Uses a wheelchair",
    "Needs information read aloud",
    "British Sign Language interpreter",
    "Quiet room to wait in",
)


def pick_language(rng: random.Random) -> Language:
    return rng.choices(LANGUAGES, weights=_WEIGHTS)[0]


def _surname(rng: random.Random, language: Language) -> str:
    middle = rng.choice(language.middles)
    if rng.random() < 0.35:
        middle += rng.choice(language.middles)
    name = rng.choice(language.roots) + middle + rng.choice(language.endings)
    return name[:1].upper() + name[1:]


def family_name(rng: random.Random, language: Language) -> str:
    first = _surname(rng, language)
    draw = rng.random()
    if draw < language.double_surname:
        return f"{first} {_surname(rng, language)}"
    if draw < language.double_surname + language.hyphenated:
        return f"{first}-{_surname(rng, LANGUAGES[0])}"
    return first


def given_name(rng: random.Random, language: Language, woman: bool) -> str:
    return rng.choice(language.given_women if woman else language.given_men)


def pronouns(rng: random.Random) -> str:
    return rng.choice(_PRONOUNS) if rng.random() < 0.2 else ""


def accessibility_needs(rng: random.Random) -> str:
    return rng.choice(_ACCESS_NEEDS) if rng.random() < 0.08 else ""


# --- note text ----------------------------------------------------------------------------

_BASE_WORDS = _split(
    "spoke with about the harm what happened since then feels ready not yet wants to meet "
    "letter apology explained process confidentiality limits legal advice offered interpreter "
    "family support worker school police court probation agreed follow up next week call back "
    "worried anxious angry relieved hopeful nervous calm listened understood questions answers "
    "safety plan staggered arrival separate waiting room venue video call phone visit home "
    "restitution payment hours work community garden repair damage window car bicycle shop "
    "neighbour partner mother father brother sister friend colleague manager teacher student "
    "impact sleep work money trust fear confidence routine change move house town evening "
    "morning weekend holiday birthday anniversary hospital doctor counsellor therapy group "
    "circle conference meeting shuttle message passed on reviewed redacted approved returned "
    "commitment behaviour course programme attendance completed partly missed rescheduled "
    "reminder sent no answer left message wrong number new number email address post letter "
    "acknowledged accepts responsibility denies minimises explains context remorse regret "
    "wants to understand why needs to hear sorry would like to ask whether how when where "
    "consent given withdrawn renewed valid until assessment risk low medium high override "
    "supervisor sign off reviewed concerns safeguarding referral adult child services mental "
    "health housing substance use domestic abuse advocacy trafficking support counselling"
)
_FOREIGN_WORDS = _split(
    "déjà naïve café résumé façade coöperation señal niño año corazón pequeño mañana "
    "zażółć gęślą jaźń łódź źdźbło Straße Grüße Mädchen Bäckerei Führung þorp ø æble "
    "çocuk öğrenci güneş ışık mulțumesc ședință fiică köszönöm szépség gyümölcs "
    "ceartă tiếng Việt cảm ơn bạn hẹn gặp lại"
)
_SYLLABLES = _split("ka lo mi ne ru sa te vo zi ba de fu gi ho ja ke li mo nu pa re si to")


def _build_vocabulary() -> tuple[str, ...]:
    # Real words plus combinations of syllables: tens of thousands of distinct words, so
    # note text does not repeat a small dictionary (compression and caching would lie).
    words = list(_BASE_WORDS) + list(_FOREIGN_WORDS)
    rng = random.Random(1729)  # noqa: S311 - a fixed vocabulary, not a secret
    for _ in range(30_000):
        words.append("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return tuple(dict.fromkeys(words))


VOCABULARY = _build_vocabulary()
_COMMON_WORDS = VOCABULARY[: len(_BASE_WORDS)]


def note(rng: random.Random, low: int = 8, high: int = 40) -> str:
    """A note of `low` to `high` words: mostly everyday words, sometimes rare ones."""
    count = rng.randint(low, high)
    common = rng.choices(_COMMON_WORDS, k=count)
    # About one word in seven comes from the whole vocabulary.
    for position in range(rng.randrange(7), count, 7):
        common[position] = VOCABULARY[rng.randrange(len(VOCABULARY))]
    text = " ".join(common)
    return text[:1].upper() + text[1:] + "."
