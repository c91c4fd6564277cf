"""The consultation's extra documents: the secretariat adds and removes them; whoever reads the
consultation downloads them; a wrong file is refused at its field; others get a 404."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import select

from tests.consultations.test_setup_pages import _once, _opened
from webapp.extensions import db
from webapp.models import ConsultationDocument, Role, StoredFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _post(client, consultation_id: int, data: bytes, name: str, title: str = "Følgebrev"):
    page = client.get(f"/hoeringer/{consultation_id}").get_data(as_text=True)
    return client.post(f"/hoeringer/{consultation_id}/dokumenter", data={
        "title": title, "once": _once(page, 'id="dokumenter"'),
        "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_the_secretariat_adds_a_document_and_the_parties_read_it(client, login_as, app, world):
    c = _opened(app, world)
    login_as(Role.SECRETARIAT)
    response = _post(client, c.id, PDF, "følgebrev.pdf", title="Følgebrev <b>1</b>")
    assert response.status_code == 302
    page = client.get(f"/hoeringer/{c.id}").get_data(as_text=True)
    assert "Følgebrev &lt;b&gt;1&lt;/b&gt;" in page and "følgebrev.pdf" in page
    document = db.session.scalars(select(ConsultationDocument)).one()
    client.post("/logout")
    login_as(Role.RESPONDENT)  # a municipality on the list
    download = client.get(f"/hoeringsdokumenter/{document.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    client.post("/logout")
    login_as(Role.USER_ORG_REP)  # not on the list
    assert client.get(f"/hoeringsdokumenter/{document.id}").status_code == 404
    client.post("/logout")
    login_as(Role.SECRETARIAT, region="mid")
    assert client.get(f"/hoeringsdokumenter/{document.id}").status_code == 404
    assert client.get("/hoeringsdokumenter/999999").status_code == 404


def test_a_wrong_file_is_refused_at_its_field(client, login_as, app, world):
    c = _opened(app, world)
    login_as(Role.SECRETARIAT)
    folder = Path(app.instance_path) / "uploads"
    before = set(folder.iterdir()) if folder.exists() else set()
    response = _post(client, c.id, b"just text", "brev.pdf")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Filens indhold passer ikke til navnet" in page and 'id="file-error"' in page
    assert 'value="Følgebrev"' in page  # the title typed is kept
    assert db.session.scalar(select(StoredFile.id)) is None
    assert (set(folder.iterdir()) if folder.exists() else set()) == before  # no bytes left
    assert _post(client, c.id, PDF, "").status_code == 422  # no file chosen


def test_removing_a_document(client, login_as, app, world):
    c = _opened(app, world)
    login_as(Role.SECRETARIAT)
    assert _post(client, c.id, PDF, "bilag.pdf").status_code == 302
    document = db.session.scalars(select(ConsultationDocument)).one()
    key = db.session.scalar(select(StoredFile.storage_key).where(StoredFile.id == document.file_id))
    stored = Path(app.instance_path) / "uploads" / str(key)
    assert stored.exists()
    page = client.get(f"/hoeringer/{c.id}").get_data(as_text=True)
    assert f"/dokumenter/{document.id}/fjern" in page
    response = client.post(f"/hoeringer/{c.id}/dokumenter/{document.id}/fjern")
    assert response.status_code == 302
    assert db.session.scalar(select(ConsultationDocument.id)) is None
    assert not stored.exists()
    assert "Dokument fjernet fra høringen" in client.get("/admin/log").get_data(as_text=True)


def test_only_the_secretariat_adds(client, login_as, app, world):
    c = _opened(app, world)
    login_as(Role.RESPONDENT)
    response = client.post(f"/hoeringer/{c.id}/dokumenter", data={
        "file": (io.BytesIO(PDF), "x.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 403
    assert db.session.scalar(select(StoredFile.id)) is None
