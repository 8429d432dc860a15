"""Roles, relations and participations are entity writes: each leaves a revision of the
entity they belong to (the person, the relation's subject, the event) and an audit entry,
and editors diff and restore them like aliases."""

import pytest
from django.urls import reverse

from core.models import AuditLog
from entities.models import (
    EntityKind,
    EntityRevision,
    Participation,
    Relation,
    Role,
)
from tests.factories import make_entity, person

pytestmark = pytest.mark.django_db


def _last(entity) -> EntityRevision:
    return EntityRevision.objects.filter(entity=entity).order_by("-version").first()


@pytest.fixture
def world(db):
    return {
        "leader": person("Sviatlana Tsikhanouskaya", description="Politician."),
        "husband": person("Sergei Tikhanovsky"),
        "office": make_entity("United Transitional Cabinet", EntityKind.ORGANIZATION),
        "talks": make_entity("Vilnius talks", EntityKind.EVENT),
    }


def test_role_admin_add_change_delete_leave_revisions_of_the_person(client, editor, world):
    leader, office = world["leader"], world["office"]
    client.force_login(editor)
    response = client.post(
        reverse("admin:entities_role_add"),
        {"person": leader.pk, "title": "Head of the Cabinet", "affiliation": office.pk},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    role = Role.objects.get(person=leader)
    revisions = list(EntityRevision.objects.filter(entity=leader).order_by("version"))
    # The state before (no history yet) and the new role, by the editor.
    assert [(r.kind, r.actor) for r in revisions] == [("create", None), ("edit", editor)]
    assert revisions[0].snapshot["roles"] == []
    (recorded,) = revisions[1].snapshot["roles"]
    assert (recorded["title"], recorded["affiliation"]) == ("Head of the Cabinet", office.pk)
    entry = AuditLog.objects.filter(action="entity.edit", object_id=str(leader.pk)).get()
    assert entry.actor == editor and entry.details["changed"] == ["roles"]

    client.post(
        reverse("admin:entities_role_change", args=[role.pk]),
        {"person": leader.pk, "title": "Leader of the opposition", "affiliation": office.pk},
    )
    assert _last(leader).snapshot["roles"][0]["title"] == "Leader of the opposition"
    client.post(reverse("admin:entities_role_delete", args=[role.pk]), {"post": "yes"})
    assert not Role.objects.exists()
    assert _last(leader).snapshot["roles"] == []
    assert EntityRevision.objects.filter(entity=leader).count() == 4


def test_a_role_moved_to_another_person_is_recorded_on_both(client, editor, world):
    leader, husband = world["leader"], world["husband"]
    role = Role.objects.create(person=leader, title="Blogger")
    client.force_login(editor)
    response = client.post(
        reverse("admin:entities_role_change", args=[role.pk]),
        {"person": husband.pk, "title": "Blogger"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _last(husband).snapshot["roles"][0]["title"] == "Blogger"
    assert _last(leader).snapshot["roles"] == []
    assert "Blogger" in _last(leader).note


def test_relation_admin_leaves_a_revision_of_its_subject(client, editor, world):
    leader, husband = world["leader"], world["husband"]
    client.force_login(editor)
    response = client.post(
        reverse("admin:entities_relation_add"),
        {"subject": husband.pk, "kind": "spouse", "object": leader.pk},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    (recorded,) = _last(husband).snapshot["relations"]
    assert (recorded["kind"], recorded["object"]) == ("spouse", leader.pk)
    assert _last(husband).actor == editor
    relation = Relation.objects.get()
    client.post(reverse("admin:entities_relation_delete", args=[relation.pk]), {"post": "yes"})
    assert _last(husband).snapshot["relations"] == []


def test_participation_admin_leaves_a_revision_of_its_event(client, editor, world):
    talks, leader = world["talks"], world["leader"]
    client.force_login(editor)
    response = client.post(
        reverse("admin:entities_participation_add"),
        {"event": talks.pk, "participant": leader.pk, "role": "host"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    (recorded,) = _last(talks).snapshot["participations"]
    assert (recorded["participant"], recorded["role"]) == (leader.pk, "host")
    participation = Participation.objects.get()
    client.post(
        reverse("admin:entities_participation_change", args=[participation.pk]),
        {"event": talks.pk, "participant": leader.pk, "role": "speaker"},
    )
    assert _last(talks).snapshot["participations"][0]["role"] == "speaker"
    assert AuditLog.objects.filter(action="entity.edit", object_id=str(talks.pk)).count() == 2


def test_editors_diff_and_restore_roles(client, editor, world):
    leader, office = world["leader"], world["office"]
    client.force_login(editor)
    client.post(
        reverse("admin:entities_role_add"),
        {"person": leader.pk, "title": "Head of the Cabinet", "affiliation": office.pk},
    )
    role = Role.objects.get()
    client.post(reverse("admin:entities_role_delete", args=[role.pk]), {"post": "yes"})
    diff = client.get(
        reverse("admin:entities_person_revision_diff", args=[leader.pk]) + "?a=2&b=3"
    ).content.decode()
    assert "Head of the Cabinet" in diff and "United Transitional Cabinet" in diff
    response = client.post(reverse("admin:entities_person_revision_restore", args=[leader.pk, 2]))
    assert response.status_code == 302
    restored = Role.objects.get(person=leader)
    assert (restored.title, restored.affiliation) == ("Head of the Cabinet", office)
    assert _last(leader).kind == "restore"


def test_reporters_cannot_write_roles(client, reporter, world):
    client.force_login(reporter)
    response = client.post(
        reverse("admin:entities_role_add"), {"person": world["leader"].pk, "title": "Spy"}
    )
    assert response.status_code == 403
    assert not Role.objects.exists()
    assert not EntityRevision.objects.exists()
