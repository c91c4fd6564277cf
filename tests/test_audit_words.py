"""The audit log reads as Danish: a label for every action the code records, local times and
readable values, and a filter of choices (issue 9, item 7)."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from tests import factories
from webapp.models import AuditEvent, CycleState, Role
from webapp.permissions import SYSTEM
from webapp.workflows.audit import ACTION_LABELS, FIELD_LABELS
from webapp.workflows.base import record

WEBAPP = Path(__file__).resolve().parent.parent / "webapp"
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")


def _strings(node: ast.AST) -> list[str]:
    """The action codes an expression can give: literals, both sides of `a if c else b`, and
    f"cycle.{state.value}" expanded over the cycle's states."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    if isinstance(node, ast.JoinedStr):
        prefix = "".join(v.value for v in node.values
                         if isinstance(v, ast.Constant) and isinstance(v.value, str))
        assert prefix == "cycle.", f"an f-string action this test cannot expand: {prefix!r}"
        return [f"cycle.{state.value}" for state in CycleState]
    return []


def recorded_actions() -> set[str]:
    """Every action code the code base passes to record(), a state machine's move() or a
    function of its own module with an `action` parameter (the password pages)."""
    found: set[str] = set()
    for path in WEBAPP.rglob("*.py"):
        if path.parent.name == "permissions":  # can(subject, action, …): permissions, no trail
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        takes_action = {f.name: [a.arg for a in f.args.args].index("action")
                        for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
                        and "action" in [a.arg for a in f.args.args]}
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            for keyword in call.keywords:
                if keyword.arg == "action":
                    found.update(_strings(keyword.value))
            name = call.func.id if isinstance(call.func, ast.Name) else None
            if name in takes_action and len(call.args) > takes_action[name]:
                found.update(_strings(call.args[takes_action[name]]))
    return {code for code in found if CODE.match(code)}


def test_every_recorded_action_has_a_danish_label():
    actions = recorded_actions()
    assert {"milestone.moved", "cycle.open", "email.sent", "user.password_reset"} <= actions
    missing = sorted(actions - set(ACTION_LABELS))
    assert not missing, f"actions without a label in workflows/audit.py: {missing}"


def test_record_refuses_an_action_without_a_label(app, db, world, clock):
    with pytest.raises(ValueError, match="no label"):
        record(actor=SYSTEM, action="milestone.teleported", obj=None, now=clock.now(),
               region_id=world["north"]["region"].id)


def _event(db, region_id, action, before, after, object_type="Milestone"):
    db.session.add(AuditEvent(region_id=region_id, actor_name="Sara Sekretær", action=action,
                              object_type=object_type, object_id=1, object_label="Temadag",
                              before=before, after=after,
                              created_at=datetime(2017, 4, 20, 8, 0, tzinfo=UTC)))


def test_audit_log_and_history_read_as_danish(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    north = world["north"]
    region_id = north["region"].id
    cycle = north["cycle"]
    milestone = factories.milestone(cycle, datetime(2017, 5, 1, 10, 0, tzinfo=UTC),
                                    title="Temadag")
    db.session.add(AuditEvent(
        region_id=region_id, actor_name="Sara Sekretær", action="milestone.updated",
        object_type="Milestone", object_id=milestone.id, object_label=milestone.title,
        before={"starts_at": "2017-04-28T07:30:00+00:00", "audience": ["steering_member"],
                "is_public": False, "place": None},
        after={"starts_at": "2017-05-05T07:30:00+00:00",
               "audience": ["politician", "secretariat"], "is_public": True, "place": ""},
        created_at=datetime(2017, 4, 20, 8, 0, tzinfo=UTC)))
    _event(db, region_id, "question.updated", {"config": {}},
           {"config": {"allow_dont_know": True}, "type": "scale"}, object_type="Question")
    db.session.commit()

    for path in ("/admin/log", f"/cykler/{cycle.id}/historik"):
        page = client.get(path).get_data(as_text=True)
        table = page[page.index('<table class="table audit"'):]
        assert "Milepæl ændret" in table, path
        assert "20.04.2017<br>kl. 10.00" in table, "local Copenhagen time"
        assert "Begynder</span>: 28.04.2017 kl. 09.30" in table
        assert "Begynder</span>: 05.05.2017 kl. 09.30" in table
        assert "Målgruppe</span>: Politiker og Sekretariat" in table
        assert "Målgruppe</span>: Medlem af styregruppe" in table
        assert "Offentlig</span>: nej" in table and "Offentlig</span>: ja" in table
        assert "Sted</span>: –" in table and "Sted</span>: (tom)" in table
        for code in ("milestone.updated", "+00:00", "['", "True", "False", "None",
                     "steering_member", "starts_at"):
            assert code not in table, (path, code)
    log = client.get("/admin/log").get_data(as_text=True)
    assert "Opsætning</span>: Tillad “Ved ikke”: ja" in log.replace("&#34;", '"')
    assert "Spørgsmålstype</span>: Skala 1–5" in log
    assert "{'" not in log


def test_audit_filter_is_a_choice_of_danish_labels(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    page = client.get("/admin/log").get_data(as_text=True)
    assert '<select id="handling" name="handling">' in page
    assert '<option value="milestone.moved">Milepæl flyttet</option>' in page
    assert '<optgroup label="Påmindelser og e-mails">' in page
    assert 'type="text" id="handling"' not in page


def test_demo_trail_has_labels_for_every_field(app, db, clock):
    """Every field the demo's trail carries has Danish words (no raw keys on the page)."""
    from webapp.demo.seed import seed_demo

    seed_demo(clock.now())
    db.session.commit()
    keys: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for k, v in value.items():
                keys.add(k)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for event in db.session.scalars(select(AuditEvent)):
        walk(event.before)
        walk(event.after)
    assert keys, "the demo records a trail"
    assert not sorted(keys - set(FIELD_LABELS))


def test_every_action_is_in_a_filter_group():
    from webapp.workflows.audit import ACTION_GROUPS

    prefixes = {p for _label, group in ACTION_GROUPS.values() for p in group}
    assert not sorted(c for c in ACTION_LABELS if c.split(".")[0] not in prefixes)


def test_demo_log_names_the_system_and_the_questions_in_danish(client, db, clock):
    from webapp.demo import nordjylland
    from webapp.demo.seed import seed_demo

    seed_demo(clock.now())
    db.session.commit()
    response = client.post("/login", data={"email": "sekretariat@nordjylland.example",
                                           "password": nordjylland.DEMO_PASSWORD})
    assert response.status_code == 302
    page = client.get("/admin/log?handling=response.saved").get_data(as_text=True)
    table = page[page.index('<table class="table audit"'):]
    assert "Ændrede svar</span>: " in table
    assert "“Kontaktperson (navn og stilling)”" in table, "questions by their text"
    assert "kontakt_navn" not in table and "boern_unge" not in table
    page = client.get("/admin/log?handling=group:e-mails").get_data(as_text=True)
    assert "<td>Systemet</td>" in page and "<td>system</td>" not in page
