"""Entities and aliases have history: who changed what, when; diff and restore for editors."""

import pytest
from django.urls import reverse

from core.models import AuditLog
from entities.models import Alias, Entity, EntityRevision
from tests.factories import person


def person_form(entity: Entity, **fields) -> dict:
    """What the person change form posts, with its aliases and empty other inlines."""
    aliases = list(entity.aliases.order_by("pk"))
    data = {
        "name": entity.name,
        "slug": entity.slug,
        "description": entity.description,
        "aliases-TOTAL_FORMS": len(aliases),
        "aliases-INITIAL_FORMS": len(aliases),
        "roles-TOTAL_FORMS": 0,
        "roles-INITIAL_FORMS": 0,
        "relations-TOTAL_FORMS": 0,
        "relations-INITIAL_FORMS": 0,
    }
    for index, alias in enumerate(aliases):
        data.update(
            {
                f"aliases-{index}-id": alias.pk,
                f"aliases-{index}-entity": entity.pk,
                f"aliases-{index}-name": alias.name,
                f"aliases-{index}-kind": alias.kind,
                f"aliases-{index}-language": alias.language,
                f"aliases-{index}-script": alias.script,
            }
        )
    data.update(fields)
    return data


def _url(name: str, entity: Entity, *args) -> str:
    return reverse(f"admin:entities_person_{name}", args=[entity.pk, *args])


@pytest.fixture
def leader(db):
    return person("Sviatlana Tsikhanouskaya", "Svetlana Tikhanovskaya", description="Politician.")


def test_entity_edit_in_the_admin_leaves_a_revision_and_an_audit_entry(client, editor, leader):
    client.force_login(editor)
    data = person_form(leader, description="Belarusian opposition leader.")
    data.update(
        {
            "aliases-TOTAL_FORMS": 2,
            "aliases-1-entity": leader.pk,
            "aliases-1-name": "Святлана Ціханоўская",
            "aliases-1-kind": "native",
            "aliases-1-language": "be",
            "aliases-1-script": "Cyrl",
        }
    )
    response = client.post(_url("change", leader), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    revisions = list(EntityRevision.objects.filter(entity=leader).order_by("version"))
    # The state before (the fixture had no history) and the edit, by the editor.
    assert [(r.version, r.kind, r.actor) for r in revisions] == [
        (1, "create", None),
        (2, "edit", editor),
    ]
    assert revisions[1].snapshot["description"] == "Belarusian opposition leader."
    assert len(revisions[1].snapshot["aliases"]) == 2
    entry = AuditLog.objects.get(action="entity.edit", object_id=str(leader.pk))
    assert entry.actor == editor
    assert entry.details["changed"] == ["description", "aliases"]

    # Both histories read ?a=&b= the same way (editorial.views.revision_pair).
    assert client.get(_url("revision_diff", leader) + "?a=1&b=x").status_code == 400
    assert client.get(_url("revision_diff", leader) + "?a=1&b=9").status_code == 404
    page = client.get(_url("revision_diff", leader) + "?a=1&b=2").content.decode()
    assert "<ins>Belarusian</ins>" in page or "<ins>Belarusian opposition leader</ins>" in page
    assert "Святлана Ціханоўская" in page
    history = client.get(_url("revisions", leader)).content.decode()
    assert "edna" in history.lower() or "Edna" in history


def test_editor_restores_an_entity_with_its_aliases(client, editor, leader):
    client.force_login(editor)
    client.post(_url("change", leader), person_form(leader, description="Wrong."))
    Alias.objects.filter(entity=leader).delete()
    client.post(_url("change", leader), person_form(leader, description="Wrong again."))
    assert client.get(_url("revision_restore", leader, 1)).status_code == 200
    response = client.post(_url("revision_restore", leader, 1))
    assert response.status_code == 302
    leader.refresh_from_db()
    assert leader.description == "Politician."
    assert list(leader.aliases.values_list("name", flat=True)) == ["Svetlana Tikhanovskaya"]
    last = EntityRevision.objects.filter(entity=leader).order_by("-version").first()
    assert (last.kind, last.actor, last.note) == ("restore", editor, "Restored version 1.")
    assert AuditLog.objects.filter(action="entity.restore", actor=editor).exists()


def test_reporters_read_entity_history_but_cannot_restore(client, reporter, editor, leader):
    client.force_login(editor)
    client.post(_url("change", leader), person_form(leader, description="Edited."))
    client.force_login(reporter)
    assert client.get(_url("revisions", leader)).status_code == 200
    assert client.get(_url("revision_restore", leader, 1)).status_code == 403
    assert client.post(_url("revision_restore", leader, 1)).status_code == 403
    leader.refresh_from_db()
    assert leader.description == "Edited."


def test_alias_admin_writes_leave_a_revision_of_their_entity(client, editor, leader):
    alias = leader.aliases.get()
    client.force_login(editor)
    response = client.post(
        reverse("admin:entities_alias_change", args=[alias.pk]),
        {"entity": leader.pk, "name": "Sviatlana Cichanouskaja", "kind": "spelling"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    last = EntityRevision.objects.filter(entity=leader).order_by("-version").first()
    assert (last.kind, last.actor) == ("edit", editor)
    assert last.snapshot["aliases"][0]["name"] == "Sviatlana Cichanouskaja"
    client.post(reverse("admin:entities_alias_delete", args=[alias.pk]), {"post": "yes"})
    last = EntityRevision.objects.filter(entity=leader).order_by("-version").first()
    assert last.snapshot["aliases"] == []
    assert AuditLog.objects.filter(action="entity.edit", object_id=str(leader.pk)).count() == 2
