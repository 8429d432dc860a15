"""People, organizations, events and places: one curated table family.

All four kinds live in one `Entity` table with a `kind`, so that mentions, quotes,
statistics, relations and aliases point at entities with one real foreign key, and a
merge moves rows with one UPDATE per table. Kind-specific columns (an event's dates, a
place's parent and coordinates, an organization's country) are nullable and check
constraints keep them on their own kind. Proxy models give each kind its own manager and
admin.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.dates import PartialDate, format_span, period_end
from core.links import slug_path
from core.models import (
    SlugNaturalKeyManager,
    choices_constraint,
    partial_date,
    partial_date_constraint,
    precision_field,
)
from core.search_keys import SEPARATOR, name_keys, search_key
from core.text import normalize


class EntityKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organization"
    EVENT = "event", "Event"
    PLACE = "place", "Place"


# URL path segment of each kind's public pages, also used by the API.
KIND_URL_PREFIX = {
    EntityKind.PERSON: "people",
    EntityKind.ORGANIZATION: "organizations",
    EntityKind.EVENT: "events",
    EntityKind.PLACE: "places",
}


class PlaceKind(models.TextChoices):
    COUNTRY = "country", "Country"
    REGION = "region", "Region"
    CITY = "city", "City"
    VENUE = "venue", "Venue"
    OTHER = "other", "Other"


class OrganizationKind(models.TextChoices):
    NGO = "ngo", "Non-governmental organization"
    INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental forum"
    GOVERNMENT = "government", "Government"
    PLATFORM = "platform", "Platform"
    MEDIA = "media", "Media"
    PARTY = "party", "Political party"
    COMPANY = "company", "Company"
    OTHER = "other", "Other"


class EntityQuerySet(models.QuerySet):
    def active(self):
        """Entities that were not merged into another."""
        return self.filter(merged_into__isnull=True)

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def sharing_a_name_with(self, names: Iterable[str]):
        """Entities whose name or one of whose aliases folds to the key of one of `names`
        (core.search_keys: strictly, or with diacritics dropped): the records a new entity
        with these names would duplicate. "Lukasenka" meets Alexander Lukashenka through
        his alias Łukašenka."""
        keys = name_keys(names)
        if not keys:
            return self.none()
        matches = Q()
        for key in keys:
            # A stored search key is "strict" or "strict | stripped" (core.search_keys).
            matches |= (
                Q(search_key=key)
                | Q(search_key__startswith=key + SEPARATOR)
                | Q(search_key__endswith=SEPARATOR + key)
            )
        return self.filter(matches | Q(pk__in=Alias.objects.filter(matches).values("entity_id")))

    def overlapping(self, date_from=None, date_to=None):
        """Events whose period (at its precision) meets [date_from, date_to]."""
        queryset = self
        if date_from is not None:
            queryset = queryset.filter(period_end__gte=date_from)
        if date_to is not None:
            queryset = queryset.filter(period_start__lte=date_to)
        return queryset


class EntityManager(SlugNaturalKeyManager.from_queryset(EntityQuerySet)):
    pass


class Entity(models.Model):
    kind = models.CharField(max_length=12, choices=EntityKind.choices)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.CharField(
        max_length=300, blank=True, help_text="One sentence shown beside every mention."
    )
    search_key = models.CharField(
        max_length=420,
        blank=True,
        editable=False,
        help_text="The name's folded forms (core.search_keys), for admin search.",
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        help_text="Set when this record was merged into a survivor; its URL redirects there.",
    )

    # Places.
    place_kind = models.CharField(max_length=10, choices=PlaceKind.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"kind": EntityKind.PLACE},
        help_text="The place this one is in (Vilnius is in Lithuania).",
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    # Organizations.
    organization_kind = models.CharField(
        max_length=20, choices=OrganizationKind.choices, blank=True
    )
    country = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations_based_here",
        limit_choices_to={"kind": EntityKind.PLACE},
    )

    # Events: a start and an optional end, each known to a precision, and a place.
    start = models.DateField(null=True, blank=True)
    start_precision = precision_field()
    end = models.DateField(null=True, blank=True)
    end_precision = precision_field()
    location = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events_here",
        limit_choices_to={"kind": EntityKind.PLACE},
    )
    # Derived from start/end and their precisions, for range-overlap filters in SQL.
    period_start = models.DateField(null=True, blank=True, editable=False)
    period_end = models.DateField(null=True, blank=True, editable=False)

    # External identifiers: the same thing in other datasets, published as schema.org sameAs.
    geonames_id = models.PositiveIntegerField(
        "GeoNames id",
        null=True,
        blank=True,
        help_text="A place's GeoNames id, prefilled from the gazetteer.",
    )
    wikidata_id = models.CharField(
        "Wikidata QID",
        max_length=16,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata item id, such as Q184.")],
        help_text="Set by an editor, e.g. Q184; empty unless someone checked it.",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntityManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "entities"
        indexes = [
            models.Index(fields=["kind", "name"]),
            models.Index(fields=["period_start", "period_end"]),
        ]
        constraints = [
            choices_constraint("kind", EntityKind.choices, "entity_kind_valid"),
            choices_constraint(
                "place_kind", PlaceKind.choices, "entity_place_kind_valid", allow_blank=True
            ),
            choices_constraint(
                "organization_kind",
                OrganizationKind.choices,
                "entity_organization_kind_valid",
                allow_blank=True,
            ),
            models.CheckConstraint(
                condition=Q(kind=EntityKind.PLACE)
                | Q(place_kind="", parent__isnull=True, latitude__isnull=True),
                name="entity_place_fields_only_on_places",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="entity_coordinates_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind=EntityKind.ORGANIZATION)
                | Q(organization_kind="", country__isnull=True),
                name="entity_organization_fields_only_on_organizations",
            ),
            models.CheckConstraint(
                condition=Q(kind=EntityKind.EVENT, start__isnull=False)
                | (
                    ~Q(kind=EntityKind.EVENT)
                    & Q(start__isnull=True, end__isnull=True, location__isnull=True)
                ),
                name="entity_events_have_a_start",
            ),
            partial_date_constraint("start", "entity_start_precision"),
            partial_date_constraint("end", "entity_end_precision"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="entity_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")), name="entity_not_merged_into_itself"
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="entity_slug_not_empty"),
            # The field's RegexValidator checks the whole shape (Q184). The database checks
            # what it can without a regex: SQLite knows REGEXP only on Django's connections,
            # so a regex here would fail the sqlite3 shell's inserts and integrity_check.
            models.CheckConstraint(
                condition=Q(wikidata_id="")
                | (Q(wikidata_id__startswith="Q") & ~Q(wikidata_id__startswith="Q0")),
                name="entity_wikidata_id_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.refresh_derived_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_path(f"site:{self.kind}-detail", self.slug)

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def refresh_derived_fields(self) -> None:
        """Recompute the name's search key and the event period used by date filters."""
        self.search_key = search_key(self.name)
        if self.start is None:
            self.period_start = self.period_end = None
            return
        start = self.start_date
        end = self.end_date or start
        self.period_start = start.first_day
        self.period_end = period_end(end.date, end.precision)

    @property
    def same_as(self) -> list[str]:
        """URLs of this entity in other datasets (schema.org sameAs)."""
        urls = []
        if self.geonames_id:
            urls.append(f"https://www.geonames.org/{self.geonames_id}")
        if self.wikidata_id:
            urls.append(f"https://www.wikidata.org/wiki/{self.wikidata_id}")
        return urls

    @property
    def url_prefix(self) -> str:
        return KIND_URL_PREFIX[self.kind]

    @property
    def start_date(self) -> PartialDate | None:
        return partial_date(self.start, self.start_precision)

    @property
    def end_date(self) -> PartialDate | None:
        return partial_date(self.end, self.end_precision)

    @property
    def date_display(self) -> str:
        if self.start_date is None:
            return ""
        return format_span(self.start_date, self.end_date)


