"""Building blocks of the demo district: real places, typical employers and jobs.

Postal codes are real codes of Landkreis Leipzig and the city of Leipzig. Employer names are
invented. Skill and occupation names are written as counsellors and employers write them, so the
demo exercises the normaliser too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SITE_POSTAL_CODES = {
    "borna": ("04552", "04564", "04565", "04567", "04571", "04575", "04523", "04539", "04654"),
    "grimma": ("04668", "04680", "04687", "04683", "04651", "04643", "04668"),
    "markkleeberg": ("04416", "04442", "04420", "04279", "04277", "04289", "04229"),
    "wurzen": ("04808", "04821", "04824", "04827", "04828", "04838", "04808"),
}
LEIPZIG_POSTAL_CODES = (
    "04103",
    "04105",
    "04107",
    "04109",
    "04129",
    "04155",
    "04177",
    "04249",
    "04275",
    "04299",
    "04315",
    "04318",
    "04328",
    "04347",
    "04356",
)

FIRST_NAMES = (
    "Amina",
    "Yusuf",
    "Fatima",
    "Omar",
    "Olena",
    "Andrii",
    "Mariam",
    "Ahmad",
    "Sara",
    "Tesfaye",
    "Hevin",
    "Nour",
    "Iryna",
    "Mohammed",
    "Zainab",
    "Dawit",
    "Leyla",
    "Hamid",
    "Oksana",
    "Karim",
    "Aylin",
    "Samir",
    "Rahel",
    "Bilal",
    "Natalia",
    "Farid",
    "Selam",
    "Khaled",
    "Yana",
    "Reza",
)
LAST_NAMES = (
    "Haddad",
    "Rahimi",
    "Kovalenko",
    "Tesfay",
    "Yilmaz",
    "Hosseini",
    "Al-Masri",
    "Shevchenko",
    "Mohammadi",
    "Abdi",
    "Bondarenko",
    "Karimi",
    "Demir",
    "Ghebremedhin",
    "Nasser",
    "Popova",
    "Sultani",
    "Aziz",
    "Melnyk",
    "Osman",
    "Hussein",
    "Tkachenko",
    "Ahmadi",
    "Berhane",
)
# Language profiles of the main groups in the programme: (other languages, weight).
LANGUAGE_PROFILES = (
    ((("ar", "C2"), ("en", "A2")), 26),
    ((("fa", "C2"),), 14),
    ((("ps", "C2"), ("fa", "B2")), 6),
    ((("uk", "C2"), ("ru", "C1"), ("en", "B1")), 22),
    ((("ru", "C2"),), 5),
    ((("tr", "C2"), ("ku", "C1")), 8),
    ((("ti", "C2"), ("ar", "A2")), 7),
    ((("so", "C2"), ("en", "A2")), 4),
    ((("en", "C1"), ("fr", "B1")), 3),
    ((("ro", "C2"),), 3),
)
# When integration courses are taught (mostly mornings, some afternoons) and Kita runs.
COURSE_HOURS = ("Mo–Fr 08:30–12:45", "Mo–Fr 08:30–12:45", "Mo–Fr 08:00–12:15", "Mo–Fr 13:00–17:15")
CHILDCARE_HOURS = ("Mo–Fr 07:00–07:45", "Mo–Fr 15:30–16:30", "Mo–Fr 16:00–17:00")
GERMAN_LEVELS = (("A1", 28), ("A2", 34), ("B1", 26), ("B2", 9), ("C1", 3))
PERMITS = (("permitted", 52), ("unrestricted", 20), ("approval_required", 22), ("prohibited", 6))


@dataclass(frozen=True)
class JobTemplate:
    """A kind of vacancy that entry-level employers of a sector post."""

    title: str
    occupation: str
    types: tuple[str, ...]
    must: tuple[str, ...] = ()
    should: tuple[str, ...] = ()
    nice: tuple[str, ...] = ()
    min_german: str = "A2"
    tolerance: int = 1
    shifts: tuple[tuple[str, ...], ...] = (("day",),)
    hours: tuple[int, ...] = (30, 40)
    licence: str | None = None
    languages: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Sector:
    slug: str
    wz: str
    company_patterns: tuple[str, ...]
    jobs: tuple[JobTemplate, ...]
    support: tuple[str, ...] = ("mentor",)
    participant_skills: tuple[str, ...] = field(default=())
    participant_occupations: tuple[str, ...] = field(default=())


SECTORS: tuple[Sector, ...] = (
    Sector(
        "logistics",
        "H52.10",
        ("{town} Logistik GmbH", "Lagerzentrum {town}", "Spedition Mulde {n}"),
        (
            JobTemplate(
                "Lagerhelfer/in (m/w/d)",
                "Lagerarbeiter",
                ("job", "work_trial"),
                must=("Kommissionieren",),
                should=("Waren einlagern",),
                nice=("Gabelstapler fahren",),
                shifts=(("early", "late"), ("day",)),
            ),
            JobTemplate(
                "Staplerfahrer/in (m/w/d)",
                "Gabelstaplerfahrer",
                ("job",),
                must=("Staplerschein",),
                should=("Kommissionieren",),
                min_german="A2",
                shifts=(("early", "late", "night"),),
            ),
            JobTemplate(
                "Fachkraft für Lagerlogistik – Ausbildung",
                "Fachkraft für Lagerlogistik",
                ("apprenticeship",),
                should=("Kommissionieren", "Warenannahme"),
                min_german="B1",
                tolerance=1,
                hours=(40,),
            ),
        ),
        support=("mentor", "multilingual_staff"),
        participant_skills=("Kommissionieren", "Gabelstapler fahren", "Waren verpacken"),
        participant_occupations=("Lagerarbeiter", "Staplerfahrer"),
    ),
    Sector(
        "cleaning",
        "N81.21",
        ("Gebäudereinigung {name}", "Glanz & Co. {town}"),
        (
            JobTemplate(
                "Reinigungskraft (m/w/d)",
                "Reinigungskraft",
                ("job", "work_trial"),
                should=("Unterhaltsreinigung",),
                nice=("Reinigungsmaschinen bedienen",),
                min_german="A2",
                tolerance=1,
                shifts=(("early",), ("late",)),
                hours=(20, 25, 30),
            ),
            JobTemplate(
                "Unterhaltsreiniger/in Minijob",
                "Reinigungskraft",
                ("job",),
                should=("Unterhaltsreinigung",),
                min_german="A1",
                tolerance=0,
                shifts=(("late",), ("weekend", "early")),
                hours=(10, 12),
            ),
        ),
        participant_skills=("Unterhaltsreinigung", "Fenster putzen", "Reinigungsmittel dosieren"),
        participant_occupations=("Reinigungskraft",),
    ),
    Sector(
        "gastronomy",
        "I56.10",
        ("Gasthof {name}", "Landhotel {town}", "Kantine {name} GmbH"),
        (
            JobTemplate(
                "Küchenhilfe (m/w/d)",
                "Küchenhilfe",
                ("job", "work_trial", "internship"),
                must=("Hygieneschulung",),
                should=("Gemüse schneiden", "Spülen"),
                min_german="A2",
                tolerance=1,
                shifts=(("day", "late", "weekend"),),
            ),
            JobTemplate(
                "Servicekraft (m/w/d)",
                "Kellner",
                ("job",),
                should=("Gäste bedienen", "Kassieren"),
                min_german="B1",
                tolerance=1,
                shifts=(("late", "weekend"),),
                languages=(("en", "A2"),),
            ),
            JobTemplate(
                "Koch/Köchin – Ausbildung",
                "Koch",
                ("apprenticeship",),
                should=("Speisen zubereiten",),
                min_german="B1",
                tolerance=1,
                hours=(40,),
            ),
        ),
        support=("mentor", "multilingual_staff"),
        participant_skills=("Gemüse schneiden", "Kochen", "Spülen", "Hygieneschulung"),
        participant_occupations=("Koch", "Küchenhilfe"),
    ),
    Sector(
        "care",
        "Q87.10",
        ("Pflegeheim {name}", "Seniorenresidenz {town}", "Ambulanter Pflegedienst {name}"),
        (
            JobTemplate(
                "Pflegehilfskraft (m/w/d)",
                "Pflegehelfer",
                ("job", "work_trial"),
                should=("Grundpflege", "Senioren betreuen"),
                nice=("Erste Hilfe",),
                min_german="B1",
                tolerance=1,
                shifts=(("early", "late", "weekend"), ("early", "day")),
            ),
            JobTemplate(
                "Alltagsbegleiter/in (m/w/d)",
                "Betreuungskraft",
                ("job", "internship"),
                should=("Senioren betreuen",),
                min_german="B1",
                tolerance=1,
                hours=(20, 30),
            ),
            JobTemplate(
                "Pflegefachfrau/-mann – Ausbildung",
                "Pflegefachkraft",
                ("apprenticeship",),
                should=("Grundpflege",),
                min_german="B2",
                tolerance=1,
                hours=(40,),
            ),
        ),
        support=("mentor", "language_course"),
        participant_skills=("Grundpflege", "Senioren betreuen", "Erste Hilfe"),
        participant_occupations=("Krankenpfleger", "Pflegehelfer"),
    ),
    Sector(
        "retail",
        "G47.11",
        ("Markt {town}", "Discounter Filiale {town}", "Getränkehandel {name}"),
        (
            JobTemplate(
                "Verkaufshilfe (m/w/d)",
                "Verkäufer",
                ("job", "work_trial"),
                should=("Regale einräumen", "Kassieren"),
                min_german="B1",
                tolerance=1,
                shifts=(("early", "late"), ("late", "weekend")),
            ),
            JobTemplate(
                "Warenverräumer/in (m/w/d)",
                "Regalauffüller",
                ("job",),
                should=("Regale einräumen",),
                min_german="A2",
                tolerance=1,
                shifts=(("early",),),
                hours=(15, 20, 25),
            ),
            JobTemplate(
                "Kaufmann/-frau im Einzelhandel – Ausbildung",
                "Einzelhandelskaufmann",
                ("apprenticeship", "entry_qualification"),
                should=("Kassieren",),
                min_german="B1",
                tolerance=0,
                hours=(40,),
            ),
        ),
        participant_skills=("Kassieren", "Regale einräumen", "Kunden beraten"),
        participant_occupations=("Verkäufer",),
    ),
    Sector(
        "construction",
        "F43.99",
        ("Bau {name} GmbH", "Hochbau {town}", "Dachdeckerei {name}"),
        (
            JobTemplate(
                "Bauhelfer/in (m/w/d)",
                "Bauhelfer",
                ("job", "work_trial"),
                should=("Mauern", "Baustelle absichern"),
                nice=("Führerschein B",),
                min_german="A2",
                tolerance=1,
                shifts=(("early",),),
                hours=(40,),
            ),
            JobTemplate(
                "Maurer/in – Ausbildung",
                "Maurer",
                ("apprenticeship", "entry_qualification"),
                should=("Mauern",),
                min_german="B1",
                tolerance=1,
                shifts=(("early",),),
                hours=(40,),
            ),
        ),
        participant_skills=("Mauern", "Fliesen legen", "Malerarbeiten"),
        participant_occupations=("Maurer", "Bauhelfer"),
    ),
    Sector(
        "production",
        "C25.62",
        ("Metallbau {name}", "Kunststofftechnik {town}", "Fertigung {name} GmbH"),
        (
            JobTemplate(
                "Produktionshelfer/in (m/w/d)",
                "Produktionshelfer",
                ("job", "work_trial"),
                should=("Maschinen bedienen", "Qualitätskontrolle"),
                nice=("Verpacken",),
                min_german="A2",
                tolerance=1,
                shifts=(("early", "late", "night"), ("early", "late")),
            ),
            JobTemplate(
                "Maschinen- und Anlagenführer/in – Ausbildung",
                "Maschinen- und Anlagenführer",
                ("apprenticeship",),
                should=("Maschinen bedienen",),
                min_german="B1",
                tolerance=1,
                hours=(40,),
            ),
        ),
        support=("mentor",),
        participant_skills=("Maschinen bedienen", "Montage", "Schweißen"),
        participant_occupations=("Schweißer", "Produktionshelfer"),
    ),
    Sector(
        "agriculture",
        "A01.13",
        ("Agrargenossenschaft {town}", "Obsthof {name}", "Gärtnerei {name}"),
        (
            JobTemplate(
                "Erntehelfer/in (m/w/d)",
                "Erntehelfer",
                ("job", "work_trial"),
                should=("Obst ernten",),
                min_german="A1",
                tolerance=0,
                shifts=(("early", "weekend"),),
                hours=(30, 40),
            ),
            JobTemplate(
                "Gartenhelfer/in (m/w/d)",
                "Gärtner",
                ("job", "internship"),
                should=("Pflanzen pflegen", "Rasen mähen"),
                min_german="A2",
                tolerance=1,
                hours=(30, 40),
            ),
        ),
        participant_skills=("Obst ernten", "Pflanzen pflegen", "Traktor fahren"),
        participant_occupations=("Landarbeiter", "Gärtner"),
    ),
    Sector(
        "crafts",
        "C10.71",
        ("Bäckerei {name}", "Tischlerei {name}", "Fleischerei {name}"),
        (
            JobTemplate(
                "Bäckereihelfer/in (m/w/d)",
                "Bäcker",
                ("job", "work_trial"),
                must=("Hygieneschulung",),
                should=("Teig herstellen",),
                min_german="A2",
                tolerance=1,
                shifts=(("early", "night"),),
                hours=(30, 40),
            ),
            JobTemplate(
                "Tischler/in – Ausbildung",
                "Tischler",
                ("apprenticeship",),
                should=("Holz bearbeiten",),
                min_german="B1",
                tolerance=1,
                hours=(40,),
            ),
        ),
        participant_skills=("Holz bearbeiten", "Teig herstellen", "Backen"),
        participant_occupations=("Tischler", "Bäcker"),
    ),
    Sector(
        "driving",
        "H49.41",
        ("Kurierdienst {town}", "Transporte {name}"),
        (
            JobTemplate(
                "Auslieferungsfahrer/in (m/w/d)",
                "Kurierfahrer",
                ("job",),
                must=("Führerschein B",),
                should=("Pakete zustellen",),
                min_german="A2",
                tolerance=1,
                shifts=(("early", "day"),),
                licence="B",
            ),
        ),
        participant_skills=("Führerschein B", "Pakete zustellen"),
        participant_occupations=("Kurierfahrer", "Berufskraftfahrer"),
    ),
    Sector(
        "childcare",
        "Q88.91",
        ("Kita {name}", "Kinderhaus {town}"),
        (
            JobTemplate(
                "Assistenzkraft in der Kita (m/w/d)",
                "Kinderbetreuer",
                ("job", "internship"),
                should=("Kinder betreuen",),
                min_german="B1",
                tolerance=0,
                hours=(20, 30),
                languages=(("ar", "B1"), ("uk", "B1")),
            ),
        ),
        support=("multilingual_staff",),
        participant_skills=("Kinder betreuen", "Kinder beaufsichtigen"),
        participant_occupations=("Erzieher", "Lehrer"),
    ),
)

COMPANY_NAMES = (
    "Müller",
    "Schmidt",
    "Lindner",
    "Hoffmann",
    "Seidel",
    "Krause",
    "Richter",
    "Lehmann",
    "Vogel",
    "Fischer",
    "Kühn",
    "Wolf",
    "Hartmann",
    "Böhme",
    "Zimmermann",
)
TOWNS = {
    "04552": "Borna",
    "04668": "Grimma",
    "04416": "Markkleeberg",
    "04808": "Wurzen",
    "04654": "Frohburg",
    "04643": "Geithain",
    "04651": "Bad Lausick",
    "04683": "Naunhof",
    "04821": "Brandis",
    "04680": "Colditz",
    "04564": "Böhlen",
    "04442": "Zwenkau",
    "04539": "Groitzsch",
    "04523": "Pegau",
    "04420": "Markranstädt",
    "04828": "Bennewitz",
    "04827": "Machern",
    "04567": "Kitzscher",
    "04571": "Rötha",
    "04575": "Neukieritzsch",
    "04103": "Leipzig",
    "04155": "Leipzig",
    "04229": "Leipzig",
    "04299": "Leipzig",
    "04318": "Leipzig",
    "04347": "Leipzig",
    "04356": "Leipzig",
}
