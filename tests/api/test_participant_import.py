"""Importing participants from the spreadsheets organisers really have: all rows or none."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlalchemy import func, select

from api.extensions import db
from api.models import AvailabilityWindow, Opportunity, Participant, Tag
from tests.api.conftest import Caller

HEADER = "first_name,last_name,email,organisation,organisation_type,country,role,languages\n"
GOOD = (
    HEADER
    + "Jan,Nowak,jan@example.pl,Silesian Cluster,cluster_organisation,PL,Manager,pl;en\n"
    + "Lena,Berg,lena@example.se,Berg Robotics,sme,SE,CEO,sv\n"
)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Participant)) or 0


def _post(
    client: FlaskClient,
    event: dict[str, Any],
    body: str | bytes,
    caller: Caller | None,
    query: str = "",
) -> Any:
    return client.post(
        f"/api/v1/events/{event['id']}/participants/import{query}",
        data=body.encode() if isinstance(body, str) else body,
        content_type="text/csv",
        headers=caller.headers if caller else {},
    )


def _tag(
    client: FlaskClient, event: dict[str, Any], organiser: Caller, slug: str, label: str
) -> None:
    response = client.post(
        f"/api/v1/events/{event['id']}/tags",
        json={"slug": slug, "label": label},
        headers=organiser.headers,
    )
    assert response.status_code == 201, response.json


def _names() -> list[str]:
    return [p.full_name for p in db.session.scalars(select(Participant).order_by(Participant.id))]


def test_import_creates_all_rows_with_tokens(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    response = _post(client, event, GOOD, organiser)
    assert response.status_code == 201
    assert response.json["created"] == 2
    assert all(p["access_token"].startswith("cmp_") for p in response.json["participants"])
    assert response.json["file"] == {"format": "csv", "encoding": "utf-8", "delimiter": ","}
    assert _count() == 2


def test_import_as_multipart_upload(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    response = client.post(
        f"/api/v1/events/{event['id']}/participants/import",
        data={"file": (io.BytesIO(GOOD.encode()), "people.csv")},
        headers=organiser.headers,
    )
    assert response.status_code == 201
    assert _count() == 2


def test_a_belgian_excel_file_semicolons_and_windows_encoding(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    # What Excel on a Belgian (French or Dutch) Windows saves as "CSV": semicolons,
    # Windows-1252, header in words, CRLF line ends.
    body = (
        "First name;Last name;E-mail;Organisation;Organisation type;Country;Region;Attendance\r\n"
        "Françoise;Lefèvre;francoise@example.be;Société Wallonne d'Énergie;SME;BE;Liège;\r\n"
        "Lucía;Muñoz;lucia@example.es;Clúster Vasco;Cluster organisation;ES;País Vasco;"
        "On site\r\n"
        "Jürgen;Müller;jurgen@example.de;Müller & Söhne GmbH;large_company;Germany;;online\r\n"
    ).encode("cp1252")
    response = _post(client, event, body, organiser)
    assert response.status_code == 201, response.json
    assert response.json["file"] == {"format": "csv", "encoding": "cp1252", "delimiter": ";"}
    assert _names() == ["Françoise Lefèvre", "Lucía Muñoz", "Jürgen Müller"]
    people = list(db.session.scalars(select(Participant).order_by(Participant.id)))
    assert people[0].organisation.name == "Société Wallonne d'Énergie"
    assert people[0].organisation.region == "Liège"
    assert people[2].organisation.country == "DE"  # a country's name is accepted too
    # Values as people type them: "SME", "Cluster organisation", "On site".
    assert [p.organisation.type for p in people] == ["sme", "cluster_organisation", "large_company"]
    assert [p.attendance for p in people] == ["on_site", "on_site", "online"]


def test_excels_sep_line_decides_the_delimiter(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    body = "sep=;\r\n" + GOOD.replace(",", ";").replace("pl;en", "pl")
    body += "Bad;Row;not-an-email;Nowhere;sme;BE;;\n"
    response = _post(client, event, body, organiser)
    assert response.status_code == 422
    # Excel hides the sep= line: the header is row 1, the bad row is row 4.
    assert [row["line"] for row in response.json["errors"]["json"]["rows"]] == [4]
    ok = _post(client, event, "sep=;\n" + GOOD.replace(",", ";").replace("pl;en", "pl"), organiser)
    assert ok.status_code == 201, ok.json
    assert ok.json["file"]["delimiter"] == ";"


def test_a_polish_excel_file_in_central_european_windows_encoding(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    body = (
        "first_name;last_name;email;organisation;organisation_type;country\r\n"
        "Łucja;Wójcik;lucja@example.pl;Śląski Klaster Łódź;cluster_organisation;PL\r\n"
        "Michał;Brzęczyszczykiewicz;michal@example.pl;Żółć Sp. z o.o.;sme;PL\r\n"
    ).encode("cp1250")
    response = _post(client, event, body, organiser)
    assert response.status_code == 201, response.json
    assert response.json["file"]["encoding"] == "cp1250"
    assert _names() == ["Łucja Wójcik", "Michał Brzęczyszczykiewicz"]


def test_western_symbols_do_not_make_a_file_central_european(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    body = (
        "first_name;last_name;email;organisation;organisation_type;country;description\r\n"
        "Lucía;Muñoz;lucia@example.es;Clúster Vasco;sme;ES;¿Buscas socios? 50 £ 3° cœur\r\n"
    ).encode("cp1252")
    response = _post(client, event, body, organiser)
    assert response.status_code == 201, response.json
    assert response.json["file"]["encoding"] == "cp1252"
    assert _names() == ["Lucía Muñoz"]


def test_utf8_with_bom_and_chinese_names(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    body = (
        "\ufefffirst_name,last_name,email,organisation,organisation_type,country\n"
        "美玲,陳,meiling@example.tw,臺灣機械工業同業公會,cluster_organisation,TW\n"
    ).encode()
    response = _post(client, event, body, organiser)
    assert response.status_code == 201, response.json
    assert response.json["file"]["encoding"] == "utf-8-sig"
    assert _names() == ["美玲 陳"]


def test_xlsx_import(client: FlaskClient, event: dict[str, Any], organiser: Caller) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(
        [
            "First name",
            "Last name",
            "Email",
            "Organisation",
            "Organisation type",
            "Country",
            "Group",
            "Availability",
        ]
    )
    sheet.append(
        [
            "Ana",
            "Ruiz",
            "ana@example.es",
            "Basque Energy",
            "sme",
            "ES",
            2027,
            "2027-03-10 09:30-12:30",
        ]
    )
    sheet.append([None] * 8)  # a blank row is skipped, not an error
    sheet.append(
        [
            "Piet",
            "de Vries",
            "piet@example.nl",
            "Holland Hightech",
            "cluster_organisation",
            "NL",
            None,
            None,
        ]
    )
    out = io.BytesIO()
    workbook.save(out)
    response = client.post(
        f"/api/v1/events/{event['id']}/participants/import",
        data={"file": (io.BytesIO(out.getvalue()), "people.xlsx")},
        headers=organiser.headers,
    )
    assert response.status_code == 201, response.json
    assert response.json["file"]["format"] == "xlsx"
    ana = db.session.scalar(select(Participant).where(Participant.email == "ana@example.es"))
    assert ana is not None
    assert ana.group == "2027"  # a number cell, read as the text it shows
    assert len(ana.availability) == 1
    assert _count() == 2


def test_an_xlsx_with_xml_entities_is_refused(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["first_name"])
    plain = io.BytesIO()
    workbook.save(plain)
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    hostile = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source,
        zipfile.ZipFile(hostile, "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = laughs.encode()
            target.writestr(item, data)
    response = _post(client, event, hostile.getvalue(), organiser)
    assert response.status_code == 422
    assert response.json["errors"]["json"]["file"] == ["Not a readable .xlsx workbook."]
    assert _count() == 0


def test_every_error_of_every_row_in_row_order(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    lines = [HEADER.strip()]
    for n in range(2, 13):
        lines.append(f"P{n},Q{n},p{n}@example.org,Org {n},sme,BE,,")
    lines[1] = "Bad,Row,not-an-email,Nowhere Ltd,sme,XX,,"  # line 2: two problems
    lines[9] = "Ten,Row,ten@example.org,Org 10,spaceship,BE,,"  # line 10
    lines[10] = "Eleven,,p11@example.org,Org 11,sme,BE,,"  # line 11
    response = _post(client, event, "\n".join(lines) + "\n", organiser)
    assert response.status_code == 422
    rows = response.json["errors"]["json"]["rows"]
    assert [row["line"] for row in rows] == [2, 10, 11]
    assert set(rows[0]["errors"]) == {"email", "country"}
    assert set(rows[1]["errors"]) == {"organisation_type"}
    assert set(rows[2]["errors"]) == {"last_name"}
    assert _count() == 0


def test_duplicate_email_within_file_is_reported(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    body = GOOD + "Jan,Again,JAN@example.pl,Silesian Cluster,cluster_organisation,PL,,\n"
    response = _post(client, event, body, organiser)
    assert response.status_code == 422
    (row,) = response.json["errors"]["json"]["rows"]
    assert row == {"line": 4, "errors": {"email": ["Same email as line 2."]}}
    assert _count() == 0


@pytest.mark.postgres
def test_email_already_registered_is_reported_by_line(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    assert _post(client, event, GOOD, organiser).status_code == 201
    response = _post(client, event, GOOD, organiser)
    assert response.status_code == 422
    assert [row["line"] for row in response.json["errors"]["json"]["rows"]] == [2, 3]
    assert _count() == 2


def test_unknown_tags_are_reported_together(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    _tag(client, event, organiser, "green-transition", "Green transition")
    body = (
        "first_name,last_name,email,organisation,organisation_type,country,interests,sectors\n"
        "A,One,a@example.org,Org A,sme,BE,Green transition;Robotics,\n"
        "B,Two,b@example.org,Org B,sme,BE,green-transition,Hydrogen\n"
        "C,Three,c@example.org,Org C,sme,BE,robotics,\n"
    )
    response = _post(client, event, body, organiser)
    assert response.status_code == 422
    assert response.json["errors"]["json"] == {
        "unknown_tags": [
            {"tag": "Robotics", "lines": [2, 4]},
            {"tag": "Hydrogen", "lines": [3]},
        ]
    }
    assert _count() == 0
    assert db.session.scalar(select(func.count()).select_from(Tag)) == 1


def test_unknown_tags_are_created_when_asked(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    body = (
        "first_name,last_name,email,organisation,organisation_type,country,interests,sectors\n"
        "A,One,a@example.org,Org A,sme,BE,Robotics;Économie circulaire,Hydrogen\n"
        "C,Three,c@example.org,Org C,sme,BE,robotics,\n"
    )
    response = _post(client, event, body, organiser, "?create_tags=true")
    assert response.status_code == 201, response.json
    assert sorted(response.json["tags_created"]) == ["economie-circulaire", "hydrogen", "robotics"]
    kinds = {slug: kind for slug, kind in db.session.execute(select(Tag.slug, Tag.kind))}
    assert kinds["hydrogen"] == "sector" and kinds["robotics"] == "theme"
    people = list(db.session.scalars(select(Participant).order_by(Participant.id)))
    assert sorted(t.label for t in people[0].interests) == ["Robotics", "Économie circulaire"]
    assert [t.slug for t in people[1].interests] == ["robotics"]
    assert [t.slug for t in people[0].organisation.tags] == ["hydrogen"]


def test_create_tags_writes_nothing_when_a_row_is_bad(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    body = (
        "first_name,last_name,email,organisation,organisation_type,country,interests\n"
        "A,One,a@example.org,Org A,sme,BE,Robotics\n"
        "B,Two,not-an-email,Org B,sme,BE,Hydrogen\n"
    )
    response = _post(client, event, body, organiser, "?create_tags=true")
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert [row["line"] for row in errors["rows"]] == [3]
    assert [t["tag"] for t in errors["unknown_tags"]] == ["Robotics", "Hydrogen"]
    assert db.session.scalar(select(func.count()).select_from(Tag)) == 0
    assert _count() == 0


def test_offers_requests_and_availability_columns(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    body = (
        "first_name,last_name,email,organisation,organisation_type,country,offers,requests,"
        "availability\n"
        "A,One,a@example.org,Org A,sme,BE,Pneumatic grippers;Cobot training,Battery recycling"
        ",2027-03-10 09:30-12:30; 2027-03-11 14:00-16:00\n"
    )
    response = _post(client, event, body, organiser)
    assert response.status_code == 201, response.json
    items = db.session.execute(
        select(Opportunity.kind, Opportunity.title).order_by(Opportunity.id)
    ).all()
    assert [tuple(i) for i in items] == [
        ("offer", "Pneumatic grippers"),
        ("offer", "Cobot training"),
        ("request", "Battery recycling"),
    ]
    person = db.session.scalar(select(Participant))
    assert person is not None
    # Event time zone Europe/Brussels: 09:30 local is 08:30 UTC in March.
    assert [w.start_dt.hour for w in person.availability] == [8, 13]


def test_bad_availability_is_reported(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    body = (
        "first_name,last_name,email,organisation,organisation_type,country,availability\n"
        "A,One,a@example.org,Org A,sme,BE,2027-03-10 12:00-09:00;tomorrow;2030-01-01 09:00-10:00\n"
    )
    response = _post(client, event, body, organiser)
    assert response.status_code == 422
    (row,) = response.json["errors"]["json"]["rows"]
    assert len(row["errors"]["availability"]) == 3
    assert _count() == 0


def test_malformed_files_are_refused(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    missing_columns = "name,mail\nJan,jan@example.pl\n"
    response = _post(client, event, missing_columns, organiser)
    assert response.status_code == 422
    assert "Missing column" in str(response.json["errors"])
    too_many_values = HEADER + "Jan,Nowak,jan@example.pl,Org,sme,PL,Role,pl,EXTRA\n"
    response = _post(client, event, too_many_values, organiser)
    assert response.status_code == 422
    assert response.json["errors"]["json"]["rows"][0]["errors"]["row"]
    assert _post(client, event, HEADER, organiser).status_code == 422
    assert _post(client, event, b"", organiser).status_code == 422
    for garbage in (b"\xff\xfe\x00garbage", b"\x00\x01\x02\x03" * 20, b"PK\x03\x04broken"):
        response = _post(client, event, garbage, organiser)
        assert response.status_code == 422
        assert "file" in response.json["errors"]["json"]
    assert _count() == 0


def test_a_huge_upload_is_refused_before_it_is_read(
    client: FlaskClient, event: dict[str, Any], organiser: Caller
) -> None:
    huge = GOOD.encode() + b"x" * (22 * 1024 * 1024)
    response = _post(client, event, huge, organiser)
    assert response.status_code == 413
    assert response.json["code"] == 413
    # The form upload written out by hand: the test client's own encoder spools a large
    # file to a temporary file it never closes when the server refuses to read it.
    form = (
        b"--limit\r\n"
        b'Content-Disposition: form-data; name="file"; filename="people.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\n" + huge + b"\r\n--limit--\r\n"
    )
    multipart = client.post(
        f"/api/v1/events/{event['id']}/participants/import",
        data=form,
        content_type="multipart/form-data; boundary=limit",
        headers=organiser.headers,
    )
    assert multipart.status_code == 413
    assert _count() == 0


def test_only_the_events_organiser_imports(
    client: FlaskClient, event: dict[str, Any], organiser_factory: Any, participant_factory: Any
) -> None:
    assert _post(client, event, GOOD, None).status_code == 401
    assert _post(client, event, GOOD, organiser_factory("B")).status_code == 403
    assert _post(client, event, GOOD, participant_factory()).status_code == 403
    assert _count() == 1


def _export(client: FlaskClient, event: dict[str, Any], organiser: Caller, name: str) -> bytes:
    response = client.get(f"/api/v1/events/{event['id']}/exports/{name}", headers=organiser.headers)
    assert response.status_code == 200
    return response.data


def _comparable(data: bytes) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    for row in rows:
        del row["participant_id"], row["registered"]
    return rows


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_reimports_into_another_event(
    client: FlaskClient, event_factory: Any, organiser: Caller, fmt: str
) -> None:
    first, second = event_factory(), event_factory()
    _tag(client, first, organiser, "hydrogen", "Hydrogen valleys")
    body = (
        "first_name,last_name,email,organisation,organisation_type,country,interests,sectors,"
        "languages,timezone,group,role,description,website,offers,requests,availability\n"
        "Lucía,Muñoz,lucia@example.es,Clúster Vasco,cluster_organisation,ES,hydrogen,"
        'Hydrogen valleys,es;en,Europe/Madrid,eu,-Director,"=1+1, said nobody",'
        "https://cluster.example.es,Electrolysers;Testing,Investors,2027-03-10 09:30-12:30\n"
        "美玲,陳,meiling@example.tw,臺灣機械工業同業公會,cluster_organisation,TW,,,zh,"
        ",taiwan,,,,,,\n"
    )
    assert _post(client, first, body, organiser).status_code == 201
    exported = _export(client, first, organiser, f"participants.{fmt}")
    response = client.post(
        f"/api/v1/events/{second['id']}/participants/import?create_tags=true",
        data={"file": (io.BytesIO(exported), f"participants.{fmt}")},
        headers=organiser.headers,
    )
    assert response.status_code == 201, response.json
    assert response.json["tags_created"] == ["hydrogen-valleys"]
    before = _comparable(_export(client, first, organiser, "participants.csv"))
    after = _comparable(_export(client, second, organiser, "participants.csv"))
    assert after == before
    assert before[0]["role"] == "'-Director"  # formula-like text stays text in the export
    assert (
        db.session.scalar(
            select(Participant.role).where(Participant.event_id == second["id"]).limit(1)
        )
        == "-Director"
    )
    assert before[0]["offers"] == "Electrolysers; Testing"


def test_availability_crossing_midnight_exports_and_reimports(
    client: FlaskClient, event_factory: Any, organiser: Caller
) -> None:
    first, second = event_factory(), event_factory()
    body = (
        "first_name,last_name,email,organisation,organisation_type,country,availability\n"
        "Mei,Chen,mei@example.tw,Taipei Tech,sme,TW,2027-03-10 22:00-2027-03-11 03:00\n"
    )
    assert _post(client, first, body, organiser).status_code == 201
    person = db.session.scalar(select(Participant).where(Participant.event_id == first["id"]))
    assert person is not None
    # A window stored before the event (as an online participant's working hours can be)
    # is cut to the event's days in the export: the part that can be scheduled.
    person.availability.append(
        AvailabilityWindow(
            start_dt=datetime(2027, 3, 9, 19, 0, tzinfo=UTC),
            end_dt=datetime(2027, 3, 10, 1, 0, tzinfo=UTC),
        )
    )
    db.session.commit()
    exported = _export(client, first, organiser, "participants.csv")
    (row,) = _comparable(exported)
    assert row["availability"] == "2027-03-10 00:00-02:00; 2027-03-10 22:00-2027-03-11 03:00"
    response = client.post(
        f"/api/v1/events/{second['id']}/participants/import",
        data={"file": (io.BytesIO(exported), "participants.csv")},
        headers=organiser.headers,
    )
    assert response.status_code == 201, response.json
    assert _comparable(_export(client, second, organiser, "participants.csv")) == [row]