class KindManager(EntityManager):
    """The default manager of a proxy model: only entities of its kind."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def get_queryset(self):
        return super().get_queryset().filter(kind=self.kind)

    def deconstruct(self):
        return (False, f"{type(self).__module__}.{type(self).__name__}", None, [self.kind], {})


class KindProxy(Entity):
    """Saving through a proxy sets the kind."""

    entity_kind: str = ""

    class Meta:
        proxy = True

    def save(self, *args, **kwargs) -> None:
        self.kind = self.entity_kind
        super().save(*args, **kwargs)


class Person(KindProxy):
    entity_kind = EntityKind.PERSON
    objects = KindManager(EntityKind.PERSON)

    class Meta:
        proxy = True
        verbose_name_plural = "people"


class Organization(KindProxy):
    entity_kind = EntityKind.ORGANIZATION
    objects = KindManager(EntityKind.ORGANIZATION)

    class Meta:
        proxy = True


class Event(KindProxy):
    entity_kind = EntityKind.EVENT
    objects = KindManager(EntityKind.EVENT)

    class Meta:
        proxy = True


class Place(KindProxy):
    entity_kind = EntityKind.PLACE
    objects = KindManager(EntityKind.PLACE)

    class Meta:
        proxy = True


PROXY_BY_KIND = {
    EntityKind.PERSON: Person,
    EntityKind.ORGANIZATION: Organization,
    EntityKind.EVENT: Event,
    EntityKind.PLACE: Place,
}


class AliasKind(models.TextChoices):
    TRANSLITERATION = "transliteration", "Transliteration"
    SPELLING = "spelling", "Spelling variant"
    SHORT = "short", "Short form"
    NATIVE = "native", "Native script"
    TRANSLATION = "translation", "Translation"
    ABBREVIATION = "abbreviation", "Abbreviation"
    FORMER = "former", "Former name"
    MERGED = "merged", "Name of a merged record"


class AliasManager(models.Manager):
    def get_by_natural_key(self, entity_slug: str, name: str):
        return self.get(entity__slug=entity_slug, name=name)


class Alias(models.Model):
    """Another name of an entity: a spelling, transliteration, script or short form."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    normalized = models.CharField(
        max_length=200,
        db_index=True,
        editable=False,
        help_text="Case-, diacritic- and script-folded form used for matching and search.",
    )
    search_key = models.CharField(
        max_length=420,
        blank=True,
        editable=False,
        help_text="The name's folded forms (core.search_keys), for admin search.",
    )
    kind = models.CharField(max_length=16, choices=AliasKind.choices)
    language = models.CharField(
        max_length=16, blank=True, help_text="BCP 47 language tag, e.g. be, uk, ru, pl."
    )
    script = models.CharField(max_length=4, blank=True, help_text="ISO 15924 code: Latn, Cyrl.")

    objects = AliasManager()

    class Meta:
        ordering = ["entity", "name"]
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(fields=["entity", "name"], name="alias_unique_per_entity"),
            choices_constraint("kind", AliasKind.choices, "alias_kind_valid"),
            models.CheckConstraint(condition=~Q(name=""), name="alias_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.normalized = normalize(self.name)
        self.search_key = search_key(self.name)
        super().save(*args, **kwargs)
        self._touch_entity()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._touch_entity()
        return result

    def _touch_entity(self) -> None:
        # An entity's names are part of it: its updated_at (the API's Last-Modified and
        # updated_since) moves with them.
        Entity.objects.filter(pk=self.entity_id).update(updated_at=timezone.now())

    def natural_key(self) -> tuple[str, str]:
        return (self.entity.slug, self.name)

    natural_key.dependencies = ["entities.entity"]


class RoleManager(models.Manager):
    def get_by_natural_key(self, person_slug: str, title: str):
        return self.get(person__slug=person_slug, title=title)


class Role(models.Model):
    """A time-bounded position of a person: President of Ukraine since 2019."""

    person = models.ForeignKey(
        Entity,
        on_delete=models.CASCADE,
        related_name="roles",
        limit_choices_to={"kind": EntityKind.PERSON},
    )
    title = models.CharField(max_length=200)
    affiliation = models.ForeignKey(
        Entity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_holders",
        help_text="The organization or country the role belongs to.",
    )
    start = models.DateField(null=True, blank=True)
    start_precision = precision_field()
    end = models.DateField(null=True, blank=True)
    end_precision = precision_field()

    objects = RoleManager()

    class Meta:
        ordering = ["person", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["person", "title"], name="role_unique_title"),
            partial_date_constraint("start", "role_start_precision"),
            partial_date_constraint("end", "role_end_precision"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
                name="role_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str, str]:
        return (self.person.slug, self.title)

    natural_key.dependencies = ["entities.entity"]

    @property
    def is_current(self) -> bool:
        return self.end is None

    @property
    def date_display(self) -> str:
        start = partial_date(self.start, self.start_precision)
        end = partial_date(self.end, self.end_precision)
        if start is None:
            return f"until {end.display()}" if end else ""
        return f"since {start.display()}" if end is None else format_span(start, end)


class RelationKind(models.TextChoices):
    SPOUSE = "spouse", "spouse of"
    MEMBER = "member", "member of"
    LEADER = "leader", "leader of"
    FOUNDER = "founder", "founder of"
    ADVISER = "adviser", "adviser to"
    OPPONENT = "opponent", "opponent of"
    ALLY = "ally", "ally of"


SYMMETRIC_RELATIONS = {RelationKind.SPOUSE, RelationKind.OPPONENT, RelationKind.ALLY}


class RelationManager(models.Manager):
    def get_by_natural_key(self, subject_slug: str, kind: str, object_slug: str):
        return self.get(subject__slug=subject_slug, kind=kind, object__slug=object_slug)


class Relation(models.Model):
    """A relation between two entities: Sergei Tikhanovsky is the spouse of …"""

    subject = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(max_length=10, choices=RelationKind.choices)
    object = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="inverse_relations")
    start = models.DateField(null=True, blank=True)
    start_precision = precision_field()
    end = models.DateField(null=True, blank=True)
    end_precision = precision_field()
    note = models.CharField(max_length=300, blank=True)

    objects = RelationManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "kind", "object"], name="relation_unique_triple"
            ),
            choices_constraint("kind", RelationKind.choices, "relation_kind_valid"),
            models.CheckConstraint(
                condition=~Q(subject=F("object")), name="relation_not_to_itself"
            ),
            partial_date_constraint("start", "relation_start_precision"),
            partial_date_constraint("end", "relation_end_precision"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} — {self.get_kind_display()} — {self.object}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.subject.slug, self.kind, self.object.slug)

    natural_key.dependencies = ["entities.entity"]

    @property
    def is_symmetric(self) -> bool:
        return self.kind in SYMMETRIC_RELATIONS


