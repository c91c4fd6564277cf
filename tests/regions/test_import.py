"""Issue 15, part 2: the import of organisations and people from CSV or XLSX."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests import factories
from tests.regions.files import xlsx as _xlsx
from webapp.models import (
    AuditEvent,
    Organisation,
    OrgKind,
    OutboundEmail,
    PendingImport,
    Role,
    RoleGrant,
    User,
)

ORG_HEADER = "Navn;Type;Byråd eller regionsråd;Fælles e-mailadresse"
PEOPLE_HEADER = "Navn;E-mailadresse;Organisation;Roller"


def _csv(*lines: str, encoding: str = "utf-8-sig") -> bytes:
    return "\r\n".join(lines).encode(encoding)


def _upload(client, kind: str, data: bytes, name: str = "fil.csv"):
    return client.post("/admin/import", data={"kind": kind, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _preview(client, kind: str, data: bytes, name: str = "fil.csv") -> tuple[str, str]:
    response = _upload(client, kind, data, name)
    assert response.status_code == 302, response.get_data(as_text=True)
    path = response.headers["Location"]
    return path, client.get(path).get_data(as_text=True)


def _digest(page: str) -> str:
    return re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', page).group(1)


def _org_count(db, region) -> int:
    return db.session.scalar(select(func.count(Organisation.id)).where(
        Organisation.region_id == region.id))


def test_organisations_preview_then_confirm(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    region = world["north"]["region"]
    before = _org_count(db, region)
    data = _csv(ORG_HEADER,
                "Odder Kommune;Kommune;Odder Byråd;post@odder.example",
                "Samsø Kommune;kommune;;",
                "Odder Kommune;Kommune;Odder Byråd;",
                "Region north;Region;Regionsrådet;",
                "Region Midtjylland;Region;Regionsrådet;",
                "Foreningen;Klub;;",
                f"{world['north']['municipality'].name};Kommune;Nyt Byråd;",
                "Brugerforeningen;Brugerorganisation;;")
    path, page = _preview(client, "organisationer", data)
    assert "Forhåndsvisning af import" in page
    assert "En kommune eller region skal have navnet på sit råd" in page
    assert "Organisationen står allerede i række 2" in page
    assert "Kun jeres egen region" in page
    assert "Ukendt type “Klub”" in page
    assert "Ændres" in page and "råd" in page
    assert _org_count(db, region) == before  # nothing written by the preview
    response = client.post(path, data={"digest": _digest(page)})
    assert response.status_code == 302
    db.session.expire_all()
    names = set(db.session.scalars(select(Organisation.name).where(
        Organisation.region_id == region.id)))
    assert {"Odder Kommune", "Region north", "Brugerforeningen"} <= names
    assert "Samsø Kommune" not in names and "Foreningen" not in names
    assert db.session.get(Organisation, world["north"]["municipality"].id).council_name == (
        "Nyt Byråd")
    [event] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "import.organisations")).all()
    assert event.after["created_count"] == 3 and event.after["changed_count"] == 1
    assert event.after["rows"] == 8 and event.region_id == region.id
    assert db.session.scalar(select(func.count(PendingImport.id))) == 0
    # A second click writes nothing more.
    again = client.post(path, data={"digest": _digest(page)})
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "import.organisations")) == 1


def test_a_change_between_preview_and_confirm_is_refused(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    path, page = _preview(client, "organisationer",
                          _csv(ORG_HEADER, "Odder Kommune;Kommune;Odder Byråd;"))
    factories.organisation(world["north"]["region"], name="Odder Kommune")
    db.session.commit()
    response = client.post(path, data={"digest": _digest(page)}, follow_redirects=True)
    assert "ændret siden forhåndsvisningen" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "import.organisations")) == 0
    # A forged digest is the same refusal.
    assert "ændret siden" in client.post(path, data={"digest": "0" * 64},
                                         follow_redirects=True).get_data(as_text=True)


def test_people_import_invites_and_refuses_without_leaking(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    north, mid = world["north"], world["mid"]
    municipality = north["municipality"].name
    foreign = mid["users"][Role.RESPONDENT].email
    own = north["users"][Role.POLITICIAN]
    data = _csv(PEOPLE_HEADER,
                f"Karin;karin@k.example;{municipality};Besvarer",
                f"Karin igen;KARIN@k.example;{municipality};Besvarer",
                f"Fremmed;{foreign};{municipality};Besvarer",
                f"Ukendt;u@k.example;{mid['municipality'].name};Besvarer",
                f"Rolle;r@k.example;{municipality};Borgmester",
                f"Sek;s@k.example;{municipality};Sekretariat",
                f"{own.name};{own.email};{municipality};Politiker, Observatør")
    path, page = _preview(client, "personer", data)
    assert "Adressen står allerede i række 2" in page
    assert "allerede i brug og kan ikke inviteres her" in page
    assert "Region mid" not in page and mid["municipality"].name + " findes" not in page
    assert f"Organisationen “{mid['municipality'].name}” findes ikke i regionen" in page
    assert "Ukendt rolle: “borgmester”" in page
    assert "passer ikke til" in page
    response = client.post(path, data={"digest": _digest(page)})
    assert response.status_code == 302
    db.session.expire_all()
    karin = db.session.scalar(select(User).where(User.email == "karin@k.example"))
    assert karin is not None and karin.password_hash is None and karin.invited_at is not None
    assert set(db.session.scalars(select(RoleGrant.role).where(
        RoleGrant.user_id == own.id))) == {Role.POLITICIAN, Role.OBSERVER}
    invitations = db.session.scalars(select(OutboundEmail.to_address).where(
        OutboundEmail.template == "invitation")).all()
    assert invitations == ["karin@k.example"]
    [event] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "import.people")).all()
    assert (event.after["created_count"], event.after["changed_count"],
            event.after["invited_count"]) == (1, 1, 1)


@pytest.mark.parametrize("data, name, message", [
    (b"", "tom.csv", "Filen er tom"),
    (_csv(ORG_HEADER), "kun-overskrift.csv", "kun overskrifter"),
    (_csv("Navn;Slags;Råd;Mail", "A;Kommune;B;"), "forkert.csv", "Ukendt kolonne: “Slags”"),
    (_csv("Navn;Type", "A;Kommune"), "mangler.csv", "Mangler: “Byråd eller regionsråd”"),
    (b"%PDF-1.4 \x00\x01\x02", "fil.pdf", "Kun CSV- og XLSX-filer"),
    (b"PK\x03\x04garbage", "fil.xlsx", "Kun CSV- og XLSX-filer"),
    (_csv(ORG_HEADER, '"ikke lukket;Kommune;A;'), "citat.csv", "Odder"),
])
def test_bad_files_are_refused_at_the_field(client, db, login_as, data, name, message):
    login_as(Role.SECRETARIAT)
    response = _upload(client, "organisationer", data, name)
    page = response.get_data(as_text=True)
    if message == "Odder":  # an unclosed quote is one long cell: read, not an error page
        assert response.status_code in (302, 422)
        return
    assert response.status_code == 422
    assert message in page
    assert db.session.scalar(select(func.count(PendingImport.id))) == 0


def test_too_many_rows(client, db, login_as):
    login_as(Role.SECRETARIAT)
    rows = [f"Kommune {n};Kommune;Byråd {n};" for n in range(10_001)]
    response = _upload(client, "organisationer", _csv(ORG_HEADER, *rows))
    assert response.status_code == 422
    assert "flere end 10.000 rækker" in response.get_data(as_text=True)


def test_windows_1252_with_commas_and_xlsx_with_a_formula(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    _path, page = _preview(client, "organisationer", _csv(
        "Navn,Type,Byråd eller regionsråd,Fælles e-mailadresse",
        "Ærø Kommune,Kommune,Ærø Kommunalbestyrelse,", encoding="cp1252"))
    assert "Ærø Kommune" in page and "Oprettes" in page
    book = [["Navn", "Type", "Byråd eller regionsråd", "Fælles e-mailadresse"],
            ["Fanø Kommune", "Kommune", "Fanø Kommunalbestyrelse", None],
            ["=A2", "Kommune", "X", None]]
    _path, page = _preview(client, "organisationer", _xlsx(book), "fil.xlsx")
    assert "Fanø Kommune" in page
    assert "Cellen A3 indeholder en formel" in page


def test_templates_download_with_danish_columns(client, login_as):
    login_as(Role.SECRETARIAT)
    csv = client.get("/admin/import/skabelon-personer.csv")
    assert csv.status_code == 200
    assert csv.get_data().decode("utf-8-sig").splitlines()[0] == PEOPLE_HEADER
    xlsx = client.get("/admin/import/skabelon-organisationer.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.get_data()), read_only=True).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows())] == ORG_HEADER.split(";")
    assert client.get("/admin/import/skabelon-andet.csv").status_code == 404
    assert client.get("/admin/import/skabelon-personer.exe").status_code == 404


def test_only_the_uploading_secretariat_sees_its_preview(app, client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    path, _page = _preview(client, "organisationer",
                           _csv(ORG_HEADER, "Odder Kommune;Kommune;Odder Byråd;"))
    client.post("/logout")
    login_as(Role.SECRETARIAT, region="mid")
    assert client.get(path).status_code == 404
    client.post("/logout")
    other = factories.user(world["north"]["secretariat_org"], [Role.SECRETARIAT])
    db.session.commit()
    login_as(other)
    assert client.get(path).status_code == 404
    assert client.get("/admin/import/ikke-et-token").status_code == 404
    client.post("/logout")
    login_as(Role.RESPONDENT)
    assert client.get("/admin/import").status_code == 403
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("kind", ["organisationer", "personer"])
def test_the_preview_costs_the_same_queries_for_10_and_1000_rows(client, db, world, login_as,
                                                                queries, kind):
    login_as(Role.SECRETARIAT)
    municipality = world["north"]["municipality"].name

    def rows(n: int) -> bytes:
        if kind == "organisationer":
            return _csv(ORG_HEADER, *[f"Kommune {i};Kommune;Byråd {i};" for i in range(n)])
        return _csv(PEOPLE_HEADER, *[f"Person {i};p{i}@k.example;{municipality};Besvarer"
                                     for i in range(n)])

    counts = []
    for n in (10, 1000):
        path = _upload(client, kind, rows(n)).headers["Location"]
        with queries() as counted:
            assert client.get(path).status_code == 200
        counts.append(counted.count)
    assert counts[0] == counts[1], counts


def test_cli_import_writes_or_refuses_as_a_whole(app, db, world, tmp_path):
    region = world["north"]["region"]
    good = tmp_path / "org.csv"
    good.write_bytes(_csv(ORG_HEADER, "Odder Kommune;Kommune;Odder Byråd;"))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv(ORG_HEADER, "Skanderborg Kommune;Kommune;Skanderborg Byråd;",
                         "Samsø Kommune;Kommune;;"))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", "organisations", str(bad), "--region", region.code])
    assert result.exit_code == 2 and "afvises; intet er gemt" in result.output
    result = runner.invoke(args=["import", "organisations", str(good), "--region", region.code,
                                 "--dry-run"])
    assert result.exit_code == 0 and "Prøvekørsel" in result.output
    assert _org_count(db, region) == 3
    result = runner.invoke(args=["import", "organisations", str(good), "--region", region.code,
                                 "--by", "Ole"])
    assert result.exit_code == 0, result.output
    assert "1 oprettet" in result.output
    result = runner.invoke(args=["import", "organisations", str(bad), "--region", region.code,
                                 "--skip-refused"])
    assert result.exit_code == 0 and "1 afvist" in result.output
    db.session.expire_all()
    assert _org_count(db, region) == 5
    people = tmp_path / "people.csv"
    people.write_bytes(_csv(PEOPLE_HEADER, "Oda;oda@odder.example;Odder Kommune;Besvarer"))
    result = runner.invoke(args=["import", "people", str(people), "--region", region.code])
    assert result.exit_code == 0 and "1 inviteret" in result.output
    assert runner.invoke(args=["import", "people", str(tmp_path / "nej.csv"), "--region",
                               region.code]).exit_code == 2
    assert runner.invoke(args=["import", "people", str(people), "--region",
                               "ukendt"]).exit_code == 2
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.like("import.%")).order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_name) for e in events] == [
        ("import.organisations", "Ole"), ("import.organisations", "system"),
        ("import.people", "system")]
    assert db.session.scalar(select(Organisation.kind).where(
        Organisation.name == "Odder Kommune")) == OrgKind.MUNICIPALITY
