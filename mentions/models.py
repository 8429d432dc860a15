"""What the linker keeps besides suggested mentions: names it could not link alone."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core.models import choices_constraint
from core.text import normalize
from entities.models import Entity


class CandidateKind(models.TextChoices):
    UNKNOWN = "unknown", "Unknown name"
    AMBIGUOUS = "ambiguous", "Ambiguous short form"


class CandidateState(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"


class MentionCandidate(models.Model):
    """A name in an article the finder could not link on its own.

    Either a capitalised name that matches no entity ("Keith Kellogg"), for which the
    editor may create an entity in one click, or a short form shared by several entities
    ("Tsikhanouskaya" when two people have it), which the editor resolves to one of
    `candidates`. A resolved or dismissed candidate is never suggested again for its
    article.
    """

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="mention_candidates"
    )
    kind = models.CharField(max_length=10, choices=CandidateKind.choices)
    state = models.CharField(
        max_length=10, choices=CandidateState.choices, default=CandidateState.OPEN
    )
    text = models.CharField(max_length=200, help_text="The spelling found in the article.")
    normalized = models.CharField(max_length=200, editable=False)
    field = models.CharField(max_length=12, blank=True, help_text="headline, standfirst or body")
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)
    candidates = models.ManyToManyField(
        Entity,
        blank=True,
        related_name="ambiguous_candidacies",
        help_text="For an ambiguous short form: the entities it may stand for; for an "
        "unknown name: the known entities it is probably a spelling of.",
    )
    note = models.CharField(max_length=120, blank=True, help_text="Why the finder asks.")
    occurrences = models.JSONField(
        default=list,
        blank=True,
        help_text='Every place the spelling occurs: [{"field", "span": [start, end], "text"}].',
    )
    # A gazetteer place: prefilled into the entity an editor creates from the candidate.
    entity_kind = models.CharField(
        max_length=12, blank=True, help_text="The kind of entity it probably is (place)."
    )
    geonames_id = models.PositiveIntegerField("GeoNames id", null=True, blank=True)
    country_code = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2.")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    resolved_entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "span_start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "kind", "normalized"], name="mention_candidate_unique"
            ),
            choices_constraint("kind", CandidateKind.choices, "mention_candidate_kind_valid"),
            choices_constraint("state", CandidateState.choices, "mention_candidate_state_valid"),
            models.CheckConstraint(condition=~Q(text=""), name="mention_candidate_text_not_empty"),
            models.CheckConstraint(
                condition=Q(span_start__isnull=True, span_end__isnull=True)
                | Q(span_end__gt=F("span_start")),
                name="mention_candidate_span_valid",
            ),
        ]
        indexes = [models.Index(fields=["article", "state"], name="mention_candidate_open")]

    def __str__(self) -> str:
        return f"{self.text} in {self.article} ({self.get_kind_display()})"

    def save(self, *args, **kwargs) -> None:
        self.normalized = normalize(self.text)[:200]
        super().save(*args, **kwargs)