class ParticipationRole(models.TextChoices):
    HOST = "host", "Host"
    PARTICIPANT = "participant", "Participant"
    LAUREATE = "laureate", "Laureate"
    ORGANIZER = "organizer", "Organizer"
    SPEAKER = "speaker", "Speaker"
    SUBJECT = "subject", "Subject"
    PERPETRATOR = "perpetrator", "Perpetrator"
    TARGET = "target", "Target"


class ParticipationManager(models.Manager):
    def get_by_natural_key(self, event_slug: str, participant_slug: str, role: str):
        return self.get(event__slug=event_slug, participant__slug=participant_slug, role=role)


class Participation(models.Model):
    """Who took part in an event, and as what."""

    event = models.ForeignKey(
        Entity,
        on_delete=models.CASCADE,
        related_name="participations",
        limit_choices_to={"kind": EntityKind.EVENT},
    )
    participant = models.ForeignKey(
        Entity, on_delete=models.CASCADE, related_name="event_participations"
    )
    role = models.CharField(max_length=12, choices=ParticipationRole.choices)

    objects = ParticipationManager()

    class Meta:
        ordering = ["event", "role", "participant"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "participant", "role"], name="participation_unique"
            ),
            choices_constraint("role", ParticipationRole.choices, "participation_role_valid"),
            models.CheckConstraint(
                condition=~Q(event=F("participant")), name="participation_not_in_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} ({self.get_role_display()}) at {self.event}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.event.slug, self.participant.slug, self.role)

    natural_key.dependencies = ["entities.entity"]


class EntityRevisionKind(models.TextChoices):
    CREATE = "create", "Created"
    EDIT = "edit", "Edited"
    RESTORE = "restore", "Restored"


class EntityRevision(models.Model):
    """An entity with its aliases as it was after one save: who, when, through which path.

    Written by workflow.entities for every entity and alias write of the admin; the
    snapshot is what a restore brings back.
    """

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(help_text="1 for the first recorded save, then +1.")
    kind = models.CharField(max_length=10, choices=EntityRevisionKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=20, help_text="admin, import, …")
    note = models.TextField(blank=True)
    snapshot = models.JSONField(help_text="The entity's fields and aliases after the save.")

    class Meta:
        ordering = ["entity", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "version"], name="entity_revision_unique_version"
            ),
            choices_constraint("kind", EntityRevisionKind.choices, "entity_revision_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} v{self.version} ({self.get_kind_display()})"
