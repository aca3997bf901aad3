"""Write the bundled, fictional example submissions into data/raw/.

Every organisation name is real (the regiegroep and SOM members named in the ministry memo), but
every proposal, amount, contact person and e-mail address is invented. The files differ the way
real submissions do: title rows above the header, several sheets, merged cells, a totals row,
a `x € 1.000` header, `;` and `,` separated CSV in Windows-1252 and UTF-8 with BOM, renamed,
translated and reordered columns, misspelt themes and organisations, duplicates and every amount
form of the design.

Run: `.venv/bin/python scripts/make_example_data.py` (overwrites the bundled files only).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"

TEMPLATE = [
    "Organisatie",
    "Thema",
    "Titel voorstel",
    "Omschrijving",
    "Indicatieve kosten",
    "Structureel/incidenteel",
    "Looptijd",
    "Toelichting kosten",
    "Contactpersoon",
    "E-mail",
]


def _xlsx_fixed_times(wb: Workbook) -> None:
    # Fixed document times keep the generated files byte-stable between runs of this script.
    import datetime as dt

    stamp = dt.datetime(2024, 1, 15, 9, 0, 0)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "fictief voorbeeld"


def politie() -> None:
    """Title rows, a `x € 1.000` header, numbers as numbers, a Totaal row, an instructions tab."""
    wb = Workbook()
    _xlsx_fixed_times(wb)
    ws = wb.active
    ws.title = "Voorstellen"
    ws["A1"] = "Politie: input Kamerbrief Samen tegen mensenhandel"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "Versie 12 januari 2024 (fictief voorbeeld)"
    header = [
        "Organisatie",
        "Thema",
        "Titel voorstel",
        "Omschrijving",
        "Kosten (x € 1.000)",
        "Structureel/incidenteel",
        "Looptijd",
        "Contactpersoon",
        "E-mail",
    ]
    ws.append([])
    ws.append(header)
    rows = [
        (
            "Politie",
            "Criminele uitbuiting",
            "Uitbreiding teams criminele uitbuiting",
            "Twee extra rechercheteams gericht op gedwongen criminaliteit door minderjarigen en volwassenen.",
            450,
            "structureel",
            "",
            "J. de Vries",
            "j.devries@politie.example",
        ),
        (
            "Politie",
            "Technologie",
            "Landelijk meldpunt online uitbuiting",
            "Eén meldpunt voor signalen van online werving en advertenties.",
            250,
            "structureel",
            "",
            "J. de Vries",
            "j.devries@politie.example",
        ),
        (
            "Politie",
            "Technologie",
            "Webcrawler voor advertentiesites",
            "Geautomatiseerd doorzoeken van advertentiesites op signalen van uitbuiting.",
            120,
            "incidenteel",
            "2024",
            "A. Bakker",
            "a.bakker@politie.example",
        ),
        (
            "Politie",
            "Klantaanpak",
            "Training signalering klanten voor agenten",
            "E-learning en praktijktraining voor basisteams over de rol van klanten.",
            "75",
            "eenmalig",
            "",
            "A. Bakker",
            "a.bakker@politie.example",
        ),
        (
            "Politie",
            "Minderjarigen",
            "Jeugdrechercheurs mensenhandel",
            "Specialistische rechercheurs voor zaken met minderjarige slachtoffers.",
            300,
            "per jaar",
            "2024-2027",
            "J. de Vries",
            "j.devries@politie.example",
        ),
    ]
    for r in rows:
        ws.append(list(r))
    ws.append([])
    ws.append(["Totaal", None, None, None, "=SUM(E5:E9)"])
    ws.append(["Bedragen zijn indicatief (x € 1.000)."])
    info = wb.create_sheet("Toelichting")
    info["A1"] = "Invulinstructie"
    info["A2"] = "Vul per voorstel één regel in. Bedragen in duizenden euro's."
    wb.save(RAW / "politie_input_kamerbrief.xlsx")


def comensha() -> None:
    """Two proposal sheets (one per theme), merged organisation cells, numbers stored as text."""
    wb = Workbook()
    _xlsx_fixed_times(wb)
    first = True
    sheets = {
        "Opvang": [
            (
                "Opvang van slachtoffers",
                "Extra opvangplekken categorale opvang",
                "Uitbreiding van de categorale opvang met 20 plekken voor slachtoffers.",
                "€ 1,5 mln per jaar",
                "",
                "",
                "Toelichting: 20 plekken à € 75.000",
            ),
            (
                "Opvang",
                "Landelijke coördinatie plaatsing slachtoffers",
                "Coördinatie van plaatsingen en wachtlijstbeheer.",
                "2 fte",
                "structureel",
                "",
                "Capaciteit bij CoMensha",
            ),
            (
                "opvang slachtoffers",
                "Nazorg na de opvang",
                "Begeleiding van slachtoffers bij de overgang naar zelfstandig wonen.",
                "€ 200.000 per jaar (2024-2026)",
                "",
                "",
                "",
            ),
        ],
        "Technologie": [
            (
                "Technologie",
                "Datadashboard signalen mensenhandel",
                "Dashboard dat signalen van partners bijeenbrengt.",
                "€ 150.000 eenmalig + € 50.000 structureel",
                "",
                "",
                "",
            ),
            (
                "technologie",
                "Registratiesysteem slachtoffers vernieuwen",
                "Vervanging van het verouderde registratiesysteem.",
                "tussen 3 en 5 ton",
                "incidenteel",
                "2025",
                "",
            ),
        ],
    }
    for name, rows in sheets.items():
        ws = wb.active if first else wb.create_sheet(name)
        ws.title = name
        first = False
        ws["A1"] = "Coördinatiecentrum tegen Mensenhandel (CoMensha)"
        ws["A2"] = f"Voorstellen thema {name}"
        ws.append(TEMPLATE[:8])
        for i, r in enumerate(rows):
            org = "Coördinatiecentrum tegen Mensenhandel" if i == 0 else None
            ws.append([org, *r])
        # One organisation cell merged over all proposal rows, as partners like to do.
        ws.merge_cells(start_row=4, start_column=1, end_row=3 + len(rows), end_column=1)
    wb.save(RAW / "comensha_voorstellen.xlsx")


def som() -> None:
    """SOM members in one file: renamed and reordered columns, misspellings, a duplicate."""
    wb = Workbook()
    _xlsx_fixed_times(wb)
    ws = wb.active
    ws.title = "Input SOM"
    ws.append(
        [
            "Naam voorstel",
            "Organisatie",
            "Bedrag",
            "Soort kosten",
            "Thema",
            "Korte omschrijving",
            "Contact",
            "Mailadres",
        ]
    )
    rows = [
        (
            "Exitprogramma sekswerkers",
            "Humanitas ESSM",
            "2 ton",
            "per jaar",
            "Klantaanpak",
            "Ondersteuning bij uitstappen uit de seksbranche.",
            "M. Jansen",
            "m.jansen@essm.example",
        ),
        (
            "Voorlichting klanten via advertentiesites",
            "ESSM / Humanitas",
            "€ 80.000",
            "eenmalig",
            "klant aanpak",
            "Campagne gericht op klanten van sekswerkers.",
            "M. Jansen",
            "m.jansen@essm.example",
        ),
        (
            "Specialistische zorg jonge slachtoffers loverboys",
            "Fier Fryslan",
            "€ 1.2m",
            "structureel",
            "Bescherming van minderjarigen",
            "Behandelplekken voor minderjarige slachtoffers.",
            "S. Visser",
            "s.visser@fier.example",
        ),
        (
            "Opvang mannelijke slachtoffers",
            "Leger des heils",
            "€ 350.000 - € 500.000",
            "per jaar",
            "Opvang",
            "Opvangplekken voor mannelijke slachtoffers van arbeidsuitbuiting.",
            "P. Smit",
            "p.smit@legerdesheils.example",
        ),
        (
            "Juridische hulp arbeidsmigranten",
            "Fairwork",
            "250k",
            "jaarlijks",
            "Criminele uitbuiting",
            "Spreekuren en juridische bijstand.",
            "L. Mulder",
            "l.mulder@fairwork.example",
        ),
        (
            "Kennisprogramma kinderhandel",
            "Defense for Children",
            "tweeënhalf ton",
            "eenmalig",
            "Minderjarigen",
            "Kennis en training over kinderhandel voor jeugdzorg.",
            "E. de Boer",
            "e.deboer@dfc.example",
        ),
        (
            "Begeleid wonen jonge slachtoffers",
            "HVO-Querido",
            "€ 400.000 per jaar",
            "",
            "Opvang van slachtoffers",
            "Begeleid wonen voor slachtoffers van 18 tot 23 jaar.",
            "K. Dekker",
            "k.dekker@hvoquerido.example",
        ),
        (
            "Outreach online sekswerk",
            "SHOP Den Haag",
            "€ 60.000 per jaar gedurende 3 jaar",
            "",
            "Technologie",
            "Online hulpverleners die contact leggen via platforms.",
            "R. Meijer",
            "r.meijer@shop.example",
        ),
        (
            "Trajectbegeleiding slachtoffers huiselijk geweld en uitbuiting",
            "Moviera",
            "nog onbekend",
            "",
            "Opvang",
            "Gecombineerde aanpak voor slachtoffers met meervoudige problematiek.",
            "T. Bos",
            "t.bos@moviera.example",
        ),
        (
            "Landelijk meldpunt online uitbuiting",
            "Rode Kruis",
            "€ 250.000",
            "structureel",
            "Technologie",
            "Eén meldpunt voor signalen van online werving.",
            "H. Vos",
            "h.vos@rodekruis.example",
        ),
        (
            "Herstelzorg slachtoffers arbeidsuitbuiting",
            "Rode Kruis",
            "3 à 5 ton",
            "incidenteel",
            "Opvang",
            "Eerste hulp en herstelzorg na een inval.",
            "H. Vos",
            "h.vos@rodekruis.example",
        ),
        (
            "Jongerenwerkers in risicowijken",
            "Lumens",
            "€ 90.000",
            "per jaar",
            "Criminele uitbuitng",
            "Jongerenwerkers signaleren ronselen voor drugsdelicten.",
            "B. Peters",
            "b.peters@lumens.example",
        ),
    ]
    for r in rows:
        ws.append(list(r))
    wb.save(RAW / "som_leden_voorstellen.xlsx")


def vng() -> None:
    """Semicolon-separated CSV in Windows-1252, as Excel on Windows writes it."""
    rows = [
        TEMPLATE,
        [
            "VNG",
            "Klantaanpak",
            "Coördinatie lokale klantaanpak",
            "Gemeenten stemmen de aanpak van klanten regionaal af.",
            "€ 250.000,-",
            "structureel",
            "",
            "Regionale coördinatoren in 5 regio's",
            "W. Hendriks",
            "w.hendriks@vng.example",
        ],
        [
            "Vereniging Nederlandse Gemeenten",
            "Opvang",
            "Zorgcoördinatie in alle regio's",
            "Dekkend netwerk van zorgcoördinatoren mensenhandel.",
            "€ 1.500.000",
            "per jaar",
            "",
            "",
            "W. Hendriks",
            "w.hendriks@vng.example",
        ],
        [
            "VNG",
            "Criminele uitbuiting",
            "Bestuurlijke aanpak criminele uitbuiting",
            "Handreiking en ondersteuning van gemeenten bij bestuurlijke maatregelen.",
            "EUR 120000",
            "eenmalig",
            "",
            "",
            "W. Hendriks",
            "w.hendriks@vng.example",
        ],
        [
            "VNG",
            "Minderjarigen",
            "Signalering in het onderwijs",
            "Lespakket en aandachtsfunctionarissen in het voortgezet onderwijs.",
            "1,5 miljoen",
            "incidenteel",
            "2024 t/m 2026",
            "Totaal over drie jaar",
            "W. Hendriks",
            "w.hendriks@vng.example",
        ],
        [
            "VNG",
            "",
            "Handhaving vergunningen prostitutiebranche",
            "Extra toezicht op vergunde en onvergunde seksbedrijven en klanten.",
            "p.m.",
            "",
            "",
            "",
            "W. Hendriks",
            "w.hendriks@vng.example",
        ],
        ["", "", "", "", "", "", "", "", "", ""],
    ]
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)
    (RAW / "vng_voorstellen.csv").write_bytes(buf.getvalue().encode("cp1252"))


def om() -> None:
    """Comma-separated CSV, UTF-8 with BOM, English headers."""
    rows = [
        [
            "Organisation",
            "Theme",
            "Title",
            "Description",
            "Estimated cost",
            "Cost type",
            "Contact person",
            "Email",
        ],
        [
            "Openbaar Ministerie",
            "Criminal exploitation",
            "Officieren van justitie criminele uitbuiting",
            "Extra officieren voor de vervolging van gedwongen criminaliteit.",
            "€ 600.000",
            "per year",
            "D. van Dijk",
            "d.vandijk@om.example",
        ],
        [
            "OM",
            "Klantaanpak",
            "Vervolging klanten bij evident misbruik",
            "Richtlijn en capaciteit voor vervolging van klanten van slachtoffers.",
            "€ 1.5m",
            "incidental",
            "D. van Dijk",
            "d.vandijk@om.example",
        ],
        [
            "OM",
            "Technologie",
            "Digitaal forensisch onderzoek",
            "Capaciteit voor onderzoek naar telefoons en online accounts.",
            "€ 300.000 - € 500.000",
            "jaarlijks",
            "D. van Dijk",
            "d.vandijk@om.example",
        ],
        [
            "OM",
            "Minderjarigen",
            "Kindvriendelijk verhoren",
            "Verhoorstudio's en training voor verhoor van minderjarige slachtoffers.",
            "PM",
            "",
            "D. van Dijk",
            "d.vandijk@om.example",
        ],
    ]
    buf = io.StringIO()
    csv.writer(buf, delimiter=",", lineterminator="\n").writerows(rows)
    (RAW / "om_input.csv").write_bytes(buf.getvalue().encode("utf-8-sig"))


def nla_szw() -> None:
    """Old organisation name (Inspectie SZW), separate Looptijd column, an fte request."""
    wb = Workbook()
    _xlsx_fixed_times(wb)
    ws = wb.active
    ws.title = "Blad1"
    ws["A1"] = "Voorstellen SZW-domein"
    ws.append(TEMPLATE)
    rows = [
        (
            "Inspectie SZW",
            "Criminele uitbuiting",
            "Meer inspecteurs arbeidsuitbuiting",
            "Uitbreiding van de inspectiecapaciteit gericht op arbeidsuitbuiting.",
            "4 fte",
            "structureel",
            "",
            "Tarief volgens HOT",
            "F. Koster",
            "f.koster@nla.example",
        ),
        (
            "Nederlandse Arbeidsinspectie",
            "Criminele uitbuiting",
            "Risicoanalyse uitzendbranche",
            "Datagedreven selectie van risicovolle uitzendbureaus.",
            "€ 175.000",
            "incidenteel",
            "2024-2025",
            "",
            "F. Koster",
            "f.koster@nla.example",
        ),
        (
            "SZW",
            "Opvang",
            "Huisvesting arbeidsmigranten na uitbuiting",
            "Tijdelijke huisvesting voor arbeidsmigranten die uit een uitbuitingssituatie komen.",
            "€ 100.000 per jaar",
            "",
            "2024-2027",
            "",
            "G. Willems",
            "g.willems@szw.example",
        ),
        (
            "Ministerie van SZW",
            "Klantaanpak",
            "Onderzoek vraagzijde arbeidsuitbuiting",
            "Onderzoek naar opdrachtgevers die profiteren van uitbuiting.",
            "ca. € 80.000",
            "",
            "",
            "",
            "G. Willems",
            "g.willems@szw.example",
        ),
        (
            "Zorgcoordinatoren mensenhandel",
            "Opvang van slachtoffers",
            "Zorgcoördinatie in alle regio's",
            "Dekkend netwerk van zorgcoördinatoren in alle regio's.",
            "€ 1.500.000",
            "per jaar",
            "",
            "",
            "N. Groot",
            "n.groot@zorgcoordinatie.example",
        ),
    ]
    for r in rows:
        ws.append(list(r))
    wb.save(RAW / "szw_nla_voorstellen.xlsx")


def riec_liec() -> None:
    """Semicolon CSV in plain UTF-8 with misspelt themes and a proposal without a theme."""
    rows = [
        [
            "Organisatie",
            "Thema",
            "Titel voorstel",
            "Omschrijving",
            "Indicatieve kosten",
            "Structureel/incidenteel",
            "Looptijd",
            "Contactpersoon",
            "E-mail",
        ],
        [
            "RIEC/LIEC",
            "Criminele uitbuitng",
            "Regionale barrièremodellen criminele uitbuiting",
            "Barrièremodellen per regio om ronselen te doorbreken.",
            "€ 40.000 per regio, 10 regio's",
            "eenmalig",
            "",
            "Y. Claes",
            "y.claes@riec.example",
        ],
        [
            "RIEC-LIEC",
            "Minderjarige",
            "Signaleringskaart jongeren",
            "Kaart met signalen van uitbuiting van jongeren voor gemeenten en scholen.",
            "€ 25.000",
            "eenmalig",
            "",
            "Y. Claes",
            "y.claes@riec.example",
        ],
        [
            "LIEC",
            "",
            "Analyse online advertenties en webcam platforms",
            "Analysecapaciteit voor online advertenties en platforms.",
            "€ 120.000",
            "per jaar",
            "2024-2025",
            "Y. Claes",
            "y.claes@riec.example",
        ],
        [
            "RIEC",
            "Klantenaanpak",
            "Integrale controles seksbranche",
            "Gezamenlijke controles met gemeenten en politie.",
            "€ 60.000",
            "",
            "",
            "Y. Claes",
            "y.claes@riec.example",
        ],
    ]
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows)
    (RAW / "riec_liec_input.csv").write_bytes(buf.getvalue().encode("utf-8"))


def ministries() -> None:
    """JenV, BZ and VWS in one workbook: a duplicate of the police proposal, p.m. amounts."""
    wb = Workbook()
    _xlsx_fixed_times(wb)
    ws = wb.active
    ws.title = "Departementen"
    ws["A1"] = "Input departementen"
    ws["A2"] = "Concept: niet verspreiden"
    ws.append([])
    ws.append(
        [
            "Thema",
            "Organisatie",
            "Titel voorstel",
            "Omschrijving",
            "Indicatieve kosten",
            "Structureel/incidenteel",
            "Looptijd",
            "Toelichting kosten",
            "Contactpersoon",
            "E-mail",
        ]
    )
    rows = [
        (
            "Technologie",
            "JenV",
            "Landelijk meldpunt online uitbuiting.",
            "Eén meldpunt voor online signalen, samen met de politie.",
            "€ 250.000",
            "structureel",
            "",
            "",
            "Q. Hoekstra",
            "q.hoekstra@minjenv.example",
        ),
        (
            "Klantaanpak",
            "Ministerie van Justitie en Veiligheid",
            "Strafbaarstelling klanten: implementatie",
            "Voorlichting en uitvoering van de strafbaarstelling van klanten.",
            "€ 500.000",
            "eenmalig",
            "",
            "",
            "Q. Hoekstra",
            "q.hoekstra@minjenv.example",
        ),
        (
            "Technologie",
            "JenV",
            "Onderzoek inzet AI bij opsporing",
            "Verkenning van de inzet van AI voor het herkennen van advertenties.",
            "n.t.b.",
            "",
            "",
            "",
            "Q. Hoekstra",
            "q.hoekstra@minjenv.example",
        ),
        (
            "Criminele uitbuiting",
            "Buitenlandse Zaken",
            "Samenwerking herkomstlanden criminele uitbuiting",
            "Projecten met herkomstlanden van slachtoffers van criminele uitbuiting.",
            "€ 750.000",
            "incidenteel",
            "2024-2026",
            "",
            "X. Lambert",
            "x.lambert@minbuza.example",
        ),
        (
            "Minderjarigen",
            "VWS",
            "Passende jeugdzorg voor slachtoffers",
            "Gespecialiseerde jeugdzorg voor minderjarige slachtoffers.",
            "€ 2.000.000",
            "structureel",
            "",
            "",
            "O. Timmer",
            "o.timmer@minvws.example",
        ),
        (
            "Opvang",
            "VWS",
            "Psychische zorg na uitbuiting",
            "Traumabehandeling voor slachtoffers in de opvang.",
            "1 à 2 mln",
            "jaarlijks",
            "",
            "",
            "O. Timmer",
            "o.timmer@minvws.example",
        ),
        (
            "Technologie",
            "BZ",
            "Voorlichting visumaanvragers",
            "Online voorlichting voor visumaanvragers over risico's van uitbuiting.",
            "€ 50.000",
            "eenmalig",
            "",
            "",
            "X. Lambert",
            "x.lambert@minbuza.example",
        ),
    ]
    for r in rows:
        ws.append(list(r))
    wb.save(RAW / "departementen_input.xlsx")


def ckm() -> None:
    """CKM: a sheet titled by the partner, an amount column holding numbers, a kinderhandel set."""
    wb = Workbook()
    _xlsx_fixed_times(wb)
    ws = wb.active
    ws.title = "CKM"
    ws["A1"] = "Centrum tegen Kinderhandel en Mensenhandel"
    ws["A3"] = "Overzicht voorstellen"
    ws.append([])
    ws.append(
        [
            "Organisatie",
            "Thema",
            "Titel",
            "Omschrijving",
            "Kosten",
            "Structureel/incidenteel",
            "Looptijd",
            "Contactpersoon",
            "E-mail",
        ]
    )
    rows = [
        (
            "CKM",
            "Minderjarigen",
            "Preventie loverboys op scholen",
            "Voorlichting voor leerlingen en docenten over loverboys.",
            95000,
            "per jaar",
            "",
            "I. Kok",
            "i.kok@ckm.example",
        ),
        (
            "Centrum Kinderhandel Mensenhandel",
            "Criminele uitbuiting",
            "Handreiking criminele uitbuiting minderjarigen",
            "Handreiking voor professionals over jongeren die worden uitgebuit voor criminaliteit.",
            "€ 45.000",
            "eenmalig",
            "",
            "I. Kok",
            "i.kok@ckm.example",
        ),
        (
            "CKM",
            "Klantaanpak",
            "Monitor klantaanpak",
            "Jaarlijkse monitor van de effecten van de klantaanpak.",
            "€ 70.000 per jaar",
            "",
            "",
            "I. Kok",
            "i.kok@ckm.example",
        ),
        (
            "CKM",
            "Technologie",
            "Ervaringsdeskundigen online preventie",
            "Ervaringsdeskundigen ontwikkelen online preventie met platforms.",
            "€ 60.000 - 80.000",
            "per jaar",
            "2025-2027",
            "I. Kok",
            "i.kok@ckm.example",
        ),
        (
            "CKM",
            "Wonen",
            "Kamers voor jongeren na uitbuiting",
            "Kleinschalige woonvoorziening voor jongeren na een opvangperiode.",
            "€ 300.000",
            "structureel",
            "",
            "I. Kok",
            "i.kok@ckm.example",
        ),
    ]
    for r in rows:
        ws.append(list(r))
    wb.save(RAW / "ckm_voorstellen.xlsx")


def appraisals() -> None:
    """The analysts' appraisals: keyed by Organisatie + Titel (no ids known before the first run)."""
    rows = [
        ["Organisatie", "Titel voorstel", "Appreciatie", "Toelichting"],
        [
            "Politie",
            "Uitbreiding teams criminele uitbuiting",
            "kansrijk",
            "Sluit aan bij actielijn 3; capaciteit politie is de bottleneck.",
        ],
        [
            "Politie",
            "Landelijk meldpunt online uitbuiting",
            "kansrijk",
            "Samen met JenV en Rode Kruis; één meldpunt.",
        ],
        [
            "Politie",
            "Webcrawler voor advertentiesites",
            "nader uitwerken",
            "Juridische toets op privacy nodig.",
        ],
        ["Politie", "Jeugdrechercheurs mensenhandel", "kansrijk", "Hoge prioriteit Kamer."],
        [
            "CoMensha",
            "Extra opvangplekken categorale opvang",
            "kansrijk",
            "Wachtlijsten COSM; past in lijn opvang.",
        ],
        ["CoMensha", "Nazorg na de opvang", "nader uitwerken", "Overlap met gemeentelijke taak."],
        ["CoMensha", "Registratiesysteem slachtoffers vernieuwen", "kansrijk", "Noodzakelijk."],
        ["Humanitas ESSM", "Exitprogramma sekswerkers", "nader uitwerken", "Financiering via VWS?"],
        [
            "Fier",
            "Specialistische zorg jonge slachtoffers loverboys",
            "kansrijk",
            "Aansluiten bij Jeugdwet.",
        ],
        ["Leger des Heils", "Opvang mannelijke slachtoffers", "kansrijk", ""],
        ["FairWork", "Juridische hulp arbeidsmigranten", "nader uitwerken", ""],
        ["Defence for Children", "Kennisprogramma kinderhandel", "kansrijk", ""],
        ["VNG", "Coördinatie lokale klantaanpak", "kansrijk", "Gemeenten positief."],
        [
            "VNG",
            "Zorgcoördinatie in alle regio's",
            "nader uitwerken",
            "Ook ingediend door zorgcoördinatoren.",
        ],
        ["VNG", "Signalering in het onderwijs", "niet kansrijk", "Ligt bij OCW."],
        ["OM", "Officieren van justitie criminele uitbuiting", "kansrijk", ""],
        [
            "OM",
            "Vervolging klanten bij evident misbruik",
            "niet kansrijk",
            "Wacht op wetsvoorstel strafbaarstelling.",
        ],
        ["NLA", "Meer inspecteurs arbeidsuitbuiting", "kansrijk", ""],
        ["NLA", "Risicoanalyse uitzendbranche", "nader uitwerken", ""],
        ["RIEC-LIEC", "Signaleringskaart jongeren", "kansrijk", "Goedkoop en snel."],
        ["JenV", "Strafbaarstelling klanten: implementatie", "kansrijk", ""],
        ["BZ", "Samenwerking herkomstlanden criminele uitbuiting", "nader uitwerken", ""],
        ["VWS", "Passende jeugdzorg voor slachtoffers", "nader uitwerken", "Zeer kostbaar."],
        ["CKM", "Preventie loverboys op scholen", "kansrijk", ""],
        ["CKM", "Monitor klantaanpak", "niet kansrijk", "Past bij WODC-monitor."],
        ["Lumens", "Jongerenwerkers in risicowijken", "kansrijk", ""],
        ["SHOP", "Outreach online sekswerk", "kansrijk", ""],
    ]
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows)
    (RAW / "appreciaties.csv").write_bytes(buf.getvalue().encode("utf-8"))


def main() -> None:
    RAW.mkdir(parents=True, exist_ok=True)
    for make in (politie, comensha, som, vng, om, nla_szw, riec_liec, ministries, ckm, appraisals):
        make()


if __name__ == "__main__":
    main()
