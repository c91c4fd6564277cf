from webapp.models import Role


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_dashboard_as_secretariat(client, login_as):
    login_as(Role.SECRETARIAT)
    response = client.get("/oversigt")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Mine opgaver" in html
    assert "Godkendelse" in html
