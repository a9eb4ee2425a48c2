"""Output shapes of the analytics API (they document the schema and render the selectors'
plain data; nothing here computes)."""

from __future__ import annotations

from rest_framework import serializers


class StageCount(serializers.Serializer[dict]):
    stage = serializers.CharField()
    count = serializers.IntegerField()


class Outcome(serializers.Serializer[dict]):
    hires = serializers.IntegerField()
    filled = serializers.BooleanField()
    filled_on = serializers.DateField(allow_null=True)
    met_target = serializers.BooleanField(allow_null=True)


class StageBasis(serializers.Serializer[dict]):
    stage = serializers.CharField()
    opening_decided = serializers.IntegerField()
    role_decided = serializers.IntegerField()
    everything_decided = serializers.IntegerField()
    mean = serializers.FloatField(help_text="Posterior mean conversion.")
    low = serializers.FloatField(help_text="5th percentile of the posterior.")
    high = serializers.FloatField(help_text="95th percentile of the posterior.")
    dwell_from = serializers.CharField(help_text="opening, role or everything")
    dwell_observations = serializers.IntegerField()
    dwell_median_days = serializers.IntegerField(allow_null=True)


class ArrivalRate(serializers.Serializer[dict]):
    source = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.source
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    per_week = serializers.FloatField()


class WeeklyChance(serializers.Serializer[dict]):
    week_start = serializers.DateField()
    probability = serializers.FloatField()


class Simulation(serializers.Serializer[dict]):
    runs = serializers.IntegerField()
    p_filled_by_target = serializers.FloatField(
        allow_null=True, help_text="Null when the opening has no target date."
    )
    fill_date_p10 = serializers.DateField(allow_null=True)
    fill_date_p50 = serializers.DateField(allow_null=True)
    fill_date_p80 = serializers.DateField(allow_null=True)
    fill_date_p90 = serializers.DateField(
        allow_null=True, help_text="Null when the quantile lies beyond the horizon."
    )
    extra_sourced_for_80_percent = serializers.IntegerField(
        allow_null=True,
        help_text="More candidates sourced today that would lift P(filled by target) to 80 %.",
    )
    horizon_end = serializers.DateField()
    beyond_horizon = serializers.FloatField()
    weekly = WeeklyChance(many=True)
    falls_back_to_pooled = serializers.BooleanField()
    stages = StageBasis(many=True)
    arrivals = ArrivalRate(many=True)
    arrival_basis = serializers.CharField()


class ForecastOutput(serializers.Serializer[dict]):
    opening = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    headcount = serializers.IntegerField()
    hires = serializers.IntegerField()
    opened_on = serializers.DateField(allow_null=True)
    target_fill_date = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    kind = serializers.ChoiceField(choices=["forecast", "outcome"])
    today = serializers.DateField()
    pipeline = StageCount(many=True)
    outcome = Outcome(allow_null=True, help_text="A closed opening's actual outcome.")
    forecast = Simulation(allow_null=True, help_text="An open opening's simulated fill.")
    assumptions = serializers.ListField(child=serializers.CharField())


class FunnelStage(serializers.Serializer[dict]):
    stage = serializers.CharField()
    reached = serializers.IntegerField()
    advanced = serializers.IntegerField()
    exited = serializers.IntegerField()
    pending = serializers.IntegerField()
    skipped = serializers.IntegerField()
    conversion = serializers.FloatField(allow_null=True)
    conversion_low = serializers.FloatField(allow_null=True)
    conversion_high = serializers.FloatField(allow_null=True)
    dwell_median_days = serializers.IntegerField(allow_null=True)
    dwell_p90_days = serializers.IntegerField(allow_null=True)
    dwell_observations = serializers.IntegerField()


class FunnelSource(serializers.Serializer[dict]):
    source = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.source
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    applications = serializers.IntegerField()
    hires = serializers.IntegerField()
    hire_rate = serializers.FloatField(allow_null=True)
    share_of_hires = serializers.FloatField(allow_null=True)
    stages = FunnelStage(many=True)


class FunnelFiltersOutput(serializers.Serializer[dict]):
    role = serializers.CharField(allow_null=True)
    opening = serializers.IntegerField(allow_null=True)
    source = serializers.CharField(allow_null=True)  # type: ignore[assignment]
    created_from = serializers.DateTimeField(allow_null=True)
    created_before = serializers.DateTimeField(allow_null=True)


class FunnelOutput(serializers.Serializer[dict]):
    filters = FunnelFiltersOutput()
    applications = serializers.IntegerField()
    hires = serializers.IntegerField()
    stages = FunnelStage(many=True)
    sources = FunnelSource(many=True)


class AgreementOutput(serializers.Serializer[dict]):
    alpha = serializers.FloatField(allow_null=True, help_text="Krippendorff's alpha, ordinal.")
    shared_units = serializers.IntegerField()
    status = serializers.CharField(help_text='"ok" or "not enough data".')


class RaterOutput(serializers.Serializer[dict]):
    id = serializers.IntegerField()
    username = serializers.CharField()
    shared_applications = serializers.IntegerField()
    ratings = serializers.IntegerField()
    no_evidence_rate = serializers.FloatField(allow_null=True)
    leniency = serializers.FloatField(allow_null=True)
    leniency_low = serializers.FloatField(allow_null=True)
    leniency_high = serializers.FloatField(allow_null=True)
    raw_mean_difference = serializers.FloatField(allow_null=True)
    status = serializers.CharField(help_text='"ok" or "not enough data".')


class CompetencyCalibration(serializers.Serializer[dict]):
    competency = serializers.IntegerField()
    name = serializers.CharField()
    agreement = AgreementOutput()
    interviewers = RaterOutput(many=True)


class KitAgreement(serializers.Serializer[dict]):
    kit = serializers.IntegerField()
    title = serializers.CharField()
    agreement = AgreementOutput()


class RoleCalibration(serializers.Serializer[dict]):
    role = serializers.IntegerField()
    title = serializers.CharField()
    agreement = AgreementOutput()
    interviewers = RaterOutput(many=True)
    competencies = CompetencyCalibration(many=True)
    kits = KitAgreement(many=True)


class CriterionAgreement(serializers.Serializer[dict]):
    criterion = serializers.IntegerField()
    title = serializers.CharField()
    agreement = AgreementOutput()


class TakeHomeCalibration(serializers.Serializer[dict]):
    template = serializers.IntegerField()
    title = serializers.CharField()
    agreement = AgreementOutput()
    graders = RaterOutput(many=True)
    criteria = CriterionAgreement(many=True)


class CalibrationOutput(serializers.Serializer[dict]):
    min_shared_applications = serializers.IntegerField()
    roles = RoleCalibration(many=True)
    take_homes = TakeHomeCalibration(many=True)
